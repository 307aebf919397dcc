import type { Pod } from '../../../api/types.ts';
import type { NodeInfo } from '../../framework/nodeinfo.ts';
import { podRequestsMemo } from '../../framework/resource.ts';
import { SKIP, type Plugin } from '../../framework/types.ts';
import { allocatableAndRequested, balancedResourceScorer, DEFAULT_RESOURCES, podScoringRequests, type ResourceSpec } from '../NodeResourcesFit/resource_allocation.ts';

/** Name is the plugin's registry name. */
export const Name = 'NodeResourcesBalancedAllocation';

/** BalancedAllocationArgs is config.NodeResourcesBalancedAllocationArgs (default cpu, memory). */
export interface BalancedAllocationArgs {
  resources?: ResourceSpec[];
}

const KEY = 'PreScore' + Name;

/**
 * balancedCpuMemory is the score for the default resources on a node that has both: two fractions,
 * std = |f1 - f2| / 2, with the generic path's arithmetic.
 */
function balancedCpuMemory(node: NodeInfo, cpu: number, memory: number): number {
  const fc = Math.min(1, (node.reqCPU + cpu) / node.allocCPU);
  const fm = Math.min(1, (node.reqMemory + memory) / node.allocMemory);
  // In [0, 100]: `| 0` is Math.trunc here, and a small integer is returned unboxed.
  return ((1 - Math.abs((fc - fm) / 2)) * 100) | 0;
}

export function newBalancedAllocation(args: BalancedAllocationArgs = {}): Plugin {
  const resources = args.resources ?? DEFAULT_RESOURCES;
  const cpuMemory = resources.length === 2 && resources[0].name === 'cpu' && resources[1].name === 'memory';
  const alloc = new Array<number>(resources.length).fill(0);
  const req = new Array<number>(resources.length).fill(0);
  /** scoreNode is Score for one node, given PreScore's requests. */
  const scoreNode = (podReq: number[], node: NodeInfo): number => {
    if (cpuMemory && node.allocCPU !== 0 && node.allocMemory !== 0) return balancedCpuMemory(node, podReq[0], podReq[1]);
    allocatableAndRequested(resources, node, podReq, true, alloc, req);
    return balancedResourceScorer(req, alloc);
  };
  return {
    name: Name,
    preScore(state, pod: Pod) {
      const r = podRequestsMemo(pod.spec).requests;
      const podReq = podScoringRequests(resources, r, 0, 0, true);
      // A pod that requests nothing cannot unbalance a node: upstream skips the plugin for it.
      if (podReq.every((v) => v === 0)) return SKIP;
      state.set(KEY, podReq);
      return null;
    },
    score(state, _pod, node) {
      return scoreNode(state.get(KEY) as number[], node);
    },
    scoreAll(state, _pod, nodes, out) {
      const podReq = state.get(KEY) as number[];
      for (let i = 0; i < nodes.length; i++) out[i] = scoreNode(podReq, nodes[i]);
    },
  };
}
