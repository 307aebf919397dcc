import type { Pod } from '../../../api/types.ts';
import { podRequestsMemo, type Resource } from '../../framework/resource.ts';
import { asksScalar, nodeFitsQuickly, type NodeInfo } from '../../framework/nodeinfo.ts';
import type { CycleState, Plugin } from '../../framework/types.ts';
import { fitsRequest } from './fit.ts';
import {
  allocatableAndRequested,
  DEFAULT_RESOURCES,
  leastRequestedScore,
  mostRequestedScore,
  podScoringRequests,
  requestedToCapacityRatioScorer,
  weightedScorer,
  type ResourceSpec,
  type UtilizationShapePoint,
} from './resource_allocation.ts';

export { ErrReasonTooManyPods, insufficientReason, fitsRequest, type InsufficientResource } from './fit.ts';

/** Name is the plugin's registry name. */
export const Name = 'NodeResourcesFit';

/** NodeResourcesFitArgs is config.NodeResourcesFitArgs. Default strategy LeastAllocated on cpu/memory. */
export interface NodeResourcesFitArgs {
  ignoredResources?: string[];
  ignoredResourceGroups?: string[];
  scoringStrategy?: {
    type?: 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';
    resources?: ResourceSpec[];
    requestedToCapacityRatio?: { shape: UtilizationShapePoint[] };
  };
}

/** validateResources is ValidateNodeResourcesFitArgs' weight rule: every weight in 1..100. */
export function validateResources(resources: ResourceSpec[]): void {
  for (const r of resources) {
    if (!(r.weight >= 1 && r.weight <= 100)) {
      throw new Error(`scoringStrategy.resources[${r.name}].weight: Invalid value: ${r.weight}: resource weight of ${r.name} should be in the range of 1-100`);
    }
  }
}

const FILTER_KEY = 'PreFilter' + Name;
const SCORE_KEY = 'PreScore' + Name;

/**
 * leastAllocatedCpuMemory is the default profile's score (LeastAllocated, cpu:1 memory:1) without the
 * generic vectors, with the same arithmetic: each resource's (allocatable - requested) * 100 /
 * allocatable, averaged over the resources the node has.
 */
function leastAllocatedCpuMemory(node: NodeInfo, cpu: number, memory: number): number {
  const ac = node.allocCPU;
  const am = node.allocMemory;
  let sum = 0;
  let w = 0;
  if (ac !== 0) {
    sum += leastRequestedScore(node.nonZeroCPU + cpu, ac);
    w++;
  }
  if (am !== 0) {
    sum += leastRequestedScore(node.nonZeroMemory + memory, am);
    w++;
  }
  // sum / w is in [0, 100]: `| 0` truncates as Math.trunc does, and returns a small integer
  // (a float result is boxed: 230 nodes x 20,000 pods of garbage in the 10,000-pod bench).
  return w === 0 ? 0 : (sum / w) | 0;
}

export function newNodeResourcesFit(args: NodeResourcesFitArgs = {}): Plugin {
  const ignored = new Set(args.ignoredResources ?? []);
  const ignoredGroups = new Set(args.ignoredResourceGroups ?? []);
  const resources = args.scoringStrategy?.resources ?? DEFAULT_RESOURCES;
  validateResources(resources);
  const type = args.scoringStrategy?.type ?? 'LeastAllocated';
  const scorer =
    type === 'MostAllocated'
      ? weightedScorer(resources, mostRequestedScore)
      : type === 'RequestedToCapacityRatio'
        ? requestedToCapacityRatioScorer(resources, args.scoringStrategy?.requestedToCapacityRatio?.shape ?? [])
        : weightedScorer(resources, leastRequestedScore);
  const defaultLeast = type === 'LeastAllocated' && resources.length === 2 && resources[0].name === 'cpu' && resources[1].name === 'memory' && resources[0].weight === 1 && resources[1].weight === 1;
  const alloc = new Array<number>(resources.length).fill(0);
  const req = new Array<number>(resources.length).fill(0);
  /** scoreNode is Score for one node, given PreScore's scoring requests. */
  const scoreNode = (podReq: number[], node: NodeInfo): number => {
    if (defaultLeast) return leastAllocatedCpuMemory(node, podReq[0], podReq[1]);
    allocatableAndRequested(resources, node, podReq, false, alloc, req);
    return scorer(req, alloc);
  };
  // The cycle PreFilter last ran for and its requests: Filter runs for ~230 nodes per pod and
  // reads them without a CycleState lookup each time (another cycle's state is still read from it).
  let cycle: CycleState | undefined;
  let cycleReq: Resource | undefined;
  const requestsIn = (state: CycleState): Resource => (state === cycle ? cycleReq! : (state.get(FILTER_KEY) as Resource));
  return {
    name: Name,
    preFilter(state: CycleState, pod: Pod) {
      const requests = podRequestsMemo(pod.spec).requests;
      state.set(FILTER_KEY, requests);
      cycle = state;
      cycleReq = requests;
      return null;
    },
    filter(state, _pod, node) {
      const podReq = requestsIn(state);
      if (nodeFitsQuickly(podReq, node)) return null;
      const bad = fitsRequest(podReq, { allocatable: node.allocatable, requested: node.requested, allowedPodNumber: node.allowedPodNumber, podCount: node.podCount }, ignored, ignoredGroups);
      if (bad.length === 0) return null;
      return { code: 'Unschedulable', reasons: bad.map((b) => b.reason) };
    },
    quickFilter(state) {
      const podReq = requestsIn(state);
      // Extended resources are fitsRequest's to decide (ignored resources and groups).
      return asksScalar(podReq) ? null : { fits: podReq };
    },
    preScore(state, pod: Pod) {
      const { requests, nonZero } = podRequestsMemo(pod.spec);
      state.set(SCORE_KEY, podScoringRequests(resources, requests, nonZero.milliCPU, nonZero.memory, false));
      return null;
    },
    score(state, _pod, node) {
      return scoreNode(state.get(SCORE_KEY) as number[], node);
    },
    scoreAll(state, _pod, nodes, out) {
      const podReq = state.get(SCORE_KEY) as number[];
      for (let i = 0; i < nodes.length; i++) out[i] = scoreNode(podReq, nodes[i]);
    },
  };
}
