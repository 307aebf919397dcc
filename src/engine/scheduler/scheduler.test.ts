import { describe, expect, it } from 'vitest';
import type { EventObject, Pod } from '../api/types.ts';
import { Sim } from '../sim.ts';
import { installScheduler, type SchedulerService } from './index.ts';
import { makeNode, makePod } from './testutil.ts';

function cluster(nodes: Parameters<typeof makeNode>[0][], seed = 1) {
  const sim = new Sim({ seed });
  installScheduler(sim);
  for (const n of nodes) sim.store.create(makeNode(n));
  sim.settle();
  return sim;
}

const worker = (name: string, extra: Partial<Parameters<typeof makeNode>[0]> = {}) => ({
  name,
  allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
  labels: { 'kubernetes.io/hostname': name },
  ...extra,
});

function createPod(sim: Sim, name: string, p: Parameters<typeof makePod>[0] = {}): Pod {
  const pod = makePod({ name, ...p });
  delete (pod.metadata as any).uid;
  sim.store.create(pod);
  sim.settle();
  return sim.store.get<Pod>('Pod', 'default', name)!;
}

function events(sim: Sim, pod: Pod): string[] {
  return sim.eventsFor(pod).map((e: EventObject) => `${e.type} ${e.reason} ${e.reportingComponent}: ${e.message}`);
}

const tainted = worker('worker-3', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] });

describe('scheduler integration', () => {
  it('binds a pod and records Scheduled', () => {
    const sim = cluster([worker('worker-1')]);
    const pod = createPod(sim, 'web-abc', { containers: [{ cpu: '500m' }] });
    expect(pod.spec.nodeName).toBe('worker-1');
    expect(pod.status.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
    expect(events(sim, pod)).toEqual(['Normal Scheduled default-scheduler: Successfully assigned default/web-abc to worker-1']);
  });

  it('writes the exact FailedScheduling message (taint + insufficient cpu)', () => {
    const sim = cluster([worker('worker-1'), worker('worker-2'), tainted]);
    const pod = createPod(sim, 'big', { containers: [{ cpu: '3' }] });
    const msg =
      '0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. ' +
      'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..';
    expect(pod.spec.nodeName).toBeUndefined();
    const cond = pod.status.conditions?.find((c) => c.type === 'PodScheduled');
    expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable', message: msg });
    expect(events(sim, pod)).toEqual([`Warning FailedScheduling default-scheduler: ${msg}`]);
  });

  it('only unresolvable failures: "Preemption is not helpful" ends in two periods too (the preemption FitError\'s and the outer one\'s)', () => {
    const sim = cluster([tainted]);
    const pod = createPod(sim, 'p');
    expect(pod.status.conditions?.[0].message).toBe(
      '0/1 nodes are available: 1 node(s) had untolerated taint(s). preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..',
    );
  });

  it('spreads pods with required anti-affinity, then rejects the 4th', () => {
    const sim = cluster([worker('worker-1'), worker('worker-2'), worker('worker-4')]);
    const anti = {
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }],
        },
      },
    };
    const nodes = [1, 2, 3].map((i) => createPod(sim, `web-${i}`, { labels: { app: 'web' }, spec: anti }).spec.nodeName);
    expect(new Set(nodes).size).toBe(3);
    const fourth = createPod(sim, 'web-4', { labels: { app: 'web' }, spec: anti });
    expect(fourth.spec.nodeName).toBeUndefined();
    expect(fourth.status.conditions?.[0].message).toBe(
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..",
    );
    // A pod without the label is not repelled by the existing pods' anti-affinity… unless it matches theirs.
    expect(createPod(sim, 'other', { labels: { app: 'db' } }).spec.nodeName).toBeDefined();
  });

  it('retries when a node is added, after the backoff', () => {
    const sim = cluster([worker('worker-1')]);
    const pod = createPod(sim, 'big', { containers: [{ cpu: '3' }] });
    expect(pod.spec.nodeName).toBeUndefined();
    sim.store.create(makeNode(worker('worker-9', { allocatable: { cpu: '8', memory: '8Gi', pods: '110' } })));
    sim.settle();
    // Still inside the 1 s backoff of the first attempt.
    expect(pod.spec.nodeName).toBeUndefined();
    sim.runFor(1000);
    expect(pod.spec.nodeName).toBe('worker-9');
  });

  it('retries when a bound pod is deleted, and does not spin without events', () => {
    const sim = cluster([worker('worker-1')]);
    const a = createPod(sim, 'a', { containers: [{ cpu: '1500m' }] });
    const b = createPod(sim, 'b', { containers: [{ cpu: '1500m' }] });
    expect(a.spec.nodeName).toBe('worker-1');
    expect(b.spec.nodeName).toBeUndefined();
    sim.runFor(60_000);
    const failed = sim.eventsFor(b).filter((e) => e.reason === 'FailedScheduling');
    expect(failed.map((e) => e.series)).toEqual([undefined]);
    sim.store.remove('Pod', 'default', 'a');
    sim.settle();
    expect(b.spec.nodeName).toBe('worker-1');
  });

  it('flushes unschedulable pods after 5 minutes', () => {
    const sim = cluster([worker('worker-1')]);
    const b = createPod(sim, 'b', { containers: [{ cpu: '3' }] });
    sim.runFor(5 * 60_000);
    // The second attempt saw the pod after the first one's status write: a new resourceVersion, so a
    // new Event (the events.k8s.io/v1 recorder's key holds the reference); the third repeats it.
    const failed = () => sim.eventsFor(b).filter((e) => e.reason === 'FailedScheduling');
    expect(failed().map((e) => e.series?.count)).toEqual([undefined, undefined]);
    sim.runFor(5 * 60_000);
    expect(failed().map((e) => e.series?.count)).toEqual([undefined, 2]);
  });

  it('leaves pods of other schedulers and terminating pods alone', () => {
    const sim = cluster([worker('worker-1')]);
    expect(createPod(sim, 'x', { spec: { schedulerName: 'my-scheduler' } }).spec.nodeName).toBeUndefined();
    const t = makePod({ name: 'gone' });
    delete (t.metadata as any).uid;
    t.metadata.deletionTimestamp = sim.nowIso();
    sim.store.create(t);
    sim.settle();
    expect(t.spec.nodeName).toBeUndefined();
    expect(sim.service<SchedulerService>('scheduler').pendingCount()).toBe(0);
  });

  it('schedules higher priority first', () => {
    const sim = cluster([worker('worker-1')]);
    const mk = (name: string, priority: number) => {
      const p = makePod({ name, containers: [{ cpu: '1500m' }], spec: { priority } });
      delete (p.metadata as any).uid;
      sim.store.create(p);
      return p;
    };
    const low = mk('low', 0);
    const high = mk('high', 1000);
    sim.settle();
    expect(high.spec.nodeName).toBe('worker-1');
    expect(low.spec.nodeName).toBeUndefined();
  });

  it('rebuilds its cache after a snapshot restore', () => {
    const sim = cluster([worker('worker-1')]);
    const snap = sim.snapshot();
    createPod(sim, 'a', { containers: [{ cpu: '1500m' }] });
    sim.restore(snap);
    // Without a rebuild the cache would still count pod a's 1500m.
    const b = createPod(sim, 'b', { containers: [{ cpu: '1500m' }] });
    expect(b.spec.nodeName).toBe('worker-1');
  });

  it('spreads by topology spread constraints across zones (DoNotSchedule)', () => {
    const z = (name: string, zone: string) => worker(name, { labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zone } });
    const sim = cluster([z('a1', 'a'), z('a2', 'a'), z('b1', 'b')]);
    const spec = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'w' } } }] };
    const zones = [1, 2, 3, 4].map((i) => {
      const n = createPod(sim, `w-${i}`, { labels: { app: 'w' }, spec }).spec.nodeName!;
      return n.startsWith('a') ? 'a' : 'b';
    });
    expect(zones.filter((x) => x === 'a').length).toBe(2);
    expect(zones.filter((x) => x === 'b').length).toBe(2);
  });

  it('required pod affinity: the first pod goes anywhere, the next follows it', () => {
    const sim = cluster([worker('worker-1'), worker('worker-2'), worker('worker-4')]);
    const spec = { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'c' } }, topologyKey: 'kubernetes.io/hostname' }] } } };
    const first = createPod(sim, 'c-1', { labels: { app: 'c' }, spec }).spec.nodeName;
    expect(first).toBeDefined();
    for (let i = 2; i <= 4; i++) expect(createPod(sim, `c-${i}`, { labels: { app: 'c' }, spec }).spec.nodeName).toBe(first);
    // Affinity to pods that do not exist, and the pod does not match its own term: nowhere to go.
    const none = { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'zzz' } }, topologyKey: 'kubernetes.io/hostname' }] } } };
    const lonely = createPod(sim, 'l', { labels: { app: 'l' }, spec: none });
    expect(lonely.status.conditions?.[0].message).toMatch(/^0\/3 nodes are available: 3 node\(s\) didn't match pod affinity rules\. preemption: 0\/3 nodes are available: 3 Preemption is not helpful for scheduling\.\.$/);
  });

  it('keeps a readable trace of the last attempt', () => {
    const sim = cluster([worker('worker-1'), worker('worker-2'), tainted]);
    const pod = createPod(sim, 'web', { containers: [{ cpu: '100m', memory: '128Mi' }] });
    const t = sim.service<SchedulerService>('scheduler').trace(pod.metadata.uid!)!;
    expect(t.result).toBe('Scheduled');
    expect(t.node).toBe(pod.spec.nodeName);
    expect(t.filters).toEqual([{ node: 'worker-3', plugin: 'TaintToleration', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint(s)'] }]);
    expect(t.scores[0].node).toBe(pod.spec.nodeName);
    expect(t.scores.length).toBe(2);
    const fit = t.scores[0].plugins.find((p) => p.plugin === 'NodeResourcesFit')!;
    expect(fit.weight).toBe(1);
    expect(t.skippedScorePlugins).toEqual(expect.arrayContaining(['NodeAffinity', 'PodTopologySpread', 'InterPodAffinity']));
    expect(t.skippedFilterPlugins).toEqual(expect.arrayContaining(['NodeAffinity', 'NodePorts', 'PodTopologySpread', 'InterPodAffinity']));
  });
});
