import { describe, expect, it } from 'vitest';
import { blockDepthExceeded, flowDepthExceeded, formatBytes, utf8Length } from './limits.ts';

describe('flowDepthExceeded', () => {
  const cases: { name: string; text: string; limit: number; want: number }[] = [
    { name: 'flat', text: 'a: [1, 2, {b: c}]', limit: 2, want: -1 },
    { name: 'too deep', text: 'a: [[[x]]]', limit: 2, want: 5 },
    { name: 'closing brackets bring it back', text: '[[]] [[]] [[]]', limit: 2, want: -1 },
    { name: 'a new document starts at 0', text: '[[\n---\n[[', limit: 2, want: -1 },
    // A comment or a string cannot hide real nesting after it on the same line.
    { name: 'after a comment-looking string', text: 'k: ["x #", [[[1]]]]', limit: 3, want: 13 },
    { name: 'after an unclosed quote in a block scalar', text: 'a: |\n  say "hi\nb: [[[[1]]]]', limit: 3, want: 21 },
  ];
  for (const c of cases) it(c.name, () => expect(flowDepthExceeded(c.text, c.limit)).toBe(c.want));
});

describe('blockDepthExceeded', () => {
  const deepMap = (n: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}a:`).join('\n');
  it.each([
    ['flat', 'a: 1\nb:\n  c: 2\n  d:\n  - 1\n  - 2\n', 3, -1],
    ['a sequence at its key\'s indentation adds no level', 'a:\n- b:\n  - c\n', 3, -1],
    ['indentation', deepMap(4), 3, 'a:\n a:\n  a:\n'.length + 3],
    ['compact items on one line', 'x:\n- - - - a\n', 3, 3],
    ['back out and in again', `${deepMap(3)}\nb:\n${deepMap(3)}`, 3, -1],
    ['comments and blank lines do not count', 'a:\n        # deep comment\n\n  b: 1\n', 2, -1],
    ['a new document starts at 0', `${deepMap(3)}\n---\n${deepMap(3)}`, 3, -1],
    ['CRLF line ends', 'a:\r\n  b:\r\n    c: 1\r\n', 3, -1],
  ])('%s', (_, text, limit, want) => expect(blockDepthExceeded(text, limit)).toBe(want));
});

describe('utf8Length and formatBytes', () => {
  it.each([
    ['abc', 3],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
  ])('%s is %i bytes', (s, n) => expect(utf8Length(s)).toBe(n));
  it.each([
    [2 * 1024 * 1024, '2 MiB'],
    [512 * 1024, '512 KiB'],
    [1000, '1000 bytes'],
  ])('%i is %s', (n, s) => expect(formatBytes(n)).toBe(s));
});
