/**
 * The Traffic view: Internet → Ingress (with its rules) → Services → pods, edges labelled with the rates
 * the engine measured (checked against `kubeplay traffic stats`), the canary Ingress with its weight, and
 * the Cluster view's ownership edges. Screenshots at 1280×720 in both themes and presenter mode go to
 * test-results/ for a person to look at.
 */
import { expect, test, type Page } from '@playwright/test';
import { setTheme } from './theme.ts';

test.describe.configure({ mode: 'serial' });

let page: Page;
const errors: string[] = [];

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage({ viewport: { width: 1280, height: 720 }, colorScheme: 'light' });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
  // The view is remembered: start from the Cluster view without ownership edges.
  await page.evaluate(() => localStorage.removeItem('kubeplay.graph'));
});

test.afterAll(async () => {
  await page.close();
});

/** statsRps reads `kubeplay traffic stats --since 5s` (the Traffic view's 5 s window) as requests/s per version. */
async function statsRps(): Promise<Map<string, number>> {
  const r = await page.evaluate(() => window.kubeplay.exec('kubeplay traffic stats --since 5s'));
  expect(r.exit).toBe(0);
  const out = new Map<string, number>();
  for (const line of r.out.split('\n').slice(1)) {
    const m = /^(\S+)\s+(\d+)\s+\d+\s+[\d.]+%/.exec(line);
    if (m) out.set(m[1], Number(m[2]) / 5);
  }
  return out;
}

/** edgeRps is the rate on a Traffic view edge's label. */
async function edgeRps(id: string): Promise<number> {
  const label = page.locator(`.tedge-label[data-edge="${id}"]`);
  await expect(label).toBeVisible();
  return Number(await label.getAttribute('data-rps'));
}

function near(actual: number, expected: number) {
  expect(expected).toBeGreaterThan(0);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(0.1 * expected, 0.6));
}

async function toTraffic() {
  await page.locator('[data-testid="view-toggle"] [data-view="traffic"]').click();
  await expect(page.locator('.react-flow')).toHaveAttribute('data-view', 'traffic');
}

async function toCluster() {
  await page.locator('[data-testid="view-toggle"] [data-view="cluster"]').click();
  await expect(page.locator('.react-flow')).toHaveAttribute('data-view', 'cluster');
}

async function shoot(name: string) {
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    await page.waitForTimeout(300);
    await page.screenshot({ path: test.info().outputPath(`${name}-${theme}.png`) });
  }
  await page.getByRole('button', { name: 'Presenter' }).click();
  await page.waitForTimeout(400);
  await page.screenshot({ path: test.info().outputPath(`${name}-presenter.png`) });
  await page.getByRole('button', { name: 'Presenter' }).click();
}

test('ingress fan-out: Internet, the Ingress with its rules, four Services and rates that match traffic stats', async () => {
  expect(await page.evaluate(() => window.kubeplay.load('ingress-fanout'))).toEqual([]);
  await page.evaluate(() => window.kubeplay.advance(60_000));
  await toTraffic();
  await expect(page.locator('.react-flow__node [data-kind="Internet"]')).toHaveCount(1);
  const ing = page.locator('.react-flow__node [data-kind="Ingress"][data-name="shop"]');
  await expect(ing).toBeVisible();
  await expect(ing).toHaveAttribute('data-namespace', 'default');
  await expect(ing).toHaveAttribute('aria-label', /class nginx/);
  for (const [path, svc] of [
    ['shop.example.com/', 'web'],
    ['shop.example.com/api', 'api'],
    ['shop.example.com/healthz', 'health'],
    ['admin.example.com/', 'admin'],
  ]) {
    await expect(ing.locator(`.trule[data-service="${svc}"]`)).toContainText(path);
  }
  for (const svc of ['web', 'api', 'health', 'admin']) {
    await expect(page.locator(`.react-flow__node [data-kind="Service"][data-name="${svc}"]`)).toBeVisible();
    await expect(page.getByTestId(`rf__edge-e-ing/default/shop/default/${svc}`)).toHaveCount(1);
  }
  await expect(page.getByTestId('rf__edge-e-in/default/shop')).toHaveAttribute('aria-label', /Internet → Ingress shop: [\d.]+ requests\/s/);
  // Pods are drawn in the traffic view with their attributes.
  await expect(page.locator('.react-flow__node [data-kind="Pod"][data-service="default/web"]')).toHaveCount(3);

  const stats = await statsRps();
  near(await edgeRps('e-ing/default/shop/default/web'), stats.get('shop/web:1.0')!);
  near(await edgeRps('e-ing/default/shop/default/api'), stats.get('shop/api:1.0')!);
  const web = await edgeRps('e-ing/default/shop/default/web');
  const api = await edgeRps('e-ing/default/shop/default/api');
  const internet = await edgeRps('e-in/default/shop');
  expect(internet).toBeGreaterThanOrEqual(web + api - 0.2);
  // The share on the Ingress → Service label.
  const share = await page.locator('.tedge-label[data-edge="e-ing/default/shop/default/web"] .tedge-sub').textContent();
  expect(Number(share?.replace('%', ''))).toBeCloseTo((100 * web) / internet, -1);
  // Service → pods: the group's rate is the Service's (one revision).
  near(await edgeRps((await page.locator('.tedge-label[data-edge^="e-svc/default/web/"]').getAttribute('data-edge'))!), web);
  await shoot('traffic-fanout');
});

test("the HPA walkthrough's load generator: its own card and edge in the Traffic view, and the HPA scales php-apache out", async () => {
  expect(await page.evaluate(() => window.kubeplay.load('default'))).toEqual([]);
  const phpApache = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: php-apache}',
    'spec:',
    '  selector: {matchLabels: {run: php-apache}}',
    '  template:',
    '    metadata: {labels: {run: php-apache}}',
    '    spec:',
    '      containers:',
    '      - name: php-apache',
    '        image: registry.k8s.io/hpa-example',
    '        ports: [{containerPort: 80}]',
    '        resources: {limits: {cpu: 500m}, requests: {cpu: 200m}}',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: php-apache, labels: {run: php-apache}}',
    'spec: {ports: [{port: 80}], selector: {run: php-apache}}',
  ].join('\n');
  expect((await page.evaluate((y) => window.kubeplay.apply(y), phpApache)).exit).toBe(0);
  await page.evaluate(() => window.kubeplay.advance(30_000));
  expect((await page.evaluate(() => window.kubeplay.exec('kubectl autoscale deployment php-apache --cpu-percent=50 --min=1 --max=10'))).exit).toBe(0);
  // As the docs type it, in the terminal.
  await page.getByTestId('tab-terminal').click();
  const input = page.getByTestId('terminal-input');
  await input.fill('kubectl run -i --tty load-generator --rm --image=busybox:1.28 --restart=Never -- /bin/sh -c "while sleep 0.01; do wget -q -O- http://php-apache; done"');
  await input.press('Enter');
  await expect(page.getByTestId('terminal-output')).toContainText('pod/load-generator created');
  await page.evaluate(() => window.kubeplay.advance(90_000));
  await toTraffic();
  const client = page.locator('.react-flow__node [data-kind="Pod"][data-role="client"][data-name="load-generator"]');
  await expect(client).toBeVisible();
  await expect(client).toContainText('load-generator');
  expect(Number(await client.getAttribute('data-rps'))).toBeGreaterThan(10);
  expect(await edgeRps('e-client/default/load-generator/default/php-apache')).toBeGreaterThan(10);
  // None of it is the Internet's.
  await expect(page.getByTestId('rf__edge-e-direct/default/php-apache')).toHaveCount(0);
  await shoot('traffic-load-generator');
  const hpa = await page.evaluate(() => window.kubeplay.exec('kubectl get hpa php-apache'));
  expect(hpa.out).toMatch(/php-apache +Deployment\/php-apache +cpu: \d+%\/50% +1 +10 +([2-9]|10) /);
  await toCluster();
});

test('argo canary with nginx: the canary Ingress and its weight, stable and canary rates as traffic stats counts them', async () => {
  expect(await page.evaluate(() => window.kubeplay.load('argo-canary-nginx'))).toEqual([]);
  await page.evaluate(() => window.kubeplay.advance(60_000));
  await toTraffic();
  await expect(page.locator('.react-flow__node [data-kind="Ingress"]')).toHaveCount(2);
  const canary = page.locator('.react-flow__node [data-kind="Ingress"][data-name="shop-shop-canary"]');
  await expect(canary).toHaveAttribute('data-canary', 'true');
  await expect(canary).toContainText('weight 20%');
  await expect(page.locator('.tedge-label[data-edge="e-canary/default/shop/default/shop-shop-canary"]')).toHaveText('weight 20%');
  const stats = await statsRps();
  near(await edgeRps('e-ing/default/shop/default/shop-stable'), stats.get('shop:v1')!);
  near(await edgeRps('e-ing/default/shop-shop-canary/default/shop-canary'), stats.get('shop:v2')!);
  near(await edgeRps('e-in/default/shop'), stats.get('shop:v1')! + stats.get('shop:v2')!);
  await shoot('traffic-canary');
});

test('ownership edges in the cluster view: ReplicaSet → pod, toggled with the keyboard and remembered', async () => {
  await toCluster();
  await expect(page.locator('.react-flow__edge')).toHaveCount(0);
  const owners = page.getByTestId('owner-edges');
  await owners.focus();
  await page.keyboard.press('Enter');
  await expect(owners).toHaveAttribute('aria-pressed', 'true');
  const pods = await page.locator('.react-flow__node [data-kind="Pod"]').count();
  expect(pods).toBeGreaterThanOrEqual(5);
  await expect(page.locator('.react-flow__edge[data-id^="own/"]')).toHaveCount(pods);
  await expect(page.locator('.react-flow__edge[data-id^="own/"]').first()).toHaveAttribute('aria-label', /^ReplicaSet shop-[a-z0-9]+ owns pod shop-/);
  expect(await page.evaluate(() => JSON.parse(localStorage.getItem('kubeplay.graph') ?? '{}'))).toEqual({ view: 'cluster', owners: true });
  await shoot('cluster-owners');
  await owners.click();
  await expect(page.locator('.react-flow__edge')).toHaveCount(0);
  expect(errors).toEqual([]);
});
