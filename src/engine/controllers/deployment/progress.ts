/**
 * progress.ts: pkg/controller/deployment/progress.go — the Progressing condition and the
 * progress-deadline timer.
 */
import type { Sim } from '../../sim.ts';
import type { Deployment, ReplicaSet } from './types.ts';
import type { Condition } from '../../api/types.ts';
import { parseIsoTime } from '../../clock.ts';
import { calculateStatus, statusEqual, writeStatus } from './sync.ts';
import {
  NEW_RS_AVAILABLE_REASON,
  RS_UPDATED_REASON,
  TIMED_OUT_REASON,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getDeploymentCondition,
  hasProgressDeadline,
  newDeploymentCondition,
  removeDeploymentCondition,
  setDeploymentCondition,
} from './util.ts';

export const PROGRESS_TIMER = 'deployment/progress';

/**
 * syncRolloutStatus is syncRolloutStatus: the status plus the Progressing condition —
 * NewReplicaSetAvailable when complete, ReplicaSetUpdated (lastUpdateTime bumped) on any progress,
 * ProgressDeadlineExceeded once lastUpdateTime + progressDeadlineSeconds has passed.
 */
export function syncRolloutStatus(sim: Sim, allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): void {
  const newStatus = calculateStatus(sim, allRSs, newRS, d);
  if (!hasProgressDeadline(d)) removeDeploymentCondition(newStatus, 'Progressing');
  const currentCond = getDeploymentCondition(d.status?.conditions, 'Progressing');
  const isCompleteDeployment =
    (newStatus.replicas ?? 0) === (newStatus.updatedReplicas ?? 0) && currentCond?.reason === NEW_RS_AVAILABLE_REASON;
  if (hasProgressDeadline(d) && !isCompleteDeployment) {
    const now = sim.nowIso();
    const name = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (deploymentComplete(d, newStatus)) {
      setDeploymentCondition(newStatus, newDeploymentCondition('Progressing', 'True', NEW_RS_AVAILABLE_REASON, `${name} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, newStatus)) {
      // Progressing is special: same reason, but lastUpdateTime must move on every sign of progress.
      const condition = newDeploymentCondition('Progressing', 'True', RS_UPDATED_REASON, `${name} is progressing.`, now);
      if (currentCond) {
        if (currentCond.status === 'True') condition.lastTransitionTime = currentCond.lastTransitionTime;
        removeDeploymentCondition(newStatus, 'Progressing');
      }
      setDeploymentCondition(newStatus, condition);
    } else if (deploymentTimedOut(d, newStatus, sim.now())) {
      setDeploymentCondition(newStatus, newDeploymentCondition('Progressing', 'False', TIMED_OUT_REASON, `${name} has timed out progressing.`, now));
    }
  }
  // Move failure conditions of all replica sets in deployment conditions (getReplicaFailures): the
  // new ReplicaSet's first, else any old one's (a quota or the pod limit refusing its pods).
  const failure = replicaFailure(newRS) ?? allRSs.map(replicaFailure).find((c) => c);
  if (failure) setDeploymentCondition(newStatus, failure);
  else removeDeploymentCondition(newStatus, 'ReplicaFailure');
  if (statusEqual(d.status, newStatus)) {
    requeueStuckDeployment(sim, d, newStatus);
    return;
  }
  writeStatus(sim, d, newStatus);
}

/** replicaFailure is an RS's ReplicaFailure condition as ReplicaSetToDeploymentCondition makes it. */
function replicaFailure(rs: ReplicaSet | undefined): Condition | undefined {
  const c = rs?.status?.conditions?.find((x) => x.type === 'ReplicaFailure');
  if (!c) return undefined;
  return { type: 'ReplicaFailure', status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message };
}

/** progressTimers: when each Deployment's progress-deadline timer fires, by Deployment key (the controller's module state). */
export function progressTimers(sim: Sim): Record<string, number> {
  return sim.moduleState('deployment', () => ({ progressAt: {} as Record<string, number> }), ['progressAt']).progressAt;
}

/**
 * requeueStuckDeployment is requeueStuckDeployment: with no sign of progress, come back one second
 * after the deadline (lastUpdateTime + progressDeadlineSeconds) to notice the timeout on time.
 */
export function requeueStuckDeployment(sim: Sim, d: Deployment, newStatus: Deployment['status']): void {
  const cond = getDeploymentCondition(d.status?.conditions, 'Progressing');
  if (!hasProgressDeadline(d) || !cond) return;
  if (deploymentComplete(d, newStatus) || cond.reason === TIMED_OUT_REASON) return;
  if (!cond.lastUpdateTime) return;
  const key = `${d.metadata.namespace}/${d.metadata.name}`;
  const after = parseIsoTime(cond.lastUpdateTime) + d.spec.progressDeadlineSeconds! * 1000 - sim.now();
  // Less than a second left: upstream requeues rate-limited (5 ms base delay).
  const at = after < 1000 ? sim.now() + 5 : sim.now() + after + 1000;
  const timers = progressTimers(sim);
  if (timers[key] !== undefined && timers[key] >= sim.now() && timers[key] <= at) return;
  timers[key] = at;
  sim.at(at, PROGRESS_TIMER, key);
}
