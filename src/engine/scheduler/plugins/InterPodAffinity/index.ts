import type { Pod } from '../../../api/types.ts';
import type { NodeInfo, PodInfo } from '../../framework/nodeinfo.ts';
import { SKIP, unresolvable, unschedulable, type CycleState, type Handle, type Plugin } from '../../framework/types.ts';
import { podMatchesAllTerms, preferredTerms, requiredTerms, termMatches, type AffinityTerm, type WeightedAffinityTerm } from './affinityterm.ts';

/** Name is the plugin's registry name. */
export const Name = 'InterPodAffinity';
/** ErrReasonAffinityRulesNotMatch: no pod matching the required affinity runs in the node's topology domain. */
export const ErrReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
/** ErrReasonAntiAffinityRulesNotMatch: a pod the incoming pod's required anti-affinity forbids runs in the domain. */
export const ErrReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";
/** ErrReasonExistingAntiAffinityRulesNotMatch: an existing pod's required anti-affinity forbids the incoming pod. */
export const ErrReasonExistingAntiAffinityRulesNotMatch = "node(s) didn't satisfy existing pods anti-affinity rules";

/** InterPodAffinityArgs is config.InterPodAffinityArgs (hardPodAffinityWeight default 1). */
export interface InterPodAffinityArgs {
  hardPodAffinityWeight?: number;
  ignorePreferredTermsOfExistingPods?: boolean;
}

interface PreFilterState {
  affinity: AffinityTerm[];
  antiAffinity: AffinityTerm[];
  /** counts by "key\0value": existing pods' anti-affinity that matches the incoming pod, etc. */
  existingAnti: Map<string, number>;
  affinityCounts: Map<string, number>;
  antiCounts: Map<string, number>;
}

const FILTER_KEY = 'PreFilter' + Name;
const SCORE_KEY = 'PreScore' + Name;

function bump(m: Map<string, number>, node: NodeInfo, key: string, by: number): void {
  const v = node.labels[key];
  if (v === undefined) return;
  const k = key + '\0' + v;
  const n = (m.get(k) ?? 0) + by;
  if (n === 0) m.delete(k);
  else m.set(k, n);
}

export function newInterPodAffinity(args: InterPodAffinityArgs = {}, handle: Handle): Plugin {
  const hardWeight = args.hardPodAffinityWeight ?? 1;
  const nsLabels = (p: Pod) => handle.namespaceLabels(p.metadata.namespace ?? 'default');
  return {
    name: Name,
    preFilter(state: CycleState, pod: Pod) {
      const affinity = requiredTerms(pod, 'podAffinity');
      const antiAffinity = requiredTerms(pod, 'podAntiAffinity');
      if (affinity.length === 0 && antiAffinity.length === 0 && !handle.havePodsWithRequiredAntiAffinity()) return SKIP;
      const s: PreFilterState = { affinity, antiAffinity, existingAnti: new Map(), affinityCounts: new Map(), antiCounts: new Map() };
      const podNs = nsLabels(pod);
      for (const node of handle.nodeInfos()) {
        if (node.podsWithRequiredAntiAffinity > 0) {
          for (const pi of node.pods.values()) {
            if (!pi.hasRequiredAntiAffinity) continue;
            for (const t of requiredTerms(pi.pod, 'podAntiAffinity')) if (termMatches(t, pod, podNs)) bump(s.existingAnti, node, t.topologyKey, 1);
          }
        }
        if (affinity.length === 0 && antiAffinity.length === 0) continue;
        for (const pi of node.pods.values()) {
          const ns = nsLabels(pi.pod);
          if (affinity.length && podMatchesAllTerms(affinity, pi.pod, ns)) for (const t of affinity) bump(s.affinityCounts, node, t.topologyKey, 1);
          for (const t of antiAffinity) if (termMatches(t, pi.pod, ns)) bump(s.antiCounts, node, t.topologyKey, 1);
        }
      }
      state.set(FILTER_KEY, s);
      return null;
    },
    filter(state, pod: Pod, node) {
      const s = state.get(FILTER_KEY) as PreFilterState;
      // satisfyPodAffinity: every term's topology label on the node, and a matching pod in that domain.
      let podsExist = true;
      for (const t of s.affinity) {
        const v = node.labels[t.topologyKey];
        if (v === undefined) return unresolvable(ErrReasonAffinityRulesNotMatch);
        if (!((s.affinityCounts.get(t.topologyKey + '\0' + v) ?? 0) > 0)) podsExist = false;
      }
      // The first pod of a group with affinity to itself may go anywhere its topology labels exist.
      if (!podsExist && !(s.affinityCounts.size === 0 && podMatchesAllTerms(s.affinity, pod, nsLabels(pod)))) {
        return unresolvable(ErrReasonAffinityRulesNotMatch);
      }
      if (s.antiCounts.size > 0) {
        for (const t of s.antiAffinity) {
          const v = node.labels[t.topologyKey];
          if (v !== undefined && (s.antiCounts.get(t.topologyKey + '\0' + v) ?? 0) > 0) return unschedulable(ErrReasonAntiAffinityRulesNotMatch);
        }
      }
      if (s.existingAnti.size > 0) {
        for (const k of Object.keys(node.labels)) {
          if ((s.existingAnti.get(k + '\0' + node.labels[k]) ?? 0) > 0) return unschedulable(ErrReasonExistingAntiAffinityRulesNotMatch);
        }
      }
      return null;
    },
    preScore(state, pod: Pod, nodes) {
      const prefAff = preferredTerms(pod, 'podAffinity');
      const prefAnti = preferredTerms(pod, 'podAntiAffinity');
      const hasConstraints = prefAff.length > 0 || prefAnti.length > 0;
      if (args.ignorePreferredTermsOfExistingPods && !hasConstraints) return SKIP;
      if (!hasConstraints && !handle.havePodsWithAffinity()) return SKIP;
      if (nodes.length === 0) return SKIP;
      const topo = new Map<string, number>();
      const podNs = nsLabels(pod);
      const add = (node: NodeInfo, key: string, by: number) => bump(topo, node, key, by);
      const processTerms = (terms: WeightedAffinityTerm[], target: Pod, ns: Record<string, string> | undefined, node: NodeInfo, mult: number) => {
        for (const t of terms) if (t.weight && termMatches(t, target, ns)) add(node, t.topologyKey, t.weight * mult);
      };
      for (const node of handle.nodeInfos()) {
        if (!hasConstraints && node.podsWithAffinity === 0) continue;
        for (const pi of node.pods.values() as Iterable<PodInfo>) {
          const existing = pi.pod;
          if (hasConstraints) {
            const ns = nsLabels(existing);
            processTerms(prefAff, existing, ns, node, 1);
            processTerms(prefAnti, existing, ns, node, -1);
          }
          if (!pi.hasAffinity) continue;
          if (hardWeight > 0) for (const t of requiredTerms(existing, 'podAffinity')) if (termMatches(t, pod, podNs)) add(node, t.topologyKey, hardWeight);
          processTerms(preferredTerms(existing, 'podAffinity'), pod, podNs, node, 1);
          processTerms(preferredTerms(existing, 'podAntiAffinity'), pod, podNs, node, -1);
        }
      }
      state.set(SCORE_KEY, topo);
      return null;
    },
    score(state, _pod, node) {
      const topo = state.get(SCORE_KEY) as Map<string, number>;
      if (topo.size === 0) return 0;
      let s = 0;
      for (const k of Object.keys(node.labels)) s += topo.get(k + '\0' + node.labels[k]) ?? 0;
      return s;
    },
    normalizeScore(state, _pod, scores) {
      // Min-max scaling: a node in the most preferred domain gets 100, the least preferred 0.
      if ((state.get(SCORE_KEY) as Map<string, number>).size === 0) return;
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < scores.length; i++) {
        if (scores[i] > max) max = scores[i];
        if (scores[i] < min) min = scores[i];
      }
      const diff = max - min;
      for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc(100 * ((scores[i] - min) / diff)) : 0;
    },
  };
}
