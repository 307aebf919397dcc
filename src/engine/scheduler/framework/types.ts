import type { KubeObject, Pod } from '../../api/types.ts';
import type { NodeInfo } from './nodeinfo.ts';
import type { Resource } from './resource.ts';

/**
 * Code is a plugin's verdict, as framework.Code: Unschedulable may be fixed by preemption,
 * UnschedulableAndUnresolvable may not; Skip (from PreFilter/PreScore) turns the plugin off for this pod.
 */
export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Skip';

/** Status is framework.Status: a code, the reasons shown to users, and the plugin that failed. */
export interface Status {
  code: Code;
  reasons: string[];
  plugin?: string;
}

/** MAX_NODE_SCORE is framework.MaxNodeScore: every Score plugin answers 0..100 after NormalizeScore. */
export const MAX_NODE_SCORE = 100;

export function unschedulable(...reasons: string[]): Status {
  return { code: 'Unschedulable', reasons };
}

export function unresolvable(...reasons: string[]): Status {
  return { code: 'UnschedulableAndUnresolvable', reasons };
}

export const SKIP: Status = Object.freeze({ code: 'Skip', reasons: [] }) as Status;

/** Scores are one plugin's scores of the feasible nodes (a typed array in the scheduling cycle). */
export type Scores = number[] | Float64Array;

/** CycleState is the per-attempt scratch space plugins share between PreFilter/Filter and PreScore/Score. */
export type CycleState = Map<string, unknown>;

/**
 * QuickFilter is what a node must be for a plugin's Filter to pass, as data the framework tests
 * inline: not cordoned (schedulable), without taints (untainted), with room for these requests of
 * cpu, memory and ephemeral storage and for one more pod (fits, NodeResourcesFit's success path). A node that is all of them passes without the call; one that is
 * not goes through Filter itself, which gives the exact reason.
 */
export interface QuickFilter {
  schedulable?: boolean;
  untainted?: boolean;
  fits?: Resource;
}

/**
 * Plugin is one scheduling plugin. Filter returns null on success (the common case, no allocation).
 * score returns the raw score; normalizeScore rewrites the raw scores of all feasible nodes in place.
 */
export interface Plugin {
  readonly name: string;
  preFilter?(state: CycleState, pod: Pod): Status | null;
  filter?(state: CycleState, pod: Pod, node: NodeInfo): Status | null;
  /**
   * quickFilter (after PreFilter) says when Filter passes for this pod without calling it; null when
   * it cannot say. Filtering ~230 nodes per pod calls each plugin's Filter through one call site for
   * every plugin, which costs more than most of their checks.
   */
  quickFilter?(state: CycleState, pod: Pod): QuickFilter | null;
  preScore?(state: CycleState, pod: Pod, nodes: NodeInfo[]): Status | null;
  score?(state: CycleState, pod: Pod, node: NodeInfo): number;
  /**
   * scoreAll is score for every feasible node at once, into out (the same numbers): the framework
   * calls it when a plugin has it, so the plugin reads its cycle state once per pod, not per node.
   */
  scoreAll?(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], out: Float64Array): void;
  normalizeScore?(state: CycleState, pod: Pod, scores: Scores, nodes: NodeInfo[]): void;
}

/** Handle is what the framework gives plugins (framework.Handle): the snapshot of all nodes, and namespace labels. */
export interface Handle {
  nodeInfos(): readonly NodeInfo[];
  namespaceLabels(ns: string): Record<string, string> | undefined;
  /** havePodsWithAffinity: some bound pod has pod (anti-)affinity (lets InterPodAffinity skip). */
  havePodsWithAffinity(): boolean;
  havePodsWithRequiredAntiAffinity(): boolean;
  /** imageNumNodes: how many nodes report this (normalized) image in status.images. */
  imageNumNodes(image: string): number;
  /**
   * listObjects / getObject read the cluster's objects (the scheduler's informers), for the default
   * spreading selector (Services, ReplicaSets …); a handle without them has no default constraints.
   */
  listObjects?(kind: string, namespace: string): KubeObject[];
  getObject?(kind: string, namespace: string, name: string): KubeObject | undefined;
}

/** PluginFactory builds a plugin from its args (scheduler configuration) and the handle. */
export type PluginFactory = (args: any, handle: Handle) => Plugin;
