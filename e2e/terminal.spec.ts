/**
 * The terminal as a person uses it: Tab completes kinds and names from the live cluster (the worker
 * answers), a second Tab lists the choices under the prompt, and Enter runs the completed line.
 */
import { expect, test, type Page } from '@playwright/test';
import { watchPage } from './watch.ts';

test.describe.configure({ mode: 'serial' });

let page: Page;
let errors: string[] = [];
let foreign: string[] = [];

test.beforeAll(async ({ browser, baseURL }) => {
  page = await browser.newPage({ viewport: { width: 1280, height: 720 }, colorScheme: 'dark' });
  ({ errors, foreign } = watchPage(page, baseURL));
  await page.goto('/');
  await page.evaluate(() => window.kubeplay.ready);
  await page.evaluate(() => window.kubeplay.advance(20_000));
  await expect(page.locator('[data-kind="Pod"][data-phase="Running"]')).toHaveCount(3);
});

test.afterAll(async () => {
  expect(errors).toEqual([]);
  expect(foreign).toEqual([]);
  await page.close();
});

const input = () => page.getByTestId('terminal-input');

test('Tab completes a kind: kubectl get dep → deployments', async () => {
  await page.getByTestId('tab-terminal').click();
  await input().fill('kubectl get dep');
  await input().press('Tab');
  await expect(input()).toHaveValue('kubectl get deployments ');
  // The caret sits after the completion, so typing continues the line.
  await input().press('w');
  await input().press('Tab');
  await expect(input()).toHaveValue('kubectl get deployments web ');
  await input().press('Enter');
  await expect(page.getByTestId('terminal-output')).toContainText('$ kubectl get deployments web');
  await expect(page.getByTestId('terminal-output')).toContainText(/web\s+3\/3\s+3\s+3/);
  await expect(input()).toHaveValue('');
  // Focus stayed in the input (Tab did not move it).
  await expect(input()).toBeFocused();
});

test('Tab Tab lists the pod names under the prompt', async () => {
  const out = await page.evaluate(() => window.kubeplay.run('kubectl get pods -o name'));
  const names = out.out.trim().split('\n').map((l) => l.replace('pod/', ''));
  expect(names).toHaveLength(3);
  await input().fill('kubectl get pods ');
  await input().press('Tab');
  // All three start with "web-<hash>-": the first Tab extends to the common prefix.
  const common = names.reduce((p, n) => {
    let i = 0;
    while (i < p.length && p[i] === n[i]) i++;
    return p.slice(0, i);
  });
  await expect(input()).toHaveValue(`kubectl get pods ${common}`);
  await expect(page.getByTestId('terminal-choices')).toHaveCount(0);
  await input().press('Tab');
  const choices = page.getByTestId('terminal-choices');
  await expect(choices).toBeVisible();
  for (const n of names) await expect(choices).toContainText(n);
  await page.screenshot({ path: '/tmp/tev/terminal-choices-dark.png' });
  // Typing hides the list; completing one name inserts it.
  await input().press(names[0][common.length]);
  await expect(choices).toHaveCount(0);
  const rest = names.filter((n) => n.startsWith(names[0].slice(0, common.length + 1)));
  if (rest.length === 1) {
    await input().press('Tab');
    await expect(input()).toHaveValue(`kubectl get pods ${names[0]} `);
  }
});

test('Tab completes namespaces, flags and argo subcommands', async () => {
  await input().fill('kubectl get pods -n kube-s');
  await input().press('Tab');
  await expect(input()).toHaveValue('kubectl get pods -n kube-system ');
  await input().fill('kubectl scale deployment web --rep');
  await input().press('Tab');
  await expect(input()).toHaveValue('kubectl scale deployment web --replicas=');
  await input().fill('kubectl rollout res');
  await input().press('Tab');
  await input().press('Tab');
  await expect(page.getByTestId('terminal-choices')).toHaveText('restart  resume');
  await input().fill('');
});

test('the newest output stays in view as the screen fills, and earlier output scrolls back', async () => {
  await page.getByTestId('tab-terminal').click();
  const screen = page.getByTestId('terminal-output');
  for (let i = 0; i < 8; i++) {
    await input().fill('kubectl get pods -o wide');
    await input().press('Enter');
  }
  await input().fill('kubectl version');
  await input().press('Enter');
  const last = screen.getByText(/Server Version: /).last();
  await expect(last).toBeVisible();
  const inView = async () => {
    const s = (await screen.boundingBox())!;
    const l = (await last.boundingBox())!;
    return l.y >= s.y && l.y + l.height <= s.y + s.height;
  };
  await expect.poll(inView).toBe(true);
  // Scrolling up shows older commands and hides the newest line.
  await screen.hover();
  await page.mouse.wheel(0, -2000);
  await expect.poll(inView).toBe(false);
});

test('kubectl taint with NoExecute marks the node and moves its pods off it', async () => {
  await page.getByTestId('tab-terminal').click();
  const box = page.locator('[data-kind="Node"][data-name="worker-1"]');
  await expect(box.locator('[data-kind="Pod"]')).not.toHaveCount(0);
  await input().fill('kubectl taint nodes worker-1 dedicated=db:NoExecute');
  await input().press('Enter');
  await expect(page.getByTestId('terminal-output')).toContainText('node/worker-1 tainted');
  await expect(box.locator('.taint')).toHaveText('dedicated=db:NoExecute');
  await page.evaluate(() => window.kubeplay.advance(40_000));
  // The ReplicaSet replaced the evicted pod on another node.
  await expect(box.locator('[data-kind="Pod"]')).toHaveCount(0);
  await expect(page.locator('[data-kind="Pod"][data-phase="Running"]')).toHaveCount(3);
  const out = await page.evaluate(() => window.kubeplay.exec('kubectl get events --field-selector reason=TaintManagerEviction -o jsonpath={.items[*].reason}'));
  expect(out.out).toContain('TaintManagerEviction');
  await input().fill('kubectl taint nodes worker-1 dedicated-');
  await input().press('Enter');
  await expect(page.getByTestId('terminal-output')).toContainText('node/worker-1 untainted');
  await expect(box.locator('.taint')).toHaveCount(0);
});

test("the API server's warnings are printed before the answer, wrapped, not cut at the panel's edge", async () => {
  await page.getByTestId('tab-terminal').click();
  await input().fill(`kubectl run old-arch --image=nginx:1.25 --overrides='{"spec":{"nodeSelector":{"beta.kubernetes.io/arch":"amd64"}}}'`);
  await input().press('Enter');
  const warn = page.locator('.term-warn').last();
  await expect(warn).toHaveText('Warning: spec.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; use "kubernetes.io/arch" instead');
  // All of it is on screen: it wraps instead of scrolling sideways.
  expect(await warn.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await expect(page.getByTestId('terminal-output')).toContainText('pod/old-arch created');
  await page.evaluate(() => window.kubeplay.exec('kubectl delete pod old-arch --now'));
});

test('a pipe leads kubectl’s output into grep, wc, head, awk and xargs; into anything else it says what it takes', async () => {
  await page.getByTestId('tab-terminal').click();
  const entry = () => page.locator('[data-testid="terminal-output"] .term-entry').last();
  await input().fill('kubectl get pods | grep web | wc -l');
  await input().press('Enter');
  await expect(entry()).toContainText(/kubectl get pods \| grep web \| wc -l\s*3\s*$/);
  await input().fill('kubectl get pods -o name | head -1');
  await input().press('Enter');
  await expect(entry()).toContainText(/head -1\s*pod\/web-[a-z0-9]+-[a-z0-9]{5}\s*$/);
  await input().fill("kubectl get pods | awk 'NR>1 {print $3}' | uniq -c");
  await input().press('Enter');
  await expect(entry()).toContainText(/uniq -c\s*3 Running\s*$/);
  // xargs runs kubectl as typed: the names become arguments of kubectl get.
  await input().fill('kubectl get pods -o name | xargs kubectl get -o name');
  await input().press('Enter');
  await expect(entry()).toContainText(/xargs kubectl get -o name\s*(pod\/web-[a-z0-9]+-[a-z0-9]{5}\s*){3}$/);
  await input().fill('kubectl get pods -o json | jq .');
  await input().press('Enter');
  await expect(entry()).toContainText('the terminal pipes a command\'s output only into grep, egrep, fgrep, wc, head, tail, sort, uniq, cut, awk, sed, tr, base64, cat and xargs, not "jq"');
});

test('kubectl edit opens the object in the Editor tab (its Apply is the save)', async () => {
  await page.getByTestId('tab-terminal').click();
  await input().fill('kubectl edit deployment web');
  await input().press('Enter');
  await expect(page.getByTestId('tab-editor')).toHaveAttribute('aria-selected', 'true');
  const editor = page.getByTestId('monaco');
  await expect(editor.locator('.view-lines')).toContainText('kubectl edit deployment.apps/web', { timeout: 30_000 });
  await expect(editor.locator('.view-lines')).toContainText(/replicas:.?3/);
  await page.getByTestId('tab-terminal').click();
  await expect(page.getByTestId('terminal-output')).toContainText('Editing deployment/web in the Editor tab');
  await input().fill('kubectl edit deployment nope');
  await input().press('Enter');
  await expect(page.getByTestId('terminal-output')).toContainText('Error from server (NotFound): deployments.apps "nope" not found');
});

test("a Job's command line runs on the cluster clock: its pod completes and its log has what it printed; a bare busybox crash-loops", async () => {
  await page.getByTestId('tab-terminal').click();
  await input().fill(`kubectl create job count --image=busybox -- sh -c 'for i in 1 2 3; do echo "step $i"; sleep 2; done'`);
  await input().press('Enter');
  await expect(page.getByTestId('terminal-output')).toContainText('job.batch/count created');
  await input().fill('kubectl run bare --image=busybox');
  await input().press('Enter');
  await expect(page.getByTestId('terminal-output')).toContainText('pod/bare created');
  await page.evaluate(() => window.kubeplay.advance(60_000));
  await expect(page.locator('[data-kind="Pod"][data-name^="count-"]')).toHaveAttribute('data-phase', 'Completed');
  await expect(page.locator('[data-kind="Pod"][data-name="bare"]')).toHaveAttribute('data-phase', 'CrashLoopBackOff');
  await input().fill('kubectl logs job/count --timestamps');
  await input().press('Enter');
  await expect(page.getByTestId('terminal-output')).toContainText(/T\d\d:\d\d:\d\dZ step 1\n.*T\d\d:\d\d:\d\dZ step 2\n.*T\d\d:\d\d:\d\dZ step 3/);
  await input().fill(`kubectl exec deploy/web -- sh -c 'echo "I am $(hostname)"'`);
  await input().press('Enter');
  await expect(page.getByTestId('terminal-output')).toContainText(/I am web-\w+-\w{5}/);
});

test("the Inspector shows a pod's log and follows it as the clock runs", async () => {
  await page.evaluate(() => window.kubeplay.exec(`kubectl run ticker --image=busybox -- sh -c 'while true; do echo "tick $(date +%T)"; sleep 5; done'`));
  await page.evaluate(() => window.kubeplay.advance(20_000));
  await page.locator('[data-kind="Pod"][data-name="ticker"]').click();
  await page.getByTestId('tab-inspector').click();
  const logs = page.getByTestId('inspector-logs');
  await expect(logs).toContainText(/tick \d\d:\d\d:\d\d/);
  const before = ((await logs.textContent()) ?? '').match(/tick/g)?.length ?? 0;
  await page.evaluate(() => window.kubeplay.advance(10_000));
  await expect.poll(async () => ((await logs.textContent()) ?? '').match(/tick/g)?.length ?? 0).toBe(before + 2);
});

test('kubectl rollout status keeps watching, a line per change, until the rollout is done', async () => {
  await page.getByTestId('tab-terminal').click();
  await input().fill('kubectl set image deployment/web nginx=nginx:1.27');
  await input().press('Enter');
  await expect(page.getByTestId('terminal-output')).toContainText('deployment.apps/web image updated');
  await input().fill('kubectl rollout status deployment/web');
  await input().press('Enter');
  const entry = page.locator('.term-entry', { hasText: '$ kubectl rollout status deployment/web' }).last();
  // Still watching: the first waiting line, not an error, and the entry has not ended.
  await expect(entry).toContainText('Waiting for deployment "web" rollout to finish');
  await expect(entry).toHaveAttribute('data-exit', '');
  // The clock moves on in steps, as playing does: each new state is read as it comes.
  for (let i = 0; i < 18; i++) {
    await page.evaluate(() => window.kubeplay.advance(5_000));
    await page.waitForTimeout(100);
  }
  await expect(entry).toContainText('deployment "web" successfully rolled out');
  await expect(entry).toHaveAttribute('data-exit', '0');
  // More than one waiting line: it printed as the rollout went on.
  expect(((await entry.textContent()) ?? '').match(/Waiting for deployment/g)?.length ?? 0).toBeGreaterThan(1);
});

test('kubectl get pods -w lists, then adds a row each time a pod changes, until another command ends it', async () => {
  await page.getByTestId('tab-terminal').click();
  await input().fill('kubectl get pods -w');
  await input().press('Enter');
  const entry = page.locator('.term-entry', { hasText: '$ kubectl get pods -w' }).last();
  await expect(entry).toContainText(/NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
  await expect(entry).toHaveAttribute('data-exit', '');
  const before = ((await entry.textContent()) ?? '').split('\n').length;
  // The clock moves a second at a time: ages change (no new rows), a rollout adds rows.
  await page.evaluate(() => window.kubeplay.advance(3_000));
  await page.waitForTimeout(200);
  expect(((await entry.textContent()) ?? '').split('\n').length).toBe(before);
  await page.evaluate(() => window.kubeplay.exec('kubectl rollout restart deployment/web'));
  // That command ended the watch, as Ctrl+C would; a new one sees the rollout's pods come and go.
  await expect(entry).toContainText('^C');
  await input().fill('kubectl get pods --watch');
  await input().press('Enter');
  const watch = page.locator('.term-entry', { hasText: '$ kubectl get pods --watch' }).last();
  for (let i = 0; i < 10; i++) {
    await page.evaluate(() => window.kubeplay.advance(2_000));
    await page.waitForTimeout(100);
  }
  await expect(watch).toContainText(/ContainerCreating|Terminating/);
  await expect(watch).toHaveAttribute('data-exit', '');
  expect((await watch.locator('pre').getAttribute('class')) ?? '').not.toContain('term-wrap');
  // Ctrl+C ends it, as in a terminal.
  await input().press('Control+c');
  await expect(watch).toContainText('^C');
  await expect(watch).toHaveAttribute('data-exit', '0');
  // On an empty line Tab leaves the terminal (there is nothing to complete).
  await input().press('Tab');
  await expect(input()).not.toBeFocused();
});

test('kubectl argo rollouts status watches too, until the rollout is Healthy', async () => {
  expect(await page.evaluate(() => window.kubeplay.load('argo-canary'))).toEqual([]);
  await page.evaluate(() => window.kubeplay.advance(50_000));
  await page.getByTestId('tab-terminal').click();
  await input().fill('kubectl argo rollouts status shop');
  await input().press('Enter');
  const entry = page.locator('.term-entry', { hasText: '$ kubectl argo rollouts status shop' }).last();
  // Paused at its pause step: the plugin's line, and the watch goes on.
  await expect(entry).toContainText('Paused - CanaryPauseStep');
  await expect(entry).toHaveAttribute('data-exit', '');
  // The scenario promotes at 60s; the steps run on to the end.
  for (let i = 0; i < 12; i++) {
    await page.evaluate(() => window.kubeplay.advance(5_000));
    await page.waitForTimeout(100);
  }
  await expect(entry).toContainText(/\nHealthy\n?$/);
  await expect(entry).toHaveAttribute('data-exit', '0');
  // The scenario's own steps are in the terminal with their teaching notes, as shell comments; its status
  // step, which could not watch, is muted (kubectl waiting), not red.
  const promoted = page.locator('.term-entry', { hasText: '$ kubectl argo rollouts promote shop' }).first();
  await expect(promoted.locator('.term-note')).toHaveText('# Promote skips the indefinite pause.');
  const stepStatus = page.locator('.term-entry', { hasText: '[00:50] $ kubectl argo rollouts status shop' });
  await expect(stepStatus.locator('.term-out')).toHaveClass(/term-waiting/);
});

test('kubectl argo rollouts get rollout --watch redraws its tree as the rollout moves, until another command ends it', async () => {
  expect(await page.evaluate(() => window.kubeplay.load('argo-canary'))).toEqual([]);
  await page.evaluate(() => window.kubeplay.advance(50_000));
  await page.getByTestId('tab-terminal').click();
  await input().fill('kubectl argo rollouts get rollout shop --watch');
  await input().press('Enter');
  const entry = page.locator('.term-entry', { hasText: '$ kubectl argo rollouts get rollout shop --watch' }).last();
  await expect(entry).toContainText('Status:          ॥ Paused');
  await expect(entry).toHaveAttribute('data-exit', '');
  // ॥ and ⧉ are drawn with the page's own glyph font (Debian's fonts have neither: an empty box before).
  await expect.poll(() => page.evaluate(() => [...document.fonts].filter((f) => f.family.includes('Kubeplay Glyphs')).map((f) => f.status))).toEqual(['loaded']);
  // The scenario promotes at 60s: the same tree, redrawn (one header, not one per change), reaches Healthy.
  for (let i = 0; i < 12; i++) {
    await page.evaluate(() => window.kubeplay.advance(5_000));
    await page.waitForTimeout(100);
  }
  await expect(entry).toContainText('Status:          ✔ Healthy');
  expect(((await entry.textContent()) ?? '').match(/Name: {12}shop/g)).toHaveLength(1);
  await expect(entry).toHaveAttribute('data-exit', '');
  expect((await entry.locator('pre').getAttribute('class')) ?? '').not.toContain('term-wrap');
  await input().press('Control+c');
  await expect(entry).toHaveAttribute('data-exit', '0');
});

test('acting by hand mid-scenario, the terminal says what the scenario does next and when', async () => {
  expect(await page.evaluate(() => window.kubeplay.load('argo-canary'))).toEqual([]);
  await page.evaluate(() => window.kubeplay.advance(52_000));
  await page.getByTestId('tab-terminal').click();
  await input().fill('kubectl argo rollouts promote shop');
  await input().press('Enter');
  const entry = page.locator('.term-entry', { hasText: '$ kubectl argo rollouts promote shop' }).last();
  await expect(entry).toContainText("rollout 'shop' promoted");
  await expect(entry.getByTestId('term-hint')).toHaveText("# the scenario's timeline goes on: at 01:00 it runs kubectl argo rollouts promote shop");
  // Looking changes nothing, so it gets no such line.
  await input().fill('kubectl get rollout shop');
  await input().press('Enter');
  await expect(page.locator('.term-entry', { hasText: '$ kubectl get rollout shop' }).last().getByTestId('term-hint')).toHaveCount(0);
  // A second change before that step: the same next step is not announced again.
  await input().fill('kubectl argo rollouts set image shop shop=shop:v3');
  await input().press('Enter');
  const again = page.locator('.term-entry', { hasText: '$ kubectl argo rollouts set image shop' }).last();
  await expect(again).toContainText('rollout "shop" image updated');
  await expect(again.getByTestId('term-hint')).toHaveCount(0);
});

test('a -f of a file, a URL or standard input the page cannot read points to the Editor', async () => {
  await page.getByTestId('tab-terminal').click();
  await input().fill('kubectl create -f pod.yaml');
  await input().press('Enter');
  const entry = page.locator('.term-entry', { hasText: '$ kubectl create -f pod.yaml' }).last();
  await expect(entry).toContainText('error: the path "pod.yaml" does not exist');
  await expect(entry.getByTestId('term-hint')).toHaveText('# the terminal has no files: paste the manifest into the Editor tab and press Apply (Ctrl+Enter)');
  await input().fill('kubectl apply -f https://k8s.io/examples/pods/simple-pod.yaml');
  await input().press('Enter');
  const url = page.locator('.term-entry', { hasText: '$ kubectl apply -f https://' }).last();
  await expect(url.getByTestId('term-hint')).toHaveText('# Kubeplay reaches nothing outside the page: paste the manifest into the Editor tab and press Apply (Ctrl+Enter)');
  // The Argo Rollouts guides start by installing the controller, which is already running here.
  await input().fill('kubectl apply -n argo-rollouts -f https://github.com/argoproj/argo-rollouts/releases/latest/download/install.yaml');
  await input().press('Enter');
  const install = page.locator('.term-entry', { hasText: 'install.yaml' }).last();
  await expect(install.getByTestId('term-hint')).toHaveText("# the Argo Rollouts controller is already running here (kubectl argo rollouts version); paste the guide's manifests into the Editor tab and press Apply (Ctrl+Enter)");
  // `-f -` reads standard input, which nothing can pipe into here.
  await input().fill('kubectl diff -f -');
  await input().press('Enter');
  const stdin = page.locator('.term-entry', { hasText: '$ kubectl diff -f -' }).last();
  await expect(stdin).toContainText('error: no objects passed to diff');
  await expect(stdin.getByTestId('term-hint')).toHaveText('# the terminal has no standard input to pipe a manifest into: paste it into the Editor tab and press Apply (Ctrl+Enter), or Diff to see what it would change');
});
