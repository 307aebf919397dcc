import type { Pod, Taint, Toleration } from '../../../api/types.ts';
import { defaultNormalizeScore } from '../../framework/normalize.ts';
import { unresolvable, type CycleState, type Plugin, type QuickFilter } from '../../framework/types.ts';

/** Name is the plugin's registry name. */
export const Name = 'TaintToleration';
/**
 * ErrReasonUntolerated is the Filter reason. Current upstream no longer names the taint
 * (older releases said "node(s) had untolerated taint {key: value}").
 */
export const ErrReasonUntolerated = 'node(s) had untolerated taint(s)';

/** toleratesTaint is Toleration.ToleratesTaint: effect (if set), key (if set), then Equal/Exists. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator ?? 'Equal';
  if (op === 'Exists') return true;
  if (op === 'Equal') return (t.value ?? '') === (taint.value ?? '');
  return false;
}

export function tolerationsTolerateTaint(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  if (!tolerations) return false;
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** findUntoleratedTaint is FindMatchingUntoleratedTaint over NoSchedule/NoExecute taints, in node order. */
export function findUntoleratedTaint(taints: Taint[], tolerations: Toleration[] | undefined): Taint | undefined {
  for (const taint of taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) return taint;
  }
  return undefined;
}

/** countIntolerablePreferNoSchedule is the raw score: PreferNoSchedule taints the pod does not tolerate. */
export function countIntolerablePreferNoSchedule(taints: Taint[], tolerations: Toleration[]): number {
  let n = 0;
  for (const taint of taints) {
    if (taint.effect !== 'PreferNoSchedule') continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) n++;
  }
  return n;
}

const STATE_KEY = 'PreScore' + Name;

const UNTAINTED: QuickFilter = Object.freeze({ untainted: true });

export function newTaintToleration(): Plugin {
  return {
    name: Name,
    filter(_s, pod: Pod, node) {
      if (node.taints.length === 0) return null;
      return findUntoleratedTaint(node.taints, pod.spec.tolerations) ? unresolvable(ErrReasonUntolerated) : null;
    },
    quickFilter: () => UNTAINTED,
    preScore(state: CycleState, pod: Pod) {
      // An empty effect tolerates every effect, PreferNoSchedule included.
      state.set(STATE_KEY, (pod.spec.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule'));
      return null;
    },
    score(state, _pod, node) {
      if (node.taints.length === 0) return 0;
      return countIntolerablePreferNoSchedule(node.taints, state.get(STATE_KEY) as Toleration[]);
    },
    scoreAll(state, _pod, nodes, out) {
      const tolerations = state.get(STATE_KEY) as Toleration[];
      for (let i = 0; i < nodes.length; i++) out[i] = nodes[i].taints.length === 0 ? 0 : countIntolerablePreferNoSchedule(nodes[i].taints, tolerations);
    },
    normalizeScore(_s, _p, scores) {
      defaultNormalizeScore(scores, true);
    },
  };
}
