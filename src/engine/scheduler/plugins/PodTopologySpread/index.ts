import { compileSelector, type LabelPredicate } from '../../../api/selector.ts';
import type { Pod } from '../../../api/types.ts';
import type { NodeInfo } from '../../framework/nodeinfo.ts';
import { MAX_NODE_SCORE, SKIP, unresolvable, unschedulable, type CycleState, type Handle, type Plugin } from '../../framework/types.ts';
import { requiredNodeAffinityMatches, requiredNodeAffinityOf } from '../NodeAffinity/nodeselector.ts';
import { tolerationsTolerateTaint } from '../TaintToleration/index.ts';

/** Name is the plugin's registry name. */
export const Name = 'PodTopologySpread';
/** ErrReasonConstraintsNotMatch: placing the pod here would exceed maxSkew. */
export const ErrReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
/** ErrReasonNodeLabelNotMatch: the node lacks a constraint's topologyKey label. */
export const ErrReasonNodeLabelNotMatch = ErrReasonConstraintsNotMatch + ' (missing required label)';

const HOSTNAME = 'kubernetes.io/hostname';

/** Constraint is a compiled topologySpreadConstraint (labelSelector merged with matchLabelKeys). */
interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: LabelPredicate;
  minDomains: number;
  honorAffinity: boolean;
  honorTaints: boolean;
}

function constraintsOf(pod: Pod, action: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  const out: Constraint[] = [];
  for (const c of pod.spec.topologySpreadConstraints ?? []) {
    if ((c.whenUnsatisfiable ?? 'DoNotSchedule') !== action) continue;
    const sel = c.labelSelector ? { matchLabels: { ...(c.labelSelector.matchLabels ?? {}) }, matchExpressions: [...(c.labelSelector.matchExpressions ?? [])] } : undefined;
    // matchLabelKeys: the pod's own values for these keys are ANDed into the selector.
    if (sel) for (const k of c.matchLabelKeys ?? []) if (pod.metadata.labels?.[k] !== undefined) sel.matchExpressions.push({ key: k, operator: 'In', values: [pod.metadata.labels[k]] });
    out.push({
      maxSkew: c.maxSkew ?? 1,
      topologyKey: c.topologyKey,
      selector: compileSelector(sel),
      minDomains: c.minDomains ?? 1,
      honorAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorTaints: c.nodeTaintsPolicy === 'Honor',
    });
  }
  return out;
}

function hasAllKeys(node: NodeInfo, cs: Constraint[]): boolean {
  for (const c of cs) if (node.labels[c.topologyKey] === undefined) return false;
  return true;
}

/** countPodsMatchSelector counts non-terminating pods of the namespace on the node that the selector matches. */
function countMatching(node: NodeInfo, sel: LabelPredicate, ns: string): number {
  let n = 0;
  for (const pi of node.pods.values()) {
    const p = pi.pod;
    if (p.metadata.deletionTimestamp || (p.metadata.namespace ?? 'default') !== ns) continue;
    if (sel(p.metadata.labels)) n++;
  }
  return n;
}

/** nodeCounts is the node inclusion policy: node affinity honoured, taints ignored by default. */
function nodeCounts(pod: Pod, c: Constraint, node: NodeInfo, affinityOk: boolean): boolean {
  if (c.honorAffinity && !affinityOk) return false;
  if (c.honorTaints) {
    for (const t of node.taints) {
      if ((t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerationsTolerateTaint(pod.spec.tolerations, t)) return false;
    }
  }
  return true;
}

interface FilterState {
  constraints: Constraint[];
  counts: Map<string, number>[];
  /** minimum matching count across the domains of each constraint (criticalPaths[0]). */
  min: number[];
}

interface ScoreState {
  constraints: Constraint[];
  pairCounts: Map<string, number>;
  weights: number[];
  ignored: Set<string>;
}

const FILTER_KEY = 'PreFilter' + Name;
const SCORE_KEY = 'PreScore' + Name;

export function newPodTopologySpread(_args: unknown, handle: Handle): Plugin {
  return {
    name: Name,
    preFilter(state: CycleState, pod: Pod) {
      const constraints = constraintsOf(pod, 'DoNotSchedule');
      if (constraints.length === 0) return SKIP;
      const ns = pod.metadata.namespace ?? 'default';
      const req = requiredNodeAffinityOf(pod.spec);
      const counts = constraints.map(() => new Map<string, number>());
      for (const node of handle.nodeInfos()) {
        if (!hasAllKeys(node, constraints)) continue;
        const affinityOk = requiredNodeAffinityMatches(req, node.labels, node.name);
        constraints.forEach((c, i) => {
          if (!nodeCounts(pod, c, node, affinityOk)) return;
          const v = node.labels[c.topologyKey];
          counts[i].set(v, (counts[i].get(v) ?? 0) + countMatching(node, c.selector, ns));
        });
      }
      const min = counts.map((m) => {
        let lo = Number.MAX_SAFE_INTEGER;
        for (const n of m.values()) if (n < lo) lo = n;
        return lo;
      });
      state.set(FILTER_KEY, { constraints, counts, min } satisfies FilterState);
      return null;
    },
    filter(state, pod: Pod, node) {
      const s = state.get(FILTER_KEY) as FilterState;
      for (let i = 0; i < s.constraints.length; i++) {
        const c = s.constraints[i];
        const v = node.labels[c.topologyKey];
        if (v === undefined) return unresolvable(ErrReasonNodeLabelNotMatch);
        // skew = matching pods in this domain + the pod itself (if it matches) - the global minimum;
        // with fewer domains than minDomains the global minimum is taken as 0.
        const minMatch = s.counts[i].size < c.minDomains ? 0 : s.min[i];
        const self = c.selector(pod.metadata.labels) ? 1 : 0;
        const skew = (s.counts[i].get(v) ?? 0) + self - minMatch;
        if (skew > c.maxSkew) return unschedulable(ErrReasonConstraintsNotMatch);
      }
      return null;
    },
    preScore(state, pod: Pod, nodes) {
      const constraints = constraintsOf(pod, 'ScheduleAnyway');
      if (constraints.length === 0 || nodes.length === 0) return SKIP;
      const ns = pod.metadata.namespace ?? 'default';
      const ignored = new Set<string>();
      const pairCounts = new Map<string, number>();
      const topoSize = constraints.map(() => 0);
      for (const node of nodes) {
        if (!hasAllKeys(node, constraints)) {
          ignored.add(node.name);
          continue;
        }
        constraints.forEach((c, i) => {
          if (c.topologyKey === HOSTNAME) return;
          const k = c.topologyKey + '\0' + node.labels[c.topologyKey];
          if (!pairCounts.has(k)) {
            pairCounts.set(k, 0);
            topoSize[i]++;
          }
        });
      }
      // topologyNormalizingWeight = log(domains + 2): spreading over 3 zones weighs less per pod than over 500 hosts.
      const weights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME ? nodes.length - ignored.size : topoSize[i]) + 2));
      const req = requiredNodeAffinityOf(pod.spec);
      for (const node of handle.nodeInfos()) {
        const affinityOk = requiredNodeAffinityMatches(req, node.labels, node.name);
        constraints.forEach((c) => {
          if (c.topologyKey === HOSTNAME || !nodeCounts(pod, c, node, affinityOk)) return;
          const v = node.labels[c.topologyKey];
          if (v === undefined) return;
          const k = c.topologyKey + '\0' + v;
          const cur = pairCounts.get(k);
          if (cur === undefined) return;
          pairCounts.set(k, cur + countMatching(node, c.selector, ns));
        });
      }
      state.set(SCORE_KEY, { constraints, pairCounts, weights, ignored } satisfies ScoreState);
      return null;
    },
    score(state, pod: Pod, node) {
      const s = state.get(SCORE_KEY) as ScoreState;
      if (s.ignored.has(node.name)) return 0;
      const ns = pod.metadata.namespace ?? 'default';
      let score = 0;
      s.constraints.forEach((c, i) => {
        const v = node.labels[c.topologyKey];
        if (v === undefined) return;
        const cnt = c.topologyKey === HOSTNAME ? countMatching(node, c.selector, ns) : s.pairCounts.get(c.topologyKey + '\0' + v) ?? 0;
        score += cnt * s.weights[i] + (c.maxSkew - 1);
      });
      return Math.round(score);
    },
    normalizeScore(state, _pod, scores, nodes) {
      const s = state.get(SCORE_KEY) as ScoreState;
      let min = Infinity;
      let max = 0;
      for (let i = 0; i < scores.length; i++) {
        if (s.ignored.has(nodes[i].name)) continue;
        if (scores[i] < min) min = scores[i];
        if (scores[i] > max) max = scores[i];
      }
      for (let i = 0; i < scores.length; i++) {
        if (s.ignored.has(nodes[i].name)) scores[i] = 0;
        else if (max === 0) scores[i] = MAX_NODE_SCORE;
        else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i])) / max);
      }
    },
  };
}
