/**
 * useShortcuts: keys for presenting — Space plays or pauses, "." steps to the next event, "f" shows the
 * graph alone (Focus) and back. They are ignored while typing (terminal, editor, any form field), and
 * Space is left to a focused button or tab, which it presses.
 */
import { useEffect } from 'react';
import { getClient } from './state/client.ts';
import { useCluster } from './state/cluster.ts';
import { useUi } from './state/ui.ts';

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.closest !== 'function') return false;
  return !!el.closest('input, textarea, select, [contenteditable="true"], .monaco-editor');
}

/**
 * releaseMouseFocus, as a container's onClick: a button clicked with the mouse gives the focus back, so
 * Space and "." go on playing and stepping (a focused button takes Space for itself: clicking Presenter
 * and then pressing Space turned Presenter off; clicking a lesson's "▶ rollout undo" and then pressing
 * Space undid twice). A click from the keyboard (detail 0) keeps the focus where the keyboard user put it.
 */
export function releaseMouseFocus(e: { detail: number; target: EventTarget | null }): void {
  if (e.detail > 0) (e.target as HTMLElement | null)?.closest?.('button')?.blur();
}

/** pressable: a control Space activates (a button, tab, link, checkbox, a graph item). */
function pressable(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.closest !== 'function') return false;
  return !!el.closest('button, a[href], summary, [role="button"], [role="tab"], [role="checkbox"], [role="switch"], [role="menuitem"], [role="option"], .react-flow__node');
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      const client = getClient();
      const playing = useCluster.getState().clock.playing;
      if (e.key === ' ') {
        // Space presses a focused button, tab or link, as the keyboard user expects (the Play button's press plays).
        if (pressable(e.target)) return;
        e.preventDefault();
        if (playing) client.pause();
        else client.play();
      } else if (e.key === '.' && !playing) {
        e.preventDefault();
        void client.step();
      } else if (e.key === 'f' || e.key === 'F') {
        e.preventDefault();
        useUi.getState().toggleFocus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
