/**
 * replicaset.ts: the ReplicaSet controller (pkg/controller/replicaset/replica_set.go), the
 * replication manager for ReplicationControllers (pkg/controller/replication: the same controller,
 * installed with the RC's kind, selector and names). The pods a scale-down deletes are ranked in
 * podranking.ts, and the status is written by replicasetstatus.ts.
 *
 * Speed: a 10,000-pod RS sees 10,000 "pod became ready" changes at different instants. Recounting
 * every pod on each would be 10^8 steps, so the controller keeps per-RS counts updated by the pod
 * watch (a derived cache, rebuilt after a snapshot restore) and touches the pod list only to
 * delete surplus pods or, with minReadySeconds, to count available ones.
 */
import type { Sim } from '../sim.ts';
import type { OwnerReference, Pod, ReplicaSet } from '../api/types.ts';
import { keyOf } from '../api/store.ts';
import { hidden, keepHidden } from '../memo.ts';
import { compileMapSelector, compileSelector, type LabelPredicate } from '../api/selector.ts';
import { controllerRef, isPodActive, isPodReady, newControllerRef } from '../api/podutil.ts';
import { preparePodForCreate } from '../api/strategy.ts';
import { clearReplicaFailure, createControllerPod } from '../admission/controllerpods.ts';
import { ensureOwnerIndex, podsOwnedBy } from './workloadutil.ts';
import { podsToDeleteRanked } from './podranking.ts';
import { writeStatus } from './replicasetstatus.ts';

/** BURST_REPLICAS is burstReplicas: at most 500 pods created or deleted per sync. */
export const BURST_REPLICAS = 500;

interface PodInfo {
  ownerUid: string;
  node: string;
  ownerKey: string;
  /** ownerName: the controller ref's name (ownerKey without the namespace). */
  ownerName: string;
  active: boolean;
  ready: boolean;
  labeled: boolean;
  terminating: boolean;
  /** holding: the store's token for the pod object this info was last kept on (see remember) */
  holding?: object;
}

export interface Counts {
  /** labelsKey: the selector and template labels the counts were made with (a change means recount). */
  labelsKey: string;
  active: number;
  ready: number;
  labeled: number;
  terminating: number;
  /** byNode: active pods per node name ("" = unassigned), for the doubled-up rank of getPodsToDelete. */
  byNode: Map<string, number>;
  /** activePods: the RS's active pods by uid, so a scale-down ranks them without listing and filtering. */
  activePods: Map<string, Pod>;
}

export interface RsState {
  /** availableAt: when an RS's next "ready pod becomes available" timer fires, by RS key. */
  availableAt: Record<string, number>;
  /** orphanScan: RS keys that must look for orphan pods to adopt on their next sync. */
  orphanScan: Record<string, true>;
}

/**
 * Flavor is what tells the two controllers upstream makes from one (NewBaseController) apart: the
 * kind they own, their work queue (and module state), their events' source, their availability
 * timer, and how an owner's selector is read.
 */
export interface Flavor {
  kind: 'ReplicaSet' | 'ReplicationController';
  controller: string;
  component: string;
  timer: string;
  selector: (owner: ReplicaSet) => LabelPredicate;
  /**
   * podInfo names the info the controller keeps on its pods: one symbol per flavor, shared by every
   * cluster for the reason the store's slot has one (api/store.ts, SLOT). The store's holding token
   * tells one cluster's info from another's.
   */
  podInfo: symbol;
}

export const REPLICA_SET: Flavor = {
  kind: 'ReplicaSet',
  controller: 'replicaset',
  component: 'replicaset-controller',
  timer: 'replicaset/available',
  selector: (rs) => compileSelector(rs.spec.selector),
  podInfo: Symbol('replicaset.podInfo'),
};

/** REPLICATION_CONTROLLER: the replication manager (queue "replicationmanager", events from "replication-controller"); its selector is a label map. */
export const REPLICATION_CONTROLLER: Flavor = {
  kind: 'ReplicationController',
  controller: 'replicationmanager',
  component: 'replication-controller',
  timer: 'replicationmanager/available',
  selector: (rc) => compileMapSelector(rc.spec.selector as unknown as Record<string, string>),
  podInfo: Symbol('replicationmanager.podInfo'),
};

/**
 * installReplicaSetController adds the controller of one flavor (the ReplicaSet controller by default):
 * its work queue, its pod and owner watches and its availability timer.
 */
export function installReplicaSetController(sim: Sim, flavor: Flavor = REPLICA_SET): void {
  ensureOwnerIndex(sim);
  const { kind, controller } = flavor;
  const state = () => sim.moduleState<RsState>(controller, () => ({ availableAt: {}, orphanScan: {} }), ['availableAt', 'orphanScan']);
  // Derived caches; dropped whenever the module state object changes identity (a restore).
  let stateRef: RsState | undefined;
  const infos = new Map<string, PodInfo>();
  const counts = new Map<string, Counts>();
  const selectors = new Map<string, { generation: number; matches: LabelPredicate; template: Record<string, string>; labelsKey: string }>();
  /** byUid: the controller's owners by uid, kept by their watch (a pod's owner is found without building its key). */
  const byUid = new Map<string, ReplicaSet>();
  const fresh = (): RsState => {
    const st = state();
    if (st !== stateRef) {
      stateRef = st;
      infos.clear();
      counts.clear();
      selectors.clear();
      byUid.clear();
      for (const rs of sim.store.list<ReplicaSet>(kind)) byUid.set(rs.metadata.uid!, rs);
    }
    return st;
  };
  /**
   * The pod's info is kept on the pod too (a symbol of this flavor's, not enumerable), with the
   * store's holding token: while the store holds that very object, the info on it is the latest,
   * and a write needs no lookup by uid in a table of ~10,000.
   */
  const INFO = flavor.podInfo;
  const remember = (pod: Pod, key: string, info: PodInfo): void => {
    infos.set(key, info);
    keep(pod, info);
  };
  const keep = (pod: Pod, info: PodInfo | undefined): void => {
    if (info) info.holding = sim.store.holding(pod);
    keepHidden(pod, INFO, info);
  };
  /** kept is the info kept on the pod while the store still holds that very object, else undefined. */
  const kept = (pod: Pod): PodInfo | undefined => {
    const info = hidden<PodInfo>(pod, INFO);
    return info !== undefined && info.holding !== undefined && info.holding === sim.store.holding(pod) ? info : undefined;
  };
  /** ownerOf is the owner a controller ref names: by uid, in the pod's namespace and under that name. */
  const ownerOf = (pod: Pod, ref: OwnerReference): ReplicaSet | undefined => {
    const rs = byUid.get(ref.uid);
    return rs && rs.metadata.name === ref.name && rs.metadata.namespace === pod.metadata.namespace ? rs : undefined;
  };
  const compiled = (rs: ReplicaSet) => {
    let c = selectors.get(rs.metadata.uid!);
    if (!c || c.generation !== (rs.metadata.generation ?? 0)) {
      const template = rs.spec.template?.metadata?.labels ?? {};
      c = {
        generation: rs.metadata.generation ?? 0,
        matches: flavor.selector(rs),
        template,
        labelsKey: JSON.stringify([rs.spec.selector, template]),
      };
      selectors.set(rs.metadata.uid!, c);
    }
    return c;
  };
  const infoOf = (pod: Pod): PodInfo | undefined => {
    const ref = controllerRef(pod);
    if (!ref || ref.kind !== kind) return undefined;
    return infoWith(pod, ref, sim.store.get<ReplicaSet>(kind, pod.metadata.namespace, ref.name), undefined);
  };
  /**
   * infoWith is infoOf for a controller ref and its (looked-up) RS. prev's ownerKey string is reused
   * when the owner is the same: the watch sees ~100,000 pod writes in a 10,000-pod rollout, and a
   * fresh "ns/name" would be built and hashed again for each enqueue.
   */
  const infoWith = (pod: Pod, ref: OwnerReference, rs: ReplicaSet | undefined, prev: PodInfo | undefined): PodInfo => {
    const active = isPodActive(pod);
    let labeled = false;
    if (rs && rs.metadata.uid === ref.uid) labeled = labelsInclude(pod.metadata.labels, compiled(rs).template);
    const node = pod.spec?.nodeName ?? '';
    const ready = active && isPodReady(pod);
    const terminating = !!pod.metadata.deletionTimestamp;
    labeled &&= active;
    const sameOwner = !!prev && prev.ownerUid === ref.uid && prev.ownerName === ref.name;
    // Most writes (status updates) change nothing counted: prev itself says so, without a new object.
    if (sameOwner && prev.node === node && prev.active === active && prev.ready === ready && prev.labeled === labeled && prev.terminating === terminating) return prev;
    return { ownerUid: ref.uid, node, ownerKey: sameOwner ? prev.ownerKey : `${pod.metadata.namespace}/${ref.name}`, ownerName: ref.name, active, ready, labeled, terminating };
  };
  /** apply counts i in c (sign 1) or out of it (-1); sameNode: it goes out and back in on the same node (byNode is left as it is). */
  const apply = (c: Counts, i: PodInfo, sign: 1 | -1, key: string, pod: Pod, sameNode = false) => {
    if (i.active) {
      c.active += sign;
      if (!sameNode) c.byNode.set(i.node, (c.byNode.get(i.node) ?? 0) + sign);
      if (sign > 0) c.activePods.set(key, pod);
      else c.activePods.delete(key);
    }
    if (i.ready) c.ready += sign;
    if (i.labeled) c.labeled += sign;
    if (i.terminating) c.terminating += sign;
  };
  const countsOf = (rs: ReplicaSet): Counts => {
    let c = counts.get(rs.metadata.uid!);
    const sel = compiled(rs);
    if (c && c.labelsKey === sel.labelsKey) return c;
    // Full recount from the owner index: O(pods of this RS), only when labels or selector change
    // (scaling changes spec.replicas, and with it the generation, on every rollout step).
    c = { labelsKey: sel.labelsKey, active: 0, ready: 0, labeled: 0, terminating: 0, byNode: new Map(), activePods: new Map() };
    const matches = sel.matches;
    for (const pod of podsOwnedBy(sim, rs.metadata.uid!)) {
      if (!rs.metadata.deletionTimestamp && !matches(pod.metadata.labels)) {
        // ClaimPods releases a pod whose labels no longer match the selector.
        pod.metadata.ownerReferences = pod.metadata.ownerReferences!.filter((r) => r.uid !== rs.metadata.uid);
        sim.store.update(pod);
        continue;
      }
      const i = infoOf(pod);
      if (!i) continue;
      const key = pod.metadata.uid!;
      remember(pod, key, i);
      apply(c, i, 1, key, pod);
    }
    counts.set(rs.metadata.uid!, c);
    return c;
  };

  sim.addController({ name: controller, sync: (key) => syncReplicaSet(key) });
  sim.store.watch(kind, (type, obj) => {
    const st = fresh();
    if (type === 'DELETED') {
      counts.delete(obj.metadata.uid!);
      selectors.delete(obj.metadata.uid!);
      if (byUid.get(obj.metadata.uid!) === obj) byUid.delete(obj.metadata.uid!);
      delete st.orphanScan[keyOf(obj)];
      return;
    }
    byUid.set(obj.metadata.uid!, obj as ReplicaSet);
    if (type === 'ADDED') st.orphanScan[keyOf(obj)] = true;
    sim.enqueue(controller, keyOf(obj));
  });
  sim.store.watch('Pod', (type, obj) => {
    const st = fresh();
    const pod = obj as Pod;
    // Pods are tracked by uid: the same string object on every write, so its hash is computed
    // once (a "namespace/name" key would be built and hashed again for each of ~100,000 writes).
    const key = pod.metadata.uid!;
    const onPod = kept(pod);
    const prev = onPod ?? infos.get(key);
    // One RS lookup serves both infoOf and the selector check below (nothing changes the store between).
    const ref = type === 'DELETED' ? undefined : controllerRef(pod);
    const rs = ref && ref.kind === kind ? ownerOf(pod, ref) : undefined;
    const next = ref && ref.kind === kind ? infoWith(pod, ref, rs, prev) : undefined;
    if (next && next === prev) {
      // Nothing counted changed (the pod object may be new). Its place in activePods does not matter:
      // the ranking that reads them does not depend on their order. An info kept on this very object
      // (onPod) was kept when activePods got the object (apply, countsOf, or here): nothing to refresh.
      const c = onPod === undefined && next.active ? counts.get(next.ownerUid) : undefined;
      if (c) c.activePods.set(key, pod);
    }
    // A change that leaves the pod active on the same node of the same owner (it became ready, say)
    // moves nothing in the per-node counts: two table writes fewer per change.
    const sameNode = !!prev && !!next && next !== prev && prev.ownerUid === next.ownerUid && prev.active && next.active && prev.node === next.node;
    if (prev && next !== prev) {
      const c = counts.get(prev.ownerUid);
      if (c) apply(c, prev, -1, key, pod, sameNode);
    }
    // The key's entry is replaced in place (a delete and set would churn a 10,000-entry map on every pod write).
    if (prev && !next) {
      infos.delete(key);
      keep(pod, undefined);
    }
    if (next && next !== prev) {
      remember(pod, key, next);
      const c = counts.get(next.ownerUid);
      if (c) apply(c, next, 1, key, pod, sameNode);
    } else if (next && onPod === undefined) keep(pod, next);
    if (next) {
      // A label change that the selector no longer matches: recount (and release) on the next sync.
      if (rs && rs.metadata.uid === next.ownerUid && !compiled(rs).matches(pod.metadata.labels)) counts.delete(next.ownerUid);
      sim.enqueue(controller, next.ownerKey);
    }
    if (prev && prev.ownerKey !== next?.ownerKey) sim.enqueue(controller, prev.ownerKey);
    if (!next && type !== 'DELETED' && !controllerRef(pod) && !pod.metadata.deletionTimestamp) {
      // An orphan: any RS whose selector matches may adopt it.
      for (const rs of sim.store.list<ReplicaSet>(kind, pod.metadata.namespace)) {
        if (rs.metadata.deletionTimestamp || !compiled(rs).matches(pod.metadata.labels)) continue;
        st.orphanScan[keyOf(rs)] = true;
        sim.enqueue(controller, keyOf(rs));
      }
    }
  });
  sim.onTimer(flavor.timer, (key) => {
    const st = fresh();
    if (st.availableAt[key] === sim.now()) delete st.availableAt[key];
    if (sim.store.getByKey(kind, key)) sim.enqueue(controller, key);
  });

  /** adoptOrphans is the adoption half of claimPods: orphans the selector matches get this RS as controller. */
  const adoptOrphans = (rs: ReplicaSet) => {
    if (rs.metadata.deletionTimestamp) return;
    const matches = compiled(rs).matches;
    for (const pod of sim.store.list<Pod>('Pod', rs.metadata.namespace)) {
      if (pod.metadata.deletionTimestamp || controllerRef(pod) || !matches(pod.metadata.labels)) continue;
      pod.metadata.ownerReferences = [...(pod.metadata.ownerReferences ?? []), newControllerRef(rs)];
      sim.store.update(pod);
    }
  };

  /**
   * relatedRank is getPodsRankedByRelatedPodsOnSameNode's rank without listing pods: the active
   * pods on a node summed over every RS with the same controller, from the per-node counts.
   */
  const relatedRank = (rs: ReplicaSet): ((node: string) => number) => {
    const ref = controllerRef(rs);
    const related = ref
      ? sim.store.list<ReplicaSet>(kind, rs.metadata.namespace).filter((o) => controllerRef(o)?.uid === ref.uid)
      : [rs];
    const maps = related.map((o) => countsOf(o).byNode);
    const memo = new Map<string, number>();
    return (node) => {
      let r = memo.get(node);
      if (r === undefined) {
        r = 0;
        for (const m of maps) r += m.get(node) ?? 0;
        memo.set(node, r);
      }
      return r;
    };
  };

  /** syncReplicaSet is syncReplicaSet: claim pods, create or delete toward spec.replicas, write status. */
  const syncReplicaSet = (key: string) => {
    const st = fresh();
    const rs = sim.store.getByKey<ReplicaSet>(kind, key);
    if (!rs) return;
    if (st.orphanScan[key]) {
      delete st.orphanScan[key];
      adoptOrphans(rs);
    }
    const c = countsOf(rs);
    // Status reflects the pods as listed at the start of the sync, as upstream's filteredPods.
    const seen = { ...c };
    const refused = !rs.metadata.deletionTimestamp && !manageReplicas(sim, flavor, rs, seen.active, () => [...c.activePods.values()], () => relatedRank(rs));
    // calculateStatus: a sync whose manageReplicas succeeded (scaling down, nothing to do) drops ReplicaFailure.
    if (!refused) clearReplicaFailure(sim, rs);
    writeStatus(sim, flavor, st, rs, seen);
  };
}

function labelsInclude(labels: Record<string, string> | undefined, want: Record<string, string>): boolean {
  for (const k in want) if (labels?.[k] !== want[k]) return false;
  return true;
}

/**
 * manageReplicas is manageReplicas: diff = active pods - spec.replicas; create or delete up to
 * burstReplicas (500) this sync; the pod watch brings the RS back for the rest. false when admission
 * refused a pod (manageReplicas' error).
 */
function manageReplicas(
  sim: Sim,
  flavor: Flavor,
  rs: ReplicaSet,
  active: number,
  activePodsOf: () => Pod[],
  rankOf: () => (node: string) => number,
): boolean {
  const diff = active - (rs.spec.replicas ?? 1);
  if (diff < 0) {
    const n = Math.min(-diff, BURST_REPLICAS);
    for (let i = 0; i < n; i++) {
      // Admission (LimitRanger, ResourceQuota) as the API server would; a refusal is FailedCreate (admission/controllerpods.ts).
      const pod = createControllerPod(sim, podFromTemplate(rs), rs, flavor.component, flavor.controller);
      if (!pod) return false;
      sim.recordEvent(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, flavor.component);
    }
  } else if (diff > 0) {
    const n = Math.min(diff, BURST_REPLICAS);
    const activePods = activePodsOf();
    const victims = podsToDeleteRanked(activePods, rankOf(), n, sim.now());
    for (const pod of victims) {
      deletePod(sim, pod);
      sim.recordEvent(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, flavor.component);
    }
  }
  return true;
}

interface ApiLike {
  delete(kind: string, ns: string | undefined, name: string, opts?: { gracePeriodSeconds?: number }): unknown;
}

/** deletePod deletes gracefully through the API server, or removes from the store when there is none. */
function deletePod(sim: Sim, pod: Pod): void {
  const api = sim.services.get('api') as ApiLike | undefined;
  if (api && typeof api.delete === 'function') {
    try {
      api.delete('Pod', pod.metadata.namespace, pod.metadata.name);
    } catch {
      /* already gone */
    }
  } else sim.store.remove('Pod', pod.metadata.namespace, pod.metadata.name);
}

/** podFromTemplate is GetPodFromTemplate: `<rs>-<5 chars>`, the template's labels and spec, owned by the RS. */
export function podFromTemplate(rs: ReplicaSet): Pod {
  const t = rs.spec.template;
  const meta = t.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: '',
      generateName: `${rs.metadata.name}-`,
      namespace: rs.metadata.namespace,
      labels: { ...(meta.labels ?? {}) },
      ownerReferences: [newControllerRef(rs)],
    },
    spec: deepCopy(t.spec),
    status: { phase: 'Pending' },
  };
  if (meta.annotations) pod.metadata.annotations = { ...meta.annotations };
  if (meta.finalizers) pod.metadata.finalizers = [...(meta.finalizers as string[])];
  // The controller creates pods through the API server upstream, so they get its admission:
  // service account, priority, and the two 300 s NoExecute tolerations that delay eviction.
  preparePodForCreate(pod);
  return pod;
}

function deepCopy<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(deepCopy) as T;
  const out: Record<string, unknown> = {};
  for (const k in v) out[k] = deepCopy((v as Record<string, unknown>)[k]);
  return out as T;
}
