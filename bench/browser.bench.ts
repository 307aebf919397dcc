/**
 * Browser benchmark (issue #5's budgets), in Debian's Chromium through Playwright, against the built app
 * (`npm run bench:browser` builds it first):
 *
 * 1. First load: the initial JavaScript (the entry chunk, what index.html preloads and its inline script),
 *    gzipped, against the 250 KB budget; and the wall time from navigation until the default scenario is
 *    drawn (pods on the graph) and running (the simulated clock moves after Play), against 1.5 s: the
 *    median of FIRST_LOADS loads, each in a new browser context (an empty cache), all printed.
 * 2. A big cluster: 50 nodes, a Deployment of 1,000 pods and 500 requests/s, playing; then a rolling
 *    update of all 1,000 pods. Median frame rate (requestAnimationFrame intervals) against ≥ 55 fps,
 *    and the longest main-thread task (PerformanceObserver 'longtask') against 50 ms.
 * 3. A cluster of many nodes: 5,000 nodes (the scenario limit) and 10,000 pods, whose boxes the graph
 *    draws on one canvas when zoomed out (NodeOverview). The longest main-thread task while it loads and
 *    is fitted, then the frame rate and longest task while 10 s of its rolling update play at 5×. Printed
 *    for the record (no issue sets a budget for it).
 * 4. Every request the page made stayed on its own origin.
 *
 * It prints the figures and exits 1 when a budget is missed, so a regression is visible.
 */
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { preview } from 'vite';
import { chromium, type Browser, type Page } from '@playwright/test';
import { findChromium } from '../scripts/find-chromium.mjs';

/** DIST: the built app (KUBEPLAY_DIST measures another build, e.g. one made with `vite build --outDir`). */
const DIST = process.env.KUBEPLAY_DIST ?? 'dist';
const PORT = 4391;
const ORIGIN = `http://127.0.0.1:${PORT}`;

/** BIG is the large-cluster scenario: 50 nodes, 1,000 pods, 500 rps through one Service. */
const BIG = `apiVersion: kubeplay.dev/v1alpha1
kind: Scenario
metadata:
  name: bench-1000
spec:
  seed: 7
  cluster:
    nodes:
      - count: 50
        namePrefix: worker-
        capacity: {cpu: "32", memory: 64Gi, pods: "110"}
  images:
    web:v1: {startupSeconds: 2, pullSeconds: 1, latencyMs: 15}
    web:v2: {startupSeconds: 2, pullSeconds: 1, latencyMs: 15}
  timeline:
    - at: 1s
      run: kubeplay traffic set users --rps 500 --host web
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1000
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: web:v1
          ports: [{containerPort: 80}]
          resources: {requests: {cpu: 50m, memory: 64Mi}}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
`;

interface Frames {
  medianFps: number;
  p5Fps: number;
  frames: number;
  longestTaskMs: number;
  longTasks: number;
}

function kb(n: number): string {
  return `${(n / 1024).toFixed(1)} KB`;
}

/**
 * initialJs sums the gzipped size of the scripts index.html loads up front (entry + modulepreload) and of
 * its inline script (which starts the worker and carries the default scenario's first cluster).
 */
function initialJs(): { files: string[]; gzip: number } {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/?([^"]+\.js)"/g)].map((m) => m[1]);
  let gzip = 0;
  for (const f of files) gzip += gzipSync(readFileSync(join(DIST, f))).length;
  for (const m of html.matchAll(/<script>([\s\S]*?)<\/script>/g)) gzip += gzipSync(m[1]).length;
  return { files: [...files, 'index.html (inline)'], gzip };
}

/** FIRST_LOADS: how many first loads are measured (each in a new browser context: cold cache, no code cache). */
const FIRST_LOADS = 5;

/**
 * firstLoad opens the app in a new browser context and returns when the default scenario is drawn (pods
 * on the graph) and running (the clock moves after Play), in ms from navigation.
 */
async function firstLoad(browser: Browser, offOrigin: string[]): Promise<{ drawnMs: number; runningMs: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    const page = await context.newPage();
    watchOrigin(page, offOrigin);
    const t0 = Date.now();
    await page.goto(ORIGIN + '/');
    await page.waitForFunction(() => document.querySelectorAll('[data-kind="Pod"]').length > 0, undefined, { timeout: 20_000 });
    const drawnMs = Date.now() - t0;
    await page.evaluate(() => window.kubeplay.play(1));
    const tStart = await page.evaluate(() => window.kubeplay.time());
    await page.waitForFunction((s) => window.kubeplay.time() > s, tStart, { timeout: 10_000 });
    return { drawnMs, runningMs: Date.now() - t0 };
  } finally {
    await context.close();
  }
}

function watchOrigin(page: Page, offOrigin: string[]): void {
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(ORIGIN) && !url.startsWith('data:') && !url.startsWith('blob:')) offOrigin.push(url);
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** startMeasuring installs a frame and long-task recorder in the page. */
async function startMeasuring(page: Page): Promise<void> {
  // A string, not a function: tsx would wrap named functions in a helper the page does not have.
  await page.evaluate(`(() => {
    const b = (window.__bench = { frames: [], tasks: [], on: true });
    const loop = (t) => {
      if (!b.on) return;
      b.frames.push(t);
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (b.on) b.tasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  })()`);
}

async function stopMeasuring(page: Page): Promise<Frames> {
  const { frames, tasks } = (await page.evaluate(`(() => {
    window.__bench.on = false;
    return { frames: window.__bench.frames, tasks: window.__bench.tasks };
  })()`)) as { frames: number[]; tasks: number[] };
  const intervals = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
  const at = (q: number) => intervals[Math.min(intervals.length - 1, Math.floor(q * intervals.length))] ?? Infinity;
  return {
    medianFps: 1000 / at(0.5),
    p5Fps: 1000 / at(0.95),
    frames: frames.length,
    longestTaskMs: tasks.length ? Math.max(...tasks) : 0,
    longTasks: tasks.length,
  };
}

async function exec(page: Page, line: string): Promise<{ exit: number; out: string }> {
  return page.evaluate((l) => window.kubeplay.exec(l), line);
}

/**
 * deployment reads the Deployment's counts through the terminal's language. One short line: the JSON of
 * the whole object (~80 lines, echoed into the terminal each second) cost the page more to lay out than
 * some of what is measured.
 */
async function deployment(page: Page): Promise<{ ready: number; updated: number; replicas: number }> {
  const r = await exec(page, 'kubectl get deployment web -o jsonpath={.status.readyReplicas}/{.status.updatedReplicas}/{.status.replicas}');
  if (r.exit !== 0) return { ready: 0, updated: 0, replicas: 0 };
  const [ready, updated, replicas] = r.out.trim().split('/').map((n) => Number(n) || 0);
  return { ready, updated, replicas };
}

/** MANY is the many-nodes scenario: 5,000 nodes (LIMITS.nodes), a Deployment of 10,000 pods. */
const MANY = `apiVersion: kubeplay.dev/v1alpha1
kind: Scenario
metadata: {name: bench-many-nodes}
spec:
  seed: 7
  cluster:
    nodes:
      - {count: 5000, namePrefix: n-, capacity: {cpu: "8", memory: 16Gi, pods: "110"}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 10000
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web:v1, resources: {requests: {cpu: 100m, memory: 64Mi}}}]
`;

/** manyNodes loads MANY, runs it until every pod is ready, then plays 10 s of a rolling update at 5×. */
async function manyNodes(page: Page): Promise<{ ready: number; updated: number; loadS: number; loadTaskMs: number; loadTasks: number; rolling: Frames }> {
  await page.evaluate(() => window.kubeplay.pause());
  await startMeasuring(page);
  const start = Date.now();
  const errors = await page.evaluate((y) => window.kubeplay.load(y), MANY);
  if (errors.length) throw new Error(`the many-nodes scenario did not load: ${errors.join('; ')}`);
  for (let i = 0; i < 30; i++) {
    if ((await deployment(page)).ready === 10_000) break;
    await page.evaluate(() => window.kubeplay.advance(5000));
  }
  // The fit (and the overview) come a frame or two after the cluster: let them.
  await page.waitForTimeout(1500);
  const loadS = (Date.now() - start) / 1000;
  const load = await stopMeasuring(page);
  const { ready } = await deployment(page);
  await page.evaluate(() => window.kubeplay.play(5));
  await startMeasuring(page);
  await exec(page, 'kubectl set image deployment/web web=web:v2');
  await page.waitForTimeout(10_000);
  const rolling = await stopMeasuring(page);
  await page.evaluate(() => window.kubeplay.pause());
  const { updated } = await deployment(page);
  return { ready, updated, loadS, loadTaskMs: load.longestTaskMs, loadTasks: load.longTasks, rolling };
}

async function main(): Promise<void> {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/ is missing: run `npx vite build` first (npm run bench:browser does)');
  const found = findChromium();
  const server = await preview({ preview: { port: PORT, host: '127.0.0.1', strictPort: true }, build: { outDir: DIST }, logLevel: 'silent' });
  const browser = await chromium.launch({ executablePath: found?.path, args: ['--enable-precise-memory-info'] });
  const failures: string[] = [];
  try {
    const offOrigin: string[] = [];
    // 1. First loads. The browser has opened one page before (its own start-up is not the app's first load).
    const warm = await browser.newPage();
    await warm.goto('about:blank');
    await warm.close();
    const js = initialJs();
    const loads: { drawnMs: number; runningMs: number }[] = [];
    for (let i = 0; i < FIRST_LOADS; i++) loads.push(await firstLoad(browser, offOrigin));
    const drawnMs = median(loads.map((l) => l.drawnMs));
    const runningMs = median(loads.map((l) => l.runningMs));
    console.log(
      `first load: initial JS ${kb(js.gzip)} gzipped in ${js.files.length} file(s) (budget 250 KB); default scenario drawn in ${drawnMs} ms, ` +
        `running in ${runningMs} ms (median of ${FIRST_LOADS}, budget 1500 ms; each drawn/running: ${loads.map((l) => `${l.drawnMs}/${l.runningMs}`).join(', ')})`,
    );
    if (js.gzip > 250 * 1024) failures.push(`initial JS ${kb(js.gzip)} > 250 KB`);
    if (runningMs > 1500) failures.push(`default scenario running after ${runningMs} ms > 1500 ms`);

    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    watchOrigin(page, offOrigin);
    await page.goto(ORIGIN + '/');
    await page.waitForFunction(() => document.querySelectorAll('[data-kind="Pod"]').length > 0, undefined, { timeout: 20_000 });

    // 2. The big cluster: load, run until 1,000 pods are ready, then play and roll all of them.
    await page.evaluate(() => window.kubeplay.pause());
    const loadStart = Date.now();
    const errors = await page.evaluate((y) => window.kubeplay.load(y), BIG);
    if (errors.length) throw new Error(`the bench scenario did not load: ${errors.join('; ')}`);
    for (let i = 0; i < 60; i++) {
      if ((await deployment(page)).ready === 1000) break;
      await page.evaluate(() => window.kubeplay.advance(5000));
    }
    const before = await deployment(page);
    console.log(`big cluster: 50 nodes, ${before.ready} ready pods after ${((Date.now() - loadStart) / 1000).toFixed(1)} s wall`);
    if (before.ready !== 1000) throw new Error('the 1,000 pods did not become ready');

    await page.evaluate(() => window.kubeplay.play(1));
    await page.waitForTimeout(1000);
    await startMeasuring(page);
    await page.waitForTimeout(5000);
    const steady = await stopMeasuring(page);
    console.log(`steady, 500 rps at 1×: median ${steady.medianFps.toFixed(1)} fps (5th percentile ${steady.p5Fps.toFixed(1)}), ${steady.frames} frames, longest task ${steady.longestTaskMs.toFixed(0)} ms (${steady.longTasks} over 50 ms)`);

    // The rolling update runs at 5× so all 1,000 pods turn over within the measured window.
    await page.evaluate(() => window.kubeplay.play(5));
    await startMeasuring(page);
    const rollStart = Date.now();
    const set = await exec(page, 'kubectl set image deployment/web web=web:v2');
    if (set.exit !== 0) {
      const problem = await page.evaluate(() => document.querySelector('[role="alert"]')?.textContent ?? '');
      throw new Error(`set image failed: ${set.out} ${problem}`);
    }
    let after = await deployment(page);
    while (Date.now() - rollStart < 90_000) {
      await page.waitForTimeout(1000);
      after = await deployment(page);
      if (after.updated === 1000 && after.ready === 1000 && after.replicas === 1000) break;
    }
    const rolling = await stopMeasuring(page);
    const rolled = after.updated === 1000 && after.replicas === 1000;
    console.log(
      `rolling update of 1,000 pods at 5×: ${rolled ? 'finished' : `not finished (${after.updated} updated)`} in ${((Date.now() - rollStart) / 1000).toFixed(1)} s wall; ` +
        `median ${rolling.medianFps.toFixed(1)} fps (budget ≥ 55; 5th percentile ${rolling.p5Fps.toFixed(1)}), longest main-thread task ${rolling.longestTaskMs.toFixed(0)} ms (budget ≤ 50; ${rolling.longTasks} tasks over 50 ms)`,
    );
    if (rolling.medianFps < 55) failures.push(`median ${rolling.medianFps.toFixed(1)} fps < 55 during the rolling update`);
    if (rolling.longestTaskMs > 50) failures.push(`a ${rolling.longestTaskMs.toFixed(0)} ms main-thread task during the rolling update`);

    // 3. Many nodes.
    const many = await manyNodes(page);
    console.log(
      `many nodes: 5,000 nodes, ${many.ready} ready pods; longest main-thread task while loading and fitting ${many.loadTaskMs.toFixed(0)} ms ` +
        `(${many.loadTasks} over 50 ms, ${many.loadS.toFixed(1)} s wall); rolling update at 5× for 10 s: median ${many.rolling.medianFps.toFixed(1)} fps, ` +
        `longest task ${many.rolling.longestTaskMs.toFixed(0)} ms (${many.rolling.longTasks} over 50 ms), ${many.updated} pods updated`,
    );

    // 4. Offline.
    console.log(`requests off the page's origin: ${offOrigin.length}`);
    if (offOrigin.length) failures.push(`requests off the origin: ${offOrigin.slice(0, 5).join(', ')}`);
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
  }
  if (failures.length) {
    console.log(`MISSED: ${failures.join('; ')}`);
    process.exitCode = 1;
  } else {
    console.log('all browser budgets met');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
