/**
 * The Events tab, the Inspector's Edit and revision colours, as a person uses them: filter the events,
 * click one to inspect its object, edit a live Deployment's replicas and apply (and see the API server's
 * refusal of a bad value marked on its line), and see a canary's two revisions in clearly different
 * colours (light and dark screenshots in /tmp/tev/).
 */
import { expect, test, type Page } from '@playwright/test';
import { watchPage } from './watch.ts';
import { setTheme } from './theme.ts';

test.describe.configure({ mode: 'serial' });

let page: Page;
let errors: string[] = [];
let foreign: string[] = [];

test.beforeAll(async ({ browser, baseURL }) => {
  page = await browser.newPage({ viewport: { width: 1280, height: 720 }, colorScheme: 'light' });
  ({ errors, foreign } = watchPage(page, baseURL));
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
  await page.evaluate(() => window.kubeplay.advance(20_000));
  await expect(page.locator('[data-kind="Pod"][data-phase="Running"]')).toHaveCount(3);
});

test.afterAll(async () => {
  expect(errors).toEqual([]);
  expect(foreign).toEqual([]);
  await page.close();
});

const rows = () => page.locator('tr[data-kind="Event"]');

test('the events filter narrows the list; clicking an event inspects its object', async () => {
  await page.getByTestId('tab-events').click();
  await expect(rows().first()).toBeVisible();
  const all = await rows().count();
  expect(all).toBeGreaterThan(5);
  // kubectl get events' columns.
  await expect(page.locator('table.events thead')).toContainText('Last seen');
  await expect(page.locator('table.events thead')).toContainText('Object');

  await page.getByTestId('events-filter').fill('scheduled');
  await expect.poll(() => rows().count()).toBeLessThan(all);
  const scheduled = await rows().count();
  expect(scheduled).toBe(3);
  for (const r of await rows().all()) await expect(r).toContainText('Scheduled');
  await expect(page.getByTestId('events-count')).toHaveText(`3 of ${all} events`);

  // The kind filter: only Deployment events (none of them "Scheduled").
  await page.getByTestId('events-filter').fill('');
  await page.getByTestId('events-kind').selectOption('Deployment');
  await expect(rows().first()).toContainText('ScalingReplicaSet');
  for (const r of await rows().all()) await expect(r).toHaveAttribute('data-object', /^Deployment\//);
  await page.getByTestId('events-kind').selectOption('');
  // Warnings only: the healthy default cluster has none.
  await page.getByTestId('events-warnings').click();
  await expect(rows()).toHaveCount(0);
  await expect(page.getByText('No events match the filter.')).toBeVisible();
  await page.getByTestId('events-warnings').click();
  await expect(rows()).toHaveCount(all);

  await page.getByTestId('events-filter').fill('Scheduled');
  await page.screenshot({ path: '/tmp/tev/events-light.png' });
  const first = rows().first();
  const obj = (await first.getAttribute('data-object'))!;
  const name = obj.split('/')[1];
  await first.click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toHaveAttribute('data-inspected-kind', 'Pod');
  await expect(inspector).toHaveAttribute('data-inspected-name', name);
  await expect(page.locator(`.pod-chip[data-kind="Pod"][data-name="${name}"]`)).toHaveClass(/selected/);
});

test('Inspector → Edit → change replicas → Apply: the graph shows the new count', async () => {
  await page.locator('[data-kind="Deployment"][data-name="web"]').getByRole('button', { name: 'Inspect deployment web' }).click();
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-inspected-kind', 'Deployment');
  await page.getByTestId('inspector-edit').click();
  const editor = page.getByTestId('monaco');
  await expect(editor.locator('.view-lines')).toContainText('kubectl edit deployment.apps/web', { timeout: 30_000 });
  await expect(editor.locator('.view-lines')).toContainText(/replicas:.?3/);
  await expect(editor.locator('.view-lines')).not.toContainText('resourceVersion');
  await expect(editor.locator('.view-lines')).not.toContainText('status:');
  // Find "replicas: 3" (Ctrl+F), close the find widget with the match selected, type over it.
  // Type into the find box only once it is open and has the focus. On a busy machine, just after the
  // editor's first load, the keys went into the manifest, or Ctrl+F was lost; a person tries again.
  await expect(async () => {
    await editor.locator('.view-lines').click();
    await page.keyboard.press('ControlOrMeta+f');
    await expect(editor.getByRole('textbox', { name: 'Find' })).toBeFocused({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await page.keyboard.type('replicas: 3');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.keyboard.insertText('replicas: 5');
  // (Monaco draws the space between words as a whitespace marker: match any one character.)
  await expect(editor.locator('.view-lines')).toContainText(/replicas:.?5/);
  await page.screenshot({ path: '/tmp/tev/edit-light.png' });
  await page.getByTestId('editor-apply').click();
  await expect(page.getByTestId('editor-result')).toContainText('deployment.apps/web configured');
  const card = page.locator('[data-kind="Deployment"][data-name="web"]');
  await expect(card).toHaveAttribute('aria-label', /\/5 ready/);
  await page.evaluate(() => window.kubeplay.advance(20_000));
  await expect(card).toHaveAttribute('aria-label', 'Deployment web, 5/5 ready');
  await expect(page.locator('[data-kind="Pod"][data-phase="Running"]')).toHaveCount(5);

  // The API server refuses a negative count: its error is marked on the replicas line. (As above: the
  // find box must have the focus before the search is typed, or the keys land in the manifest.)
  await expect(async () => {
    await editor.locator('.view-lines').click();
    await page.keyboard.press('ControlOrMeta+f');
    await expect(editor.getByRole('textbox', { name: 'Find' })).toBeFocused({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await page.keyboard.type('replicas: 5');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.keyboard.insertText('replicas: -1');
  await expect(editor.locator('.view-lines')).toContainText(/replicas:.?-1/);
  await page.getByTestId('editor-apply').click();
  await expect(page.getByTestId('editor-result')).toContainText('The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  await expect(page.getByTestId('editor-problems')).toContainText('line 14: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  await expect(editor.locator('.squiggly-error').first()).toBeAttached();
  await page.screenshot({ path: '/tmp/tev/edit-invalid-light.png' });
  await expect(card).toHaveAttribute('aria-label', 'Deployment web, 5/5 ready');

  // Edit on another object replaces the text as an edit: Ctrl+Z in the editor brings the draft back.
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.insertText('\n# my draft');
  await page.locator('[data-kind="Service"][data-name="web"]').getByRole('button', { name: 'Inspect Service web' }).click();
  await page.getByTestId('inspector-edit').click();
  await expect(editor.locator('.view-lines')).toContainText('kubectl edit service/web', { timeout: 30_000 });
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+z');
  await page.keyboard.press('ControlOrMeta+End');
  await expect(editor.locator('.view-lines')).toContainText('# my draft');
});

test('a canary’s stable and canary revisions have clearly different colours, in both themes', async () => {
  const problems = await page.evaluate(() => window.kubeplay.load('argo-canary-nginx'));
  expect(problems).toEqual([]);
  await page.evaluate(() => window.kubeplay.advance(60_000));
  const ro = page.locator('[data-kind="Rollout"][data-name="shop"]');
  await expect(ro).toBeVisible();
  const rsRows = ro.locator('[data-kind="ReplicaSet"]');
  await expect(rsRows).toHaveCount(2);
  const colors = await rsRows.evaluateAll((els) => els.map((e) => ({ label: e.textContent, color: e.getAttribute('data-revision-color') })));
  const stable = colors.find((c) => c.label?.includes('(stable)'))!;
  const canary = colors.find((c) => c.label?.includes('(canary)'))!;
  expect(stable.color).toBeTruthy();
  expect(canary.color).toBeTruthy();
  expect(stable.color).not.toBe(canary.color);
  // Pods wear their ReplicaSet's colour: two colours among the rollout's pods, the same two.
  const podColors = await page.locator('[data-kind="Pod"][data-name^="shop-"]').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-revision-color')))].sort());
  expect(podColors).toEqual([stable.color, canary.color].sort());
  // "Clearly different": far apart in RGB, not two shades of one hue.
  const rgb = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
  const [a, b] = [rgb(stable.color!), rgb(canary.color!)];
  expect(Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])).toBeGreaterThan(150);
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    await page.waitForTimeout(200);
    await page.screenshot({ path: `/tmp/tev/canary-${theme}.png` });
  }
});
