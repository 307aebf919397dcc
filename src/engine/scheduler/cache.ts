import type { Store } from '../api/store.ts';
import { hidden, keepHidden } from '../memo.ts';
import type { KubeObject, Node, Pod } from '../api/types.ts';
import { NodeInfo, newPodInfo, type PodInfo } from './framework/nodeinfo.ts';
import type { Handle } from './framework/types.ts';

/** isTerminal: a Succeeded or Failed pod no longer holds resources (the scheduler's informer drops it). */
export function isTerminal(pod: Pod): boolean {
  const p = pod.status?.phase;
  return p === 'Succeeded' || p === 'Failed';
}

/** zoneKey is utilnode.GetZoneKey: region and zone labels (GA first, then the beta ones). */
function zoneKey(labels: Record<string, string>): string {
  const region = labels['topology.kubernetes.io/region'] ?? labels['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region || zone ? `${region}:\u0000:${zone}` : '';
}

/** nodeSignature: the node fields a scheduling decision depends on (not heartbeats), to spot relevant updates. */
function nodeSignature(node: Node): string {
  return JSON.stringify([
    node.status?.allocatable,
    node.metadata.labels,
    node.spec?.taints,
    !!node.spec?.unschedulable,
    node.status?.images,
    (node.status?.conditions ?? []).map((c) => c.type + '=' + c.status),
  ]);
}

/**
 * INFO_OF names, on a pod object, the PodInfo a cache last made from it: a property of the pod itself
 * (never enumerable), trusted only while it is filed in the cache's own NodeInfo for the pod's node.
 * One symbol serves every cache, for the reason the store's slot has one (api/store.ts, SLOT).
 */
const INFO_OF = Symbol('SchedulerCache.podInfo');

/**
 * SchedulerCache is the scheduler's internal cache (pkg/scheduler/backend/cache): one NodeInfo per
 * node with its bound pods and running totals, kept up to date from watch events. It is derived
 * state: rebuild() recomputes it from the store after a snapshot restore.
 */
export class SchedulerCache implements Handle {
  private nodes = new Map<string, NodeInfo>();
  private signatures = new Map<string, string>();
  /** list is the nodeTree order: zones round-robin, nodes of a zone in the order they were added. */
  private list: NodeInfo[] = [];
  private listDirty = false;
  private podNode = new Map<string, string>();
  private affinityPods = 0;
  private requiredAntiAffinityPods = 0;
  /** priorities counts bound pods by spec.priority, so preemption knows at once when no pod is below a preemptor. */
  private priorities = new Map<number, number>();
  private nextId = 0;
  private imageNodes = new Map<string, number>();
  /** nodeIds gives each node name a small number for compact traces. */
  readonly nodeIds = new Map<string, number>();
  readonly nodeNames: string[] = [];

  constructor(private readonly store: Store) {}

  rebuild(): void {
    // The pods' PodInfos of before are no longer filed anywhere (see INFO_OF).
    for (const ni of this.nodes.values()) for (const pi of ni.pods.values()) pi.filedIn = undefined;
    this.nodes.clear();
    this.signatures.clear();
    this.podNode.clear();
    this.imageNodes.clear();
    this.affinityPods = 0;
    this.requiredAntiAffinityPods = 0;
    this.priorities.clear();
    for (const n of this.store.list<Node>('Node')) this.addNode(n);
    for (const p of this.store.list<Pod>('Pod')) this.updatePod(p);
    this.listDirty = true;
  }

  nodeInfos(): readonly NodeInfo[] {
    if (this.listDirty) this.rebuildList();
    return this.list;
  }

  get(name: string): NodeInfo | undefined {
    const ni = this.nodes.get(name);
    return ni && ni.node ? ni : undefined;
  }

  listObjects(kind: string, namespace: string): KubeObject[] {
    return this.store.list(kind, namespace);
  }

  getObject(kind: string, namespace: string, name: string): KubeObject | undefined {
    return this.store.get(kind, namespace, name);
  }

  namespaceLabels(ns: string): Record<string, string> | undefined {
    return this.store.get('Namespace', undefined, ns)?.metadata.labels;
  }

  havePodsWithAffinity(): boolean {
    return this.affinityPods > 0;
  }

  havePodsWithRequiredAntiAffinity(): boolean {
    return this.requiredAntiAffinityPods > 0;
  }

  imageNumNodes(image: string): number {
    return this.imageNodes.get(image) ?? 0;
  }

  private countImages(ni: NodeInfo, by: number): void {
    for (const name of ni.images.keys()) {
      const n = (this.imageNodes.get(name) ?? 0) + by;
      if (n <= 0) this.imageNodes.delete(name);
      else this.imageNodes.set(name, n);
    }
  }

  nodeId(name: string): number {
    let id = this.nodeIds.get(name);
    if (id === undefined) {
      id = this.nextId++;
      this.nodeIds.set(name, id);
      this.nodeNames[id] = name;
    }
    return id;
  }

  private rebuildList(): void {
    const zones = new Map<string, NodeInfo[]>();
    for (const ni of this.nodes.values()) {
      if (!ni.node) continue;
      const z = zoneKey(ni.labels);
      let l = zones.get(z);
      if (!l) zones.set(z, (l = []));
      l.push(ni);
    }
    const lists = [...zones.values()];
    const out: NodeInfo[] = [];
    for (let i = 0, more = true; more; i++) {
      more = false;
      for (const l of lists) {
        if (i < l.length) {
          out.push(l[i]);
          more = true;
        }
      }
    }
    this.list = out;
    this.listDirty = false;
  }

  /** addNode adds or refreshes a node; returns true if a scheduling-relevant field changed. */
  addNode(node: Node): boolean {
    const name = node.metadata.name;
    const sig = nodeSignature(node);
    let ni = this.nodes.get(name);
    const known = !!ni?.node;
    if (known && this.signatures.get(name) === sig) {
      ni!.node = node;
      return false;
    }
    const oldZone = known ? zoneKey(ni!.labels) : undefined;
    if (!ni) {
      ni = new NodeInfo();
      this.nodes.set(name, ni);
    }
    if (known) this.countImages(ni, -1);
    ni.setNode(node);
    this.countImages(ni, 1);
    this.nodeId(name);
    this.signatures.set(name, sig);
    if (!known || oldZone !== zoneKey(ni.labels)) this.listDirty = true;
    return true;
  }

  removeNode(name: string): void {
    const ni = this.nodes.get(name);
    if (!ni) return;
    if (ni.node) this.countImages(ni, -1);
    this.signatures.delete(name);
    if (ni.pods.size === 0) this.nodes.delete(name);
    else (ni as any).node = undefined; // pods still bound: keep them accounted until they go
    this.listDirty = true;
  }

  /**
   * updatePod files a pod under its node if it is bound and not terminal, else drops it. Returns what
   * became of it: dropped from the cache, added to it, kept in it, or absent (neither before nor now).
   */
  updatePod(pod: Pod): 'dropped' | 'added' | 'kept' | 'absent' {
    const nodeName = pod.spec?.nodeName;
    // A status write of a pod already filed here: the PodInfo holds the same object and was made
    // from the same spec (requests, affinity and host ports cannot change on a bound pod), so
    // nothing to redo. Most of a rollout's pod updates are such kubelet status writes; the pod
    // carries its PodInfo (see INFO_OF), so they cost no lookup in the cache's tables.
    const known = hidden<PodInfo>(pod, INFO_OF);
    if (known !== undefined && known.pod === pod && known.spec === pod.spec && known.filedIn !== undefined && known.filedIn === this.nodes.get(nodeName!) && !isTerminal(pod)) {
      // Labels are replaced, never edited in place; a new label set or a deletion changes which
      // selectors count the pod (PodTopologySpread's memoized counts), a status write does not.
      const terminating = !!pod.metadata.deletionTimestamp;
      if (known.labels !== pod.metadata.labels || known.terminating !== terminating) known.filedIn.relabel(known, pod.metadata.labels, terminating);
      return 'kept';
    }
    const uid = pod.metadata.uid ?? '';
    const prev = this.podNode.get(uid);
    if (!nodeName || isTerminal(pod)) return prev !== undefined && this.removePod(uid) ? 'dropped' : 'absent';
    if (prev !== undefined && prev !== nodeName) this.removePod(uid);
    let ni = this.nodes.get(nodeName);
    if (!ni) {
      ni = new NodeInfo();
      ni.name = nodeName;
      this.nodes.set(nodeName, ni);
    }
    const pi = newPodInfo(pod);
    keepHidden(pod, INFO_OF, pi);
    const old = ni.pods.get(uid);
    if (old) {
      this.count(old, -1);
    }
    ni.addPod(pi);
    this.count(pi, 1);
    this.podNode.set(uid, nodeName);
    return prev === undefined ? 'added' : 'kept';
  }

  private count(pi: PodInfo, by: number): void {
    if (pi.hasAffinity) this.affinityPods += by;
    if (pi.hasRequiredAntiAffinity) this.requiredAntiAffinityPods += by;
    const prio = pi.pod.spec?.priority ?? 0;
    const n = (this.priorities.get(prio) ?? 0) + by;
    if (n <= 0) this.priorities.delete(prio);
    else this.priorities.set(prio, n);
  }

  /** hasPodsBelow: some bound pod has a priority lower than prio (preemption may find victims). */
  hasPodsBelow(prio: number): boolean {
    for (const p of this.priorities.keys()) if (p < prio) return true;
    return false;
  }

  /** removePod forgets a pod (deleted or finished); returns true if it was in the cache. */
  removePod(uid: string): boolean {
    const nodeName = this.podNode.get(uid);
    if (nodeName === undefined) return false;
    this.podNode.delete(uid);
    const ni = this.nodes.get(nodeName);
    const pi = ni?.removePod(uid);
    if (pi) this.count(pi, -1);
    if (ni && !ni.node && ni.pods.size === 0) this.nodes.delete(nodeName);
    return true;
  }
}
