/**
 * replica_calculator is upstream's pkg/controller/podautoscaler/replica_calculator.go (and
 * metrics/utilization.go): from per-pod metric values to a desired replica count, with the
 * tolerance and the missing/unready pod rules. Pure functions: the controller gathers the pods and
 * the metrics, these do the arithmetic exactly as upstream (int64 milli-values, int32 utilization).
 */

/** DEFAULT_TOLERANCE is --horizontal-pod-autoscaler-tolerance (0.1): no change within ±10 %. */
export const DEFAULT_TOLERANCE = 0.1;
/** CPU_INITIALIZATION_PERIOD_MS is --horizontal-pod-autoscaler-cpu-initialization-period (5 min). */
export const CPU_INITIALIZATION_PERIOD_MS = 300_000;
/** INITIAL_READINESS_DELAY_MS is --horizontal-pod-autoscaler-initial-readiness-delay (30 s). */
export const INITIAL_READINESS_DELAY_MS = 30_000;

/** Tolerances are the scale-down and scale-up tolerances (both 0.1 unless configured). */
export interface Tolerances {
  scaleDown: number;
  scaleUp: number;
}

export const DEFAULT_TOLERANCES: Tolerances = { scaleDown: DEFAULT_TOLERANCE, scaleUp: DEFAULT_TOLERANCE };

/** isWithin: 1 − down ≤ ratio ≤ 1 + up means "close enough, keep the current count". */
export function isWithin(t: Tolerances, usageRatio: number): boolean {
  return 1.0 - t.scaleDown <= usageRatio && usageRatio <= 1.0 + t.scaleUp;
}

/** PodMetric is one pod's value (milli-units) with the timestamp and window it was measured over. */
export interface PodMetric {
  value: number;
  timestampMs: number;
  windowMs: number;
}

/**
 * CalcPod is what the calculator needs to know about a pod: its phase, whether it is being deleted,
 * its Ready condition (status and last transition), its start time, and its request of the resource
 * (undefined when a container has none).
 */
export interface CalcPod {
  name: string;
  phase?: string;
  deleting?: boolean;
  ready?: { status: string; lastTransitionMs: number };
  startTimeMs?: number;
  requestMilli?: number;
  /** missingRequestError: the message when a container has no request for the resource. */
  missingRequestError?: string;
}

export type PodMetricsInfo = Map<string, PodMetric>;

export interface GroupedPods {
  readyPodCount: number;
  unreadyPods: Set<string>;
  missingPods: Set<string>;
  ignoredPods: Set<string>;
}

/**
 * groupPods sorts pods as upstream: deleted and terminal pods are ignored; Pending pods are unready;
 * pods without a metric are missing; for CPU, a pod is unready when it has no Ready condition or
 * start time, or — within the CPU initialization period (5 min after start) — when it is not Ready or
 * its metric was not taken a whole window after it last turned Ready, or — after that period — when
 * it is not Ready and never was (it turned unready within the initial readiness delay, 30 s, of start).
 */
export function groupPods(pods: CalcPod[], metrics: PodMetricsInfo, resource: string, nowMs: number, cpuInitializationPeriodMs = CPU_INITIALIZATION_PERIOD_MS, delayOfInitialReadinessStatusMs = INITIAL_READINESS_DELAY_MS): GroupedPods {
  const g: GroupedPods = { readyPodCount: 0, unreadyPods: new Set(), missingPods: new Set(), ignoredPods: new Set() };
  for (const pod of pods) {
    if (pod.deleting || pod.phase === 'Failed' || pod.phase === 'Succeeded') {
      g.ignoredPods.add(pod.name);
      continue;
    }
    if (pod.phase === 'Pending') {
      g.unreadyPods.add(pod.name);
      continue;
    }
    const metric = metrics.get(pod.name);
    if (!metric) {
      g.missingPods.add(pod.name);
      continue;
    }
    if (resource === 'cpu') {
      let unready: boolean;
      const cond = pod.ready;
      if (!cond || pod.startTimeMs === undefined) unready = true;
      else if (pod.startTimeMs + cpuInitializationPeriodMs > nowMs) {
        unready = cond.status === 'False' || metric.timestampMs < cond.lastTransitionMs + metric.windowMs;
      } else {
        unready = cond.status === 'False' && pod.startTimeMs + delayOfInitialReadinessStatusMs > cond.lastTransitionMs;
      }
      if (unready) {
        g.unreadyPods.add(pod.name);
        continue;
      }
    }
    g.readyPodCount++;
  }
  return g;
}

/**
 * getResourceUtilizationRatio is metrics.GetResourceUtilizationRatio: utilization is the integer
 * int32(sum(usage) × 100 / sum(requests)) over pods with both, and the ratio uses that truncated value.
 */
export function getResourceUtilizationRatio(metrics: PodMetricsInfo, requests: Map<string, number>, targetUtilization: number): { usageRatio: number; utilization: number; rawAverage: number } | { error: string } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let n = 0;
  for (const [pod, m] of metrics) {
    const r = requests.get(pod);
    if (r === undefined) continue;
    metricsTotal += m.value;
    requestsTotal += r;
    n++;
  }
  if (requestsTotal === 0) return { error: 'no metrics returned matched known pods' };
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { usageRatio: utilization / targetUtilization, utilization, rawAverage: Math.trunc(metricsTotal / n) };
}

/** getMetricUsageRatio is metrics.GetMetricUsageRatio: the plain average (integer division) over the target. */
export function getMetricUsageRatio(metrics: PodMetricsInfo, targetUsage: number): { usageRatio: number; usage: number } {
  let total = 0;
  for (const m of metrics.values()) total += m.value;
  const usage = Math.trunc(total / metrics.size);
  return { usageRatio: usage / targetUsage, usage };
}

export type CalcResult<T> = T | { error: string };

/**
 * getResourceReplicas is ReplicaCalculator.GetResourceReplicas (Utilization targets). Example, target
 * 50 %, 3 pods at 90 %, 90 % and no metric: usage 90 % → ratio 1.8; on a scale-up the missing pod counts
 * as 0 %, so (90+90+0)/3 = 60 % → ratio 1.2 → ceil(1.2 × 3) = 4 (not ceil(1.8 × 2) = 4 by luck).
 */
export function getResourceReplicas(currentReplicas: number, targetUtilization: number, resource: string, pods: CalcPod[], podMetrics: PodMetricsInfo, nowMs: number, tolerances: Tolerances = DEFAULT_TOLERANCES): CalcResult<{ replicas: number; utilization: number; rawUtilization: number }> {
  if (pods.length === 0) return { error: 'no pods returned by selector while calculating replica count' };
  const metrics: PodMetricsInfo = new Map(podMetrics);
  const g = groupPods(pods, metrics, resource, nowMs);
  for (const p of g.ignoredPods) metrics.delete(p);
  for (const p of g.unreadyPods) metrics.delete(p);
  if (metrics.size === 0) return { error: 'did not receive metrics for targeted pods (pods might be unready)' };
  const requests = new Map<string, number>();
  for (const p of pods) {
    if (p.requestMilli === undefined) return { error: p.missingRequestError ?? `missing request for ${resource}` };
    requests.set(p.name, p.requestMilli);
  }
  const first = getResourceUtilizationRatio(metrics, requests, targetUtilization);
  if ('error' in first) return first;
  const { usageRatio, utilization, rawAverage } = first;
  const done = (replicas: number) => ({ replicas, utilization, rawUtilization: rawAverage });

  const scaleUpWithUnready = g.unreadyPods.size > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && g.missingPods.size === 0) {
    if (isWithin(tolerances, usageRatio)) return done(currentReplicas);
    return done(Math.ceil(usageRatio * g.readyPodCount));
  }
  if (g.missingPods.size > 0) {
    if (usageRatio < 1.0) {
      // On a scale-down a missing pod counts as using 100 % of its request, or the target when above 100 %.
      const fallback = Math.max(100, targetUtilization);
      for (const p of g.missingPods) metrics.set(p, { value: Math.trunc((requests.get(p)! * fallback) / 100), timestampMs: 0, windowMs: 0 });
    } else if (usageRatio > 1.0) {
      for (const p of g.missingPods) metrics.set(p, { value: 0, timestampMs: 0, windowMs: 0 });
    }
  }
  if (scaleUpWithUnready) for (const p of g.unreadyPods) metrics.set(p, { value: 0, timestampMs: 0, windowMs: 0 });

  const second = getResourceUtilizationRatio(metrics, requests, targetUtilization);
  if ('error' in second) return second;
  const newRatio = second.usageRatio;
  if (isWithin(tolerances, newRatio) || (usageRatio < 1.0 && newRatio > 1.0) || (usageRatio > 1.0 && newRatio < 1.0)) return done(currentReplicas);
  const newReplicas = Math.ceil(newRatio * metrics.size);
  if ((newRatio < 1.0 && newReplicas > currentReplicas) || (newRatio > 1.0 && newReplicas < currentReplicas)) return done(currentReplicas);
  return done(newReplicas);
}

/**
 * calcPlainMetricReplicas is ReplicaCalculator.calcPlainMetricReplicas (AverageValue resource targets
 * and Pods metrics): the same rules with the plain average; a missing pod on a scale-down counts as
 * exactly the target. Readiness is only considered when resource is "cpu".
 */
export function calcPlainMetricReplicas(podMetrics: PodMetricsInfo, currentReplicas: number, targetUsage: number, resource: string, pods: CalcPod[], nowMs: number, tolerances: Tolerances = DEFAULT_TOLERANCES): CalcResult<{ replicas: number; usage: number }> {
  if (pods.length === 0) return { error: 'no pods returned by selector while calculating replica count' };
  const metrics: PodMetricsInfo = new Map(podMetrics);
  const g = groupPods(pods, metrics, resource, nowMs);
  for (const p of g.ignoredPods) metrics.delete(p);
  for (const p of g.unreadyPods) metrics.delete(p);
  if (metrics.size === 0) return { error: 'did not receive metrics for targeted pods (pods might be unready)' };
  const { usageRatio, usage } = getMetricUsageRatio(metrics, targetUsage);
  const scaleUpWithUnready = g.unreadyPods.size > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && g.missingPods.size === 0) {
    if (isWithin(tolerances, usageRatio)) return { replicas: currentReplicas, usage };
    return { replicas: Math.ceil(usageRatio * g.readyPodCount), usage };
  }
  if (g.missingPods.size > 0) {
    const v = usageRatio < 1.0 ? targetUsage : usageRatio > 1.0 ? 0 : undefined;
    if (v !== undefined) for (const p of g.missingPods) metrics.set(p, { value: v, timestampMs: 0, windowMs: 0 });
  }
  if (scaleUpWithUnready) for (const p of g.unreadyPods) metrics.set(p, { value: 0, timestampMs: 0, windowMs: 0 });
  const newRatio = getMetricUsageRatio(metrics, targetUsage).usageRatio;
  if (isWithin(tolerances, newRatio) || (usageRatio < 1.0 && newRatio > 1.0) || (usageRatio > 1.0 && newRatio < 1.0)) return { replicas: currentReplicas, usage };
  const newReplicas = Math.ceil(newRatio * metrics.size);
  if ((newRatio < 1.0 && newReplicas > currentReplicas) || (newRatio > 1.0 && newReplicas < currentReplicas)) return { replicas: currentReplicas, usage };
  return { replicas: newReplicas, usage };
}

/**
 * getUsageRatioReplicaCount is the Object/External Value rule: within tolerance keep the count, else
 * ceil(ratio × ready pods); from zero replicas, ceil(ratio).
 */
export function getUsageRatioReplicaCount(currentReplicas: number, usageRatio: number, readyPods: number, tolerances: Tolerances = DEFAULT_TOLERANCES): number {
  if (currentReplicas === 0) return Math.ceil(usageRatio);
  if (isWithin(tolerances, usageRatio)) return currentReplicas;
  return Math.ceil(usageRatio * readyPods);
}

/**
 * getPerPodMetricReplicas is GetObjectPerPodMetricReplicas / GetExternalPerPodMetricReplicas (AverageValue):
 * desired = ceil(total / targetAverage) unless total / (target × replicas) is within tolerance; the
 * reported value is ceil(total / statusReplicas).
 */
export function getPerPodMetricReplicas(statusReplicas: number, targetAverage: number, total: number, tolerances: Tolerances = DEFAULT_TOLERANCES): { replicas: number; usage: number } {
  let replicas = statusReplicas;
  const usageRatio = total / (targetAverage * replicas);
  if (!isWithin(tolerances, usageRatio)) replicas = Math.ceil(total / targetAverage);
  return { replicas, usage: statusReplicas === 0 ? 0 : Math.ceil(total / statusReplicas) };
}
