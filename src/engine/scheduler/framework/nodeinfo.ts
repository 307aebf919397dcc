import type { Node, Pod, Taint } from '../../api/types.ts';
import { addResource, emptyResource, podRequestsMemo, quantityValue, resourceFromList, type Resource } from './resource.ts';

/**
 * PodInfo is framework.PodInfo: a bound (or incoming) pod with what the plugins need precomputed
 * once, so filters over 500 nodes × 10,000 pods never re-parse quantities.
 */
export interface PodInfo {
  pod: Pod;
  /** spec is the pod.spec object this info was computed from (a replaced spec is recomputed). */
  spec: Pod['spec'];
  uid: string;
  /** requests is the pod's request (max(app sum, init) + overhead). */
  requests: Resource;
  /** nonZero is the request with 100m/200Mi defaults, used by Least/MostAllocated scoring. */
  nonZeroCPU: number;
  nonZeroMemory: number;
  /** hasAffinity: pod (anti-)affinity of any kind; hasRequiredAntiAffinity: required anti-affinity terms. */
  hasAffinity: boolean;
  hasRequiredAntiAffinity: boolean;
  hostPorts: string[];
  /** namespace: the pod's (selectors count pods of one namespace) */
  namespace: string;
  /** labels and terminating as last counted (a change in either changes selector counts) */
  labels: Pod['metadata']['labels'];
  terminating: boolean;
  /**
   * matchKey / matchLabels / matched: the last selector (PodTopologySpread's number for it, -1: none)
   * tested against these labels, and its answer. A node's pods are recounted for the same selector each
   * time the node changes, ~30 times over a pod's life in a 10,000-pod rollout.
   */
  matchKey: number;
  matchLabels: Pod['metadata']['labels'];
  matched: boolean;
  /** filedIn: the NodeInfo whose pods hold this info now (undefined once removed) */
  filedIn: NodeInfo | undefined;
}

/** podHostPorts is the pod's host ports as "protocol/hostIP/port" (HostPortInfo's keys). */
export function podHostPorts(pod: Pod): string[] {
  const hostPorts: string[] = [];
  for (const c of pod.spec.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.hostPort) hostPorts.push(`${p.protocol ?? 'TCP'}/${(p as any).hostIP ?? '0.0.0.0'}/${p.hostPort}`);
    }
  }
  return hostPorts;
}

export function newPodInfo(pod: Pod): PodInfo {
  const { requests, nonZero: nz } = podRequestsMemo(pod.spec);
  const aff = pod.spec.affinity;
  const pa = aff?.podAffinity;
  const paa = aff?.podAntiAffinity;
  const hasAffinity = !!(
    pa?.requiredDuringSchedulingIgnoredDuringExecution?.length ||
    pa?.preferredDuringSchedulingIgnoredDuringExecution?.length ||
    paa?.requiredDuringSchedulingIgnoredDuringExecution?.length ||
    paa?.preferredDuringSchedulingIgnoredDuringExecution?.length
  );
  const hostPorts = podHostPorts(pod);
  return {
    pod,
    spec: pod.spec,
    uid: pod.metadata.uid ?? '',
    namespace: pod.metadata.namespace ?? 'default',
    labels: pod.metadata.labels,
    terminating: !!pod.metadata.deletionTimestamp,
    requests,
    nonZeroCPU: nz.milliCPU,
    nonZeroMemory: nz.memory,
    hasAffinity,
    hasRequiredAntiAffinity: !!paa?.requiredDuringSchedulingIgnoredDuringExecution?.length,
    hostPorts,
    matchKey: -1,
    matchLabels: undefined,
    matched: false,
    filedIn: undefined,
  };
}

/** CHANGES_KEPT: how many of a node's latest pod changes NodeInfo keeps for matchDelta. */
const CHANGES_KEPT = 8;

/**
 * NodeInfo is framework.NodeInfo: a node plus the running totals of the pods bound to it.
 * The scheduler cache keeps one per node and updates it from watch events (never by listing).
 */
export class NodeInfo {
  node!: Node;
  name = '';
  labels: Record<string, string> = {};
  taints: Taint[] = [];
  unschedulable = false;
  allowedPodNumber = 0;
  /**
   * allocCPU, allocMemory, reqCPU, reqMemory: allocatable's and requested's milliCPU and memory,
   * beside the node's other totals. Filtering and scoring read them for ~230 nodes per pod, and
   * each Resource object is one more load away, often a cache miss between two pods. They follow
   * the Resource objects, which change only through setNode, addPod, removePod and the setters.
   */
  allocCPU = 0;
  allocMemory = 0;
  reqCPU = 0;
  reqMemory = 0;
  private alloc: Resource = emptyResource();
  private req: Resource = emptyResource();

  get allocatable(): Resource {
    return this.alloc;
  }

  set allocatable(r: Resource) {
    this.alloc = r;
    this.allocCPU = r.milliCPU;
    this.allocMemory = r.memory;
  }

  /** requested is the pods' requests summed (read-only: a new one is set whole). */
  get requested(): Resource {
    return this.req;
  }

  set requested(r: Resource) {
    this.req = r;
    this.mirrorRequested();
  }

  /** mirrorRequested copies requested's cpu and memory into reqCPU and reqMemory (after any change to it). */
  private mirrorRequested(): void {
    this.reqCPU = this.req.milliCPU;
    this.reqMemory = this.req.memory;
  }
  /** nonZeroRequested counts request-less containers as 100m CPU / 200Mi (for scoring). */
  nonZeroCPU = 0;
  nonZeroMemory = 0;
  /** pods bound here, by uid, in bind order. */
  pods = new Map<string, PodInfo>();
  /**
   * podCount is pods.size, kept beside the other totals: NodeResourcesFit reads it for every node
   * it filters (230 per pod at 500 nodes), and a Map's size sits in its table, two loads away.
   */
  podCount = 0;
  podsWithAffinity = 0;
  podsWithRequiredAntiAffinity = 0;
  usedPorts = new Map<string, number>();
  /** images on the node: name → size in bytes (status.images). */
  images = new Map<string, number>();
  /** generation counts changes to the node's pods that selectors see (added, removed, relabelled, terminating). */
  generation = 0;
  /** listed / listIndex: the node list a plugin's per-node memo (PodTopologySpread) last numbered this node in, and its place. */
  listed: readonly NodeInfo[] | undefined = undefined;
  listIndex = -1;
  /**
   * journal (set with listed): where this node writes its listIndex each time its pods or labels change,
   * so a per-node memo kept over all nodes can catch up on the few that changed instead of checking all.
   */
  journal: number[] | undefined = undefined;

  constructor(node?: Node) {
    if (node) this.setNode(node);
  }

  setNode(node: Node): void {
    this.journal?.push(this.listIndex);
    this.node = node;
    this.name = node.metadata.name;
    this.labels = node.metadata.labels ?? {};
    this.taints = node.spec?.taints ?? [];
    this.unschedulable = !!node.spec?.unschedulable;
    const alloc = node.status?.allocatable ?? node.status?.capacity ?? {};
    this.allocatable = resourceFromList(alloc);
    this.allowedPodNumber = quantityValue(alloc.pods);
    this.images.clear();
    for (const img of node.status?.images ?? []) for (const n of img.names ?? []) this.images.set(n, img.sizeBytes ?? 0);
  }

  /**
   * The last CHANGES_KEPT changes that selectors see, as a ring by generation (change g is at g %
   * CHANGES_KEPT): the pod's namespace, and its labels and whether it counted (on the node and not
   * terminating) before and after (not the pod itself: a deleted pod is not kept alive here). A per-node count of the pods a selector matches catches up on them
   * (matchDelta) instead of testing all ~40 pods again each time one of them changes.
   */
  private changedNamespace: string[] = new Array(CHANGES_KEPT);
  private labelsBefore: PodInfo['labels'][] = new Array(CHANGES_KEPT);
  private labelsAfter: PodInfo['labels'][] = new Array(CHANGES_KEPT);
  private countedBefore = new Uint8Array(CHANGES_KEPT);
  private countedAfter = new Uint8Array(CHANGES_KEPT);

  /** bump records a change that selectors see (generation, the journal, and the ring of changes). */
  private bump(pi: PodInfo, labelsBefore: PodInfo['labels'], countedBefore: boolean, countedAfter: boolean): void {
    const g = ++this.generation % CHANGES_KEPT;
    this.changedNamespace[g] = pi.namespace;
    this.labelsBefore[g] = labelsBefore;
    this.labelsAfter[g] = pi.labels;
    this.countedBefore[g] = countedBefore ? 1 : 0;
    this.countedAfter[g] = countedAfter ? 1 : 0;
    this.journal?.push(this.listIndex);
  }

  /** relabel changes a pod's labels and terminating mark (a change selectors see). */
  relabel(pi: PodInfo, labels: PodInfo['labels'], terminating: boolean): void {
    const before = pi.labels;
    const counted = !pi.terminating;
    pi.labels = labels;
    pi.terminating = terminating;
    this.bump(pi, before, counted, !terminating);
  }

  /**
   * matchDelta is how many more pods of namespace ns that match (a selector) count on the node now
   * than at generation since, from the ring of changes; undefined when the ring no longer reaches back.
   */
  matchDelta(since: number, ns: string, match: (labels: PodInfo['labels']) => boolean): number | undefined {
    if (since < 0 || this.generation - since > CHANGES_KEPT) return undefined;
    let delta = 0;
    for (let gen = since + 1; gen <= this.generation; gen++) {
      const g = gen % CHANGES_KEPT;
      if (this.changedNamespace[g] !== ns) continue;
      if (this.countedBefore[g] === 1 && match(this.labelsBefore[g])) delta--;
      if (this.countedAfter[g] === 1 && match(this.labelsAfter[g])) delta++;
    }
    return delta;
  }

  addPod(pi: PodInfo): void {
    if (this.pods.has(pi.uid)) this.removePod(pi.uid);
    this.bump(pi, undefined, false, !pi.terminating);
    this.pods.set(pi.uid, pi);
    pi.filedIn = this;
    this.podCount++;
    addResource(this.req, pi.requests);
    this.mirrorRequested();
    this.nonZeroCPU += pi.nonZeroCPU;
    this.nonZeroMemory += pi.nonZeroMemory;
    if (pi.hasAffinity) this.podsWithAffinity++;
    if (pi.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity++;
    for (const p of pi.hostPorts) this.usedPorts.set(p, (this.usedPorts.get(p) ?? 0) + 1);
  }

  removePod(uid: string): PodInfo | undefined {
    const pi = this.pods.get(uid);
    if (!pi) return undefined;
    this.pods.delete(uid);
    if (pi.filedIn === this) pi.filedIn = undefined;
    this.podCount--;
    this.bump(pi, pi.labels, !pi.terminating, false);
    const r = this.req;
    r.milliCPU -= pi.requests.milliCPU;
    r.memory -= pi.requests.memory;
    r.ephemeralStorage -= pi.requests.ephemeralStorage;
    this.mirrorRequested();
    for (const k of Object.keys(pi.requests.scalar)) r.scalar[k] = (r.scalar[k] ?? 0) - pi.requests.scalar[k];
    this.nonZeroCPU -= pi.nonZeroCPU;
    this.nonZeroMemory -= pi.nonZeroMemory;
    if (pi.hasAffinity) this.podsWithAffinity--;
    if (pi.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity--;
    for (const p of pi.hostPorts) {
      const n = (this.usedPorts.get(p) ?? 1) - 1;
      if (n <= 0) this.usedPorts.delete(p);
      else this.usedPorts.set(p, n);
    }
    return pi;
  }
}

/**
 * nodeFitsQuickly is NodeResourcesFit's success path without allocating (the answer for most
 * nodes): room for the requests and one more pod. False sends the node through fitsRequest, which
 * also decides the rare case of extended resources (ignored ones included).
 */
export function nodeFitsQuickly(r: Resource, node: NodeInfo): boolean {
  return !asksScalar(r) && nodeHasRoom(r, node);
}

/** asksScalar: the requests include an extended resource (decided by fitsRequest, ignored resources and all). */
export function asksScalar(r: Resource): boolean {
  for (const k in r.scalar) if (r.scalar[k] > 0) return true;
  return false;
}

/** nodeHasRoom: room for one more pod and for the requests' cpu, memory and ephemeral storage. */
export function nodeHasRoom(r: Resource, node: NodeInfo): boolean {
  if (node.podCount + 1 > node.allowedPodNumber) return false;
  if (r.milliCPU > 0 && r.milliCPU > node.allocCPU - node.reqCPU) return false;
  if (r.memory > 0 && r.memory > node.allocMemory - node.reqMemory) return false;
  if (r.ephemeralStorage > 0 && r.ephemeralStorage > node.allocatable.ephemeralStorage - node.requested.ephemeralStorage) return false;
  return true;
}
