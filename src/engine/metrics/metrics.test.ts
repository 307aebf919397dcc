import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types.ts';
import { apply, deployment, hpaCluster, service } from '../controllers/podautoscaler/testutil.ts';
import { runCommand } from '../kubectl/index.ts';
import type { NetworkApi } from '../network/index.ts';
import { Sim } from '../sim.ts';
import { containerUsageFor, MetricsServer, scrapeTime } from './index.ts';

describe('usage model', () => {
  const sim = new Sim({ images: { 'a:1': { cpu: '20m', cpuPerRps: '2.5m', memory: '64Mi', memoryPerRps: '512Ki' } } });
  it.each([
    ['idle', { name: 'c', image: 'a:1' }, 0, { cpuMilli: 20, memoryBytes: 64 * 2 ** 20 }],
    ['10 rps', { name: 'c', image: 'a:1' }, 10, { cpuMilli: 45, memoryBytes: 69 * 2 ** 20 }],
    ['throttled at the CPU limit', { name: 'c', image: 'a:1', resources: { limits: { cpu: '30m' } } }, 10, { cpuMilli: 30, memoryBytes: 69 * 2 ** 20 }],
    ['unknown image idles', { name: 'c', image: 'other:1' }, 50, { cpuMilli: 1, memoryBytes: 8 * 2 ** 20 }],
    // The HPA walkthrough's php-apache: 10m per request, 250% of its 200m request at 50 rps (the limit).
    ['the HPA walkthrough image costs CPU per request', { name: 'c', image: 'registry.k8s.io/hpa-example', resources: { limits: { cpu: '500m' } } }, 20, { cpuMilli: 201, memoryBytes: 8 * 2 ** 20 }],
    ['… capped at its limit', { name: 'c', image: 'registry.k8s.io/hpa-example:latest', resources: { limits: { cpu: '500m' } } }, 100, { cpuMilli: 500, memoryBytes: 8 * 2 ** 20 }],
    // The "Assign Memory/CPU Resources" pages' stress containers use what their arguments ask for.
    ['polinux/stress holds --vm × --vm-bytes', { name: 'c', image: 'polinux/stress', command: ['stress'], args: ['--vm', '1', '--vm-bytes', '150M', '--vm-hang', '1'] }, 0, { cpuMilli: 1, memoryBytes: 150 * 2 ** 20 }],
    ['vish/stress spins -cpus, throttled at the limit', { name: 'c', image: 'vish/stress', args: ['-cpus', '2'], resources: { limits: { cpu: '1' } } }, 0, { cpuMilli: 1000, memoryBytes: 8 * 2 ** 20 }],
  ])('%s', (_n, c, rps, want) => expect(containerUsageFor(sim, c, rps)).toEqual(want));
  it('reads at the last scrape strictly before now', () => {
    expect([scrapeTime(15_000), scrapeTime(15_001), scrapeTime(29_999), scrapeTime(0)]).toEqual([0, 15_000, 15_000, 0]);
  });
});

describe('metrics service on a cluster', () => {
  it('follows each pod’s share of traffic, and kubectl top shows it', () => {
    const sim = hpaCluster({ 'web:1': { startupSeconds: 1, cpu: '10m', cpuPerRps: '5m', memory: '50Mi', memoryPerRps: '1Mi' } });
    apply(sim, deployment('web', 2, 'web:1', { cpu: '100m' }), service('web'));
    sim.service<NetworkApi>('network').setTraffic({ host: 'web', rps: 40 }, 'load');
    sim.runUntil(91_000);
    const m = sim.service<MetricsServer>('metrics');
    const pods = sim.store.list<Pod>('Pod', 'default');
    const items = m.podMetrics(pods);
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ timestampMs: 90_000, windowMs: 15_000 });
    const total = items.reduce((a, i) => a + i.containers[0].usage.cpuMilli, 0);
    // 40 rps × 5m + 2 × 10m = 220m, give or take the Poisson noise of one 15 s window.
    expect(total).toBeGreaterThan(190);
    expect(total).toBeLessThan(250);
    const top = runCommand(sim, 'kubectl top pods');
    expect(top.exit).toBe(0);
    for (const i of items) expect(top.out).toMatch(new RegExp(`${i.name} +${i.containers[0].usage.cpuMilli}m +${Math.floor(i.containers[0].usage.memoryBytes / 2 ** 20)}Mi`));
  });

  it('lists a pod only after its containers ran one whole window', () => {
    const sim = hpaCluster({ 'web:1': { startupSeconds: 1 } });
    apply(sim, deployment('web', 1, 'web:1'));
    const m = sim.service<MetricsServer>('metrics');
    sim.runUntil(14_000);
    expect(m.podMetrics(sim.store.list<Pod>('Pod', 'default'))).toEqual([]);
    sim.runUntil(31_000);
    expect(m.podMetrics(sim.store.list<Pod>('Pod', 'default'))).toHaveLength(1);
  });

  it('kubectl top pod agrees with the HPA: no row before the first whole window, in its own words', () => {
    const sim = hpaCluster({ 'web:1': { startupSeconds: 1 } });
    apply(sim, deployment('web', 1, 'web:1'));
    sim.runUntil(5_000);
    const name = sim.store.list<Pod>('Pod', 'default')[0].metadata.name;
    expect(runCommand(sim, 'kubectl top pods')).toEqual({ exit: 1, out: 'error: metrics not available yet\n' });
    expect(runCommand(sim, `kubectl top pod ${name}`)).toEqual({ exit: 1, out: 'error: metrics not available yet\n' });
    sim.runUntil(31_000);
    expect(runCommand(sim, 'kubectl top pods').out).toMatch(new RegExp(`^NAME +CPU\\(cores\\) +MEMORY\\(bytes\\) +\\n${name} +\\d+m +\\d+Mi +\\n$`));
    // A pod over two minutes old without metrics (its node's kubelet is down) is named, with its age.
    runCommand(sim, `kubeplay node fail ${sim.store.list<Pod>('Pod', 'default')[0].spec.nodeName}`);
    sim.runUntil(150_000);
    expect(runCommand(sim, `kubectl top pod ${name}`)).toEqual({ exit: 1, out: `error: Metrics not available for pod default/${name}, age: 2m30s\n` });
  });
});
