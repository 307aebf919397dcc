import { MAX_NODE_SCORE, type Scores } from './types.ts';

/**
 * defaultNormalizeScore is helper.DefaultNormalizeScore: scale raw scores so the highest becomes 100;
 * reverse flips them (TaintToleration: fewer intolerable taints is better). With raw counts
 * {0, 1, 2} and reverse, the nodes get {100, 50, 0}; if every raw score is 0, reverse gives all 100.
 */
export function defaultNormalizeScore(scores: Scores, reverse: boolean, maxPriority = MAX_NODE_SCORE): void {
  let maxCount = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] > maxCount) maxCount = scores[i];
  if (maxCount === 0) {
    if (reverse) scores.fill(maxPriority);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    let s = Math.trunc((maxPriority * scores[i]) / maxCount);
    if (reverse) s = maxPriority - s;
    scores[i] = s;
  }
}
