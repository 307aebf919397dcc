import { describe, expect, it } from 'vitest';
import { compileSelector, formatSelector, parseSelectorString } from './selector.ts';
import type { LabelSelector } from './types.ts';

describe('compileSelector', () => {
  const labels = { app: 'web', tier: 'front', version: '3' };
  const table: [string, LabelSelector | undefined, boolean][] = [
    ['missing selector matches nothing', undefined, false],
    ['empty selector matches everything', {}, true],
    ['matchLabels subset', { matchLabels: { app: 'web' } }, true],
    ['matchLabels mismatch', { matchLabels: { app: 'db' } }, false],
    ['In', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, true],
    ['NotIn on absent key', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    ['Exists', { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    ['Gt', { matchExpressions: [{ key: 'version', operator: 'Gt', values: ['2'] }] }, true],
    ['AND of labels and expressions', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] }, false],
  ];
  it.each(table)('%s', (_name, sel, want) => expect(compileSelector(sel)(labels)).toBe(want));
});

describe('parseSelectorString (kubectl -l)', () => {
  it('reads equality, set and existence requirements', () => {
    const sel = parseSelectorString('app=web,tier!=db,env in (a, b),!canary,track');
    expect(sel).toEqual({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'NotIn', values: ['db'] },
        { key: 'env', operator: 'In', values: ['a', 'b'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'track', operator: 'Exists' },
      ],
    });
    expect(formatSelector(sel as LabelSelector)).toBe('app=web,tier notin (db),env in (a,b),!canary,track');
  });
  it('reports malformed requirements', () => {
    expect(parseSelectorString('a=b,=c')).toHaveProperty('error');
  });
});
