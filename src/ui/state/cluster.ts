/**
 * The page's copy of the cluster: every object the worker reported, by kind and "namespace/name".
 * Diffs from the worker are applied by a pure reducer (applyDiff); a kind's Map is replaced only when
 * one of its objects changed, so components that select one kind re-render only for that kind.
 */
import { create } from 'zustand';
import type { KubeObject } from '../../engine/api/types.ts';
import type { ClockState, Diff, TrafficView } from '../../worker/protocol.ts';

export type ObjectsByKind = Record<string, ReadonlyMap<string, KubeObject>>;

/** MAX_EVENTS bounds the Events the page keeps (the oldest are dropped first). */
export const MAX_EVENTS = 1000;

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
  const next: Record<string, Map<string, KubeObject>> = {};
  const base = diff.reset ? {} : prev;
  if (diff.reset) firstSeen.clear();
  for (const o of diff.upserted) {
    const uid = o.metadata.uid;
    if (uid && !firstSeen.has(uid)) firstSeen.set(uid, ++seenCounter);
  }
  for (const r of diff.removed) if (r.uid) firstSeen.delete(r.uid);
  const touch = (kind: string): Map<string, KubeObject> => {
    let m = next[kind];
    if (!m) {
      m = new Map(base[kind] ?? EMPTY);
      next[kind] = m;
    }
    return m;
  };
  for (const o of diff.upserted) touch(o.kind).set(objKey(o.metadata.namespace, o.metadata.name), o);
  for (const r of diff.removed) touch(r.kind).delete(objKey(r.namespace || undefined, r.name));
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
  loadErrors: string[];
  /** engineError is the last exception the worker caught (the simulation paused on it) */
  engineError: string | undefined;
  ready: boolean;
  /** traffic is the routed traffic the worker last reported (rates by Service and Pod) */
  traffic: TrafficView | undefined;
  applyDiff(diff: Diff, clock: ClockState): void;
}

export const useCluster = create<ClusterStore>((set) => ({
  objects: {},
  clock: { t: 0, playing: false, speed: 1, behind: false },
  scenario: '',
  loadErrors: [],
  engineError: undefined,
  ready: false,
  traffic: undefined,
  // A reset (a new scenario) forgets the old cluster's traffic; otherwise a diff without traffic keeps it.
  applyDiff: (diff, clock) => set((s) => ({ objects: applyDiff(s.objects, diff), clock, traffic: diff.traffic ?? (diff.reset ? undefined : s.traffic) })),
}));

/** useKind selects one kind's objects (a stable empty Map when there are none). */
export function useKind(kind: string): ReadonlyMap<string, KubeObject> {
  return useCluster((s) => s.objects[kind] ?? EMPTY);
}
