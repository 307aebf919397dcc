import type { Status } from './framework/types.ts';

/** TOP_SCORED_NODES is how many of the best-scored nodes a trace keeps (upstream reports 3). */
export const TOP_SCORED_NODES = 3;

/**
 * AttemptTrace is the compact record of a pod's last scheduling attempt. At 10,000 pods × 230
 * evaluated nodes, storing every (node, plugin) pair would cost hundreds of MB, so a trace keeps
 * only the nodes that failed a filter (node id + index into a small status table), skipped plugins
 * as bit masks over the profile, and the top nodes' scores (integers) in one array laid out as
 * [nodeId, raw₀, normalized₀, raw₁, normalized₁, …] per node: ~500 bytes for a pod that fit.
 */
export interface AttemptTrace {
  podKey: string;
  at: number;
  numAllNodes: number;
  evaluatedNodes: number;
  feasibleNodes: number;
  startIndex: number;
  failedNodeIds: number[];
  failedStatusIdx: number[];
  statuses: Status[];
  /** filterSkipMask / scoreSkipMask: bit i set = the profile's i-th Filter / Score plugin said Skip. */
  filterSkipMask: number;
  scoreSkipMask: number;
  /** top is null when nothing was scored (no feasible node, or exactly one). A skipped plugin's raw is -1. */
  top: number[] | null;
  chosen?: string;
  message?: string;
  /** preemption is what PostFilter (DefaultPreemption) did after a failed attempt. */
  preemption?: PreemptionTrace;
  /** boundAt: when the pod was bound to `chosen`, if later than `at` (VolumeBinding's PreBind waited for its claims) */
  boundAt?: number;
}

/**
 * PreemptionTrace: the node nominated and the victims deleted (ns/name, most important first), how
 * many candidate nodes there were and how many PDBs the victims violate; or the message saying why
 * preemption could not help.
 */
export interface PreemptionTrace {
  candidates: number;
  nominatedNode?: string;
  victims?: string[];
  pdbViolations?: number;
  message?: string;
}

/** TraceProfile is what a trace needs from the profile to be read: plugin names and weights. */
export interface TraceProfile {
  filterNames: string[];
  scoreNames: string[];
  scoreWeights: number[];
}

/** ReadableTrace is what trace(podUid) returns for the UI. */
export interface ReadableTrace {
  pod: string;
  at: number;
  result: 'Scheduled' | 'Unschedulable';
  node?: string;
  message?: string;
  numAllNodes: number;
  evaluatedNodes: number;
  feasibleNodes: number;
  startIndex: number;
  /** filters lists the evaluated nodes that failed, with the first failing plugin; the others passed every filter. */
  filters: { node: string; plugin: string; code: string; reasons: string[] }[];
  skippedFilterPlugins: string[];
  skippedScorePlugins: string[];
  /** scores: the top nodes, best first, with each plugin's raw, normalized and weighted score. */
  scores: { node: string; total: number; plugins: { plugin: string; raw: number; normalized: number; weight: number; weighted: number }[] }[];
  /** preemption is present when the attempt failed and DefaultPreemption ran. */
  preemption?: PreemptionTrace;
  /** binding: the pod is assumed on `node` while VolumeBinding's PreBind waits for its claims (since then). */
  binding?: { node: string; since: number };
  /** boundAt: when the pod was bound, when PreBind made it wait after the attempt placed it */
  boundAt?: number;
}

export function readableTrace(t: AttemptTrace, profile: TraceProfile, nodeName: (id: number) => string): ReadableTrace {
  const filters: ReadableTrace['filters'] = [];
  for (let i = 0; i < t.failedNodeIds.length; i++) {
    const s = t.statuses[t.failedStatusIdx[i]];
    filters.push({ node: nodeName(t.failedNodeIds[i]), plugin: s.plugin ?? '', code: s.code, reasons: s.reasons });
  }
  const P = profile.scoreNames.length;
  const stride = 1 + P * 2;
  const scores: ReadableTrace['scores'] = [];
  for (let o = 0; t.top && o < t.top.length; o += stride) {
    const plugins: ReadableTrace['scores'][number]['plugins'] = [];
    let total = 0;
    for (let p = 0; p < P; p++) {
      if (t.scoreSkipMask & (1 << p)) continue;
      const raw = t.top[o + 1 + p * 2];
      const normalized = t.top[o + 2 + p * 2];
      const weight = profile.scoreWeights[p];
      total += normalized * weight;
      plugins.push({ plugin: profile.scoreNames[p], raw, normalized, weight, weighted: normalized * weight });
    }
    scores.push({ node: nodeName(t.top[o]), total, plugins });
  }
  const masked = (names: string[], mask: number) => names.filter((_, i) => mask & (1 << i));
  return {
    pod: t.podKey,
    at: t.at,
    result: t.chosen ? 'Scheduled' : 'Unschedulable',
    node: t.chosen,
    message: t.message,
    numAllNodes: t.numAllNodes,
    evaluatedNodes: t.evaluatedNodes,
    feasibleNodes: t.feasibleNodes,
    startIndex: t.startIndex,
    filters,
    skippedFilterPlugins: masked(profile.filterNames, t.filterSkipMask),
    skippedScorePlugins: masked(profile.scoreNames, t.scoreSkipMask),
    scores,
    ...(t.preemption ? { preemption: t.preemption } : {}),
    ...(t.boundAt !== undefined ? { boundAt: t.boundAt } : {}),
  };
}
