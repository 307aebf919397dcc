import { describe, expect, it } from 'vitest';
import { Sim } from '../engine/sim.ts';
import { main } from './main.ts';
import { memIo } from './memio.ts';

const fake = {
  createCluster: (o: ConstructorParameters<typeof Sim>[0]) => new Sim(o),
  runCommand: (sim: Sim, line: string) => ({ exit: line === 'kubectl get bad' ? 1 : 0, out: `ran ${line} at ${sim.now()}\n` }),
};

const SCENARIO = `apiVersion: kubeplay.dev/v1alpha1
kind: Scenario
metadata: {name: t}
spec:
  timeline:
    - {at: 30s, run: kubectl get pods}
    - {at: 1m, run: kubectl get bad}
`;

describe('kubeplay CLI', () => {
  it('--help and version', async () => {
    const io = memIo({});
    expect(await main(['--help'], io)).toBe(0);
    expect(io.stdout).toContain('kubeplay run FILE [--until 300s] [--json]');
    const v = memIo({});
    expect(await main(['version'], v)).toBe(0);
    expect(v.stdout).toMatch(/^kubeplay \d+\.\d+\.\d+\n$/);
  });

  const usage: { argv: string[]; err: string }[] = [
    { argv: ['frobnicate'], err: 'kubeplay: unknown command "frobnicate"\n' },
    { argv: ['run'], err: 'kubeplay: run needs a scenario FILE\n' },
    { argv: ['run', 's.yaml', '--until', '3x'], err: 'kubeplay: --until: invalid duration "3x": must be a duration like 30s, 2m or 1h30m\n' },
    { argv: ['run', 's.yaml', '--until=721h'], err: 'kubeplay: --until: 721h is too long: the limit is 720h (30 days) of simulated time\n' },
    { argv: ['run', 's.yaml', '--until'], err: 'kubeplay: flag needs an argument: --until\n' },
    { argv: ['run', 's.yaml', '--jsn'], err: 'kubeplay: unknown flag: --jsn\n' },
    { argv: ['run', 'missing.yaml'], err: 'kubeplay: cannot read missing.yaml: no such file or directory\n' },
  ];
  for (const u of usage) {
    it(`refuses ${u.argv.join(' ')}`, async () => {
      const io = memIo({ 's.yaml': SCENARIO });
      expect(await main(u.argv, io, fake)).toBe(1);
      expect(io.stderr.split('See')[0]).toBe(u.err);
      expect(io.stdout).toBe('');
    });
  }

  it('prints each step as a transcript; a failing step does not fail the run', async () => {
    const io = memIo({ 's.yaml': SCENARIO });
    expect(await main(['run', 's.yaml'], io, fake)).toBe(0);
    expect(io.stdout).toBe('[  30.0s] $ kubectl get pods\nran kubectl get pods at 30000\n\n[  60.0s] $ kubectl get bad\nran kubectl get bad at 60000\n');
    // The transcript has no exit codes: a closing line on stderr names the steps that failed.
    expect(io.stderr).toBe('kubeplay: 1 of 2 steps exited non-zero (the run goes on; a step may fail on purpose): 60s kubectl get bad (exit 1)\n');
  });

  it('--json prints one object per line', async () => {
    const io = memIo({ 's.yaml': SCENARIO });
    expect(await main(['run', 's.yaml', '--json', '--until', '5m'], io, fake)).toBe(0);
    expect(io.stdout.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual([
      { t: 30, cmd: 'kubectl get pods', exit: 0, out: 'ran kubectl get pods at 30000\n' },
      { t: 60, cmd: 'kubectl get bad', exit: 1, out: 'ran kubectl get bad at 60000\n' },
    ]);
  });

  it('a rollout status that is still waiting is named apart from the failed steps, and marked in --json', async () => {
    const watch = `apiVersion: kubeplay.dev/v1alpha1
kind: Scenario
metadata: {name: w}
spec:
  timeline:
    - {at: 0s, run: kubectl create deployment web --image=nginx:1.25 --replicas=2}
    - {at: 20s, run: kubectl set image deployment/web nginx=nginx:1.26}
    - {at: 20s, run: kubectl rollout status deployment/web}
    - {at: 21s, run: kubectl get bad}
`;
    const io = memIo({ 'w.yaml': watch });
    expect(await main(['run', 'w.yaml', '--until', '25s'], io)).toBe(0);
    expect(io.stdout).toContain('[  20.0s] $ kubectl rollout status deployment/web\nWaiting for deployment "web" rollout to finish: ');
    expect(io.stderr).toBe(
      'kubeplay: 1 of 4 steps exited non-zero (the run goes on; a step may fail on purpose): 21s kubectl get bad (exit 1)\n' +
        'kubeplay: 1 step was still watching when it printed (a timeline step runs once; kubectl would go on waiting): 20s kubectl rollout status deployment/web\n',
    );
    const json = memIo({ 'w.yaml': watch });
    expect(await main(['run', 'w.yaml', '--until', '25s', '--json'], json)).toBe(0);
    const steps = json.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { cmd: string; exit: number; watching?: boolean });
    expect(steps.map((s) => [s.exit, s.watching])).toEqual([
      [0, undefined],
      [0, undefined],
      [1, true],
      [1, undefined],
    ]);
  });

  it('a scenario with errors exits 1 with file:line: field messages and runs nothing', async () => {
    const io = memIo({ 's.yaml': SCENARIO.replace('30s', '3x') });
    expect(await main(['run', 's.yaml'], io, fake)).toBe(1);
    expect(io.stderr).toBe('s.yaml:6: spec.timeline[0].at: Invalid value: "3x": must be a duration like 30s, 2m or 1h30m\n');
    expect(io.stdout).toBe('');
  });

  it('a manifest refused at t=0 is reported with file, line and document; the run goes on and exits 1', async () => {
    const io = memIo({ 's.yaml': `${SCENARIO}---\napiVersion: argoproj.io/v1alpha1\nkind: Experiment\nmetadata:\n  name: agent\n` });
    expect(await main(['run', 's.yaml', '--json'], io, fake)).toBe(1);
    expect(io.stderr).toBe('s.yaml:9 (document 2, Experiment "agent"): Experiment (argoproj.io/v1alpha1) is not simulated by Kubeplay yet; Experiment "agent" was not applied\n');
    expect(io.stdout.trimEnd().split('\n')).toHaveLength(2);
  });

  it('an empty file is a mistake; manifests without a Scenario run, and the runner says there is nothing to print', async () => {
    const empty = memIo({ 'e.yaml': '# nothing here\n' });
    expect(await main(['run', 'e.yaml'], empty, fake)).toBe(1);
    expect(empty.stderr).toBe('e.yaml: no Scenario document and no manifests: a scenario is a kubeplay.dev/v1alpha1 Scenario document and the Kubernetes manifests to apply at 0s\n');
    const bare = memIo({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n' });
    expect(await main(['run', 'cm.yaml'], bare)).toBe(0);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toBe('kubeplay: cm.yaml has no Scenario document: its manifest was applied at 0s to the default cluster, and there is no timeline step to print\n');
  });

  it('refuses a file over the size limit before reading it', async () => {
    const io = memIo({ 'big.yaml': 'x'.repeat(3 * 1024 * 1024) });
    expect(await main(['run', 'big.yaml'], io, fake)).toBe(1);
    expect(io.stderr).toBe('big.yaml: the scenario is 3145728 bytes; the limit is 2 MiB per scenario\n');
  });

  it('an engine crash is an internal error, exit 2, without a stack trace', async () => {
    const io = memIo({ 's.yaml': SCENARIO });
    const crash = { ...fake, runCommand: () => { throw new TypeError("Cannot read properties of undefined (reading 'spec')"); } };
    expect(await main(['run', 's.yaml'], io, crash)).toBe(2);
    expect(io.stderr.split('\n')[0]).toBe("kubeplay: internal error: Cannot read properties of undefined (reading 'spec')");
    expect(io.stderr).not.toMatch(/\n\s+at /);
  });
});
