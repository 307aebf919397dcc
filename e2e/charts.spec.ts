/**
 * The timeline charts, as a person reads them: the canary scenario runs for a minute, the charts name
 * both versions, hovering a second shows the same numbers `kubeplay traffic stats` prints for it and
 * the ready pods `kubectl get rs` lists, and clicking a chart seeks the clock there.
 */
import { expect, test, type Page } from '@playwright/test';
import { setTheme } from './theme.ts';

test.describe.configure({ mode: 'serial' });

let page: Page;
const errors: string[] = [];
const V1 = 'gcr.io/google-samples/hello-app:1.0';
const V2 = 'gcr.io/google-samples/hello-app:2.0';

const now = () => page.evaluate(() => window.kubeplay.time());
const charts = () => page.getByTestId('charts');

/** xOf is the page x of simulated time t (ms) on the charts, which span the session from 0 to its end. */
async function xOf(t: number, endMs: number): Promise<{ x: number; y: number }> {
  const box = (await charts().boundingBox())!;
  return { x: box.x + (t / endMs) * box.width, y: box.y + box.height / 2 };
}

/** stats parses `kubeplay traffic stats`: requests and errors by version, and the totals. */
function stats(out: string): { versions: Record<string, [number, number]>; requests: number; errors: number } {
  const versions: Record<string, [number, number]> = {};
  for (const line of out.split('\n').slice(1)) {
    const m = /^(\S+)\s+(\d+)\s+(\d+)\s+[\d.]+%$/.exec(line.trim());
    if (m) versions[m[1]] = [Number(m[2]), Number(m[3])];
  }
  const t = /requests: (\d+)\s+errors: (\d+)/.exec(out);
  return { versions, requests: Number(t?.[1]), errors: Number(t?.[2]) };
}

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage({ viewport: { width: 1280, height: 720 }, colorScheme: 'light' });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
});

test.afterAll(async () => {
  await page.close();
});

test('a minute of the canary: the charts name both versions and both revisions', async () => {
  expect(await page.evaluate(() => window.kubeplay.load('canary-plain'))).toEqual([]);
  await page.evaluate(() => window.kubeplay.advance(60_999));
  await expect(charts()).toBeVisible();
  await expect(charts()).toHaveAttribute('data-points', '60');
  await expect(page.getByTestId('charts-legend-version')).toHaveText(['hello-app:1.0', 'hello-app:2.0']);
  await expect(page.getByTestId('charts-legend-version').nth(0)).toHaveAttribute('data-version', V1);
  await expect(page.getByTestId('charts-legend-revision')).toHaveCount(2);
  await expect(page.getByTestId('charts-legend-revision').nth(0)).toContainText(/canary-demo-stable-\w+ \(hello-app:1\.0\)/);
  await expect(page.getByTestId('charts-legend-revision').nth(1)).toContainText(/canary-demo-canary-\w+ \(hello-app:2\.0\)/);
  // The two versions get different colours.
  const swatches = await page.getByTestId('charts-legend-version').locator('i').evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
  expect(new Set(swatches).size).toBe(2);
});

test('hovering a second shows what kubeplay traffic stats and kubectl get rs say about it', async () => {
  // At 60.999 s, `--since 1s` is the bucket of second 60 alone; the chart records it when the clock leaves it.
  const r = await page.evaluate(() => window.kubeplay.exec('kubeplay traffic stats --since 1s'));
  expect(r.exit).toBe(0);
  const st = stats(r.out);
  expect(Object.keys(st.versions).sort()).toEqual([V1, V2]);
  await page.evaluate(() => window.kubeplay.advance(1));
  expect(await now()).toBe(61);
  await expect(charts()).toHaveAttribute('data-points', '61');

  // The second 60–61 s is drawn where it ends, at the clock.
  const at = await xOf(60_600, 61_000);
  await page.mouse.move(at.x, at.y);
  const tip = page.getByTestId('charts-tooltip');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText('01:00–01:01');
  for (const v of [V1, V2]) {
    const row = tip.locator(`[data-version="${v}"]`);
    await expect(row).toHaveAttribute('data-rps', String(st.versions[v][0]));
    await expect(row).toContainText(`${st.versions[v][0]} req/s`);
  }
  await expect(tip.getByTestId('charts-tooltip-total')).toHaveAttribute('data-requests', String(st.requests));
  await expect(tip.getByTestId('charts-tooltip-total')).toHaveAttribute('data-errors', String(st.errors));

  // Ready pods by revision: what `kubectl get rs` lists as READY.
  const rs = await page.evaluate(() => window.kubeplay.exec('kubectl get rs --no-headers'));
  for (const line of rs.out.trim().split('\n')) {
    const [name, , , ready] = line.split(/\s+/);
    await expect(tip.locator(`[data-revision="default/${name}"]`)).toHaveAttribute('data-ready', ready);
  }
  // The p95 of a 20 ms ± 10 ms app falls in the (25 ms, 50 ms] bucket's interpolation: ~24–30 ms.
  const p95 = Number(await tip.locator(`[data-version="${V1}"]`).getAttribute('data-p95'));
  expect(p95).toBeGreaterThan(15);
  expect(p95).toBeLessThan(50);

  await page.mouse.move(at.x, at.y - 200);
  await expect(tip).toHaveCount(0);
});

test('clicking a chart seeks the clock there; the charts keep the past and drop the future', async () => {
  const at = await xOf(30_000, 61_000);
  await page.mouse.click(at.x, at.y);
  await expect.poll(now, { timeout: 15_000 }).toBeLessThan(32);
  const t = await now();
  expect(t).toBeGreaterThanOrEqual(29);
  // Points after the new time are gone until the clock passes them again.
  await expect.poll(async () => Number(await charts().getAttribute('data-points'))).toBeLessThanOrEqual(Math.floor(t));
  // Played on, every second the clock has left is charted again (seconds 0 … floor(now) − 1).
  await page.evaluate(() => window.kubeplay.advance(31_000));
  await expect(charts()).toHaveAttribute('data-points', String(Math.floor(await now())));
});

test('a paused chart takes the new theme at once: its lane separators are drawn in the theme\'s border colour', async () => {
  await page.evaluate(() => window.kubeplay.pause());
  for (const theme of ['dark', 'light'] as const) {
    await setTheme(page, theme);
    // The first lane's separator, 4 px from the left (no plot line is drawn that close to time 0's edge),
    // against --border as the page now resolves it.
    await expect
      .poll(() =>
        page.evaluate(() => {
          const c = document.querySelector('[data-testid="charts"] canvas') as HTMLCanvasElement;
          const dpr = window.devicePixelRatio || 1;
          const laneH = c.height / dpr / 4;
          const [r, g, b] = c.getContext('2d')!.getImageData(Math.round(4 * dpr), Math.floor((Math.round(laneH - 1) + 0.5) * dpr), 1, 1).data;
          const probe = document.createElement('div');
          probe.style.color = 'var(--border)';
          document.body.append(probe);
          const want = getComputedStyle(probe).color;
          probe.remove();
          return `rgb(${r}, ${g}, ${b})` === want;
        }),
      )
      .toBe(true);
  }
});

test('screenshots at 1280×720 in light and dark, legible, and no console errors', async () => {
  const at = await xOf(45_000, 61_000);
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    await page.mouse.move(at.x, at.y);
    await expect(page.getByTestId('charts-tooltip')).toBeVisible();
    await page.screenshot({ path: test.info().outputPath(`charts-${theme}.png`) });
    await page.screenshot({ path: `/tmp/kubeplay-charts-${theme}.png` });
  }
  const box = (await charts().boundingBox())!;
  expect(box.y + box.height).toBeLessThanOrEqual(720);
  expect(box.height).toBeGreaterThanOrEqual(64);
  expect(errors).toEqual([]);
});
