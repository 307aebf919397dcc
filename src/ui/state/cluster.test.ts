import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../engine/api/types.ts';
import type { Diff } from '../../worker/protocol.ts';
import { applyDiff, applyDiffs, reduceDiffs, MAX_EVENTS } from './cluster.ts';

const obj = (kind: string, name: string, namespace?: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, namespace, uid: `${kind}-${namespace}-${name}` },
  ...extra,
});

describe('applyDiff', () => {
  test('eventsReset drops the Events held before it (the worker sends the newest again), nothing else', () => {
    const a = applyDiff({}, { t: 0, reset: true, upserted: [obj('Event', 'e1', 'default'), obj('Event', 'e2', 'default'), obj('Pod', 'p1', 'default')], removed: [] });
    const b = applyDiffs(a, [
      { t: 1, eventsReset: true, upserted: [obj('Event', 'e2', 'default')], removed: [], partial: true },
      { t: 1, upserted: [obj('Event', 'e3', 'default')], removed: [] },
    ]);
    expect([...b.Event.keys()]).toEqual(['default/e2', 'default/e3']);
    expect(b.Pod).toBe(a.Pod);
  });

  test('a diff while the page shows no Events (the worker leaves them out) keeps the Events it has', () => {
    const a = applyDiff({}, { t: 0, reset: true, upserted: [obj('Event', 'e1', 'default')], removed: [] });
    expect(applyDiff(a, { t: 1, upserted: [obj('Pod', 'p1', 'default')], removed: [] }).Event).toBe(a.Event);
  });

  test('upserts and removes by kind and namespace/name; untouched kinds keep their Map', () => {
    const a = applyDiff({}, { t: 0, reset: true, upserted: [obj('Pod', 'p1', 'default'), obj('Node', 'n1')], removed: [] });
    expect([...a.Pod.keys()]).toEqual(['default/p1']);
    expect([...a.Node.keys()]).toEqual(['n1']);
    const b = applyDiff(a, { t: 1, upserted: [obj('Pod', 'p2', 'default')], removed: [] });
    expect([...b.Pod.keys()]).toEqual(['default/p1', 'default/p2']);
    expect(b.Node).toBe(a.Node);
    expect(a.Pod.size).toBe(1); // the old table is not modified
    const c = applyDiff(b, { t: 2, upserted: [], removed: [{ kind: 'Pod', namespace: 'default', name: 'p1' }] });
    expect([...c.Pod.keys()]).toEqual(['default/p2']);
  });

  test('a reset diff drops everything first', () => {
    const a = applyDiff({}, { t: 0, reset: true, upserted: [obj('Pod', 'p1', 'default')], removed: [] });
    const b = applyDiff(a, { t: 0, reset: true, upserted: [obj('Node', 'n1')], removed: [] });
    expect(b.Pod).toBeUndefined();
    expect(b.Node.size).toBe(1);
  });

  test(`keeps at most ${MAX_EVENTS} events, dropping the oldest`, () => {
    const events = Array.from({ length: MAX_EVENTS + 5 }, (_, i) => obj('Event', `e${i}`, 'default'));
    const a = applyDiff({}, { t: 0, upserted: events, removed: [] });
    expect(a.Event.size).toBe(MAX_EVENTS);
    expect(a.Event.has('default/e0')).toBe(false);
    expect(a.Event.has(`default/e${MAX_EVENTS + 4}`)).toBe(true);
  });

  test('applyDiffs gives what applying the diffs one by one gives, copying each kind once', () => {
    const start = applyDiff({}, { t: 0, reset: true, upserted: [obj('Pod', 'p1', 'default'), obj('Node', 'n1')], removed: [] });
    const diffs: Diff[] = [
      { t: 1, upserted: [obj('Pod', 'p2', 'default')], removed: [] },
      { t: 2, upserted: [obj('Pod', 'p3', 'default', { status: { phase: 'Running' } })], removed: [{ kind: 'Pod', namespace: 'default', name: 'p1' }] },
      { t: 3, upserted: [obj('Pod', 'p1', 'default')], removed: [] },
    ];
    const one = diffs.reduce(applyDiff, start);
    const all = applyDiffs(start, diffs);
    expect([...all.Pod.entries()]).toEqual([...one.Pod.entries()]);
    expect(all.Node).toBe(start.Node);
    expect(start.Pod.size).toBe(1);
  });

  test('applyDiffs starts over at a reset diff within the batch', () => {
    const start = applyDiff({}, { t: 0, reset: true, upserted: [obj('Pod', 'p1', 'default')], removed: [] });
    const all = applyDiffs(start, [
      { t: 1, upserted: [obj('Pod', 'p2', 'default')], removed: [] },
      { t: 0, reset: true, upserted: [obj('Node', 'n1')], removed: [] },
      { t: 1, upserted: [obj('Pod', 'p9', 'default')], removed: [] },
    ]);
    expect([...all.Pod.keys()]).toEqual(['default/p9']);
    expect([...all.Node.keys()]).toEqual(['n1']);
  });
});

describe('reduceDiffs', () => {
  const clock = { t: 3, playing: true, speed: 1, behind: false };
  const view = (t: number, pods: string[]) => ({ t, windowMs: 5000, services: {}, pods: {}, samples: pods.map((pod) => ({ t, service: 'default/web', pod, error: false })) });

  test('keeps the last traffic view with the sampled requests of every view in the batch', () => {
    const s = reduceDiffs({ objects: {}, traffic: undefined, epoch: 0 }, [
      { t: 1, upserted: [], removed: [], traffic: view(1, ['default/a']) },
      { t: 2, upserted: [], removed: [] },
      { t: 3, upserted: [], removed: [], traffic: view(3, ['default/b', 'default/c']) },
    ], clock);
    expect(s.traffic?.t).toBe(3);
    expect(s.traffic?.samples?.map((d) => d.pod)).toEqual(['default/a', 'default/b', 'default/c']);
    expect(s.clock).toBe(clock);
    expect(s.epoch).toBe(0);
  });

  test('a reset forgets the traffic before it and counts an epoch', () => {
    const s = reduceDiffs({ objects: {}, traffic: view(0, ['default/old']), epoch: 4 }, [
      { t: 1, upserted: [], removed: [], traffic: view(1, ['default/a']) },
      { t: 0, reset: true, upserted: [], removed: [] },
    ], clock);
    expect(s.traffic).toBeUndefined();
    expect(s.epoch).toBe(5);
  });
});
