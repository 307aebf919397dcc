/**
 * rolling.ts: pkg/controller/deployment/rolling.go. One sync either scales the new RS up, or
 * scales old RSs down, or (when complete) cleans up history — then returns.
 *
 * Worked example (10 replicas, 25%/25% → maxSurge 3, maxUnavailable 2): the first sync grows the
 * new RS 0 → 3 (13 pods in all); the next can remove 13 - 8 - 3(new, unavailable) = 2 old pods,
 * 10 → 8; as new pods become available more old pods go, never leaving fewer than 8 available.
 */
import type { Sim } from '../../sim.ts';
import type { Deployment, ReplicaSet } from '../../api/types.ts';
import { scaleReplicaSetAndRecordEvent, type DeploymentIO } from './io.ts';
import {
  byCreationTimestamp,
  deploymentComplete,
  filterActiveReplicaSets,
  getAvailableReplicaCountForReplicaSets,
  getReplicaCountForReplicaSets,
  maxUnavailable,
  newRSNewReplicas,
  rsReplicas,
  specReplicas,
} from './util.ts';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, storeIO } from './sync.ts';
import { syncRolloutStatus } from './progress.ts';

/** rolloutRolling is rolloutRolling: scale up, or scale down, or clean up; then sync the status. */
export function rolloutRolling(sim: Sim, d: Deployment, rsList: ReplicaSet[]): void {
  const got = getAllReplicaSetsAndSyncRevision(sim, d, rsList, true);
  if (!got) return;
  const { newRS, oldRSs } = got;
  const allRSs = [...oldRSs, newRS];
  const io = storeIO(sim);
  if (newRS && reconcileNewReplicaSet(io, allRSs, newRS, d)) return syncRolloutStatus(sim, allRSs, newRS, d);
  if (newRS && reconcileOldReplicaSets(io, allRSs, filterActiveReplicaSets(oldRSs), newRS, d)) {
    return syncRolloutStatus(sim, allRSs, newRS, d);
  }
  if (deploymentComplete(d, d.status ?? {})) cleanupDeployment(sim, oldRSs, d);
  syncRolloutStatus(sim, allRSs, newRS, d);
}

/**
 * reconcileNewReplicaSet is reconcileNewReplicaSet: scale the new RS down to spec.replicas if it is
 * above, else up to NewRSNewReplicas. Returns whether it scaled.
 */
export function reconcileNewReplicaSet(io: DeploymentIO, allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet, d: Deployment): boolean {
  if (rsReplicas(newRS) === specReplicas(d)) return false;
  if (rsReplicas(newRS) > specReplicas(d)) return scaleReplicaSetAndRecordEvent(io, newRS, specReplicas(d), d);
  return scaleReplicaSetAndRecordEvent(io, newRS, newRSNewReplicas(d, allRSs, newRS), d);
}

/**
 * reconcileOldReplicaSets is reconcileOldReplicaSets. The budget is
 * maxScaledDown = allPods - minAvailable - newRSUnavailable: with 10 replicas, maxUnavailable 2,
 * 13 pods and 3 new ones not yet available, 13 - 8 - 3 = 2 old pods may go. Unhealthy old pods go
 * first (they do not reduce availability), then healthy ones while availability allows.
 */
export function reconcileOldReplicaSets(
  io: DeploymentIO,
  allRSs: (ReplicaSet | undefined)[],
  oldRSs: ReplicaSet[],
  newRS: ReplicaSet,
  d: Deployment,
): boolean {
  const oldPodsCount = getReplicaCountForReplicaSets(oldRSs);
  if (oldPodsCount === 0) return false;
  const allPodsCount = getReplicaCountForReplicaSets(allRSs);
  const minAvail = specReplicas(d) - maxUnavailable(d);
  const newRSUnavailablePodCount = rsReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPodsCount - minAvail - newRSUnavailablePodCount;
  if (maxScaledDown <= 0) return false;
  // Clean up unhealthy replicas first, otherwise they block the rollout until it times out (kubernetes#16737).
  const cleanupCount = cleanupUnhealthyReplicas(io, oldRSs, d, maxScaledDown);
  const scaledDownCount = scaleDownOldReplicaSetsForRollingUpdate(io, [...oldRSs, newRS], oldRSs, d);
  return cleanupCount + scaledDownCount > 0;
}

/**
 * cleanupUnhealthyReplicas is cleanupUnhealthyReplicas: oldest RS first, remove up to
 * maxCleanupCount pods that are not available (spec - available). The ReplicaSet controller then
 * deletes not-ready pods before ready ones. Returns how many replicas it removed.
 */
export function cleanupUnhealthyReplicas(io: DeploymentIO, oldRSs: ReplicaSet[], d: Deployment, maxCleanupCount: number): number {
  oldRSs.sort(byCreationTimestamp);
  let total = 0;
  for (const rs of oldRSs) {
    if (total >= maxCleanupCount) break;
    const replicas = rsReplicas(rs);
    const available = rs.status?.availableReplicas ?? 0;
    if (replicas === 0 || replicas === available) continue;
    const count = Math.min(maxCleanupCount - total, replicas - available);
    const newCount = replicas - count;
    if (newCount > replicas) break; // upstream returns an error for an invalid scale-down
    scaleReplicaSetAndRecordEvent(io, rs, newCount, d);
    total += count;
  }
  return total;
}

/**
 * scaleDownOldReplicaSetsForRollingUpdate is scaleDownOldReplicaSetsForRollingUpdate: remove
 * available - minAvailable old replicas, oldest RS first. 10 available, minAvailable 8 → 2.
 */
export function scaleDownOldReplicaSetsForRollingUpdate(
  io: DeploymentIO,
  allRSs: (ReplicaSet | undefined)[],
  oldRSs: ReplicaSet[],
  d: Deployment,
): number {
  const minAvail = specReplicas(d) - maxUnavailable(d);
  const availablePodCount = getAvailableReplicaCountForReplicaSets(allRSs);
  if (availablePodCount <= minAvail) return 0;
  oldRSs.sort(byCreationTimestamp);
  let total = 0;
  const totalScaleDownCount = availablePodCount - minAvail;
  for (const rs of oldRSs) {
    if (total >= totalScaleDownCount) break;
    if (rsReplicas(rs) === 0) continue;
    const count = Math.min(rsReplicas(rs), totalScaleDownCount - total);
    scaleReplicaSetAndRecordEvent(io, rs, rsReplicas(rs) - count, d);
    total += count;
  }
  return total;
}
