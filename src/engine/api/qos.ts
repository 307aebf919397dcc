import { parseQuantity } from './quantity.ts';
import type { Container, PodSpec } from './types.ts';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * podQOSClass is qos.GetPodQOS: Guaranteed when every container has cpu and memory limits equal
 * to requests, BestEffort when no container requests or limits anything, Burstable otherwise.
 * The API server stores it in status.qosClass when the pod is created (pod strategy PrepareForCreate).
 */
export function podQOSClass(spec: PodSpec): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  // Every pod is classed when created: loops over the two lists, no copies or entry arrays.
  const flags = qosFlags(spec?.initContainers, qosFlags(spec?.containers, 0));
  if (!(flags & QOS_ANY)) return 'BestEffort';
  return flags & QOS_NOT_GUARANTEED ? 'Burstable' : 'Guaranteed';
}

/** QOS_ANY: some container requests or limits cpu or memory; QOS_NOT_GUARANTEED: some limit is missing, zero or not its request. */
const QOS_ANY = 1;
const QOS_NOT_GUARANTEED = 2;
const QOS_RESOURCES = ['cpu', 'memory'] as const;

/** qosFlags adds what containers (only cpu and memory count) say to flags. */
function qosFlags(containers: unknown, flags: number): number {
  if (!Array.isArray(containers)) return flags;
  for (const c of containers as Container[]) {
    const req = isObj(c?.resources?.requests) ? (c.resources.requests as Record<string, string | number>) : undefined;
    const lim = isObj(c?.resources?.limits) ? (c.resources.limits as Record<string, string | number>) : undefined;
    for (const k of QOS_RESOURCES) {
      const r = req && Object.hasOwn(req, k) ? parseQuantity(req[k]) : undefined;
      const l = lim && Object.hasOwn(lim, k) ? parseQuantity(lim[k]) : undefined;
      if ((r ?? 0) > 0 || (l ?? 0) > 0) flags |= QOS_ANY;
      if (l === undefined || l === 0 || (r !== undefined && r !== l)) flags |= QOS_NOT_GUARANTEED;
    }
  }
  return flags;
}
