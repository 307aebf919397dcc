/**
 * A binary min-heap over a plain array (so it can live in snapshot state), ordered by `less`.
 * Used by the timer queue and the scheduler's active queue.
 */
export function heapPush<T>(h: T[], item: T, less: (a: T, b: T) => boolean): void {
  h.push(item);
  let i = h.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!less(h[i], h[parent])) break;
    const t = h[i];
    h[i] = h[parent];
    h[parent] = t;
    i = parent;
  }
}

export function heapPop<T>(h: T[], less: (a: T, b: T) => boolean): T | undefined {
  if (h.length === 0) return undefined;
  const top = h[0];
  const last = h.pop()!;
  if (h.length > 0) {
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && less(h[l], h[m])) m = l;
      if (r < h.length && less(h[r], h[m])) m = r;
      if (m === i) break;
      const t = h[i];
      h[i] = h[m];
      h[m] = t;
      i = m;
    }
  }
  return top;
}
