import { describe, expect, it, test } from 'vitest';
import { readFileSync } from 'node:fs';
import type { TrafficSummary } from '../engine/network/index.ts';
import { packPods, percentages, sameView, trafficView, unpackPods, windowSeconds, TRAFFIC_WINDOW_MS, type PodInfo } from './traffic.ts';
import type { TrafficView } from './protocol.ts';
import { Session } from './session.ts';

const edge = (from: string, to: string, count: number, errors = 0) => ({ from, to, count, errors });

function summary(edges: TrafficSummary['edges'], extra: Partial<TrafficSummary> = {}): TrafficSummary {
  const total = edges.filter((e) => e.from === 'client').reduce((a, e) => a + e.count, 0);
  return { from: 6000, to: 10_000, total, errors: 0, edges, versions: [], statuses: {}, samples: [], ...extra };
}

const PODS: Record<string, PodInfo> = {
  'default/a-1': { image: 'app:1.0', revision: 'h1' },
  'default/a-2': { image: 'app:1.0', revision: 'h1' },
  'default/a-3': { image: 'app:1.0', revision: 'h1' },
  'default/b-1': { image: 'app:2.0', revision: 'h2' },
};
const info = (k: string) => PODS[k];

describe('windowSeconds', () => {
  test.each([
    // [earliest bucket, now, seconds]: bucket t holds arrivals in (t-1 s, t]
    [6000, 10_000, 5],
    [6000, 10_500, 5], // buckets 6..10 cover (5 s, 10 s]
    [2000, 3500, 2], // traffic began at 1 s: buckets 2 and 3
    [3000, 3000, 1],
    [1000, 60_000, 5], // never more than the window
  ])('from %i at %i → %i s', (from, now, secs) => {
    expect(windowSeconds(summary([edge('client', 'service:default/a', 1)], { from }), now, TRAFFIC_WINDOW_MS)).toBe(secs);
  });
});

describe('trafficView', () => {
  test('a Service: rps from its inbound edge, versions from its pods by image, coloured by revision', () => {
    const v = trafficView(
      summary([
        edge('client', 'service:default/a', 250, 5),
        edge('service:default/a', 'pod:default/a-1', 60, 1),
        edge('service:default/a', 'pod:default/a-2', 65, 2),
        edge('service:default/a', 'pod:default/a-3', 62),
        edge('service:default/a', 'pod:default/b-1', 63, 2),
      ]),
      10_000,
      TRAFFIC_WINDOW_MS,
      info,
    );
    expect(v.services['default/a']).toEqual({
      rps: 50,
      errors: 0.02,
      versions: [
        { version: 'app:1.0', share: 0.748, errors: 0.016, revision: 'h1' },
        { version: 'app:2.0', share: 0.252, errors: 0.032, revision: 'h2' },
      ],
    });
    expect(v.pods['default/a-1']).toEqual({ rps: 12, errors: 0.017 });
    expect(v.pods['default/b-1']).toEqual({ rps: 12.6, errors: 0.032 });
    expect(v.t).toBe(10_000);
    expect(v.windowMs).toBe(5000);
  });

  test('through an Ingress: each Service counts what the ingress sent it (canary split by weight)', () => {
    const v = trafficView(
      summary([
        edge('client', 'ingress:shop/web', 500, 10),
        edge('ingress:shop/web', 'service:shop/stable', 400, 10),
        edge('ingress:shop/web', 'service:shop/canary', 100),
        edge('service:shop/stable', 'pod:shop/s-1', 410, 10), // retries: attempts exceed requests
        edge('service:shop/canary', 'pod:shop/c-1', 100),
      ]),
      10_000,
      TRAFFIC_WINDOW_MS,
      (k) => ({ 'shop/s-1': { image: 'shop:1', revision: 'a' }, 'shop/c-1': { image: 'shop:2', revision: 'b' } })[k],
    );
    expect(v.services['shop/stable'].rps).toBe(80);
    expect(v.services['shop/stable'].errors).toBe(0.025);
    expect(v.services['shop/canary']).toEqual({ rps: 20, errors: 0, versions: [{ version: 'shop:2', share: 1, errors: 0, revision: 'b' }] });
    expect(v.services['shop/web']).toBeUndefined(); // an Ingress is not a Service
    expect(v.ingresses).toEqual({ 'shop/web': { 'shop/stable': { rps: 80, errors: 0.025 }, 'shop/canary': { rps: 20, errors: 0 } } });
  });

  test('a Service behind two Ingresses: each Ingress edge has its own rate', () => {
    const v = trafficView(
      summary([
        edge('ingress:shop/a', 'service:shop/web', 150),
        edge('ingress:shop/b', 'service:shop/web', 50, 5),
        edge('client', 'service:shop/web', 25),
      ]),
      10_000,
      TRAFFIC_WINDOW_MS,
      () => undefined,
    );
    expect(v.services['shop/web'].rps).toBe(45);
    expect(v.ingresses).toEqual({ 'shop/a': { 'shop/web': { rps: 30, errors: 0 } }, 'shop/b': { 'shop/web': { rps: 10, errors: 0.1 } } });
  });

  test("a pod's own requests: counted in the Service's rate, and under the pod in fromPods", () => {
    const v = trafficView(summary([edge('pod:default/load-generator', 'service:default/php-apache', 250), edge('client', 'service:default/php-apache', 50)]), 10_000, TRAFFIC_WINDOW_MS, () => undefined);
    expect(v.services['default/php-apache'].rps).toBe(60);
    expect(v.fromPods).toEqual({ 'default/load-generator': { 'default/php-apache': { rps: 50, errors: 0 } } });
    expect(v.ingresses).toBeUndefined();
  });

  test('no ready endpoints: every request failed at the Service, no versions', () => {
    const v = trafficView(summary([edge('ingress:x/i', 'service:x/s', 50, 50)]), 10_000, TRAFFIC_WINDOW_MS, info);
    expect(v.services['x/s']).toEqual({ rps: 10, errors: 1, versions: [] });
  });

  test('a pod gone from the store keeps its version from the samples; unknown otherwise', () => {
    const v = trafficView(
      summary([edge('client', 'service:default/a', 10), edge('service:default/a', 'pod:default/gone', 5), edge('service:default/a', 'pod:default/lost', 5)], {
        samples: [{ t: 9000, host: 'a', path: '/', status: 200, latencyMs: 1, canary: false, pod: 'default/gone', version: 'app:0.9' }],
      }),
      10_000,
      TRAFFIC_WINDOW_MS,
      info,
    );
    expect(v.services['default/a'].versions.map((x) => [x.version, x.share, x.revision])).toEqual([
      ['(unknown)', 0.5, undefined],
      ['app:0.9', 0.5, undefined],
    ]);
  });

  test('samples after the last view become dots: Service, pod, revision, failed or not', () => {
    const smp = (t: number, pod: string, status: number) => ({ t, host: 'a', path: '/', status, latencyMs: 1, canary: false, service: 'default/a', pod, version: 'app:1.0' });
    const s = summary([edge('client', 'service:default/a', 3)], { samples: [smp(8500, 'default/a-1', 200), smp(9200, 'default/b-1', 500), smp(9800, 'default/a-2', 0)] });
    const v = trafficView(s, 10_000, TRAFFIC_WINDOW_MS, info, 9000);
    expect(v.samples).toEqual([
      { t: 9200, service: 'default/a', pod: 'default/b-1', revision: 'h2', error: true },
      { t: 9800, service: 'default/a', pod: 'default/a-2', revision: 'h1', error: true },
    ]);
    expect(trafficView(s, 10_000, TRAFFIC_WINDOW_MS, info).samples).toBeUndefined(); // by default none: history
  });

  test('no traffic: nothing to show', () => {
    const v = trafficView(summary([]), 10_000, TRAFFIC_WINDOW_MS, info);
    expect(v.services).toEqual({});
    expect(v.pods).toEqual({});
    expect(sameView(v, trafficView(summary([]), 20_000, TRAFFIC_WINDOW_MS, info))).toBe(true);
  });
});

describe('percentages', () => {
  test.each([
    [[0.748, 0.252], [75, 25]],
    [[1, 1, 1], [34, 33, 33]], // largest remainder: they add up to 100
    [[0.5, 0.5], [50, 50]],
    [[0, 0], [0, 0]],
    [[0.996, 0.004], [100, 0]],
  ])('%j → %j', (shares, want) => {
    expect(percentages(shares)).toEqual(want);
  });
});

describe('Session traffic', () => {
  const CANARY = readFileSync(new URL('../../scenarios/canary-plain.yaml', import.meta.url), 'utf8');

  test('canary-plain: the view matches `kubeplay traffic stats` and is sent once per simulated second at most', () => {
    const s = new Session();
    expect(s.load('canary-plain.yaml', CANARY)).toEqual([]);
    expect(s.takeDiff()!.traffic).toBeUndefined(); // no traffic yet at 0 s
    s.advance(90_000);
    const d = s.takeDiff()!;
    const svc = d.traffic!.services['default/canary-demo'];
    // 50 rps of Poisson arrivals: about 50 over 5 s.
    expect(svc.rps).toBeGreaterThan(35);
    expect(svc.rps).toBeLessThan(65);
    expect(svc.errors).toBe(0);
    const stats = s.run('kubeplay traffic stats --since 5s').out;
    for (const v of svc.versions) {
      const row = stats.split('\n').find((l) => l.startsWith(`${v.version} `))!;
      const share = parseFloat(row.trim().split(/\s+/).at(-1)!);
      expect(Math.abs(v.share * 100 - share)).toBeLessThan(0.1);
    }
    expect(svc.versions.map((v) => v.version).sort()).toEqual(['gcr.io/google-samples/hello-app:1.0', 'gcr.io/google-samples/hello-app:2.0']);
    // Four pods serve, their rates add up to the Service's.
    const pods = Object.entries(d.traffic!.pods);
    expect(pods).toHaveLength(4);
    expect(pods.reduce((a, [, p]) => a + p.rps, 0)).toBeCloseTo(svc.rps, 0);
    // Within the same simulated second nothing new is sent.
    expect(s.takeDiff()?.traffic).toBeUndefined();
    s.advance(300);
    expect(s.takeDiff()?.traffic).toBeUndefined();
    s.advance(1000);
    const next = s.takeDiff()!.traffic!;
    // The new second's samples (5 a second for one source) fly as dots, none older than the last view.
    expect(next.samples!.length).toBeGreaterThan(0);
    expect(next.samples!.every((x) => x.t > d.traffic!.t && x.service === 'default/canary-demo')).toBe(true);
  });
});

describe('packPods / unpackPods', () => {
  it('posts the per-pod rates as two columns and gets back the same view', () => {
    const view: TrafficView = {
      t: 5000,
      windowMs: 5000,
      services: { 'default/web': { rps: 24.6, errors: 0.02, versions: [] } },
      pods: { 'default/a-1': { rps: 12, errors: 0.017 }, 'shop/b-1': { rps: 12.6, errors: 0 } },
    };
    const packed = packPods(view);
    expect(packed.pods).toEqual({});
    expect(packed.packedPods?.keys).toBe('default/a-1\nshop/b-1');
    expect([...packed.packedPods!.rps]).toEqual([12, 12.6]);
    expect(unpackPods(structuredClone(packed))).toEqual(view);
  });

  it('leaves a view without pods (or one never packed) as it is', () => {
    const view: TrafficView = { t: 0, windowMs: 5000, services: {}, pods: {} };
    expect(packPods(view)).toBe(view);
    expect(unpackPods(view)).toBe(view);
  });
});
