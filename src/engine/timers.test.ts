import { describe, expect, it } from 'vitest';
import { TimerQueue } from './timers.ts';

describe('TimerQueue', () => {
  it('pops by time, then by insertion order', () => {
    const q = new TimerQueue();
    q.push(30, 'a', '1');
    q.push(10, 'b', '2');
    q.push(10, 'c', '3');
    q.push(20, 'd', '4');
    expect([q.pop(), q.pop(), q.pop(), q.pop()].map((t) => t!.type)).toEqual(['b', 'c', 'd', 'a']);
    expect(q.pop()).toBeUndefined();
  });

  it('survives dump and load', () => {
    const q = new TimerQueue();
    for (let i = 0; i < 50; i++) q.push((i * 37) % 11, 't', String(i));
    const copy = new TimerQueue();
    copy.load(q.dump());
    const a: string[] = [];
    const b: string[] = [];
    while (q.size) a.push(q.pop()!.key);
    while (copy.size) b.push(copy.pop()!.key);
    expect(b).toEqual(a);
  });
});
