/**
 * Each built-in lesson can be completed in the page by doing what its steps say: open it from the
 * library, run each step's commands with its buttons, let the clock run, press Check until it
 * passes, Continue. Progress survives a reload.
 */
import { readdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

const lessons = readdirSync(new URL('../scenarios/lessons/', import.meta.url)).filter((f) => f.endsWith('.yaml'));

async function openLesson(page: Page, file: string): Promise<number> {
  await page.getByTestId('open-library').click();
  await page.getByTestId(`scenario-lessons/${file}`).click();
  const panel = page.getByTestId('lesson-panel');
  await expect(panel).toBeVisible();
  // A lesson opens at its first step (picked again, once its new cluster is loaded).
  await expect(page.getByTestId('lesson-progress')).toHaveText(/^Step 1 of \d+$/);
  const progress = await page.getByTestId('lesson-progress').innerText();
  const m = /Step (\d+) of (\d+)/.exec(progress);
  expect(m).not.toBeNull();
  expect(m![1]).toBe('1');
  return Number(m![2]);
}

/** checkUntilPassed presses Check, letting the simulated clock run between tries. */
async function checkUntilPassed(page: Page): Promise<void> {
  const outcome = page.getByTestId('lesson-outcome');
  for (let i = 0; i < 60; i++) {
    await page.getByTestId('lesson-check').click();
    await expect(page.getByTestId('lesson-check')).toHaveText('Check');
    if ((await outcome.innerText()).startsWith('✓')) return;
    await page.evaluate(() => window.kubeplay.advance(2000));
  }
  throw new Error(`the check never passed: ${await outcome.innerText()}`);
}

for (const file of lessons) {
  test(`lesson ${file} can be completed`, async ({ browser }) => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto('/');
    await page.evaluate(() => window.kubeplay.ready);
    await expect(page.locator('html')).toHaveAttribute('data-share', 'done');
    const steps = await openLesson(page, file);
    for (let s = 1; s <= steps; s++) {
      await expect(page.getByTestId('lesson-progress')).toHaveText(`Step ${s} of ${steps}`);
      const runs = page.getByTestId('lesson-run');
      const n = await runs.count();
      for (let r = 0; r < n; r++) {
        const before = await page.evaluate(() => window.kubeplay.time());
        await runs.nth(r).click();
        // The command goes through the terminal; give it a moment and some simulated time.
        await page.waitForTimeout(200);
        await page.evaluate((t) => (window.kubeplay.time() === t ? window.kubeplay.advance(1000) : undefined), before);
      }
      await checkUntilPassed(page);
      if (s < steps) await page.getByTestId('lesson-continue').click();
    }
    await expect(page.getByTestId('lesson-continue')).toHaveText('Done ✓');
    // The lesson says it is complete and offers the library's next lesson, except after the last one.
    await expect(page.getByTestId('lesson-finished')).toContainText('Lesson complete.');
    // (the library lists them as numbered: services-discovery is Lesson 4, the last)
    await expect(page.getByTestId('lesson-next')).toHaveCount(file === 'services-discovery.yaml' ? 0 : 1);
    // Progress is saved: after a reload the lesson continues at its last step.
    await page.waitForTimeout(1200);
    await page.reload();
    await page.evaluate(() => window.kubeplay.ready);
    await expect(page.locator('html')).toHaveAttribute('data-share', 'done');
    await expect(page.getByTestId('lesson-progress')).toHaveText(`Step ${steps} of ${steps}`);
    // Picked from the library again, the lesson starts over with its new cluster: at step 1 (openLesson checks it).
    await openLesson(page, file);
    await ctx.close();
  });
}

test('a failed check is checked again as the cluster runs, and a step command shows its output in the Terminal', async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
  await expect(page.locator('html')).toHaveAttribute('data-share', 'done');
  await openLesson(page, 'pods-self-healing.yaml');
  await page.evaluate(() => window.kubeplay.pause());
  // At 00:00 no pod is ready yet: the check fails.
  await page.getByTestId('lesson-check').click();
  await expect(page.getByTestId('lesson-outcome')).toHaveText(/^✗ /);
  // The clock runs: the same check passes by itself, and Continue opens.
  await page.evaluate(() => window.kubeplay.advance(30_000));
  await expect(page.getByTestId('lesson-outcome')).toHaveText(/^✓ /);
  await expect(page.getByTestId('lesson-continue')).toBeEnabled();
  // A step's command runs in the Terminal, which comes to the front to show what it printed.
  await page.getByTestId('tab-events').click();
  await page.getByTestId('lesson-run').first().click();
  await expect(page.getByTestId('tab-terminal')).toHaveAttribute('aria-selected', 'true');
  // The clicked button gives the focus back: Space then plays, it does not run the command again.
  const commands = page.getByTestId('terminal-output').locator('.term-prompt');
  const entries = await commands.count();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAccessibleName('Pause');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAccessibleName('Play');
  await expect(commands).toHaveCount(entries);
  await ctx.close();
});

test('on a large screen the graph is drawn beside or below the lesson card, not under it', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await ctx.newPage();
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
  await expect(page.locator('html')).toHaveAttribute('data-share', 'done');
  await openLesson(page, 'rolling-update-rollback.yaml');
  const card = (await page.getByTestId('lesson-panel').boundingBox())!;
  const deploy = page.locator('[data-kind="Deployment"]').first();
  const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  // Step 1 tells students about the web Deployment: its card is in sight.
  await expect.poll(async () => overlaps(card, (await deploy.boundingBox())!)).toBe(false);
  // Folded to its title line, the card still leaves the drawing in sight, at least as large.
  const before = (await deploy.boundingBox())!.width;
  await page.getByRole('button', { name: 'Fold' }).click();
  const folded = (await page.getByTestId('lesson-panel').boundingBox())!;
  await expect.poll(async () => overlaps(folded, (await deploy.boundingBox())!)).toBe(false);
  expect((await deploy.boundingBox())!.width).toBeGreaterThanOrEqual(before);
  await ctx.close();
});

test('on a projector’s 1024×768 the card folds after the step’s last command, keeping Check and Continue, so the graph can be watched', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const page = await ctx.newPage();
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
  await expect(page.locator('html')).toHaveAttribute('data-share', 'done');
  await page.getByRole('button', { name: 'Presenter' }).click();
  await openLesson(page, 'pods-self-healing.yaml');
  const card = page.getByTestId('lesson-panel');
  const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  // Step 1's command; then the card is its title, the step's Check and Continue.
  const runs = page.getByTestId('lesson-run');
  const n = await runs.count();
  for (let i = 0; i < n; i++) await runs.nth(i).click();
  await expect(card.getByRole('button', { name: 'Show' })).toBeVisible();
  await expect(page.getByTestId('lesson-run')).toHaveCount(0);
  await checkUntilPassed(page);
  // The graph is fitted beside or below the folded card.
  const deploy = page.locator('[data-kind="Deployment"]').first();
  await expect.poll(async () => overlaps((await card.boundingBox())!, (await deploy.boundingBox())!)).toBe(false);
  // Continue opens the next step unfolded, to be read.
  await page.getByTestId('lesson-continue').click();
  await expect(page.getByTestId('lesson-progress')).toHaveText(/^Step 2 of \d+$/);
  await expect(card.getByRole('button', { name: 'Fold' })).toBeVisible();
  await expect(page.getByTestId('lesson-run').first()).toBeVisible();
  await ctx.close();
});
