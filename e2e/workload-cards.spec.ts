/**
 * StatefulSets, DaemonSets, CronJobs and Jobs in the Cluster view, as a learner meets them in the
 * statefulset and job-batch scenarios: each has a card with kubectl's READY/COMPLETIONS figure; a
 * StatefulSet's partitioned update shows its current and update revisions as rows in the colours of
 * their pods; clicking a row inspects the ControllerRevision; with Owners on, edges run from the rows
 * (and from a Job's card) to the pods; the Storage lane shows claims and the volumes they are bound to.
 * Screenshots in /tmp/workload-cards/ (light and dark).
 */
import { expect, test, type Page } from '@playwright/test';
import { watchPage } from './watch.ts';
import { setTheme } from './theme.ts';

test.describe.configure({ mode: 'serial' });

let page: Page;
let errors: string[] = [];
let foreign: string[] = [];

const card = (kind: string, name: string) => page.locator(`.react-flow__node [data-kind="${kind}"][data-name="${name}"]`);

test.beforeAll(async ({ browser, baseURL }) => {
  page = await browser.newPage({ viewport: { width: 1280, height: 720 }, colorScheme: 'light' });
  ({ errors, foreign } = watchPage(page, baseURL));
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
});

test.afterAll(async () => {
  expect(errors).toEqual([]);
  expect(foreign).toEqual([]);
  await page.close();
});

test("a StatefulSet's partitioned update: its card shows both revisions, in their pods' colours", async () => {
  expect(await page.evaluate(() => window.kubeplay.load('statefulset'))).toEqual([]);
  await page.evaluate(() => window.kubeplay.advance(150_000));
  const sts = card('StatefulSet', 'db');
  await expect(sts).toBeVisible();
  await expect(sts).toContainText('2/2');
  await expect(sts).toContainText('1/2 updated · partition 1');
  const rows = sts.locator('[data-kind="ControllerRevision"]');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('rev 1 · current');
  await expect(rows.nth(1)).toContainText('rev 2 · update');
  // db-0 stays on revision 1 (below the partition), db-1 runs revision 2: each in its row's colour.
  for (const [i, pod] of [
    [0, 'db-0'],
    [1, 'db-1'],
  ] as const) {
    const color = await rows.nth(i).getAttribute('data-revision-color');
    const chip = page.locator(`[data-kind="Pod"][data-name="${pod}"]`);
    await expect(chip).toHaveAttribute('data-revision-color', color!);
  }
  await rows.nth(1).click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toHaveAttribute('data-inspected-kind', 'ControllerRevision');
  await expect(page.getByTestId('inspector-yaml')).toContainText('revision: 2');
});

test('Owners draws an edge from each revision row to its pod', async () => {
  await page.getByRole('button', { name: /owners/i }).click();
  await expect(page.locator('.react-flow__edge[aria-label^="StatefulSet db (revision 1) owns pod db-0"]')).toHaveCount(1);
  await expect(page.locator('.react-flow__edge[aria-label^="StatefulSet db (revision 2) owns pod db-1"]')).toHaveCount(1);
  await page.getByRole('button', { name: /owners/i }).click();
});

test('Jobs and a CronJob: a card each, with kubectl COMPLETIONS and STATUS, the CronJob listing its Jobs', async () => {
  expect(await page.evaluate(() => window.kubeplay.load('job-batch'))).toEqual([]);
  await page.evaluate(() => window.kubeplay.advance(200_000));
  await expect(card('Job', 'pi')).toContainText('4/4');
  await expect(card('Job', 'pi')).toContainText('Complete');
  await expect(card('Job', 'shards')).toContainText('3/3');
  const cron = card('CronJob', 'report');
  await expect(cron).toBeVisible();
  await expect(cron.locator('[data-kind="Job"]').first()).toContainText(/job \d+ · (Complete|Running)/);
  await card('Job', 'pi').getByRole('button', { name: 'Inspect job pi' }).click();
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-inspected-kind', 'Job');
});

test('the Storage lane: each claim with the volume it is bound to, and the volumes no claim holds', async () => {
  expect(await page.evaluate(() => window.kubeplay.load('storage'))).toEqual([]);
  await page.evaluate(() => window.kubeplay.advance(11_000));
  const lane = page.locator('[data-kind="Lane"][data-name="storage"]');
  await expect(lane).toBeVisible();
  await expect(lane).toContainText('1 claim, 3 volumes');
  const claim = page.locator('.react-flow__node [data-kind="PersistentVolumeClaim"][data-name="data"]');
  await expect(claim).toContainText(/Bound · pvc-/);
  await expect(claim).toContainText('1Gi RWO · class fast');
  await expect(page.locator('.react-flow__node [data-kind="PersistentVolume"][data-name="pv-big"]')).toContainText('Available');
  await expect(page.locator('.react-flow__node [data-kind="PersistentVolume"][data-name="pv-small"]')).toContainText('Released · default/manual');
  // The dynamically provisioned volume is named on its claim's card, not drawn again.
  await expect(page.locator('.react-flow__node [data-kind="PersistentVolume"][data-name^="pvc-"]')).toHaveCount(0);
  await claim.getByRole('button', { name: 'Inspect PersistentVolumeClaim data' }).click();
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-inspected-kind', 'PersistentVolumeClaim');
  await page.screenshot({ path: '/tmp/workload-cards/storage.png' });
});

test('screenshots at 1280×720 in light and dark', async () => {
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    await page.waitForTimeout(200);
    await page.screenshot({ path: `/tmp/workload-cards/jobs-${theme}.png` });
  }
});
