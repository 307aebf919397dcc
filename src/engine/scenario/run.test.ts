import { describe, expect, it } from 'vitest';
import { Sim } from '../sim.ts';
import { invalid } from '../api/errors.ts';
import type { KubeObject } from '../api/types.ts';
import type { ClusterOptions } from '../cluster.ts';
import { parseScenario } from './parse.ts';
import { runScenario, type StepCommandRunner } from './run.ts';
import { formatDiagnostic } from './types.ts';
import type { ApiService } from './apply.ts';

/**
 * fakeCluster is a Sim with a minimal API server: it stores objects, answers apply like the real one
 * (created / configured / unchanged) and refuses `replicas: -1` with the API server's Invalid error.
 * It lets the runner's mechanics be tested apart from the controllers.
 */
function fakeCluster(options: ClusterOptions): Sim {
  const sim = new Sim(options);
  const api: ApiService = {
    apply(obj: KubeObject) {
      if (obj.spec?.replicas === -1) {
        throw invalid(obj.kind, obj.metadata.name, [{ field: 'spec.replicas', type: 'Invalid value', value: -1, detail: 'must be greater than or equal to 0' }]);
      }
      const old = sim.store.get(obj.kind, obj.metadata.namespace, obj.metadata.name);
      if (!old) return { obj: sim.store.create(obj), result: 'created' };
      if (JSON.stringify(old.spec) === JSON.stringify(obj.spec)) return { obj: old, result: 'unchanged' };
      old.spec = obj.spec;
      return { obj: sim.store.update(old, { specChanged: true }), result: 'configured' };
    },
    create: (obj: KubeObject) => sim.store.create(obj),
  };
  sim.services.set('api', api);
  sim.state.nodes = options.nodes?.map((n) => n.name);
  return sim;
}

/** echo is a runCommand that prints the time and the line, and fails for `kubectl get fail`. */
const echo: StepCommandRunner = (sim, line, opts) => ({
  exit: line.startsWith('kubectl get fail') ? 1 : 0,
  out: `${sim.now()}ms ${line}${opts?.stdin ? ` <<${opts.stdin.length} bytes` : ''}\n`,
});

const scenario = (spec: string, manifests = '') =>
  `apiVersion: kubeplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n${spec}${manifests ? `---\n${manifests}` : ''}`;

const deploy = (name: string, replicas: number) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels: {app: ${name}}\n`;

describe('runScenario', () => {
  it('runs each step at its time, in order, and ends at the last step', () => {
    const p = parseScenario(scenario('  timeline:\n    - {at: 1m, run: kubectl get rs}\n    - {at: 30s, run: kubectl get pods}\n    - {at: 30s, run: kubectl get fail}\n'), 'f.yaml');
    const seen: number[] = [];
    const r = runScenario(p, { runCommand: echo, createCluster: fakeCluster, onStep: (s) => seen.push(s.t) });
    expect(r.errors).toEqual([]);
    expect(r.steps).toEqual([
      { t: 30, cmd: 'kubectl get pods', exit: 0, out: '30000ms kubectl get pods\n' },
      { t: 30, cmd: 'kubectl get fail', exit: 1, out: '30000ms kubectl get fail\n' },
      { t: 60, cmd: 'kubectl get rs', exit: 0, out: '60000ms kubectl get rs\n' },
    ]);
    expect(seen).toEqual([30, 30, 60]);
    expect(r.sim!.now()).toBe(60_000);
  });

  it('--until runs the clock further, or cuts the timeline short', () => {
    const p = parseScenario(scenario('  timeline:\n    - {at: 10s, run: k get a}\n    - {at: 20s, run: k get b}\n'), 'f.yaml');
    expect(runScenario(p, { runCommand: echo, createCluster: fakeCluster, until: 300_000 }).sim!.now()).toBe(300_000);
    const short = runScenario(p, { runCommand: echo, createCluster: fakeCluster, until: 15_000 });
    expect(short.steps.map((s) => s.cmd)).toEqual(['k get a']);
    expect(short.sim!.now()).toBe(15_000);
  });

  it('builds the cluster from the seed, images and nodes', () => {
    const p = parseScenario(scenario('  seed: 9\n  images:\n    shop:v1: {startupSeconds: 3}\n  cluster:\n    nodes:\n      - {count: 2, namePrefix: n-}\n'), 'f.yaml');
    let got: ClusterOptions | undefined;
    runScenario(p, { runCommand: echo, createCluster: (o) => ((got = o), fakeCluster(o)) });
    expect(got).toEqual({ seed: 9, images: { 'shop:v1': { startupSeconds: 3 } }, nodes: [
      { name: 'n-1', capacity: { cpu: '4', memory: '8Gi', pods: '110' } },
      { name: 'n-2', capacity: { cpu: '4', memory: '8Gi', pods: '110' } },
    ], traffic: [], network: undefined });
  });

  it('applies manifests at t=0 in file order and reports each failure with file, line and document', () => {
    const text = scenario('  seed: 1\n', `${deploy('a', 1)}---\n${deploy('b', -1)}---\napiVersion: argoproj.io/v1alpha1\nkind: Experiment\nmetadata: {name: db}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n---\n${deploy('c', 2)}`);
    const p = parseScenario(text, 'f.yaml');
    expect(p.errors).toEqual([]);
    const r = runScenario(p, { runCommand: echo, createCluster: fakeCluster });
    expect(r.sim!.store.list('Deployment').map((d) => [d.metadata.name, d.metadata.namespace])).toEqual([
      ['a', 'default'],
      ['c', 'default'],
    ]);
    expect(r.errors.map(formatDiagnostic)).toEqual([
      // The Invalid error points at the field it names (spec.replicas is line 22).
      'f.yaml:22 (document 3, Deployment "b"): The Deployment "b" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      'f.yaml:26 (document 4, Experiment "db"): Experiment (argoproj.io/v1alpha1) is not simulated by Kubeplay yet; Experiment "db" was not applied',
      'f.yaml:30 (document 5, Widget "w"): resource mapping not found for name: "w" namespace: "" from "f.yaml": no matches for kind "Widget" in version "example.com/v1"\nensure CRDs are installed first',
    ]);
  });

  it('re-applying the same manifest is unchanged, as kubectl apply', () => {
    const p = parseScenario(scenario('  seed: 1\n', `${deploy('a', 1)}---\n${deploy('a', 1)}`), 'f.yaml');
    expect(runScenario(p, { runCommand: echo, createCluster: fakeCluster }).errors).toEqual([]);
  });

  it('an apply step runs kubectl apply -f - with the manifests on stdin', () => {
    const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n';
    const p = parseScenario(scenario(`  timeline:\n    - at: 5s\n      apply: |\n${manifest.replace(/^/gm, '        ')}`), 'f.yaml');
    expect(p.errors).toEqual([]);
    const r = runScenario(p, { runCommand: echo, createCluster: fakeCluster });
    expect(r.steps).toEqual([{ t: 5, cmd: 'kubectl apply -f -', exit: 0, out: `5000ms kubectl apply -f - <<${manifest.length} bytes\n` }]);
  });

  it('does not run a scenario with errors', () => {
    const p = parseScenario(scenario('  seed: x\n'), 'f.yaml');
    let built = false;
    const r = runScenario(p, { runCommand: echo, createCluster: (o) => ((built = true), fakeCluster(o)) });
    expect(built).toBe(false);
    expect(r.sim).toBeUndefined();
    expect(r.errors.map(formatDiagnostic)).toEqual(['f.yaml:6: spec.seed: Invalid value: "x": must be an integer']);
  });

  it('lets engine bugs through as exceptions (the CLI reports them as internal errors)', () => {
    const p = parseScenario(scenario('  timeline:\n    - {at: 1s, run: kubeplay boom}\n'), 'f.yaml');
    const boom: StepCommandRunner = () => {
      throw new TypeError('x is undefined');
    };
    expect(() => runScenario(p, { runCommand: boom, createCluster: fakeCluster })).toThrow('x is undefined');
  });

  it('is deterministic: the same scenario gives the same steps', () => {
    const text = scenario('  seed: 5\n  timeline:\n    - {at: 1s, run: k get a}\n    - {at: 2s, run: k get b}\n', deploy('a', 1));
    const run = () => runScenario(parseScenario(text, 'f.yaml'), { runCommand: (sim, line) => ({ exit: 0, out: `${line} ${sim.rng.next32()} ${sim.store.list('Deployment')[0].metadata.uid}\n` }), createCluster: fakeCluster }).steps;
    expect(run()).toEqual(run());
  });
});
