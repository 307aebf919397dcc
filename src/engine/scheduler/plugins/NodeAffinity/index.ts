import type { Pod } from '../../../api/types.ts';
import { defaultNormalizeScore } from '../../framework/normalize.ts';
import { SKIP, unresolvable, type CycleState, type Plugin } from '../../framework/types.ts';
import { nodeSelectorMatches, requiredNodeAffinityMatches, requiredNodeAffinityOf, termMatches, type NodeSelectorTerm, type RequiredNodeAffinity } from './nodeselector.ts';

/** Name is the plugin's registry name. */
export const Name = 'NodeAffinity';
/** ErrReasonPod is the Filter reason when nodeSelector or required node affinity does not match. */
export const ErrReasonPod = "node(s) didn't match Pod's node affinity/selector";
/** ErrReasonEnforced is the Filter reason when the profile's addedAffinity does not match. */
export const ErrReasonEnforced = "node(s) didn't match scheduler-enforced node affinity";

/** PreferredTerm is a v1.PreferredSchedulingTerm. */
export interface PreferredTerm {
  weight: number;
  preference: NodeSelectorTerm;
}

/** NodeAffinityArgs is config.NodeAffinityArgs: addedAffinity applies to every pod of the profile. */
export interface NodeAffinityArgs {
  addedAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] };
    preferredDuringSchedulingIgnoredDuringExecution?: PreferredTerm[];
  };
}

const FILTER_KEY = 'PreFilter' + Name;
const SCORE_KEY = 'PreScore' + Name;

/** preferredScore sums the weights of the preferred terms a node matches (the raw score). */
export function preferredScore(terms: PreferredTerm[], labels: Record<string, string>, nodeName: string): number {
  let s = 0;
  for (const t of terms) if (t.weight !== 0 && termMatches(t.preference, labels, nodeName)) s += t.weight;
  return s;
}

export function newNodeAffinity(args: NodeAffinityArgs = {}): Plugin {
  const addedRequired = args.addedAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const addedPreferred = args.addedAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  return {
    name: Name,
    preFilter(state: CycleState, pod: Pod) {
      const req = requiredNodeAffinityOf(pod.spec);
      // Nothing to check: upstream returns Skip so Filter is not even called.
      if (!req.nodeSelector && !req.terms && !addedRequired) return SKIP;
      state.set(FILTER_KEY, req);
      return null;
    },
    filter(state, _pod, node) {
      if (addedRequired && !nodeSelectorMatches(addedRequired, node.labels, node.name)) return unresolvable(ErrReasonEnforced);
      const req = state.get(FILTER_KEY) as RequiredNodeAffinity;
      return requiredNodeAffinityMatches(req, node.labels, node.name) ? null : unresolvable(ErrReasonPod);
    },
    preScore(state, pod: Pod) {
      const own: PreferredTerm[] = pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
      if (own.length === 0 && addedPreferred.length === 0) return SKIP;
      state.set(SCORE_KEY, [...addedPreferred, ...own]);
      return null;
    },
    score(state, _pod, node) {
      return preferredScore(state.get(SCORE_KEY) as PreferredTerm[], node.labels, node.name);
    },
    normalizeScore(_s, _p, scores) {
      defaultNormalizeScore(scores, false);
    },
  };
}
