/**
 * useKeyboardScroll makes an element a tab stop while its content overflows it, so a keyboard can scroll
 * it with the arrow keys (WCAG 2.1.1). One that fits stays out of the tab order: a terminal with forty
 * short outputs would otherwise put forty stops between the tabs and the prompt, where a wide
 * `kubectl get -o wide` table is the one that needs one.
 */
import { useCallback, useRef } from 'react';

function mark(el: HTMLElement): void {
  const over = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
  if (over && el.tabIndex !== 0) el.tabIndex = 0;
  if (!over && el.hasAttribute('tabindex')) el.removeAttribute('tabindex');
}

/**
 * The element is measured when its box resizes (a ResizeObserver's callback comes after layout, so reading
 * sizes there costs nothing) and, a frame later, when its content changes (a watch adding rows). Never
 * after every render: reading sizes in a layout effect made the page lay out the whole graph inside
 * React's commit, and a 1,000-pod rollout's frames grew past 50 ms.
 */
export function useKeyboardScroll<T extends HTMLElement>(): (el: T | null) => void {
  const stop = useRef<(() => void) | undefined>(undefined);
  return useCallback((el: T | null) => {
    stop.current?.();
    stop.current = undefined;
    if (!el) return;
    let frame = 0;
    const resized = new ResizeObserver(() => mark(el));
    const changed = new MutationObserver(() => {
      frame ||= requestAnimationFrame(() => {
        frame = 0;
        mark(el);
      });
    });
    resized.observe(el);
    changed.observe(el, { childList: true, characterData: true, subtree: true });
    stop.current = () => {
      resized.disconnect();
      changed.disconnect();
      cancelAnimationFrame(frame);
    };
  }, []);
}
