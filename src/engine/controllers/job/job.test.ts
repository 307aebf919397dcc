import { describe, expect, it } from 'vitest';
import { formatIndexes, parseIndexes, podGenerateNameWithIndex } from './indexed.ts';
import { remainingBackoffMs, recordFailure, recordSuccess } from './backoff.ts';
import { matchPodFailurePolicy } from './podfailurepolicy.ts';
import { createJob, jobCluster, jobPods, newJob, reasons } from './testutil.ts';
import type { Pod } from '../../api/types.ts';
import { getCondition } from '../../api/podutil.ts';

describe('back-off (getRemainingTimeForFailuresCount)', () => {
  const table: { failures: number; sinceMs: number; want: number }[] = [
    { failures: 0, sinceMs: 0, want: 0 },
    { failures: 1, sinceMs: 0, want: 10_000 },
    { failures: 1, sinceMs: 4_000, want: 6_000 },
    { failures: 2, sinceMs: 0, want: 20_000 },
    { failures: 3, sinceMs: 0, want: 40_000 },
    { failures: 6, sinceMs: 0, want: 320_000 },
    { failures: 7, sinceMs: 0, want: 360_000 },
    { failures: 20, sinceMs: 0, want: 360_000 },
    { failures: 2, sinceMs: 25_000, want: 0 },
  ];
  it.each(table)('$failures failures, $sinceMs ms ago → $want', ({ failures, sinceMs, want }) => {
    expect(remainingBackoffMs({ failuresAfterLastSuccess: failures, lastFailureMs: 100_000 }, 100_000 + sinceMs)).toBe(want);
  });
  it('a later success resets the count', () => {
    const r = { failuresAfterLastSuccess: 0 };
    recordFailure(r, 1000);
    recordFailure(r, 2000);
    expect(r.failuresAfterLastSuccess).toBe(2);
    recordSuccess(r, 1500);
    expect(r.failuresAfterLastSuccess).toBe(2);
    recordSuccess(r, 3000);
    expect(r.failuresAfterLastSuccess).toBe(0);
  });
});

describe('indexes', () => {
  it.each([
    [[], ''],
    [[0], '0'],
    [[0, 1, 2], '0-2'],
    [[5, 1, 3, 4, 7], '1,3-5,7'],
  ])('%j → %s', (idx, s) => {
    expect(formatIndexes(idx)).toBe(s);
    expect(parseIndexes(s, 100)).toEqual([...idx].sort((a, b) => a - b));
  });
  it('generateName with index', () => {
    expect(podGenerateNameWithIndex('pi', 3)).toBe('pi-3-');
    expect(podGenerateNameWithIndex('a'.repeat(60), 12).length).toBe(58);
  });
});

function failedPod(exitCode: number, conditions: { type: string; status: 'True' }[] = []): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'main', image: 'x' }] },
    status: { phase: 'Failed', conditions, containerStatuses: [{ name: 'main', image: 'x', ready: false, restartCount: 0, state: { terminated: { exitCode } } }] },
  };
}

describe('matchPodFailurePolicy', () => {
  const policy = {
    rules: [
      { action: 'FailJob' as const, onExitCodes: { containerName: 'main', operator: 'In' as const, values: [42] } },
      { action: 'Ignore' as const, onPodConditions: [{ type: 'DisruptionTarget' }] },
      { action: 'Count' as const, onExitCodes: { operator: 'NotIn' as const, values: [1] } },
    ],
  };
  const table = [
    { name: 'exit 42 fails the job', pod: failedPod(42), want: { countFailed: true, action: 'FailJob', message: 'Container main for pod default/p failed with exit code 42 matching FailJob rule at index 0' } },
    { name: 'disruption is ignored', pod: failedPod(137, [{ type: 'DisruptionTarget', status: 'True' }]), want: { countFailed: false, action: 'Ignore' } },
    { name: 'exit 2 counts (NotIn 1)', pod: failedPod(2), want: { countFailed: true, action: 'Count' } },
    { name: 'exit 1 matches no rule: counted', pod: failedPod(1), want: { countFailed: true } },
  ];
  it.each(table)('$name', ({ pod, want }) => {
    expect(matchPodFailurePolicy(policy, pod)).toEqual(want);
  });
});

describe('Job controller', () => {
  it('runs completions with parallelism and completes', () => {
    const sim = jobCluster({ 'batch:1': { runSeconds: 5, startupSeconds: 1 } });
    const job = createJob(sim, newJob('pi', 'batch:1', { completions: 4, parallelism: 2 }));
    expect(job.spec.selector.matchLabels['batch.kubernetes.io/controller-uid']).toBe(job.metadata.uid);
    let pods = jobPods(sim, job);
    expect(pods.length).toBe(2);
    expect(pods[0].metadata.name).toMatch(/^pi-[a-z0-9]{5}$/);
    expect(pods[0].metadata.labels).toMatchObject({ 'batch.kubernetes.io/job-name': 'pi', 'job-name': 'pi', 'controller-uid': job.metadata.uid });
    // A Job created without labels takes its template's (SetDefaults_Job), as `kubectl describe job` shows them.
    expect(job.metadata.labels).toEqual({ 'batch.kubernetes.io/controller-uid': job.metadata.uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': job.metadata.uid, 'job-name': 'pi' });
    expect(job.status.active).toBe(2);
    sim.runFor(120_000);
    pods = jobPods(sim, job);
    expect(pods.length).toBe(4);
    expect(pods.every((p) => p.status.phase === 'Succeeded')).toBe(true);
    expect(job.status.succeeded).toBe(4);
    expect(job.status.active).toBeUndefined();
    expect(job.status.conditions!.map((c) => c.type)).toEqual(['SuccessCriteriaMet', 'Complete']);
    expect(getCondition(job.status.conditions, 'Complete')).toMatchObject({ reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' });
    expect(job.status.completionTime).toBeDefined();
    expect(reasons(sim, job)).toEqual(['SuccessfulCreate', 'SuccessfulCreate', 'SuccessfulCreate', 'SuccessfulCreate', 'Completed']);
  });

  it('retries failures with back-off and fails at backoffLimit', () => {
    const sim = jobCluster({ 'bad:1': { runSeconds: 1, exitCode: 1 } });
    const job = createJob(sim, newJob('bad', 'bad:1', { backoffLimit: 2 }));
    const created: number[] = [];
    sim.store.watch('Pod', (t) => {
      if (t === 'ADDED') created.push(sim.now());
    });
    sim.runFor(600_000);
    expect(jobPods(sim, job).length).toBe(3);
    expect(job.status.failed).toBe(3);
    // Second pod ~10 s after the first failure, third ~20 s after the second.
    expect(created.length).toBe(2);
    const cond = getCondition(job.status.conditions, 'Failed');
    expect(cond).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(job.status.conditions!.map((c) => c.type)).toEqual(['FailureTarget', 'Failed']);
    expect(reasons(sim, job).at(-1)).toBe('BackoffLimitExceeded');
    expect(created[1] - created[0]).toBeGreaterThanOrEqual(20_000);
  });

  it('activeDeadlineSeconds fails a running Job with DeadlineExceeded', () => {
    const sim = jobCluster({ 'slow:1': { runSeconds: 600 } });
    const job = createJob(sim, newJob('slow', 'slow:1', { activeDeadlineSeconds: 30 }));
    sim.runFor(29_000);
    expect(job.status.active).toBe(1);
    sim.runFor(120_000);
    expect(getCondition(job.status.conditions, 'Failed')).toMatchObject({ reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
    expect(job.status.failed).toBe(1);
    expect(jobPods(sim, job).length).toBe(0);
  });

  it('Indexed mode names pods by index and tracks completedIndexes', () => {
    const sim = jobCluster({ 'idx:1': { runSeconds: 3 } });
    const job = createJob(sim, newJob('idx', 'idx:1', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    const pods = jobPods(sim, job);
    expect(pods.map((p) => p.metadata.name.replace(/[a-z0-9]{5}$/, ''))).toEqual(['idx-0-', 'idx-1-', 'idx-2-']);
    expect(pods[1].metadata.annotations!['batch.kubernetes.io/job-completion-index']).toBe('1');
    expect(pods[1].metadata.labels!['batch.kubernetes.io/job-completion-index']).toBe('1');
    expect(pods[1].spec.hostname).toBe('idx-1');
    sim.runFor(60_000);
    expect(job.status.completedIndexes).toBe('0-2');
    expect(job.status.succeeded).toBe(3);
    expect(getCondition(job.status.conditions, 'Complete')?.status).toBe('True');
  });

  it('podFailurePolicy FailJob ends the Job on a matching exit code', () => {
    const sim = jobCluster({ 'exit42:1': { runSeconds: 2, exitCode: 42 } });
    const job = createJob(
      sim,
      newJob('pfp', 'exit42:1', { backoffLimit: 6, podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] } }),
    );
    sim.runFor(60_000);
    const c = getCondition(job.status.conditions, 'Failed');
    expect(c?.reason).toBe('PodFailurePolicy');
    expect(c?.message).toMatch(/^Container main for pod default\/pfp-[a-z0-9]{5} failed with exit code 42 matching FailJob rule at index 0$/);
    expect(job.status.failed).toBe(1);
  });

  it('suspend deletes active pods; resume recreates them', () => {
    const sim = jobCluster({ 'slow:1': { runSeconds: 600 } });
    const job = createJob(sim, newJob('s', 'slow:1', { parallelism: 2, completions: 2 }));
    sim.runFor(5_000);
    job.spec.suspend = true;
    sim.store.update(job, { specChanged: true });
    sim.runFor(60_000);
    expect(jobPods(sim, job).length).toBe(0);
    expect(getCondition(job.status.conditions, 'Suspended')).toMatchObject({ status: 'True', reason: 'JobSuspended' });
    expect(job.status.failed).toBeUndefined();
    job.spec.suspend = false;
    sim.store.update(job, { specChanged: true });
    sim.settle();
    expect(jobPods(sim, job).length).toBe(2);
    expect(getCondition(job.status.conditions, 'Suspended')).toMatchObject({ status: 'False', reason: 'JobResumed' });
    expect(reasons(sim, job)).toContain('Resumed');
  });

  it('ttlSecondsAfterFinished deletes the finished Job and its pods', () => {
    const sim = jobCluster({ 'quick:1': { runSeconds: 1 } });
    const job = createJob(sim, newJob('t', 'quick:1', { ttlSecondsAfterFinished: 30 }));
    sim.runFor(20_000);
    expect(sim.store.get('Job', 'default', 't')).toBeDefined();
    sim.runFor(60_000);
    expect(sim.store.get('Job', 'default', 't')).toBeUndefined();
    expect(jobPods(sim, job).length).toBe(0);
  });

  it('restartPolicy OnFailure counts container restarts against backoffLimit', () => {
    const sim = jobCluster({ 'crash:1': { runSeconds: 1, exitCode: 1 } });
    const job = createJob(sim, newJob('of', 'crash:1', { backoffLimit: 2 }, 'OnFailure'));
    sim.runFor(300_000);
    expect(jobPods(sim, job).length).toBe(0);
    expect(getCondition(job.status.conditions, 'Failed')?.reason).toBe('BackoffLimitExceeded');
  });
});

describe('snapshot and restore', () => {
  it('a restored cluster finishes the Job exactly as the original', () => {
    const images = { 'bad:1': { runSeconds: 2, exitCode: 1 }, 'ok:1': { runSeconds: 4 } };
    const a = jobCluster(images);
    createJob(a, newJob('bad', 'bad:1', { backoffLimit: 3 }));
    createJob(a, newJob('ok', 'ok:1', { completions: 3, parallelism: 1 }));
    a.runFor(15_000);
    const snap = a.snapshot();
    const b = jobCluster(images);
    b.restore(snap);
    a.runFor(300_000);
    b.runFor(300_000);
    const view = (s: typeof a) => s.store.list('Job', 'default').map((j) => [j.metadata.name, j.status]);
    expect(view(b)).toEqual(view(a));
    expect(view(a).map(([, s]) => (s as { failed?: number }).failed ?? 0)).toEqual([4, 0]);
  });
});

describe('podFailurePolicy with evictions', () => {
  it('a pod lost with DisruptionTarget is ignored by an Ignore rule and replaced', () => {
    const sim = jobCluster({ 'slow:1': { runSeconds: 600 } });
    const job = createJob(
      sim,
      newJob('pfp', 'slow:1', { backoffLimit: 0, podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } }),
    );
    sim.runFor(10_000);
    const first = jobPods(sim, job)[0];
    // As the eviction API marks it; then the pod vanishes before reaching a phase (e.g. its node is gone).
    first.status.conditions!.push({ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' });
    sim.store.update(first);
    sim.store.remove('Pod', 'default', first.metadata.name);
    sim.runFor(10_000);
    expect(job.status.failed).toBeUndefined();
    expect(job.status.active).toBe(1);
    expect(jobPods(sim, job).map((p) => p.metadata.name)).not.toContain(first.metadata.name);
  });

  it('without a policy, a deleted pod counts as failed', () => {
    const sim = jobCluster({ 'slow:1': { runSeconds: 600 } });
    const job = createJob(sim, newJob('del', 'slow:1', { backoffLimit: 2 }));
    sim.runFor(10_000);
    sim.service<{ delete(k: string, ns: string, n: string): void }>('api').delete('Pod', 'default', jobPods(sim, job)[0].metadata.name);
    sim.runFor(60_000);
    expect(job.status.failed).toBe(1);
    expect(job.status.active).toBe(1);
  });
});
