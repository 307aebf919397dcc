/**
 * useKeyboardScroll makes an element a tab stop while its content overflows it, so a keyboard can scroll
 * it with the arrow keys (WCAG 2.1.1). One that fits stays out of the tab order: a terminal with forty
 * short outputs would otherwise put forty stops between the tabs and the prompt, where a wide
 * `kubectl get -o wide` table is the one that needs one.
 */
import { useCallback, useLayoutEffect, useRef } from 'react';

function mark(el: HTMLElement): void {
  const over = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
  if (over && el.tabIndex !== 0) el.tabIndex = 0;
  if (!over && el.hasAttribute('tabindex')) el.removeAttribute('tabindex');
}

export function useKeyboardScroll<T extends HTMLElement>(): (el: T | null) => void {
  const node = useRef<T | null>(null);
  const observer = useRef<ResizeObserver | undefined>(undefined);
  // The content can grow without the box resizing (a watch adding rows): check after every render too.
  useLayoutEffect(() => {
    if (node.current) mark(node.current);
  });
  return useCallback((el: T | null) => {
    observer.current?.disconnect();
    node.current = el;
    if (!el) return;
    observer.current = new ResizeObserver(() => mark(el));
    observer.current.observe(el);
  }, []);
}
