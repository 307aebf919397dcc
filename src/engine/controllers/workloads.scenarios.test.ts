import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse.ts';
import { runScenario } from '../scenario/run.ts';
import { createCluster } from '../cluster.ts';

/** withWorkloads is the engine's own cluster: createCluster installs the workload controllers. */
const withWorkloads = createCluster;

function play(file: string) {
  const text = readFileSync(new URL(`../../../scenarios/${file}`, import.meta.url), 'utf8');
  const res = runScenario(parseScenario(text, `scenarios/${file}`), { createCluster: withWorkloads });
  expect(res.errors).toEqual([]);
  expect(res.warnings).toEqual([]);
  return res.steps.map((s) => ({ ...s, t: undefined })) as unknown as { cmd: string; out: string; exit: number }[];
}

describe('scenarios/job-batch.yaml', () => {
  it('completes, backs off and fails, runs indexed shards and a CronJob', () => {
    const steps = play('job-batch.yaml');
    expect(steps.every((s) => s.exit === 0)).toBe(true);
    expect(steps[0].out).toBe(
      'NAME     STATUS    COMPLETIONS   DURATION   AGE\nflaky    Running   0/1           5s         5s\npi       Running   0/4           5s         5s\nshards   Running   0/3           5s         5s\n',
    );
    expect(steps[1].out).toMatch(/\nshards-0-[a-z0-9]{5} +1\/1 +Running/);
    expect(steps[2].out).toMatch(/\npi +Complete +4\/4 +19s +40s\n/);
    expect(steps[2].out).toMatch(/\nshards +Complete +3\/3 /);
    expect(steps[3].out).toBe('NAME     SCHEDULE    TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\nreport   * * * * *   <none>     False     1        10s             2m10s\n');
    // backoffLimit 3: the fourth failure fails the Job; three successful CronJob runs are kept.
    expect(steps[4].out).toMatch(/\nflaky +Failed +0\/1 /);
    expect(steps[4].out.match(/\nreport-\d+ +Complete/g)).toHaveLength(3);
    expect(steps[5].out.match(/Error/g)).toHaveLength(4);
  });
});

describe('scenarios/statefulset.yaml', () => {
  it('orders, scales down and updates with a partition', () => {
    const steps = play('statefulset.yaml');
    expect(steps.every((s) => s.exit === 0)).toBe(true);
    // OrderedReady: at 5s db-0 is still starting (it waited ~3 s, Pending, for its provisioned volume), so db-1 does not exist yet.
    expect(steps[0].out.split('\n').slice(1, -1).map((l) => l.split(/ +/)[0])).toEqual(['db-0']);
    expect(steps[2].out).toBe('NAME   READY   AGE\ndb     3/3     60s\n');
    expect(steps[3].out).toMatch(/data-db-0[\s\S]*data-db-1[\s\S]*data-db-2/);
    // Scale-down removes db-2 and keeps its claim.
    expect(steps[5].out).not.toContain('db-2');
    expect(steps[6].out).toContain('data-db-2');
    // partition 1: db-1 updated, db-0 still on the old revision.
    const revs = Object.fromEntries(steps[9].out.split('\n').slice(1, -1).map((l) => [l.split(/ +/)[0], l.split(/ +/).at(-1)]));
    expect(Object.keys(revs)).toEqual(['db-0', 'db-1']);
    expect(revs['db-0']).not.toBe(revs['db-1']);
  });
});

describe('scenarios/daemonset.yaml', () => {
  it('follows nodes and rolls out', () => {
    const steps = play('daemonset.yaml');
    expect(steps.every((s) => s.exit === 0)).toBe(true);
    const row = (i: number) => steps[i].out.split('\n')[1].split(/ +/).slice(1, 6).join(' ');
    expect(steps[0].out.split('\n')[0]).toBe('NAME         DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE');
    expect(row(0)).toBe('3 3 3 3 3');
    expect(steps[1].out).not.toContain('control-plane');
    expect(row(3)).toBe('4 4 4 4 4');
    expect(row(5)).toBe('3 3 3 3 3');
    // maxUnavailable 1: right after the image change only one node is without a ready pod.
    expect(steps[7].out.match(/ContainerCreating|Pending|Terminating/g)).toHaveLength(1);
    expect(row(8)).toBe('3 3 3 3 3');
    expect(steps[9].out.match(/ Running /g)).toHaveLength(3);
  });
});

describe('determinism', () => {
  it.each(['job-batch.yaml', 'statefulset.yaml', 'daemonset.yaml'])('%s prints the same bytes twice', (file) => {
    expect(play(file)).toEqual(play(file));
  });
});
