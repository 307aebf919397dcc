import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../engine/api/types.ts';
import { applyDiff } from '../ui/state/cluster.ts';
import { newestEvents, splitDiff } from './chunk.ts';
import { PAGE_EVENTS, type Diff } from './protocol.ts';

const obj = (kind: string, name: string): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name, namespace: 'default', uid: `${kind}-${name}` } });

describe('newestEvents', () => {
  test.each([
    { events: 3, keep: 5, want: ['e0', 'e1', 'e2'] },
    { events: 5, keep: 2, want: ['e3', 'e4'] },
    { events: 2, keep: 0, want: [] },
  ])('$events events, keep $keep', ({ events, keep, want }) => {
    const list = [obj('Pod', 'p0'), ...Array.from({ length: events }, (_, i) => obj('Event', `e${i}`)), obj('Pod', 'p1')];
    const out = newestEvents(list, keep);
    expect(out.filter((o) => o.kind === 'Event').map((o) => o.metadata.name)).toEqual(want);
    expect(out.filter((o) => o.kind === 'Pod')).toHaveLength(2);
  });

  test('the page holds the same Events whether or not the ones it would drop are sent', () => {
    const events = Array.from({ length: PAGE_EVENTS + 700 }, (_, i) => obj('Event', `e${i}`));
    const before = applyDiff({}, { t: 0, reset: true, upserted: [obj('Event', 'old')], removed: [] });
    const all = applyDiff(before, { t: 1, upserted: events, removed: [] });
    const capped = applyDiff(before, { t: 1, upserted: newestEvents(events, PAGE_EVENTS), removed: [] });
    expect([...capped.Event.keys()]).toEqual([...all.Event.keys()]);
  });
});

describe('splitDiff', () => {
  const ups = Array.from({ length: 7 }, (_, i) => obj('Pod', `p${i}`));
  const rms = Array.from({ length: 4 }, (_, i) => ({ kind: 'Pod', namespace: 'default', name: `gone${i}` }));
  const traffic = { t: 5, windowMs: 5000, services: {}, pods: {} };

  test.each([
    { max: 20, sizes: [11] },
    { max: 5, sizes: [5, 5, 1] },
    { max: 7, sizes: [7, 4] },
    { max: 1, sizes: Array(11).fill(1) },
  ])('max $max → parts of $sizes', ({ max, sizes }) => {
    const watched = { ref: { kind: 'Pod', namespace: 'default', name: 'p1' }, obj: ups[1] };
    const diff: Diff = { t: 5, reset: true, eventsReset: true, upserted: ups, removed: rms, traffic, watched };
    const parts = splitDiff(diff, max);
    expect(parts.map((p) => !!p.eventsReset)).toEqual(sizes.map((_, i) => i === 0));
    expect(parts.map((p) => p.watched)).toEqual(sizes.map((_, i) => (i === sizes.length - 1 ? watched : undefined)));
    expect(parts.map((p) => p.upserted.length + p.removed.length)).toEqual(sizes);
    expect(parts.map((p) => !!p.partial)).toEqual(sizes.map((_, i) => i < sizes.length - 1));
    expect(parts.map((p) => !!p.reset)).toEqual(sizes.map((_, i) => i === 0));
    expect(parts.map((p) => p.traffic)).toEqual(sizes.map((_, i) => (i === sizes.length - 1 ? traffic : undefined)));
    expect(parts.flatMap((p) => p.upserted)).toEqual(ups);
    expect(parts.flatMap((p) => p.removed)).toEqual(rms);
    expect(parts.every((p) => p.t === 5)).toBe(true);
  });

  test('applying the parts in order gives what the whole diff gives', () => {
    const start = applyDiff({}, { t: 0, reset: true, upserted: rms.map((r) => obj('Pod', r.name)), removed: [] });
    const diff: Diff = { t: 5, upserted: ups, removed: rms };
    const whole = applyDiff(start, diff);
    const parted = splitDiff(diff, 3).reduce(applyDiff, start);
    expect([...parted.Pod.keys()]).toEqual([...whole.Pod.keys()]);
  });
});
