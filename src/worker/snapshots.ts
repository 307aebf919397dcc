/**
 * snapshots: the rewind history's snapshots of the cluster, one per 10 s boundary of simulated time
 * at most, taken no more often than their wall-clock cost allows (SNAPSHOT_DUTY) and thinned to a
 * bound (MAX_SNAPSHOTS, MAX_SNAPSHOT_OBJECTS) so those kept stay evenly spread. A seek restores the
 * latest one at or before its time and replays from there (session.ts).
 */
import type { Sim, SimSnapshot } from '../engine/sim.ts';

/** Snap is one snapshot of the history: the cluster and where the timeline and actions stood. */
export interface Snap {
  t: number;
  snap: SimSnapshot;
  /** nextStep: the scenario timeline steps run so far; applied: the recorded actions run so far */
  nextStep: number;
  applied: number;
  objects: number;
}

/**
 * SNAPSHOT_EVERY_MS: the session snapshots the cluster on every 10 s boundary of simulated time, so a
 * seek replays at most ~10 s of simulation after restoring. Measured (src/worker/rewind.test.ts): the
 * default scenario's snapshot is ~75 KB of JSON (79 objects); a 1,000-pod Deployment after a rollout
 * ~12 MB (~15,000 objects, 13,800 of them Events), whose structuredClone takes ~0.2 s on a quiet core.
 * So big clusters are snapshotted less often: see SNAPSHOT_DUTY.
 */
export const SNAPSHOT_EVERY_MS = 10_000;
/**
 * SNAPSHOT_DUTY: after a snapshot that took c ms of wall time, the next waits until 20·c ms of wall
 * time have passed (boundaries reached sooner are skipped), so snapshots cost at most ~5% of the worker.
 * Where snapshots fall does not change the simulation (the live cluster is never restored from one).
 */
const SNAPSHOT_DUTY = 20;
/** MAX_SNAPSHOTS bounds the snapshots kept; past it the oldest are thinned (the one at 0 s stays). */
export const MAX_SNAPSHOTS = 90;
/**
 * MAX_SNAPSHOT_OBJECTS bounds the objects all kept snapshots hold together (~1–2 KB of heap each, so
 * ~60–120 MB): the default scenario keeps its 90 snapshots (15 minutes at 10 s, then spread out); a
 * 1,000-pod cluster with its Events (~15,000 objects) keeps 4, so a seek there may replay a minute.
 */
export const MAX_SNAPSHOT_OBJECTS = 60_000;

/** nextBoundary is the first snapshot boundary after t. */
function nextBoundary(t: number): number {
  return (Math.floor(t / SNAPSHOT_EVERY_MS) + 1) * SNAPSHOT_EVERY_MS;
}

/** Snapshots holds one branch's snapshots in time order. */
export class Snapshots {
  /** snaps: the snapshots kept, in time order; nextSnapAt: the boundary the next one is due at */
  private snaps: Snap[] = [];
  private nextSnapAt = 0;
  /** snapWallNext: the wall time (wallNow) before which no snapshot is taken (SNAPSHOT_DUTY) */
  private snapWallNext = -Infinity;

  /** wallNow reads a wall clock in ms, to measure what a snapshot costs. */
  constructor(private readonly wallNow: () => number) {}

  /** nextAt is the simulated time of the next boundary a snapshot is due at (the clock stops there). */
  get nextAt(): number {
    return this.nextSnapAt;
  }

  /** clear drops every snapshot (a new history). */
  clear(): void {
    this.snaps = [];
    this.nextSnapAt = 0;
    this.snapWallNext = -Infinity;
  }

  /** list describes the snapshots kept: their times and sizes. */
  list(): { t: number; objects: number }[] {
    return this.snaps.map((s) => ({ t: s.t, objects: s.objects }));
  }

  atOrBefore(t: number): Snap | undefined {
    let lo = 0;
    let hi = this.snaps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.snaps[mid].t <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? this.snaps[lo - 1] : undefined;
  }

  /** restored: the cluster was put back to s; the next snapshot is due at the boundary after it. */
  restored(s: Snap): void {
    this.nextSnapAt = nextBoundary(s.t);
  }

  /** truncateAfter drops the snapshots after t (a new branch from t). */
  truncateAfter(t: number): void {
    this.snaps = this.snaps.filter((s) => s.t <= t);
    this.nextSnapAt = nextBoundary(this.snaps.at(-1)?.t ?? -1);
  }

  /**
   * maybeSnapshot snapshots sim on each 10 s boundary (once per boundary on a branch), then thins;
   * nextStep and applied are where the timeline and the recorded actions stand.
   */
  maybeSnapshot(sim: Sim, nextStep: number, applied: number): void {
    const now = sim.now();
    if (now < this.nextSnapAt) return;
    this.nextSnapAt = nextBoundary(now);
    const at = this.atOrBefore(now);
    if (at && at.t === now) return;
    const wall = this.wallNow();
    // The duty cycle may skip a boundary, never the first snapshot of a history: a seek before every
    // snapshot (Home on the scrubber) would have nothing to restore and leave the clock where it is.
    if (at && wall < this.snapWallNext) return;
    const snap = sim.snapshot();
    this.snapWallNext = wall + SNAPSHOT_DUTY * (this.wallNow() - wall);
    const entry: Snap = { t: now, snap, nextStep, applied, objects: snap.store.objects.length };
    const i = at ? this.snaps.indexOf(at) + 1 : 0;
    this.snaps.splice(i, 0, entry);
    this.thin();
  }

  /**
   * thin drops snapshots past MAX_SNAPSHOTS or MAX_SNAPSHOT_OBJECTS: each time the one whose
   * neighbours are closest (the oldest of equals), so those kept stay evenly spread over the history
   * and no seek replays much more than end / kept. The first (0 s) and the latest are never dropped.
   */
  private thin(): void {
    let objects = 0;
    for (const s of this.snaps) objects += s.objects;
    while (this.snaps.length > 2 && (this.snaps.length > MAX_SNAPSHOTS || objects > MAX_SNAPSHOT_OBJECTS)) {
      let best = 1;
      let bestScore = Infinity;
      for (let i = 1; i < this.snaps.length - 1; i++) {
        const score = this.snaps[i + 1].t - this.snaps[i - 1].t;
        if (score < bestScore) {
          bestScore = score;
          best = i;
        }
      }
      objects -= this.snaps[best].objects;
      this.snaps.splice(best, 1);
    }
  }
}
