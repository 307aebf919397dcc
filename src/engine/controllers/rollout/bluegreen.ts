/**
 * bluegreen.ts: the blue-green strategy (rollout/bluegreen.go rolloutBlueGreen). The new RS comes
 * up behind the preview Service while the active Service keeps the old one; once the new RS is
 * fully available the controller pauses (autoPromotionEnabled: false, or autoPromotionSeconds) or
 * switches the active Service at once. The old RS then waits scaleDownDelaySeconds (default 30)
 * before it is scaled to 0.
 */
import type { ReplicaSet, Service } from '../../api/types.ts';
import {
  addPauseCondition, createDesiredReplicaSet, getPauseCondition, removePauseCondition, removeScaleDownDeadline, requeueAt,
  scaleReplicaSet, type RolloutContext,
} from './context.ts';
import { abortScaleDownDelaySeconds, rolloutReplicas } from './replicaset.ts';
import { getService, selectorHash, switchServiceSelector } from './service.ts';
import { reconcileBlueGreenAnalysis, prePromotionPassed, postPromotionPassed } from './analysis.ts';
import { SCALE_DOWN_DEADLINE_ANNOTATION, availableOf, podHash, revisionOf, specOf, timeMs } from './util.ts';
import { isoTime } from '../../clock.ts';
import { promoteStable, syncRevision } from './sync.ts';

export const BLUE_GREEN_PAUSE = 'BlueGreenPause';
/** DEFAULT_SCALE_DOWN_DELAY_SECONDS is defaults.DefaultScaleDownDelaySeconds. */
export const DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;

const bg = (c: RolloutContext) => c.ro.spec.strategy.blueGreen;

/** newRSReplicas is NewRSNewReplicas for blue-green: previewReplicaCount until promotion, then spec.replicas. */
export function newRSReplicas(c: RolloutContext): number {
  const full = rolloutReplicas(c.ro);
  const prc = bg(c).previewReplicaCount;
  if (typeof prc !== 'number' || c.status.promoteFull) return full;
  const active = c.status.blueGreen?.activeSelector;
  if (!active || active === c.newHash || c.status.blueGreen?.scaleUpPreviewCheckPoint) return full;
  return prc;
}

/** readyForPause: the new RS has all the replicas it is meant to have now, all available. */
function readyForPause(c: RolloutContext): boolean {
  const want = newRSReplicas(c);
  return !!c.newRS && specOf(c.newRS) === want && availableOf(c.newRS) >= want;
}

/** needsPause is needsBlueGreenControllerPause. */
function needsPause(c: RolloutContext): boolean {
  if (c.status.controllerPause) return false;
  const s = bg(c);
  const auto = s.autoPromotionEnabled !== false;
  if (auto && !s.autoPromotionSeconds) return false;
  return c.status.blueGreen?.activeSelector !== c.newHash;
}

function reconcileBlueGreenPause(c: RolloutContext): void {
  if (c.status.abort || c.status.promoteFull || !readyForPause(c)) return;
  const cond = getPauseCondition(c, BLUE_GREEN_PAUSE);
  if (cond) {
    const secs = bg(c).autoPromotionSeconds;
    if (typeof secs === 'number' && secs > 0 && !c.ro.spec.paused) {
      const deadline = timeMs(cond.startTime) + secs * 1000;
      if (c.now >= deadline) {
        removePauseCondition(c, BLUE_GREEN_PAUSE);
        c.completedBlueGreenPause = true;
      } else requeueAt(c, deadline);
    }
    return;
  }
  // Past the preview checkpoint the pause was had: the preview scales up to full, and is not paused again.
  if (c.status.blueGreen?.scaleUpPreviewCheckPoint) return;
  if (needsPause(c)) addPauseCondition(c, BLUE_GREEN_PAUSE);
}

/** reconcileActiveService switches the active Service to the new RS when promotion is allowed (or back to stable on abort). */
function reconcileActiveService(c: RolloutContext, active: Service | undefined): void {
  if (!active) return;
  if (c.status.abort) {
    if (c.status.stableRS) switchServiceSelector(c, active, c.status.stableRS);
    return;
  }
  const current = selectorHash(active);
  if (!current && c.newRS) {
    // First rollout: nothing to protect, point active at the only RS.
    switchServiceSelector(c, active, c.newHash);
    return;
  }
  if (current === c.newHash || !c.newRS) return;
  if (!readyForPause(c) || specOf(c.newRS) < rolloutReplicas(c.ro)) return;
  // promote --full skips the pause and pre-promotion analysis.
  if (!c.status.promoteFull) {
    if (c.ro.spec.paused || getPauseCondition(c, BLUE_GREEN_PAUSE)) return;
    if (!prePromotionPassed(c)) return;
  }
  switchServiceSelector(c, active, c.newHash);
}

/**
 * scaleDownOldReplicaSets is scaleDownOldReplicaSetsForBlueGreen: RSs neither active nor new get a
 * scale-down-deadline annotation (now + scaleDownDelaySeconds) and are scaled to 0 once it passes;
 * beyond scaleDownDelayRevisionLimit waiting RSs, the oldest go at once.
 */
function scaleDownOldReplicaSets(c: RolloutContext, activeHash: string): boolean {
  const s = bg(c);
  const delay = typeof s.scaleDownDelaySeconds === 'number' ? s.scaleDownDelaySeconds : DEFAULT_SCALE_DOWN_DELAY_SECONDS;
  const limit = typeof s.scaleDownDelayRevisionLimit === 'number' ? s.scaleDownDelayRevisionLimit : Infinity;
  let annotated = 0;
  let scaled = false;
  const olds = c.allRSs.filter((rs) => podHash(rs) !== activeHash && rs !== c.newRS && specOf(rs) > 0);
  for (const rs of olds.sort((a, b) => revisionOf(b) - revisionOf(a))) {
    const ann = rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION];
    if (ann === undefined) {
      // Only RSs that served as active wait; a never-promoted preview RS is scaled down at once.
      if (c.status.abort || !activeHash || delay === 0) {
        scaled = scaleToZero(c, rs) || scaled;
        continue;
      }
      setDeadline(c, rs, c.now + delay * 1000);
      annotated++;
      if (annotated > limit) scaled = scaleToZero(c, rs) || scaled;
      continue;
    }
    annotated++;
    const deadline = timeMs(ann);
    if (!Number.isNaN(deadline) && deadline > c.now && annotated <= limit) {
      requeueAt(c, deadline);
      continue;
    }
    scaled = scaleToZero(c, rs) || scaled;
  }
  return scaled;
}

function setDeadline(c: RolloutContext, rs: ReplicaSet, at: number): void {
  rs.metadata.annotations = { ...(rs.metadata.annotations ?? {}), [SCALE_DOWN_DEADLINE_ANNOTATION]: isoTime(at) };
  c.sim.store.update(rs);
  requeueAt(c, at);
}

function scaleToZero(c: RolloutContext, rs: ReplicaSet): boolean {
  if (rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION] !== undefined) {
    const { [SCALE_DOWN_DEADLINE_ANNOTATION]: _drop, ...rest } = rs.metadata.annotations;
    rs.metadata.annotations = rest;
  }
  return scaleReplicaSet(c, rs, 0) || (c.sim.store.update(rs), false);
}

/** abortedNewRS: after an abort the new RS is scaled down after abortScaleDownDelaySeconds (0 = kept). */
function reconcileAbortedNewRS(c: RolloutContext): boolean {
  if (!c.status.abort || !c.newRS || c.status.stableRS === c.newHash) return false;
  const delay = abortScaleDownDelaySeconds(c.ro);
  if (delay === undefined) return false;
  const ann = c.newRS.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION];
  if (ann === undefined) {
    setDeadline(c, c.newRS, c.now + delay * 1000);
    return false;
  }
  const deadline = timeMs(ann);
  if (!Number.isNaN(deadline) && deadline > c.now) {
    requeueAt(c, deadline);
    return false;
  }
  return scaleReplicaSet(c, c.newRS, 0);
}

/** rolloutBlueGreen runs one reconcile pass of a blue-green Rollout. */
export function rolloutBlueGreen(c: RolloutContext): void {
  const s = bg(c);
  if (c.status.currentPodHash !== c.newHash) {
    c.status.currentPodHash = c.newHash;
    delete c.status.pauseConditions;
    delete c.status.controllerPause;
    delete c.status.abort;
    delete c.status.abortedAt;
    if (c.status.blueGreen) {
      delete c.status.blueGreen.scaleUpPreviewCheckPoint;
      delete c.status.blueGreen.prePromotionAnalysisRunStatus;
      delete c.status.blueGreen.postPromotionAnalysisRunStatus;
    }
    return;
  }
  if (!c.newRS) createDesiredReplicaSet(c);
  syncRevision(c);
  const preview = getService(c, s.previewService);
  const active = getService(c, s.activeService);
  // The preview Service always follows the newest RS.
  if (preview && c.newRS) switchServiceSelector(c, preview, c.newHash);
  if (c.status.abort && c.newHash !== c.status.stableRS) {
    if (reconcileAbortedNewRS(c)) return;
  } else {
    removeScaleDownDeadline(c, c.newRS);
    if (scaleReplicaSet(c, c.newRS!, newRSReplicas(c))) return;
  }
  reconcileBlueGreenAnalysis(c);
  reconcileBlueGreenPause(c);
  reconcileActiveService(c, active);
  const activeHash = selectorHash(active) || (active ? '' : c.newHash);
  const bgStatus = (c.status.blueGreen ??= {});
  bgStatus.activeSelector = activeHash || undefined;
  bgStatus.previewSelector = preview ? selectorHash(preview) || undefined : undefined;
  bgStatus.scaleUpPreviewCheckPoint = scaleUpPreviewCheckPoint(c) || undefined;
  // A stable RS that is not active (abort) stays scaled; everything else waits out its delay.
  const keep = c.status.abort ? c.status.stableRS : activeHash;
  if (scaleDownOldReplicaSets(c, keep ?? '')) return;
  syncRolloutStatusBlueGreen(c, activeHash);
}

function scaleUpPreviewCheckPoint(c: RolloutContext): boolean {
  const prc = bg(c).previewReplicaCount;
  if (typeof prc !== 'number' || c.status.abort || !c.newRS) return false;
  if (c.status.blueGreen?.activeSelector === c.newHash) return false;
  if (c.status.blueGreen?.scaleUpPreviewCheckPoint) return true;
  // The autoPromotionSeconds pause ran out in this pass (CompletedBlueGreenPause): the preview may scale up.
  if (c.completedBlueGreenPause) return true;
  if (c.ro.spec.paused || getPauseCondition(c, BLUE_GREEN_PAUSE)) return false;
  return availableOf(c.newRS) >= prc && (!needsPause(c) || !!c.status.controllerPause);
}

function syncRolloutStatusBlueGreen(c: RolloutContext, activeHash: string): void {
  if (c.status.abort) return;
  if (!c.status.stableRS) {
    if (activeHash === c.newHash) promoteStable(c, 'Initial deploy');
    return;
  }
  if (activeHash === c.newHash && c.status.stableRS !== c.newHash && postPromotionPassed(c)) {
    promoteStable(c, 'Completed blue-green update');
  }
}
