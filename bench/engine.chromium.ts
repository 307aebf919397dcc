/**
 * The engine benchmark's workload in a Web Worker (engine.bench.ts bundles this file and starts it in
 * headless Chromium): the engine in the browser's JavaScript engine, as the page's worker runs it.
 * Each message is a replica count; the answer is the wall time and what rollout() returns.
 */
import { rollout } from './engine.workload.ts';

self.onmessage = (e: MessageEvent<number>) => {
  const t0 = performance.now();
  let wallMs = 0;
  // The clock stops when the rollout is done (atEnd), before rollout() counts the binds.
  const r = rollout(e.data, undefined, () => {
    wallMs = performance.now() - t0;
  });
  self.postMessage({ replicas: e.data, wallMs, ...r });
};
