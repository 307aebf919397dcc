/**
 * Engine benchmark (issue #2): 500 nodes, a Deployment of N replicas until every pod is Ready, then
 * `set image` until the rollout completes. Prints wall time, simulated time, pods scheduled per
 * wall-clock second and peak heap, for N = 1,000 and N = 10,000.
 *
 * Target on the 2-core CI machine: 10,000 replicas under 2 s wall and 300 MB heap, and within 12× of
 * the 1,000-replica run.
 *
 * `npm run bench` runs it with --expose-gc, so each size starts from a collected heap (the 10,000
 * run does not carry the 1,000 run's garbage in its peak). Then, when a Chromium is found, the same
 * workload runs in a Web Worker in headless Chromium (inChromium below): the page runs the engine
 * there, in a newer JavaScript engine than Node's. BENCH_CHROMIUM=0 skips that.
 */
import { readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { findChromium } from '../scripts/find-chromium.mjs';
import { NODES, rollout } from './engine.workload.ts';

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

// BENCH_SIZES=10000 runs one size only (for profiling: node --cpu-prof --import tsx bench/engine.bench.ts).
const sizes = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const results: Record<number, ReturnType<typeof run>> = {};
for (const n of sizes) {
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

/**
 * inChromium runs the same workload in a Web Worker in headless Chromium: the JavaScript engine the
 * page's worker runs the simulation in (Node's is older). The bundle is built with Vite's API; the
 * sizes run one after another in one worker, as they do in one Node process. Wall time only: a
 * worker has no heap statistics.
 */
async function inChromium(sizes: number[]): Promise<void> {
  const found = findChromium();
  if (!found || process.env.BENCH_CHROMIUM === '0') {
    console.log('In Chromium: skipped (no Chromium found, or BENCH_CHROMIUM=0)');
    return;
  }
  // Imported here, after the Node runs: loaded at the top they would count in those runs' heap.
  const { build } = await import('vite');
  const { chromium } = await import('@playwright/test');
  const out = await build({
    configFile: false,
    logLevel: 'warn',
    build: { write: false, minify: false, lib: { entry: fileURLToPath(new URL('./engine.chromium.ts', import.meta.url)), formats: ['iife'], name: 'kubeplayBench' } },
  });
  const outputs = Array.isArray(out) ? out : [out];
  const code = (outputs[0] as { output: { code?: string }[] }).output[0].code!;
  const browser = await chromium.launch({ executablePath: found.path, args: ['--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    // A script, not a function: tsx would compile a function with helpers the page does not have.
    const results = (await page.evaluate(`(async () => {
      const url = URL.createObjectURL(new Blob([${JSON.stringify(code)}], { type: 'text/javascript' }));
      const w = new Worker(url);
      const once = (n) => new Promise((resolve, reject) => {
        w.onmessage = (e) => resolve(e.data);
        w.onerror = (e) => reject(new Error(e.message));
        w.postMessage(n);
      });
      const res = [];
      for (const n of ${JSON.stringify(sizes)}) res.push(await once(n));
      w.terminate();
      return res;
    })()`)) as { replicas: number; wallMs: number; simS: number; scheduled: number }[];
    for (const r of results) {
      console.log(
        `${String(r.replicas).padStart(6)} replicas on ${NODES} nodes in Chromium's worker: wall ${(r.wallMs / 1000).toFixed(2)} s, simulated ${r.simS.toFixed(1)} s, ` +
          `${Math.round(r.scheduled / (r.wallMs / 1000))} pods scheduled/s (${r.scheduled} pods)`,
      );
    }
  } finally {
    await browser.close();
  }
}

await inChromium(sizes);
