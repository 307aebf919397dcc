import type { NodeInfo } from '../../framework/nodeinfo.ts';
import { resourceAmount, type Resource } from '../../framework/resource.ts';

/** ResourceSpec is config.ResourceSpec: a resource name and its scoring weight (1..100). */
export interface ResourceSpec {
  name: string;
  weight: number;
}

/** DEFAULT_RESOURCES is upstream's default scoring resources: cpu and memory, weight 1 each. */
export const DEFAULT_RESOURCES: ResourceSpec[] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

function isExtended(name: string): boolean {
  return name !== 'cpu' && name !== 'memory' && name !== 'ephemeral-storage';
}

/**
 * podScoringRequests is resourceAllocationScorer's per-pod request vector. useRequested=false
 * (Least/MostAllocated, RequestedToCapacityRatio) counts request-less containers as 100m/200Mi;
 * BalancedAllocation (useRequested=true) takes the literal requests.
 */
export function podScoringRequests(resources: ResourceSpec[], req: Resource, nonZeroCPU: number, nonZeroMemory: number, useRequested: boolean): number[] {
  return resources.map((r) => {
    if (!useRequested && r.name === 'cpu') return nonZeroCPU;
    if (!useRequested && r.name === 'memory') return nonZeroMemory;
    return resourceAmount(req, r.name);
  });
}

/**
 * allocatableAndRequested is calculateResourceAllocatableRequest for every configured resource:
 * [allocatable, node requested + pod request]. An extended resource the pod does not ask for is
 * skipped (allocatable 0), so a GPU node is not scored down for its idle GPUs.
 */
export function allocatableAndRequested(
  resources: ResourceSpec[],
  node: NodeInfo,
  podReq: number[],
  useRequested: boolean,
  alloc: number[],
  requested: number[],
): void {
  for (let i = 0; i < resources.length; i++) {
    const name = resources[i].name;
    alloc[i] = 0;
    requested[i] = 0;
    if (isExtended(name) && podReq[i] === 0) continue;
    const a = resourceAmount(node.allocatable, name);
    if (a === 0) continue;
    let nodeReq: number;
    if (!useRequested && name === 'cpu') nodeReq = node.nonZeroCPU;
    else if (!useRequested && name === 'memory') nodeReq = node.nonZeroMemory;
    else nodeReq = resourceAmount(node.requested, name);
    alloc[i] = a;
    requested[i] = nodeReq + podReq[i];
  }
}

/** leastRequestedScore: (capacity - requested) * 100 / capacity, integer division; 0 when over capacity. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  // In [0, 100] (requested <= capacity): `| 0` truncates as Math.trunc, with an unboxed result.
  return (((capacity - requested) * 100) / capacity) | 0;
}

/** mostRequestedScore: requested * 100 / capacity, requested capped at capacity. */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  if (requested > capacity) requested = capacity;
  return Math.trunc((requested * 100) / capacity);
}

/** weightedScorer averages per-resource scores by weight (integer division), skipping absent resources. */
export function weightedScorer(resources: ResourceSpec[], per: (req: number, cap: number) => number) {
  return (requested: number[], alloc: number[]): number => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (alloc[i] === 0) continue;
      nodeScore += per(requested[i], alloc[i]) * resources[i].weight;
      weightSum += resources[i].weight;
    }
    return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  };
}

/** UtilizationShapePoint is config.UtilizationShapePoint: utilization 0..100 → score 0..10. */
export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}

/**
 * requestedToCapacityRatioScorer is upstream's broken-linear scorer. Shape scores 0..10 are scaled
 * ×10 to 0..100; over-capacity counts as 100% utilization; resources scoring 0 are left out of the
 * average, which is rounded (math.Round), unlike Least/MostAllocated.
 */
export function requestedToCapacityRatioScorer(resources: ResourceSpec[], shape: UtilizationShapePoint[]) {
  const pts = shape.map((p) => ({ u: p.utilization, s: p.score * 10 }));
  const f = (p: number): number => {
    for (let i = 0; i < pts.length; i++) {
      if (p <= pts[i].u) {
        if (i === 0) return pts[0].s;
        return pts[i - 1].s + Math.trunc(((pts[i].s - pts[i - 1].s) * (p - pts[i - 1].u)) / (pts[i].u - pts[i - 1].u));
      }
    }
    return pts[pts.length - 1].s;
  };
  const per = (req: number, cap: number): number => (cap === 0 || req > cap ? f(100) : f(Math.trunc((req * 100) / cap)));
  return (requested: number[], alloc: number[]): number => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (alloc[i] === 0) continue;
      const s = per(requested[i], alloc[i]);
      if (s > 0) {
        nodeScore += s * resources[i].weight;
        weightSum += resources[i].weight;
      }
    }
    return weightSum === 0 ? 0 : Math.round(nodeScore / weightSum);
  };
}

/**
 * balancedResourceScorer is NodeResourcesBalancedAllocation's score: (1 - stddev of the
 * requested/allocatable fractions) × 100, truncated. Two resources: stddev = |f1 - f2| / 2,
 * so cpu 3/4 and memory 5/10 give (1 - 0.125) × 100 = 87.
 */
export function balancedResourceScorer(requested: number[], alloc: number[]): number {
  const fractions: number[] = [];
  let total = 0;
  for (let i = 0; i < requested.length; i++) {
    if (alloc[i] === 0) continue;
    let f = requested[i] / alloc[i];
    if (f > 1) f = 1;
    total += f;
    fractions.push(f);
  }
  let std = 0;
  if (fractions.length === 2) std = Math.abs((fractions[0] - fractions[1]) / 2);
  else if (fractions.length > 2) {
    const mean = total / fractions.length;
    let sum = 0;
    for (const f of fractions) sum += (f - mean) * (f - mean);
    std = Math.sqrt(sum / fractions.length);
  }
  return Math.trunc((1 - std) * 100);
}
