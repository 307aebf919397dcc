import { describe, expect, test } from 'vitest';
import { distinctColors, laneData, niceCeil, pointAt, shortImage, visible } from './series.ts';
import { applyHistory } from '../historyStore.ts';
import type { HistoryPoint, RevisionInfo } from '../../../worker/historyTypes.ts';

const pt = (t: number, v1: number, v2 = 0, ready: Record<string, number> = { 'default/web-a': 3 }): HistoryPoint => ({
  t,
  requests: v1 + v2,
  errors: 0,
  p95: 20,
  versions: { 'nginx:1.25': { n: v1, err: 0, p95: 20, rev: 'default/web-a' }, ...(v2 ? { 'nginx:1.26': { n: v2, err: 1, p95: 30, rev: 'default/web-b' } } : {}) },
  ready,
});

const REVS: Record<string, RevisionInfo> = {
  'default/web-a': { namespace: 'default', owner: 'Deployment/web', name: 'web-a', hash: 'a', image: 'registry.k8s.io/nginx:1.25' },
  'default/web-b': { namespace: 'default', owner: 'Deployment/web', name: 'web-b', hash: 'b', image: 'nginx:1.26' },
};

describe('chart series', () => {
  test.each([
    [0.3, 0.3],
    [1, 1],
    [53, 60],
    [37, 40],
    [101, 120],
    [0.13, 0.15],
    [0, 1],
  ])('niceCeil(%s) = %s', (v, want) => expect(niceCeil(v)).toBeCloseTo(want, 9));

  test('shortImage drops the registry and path', () => {
    expect(shortImage('gcr.io/google-samples/hello-app:1.0')).toBe('hello-app:1.0');
    expect(shortImage('nginx:1.25')).toBe('nginx:1.25');
  });

  test('visible keeps one point beyond each edge; pointAt picks the nearest second', () => {
    const pts = [0, 1000, 2000, 3000, 4000].map((t) => pt(t, 10));
    expect(visible(pts, 1500, 2500).map((p) => p.t)).toEqual([1000, 2000, 3000]);
    expect(pointAt(pts, 2400)?.t).toBe(2000);
    expect(pointAt(pts, 2600)?.t).toBe(3000);
    expect(pointAt(pts, 99_000)?.t).toBe(4000);
    expect(pointAt([], 0)).toBeUndefined();
  });

  test('laneData lists versions and revisions in order of appearance with distinct colours and sums the scales', () => {
    const pts = [pt(0, 10), pt(1000, 30, 12, { 'default/web-a': 3, 'default/web-b': 1 })];
    const d = laneData(pts, REVS, 0, 1000);
    expect(d.versions.map((v) => v.key)).toEqual(['nginx:1.25', 'nginx:1.26']);
    expect(d.revisions.map((r) => r.label)).toEqual(['web-a (nginx:1.25)', 'web-b (nginx:1.26)']);
    expect(new Set(d.versions.map((v) => v.color)).size).toBe(2);
    // A version takes its revision's colour.
    expect(d.versions[1].color).toBe(d.revisions[1].color);
    expect(d.max.rps).toBe(50); // 42 stacked, a tenth of headroom
    expect(d.max.ready).toBe(5);
    expect(d.drawn).toMatchObject({ rps: true, errors: true, ready: true });
    // A cluster without traffic or pods has scales, but nothing to draw on them: not shown as values.
    const quiet = laneData([{ ...pts[0], t: 0, requests: 0, errors: 0, versions: {}, ready: {} }], REVS, 0, 1000);
    expect(quiet.drawn).toEqual({ rps: false, errors: false, p95: false, ready: false });
    expect(d.max.p95).toBe(40);
    // Pods come whole: two ready pods with a tenth of headroom is a scale of 0–3, not 0–2.5.
    expect(laneData([pt(0, 10, 0, { 'default/web-a': 2 })], REVS, 0, 1000).max.ready).toBe(3);
  });

  test('distinctColors keeps the graph colour unless an earlier key has it', () => {
    const c = distinctColors(['a', 'b', 'c'], (k) => (k === 'c' ? '#10b981' : '#3b82f6'));
    expect(c.get('a')).toBe('#3b82f6');
    expect(c.get('b')).not.toBe('#3b82f6');
    expect(c.get('c')).toBe('#10b981');
  });
});

describe('applyHistory', () => {
  const empty = { points: [] as HistoryPoint[], revisions: {} };
  test('reset replaces, after truncates, new points append and replace an overlap', () => {
    let s = applyHistory(empty, { points: [pt(0, 1), pt(1000, 2)], reset: true, revisions: REVS });
    expect(s.points.map((p) => p.t)).toEqual([0, 1000]);
    s = applyHistory(s, { points: [pt(2000, 3)] });
    expect(s.points.map((p) => p.t)).toEqual([0, 1000, 2000]);
    s = applyHistory(s, { points: [pt(1000, 9)], after: 0 });
    expect(s.points.map((p) => [p.t, p.requests])).toEqual([
      [0, 1],
      [1000, 9],
    ]);
    s = applyHistory(s, { points: [], reset: true });
    expect(s).toEqual({ points: [], revisions: {} });
  });
});
