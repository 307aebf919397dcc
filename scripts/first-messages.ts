/**
 * firstMessages runs the built engine worker in Node, started as index.html starts it
 * (`worker-….js?load=default`), and returns what it posts while its module runs: `ready`, then the
 * default scenario's first cluster (markers, the diff, history, `loaded`). The build puts them in
 * index.html (see earlyWorker in vite.config.ts), so a first load draws the cluster as soon as the page's
 * scripts have run instead of after the worker has also been fetched, compiled and run (~0.3-0.5 s more
 * on a busy 2-core machine). They are the engine's own output, computed by the very code the page runs;
 * the page still checks each against what its worker then says and takes the worker's word if they differ.
 *
 * Returns undefined (and the page waits for its worker, as before) when the worker cannot run here.
 */
import { Worker } from 'node:worker_threads';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** RUN_MS: the longest the worker may take to post its first cluster. */
const RUN_MS = 20_000;

/**
 * SHIM gives the worker's module what a dedicated worker's global scope has and Node's worker thread
 * does not (self, postMessage, location), then imports it. What it posts is collected as JSON; the
 * collection is sent back once the module has run (its top level loads the scenario synchronously).
 */
const SHIM = `
const { parentPort, workerData } = require('node:worker_threads');
const posted = [];
globalThis.self = globalThis;
globalThis.location = { search: '?load=default', href: workerData.url + '?load=default' };
globalThis.postMessage = (m) => posted.push(JSON.stringify(m));
import(workerData.url).then(
  () => parentPort.postMessage({ posted }),
  (e) => parentPort.postMessage({ error: String(e && e.stack || e) }),
);
`;

export async function firstMessages(workerCode: string): Promise<{ messages?: string[]; error?: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'kubeplay-first-'));
  const file = join(dir, 'worker.mjs');
  writeFileSync(file, workerCode);
  const worker = new Worker(SHIM, { eval: true, workerData: { url: pathToFileURL(file).href } });
  try {
    return await new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ error: `the worker did not post its first cluster within ${RUN_MS / 1000} s` }), RUN_MS);
      worker.once('message', (m: { posted?: string[]; error?: string }) => {
        clearTimeout(timer);
        resolve(m.posted ? { messages: m.posted } : { error: m.error ?? 'no messages' });
      });
      worker.once('error', (e) => {
        clearTimeout(timer);
        resolve({ error: String(e) });
      });
    });
  } finally {
    await worker.terminate();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * inlineJson is JSON text that is safe inside an inline <script>: no `</script>`, `<!--` or line
 * separators can end or confuse it.
 */
export function inlineJson(json: string): string {
  return json.replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
