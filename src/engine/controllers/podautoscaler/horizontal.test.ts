import { describe, expect, it } from 'vitest';
import type { EventObject, KubeObject } from '../../api/types.ts';
import type { NetworkApi } from '../../network/index.ts';
import type { Sim } from '../../sim.ts';
import { apply, cpuTarget, deployment, hpa, hpaCluster, service } from './testutil.ts';

const IMAGES = { 'web:1': { startupSeconds: 2, cpu: '10m', cpuPerRps: '5m', memory: '50Mi', memoryPerRps: '1Mi' } };
const get = (sim: Sim, kind: string, name: string) => sim.store.get<KubeObject>(kind, 'default', name)!;
const events = (sim: Sim, name: string) =>
  sim.store
    .list<EventObject>('Event', 'default')
    .filter((e) => e.involvedObject.kind === 'HorizontalPodAutoscaler' && e.involvedObject.name === name)
    .map((e) => `${e.type} ${e.reason} ${e.message}`);
const cond = (h: KubeObject, type: string) => h.status?.conditions?.find((c: { type: string }) => c.type === type);

describe('HorizontalPodAutoscaler controller on a cluster', () => {
  it('scales out with traffic (limited to max(2×current, 4)), then back in after the 300 s stabilization window', () => {
    const sim = hpaCluster(IMAGES);
    apply(sim, deployment('web', 2, 'web:1', { cpu: '100m', memory: '128Mi' }), service('web'), hpa('web', { metrics: cpuTarget(50) }));
    sim.service<NetworkApi>('network').setTraffic({ host: 'web', rps: 40 }, 'load');
    // 40 rps over 2 pods: 10m + 20 × 5m = 110m of 100m requested → 110 % vs 50 % → ceil(2.2 × 2) = 5 → capped at 4.
    sim.runUntil(120_000);
    const ev = events(sim, 'web');
    expect(ev).toContain('Normal SuccessfulRescale New size: 4; reason: cpu resource utilization (percentage of request) above target');
    const h = get(sim, 'HorizontalPodAutoscaler', 'web');
    expect(h.status.lastScaleTime).toBeDefined();
    // 40 rps over 4 pods: 10 + 10 × 5 = 60m → 60 % → ceil(1.2 × 4) = 5.
    sim.runUntil(240_000);
    expect(get(sim, 'Deployment', 'web').spec.replicas).toBe(5);
    const h2 = get(sim, 'HorizontalPodAutoscaler', 'web');
    // 40 rps over 5 pods: 10 + 8 × 5 = 50m → 50 % → within tolerance.
    expect(h2.status.currentMetrics[0].resource.current.averageUtilization).toBeGreaterThanOrEqual(45);
    expect(h2.status.currentMetrics[0].resource.current.averageUtilization).toBeLessThanOrEqual(55);
    expect(h2.status).toMatchObject({ currentReplicas: 5, desiredReplicas: 5 });
    expect(cond(h2, 'AbleToScale')).toMatchObject({ status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' });
    expect(cond(h2, 'ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)' });
    expect(cond(h2, 'ScalingLimited')).toMatchObject({ status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' });

    // Traffic stops: 10m of 100m → 10 % → desired 1, held by the highest recommendation of the last 300 s.
    sim.service<NetworkApi>('network').stopTraffic('load');
    sim.runUntil(300_000);
    expect(get(sim, 'Deployment', 'web').spec.replicas).toBe(5);
    expect(cond(get(sim, 'HorizontalPodAutoscaler', 'web'), 'AbleToScale')).toMatchObject({ reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' });
    sim.runUntil(600_000);
    expect(get(sim, 'Deployment', 'web').spec.replicas).toBe(1);
    expect(events(sim, 'web')).toContain('Normal SuccessfulRescale New size: 1; reason: All metrics below target');
  });

  it('syncs every 15 s and writes status with currentMetrics', () => {
    const sim = hpaCluster(IMAGES);
    apply(sim, deployment('web', 1, 'web:1', { cpu: '100m' }), service('web'), hpa('web', { metrics: cpuTarget(50) }));
    sim.runUntil(60_000);
    const h = get(sim, 'HorizontalPodAutoscaler', 'web');
    // Idle: 10m of 100m.
    expect(h.status.currentMetrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 10, averageValue: '10m' } } }]);
    expect(h.status.desiredReplicas).toBe(1);
    // ceil(0.2 × 1) = 1: already at minReplicas, so not limited.
    expect(cond(h, 'ScalingLimited')).toMatchObject({ status: 'False', reason: 'DesiredWithinRange' });
    // Status is written at the syncs only: 15 s apart.
    const rv = h.metadata.resourceVersion;
    sim.runUntil(74_000);
    expect(get(sim, 'HorizontalPodAutoscaler', 'web').metadata.resourceVersion).toBe(rv);
  });

  it('reports a container without a CPU request as upstream does', () => {
    const sim = hpaCluster(IMAGES);
    apply(sim, deployment('web', 1, 'web:1'), hpa('web', { metrics: cpuTarget(50) }));
    sim.runUntil(60_000);
    const h = get(sim, 'HorizontalPodAutoscaler', 'web');
    const pod = sim.store.list('Pod', 'default')[0].metadata.name;
    const inner = `failed to get cpu utilization: missing request for cpu in container web of Pod ${pod}`;
    expect(cond(h, 'ScalingActive')).toMatchObject({ status: 'False', reason: 'FailedGetResourceMetric', message: `the HPA was unable to compute the replica count: ${inner}` });
    const ev = events(sim, 'web');
    expect(ev).toContain(`Warning FailedGetResourceMetric ${inner}`);
    expect(ev).toContain(`Warning FailedComputeMetricsReplicas invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${inner}`);
    expect(h.status.currentMetrics).toEqual([{ type: '' }]);
  });

  it('reports no metrics before the pods have run a whole window', () => {
    const sim = hpaCluster(IMAGES);
    apply(sim, deployment('web', 1, 'web:1', { cpu: '100m' }), hpa('web', { metrics: cpuTarget(50) }));
    const h = get(sim, 'HorizontalPodAutoscaler', 'web');
    expect(cond(h, 'ScalingActive')).toMatchObject({ status: 'False', reason: 'FailedGetResourceMetric', message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API' });
  });

  it('cannot get the scale of a missing target', () => {
    const sim = hpaCluster(IMAGES);
    apply(sim, hpa('nope', { metrics: cpuTarget(50) }));
    const h = get(sim, 'HorizontalPodAutoscaler', 'nope');
    expect(cond(h, 'AbleToScale')).toMatchObject({ status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: deployments.apps "nope" not found` });
    expect(events(sim, 'nope')).toEqual(['Warning FailedGetScale deployments.apps "nope" not found']);
  });

  it('leaves a target scaled to zero alone, and enforces min/max without metrics', () => {
    const sim = hpaCluster(IMAGES);
    apply(sim, deployment('zero', 0, 'web:1', { cpu: '100m' }), hpa('zero', { metrics: cpuTarget(50) }));
    expect(cond(get(sim, 'HorizontalPodAutoscaler', 'zero'), 'ScalingActive')).toMatchObject({ status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' });
    apply(sim, deployment('big', 12, 'web:1', { cpu: '100m' }), hpa('big', { minReplicas: 2, maxReplicas: 5, metrics: cpuTarget(50) }));
    expect(get(sim, 'Deployment', 'big').spec.replicas).toBe(5);
    expect(events(sim, 'big')).toEqual(['Normal SuccessfulRescale New size: 5; reason: Current number of replicas above Spec.MaxReplicas']);
    apply(sim, deployment('small', 1, 'web:1', { cpu: '100m' }), hpa('small', { minReplicas: 3, metrics: cpuTarget(50) }));
    expect(get(sim, 'Deployment', 'small').spec.replicas).toBe(3);
    expect(events(sim, 'small')).toEqual(['Normal SuccessfulRescale New size: 3; reason: Current number of replicas below Spec.MinReplicas']);
  });

  it('applies behavior policies: scale-up 1 pod per 30 s, scale-down without a window', () => {
    const sim = hpaCluster(IMAGES);
    const behavior = {
      scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 30 }] },
      scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 50, periodSeconds: 15 }] },
    };
    apply(sim, deployment('web', 1, 'web:1', { cpu: '100m' }), service('web'), hpa('web', { metrics: cpuTarget(50), maxReplicas: 8, behavior }));
    sim.service<NetworkApi>('network').setTraffic({ host: 'web', rps: 60 }, 'load');
    sim.runUntil(150_000);
    const rescales = events(sim, 'web').filter((e) => e.includes('SuccessfulRescale'));
    // One pod at a time, at least 30 s apart.
    expect(rescales.slice(0, 3)).toEqual([
      'Normal SuccessfulRescale New size: 2; reason: cpu resource utilization (percentage of request) above target',
      'Normal SuccessfulRescale New size: 3; reason: cpu resource utilization (percentage of request) above target',
      'Normal SuccessfulRescale New size: 4; reason: cpu resource utilization (percentage of request) above target',
    ]);
    expect(cond(get(sim, 'HorizontalPodAutoscaler', 'web'), 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'ScaleUpLimit' });
    const at = get(sim, 'Deployment', 'web').spec.replicas as number;
    sim.service<NetworkApi>('network').stopTraffic('load');
    sim.runUntil(240_000);
    // 50 % per 15 s with no stabilization: halves at each sync down to minReplicas 1.
    expect(get(sim, 'Deployment', 'web').spec.replicas).toBeLessThan(at);
    sim.runUntil(330_000);
    expect(get(sim, 'Deployment', 'web').spec.replicas).toBe(1);
  });
});

describe('HPA edge cases', () => {
  it('drives an autoscaling/v1 object and writes v1 status fields', () => {
    const sim = hpaCluster(IMAGES);
    apply(sim, deployment('web', 3, 'web:1', { cpu: '100m' }), {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'default' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
    });
    sim.runUntil(400_000);
    const h = get(sim, 'HorizontalPodAutoscaler', 'web');
    expect(h.status).toMatchObject({ currentReplicas: 1, desiredReplicas: 1, currentCPUUtilizationPercentage: 10 });
    expect(h.status.conditions).toBeUndefined();
  });

  it('ignores a spec the API server would refuse (maxReplicas 0)', () => {
    const sim = hpaCluster(IMAGES);
    apply(sim, deployment('web', 2, 'web:1', { cpu: '100m' }), hpa('web', { maxReplicas: 0, metrics: cpuTarget(50) }));
    sim.runUntil(60_000);
    expect(get(sim, 'Deployment', 'web').spec.replicas).toBe(2);
  });

  it('is deterministic across a snapshot and restore', () => {
    const sim = hpaCluster(IMAGES);
    apply(sim, deployment('web', 1, 'web:1', { cpu: '100m' }), service('web'), hpa('web', { metrics: cpuTarget(50) }));
    sim.service<NetworkApi>('network').setTraffic({ host: 'web', rps: 30 }, 'load');
    sim.runUntil(100_000);
    const snap = sim.snapshot();
    sim.runUntil(400_000);
    const first = JSON.stringify([get(sim, 'HorizontalPodAutoscaler', 'web').status, get(sim, 'Deployment', 'web').spec.replicas, events(sim, 'web')]);
    sim.restore(snap);
    sim.runUntil(400_000);
    expect(JSON.stringify([get(sim, 'HorizontalPodAutoscaler', 'web').status, get(sim, 'Deployment', 'web').spec.replicas, events(sim, 'web')])).toBe(first);
  });
});
