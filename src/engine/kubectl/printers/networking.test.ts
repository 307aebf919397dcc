import { describe, expect, it } from 'vitest';
import { formatHosts } from './networking.ts';

describe('formatHosts (printers.go)', () => {
  const table: [string, { host?: string }[], string][] = [
    ['no rules', [], '*'],
    ['a rule without host', [{}], '*'],
    ['two hosts', [{ host: 'a.example.com' }, { host: 'b.example.com' }], 'a.example.com,b.example.com'],
    ['more than three', [{ host: 'a' }, { host: 'b' }, { host: 'c' }, { host: 'd' }, { host: 'e' }], 'a,b,c + 2 more...'],
  ];
  it.each(table)('%s', (_n, rules, want) => expect(formatHosts(rules)).toBe(want));
});
