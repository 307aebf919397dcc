/**
 * The traffic the cluster really routes, as the graph shows it: canary-plain sends 50 requests/s to one
 * Service behind which a canary pod joins three stable pods at 30 s. The Service card's version shares
 * must be the engine's (what `kubeplay traffic stats` reports for the same seconds), and the pods that
 * serve show their rates.
 */
import { expect, test } from '@playwright/test';

/** statsShare reads one version's SHARE column from `kubeplay traffic stats`. */
function statsShare(out: string, image: string): number {
  const row = out.split('\n').find((l) => l.startsWith(`${image} `));
  expect(row, `no row for ${image} in:\n${out}`).toBeTruthy();
  return parseFloat(row!.trim().split(/\s+/).at(-1)!);
}

test('a Service card shows the rate and the version split the cluster routed', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
  expect(await page.evaluate(() => window.kubeplay.load('canary-plain'))).toEqual([]);
  const card = page.locator('[data-kind="Service"][data-name="canary-demo"]');
  await expect(card).toBeVisible();
  await expect(card).toHaveAttribute('data-rps', '0');
  await expect(card).toContainText('no traffic');

  // Past the canary's start (30 s) and its pod's start-up: one canary pod of four endpoints.
  await page.evaluate(() => window.kubeplay.advance(90_000));
  const canary = card.locator('.traffic-version[data-version="gcr.io/google-samples/hello-app:2.0"]');
  const stable = card.locator('.traffic-version[data-version="gcr.io/google-samples/hello-app:1.0"]');
  await expect(canary).toBeVisible();
  await expect(stable).toBeVisible();
  const stats = await page.evaluate(() => window.kubeplay.run('kubeplay traffic stats --since 5s'));
  expect(stats.exit).toBe(0);
  const shown = Number(await canary.getAttribute('data-share'));
  // The shown text is the figure, not only the attribute.
  await expect(canary).toHaveText(`2.0 ${shown}%`);
  expect(Math.abs(shown - statsShare(stats.out, 'gcr.io/google-samples/hello-app:2.0'))).toBeLessThanOrEqual(5);
  const shownStable = Number(await stable.getAttribute('data-share'));
  expect(shown + shownStable).toBe(100);
  expect(Math.abs(shownStable - statsShare(stats.out, 'gcr.io/google-samples/hello-app:1.0'))).toBeLessThanOrEqual(5);

  // The rate is the scenario's 50 requests/s of Poisson arrivals, and the aria-label says it.
  const rps = Number(await card.getAttribute('data-rps'));
  expect(rps).toBeGreaterThan(35);
  expect(rps).toBeLessThan(65);
  await expect(card).toHaveAttribute('aria-label', new RegExp(`${rps.toFixed(1).replace('.', '\\.')} rps`));

  // Four serving pods show their rates, which add up to the Service's.
  const serving = page.locator('[data-kind="Pod"][data-rps]:not([data-rps="0"])');
  await expect(serving).toHaveCount(4);
  const podRps = await serving.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-rps'))));
  expect(Math.abs(podRps.reduce((a, b) => a + b, 0) - rps)).toBeLessThan(1);
  await expect(serving.first()).toHaveAccessibleName(/requests per second/);

  await page.screenshot({ path: 'test-results/traffic.png' });

  // At 2:25 the stable track rolls to 2.0: its old pods are deleted while their last requests are still in
  // the card's 5 s window. The card names their version (1.0), never "(unknown)".
  await page.evaluate(() => window.kubeplay.advance(54_000));
  for (let t = 144; t < 170; t += 2) {
    await page.evaluate(() => window.kubeplay.advance(2000));
    const names = await card.locator('.traffic-version').evaluateAll((els) => els.map((e) => e.getAttribute('data-version')));
    expect(names, `at ${t + 2}s`).not.toContain('(unknown)');
  }
  await expect(card).not.toContainText('unknown');
  expect(errors).toEqual([]);
});

test('sampled requests fly from the Service to the pods on one canvas; none with reduced motion', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
  expect(await page.evaluate(() => window.kubeplay.load('canary-plain'))).toEqual([]);
  await page.evaluate(() => window.kubeplay.advance(60_000));
  const canvas = page.locator('canvas.traffic-dots');
  await expect(canvas).toHaveCount(1);
  await page.evaluate(() => window.kubeplay.play(1));
  await expect.poll(async () => Number(await canvas.getAttribute('data-dots')), { timeout: 10_000 }).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/traffic-dots.png' });
  await page.evaluate(() => window.kubeplay.pause());
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await expect(canvas).toHaveCount(0);
});
