/**
 * The engine bench's bundles, made with Vite's API as the app's build makes its worker's: the engine
 * is measured as it ships (engine.bench.ts in Node and in Chromium, instructions.ts under valgrind).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InlineConfig } from 'vite';

/** benchFile is the path of a file beside this one. */
export const benchFile = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

/** bundle builds one entry with Vite's API and returns its code. */
export async function bundle(build: InlineConfig['build'], config: InlineConfig = {}): Promise<string> {
  const vite = await import('vite');
  const out = await vite.build({ configFile: false, logLevel: 'warn', ...config, build: { write: false, minify: false, ...build } });
  const outputs = Array.isArray(out) ? out : [out];
  return (outputs[0] as { output: { code?: string }[] }).output[0].code!;
}

/** withNodeBundle bundles engine.node.ts as an ES module for Node, gives run its file, and removes it after. */
export async function withNodeBundle<T>(run: (file: string) => T): Promise<T> {
  // Every package is bundled (noExternal), as in the worker: the file runs from a temporary directory with no node_modules.
  const code = await bundle({ ssr: true, target: 'node20', rollupOptions: { input: benchFile('./engine.node.ts'), external: [/^node:/] } }, { ssr: { noExternal: true } });
  const dir = mkdtempSync(join(tmpdir(), 'kubeplay-bench-'));
  try {
    const file = join(dir, 'engine.node.mjs');
    writeFileSync(file, code);
    return run(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
