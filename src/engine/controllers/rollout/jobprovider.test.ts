import { describe, expect, it } from 'vitest';
import { createCluster } from '../../cluster.ts';
import type { ApiServer } from '../../api/server.ts';

/** run creates an AnalysisRun whose one metric is a Job running `image`, and returns the run after `ms`. */
function run(image: string, ms: number) {
  const sim = createCluster({
    seed: 4,
    nodes: [{ name: 'node-1' }],
    images: { 'check:ok': { runSeconds: 3 }, 'check:bad': { runSeconds: 2, exitCode: 1 } },
  });
  sim.service<ApiServer>('api').create({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: { name: 'smoke', namespace: 'default' },
    spec: {
      metrics: [
        {
          name: 'smoke-test',
          provider: { job: { spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'check', image }] } } } } },
        },
      ],
    },
  });
  sim.runFor(ms);
  return { sim, ar: sim.store.get('AnalysisRun', 'default', 'smoke')! };
}

describe('the job metric provider (metricproviders/job)', () => {
  it('is Running while its Job runs, and Successful when the Job completes', () => {
    const early = run('check:ok', 1_000).ar;
    expect(early.status.phase).toBe('Running');
    expect(early.status.metricResults[0].measurements[0]).toMatchObject({ phase: 'Running', metadata: { 'job-name': `${early.metadata.uid}.smoke-test.1` } });
    const { sim, ar } = run('check:ok', 60_000);
    expect(ar.status.phase).toBe('Successful');
    expect(ar.status.metricResults[0]).toMatchObject({ phase: 'Successful', count: 1, successful: 1 });
    // The Job belongs to the run, so deleting the run collects it.
    expect(sim.store.list('Job', 'default')[0].metadata.ownerReferences?.[0]).toMatchObject({ kind: 'AnalysisRun', name: 'smoke' });
  });

  it('fails the metric (and so the run) when the Job fails', () => {
    const { ar } = run('check:bad', 60_000);
    expect(ar.status.phase).toBe('Failed');
    expect(ar.status.metricResults[0]).toMatchObject({ phase: 'Failed', failed: 1 });
  });
});
