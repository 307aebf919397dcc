import { readFileSync } from 'node:fs';
import { createCluster } from '../../engine/cluster.ts';
import { describe, expect, it } from 'vitest';
import type { Deployment, KubeObject, Pod, ReplicaSet } from '../../engine/api/types.ts';
import type { Sim } from '../../engine/sim.ts';
import { parseScenario } from '../../engine/scenario/parse.ts';
import { runScenario } from '../../engine/scenario/run.ts';
import { runCommand } from '../../engine/kubectl/index.ts';
import type { TrafficView } from '../../worker/protocol.ts';
import { objKey, type ObjectsByKind } from '../state/cluster.ts';
import { measuredWeights, rolloutView, shortValue } from './argo.ts';
import { deploymentView } from './deployment.ts';
import { resolveTarget } from './target.ts';

function play(file: string, until: number): Sim {
  const text = readFileSync(new URL(`../../../scenarios/${file}`, import.meta.url), 'utf8');
  const res = runScenario(parseScenario(text, `scenarios/${file}`), { until });
  expect(res.errors).toEqual([]);
  return res.sim!;
}

/** objectsOf is the page's table of a Sim's store (what the worker's diffs build). */
function objectsOf(sim: Sim): ObjectsByKind {
  const out: Record<string, Map<string, KubeObject>> = {};
  for (const kind of sim.store.kinds()) {
    const m = new Map<string, KubeObject>();
    for (const o of sim.store.list(kind)) m.set(objKey(o.metadata.namespace, o.metadata.name), o);
    out[kind] = m;
  }
  return out;
}

const list = <T extends KubeObject>(sim: Sim, kind: string) => sim.store.list<T>(kind);

describe('resolveTarget', () => {
  const sim = play('argo-canary-nginx.yaml', 40_000);
  const objects = objectsOf(sim);
  const pod = list<Pod>(sim, 'Pod').find((p) => p.metadata.labels?.app === 'shop')!;
  const rs = list<ReplicaSet>(sim, 'ReplicaSet')[0];
  const shop = { target: { kind: 'Rollout', namespace: 'default', name: 'shop' } };
  it.each([
    ['the rollout itself', { kind: 'Rollout', namespace: 'default', name: 'shop' }],
    ['a pod → its ReplicaSet → its rollout', { kind: 'Pod', namespace: 'default', name: pod.metadata.name }],
    ['a ReplicaSet → its rollout', { kind: 'ReplicaSet', namespace: 'default', name: rs.metadata.name }],
    ['nothing, and the rollout is the only workload', undefined],
    ['a Service (not a workload): the only one', { kind: 'Service', namespace: 'default', name: 'shop-stable' }],
  ])('%s', (_n, sel) => expect(resolveTarget(sel, objects)).toEqual(shop));
  it('hints when there are several', () => {
    const two = { ...objects, Deployment: new Map([['default/web', { metadata: { name: 'web', namespace: 'default' } } as KubeObject]]) };
    expect(resolveTarget(undefined, two).hint).toMatch(/^1 Deployment and 1 Rollout: click one/);
    const deployments = { Deployment: new Map(['a', 'b'].map((n) => [`default/${n}`, { metadata: { name: n, namespace: 'default' } } as KubeObject])) };
    expect(resolveTarget(undefined, deployments).hint).toMatch(/^2 Deployments: click one/);
  });
  it('hints when there is none', () => expect(resolveTarget(undefined, {}).hint).toMatch(/^No Deployment or Rollout/));
});

describe('rolloutView countdowns: a timed pause and a scale-down delay', () => {
  const at = (file: string, t: number) => {
    const sim = play(file, t);
    return rolloutView(sim.store.get('Rollout', 'default', 'shop')!, list(sim, 'ReplicaSet'), [], [], undefined, sim.now());
  };
  it('the current pause: 30s step says how long is left of it', () => {
    // argo-canary: promoted at 60 s, setWeight 60 reached, then the 30 s pause started at 63 s.
    expect(at('argo-canary.yaml', 75_000).steps.filter((s) => s.state === 'current')).toEqual([{ index: 3, text: 'pause: 30s', state: 'current', left: '18s' }]);
  });
  it("the first revision's skipped steps are said to be skipped, not shown as a finished canary", () => {
    expect(at('argo-canary.yaml', 20_000).firstRevision).toBe(true);
    expect(at('argo-canary.yaml', 75_000).firstRevision).toBe(false);
    expect(at('argo-canary.yaml', 150_000).firstRevision).toBe(false);
  });
  it('the old blue ReplicaSet says when it will be scaled down (scaleDownDelaySeconds 30)', () => {
    const v = at('argo-bluegreen.yaml', 70_000);
    expect(v.replicaSets.map((r) => [r.revision, r.tags, r.note])).toEqual([
      [2, ['stable', 'active'], undefined],
      [1, [], 'scale-down in 20s'],
    ]);
  });
});

describe('rolloutView on scenarios/argo-canary-nginx.yaml', () => {
  const sim = play('argo-canary-nginx.yaml', 40_000);
  const view = (traffic?: TrafficView) => rolloutView(sim.store.get('Rollout', 'default', 'shop')!, list(sim, 'ReplicaSet'), list(sim, 'AnalysisRun'), list(sim, 'Pod'), traffic);

  it('paused at step 1: setWeight done, the pause current, the rest to come', () => {
    const v = view();
    expect(v.strategy).toBe('Canary');
    expect(v.router).toBe('nginx');
    expect(v.stepLabel).toBe('1/4');
    expect(v.steps.map((s) => `${s.state} ${s.text}`)).toEqual(['done setWeight: 20', 'current pause', 'pending setWeight: 50', 'pending pause: 30s']);
    expect(v.weights).toMatchObject({ set: 20, routed: 20 });
    expect(v.replicaSets.map((r) => [r.revision, r.tags, r.images, `${r.ready}/${r.replicas}`])).toEqual([
      [2, ['canary'], ['shop:v2'], '1/1'],
      [1, ['stable'], ['shop:v1'], '4/4'],
    ]);
  });

  it('enables what applies while paused at a pause step', () => {
    const a = Object.fromEntries(view().actions.map((x) => [x.id, x]));
    expect(a.promote).toMatchObject({ enabled: true, command: 'kubectl argo rollouts promote shop -n default' });
    expect(a['promote-full']).toMatchObject({ enabled: true, command: 'kubectl argo rollouts promote shop -n default --full' });
    expect(a.abort).toMatchObject({ enabled: true, command: 'kubectl argo rollouts abort shop -n default' });
    expect(a.retry).toMatchObject({ enabled: false, title: 'Not now: only an aborted rollout can be retried' });
    expect(a.pause.enabled).toBe(true);
    expect(a.resume).toMatchObject({ enabled: false, title: 'Not now: paused by the controller at a pause step, not by a user: use Promote' });
    expect(a.undo).toMatchObject({ enabled: true, command: 'kubectl argo rollouts undo shop -n default' });
  });

  it('measures the canary share from the pods’ rps', () => {
    const pods = list<Pod>(sim, 'Pod').filter((p) => p.metadata.labels?.app === 'shop');
    const st = sim.store.get('Rollout', 'default', 'shop')!.status;
    const traffic: TrafficView = { t: 0, windowMs: 5000, services: {}, pods: {} };
    for (const p of pods) traffic.pods[`default/${p.metadata.name}`] = { rps: p.metadata.labels?.['rollouts-pod-template-hash'] === st.currentPodHash ? 18.7 : 20.325, errors: 0 };
    expect(measuredWeights(pods, st.currentPodHash, st.stableRS, traffic)).toEqual({ canaryRps: 18.7, stableRps: 81.3, measured: 18.7, settled: false });
    expect(view(traffic).weights?.measured).toBe(18.7);
    expect(measuredWeights(pods, st.currentPodHash, st.stableRS, undefined).measured).toBeUndefined();
    // Between updates there is no canary: everything the stable pods served, and no share to measure.
    const stablePods = pods.filter((p) => p.metadata.labels?.['rollouts-pod-template-hash'] === st.stableRS);
    expect(measuredWeights(stablePods, st.stableRS, st.stableRS, traffic)).toEqual({ canaryRps: 0, stableRps: 81.3, measured: undefined, settled: true });
  });

  it('after promote the next step is current; after abort only Retry (and Pause/Undo) apply', () => {
    expect(runCommand(sim, 'kubectl argo rollouts promote shop -n default').exit).toBe(0);
    sim.settle();
    expect(view().steps.find((s) => s.state === 'current')?.index).toBe(2);
    sim.runFor(5_000);
    expect(view().steps.find((s) => s.state === 'current')?.index).toBe(3);
    expect(runCommand(sim, 'kubectl argo rollouts abort shop -n default').exit).toBe(0);
    const v = view();
    expect(v.aborted).toBe(true);
    const enabled = v.actions.filter((x) => x.enabled).map((x) => x.id);
    expect(enabled).toEqual(['retry', 'pause', 'undo']);
    expect(v.actions.find((x) => x.id === 'promote')!.title).toBe('Not now: the rollout is aborted: Retry it first');
  });

  it('Resume applies once a user paused it, and its command unpauses', () => {
    const s2 = play('argo-canary-nginx.yaml', 10_000);
    expect(runCommand(s2, 'kubectl argo rollouts pause shop -n default').exit).toBe(0);
    const ro = () => s2.store.get('Rollout', 'default', 'shop')!;
    const resume = rolloutView(ro(), list(s2, 'ReplicaSet'), [], [], undefined).actions.find((x) => x.id === 'resume')!;
    expect(resume.enabled).toBe(true);
    expect(runCommand(s2, resume.command).exit).toBe(0);
    expect(ro().spec.paused).toBe(false);
    // Healthy, nothing in progress: promote, abort and full promote do not apply.
    const a = Object.fromEntries(rolloutView(ro(), list(s2, 'ReplicaSet'), [], [], undefined).actions.map((x) => [x.id, x.enabled]));
    expect(a).toMatchObject({ promote: false, 'promote-full': false, abort: false, retry: false, undo: false });
  });
});

describe('rolloutView analysis runs (scenarios/argo-canary-analysis-abort.yaml)', () => {
  it('lists the runs with each metric’s measurements', () => {
    const sim = play('argo-canary-analysis-abort.yaml', 200_000);
    const v = rolloutView(sim.store.get('Rollout', 'default', list(sim, 'Rollout')[0].metadata.name)!, list(sim, 'ReplicaSet'), list(sim, 'AnalysisRun'), list(sim, 'Pod'), undefined);
    expect(v.runs.length).toBeGreaterThan(0);
    const m = v.runs[0].metrics[0];
    expect(m.measurements.length).toBeGreaterThan(0);
    expect(m.measurements.every((x) => ['Successful', 'Failed', 'Error', 'Inconclusive', 'Running'].includes(x.phase))).toBe(true);
  });
});

describe('deploymentView on scenarios/rolling-update.yaml', () => {
  it('mid-rollout: revisions newest first, the arithmetic, and the rollout buttons', () => {
    const sim = play('rolling-update.yaml', 33_000);
    const d = sim.store.get<Deployment>('Deployment', 'default', 'web')!;
    const v = deploymentView(d, list(sim, 'ReplicaSet'), list(sim, 'Pod'));
    expect(v.revisions.map((r) => [r.revision, r.images, r.current])).toEqual([
      [2, ['nginx:1.26'], true],
      [1, ['nginx:1.25'], false],
    ]);
    expect(v.explanation.maxTotal).toBe(5);
    expect(v.explanation.minAvailable).toBe(4);
    const a = Object.fromEntries(v.actions.map((x) => [x.id, x]));
    expect(a.pause).toMatchObject({ enabled: true, command: 'kubectl rollout pause deployment/web -n default' });
    expect(a.resume).toMatchObject({ enabled: false, command: 'kubectl rollout resume deployment/web -n default' });
    expect(a.undo).toMatchObject({ enabled: true, command: 'kubectl rollout undo deployment/web -n default' });
    expect(a.restart).toMatchObject({ enabled: true, command: 'kubectl rollout restart deployment/web -n default' });
    expect(runCommand(sim, a.pause.command).exit).toBe(0);
    sim.settle();
    const p = deploymentView(sim.store.get<Deployment>('Deployment', 'default', 'web')!, list(sim, 'ReplicaSet'), list(sim, 'Pod'));
    expect(p.explanation.state).toBe('paused');
    expect(p.actions.filter((x) => x.enabled).map((x) => x.id)).toEqual(['resume']);
    expect(runCommand(sim, p.actions.find((x) => x.id === 'resume')!.command).out).toBe('deployment.apps/web resumed\n');
    expect(p.failing).toEqual([]);
  });

  it('a rollout to an image that cannot be pulled names the failing new pods', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }], images: { 'nginx:broken': { pullError: true } } });
    runCommand(sim, 'kubectl create deployment web --image=nginx:1.25 --replicas=3');
    sim.runFor(30_000);
    expect(runCommand(sim, 'kubectl set image deployment/web nginx=nginx:broken').exit).toBe(0);
    sim.runFor(60_000);
    const v = deploymentView(sim.store.get<Deployment>('Deployment', 'default', 'web')!, list(sim, 'ReplicaSet'), list(sim, 'Pod'));
    expect(v.explanation.state).toBe('rolling');
    expect(v.failing.length).toBeGreaterThan(0);
    expect(v.failing.every((f) => /^web-[a-z0-9]+-[a-z0-9]{5}$/.test(f.name) && /^(ImagePullBackOff|ErrImagePull)$/.test(f.status))).toBe(true);
    expect(v.progressDeadlineSeconds).toBe(600);
    // Undo: the old revision comes back and nothing is failing once it is complete.
    runCommand(sim, 'kubectl rollout undo deployment/web');
    sim.runFor(60_000);
    const u = deploymentView(sim.store.get<Deployment>('Deployment', 'default', 'web')!, list(sim, 'ReplicaSet'), list(sim, 'Pod'));
    expect(u.explanation.state).toBe('complete');
    expect(u.failing).toEqual([]);
  });
});

describe('shortValue', () => {
  it.each([
    ['[0.7258982279304178]', '[0.726]'],
    ['[0.5, 1.23456]', '[0.5, 1.235]'],
    ['42', '42'],
    ['0.99999', '1'],
    ['', ''],
    ['not a number', 'not a number'],
  ])('%s → %s', (v, want) => expect(shortValue(v)).toBe(want));
});
