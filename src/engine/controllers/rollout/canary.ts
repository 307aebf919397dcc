/**
 * canary.ts: the canary strategy (rollout/canary.go rolloutCanary and syncRolloutStatusCanary).
 * One pass: create the new RS, point the canary/stable Services and the traffic router, start
 * analysis, then scale stable → new → others (returning after the first that scaled), then the
 * pause step, then the status: promote to stable, abort, or advance the step index.
 */
import type { ReplicaSet } from '../../api/types.ts';
import {
  addPauseCondition, clearPauseConditions, createDesiredReplicaSet, getPauseCondition, isUnpausing,
  removePauseCondition, removeScaleDownDeadline, requeueAt, scaleReplicaSet, type RolloutContext,
} from './context.ts';
import {
  abortScaleDownDelaySeconds, calculateReplicaCountsForBasicCanary, calculateReplicaCountsForTrafficRoutedCanary,
  canaryReplicasOrWeight, currentCanaryStep, fenceposts, rolloutReplicas, type Split,
} from './replicaset.ts';
import { getService, switchServiceSelector } from './service.ts';
import { reconcileNginx } from './trafficrouting/nginx.ts';
import { reconcileCanaryAnalysis } from './analysis.ts';
import { DEFAULT_SCALE_DOWN_DELAY_SECONDS } from './bluegreen.ts';
import { COMPONENT, SCALE_DOWN_DEADLINE_ANNOTATION, availableOf, canaryStepString, durationSeconds, podHash, specOf, timeMs } from './util.ts';
import { isoTime } from '../../clock.ts';
import { promoteStable, syncRevision } from './sync.ts';

export const CANARY_PAUSE_STEP = 'CanaryPauseStep';

const counts = (rs: ReplicaSet | undefined) => (rs ? { spec: specOf(rs), available: availableOf(rs) } : null);
const stableExists = (c: RolloutContext) => !!c.stableRS && c.stableRS !== c.newRS;

/** desiredSplit is the canary/stable spec.replicas this pass aims for (basic or traffic-routed arithmetic). */
export function desiredSplit(c: RolloutContext): Split {
  const ro = c.ro;
  const canary = ro.spec.strategy.canary;
  const { replicas, weight } = canaryReplicasOrWeight(ro);
  if (canary.trafficRouting) {
    const w = c.status.canary?.weights;
    return calculateReplicaCountsForTrafficRoutedCanary({
      specReplicas: rolloutReplicas(ro),
      desiredWeight: weight,
      setCanaryReplicas: replicas,
      minPodsPerReplicaSet: typeof canary.minPodsPerReplicaSet === 'number' ? canary.minPodsPerReplicaSet : undefined,
      dynamicStableScale: !!canary.dynamicStableScale,
      aborted: !!ro.status?.abort,
      currentWeights: w ? { canary: w.canary?.weight ?? 0, stable: w.stable?.weight ?? 100 } : undefined,
    });
  }
  const f = fenceposts(ro);
  return calculateReplicaCountsForBasicCanary({
    specReplicas: rolloutReplicas(ro),
    desiredWeight: weight,
    maxSurge: f.maxSurge,
    maxUnavailable: f.maxUnavailable,
    newRS: counts(c.newRS),
    stableRS: stableExists(c) ? counts(c.stableRS) : null,
    olderRSs: c.otherRSs.map((rs) => counts(rs)!),
  });
}

/** atDesiredReplicaCounts is AtDesiredReplicaCountsForCanary: the step's split is reached and available. */
export function atDesiredReplicaCounts(c: RolloutContext): boolean {
  const d = desiredSplit(c);
  const routed = !!c.ro.spec.strategy.canary.trafficRouting;
  if (!c.newRS || specOf(c.newRS) !== d.canary || availableOf(c.newRS) !== d.canary) return false;
  if (!routed || !c.ro.spec.strategy.canary.dynamicStableScale) {
    if (stableExists(c) && (specOf(c.stableRS) !== d.stable || (c.stableRS!.status?.replicas ?? 0) !== d.stable)) return false;
  }
  if (!routed && c.otherRSs.some((rs) => availableOf(rs) > 0)) return false;
  return true;
}

/** reconcileCanaryReplicaSets scales the stable, then the new RS, then the others; true if anything scaled. */
function reconcileCanaryReplicaSets(c: RolloutContext): boolean {
  if (!c.ro.status?.abort) removeScaleDownDeadline(c, c.newRS);
  removeScaleDownDeadline(c, c.stableRS);
  const d = desiredSplit(c);
  if (stableExists(c) && scaleReplicaSet(c, c.stableRS!, d.stable)) return true;
  if (c.newRS) {
    let target = d.canary;
    // Traffic-routed abort: the canary stays up until abortScaleDownDelaySeconds has passed (0 = forever).
    if (c.ro.status?.abort && c.ro.spec.strategy.canary.trafficRouting && stableExists(c)) target = abortedCanaryTarget(c, target);
    if (scaleReplicaSet(c, c.newRS, target)) return true;
  }
  return scaleDownOldReplicaSets(c);
}

function abortedCanaryTarget(c: RolloutContext, target: number): number {
  const rs = c.newRS!;
  const delay = abortScaleDownDelaySeconds(c.ro);
  if (delay === undefined) return Math.max(target, specOf(rs));
  const deadline = timeMs(rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION]);
  if (Number.isNaN(deadline)) {
    rs.metadata.annotations = { ...(rs.metadata.annotations ?? {}), [SCALE_DOWN_DEADLINE_ANNOTATION]: isoTime(c.now + delay * 1000) };
    c.sim.store.update(rs);
    requeueAt(c, c.now + delay * 1000);
    return specOf(rs);
  }
  if (deadline > c.now) {
    requeueAt(c, deadline);
    return specOf(rs);
  }
  return target;
}

/**
 * scaleDownOldReplicaSets is scaleDownOldReplicaSetsForCanary: older RSs go to 0 as far as min
 * availability allows (spec.replicas - maxUnavailable of all RSs' available pods must remain).
 */
function scaleDownOldReplicaSets(c: RolloutContext): boolean {
  const olds = c.otherRSs.filter((rs) => specOf(rs) > 0);
  if (olds.length === 0) return false;
  const canary = c.ro.spec.strategy.canary;
  if (canary.trafficRouting && !canary.dynamicStableScale) return scaleDownOldReplicaSetsRouted(c, olds);
  const available = c.allRSs.reduce((s, rs) => s + availableOf(rs), 0);
  const minAvailable = rolloutReplicas(c.ro) - fenceposts(c.ro).maxUnavailable;
  let maxScaleDown = available - minAvailable;
  let scaled = false;
  // Oldest first, so the oldest revision is drained first (canary-steps.json "old RSs are scaled down only as far as min availability allows").
  for (const rs of [...olds].sort((a, b) => revisionNum(a) - revisionNum(b))) {
    // Unavailable pods cost nothing: scale those away first (cleanupUnhealthyReplicas).
    const unhealthy = specOf(rs) - availableOf(rs);
    let target = specOf(rs);
    if (unhealthy > 0) target -= unhealthy;
    if (maxScaleDown > 0) {
      const cut = Math.min(target, maxScaleDown);
      target -= cut;
      maxScaleDown -= cut;
    }
    if (target !== specOf(rs)) scaled = scaleReplicaSet(c, rs, Math.max(0, target)) || scaled;
  }
  return scaled;
}

/**
 * scaleDownOldReplicaSetsRouted is scaleDownOldReplicaSetsForCanary with traffic routing (scaleDownDelayHelper):
 * the router no longer sends them traffic, so old ReplicaSets stay up for scaleDownDelaySeconds (default 30)
 * after they are first seen old (their scale-down-deadline annotation), at most scaleDownDelayRevisionLimit of
 * them, newest first; past the deadline (or the limit) they go to 0, as far as min availability allows.
 */
function scaleDownOldReplicaSetsRouted(c: RolloutContext, olds: ReplicaSet[]): boolean {
  const canary = c.ro.spec.strategy.canary;
  const delay = typeof canary.scaleDownDelaySeconds === 'number' ? canary.scaleDownDelaySeconds : DEFAULT_SCALE_DOWN_DELAY_SECONDS;
  const limit = typeof canary.scaleDownDelayRevisionLimit === 'number' ? canary.scaleDownDelayRevisionLimit : Infinity;
  const available = c.allRSs.reduce((n, rs) => n + availableOf(rs), 0);
  let maxScaleDown = available - (rolloutReplicas(c.ro) - fenceposts(c.ro).maxUnavailable);
  let annotated = 0;
  let scaled = false;
  for (const rs of [...olds].sort((a, b) => revisionNum(b) - revisionNum(a))) {
    if (maxScaleDown <= 0) break;
    let target = 0;
    const deadline = timeMs(rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION]);
    if (Number.isNaN(deadline)) {
      if (annotated < limit) {
        annotated++;
        target = specOf(rs);
        rs.metadata.annotations = { ...(rs.metadata.annotations ?? {}), [SCALE_DOWN_DEADLINE_ANNOTATION]: isoTime(c.now + delay * 1000) };
        c.sim.store.update(rs);
        requeueAt(c, c.now + delay * 1000);
      }
    } else if (++annotated <= limit && deadline > c.now) {
      target = specOf(rs);
      requeueAt(c, deadline);
    }
    if (target === specOf(rs)) continue;
    maxScaleDown -= specOf(rs) - target;
    scaled = scaleReplicaSet(c, rs, target) || scaled;
  }
  return scaled;
}

const revisionNum = (rs: ReplicaSet) => parseInt(rs.metadata.annotations?.['rollout.argoproj.io/revision'] ?? '0', 10) || 0;

/** reconcileCanaryPause is reconcileCanaryPause: enter the pause step's pause, or wait out its duration. */
function reconcileCanaryPause(c: RolloutContext): void {
  const ro = c.ro;
  if (ro.spec.paused || c.status.promoteFull) return;
  const cur = currentCanaryStep(ro);
  if (!cur || !cur.step?.pause) return;
  const cond = getPauseCondition(c, CANARY_PAUSE_STEP);
  if (!cond) {
    if (!c.status.controllerPause) addPauseCondition(c, CANARY_PAUSE_STEP);
    return;
  }
  const secs = durationSeconds(cur.step.pause.duration);
  if (secs !== undefined) requeueAt(c, timeMs(cond.startTime) + secs * 1000);
}

/** completedCurrentCanaryStep is completedCurrentCanaryStep: may the step index advance? */
function completedCurrentCanaryStep(c: RolloutContext): boolean {
  const ro = c.ro;
  if (ro.spec.paused) return false;
  const cur = currentCanaryStep(ro);
  if (!cur || cur.step === undefined) return false;
  const step = cur.step;
  if (step.pause) {
    const cond = getPauseCondition(c, CANARY_PAUSE_STEP);
    if (!cond) return isUnpausing(c);
    const secs = durationSeconds(step.pause.duration);
    if (secs === undefined) return false;
    return timeMs(cond.startTime) + secs * 1000 <= c.now;
  }
  if (typeof step.setWeight === 'number' || step.setCanaryScale) return atDesiredReplicaCounts(c);
  if (step.analysis) return c.status.canary?.currentStepAnalysisRunStatus?.status === 'Successful';
  // Route steps need a route-managing router (Istio, ALB, Apisix); with nginx or none sync.ts refuses them first.
  if (step.setHeaderRoute || step.setMirrorRoute) return true;
  // An unknown step (experiment, plugin) cannot complete here; InvalidSpec reports it.
  return false;
}

/** rolloutCanary runs one reconcile pass of a canary Rollout and returns whether the status is final. */
export function rolloutCanary(c: RolloutContext): void {
  const ro = c.ro;
  const steps: any[] = ro.spec.strategy.canary.steps ?? [];
  // A new template: reset the step state first (PodTemplateOrStepsChanged), then create the RS next pass.
  if (c.status.currentPodHash !== c.newHash) {
    resetStatus(c, steps.length);
    if (c.newRS && ro.status?.stableRS === c.newHash && steps.length > 0) {
      c.sim.recordEvent(ro, 'Normal', 'SkipSteps', 'Rollback to stable', COMPONENT);
      c.status.currentStepIndex = steps.length;
    }
    return;
  }
  if (!c.newRS) createDesiredReplicaSet(c);
  syncRevision(c);
  reconcileStableAndCanaryService(c);
  reconcileNginx(c);
  reconcileCanaryAnalysis(c);
  if (c.status.abort && !stableExists(c)) {
    delete c.status.abort;
    delete c.status.abortedAt;
  }
  // As upstream, the status is synced after every pass; a pass that scaled skips the pause step.
  if (!reconcileCanaryReplicaSets(c)) reconcileCanaryPause(c);
  syncRolloutStatusCanary(c, steps.length);
}

function resetStatus(c: RolloutContext, stepCount: number): void {
  c.status.currentPodHash = c.newHash;
  if (stepCount > 0) c.status.currentStepIndex = 0;
  else delete c.status.currentStepIndex;
  clearPauseConditions(c);
  delete c.status.abort;
  delete c.status.abortedAt;
  delete c.status.promoteFull;
  if (c.status.canary) {
    delete c.status.canary.currentStepAnalysisRunStatus;
    delete c.status.canary.currentBackgroundAnalysisRunStatus;
  }
}

function syncRolloutStatusCanary(c: RolloutContext, stepCount: number): void {
  const ro = c.ro;
  if (c.status.promoteFull) {
    clearPauseConditions(c);
    delete c.status.abort;
    if (stepCount > 0) c.status.currentStepIndex = stepCount;
  }
  const reason = shouldFullPromote(c, stepCount);
  if (reason) {
    promoteStable(c, reason);
    if (stepCount > 0) c.status.currentStepIndex = stepCount;
    return;
  }
  if (c.status.abort) {
    if (stepCount > 0) c.status.currentStepIndex = c.status.stableRS === c.status.currentPodHash ? stepCount : 0;
    return;
  }
  if (completedCurrentCanaryStep(c)) {
    const cur = currentCanaryStep(ro)!;
    const next = cur.index + 1;
    c.status.currentStepIndex = next;
    if (c.status.canary) delete c.status.canary.currentStepAnalysisRunStatus;
    c.sim.recordEvent(ro, 'Normal', 'RolloutStepCompleted', `Rollout step ${next}/${stepCount} completed (${canaryStepString(cur.step)})`, COMPONENT);
    removePauseCondition(c, CANARY_PAUSE_STEP);
    // The next step may be done already (a pause right after reaching a weight): look again.
    requeueAt(c, c.now);
  }
}

/** shouldFullPromote: the reason to make the current RS stable ("Initial deploy", all steps done), or ''. */
function shouldFullPromote(c: RolloutContext, stepCount: number): string {
  if (!c.status.stableRS) return 'Initial deploy';
  if (c.status.stableRS === c.status.currentPodHash) return '';
  if (c.status.abort) return '';
  const idx = c.status.currentStepIndex;
  const done = stepCount === 0 || idx === stepCount || c.status.promoteFull;
  if (!done) return '';
  if (!atDesiredReplicaCounts(c)) return '';
  return stepCount === 0 ? 'Completed all steps' : `Completed all ${stepCount} canary steps`;
}

/** reconcileStableAndCanaryService points canaryService at the new RS and stableService at the stable RS. */
function reconcileStableAndCanaryService(c: RolloutContext): void {
  const canary = c.ro.spec.strategy.canary;
  const stableHash = podHash(c.stableRS) || (c.ro.status?.stableRS ?? '');
  const canarySvc = getService(c, canary.canaryService);
  if (canarySvc && c.newRS && availableOf(c.newRS) > 0) switchServiceSelector(c, canarySvc, c.newHash);
  else if (canarySvc && !canarySvc.spec.selector?.['rollouts-pod-template-hash'] && stableHash) switchServiceSelector(c, canarySvc, stableHash);
  const stableSvc = getService(c, canary.stableService);
  if (stableSvc && stableHash) switchServiceSelector(c, stableSvc, stableHash);
}
