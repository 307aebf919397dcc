import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import type { ApiServer } from '../api/server.ts';
import type { EventObject, Pod } from '../api/types.ts';
import type { Sim } from '../sim.ts';
import type { SchedulerService } from './index.ts';

function cluster(nodes = 2) {
  const sim = createCluster({ seed: 3, nodes: Array.from({ length: nodes }, (_, i) => ({ name: `worker-${i + 1}`, capacity: { cpu: '2', memory: '4Gi', pods: '110' } })) });
  const api = sim.service<ApiServer>('api');
  api.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'low' }, value: 10 } as any);
  api.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 } as any);
  api.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high-never' }, value: 1000, preemptionPolicy: 'Never' } as any);
  return { sim, api };
}

function pod(api: ApiServer, name: string, cpu: string, cls?: string, labels?: Record<string, string>): void {
  api.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: { ...(cls ? { priorityClassName: cls } : {}), containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu } } }] },
  } as any);
}

const get = (sim: Sim, name: string) => sim.store.get<Pod>('Pod', 'default', name);
const events = (sim: Sim, reason: string) =>
  sim.store
    .list<EventObject>('Event')
    .filter((e) => e.reason === reason)
    .map((e) => `${e.involvedObject.name}: ${e.message}`);

describe('preemption in the cluster', () => {
  it('a high-priority pod evicts the lower-priority pod, is nominated, and runs once it is gone', () => {
    const { sim, api } = cluster();
    pod(api, 'low-1', '1500m', 'low');
    pod(api, 'low-2', '1200m', 'low');
    sim.runFor(10_000);
    pod(api, 'vip', '1500m', 'high');
    sim.settle();
    const vip = get(sim, 'vip')!;
    // Each node has one victim of priority 10 that started at the same time: a full tie, so the first
    // candidate of the dry run (which starts at a random offset) wins. Exactly one pod goes.
    expect(vip.spec.nodeName).toBeUndefined();
    expect(vip.spec.priority).toBe(1000);
    const nominated = vip.status.nominatedNodeName!;
    expect(['worker-1', 'worker-2']).toContain(nominated);
    const victim = sim.store.list<Pod>('Pod').find((p) => p.spec.nodeName === nominated && p.metadata.name !== 'vip')!;
    expect(victim.metadata.deletionTimestamp).toBeDefined();
    expect(victim.status.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'PreemptionByScheduler',
      message: 'default-scheduler: preempting to accommodate a higher priority pod',
    });
    expect(events(sim, 'Preempted')).toEqual([`${victim.metadata.name}: Preempted by pod ${vip.metadata.uid} on node ${nominated}`]);
    expect(events(sim, 'FailedScheduling')).toEqual(['vip: 0/2 nodes are available: 2 Insufficient cpu.']);
    const trace = sim.service<SchedulerService>('scheduler').trace(vip.metadata.uid!);
    expect(trace?.preemption).toMatchObject({ nominatedNode: nominated, victims: [`default/${victim.metadata.name}`], candidates: 2 });
    // Graceful deletion: 30 s later the victim is gone and vip binds to the nominated node.
    sim.runFor(40_000);
    expect(get(sim, victim.metadata.name)).toBeUndefined();
    expect(get(sim, 'vip')!.spec.nodeName).toBe(nominated);
  });

  it('preemptionPolicy Never: waits, with upstream sentence, and preempts nobody', () => {
    const { sim, api } = cluster(1);
    pod(api, 'low-1', '1500m', 'low');
    sim.runFor(5_000);
    pod(api, 'polite', '1500m', 'high-never');
    sim.settle();
    expect(get(sim, 'polite')!.spec.preemptionPolicy).toBe('Never');
    expect(events(sim, 'FailedScheduling')).toEqual(['polite: 0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.']);
    expect(events(sim, 'Preempted')).toEqual([]);
    expect(get(sim, 'low-1')!.metadata.deletionTimestamp).toBeUndefined();
  });

  it('equal priority: no victims (the familiar double period)', () => {
    const { sim, api } = cluster(1);
    pod(api, 'a', '1500m');
    sim.runFor(5_000);
    pod(api, 'b', '1500m');
    sim.settle();
    expect(events(sim, 'FailedScheduling')).toEqual(['b: 0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..']);
  });

  it('prefers the node whose victim has no PodDisruptionBudget to violate', () => {
    const { sim, api } = cluster();
    pod(api, 'db', '1500m', 'low', { app: 'db' });
    pod(api, 'web', '1500m', 'low', { app: 'web' });
    api.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db', namespace: 'default' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'db' } } } } as any);
    sim.runFor(20_000);
    pod(api, 'vip', '1000m', 'high');
    sim.settle();
    expect(get(sim, 'vip')!.status.nominatedNodeName).toBe(get(sim, 'web')!.spec.nodeName);
    expect(get(sim, 'web')!.metadata.deletionTimestamp).toBeDefined();
    expect(get(sim, 'db')!.metadata.deletionTimestamp).toBeUndefined();
  });

  it('the room made for a preemptor is kept: a lower pod does not take it while the victim terminates', () => {
    const { sim, api } = cluster(1);
    pod(api, 'low-1', '1500m', 'low');
    sim.runFor(5_000);
    pod(api, 'vip', '1500m', 'high');
    sim.settle();
    expect(get(sim, 'vip')!.status.nominatedNodeName).toBe('worker-1');
    // 400m would fit beside the terminating victim (1500m + 400m ≤ 2), but not beside the nominated vip too.
    pod(api, 'sneaky', '400m', 'low');
    sim.settle();
    expect(get(sim, 'sneaky')!.spec.nodeName).toBeUndefined();
    sim.runFor(60_000);
    expect(get(sim, 'vip')!.spec.nodeName).toBe('worker-1');
    expect(get(sim, 'sneaky')!.spec.nodeName).toBe('worker-1');
  });

  it('PrioritySort: when room appears, the higher-priority pending pod gets it even if it came later', () => {
    const { sim, api } = cluster(1);
    pod(api, 'blocker', '1500m', 'high');
    sim.runFor(5_000);
    pod(api, 'early-low', '1500m', 'low');
    sim.runFor(1_000);
    pod(api, 'late-high', '1500m', 'high-never');
    sim.runFor(5_000);
    api.delete('Pod', 'default', 'blocker');
    sim.runFor(60_000);
    expect(get(sim, 'late-high')!.spec.nodeName).toBe('worker-1');
    expect(get(sim, 'early-low')!.spec.nodeName).toBeUndefined();
  });
});
