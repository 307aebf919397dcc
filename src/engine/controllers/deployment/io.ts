/**
 * io.ts: the few writes the rollout algorithms make, behind an interface so the same code runs
 * against the store (the controller) and against plain objects (the oracle tables).
 */
import type { Deployment, ReplicaSet } from '../../api/types.ts';
import { rsReplicas } from './util.ts';

/** DeploymentIO is what rolling/recreate/scale need from the outside world. */
export interface DeploymentIO {
  /**
   * scaleReplicaSet sets spec.replicas and the desired/max-replicas annotations, recording a
   * ScalingReplicaSet event when the size changed (op is "up", "down" or ""). Returns whether the size changed.
   */
  scaleReplicaSet(rs: ReplicaSet, newScale: number, d: Deployment, op: string): boolean;
}

/** scaleReplicaSetAndRecordEvent is scaleReplicaSetAndRecordEvent: nothing to do at the same size. */
export function scaleReplicaSetAndRecordEvent(io: DeploymentIO, rs: ReplicaSet, newScale: number, d: Deployment): boolean {
  if (rsReplicas(rs) === newScale) return false;
  return io.scaleReplicaSet(rs, newScale, d, rsReplicas(rs) < newScale ? 'up' : 'down');
}
