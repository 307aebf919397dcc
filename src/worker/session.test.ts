import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { Session } from './session.ts';
import type { Diff } from './protocol.ts';

const DEFAULT = readFileSync(new URL('../../scenarios/default.yaml', import.meta.url), 'utf8');

function loaded(): Session {
  const s = new Session();
  expect(s.load('default.yaml', DEFAULT)).toEqual([]);
  return s;
}

function kinds(d: Diff | undefined, kind: string): string[] {
  return (d?.upserted ?? []).filter((o) => o.kind === kind).map((o) => o.metadata.name);
}

describe('Session', () => {
  test('play moves the clock by wall-clock fractions, but the clock stays on whole milliseconds', () => {
    // A tick of 33.4 ms at 0.25x is 8.35 ms: the fraction is carried, never put on the clock (Event
    // names are made from the clock in nanoseconds; a fractional clock made every command throw).
    const s = loaded();
    for (let i = 0; i < 120; i++) s.advance(33.4 * 0.25);
    // 1,002 ms asked for; at most the carried fraction (under 1 ms) is not on the clock yet.
    expect([1001, 1002]).toContain(s.time());
    expect(Number.isInteger(s.time())).toBe(true);
    const r = s.run('kubectl scale deployment web --replicas=5');
    expect(r).toEqual({ exit: 0, out: 'deployment.apps/web scaled\n' });
  });

  test('load sends a reset diff with the whole cluster, then nothing until something changes', () => {
    const s = loaded();
    expect(s.name).toBe('default');
    const d = s.takeDiff()!;
    expect(d.reset).toBe(true);
    expect(d.t).toBe(0);
    expect(kinds(d, 'Node')).toEqual(['worker-1', 'worker-2', 'worker-3']);
    expect(kinds(d, 'Deployment')).toEqual(['web']);
    expect(kinds(d, 'Service')).toContain('web');
    expect(s.takeDiff()).toBeUndefined();
  });

  test('advance runs the cluster and the timeline; diffs carry the pods and events', () => {
    const s = loaded();
    s.takeDiff();
    s.advance(20_000);
    expect(s.time()).toBe(20_000);
    const d = s.takeDiff()!;
    expect(d.reset).toBeUndefined();
    expect(kinds(d, 'Pod')).toHaveLength(3);
    expect(kinds(d, 'Event').length).toBeGreaterThan(0);
    const pods = d.upserted.filter((o) => o.kind === 'Pod');
    expect(pods.every((p) => p.status?.phase === 'Running')).toBe(true);
    // The default scenario's timeline runs three commands at 15s.
    const log = s.takeLog();
    expect(log.map((l) => [l.t, l.line])).toEqual([
      [15_000, 'kubectl get deployments'],
      [15_000, 'kubectl get pods -o wide'],
      [15_000, 'kubectl get service web'],
    ]);
    expect(log[0].out).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+3\/3/);
    expect(s.takeLog()).toEqual([]);
  });

  test("a reset diff and a listing of more objects than a call may take arguments (100,000 pods overflowed the stack)", () => {
    const s = loaded();
    s.takeDiff();
    for (let i = 0; i < 150_000; i++) s.sim.store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}`, namespace: 'default' }, data: {} });
    s.seek(0);
    expect(s.takeDiff()!.upserted.filter((o) => o.kind === 'ConfigMap').length).toBeGreaterThanOrEqual(150_000);
    expect(s.run('kubectl get configmaps -o name').out.split('\n').length).toBeGreaterThan(150_000);
  });

  test('a timeline step\'s note travels with its terminal entry and its scrubber marker', () => {
    const s = new Session();
    expect(s.load('argo-canary.yaml', readFileSync(new URL('../../scenarios/argo-canary.yaml', import.meta.url), 'utf8'))).toEqual([]);
    s.advance(35_000);
    const noted = s.takeLog().filter((l) => l.note);
    expect(noted.map((l) => l.note)).toContain('A new image starts the canary steps.');
    const steps = s.takeMarkers()!.add.filter((m) => m.kind === 'step');
    expect(steps.find((m) => m.note === 'A new image starts the canary steps.')?.text).toMatch(/^kubectl /);
  });

  test('Play that pauses at notes stops at each explained step, at its instant (Presenter)', () => {
    const s = new Session({ budgetMs: Infinity });
    expect(s.load('canary-plain.yaml', readFileSync(new URL('../../scenarios/canary-plain.yaml', import.meta.url), 'utf8'))).toEqual([]);
    // The first note is at 1s, the next at 30s: a long tick stops at each.
    s.advance(60_000, true);
    expect([s.time(), s.takeNoteStop(), s.takeNoteStop()]).toEqual([1_000, true, false]);
    s.advance(60_000, true);
    expect([s.time(), s.takeNoteStop()]).toEqual([30_000, true]);
    // Without stopping, the same ticks run on past them.
    s.advance(70_000);
    expect([s.time(), s.takeNoteStop()]).toEqual([100_000, false]);
  });

  test('a terminal command changes the cluster and the change arrives as a diff', () => {
    const s = loaded();
    s.advance(20_000);
    s.takeDiff();
    const r = s.run('kubectl scale deployment web --replicas=5');
    expect(r).toEqual({ exit: 0, out: 'deployment.apps/web scaled\n' });
    const d = s.takeDiff()!;
    expect(kinds(d, 'Pod')).toHaveLength(2);
    s.advance(20_000);
    const get = s.run('kubectl get pods');
    expect(get.out.trim().split('\n')).toHaveLength(6);
  });

  test('deleted objects arrive as removed refs', () => {
    const s = loaded();
    s.advance(20_000);
    const pod = s.sim.store.list('Pod')[0];
    s.takeDiff();
    expect(s.run(`kubectl delete pod ${pod.metadata.name} --wait=false`).exit).toBe(0);
    s.advance(60_000);
    const d = s.takeDiff()!;
    expect(d.removed).toContainEqual(expect.objectContaining({ kind: 'Pod', namespace: 'default', name: pod.metadata.name }));
    expect(kinds(d, 'Pod')).not.toContain(pod.metadata.name);
  });

  test('apply takes manifests as kubectl apply -f - does', () => {
    const s = loaded();
    const r = s.apply('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n');
    expect(r.exit).toBe(0);
    expect(r.out).toBe('configmap/settings created\n');
    expect(kinds(s.takeDiff(), 'ConfigMap')).toContain('settings');
  });

  test('step jumps to the next instant with work', () => {
    const s = loaded();
    const before = s.time();
    expect(s.step()).toBe(true);
    expect(s.time()).toBeGreaterThan(before);
  });

  test('step passes over instants where only node leases are renewed', () => {
    const s = loaded();
    s.advance(300_000);
    s.takeDiff();
    const before = s.time();
    expect(s.step()).toBe(true);
    const kinds = new Set((s.takeDiff()?.upserted ?? []).map((o) => o.kind));
    // Something besides a Lease changed, or a minute went by with nothing else.
    expect(kinds.size > 0 && [...kinds].some((k) => k !== 'Lease') ? s.time() > before : s.time() - before >= 60_000).toBe(true);
  });

  test('a scenario with errors reports file and line and keeps the running cluster', () => {
    const s = loaded();
    s.advance(5_000);
    const errors = s.load('bad.yaml', 'apiVersion: kubeplay.dev/v1alpha1\nkind: Scenario\nmetadata: {name: bad}\nspec:\n  seed: "x"\n');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/^bad\.yaml:\d+/);
    expect(s.name).toBe('default');
    expect(s.time()).toBe(5_000);
  });

  test('advance stops at its wall budget (behind) and continues on the next call', () => {
    let wall = 0;
    const s = new Session({ wallNow: () => (wall += 10), budgetMs: 15 });
    s.load('default.yaml', DEFAULT);
    s.advance(60_000);
    expect(s.behind).toBe(true);
    expect(s.time()).toBeLessThan(60_000);
    const fast = new Session();
    fast.load('default.yaml', DEFAULT);
    fast.advance(60_000);
    expect(fast.behind).toBe(false);
    expect(fast.time()).toBe(60_000);
  });

  test('a jump that reaches its target in budgeted chunks is not behind, even when the last chunk spent its budget there', () => {
    // The time of the second event: a slow session's chunk spends its budget (two steps) just as it runs it.
    const probe = new Session();
    probe.load('default.yaml', DEFAULT);
    for (let i = 0; i < 2; i++) probe.step();
    const target = probe.time();
    let wall = 0;
    const s = new Session({ wallNow: () => (wall += 10), budgetMs: 15 });
    s.load('default.yaml', DEFAULT);
    while (s.time() < target) s.advance(target - s.time());
    expect(s.time()).toBe(target);
    expect(s.behind).toBe(false);
  });

  test('two sessions of the same scenario see the same cluster (determinism)', () => {
    const a = loaded();
    const b = loaded();
    a.advance(30_000);
    b.advance(30_000);
    expect(a.run('kubectl get pods -o wide')).toEqual(b.run('kubectl get pods -o wide'));
  });
});
