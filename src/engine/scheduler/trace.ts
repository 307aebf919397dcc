import type { Status } from './framework/types.ts';

/** TOP_SCORED_NODES is how many of the best-scored nodes a trace keeps (upstream logs 3). */
export const TOP_SCORED_NODES = 5;

/**
 * AttemptTrace is the compact record of a pod's last scheduling attempt. At 10,000 pods × 230
 * evaluated nodes, storing every (node, plugin) pair would cost hundreds of MB, so a trace keeps
 * only the nodes that failed a filter (node id + index into a small status table) and the score
 * breakdown of the top nodes in one Int32Array (raw, normalized per plugin): ~300 bytes for a pod
 * that fit on a healthy cluster.
 */
export interface AttemptTrace {
  podKey: string;
  at: number;
  numAllNodes: number;
  evaluatedNodes: number;
  feasibleNodes: number;
  startIndex: number;
  failedNodeIds: Int32Array;
  failedStatusIdx: Uint8Array;
  statuses: Status[];
  preFilterSkipped: string[];
  scorePlugins: string[];
  scoreWeights: number[];
  skippedScorePlugins: string[];
  topNodeIds: Int32Array;
  topTotals: Int32Array;
  /** topScores[(n * plugins + p) * 2] = raw, +1 = normalized (before weighting); -1 raw for a skipped plugin. */
  topScores: Int32Array;
  chosen?: string;
  message?: string;
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
}

export function readableTrace(t: AttemptTrace, nodeName: (id: number) => string): ReadableTrace {
  const filters: ReadableTrace['filters'] = [];
  for (let i = 0; i < t.failedNodeIds.length; i++) {
    const s = t.statuses[t.failedStatusIdx[i]];
    filters.push({ node: nodeName(t.failedNodeIds[i]), plugin: s.plugin ?? '', code: s.code, reasons: s.reasons });
  }
  const P = t.scorePlugins.length;
  const scores: ReadableTrace['scores'] = [];
  for (let n = 0; n < t.topNodeIds.length; n++) {
    const plugins: ReadableTrace['scores'][number]['plugins'] = [];
    for (let p = 0; p < P; p++) {
      const raw = t.topScores[(n * P + p) * 2];
      const normalized = t.topScores[(n * P + p) * 2 + 1];
      if (raw === -1 && normalized === -1) continue;
      plugins.push({ plugin: t.scorePlugins[p], raw, normalized, weight: t.scoreWeights[p], weighted: normalized * t.scoreWeights[p] });
    }
    scores.push({ node: nodeName(t.topNodeIds[n]), total: t.topTotals[n], plugins });
  }
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
    skippedFilterPlugins: t.preFilterSkipped,
    skippedScorePlugins: t.skippedScorePlugins,
    scores,
  };
}
