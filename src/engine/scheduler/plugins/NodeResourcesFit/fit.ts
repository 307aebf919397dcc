import type { NodeInfo } from '../../framework/nodeinfo.ts';
import type { Resource } from '../../framework/resource.ts';

/** ErrReasonTooManyPods is the reason when the node already runs status.allocatable.pods pods. */
export const ErrReasonTooManyPods = 'Too many pods';
/** insufficientReason is "Insufficient <resource>", e.g. "Insufficient cpu". */
export function insufficientReason(resource: string): string {
  return `Insufficient ${resource}`;
}

/** InsufficientResource is noderesources.InsufficientResource (what the trace shows for a failure). */
export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

/** isExtendedResourceName: a domain-prefixed name outside kubernetes.io/ (example.com/gpu). */
function isExtendedResourceName(name: string): boolean {
  if (name.startsWith('requests.')) return false;
  const slash = name.indexOf('/');
  if (slash < 0) return false;
  const domain = name.slice(0, slash);
  return domain !== 'kubernetes.io' && !domain.endsWith('.kubernetes.io');
}

/**
 * fitsRequest is noderesources.fitsRequest. Pod count first ("Too many pods" even for a pod that
 * requests nothing), then cpu, memory, ephemeral-storage and scalar resources; each check is
 * `request > allocatable - requested`, so filling a node to exactly 100% still fits.
 * Extended resources in ignored (or in an ignored group: the part before "/") are not checked.
 */
export function fitsRequest(
  podReq: Resource,
  node: Pick<NodeInfo, 'allocatable' | 'requested' | 'allowedPodNumber'> & { podCount: number },
  ignored?: ReadonlySet<string>,
  ignoredGroups?: ReadonlySet<string>,
): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  if (node.podCount + 1 > node.allowedPodNumber) {
    out.push({ resourceName: 'pods', reason: ErrReasonTooManyPods, requested: 1, used: node.podCount, capacity: node.allowedPodNumber });
  }
  const scalarNames = Object.keys(podReq.scalar);
  if (podReq.milliCPU === 0 && podReq.memory === 0 && podReq.ephemeralStorage === 0 && scalarNames.length === 0) return out;
  const a = node.allocatable;
  const u = node.requested;
  if (podReq.milliCPU > 0 && podReq.milliCPU > a.milliCPU - u.milliCPU) {
    out.push({ resourceName: 'cpu', reason: insufficientReason('cpu'), requested: podReq.milliCPU, used: u.milliCPU, capacity: a.milliCPU });
  }
  if (podReq.memory > 0 && podReq.memory > a.memory - u.memory) {
    out.push({ resourceName: 'memory', reason: insufficientReason('memory'), requested: podReq.memory, used: u.memory, capacity: a.memory });
  }
  if (podReq.ephemeralStorage > 0 && podReq.ephemeralStorage > a.ephemeralStorage - u.ephemeralStorage) {
    out.push({
      resourceName: 'ephemeral-storage',
      reason: insufficientReason('ephemeral-storage'),
      requested: podReq.ephemeralStorage,
      used: u.ephemeralStorage,
      capacity: a.ephemeralStorage,
    });
  }
  for (const name of scalarNames) {
    const q = podReq.scalar[name];
    if (q === 0) continue;
    if (isExtendedResourceName(name)) {
      if (ignored?.has(name)) continue;
      if (ignoredGroups?.has(name.slice(0, name.indexOf('/')))) continue;
    }
    const cap = a.scalar[name] ?? 0;
    const used = u.scalar[name] ?? 0;
    if (q > cap - used) out.push({ resourceName: name, reason: insufficientReason(name), requested: q, used, capacity: cap });
  }
  return out;
}
