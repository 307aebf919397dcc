import { describe, expect, it } from 'vitest';
import type { EventObject } from '../../api/types.ts';
import { eventCount, eventInterval, eventSeen, eventSortTime, eventSource } from './eventtime.ts';

/** An hour into the simulation. */
const NOW = 3_600_000;

function ev(fields: Partial<EventObject>): EventObject {
  return { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'p' }, reason: 'R', message: 'm', type: 'Normal', source: {}, ...fields } as EventObject;
}

const legacy = ev({ count: 1, firstTimestamp: '2025-01-01T00:10:00Z', lastTimestamp: '2025-01-01T00:10:00Z', eventTime: null, source: { component: 'kubelet', host: 'worker-1' }, reportingComponent: 'kubelet', reportingInstance: 'worker-1' });
const legacyRepeated = ev({ ...legacy, count: 5, lastTimestamp: '2025-01-01T00:58:00Z' });
const v1 = ev({ firstTimestamp: null, lastTimestamp: null, eventTime: '2025-01-01T00:20:00.000000Z', reportingComponent: 'default-scheduler', reportingInstance: 'default-scheduler-control-plane' });
const v1Series = ev({ ...v1, series: { count: 3, lastObservedTime: '2025-01-01T00:55:00.000000Z' } });

// The upstream functions: printEvent (kubectl get events), DescribeEvents and kubectl events'
// getLastSeen (one formula), SortableEvents' eventTime, formatEventSource.
describe('event times as kubectl reads them', () => {
  it.each<[string, EventObject, { last: string; first: string }, number, string, string]>([
    ['legacy singleton', legacy, { last: '50m', first: '50m' }, 1, '50m', 'kubelet, worker-1'],
    ['legacy repeated', legacyRepeated, { last: '2m', first: '50m' }, 5, '2m (x5 over 50m)', 'kubelet, worker-1'],
    ['events.k8s.io/v1 singleton: no count, null timestamps', v1, { last: '40m', first: '40m' }, 1, '40m', 'default-scheduler, default-scheduler-control-plane'],
    ['events.k8s.io/v1 series', v1Series, { last: '5m', first: '40m' }, 3, '5m (x3 over 40m)', 'default-scheduler, default-scheduler-control-plane'],
  ])('%s', (_name, e, seen, count, interval, source) => {
    expect(eventSeen(e, NOW)).toEqual(seen);
    expect(eventCount(e)).toBe(count);
    expect(eventInterval(e, NOW)).toBe(interval);
    expect(eventSource(e)).toBe(source);
  });

  it('sorts by the series, else the last timestamp, else the event time; none sorts first', () => {
    expect(eventSortTime(legacyRepeated)).toBe(58 * 60_000);
    expect(eventSortTime(v1)).toBe(20 * 60_000);
    expect(eventSortTime(v1Series)).toBe(55 * 60_000);
    expect(eventSortTime(ev({}))).toBe(Number.NEGATIVE_INFINITY);
  });
});
