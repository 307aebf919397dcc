import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types.ts';
import { Sim } from '../sim.ts';
import { installScheduler, type SchedulerService } from './index.ts';
import { makeNode } from './testutil.ts';

describe('scheduler speed', () => {
  it('schedules 10,000 pods on 500 nodes well inside the budget', () => {
    const sim = new Sim({ seed: 7 });
    installScheduler(sim);
    for (let i = 0; i < 500; i++) {
      sim.store.create(
        makeNode({
          name: `node-${i}`,
          allocatable: { cpu: '32', memory: '128Gi', pods: '110' },
          labels: { 'kubernetes.io/hostname': `node-${i}`, 'topology.kubernetes.io/zone': `zone-${i % 3}` },
        }),
      );
    }
    sim.settle();
    const pods: Pod[] = [];
    for (let i = 0; i < 10_000; i++) {
      const p = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `web-${i}`, namespace: 'default', labels: { app: 'web' } },
        spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
        status: { phase: 'Pending' },
      } as Pod;
      sim.store.create(p);
      pods.push(p);
    }
    const heapBefore = process.memoryUsage().heapUsed;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    sim.settle();
    const ms = performance.now() - t0;
    const cpuMs = process.cpuUsage(c0).user / 1000;
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    const bound = pods.filter((p) => p.spec.nodeName).length;
    const perNode = new Map<string, number>();
    for (const p of pods) perNode.set(p.spec.nodeName!, (perNode.get(p.spec.nodeName!) ?? 0) + 1);
    console.log(`scheduled ${bound} pods in ${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms cpu; heap +${heapMb.toFixed(1)} MB; per node ${Math.min(...perNode.values())}..${Math.max(...perNode.values())}`);
    expect(bound).toBe(10_000);
    const t = sim.service<SchedulerService>('scheduler').trace(pods[9999].metadata.uid!)!;
    expect(t.evaluatedNodes).toBe(230);
    // A loose bound: the shared CI machine's wall time varies; CPU time is the steadier measure.
    expect(cpuMs).toBeLessThan(6000);
    // Every node got 19..22 pods: LeastAllocated + BalancedAllocation spread them evenly.
    expect(Math.max(...perNode.values()) - Math.min(...perNode.values())).toBeLessThanOrEqual(4);
  });
});
