/**
 * What the audit of the playground and the library fixed, as a person sees it: the drawing never lies
 * under the floating toolbar or the zoom controls at 1280×720; the library has the pod lifecycle, the
 * scheduler and the Service types scenarios; new pods grow in and terminating ones fade; a share link
 * can ask for a theme and for the Rollout tab; a bad link pasted into a running page says what stays;
 * Escape closes the library and workspaces dialogs.
 */
import { expect, test, type Page } from '@playwright/test';

async function settled(page: Page): Promise<void> {
  await page.evaluate(() => window.kubeplay.ready);
  await expect(page.locator('html')).toHaveAttribute('data-share', /done|error/);
}

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** expectClear checks the Unscheduled lane (the drawing's lowest part) is under neither floating control. */
async function expectClear(page: Page): Promise<void> {
  // AutoFit runs on the next animation frame after the drawing changes.
  await page.waitForTimeout(300);
  const lane = (await page.locator('[data-kind="Lane"]').boundingBox())!;
  const toolbar = (await page.locator('.kp-toolbar').boundingBox())!;
  const controls = (await page.locator('.react-flow__controls').boundingBox())!;
  expect(overlaps(lane, toolbar)).toBe(false);
  expect(overlaps(lane, controls)).toBe(false);
}

test('the library has the lifecycle, scheduler and Service types scenarios, each drawn clear of the controls', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await ctx.newPage();
  await page.goto('/');
  await settled(page);
  await expectClear(page);
  const cases = [
    { file: 'pod-lifecycle.yaml', title: 'Pods and the pod lifecycle', level: 'beginner', phase: 'CrashLoopBackOff' },
    { file: 'scheduling.yaml', title: 'Scaling and the scheduler', level: 'intermediate', phase: 'Pending' },
    { file: 'service-types.yaml', title: 'Service types and kube-proxy load balancing', level: 'intermediate', phase: 'Running' },
  ];
  for (const c of cases) {
    await page.getByTestId('open-library').click();
    const item = page.getByTestId(`scenario-${c.file}`);
    await expect(item).toContainText(c.title);
    await expect(item).toContainText(c.level);
    await item.click();
    await expect(page.getByTestId('scenario')).toHaveValue(c.file.replace(/\.yaml$/, ''));
    await page.evaluate(() => window.kubeplay.advance(55_000));
    await expect(page.locator(`[data-kind="Pod"][data-phase="${c.phase}"]`).first()).toBeVisible();
    await expectClear(page);
  }
  // Escape closes the library and the workspaces dialogs; the library's filter has the focus.
  await page.getByTestId('open-library').click();
  await expect(page.getByRole('searchbox', { name: 'Filter scenarios' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('scenario-library')).toBeHidden();
  await page.getByTestId('open-workspaces').click();
  await expect(page.getByTestId('workspaces')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('workspaces')).toBeHidden();
  // Presenter mode zooms the drawing in, still clear of the controls.
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expectClear(page);
  await ctx.close();
});

test('a new pod grows in and a terminating one fades', async ({ browser }) => {
  const ctx = await browser.newContext({ reducedMotion: 'no-preference' });
  const page = await ctx.newPage();
  await page.goto('/');
  await settled(page);
  await page.evaluate(() => window.kubeplay.advance(20_000));
  const chip = page.locator('[data-kind="Pod"]').first();
  expect(await chip.evaluate((e) => getComputedStyle(e).animationName)).toBe('kp-chip-in');
  await page.evaluate(() => window.kubeplay.run('kubectl delete pod --all --wait=false'));
  const terminating = page.locator('[data-kind="Pod"][data-phase="Terminating"]').first();
  await expect(terminating).toBeVisible();
  await expect.poll(() => terminating.evaluate((e) => getComputedStyle(e).opacity)).toBe('0.5');
  await ctx.close();
});

test('a share link asks for a theme, the traffic view and the Rollout tab; a bad pasted link says the cluster stays', async ({ browser }) => {
  const ctx = await browser.newContext({ colorScheme: 'light' });
  const page = await ctx.newPage();
  await page.goto('/');
  await settled(page);
  await page.getByTestId('tab-rollout').click();
  await page.getByRole('button', { name: /Switch to dark/ }).click();
  await page.getByRole('button', { name: 'Traffic', exact: true }).click();
  await page.getByTestId('share').click();
  // The open panel and the view are asked for by default; the theme is the sharer's choice.
  await expect(page.getByLabel('open the rollout panel')).toBeChecked();
  await expect(page.getByTestId('share-view')).toBeChecked();
  await page.getByTestId('share-theme').check();
  await expect(page.getByText('open in the traffic view')).toBeVisible();
  const url = await page.getByTestId('share-url').inputValue();

  const viewer = await browser.newContext({ colorScheme: 'light' });
  const other = await viewer.newPage();
  await other.goto(url);
  await settled(other);
  await expect(other.locator('html')).toHaveAttribute('data-share', 'done');
  await expect(other.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(other.getByTestId('tab-rollout')).toHaveAttribute('aria-selected', 'true');
  await expect(other.getByRole('button', { name: 'Traffic', exact: true })).toHaveAttribute('aria-pressed', 'true');

  // Pasted into the running page: the cluster it shows stays, and the message says so, over the graph only.
  await other.evaluate(() => window.kubeplay.load('scheduling'));
  await other.evaluate(() => (window.location.hash = '#s=1.AAAA'));
  const message = other.getByTestId('share-message');
  await expect(message).toContainText('The current scenario stays as it was.');
  await expect(other.getByTestId('scenario')).toHaveValue('scheduling');
  const m = (await message.boundingBox())!;
  const tabs = (await other.locator('.tabs').boundingBox())!;
  expect(overlaps(m, tabs)).toBe(false);
  await ctx.close();
  await viewer.close();
});
