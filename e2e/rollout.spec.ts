/**
 * An Argo canary as a teacher shows it: the Rollout's card says where the rollout stands (paused at
 * step 1 of 4 with 20% weight) and which ReplicaSet is stable and which is the canary; promoting it in
 * the terminal moves the card on until the canary is the new stable.
 */
import { expect, test } from '@playwright/test';

test('the Rollout card follows a canary step by step', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
  expect(await page.evaluate(() => window.kubeplay.load('argo-canary'))).toEqual([]);
  await page.evaluate(() => window.kubeplay.advance(52_000));
  const card = page.locator('[data-kind="Rollout"][data-name="shop"]');
  await expect(card).toBeVisible();
  await expect(card).toContainText('Paused · step 1/4');
  await expect(card.locator('[data-kind="ReplicaSet"]', { hasText: 'stable' })).toContainText('4/4');
  await expect(card.locator('[data-kind="ReplicaSet"]', { hasText: 'canary' })).toContainText('1/1');
  const r = await page.evaluate(() => window.kubeplay.run('kubectl argo rollouts promote shop'));
  expect(r.out).toContain("rollout 'shop' promoted");
  await page.evaluate(() => window.kubeplay.advance(60_000));
  // Every step done: the canary's ReplicaSet is now the stable one, the old one scaled away.
  await expect(card).toContainText('Healthy · step 4/4');
  await expect(card.locator('[data-kind="ReplicaSet"]')).toHaveCount(1);
  await expect(card.locator('[data-kind="ReplicaSet"]', { hasText: 'stable' })).toContainText('5/5');
  await page.screenshot({ path: 'test-results/rollout-card.png' });
});
