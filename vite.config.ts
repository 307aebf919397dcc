import { defineConfig } from 'vitest/config';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { firstMessages, inlineJson } from './scripts/first-messages.ts';

/**
 * earlyWorker starts the engine's worker from index.html, before the page's own scripts have loaded, and
 * gives it the default scenario: the worker chunk (~230 KB gzipped) was requested only after the entry's
 * ~580 KB had been fetched, compiled and run (~0.8 s into a first load), then took another ~0.3-0.6 s to
 * build the first cluster. The Client (src/ui/state/client.ts) adopts the worker and replays what it said
 * meanwhile; boot.ts does not load the default scenario again. The page also gets the worker's first
 * messages with index.html (computed at build time by the same worker), so it can draw the first cluster
 * before the worker has been fetched and run.
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
      async handler(html, ctx) {
        const file = Object.keys(ctx.bundle ?? {}).find((f) => /(^|\/)worker-[\w-]+\.js$/.test(f));
        if (!file) return html;
        // The worker's first messages, run here at build time (scripts/first-messages.ts): the page draws
        // them at once and drops its worker's identical copies (primed, in src/ui/state/client.ts).
        const out = ctx.bundle![file];
        const code = out.type === 'chunk' ? out.code : typeof out.source === 'string' ? out.source : new TextDecoder().decode(out.source);
        const first = await firstMessages(code);
        if (first.error) this.warn(`index.html will not carry the default scenario's first cluster: ${first.error}`);
        const primed = first.messages ?? [];
        // `?load=default`: the worker loads the default scenario by itself (worker.ts), without waiting for a message.
        const start =
          `try{var w=new Worker(${JSON.stringify(`${base}${file}?load=default`)},{type:'module',name:'kubeplay-engine'}),` +
          `k={worker:w,messages:[${inlineJson(primed.join(','))}],primed:${primed.length},loaded:'default.yaml'};` +
          `w.onmessage=function(e){k.messages.push(e.data)};w.onerror=function(e){k.error=e.message||'worker error'};window.__kubeplayEarly=k}catch(e){}`;
        return { html, tags: [{ tag: 'script', children: start, injectTo: 'head-prepend' }] };
      },
    },
  };
}

/** COMPRESSIBLE: the built files worth a gzipped twin, with the Content-Type to serve them as. */
const COMPRESSIBLE: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.html': 'text/html',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain',
};

/**
 * precompressed writes a gzipped twin (`file.gz`) of every text file the build emits, and has `vite preview`
 * serve it to a browser that accepts gzip. Vite's preview server otherwise gzips each response as it sends
 * it: ~40 ms of its one thread for the 820 KB engine worker, ~30 ms for the entry, a dozen files at once on
 * a first load, while the page waits (0.4-0.55 s until the scripts had arrived, on a busy 2-core machine).
 * Static hosts serve such twins too (nginx's gzip_static, for one).
 */
function precompressed(): Plugin {
  let outDir = 'dist';
  return {
    name: 'kubeplay-precompressed',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    writeBundle: {
      order: 'post',
      handler(_options, bundle) {
        for (const file of Object.keys(bundle)) {
          if (!COMPRESSIBLE[extname(file)]) continue;
          const path = join(outDir, file);
          const raw = readFileSync(path);
          if (raw.length >= 1024) writeFileSync(path + '.gz', gzipSync(raw, { level: 9 }));
        }
      },
    },
    configurePreviewServer(server) {
      const root = resolve(server.config.root, server.config.build.outDir);
      server.middlewares.use((req, res, next) => {
        if ((req.method !== 'GET' && req.method !== 'HEAD') || !/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return next();
        let path = decodeURIComponent((req.url ?? '/').split(/[?#]/)[0]);
        if (path.endsWith('/')) path += 'index.html';
        const file = normalize(join(root, path));
        const type = COMPRESSIBLE[extname(file)];
        if (!type || !file.startsWith(root + sep) || !existsSync(file + '.gz')) return next();
        res.setHeader('Content-Type', `${type}; charset=utf-8`);
        res.setHeader('Content-Encoding', 'gzip');
        res.setHeader('Content-Length', statSync(file + '.gz').size);
        res.setHeader('Vary', 'Accept-Encoding');
        res.setHeader('Cache-Control', 'no-cache');
        if (req.method === 'HEAD') return void res.end();
        createReadStream(file + '.gz').pipe(res);
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), earlyWorker(), precompressed()],
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
