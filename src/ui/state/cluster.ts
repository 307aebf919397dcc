/**
 * The page's copy of the cluster: every object the worker reported, by kind and "namespace/name".
 * Diffs from the worker are applied by a pure reducer (applyDiff); a kind's Map is replaced only when
 * one of its objects changed, so components that select one kind re-render only for that kind.
 */
import { create } from 'zustand';
import type { KubeObject } from '../../engine/api/types.ts';
import { PAGE_EVENTS, refKey, type ClockState, type Diff, type TrafficDot, type TrafficView } from '../../worker/protocol.ts';

export type ObjectsByKind = Record<string, ReadonlyMap<string, KubeObject>>;

/** MAX_EVENTS bounds the Events the page keeps (the oldest are dropped first); the worker sends no more per diff. */
export const MAX_EVENTS = PAGE_EVENTS;

const EMPTY: ReadonlyMap<string, KubeObject> = new Map();

export function objKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/**
 * firstSeen numbers objects by uid in the order the page first heard of them (creation order: a reset
 * diff lists the store in creation order, later diffs list creations as they happen). The graph sorts
 * chips by it, so a chip never moves when another pod is created in the same second.
 */
const firstSeen = new Map<string, number>();
let seenCounter = 0;

/** seenOrder returns an object's first-seen number (new objects sort last). */
export function seenOrder(uid: string | undefined): number {
  return (uid && firstSeen.get(uid)) || Number.MAX_SAFE_INTEGER;
}

/** applyDiff returns the new objects table after a diff (the old one is not modified). */
export function applyDiff(prev: ObjectsByKind, diff: Diff): ObjectsByKind {
  return applyDiffs(prev, [diff]);
}

/**
 * applyDiffs returns the new objects table after several diffs, in order. A kind's Map is copied once for
 * all of them, not once per diff (a frame can bring a dozen diffs of a rollout, each touching 1,000 pods'
 * Map).
 */
export function applyDiffs(prev: ObjectsByKind, diffs: readonly Diff[]): ObjectsByKind {
  let base = prev;
  let next: Record<string, Map<string, KubeObject>> = {};
  const touch = (kind: string): Map<string, KubeObject> => {
    let m = next[kind];
    if (!m) {
      m = new Map(base[kind] ?? EMPTY);
      next[kind] = m;
    }
    return m;
  };
  for (const diff of diffs) {
    if (diff.reset) {
      base = {};
      next = {};
      firstSeen.clear();
    }
    if (diff.eventsReset) {
      // The worker sends the newest Events again (the page did not show them for a while): start over.
      for (const e of (next.Event ?? base.Event ?? EMPTY).values()) if (e.metadata.uid) firstSeen.delete(e.metadata.uid);
      next.Event = new Map();
    }
    for (const o of diff.upserted) {
      const uid = o.metadata.uid;
      if (uid && !firstSeen.has(uid)) firstSeen.set(uid, ++seenCounter);
    }
    for (const r of diff.removed) if (r.uid) firstSeen.delete(r.uid);
    for (const o of diff.upserted) touch(o.kind).set(objKey(o.metadata.namespace, o.metadata.name), o);
    for (const r of diff.removed) touch(r.kind).delete(objKey(r.namespace || undefined, r.name));
  }
  const events = next.Event;
  if (events && events.size > MAX_EVENTS) {
    let drop = events.size - MAX_EVENTS;
    for (const k of events.keys()) {
      if (drop-- <= 0) break;
      events.delete(k);
    }
  }
  return { ...base, ...next };
}

export interface ClusterStore {
  objects: ObjectsByKind;
  clock: ClockState;
  scenario: string;
  /** scenarioTitle: the loaded scenario's spec.title, '' when it has none */
  scenarioTitle: string;
  loadErrors: string[];
  /** engineError is the last exception the worker caught (the simulation paused on it) */
  engineError: string | undefined;
  /** busy: the worker has been silent this many seconds while the page waits on it (Client's watchdog) */
  busy?: { what: string; seconds: number; /** then: what the page asked next, waiting its turn (a scenario picked meanwhile) */ then?: string[] };
  ready: boolean;
  /** epoch counts reset diffs: a new cluster (a load, a seek back, a recover) replaced the old one */
  epoch: number;
  /** traffic is the routed traffic the worker last reported (rates by Service and Pod) */
  traffic: TrafficView | undefined;
  /**
   * watched is the object the page asked for whole (Client.watch: the Inspector's), by refKey, as of the
   * clock: obj undefined when it does not exist. objects holds summaries of SUMMARY_KINDS (Pods …).
   */
  watched: { key: string; obj: KubeObject | undefined } | undefined;
  /**
   * eventsLive: the worker is sending Events (it sent the newest with an eventsReset diff since the page
   * asked for them, see useEvents); otherwise the Events held are an old moment's, not to be shown.
   */
  eventsLive: boolean;
  applyDiff(diff: Diff, clock: ClockState): void;
  /** applyDiffs applies several diffs in order as ONE store update (the page's diffs of one animation frame). */
  applyDiffs(diffs: readonly Diff[], clock: ClockState): void;
}

/**
 * reduceDiffs is the store's state after diffs, applied in order. The traffic view is the last one sent,
 * carrying the sampled requests of every view in the batch (each view's samples are the requests routed
 * since the one before, so dropping a view would drop its dots).
 */
export function reduceDiffs(
  s: Pick<ClusterStore, 'objects' | 'traffic' | 'epoch'> & Partial<Pick<ClusterStore, 'watched' | 'eventsLive'>>,
  diffs: readonly Diff[],
  clock: ClockState,
): Pick<ClusterStore, 'objects' | 'traffic' | 'epoch' | 'clock' | 'watched' | 'eventsLive'> {
  let { objects, traffic, epoch, watched } = s;
  let eventsLive = s.eventsLive ?? false;
  let samples: TrafficDot[] = [];
  objects = applyDiffs(objects, diffs);
  for (const diff of diffs) {
    if (diff.reset) {
      epoch++;
      traffic = undefined;
      samples = [];
    }
    if (diff.watched) watched = { key: refKey(diff.watched.ref), obj: diff.watched.obj };
    if (diff.eventsReset) eventsLive = true;
    if (diff.traffic) {
      traffic = diff.traffic;
      if (diff.traffic.samples?.length) samples = samples.length ? samples.concat(diff.traffic.samples) : diff.traffic.samples;
    }
  }
  if (traffic && samples.length && traffic.samples !== samples) traffic = { ...traffic, samples };
  return { objects, clock, traffic, epoch, watched, eventsLive };
}

export const useCluster = create<ClusterStore>((set) => ({
  objects: {},
  clock: { t: 0, playing: false, speed: 1, behind: false },
  scenario: '',
  scenarioTitle: '',
  loadErrors: [],
  engineError: undefined,
  ready: false,
  epoch: 0,
  traffic: undefined,
  watched: undefined,
  eventsLive: false,
  // A reset (a new scenario) forgets the old cluster's traffic; otherwise a diff without traffic keeps it.
  applyDiff: (diff, clock) => set((s) => reduceDiffs(s, [diff], clock)),
  applyDiffs: (diffs, clock) => set((s) => reduceDiffs(s, diffs, clock)),
}));

/** useKind selects one kind's objects (a stable empty Map when there are none). */
export function useKind(kind: string): ReadonlyMap<string, KubeObject> {
  return useCluster((s) => s.objects[kind] ?? EMPTY);
}
