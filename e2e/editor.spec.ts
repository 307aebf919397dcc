/**
 * The Editor tab: Monaco loads on demand from the page's own origin, the YAML schema flags a wrong type
 * with a real marker, and Apply (or Ctrl+Enter) sends the manifest to the cluster.
 */
import { expect, test } from '@playwright/test';

test('the editor shows schema markers and applies manifests', async ({ page }) => {
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1:4173/') && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.push(r.url());
  });
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
  await page.getByTestId('tab-editor').click();
  const editor = page.getByTestId('monaco');
  await expect(editor.locator('.view-lines')).toContainText('kind: Deployment', { timeout: 20_000 });

  // A wrong type: the YAML worker validates against the schema and Monaco draws a marker.
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  // One flow-style line, so Monaco's auto-indent cannot change what was typed.
  await page.keyboard.insertText(
    '{apiVersion: apps/v1, kind: Deployment, metadata: {name: typo}, spec: {replicas: "abc", selector: {matchLabels: {app: typo}}, template: {metadata: {labels: {app: typo}}, spec: {containers: [{name: c, image: "nginx:1.25"}]}}}}',
  );
  await expect(page.getByTestId('editor-problems')).toContainText('line 1: Incorrect type. Expected "integer".', { timeout: 20_000 });
  // …and Monaco draws it: a squiggle under the value.
  // (yaml-language-server reports schema mismatches as warnings: a yellow squiggle.)
  await expect(editor.locator('.squiggly-warning, .squiggly-error').first()).toBeAttached({ timeout: 10_000 });
  await page.screenshot({ path: '/tmp/kp-editor.png' });

  // Fix it and apply with Ctrl+Enter.
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(
    '{apiVersion: apps/v1, kind: Deployment, metadata: {name: hello}, spec: {replicas: 2, selector: {matchLabels: {app: hello}}, template: {metadata: {labels: {app: hello}}, spec: {containers: [{name: c, image: "nginx:1.25"}]}}}}',
  );
  await expect(page.getByTestId('editor-problems')).toHaveCount(0, { timeout: 20_000 });
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('editor-result')).toHaveText('deployment.apps/hello created');
  await expect(page.locator('[data-kind="Deployment"][data-name="hello"]')).toBeVisible();
  await expect(page.locator('[data-kind="Pod"]')).toHaveCount(5);

  // The text survives a tab switch.
  await page.getByTestId('tab-terminal').click();
  await page.getByTestId('tab-editor').click();
  await expect(editor.locator('.view-lines')).toContainText('name: hello}');
  expect(errors).toEqual([]);
  expect(foreign).toEqual([]);
});
