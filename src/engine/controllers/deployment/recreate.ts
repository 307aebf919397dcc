/**
 * recreate.ts: pkg/controller/deployment/recreate.go — scale every old RS to 0, wait until no old
 * pod is left running (terminating pods count), then create and scale up the new RS.
 */
import type { Sim } from '../../sim.ts';
import type { Deployment, Pod, ReplicaSet } from './types.ts';
import { scaleReplicaSetAndRecordEvent } from './io.ts';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, storeIO } from './sync.ts';
import { syncRolloutStatus } from './progress.ts';
import { deploymentComplete, filterActiveReplicaSets, getActualReplicaCountForReplicaSets, rsReplicas, specReplicas } from './util.ts';

/** rolloutRecreate is rolloutRecreate. podsOf returns the pods a ReplicaSet controls (by uid). */
export function rolloutRecreate(sim: Sim, d: Deployment, rsList: ReplicaSet[], podsOf: (rsUid: string) => Pod[]): void {
  let got = getAllReplicaSetsAndSyncRevision(sim, d, rsList, false);
  if (!got) return;
  const io = storeIO(sim);
  let allRSs = [...got.oldRSs, got.newRS];
  // Scale down old replica sets.
  let scaledDown = false;
  for (const rs of filterActiveReplicaSets(got.oldRSs)) {
    if (rsReplicas(rs) === 0) continue;
    if (scaleReplicaSetAndRecordEvent(io, rs, 0, d)) scaledDown = true;
  }
  if (scaledDown) return syncRolloutStatus(sim, allRSs, got.newRS, d);
  // Do not process a deployment when it has old pods running.
  if (oldPodsRunning(got.newRS, got.oldRSs, podsOf)) return syncRolloutStatus(sim, allRSs, got.newRS, d);
  if (!got.newRS) {
    got = getAllReplicaSetsAndSyncRevision(sim, d, rsList, true);
    if (!got) return;
    allRSs = [...got.oldRSs, got.newRS];
  }
  if (got.newRS && rsReplicas(got.newRS) !== specReplicas(d)) scaleReplicaSetAndRecordEvent(io, got.newRS, specReplicas(d), d);
  if (deploymentComplete(d, d.status ?? {})) cleanupDeployment(sim, got.oldRSs, d);
  syncRolloutStatus(sim, allRSs, got.newRS, d);
}

/**
 * oldPodsRunning is oldPodsRunning: an old RS still reports replicas, or any pod of an old RS is
 * not Succeeded/Failed (pods still terminating count as running).
 */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[], podsOf: (rsUid: string) => Pod[]): boolean {
  if (getActualReplicaCountForReplicaSets(oldRSs) > 0) return true;
  for (const rs of oldRSs) {
    if (newRS && rs.metadata.uid === newRS.metadata.uid) continue;
    for (const pod of podsOf(rs.metadata.uid!)) {
      const phase = pod.status?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') continue;
      return true;
    }
  }
  return false;
}
