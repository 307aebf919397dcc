import { describe, expect, it } from 'vitest';
import { Sim } from './sim.ts';
import type { EventObject, KubeObject } from './api/types.ts';
import { FINISH_MS, nextTick, REFRESH_MS } from './eventseries.ts';

const failed = (sim: Sim, pod: KubeObject, message = '0/2 nodes are available: 2 Insufficient cpu.') =>
  sim.recordEventV1(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', message, 'default-scheduler', 'control-plane');

function setup() {
  const sim = new Sim();
  const pod = sim.store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [] }, status: {} } as KubeObject);
  const events = () => sim.store.list<EventObject>('Event').map((e) => ({ rv: e.involvedObject.resourceVersion, series: e.series?.count, last: e.series?.lastObservedTime }));
  return { sim, pod, events };
}

// client-go tools/events (event_broadcaster.go): recordToSink, getKey, finishSeries, refreshExistingEventSeries.
describe('the events.k8s.io/v1 recorder (the scheduler\'s)', () => {
  it('writes an Event as the API shows one of the new API: eventTime, action, reporting instance, the reference\'s resourceVersion, no count', () => {
    const { sim, pod } = setup();
    sim.runUntil(1_500);
    const ev = failed(sim, pod)!;
    expect(ev).toMatchObject({
      reason: 'FailedScheduling',
      type: 'Warning',
      action: 'Scheduling',
      eventTime: '2025-01-01T00:00:01.500000Z',
      firstTimestamp: null,
      lastTimestamp: null,
      source: {},
      reportingComponent: 'default-scheduler',
      reportingInstance: 'default-scheduler-control-plane',
      involvedObject: { kind: 'Pod', name: 'p', namespace: 'default', uid: pod.metadata.uid, resourceVersion: pod.metadata.resourceVersion },
    });
    expect(ev.count).toBeUndefined();
    expect(ev.series).toBeUndefined();
  });

  it('neither aggregates nor drops: isomorphic events (whatever their note) are one series, written on the second and then every 30 minutes', () => {
    const { sim, pod, events } = setup();
    for (let i = 0; i < 40; i++) {
      sim.runUntil(i * 60_000);
      failed(sim, pod, `0/${i} nodes are available.`);
    }
    // The second made the series (count 2, written); the rest counted in the cache until the 30-minute
    // refresh, which came before that minute's event.
    expect(events()).toEqual([{ rv: pod.metadata.resourceVersion, series: 30, last: '2025-01-01T00:29:00.000000Z' }]);
    // One more refresh at 60 minutes; then six quiet minutes finish the series with its final count.
    sim.runUntil(2 * REFRESH_MS);
    expect(events()[0].series).toBe(40);
    expect(sim.store.list<EventObject>('Event')[0].message).toBe('0/0 nodes are available.');
    sim.runUntil(3 * REFRESH_MS);
    failed(sim, pod);
    expect(events().map((e) => e.series)).toEqual([40, undefined]);
  });

  it("starts a new Event when the object's resourceVersion changed (the reference is part of the key)", () => {
    const { sim, pod, events } = setup();
    failed(sim, pod);
    failed(sim, pod);
    sim.store.update(pod);
    failed(sim, pod);
    failed(sim, pod);
    failed(sim, pod);
    expect(events().map((e) => e.series)).toEqual([2, 2]);
  });

  it('forgets a singleton six minutes on: its next occurrence is a new Event', () => {
    const { sim, pod, events } = setup();
    failed(sim, pod);
    sim.runUntil(2 * FINISH_MS + 1);
    failed(sim, pod);
    expect(events().map((e) => e.series)).toEqual([undefined, undefined]);
    // The cache's tick is set only while it holds something.
    sim.runUntil(6 * FINISH_MS);
    expect(sim.nextTimerAt()).toBeUndefined();
  });

  it('ticks on multiples of 6 minutes of the clock', () => {
    expect([0, 1, FINISH_MS - 1, FINISH_MS, 5 * FINISH_MS + 7].map(nextTick)).toEqual([FINISH_MS, FINISH_MS, FINISH_MS, 2 * FINISH_MS, 6 * FINISH_MS]);
  });
});
