import type { NodeSpec } from '../kubelet/index.ts';
import type { ScenarioSpec } from './types.ts';

/** DEFAULT_SEED is the seed of a scenario that does not give one (and of a plain manifest file). */
export const DEFAULT_SEED = 1;

/** DEFAULT_NODE_CAPACITY fills whatever a node entry's capacity leaves out: a common 4-CPU, 8 GiB worker. */
export const DEFAULT_NODE_CAPACITY: Readonly<Record<string, string>> = { cpu: '4', memory: '8Gi', pods: '110' };

/** defaultNodes is the cluster of a scenario without spec.cluster.nodes: worker-1, worker-2, worker-3. */
export function defaultNodes(): NodeSpec[] {
  return [1, 2, 3].map((i) => ({ name: `worker-${i}`, capacity: { ...DEFAULT_NODE_CAPACITY } }));
}

/** defaultSpec is the spec a plain manifest file runs with, and what a Scenario's missing fields default to. */
export function defaultSpec(): ScenarioSpec {
  return { seed: DEFAULT_SEED, concepts: [], nodes: defaultNodes(), images: {}, traffic: [], timeline: [] };
}
