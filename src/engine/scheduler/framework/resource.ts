import { parseQuantity } from '../../api/quantity.ts';
import type { Container, PodSpec } from '../../api/types.ts';

/**
 * Resource is framework.Resource: milli-CPU, memory and ephemeral storage in bytes, and scalar
 * (extended, hugepages) resources in whole units. Scalar keys keep first-seen order.
 */
export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  scalar: Record<string, number>;
}

/** DEFAULT_MILLI_CPU_REQUEST is upstream's non-zero default (100m) used only for scoring. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** DEFAULT_MEMORY_REQUEST is upstream's non-zero default (200Mi) used only for scoring. */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: {} };
}

/**
 * parsed memoizes parseQuantity for the scheduler: 10,000 replicas repeat the same few strings
 * ("100m", "128Mi"), and parsing is most of the cost of a pod's request. A pure cache (same
 * input, same output), bounded so odd inputs cannot grow it without limit.
 */
const parsed = new Map<string, number>();

function milli(q: string | number | undefined): number {
  if (q === undefined || q === null) return 0;
  if (typeof q === 'number') return parseQuantity(q) ?? 0;
  let m = parsed.get(q);
  if (m === undefined) {
    m = parseQuantity(q) ?? 0;
    if (parsed.size > 4096) parsed.clear();
    parsed.set(q, m);
  }
  return m;
}

/** quantityValue is resource.Quantity.Value(): whole units, rounded up. */
export function quantityValue(q: string | number | undefined): number {
  return Math.ceil(milli(q) / 1000);
}

/** quantityMilli is resource.Quantity.MilliValue(). */
export function quantityMilli(q: string | number | undefined): number {
  return milli(q);
}

/** resourceFromList reads a ResourceList (requests, allocatable, overhead) into a Resource. */
export function resourceFromList(list: Record<string, string | number | undefined> | undefined): Resource {
  const r = emptyResource();
  if (!list) return r;
  for (const name of Object.keys(list)) addNamed(r, name, list[name]);
  return r;
}

function addNamed(r: Resource, name: string, q: string | number | undefined): void {
  switch (name) {
    case 'cpu':
      r.milliCPU += quantityMilli(q);
      return;
    case 'memory':
      r.memory += quantityValue(q);
      return;
    case 'ephemeral-storage':
      r.ephemeralStorage += quantityValue(q);
      return;
    case 'pods':
      return;
    default:
      r.scalar[name] = (r.scalar[name] ?? 0) + quantityValue(q);
  }
}

function addResource(into: Resource, r: Resource): void {
  into.milliCPU += r.milliCPU;
  into.memory += r.memory;
  into.ephemeralStorage += r.ephemeralStorage;
  for (const k of Object.keys(r.scalar)) into.scalar[k] = (into.scalar[k] ?? 0) + r.scalar[k];
}

function maxResource(into: Resource, r: Resource): void {
  into.milliCPU = Math.max(into.milliCPU, r.milliCPU);
  into.memory = Math.max(into.memory, r.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, r.ephemeralStorage);
  for (const k of Object.keys(r.scalar)) into.scalar[k] = Math.max(into.scalar[k] ?? 0, r.scalar[k]);
}

function containerRequests(c: Container, nonZero: boolean): Resource {
  const req = c.resources?.requests;
  const r = resourceFromList(req);
  if (nonZero) {
    // Upstream's GetNonzeroRequests: an unset cpu/memory request counts as 100m / 200Mi for
    // scoring, so ten request-less pods do not all look free; an explicit "0" stays 0.
    if (!req || req.cpu === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (!req || req.memory === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * podRequests is resourcehelper.PodRequests: max(sum of app containers, each init container) plus
 * pod overhead. With 1m+1m app containers and a 3m init container the pod asks for 3m, not 5m,
 * because init containers run one at a time before the app containers start.
 * nonZero applies the scoring defaults per container (NonMissingContainerRequests).
 */
export function podRequests(spec: Pick<PodSpec, 'containers' | 'initContainers' | 'overhead'>, nonZero = false): Resource {
  const total = emptyResource();
  for (const c of spec.containers ?? []) addResource(total, containerRequests(c, nonZero));
  if (spec.initContainers?.length) {
    // Restartable (sidecar) init containers keep running, so they add to the app sum and to every
    // later init container's peak (upstream PodRequests with SidecarContainers).
    const sidecars = emptyResource();
    const maxInit = emptyResource();
    for (const c of spec.initContainers) {
      const r = containerRequests(c, nonZero);
      if (c.restartPolicy === 'Always') {
        addResource(sidecars, r);
        maxResource(maxInit, sidecars);
      } else {
        addResource(r, sidecars);
        maxResource(maxInit, r);
      }
    }
    addResource(total, sidecars);
    maxResource(total, maxInit);
  }
  if (spec.overhead) addResource(total, resourceFromList(spec.overhead));
  return total;
}

/** PodRequestsMemo is a pod's request and its scoring (non-zero) request, computed once per spec object. */
export interface PodRequestsMemo {
  requests: Resource;
  nonZero: Resource;
}

const memo = new WeakMap<object, PodRequestsMemo>();

/**
 * podRequestsMemo caches podRequests per pod spec object: container requests are immutable once a
 * pod exists, and the scheduler reads them for every node it filters and every status update.
 */
export function podRequestsMemo(spec: PodSpec): PodRequestsMemo {
  let m = memo.get(spec);
  if (!m) {
    m = { requests: sharedEmptyScalar(podRequests(spec)), nonZero: sharedEmptyScalar(podRequests(spec, true)) };
    memo.set(spec, m);
  }
  return m;
}

/** NO_SCALARS is the scalar resources of a pod that asks for none (most): one object for all of them, never written. */
const NO_SCALARS: Record<string, number> = Object.freeze({}) as Record<string, number>;

/**
 * sharedEmptyScalar gives a pod's request the shared NO_SCALARS when it has no scalar resource. A pod's
 * request is only read (sums go into a node's totals), and 10,000 pods kept two empty objects each.
 */
function sharedEmptyScalar(r: Resource): Resource {
  if (Object.keys(r.scalar).length > 0) return r;
  r.scalar = NO_SCALARS;
  return r;
}

/** resourceAmount reads one named resource from a Resource (0 if absent). */
export function resourceAmount(r: Resource, name: string): number {
  switch (name) {
    case 'cpu':
      return r.milliCPU;
    case 'memory':
      return r.memory;
    case 'ephemeral-storage':
      return r.ephemeralStorage;
    default:
      return r.scalar[name] ?? 0;
  }
}

export { addResource };
