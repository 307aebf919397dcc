/**
 * The screens a person meets, checked with axe against WCAG 2.0/2.1 A and AA: the default scenario
 * after 20 simulated seconds, each side-panel tab, the dialogs (Library, Workspaces, Share, Compare), a
 * lesson's card, the Traffic view, the dark theme, Presenter mode, counted pod chips and a phone. Each screen is one soft
 * check, so a failing run lists every screen's violations with the rule, its help and where it is.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { setTheme } from './theme.ts';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** DENSE: 60 pods on two nodes, more than a box draws one by one (GROUP_THRESHOLD). */
const DENSE = `apiVersion: kubeplay.dev/v1alpha1
kind: Scenario
metadata: {name: dense}
spec:
  cluster:
    nodes:
      - {count: 2, namePrefix: worker-, capacity: {cpu: "8", memory: 16Gi, pods: "110"}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 60
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27, resources: {requests: {cpu: 10m}}}]
`;

/** scan runs axe on the page (or within `within`) and expects no violations, naming each one found. */
async function scan(page: Page, screen: string, within?: string): Promise<void> {
  let axe = new AxeBuilder({ page }).withTags(TAGS);
  if (within) axe = axe.include(within);
  const { violations } = await axe.analyze();
  const found = violations.map((v) => {
    const where = v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} (${(n.failureSummary ?? '').split('\n').slice(1).map((l) => l.trim()).join('; ')})`);
    return `${v.id}: ${v.help}, ${v.nodes.length}× — ${where.join('; ')}`;
  });
  expect.soft(found, `axe on ${screen}`).toEqual([]);
}

/** open is the default scenario in a fresh context (axe needs one per page), 20 simulated seconds in. */
async function open(browser: Browser, options: Parameters<Browser['newContext']>[0]): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
  await page.evaluate(() => window.kubeplay.advance(20_000));
  await expect(page.locator('[data-kind="Pod"][data-phase="Running"]')).toHaveCount(3);
  return page;
}

test('every desktop screen, in both themes and in Presenter mode, has no WCAG A/AA violations', async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await open(browser, { viewport: { width: 1280, height: 720 }, colorScheme: 'light' });
  const panel = 'aside.panel';
  await scan(page, 'the default scenario at 00:20');

  const input = page.getByTestId('terminal-input');
  await input.fill('kubectl get pods -o wide');
  await input.press('Enter');
  await expect(page.getByTestId('terminal-output')).toContainText('NOMINATED NODE');
  await scan(page, 'the Terminal tab with a wide table', panel);

  await page.locator('[data-kind="Pod"]').first().click();
  await expect(page.getByTestId('tab-inspector')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('inspector-yaml')).toContainText('kind: Pod');
  await expect(page.getByTestId('inspector-logs')).toBeVisible();
  await scan(page, 'the Inspector tab with a pod', panel);

  await page.getByTestId('tab-events').click();
  await expect(page.locator('tr[data-kind="Event"]').first()).toBeVisible();
  await scan(page, 'the Events tab', panel);

  await page.getByTestId('tab-rollout').click();
  await scan(page, 'the Rollout tab', panel);

  await page.getByTestId('tab-editor').click();
  await expect(page.locator('.monaco-editor .view-line').first()).toBeVisible({ timeout: 30_000 });
  await scan(page, 'the Editor tab', panel);
  await page.getByTestId('tab-terminal').click();

  await page.getByTestId('open-library').click();
  await expect(page.getByTestId('scenario-library')).toBeVisible();
  await scan(page, 'the Library dialog', '[data-testid="scenario-library"]');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('scenario-library')).toHaveCount(0);

  await page.getByTestId('open-workspaces').click();
  await expect(page.getByTestId('workspaces')).toBeVisible();
  await scan(page, 'the Workspaces dialog', '[data-testid="workspaces"]');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('workspaces')).toBeHidden();

  await page.getByTestId('share').click();
  await expect(page.getByRole('dialog', { name: 'Share this moment' })).toBeVisible();
  await scan(page, 'the Share popover', '[role="dialog"][aria-label="Share this moment"]');
  await page.getByTestId('share').click();

  await page.getByTestId('open-compare').click();
  await expect(page.getByRole('dialog', { name: 'Compare rollout strategies' })).toBeVisible();
  await scan(page, 'the Compare dialog', '[data-testid="compare-dialog"]');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('compare-dialog')).toHaveCount(0);

  await page.locator('[data-testid="view-toggle"] [data-view="traffic"]').click();
  await expect(page.locator('.react-flow')).toHaveAttribute('data-view', 'traffic');
  await expect(page.locator('.tpod').first()).toBeVisible();
  await scan(page, 'the Traffic view');
  await page.locator('[data-testid="view-toggle"] [data-view="cluster"]').click();

  await setTheme(page, 'dark');
  await scan(page, 'the dark theme');
  await page.getByTestId('tab-events').click();
  await scan(page, 'the dark theme’s Events tab', panel);
  await page.getByTestId('tab-terminal').click();

  const presenter = page.getByRole('button', { name: 'Presenter' });
  await presenter.click();
  await expect(page.locator('html')).toHaveAttribute('data-presenter', 'on');
  await scan(page, 'Presenter mode, dark');
  await setTheme(page, 'light');
  await scan(page, 'Presenter mode, light');
  await presenter.click();

  await page.getByTestId('open-library').click();
  await page.locator('[data-testid^="scenario-lessons/"]').first().click();
  await expect(page.getByTestId('lesson-progress')).toHaveText(/^Step 1 of \d+$/);
  await scan(page, 'a lesson’s card');
  await setTheme(page, 'dark');
  await scan(page, 'a lesson’s card, dark', '[data-testid="lesson-panel"]');

  // A big cluster draws a node's pods of one revision as one counted chip.
  expect(await page.evaluate((y) => window.kubeplay.load(y), DENSE)).toEqual([]);
  await page.evaluate(() => window.kubeplay.advance(30_000));
  await expect(page.locator('[data-kind="PodGroup"]').first()).toBeVisible();
  await scan(page, 'a node box with counted chips', '.react-flow__node:has([data-kind="PodGroup"])');
  await page.context().close();
});

test('the phone layout has no WCAG A/AA violations', async ({ browser }) => {
  const page = await open(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const input = page.getByTestId('terminal-input');
  await input.fill('kubectl get nodes');
  await input.press('Enter');
  await expect(page.getByTestId('terminal-output')).toContainText('worker-3');
  await scan(page, 'a phone, upright');
  await page.context().close();
});
