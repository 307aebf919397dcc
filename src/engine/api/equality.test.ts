import { describe, expect, test } from 'vitest';
import { semanticEqual } from './equality.ts';

describe('semanticEqual', () => {
  test.each([
    [{ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 }, true],
    [{ a: 1, h: undefined }, { a: 1 }, true],
    [{ a: 1 }, { a: 1, h: undefined }, true],
    [{ a: 1 }, { a: 2 }, false],
    [{ a: [1, 2] }, { a: [2, 1] }, false],
    [{ a: null }, { a: undefined }, false],
    [[], {}, false],
    ['1', 1, false],
  ])('%j vs %j → %s', (a, b, want) => {
    expect(semanticEqual(a, b)).toBe(want);
  });
});
