import { stringify } from 'yaml';

/**
 * objectYaml is an object's YAML as `kubectl get -o yaml` shows it: a part the engine shares between two
 * places (a container's resources in its spec and its status) is written out twice, not as an anchor
 * (`&a1`) and an alias (`*a1`), which kubectl never prints.
 */
export function objectYaml(obj: unknown): string {
  return stringify(obj, { lineWidth: 0, aliasDuplicateObjects: false });
}
