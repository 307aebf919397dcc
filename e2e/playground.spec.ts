/**
 * The playground as a user sees it: the default scenario is drawn, the terminal drives the cluster,
 * clicking a pod inspects it, play moves the clock, and the page stays offline and free of console
 * errors. One page serves the whole story (loading the app costs seconds on a busy machine).
 */
import { expect, test, type Page } from '@playwright/test';
import { watchPage } from './watch.ts';
import { setTheme } from './theme.ts';

test.describe.configure({ mode: 'serial' });

let page: Page;
let errors: string[] = [];
let foreign: string[] = [];

/** podRows counts the pods `kubectl get pods` lists. */
async function podRows(): Promise<number> {
  const r = await page.evaluate(() => window.kubeplay.run('kubectl get pods'));
  expect(r.exit).toBe(0);
  const lines = r.out.split('\n').filter((l) => l.trim() !== '');
  return lines[0]?.startsWith('NAME') ? lines.length - 1 : 0;
}

const pods = () => page.locator('[data-kind="Pod"]');
const running = () => page.locator('[data-kind="Pod"][data-phase="Running"]');

test.beforeAll(async ({ browser, baseURL }) => {
  page = await browser.newPage({ viewport: { width: 1280, height: 720 }, colorScheme: 'light' });
  ({ errors, foreign } = watchPage(page, baseURL));
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
});

test.afterAll(async () => {
  await page.close();
});

test('loads the default scenario and draws its nodes and pods', async () => {
  await expect(page.getByText('Kubeplay', { exact: true })).toBeVisible();
  await expect(page.locator('[data-kind="Node"]')).toHaveCount(3);
  await expect(page.locator('[data-kind="Node"][data-status="Ready"]')).toHaveCount(3);
  await expect(page.locator('[data-kind="Deployment"][data-name="web"]')).toBeVisible();
  // It opens paused, and says how to start it until the clock first moves.
  await expect(page.getByTestId('paused-hint')).toContainText('Paused at 00:00: press ▶ Play or Space to run the cluster');
  // Let the cluster come up (paused: jump simulated time directly).
  await page.evaluate(() => window.kubeplay.advance(20_000));
  await expect(page.getByTestId('paused-hint')).toHaveCount(0);
  await expect(page.getByTestId('clock')).toHaveText('00:20');
  await expect(running()).toHaveCount(3);
  expect(await pods().count()).toBe(await podRows());
  // The scenario's timeline printed into the terminal at 15s.
  await expect(page.getByTestId('terminal-output')).toContainText('[00:15] $ kubectl get deployments');
});

test('the first draw names the scenario by its title', async ({ browser }) => {
  const fresh = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await fresh.goto('/');
  // Read at the first frame with pods: the picker's titles for every scenario come a second later.
  const label = await fresh.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const check = () => {
          if (document.querySelector('[data-kind="Pod"]')) resolve((document.querySelector('[data-testid="scenario"]') as HTMLSelectElement).selectedOptions[0]?.textContent ?? '');
          else requestAnimationFrame(check);
        };
        check();
      }),
  );
  expect(label).toBe('Your first cluster');
  await fresh.close();
});

test('screenshots at 1280×720 in light and dark, without overlap', async () => {
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    await page.waitForTimeout(150);
    await page.screenshot({ path: `/tmp/kubeplay-${theme}.png` });
  }
  const bar = (await page.locator('header.topbar').boundingBox())!;
  const graph = (await page.getByTestId('graph').boundingBox())!;
  const panel = (await page.locator('aside.panel').boundingBox())!;
  expect(bar.height).toBeLessThanOrEqual(50);
  expect(graph.y).toBeGreaterThanOrEqual(bar.y + bar.height - 1);
  expect(graph.x + graph.width).toBeLessThanOrEqual(panel.x + 1);
  expect(panel.x + panel.width).toBeLessThanOrEqual(1280);
  // Every node box lies inside the graph's viewport.
  for (const box of await page.locator('[data-kind="Node"]').all()) {
    const b = (await box.boundingBox())!;
    expect(b.x).toBeGreaterThanOrEqual(graph.x);
    expect(b.x + b.width).toBeLessThanOrEqual(graph.x + graph.width);
  }
});

test('kubectl scale in the terminal adds pods to the graph', async () => {
  await page.getByTestId('tab-terminal').click();
  const input = page.getByTestId('terminal-input');
  await input.fill('kubectl scale deployment web --replicas=5');
  await input.press('Enter');
  await expect(page.getByTestId('terminal-output')).toContainText('deployment.apps/web scaled');
  await expect(pods()).toHaveCount(5);
  await page.evaluate(() => window.kubeplay.advance(20_000));
  await expect(running()).toHaveCount(5);
  expect(await podRows()).toBe(5);
  // History: ↑ brings the last command back; clear empties the screen.
  await input.press('ArrowUp');
  await expect(input).toHaveValue('kubectl get pods');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('kubectl scale deployment web --replicas=5');
  await input.fill('clear');
  await input.press('Enter');
  await expect(page.getByTestId('terminal-output')).not.toContainText('scaled');
});

test('output is text, never HTML', async () => {
  const r = await page.evaluate(() => window.kubeplay.run('kubectl get pods <img src=x onerror=alert(1)>'));
  expect(r.exit).not.toBe(0);
  await expect(page.getByTestId('terminal-output').locator('img')).toHaveCount(0);
  await expect(page.getByTestId('terminal-output')).toContainText('<img src=x');
});

test('clicking a pod opens the inspector with its YAML, events and scheduling', async () => {
  const pod = pods().first();
  const name = (await pod.getAttribute('data-name'))!;
  await pod.click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toHaveAttribute('data-inspected-name', name);
  await expect(page.getByTestId('inspector-yaml')).toContainText(`name: ${name}`);
  await expect(page.getByTestId('inspector-yaml')).toContainText('kind: Pod');
  await expect(inspector).toContainText('Scheduled');
  await expect(pod).toHaveClass(/selected/);
  // Clicking a node inspects the node: its pods and what they request of it.
  await page.locator('[data-kind="Node"]').first().getByRole('button').first().click();
  await expect(inspector).toHaveAttribute('data-inspected-kind', 'Node');
  await expect(page.getByTestId('node-pods')).toContainText(/cpu requests \d+m of 4 \(\d+%\)/);
  // A Service lists its endpoints, each pod a link to inspect it.
  await page.locator('[data-kind="Service"][data-name="web"]').getByRole('button', { name: 'Inspect Service web' }).click();
  const endpoints = page.getByTestId('service-endpoints');
  await expect(endpoints.locator('tbody tr')).toHaveCount(await pods().count());
  await expect(endpoints).toContainText(/10\.244\.\d+\.\d+:80\s*yes/);
  const first = endpoints.getByRole('button').first();
  const podName = (await first.textContent())!;
  await first.click();
  await expect(inspector).toHaveAttribute('data-inspected-name', podName);
});

test('the events tab lists the cluster events', async () => {
  await page.getByTestId('tab-events').click();
  await expect(page.locator('tr[data-kind="Event"]').first()).toBeVisible();
  await expect(page.locator('table.events')).toContainText('ScalingReplicaSet');
});

test('play moves the simulated clock; pause stops it', async () => {
  const before = await page.evaluate(() => window.kubeplay.time());
  await page.getByTestId('play').click();
  // time() is in simulated seconds.
  await expect.poll(() => page.evaluate(() => window.kubeplay.time()), { timeout: 10_000 }).toBeGreaterThan(before + 1);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('play')).toHaveAccessibleName('Play');
  const t = await page.evaluate(() => window.kubeplay.time());
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => window.kubeplay.time())).toBe(t);
  // Step jumps to the next instant with work (kubelet heartbeats keep a running cluster busy).
  await page.getByRole('button', { name: 'Step to the next event' }).click();
  await expect.poll(() => page.evaluate(() => window.kubeplay.time())).toBeGreaterThan(t);
  // In a settled cluster nothing on screen changes: Step stops a minute on and says why.
  await page.evaluate(() => window.kubeplay.advance(600_000));
  const settledAt = await page.evaluate(() => window.kubeplay.time());
  await page.getByRole('button', { name: 'Step to the next event' }).click();
  await expect(page.getByText('a quiet minute: nothing on screen changed')).toBeVisible();
  expect(await page.evaluate(() => window.kubeplay.time())).toBeLessThanOrEqual(settledAt + 60);
  // The answer goes when the clock moves on by other means.
  await page.getByRole('button', { name: 'Step one simulated second' }).click();
  await expect(page.getByText('a quiet minute: nothing on screen changed')).toBeHidden();
  // Space plays and pauses too (when not typing).
  await page.locator('body').click({ position: { x: 5, y: 700 } });
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAccessibleName('Pause');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAccessibleName('Play');
  // On a focused tab Space presses the tab, as a keyboard user expects; the clock stays paused.
  await page.getByTestId('tab-events').focus();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('tab-events')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('play')).toHaveAccessibleName('Play');
  // A top-bar button clicked with the mouse gives the focus back: Space then plays, it does not press
  // Presenter again (a teacher clicks Presenter, then presses Space).
  await page.getByRole('button', { name: 'Presenter' }).click();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAccessibleName('Pause');
  await expect(page.locator('html')).toHaveAttribute('data-presenter', 'on');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAccessibleName('Play');
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).not.toHaveAttribute('data-presenter', 'on');
});

test('at 1024×768 in Presenter mode every top-bar control stays on screen', async ({ browser }) => {
  const small = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  await small.goto('/');
  await small.evaluate(() => window.kubeplay.ready);
  await small.getByRole('button', { name: 'Presenter' }).click();
  await expect(small.locator('html')).toHaveAttribute('data-presenter', 'on');
  const onScreen = async () => {
    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    for (const name of ['Compare', 'Focus', 'Presenter', /^Switch to/]) {
      const b = (await small.getByRole('button', { name }).boundingBox())!;
      expect(b.x + b.width).toBeLessThanOrEqual(1024);
    }
  };
  await onScreen();
  // The side panel's five tabs and its collapse button do not fit one row of its 284 px: they wrap, all in sight.
  for (const tab of ['terminal', 'inspector', 'events', 'rollout', 'editor']) {
    const b = (await small.getByTestId(`tab-${tab}`).boundingBox())!;
    expect(b.x + b.width).toBeLessThanOrEqual(1024);
  }
  const collapse = (await small.getByRole('button', { name: 'Collapse panel' }).boundingBox())!;
  expect(collapse.x + collapse.width).toBeLessThanOrEqual(1024);
  await small.getByTestId('tab-editor').click();
  await expect(small.getByTestId('tab-editor')).toHaveAttribute('aria-selected', 'true');
  // Step's answer gives way too (cut short, whole in its tooltip).
  await small.evaluate(() => window.kubeplay.advance(600_000));
  await small.getByRole('button', { name: 'Step to the next event' }).click();
  await expect(small.getByTitle('a quiet minute: nothing on screen changed')).toBeVisible();
  await onScreen();
  await small.close();
});

test('the side panel collapses and opens again; presenter mode enlarges the type', async () => {
  const wide = (await page.getByTestId('graph').boundingBox())!.width;
  await page.getByRole('button', { name: 'Collapse panel' }).click();
  await expect.poll(async () => (await page.getByTestId('graph').boundingBox())!.width).toBeGreaterThan(wide + 300);
  await page.getByRole('button', { name: 'Open panel' }).click();
  await expect(page.getByTestId('tab-terminal')).toBeVisible();
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-presenter', 'on');
  expect(await page.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('16px');
  // Dragged as wide as it goes, the panel leaves the graph room for its toolbars side by side.
  const sep = (await page.getByRole('separator', { name: 'Resize panel' }).boundingBox())!;
  await page.mouse.move(sep.x + 4, sep.y + 200);
  await page.mouse.down();
  await page.mouse.move(100, sep.y + 200, { steps: 6 });
  await page.mouse.up();
  const share = (await page.getByTestId('share').boundingBox())!;
  const zoomIn = (await page.getByRole('button', { name: /zoom in/i }).boundingBox())!;
  expect(share.x + share.width).toBeLessThan(zoomIn.x);
  await page.getByRole('button', { name: 'Presenter' }).click();
  // Back to where it was, for the tests that follow.
  const now = (await page.getByRole('separator', { name: 'Resize panel' }).boundingBox())!;
  await page.mouse.move(now.x + 4, now.y + 200);
  await page.mouse.down();
  await page.mouse.move(sep.x + 4, sep.y + 200, { steps: 6 });
  await page.mouse.up();
});

test('Focus (F) shows the graph alone and larger; opening anything brings the panel and charts back', async () => {
  const graph = async () => (await page.getByTestId('graph').boundingBox())!;
  const before = await graph();
  const podBox = async () => (await page.locator('.react-flow__node [data-kind="Pod"]').first().boundingBox())!;
  const podBefore = await podBox();
  await page.locator('body').press('f');
  await expect(page.getByRole('button', { name: 'Focus' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('complementary', { name: 'Side panel (collapsed)' })).toBeVisible();
  await expect(page.getByTestId('bottom-strip')).toHaveClass(/collapsed/);
  await expect.poll(async () => (await graph()).width).toBeGreaterThan(before.width + 300);
  expect((await graph()).height).toBeGreaterThan(before.height + 50);
  // The drawing is refit to the larger stage: its pods are drawn larger.
  await expect.poll(async () => (await podBox()).width).toBeGreaterThan(podBefore.width * 1.15);
  // Clicking a pod opens the Inspector: the panel and the charts come back.
  await page.locator('.react-flow__node [data-kind="Pod"]').first().click();
  await expect(page.getByRole('button', { name: 'Focus' })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('tab-inspector')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('bottom-strip')).not.toHaveClass(/collapsed/);
  await page.getByTestId('tab-terminal').click();
});

test('choosing a scenario loads it; a pod that fits nowhere waits in the Unscheduled lane', async () => {
  await page.getByTestId('scenario').selectOption('unschedulable');
  await expect(page.locator('[data-kind="Node"]')).toHaveCount(2);
  await expect(page.getByTestId('clock')).toHaveText('00:00');
  await page.evaluate(() => window.kubeplay.advance(5_000));
  const lane = page.locator('[data-kind="Lane"]');
  await expect(lane.locator('[data-kind="Pod"][data-phase="Pending"]')).toHaveCount(1);
  await lane.locator('[data-kind="Pod"]').click();
  // With numbers: what the pod asks for against what each node has left.
  await expect(page.getByTestId('scheduler-trace')).toContainText(/Insufficient cpu: the pod requests 3, [\d.m]+ of 2 is free/);
  // At 30s the scenario adds a 4-CPU node; the scheduler retries and the pod leaves the lane.
  await page.evaluate(() => window.kubeplay.advance(30_000));
  await expect(lane.locator('[data-kind="Pod"]')).toHaveCount(0);
  await expect(page.locator('[data-kind="Node"][data-name="big-1"] [data-kind="Pod"]')).toHaveCount(1);
  await expect(page.getByTestId('scheduler-trace')).toContainText('Scheduled to big-1');
});

test('a big cluster draws each node’s pods of a revision as one counted chip, and every pod is counted', async () => {
  const big = `apiVersion: kubeplay.dev/v1alpha1
kind: Scenario
metadata: {name: dense}
spec:
  seed: 3
  cluster:
    nodes:
      - {count: 10, namePrefix: worker-, capacity: {cpu: "32", memory: 64Gi, pods: "110"}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 300
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27, resources: {requests: {cpu: 10m}}}]
`;
  expect(await page.evaluate((y) => window.kubeplay.load(y), big)).toEqual([]);
  await page.evaluate(() => window.kubeplay.advance(30_000));
  const groups = page.locator('.react-flow__node [data-kind="PodGroup"][data-name="web"]');
  await expect(groups).toHaveCount(10);
  // The counts add up to the pods kubectl lists, and each chip says what its pods' STATUS is.
  const counted = await groups.evaluateAll((els) => els.reduce((n, e) => n + Number(e.getAttribute('data-count')), 0));
  expect(counted).toBe(await podRows());
  await expect(groups.first()).toHaveAttribute('data-phases', /^\d+ Running$/);
  await expect(groups.first()).toHaveAccessibleName(/^\d+ pods of web: \d+ Running$/);
  // Scaling down on one node's worth leaves the layout where it was.
  const before = await page.locator('.react-flow__node-k8snode').first().boundingBox();
  await page.evaluate(() => window.kubeplay.run('kubectl scale deployment web --replicas=280'));
  await page.evaluate(() => window.kubeplay.advance(40_000));
  await expect.poll(async () => groups.evaluateAll((els) => els.reduce((n, e) => n + Number(e.getAttribute('data-count')), 0))).toBe(280);
  expect(await page.locator('.react-flow__node-k8snode').first().boundingBox()).toEqual(before);
});

test('zoomed far out, a big cluster’s boxes draw one bar per revision with its count; zoomed in, the chips again', async () => {
  // The 280 pods of the test before, on 10 nodes.
  const bars = page.locator('.react-flow__node .far-bar[data-kind="PodGroup"][data-name="web"]');
  const zoomOut = page.getByRole('button', { name: /zoom out/i });
  for (let i = 0; i < 8 && (await bars.count()) === 0; i++) await zoomOut.click();
  await expect(bars).toHaveCount(10);
  await expect(page.locator('.react-flow__node .pod-chip')).toHaveCount(0);
  const counted = await bars.evaluateAll((els) => els.reduce((n, e) => n + Number(e.getAttribute('data-count')), 0));
  expect(counted).toBe(await podRows());
  await expect(bars.first()).toHaveAttribute('aria-label', /^\d+ pods of web: \d+ Running$/);
  expect(Number(await bars.first().textContent())).toBe(Number(await bars.first().getAttribute('data-count')));
  // A bar opens what its chip opens: the ReplicaSet.
  await bars.first().click();
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-inspected-kind', 'ReplicaSet');
  const zoomIn = page.getByRole('button', { name: /zoom in/i });
  for (let i = 0; i < 8 && (await bars.count()) > 0; i++) await zoomIn.click();
  await expect(page.locator('.react-flow__node .pod-chip[data-kind="PodGroup"][data-name="web"]')).toHaveCount(10);
});

test('a cluster of 300 nodes, zoomed out, is drawn on one canvas: a click on a node inspects it; zoomed in, the boxes in view', async () => {
  const wide = `apiVersion: kubeplay.dev/v1alpha1
kind: Scenario
metadata: {name: wide}
spec:
  seed: 5
  cluster:
    nodes:
      - {count: 300, namePrefix: n-, capacity: {cpu: "8", memory: 16Gi, pods: "110"}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 600
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27, resources: {requests: {cpu: 100m}}}]
`;
  expect(await page.evaluate((y) => window.kubeplay.load(y), wide)).toEqual([]);
  await page.evaluate(() => window.kubeplay.advance(20_000));
  // Fitted, every box is on the canvas and none is an element of its own.
  await expect(page.getByTestId('overview-hint')).toHaveText('300 nodes, drawn small: zoom in to see their pods');
  await expect(page.getByTestId('node-overview')).toBeVisible();
  await expect(page.locator('.react-flow__node-k8snode')).toHaveCount(0);
  // The first node's box is the grid's top left, at (0, 0) of the drawing.
  const at = await page.evaluate(() => {
    const vp = document.querySelector<HTMLElement>('.react-flow__viewport')!;
    const [, tx, ty, z] = /translate\(([-\d.]+)px, ([-\d.]+)px\) scale\(([\d.]+)\)/.exec(vp.style.transform)!.map(Number);
    const r = document.querySelector('.react-flow')!.getBoundingClientRect();
    return { x: r.left + tx + 150 * z, y: r.top + ty + 60 * z };
  });
  await page.mouse.move(at.x - 1, at.y - 1);
  await page.mouse.click(at.x, at.y);
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-inspected-kind', 'Node');
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-inspected-name', 'n-1');
  // Zoomed in, boxes are elements again, only those in view.
  const zoomIn = page.getByRole('button', { name: /zoom in/i });
  const boxes = page.locator('.react-flow__node-k8snode');
  for (let i = 0; i < 12 && (await boxes.count()) === 0; i++) await zoomIn.click();
  await expect(page.getByTestId('overview-hint')).toHaveCount(0);
  expect(await boxes.count()).toBeGreaterThan(0);
  expect(await boxes.count()).toBeLessThan(300);
  // The fit button fits the whole cluster again, on the canvas.
  await page.getByRole('button', { name: 'Fit View' }).click();
  await expect(page.getByTestId('overview-hint')).toBeVisible();
  await expect(boxes).toHaveCount(0);
});

test('a pod with scheduling gates waits, says why, and is scheduled once the gates are removed', async () => {
  const gated = `apiVersion: v1
kind: Pod
metadata: {name: test-pod}
spec:
  schedulingGates: [{name: example.com/foo}, {name: example.com/bar}]
  containers: [{name: pause, image: registry.k8s.io/pause:3.6}]
`;
  expect(await page.evaluate((y) => window.kubeplay.load(y), gated)).toEqual([]);
  await page.evaluate(() => window.kubeplay.advance(5_000));
  const lane = page.locator('[data-kind="Lane"]');
  const pod = lane.locator('[data-kind="Pod"][data-name="test-pod"]');
  await expect(pod).toHaveAttribute('data-phase', 'SchedulingGated');
  await pod.click();
  await expect(page.getByTestId('scheduler-trace')).toContainText('Not considered for scheduling until its scheduling gates are removed: example.com/foo, example.com/bar.');
  const r = await page.evaluate(() => window.kubeplay.run(`kubectl patch pod test-pod --type=json -p '[{"op":"remove","path":"/spec/schedulingGates"}]'`));
  expect(r).toEqual({ exit: 0, out: 'pod/test-pod patched\n' });
  await page.evaluate(() => window.kubeplay.advance(10_000));
  await expect(lane.locator('[data-kind="Pod"]')).toHaveCount(0);
  await expect(page.locator('[data-kind="Node"] [data-kind="Pod"][data-name="test-pod"]')).toHaveAttribute('data-phase', 'Running');
});

test('a Service card inspects its Service wherever it is clicked, not only on its name', async () => {
  await page.getByTestId('scenario').selectOption('default');
  const svc = page.locator('.react-flow__node [data-kind="Service"][data-name="web"]');
  await svc.locator('.card-addr').click();
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-inspected-kind', 'Service');
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-inspected-name', 'web');
});

test('no console errors and no requests to other origins', () => {
  expect(errors).toEqual([]);
  expect(foreign).toEqual([]);
});
