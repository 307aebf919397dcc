import { describe, expect, it } from 'vitest';
import { appended, maxOf, minOf, pushAll } from './arrays.ts';

describe('array helpers past the call-argument limit', () => {
  const big = Array.from({ length: 200_000 }, (_, i) => i);
  it('pushAll appends every item in order', () => {
    const out = pushAll([-1], big);
    expect(out.length).toBe(200_001);
    expect(out.at(-1)).toBe(199_999);
    expect(() => [].push(...(big as never[]))).toThrow(RangeError);
  });
  it.each([
    [[], -Infinity, Infinity],
    [[3, 1, 2], 3, 1],
    [[1, NaN, 2], NaN, NaN],
  ])('maxOf/minOf %j as Math.max/Math.min', (v, max, min) => {
    expect(maxOf(v)).toBe(max);
    expect(minOf(v)).toBe(min);
    expect(maxOf(v)).toBe(Math.max(...v));
    expect(minOf(v)).toBe(Math.min(...v));
  });
  it('maxOf/minOf of 200,000 values', () => {
    expect(maxOf(big)).toBe(199_999);
    expect(minOf(big)).toBe(0);
  });
});

describe('appended', () => {
  it.each([
    [undefined, 'a', ['a']],
    [[], 'a', ['a']],
    [['x', 'y'], 'z', ['x', 'y', 'z']],
  ])('appended(%j, %j) is %j, a new array, the list unchanged', (list, item, want) => {
    const before = list && [...list];
    const out = appended(list as string[] | undefined, item);
    expect(out).toEqual(want);
    expect(out).not.toBe(list);
    expect(list).toEqual(before);
  });
});
