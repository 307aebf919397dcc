/**
 * index.ts: the Deployment controller (pkg/controller/deployment/deployment_controller.go):
 * watches, adoption of ReplicaSets and syncDeployment, which hands each deployment to sync
 * (paused or scaling), rolloutRecreate or rolloutRolling.
 */
import type { Sim } from '../../sim.ts';
import type { Deployment, Pod, ReplicaSet } from '../../api/types.ts';
import { keyOf } from '../../api/store.ts';
import { compileSelector } from '../../api/selector.ts';
import { controllerRef, newControllerRef } from '../../api/podutil.ts';
import { COMPONENT, checkPausedConditions, getAllReplicaSetsAndSyncRevision, isScalingEvent, sync, syncDeploymentStatus } from './sync.ts';
import { rolloutRolling } from './rolling.ts';
import { rolloutRecreate } from './recreate.ts';
import { PROGRESS_TIMER, progressTimers } from './progress.ts';
import { ensureOwnerIndex, podsOwnedBy } from '../workloadutil.ts';

export { rollbackDeployment, deploymentHistory, restartDeployment, currentReplicaSet, replicaSetsOf } from './rollback.ts';
export type { RevisionEntry, RolloutResult } from './rollback.ts';

export const CONTROLLER = 'deployment';

/** installDeploymentController adds the 'deployment' controller, its watches and its progress timer. */
export function installDeploymentController(sim: Sim): void {
  ensureOwnerIndex(sim);
  sim.addController({ name: CONTROLLER, sync: (key) => syncDeployment(sim, key) });
  sim.store.watch('Deployment', (type, obj) => {
    if (type !== 'DELETED') sim.enqueue(CONTROLLER, keyOf(obj));
  });
  sim.store.watch('ReplicaSet', (type, obj) => {
    const ref = controllerRef(obj);
    if (ref) {
      if (ref.kind === 'Deployment') sim.enqueue(CONTROLLER, `${obj.metadata.namespace}/${ref.name}`);
      return;
    }
    // An orphan: every deployment that could adopt it (getDeploymentsForReplicaSet).
    if (type === 'DELETED') return;
    for (const d of sim.store.list<Deployment>('Deployment', obj.metadata.namespace)) {
      if (compileSelector(d.spec.selector)(obj.metadata.labels)) sim.enqueue(CONTROLLER, keyOf(d));
    }
  });
  // deletePod: a Recreate rollout waits for the last old pod to go.
  sim.store.watch('Pod', (type, obj) => {
    if (type !== 'DELETED') return;
    const ref = controllerRef(obj);
    if (ref?.kind !== 'ReplicaSet') return;
    const rs = sim.store.get<ReplicaSet>('ReplicaSet', obj.metadata.namespace, ref.name);
    const dref = rs && controllerRef(rs);
    if (dref?.kind !== 'Deployment') return;
    const d = sim.store.get<Deployment>('Deployment', obj.metadata.namespace, dref.name);
    if (d?.spec.strategy?.type === 'Recreate') sim.enqueue(CONTROLLER, keyOf(d));
  });
  sim.onTimer(PROGRESS_TIMER, (key) => {
    const timers = progressTimers(sim);
    if (timers[key] === sim.now()) delete timers[key];
    if (sim.store.getByKey('Deployment', key)) sim.enqueue(CONTROLLER, key);
  });
}

/**
 * getReplicaSetsForDeployment is getReplicaSetsForDeployment with ClaimReplicaSets: RSs this
 * deployment controls, adopting orphans its selector matches and releasing ones it no longer matches.
 */
export function getReplicaSetsForDeployment(sim: Sim, d: Deployment): ReplicaSet[] {
  const matches = compileSelector(d.spec.selector);
  const out: ReplicaSet[] = [];
  for (const rs of sim.store.list<ReplicaSet>('ReplicaSet', d.metadata.namespace)) {
    const ref = controllerRef(rs);
    if (ref) {
      if (ref.uid !== d.metadata.uid) continue;
      if (matches(rs.metadata.labels) || d.metadata.deletionTimestamp) out.push(rs);
      else {
        rs.metadata.ownerReferences = rs.metadata.ownerReferences!.filter((r) => r.uid !== d.metadata.uid);
        sim.store.update(rs);
      }
      continue;
    }
    if (d.metadata.deletionTimestamp || rs.metadata.deletionTimestamp || !matches(rs.metadata.labels)) continue;
    rs.metadata.ownerReferences = [...(rs.metadata.ownerReferences ?? []), newControllerRef(d)];
    sim.store.update(rs);
    out.push(rs);
  }
  return out;
}

/** syncDeployment is syncDeployment: one decision for one deployment, then return. */
export function syncDeployment(sim: Sim, key: string): void {
  const d = sim.store.getByKey<Deployment>('Deployment', key);
  if (!d) return;
  d.status ??= {};
  const sel = d.spec.selector;
  if (sel && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0) {
    sim.recordEvent(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.', COMPONENT);
    if ((d.status.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
      d.status.observedGeneration = d.metadata.generation;
      sim.store.update(d);
    }
    return;
  }
  const rsList = getReplicaSetsForDeployment(sim, d);
  if (d.metadata.deletionTimestamp) {
    const got = getAllReplicaSetsAndSyncRevision(sim, d, rsList, false);
    if (got) syncDeploymentStatus(sim, [...got.oldRSs, got.newRS], got.newRS, d);
    return;
  }
  checkPausedConditions(sim, d);
  if (d.spec.paused) return sync(sim, d, rsList);
  if (isScalingEvent(sim, d, rsList)) return sync(sim, d, rsList);
  if (d.spec.strategy?.type === 'Recreate') {
    return rolloutRecreate(sim, d, rsList, (uid) => podsOwnedBy(sim, uid) as Pod[]);
  }
  rolloutRolling(sim, d, rsList);
}

