#!/usr/bin/env node
// kubeplay: the headless runner. It runs the TypeScript sources directly through tsx (a dependency),
// so `npx kubeplay run FILE` works right after `npm ci`, with no build step.
import { register } from 'tsx/esm/api';

register();
try {
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  // main catches everything it runs; this is for a Kubeplay source that does not load at all.
  process.stderr.write(`kubeplay: internal error: ${e?.message ?? e}\n`);
  process.exitCode = 2;
}
