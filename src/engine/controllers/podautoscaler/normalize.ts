/**
 * normalize holds horizontal.go's normalization of a metric-based recommendation: the downscale
 * stabilization window and the scale-up limit without spec.behavior, and with it the stabilization
 * windows and the rate policies (Pods/Percent per periodSeconds, selectPolicy Max/Min/Disabled).
 * Pure functions over plain data: the controller keeps the recommendations and scale events in its
 * module state (timestamps in simulated ms).
 */

/** HPAScalingPolicy is one rate policy: at most `value` pods or percent per `periodSeconds`. */
export interface HPAScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

/** HPAScalingRules is one direction of spec.behavior, with API defaults applied. */
export interface HPAScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy: 'Max' | 'Min' | 'Disabled';
  policies: HPAScalingPolicy[];
}

export interface TimestampedRecommendation {
  replicas: number;
  t: number;
}

export interface ScaleEvent {
  change: number;
  t: number;
  outdated?: boolean;
}

/** The limits without spec.behavior: at most max(2 × current, 4) in one step (issue #32304). */
const SCALE_UP_LIMIT_FACTOR = 2;
const SCALE_UP_LIMIT_MINIMUM = 4;

export interface Normalized {
  replicas: number;
  reason: string;
  message: string;
}

const WITHIN: Normalized = { replicas: 0, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };

/** calculateScaleUpLimit is max(2 × current, 4). */
export function calculateScaleUpLimit(currentReplicas: number): number {
  return Math.trunc(Math.max(SCALE_UP_LIMIT_FACTOR * currentReplicas, SCALE_UP_LIMIT_MINIMUM));
}

/** convertDesiredReplicasWithRules clamps without behavior: min, max and the scale-up limit name the condition. */
export function convertDesiredReplicasWithRules(currentReplicas: number, desiredReplicas: number, minReplicas: number, maxReplicas: number): Normalized {
  const scaleUpLimit = calculateScaleUpLimit(currentReplicas);
  let maximum: number;
  let reason: string;
  let message: string;
  if (maxReplicas > scaleUpLimit) {
    maximum = scaleUpLimit;
    reason = 'ScaleUpLimit';
    message = 'the desired replica count is increasing faster than the maximum scale rate';
  } else {
    maximum = maxReplicas;
    reason = 'TooManyReplicas';
    message = 'the desired replica count is more than the maximum replica count';
  }
  if (desiredReplicas < minReplicas) return { replicas: minReplicas, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
  if (desiredReplicas > maximum) return { replicas: maximum, reason, message };
  return { ...WITHIN, replicas: desiredReplicas };
}

/**
 * stabilizeRecommendation (no behavior): the highest recommendation of the last window (300 s) wins,
 * and this one is recorded, replacing a sample older than the window if there is one.
 */
export function stabilizeRecommendation(recs: TimestampedRecommendation[], desired: number, nowMs: number, windowMs: number): number {
  let max = desired;
  let oldIndex = -1;
  const cutoff = nowMs - windowMs;
  recs.forEach((r, i) => {
    if (r.t < cutoff) oldIndex = i;
    else if (r.replicas > max) max = r.replicas;
  });
  if (oldIndex >= 0) recs[oldIndex] = { replicas: desired, t: nowMs };
  else recs.push({ replicas: desired, t: nowMs });
  return max;
}

/**
 * stabilizeRecommendationWithBehaviors: the recommendation is brought within [lowest of the scale-up
 * window, highest of the scale-down window], starting from the current count; a sample older than
 * both windows is replaced by this one.
 */
export function stabilizeRecommendationWithBehaviors(recs: TimestampedRecommendation[], current: number, desired: number, upWindowSeconds: number, downWindowSeconds: number, nowMs: number): Normalized {
  let up = desired;
  let down = desired;
  const upCutoff = nowMs - upWindowSeconds * 1000;
  const downCutoff = nowMs - downWindowSeconds * 1000;
  let oldIndex = -1;
  recs.forEach((r, i) => {
    if (r.t > upCutoff) up = Math.min(r.replicas, up);
    if (r.t > downCutoff) down = Math.max(r.replicas, down);
    if (r.t < upCutoff && r.t < downCutoff) oldIndex = i;
  });
  let recommendation = current;
  if (recommendation < up) recommendation = up;
  if (recommendation > down) recommendation = down;
  if (oldIndex >= 0) recs[oldIndex] = { replicas: desired, t: nowMs };
  else recs.push({ replicas: desired, t: nowMs });
  if (desired >= current) return { replicas: recommendation, reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' };
  return { replicas: recommendation, reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
}

/** getReplicasChangePerPeriod sums the changes of events strictly newer than now − period. */
export function getReplicasChangePerPeriod(periodSeconds: number, events: ScaleEvent[], nowMs: number): number {
  const cutoff = nowMs - periodSeconds * 1000;
  let n = 0;
  for (const e of events) if (e.t > cutoff) n += e.change;
  return n;
}

/**
 * calculateScaleUpLimitWithScalingRules: per policy, the count at the period's start (current − added +
 * removed in the period) plus value pods, or times (1 + value %) rounded up; Max takes the largest.
 * Example: 10 pods, policies Pods 4 and Percent 100 → max(14, 20) = 20.
 */
export function calculateScaleUpLimitWithScalingRules(current: number, upEvents: ScaleEvent[], downEvents: ScaleEvent[], rules: HPAScalingRules, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const min = rules.selectPolicy === 'Min';
  let result = min ? Infinity : -Infinity;
  for (const p of rules.policies) {
    const start = current - getReplicasChangePerPeriod(p.periodSeconds, upEvents, nowMs) + getReplicasChangePerPeriod(p.periodSeconds, downEvents, nowMs);
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = min ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** calculateScaleDownLimitWithBehaviors: the period's start minus value pods, or times (1 − value %) truncated. */
export function calculateScaleDownLimitWithBehaviors(current: number, upEvents: ScaleEvent[], downEvents: ScaleEvent[], rules: HPAScalingRules, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const min = rules.selectPolicy === 'Min';
  let result = min ? -Infinity : Infinity;
  for (const p of rules.policies) {
    const start = current - getReplicasChangePerPeriod(p.periodSeconds, upEvents, nowMs) + getReplicasChangePerPeriod(p.periodSeconds, downEvents, nowMs);
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = min ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

export interface BehaviorArgs {
  currentReplicas: number;
  desiredReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  scaleUp: HPAScalingRules;
  scaleDown: HPAScalingRules;
  scaleUpEvents: ScaleEvent[];
  scaleDownEvents: ScaleEvent[];
  nowMs: number;
}

/** convertDesiredReplicasWithBehaviorRate applies the rate limits, never past the current count, then min/max. */
export function convertDesiredReplicasWithBehaviorRate(a: BehaviorArgs): Normalized {
  if (a.desiredReplicas > a.currentReplicas) {
    let limit = calculateScaleUpLimitWithScalingRules(a.currentReplicas, a.scaleUpEvents, a.scaleDownEvents, a.scaleUp, a.nowMs);
    if (limit < a.currentReplicas) limit = a.currentReplicas;
    let maximum = a.maxReplicas;
    let reason = 'TooManyReplicas';
    let message = 'the desired replica count is more than the maximum replica count';
    if (maximum > limit) {
      maximum = limit;
      reason = 'ScaleUpLimit';
      message = 'the desired replica count is increasing faster than the maximum scale rate';
    }
    if (a.desiredReplicas > maximum) return { replicas: maximum, reason, message };
  } else if (a.desiredReplicas < a.currentReplicas) {
    let limit = calculateScaleDownLimitWithBehaviors(a.currentReplicas, a.scaleUpEvents, a.scaleDownEvents, a.scaleDown, a.nowMs);
    if (limit > a.currentReplicas) limit = a.currentReplicas;
    let minimum = a.minReplicas;
    let reason = 'TooFewReplicas';
    let message = 'the desired replica count is less than the minimum replica count';
    if (minimum < limit) {
      minimum = limit;
      reason = 'ScaleDownLimit';
      message = 'the desired replica count is decreasing faster than the maximum scale rate';
    }
    if (a.desiredReplicas < minimum) return { replicas: minimum, reason, message };
  }
  return { ...WITHIN, replicas: a.desiredReplicas };
}

/** getLongestPolicyPeriod is the longest periodSeconds of the rules' policies (how long events matter). */
export function getLongestPolicyPeriod(rules: HPAScalingRules): number {
  let n = 0;
  for (const p of rules.policies) if (p.periodSeconds > n) n = p.periodSeconds;
  return n;
}

/** storeScaleEvent records a rescale, reusing the slot of an event older than the longest policy period. */
export function storeScaleEvent(events: ScaleEvent[], change: number, longestPeriodSeconds: number, nowMs: number): void {
  const cutoff = nowMs - longestPeriodSeconds * 1000;
  let oldIndex = -1;
  events.forEach((e, i) => {
    if (e.t < cutoff) e.outdated = true;
    if (e.outdated) oldIndex = i;
  });
  const ev: ScaleEvent = { change, t: nowMs };
  if (oldIndex >= 0) events[oldIndex] = ev;
  else events.push(ev);
}
