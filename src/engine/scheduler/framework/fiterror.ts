import type { Status } from './types.ts';

/** NoNodeAvailableMsg is upstream's prefix: "0/3 nodes are available". */
export function noNodeAvailable(numAllNodes: number): string {
  return `0/${numAllNodes} nodes are available`;
}

/** PREEMPTION_NOT_HELPFUL is the preemption status of a node whose failure preemption cannot fix. */
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
/** NO_PREEMPTION_VICTIMS is SelectVictimsOnNode's status for a node without lower-priority pods. */
export const NO_PREEMPTION_VICTIMS = 'No preemption victims found for incoming pod';

/**
 * preemptionFitError is the PostFilter message of a preemption that found no candidate: "preemption: "
 * and its own FitError's Error(), which ends in a period; the scheduling FitError then adds its own
 * after it, hence the familiar ".." at the end of FailedScheduling ("…for incoming pod..").
 */
export function preemptionFitError(numAllNodes: number, statuses: Iterable<Status>): string {
  return `preemption: ${noNodeAvailable(numAllNodes)}: ${sortReasonsHistogram(statuses)}.`;
}

/**
 * sortReasonsHistogram is FitError's histogram: "<count> <reason>" strings, sorted as strings
 * (sort.Strings: so "10 Insufficient cpu" sorts before "2 node(s) ..."), joined by ", ".
 */
export function sortReasonsHistogram(statuses: Iterable<Status>): string {
  const counts = new Map<string, number>();
  for (const s of statuses) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts].map(([r, n]) => `${n} ${r}`);
  parts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return parts.join(', ');
}

/**
 * fitErrorMessage is FitError.Error(): "0/N nodes are available: <histogram>." then the PostFilter
 * (preemption) message, each wrapped in " %v.". A PreFilter rejection replaces the histogram.
 */
export function fitErrorMessage(numAllNodes: number, statuses: Iterable<Status>, preFilterMsg = '', postFilterMsg = ''): string {
  let msg = `${noNodeAvailable(numAllNodes)}:`;
  if (preFilterMsg) msg += ` ${preFilterMsg}.`;
  else msg += ` ${sortReasonsHistogram(statuses)}.`;
  if (postFilterMsg) msg += ` ${postFilterMsg}.`;
  return msg;
}

/**
 * preemptionMessage is DefaultPreemption's PostFilter message when it finds no candidate:
 * nodes that failed with UnschedulableAndUnresolvable are "Preemption is not helpful for
 * scheduling"; the others had no lower-priority pods to evict. (The general case, with victims
 * chosen per node, is preempt() in preemption.ts.)
 */
export function preemptionMessage(numAllNodes: number, statuses: Iterable<Status>): string {
  const post: Status[] = [];
  for (const s of statuses) {
    post.push({ code: s.code, reasons: [s.code === 'UnschedulableAndUnresolvable' ? PREEMPTION_NOT_HELPFUL : NO_PREEMPTION_VICTIMS] });
  }
  return preemptionFitError(numAllNodes, post);
}
