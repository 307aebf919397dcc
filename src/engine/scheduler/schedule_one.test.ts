import { describe, expect, it } from 'vitest';
import { numFeasibleNodesToFind } from './schedule_one.ts';
import { backoffDuration } from './queue.ts';

describe('numFeasibleNodesToFind (adaptive percentageOfNodesToScore)', () => {
  it.each([
    [10, 10],
    [99, 99],
    [100, 100],
    [200, 100], // 50 - 1 = 49% of 200 = 98 → at least 100
    [500, 230], // 46%
    [1000, 420], // 42%
    [5000, 500], // 10%
    [6000, 300], // 50 - 48 = 2% → floor 5% = 300
  ])('%d nodes → %d', (n, want) => expect(numFeasibleNodesToFind(n)).toBe(want));
  it('honours an explicit percentage', () => expect(numFeasibleNodesToFind(1000, 20)).toBe(200));
});

describe('backoffDuration (1 s doubling, capped at 10 s)', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
    [5, 10000],
    [9, 10000],
  ])('attempt %d → %d ms', (a, ms) => expect(backoffDuration(a)).toBe(ms));
});
