/**
 * The Compare dialog: on the strategy-compare scenario (four pods behind an NGINX Ingress, 50 rps),
 * run the rolling update against blue/green and see both columns, with the numbers the CLI prints
 * for the same scenario (`kubeplay compare … --json`, run here as a user would). Screenshots of both
 * themes go to /tmp/compare/.
 */
import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';

test.describe.configure({ mode: 'serial' });

interface CliResult {
  strategy: string;
  label: string;
  finished: boolean;
  seconds: number;
  peakPods: number;
  failedRequests: number;
  totalRequests: number;
  podSeconds: number;
  minReady: number;
}

let page: Page;
const errors: string[] = [];
let cli: { fromImage: string; toImage: string; results: CliResult[] };

test.beforeAll(async ({ browser }) => {
  const out = execFileSync('node', ['bin/kubeplay.mjs', 'compare', 'scenarios/strategy-compare.yaml', '--strategies', 'rolling,bluegreen', '--json'], { encoding: 'utf8' });
  cli = JSON.parse(out);
  page = await browser.newPage({ viewport: { width: 1280, height: 720 }, colorScheme: 'light' });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
  expect(await page.evaluate(() => window.kubeplay.load('strategy-compare'))).toEqual([]);
});

test.afterAll(async () => {
  await page.close();
});

/** runCompare opens the dialog, keeps only rolling and blue/green, and runs them. */
async function runCompare(): Promise<void> {
  await page.getByTestId('open-compare').click();
  const dialog = page.getByRole('dialog', { name: 'Compare rollout strategies' });
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('compare-plan')).toHaveText('Deployment shop · 4 replicas · seed 7 · 50 requests/s · change at 30s');
  await expect(page.getByTestId('compare-image')).toHaveValue('shop:v2');
  await page.getByTestId('compare-pick-recreate').uncheck();
  await page.getByTestId('compare-pick-canary').uncheck();
  await page.getByTestId('compare-run').click();
  await expect(page.getByTestId('compare-results')).toBeVisible({ timeout: 60_000 });
}

test('rolling vs blue/green side by side, with the CLI\'s numbers', async () => {
  await runCompare();
  await expect(page.getByTestId('compare-status')).toContainText('Done: shop:v1 → shop:v2');
  await expect(page.locator('[data-testid^="compare-col-"]')).toHaveText(['RollingUpdate', 'Blue/green']);
  const field: Record<string, (r: CliResult) => number> = {
    peak: (r) => r.peakPods,
    time: (r) => r.seconds,
    failed: (r) => r.failedRequests,
    requests: (r) => r.totalRequests,
    cost: (r) => r.podSeconds,
    minready: (r) => r.minReady,
  };
  expect(cli.results.map((r) => r.strategy)).toEqual(['rolling', 'bluegreen']);
  for (const r of cli.results) {
    expect(r.finished).toBe(true);
    for (const [key, get] of Object.entries(field)) {
      await expect(page.getByTestId(`compare-${key}-${r.strategy}`)).toHaveAttribute('data-value', String(get(r)));
    }
    // What is shown (a best value also says so to screen readers).
    const shown = (s: string) => new RegExp(`^${s.replace('.', '\\.')}( \\(best\\))?$`);
    await expect(page.getByTestId(`compare-peak-${r.strategy}`)).toHaveText(shown(String(r.peakPods)));
    await expect(page.getByTestId(`compare-cost-${r.strategy}`)).toHaveText(shown(r.podSeconds.toFixed(1)));
    await expect(page.getByTestId(`compare-chart-${r.strategy}`)).toBeVisible();
  }
  // The arithmetic: 4 replicas, maxSurge 1 → 5 pods at most; blue/green runs two full sets → 8.
  expect(cli.results.map((r) => r.peakPods)).toEqual([5, 8]);
  // The better value of a row is marked: fewer peak pods for the rolling update.
  await expect(page.getByTestId('compare-peak-rolling')).toHaveClass(/kp-cmp-best/);
  await expect(page.getByTestId('compare-peak-bluegreen')).not.toHaveClass(/kp-cmp-best/);
  await page.screenshot({ path: '/tmp/compare/e2e-light.png' });
});

test('Escape closes the dialog; it works in the dark theme too, inside the window', async () => {
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('compare-dialog')).toHaveCount(0);
  await expect(page.getByTestId('open-compare')).toBeFocused();
  await page.getByRole('button', { name: /Switch to dark theme/ }).click();
  await runCompare();
  const box = (await page.getByTestId('compare-dialog').boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(720);
  expect(box.x + box.width).toBeLessThanOrEqual(1280);
  const overflow = await page.getByTestId('compare-dialog').evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBe(0);
  await page.screenshot({ path: '/tmp/compare/e2e-dark.png' });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('compare-dialog')).toHaveCount(0);
  expect(errors).toEqual([]);
});
