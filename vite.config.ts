import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
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
