/**
 * historyStore is the page's copy of the worker's per-second history (requests/s, errors and p95 by
 * version, ready pods by revision) that the timeline charts draw. The worker sends it incrementally in
 * `history` messages; applyHistory is the pure reducer (same bound as the worker's ring).
 */
import { create } from 'zustand';
import { HISTORY_CAPACITY, type HistoryMessage, type HistoryPoint, type RevisionInfo } from '../../worker/historyTypes.ts';

export interface HistoryState {
  /** points in time order, at most HISTORY_CAPACITY (the oldest are dropped first) */
  points: HistoryPoint[];
  /** revisions describes each revision key the points use (owner, hash, image) */
  revisions: Record<string, RevisionInfo>;
  apply(msg: HistoryMessage): void;
}

/** applyHistory returns the new points and revisions after a message (the old arrays are not modified). */
export function applyHistory(prev: Pick<HistoryState, 'points' | 'revisions'>, msg: HistoryMessage): Pick<HistoryState, 'points' | 'revisions'> {
  let points = msg.reset ? [] : prev.points;
  if (msg.after !== undefined) {
    const after = msg.after;
    let n = points.length;
    while (n > 0 && points[n - 1].t > after) n--;
    if (n < points.length) points = points.slice(0, n);
  }
  if (msg.points.length > 0) {
    // Points arrive in time order; one that does not move forward replaces the overlap (a re-recorded second).
    const first = msg.points[0].t;
    let n = points.length;
    while (n > 0 && points[n - 1].t >= first) n--;
    points = points.slice(Math.max(0, n + msg.points.length - HISTORY_CAPACITY), n).concat(msg.points);
    if (points.length > HISTORY_CAPACITY) points = points.slice(points.length - HISTORY_CAPACITY);
  }
  const revisions = msg.reset ? { ...msg.revisions } : msg.revisions && Object.keys(msg.revisions).length > 0 ? { ...prev.revisions, ...msg.revisions } : prev.revisions;
  return { points, revisions };
}

export const useHistory = create<HistoryState>((set) => ({
  points: [],
  revisions: {},
  apply: (msg) => set((s) => applyHistory(s, msg)),
}));
