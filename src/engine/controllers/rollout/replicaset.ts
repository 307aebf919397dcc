/**
 * replicaset.ts: Argo Rollouts' replica arithmetic (utils/replicaset/canary.go and the fenceposts of
 * utils/replicaset/replicaset.go). Pure functions over plain numbers, so the oracle tables can test
 * them directly; the rollout-level helpers read a Rollout's spec and status.
 */
import { resolveFenceposts } from '../deployment/util.ts';
import type { KubeObject } from '../../api/types.ts';

/** RSCounts is what the arithmetic needs of a ReplicaSet: spec.replicas and status.availableReplicas. */
export interface RSCounts {
  spec: number;
  available: number;
}

/** Split is a desired canary/stable pair of spec.replicas. */
export interface Split {
  canary: number;
  stable: number;
}

/** floorCeilingTied: total*weight/max ends in exactly .5, so floor and ceiling are equally close (3 replicas at 50%). */
function floorCeilingTied(weight: number, total: number, maxWeight: number): boolean {
  const x = (total * weight) / maxWeight;
  return x - Math.trunc(x) === 0.5;
}

/** weightDelta is how far canary/total is from the desired weight, in weight units. */
function weightDelta(weight: number, canary: number, total: number, maxWeight: number): number {
  return Math.abs((canary * maxWeight) / total - weight);
}

/**
 * approximateWeightedCanaryStableReplicaCounts picks the canary/stable split closest to weight/maxWeight.
 * The pair sums to spec or spec+1 (only when maxSurge > 0). For weights 1-99 with 2+ replicas
 * neither side is 0: 10 replicas at 5% → 1 canary + 10 stable (1/11 = 9% beats 0/10 = 0%... and 1/10 = 10%).
 */
export function approximateWeightedCanaryStableReplicaCounts(spec: number, weight: number, maxSurge: number, maxWeight = 100): Split {
  if (spec === 0) return { canary: 0, stable: 0 };
  const options: { canary: number; total: number }[] = [];
  const ceil = Math.ceil((spec * weight) / maxWeight);
  const floor = Math.floor((spec * weight) / maxWeight);
  const tied = floorCeilingTied(weight, spec, maxWeight);
  const zeroAllowed = weight === maxWeight || weight === 0 || (spec === 1 && maxSurge === 0);
  if (ceil < spec || zeroAllowed) options.push({ canary: ceil, total: spec });
  if (!tied && (floor !== 0 || zeroAllowed)) options.push({ canary: floor, total: spec });
  if (maxSurge > 0) {
    options.push({ canary: ceil, total: spec + 1 });
    if (!floorCeilingTied(weight, spec + 1, maxWeight) && (floor !== 0 || zeroAllowed)) options.push({ canary: floor, total: spec + 1 });
  }
  if (options.length === 0) return { canary: 0, stable: spec };
  let best = options[0];
  let bestDelta = weightDelta(weight, best.canary, best.total, maxWeight);
  for (const o of options.slice(1)) {
    const d = weightDelta(weight, o.canary, o.total, maxWeight);
    if (d < bestDelta) {
      best = o;
      bestDelta = d;
    }
  }
  return { canary: best.canary, stable: best.total - best.canary };
}

/** trafficWeightToReplicas is ceil(replicas*weight/maxWeight): 33% of 10 is 4 pods. */
export function trafficWeightToReplicas(replicas: number, weight: number, maxWeight = 100): number {
  return Math.ceil((weight * replicas) / maxWeight);
}

/**
 * getReplicasForScaleDown is how many of an RS's replicas count toward availability when deciding
 * how far to scale down: spec when spec < available (the surplus is going away anyway) or when
 * availability may be ignored, else available.
 */
export function getReplicasForScaleDown(rs: RSCounts | null | undefined, ignoreAvailability: boolean): number {
  if (!rs) return 0;
  if (rs.spec < rs.available) return rs.spec;
  return ignoreAvailability ? rs.spec : rs.available;
}

export interface BasicCanaryInput {
  specReplicas: number;
  /** desiredWeight: 0-100 (100 when promoting fully or when there is no distinct stable RS). */
  desiredWeight: number;
  maxSurge: number;
  maxUnavailable: number;
  newRS: RSCounts | null;
  /** stableRS: null when there is none or it is the new RS (CheckStableRSExists false). */
  stableRS: RSCounts | null;
  olderRSs: RSCounts[];
}

function calculateScaleDownReplicaCount(drain: RSCounts | null, desired: number, scaleDownCount: number, current: number): number {
  if (drain && drain.spec > desired) return Math.max(desired, drain.spec - scaleDownCount);
  return current;
}

/** adjustReplicaWithinLimits trims the other RS so the total stays within spec+maxSurge without breaking min availability. */
function adjustReplicaWithinLimits(drain: RSCounts | null, adjust: RSCounts | null, drainCount: number, adjustCount: number, maxAllowed: number, minAvailable: number): [number, number] {
  let over = Math.max(0, adjustCount + drainCount - maxAllowed);
  let totalAvailable = drain ? Math.min(drain.available, drainCount) : 0;
  if (adjust) {
    adjustCount -= over;
    totalAvailable += Math.min(adjust.available, adjustCount);
    const extraAvailable = Math.max(0, adjust.available - adjustCount);
    const moreNeeded = Math.max(0, minAvailable - totalAvailable);
    adjustCount += Math.min(extraAvailable, moreNeeded);
    over = Math.max(0, adjustCount + drainCount - maxAllowed);
    drainCount -= over;
  }
  return [drainCount, adjustCount];
}

/**
 * calculateReplicaCountsForBasicCanary is CalculateReplicaCountsForBasicCanary: the next canary and
 * stable spec.replicas without traffic routing. Example: 10 replicas, weight 10, maxSurge 1,
 * maxUnavailable 0, stable 10/10 → target 1/10 (11 ≤ 10+1), so canary 1, stable 10; once the
 * canary is available the stable drains to 9.
 */
export function calculateReplicaCountsForBasicCanary(p: BasicCanaryInput): Split {
  const spec = p.specReplicas;
  let { canary: desiredNew, stable: desiredStable } = approximateWeightedCanaryStableReplicaCounts(spec, p.desiredWeight, p.maxSurge);
  let newCount = p.newRS ? p.newRS.spec : 0;
  let stableCount = 0;
  const scaleStable = !!p.stableRS;
  if (p.stableRS) stableCount = p.stableRS.spec;
  else {
    desiredNew = spec;
    desiredStable = 0;
  }
  const maxAllowed = spec + p.maxSurge;
  const olderTotal = p.olderRSs.reduce((s, r) => s + r.spec, 0);
  const total = olderTotal + (p.newRS?.spec ?? 0) + (p.stableRS?.spec ?? 0);
  let scaleUp = maxAllowed - total;
  if (p.stableRS && p.stableRS.spec < desiredStable && scaleUp > 0) {
    if (p.stableRS.spec + scaleUp < desiredStable) {
      stableCount = p.stableRS.spec + scaleUp;
      scaleUp = 0;
    } else {
      stableCount = desiredStable;
      scaleUp -= desiredStable - p.stableRS.spec;
    }
  }
  if (p.newRS && p.newRS.spec < desiredNew && scaleUp > 0) {
    newCount = p.newRS.spec + scaleUp < desiredNew ? p.newRS.spec + scaleUp : desiredNew;
  }
  // Older ReplicaSets are drained first, before the new or stable RS is considered for scale-down.
  if (olderTotal > 0) return { canary: newCount, stable: stableCount };
  const minAvailable = spec - p.maxUnavailable;
  const isIncreasing = !p.newRS || desiredNew >= p.newRS.spec;
  const toScaleDown = getReplicasForScaleDown(p.newRS, !isIncreasing) + getReplicasForScaleDown(p.stableRS, isIncreasing);
  if (toScaleDown <= minAvailable) return { canary: newCount, stable: stableCount };
  const scaleDownCount = toScaleDown - minAvailable;
  if (!isIncreasing) {
    newCount = calculateScaleDownReplicaCount(p.newRS, desiredNew, scaleDownCount, newCount);
    [newCount, stableCount] = adjustReplicaWithinLimits(p.newRS, p.stableRS, newCount, stableCount, maxAllowed, minAvailable);
  } else if (scaleStable) {
    stableCount = calculateScaleDownReplicaCount(p.stableRS, desiredStable, scaleDownCount, stableCount);
    [stableCount, newCount] = adjustReplicaWithinLimits(p.stableRS, p.newRS, stableCount, newCount, maxAllowed, minAvailable);
  }
  return { canary: newCount, stable: stableCount };
}

export interface TrafficRoutedInput {
  specReplicas: number;
  desiredWeight: number;
  maxWeight?: number;
  /** setCanaryReplicas: setCanaryScale.replicas in force (already resolved by getCanaryReplicasOrWeight). */
  setCanaryReplicas?: number;
  minPodsPerReplicaSet?: number;
  dynamicStableScale?: boolean;
  aborted?: boolean;
  /** currentWeights: the traffic router's actual weights (status.canary.weights). */
  currentWeights?: { canary: number; stable: number };
}

/** checkMinPodsPerReplicaSet raises a non-zero count to minPodsPerReplicaSet (traffic routing only). */
function checkMinPods(count: number, min: number | undefined, spec: number): number {
  // Capped at spec.replicas: minPodsPerReplicaSet 2 with 1 replica still runs 1 canary pod.
  return count === 0 || min === undefined ? count : Math.max(count, Math.min(min, spec));
}

/**
 * calculateReplicaCountsForTrafficRoutedCanary: canary = ceil(spec*weight/max) (or setCanaryScale);
 * the stable stays at spec.replicas unless dynamicStableScale, when it follows the higher of the
 * desired and the actual stable weight (and an aborting canary keeps pods while traffic still reaches it).
 */
export function calculateReplicaCountsForTrafficRoutedCanary(p: TrafficRoutedInput): Split {
  const spec = p.specReplicas;
  const max = p.maxWeight ?? 100;
  let canary = p.setCanaryReplicas !== undefined ? p.setCanaryReplicas : checkMinPods(trafficWeightToReplicas(spec, p.desiredWeight, max), p.minPodsPerReplicaSet, spec);
  if (!p.dynamicStableScale) return { canary, stable: spec };
  let stable = trafficWeightToReplicas(spec, max - p.desiredWeight, max);
  if (p.currentWeights) {
    stable = Math.max(stable, trafficWeightToReplicas(spec, p.currentWeights.stable, max));
    if (p.aborted) canary = Math.max(trafficWeightToReplicas(spec, p.currentWeights.canary, max), canary);
  }
  return { canary: checkMinPods(canary, p.minPodsPerReplicaSet, spec), stable: checkMinPods(stable, p.minPodsPerReplicaSet, spec) };
}

// ---- rollout-level helpers (read a Rollout's spec and status) ----

/** DEFAULT_MAX_SURGE / DEFAULT_MAX_UNAVAILABLE: utils/defaults (documented as 25%). */
export const DEFAULT_MAX_SURGE = '25%';
export const DEFAULT_MAX_UNAVAILABLE = '25%';

/** normalizePercent turns Argo's bare "25" into "25%" (the Go default constants carry no % sign). */
function normalizePercent(v: unknown, dflt: string): number | string {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'number') return v;
  const s = String(v);
  return /^\d+$/.test(s) ? `${s}%` : s;
}

/** rolloutReplicas is defaults.GetReplicasOrDefault: spec.replicas, 1 when unset. */
export function rolloutReplicas(ro: KubeObject): number {
  const r = ro.spec?.replicas;
  return typeof r === 'number' && Number.isFinite(r) && r >= 0 ? Math.floor(r) : 1;
}

/** fenceposts resolves a canary's maxSurge/maxUnavailable (blue-green: surge 0, unavailable 0). */
export function fenceposts(ro: KubeObject): { maxSurge: number; maxUnavailable: number } {
  const c = ro.spec?.strategy?.canary;
  const replicas = rolloutReplicas(ro);
  if (!c) return { maxSurge: 0, maxUnavailable: 0 };
  const r = resolveFenceposts(normalizePercent(c.maxSurge, DEFAULT_MAX_SURGE), normalizePercent(c.maxUnavailable, DEFAULT_MAX_UNAVAILABLE), replicas);
  if ('error' in r) return { maxSurge: 1, maxUnavailable: 0 };
  return { maxSurge: r.maxSurge, maxUnavailable: replicas === 0 ? 0 : Math.min(r.maxUnavailable, replicas) };
}

/** currentCanaryStep is GetCurrentCanaryStep: the step at status.currentStepIndex (undefined past the end). */
export function currentCanaryStep(ro: KubeObject): { step: any; index: number } | undefined {
  const steps: any[] = ro.spec?.strategy?.canary?.steps ?? [];
  if (!Array.isArray(steps) || steps.length === 0) return undefined;
  const index = ro.status?.currentStepIndex ?? 0;
  return { step: steps[index], index };
}

/** currentSetWeight is GetCurrentSetWeight: the last setWeight at or before the current step; 0 on abort, 100 past the end. */
export function currentSetWeight(ro: KubeObject): number {
  if (ro.status?.abort) return 0;
  const cur = currentCanaryStep(ro);
  if (!cur || cur.step === undefined) return 100;
  const steps = ro.spec.strategy.canary.steps;
  for (let i = cur.index; i >= 0; i--) if (typeof steps[i]?.setWeight === 'number') return steps[i].setWeight;
  return 0;
}

/** abortScaleDownDelaySeconds is GetAbortScaleDownDelaySecondsOrDefault: undefined means "leave it up" (0). */
export function abortScaleDownDelaySeconds(ro: KubeObject): number | undefined {
  const s = ro.spec?.strategy;
  const v = s?.canary?.abortScaleDownDelaySeconds ?? s?.blueGreen?.abortScaleDownDelaySeconds;
  if (v === 0) return undefined;
  if (typeof v === 'number') return v;
  // The default applies to blue-green and to traffic-routed canaries only.
  if (s?.blueGreen || s?.canary?.trafficRouting) return 30;
  return undefined;
}

/** useSetCanaryScale is UseSetCanaryScale: the setCanaryScale in force (traffic routing only). */
export function useSetCanaryScale(ro: KubeObject): any | undefined {
  const c = ro.spec?.strategy?.canary;
  if (!c?.trafficRouting) return undefined;
  if (ro.status?.abort && abortScaleDownDelaySeconds(ro) !== undefined) return undefined;
  const cur = currentCanaryStep(ro);
  if (!cur || cur.step === undefined) return undefined;
  for (let i = cur.index; i >= 0; i--) {
    const scs = c.steps[i]?.setCanaryScale;
    if (!scs) continue;
    if (scs.matchTrafficWeight) return undefined;
    return scs;
  }
  return undefined;
}

/** canaryReplicasOrWeight is GetCanaryReplicasOrWeight. */
export function canaryReplicasOrWeight(ro: KubeObject): { replicas?: number; weight: number } {
  const st = ro.status ?? {};
  if (st.promoteFull || !st.stableRS || st.currentPodHash === st.stableRS) return { weight: 100 };
  const scs = useSetCanaryScale(ro);
  if (scs) {
    if (typeof scs.replicas === 'number') return { replicas: scs.replicas, weight: 0 };
    if (typeof scs.weight === 'number') return { weight: scs.weight };
  }
  return { weight: currentSetWeight(ro) };
}
