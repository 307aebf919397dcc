/**
 * The Editor tab: Monaco loads on demand from the page's own origin, the YAML schema flags a wrong type
 * with a real marker, Apply (or Ctrl+Enter) sends the manifest to the cluster, and Diff shows what it would change.
 */
import { expect, test, type Page } from '@playwright/test';
import { watchPage } from './watch.ts';
import { setTheme } from './theme.ts';

/** openEditor opens the page's Editor tab and waits for Monaco to show its starter manifest. */
async function openEditor(page: Page) {
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
  await page.getByTestId('tab-editor').click();
  const editor = page.getByTestId('monaco');
  await expect(editor.locator('.view-lines')).toContainText('kind: Deployment', { timeout: 20_000 });
  return editor;
}

test('the editor shows schema markers and applies manifests', async ({ page, baseURL }) => {
  const { errors, foreign } = watchPage(page, baseURL);
  const editor = await openEditor(page);

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
  // Once the text changes, the answer shown is marked as the last Apply's, about the earlier text (the editor kept focus).
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.insertText('\n# changed');
  await expect(page.getByTestId('editor-result')).toHaveText('The last Apply, before the text changed:\ndeployment.apps/hello created');
  await expect(page.getByTestId('editor-result')).toHaveClass(/stale/);

  // The text survives a tab switch.
  await page.getByTestId('tab-terminal').click();
  await page.getByTestId('tab-editor').click();
  await expect(editor.locator('.view-lines')).toContainText('name: hello}');
  expect(errors).toEqual([]);
  expect(foreign).toEqual([]);
});

test('keys typed in the editor arrive: spaces and Backspace are not taken by the graph', async ({ page, baseURL }) => {
  const { errors } = watchPage(page, baseURL);
  const editor = await openEditor(page);
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  // Typed key by key, as a person types: each space is a keydown the page must not cancel.
  await page.keyboard.type('kind: Pod # a b cx');
  await page.keyboard.press('Backspace');
  await expect(editor.locator('.view-line').first()).toHaveText('kind:\u00a0Pod\u00a0#\u00a0a\u00a0b\u00a0c');
  // Enter after a list item's first field lines the next field up under it, inside the item.
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.type('containers:');
  await page.keyboard.press('Enter');
  await page.keyboard.type('- name: shop');
  // A suggestion list typing opened takes Enter (it accepts a suggestion): close it, and wait until no list
  // is showing (the YAML worker's answer can open one a moment after the last key).
  const suggest = page.locator('.suggest-widget.visible');
  await expect
    .poll(async () => {
      await page.keyboard.press('Escape');
      await page.waitForTimeout(150);
      return suggest.count();
    })
    .toBe(0);
  await page.keyboard.press('Enter');
  await page.keyboard.type('image: nginx');
  await page.keyboard.press('Escape');
  // The lines run together in the view's text: four spaces between shop and image put image under name.
  await expect(editor.locator('.view-lines')).toHaveText(/containers:\s*-\sname:\sshop[\s\u00a0]{4}image:\snginx/);
  expect(errors).toEqual([]);
});

/** paste puts text into Monaco as a paste does (typed text would be auto-indented line by line). */
async function paste(page: import('@playwright/test').Page, text: string) {
  const editor = page.getByTestId('monaco');
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await editor.locator('textarea').evaluate((ta, t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
}

test('the schema knows every kind: markers on the right lines, hover docs, completion, and the API server’s errors', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const editor = await openEditor(page);

  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);

    // A typo'd field (line 7) and a wrong enum (line 9): each marked on its own line.
    await paste(
      page,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: typo\nspec:\n  replicas: 2\n  replica: 3\n  strategy:\n    type: Rolling\n  selector:\n    matchLabels:\n      app: typo\n  template:\n    metadata:\n      labels:\n        app: typo\n    spec:\n      containers:\n        - name: c\n          image: nginx:1.25\n',
    );
    const problems = page.getByTestId('editor-problems');
    await expect(problems).toContainText('line 7: Property replica is not allowed.', { timeout: 20_000 });
    await expect(problems).toContainText('line 9: Value is not accepted. Valid values: "RollingUpdate", "Recreate".');
    await expect(editor.locator('.squiggly-warning, .squiggly-error')).toHaveCount(2);

    // Hover on `replicas` shows the API reference's description.
    const replicas = editor.locator('.view-line span', { hasText: /^replicas$/ }).first();
    const box = (await replicas.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect(page.locator('.monaco-hover:not(.hidden)')).toContainText('Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.');
    await page.screenshot({ path: `/tmp/kp-editor-schema-${theme}.png` });
    await page.mouse.move(10, 700);

    // Completion inside a Rollout's spec offers its fields.
    await paste(page, 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: ro\nspec:\n  replicas: 2\n  ');
    await page.keyboard.press('Control+Space');
    const suggest = page.locator('.suggest-widget .monaco-list-row');
    await expect(suggest.filter({ hasText: /^strategy$/ })).toHaveCount(1, { timeout: 20_000 });
    await expect(suggest.filter({ hasText: /^workloadRef$/ })).toHaveCount(1);
    await page.screenshot({ path: `/tmp/kp-editor-complete-${theme}.png` });
    await page.keyboard.press('Escape');
    // On an empty document: the envelope's fields, each once (not a `kind` per kind the schema knows).
    await paste(page, '');
    await page.keyboard.press('Control+Space');
    await expect(suggest.filter({ hasText: /^kind$/ })).toHaveCount(1, { timeout: 20_000 });
    await expect(suggest.filter({ hasText: /^apiVersion$/ })).toHaveCount(1);
    await page.keyboard.press('Escape');

    // Multi-document YAML: each document is checked against its own kind's schema.
    await paste(
      page,
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: Nodeport\n  ports:\n    - port: 80\n---\napiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: ro\nspec:\n  strategy:\n    canary:\n      steps:\n        - setWieght: 20\n---\napiVersion: example.com/v1\nkind: CronTab\nmetadata:\n  name: any\nspec:\n  anything: goes\n',
    );
    await expect(problems).toContainText('line 6: Value is not accepted. Valid values: "ClusterIP", "NodePort", "LoadBalancer", "ExternalName".', { timeout: 20_000 });
    await expect(problems).toContainText('line 18: Property setWieght is not allowed.');
    await expect(problems.locator('li')).toHaveCount(2);

    // The API server's own validation error, after Apply, is a marker on the replicas line.
    await paste(
      page,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: neg\nspec:\n  replicas: -1\n  selector:\n    matchLabels:\n      app: neg\n  template:\n    metadata:\n      labels:\n        app: neg\n    spec:\n      containers:\n        - name: c\n          image: nginx:1.25\n',
    );
    await page.getByTestId('editor-apply').click();
    await expect(page.getByTestId('editor-result')).toHaveText('The Deployment "neg" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    await expect(problems).toContainText('line 6: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    // The server's word replaces the schema's for that line: the same mistake is not listed twice.
    await expect(problems.locator('li')).toHaveCount(1);
    await expect(editor.locator('.squiggly-error')).toHaveCount(1);
    await page.screenshot({ path: `/tmp/kp-editor-engine-${theme}.png` });
  }
  expect(errors).toEqual([]);
});

test('a scenario pasted into the editor is offered to be opened as a scenario, not applied to the running cluster', async ({ page }) => {
  const editor = await openEditor(page);
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  // Flow style, one document per line, so Monaco's auto-indent cannot change what was typed.
  await page.keyboard.insertText(
    '{apiVersion: kubeplay.dev/v1alpha1, kind: Scenario, metadata: {name: mine}, spec: {title: My class, cluster: {nodes: [{count: 1, namePrefix: node-}]}}}\n---\n{apiVersion: apps/v1, kind: Deployment, metadata: {name: mine}, spec: {replicas: 1, selector: {matchLabels: {app: mine}}, template: {metadata: {labels: {app: mine}}, spec: {containers: [{name: c, image: "nginx:1.25"}]}}}}',
  );
  await page.getByTestId('editor-diff').click();
  await expect(page.getByTestId('editor-result')).toContainText('This text is a Kubeplay scenario (kind: Scenario): Diff compares Kubernetes objects with the cluster that is running');
  await page.getByTestId('editor-apply').click();
  await expect(page.getByTestId('editor-result')).toContainText('This text is a Kubeplay scenario (kind: Scenario): Apply sends');
  await page.getByTestId('editor-result').screenshot({ path: '/tmp/kp-editor-scenario.png' });
  // Nothing was applied to the default cluster.
  await expect(page.locator('[data-kind="Deployment"][data-name="mine"]')).toHaveCount(0);
  await page.getByTestId('editor-open-scenario').click();
  await expect(page.locator('[data-kind="Node"]')).toHaveCount(1);
  await expect(page.locator('[data-kind="Deployment"][data-name="mine"]')).toBeVisible();
});

test('a line indented too far is named in plain words, with what kubectl says on Apply; the schema’s knock-on complaints wait', async ({ page }) => {
  await openEditor(page);
  // `selector:` has three spaces: YAML reads it as the rest of `replicas: 2`'s value.
  await paste(
    page,
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bad\nspec:\n  replicas: 2\n   selector:\n    matchLabels:\n      app: bad\n  template:\n    metadata:\n      labels:\n        app: bad\n    spec:\n      containers:\n        - name: c\n          image: nginx:1.25\n',
  );
  const problems = page.getByTestId('editor-problems');
  await expect(problems).toContainText("A ':' where no new key can start", { timeout: 20_000 });
  await expect(problems).toContainText('(kubectl: mapping values are not allowed in this context)');
  await expect(problems).not.toContainText('Missing property');
  await page.getByTestId('editor-apply').click();
  await expect(page.getByTestId('editor-result')).toContainText('error converting YAML to JSON: yaml: line 6: mapping values are not allowed in this context');
});

test('Diff shows what Apply would change, coloured, and changes nothing; an unchanged text says so', async ({ page }) => {
  await openEditor(page);
  const web = (image: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: nginx\n          image: ${image}\n          ports:\n            - containerPort: 80\n          resources:\n            requests:\n              cpu: 100m\n              memory: 64Mi\n`;
  await paste(page, web('nginx:1.26'));
  await page.getByTestId('editor-diff').click();
  const result = page.getByTestId('editor-result');
  await expect(result).toContainText(/diff -u -N \/tmp\/LIVE-\d+\/apps\.v1\.Deployment\.default\.web/);
  await expect(result.locator('.diff-del', { hasText: '-      - image: nginx:1.25' })).toBeVisible();
  await expect(result.locator('.diff-add', { hasText: '+      - image: nginx:1.26' })).toBeVisible();
  await expect(result).not.toHaveClass(/term-err/);
  await page.screenshot({ path: '/tmp/kp-editor-diff.png' });
  // Nothing was applied: the Deployment still runs nginx:1.25.
  await page.getByTestId('tab-terminal').click();
  await page.getByTestId('terminal-input').fill('kubectl get deploy web -o jsonpath=image={.spec.template.spec.containers[0].image}');
  await page.getByTestId('terminal-input').press('Enter');
  await expect(page.getByTestId('terminal-output')).toContainText('image=nginx:1.25');
  await expect(page.getByTestId('terminal-output')).not.toContainText('image=nginx:1.26');
  // The live text itself: no differences, and the panel says so rather than staying blank.
  await page.getByTestId('tab-editor').click();
  await paste(page, web('nginx:1.25'));
  await page.getByTestId('editor-diff').click();
  await expect(result).toHaveText('No differences: applying this text would change nothing (kubectl diff printed nothing and exited 0).');
});
