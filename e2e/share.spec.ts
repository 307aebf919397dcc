/**
 * Share links and saved work, as people use them: a teacher shares a canary demo mid-way and a
 * student opens the link in a fresh browser (same pods, same events, same moment); a reload keeps
 * the work; a hostile or broken link opens with its message and the default scenario; a read-only
 * link refuses changes.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { deflateSync } from 'fflate';
import { encodeShare, toBase64Url } from '../src/share/codec.ts';
import { SHARE_VERSION } from '../src/share/payload.ts';

const canary = readFileSync(new URL('../src/share/testdata/k8s-canary.yaml', import.meta.url), 'utf8');

/** settled waits until the page finished opening a link or restoring a workspace. */
async function settled(page: Page): Promise<void> {
  await page.evaluate(() => window.kubeplay.ready);
  await expect(page.locator('html')).toHaveAttribute('data-share', /done|error/);
}

/** observe is what must match between the original and the replay. */
async function observe(page: Page) {
  return page.evaluate(async () => ({
    t: window.kubeplay.time(),
    pods: (await window.kubeplay.run('kubectl get pods -A -o json')).out,
    events: (await window.kubeplay.run('kubectl get events -A')).out,
    rs: (await window.kubeplay.run('kubectl get rs -o wide')).out,
    traffic: (await window.kubeplay.run('kubeplay traffic stats')).out,
  }));
}

async function importScenario(page: Page, name: string, text: string): Promise<void> {
  await page.getByTestId('open-workspaces').click();
  await page.getByTestId('import-file').setInputFiles({ name, mimeType: 'text/yaml', buffer: Buffer.from(text) });
  await expect(page.getByTestId('workspaces')).toBeHidden();
}

test('a canary demo shared mid-way replays to the same moment in a fresh browser', async ({ browser }) => {
  const teacher = await browser.newContext();
  const page = await teacher.newPage();
  await page.goto('/');
  await settled(page);
  await page.getByTestId('open-library').click();
  await page.getByTestId('scenario-canary-plain.yaml').click();
  await expect(page.locator('[data-kind="Deployment"][data-name="canary-demo-stable"]')).toBeVisible();
  await page.evaluate(async () => {
    const k = window.kubeplay;
    await k.advance(35_000);
    await k.run('kubectl scale deployment/canary-demo-canary --replicas=2');
    await k.advance(10_250);
    await k.run('kubeplay node fail worker-2');
    await k.advance(4_000);
  });
  const original = await observe(page);
  expect(original.t).toBe(49.25); // time() is in simulated seconds
  expect(original.traffic).toMatch(/requests: [1-9]/);
  const url = await page.evaluate(() => window.kubeplay.share!());
  expect(url).toMatch(/#s=1\.[A-Za-z0-9_-]+$/);
  expect(url.length).toBeLessThan(2000);

  const student = await browser.newContext();
  const other = await student.newPage();
  await other.goto(url);
  await settled(other);
  await expect(other.locator('html')).toHaveAttribute('data-share', 'done');
  const replayed = await observe(other);
  expect(JSON.parse(replayed.pods).items.length).toBeGreaterThan(0);
  expect(replayed).toEqual(original);
  // The link's fragment is dropped once opened: a reload restores the student's own work instead.
  expect(new URL(other.url()).hash).toBe('');
  await teacher.close();
  await student.close();
});

test('a watch typed in the terminal is one command in the link: its polls are not replayed', async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto('/');
  await settled(page);
  await page.getByTestId('tab-terminal').click();
  await page.getByTestId('terminal-input').fill('kubectl get pods -w');
  await page.getByTestId('terminal-input').press('Enter');
  const watch = page.locator('.term-entry', { hasText: '$ kubectl get pods -w' });
  await expect(watch).toContainText(/NAME\s+READY/);
  // The watch polls as the clock moves (a poll per second here).
  for (let i = 0; i < 8; i++) {
    await page.evaluate(() => window.kubeplay.advance(1_000));
    await page.waitForTimeout(80);
  }
  const url = await page.evaluate(() => window.kubeplay.share!());
  const other = await (await browser.newContext()).newPage();
  await other.goto(url);
  await settled(other);
  await other.getByTestId('tab-terminal').click();
  // The student's terminal shows the one command typed, not a `kubectl get pods` per poll.
  await expect(other.locator('.term-entry', { hasText: '$ kubectl get pods -w' })).toHaveCount(1);
  await expect(other.locator('.term-entry', { hasText: /\$ kubectl get pods(?! -w)/ })).toHaveCount(0);
  await ctx.close();
  await other.context().close();
});

test('an imported scenario and the work done on it survive a reload', async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto('/');
  await settled(page);
  await importScenario(page, 'k8s-canary.yaml', canary);
  await expect(page.locator('[data-kind="Deployment"][data-name="shop-v2"]')).toBeVisible();
  await page.evaluate(async () => {
    const k = window.kubeplay;
    await k.advance(12_000);
    await k.run('kubectl scale deployment/shop-v2 --replicas=3');
    await k.advance(7_500);
    await k.run('kubectl get pods');
  });
  // A manifest over the size limit is refused, and is no part of the saved work or of a link to it.
  const huge = await page.evaluate(() => window.kubeplay.apply(`kind: ConfigMap\ndata:\n  a: ${'x'.repeat(2 * 1024 * 1024)}\n`));
  expect(huge).toEqual({ exit: 1, out: 'error: the manifest is 2097180 bytes; the limit is 2097152 bytes\n' });
  expect(await page.evaluate(() => window.kubeplay.share!().length)).toBeLessThan(10_000);
  const before = await observe(page);
  // The autosave runs shortly after each change.
  await page.waitForTimeout(1500);
  await page.reload();
  await settled(page);
  expect(await observe(page)).toEqual(before);
  await expect(page.getByText('not being saved')).toHaveCount(0);
  await page.getByTestId('open-workspaces').click();
  await expect(page.getByTestId('workspaces')).toContainText('k8s-canary');
  await page.keyboard.press('Escape');
  // A scenario with a mistake is refused with its file:line message, once, and the work stays where it was.
  await page.getByTestId('open-workspaces').click();
  await page.getByTestId('import-file').setInputFiles({ name: 'broken.yaml', mimeType: 'text/yaml', buffer: Buffer.from('apiVersion: kubeplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: broken\nspec:\n  seed: x\n') });
  await expect(page.getByTestId('share-message')).toHaveText(/^broken\.yaml:6: spec\.seed: Invalid value: "x": must be an integer/);
  await page.getByTestId('share-message').getByRole('button', { name: 'Dismiss' }).click();
  // A mistake only the worker checks (a timeline command kubectl would refuse) is refused the same way.
  await page.getByTestId('open-workspaces').click();
  await page.getByTestId('import-file').setInputFiles({ name: 'typo.yaml', mimeType: 'text/yaml', buffer: Buffer.from('apiVersion: kubeplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: typo\nspec:\n  timeline:\n    - {at: 1s, run: kubectl gett pods}\n') });
  await expect(page.getByTestId('share-message')).toHaveText(/^typo\.yaml:7: spec\.timeline\[0\]\.run: Invalid value: "kubectl gett pods": unknown command "gett" for "kubectl" \(did you mean get or set\?\)/);
  await expect(page.getByRole('alert')).toHaveCount(1);
  // The menu closes, so nothing hides the message; opened again, it lists no workspace for the broken file.
  await expect(page.getByTestId('workspaces')).toHaveCount(0);
  await page.getByTestId('open-workspaces').click();
  await expect(page.getByTestId('workspaces')).toContainText('k8s-canary');
  await expect(page.getByTestId('workspaces')).not.toContainText('broken');
  await expect(page.getByTestId('workspaces')).not.toContainText('typo');
  await page.keyboard.press('Escape');
  expect(await observe(page)).toEqual(before);
  await ctx.close();
});

test('a link to a late moment shows how far its replay got, and can be cancelled', async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const late = encodeShare({ v: SHARE_VERSION, scenario: canary, name: 'k8s-canary.yaml', actions: [], t: 10 * 24 * 3600 * 1000, presentation: {} });
  expect(late.ok).toBe(true);
  if (!late.ok) return;
  await page.goto(`/${late.fragment}`);
  const progress = page.getByTestId('replay-progress');
  await expect(progress).toContainText(/Replaying the share link: \d+:\d\d of 14400:00 simulated…/, { timeout: 20_000 });
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('share-message')).toContainText(/The replay of this share link was cancelled at \d+:\d\d of 14400:00: the default scenario is shown instead\./);
  await expect(progress).toHaveCount(0);
  await expect(page.locator('[data-kind="Deployment"][data-name="web"]')).toBeVisible();
  await ctx.close();
});

test('a hostile or broken link shows its message and the default scenario, and runs nothing', async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  for (const [hash, message] of [
    ['#s=<script>window.__pwned=1</script>', /not base64url/],
    ['#s=AAAA', /corrupt|ends early/],
    [`#s=${'A'.repeat(70_000)}`, /limit is 65536/],
    // A field's refusal is said once: not 'cannot be opened: the link cannot be opened: …'.
    [`#s=${toBase64Url(deflateSync(new TextEncoder().encode('{"v":99,"s":""}')))}`, /^This share link cannot be opened: the link's format version 99 is not supported: this Kubeplay reads versions 1 to 2\./],
  ] as const) {
    await page.goto('about:blank');
    await page.goto(`/${hash}`);
    await settled(page);
    await expect(page.getByTestId('share-message')).toContainText('This share link cannot be opened');
    await expect(page.getByTestId('share-message')).toContainText(message);
    await expect(page.locator('[data-kind="Node"]')).toHaveCount(3);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  }
  // Markup in names, commands and manifests stays text: nothing from a link is ever run or rendered as HTML.
  const hostile = encodeShare({
    v: SHARE_VERSION,
    scenario: canary.replace('name: k8s-canary', 'name: k8s-canary\n  annotations: {x: "<img src=x onerror=window.__pwned=1>"}'),
    name: '<img src=x onerror="window.__pwned=1">.yaml',
    actions: [{ t: 1000, kind: 'run', text: 'kubectl create namespace "<script>window.__pwned=1</script>"' }],
    t: 2000,
    presentation: {},
  });
  expect(hostile.ok).toBe(true);
  if (hostile.ok) {
    await page.goto('about:blank');
    await page.goto(`/${hostile.fragment}`);
    await settled(page);
    await page.getByRole('tab', { name: /terminal/i }).click().catch(() => undefined);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  }
  await ctx.close();
});

test('a read-only link refuses changes but allows looking, and stays so (and in presenter mode) after a reload', async ({ browser }) => {
  const teacher = await browser.newContext();
  const page = await teacher.newPage();
  await page.goto('/');
  await settled(page);
  await page.evaluate(() => window.kubeplay.advance(5000));
  await page.getByTestId('share').click();
  await page.getByLabel('read-only').check();
  await page.getByLabel('open in presenter mode').check();
  const url = await page.getByTestId('share-url').inputValue();
  const student = await browser.newContext();
  const ro = await student.newPage();
  await ro.goto(url);
  await settled(ro);
  for (const reloaded of [false, true]) {
    if (reloaded) {
      await ro.waitForTimeout(1500); // the autosave
      await ro.reload();
      await settled(ro);
    }
    await expect(ro.getByText('read-only', { exact: true })).toBeVisible();
    await expect(ro.locator('html')).toHaveAttribute('data-presenter', 'on');
    const del = await ro.evaluate(() => window.kubeplay.run('kubectl delete deployment web'));
    expect(del.exit).toBe(1);
    expect(del.out).toMatch(/read-only/);
    const get = await ro.evaluate(() => window.kubeplay.run('kubectl get deployment web'));
    expect(get.exit).toBe(0);
    // Buttons that would change the cluster are off, and say why.
    await ro.getByRole('tab', { name: /editor/i }).click();
    await expect(ro.getByTestId('editor-apply')).toBeDisabled();
    await expect(ro.getByTestId('editor-apply')).toHaveAttribute('title', /read-only/);
    await ro.getByRole('tab', { name: /rollout/i }).click();
    await expect(ro.getByRole('toolbar', { name: 'Rollout actions' }).getByRole('button').first()).toBeDisabled();
  }
  // A scenario of the viewer's own choosing is theirs to change.
  await ro.getByTestId('open-library').click();
  await ro.getByTestId('scenario-rolling-update.yaml').click();
  await expect(ro.getByTestId('scenario')).toHaveValue('rolling-update');
  await expect(ro.getByText('read-only', { exact: true })).toHaveCount(0);
  const scale = await ro.evaluate(() => window.kubeplay.run('kubectl scale deployment web --replicas=4'));
  expect(scale.exit).toBe(0);
  await teacher.close();
  await student.close();
});

test('the share popover closes with Escape and with a click elsewhere', async ({ page }) => {
  await page.goto('/');
  await settled(page);
  const popover = page.getByRole('dialog', { name: 'Share this moment' });
  await page.getByTestId('share').click();
  await expect(popover).toBeVisible();
  // Its own controls keep it open.
  await page.getByLabel('read-only').check();
  await expect(popover).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(popover).toHaveCount(0);
  await page.getByTestId('share').click();
  await expect(popover).toBeVisible();
  await page.getByTestId('graph').click({ position: { x: 20, y: 20 } });
  await expect(popover).toHaveCount(0);
});

test('picking another scenario from the library keeps the work done in this one, in its own workspace', async ({ page }) => {
  await page.goto('/');
  await settled(page);
  await page.evaluate(async () => {
    await window.kubeplay.advance(5_000);
    await window.kubeplay.run('kubectl scale deployment/web --replicas=5');
  });
  await page.getByTestId('open-library').click();
  await page.getByTestId('scenario-rolling-update.yaml').click();
  await expect(page.getByTestId('scenario')).toHaveValue('rolling-update');
  await page.waitForTimeout(1500); // the autosave
  await page.getByTestId('open-workspaces').click();
  const menu = page.getByTestId('workspaces');
  await expect(menu).toContainText('default');
  await expect(menu).toContainText('rolling-update');
  // The old workspace opens where it was: the scaled Deployment.
  await menu.locator('li', { has: page.locator('.kp-ws-name', { hasText: /^default$/ }) }).getByRole('button', { name: 'Open' }).click();
  await settled(page);
  await expect.poll(() => page.evaluate(async () => (await window.kubeplay.run('kubectl get deploy web -o jsonpath={.spec.replicas}')).out)).toBe('5');
});

test('a watching rollout status is followed again when the work is replayed: its lines come back after a reload', async ({ page }) => {
  await page.goto('/');
  await settled(page);
  await page.evaluate(() => window.kubeplay.load('rolling-update'));
  await page.evaluate(() => window.kubeplay.advance(31_000));
  const input = page.getByTestId('terminal-input');
  await input.fill('kubectl rollout status deployment/web');
  await input.press('Enter');
  const entry = page.locator('.term-entry', { hasText: '$ kubectl rollout status deployment/web' }).last();
  await expect(entry).toContainText('Waiting for deployment "web" rollout to finish');
  await page.evaluate(() => window.kubeplay.advance(60_000));
  await expect(entry).toContainText('deployment "web" successfully rolled out');
  const before = await entry.locator('.term-out').innerText();
  await page.waitForTimeout(1500); // the autosave
  await page.reload();
  await settled(page);
  const replayed = page.locator('.term-entry', { hasText: '$ kubectl rollout status deployment/web' }).last();
  await expect(replayed).toContainText('deployment "web" successfully rolled out');
  // Read again from the replayed cluster, second by second: the same lines.
  expect(await replayed.locator('.term-out').innerText()).toBe(before);
});
