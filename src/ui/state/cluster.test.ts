import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../engine/api/types.ts';
import { applyDiff, MAX_EVENTS } from './cluster.ts';

const obj = (kind: string, name: string, namespace?: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, namespace, uid: `${kind}-${namespace}-${name}` },
  ...extra,
});

describe('applyDiff', () => {
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
});
