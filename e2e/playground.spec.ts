/**
 * The playground as a user sees it: the default scenario is drawn, the terminal drives the cluster,
 * clicking a pod inspects it, and the page stays offline and free of console errors.
 */
import { expect, test, type Page } from '@playwright/test';

interface Watch {
  errors: string[];
  foreign: string[];
}

/** open loads the page and records console errors, page errors and requests to other origins. */
async function open(page: Page): Promise<Watch> {
  const w: Watch = { errors: [], foreign: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') w.errors.push(m.text());
  });
  page.on('pageerror', (e) => w.errors.push(String(e)));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith('http://127.0.0.1:4173/') && !url.startsWith('data:') && !url.startsWith('blob:')) w.foreign.push(url);
  });
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
  return w;
}

/** podRows counts the pods `kubectl get pods` lists (all namespaces the default view shows). */
async function podRows(page: Page): Promise<number> {
  const r = await page.evaluate(() => window.kubeplay.run('kubectl get pods'));
  expect(r.exit).toBe(0);
  const lines = r.out.split('\n').filter((l) => l.trim() !== '');
  return lines[0]?.startsWith('NAME') ? lines.length - 1 : 0;
}

test('loads the default scenario and draws its nodes and pods', async ({ page }) => {
  const w = await open(page);
  await expect(page.locator('[data-kind="Node"]')).toHaveCount(3);
  await expect(page.getByText('Kubeplay', { exact: true })).toBeVisible();
  // Let the cluster come up (paused: advance simulated time directly).
  await page.evaluate(() => window.kubeplay.advance(20_000));
  await expect(page.locator('[data-kind="Pod"]')).toHaveCount(3);
  await expect(page.locator('[data-kind="Pod"][data-phase="Running"]')).toHaveCount(3);
  expect(await page.locator('[data-kind="Pod"]').count()).toBe(await podRows(page));
  await expect(page.getByTestId('clock')).toHaveText('00:20');
  expect(w.errors).toEqual([]);
  expect(w.foreign).toEqual([]);
});

test('kubectl scale in the terminal adds pods to the graph', async ({ page }) => {
  const w = await open(page);
  await page.evaluate(() => window.kubeplay.advance(20_000));
  await expect(page.locator('[data-kind="Pod"]')).toHaveCount(3);
  const input = page.getByTestId('terminal-input');
  await input.fill('kubectl scale deployment web --replicas=5');
  await input.press('Enter');
  await expect(page.getByTestId('terminal-output')).toContainText('deployment.apps/web scaled');
  await expect(page.locator('[data-kind="Pod"]')).toHaveCount(5);
  await page.evaluate(() => window.kubeplay.advance(20_000));
  await expect(page.locator('[data-kind="Pod"][data-phase="Running"]')).toHaveCount(5);
  expect(await podRows(page)).toBe(5);
  // History: ↑ brings the last command back.
  await input.press('ArrowUp');
  await expect(input).toHaveValue('kubectl scale deployment web --replicas=5');
  expect(w.errors).toEqual([]);
  expect(w.foreign).toEqual([]);
});

test('clicking a pod opens the inspector with its YAML', async ({ page }) => {
  const w = await open(page);
  await page.evaluate(() => window.kubeplay.advance(20_000));
  const pod = page.locator('[data-kind="Pod"]').first();
  const name = await pod.getAttribute('data-name');
  await pod.click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toHaveAttribute('data-name', name!);
  await expect(page.getByTestId('inspector-yaml')).toContainText(`name: ${name}`);
  await expect(page.getByTestId('inspector-yaml')).toContainText('kind: Pod');
  await expect(inspector).toContainText('Scheduled');
  expect(w.errors).toEqual([]);
  expect(w.foreign).toEqual([]);
});

test('play moves the simulated clock; pause stops it', async ({ page }) => {
  await open(page);
  await page.getByTestId('play').click();
  await expect.poll(() => page.evaluate(() => window.kubeplay.time()), { timeout: 5000 }).toBeGreaterThan(1000);
  await page.getByTestId('play').click();
  const t = await page.evaluate(() => window.kubeplay.time());
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => window.kubeplay.time())).toBe(t);
});

for (const theme of ['light', 'dark'] as const) {
  test(`screenshot at 1280×720 (${theme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await open(page);
    await page.evaluate(() => window.kubeplay.advance(20_000));
    await page.evaluate(() => window.kubeplay.run('kubectl get pods'));
    await expect(page.locator('[data-kind="Pod"][data-phase="Running"]')).toHaveCount(3);
    await page.waitForTimeout(200);
    await page.screenshot({ path: `/tmp/kubeplay-${theme}.png` });
    // Nothing overlaps: the top bar, graph and panel sit side by side within the viewport.
    const bar = (await page.locator('header.topbar').boundingBox())!;
    const graph = (await page.getByTestId('graph').boundingBox())!;
    const panel = (await page.locator('aside.panel').boundingBox())!;
    expect(bar.height).toBeLessThanOrEqual(50);
    expect(graph.y).toBeGreaterThanOrEqual(bar.y + bar.height - 1);
    expect(graph.x + graph.width).toBeLessThanOrEqual(panel.x + 1);
    expect(panel.x + panel.width).toBeLessThanOrEqual(1280);
  });
}
