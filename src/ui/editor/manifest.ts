/**
 * editableManifest turns a live object into the text `kubectl edit` would open, minus what the user cannot
 * or should not write back: status, the server-set metadata (uid, resourceVersion, creationTimestamp,
 * generation, managedFields, selfLink, deletion marks) and the last-applied annotation. What is left applies
 * back (`kubectl apply -f -`) as the same object, so changing one field changes only that field.
 */
import type { KubeObject } from '../../engine/api/types.ts';
import { toYaml, qualifiedName } from '../../engine/kubectl/output.ts';

/** SERVER_SET: metadata the API server owns (api/server.ts strips the same list on apply). */
const SERVER_SET = ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink'];
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** stripForEdit returns a copy of obj without status, server-set metadata and the last-applied annotation. */
export function stripForEdit(obj: KubeObject): KubeObject {
  const copy = JSON.parse(JSON.stringify(obj)) as KubeObject;
  delete copy.status;
  const md = copy.metadata as Record<string, unknown>;
  for (const f of SERVER_SET) delete md[f];
  const ann = copy.metadata.annotations;
  if (ann) {
    delete ann[LAST_APPLIED];
    if (Object.keys(ann).length === 0) delete copy.metadata.annotations;
  }
  return copy;
}

/** editableManifest is the Editor's text for obj: a two-line comment header, then its stripped YAML. */
export function editableManifest(obj: KubeObject): string {
  const ns = obj.metadata.namespace ? ` -n ${obj.metadata.namespace}` : '';
  return `# kubectl edit ${qualifiedName(obj)}${ns}\n# Change it, then Apply (Ctrl/⌘+Enter).\n${toYaml(stripForEdit(obj))}`;
}
