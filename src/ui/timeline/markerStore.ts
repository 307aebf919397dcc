/**
 * markerStore is the page's copy of the scrubber's markers (user actions, timeline steps, important
 * events). The worker sends them incrementally (`markers` messages: keep the first `keep`, append
 * `add`); applyMarkers is the pure reducer.
 */
import { create } from 'zustand';
import type { TimeMarker } from '../../worker/protocol.ts';

export interface MarkerState {
  markers: TimeMarker[];
  apply(keep: number, add: TimeMarker[]): void;
}

/** applyMarkers returns the markers after an update (the old array is not modified). */
export function applyMarkers(prev: TimeMarker[], keep: number, add: TimeMarker[]): TimeMarker[] {
  if (keep >= prev.length && add.length === 0) return prev;
  return prev.slice(0, Math.max(0, keep)).concat(add);
}

export const useMarkers = create<MarkerState>((set) => ({
  markers: [],
  apply: (keep, add) => set((s) => ({ markers: applyMarkers(s.markers, keep, add) })),
}));
