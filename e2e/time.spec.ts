/**
 * Time, as a person uses it: a rolling update is triggered, finishes, and is rewound with the mouse on
 * the scrubber to before the update, where the old pods are drawn again and kubectl lists them; the
 * scrubber marks the action; the two steps, the speeds and the keyboard move the clock.
 */
import { expect, test, type Page } from '@playwright/test';
import { setTheme } from './theme.ts';

test.describe.configure({ mode: 'serial' });

let page: Page;
const errors: string[] = [];

/** drawnPods are the names of the pod chips on the graph. */
async function drawnPods(): Promise<string[]> {
  return (await page.locator('.react-flow__node [data-kind="Pod"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-name') ?? ''))).sort();
}

/** listedPods are the names `kubectl get pods` prints. */
async function listedPods(): Promise<string[]> {
  const r = await page.evaluate(() => window.kubeplay.exec('kubectl get pods'));
  expect(r.exit).toBe(0);
  return r.out
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(/\s+/)[0])
    .sort();
}

const now = () => page.evaluate(() => window.kubeplay.time());

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

let oldPods: string[] = [];

test('a rolling update runs to the end and the scrubber marks the action', async () => {
  expect(await page.evaluate(() => window.kubeplay.load('rolling-update'))).toEqual([]);
  // The scenario's own rollout (to nginx:1.26 at 30 s) is over by 100 s.
  await page.evaluate(() => window.kubeplay.advance(100_000));
  expect(await now()).toBe(100);
  await expect(page.locator('.react-flow__node [data-kind="Pod"]')).toHaveCount(4);
  oldPods = await drawnPods();
  expect(await listedPods()).toEqual(oldPods);

  const r = await page.evaluate(() => window.kubeplay.exec('kubectl set image deployment/web nginx=nginx:1.27'));
  expect(r).toEqual({ exit: 0, out: 'deployment.apps/web image updated\n' });
  await page.evaluate(() => window.kubeplay.advance(60_000));
  const status = await page.evaluate(() => window.kubeplay.exec('kubectl rollout status deployment/web'));
  expect(status.out).toContain('successfully rolled out');
  await expect.poll(drawnPods).not.toEqual(oldPods);
  const newPods = await drawnPods();
  expect(newPods.filter((n) => oldPods.includes(n))).toEqual([]);

  const scrubber = page.getByTestId('scrubber');
  await expect(scrubber).toHaveAttribute('aria-valuenow', '160');
  await expect(scrubber).toHaveAttribute('aria-valuemax', '160');
  const action = page.locator('[data-testid="scrubber-marker"][data-kind="run"]');
  await expect(action).toHaveCount(1);
  await expect(action).toHaveAttribute('data-t', '100000');
  await expect(action).toHaveAttribute('data-text', /kubectl set image deployment\/web nginx=nginx:1\.27/);
  // The scenario's steps and the rollouts are marked too.
  await expect(page.locator('[data-testid="scrubber-marker"][data-text*="Rollout finished: deployment/web (revision 3)"]')).toHaveCount(1);
  await action.hover();
  await expect(page.getByTestId('scrubber-tooltip')).toContainText('1:40');
  await expect(page.getByTestId('scrubber-tooltip')).toContainText('kubectl set image deployment/web nginx=nginx:1.27');
});

test('dragging the scrubber back to before the update draws the old pods again', async () => {
  const box = (await page.getByTestId('scrubber').boundingBox())!;
  const xAt = (s: number) => box.x + (s / 160) * box.width;
  const y = box.y + box.height - 6;
  // Grab the handle at the end, on its right half (over the end time), and drag it back to 1:35, as a person would.
  await page.mouse.move(xAt(160) + 4, y);
  await page.mouse.down();
  for (const s of [150, 130, 110, 95]) await page.mouse.move(xAt(s), y, { steps: 3 });
  await page.mouse.up();
  await expect.poll(now).toBeLessThan(100);
  const t = await now();
  expect(t).toBeGreaterThan(90);
  await expect.poll(drawnPods).toEqual(oldPods);
  for (const name of oldPods) await expect(page.locator(`.react-flow__node [data-kind="Pod"][data-name="${name}"]`)).toBeVisible();
  expect(await listedPods()).toEqual(oldPods);
  // The history's end and its future action stay until something changes the past.
  await expect(page.getByTestId('scrubber')).toHaveAttribute('aria-valuemax', '160');
  await expect(page.locator('[data-testid="scrubber-marker"][data-kind="run"]')).toHaveCount(1);
  await expect(page.getByTestId('scrubber-time')).toHaveText(`1:${String(Math.floor(t) - 60).padStart(2, '0')}`);
});

test('the terminal marks the commands that ran after the moment shown', async () => {
  await page.getByTestId('tab-terminal').click();
  const later = page.locator('[data-testid="terminal-output"] .term-entry[data-future="later"]');
  await expect(later.filter({ hasText: 'kubectl set image deployment/web nginx=nginx:1.27' })).toContainText('ran at 01:40, after the moment shown: it runs again when the clock gets there');
  await expect(later.filter({ hasText: 'kubectl rollout status deployment/web' })).toContainText('ran at 02:40, after the moment shown');
});

test('clicking the track at the end goes forward to the new pods; the keyboard moves by seconds', async () => {
  const box = (await page.getByTestId('scrubber').boundingBox())!;
  await page.mouse.click(box.x + box.width - 1, box.y + box.height - 6);
  await expect.poll(now).toBeGreaterThan(159);
  await expect.poll(drawnPods).not.toEqual(oldPods);
  const scrubber = page.getByTestId('scrubber');
  await scrubber.focus();
  await page.keyboard.press('End');
  await expect.poll(now).toBe(160);
  await page.keyboard.press('ArrowLeft');
  await expect.poll(now).toBe(159);
  await page.keyboard.press('Shift+ArrowLeft');
  await expect.poll(now).toBe(149);
  await page.keyboard.press('Home');
  await expect.poll(now).toBe(0);
  await page.keyboard.press('End');
  await expect.poll(now).toBe(160);
});

test('the two steps: to the next thing the cluster does, and one simulated second', async () => {
  const t = await now();
  await page.getByRole('button', { name: 'Step one simulated second' }).click();
  await expect.poll(now).toBe(t + 1);
  await page.getByRole('button', { name: 'Step to the next event' }).click();
  await expect.poll(now).toBeGreaterThan(t + 1);
});

test('speeds from 0.25× to 20×; pausing stops the clock', async () => {
  const speed = page.getByTestId('speed');
  await expect(speed.locator('option')).toHaveText(['0.25×', '0.5×', '1×', '2×', '5×', '10×', '20×']);
  await speed.selectOption('20');
  const t = await now();
  await page.getByTestId('play').click();
  // 20 simulated seconds per second: 10 s pass in well under 2 s of wall time on a quiet machine.
  await expect.poll(now, { timeout: 10_000 }).toBeGreaterThan(t + 10);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('play')).toHaveAccessibleName('Play');
  const paused = await now();
  await page.waitForTimeout(400);
  expect(await now()).toBe(paused);
  await speed.selectOption('0.25');
  await expect(speed).toHaveValue('0.25');
  // Playing after a rewind replays the recorded future; a change there starts a new branch.
  await page.evaluate(() => window.kubeplay.seek(120));
  expect(await now()).toBe(120);
  await page.evaluate(() => window.kubeplay.exec('kubectl scale deployment/web --replicas=2'));
  await expect(page.getByTestId('scrubber')).toHaveAttribute('aria-valuemax', '120');
  await expect(page.locator('[data-testid="scrubber-marker"][data-kind="run"]')).toHaveCount(2);
  // What the terminal ran after 2:00 is gone from this cluster's history, and says so.
  const dropped = page.locator('[data-testid="terminal-output"] .term-entry[data-future="dropped"]');
  await expect(dropped.filter({ hasText: 'kubectl rollout status deployment/web' })).toContainText('on an earlier branch of the timeline');
  await expect(page.locator('[data-testid="terminal-output"] .term-entry[data-future]').filter({ hasText: 'nginx=nginx:1.27' })).toHaveCount(0);
});

test('pausing freezes the traffic dots where they are', async () => {
  expect(await page.evaluate(() => window.kubeplay.load('canary-plain'))).toEqual([]);
  await page.evaluate(() => window.kubeplay.advance(30_000));
  const canvas = page.locator('canvas.traffic-dots');
  await page.getByTestId('speed').selectOption('1');
  await page.getByTestId('play').click();
  await expect.poll(async () => Number(await canvas.getAttribute('data-dots')), { timeout: 15_000 }).toBeGreaterThan(0);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('play')).toHaveAccessibleName('Play');
  const sent = await canvas.getAttribute('data-dots');
  const a = await canvas.screenshot();
  await page.waitForTimeout(500);
  const b = await canvas.screenshot();
  expect(b.equals(a)).toBe(true);
  expect(await canvas.getAttribute('data-dots')).toBe(sent);
  // A seek while paused clears them (they belong to another moment).
  await page.evaluate(() => window.kubeplay.seek(10));
  expect(await now()).toBe(10);
  await expect(canvas.screenshot()).resolves.toBeDefined();
  expect((await page.evaluate(() => window.kubeplay.exec('kubectl label namespace default demo=time'))).exit).toBe(0);
  await expect(page.locator('[data-testid="scrubber-marker"][data-kind="run"]')).toHaveCount(1);
});

test('screenshots at 1280×720 in light and dark, and no console errors', async () => {
  await page.getByTestId('scrubber').hover();
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    await page.locator('[data-testid="scrubber-marker"][data-kind="run"]').first().hover();
    await page.waitForTimeout(200);
    await page.screenshot({ path: `/tmp/kubeplay-time-${theme}.png` });
  }
  const strip = (await page.getByTestId('bottom-strip').boundingBox())!;
  const graph = (await page.getByTestId('graph').boundingBox())!;
  expect(strip.y + strip.height).toBeLessThanOrEqual(720);
  expect(graph.y + graph.height).toBeLessThanOrEqual(strip.y + 1);
  expect(errors).toEqual([]);
});

test('in Presenter, Play stops at each step the scenario explains, with its note in the terminal', async () => {
  expect(await page.evaluate(() => window.kubeplay.load('canary-plain'))).toEqual([]);
  await page.getByRole('button', { name: 'Presenter' }).click();
  await page.getByTestId('speed').selectOption('20');
  await page.getByTestId('play').click();
  // The first note is at 0:01: the clock stops there, paused, and the terminal shows the note.
  await expect.poll(now, { timeout: 10_000 }).toBe(1);
  await expect(page.getByTestId('play')).toHaveAccessibleName('Play');
  await page.waitForTimeout(300);
  expect(await now()).toBe(1);
  await page.getByTestId('tab-terminal').click();
  await expect(page.locator('.term-note', { hasText: "Fifty simulated clients' requests per second to the Service." })).toBeVisible();
  // The note is also a caption over the graph while the clock is stopped there (outputs push it off the terminal).
  await expect(page.getByTestId('note-caption')).toHaveText("00:01Fifty simulated clients' requests per second to the Service.");
  // Play again: on to the next explained step (0:30), and no further.
  await page.getByTestId('play').click();
  await expect(page.getByTestId('note-caption')).toHaveCount(0);
  await expect.poll(now, { timeout: 10_000 }).toBe(30);
  await expect(page.getByTestId('play')).toHaveAccessibleName('Play');
  await page.waitForTimeout(300);
  expect(await now()).toBe(30);
  await expect(page.getByTestId('note-caption')).toContainText('00:30');

  // The rolling update, the first demonstration of a course, stops too: as the new ReplicaSet appears,
  // halfway, and when it is done (it ran through to the end, with no note to stop at).
  expect(await page.evaluate(() => window.kubeplay.load('rolling-update'))).toEqual([]);
  for (const [t, text] of [[20, 'one ReplicaSet'], [30, 'maxSurge 1'], [45, 'Halfway'], [90, 'rollout undo']] as const) {
    await page.getByTestId('play').click();
    await expect.poll(now, { timeout: 10_000 }).toBe(t);
    await expect(page.getByTestId('play')).toHaveAccessibleName('Play');
    await expect(page.getByTestId('note-caption')).toContainText(text);
  }
  await page.getByRole('button', { name: 'Presenter' }).click();
  await page.getByTestId('speed').selectOption('1');
  expect(errors).toEqual([]);
});
