import { describe, expect, it } from 'vitest';
import { bestOf, METRICS, percent } from './metrics.ts';
import { stepPath } from './PodsTimeline.tsx';
import type { StrategyResult } from '../../engine/compare/index.ts';

describe('bestOf', () => {
  it.each([
    { values: [5, 4, 8, 8], better: 'min' as const, want: [false, true, false, false] },
    { values: [4, 0, 4, 4], better: 'max' as const, want: [true, false, true, true] },
    { values: [0, 0], better: 'min' as const, want: [false, false] }, // all equal: no winner
    { values: [3], better: 'min' as const, want: [false] },
    { values: [22, Infinity], better: 'min' as const, want: [true, false] }, // an unfinished rollout never wins on time
    { values: [1117, 309], better: undefined, want: [false, false] },
  ])('$values $better', ({ values, better, want }) => expect(bestOf(values, better)).toEqual(want));
});

describe('percent', () => {
  it.each([
    [0, 100, '0%'],
    [309, 309, '100%'],
    [1, 250, '0.4%'],
    [30, 250, '12%'],
    [5, 0, '0%'],
  ])('%i of %i', (n, of, want) => expect(percent(n, of)).toBe(want));
});

describe('METRICS', () => {
  const r = { finished: false, seconds: 1800, peakPods: 5, failedRequests: 3, totalRequests: 300, podSeconds: 12.25, minReady: 2 } as StrategyResult;
  it('formats an unfinished rollout as more than the limit, and failures with their share', () => {
    const f = Object.fromEntries(METRICS.map((m) => [m.key, [m.format(r), m.value(r)]]));
    expect(f).toEqual({
      peak: ['5', 5],
      time: ['> 30m00s', Infinity],
      failed: ['3 (1.0%)', 3],
      requests: ['300', 300],
      cost: ['12.3', 12.25],
      minready: ['2', 2],
    });
  });
});

describe('stepPath', () => {
  it('draws a filled step function', () => {
    const id = (v: number) => v;
    expect(stepPath([{ t: 0, y: 4 }, { t: 2, y: 5 }], 3, id, (v) => 10 - v)).toBe('M0.0,10.0L0.0,6.0L2.0,6.0L2.0,5.0L3.0,5.0L3.0,10.0Z');
  });
});
