/**
 * The downward API's resourceFieldRef (a container's limit or request as an environment variable or a
 * file), as k8s.io/component-helpers/resource ExtractContainerResourceValue computes it.
 */
import type { Container } from './types.ts';
import { parseQuantity } from './quantity.ts';

type Resources = Container['resources'];

/**
 * containerResourceValue is the value of `limits.cpu`, `requests.memory`, `limits.ephemeral-storage`,
 * `requests.hugepages-2Mi` … for a container's resources, divided by the divisor and rounded up:
 * CPU in millicores against the divisor's millicores (so `limits.cpu` of 250m is "1", and "250" with
 * divisor 1m), the others in bytes. A resource that is not set counts as 0 (the kubelet first fills
 * unset limits with the node's allocatable, see withNodeLimits). undefined for a resource the downward
 * API does not offer.
 */
export function containerResourceValue(resources: Resources, resource: string, divisor?: string | number): string | undefined {
  const dot = resource.indexOf('.');
  const kind = resource.slice(0, dot);
  const name = resource.slice(dot + 1);
  if ((kind !== 'limits' && kind !== 'requests') || !(name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-'))) return undefined;
  const milli = parseQuantity(resources?.[kind]?.[name]) ?? 0;
  // A zero (or missing) divisor means 1.
  const d = parseQuantity(divisor) || 1000;
  if (name === 'cpu') return String(Math.ceil(milli / d));
  // Memory-like quantities in whole units (Quantity.Value rounds up), then divided and rounded up.
  return String(Math.ceil(Math.ceil(milli / 1000) / Math.ceil(d / 1000)));
}

/**
 * withNodeLimits is the container's resources with every limit it leaves unset taken from the node's
 * allocatable (the kubelet's defaultPodLimitsForDownwardAPI): what `limits.cpu` means for a container
 * without a CPU limit.
 */
export function withNodeLimits(resources: Resources, allocatable: Record<string, string> | undefined): Resources {
  if (!allocatable) return resources;
  const limits: Record<string, string | number> = { ...(resources?.limits ?? {}) };
  for (const k of ['cpu', 'memory', 'ephemeral-storage']) if (limits[k] === undefined && allocatable[k] !== undefined) limits[k] = allocatable[k];
  return { ...(resources ?? {}), limits };
}
