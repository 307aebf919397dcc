import { describe, expect, it } from 'vitest';
import { evaluateCondition, ExprError } from './expr.ts';

describe('evaluateCondition (expr-lang subset)', () => {
  it.each([
    ['result[0] >= 0.95', [0.97], true],
    ['result[0] >= 0.95', [0.9], false],
    ['result >= 0.95', 0.96, true],
    ['result[0] < 0.05 && result[0] >= 0', [0.01], true],
    ['result[0] > 5 || result[0] < 1', [0.5], true],
    ['result[0] > 5 or result[0] < 1', [3], false],
    ['not (result == 1)', 2, true],
    ['!(result == 1)', 1, false],
    ['len(result) == 0', [], true],
    ['len(result) > 0 && result[0] <= 0.01', [0.001], true],
    ['result[0] * 100 >= 95', [0.95], true],
    ['result.successful == true', { successful: true }, true],
    ["result == 'ok'", 'ok', true],
    ['isNaN(result[0]) || result[0] >= 0.9', [NaN], true],
    ['all(result, {# >= 0.9})', [0.91, 0.95], true],
    ['any(result, {# < 0.5})', [0.91, 0.95], false],
    ['result[-1] == 3', [1, 2, 3], true],
    ['1 + 2 * 3 == 7', 0, true],
  ])('%s with %j → %s', (src, result, want) => {
    expect(evaluateCondition(src, result)).toBe(want);
  });

  it.each([
    ['result[0] >= 0.95', [], 'index out of range: 0 (array length is 0)'],
    ['result + 1', 1, 'expected bool, but got float64'],
    ['foo > 1', 1, 'unknown name foo'],
    ['result >= ', 1, 'unexpected end of expression'],
    ['result @ 1', 1, 'unexpected token "@" (8:8)'],
    ['system("rm")', 1, 'unknown func system'],
  ])('%s fails: %s', (src, result, msg) => {
    expect(() => evaluateCondition(src, result)).toThrow(ExprError);
    expect(() => evaluateCondition(src, result)).toThrow(msg);
  });
});
