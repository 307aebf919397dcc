/**
 * estimator.ts: the recommender's estimators (pkg/recommender/logic/estimator.go and
 * recommender.go), over an aggregate of one container's usage history (aggregate.ts).
 *
 *   target     = max(minimum, p90(CPU)  × 1.15)            memory: p90 of the peaks × 1.15
 *   lowerBound = max(minimum, p50 × 1.15 × (1 + 0.001/confidence)^−2)
 *   upperBound = max(minimum, p95 × 1.15 × (1 + 1/confidence)^+1)
 *
 * confidence is getConfidence: min(history length in days, samples / 1440) — N for N days of one
 * sample a minute. With 10 minutes of history it is 0.0069, so the upper bound is ×145 (the
 * updater will not evict to reclaim resources yet) and the lower bound ×0.76; after a day the
 * factors are ×2 and ×0.998. minimum is 25m CPU and 250Mi memory per pod, split evenly among the
 * pod's containers. Amounts are integers (millicores, bytes), truncated as ResourceAmount is.
 */
import { CPU_HISTOGRAM, MEMORY_HISTOGRAM, percentile } from './histogram.ts';
import type { AggregateState } from './aggregate.ts';
import { RECOMMENDER_DEFAULTS as D } from './types.ts';

/** Estimate is one resource set: CPU in millicores, memory in bytes. */
export interface Estimate {
  cpu: number;
  memory: number;
}

export interface ContainerEstimate {
  target: Estimate;
  lowerBound: Estimate;
  upperBound: Estimate;
}

const DAY_MS = 24 * 3600_000;

/** getConfidence is estimator.go's getConfidence. */
export function getConfidence(s: AggregateState): number {
  const lifespanInDays = (s.lastSampleStart - s.firstSampleStart) / DAY_MS;
  const samplesAmount = s.totalSamplesCount / (60 * 24);
  return Math.min(lifespanInDays, samplesAmount);
}

/** scale is model.ScaleResource: the product truncated to an integer amount (never negative). */
function scale(amount: number, factor: number): number {
  const v = amount * factor;
  return v > 0 && Number.isFinite(v) ? Math.floor(v) : v === Infinity ? Number.MAX_SAFE_INTEGER : 0;
}

function withMargin(base: number): number {
  return base + scale(base, D.safetyMarginFraction);
}

function confidenceMultiplier(base: number, multiplier: number, exponent: number, confidence: number): number {
  return scale(base, Math.pow(1 + multiplier / confidence, exponent));
}

/** cpuAt / memoryAt are the percentile estimators: millicores (CPUAmountFromCores truncates) and bytes. */
function cpuAt(s: AggregateState, p: number): number {
  return Math.floor(percentile(s.cpu, CPU_HISTOGRAM, p) * 1000);
}

function memoryAt(s: AggregateState, p: number): number {
  return Math.floor(percentile(s.memory, MEMORY_HISTOGRAM, p));
}

/**
 * estimateContainerResources is podResourceRecommender.estimateContainerResources with the
 * default estimator chain (CreatePodResourceRecommender) and the per-pod minimum split over
 * containersPerPod.
 */
export function estimateContainerResources(s: AggregateState, containersPerPod: number): ContainerEstimate {
  const fraction = 1 / Math.max(1, containersPerPod);
  const minCPU = scale(D.podMinCPUMillicores, fraction);
  const minMemory = scale(D.podMinMemoryMb * 1024 * 1024, fraction);
  const conf = getConfidence(s);
  const est = (cpuP: number, memP: number, mult?: [number, number]): Estimate => {
    let cpu = withMargin(cpuAt(s, cpuP));
    let memory = withMargin(memoryAt(s, memP));
    if (mult) {
      cpu = confidenceMultiplier(cpu, mult[0], mult[1], conf);
      memory = confidenceMultiplier(memory, mult[0], mult[1], conf);
    }
    return { cpu: Math.max(cpu, minCPU), memory: Math.max(memory, minMemory) };
  };
  return {
    target: est(D.targetCPUPercentile, D.targetMemoryPercentile),
    lowerBound: est(D.lowerBoundCPUPercentile, D.lowerBoundMemoryPercentile, [0.001, -2]),
    upperBound: est(D.upperBoundCPUPercentile, D.upperBoundMemoryPercentile, [1, 1]),
  };
}
