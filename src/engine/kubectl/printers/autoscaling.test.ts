import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.ts';
import { Sim } from '../../sim.ts';
import { printerFor } from './index.ts';

const ctx = { now: 3_600_000, sim: new Sim() };
const hpa = (spec: Record<string, unknown>, status: Record<string, unknown> = {}, apiVersion = 'autoscaling/v2'): KubeObject => ({
  apiVersion,
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default', creationTimestamp: '2025-01-01T00:00:00Z' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 10, ...spec },
  status,
});
const cpu = (u: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: u } } });
const cpuNow = (u: number) => ({ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: u, averageValue: '45m' } } });

describe('kubectl get hpa (printHorizontalPodAutoscaler)', () => {
  it('has kubectl columns', () => expect(printerFor('HorizontalPodAutoscaler').columns).toEqual(['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']));
  it.each([
    ['a reading', hpa({ minReplicas: 1, metrics: [cpu(50)] }, { currentReplicas: 2, currentMetrics: [cpuNow(45)] }), ['web', 'Deployment/web', 'cpu: 45%/50%', '1', '10', '2', '60m']],
    ['no reading yet', hpa({ minReplicas: 2, metrics: [cpu(50)] }), ['web', 'Deployment/web', 'cpu: <unknown>/50%', '2', '10', '0', '60m']],
    ['a failed metric is an empty status', hpa({ minReplicas: 1, metrics: [cpu(50)] }, { currentReplicas: 3, currentMetrics: [{ type: '' }] }), ['web', 'Deployment/web', 'cpu: <unknown>/50%', '1', '10', '3', '60m']],
    ['minReplicas unset', hpa({ metrics: [cpu(80)] }), ['web', 'Deployment/web', 'cpu: <unknown>/80%', '<unset>', '10', '0', '60m']],
    [
      'memory AverageValue and more than two metrics',
      hpa(
        {
          minReplicas: 1,
          metrics: [
            { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
            { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } },
            { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } },
          ],
        },
        { currentReplicas: 1, currentMetrics: [{ type: 'Resource', resource: { name: 'memory', current: { averageValue: '64Mi' } } }] },
      ),
      ['web', 'Deployment/web', 'memory: 64Mi/100Mi, <unknown>/10 + 1 more...', '1', '10', '1', '60m'],
    ],
    ['no metrics', hpa({ minReplicas: 1, metrics: [] }), ['web', 'Deployment/web', '<none>', '1', '10', '0', '60m']],
    ['autoscaling/v1', hpa({ minReplicas: 1, targetCPUUtilizationPercentage: 60 }, { currentReplicas: 1, currentCPUUtilizationPercentage: 12 }, 'autoscaling/v1'), ['web', 'Deployment/web', 'cpu: 12%/60%', '1', '10', '1', '60m']],
  ])('%s', (_n, obj, row) => {
    expect(printerFor('HorizontalPodAutoscaler').row(obj, ctx)).toEqual(row);
  });
});
