import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { Session } from './session.ts';
import { HistoryRecorder } from './history.ts';
import type { HistoryPoint } from './historyTypes.ts';
import { createCluster } from '../engine/cluster.ts';
import type { NetworkApi } from '../engine/network/index.ts';
import type { ReplicaSet } from '../engine/api/types.ts';
import type { StatefulSet } from '../engine/controllers/statefulset.ts';

const CANARY = readFileSync(new URL('../../scenarios/canary-plain.yaml', import.meta.url), 'utf8');
const V1 = 'gcr.io/google-samples/hello-app:1.0';
const V2 = 'gcr.io/google-samples/hello-app:2.0';

/** fixedLatency: one Deployment whose every answer takes exactly 200 ms, 20 rps through its Service. */
const FIXED = `apiVersion: kubeplay.dev/v1alpha1
kind: Scenario
metadata:
  name: fixed-latency
spec:
  seed: 3
  images:
    app:slow: {startupSeconds: 1, pullSeconds: 1, latencyMs: 200, latencyJitterMs: 0}
  timeline:
    - at: 1s
      run: kubeplay traffic set users --rps 20 --host slow
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: slow
spec:
  replicas: 2
  selector:
    matchLabels: {app: slow}
  template:
    metadata:
      labels: {app: slow}
    spec:
      containers:
      - name: app
        image: app:slow
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: slow
spec:
  selector: {app: slow}
  ports:
  - port: 80
    targetPort: 8080
`;

function session(text: string, file: string): Session {
  const s = new Session();
  expect(s.load(file, text)).toEqual([]);
  return s;
}

/** stats parses `kubeplay traffic stats`: requests and errors by version, and the totals. */
function stats(out: string): { versions: Record<string, [number, number]>; requests: number; errors: number } {
  const versions: Record<string, [number, number]> = {};
  for (const line of out.split('\n').slice(1)) {
    const m = /^(\S+)\s+(\d+)\s+(\d+)\s+[\d.]+%$/.exec(line.trim());
    if (m) versions[m[1]] = [Number(m[2]), Number(m[3])];
  }
  const t = /requests: (\d+)\s+errors: (\d+)/.exec(out)!;
  return { versions, requests: Number(t[1]), errors: Number(t[2]) };
}

function sum(points: HistoryPoint[], f: (p: HistoryPoint) => number): number {
  return points.reduce((a, p) => a + f(p), 0);
}

/** vectorByLe reads an instant vector of bucket counts keyed by le. */
function vectorByLe(net: NetworkApi, expr: string, t: number): Record<string, number> {
  const v = net.query(expr, t);
  if (v.type !== 'vector') throw new Error(`not a vector: ${v.type}`);
  return Object.fromEntries(v.samples.map((s) => [s.labels.le, s.v]));
}

describe('HistoryRecorder', () => {
  test('one point per simulated second; requests and errors by version add up to kubeplay traffic stats', () => {
    const s = session(CANARY, 'canary-plain.yaml');
    s.advance(60_999);
    const out = s.run('kubeplay traffic stats --since 30s').out;
    // The second 60 s..61 s ends when the clock moves on: then it is recorded.
    s.advance(1);
    const points = s.charts.points();
    expect(points.map((p) => p.t)).toEqual(Array.from({ length: 61 }, (_, i) => i * 1000));
    // `--since 30s` at 60.999 s sums the buckets after 30.999 s: the seconds 31 … 60.
    const window = points.filter((p) => p.t > 30_999);
    expect(window).toHaveLength(30);
    const st = stats(out);
    expect(Object.keys(st.versions).sort()).toEqual([V1, V2]);
    for (const v of [V1, V2]) {
      expect(sum(window, (p) => p.versions[v]?.n ?? 0)).toBe(st.versions[v][0]);
      expect(sum(window, (p) => p.versions[v]?.err ?? 0)).toBe(st.versions[v][1]);
    }
    expect(sum(window, (p) => p.requests)).toBe(st.requests);
    expect(sum(window, (p) => p.errors)).toBe(st.errors);
    // ~50 rps, a quarter to the one canary pod of four.
    const last = points.at(-1)!;
    expect(last.requests).toBeGreaterThan(30);
    expect(last.versions[V2].n).toBeGreaterThan(3);
    expect(last.versions[V1].rev).toMatch(/^default\/canary-demo-stable-/);
    expect(last.versions[V2].rev).toMatch(/^default\/canary-demo-canary-/);
  });

  test('ready pods by revision are the ReplicaSets’ ready pods, labelled by owner, hash and image', () => {
    const s = session(CANARY, 'canary-plain.yaml');
    s.advance(60_000);
    const last = s.charts.points().at(-1)!;
    const rss = s.sim.store.list<ReplicaSet>('ReplicaSet');
    expect(rss).toHaveLength(2);
    for (const rs of rss) {
      const key = `default/${rs.metadata.name}`;
      expect(last.ready[key]).toBe(rs.status?.readyReplicas ?? 0);
      const info = s.charts.revisionInfo(key)!;
      expect(info.owner).toBe(`Deployment/${rs.metadata.name.replace(/-[^-]+$/, '')}`);
      expect(info.hash).toBe(rs.metadata.labels!['pod-template-hash']);
      expect(info.image).toBe(rs.spec.template.spec.containers[0].image);
    }
    expect(Object.values(last.ready).sort()).toEqual([1, 3]);
    // Before the canary (applied at 30 s): one revision with three ready pods.
    const at20 = s.charts.points().find((p) => p.t === 20_000)!;
    expect(Object.values(at20.ready)).toEqual([3]);
  });

  test('a StatefulSet’s ready pods are counted per controller-revision-hash', () => {
    const s = session(readFileSync(new URL('../../scenarios/statefulset.yaml', import.meta.url), 'utf8'), 'statefulset.yaml');
    s.advance(90_000);
    const sts = s.sim.store.list<StatefulSet>('StatefulSet')[0];
    const last = s.charts.points().at(-1)!;
    const keys = Object.keys(last.ready).filter((k) => k.startsWith(`default/${sts.metadata.name}@`));
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.reduce((a, k) => a + last.ready[k], 0)).toBe(sts.status?.readyReplicas ?? 0);
    expect(s.charts.revisionInfo(keys[0])).toMatchObject({ owner: `StatefulSet/${sts.metadata.name}`, name: sts.metadata.name });
  });

  test('a ReplicationController is a revision of its own, counted from its status', () => {
    const s = session(readFileSync(new URL('../../scenarios/default.yaml', import.meta.url), 'utf8'), 'default.yaml');
    s.advance(5_000);
    s.apply('apiVersion: v1\nkind: ReplicationController\nmetadata: {name: legacy}\nspec:\n  replicas: 2\n  template:\n    metadata: {labels: {app: legacy}}\n    spec: {containers: [{name: c, image: "nginx:1.27"}]}\n');
    s.advance(30_000);
    expect(s.charts.points().at(-1)!.ready['default/legacy']).toBe(2);
    expect(s.charts.revisionInfo('default/legacy')).toMatchObject({ owner: 'ReplicationController/legacy', name: 'legacy', image: 'nginx:1.27' });
  });

  test('p95 is histogram_quantile over each second’s bucket counts: 200 ms answers give PromQL’s 242.5 ms', () => {
    const s = session(FIXED, 'fixed.yaml');
    s.advance(61_000);
    const net = s.sim.service<NetworkApi>('network');
    const promql = net.query('histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[1m])))', 60_000);
    expect(promql.type).toBe('vector');
    const expected = promql.type === 'vector' ? promql.samples[0].v * 1000 : NaN;
    expect(expected).toBeCloseTo(242.5, 6);
    const busy = s.charts.points().filter((p) => p.requests > 0 && p.t >= 10_000);
    expect(busy.length).toBeGreaterThan(40);
    for (const p of busy) {
      expect(p.p95).toBeCloseTo(expected, 2);
      expect(p.versions['app:slow'].p95).toBeCloseTo(expected, 2);
    }
  });

  test('the per-second latency counts add up to the Prometheus histogram between two scrapes', () => {
    const s = session(CANARY, 'canary-plain.yaml');
    s.advance(61_000);
    const net = s.sim.service<NetworkApi>('network');
    // Scrapes at 45 s and 60 s; the recorder's totals at the ends of those seconds are the same counts.
    for (const [t, image] of [
      [45_000, V1],
      [60_000, V1],
      [60_000, V2],
    ] as const) {
      const prom = vectorByLe(net, `sum by (le) (http_request_duration_seconds_bucket{image="${image}"})`, t);
      const mine = s.charts.latencyTotals(t)[image];
      let acc = 0;
      const cumulative = Object.fromEntries(
        Array.from(mine, (c, i) => {
          acc += c;
          return [i < mine.length - 1 ? String([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10][i]) : '+Inf', acc];
        }),
      );
      expect(cumulative).toEqual(prom);
    }
    // And the p95 over 45 s … 60 s from those per-second counts is PromQL's over the same scrapes.
    const from = s.charts.latencyTotals(45_000)[V1];
    const to = s.charts.latencyTotals(60_000)[V1];
    const diff = Array.from(to, (c, i) => c - from[i]);
    const rank = 0.95 * diff.reduce((a, b) => a + b, 0);
    const bounds = [0, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    let below = 0;
    let i = 0;
    while (below + diff[i] < rank) below += diff[i++];
    const mine = (bounds[i] + (bounds[i + 1] - bounds[i]) * ((rank - below) / diff[i])) * 1000;
    // idelta over [20s] is the difference of the last two scrapes (45 s, 60 s) with no extrapolation.
    const q = net.query(`histogram_quantile(0.95, sum by (le) (idelta(http_request_duration_seconds_bucket{image="${V1}"}[20s])))`, 60_000);
    expect(q.type === 'vector' && q.samples[0].v * 1000).toBeCloseTo(mine, 6);
  });

  test('a rewind drops the points after the new time; replaying records the same points again', () => {
    const s = session(CANARY, 'canary-plain.yaml');
    s.advance(60_000);
    const first = structuredClone(s.charts.points());
    s.charts.take();
    s.seek(30_500);
    const msg = s.charts.take()!;
    expect(msg.after).toBe(29_000);
    expect(msg.reset).toBeUndefined();
    expect(s.charts.points().at(-1)!.t).toBe(29_000);
    s.advance(15_000);
    expect(s.charts.points()).toEqual(first.slice(0, 45));
    // Forward again: the seconds a restored later snapshot skips come back from the rewound points.
    s.seek(58_000);
    expect(s.charts.points().map((p) => p.t)).toEqual(first.slice(0, 58).map((p) => p.t));
    expect(s.charts.points()).toEqual(first.slice(0, 58));
    s.advance(2_000);
    expect(s.charts.points()).toEqual(first);
  });

  test('a restore into the same sim (no new cluster) also truncates, and loading a scenario resets', () => {
    const sim = createCluster({ seed: 1 });
    const r = new HistoryRecorder();
    r.attach(sim);
    sim.runUntil(10_000);
    const snap = sim.snapshot();
    sim.runUntil(20_000);
    expect(r.points()).toHaveLength(20);
    sim.restore(snap);
    sim.runUntil(12_000);
    expect(r.points().map((p) => p.t)).toEqual(Array.from({ length: 12 }, (_, i) => i * 1000));
    const s = session(CANARY, 'canary-plain.yaml');
    s.advance(5_000);
    s.charts.take();
    s.load('fixed.yaml', FIXED);
    const msg = s.charts.take()!;
    expect(msg.reset).toBe(true);
    expect(msg.points).toEqual([]);
    expect(s.charts.points()).toEqual([]);
  });

  test('memory is bounded: at most capacity points, also across a long idle jump', () => {
    const sim = createCluster({ seed: 1 });
    const r = new HistoryRecorder({ capacity: 50 });
    r.attach(sim);
    for (let t = 1000; t <= 130_000; t += 700) sim.runUntil(t);
    expect(r.points()).toHaveLength(50);
    // The clock stands at 129.8 s: the last second that ended is 128 s … 129 s.
    expect(r.points().at(-1)!.t).toBe(128_000);
    expect(r.points()[0].t).toBe(79_000);
    sim.runUntil(10_000_000);
    expect(r.points()).toHaveLength(50);
    expect(r.points().at(-1)!.t).toBe(9_999_000);
    const msg = r.take()!;
    expect(msg.points.length).toBeLessThanOrEqual(50);
  });

  test('take sends a few times per second at most, but a reset or truncation at once', () => {
    const s = session(CANARY, 'canary-plain.yaml');
    expect(s.charts.take(0)?.reset).toBe(true);
    s.advance(3_000);
    expect(s.charts.take(100)).toBeUndefined();
    expect(s.charts.take(260)?.points).toHaveLength(3);
    s.advance(2_000);
    s.seek(1_000);
    // The seek restored the snapshot at 0 s and ran to 1 s: everything after -1 s goes, second 0 comes again.
    const msg = s.charts.take(300)!;
    expect(msg.after).toBe(-1000);
    expect(msg.points.map((p) => p.t)).toEqual([0]);
  });

  test('cost: µs per sample on a 1,000-pod cluster in a rolling update with 500 rps', () => {
    const { samples, runUs, steadyUs, cachedUs } = measureCost(22_000, 200);
    console.log(
      `history: 1,000 pods, 500 rps, mid-rollout: ${runUs.toFixed(0)} µs CPU per sample over the first ${samples} s (cold, GC included); ` +
        `${steadyUs.toFixed(0)} µs per sample when pods changed, ${cachedUs.toFixed(0)} µs when they did not (warm)`,
    );
    expect(samples).toBe(22);
    // Loose bounds (the machine is shared): a sample must stay far below a simulated second's other work.
    expect(steadyUs).toBeLessThan(5_000);
    expect(cachedUs).toBeLessThan(5_000);
  });
});

/** BIG is 50 nodes, a 1,000-replica Deployment behind a Service with 500 rps, updated at 20 s. */
const BIG = readFileSync(new URL('../../bench/history-1000.yaml', import.meta.url), 'utf8');

/**
 * measureCost runs BIG for ms with the recorder's clock hook timed (CPU, so a busy machine counts less),
 * then, on that mid-rollout state, times n more samples on a throwaway recorder by moving the clock a
 * second at a time without timers: with the ready-pod count redone each time (as when pods changed
 * that second) and with it cached (a quiet second).
 */
function measureCost(ms: number, n: number): { samples: number; runUs: number; steadyUs: number; cachedUs: number } {
  const s = new Session();
  expect(s.load('big.yaml', BIG)).toEqual([]);
  const clock = s.sim.clock;
  const hooked = clock.set;
  let cpu = 0;
  clock.set = (t: number) => {
    const c0 = process.cpuUsage();
    hooked.call(clock, t);
    const c = process.cpuUsage(c0);
    cpu += c.user + c.system;
  };
  s.advance(ms);
  const samples = s.charts.points().length;
  expect(Object.keys(s.charts.points().at(-1)!.ready)).toHaveLength(2);
  s.charts.detach();
  delete (clock as { set?: unknown }).set;
  const r = new HistoryRecorder();
  r.attach(s.sim);
  const time = (invalidate: boolean) => {
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      if (invalidate) (r as unknown as { readyRv: number }).readyRv = -1;
      clock.set(clock.now() + 1000);
    }
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / n;
  };
  time(true); // warm up
  const steadyUs = time(true);
  const cachedUs = time(false);
  expect(r.points().length).toBe(3 * n);
  return { samples, runUs: cpu / samples, steadyUs, cachedUs };
}
