/**
 * disruption.ts: the disruption controller (pkg/controller/disruption/disruption.go), controller
 * `disruption`, and the pods/eviction subresource (pkg/registry/core/pod/storage/eviction.go),
 * service `eviction`.
 *
 * PodDisruptionBudget status: expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed =
 * max(0, currentHealthy − desiredHealthy), the DisruptionAllowed condition, and disruptedPods (pods
 * an eviction was granted for, not yet deleted; they stop counting as healthy, for at most 2 min).
 */
import type { Sim } from '../sim.ts';
import type { Condition, KubeObject, LabelSelector, Pod } from '../api/types.ts';
import { keyOf } from '../api/store.ts';
import { compileSelector } from '../api/selector.ts';
import { scaledValue } from '../api/quantity.ts';
import { ApiError, notFound } from '../api/errors.ts';
import { controllerRef, isPodReady, setCondition } from '../api/podutil.ts';
import { isoTime, parseIsoTime } from '../clock.ts';
import { deleteObject } from './workloadutil.ts';

export const DISRUPTION_CONTROLLER = 'disruption';
export const DISRUPTION_TIMER = 'disruption/expire';
/** DELETION_TIMEOUT_MS is DeletionTimeout: a disruptedPods entry older than 2 minutes is dropped. */
export const DELETION_TIMEOUT_MS = 2 * 60_000;
export const EVICTION_VIOLATION_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";

export interface PodDisruptionBudget extends KubeObject {
  kind: 'PodDisruptionBudget';
  spec: {
    minAvailable?: number | string;
    maxUnavailable?: number | string;
    selector?: LabelSelector;
    unhealthyPodEvictionPolicy?: 'IfHealthyBudget' | 'AlwaysAllow';
  };
  status: {
    observedGeneration?: number;
    disruptedPods?: Record<string, string>;
    disruptionsAllowed: number;
    currentHealthy: number;
    desiredHealthy: number;
    expectedPods: number;
    conditions?: Condition[];
  };
}

/** scaleOf returns the replicas of a pod's controller (getExpectedScale's finders: RS→Deployment, StatefulSet, RC). */
function expectedScale(sim: Sim, pods: Pod[]): number | { error: string } {
  const seen = new Map<string, number>();
  for (const p of pods) {
    const ref = controllerRef(p);
    if (!ref) return { error: `found no controllers for pod "${p.metadata.name}"` };
    if (seen.has(ref.uid)) continue;
    let owner = sim.store.get(ref.kind, p.metadata.namespace, ref.name);
    if (!owner || owner.metadata.uid !== ref.uid) return { error: `found no controllers for pod "${p.metadata.name}"` };
    if (owner.kind === 'ReplicaSet') {
      const dref = controllerRef(owner);
      const d = dref?.kind === 'Deployment' ? sim.store.get('Deployment', p.metadata.namespace, dref.name) : undefined;
      if (d && d.metadata.uid === dref!.uid) owner = d;
    }
    if (!['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'].includes(owner.kind)) {
      return { error: `found no controllers for pod "${p.metadata.name}"` };
    }
    if (seen.has(owner.metadata.uid!)) {
      seen.set(ref.uid, 0);
      continue;
    }
    seen.set(ref.uid, 0);
    seen.set(owner.metadata.uid!, owner.spec?.replicas ?? 1);
  }
  let total = 0;
  for (const v of seen.values()) total += v;
  return total;
}

/** pdbPods lists the pods a PDB selects in its namespace (an empty selector selects all in policy/v1). */
function pdbPods(sim: Sim, pdb: PodDisruptionBudget): Pod[] {
  const matches = compileSelector(pdb.spec?.selector ?? {});
  return sim.store.list<Pod>('Pod', pdb.metadata.namespace).filter((p) => matches(p.metadata.labels));
}

/**
 * computeDesired is getExpectedPodCount: an integer minAvailable counts the selected pods; a
 * percent minAvailable or any maxUnavailable scales against the controllers' replicas (rounded up).
 */
export function computeDesired(
  spec: PodDisruptionBudget['spec'],
  podCount: number,
  scale: () => number | { error: string },
): { expected: number; desired: number } | { error: string } {
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    const s = scale();
    if (typeof s !== 'number') return s;
    const mu = scaledValue(spec.maxUnavailable, s, true) ?? 0;
    return { expected: s, desired: Math.max(0, s - mu) };
  }
  if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (typeof spec.minAvailable === 'number' || /^\d+$/.test(spec.minAvailable)) {
      return { expected: podCount, desired: Number(spec.minAvailable) };
    }
    const s = scale();
    if (typeof s !== 'number') return s;
    return { expected: s, desired: scaledValue(spec.minAvailable, s, true) ?? 0 };
  }
  return { expected: podCount, desired: 0 };
}

/** installDisruptionController adds the `disruption` controller and registers the `eviction` service. */
export function installDisruptionController(sim: Sim): EvictionService {
  sim.addController({ name: DISRUPTION_CONTROLLER, sync: (key) => syncPdb(sim, key) });
  // Compiled selectors by PDB uid and generation (derived data: a restore just recompiles).
  const selectors = new Map<string, { generation: number; matches: (l: Record<string, string> | undefined) => boolean }>();
  sim.store.watch('PodDisruptionBudget', (type, obj) => {
    if (type !== 'DELETED') sim.enqueue(DISRUPTION_CONTROLLER, keyOf(obj));
    else selectors.delete(obj.metadata.uid!);
  });
  const selectorOf = (pdb: PodDisruptionBudget) => {
    let c = selectors.get(pdb.metadata.uid!);
    if (!c || c.generation !== (pdb.metadata.generation ?? 0)) {
      c = { generation: pdb.metadata.generation ?? 0, matches: compileSelector(pdb.spec?.selector ?? {}) };
      selectors.set(pdb.metadata.uid!, c);
    }
    return c.matches;
  };
  sim.store.watch('Pod', (_type, obj) => {
    if (sim.store.count('PodDisruptionBudget') === 0) return;
    for (const pdb of sim.store.list<PodDisruptionBudget>('PodDisruptionBudget', obj.metadata.namespace)) {
      if (selectorOf(pdb)(obj.metadata.labels)) sim.enqueue(DISRUPTION_CONTROLLER, keyOf(pdb));
    }
  });
  const requeue = (kind: string) =>
    sim.store.watch(kind, (_t, obj) => {
      for (const pdb of sim.store.list<PodDisruptionBudget>('PodDisruptionBudget', obj.metadata.namespace)) sim.enqueue(DISRUPTION_CONTROLLER, keyOf(pdb));
    });
  requeue('Deployment');
  requeue('StatefulSet');
  sim.onTimer(DISRUPTION_TIMER, (key) => {
    if (sim.store.getByKey('PodDisruptionBudget', key)) sim.enqueue(DISRUPTION_CONTROLLER, key);
  });
  const svc = new EvictionService(sim);
  sim.services.set('eviction', svc);
  return svc;
}

function syncPdb(sim: Sim, key: string): void {
  const pdb = sim.store.getByKey<PodDisruptionBudget>('PodDisruptionBudget', key);
  if (!pdb) return;
  const pods = pdbPods(sim, pdb);
  const old = JSON.stringify(pdb.status ?? {});
  const status = (pdb.status ??= { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
  const now = sim.now();
  // buildDisruptedPodMap: drop entries for pods gone, being deleted, or older than DeletionTimeout.
  const disrupted: Record<string, string> = {};
  let nextExpiry = Infinity;
  for (const [name, ts] of Object.entries(status.disruptedPods ?? {})) {
    const p = pods.find((x) => x.metadata.name === name);
    if (!p || p.metadata.deletionTimestamp) continue;
    const exp = parseIsoTime(ts) + DELETION_TIMEOUT_MS;
    if (exp <= now) continue;
    disrupted[name] = ts;
    nextExpiry = Math.min(nextExpiry, exp);
  }
  if (nextExpiry !== Infinity) sim.at(nextExpiry, DISRUPTION_TIMER, key);
  const d = computeDesired(pdb.spec ?? {}, pods.length, () => expectedScale(sim, pods));
  const conds = (status.conditions ??= []);
  if ('error' in d) {
    sim.recordEvent(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${d.error}`, 'controllermanager');
    status.disruptionsAllowed = 0;
    setCondition(conds, { type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: d.error }, sim.nowIso());
  } else {
    // countHealthyPods: Ready, not being deleted, not already granted an eviction.
    let healthy = 0;
    for (const p of pods) if (!p.metadata.deletionTimestamp && !disrupted[p.metadata.name] && isPodReady(p)) healthy++;
    status.currentHealthy = healthy;
    status.desiredHealthy = d.desired;
    status.expectedPods = d.expected;
    status.disruptionsAllowed = d.expected > 0 ? Math.max(0, healthy - d.desired) : 0;
    const ok = status.disruptionsAllowed > 0;
    setCondition(conds, ok ? { type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '' } : { type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '' }, sim.nowIso());
  }
  status.disruptedPods = Object.keys(disrupted).length ? disrupted : undefined;
  if (!status.disruptedPods) delete status.disruptedPods;
  status.observedGeneration = pdb.metadata.generation;
  if (JSON.stringify(status) !== old) sim.store.update(pdb);
}

export interface EvictOptions {
  /** dryRun checks without deleting (kubectl drain --dry-run=server). */
  dryRun?: boolean;
  gracePeriodSeconds?: number;
}

/**
 * EvictionService is the pods/eviction subresource: `evict(ns, name, opts)` deletes the pod if every
 * PDB covering it allows a disruption, else throws 429 TooManyRequests with upstream's message.
 */
export class EvictionService {
  constructor(private readonly sim: Sim) {}

  evict(namespace: string | undefined, name: string, opts: EvictOptions = {}): Pod {
    const sim = this.sim;
    const ns = namespace || 'default';
    const pod = sim.store.get<Pod>('Pod', ns, name);
    if (!pod) throw notFound('pods', name);
    const finish = (): Pod => {
      if (opts.dryRun) return pod;
      // Eviction adds the DisruptionTarget condition before deleting (PodDisruptionConditions).
      const conds = (pod.status.conditions ??= []);
      if (setCondition(conds, { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', lastProbeTime: null }, sim.nowIso())) sim.store.update(pod);
      const api = sim.services.get('api') as { delete?: (k: string, n: string, nm: string, o?: object) => unknown } | undefined;
      if (api?.delete) api.delete('Pod', ns, name, opts.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {});
      else deleteObject(sim, pod);
      return pod;
    };
    // Terminal or already-terminating pods are deleted without consulting budgets.
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed' || pod.metadata.deletionTimestamp) return finish();
    const pdbs = sim.store.list<PodDisruptionBudget>('PodDisruptionBudget', ns).filter((b) => compileSelector(b.spec?.selector ?? {})(pod.metadata.labels));
    if (pdbs.length === 0) return finish();
    if (pdbs.length > 1) throw new ApiError('InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    const pdb = pdbs[0];
    const st = pdb.status;
    // An unready pod may go when the budget is already met (IfHealthyBudget) or always (AlwaysAllow).
    if (!isPodReady(pod)) {
      if (pdb.spec.unhealthyPodEvictionPolicy === 'AlwaysAllow') return finish();
      if (st && st.observedGeneration === pdb.metadata.generation && st.currentHealthy >= st.desiredHealthy && st.desiredHealthy > 0) return finish();
    }
    if (!st || (st.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) {
      throw new ApiError('TooManyRequests', EVICTION_VIOLATION_MESSAGE, [{ field: '', type: 'DisruptionBudget', detail: `The disruption budget ${pdb.metadata.name} is still being processed by the server.` }]);
    }
    if (st.disruptionsAllowed <= 0) {
      throw new ApiError('TooManyRequests', EVICTION_VIOLATION_MESSAGE, [
        { field: '', type: 'DisruptionBudget', detail: `The disruption budget ${pdb.metadata.name} needs ${st.desiredHealthy} healthy pods and has ${st.currentHealthy} currently` },
      ]);
    }
    if (opts.dryRun) return pod;
    st.disruptionsAllowed--;
    st.disruptedPods = { ...(st.disruptedPods ?? {}), [pod.metadata.name]: isoTime(sim.now()) };
    sim.store.update(pdb);
    return finish();
  }
}
