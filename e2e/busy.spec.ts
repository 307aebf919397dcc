/**
 * A scenario the simulator takes long to load (a stranger's link with 29,000 pods) is not a silent page:
 * the page says what the simulator is busy with and for how long, and after 10 s offers to stop it. The
 * page's clock is Playwright's (page.clock), so the seconds pass at once; the simulator's work is real.
 */
import { expect, test } from '@playwright/test';

const HEAVY = `apiVersion: kubeplay.dev/v1alpha1
kind: Scenario
metadata: {name: heavy}
spec:
  seed: 1
  cluster:
    nodes:
      - {count: 1000, namePrefix: n-, capacity: {cpu: "8", memory: 16Gi, pods: "110"}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 29000
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, resources: {requests: {cpu: 100m}}}]
`;

test('a long load says what the simulator is busy with, and can be stopped: the default scenario opens instead', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.clock.install();
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
  await expect(page.locator('.react-flow__node-k8snode')).toHaveCount(3);
  const busy = page.getByTestId('busy');
  await expect(busy).toHaveCount(0);

  // Not awaited: it answers when the simulator has loaded the scenario (or is stopped).
  const loading = page.evaluate((y) => window.kubeplay.load(y), HEAVY);
  await page.clock.fastForward(3000);
  await expect(busy).toContainText(/The simulator is busy loading heavy\.yaml \(\d+ s\)/);
  await expect(busy.getByRole('button', { name: 'Stop it' })).toHaveCount(0);
  await page.clock.fastForward(10_000);
  await busy.getByRole('button', { name: 'Stop it' }).click();

  // The load that was waiting is answered as stopped; a new simulator runs the default scenario.
  expect(await loading).toEqual(['error: the simulator was stopped']);
  await expect(busy).toHaveCount(0);
  await expect(page.getByRole('alert')).toContainText(/Stopped the simulator, which had been busy loading heavy\.yaml for \d+ s, and opened the default scenario\./);
  // The message stays until dismissed (or the next load).
  await page.getByRole('alert').getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('scenario')).toHaveValue('default');
  await expect(page.locator('.react-flow__node-k8snode')).toHaveCount(3);
  const r = await page.evaluate(() => window.kubeplay.exec('kubectl get nodes -o name'));
  expect(r).toEqual({ exit: 0, out: 'node/worker-1\nnode/worker-2\nnode/worker-3\n' });
  expect(errors).toEqual([]);
});

test('a scenario picked while another still loads waits its turn, and the notice says so', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.clock.install();
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
  await expect(page.locator('.react-flow__node-k8snode')).toHaveCount(3);

  // A few seconds of real work: 300 nodes and 6,000 pods.
  const loading = page.evaluate((y) => window.kubeplay.load(y), HEAVY.replace('count: 1000', 'count: 300').replace('replicas: 29000', 'replicas: 6000'));
  await page.getByTestId('scenario').selectOption('rolling-update');
  await page.clock.fastForward(3000);
  await expect(page.getByTestId('busy')).toContainText(/The simulator is busy loading heavy\.yaml \(\d+ s\)then loading rolling-update\.yaml/);

  // The first load is answered with its own outcome; then the picked scenario opens.
  expect(await loading).toEqual([]);
  await expect(page.getByTestId('scenario')).toHaveValue('rolling-update');
  await expect(page.locator('.react-flow__node-k8snode')).toHaveCount(3);
  await page.clock.fastForward(3000);
  await expect(page.getByTestId('busy')).toHaveCount(0);
  expect(errors).toEqual([]);
});
