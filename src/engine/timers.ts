/**
 * Timers are the simulation's future: data, not closures, so a snapshot can carry them.
 * A timer names a handler type and a key; the heap orders them by (at, seq) so two timers due at
 * the same millisecond fire in the order they were set, on every machine.
 */
export interface Timer {
  at: number;
  seq: number;
  type: string;
  key: string;
}

export class TimerQueue {
  private heap: Timer[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, type: string, key: string): Timer {
    const t: Timer = { at, seq: this.seq++, type, key };
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
    return t;
  }

  peek(): Timer | undefined {
    return this.heap[0];
  }

  pop(): Timer | undefined {
    const h = this.heap;
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
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }

  dump(): { seq: number; timers: Timer[] } {
    return { seq: this.seq, timers: this.heap.map((t) => ({ ...t })) };
  }

  load(d: { seq: number; timers: Timer[] }): void {
    this.seq = d.seq;
    this.heap = [];
    for (const t of [...d.timers].sort((a, b) => (less(a, b) ? -1 : 1))) this.heap.push({ ...t });
  }
}

function less(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
