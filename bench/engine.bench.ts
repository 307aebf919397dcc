/**
 * Engine benchmark (issue #2): 500 nodes, a Deployment of N replicas until every pod is Ready, then
 * `set image` until the rollout completes. Prints wall time, simulated time, pods scheduled per
 * wall-clock second and peak heap, for N = 1,000 and N = 10,000 (BENCH_SIZES=10000 runs one size).
 *
 * Target on the 2-core CI machine: 10,000 replicas under 2 s wall and 300 MB heap, and within 12× of
 * the 1,000-replica run.
 *
 * Both runs measure the engine bundled, as the app's build bundles it for the page's worker:
 * - in Node (engine.node.ts), in a process of its own started with --expose-gc;
 * - then, when a Chromium is found, in a Web Worker in headless Chromium (engine.chromium.ts), the
 *   JavaScript engine the page runs the simulation in (Node's is older). BENCH_CHROMIUM=0 skips it.
 * Run through tsx from the sources, as `npx kubeplay run` runs the engine, the same Node run takes
 * ~5-10% longer (tsx transforms file by file and wraps every function in a naming helper):
 * BENCH_NODE=tsx measures that way.
 */
import { spawnSync } from 'node:child_process';
import { findChromium } from '../scripts/find-chromium.mjs';
import { benchFile, bundle, withNodeBundle } from './bundle.ts';
import { benchSizes, NODES } from './engine.workload.ts';

/** inNode runs engine.node.ts in a Node of its own: bundled, or from the sources through tsx (BENCH_NODE=tsx). */
async function inNode(): Promise<void> {
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, ['--expose-gc', ...args], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`the Node run failed (exit ${r.status ?? r.signal})`);
  };
  if (process.env.BENCH_NODE === 'tsx') {
    console.log('In Node, from the sources through tsx (BENCH_NODE=tsx):');
    run(['--import', 'tsx', benchFile('./engine.node.ts')]);
  } else await withNodeBundle((file) => run([file]));
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
  const { chromium } = await import('@playwright/test');
  const code = await bundle({ lib: { entry: benchFile('./engine.chromium.ts'), formats: ['iife'], name: 'kubeplayBench' } });
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

await inNode();
await inChromium(benchSizes());
