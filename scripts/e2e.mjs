// Runs the Playwright suite against the built app, with a Chromium found on this machine.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium, HOW_TO_GET_CHROMIUM } from './find-chromium.mjs';

const found = findChromium();
const env = { ...process.env };
if (found) {
  env.KUBEPLAY_CHROMIUM = found.path;
  console.log(`e2e: using Chromium at ${found.path}`);
} else {
  let ownBrowser;
  try {
    const { chromium } = await import('@playwright/test');
    ownBrowser = chromium.executablePath();
  } catch {
    ownBrowser = undefined;
  }
  if (!ownBrowser || !existsSync(ownBrowser)) {
    console.error(HOW_TO_GET_CHROMIUM);
    process.exit(1);
  }
  console.log(`e2e: using Playwright's Chromium at ${ownBrowser}`);
}
const r = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
