import { describe, expect, it } from 'vitest';
import { addIngress, addPod, addService, netSim, syncSlice } from './testutil.ts';
import type { Value } from './promql/eval.ts';
import { runNetworkCommand } from './commands.ts';

function scalarOf(v: Value): number {
  if (v.type === 'vector') return v.samples.length === 1 ? v.samples[0].v : NaN;
  if (v.type === 'scalar') return v.v;
  return NaN;
}

function shop(opts: { errorRate?: number } = {}) {
  const { sim, net } = netSim({
    images: { 'shop:v1': { latencyMs: 20 }, 'shop:v2': { latencyMs: 180, errorRate: opts.errorRate ?? 0.25 } },
    traffic: [{ host: 'shop.example.com', path: '/', rps: 20 }],
  });
  const pods = [addPod(sim, 'shop-1', { labels: { app: 'shop' }, image: 'shop:v1' }), addPod(sim, 'shop-2', { labels: { app: 'shop' }, image: 'shop:v2' })];
  const svc = addService(sim, 'shop', { selector: { app: 'shop' } });
  syncSlice(sim, svc, pods);
  addIngress(sim, 'shop', [{ host: 'shop.example.com', paths: [{ path: '/', service: 'shop' }] }]);
  return { sim, net, pods, svc };
}

describe('traffic generator', () => {
  it('spec.traffic produces seeded Poisson arrivals through the ingress, counted as metrics', () => {
    const { sim, net } = shop();
    sim.runUntil(120_000);
    const total = scalarOf(net.query('sum(nginx_ingress_controller_requests)'));
    // 20 rps for 120 s = 2,400 expected; Poisson sd ≈ 49.
    expect(total).toBeGreaterThan(2250);
    expect(total).toBeLessThan(2550);
    const app = scalarOf(net.query('sum(http_requests_total)'));
    expect(app).toBe(total);
    // round robin over 2 pods: half each
    const v2 = scalarOf(net.query('sum(http_requests_total{image="shop:v2"})'));
    expect(Math.abs(v2 - total / 2)).toBeLessThanOrEqual(1);
    // error ratio of v2 ≈ 25%
    const errRatio = scalarOf(net.query('sum(rate(http_requests_total{image="shop:v2",code="500"}[1m])) / sum(rate(http_requests_total{image="shop:v2"}[1m]))'));
    expect(errRatio).toBeGreaterThan(0.15);
    expect(errRatio).toBeLessThan(0.35);
    // the nginx metric has the status label the Argo templates filter on
    const five = scalarOf(net.query('sum(nginx_ingress_controller_requests{ingress="shop",status=~"5.*"})'));
    expect(five).toBeGreaterThan(0);
    // p99 latency lies in v2's bucket (0.1, 0.25]
    const p99 = scalarOf(net.query('histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[1m])))'));
    expect(p99).toBeGreaterThan(0.1);
    expect(p99).toBeLessThanOrEqual(0.25);
  });

  it('is deterministic for a seed and stops on request', () => {
    const run = () => {
      const { sim, net } = shop();
      sim.runUntil(30_000);
      return scalarOf(net.query('sum(nginx_ingress_controller_requests)'));
    };
    expect(run()).toBe(run());
    const { sim, net } = shop();
    sim.runUntil(10_000);
    net.stopTraffic();
    sim.runUntil(20_000);
    expect(sim.nextTimerAt()).toBeUndefined();
  });

  it('summarizes edges, versions and samples compactly', () => {
    const { sim, net } = shop();
    sim.runUntil(10_000);
    const s = net.trafficSummary(5_000);
    expect(s.total).toBeGreaterThan(60);
    expect(s.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual([
      'client>ingress:default/shop',
      'ingress:default/shop>service:default/shop',
      'service:default/shop>pod:default/shop-1',
      'service:default/shop>pod:default/shop-2',
    ]);
    expect(s.versions.map((v) => v.version).sort()).toEqual(['shop:v1', 'shop:v2']);
    expect(s.samples.length).toBeGreaterThan(0);
    expect(s.samples.length).toBeLessThanOrEqual(50);
    expect(s.samples[0]).toMatchObject({ host: 'shop.example.com', ingress: 'default/shop', service: 'default/shop' });
  });

  it('a pod restart resets its counter and rate() corrects for it', () => {
    const { sim, net, pods } = shop({ errorRate: 0 });
    sim.runUntil(60_000);
    const before = scalarOf(net.query('http_requests_total{pod="shop-1"}'));
    pods[0].status.containerStatuses![0].restartCount = 1;
    sim.store.update(pods[0]);
    sim.runUntil(90_000);
    const after = scalarOf(net.query('http_requests_total{pod="shop-1"}'));
    expect(after).toBeLessThan(before);
    // window (30 s, 90 s]: ~450, ~600, reset, ~150, ~300 → increase ≈ 450 over 45 s, extrapolated to 60 s.
    const rate = scalarOf(net.query('rate(http_requests_total{pod="shop-1"}[1m])'));
    expect(rate).toBeGreaterThan(7);
    expect(rate).toBeLessThan(13);
  });

  it('requests to a service with no ready endpoints get 503 from ingress-nginx', () => {
    const { sim, net, pods, svc } = shop();
    for (const p of pods) p.status.conditions![0].status = 'False';
    syncSlice(sim, svc, pods);
    const r = net.request({ url: 'http://shop.example.com/' });
    expect(r.status).toBe(503);
    expect(r.body).toContain('<center><h1>503 Service Temporarily Unavailable</h1></center>');
    expect(net.request({ url: 'http://other.example.com/' }).status).toBe(404);
  });

  it('a failed node times out (nginx retries the next endpoint), a terminating pod refuses', () => {
    const { sim, net, pods } = shop();
    sim.store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    sim.store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } });
    pods[0].spec.nodeName = 'n1';
    pods[1].spec.nodeName = 'n2';
    sim.store.update(pods[0]);
    sim.store.update(pods[1]);
    const rs = Array.from({ length: 10 }, () => net.request({ url: 'http://shop.example.com/' }));
    // every request ends on shop-1; those that tried shop-2 first paid the 5 s connect timeout
    expect(rs.every((r) => r.pod === 'default/shop-1' && r.status === 200)).toBe(true);
    expect(rs.filter((r) => r.attempts === 2).every((r) => r.latencyMs >= 5000)).toBe(true);
    // every endpoint times out: 504 after 2 tries × 5 s
    const n1 = sim.store.get('Node', undefined, 'n1')!;
    n1.status.conditions[0].status = 'Unknown';
    sim.store.update(n1);
    expect(net.request({ url: 'http://shop.example.com/' })).toMatchObject({ status: 504, latencyMs: 10_000 });
    // every pod terminating (its listener closed): 502
    for (const p of pods) {
      p.spec.nodeName = undefined;
      p.metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
      sim.store.update(p);
    }
    expect(net.request({ url: 'http://shop.example.com/' }).status).toBe(502);
  });
});

describe('kubeplay commands', () => {
  it('curl -i prints the status line, headers and body', () => {
    const { sim } = shop();
    const r = runNetworkCommand(sim, ['curl', '-i', '-H', 'Host: shop.example.com', 'http://203.0.113.2/'])!;
    expect(r.exit).toBe(0);
    expect(r.out).toBe(
      'HTTP/1.1 200 OK\nDate: Wed, 01 Jan 2025 00:00:00 GMT\nContent-Type: text/plain; charset=utf-8\nContent-Length: 54\nConnection: keep-alive\n' +
        'x-kubeplay-service: default/shop\nx-kubeplay-pod: shop-1\n\nGET / served by shop-1 (shop:v1) for shop.example.com\n',
    );
    expect(runNetworkCommand(sim, ['curl', 'http://nope.default.svc.cluster.local/'])).toEqual({ exit: 6, out: 'curl: (6) Could not resolve host: nope.default.svc.cluster.local\n' });
    expect(runNetworkCommand(sim, ['curl', '-f', 'http://other.example.com/'])).toEqual({ exit: 22, out: 'curl: (22) The requested URL returned error: 404\n' });
    // -s silences the error message, not the exit code; -S shows it again.
    expect(runNetworkCommand(sim, ['curl', '-sf', 'http://other.example.com/'])).toEqual({ exit: 22, out: '' });
    expect(runNetworkCommand(sim, ['curl', '-s', 'http://nope/'])).toEqual({ exit: 6, out: '' });
    expect(runNetworkCommand(sim, ['curl', '-sS', 'http://nope/'])).toEqual({ exit: 6, out: 'curl: (6) Could not resolve host: nope\n' });
    expect(runNetworkCommand(sim, ['get', 'pods'])).toBeUndefined();
  });

  it('traffic set/list/stop/stats', () => {
    const { sim } = shop();
    expect(runNetworkCommand(sim, ['traffic', 'set', 'api', '--host', 'shop.example.com', '--rps', '50'])!.out).toBe('traffic "api" set: 50 rps to shop.example.com/\n');
    expect(runNetworkCommand(sim, ['traffic', 'list'])!.out).toMatch(/\napi +shop\.example\.com +\/ +50 +100 +<none>\n/);
    sim.runUntil(5_000);
    expect(runNetworkCommand(sim, ['traffic', 'stats'])!.out).toMatch(/^VERSION +REQUESTS +ERRORS +SHARE\nshop:v1 /);
    expect(runNetworkCommand(sim, ['traffic', 'stop', 'api'])!.out).toBe('traffic "api" stopped\n');
    expect(runNetworkCommand(sim, ['traffic', 'set', '--rps', '-3'])!.exit).toBe(1);
  });

  it('traffic stats says why requests fail when it is where they go', () => {
    const { sim } = shop();
    runNetworkCommand(sim, ['traffic', 'set', 'typo', '--host', 'shopp', '--rps', '10']);
    runNetworkCommand(sim, ['traffic', 'set', 'lost', '--host', 'other.example.com', '--rps', '10']);
    sim.runUntil(5_000);
    const out = runNetworkCommand(sim, ['traffic', 'stats'])!.out;
    expect(out).toContain(`traffic "typo": could not resolve host "shopp": no Service of that name in default (traffic reaches a Service by its name, or an Ingress by its rules' host)\n`);
    expect(out).toContain('traffic "lost": no Ingress rule matches host "other.example.com" and path / (the ingress controller answers 404)\n');
  });

  it('promql prints text and the HTTP API json', () => {
    const { sim } = shop();
    sim.runUntil(30_000);
    const r = runNetworkCommand(sim, ['promql', 'sum by (image) (http_requests_total)'])!;
    expect(r.out).toMatch(/^\{image="shop:v1"\} => \d+ @\[1735689630\.000\]\n\{image="shop:v2"\} => \d+ @\[1735689630\.000\]\n$/);
    const j = JSON.parse(runNetworkCommand(sim, ['promql', 'sum(http_requests_total)', '-o', 'json'])!.out);
    expect(j.status).toBe('success');
    expect(j.data.resultType).toBe('vector');
    expect(j.data.result[0].value[0]).toBe(1735689630);
    const bad = runNetworkCommand(sim, ['promql', 'sum(', '-o', 'json'])!;
    expect(bad.exit).toBe(1);
    expect(JSON.parse(bad.out)).toMatchObject({ status: 'error', errorType: 'bad_data' });
  });
});

describe('snapshots and the real cluster', () => {
  it('restoring a snapshot replays the same traffic and metrics', () => {
    const a = shop();
    a.sim.runUntil(30_000);
    const snap = a.sim.snapshot();
    a.sim.runUntil(60_000);
    const want = runNetworkCommand(a.sim, ['promql', 'sum by (pod, code) (http_requests_total)'])!.out;
    const wantSummary = a.net.trafficSummary(30_000);
    const b = shop();
    b.sim.runUntil(12_000); // diverge first, then travel back
    b.sim.restore(snap);
    b.sim.runUntil(60_000);
    expect(runNetworkCommand(b.sim, ['promql', 'sum by (pod, code) (http_requests_total)'])!.out).toBe(want);
    expect(b.net.trafficSummary(30_000)).toEqual(wantSummary);
  });

  it('a failed node: its pods stay Ready for a while, and requests to them time out', async () => {
    const { createCluster } = await import('../cluster.ts');
    const sim = createCluster({ seed: 3, nodes: [{ name: 'a' }, { name: 'b' }], images: { 'web:1': { startupSeconds: 1 } } });
    const api = sim.service<{ create(o: unknown): unknown }>('api');
    api.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1', ports: [{ containerPort: 80 }] }] } } },
    });
    api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    sim.runUntil(20_000);
    const net = sim.service<import('./index.ts').NetworkModule>('network');
    const ok = Array.from({ length: 40 }, () => net.request({ url: 'http://web/' }));
    expect(ok.every((r) => r.status === 200)).toBe(true);
    const kubelet = sim.service<{ failNode(n: string): void }>('kubelet');
    const victim = ok[0].node!;
    kubelet.failNode(victim);
    sim.runFor(1000);
    const after = Array.from({ length: 40 }, () => net.request({ url: 'http://web/' }));
    expect(after.some((r) => r.error === 'timeout' && r.node === victim)).toBe(true);
    expect(after.filter((r) => r.status === 200).every((r) => r.node !== victim)).toBe(true);
  });
});
