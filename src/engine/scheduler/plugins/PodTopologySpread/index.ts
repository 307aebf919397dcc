import { compileSelector, type LabelPredicate } from '../../../api/selector.ts';
import type { LabelSelector, Pod } from '../../../api/types.ts';
import { DefaultSelectorMemo, selectorKey } from './defaultselector.ts';
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
  /** key: a number per distinct selector and namespace, for counts memoized per node */
  key: number;
  minDomains: number;
  honorAffinity: boolean;
  honorTaints: boolean;
}

type Action = 'DoNotSchedule' | 'ScheduleAnyway';

/** SpreadConstraint is the part of a TopologySpreadConstraint the plugin reads (for the configured defaults too). */
interface SpreadConstraint {
  maxSkew?: number;
  topologyKey: string;
  whenUnsatisfiable?: string;
  labelSelector?: LabelSelector;
  matchLabelKeys?: string[];
  minDomains?: number;
  nodeAffinityPolicy?: string;
  nodeTaintsPolicy?: string;
}

/** PodTopologySpreadArgs is config.PodTopologySpreadArgs. */
export interface PodTopologySpreadArgs {
  /** defaultingType: System (the built-in defaults below) or List (defaultConstraints, none if empty) */
  defaultingType?: 'System' | 'List';
  defaultConstraints?: SpreadConstraint[];
}

/**
 * SYSTEM_DEFAULT_CONSTRAINTS are the scheduler's systemDefaultConstraints, used for a pod without
 * topologySpreadConstraints of its own: spread over hosts (maxSkew 3) and zones (maxSkew 5), both
 * ScheduleAnyway, counting the pods its Services and controller select (defaultSelector).
 */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly SpreadConstraint[] = [
  { maxSkew: 3, topologyKey: HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway' },
  { maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
];

/** CompiledSelector is a selector's predicate and its memo id. */
interface CompiledSelector {
  selector: LabelPredicate;
  key: number;
}

function compileFor(pod: Pod, sel: LabelSelector | undefined): CompiledSelector {
  const key = selectorId(selectorKey(sel, pod.metadata.namespace ?? 'default'));
  // The same selector comes with pod after pod (a ReplicaSet's): compile it once per key, from a
  // copy (the predicate must not change with a pod spec it was first made from).
  let selector = compiledSelectors.get(key);
  if (!selector) {
    if (compiledSelectors.size >= 64) compiledSelectors.clear();
    compiledSelectors.set(key, (selector = compileSelector(sel && structuredClone(sel))));
  }
  return { selector, key };
}

/** compiledSelectors: the predicates of recent selector keys (selectorId's numbers). */
const compiledSelectors = new Map<number, LabelPredicate>();

function compile(c: SpreadConstraint, sel: CompiledSelector): Constraint {
  return {
    maxSkew: c.maxSkew ?? 1,
    topologyKey: c.topologyKey,
    selector: sel.selector,
    key: sel.key,
    minDomains: c.minDomains ?? 1,
    honorAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
    honorTaints: c.nodeTaintsPolicy === 'Honor',
  };
}

/** selectorIds numbers the distinct selector keys (a Map lookup by a small integer, per node, per pod). */
const selectorIds = new Map<string, number>();

function selectorId(key: string): number {
  let id = selectorIds.get(key);
  if (id === undefined) {
    // Ids stay unique for the process; the table is a cache of recent keys (memo entries of a
    // forgotten key are simply never read again).
    if (selectorIds.size >= 4096) selectorIds.clear();
    selectorIds.set(key, (id = nextSelectorId++));
  }
  return id;
}

let nextSelectorId = 0;

function constraintsOf(pod: Pod, action: Action): Constraint[] {
  const out: Constraint[] = [];
  for (const c of pod.spec.topologySpreadConstraints ?? []) {
    if ((c.whenUnsatisfiable ?? 'DoNotSchedule') !== action) continue;
    const sel = c.labelSelector ? { matchLabels: { ...(c.labelSelector.matchLabels ?? {}) }, matchExpressions: [...(c.labelSelector.matchExpressions ?? [])] } : undefined;
    // matchLabelKeys: the pod's own values for these keys are ANDed into the selector.
    if (sel) for (const k of c.matchLabelKeys ?? []) if (pod.metadata.labels?.[k] !== undefined) sel.matchExpressions.push({ key: k, operator: 'In', values: [pod.metadata.labels[k]] });
    out.push(compile(c, compileFor(pod, sel)));
  }
  return out;
}

function hasAllKeys(node: NodeInfo, cs: Constraint[]): boolean {
  for (const c of cs) if (node.labels[c.topologyKey] === undefined) return false;
  return true;
}

/** countMatching is countPodsMatchSelector: the non-terminating pods of the namespace on the node that the selector matches. */
function countMatching(node: NodeInfo, c: Constraint, ns: string): number {
  let n = 0;
  // The PodInfo's own copies (kept current by the scheduler cache, which bumps the node's generation
  // when they change): one shape for every pod, where the pods themselves come in many.
  for (const pi of node.pods.values()) {
    if (pi.terminating || pi.namespace !== ns) continue;
    // The answer for the same selector (c.key names it, namespace included) and labels is remembered.
    if (pi.matchKey !== c.key || pi.matchLabels !== pi.labels) {
      pi.matchKey = c.key;
      pi.matchLabels = pi.labels;
      pi.matched = c.selector(pi.labels);
    }
    if (pi.matched) n++;
  }
  return n;
}

/** Memo: per node of the list, the generation a count was made at (-1: none yet) and the count. */
interface Memo {
  gens: Float64Array;
  counts: Int32Array;
}

/**
 * DomainTotals: per node of the list, what was last added to a domain's total (its count, its domain
 * as a small number, whether it has the label at all); the totals per domain number; and how far into
 * the counter's journal (of journalEpoch) they have caught up. Domains are numbered per DomainTotals
 * (names[id] is the label value, "" without it) so scoring reads typed arrays, not label maps.
 */
interface DomainTotals {
  pos: number;
  epoch: number;
  gens: Float64Array;
  labels: (Record<string, string> | undefined)[];
  ids: Int32Array;
  present: Uint8Array;
  counts: Int32Array;
  names: string[];
  idOf: Map<string, number>;
  byId: number[];
  /** seen / stamp: marks of the domains met in one pass over the feasible nodes (preScore counts them) */
  seen: number[];
  stamp: number;
}

/**
 * MatchCounter memoizes countMatching per node of the handle's node list and per selector, until the
 * node's pods change (NodeInfo.generation). With the default constraints every pod sums the zone
 * counts over all nodes (500 nodes x 20,000 pods in the bench), and between two pods only the nodes
 * that gained, lost or relabelled a pod need counting again.
 */
class MatchCounter {
  private list: readonly NodeInfo[] = [];
  private bySelector = new Map<number, Memo>();
  /** byDomain: per topology key and selector, the totals per domain (see totals) */
  private byDomain = new Map<string, Map<number, DomainTotals>>();
  /** journal: the list indices of nodes whose pods or labels changed (NodeInfo.journal), emptied now and then (journalEpoch) */
  private journal: number[] = [];
  private journalEpoch = 0;

  /** use makes list the node list counted (a new list, after nodes come or go, starts over). */
  use(list: readonly NodeInfo[]): readonly NodeInfo[] {
    if (list !== this.list) {
      for (const n of this.list) if (n.journal === this.journal) n.journal = undefined;
      this.list = list;
      list.forEach((n, i) => {
        n.listed = list;
        n.listIndex = i;
      });
      this.attach();
      this.bySelector.clear();
      this.byDomain.clear();
    }
    return list;
  }

  /**
   * attach makes the list's nodes write to a new journal of this counter's. Another counter over the
   * same list (another scheduler profile's) takes them over the same way; totals then finds its
   * journal no longer written to and checks every node.
   */
  private attach(): void {
    this.journal = [];
    this.journalEpoch++;
    for (const n of this.list) n.journal = this.journal;
  }

  /** memo is the per-node memo of c's selector (look it up once, then count with `in`). */
  memo(c: Constraint): Memo {
    let m = this.bySelector.get(c.key);
    if (!m) {
      if (this.bySelector.size >= 64) this.bySelector.clear();
      m = { gens: new Float64Array(this.list.length).fill(-1), counts: new Int32Array(this.list.length) };
      this.bySelector.set(c.key, m);
    }
    return m;
  }

  /** in counts on list[j], through c's memo m. */
  in(m: Memo, j: number, c: Constraint, ns: string): number {
    const node = this.list[j];
    if (m.gens[j] !== node.generation) {
      // Usually one pod changed since the count (the pod just bound, or one turned terminating).
      const delta = node.matchDelta(m.gens[j], ns, c.selector);
      m.counts[j] = delta === undefined ? countMatching(node, c, ns) : m.counts[j] + delta;
      m.gens[j] = node.generation;
    }
    return m.counts[j];
  }

  /** at counts on list[j]. */
  at(j: number, c: Constraint, ns: string): number {
    return this.in(this.memo(c), j, c, ns);
  }

  /**
   * totals is the matching pods per domain (label value of c.topologyKey, "" without it) over every
   * node of the list, kept up to date by recounting only nodes whose pods or labels changed.
   */
  totals(c: Constraint, ns: string): DomainTotals {
    let byKey = this.byDomain.get(c.topologyKey);
    if (!byKey) this.byDomain.set(c.topologyKey, (byKey = new Map()));
    let d = byKey.get(c.key);
    const n = this.list.length;
    if (!d || d.gens.length !== n) {
      if (byKey.size >= 64) byKey.clear();
      d = {
        pos: 0,
        epoch: -1,
        gens: new Float64Array(n).fill(-1),
        labels: new Array(n),
        ids: new Int32Array(n),
        present: new Uint8Array(n),
        counts: new Int32Array(n),
        names: [],
        idOf: new Map(),
        byId: [],
        seen: [],
        stamp: 0,
      };
      byKey.set(c.key, d);
    }
    const m = this.memo(c);
    if (n > 0 && this.list[0].journal !== this.journal) this.attach();
    const journal = this.journal;
    // Between two pods usually one node changed (the last one bound): catch up on the journal's
    // entries since last time instead of checking every node, unless it was emptied or ran long.
    if (d.epoch === this.journalEpoch && journal.length - d.pos <= n) {
      for (let k = d.pos; k < journal.length; k++) this.recount(d, m, journal[k], c, ns);
    } else {
      for (let j = 0; j < n; j++) this.recount(d, m, j, c, ns);
    }
    // The journal is emptied once it holds many lists' worth; totals behind it then check every node.
    if (journal.length >= 64 * n + 1024) {
      journal.length = 0;
      this.journalEpoch++;
    }
    d.epoch = this.journalEpoch;
    d.pos = journal.length;
    return d;
  }

  /** recount brings list[j]'s share of d's totals up to date (nothing to do when it did not change). */
  private recount(d: DomainTotals, m: Memo, j: number, c: Constraint, ns: string): void {
    const node = this.list[j];
    if (d.gens[j] === node.generation && d.labels[j] === node.labels) return;
    if (d.gens[j] !== -1) d.byId[d.ids[j]] -= d.counts[j];
    const label = node.labels[c.topologyKey];
    const v = label ?? '';
    let id = d.idOf.get(v);
    if (id === undefined) {
      id = d.names.length;
      d.idOf.set(v, id);
      d.names.push(v);
      d.byId.push(0);
      d.seen.push(0);
    }
    const cnt = this.in(m, j, c, ns);
    d.byId[id] += cnt;
    d.gens[j] = node.generation;
    d.labels[j] = node.labels;
    d.ids[j] = id;
    d.present[j] = label === undefined ? 0 : 1;
    d.counts[j] = cnt;
  }

  /** allListed: every node is in the counted list (their listIndex reads the memos); a loop, not every() and a closure, as it runs per pod over ~230 nodes. */
  allListed(nodes: readonly NodeInfo[]): boolean {
    for (let k = 0; k < nodes.length; k++) if (nodes[k].listed !== this.list) return false;
    return true;
  }

  /** of counts on a node of the list through c's memo m (or counts afresh for a node outside it). */
  of(m: Memo, node: NodeInfo, c: Constraint, ns: string): number {
    return node.listed === this.list ? this.in(m, node.listIndex, c, ns) : countMatching(node, c, ns);
  }
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
  /** pairCounts[i]: matching pods per domain (label value) of constraint i (not for hostname) */
  pairCounts: Map<string, number>[];
  weights: number[];
  ignored: ReadonlySet<string>;
  /** memos[i]: the per-node counts memo of hostname constraint i (looked up once per pod, not per node) */
  memos: (Memo | undefined)[];
  /**
   * fast[i]: constraint i's totals over every node, when every node counts for every constraint and
   * every feasible node is in the counted list: Score then reads them by the node's list index.
   */
  fast?: DomainTotals[];
}

/**
 * spreadConstraints is the pod's constraints for an action: its own when it has any, else the
 * defaults (buildDefaultConstraints) with the selector made from what selects it.
 */
function spreadConstraints(pod: Pod, action: Action, defaults: readonly SpreadConstraint[], handle: Handle, memo: DefaultSelectorMemo<Constraint[]>): Constraint[] {
  if (pod.spec.topologySpreadConstraints?.length) return constraintsOf(pod, action);
  const wanted = defaults.filter((c) => (c.whenUnsatisfiable ?? 'DoNotSchedule') === action);
  if (wanted.length === 0) return [];
  return memo.get(pod, handle, (sel) => {
    if (!sel) return [];
    const compiled = compileFor(pod, sel);
    return wanted.map((c) => compile(c, compiled));
  });
}

/** NONE_IGNORED: no node is left out of scoring (shared; never written). */
const NONE_IGNORED: ReadonlySet<string> = new Set();

/**
 * scoreAllFast is Score for every feasible node from the totals (ScoreState.fast): a hostname
 * constraint's count is the node's own, another's the total of the node's domain, as scoreNode.
 */
function scoreAllFast(s: ScoreState, fast: DomainTotals[], nodes: readonly NodeInfo[], out: Float64Array): void {
  const { constraints, weights } = s;
  const n = nodes.length;
  if (listIndexes.length < n) listIndexes = new Int32Array(n * 2);
  for (let k = 0; k < n; k++) listIndexes[k] = nodes[k].listIndex;
  out.fill(0, 0, n);
  // Constraint by constraint over the nodes (tight loops over typed arrays); each node's sum is
  // still added up in constraint order from 0, so the floating-point result is scoreNode's.
  for (let i = 0; i < constraints.length; i++) {
    const { present, counts, byId, ids } = fast[i];
    const w = weights[i];
    const add = constraints[i].maxSkew - 1;
    if (constraints[i].topologyKey === HOSTNAME) {
      for (let k = 0; k < n; k++) {
        const j = listIndexes[k];
        if (present[j] !== 0) out[k] += counts[j] * w + add;
      }
    } else {
      for (let k = 0; k < n; k++) {
        const j = listIndexes[k];
        if (present[j] !== 0) out[k] += byId[ids[j]] * w + add;
      }
    }
  }
  for (let k = 0; k < n; k++) out[k] = Math.round(out[k]) | 0;
}

/** listIndexes: scoreAllFast's scratch of the feasible nodes' list indices (one scheduler cycle at a time). */
let listIndexes = new Int32Array(0);

const FILTER_KEY = 'PreFilter' + Name;
const SCORE_KEY = 'PreScore' + Name;

export function newPodTopologySpread(args: PodTopologySpreadArgs, handle: Handle): Plugin {
  const systemDefaulted = (args?.defaultingType ?? 'System') === 'System';
  const defaults = systemDefaulted ? SYSTEM_DEFAULT_CONSTRAINTS : (args?.defaultConstraints ?? []);
  const counter = new MatchCounter();
  // One memo per action: the constraints made for a controller's pods (read-only to their users).
  const defaultMemos: Record<Action, DefaultSelectorMemo<Constraint[]>> = { DoNotSchedule: new DefaultSelectorMemo(), ScheduleAnyway: new DefaultSelectorMemo() };
  /** scoreNode is Score: each constraint's count in the node's domain, weighted, plus maxSkew - 1. */
  const scoreNode = (s: ScoreState, node: NodeInfo, ns: string): number => {
    if (s.ignored.size > 0 && s.ignored.has(node.name)) return 0;
    let score = 0;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      const v = node.labels[c.topologyKey];
      if (v === undefined) continue;
      const m = s.memos[i];
      const cnt = m ? counter.of(m, node, c, ns) : s.pairCounts[i].get(v) ?? 0;
      score += cnt * s.weights[i] + (c.maxSkew - 1);
    }
    // int64(math.Round(score)); `| 0` keeps the (small) result an unboxed integer.
    return Math.round(score) | 0;
  };
  return {
    name: Name,
    preFilter(state: CycleState, pod: Pod) {
      const constraints = spreadConstraints(pod, 'DoNotSchedule', defaults, handle, defaultMemos.DoNotSchedule);
      if (constraints.length === 0) return SKIP;
      const ns = pod.metadata.namespace ?? 'default';
      const req = requiredNodeAffinityOf(pod.spec);
      const counts = constraints.map(() => new Map<string, number>());
      const all = counter.use(handle.nodeInfos());
      for (let j = 0; j < all.length; j++) {
        const node = all[j];
        if (!hasAllKeys(node, constraints)) continue;
        const affinityOk = requiredNodeAffinityMatches(req, node.labels, node.name);
        constraints.forEach((c, i) => {
          if (!nodeCounts(pod, c, node, affinityOk)) return;
          const v = node.labels[c.topologyKey];
          counts[i].set(v, (counts[i].get(v) ?? 0) + counter.at(j, c, ns));
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
      if (nodes.length === 0) return SKIP;
      const constraints = spreadConstraints(pod, 'ScheduleAnyway', defaults, handle, defaultMemos.ScheduleAnyway);
      if (constraints.length === 0) return SKIP;
      const ns = pod.metadata.namespace ?? 'default';
      // Only a pod's own constraints (or configured defaults) need every topology label on a node:
      // with the system defaults a node without a zone label still gets hostname spreading.
      const requireAll = !!pod.spec.topologySpreadConstraints?.length || !systemDefaulted;
      const req = requiredNodeAffinityOf(pod.spec);
      const all = counter.use(handle.nodeInfos());
      // Every node counts when nothing excludes one (the system defaults, for a pod without a
      // required node affinity): the totals kept per domain serve each pod without a pass over all nodes.
      const anyNode = !req.terms && Object.keys(req.nodeSelector ?? {}).length === 0;
      const everyNode = (c: Constraint) => !requireAll && !c.honorTaints && (!c.honorAffinity || anyNode);
      const memos = constraints.map((c) => (c.topologyKey === HOSTNAME ? counter.memo(c) : undefined));
      const pairCounts = constraints.map(() => new Map<string, number>());
      if (constraints.every(everyNode) && counter.allListed(nodes)) {
        // The common case (a Deployment's pods under the system defaults): every number comes from
        // the totals, and the domains among the feasible nodes are counted by their numbers.
        const fast = constraints.map((c) => counter.totals(c, ns));
        const weights = constraints.map((c, i) => {
          if (c.topologyKey === HOSTNAME) return Math.log(nodes.length + 2);
          const d = fast[i];
          const stamp = ++d.stamp;
          const domains = d.names.length;
          // The feasible nodes are walked until every domain is met (three zones: after a few nodes).
          for (let k = 0; k < nodes.length && pairCounts[i].size < domains; k++) {
            const id = d.ids[nodes[k].listIndex];
            if (d.seen[id] === stamp) continue;
            d.seen[id] = stamp;
            pairCounts[i].set(d.names[id], d.byId[id]);
          }
          return Math.log(pairCounts[i].size + 2);
        });
        state.set(SCORE_KEY, { constraints, pairCounts, weights, ignored: NONE_IGNORED, memos, fast } satisfies ScoreState);
        return null;
      }
      const ignored = new Set<string>();
      for (const node of nodes) {
        if (requireAll && !hasAllKeys(node, constraints)) {
          ignored.add(node.name);
          continue;
        }
        for (let i = 0; i < constraints.length; i++) {
          const c = constraints[i];
          // A missing label counts as the domain "" (upstream reads the label map's zero value).
          if (c.topologyKey !== HOSTNAME) pairCounts[i].set(node.labels[c.topologyKey] ?? '', 0);
        }
      }
      // topologyNormalizingWeight = log(domains + 2): spreading over 3 zones weighs less per pod than over 500 hosts.
      const weights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME ? nodes.length - ignored.size : pairCounts[i].size) + 2));
      const slow: number[] = [];
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i];
        if (c.topologyKey === HOSTNAME) continue;
        if (!everyNode(c)) {
          slow.push(i);
          continue;
        }
        const d = counter.totals(c, ns);
        for (const v of pairCounts[i].keys()) {
          const id = d.idOf.get(v);
          pairCounts[i].set(v, id === undefined ? 0 : d.byId[id]);
        }
      }
      for (let j = 0; slow.length > 0 && j < all.length; j++) {
        const node = all[j];
        if (requireAll && !hasAllKeys(node, constraints)) continue;
        const affinityOk = requiredNodeAffinityMatches(req, node.labels, node.name);
        for (const i of slow) {
          const c = constraints[i];
          if (!nodeCounts(pod, c, node, affinityOk)) continue;
          const v = node.labels[c.topologyKey] ?? '';
          const cur = pairCounts[i].get(v);
          if (cur === undefined) continue;
          pairCounts[i].set(v, cur + counter.at(j, c, ns));
        }
      }
      state.set(SCORE_KEY, { constraints, pairCounts, weights, ignored, memos } satisfies ScoreState);
      return null;
    },
    score(state, pod: Pod, node) {
      return scoreNode(state.get(SCORE_KEY) as ScoreState, node, pod.metadata.namespace ?? 'default');
    },
    scoreAll(state, pod: Pod, nodes, out) {
      const s = state.get(SCORE_KEY) as ScoreState;
      if (s.fast) return scoreAllFast(s, s.fast, nodes, out);
      const ns = pod.metadata.namespace ?? 'default';
      for (let i = 0; i < nodes.length; i++) out[i] = scoreNode(s, nodes[i], ns);
    },
    normalizeScore(state, _pod, scores, nodes) {
      const s = state.get(SCORE_KEY) as ScoreState;
      const anyIgnored = s.ignored.size > 0;
      let min = Infinity;
      let max = 0;
      for (let i = 0; i < scores.length; i++) {
        if (anyIgnored && s.ignored.has(nodes[i].name)) continue;
        if (scores[i] < min) min = scores[i];
        if (scores[i] > max) max = scores[i];
      }
      for (let i = 0; i < scores.length; i++) {
        if (anyIgnored && s.ignored.has(nodes[i].name)) scores[i] = 0;
        else if (max === 0) scores[i] = MAX_NODE_SCORE;
        else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i])) / max);
      }
    },
  };
}
