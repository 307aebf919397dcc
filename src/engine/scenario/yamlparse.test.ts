import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseYamlDocuments } from './yamlparse.ts';

const errs = (docs: { errors: { code: string; message: string; pos: [number, number] }[] }[]) => docs.flatMap((d) => d.errors.map((e) => ({ code: e.code, first: e.message.split('\n')[0], pos: e.pos })));

describe('parseYamlDocuments: the library parse with a linear duplicate-key check', () => {
  it.each([
    ['a key twice', 'a: 1\nb:\n  c: 2\n  c: 3\n'],
    ['a key three times, in the second document', 'x: 1\n---\ny: 1\ny: 2\ny: 3\n'],
    ['quoted and plain spellings of one key', 'a: 1\n"a": 2\n'],
    ['keys in a flow map and a list of maps', '{k: 1, k: 2}\n'],
    ['no duplicates', 'a: 1\nb: [1, 1]\nc: {d: 1, e: 1}\n'],
  ])('%s: the same errors as the library', (_n, text) => {
    expect(errs(parseYamlDocuments(text))).toEqual(errs(parseAllDocuments(text) as never));
  });

  it('lets a merge key repeat when merging is on, as the library does', () => {
    const text = 'base: &b {x: 1}\nmore: &m {y: 1}\nobj:\n  <<: *b\n  <<: *m\n';
    expect(errs(parseYamlDocuments(text, { merge: true }))).toEqual([]);
    expect(errs(parseYamlDocuments(text))).toEqual(errs(parseAllDocuments(text) as never));
    expect(errs(parseYamlDocuments(text))).toHaveLength(1);
  });
});
