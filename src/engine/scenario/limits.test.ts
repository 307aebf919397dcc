import { describe, expect, it } from 'vitest';
import { flowDepthExceeded, formatBytes, utf8Length } from './limits.ts';

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
