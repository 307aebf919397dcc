import { heapPop, heapPush } from './heap.ts';

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
    heapPush(this.heap, t, less);
    return t;
  }

  peek(): Timer | undefined {
    return this.heap[0];
  }

  pop(): Timer | undefined {
    return heapPop(this.heap, less);
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
