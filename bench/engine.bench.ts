/**
 * Engine benchmark (issue #2): 500 nodes, a Deployment of N replicas until every pod is Ready, then
 * `set image` until the rollout completes. Prints wall time, simulated time, pods scheduled per
 * wall-clock second and peak heap, for N = 1,000 and N = 10,000.
 *
 * Target on the 2-core CI machine: 10,000 replicas under 2 s wall and 300 MB heap, and within 12× of
 * the 1,000-replica run.
 *
 * `npm run bench` runs it with --expose-gc, so each size starts from a collected heap (the 10,000
 * run does not carry the 1,000 run's garbage in its peak).
 */
import { createCluster } from '../src/engine/cluster.ts';
import type { Sim } from '../src/engine/sim.ts';
import type { Deployment } from '../src/engine/api/types.ts';
import type { NodeSpec } from '../src/engine/kubelet/index.ts';
import { readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';

interface Api {
  create(obj: unknown): unknown;
  update(obj: unknown): unknown;
}

const NODES = 500;

function nodes(): NodeSpec[] {
  return Array.from({ length: NODES }, (_, i) => ({
    name: `worker-${i + 1}`,
    capacity: { cpu: '32', memory: '128Gi', pods: '110' },
    labels: { 'topology.kubernetes.io/zone': `zone-${'abc'[i % 3]}` },
  }));
}

function deployment(replicas: number, image: string): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image, resources: { requests: { cpu: '50m', memory: '64Mi' } } }] },
      },
    },
    status: {},
  };
}

function done(sim: Sim, replicas: number): boolean {
  const d = sim.store.get<Deployment>('Deployment', 'default', 'web');
  const s = d?.status;
  return !!d && !!s && s.observedGeneration === d.metadata.generation && s.updatedReplicas === replicas && s.availableReplicas === replicas && s.replicas === replicas;
}

function runUntilDone(sim: Sim, replicas: number, sample: () => void): void {
  const limit = sim.now() + 3_600_000;
  while (!done(sim, replicas)) {
    if (!sim.step(limit)) throw new Error(`cluster went idle before the rollout finished (t=${sim.now() / 1000}s)`);
    sample();
  }
}

/**
 * mainThreadCpuMs is the CPU time of the main (JavaScript) thread alone, from /proc on Linux (undefined
 * elsewhere): unlike wall time it barely moves when other work shares the cores, and unlike
 * process.cpuUsage() it leaves out the GC's helper threads.
 */
function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

function run(replicas: number): { wallMs: number; cpuMs: number; mainMs?: number; simS: number; scheduled: number; peakHeapMb: number } {
  globalThis.gc?.();
  let peak = getHeapStatistics().used_heap_size;
  const sample = () => {
    peak = Math.max(peak, getHeapStatistics().used_heap_size);
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuMs();
  const sim = createCluster({ seed: 1, nodes: nodes() });
  const api = sim.service<Api>('api');
  const bound = new Set<string>();
  // The heap is sampled every 1,024 pod writes: a whole rollout is a handful of steps (thousands of
  // pods change at each instant), so sampling between steps alone would miss the peak inside one.
  let writes = 0;
  sim.store.watch('Pod', (_type, pod) => {
    if (pod.spec.nodeName) bound.add(pod.metadata.uid!);
    if ((++writes & 1023) === 0) sample();
  });
  api.create(deployment(replicas, 'nginx:1.25'));
  runUntilDone(sim, replicas, sample);
  const d = sim.store.get<Deployment>('Deployment', 'default', 'web')!;
  d.spec.template.spec.containers[0].image = 'nginx:1.26';
  api.update(d);
  runUntilDone(sim, replicas, sample);
  sample();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const main1 = mainThreadCpuMs();
  const mainMs = main0 !== undefined && main1 !== undefined ? main1 - main0 : undefined;
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, mainMs, simS: sim.now() / 1000, scheduled: bound.size, peakHeapMb: peak / 2 ** 20 };
}

// BENCH_SIZES=10000 runs one size only (for profiling: node --cpu-prof --import tsx bench/engine.bench.ts).
const sizes = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const results: Record<number, ReturnType<typeof run>> = {};
for (const n of sizes) {
  const r = run(n);
  results[n] = r;
  console.log(
    `${String(n).padStart(6)} replicas on ${NODES} nodes: wall ${(r.wallMs / 1000).toFixed(2)} s (CPU: ${r.mainMs !== undefined ? `${(r.mainMs / 1000).toFixed(2)} s main thread, ` : ''}${(r.cpuMs / 1000).toFixed(2)} s with GC threads; wall > CPU means a busy machine), simulated ${r.simS.toFixed(1)} s, ` +
      `${Math.round(r.scheduled / (r.wallMs / 1000))} pods scheduled/s (${r.scheduled} pods), peak heap ${r.peakHeapMb.toFixed(0)} MB`,
  );
}
if (results[1_000] && results[10_000]) {
  const ratio = results[10_000].wallMs / results[1_000].wallMs;
  console.log(`10,000 vs 1,000 replicas: ${ratio.toFixed(1)}x wall time (target: under 12x); targets: < 2 s wall, < 300 MB heap`);
}
