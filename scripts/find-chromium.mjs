// findChromium locates a Chromium for Playwright: $KUBEPLAY_CHROMIUM or $CHROME_PATH, Debian's
// /usr/bin/chromium, then Playwright's own download. Returns undefined when there is none.
import { existsSync } from 'node:fs';

export function findChromium() {
  for (const p of [process.env.KUBEPLAY_CHROMIUM, process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (p && existsSync(p)) return { path: p, source: p.startsWith('/usr/bin') ? 'system' : 'env' };
  }
  return undefined;
}

export const HOW_TO_GET_CHROMIUM = `No Chromium found for the end-to-end tests.
Kubeplay looks for $KUBEPLAY_CHROMIUM, $CHROME_PATH, /usr/bin/chromium, then Playwright's own browser.
Get one with either:
  sudo apt-get install chromium          # Debian/Ubuntu
  npx playwright install chromium        # Playwright's build (needs internet access)`;
