import type { Handle, Plugin, PluginFactory } from './types.ts';
import { newNodeUnschedulable, Name as NodeUnschedulable } from '../plugins/NodeUnschedulable/index.ts';
import { newNodeName, Name as NodeName } from '../plugins/NodeName/index.ts';
import { newTaintToleration, Name as TaintToleration } from '../plugins/TaintToleration/index.ts';
import { newNodeAffinity, Name as NodeAffinity } from '../plugins/NodeAffinity/index.ts';
import { newNodePorts, Name as NodePorts } from '../plugins/NodePorts/index.ts';
import { newNodeResourcesFit, Name as NodeResourcesFit } from '../plugins/NodeResourcesFit/index.ts';
import { newBalancedAllocation, Name as BalancedAllocation } from '../plugins/NodeResourcesBalancedAllocation/index.ts';
import { newInterPodAffinity, Name as InterPodAffinity } from '../plugins/InterPodAffinity/index.ts';
import { newPodTopologySpread, Name as PodTopologySpread } from '../plugins/PodTopologySpread/index.ts';
import { newImageLocality, Name as ImageLocality } from '../plugins/ImageLocality/index.ts';
import { newVolumeBinding, Name as VolumeBinding } from '../plugins/VolumeBinding/index.ts';

/** registry is the in-tree plugin registry: name → factory (framework/plugins/registry.go). */
export const registry: Record<string, PluginFactory> = {
  [NodeUnschedulable]: () => newNodeUnschedulable(),
  [NodeName]: () => newNodeName(),
  [TaintToleration]: () => newTaintToleration(),
  [NodeAffinity]: (args) => newNodeAffinity(args),
  [NodePorts]: () => newNodePorts(),
  [NodeResourcesFit]: (args) => newNodeResourcesFit(args),
  [BalancedAllocation]: (args) => newBalancedAllocation(args),
  [InterPodAffinity]: (args, h) => newInterPodAffinity(args, h),
  [PodTopologySpread]: (args, h) => newPodTopologySpread(args, h),
  [ImageLocality]: (_args, h) => newImageLocality(h),
  [VolumeBinding]: (args, h) => newVolumeBinding(args, h),
};

/**
 * DEFAULT_FILTERS is the default profile's Filter order (apis/config/v1 default_plugins.go, minus
 * the volume plugins the simulator has no use for): cheap, unresolvable checks first.
 */
export const DEFAULT_FILTERS = [NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit, VolumeBinding, PodTopologySpread, InterPodAffinity];

/**
 * DEFAULT_SCORE_WEIGHTS is the default profile's Score plugins and weights: TaintToleration 3,
 * NodeAffinity 2, NodeResourcesFit 1, PodTopologySpread 2, InterPodAffinity 2,
 * NodeResourcesBalancedAllocation 1, ImageLocality 1.
 */
export const DEFAULT_SCORE_WEIGHTS: [string, number][] = [
  [TaintToleration, 3],
  [NodeAffinity, 2],
  [NodeResourcesFit, 1],
  [PodTopologySpread, 2],
  [InterPodAffinity, 2],
  [BalancedAllocation, 1],
  [ImageLocality, 1],
];

/** ProfileConfig is a KubeSchedulerProfile: plugin args and optional overrides of the default sets. */
export interface ProfileConfig {
  pluginConfig?: Record<string, unknown>;
  filters?: string[];
  scores?: [string, number][];
}

/** Profile is a built framework: the plugin instances in Filter order and the weighted Score plugins. */
export interface Profile {
  filters: Plugin[];
  scores: { plugin: Plugin; weight: number }[];
  /** scoreNames / scoreWeights are shared by every trace (not copied per pod). */
  scoreNames: string[];
  scoreWeights: number[];
  filterNames: string[];
}

/** buildProfile instantiates each plugin once (shared by its Filter and Score roles, as upstream). */
export function buildProfile(handle: Handle, cfg: ProfileConfig = {}): Profile {
  const made = new Map<string, Plugin>();
  const get = (name: string): Plugin => {
    let p = made.get(name);
    if (!p) {
      const f = registry[name];
      if (!f) throw new Error(`plugin "${name}" does not exist`);
      p = f(cfg.pluginConfig?.[name] ?? {}, handle);
      made.set(name, p);
    }
    return p;
  };
  const scores = (cfg.scores ?? DEFAULT_SCORE_WEIGHTS).map(([n, w]) => ({ plugin: get(n), weight: w }));
  const filters = (cfg.filters ?? DEFAULT_FILTERS).map(get);
  return {
    filters,
    filterNames: filters.map((f) => f.name),
    scores,
    scoreNames: scores.map((s) => s.plugin.name),
    scoreWeights: scores.map((s) => s.weight),
  };
}
