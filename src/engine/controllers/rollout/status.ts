/**
 * status.ts: a Rollout's status counts, conditions and phase (rollout/sync.go calculateBaseStatus,
 * calculateRolloutConditions; utils/rollout/rolloututil.go CalculateRolloutPhase).
 */
import type { RolloutContext } from './context.ts';
import { nowIso, requeueAt } from './context.ts';
import { fenceposts, rolloutReplicas } from './replicaset.ts';
import {
  AVAILABLE, COMPLETED, INVALID_SPEC, PAUSED, PROGRESSING, ROLLOUT_ABORTED_REASON, TIMED_OUT_REASON,
  availableOf, podHash, revisionOf, setRolloutCondition, timeMs,
} from './util.ts';

/** isFullyPromoted: the current RS is stable (and, for blue-green, active). */
export function isFullyPromoted(spec: any, status: any): boolean {
  if (spec?.strategy?.blueGreen) return !!status.stableRS && status.stableRS === status.currentPodHash && status.blueGreen?.activeSelector === status.currentPodHash;
  return !!status.stableRS && status.stableRS === status.currentPodHash;
}

/**
 * calculateRolloutPhase is CalculateRolloutPhase: Degraded (InvalidSpec, aborted, timed out),
 * Paused (spec.paused: "manually paused"; a pause condition: its reason), Progressing with the
 * reason it is not done, else Healthy.
 */
export function calculateRolloutPhase(spec: any, status: any): { phase: string; message: string } {
  for (const cond of status.conditions ?? []) {
    if (cond.type === INVALID_SPEC) return { phase: 'Degraded', message: `${INVALID_SPEC}: ${cond.message}` };
    if (cond.reason === ROLLOUT_ABORTED_REASON || cond.reason === TIMED_OUT_REASON) return { phase: 'Degraded', message: `${cond.reason}: ${cond.message}` };
  }
  if (spec.paused) return { phase: 'Paused', message: 'manually paused' };
  if (status.pauseConditions?.length) return { phase: 'Paused', message: status.pauseConditions[0].reason };
  if (spec.restartAt && spec.restartAt !== status.restartedAt) return { phase: 'Progressing', message: 'rollout is restarting' };
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  if ((status.updatedReplicas ?? 0) < replicas) return { phase: 'Progressing', message: 'more replicas need to be updated' };
  if ((status.availableReplicas ?? 0) < (status.updatedReplicas ?? 0)) return { phase: 'Progressing', message: 'updated replicas are still becoming available' };
  if (spec.strategy?.blueGreen) {
    const active = status.blueGreen?.activeSelector;
    if (!active || active !== status.currentPodHash) return { phase: 'Progressing', message: 'active service cutover pending' };
    if (!status.stableRS || !isFullyPromoted(spec, status)) {
      if (spec.strategy.blueGreen.postPromotionAnalysis && !['Successful', 'Failed', 'Error', 'Inconclusive'].includes(status.blueGreen?.postPromotionAnalysisRunStatus?.status)) {
        return { phase: 'Progressing', message: 'waiting for analysis to complete' };
      }
      return { phase: 'Progressing', message: 'waiting for post-promotion verification to complete' };
    }
  } else if (spec.strategy?.canary) {
    if (!spec.strategy.canary.trafficRouting && (status.replicas ?? 0) > (status.updatedReplicas ?? 0)) {
      return { phase: 'Progressing', message: 'old replicas are pending termination' };
    }
    if (!status.stableRS || !isFullyPromoted(spec, status)) return { phase: 'Progressing', message: 'waiting for all steps to complete' };
  }
  return { phase: 'Healthy', message: '' };
}

/**
 * timedOut is the progress deadline (progressDeadlineSeconds, default 600): the counts have not
 * moved for that long while the rollout is neither paused nor complete. Any change of the counts
 * is progress and restarts the clock (the condition's lastUpdateTime).
 */
function timedOut(c: RolloutContext): boolean {
  const st = c.status;
  const old = c.ro.status ?? {};
  const prog = st.conditions?.find((x: any) => x.type === PROGRESSING);
  if (!prog) return false;
  if (prog.reason === TIMED_OUT_REASON) return true;
  // Only a rollout that was progressing can time out; after a pause or an abort the clock restarts.
  if (prog.reason !== 'ReplicaSetUpdated' && prog.reason !== 'NewReplicaSetCreated') return false;
  const moved = ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'currentStepIndex', 'currentPodHash'].some((k) => st[k] !== old[k]);
  if (moved || c.created) {
    prog.lastUpdateTime = nowIso(c);
    return false;
  }
  const deadline = typeof c.ro.spec.progressDeadlineSeconds === 'number' ? c.ro.spec.progressDeadlineSeconds : DEFAULT_PROGRESS_DEADLINE_SECONDS;
  const since = timeMs(prog.lastUpdateTime ?? prog.lastTransitionTime);
  if (Number.isNaN(since)) return false;
  if (c.now >= since + deadline * 1000) {
    if (c.ro.spec.progressDeadlineAbort) {
      st.abort = true;
      st.abortedAt = nowIso(c);
    }
    return true;
  }
  requeueAt(c, since + deadline * 1000);
  return false;
}

/** DEFAULT_PROGRESS_DEADLINE_SECONDS is defaults.DefaultProgressDeadlineSeconds. */
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

/**
 * rolloutPhase is rolloututil.GetRolloutPhase, what the plugin shows (get, list, status): "waiting for rollout
 * spec update to be observed" until the controller has seen the spec, then the phase and message the
 * controller wrote, computed client-side only for a status without one.
 */
export function rolloutPhase(ro: { metadata: { generation?: number }; spec: any; status?: any }): { phase: string; message: string } {
  const st = ro.status ?? {};
  if (st.observedGeneration !== undefined && String(st.observedGeneration) !== String(ro.metadata.generation ?? 1)) {
    return { phase: 'Progressing', message: 'waiting for rollout spec update to be observed' };
  }
  if (st.phase) return { phase: st.phase, message: st.message ?? '' };
  return calculateRolloutPhase(ro.spec, st);
}

/** calculateStatus fills the counts, conditions, phase and message into c.status. */
export function calculateStatus(c: RolloutContext): void {
  const { ro, status } = c;
  const sum = (f: (rs: any) => number) => c.allRSs.reduce((s, rs) => s + f(rs), 0);
  status.replicas = sum((rs) => rs.status?.replicas ?? 0);
  status.updatedReplicas = c.newRS?.status?.replicas ?? 0;
  status.readyReplicas = sum((rs) => rs.status?.readyReplicas ?? 0);
  if (ro.spec.strategy.blueGreen) {
    const active = c.allRSs.find((rs) => podHash(rs) === status.blueGreen?.activeSelector);
    status.availableReplicas = availableOf(active);
  } else status.availableReplicas = sum(availableOf);
  status.HPAReplicas = status.replicas;
  status.currentPodHash = c.newHash;
  const now = nowIso(c);
  const replicas = rolloutReplicas(ro);
  const minAvailable = replicas - fenceposts(ro).maxUnavailable;
  setRolloutCondition(status, status.availableReplicas >= minAvailable
    ? { type: AVAILABLE, status: 'True', reason: 'AvailableReason', message: 'Rollout has minimum availability' }
    : { type: AVAILABLE, status: 'False', reason: 'AvailableReason', message: 'Rollout does not have minimum availability' }, now);
  const rsName = c.newRS?.metadata.name ?? '';
  const paused = !!ro.spec.paused || status.pauseConditions?.length > 0;
  if (status.abort) {
    // Keep an analysis abort's longer message ("…: Metric "x" assessed Failed …").
    const prev = status.conditions?.find((x: any) => x.type === PROGRESSING);
    if (prev?.reason !== ROLLOUT_ABORTED_REASON) setRolloutCondition(status, { type: PROGRESSING, status: 'False', reason: ROLLOUT_ABORTED_REASON, message: `Rollout aborted update to revision ${revisionOf(c.newRS)}` }, now);
  } else if (paused) {
    setRolloutCondition(status, { type: PROGRESSING, status: 'Unknown', reason: 'RolloutPaused', message: 'Rollout is paused' }, now);
  } else if (isFullyPromoted(ro.spec, status) && status.availableReplicas >= replicas && status.updatedReplicas >= replicas) {
    setRolloutCondition(status, { type: PROGRESSING, status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.` }, now);
  } else if (c.newRS && timedOut(c)) {
    setRolloutCondition(status, { type: PROGRESSING, status: 'False', reason: TIMED_OUT_REASON, message: `ReplicaSet "${rsName}" has timed out progressing.` }, now);
  } else if (c.newRS) {
    setRolloutCondition(status, c.created
      ? { type: PROGRESSING, status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${rsName}"` }
      : { type: PROGRESSING, status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` }, now);
  }
  if (paused) setRolloutCondition(status, { type: PAUSED, status: 'True', reason: 'RolloutPaused', message: 'Rollout is paused' }, now);
  else if (status.conditions?.some((x: any) => x.type === PAUSED)) setRolloutCondition(status, { type: PAUSED, status: 'False', reason: 'RolloutResumed', message: 'Rollout is resumed' }, now);
  const { phase, message } = calculateRolloutPhase(ro.spec, status);
  setRolloutCondition(status, phase === 'Healthy'
    ? { type: COMPLETED, status: 'True', reason: 'RolloutCompleted', message: 'Rollout completed update to revision ' + revisionOf(c.newRS) }
    : { type: COMPLETED, status: 'False', reason: 'RolloutCompleted', message: 'Rollout not completed, started update to revision ' + revisionOf(c.newRS) }, now);
  status.phase = phase;
  status.message = message;
}
