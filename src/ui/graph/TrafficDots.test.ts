import { describe, expect, test } from 'vitest';
import { schedule } from './TrafficDots.tsx';

const dot = (t: number) => ({ t, service: 'default/a', pod: 'default/a-1', error: false });

describe('schedule', () => {
  test.each([
    // [sample times, speed, start offsets in wall ms]
    [[10_000, 10_200, 10_800], 1, [0, 200, 800]],
    [[10_000, 10_200, 10_800], 2, [0, 100, 400]],
    [[10_000, 13_000], 1, [0, 1000]], // never later than a second
    [[5000], 10, [0]],
  ])('%j at %ix → %j', (ts, speed, want) => {
    expect(schedule(ts.map(dot), 1000, speed).map((f) => f.start - 1000)).toEqual(want);
  });
  test('nothing to fly', () => {
    expect(schedule([], 0, 1)).toEqual([]);
  });
});
