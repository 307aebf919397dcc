import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { Session } from './session.ts';
import { SNAPSHOT_EVERY_MS } from './snapshots.ts';
import { runCommand } from '../engine/kubectl/index.ts';
import type { Sim } from '../engine/sim.ts';
import type { TimeMarker } from './protocol.ts';

const dir = new URL('../../scenarios/', import.meta.url);
const read = (f: string) => readFileSync(new URL(f, dir), 'utf8');

function session(file: string, text = read(file)): Session {
  const s = new Session();
  expect(s.load(file, text)).toEqual([]);
  return s;
}

/** state is everything the cluster is: the snapshot (timers in firing order, not heap order) as JSON. */
function state(sim: Sim): string {
  const snap = sim.snapshot();
  snap.timers.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
  return JSON.stringify(snap);
}

function pods(s: Session): string {
  return runCommand(s.sim, 'kubectl get pods -A -o json').out;
}

/** tick advances in uneven chunks, as the worker's ticks do. */
function tick(s: Session, ms: number): void {
  for (let chunk = 137; ms > 0; chunk = ((chunk * 7) % 1000) + 1) {
    s.advance(Math.min(chunk, ms));
    ms -= Math.min(chunk, ms);
  }
}

describe('rewind: seek restores earlier states exactly', () => {
  test('rolling update with user actions: back to t is byte-identical, then forward to the end equals the original end', () => {
    const s = session('rolling-update.yaml');
    const at0 = state(s.sim);
    tick(s, 12_345);
    expect(s.run('kubectl scale deployment/web --replicas=6').exit).toBe(0);
    tick(s, 25_000);
    const t1 = s.time();
    const at1 = { pods: pods(s), state: state(s.sim) };
    tick(s, 8_000);
    expect(s.run('kubectl set image deployment/web nginx=nginx:1.27').exit).toBe(0);
    s.run('kubectl get pods'); // looking is not an action
    tick(s, 70_000);
    const end = s.time();
    const atEnd = { pods: pods(s), state: state(s.sim) };
    expect(s.history().actions.map((a) => a.text)).toEqual(['kubectl scale deployment/web --replicas=6', 'kubectl set image deployment/web nginx=nginx:1.27']);

    s.seek(t1);
    expect(s.time()).toBe(t1);
    expect(pods(s)).toBe(at1.pods);
    expect(state(s.sim)).toBe(at1.state);
    expect(s.takeDiff()?.reset).toBe(true);
    expect(s.end).toBe(end);

    // Forward by playing: the recorded future (the set image) happens again, at its time.
    tick(s, end - t1);
    expect(s.time()).toBe(end);
    expect(pods(s)).toBe(atEnd.pods);
    expect(state(s.sim)).toBe(atEnd.state);

    // Back to the start, then one seek to the end.
    s.seek(0);
    expect(state(s.sim)).toBe(at0);
    s.seek(end);
    expect(state(s.sim)).toBe(atEnd.state);
  });

  test('step, +1 s and ticks of any size reach the same state as one advance', () => {
    const b = session('rolling-update.yaml');
    while (b.time() < 40_000) {
      const next = b.sim.nextTimerAt();
      if (next !== undefined && next <= 40_000 && b.time() % 2 === 0) b.step();
      else b.advance(Math.min(1000, 40_000 - b.time()));
    }
    // A step may pass instants where nothing shown changes, past 40 s.
    const a = session('rolling-update.yaml');
    a.advance(b.time());
    expect(state(b.sim)).toBe(state(a.sim));
  });

  test('an action after a rewind starts a new branch: the recorded future, its snapshots and markers go', () => {
    const s = session('rolling-update.yaml');
    s.advance(50_000);
    s.run('kubectl scale deployment/web --replicas=2');
    s.advance(30_000);
    s.seek(25_000);
    // Looking keeps the future.
    s.run('kubectl get pods');
    expect(s.end).toBe(80_000);
    expect(s.history().actions).toHaveLength(1);
    s.run('kubectl scale deployment/web --replicas=5');
    expect(s.end).toBe(25_000);
    expect(s.history().actions).toEqual([{ t: 25_000, kind: 'run', text: 'kubectl scale deployment/web --replicas=5' }]);
    expect(s.history().snapshots.every((x) => x.t <= 25_000)).toBe(true);
    const m = s.takeMarkers()!;
    const all = [...m.add];
    expect(all.every((x) => x.t <= 25_000)).toBe(true);
    expect(all.at(-1)).toEqual({ t: 25_000, kind: 'run', text: 'kubectl scale deployment/web --replicas=5' });
    // The new branch replays its own action after a rewind.
    s.advance(20_000);
    const at45 = state(s.sim);
    s.seek(10_000);
    s.seek(45_000);
    expect(state(s.sim)).toBe(at45);
  });

  test('markers: user actions, timeline steps, rollouts starting and finishing, sent incrementally', () => {
    const s = session('rolling-update.yaml');
    const got: TimeMarker[] = [];
    const take = () => {
      const m = s.takeMarkers();
      if (!m) return;
      got.length = m.keep;
      got.push(...m.add);
    };
    take();
    s.advance(100_000);
    take();
    expect(s.takeMarkers()).toBeUndefined();
    s.apply('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata: {a: "1"}\n');
    take();
    const texts = got.map((m) => `${m.t / 1000}s ${m.kind} ${m.text}`);
    expect(texts).toContain('30s step kubectl set image deployment/web nginx=nginx:1.26');
    expect(texts).toContain('30s event Rollout started: deployment/web (revision 2)');
    expect(texts.some((x) => /^\d+s event Rollout finished: deployment\/web \(revision 2\)$/.test(x))).toBe(true);
    expect(texts.at(-1)).toBe('100s apply kubectl apply -f - (configmap/settings)');
    // A replay does not mark again.
    s.seek(5_000);
    s.seek(100_000);
    expect(s.takeMarkers()).toBeUndefined();
  });

  test('markers: a node failure and the first FailedScheduling of a workload', () => {
    const s = session('unschedulable.yaml');
    s.advance(30_000);
    const nf = session('node-failure.yaml');
    nf.advance(120_000);
    const a = s.takeMarkers()!.add.map((m) => m.text);
    const b = nf.takeMarkers()!.add.map((m) => m.text);
    expect(a.filter((x) => x.startsWith('FailedScheduling: pod/'))).toHaveLength(1);
    expect(b.some((x) => x.startsWith('NodeNotReady: node/'))).toBe(true);
  });

  test('recover reloads the latest snapshot after an engine error', () => {
    const s = session('rolling-update.yaml');
    s.advance(20_000);
    const at20 = state(s.sim);
    s.sim.onTimer('test/boom', () => {
      throw new Error('boom');
    });
    s.sim.after(5_000, 'test/boom', 'x');
    expect(() => s.advance(10_000)).toThrow('boom');
    expect(s.recover()).toBe(true);
    expect(s.time()).toBe(20_000);
    expect(state(s.sim)).toBe(at20);
    expect(s.end).toBe(20_000);
    expect(s.takeDiff()?.reset).toBe(true);
    s.advance(10_000);
    expect(s.time()).toBe(30_000);
  });

  test('memory: snapshots every 10 s, thinned past the bound, the first always kept', () => {
    const s = session('default.yaml');
    s.advance(2 * 3600_000);
    const h = s.history().snapshots;
    expect(h[0].t).toBe(0);
    expect(h.length).toBeLessThanOrEqual(90);
    expect(h.at(-1)!.t).toBe(2 * 3600_000);
    // Those kept stay spread out: no gap is much wider than the history over the snapshots kept.
    const gaps = h.slice(1).map((x, i) => x.t - h[i].t);
    expect(Math.max(...gaps)).toBeLessThanOrEqual((2 * (2 * 3600_000)) / (h.length - 1));
    expect(h.every((x) => x.t % SNAPSHOT_EVERY_MS === 0)).toBe(true);
    s.seek(1234_567);
    expect(s.time()).toBe(1234_567);
  });
});

/**
 * Every built-in scenario: seek back to a third of the run and forward to the end reproduces the
 * states byte for byte (the endpoint controllers skip writes that change nothing, as upstream).
 */
describe('rewind: the start of a history is always kept', () => {
  // Snapshots wait out a wall-clock duty cycle (a costly one delays the next). The first of a history
  // must not: with no snapshot at 0 s, Home on the scrubber (a seek to 0) had nothing to restore and
  // left the clock where it was, which time.spec saw on a busy machine after loading a second scenario.
  test('loading a scenario right after a costly snapshot still snapshots its 0 s, and a seek to 0 restores it', () => {
    let wall = 0;
    // Every read of the wall clock is 50 ms later: each snapshot "costs" 50 ms, so the next is 1 s away.
    const s = new Session({ wallNow: () => (wall += 50) });
    expect(s.load('default.yaml', read('default.yaml'))).toEqual([]);
    s.advance(1);
    expect(s.load('rolling-update.yaml', read('rolling-update.yaml'))).toEqual([]);
    const at0 = state(s.sim);
    s.advance(1);
    expect(s.history().snapshots[0]?.t).toBe(0);
    tick(s, 40_000);
    s.seek(0);
    expect(s.time()).toBe(0);
    expect(state(s.sim)).toBe(at0);
  });
});

describe('rewind is exact for every built-in scenario', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  for (const file of files) {
    test(file, () => {
      const s = session(file);
      const last = Math.max(...[0, ...((s as unknown as { timeline: { at: number }[] }).timeline.map((x) => x.at))]);
      const end = Math.min(last + 30_000, 600_000);
      const mid = Math.round(end / 3) + 1;
      tick(s, mid);
      const atMid = state(s.sim);
      tick(s, end - mid);
      const atEnd = state(s.sim);
      s.seek(mid);
      expect(state(s.sim)).toBe(atMid);
      s.seek(end);
      expect(state(s.sim)).toBe(atEnd);
    });
  }
});

describe('snapshot sizes (printed for the report)', () => {
  const big = `apiVersion: kubeplay.dev/v1alpha1
kind: Scenario
metadata: {name: big}
spec:
  seed: 7
  cluster:
    nodes:
      - {count: 50, namePrefix: node-, capacity: {cpu: "32", memory: 128Gi, pods: "110"}}
  images:
    web:1: {startupSeconds: 2}
    web:2: {startupSeconds: 3}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1000
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: "web:1", resources: {requests: {cpu: 100m, memory: 64Mi}}}
`;
  test('default scenario and a 1,000-pod rollout', () => {
    const d = session('default.yaml');
    d.advance(60_000);
    const dBytes = JSON.stringify(d.sim.snapshot()).length;
    const s = session('big.yaml', big);
    s.advance(60_000);
    s.run('kubectl set image deployment/web web=web:2');
    s.advance(120_000);
    let w = performance.now();
    const snap = s.sim.snapshot();
    const snapMs = performance.now() - w;
    const bBytes = JSON.stringify(snap).length;
    w = performance.now();
    s.seek(95_000);
    const seekMs = performance.now() - w;
    console.log(`snapshot JSON: default ${dBytes} bytes (${d.sim.snapshot().store.objects.length} objects); 1,000 pods ${bBytes} bytes (${snap.store.objects.length} objects), snapshot ${snapMs.toFixed(0)} ms, seek back ${seekMs.toFixed(0)} ms; kept ${s.history().snapshots.length} snapshots, ${s.history().snapshots.reduce((a, x) => a + x.objects, 0)} objects`);
    expect(dBytes).toBeLessThan(200_000);
    expect(s.history().snapshots.reduce((a, x) => a + x.objects, 0)).toBeLessThanOrEqual(60_000);
  }, 120_000);
});
