/**
 * The engine benchmark's workload in a Web Worker (engine.bench.ts bundles this file and starts it in
 * headless Chromium): the engine in the browser's JavaScript engine, as the page's worker runs it.
 * Each message is a replica count; the answer is the wall time and what rollout() returns.
 */
import { rollout } from './engine.workload.ts';

self.onmessage = (e: MessageEvent<number>) => {
  const t0 = performance.now();
  const r = rollout(e.data);
  self.postMessage({ replicas: e.data, wallMs: performance.now() - t0, ...r });
};
