import { describe, expect, it } from 'vitest';
import { Sim } from './sim.ts';
import { EPOCH_MS } from './clock.ts';

function tinySim(): { sim: Sim; log: string[] } {
  const sim = new Sim({ seed: 3 });
  const log: string[] = [];
  sim.addController({ name: 'a', sync: (key) => { log.push(`a:${key}@${sim.now()}`); if (key === 'x') sim.enqueue('b', 'from-a'); } });
  sim.addController({ name: 'b', sync: (key) => log.push(`b:${key}@${sim.now()}`) });
  sim.onTimer('tick', (key) => { log.push(`timer:${key}@${sim.now()}`); sim.enqueue('a', key); });
  return { sim, log };
}

describe('Sim', () => {
  it('fires timers in time order and settles controllers in install order', () => {
    const { sim, log } = tinySim();
    sim.after(2000, 'tick', 'y');
    sim.after(1000, 'tick', 'x');
    sim.runUntil(5000);
    expect(log).toEqual(['timer:x@1000', 'a:x@1000', 'b:from-a@1000', 'timer:y@2000', 'a:y@2000']);
    expect(sim.now()).toBe(5000);
  });

  it('deduplicates work queue keys', () => {
    const { sim, log } = tinySim();
    sim.enqueue('b', 'k');
    sim.enqueue('b', 'k');
    sim.settle();
    expect(log).toEqual(['b:k@0']);
  });

  it('aggregates repeated events into a count', () => {
    const sim = new Sim();
    const pod = sim.store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [] }, status: {} });
    sim.recordEvent(pod, 'Warning', 'BackOff', 'Back-off restarting failed container', 'kubelet');
    sim.runFor(10_000);
    const ev = sim.recordEvent(pod, 'Warning', 'BackOff', 'Back-off restarting failed container', 'kubelet')!;
    expect(ev.count).toBe(2);
    expect(ev.firstTimestamp).toBe('2025-01-01T00:00:00Z');
    expect(ev.lastTimestamp).toBe('2025-01-01T00:00:10Z');
    expect(sim.eventsFor(pod)).toHaveLength(1);
  });

  it("stores the recorder's Events without a name lookup, until an Event is made another way", () => {
    const sim = new Sim();
    const pod = sim.store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [] }, status: {} });
    const first = sim.recordEvent(pod, 'Normal', 'Pulling', 'Pulling image "nginx"', 'kubelet')!;
    // The recorder's next name, made in the same millisecond: its sequence is one more.
    const next = first.metadata.name.replace(/[0-9a-f]{2}$/, (h) => (parseInt(h, 16) + 1).toString(16).padStart(2, '0'));
    // An Event made through the API, named as the recorder's next one, is not overwritten by it.
    const made = { apiVersion: 'v1', kind: 'Event', metadata: { name: next, namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, reason: 'Mine', message: 'made by hand' };
    sim.store.create(made as any);
    // The server rejects the recorder's Event, which drops it (recordToSink: "will not retry").
    expect(sim.recordEvent(pod, 'Normal', 'Pulled', 'Successfully pulled image "nginx"', 'kubelet')).toBeUndefined();
    expect(sim.store.get('Event', 'default', next)).toBe(made);
    expect(sim.store.count('Event')).toBe(2);
  });

  it('restores a snapshot to the same future', () => {
    const { sim, log } = tinySim();
    sim.after(1000, 'tick', 'x');
    sim.after(3000, 'tick', 'z');
    sim.runUntil(1500);
    const snap = sim.snapshot();
    const r1 = sim.rng.next32();
    sim.runUntil(4000);
    const tail = log.slice(3);
    const { sim: other, log: log2 } = tinySim();
    other.restore(snap);
    expect(other.rng.next32()).toBe(r1);
    other.runUntil(4000);
    expect(log2).toEqual(tail);
  });

  it("keeps a module's tables as dictionaries, before and after a restore, with their contents", () => {
    const sim = new Sim({ seed: 1 });
    const init = () => ({ byUid: {} as Record<string, number>, count: 0 });
    const st = sim.moduleState('m', init, ['byUid']);
    expect(Object.getPrototypeOf(st.byUid)).toBeNull();
    st.byUid['a-uid'] = 1;
    st.count = 1;
    const snap = sim.snapshot();
    st.byUid['b-uid'] = 2;
    sim.restore(snap);
    const back = sim.moduleState('m', init, ['byUid']);
    expect(Object.getPrototypeOf(back.byUid)).toBeNull();
    expect({ ...back.byUid }).toEqual({ 'a-uid': 1 });
    expect(back.count).toBe(1);
  });

  it('names Events "<object>.<nanoseconds in hex>", through the carry out of the low 32 bits', () => {
    const sim = new Sim({ seed: 1 });
    // At 1,319,623 ms the nanoseconds' low 32 bits are 63 short of overflowing: the 65th event carries.
    // (The scheduler's recorder, events.k8s.io/v1, drops none of seventy events about one object.)
    sim.runUntil(1_319_623);
    const obj = sim.store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' } });
    const names = Array.from({ length: 70 }, (_, i) => sim.recordEventV1(obj, undefined, 'Normal', `R${i}`, 'Test', 'm', 'default-scheduler', 'control-plane')?.metadata.name);
    const want = Array.from({ length: 70 }, (_, i) => `cm.${((BigInt(EPOCH_MS + 1_319_623) * 1_000_000n) + BigInt(i)).toString(16)}`);
    expect(names).toEqual(want);
  });
});
