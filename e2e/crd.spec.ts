/**
 * Custom resources in the graph, as a learner meets them in the crd scenario: the CRD and its Backups are
 * drawn as plain object cards in the Custom resources lane; an object applied and patched from the
 * terminal appears and changes on its card; clicking a card inspects it (live YAML); a hostile value is
 * shown as text; deleting the CRD takes the cards away. Screenshots in /tmp/crd-graph/ (light and dark).
 */
import { expect, test, type Page } from '@playwright/test';
import { watchPage } from './watch.ts';
import { setTheme } from './theme.ts';

test.describe.configure({ mode: 'serial' });

let page: Page;
let errors: string[] = [];
let foreign: string[] = [];

const card = (kind: string, name: string) => page.locator(`.react-flow__node [data-kind="${kind}"][data-name="${name}"]`);

const WEEKLY = `apiVersion: example.com/v1
kind: Backup
metadata:
  name: weekly
spec:
  schedule: "0 4 * * 0"
  retentionDays: 7
`;

test.beforeAll(async ({ browser, baseURL }) => {
  page = await browser.newPage({ viewport: { width: 1280, height: 720 }, colorScheme: 'light' });
  ({ errors, foreign } = watchPage(page, baseURL));
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
  expect(await page.evaluate(() => window.kubeplay.load('crd'))).toEqual([]);
  // Paused: 10 s of the timeline (the CRD applied, nightly stored; broken and unscheduled refused).
  await page.evaluate(() => window.kubeplay.advance(10_000));
});

test.afterAll(async () => {
  expect(errors).toEqual([]);
  expect(foreign).toEqual([]);
  await page.close();
});

test('the CRD and its Backup are drawn as object cards in the Custom resources lane', async () => {
  await expect(page.locator('[data-kind="Lane"][data-name="custom-resources"]')).toBeVisible();
  const crd = card('CustomResourceDefinition', 'backups.example.com');
  await expect(crd).toBeVisible();
  await expect(crd).toContainText('Backup · Namespaced');
  await expect(crd).toContainText('example.com');
  const nightly = card('Backup', 'nightly');
  await expect(nightly).toBeVisible();
  await expect(nightly).toHaveAttribute('data-namespace', 'default');
  await expect(nightly).toHaveAttribute('aria-label', 'Backup nightly in default: schedule: 0 3 * * *, retentionDays: 7, storage: disk');
  // The refused objects have no card.
  await expect(card('Backup', 'broken')).toHaveCount(0);
  await expect(card('Backup', 'unscheduled')).toHaveCount(0);
});

test('an object applied and patched from the terminal gets a card that follows it; clicking it inspects it', async () => {
  const applied = await page.evaluate((t) => window.kubeplay.apply(t), WEEKLY);
  expect(applied.exit).toBe(0);
  const weekly = card('Backup', 'weekly');
  await expect(weekly).toBeVisible();
  await expect(weekly).toContainText('weekly');
  await expect(weekly).toContainText('0 4 * * 0');
  await expect(card('CustomResourceDefinition', 'backups.example.com')).toHaveAttribute('aria-label', /objects: 2$/);

  const patched = await page.evaluate(() => window.kubeplay.exec(`kubectl patch backup weekly --type=merge -p '{"spec":{"retentionDays":30,"storage":"s3"}}'`));
  expect(patched).toEqual({ exit: 0, out: 'backup.example.com/weekly patched\n' });
  await expect(weekly).toContainText('30');
  await expect(weekly).toContainText('s3');
  const listed = await page.evaluate(() => window.kubeplay.exec('kubectl get backups'));
  expect(listed.out).toMatch(/^weekly\s+0 4 \* \* 0\s+30\s+s3\s/m);

  await weekly.getByRole('button', { name: 'Inspect Backup weekly' }).click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toHaveAttribute('data-inspected-kind', 'Backup');
  await expect(inspector).toHaveAttribute('data-inspected-name', 'weekly');
  await expect(page.getByTestId('inspector-yaml')).toContainText('retentionDays: 30');
  await expect(weekly).toHaveClass(/selected/);
  // The YAML is live: a label from the terminal shows up in it.
  expect((await page.evaluate(() => window.kubeplay.exec('kubectl label backup weekly team=ops'))).exit).toBe(0);
  await expect(page.getByTestId('inspector-yaml')).toContainText('team: ops');
});

test('a value written to look like markup is shown as text', async () => {
  const text = WEEKLY.replace('name: weekly', 'name: odd').replace('"0 4 * * 0"', '"<img src=x onerror=alert(1)><b>bold</b>"');
  expect((await page.evaluate((t) => window.kubeplay.apply(t), text)).exit).toBe(0);
  const odd = card('Backup', 'odd');
  await expect(odd).toBeVisible();
  await expect(odd).toContainText('<img src=x onerror=alert(1)><b>bold</b>');
  await expect(odd.locator('img, b')).toHaveCount(0);
});

test('screenshots at 1280×720 in light and dark', async () => {
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    await page.waitForTimeout(200);
    await page.screenshot({ path: `/tmp/crd-graph/crd-${theme}.png` });
  }
  // The lane is on screen at the fitted zoom, under nothing that floats over the graph.
  const lane = (await page.locator('[data-kind="Lane"][data-name="custom-resources"]').boundingBox())!;
  const graph = (await page.getByTestId('graph').boundingBox())!;
  expect(lane.y + lane.height).toBeLessThanOrEqual(graph.y + graph.height);
});

test('deleting an object removes its card; deleting the CRD removes the lane', async () => {
  expect((await page.evaluate(() => window.kubeplay.exec('kubectl delete backup odd'))).out).toBe('backup.example.com "odd" deleted\n');
  await expect(card('Backup', 'odd')).toHaveCount(0);
  // 12 s: the timeline deletes the CRD, and every Backup with it.
  await page.evaluate(() => window.kubeplay.advance(3_000));
  await expect(page.locator('[data-kind="Lane"][data-name="custom-resources"]')).toHaveCount(0);
  await expect(card('Backup', 'nightly')).toHaveCount(0);
  await expect(card('Backup', 'weekly')).toHaveCount(0);
});
