import { useEffect, type RefObject } from 'react';
import { useUi } from '../state/ui.ts';

/**
 * useOverlayBox reports the size of a card floating over the graph's top left (a lesson step, a
 * scenario step's note) while it is shown, for the graph to fit beside or below it (ClusterGraph's AutoFit);
 * when the card goes, so does the room kept for it. dep: what makes a new card (the lesson, the note).
 */
export function useOverlayBox(ref: RefObject<HTMLElement | null>, dep: unknown): void {
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => useUi.getState().setOverlay({ w: Math.round(el.offsetWidth), h: Math.round(el.offsetHeight) }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      useUi.getState().setOverlay(undefined);
    };
  }, [ref, dep]);
}
