import { describe, expect, it } from 'vitest';
import { compileSelector, formatSelector } from './selector.ts';
import { compileRequirements, parseLabelSelector, parseSelectorString } from './labelparse.ts';
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

describe('parseSelectorString (kubectl -l, as metav1.ParseToLabelSelector)', () => {
  it('reads equality, set and existence requirements, sorted by key as labels.Parse sorts them', () => {
    const sel = parseSelectorString('app=web,tier!=db,env in (b, a),!canary,track');
    expect(sel).toEqual({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'env', operator: 'In', values: ['a', 'b'] },
        { key: 'tier', operator: 'NotIn', values: ['db'] },
        { key: 'track', operator: 'Exists' },
      ],
    });
    expect(formatSelector(sel as LabelSelector)).toBe('app=web,!canary,env in (a,b),tier notin (db),track');
  });
  it('refuses what ParseToLabelSelector refuses', () => {
    expect(parseSelectorString('a=b,=c')).toEqual({ error: `couldn't parse the selector string "a=b,=c": found '=', expected: identifier after ','` });
    expect(parseSelectorString('v>3')).toEqual({ error: `"gt" isn't a valid label selector operator` });
  });
});

// labels.Parse's cases (apimachinery pkg/labels/selector_test.go TestSelectorParse and TestLexer, and
// the parser's error paths): the input, then the requirements as key/operator/values, or the error.
describe('parseLabelSelector (labels.Parse)', () => {
  const valid: [string, string][] = [
    ['', ''],
    ['x=a,y=b,z=c', 'x In a; y In b; z In c'],
    ['x!=a,y=b', 'x NotIn a; y In b'],
    ['x=', 'x In '],
    ['x= ', 'x In '],
    ['x=,z= ', 'x In ; z In '],
    ['x= ,z= ', 'x In ; z In '],
    ['!x', 'x DoesNotExist'],
    ['x>1', 'x Gt 1'],
    ['x>1,z<5', 'x Gt 1; z Lt 5'],
    ['x in (a)', 'x In a'],
    ['x in (a,b)', 'x In a,b'],
    ['x notin (b, a)', 'x NotIn a,b'],
    ['x in ()', 'x In '],
    ['x in (,a)', 'x In ,a'],
    ['x in (a,)', 'x In ,a'],
    ['x in (in)', 'x In in'],
    ['x=in', 'x In in'],
    ['z,y,x', 'x Exists; y Exists; z Exists'],
    ['  x  ==  a  ', 'x In a'],
    ['example.com/x=a', 'example.com/x In a'],
  ];
  it.each(valid)('%j parses', (input, want) => {
    const r = parseLabelSelector(input);
    if ('error' in r) throw new Error(r.error);
    expect(r.reqs.map((q) => [q.key, q.operator, ...(q.values ? [q.values.join(',')] : [])].join(' ')).join('; ')).toBe(want);
  });
  const invalid: [string, string][] = [
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['x<a', `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['x in (a,,)', "unable to parse requirement: found ')', expected: ',', or identifier"],
    ['x ~ a', "unable to parse requirement: found '~', expected: in, notin, =, ==, !=, gt, lt"],
    ['x=(', "unable to parse requirement: found '(', expected: identifier"],
    ['a,', "found '', expected: identifier after ','"],
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['x=a b', "found 'b', expected: ',' or 'end of string'"],
  ];
  it.each(invalid)('%j is refused', (input, want) => expect(parseLabelSelector(input)).toEqual({ error: want }));
  it('checks keys and values as NewRequirement does', () => {
    expect(parseLabelSelector('A@=b')).toEqual({ error: expect.stringMatching(/^unable to parse requirement: : Invalid value: "A@": name part must consist of/) });
    expect(parseLabelSelector('a=b@')).toEqual({ error: expect.stringMatching(/^unable to parse requirement: values\[0\]\[a\]: Invalid value: "b@": a valid label must be/) });
    // "|" is no operator character: "a||y" is one value, and an invalid one.
    expect(parseLabelSelector('x=a||y=b')).toEqual({ error: expect.stringMatching(/^unable to parse requirement: values\[0\]\[x\]: Invalid value: "a\|\|y"/) });
    expect(parseLabelSelector('x>9223372036854775808')).toHaveProperty('error');
    expect(parseLabelSelector('x>9223372036854775807')).not.toHaveProperty('error');
  });
  it('matches as the requirements say (Gt/Lt compare integers; "a in ()" is the empty value)', () => {
    const match = (sel: string, labels: Record<string, string>) => {
      const r = parseLabelSelector(sel);
      if ('error' in r) throw new Error(r.error);
      return compileRequirements(r.reqs)(labels);
    };
    expect(match('v>3', { v: '10' })).toBe(true);
    expect(match('v<3', { v: '10' })).toBe(false);
    expect(match('v>3', { v: 'x' })).toBe(false);
    expect(match('tier in ()', { tier: '' })).toBe(true);
    expect(match('tier in ()', {})).toBe(false);
    expect(match('a=b,a=c', { a: 'b' })).toBe(false);
  });
});
