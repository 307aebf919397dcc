import { defineConfig } from 'vitest/config';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * earlyWorker starts the engine's worker from index.html, before the page's own scripts have loaded, and
 * gives it the default scenario: the worker chunk (~230 KB gzipped) was requested only after the entry's
 * ~580 KB had been fetched, compiled and run (~0.8 s into a first load), then took another ~0.3-0.6 s to
 * build the first cluster. The Client (src/ui/state/client.ts) adopts the worker and replays what it said
 * meanwhile; boot.ts does not load the default scenario again.
 */
function earlyWorker(): Plugin {
  let base = '/';
  return {
    name: 'kubeplay-early-worker',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const file = Object.keys(ctx.bundle ?? {}).find((f) => /(^|\/)worker-[\w-]+\.js$/.test(f));
        if (!file) return html;
        // `?load=default`: the worker loads the default scenario by itself (worker.ts), without waiting for a message.
        const start =
          `try{var w=new Worker(${JSON.stringify(`${base}${file}?load=default`)},{type:'module',name:'kubeplay-engine'}),k={worker:w,messages:[],loaded:'default.yaml'};` +
          `w.onmessage=function(e){k.messages.push(e.data)};w.onerror=function(e){k.error=e.message||'worker error'};window.__kubeplayEarly=k}catch(e){}`;
        return { html, tags: [{ tag: 'script', children: start, injectTo: 'head-prepend' }] };
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), earlyWorker()],
  worker: { format: 'es' },
  // Pre-bundle what the page loads later (the YAML worker when the Editor opens, fflate for share
  // links) so the dev server does not reload the page the first time they are needed.
  optimizeDeps: { include: ['monaco-yaml/yaml.worker.js', 'fflate'] },
  build: {
    target: 'es2022',
    sourcemap: false,
    // Monaco (~3.5 MB minified) is its own lazily loaded chunk; the first screen stays ~160 KB gzipped.
    chunkSizeWarningLimit: 4000,
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
