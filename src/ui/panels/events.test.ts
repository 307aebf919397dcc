import { describe, expect, it } from 'vitest';
import type { EventObject } from '../../engine/api/types.ts';
import { isoTime } from '../../engine/clock.ts';
import { eventColumns, eventKinds, filterEvents, involvedRef, NO_FILTER } from './events.ts';

function ev(name: string, o: { kind: string; obj: string; ns?: string; reason: string; message: string; type?: 'Normal' | 'Warning'; count?: number; first: number; last: number }): EventObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: o.ns ?? 'default', creationTimestamp: isoTime(o.first) },
    involvedObject: { kind: o.kind, name: o.obj, ...(o.kind === 'Node' ? {} : { namespace: o.ns ?? 'default' }), uid: `uid-${o.obj}` },
    reason: o.reason,
    message: o.message,
    type: o.type ?? 'Normal',
    count: o.count ?? 1,
    firstTimestamp: isoTime(o.first),
    lastTimestamp: isoTime(o.last),
    source: { component: 'test' },
  };
}

const EVENTS = [
  ev('a', { kind: 'Pod', obj: 'web-1', reason: 'Scheduled', message: 'Successfully assigned default/web-1 to worker-1', first: 1000, last: 1000 }),
  ev('b', { kind: 'Pod', obj: 'web-2', reason: 'FailedScheduling', message: '0/2 nodes are available: 2 Insufficient cpu.', type: 'Warning', count: 3, first: 1000, last: 121_000 }),
  ev('c', { kind: 'Deployment', obj: 'web', reason: 'ScalingReplicaSet', message: 'Scaled up replica set web-abc to 2', first: 500, last: 500 }),
  ev('d', { kind: 'Node', obj: 'worker-1', reason: 'NodeNotReady', message: 'Node worker-1 status is now: NodeNotReady', type: 'Warning', first: 90_000, last: 90_000 }),
  ev('e', { kind: 'Pod', obj: 'cart-1', ns: 'shop', reason: 'Pulled', message: 'Container image "nginx" already present', first: 2000, last: 2000 }),
];

describe('eventColumns', () => {
  it.each([
    [0, 181_000, { lastSeen: '3m', type: 'Normal', reason: 'Scheduled', object: 'pod/web-1', message: 'Successfully assigned default/web-1 to worker-1' }],
    [1, 181_000, { lastSeen: '60s (x3 over 3m)', type: 'Warning', reason: 'FailedScheduling', object: 'pod/web-2', message: '0/2 nodes are available: 2 Insufficient cpu.' }],
    [3, 90_000, { lastSeen: '0s', type: 'Warning', reason: 'NodeNotReady', object: 'node/worker-1', message: 'Node worker-1 status is now: NodeNotReady' }],
  ])('event %i at %i ms', (i, now, want) => expect(eventColumns(EVENTS[i], now)).toEqual(want));
});

describe('filterEvents', () => {
  const names = (f: Partial<typeof NO_FILTER>) => filterEvents(EVENTS, { ...NO_FILTER, ...f }).map((e) => e.metadata.name);
  it.each([
    [{}, ['b', 'd', 'e', 'a', 'c']],
    [{ warningsOnly: true }, ['b', 'd']],
    [{ kind: 'Pod' }, ['b', 'e', 'a']],
    [{ kind: 'Pod', warningsOnly: true }, ['b']],
    [{ text: 'web' }, ['b', 'a', 'c']],
    [{ text: 'SCALED' }, ['c']],
    [{ text: 'pod/web' }, ['b', 'a']],
    [{ text: 'shop' }, ['e']],
    [{ text: 'insufficient cpu' }, ['b']],
    [{ text: 'worker-1 ready' }, ['d']],
    [{ text: 'nothing' }, []],
  ])('%j', (f, want) => expect(names(f)).toEqual(want));
});

describe('eventKinds and involvedRef', () => {
  it('lists kinds and names the involved object (cluster-scoped without a namespace)', () => {
    expect(eventKinds(EVENTS)).toEqual(['Deployment', 'Node', 'Pod']);
    expect(involvedRef(EVENTS[4])).toEqual({ kind: 'Pod', namespace: 'shop', name: 'cart-1', uid: 'uid-cart-1' });
    expect(involvedRef(EVENTS[3])).toEqual({ kind: 'Node', namespace: '', name: 'worker-1', uid: 'uid-worker-1' });
  });
});
