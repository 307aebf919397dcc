import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { formatFieldPath, key, lineOfPath, parseFieldPath } from './positions.ts';
import { editDistance, suggest } from './checker.ts';

describe('field paths', () => {
  it.each([
    ['spec.template.spec.containers[0].image', ['spec', 'template', 'spec', 'containers', 0, 'image']],
    ['metadata.labels[app.kubernetes.io/name]', ['metadata', 'labels', 'app.kubernetes.io/name']],
    ['spec.replicas', ['spec', 'replicas']],
  ])('parseFieldPath(%s)', (path, want) => expect(parseFieldPath(path)).toEqual(want));

  it('formatFieldPath prints map keys in brackets', () => {
    expect(formatFieldPath(['spec', 'images', key('nginx:1.25'), 'startupSeconds'])).toBe('spec.images[nginx:1.25].startupSeconds');
    expect(formatFieldPath(['spec', 'timeline', 2, 'at'])).toBe('spec.timeline[2].at');
  });
});

describe('lineOfPath', () => {
  const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: a\n          image: x\n';
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  it.each([
    [['spec', 'replicas'], false, 6],
    [['spec', 'template', 'spec', 'containers', 0, 'image'], false, 11],
    [['metadata', 'name'], true, 4],
    // A missing field points at the deepest object that exists.
    [['spec', 'template', 'spec', 'containers', 0, 'ports', 0], false, 10],
    [['spec', 'selector'], false, 6],
  ] as const)('%j', (path, atKey, want) => expect(lineOfPath(doc, lines, path, atKey)).toBe(want));
});

describe('suggest', () => {
  it.each([
    ['clutser', 'cluster'],
    ['timelime', 'timeline'],
    ['Seed', 'seed'],
    ['startupSecond', 'startupSeconds'],
    ['zzz', undefined],
    ['image', 'images'],
  ])('%s -> %s', (word, want) => expect(suggest(word, ['seed', 'cluster', 'timeline', 'images', 'startupSeconds'])).toBe(want));

  it('editDistance counts a swap as one edit', () => {
    expect(editDistance('clutser', 'cluster')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
  });
});
