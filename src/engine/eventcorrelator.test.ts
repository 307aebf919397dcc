import { describe, expect, it } from 'vitest';
import { Sim } from './sim.ts';
import type { EventObject, KubeObject } from './api/types.ts';
import { AGGREGATE_PREFIX, MAX_LRU, correlate, newCorrelatorState, recorder } from './eventcorrelator.ts';

/** events lists the Events about obj as `kubectl get events` would show them: reason, count, message. */
function events(sim: Sim, obj: KubeObject): string[] {
  return sim.eventsFor(obj).map((e: EventObject) => `${e.reason} x${e.count} ${e.message}`);
}

function rs(sim: Sim, name = 'web-abc'): KubeObject {
  return sim.store.create({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'default' }, spec: {}, status: {} } as KubeObject);
}

describe('event correlator (client-go tools/record EventCorrelate)', () => {
  it('keeps the first 9 distinct messages of one reason and combines the rest into one Event', () => {
    const sim = new Sim();
    const r = rs(sim);
    for (let i = 0; i < 14; i++) sim.recordEvent(r, 'Normal', 'SuccessfulCreate', `Created pod: web-abc-${i}`, 'replicaset-controller');
    const got = events(sim, r);
    expect(got.slice(0, 9)).toEqual(Array.from({ length: 9 }, (_, i) => `SuccessfulCreate x1 Created pod: web-abc-${i}`));
    // The 10th distinct message starts the aggregate; each later one bumps it and sets its message.
    expect(got.slice(9)).toEqual([`SuccessfulCreate x5 ${AGGREGATE_PREFIX}Created pod: web-abc-13`]);
  });

  it('aggregates per reason, type and source: another reason or component starts its own count', () => {
    const sim = new Sim();
    const r = rs(sim);
    for (let i = 0; i < 9; i++) sim.recordEvent(r, 'Normal', 'SuccessfulCreate', `Created pod: p-${i}`, 'replicaset-controller');
    sim.recordEvent(r, 'Normal', 'SuccessfulDelete', 'Deleted pod: p-0', 'replicaset-controller');
    sim.recordEvent(r, 'Warning', 'SuccessfulCreate', 'Created pod: p-9', 'replicaset-controller');
    expect(events(sim, r).filter((e) => e.includes(AGGREGATE_PREFIX))).toEqual([]);
  });

  it('starts over after 10 minutes without a similar event', () => {
    const sim = new Sim();
    const r = rs(sim);
    for (let i = 0; i < 9; i++) sim.recordEvent(r, 'Normal', 'ScalingReplicaSet', `Scaled up replica set web-1 from ${i} to ${i + 1}`, 'deployment-controller');
    sim.runFor(600_001);
    sim.recordEvent(r, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set web-1 from 9 to 10', 'deployment-controller');
    expect(events(sim, r).at(-1)).toBe('ScalingReplicaSet x1 Scaled up replica set web-1 from 9 to 10');
  });

  it('lets a source write 25 events about one object, then one every 5 minutes, each with the count so far', () => {
    const sim = new Sim();
    const pod = sim.store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [] }, status: {} } as KubeObject);
    const backOff = () => sim.recordEvent(pod, 'Warning', 'BackOff', 'Back-off restarting failed container web in pod p_default(uid)', 'kubelet', 'node-1');
    const written = Array.from({ length: 30 }, () => backOff() !== undefined);
    expect(written.filter(Boolean)).toHaveLength(25);
    expect(events(sim, pod)).toEqual(['BackOff x25 Back-off restarting failed container web in pod p_default(uid)']);
    sim.runFor(299_000);
    expect(backOff()).toBeUndefined();
    sim.runFor(1_000);
    // Five minutes after the 25th, one more is written: counting the five the filter dropped.
    expect(backOff()?.count).toBe(32);
    // Another object, or another source about the same object, has its own bucket.
    expect(sim.recordEvent(pod, 'Normal', 'Killing', 'Stopping container web', 'kubelet', 'node-2')).toBeDefined();
  });

  it("forgets the least recently used object past 4,096 of one recorder's", () => {
    const st = newCorrelatorState();
    let n = 0;
    const ev = (uid: string) => correlate(st, { uid, type: 'Normal', reason: 'R', message: 'm', component: 'default-scheduler' }, 0, 't', () => `e${n++}`);
    ev('first');
    for (let i = 0; i < MAX_LRU; i++) ev(`u${i}`);
    expect(recorder(st, 'default-scheduler', undefined).objects.size).toBe(MAX_LRU);
    // 'first' fell out: it starts a new Event; the last one (still cached) is a repeat.
    expect(ev('first').log.count).toBe(1);
    expect(ev(`u${MAX_LRU - 1}`).log.count).toBe(2);
  });

  it("keeps each recorder's caches apart: other nodes' kubelets do not push a kubelet's pods out", () => {
    // StartRecordingToSink makes a correlator per broadcaster, and every kubelet runs its own.
    const st = newCorrelatorState();
    let n = 0;
    const ev = (uid: string, host: string) => correlate(st, { uid, type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container', component: 'kubelet', host }, 0, 't', () => `e${n++}`);
    expect(ev('crashing', 'node-1').log.count).toBe(1);
    for (let i = 0; i < 2 * MAX_LRU; i++) ev(`p${i}`, `node-${2 + (i % 4)}`);
    expect(ev('crashing', 'node-1').log.count).toBe(2);
    expect([2, 3, 4, 5].map((i) => recorder(st, 'kubelet', `node-${i}`).objects.size)).toEqual([2048, 2048, 2048, 2048]);
  });
});
