/**
 * The Rollout tab as a user works with it: an Argo canary played until it pauses at step 1 shows the
 * current step highlighted and the set weight beside the weight measured from the traffic; Promote sends
 * the plugin's command through the terminal and the steps move on. A Deployment mid rolling update shows
 * the controller's arithmetic (maxSurge and maxUnavailable resolved from 25% of 10, what may start and
 * stop now and why). Screenshots of both themes at 1280x720.
 */
import { expect, test, type Page } from '@playwright/test';

const errors: string[] = [];

async function open(page: Page): Promise<void> {
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
}

/** shoot saves the page in the light and the dark theme, switched with the top bar's button. */
async function shoot(page: Page, name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    const toggle = page.getByRole('button', { name: `Switch to ${theme} theme` });
    if (await toggle.isVisible()) await toggle.click();
    await expect(page.locator(`html[data-theme="${theme}"]`)).toHaveCount(1);
    await page.screenshot({ path: test.info().outputPath(`${name}-${theme}.png`) });
  }
}

test.beforeEach(() => {
  errors.length = 0;
});

test('an Argo canary: the paused step, set vs measured weight, and Promote', async ({ page }) => {
  await open(page);
  expect(await page.evaluate(() => window.kubeplay.load('argo-canary-nginx'))).toEqual([]);
  // Play fast until the card says the rollout paused at step 1 (the image changes at 30s).
  const card = page.locator('[data-kind="Rollout"][data-name="shop"]');
  await page.evaluate(() => window.kubeplay.play(20));
  await expect(card).toContainText('Paused · step 1/4', { timeout: 30_000 });
  await page.evaluate(() => window.kubeplay.pause());
  // The step-1 pause has no duration: 10 more seconds fill the 5 s traffic window with canary requests
  // (right at the pause the window still holds seconds from before the canary pod was Ready).
  await page.evaluate(() => window.kubeplay.advance(10_000));

  await page.getByTestId('tab-rollout').click();
  const panel = page.getByTestId('rollout-panel');
  await expect(panel).toHaveAttribute('data-name', 'shop');
  await expect(panel.getByTestId('ro-phase')).toHaveText('Paused · step 1/4');
  const current = panel.locator('[aria-current="step"]');
  await expect(current).toHaveCount(1);
  await expect(current).toContainText('1pause');
  await expect(panel.locator('.ro-step.done')).toHaveText(['✓0setWeight: 20 (done)']);
  await expect(panel.getByRole('row', { name: /canary/ })).toContainText('shop:v2');
  await expect(panel.getByRole('row', { name: /stable/ })).toContainText('shop:v1');

  // Set weight 20%; measured from the requests the canary and stable pods served (about a fifth).
  const weights = panel.getByTestId('ro-weights');
  await expect(weights).toContainText(/set weight 20% · measured \d+(\.\d)?%/);
  const measured = Number(await weights.getAttribute('data-measured'));
  expect(measured).toBeGreaterThan(10);
  expect(measured).toBeLessThan(30);

  // Only what applies is enabled, with the reason on the others.
  await expect(panel.getByTestId('ro-action-retry')).toBeDisabled();
  await expect(panel.getByTestId('ro-action-retry')).toHaveAttribute('title', 'Not now: only an aborted rollout can be retried');
  await expect(panel.getByTestId('ro-action-resume')).toBeDisabled();
  await expect(panel.getByTestId('ro-action-abort')).toBeEnabled();
  await shoot(page, 'rollout-panel-canary');

  await panel.getByTestId('ro-action-promote').click();
  await expect(panel.getByTestId('ro-last')).toContainText("$ kubectl argo rollouts promote shop -n default");
  await expect(panel.getByTestId('ro-last')).toContainText("rollout 'shop' promoted");
  await page.evaluate(() => window.kubeplay.advance(10_000));
  await expect(current).toContainText('3pause: 30s');
  await expect(panel.locator('.ro-step.done')).toHaveCount(3);
  await expect(weights).toContainText('set weight 50%');

  // The button went through the terminal: the line is there, with its output.
  await page.getByTestId('tab-terminal').click();
  await expect(page.locator('.terminal')).toContainText('kubectl argo rollouts promote shop -n default');
  await expect(page.locator('.terminal')).toContainText("rollout 'shop' promoted");
  expect(errors).toEqual([]);
});

test('at 1024×768 in Presenter mode a timed pause step keeps its words whole and the ReplicaSets fit the panel', async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  await open(page);
  await page.getByRole('button', { name: 'Presenter' }).click();
  expect(await page.evaluate(() => window.kubeplay.load('argo-canary'))).toEqual([]);
  await page.locator('[data-kind="Rollout"][data-name="shop"]').click();
  await page.getByTestId('tab-rollout').click();
  // At 1:25 the rollout is in its 30 s pause (step 3): the panel is 284 px wide.
  await page.evaluate(() => window.kubeplay.seek(85));
  const current = page.getByTestId('rollout-panel').locator('[aria-current="step"]');
  await expect(current).toContainText('3pause: 30s');
  await expect(current.locator('.ro-step-left')).toHaveText(/^\d+s left$/);
  // "pause: 30s" and "8s left" each on one line (they broke into two words over two lines each).
  for (const part of [current.locator('code'), current.locator('.ro-step-left')]) {
    const lines = await part.evaluate((e) => e.getClientRects().length);
    const box = (await part.boundingBox())!;
    const lineHeight = await part.evaluate((e) => parseFloat(getComputedStyle(e).fontSize) * 1.6);
    expect(lines).toBe(1);
    expect(box.height).toBeLessThan(lineHeight);
  }
  // Blue/green just after promotion: the old ReplicaSet's row says "scale-down in 28s". The table still fits
  // the panel: image and ready in sight, each colour beside its name, nothing to scroll sideways.
  expect(await page.evaluate(() => window.kubeplay.load('argo-bluegreen'))).toEqual([]);
  await page.locator('.react-flow__node [data-kind="Rollout"][data-name="shop"]').first().click();
  await page.getByTestId('tab-rollout').click();
  await page.evaluate(() => window.kubeplay.seek(62));
  const panel = page.getByTestId('rollout-panel');
  const table = page.getByTestId('ro-replicasets');
  const old = table.getByRole('row', { name: /scale-down in/ });
  await expect(old).toContainText('shop:blue');
  expect(await panel.evaluate((e) => e.scrollWidth - e.clientWidth)).toBeLessThanOrEqual(0);
  const tableBox = (await table.boundingBox())!;
  const panelBox = (await panel.boundingBox())!;
  expect(tableBox.x + tableBox.width).toBeLessThanOrEqual(panelBox.x + panelBox.width);
  const swatch = (await old.locator('.swatch').boundingBox())!;
  const name = (await old.locator('.ro-rs-name').boundingBox())!;
  expect(Math.abs(swatch.y + swatch.height / 2 - (name.y + name.height / 2))).toBeLessThan(6);
  await page.close();
  expect(errors).toEqual([]);
});

const API = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 10
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: nginx
          image: nginx:1.25
          resources:
            requests: {cpu: 50m, memory: 32Mi}
`;

test('a Deployment rolling update: the arithmetic of the current step', async ({ page }) => {
  await open(page);
  expect(await page.evaluate(() => window.kubeplay.load('rolling-update'))).toEqual([]);
  expect((await page.evaluate((t) => window.kubeplay.apply(t), API)).exit).toBe(0);
  await page.evaluate(() => window.kubeplay.advance(20_000));
  await page.getByTestId('tab-rollout').click();
  // Two Deployments and nothing selected: the tab says how to pick one.
  await expect(page.getByTestId('rollout-hint')).toContainText('2 Deployments: click one');
  await page.locator('[data-kind="Deployment"][data-name="api"] .card-head').click();
  const panel = page.getByTestId('rollout-panel');
  await expect(panel).toHaveAttribute('data-name', 'api');
  await expect(panel.getByTestId('ro-phase')).toHaveText('Complete');

  const r = await page.evaluate(() => window.kubeplay.run('kubectl set image deployment/api nginx=nginx:1.26'));
  expect(r.out).toBe('deployment.apps/api image updated\n');
  // The controller surged to 13 pods at once and took 2 old ones away; now it waits for new pods.
  await expect(panel.getByTestId('ro-maxsurge')).toHaveText('25% of 10 = 2.5 → rounds up to 3');
  await expect(panel.getByTestId('ro-maxunavailable')).toHaveText('25% of 10 = 2.5 → rounds down to 2');
  const explain = panel.getByTestId('ro-explain');
  await expect(explain).toContainText('max total pods10 + 3 = 13');
  await expect(explain).toContainText('min available10 − 2 = 8');
  await expect(panel.getByTestId('ro-scaleup')).toHaveText('0 new — total 13 = 10 + 3 maxSurge: no room');
  await expect(panel.getByTestId('ro-scaledown')).toHaveText('0 old — 13 total − 8 minAvailable − 5 new not yet available = 0: none may go until new pods become Ready');
  await expect(panel.getByTestId('ro-next')).toHaveText('wait for new pods to become Ready');
  await expect(panel.getByRole('row', { name: /new/ })).toContainText('nginx:1.26');
  await shoot(page, 'rollout-panel-deployment');

  // Pause through the panel: the terminal's command, and the buttons follow.
  await panel.getByTestId('ro-action-pause').click();
  await expect(panel.getByTestId('ro-last')).toContainText('deployment.apps/api paused');
  await expect(panel.getByTestId('ro-phase')).toHaveText('Paused');
  await expect(panel.getByTestId('ro-action-resume')).toBeEnabled();
  await expect(panel.getByTestId('ro-action-undo')).toHaveAttribute('title', 'Not now: the deployment is paused: Resume it first');
  await panel.getByTestId('ro-action-resume').click();
  await expect(panel.getByTestId('ro-last')).toContainText('$ kubectl rollout resume deployment/api -n default');
  await page.evaluate(() => window.kubeplay.advance(90_000));
  await expect(panel.getByTestId('ro-phase')).toHaveText('Complete');
  await expect(panel.getByTestId('ro-failing')).toHaveCount(0);

  // A template whose container exits at once: the panel names the failing new pods and what happens next.
  await page.evaluate(() =>
    window.kubeplay.run(`kubectl patch deployment api --type=json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"busybox:1.36"},{"op":"add","path":"/spec/template/spec/containers/0/command","value":["sh","-c","exit 1"]}]'`),
  );
  await page.evaluate(() => window.kubeplay.advance(30_000));
  await expect(panel.getByTestId('ro-failing')).toContainText(/New pods are failing, so they will not become Ready: api-\S+ (CrashLoopBackOff|Error)/);
  await expect(panel.getByTestId('ro-failing')).toContainText('after 600s without progress it is marked ProgressDeadlineExceeded');
  await panel.getByTestId('ro-action-undo').click();
  await page.evaluate(() => window.kubeplay.advance(60_000));
  await expect(panel.getByTestId('ro-phase')).toHaveText('Complete');
  await expect(panel.getByTestId('ro-failing')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('blue/green after promotion: the card counts AVAILABLE of DESIRED and the old ReplicaSet counts down to its scale-down', async ({ page }) => {
  await open(page);
  await page.evaluate(() => window.kubeplay.load('argo-bluegreen'));
  await page.evaluate(() => window.kubeplay.advance(70_000));
  const card = page.locator('[data-kind="Rollout"][data-name="shop"]').first();
  // 3 of 3 available (readyReplicas counts the old ReplicaSet's pods too while they wait: 6).
  await expect(card.locator('.card-head .card-stat')).toHaveText('3/3');
  await expect(card).toContainText(/scale-down in \d+s/);
  expect(errors).toEqual([]);
});
