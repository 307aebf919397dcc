/**
 * The engine benchmark's Node run (issue #2): the workload at each size of BENCH_SIZES (default
 * 1,000 and 10,000), with wall time, main-thread CPU, simulated time, pods scheduled per second and
 * peak heap. engine.bench.ts bundles this file, as the app's build bundles the engine for its worker,
 * and runs the bundle in a Node of its own with --expose-gc, so each size starts from a collected heap
 * (the 10,000 run does not carry the 1,000 run's garbage in its peak).
 */
import { readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { benchSizes, NODES, rollout } from './engine.workload.ts';

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

function run(replicas: number): { wallMs: number; cpuMs: number; mainMs?: number; simS: number; scheduled: number; peakHeapMb: number; liveHeapMb: number } {
  globalThis.gc?.();
  let peak = getHeapStatistics().used_heap_size;
  const sample = () => {
    peak = Math.max(peak, getHeapStatistics().used_heap_size);
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuMs();
  let wallMs = 0;
  let cpu = { user: 0, system: 0 };
  let main1: number | undefined;
  let live = 0;
  const { simS, scheduled } = rollout(replicas, sample, () => {
    wallMs = performance.now() - t0;
    cpu = process.cpuUsage(cpu0);
    main1 = mainThreadCpuMs();
    // What the finished cluster holds: the peak also counts garbage not yet collected, so it moves with
    // when the collector happens to run; this does not.
    globalThis.gc?.();
    live = getHeapStatistics().used_heap_size;
  });
  const mainMs = main0 !== undefined && main1 !== undefined ? main1 - main0 : undefined;
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, mainMs, simS, scheduled, peakHeapMb: peak / 2 ** 20, liveHeapMb: live / 2 ** 20 };
}

const results: Record<number, ReturnType<typeof run>> = {};
for (const n of benchSizes()) {
  const r = run(n);
  results[n] = r;
  console.log(
    `${String(n).padStart(6)} replicas on ${NODES} nodes: wall ${(r.wallMs / 1000).toFixed(2)} s (CPU: ${r.mainMs !== undefined ? `${(r.mainMs / 1000).toFixed(2)} s main thread, ` : ''}${(r.cpuMs / 1000).toFixed(2)} s with GC threads; wall > CPU means a busy machine), simulated ${r.simS.toFixed(1)} s, ` +
      `${Math.round(r.scheduled / (r.wallMs / 1000))} pods scheduled/s (${r.scheduled} pods), peak heap ${r.peakHeapMb.toFixed(0)} MB${globalThis.gc ? ` (${r.liveHeapMb.toFixed(0)} MB live at the end)` : ''}`,
  );
}
if (results[1_000] && results[10_000]) {
  const ratio = results[10_000].wallMs / results[1_000].wallMs;
  console.log(`10,000 vs 1,000 replicas: ${ratio.toFixed(1)}x wall time (target: under 12x); targets: < 2 s wall, < 300 MB heap`);
}
