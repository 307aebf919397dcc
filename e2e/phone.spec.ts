/**
 * A shared link opened on a phone: the top bar wraps instead of piling its buttons on each other, the
 * side panel sits under the graph at full width (beside it there was no room: it was 0 px wide), and
 * the charts start folded so the graph and the terminal share the height.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { watchPage } from './watch.ts';

/** box is a locator's bounding box, which must be on screen. */
async function box(l: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await l.boundingBox();
  expect(b, 'drawn').not.toBeNull();
  return b!;
}

/** apart says whether two boxes do not overlap. */
function apart(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): boolean {
  return a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
}

async function open(page: Page): Promise<void> {
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
  await expect(page.locator('.react-flow__node-k8snode')).toHaveCount(3);
}

test('on a phone held upright every control is on screen, apart, and the terminal works under the graph', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const { errors, foreign } = watchPage(page, baseURL);
  await open(page);

  const top = page.getByRole('banner');
  const names = ['Play', 'Step to the next event', '+1s: step one simulated second', 'Compare', 'Focus', 'Presenter'];
  const boxes = [];
  for (const name of names) boxes.push(await box(top.getByRole('button', { name, exact: true })));
  boxes.push(await box(page.getByTestId('scenario')), await box(page.getByTestId('clock')));
  for (const [i, a] of boxes.entries()) {
    expect(a.x, `${names[i] ?? 'picker'} within the screen`).toBeGreaterThanOrEqual(0);
    expect(a.x + a.width).toBeLessThanOrEqual(390);
    for (const b of boxes.slice(i + 1)) expect(apart(a, b), `${names[i] ?? 'picker'} clear of the others`).toBe(true);
  }

  // The panel under the graph, the whole width; Library and the zoom toolbar apart.
  const graph = await box(page.getByTestId('graph'));
  const panel = await box(page.getByRole('complementary', { name: 'Side panel' }));
  expect(panel.y).toBeGreaterThanOrEqual(graph.y + graph.height - 1);
  expect(panel.width).toBeGreaterThan(380);
  expect(apart(await box(page.getByTestId('open-library')), await box(page.getByRole('button', { name: 'Traffic' })))).toBe(true);
  await expect(page.getByRole('button', { name: 'Show the charts' })).toBeVisible();

  const input = page.getByTestId('terminal-input');
  await input.fill('kubectl get nodes -o name');
  await input.press('Enter');
  await expect(page.getByTestId('terminal-output')).toContainText('node/worker-3');
  const out = await box(page.getByTestId('terminal-output'));
  expect(out.y + out.height).toBeLessThanOrEqual(844);

  // Share's popover opens downwards, within the screen.
  await page.getByTestId('share').click();
  const pop = await box(page.getByRole('dialog', { name: 'Share this moment' }));
  expect(pop.y).toBeGreaterThanOrEqual(0);
  expect(pop.x).toBeGreaterThanOrEqual(0);
  expect(pop.x + pop.width).toBeLessThanOrEqual(390);
  await page.getByTestId('share').click();

  // The editor's Apply stays above the timeline.
  await page.getByTestId('tab-editor').click();
  const apply = await box(page.getByRole('button', { name: 'Apply', exact: true }));
  const strip = await box(page.getByTestId('bottom-strip'));
  expect(apply.y + apply.height).toBeLessThanOrEqual(strip.y);
  expect(errors).toEqual([]);
  expect(foreign).toEqual([]);
  await context.close();
});

test('a wide window keeps the panel beside the graph, the charts open', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  watchPage(page, baseURL);
  await open(page);
  const graph = await box(page.getByTestId('graph'));
  const panel = await box(page.getByRole('complementary', { name: 'Side panel' }));
  expect(panel.x).toBeGreaterThanOrEqual(graph.x + graph.width - 1);
  await expect(page.getByRole('button', { name: 'Hide the charts' })).toBeVisible();
  await context.close();
});
