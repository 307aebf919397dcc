import type { Pod } from '../api/types.ts';
import type { Rng } from '../rng.ts';
import { fitErrorMessage } from './framework/fiterror.ts';
import { nodeHasRoom, type NodeInfo } from './framework/nodeinfo.ts';
import type { Profile } from './framework/registry.ts';
import type { CycleState, Handle, Plugin, QuickFilter, Status } from './framework/types.ts';
import { TOP_SCORED_NODES, type AttemptTrace } from './trace.ts';

/** MIN_FEASIBLE_NODES_TO_FIND is minFeasibleNodesToFind: below 100 nodes every node is checked. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND is the adaptive percentage's floor (5%). */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/**
 * numFeasibleNodesToFind is Scheduler.numFeasibleNodesToFind with the adaptive default
 * (percentageOfNodesToScore 0): percentage = 50 - nodes/125, at least 5%, at least 100 nodes.
 * 500 nodes → 46% → stop filtering after 230 feasible nodes; 5,000 nodes → 10% → 500.
 */
export function numFeasibleNodesToFind(numAllNodes: number, percentageOfNodesToScore = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let pct = percentageOfNodesToScore;
  if (pct === 0) {
    pct = 50 - Math.trunc(numAllNodes / 125);
    if (pct < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) pct = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * pct) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

/** Diagnosis: every node that failed and the first failing plugin's status; preFilterMsg for a PreFilter rejection. */
export interface Diagnosis {
  failedNodes: NodeInfo[];
  failedStatuses: Status[];
  preFilterMsg: string;
}

/** ErrNoNodesAvailable is upstream's error when the cluster has no nodes at all. */
export const ErrNoNodesAvailable = 'no nodes available to schedule pods';

const EMPTY: number[] = [];
/** NO_STATUSES: a trace with no failed node (most) shares this empty table; recordFailures gives one its own. */
const NO_STATUSES: Status[] = [];

export interface ScheduleResult {
  host?: string;
  /** message is the FitError text when host is undefined, before PostFilter adds its part. */
  message?: string;
  /** diagnosis is the FitError's Diagnosis (for PostFilter): the failed nodes and their statuses. */
  diagnosis?: Diagnosis;
  nextStartNodeIndex: number;
  trace: AttemptTrace;
}

/**
 * schedulePod is genericScheduler.schedulePod: PreFilter, Filter (from the rotating start index,
 * stopping once numFeasibleNodesToFind nodes fit), then PreScore/Score/NormalizeScore over the
 * feasible nodes and selectHost. One feasible node is chosen without scoring, as upstream.
 */
/** Scratch is reusable score buffers (one scheduler, one cycle at a time): no per-pod typed-array churn. */
export interface Scratch {
  buf: Float64Array;
  totals: Float64Array;
  /** feasible and failed nodes of the cycle: reused (a 500-node cluster grows them to ~230 entries per pod) */
  feasible: NodeInfo[];
  failedNodes: NodeInfo[];
  failedStatuses: Status[];
  /** views: the score views into buf and totals for F feasible nodes and P plugins (see scoreViews) */
  views?: ScoreViews;
}

/** ScoreViews are each plugin's raw and normalized scores and the totals, as views of the scratch buffers. */
interface ScoreViews {
  F: number;
  P: number;
  buf: Float64Array;
  totals: Float64Array;
  raw: Float64Array[];
  scores: Float64Array[];
}

export function newScratch(): Scratch {
  return { buf: new Float64Array(0), totals: new Float64Array(0), feasible: [], failedNodes: [], failedStatuses: [] };
}

/**
 * scoreViews cuts the scratch buffers into views for F feasible nodes and P score plugins: buf holds
 * [plugin p raw scores | plugin p normalized scores] for every feasible node. The views are kept while F
 * and P stay the same (a 500-node cluster has ~230 feasible nodes for pod after pod): a view is an
 * object, and making 2P + 1 of them per pod was ~800 bytes of garbage each.
 */
function scoreViews(scratch: Scratch, F: number, P: number): ScoreViews {
  if (scratch.totals.length < F) scratch.totals = new Float64Array(F * 2);
  if (scratch.buf.length < P * F * 2) scratch.buf = new Float64Array(P * F * 4);
  const v = scratch.views;
  if (v && v.F === F && v.P === P && v.buf === scratch.buf && v.totals.buffer === scratch.totals.buffer) return v;
  const buf = scratch.buf;
  const raw: Float64Array[] = [];
  const scores: Float64Array[] = [];
  for (let p = 0; p < P; p++) {
    raw.push(buf.subarray(p * 2 * F, p * 2 * F + F));
    scores.push(buf.subarray(p * 2 * F + F, (p + 1) * 2 * F));
  }
  return (scratch.views = { F, P, buf, totals: scratch.totals.subarray(0, F), raw, scores });
}

export function schedulePod(
  profile: Profile,
  handle: Handle & { nodeId(name: string): number },
  pod: Pod,
  podKey: string,
  startIndex: number,
  rng: Rng,
  now: number,
  percentageOfNodesToScore = 0,
  scratch: Scratch = newScratch(),
): ScheduleResult {
  const nodes = handle.nodeInfos();
  const n = nodes.length;
  const trace: AttemptTrace = {
    podKey,
    at: now,
    numAllNodes: n,
    evaluatedNodes: 0,
    feasibleNodes: 0,
    startIndex,
    failedNodeIds: EMPTY,
    failedStatusIdx: EMPTY,
    statuses: NO_STATUSES,
    filterSkipMask: 0,
    scoreSkipMask: 0,
    top: null,
  };
  if (n === 0) {
    trace.message = ErrNoNodesAvailable;
    return { message: ErrNoNodesAvailable, nextStartNodeIndex: startIndex, trace };
  }
  const state: CycleState = new Map();

  // PreFilter: a plugin with nothing to check for this pod (no affinity, no spread constraints) says Skip.
  const filters: Plugin[] = [];
  for (let i = 0; i < profile.filters.length; i++) {
    const p = profile.filters[i];
    if (p.preFilter) {
      const s = p.preFilter(state, pod);
      if (s?.code === 'Skip') {
        trace.filterSkipMask |= 1 << i;
        continue;
      }
      if (s && s.code !== 'Success') {
        const st: Status = { ...s, plugin: p.name };
        const preFilterMsg = s.reasons.join(', ');
        const msg = fitErrorMessage(n, [], preFilterMsg);
        trace.evaluatedNodes = n;
        trace.message = msg;
        return { message: msg, nextStartNodeIndex: startIndex, trace, diagnosis: { failedNodes: [...nodes], failedStatuses: nodes.map(() => st), preFilterMsg } };
      }
    }
    if (p.filter) filters.push(p);
  }

  // Filter, from where the previous pod stopped so every node gets its turn. A node that meets
  // every plugin's QuickFilter passes without the calls; any other goes through each Filter in turn.
  const quick = quickFilterOf(filters, state, pod);
  const qSchedulable = !!quick?.schedulable;
  const qUntainted = !!quick?.untainted;
  const qFits = quick?.fits;
  const want = numFeasibleNodesToFind(n, percentageOfNodesToScore);
  // The scratch arrays are written by index and cut to length once: `length = 0` would free their
  // storage, and regrowing ~230 entries per pod is ~6 KB of garbage each (120 MB in the 10,000-pod bench).
  const { feasible, failedNodes, failedStatuses } = scratch;
  let nFeasible = 0;
  let nFailed = 0;
  let processed = 0;
  const start = startIndex % n;
  for (let i = 0; i < n && nFeasible < want; i++) {
    const node = nodes[(start + i) % n];
    processed++;
    if (quick !== null && !(qSchedulable && node.unschedulable) && !(qUntainted && node.taints.length > 0) && (qFits === undefined || nodeHasRoom(qFits, node))) {
      feasible[nFeasible++] = node;
      continue;
    }
    let failed: Status | null = null;
    for (let f = 0; f < filters.length; f++) {
      const p = filters[f];
      const s = p.filter!(state, pod, node);
      if (s && s.code !== 'Success') {
        failed = s;
        s.plugin = p.name;
        break;
      }
    }
    if (failed) {
      failedNodes[nFailed] = node;
      failedStatuses[nFailed++] = failed;
    } else feasible[nFeasible++] = node;
  }
  feasible.length = nFeasible;
  failedNodes.length = failedStatuses.length = nFailed;
  const nextStartNodeIndex = (start + processed) % n;
  trace.evaluatedNodes = processed;
  trace.feasibleNodes = feasible.length;
  recordFailures(trace, handle, failedNodes, failedStatuses);

  if (feasible.length === 0) {
    const msg = fitErrorMessage(n, failedStatuses);
    trace.message = msg;
    return { message: msg, nextStartNodeIndex, trace, diagnosis: { failedNodes: [...failedNodes], failedStatuses: [...failedStatuses], preFilterMsg: '' } };
  }
  if (feasible.length === 1) {
    trace.chosen = feasible[0].name;
    return { host: feasible[0].name, nextStartNodeIndex, trace };
  }

  // PreScore, Score, NormalizeScore, weights.
  const F = feasible.length;
  const scorePlugins = profile.scores;
  const P = scorePlugins.length;
  const views = scoreViews(scratch, F, P);
  const { totals, buf } = views;
  totals.fill(0);
  const ran: boolean[] = [];
  for (let p = 0; p < P; p++) {
    const { plugin, weight } = scorePlugins[p];
    if (plugin.preScore && plugin.preScore(state, pod, feasible)?.code === 'Skip') {
      trace.scoreSkipMask |= 1 << p;
      ran.push(false);
      continue;
    }
    ran.push(true);
    const raw = views.raw[p];
    const scores = views.scores[p];
    if (plugin.scoreAll) plugin.scoreAll(state, pod, feasible, raw);
    else for (let i = 0; i < F; i++) raw[i] = plugin.score!(state, pod, feasible[i]);
    scores.set(raw);
    if (plugin.normalizeScore) plugin.normalizeScore(state, pod, scores, feasible);
    for (let i = 0; i < F; i++) totals[i] += scores[i] * weight;
  }

  // selectHost: the highest total; ties broken uniformly at random. Upstream draws once per tie
  // (reservoir sampling, keep the k-th tie with probability 1/k); counting the ties and drawing
  // once gives the same uniform choice with one draw instead of up to 230.
  let max = totals[0];
  let ties = 0;
  for (let i = 0; i < F; i++) {
    if (totals[i] > max) {
      max = totals[i];
      ties = 1;
    } else if (totals[i] === max) ties++;
  }
  let pick = ties > 1 ? rng.int(ties) : 0;
  let best = 0;
  for (let i = 0; i < F; i++) {
    if (totals[i] === max && pick-- === 0) {
      best = i;
      break;
    }
  }

  // Keep the chosen node and the next best for the trace.
  const K = Math.min(TOP_SCORED_NODES, F);
  const top: number[] = [best];
  for (let i = 0; i < F; i++) if (i !== best) insertTop(top, i, totals, K);
  // A plain array of small integers, made at its length: a typed array per pod costs an ArrayBuffer
  // and its off-heap store each, and pushing would regrow the array several times.
  const packed = new Array<number>(top.length * (1 + P * 2));
  let o = 0;
  for (const fi of top) {
    packed[o++] = handle.nodeId(feasible[fi].name);
    for (let p = 0; p < P; p++) {
      packed[o++] = ran[p] ? buf[p * 2 * F + fi] | 0 : -1;
      packed[o++] = ran[p] ? buf[p * 2 * F + F + fi] | 0 : -1;
    }
  }
  trace.top = packed;
  trace.chosen = feasible[best].name;
  return { host: feasible[best].name, nextStartNodeIndex, trace };
}

/**
 * runFilters runs PreFilter and Filter for one pod on one node, as RunFilterPluginsWithNominatedPods
 * does for preemption's what-if checks: null when the pod fits, else the first failing status.
 */
export function runFilters(profile: Profile, pod: Pod, node: NodeInfo): Status | null {
  const state: CycleState = new Map();
  const filters: Plugin[] = [];
  for (const p of profile.filters) {
    if (p.preFilter) {
      const s = p.preFilter(state, pod);
      if (s?.code === 'Skip') continue;
      if (s && s.code !== 'Success') return { ...s, plugin: p.name };
    }
    if (p.filter) filters.push(p);
  }
  for (const p of filters) {
    const s = p.filter!(state, pod, node);
    if (s && s.code !== 'Success') return { ...s, plugin: p.name };
  }
  return null;
}

/**
 * quickFilterOf combines the active Filter plugins' QuickFilters for this pod: null when one of them
 * has none (or two would each need room for requests, which one test cannot say).
 */
function quickFilterOf(filters: Plugin[], state: CycleState, pod: Pod): QuickFilter | null {
  const all: QuickFilter = {};
  for (let f = 0; f < filters.length; f++) {
    const q = filters[f].quickFilter?.(state, pod) ?? null;
    if (q === null) return null;
    if (q.schedulable) all.schedulable = true;
    if (q.untainted) all.untainted = true;
    if (q.fits) {
      if (all.fits) return null;
      all.fits = q.fits;
    }
  }
  return all;
}

/** insertTop keeps top[1..] sorted by total (descending) and at most K long; top[0] is the chosen node. */
function insertTop(top: number[], i: number, totals: Float64Array, K: number): void {
  let j = top.length;
  while (j > 1 && totals[top[j - 1]] < totals[i]) j--;
  if (j >= K) return;
  top.splice(j, 0, i);
  if (top.length > K) top.pop();
}

function recordFailures(trace: AttemptTrace, handle: { nodeId(name: string): number }, nodes: NodeInfo[], statuses: Status[]): void {
  if (nodes.length === 0) return;
  const table: Status[] = [];
  const byKey = new Map<string, number>();
  trace.failedNodeIds = new Array<number>(nodes.length);
  trace.failedStatusIdx = new Array<number>(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const s = statuses[i];
    const key = `${s.plugin}|${s.code}|${s.reasons.join('\u0000')}`;
    let idx = byKey.get(key);
    if (idx === undefined) {
      idx = Math.min(table.length, 255);
      if (table.length < 256) {
        table.push({ code: s.code, reasons: s.reasons, plugin: s.plugin });
        byKey.set(key, idx);
      }
    }
    trace.failedNodeIds[i] = handle.nodeId(nodes[i].name);
    trace.failedStatusIdx[i] = idx;
  }
  trace.statuses = table;
}
