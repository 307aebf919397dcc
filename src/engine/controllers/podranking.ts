import type { Pod } from '../api/types.ts';
import { getCondition, isPodActive, isPodReady } from '../api/podutil.ts';
import { EPOCH_MS, parseIsoTime } from '../clock.ts';

/**
 * Ranking pods for deletion (pkg/controller/controller_utils.go ActivePodsWithRanks, and the
 * ReplicaSet controller's getPodsToDelete): which of a ReplicaSet's or ReplicationController's
 * active pods a scale-down deletes first.
 */

export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

interface RankKey {
  pod: Pod;
  assigned: boolean;
  phase: number;
  ready: boolean;
  cost: number;
  rank: number;
  readyMs: number | undefined;
  restarts: number;
  createdMs: number | undefined;
  uid: string;
}

/**
 * logarithmicRankDiff is logarithmicRankDiff: compare floor(log2(age in ns)), so pods of similar
 * age (within a factor of two) count as equal and are then chosen by uid (LogarithmicScaleDown).
 */
function logarithmicRankDiff(t1: number, t2: number, now: number): number {
  const d1 = (now - t1) * 1e6;
  const d2 = (now - t2) * 1e6;
  const r1 = d1 > 0 ? Math.floor(Math.log2(d1)) : -1;
  const r2 = d2 > 0 ? Math.floor(Math.log2(d2)) : -1;
  return r1 - r2;
}

/** afterOrZero: a zero time sorts first, then the later time first. Negative means i first. */
function afterOrZero(t1: number | undefined, t2: number | undefined): number {
  if (t1 === undefined || t2 === undefined) return t1 === undefined ? (t2 === undefined ? 0 : -1) : 1;
  return t1 > t2 ? -1 : t1 < t2 ? 1 : 0;
}

function compareTimes(a: RankKey, b: RankKey, ta: number | undefined, tb: number | undefined, now: number): number {
  if (ta === tb) return 0;
  if (ta === undefined || tb === undefined) return afterOrZero(ta, tb);
  const d = logarithmicRankDiff(ta, tb, now);
  if (d === 0) return a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
  return d;
}

/**
 * compareActivePodsWithRanks is ActivePodsWithRanks.Less as a comparator (negative: delete a first):
 * unassigned < assigned; Pending < Unknown < Running; not ready < ready; lower deletion cost first;
 * more related pods on the same node first; ready for less time first; more restarts first; newer first.
 */
export function compareActivePodsWithRanks(a: RankKey, b: RankKey, now: number): number {
  if (a.assigned !== b.assigned) return a.assigned ? 1 : -1;
  if (a.phase !== b.phase) return a.phase - b.phase;
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  if (a.cost !== b.cost) return a.cost - b.cost;
  if (a.rank !== b.rank) return b.rank - a.rank;
  if (a.ready && b.ready) {
    const r = compareTimes(a, b, a.readyMs, b.readyMs, now);
    if (r !== 0) return r;
  }
  if (a.restarts !== b.restarts) return b.restarts - a.restarts;
  const c = compareTimes(a, b, a.createdMs, b.createdMs, now);
  if (c !== 0) return c;
  // Upstream's sort is unstable here; a total order keeps the simulation deterministic.
  return a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
}

function deletionCost(pod: Pod): number {
  const v = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (v === undefined || !/^-?\d+$/.test(v)) return 0;
  const n = parseInt(v, 10);
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

/** isoMs is parseIsoTime, fast for the API's own "YYYY-MM-DDTHH:MM:SSZ" (ranking parses two per pod). */
function isoMs(s: string): number {
  if (s.length === 20 && s[10] === 'T' && s[19] === 'Z') {
    const t = Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10), +s.slice(11, 13), +s.slice(14, 16), +s.slice(17, 19));
    if (!Number.isNaN(t)) return t - EPOCH_MS;
  }
  return parseIsoTime(s);
}

/**
 * rankKeyMemo caches a pod's ranking facts by resourceVersion: a rolling update deletes a pod or
 * two per step from thousands, and re-reading every pod's conditions each step was most of the
 * cost. Derived data keyed by the object, so a restore (new objects) simply misses.
 */
const rankKeyMemo = new WeakMap<Pod, { rv: string | undefined; key: RankKey }>();

function rankKey(pod: Pod, rank: number): RankKey {
  const m = rankKeyMemo.get(pod);
  if (m && m.rv === pod.metadata.resourceVersion) {
    m.key.rank = rank;
    return m.key;
  }
  const key = makeRankKey(pod, rank);
  rankKeyMemo.set(pod, { rv: pod.metadata.resourceVersion, key });
  return key;
}

function makeRankKey(pod: Pod, rank: number): RankKey {
  const ready = isPodReady(pod);
  const lt = ready ? getCondition(pod.status?.conditions, 'Ready')?.lastTransitionTime : undefined;
  let restarts = 0;
  for (const cs of pod.status?.containerStatuses ?? []) restarts = Math.max(restarts, cs.restartCount ?? 0);
  return {
    pod,
    assigned: !!pod.spec?.nodeName,
    phase: PHASE_ORDINAL[pod.status?.phase ?? 'Pending'] ?? 0,
    ready,
    cost: deletionCost(pod),
    rank,
    readyMs: lt ? isoMs(lt) : undefined,
    restarts,
    createdMs: pod.metadata.creationTimestamp ? isoMs(pod.metadata.creationTimestamp) : undefined,
    uid: pod.metadata.uid ?? pod.metadata.name,
  };
}

/**
 * getPodsToDelete is getPodsToDelete: rank the active pods (rank = active related pods on the same
 * node, so doubled-up nodes lose pods first) and take the first diff. All of them need no sort.
 */
export function getPodsToDelete(activePods: Pod[], relatedPods: Pod[], diff: number, now: number): Pod[] {
  const onNode = new Map<string, number>();
  for (const p of relatedPods) {
    if (!isPodActive(p)) continue;
    const n = p.spec?.nodeName ?? '';
    onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  return podsToDeleteRanked(activePods, (n) => onNode.get(n) ?? 0, diff, now);
}

/** podsToDeleteRanked is getPodsToDelete with the rank (active related pods on the pod's node) as a function. */
export function podsToDeleteRanked(activePods: Pod[], rankOf: (node: string) => number, diff: number, now: number): Pod[] {
  if (diff >= activePods.length) return activePods.slice(0, diff);
  const cmp = (a: RankKey, b: RankKey) => compareActivePodsWithRanks(a, b, now);
  if (diff <= 8) {
    // A rolling update removes a pod or two per step: pick the first few by selection, O(n·diff), not a full sort.
    const out: RankKey[] = [];
    for (const p of activePods) {
      const k = rankKey(p, rankOf(p.spec?.nodeName ?? ''));
      if (out.length === diff && cmp(k, out[diff - 1]) >= 0) continue;
      let i = out.length === diff ? diff - 1 : out.length;
      out[i] = k;
      while (i > 0 && cmp(out[i], out[i - 1]) < 0) {
        [out[i], out[i - 1]] = [out[i - 1], out[i]];
        i--;
      }
    }
    return out.map((k) => k.pod);
  }
  // More (a scale-down deletes up to burstReplicas, 500, at once): keep the diff first in a max-heap,
  // O(n·log diff) instead of sorting all n (a 10,000-pod ReplicaSet is ranked 20 times in a rollout).
  const heap: RankKey[] = [];
  for (const p of activePods) {
    const k = rankKey(p, rankOf(p.spec?.nodeName ?? ''));
    if (heap.length < diff) {
      let i = heap.length;
      heap.push(k);
      while (i > 0) {
        const up = (i - 1) >> 1;
        if (cmp(heap[up], heap[i]) >= 0) break;
        [heap[up], heap[i]] = [heap[i], heap[up]];
        i = up;
      }
    } else if (cmp(k, heap[0]) < 0) {
      heap[0] = k;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let top = i;
        if (l < diff && cmp(heap[l], heap[top]) > 0) top = l;
        if (r < diff && cmp(heap[r], heap[top]) > 0) top = r;
        if (top === i) break;
        [heap[top], heap[i]] = [heap[i], heap[top]];
        i = top;
      }
    }
  }
  return heap.sort(cmp).map((k) => k.pod);
}
