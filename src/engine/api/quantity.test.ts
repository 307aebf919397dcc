import { describe, expect, it } from 'vitest';
import { formatCpu, formatMemory, parseQuantity, scaledValue } from './quantity.ts';

describe('parseQuantity (milli-units)', () => {
  const table: [string | number, number | undefined][] = [
    ['100m', 100], ['1', 1000], ['0.5', 500], ['2', 2000], [1.5, 1500], ['1Ki', 1024_000], ['128Mi', 128 * 2 ** 20 * 1000],
    ['1G', 1e12], ['1e3', 1_000_000], ['abc', undefined], ['1Qi', undefined], ['', undefined],
  ];
  it.each(table)('%s', (q, want) => expect(parseQuantity(q)).toBe(want));
});

describe('formatting', () => {
  it('prints cpu and memory as kubectl does', () => {
    expect(formatCpu(250)).toBe('250m');
    expect(formatCpu(2000)).toBe('2');
    expect(formatMemory(128 * 2 ** 20)).toBe('128Mi');
    expect(formatMemory(1500)).toBe('1500');
  });
});

describe('scaledValue (intstr.GetScaledValueFromIntOrPercent)', () => {
  const table: [number | string, number, boolean, number | undefined][] = [
    ['25%', 10, true, 3], ['25%', 10, false, 2], ['0%', 10, true, 0], ['100%', 3, false, 3], [2, 10, true, 2], ['33%', 3, true, 1], ['x%', 3, true, undefined],
  ];
  it.each(table)('%s of %d (roundUp %s)', (v, total, up, want) => expect(scaledValue(v, total, up)).toBe(want));
});
