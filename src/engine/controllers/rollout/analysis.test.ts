import { describe, expect, it } from 'vitest';
import { createCluster } from '../../cluster.ts';
import { api, rollout, run, service } from './testutil.ts';
import { assessMetric, evaluateResult, substituteArgs } from './analysisrun.ts';

const template = (failureLimit = 1) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: { name: 'success-rate', namespace: 'default' },
  spec: {
    args: [{ name: 'service-name' }, { name: 'image' }],
    metrics: [{
      name: 'success-rate',
      interval: '10s',
      count: 6,
      initialDelay: '30s',
      failureLimit,
      successCondition: 'result[0] >= 0.95',
      provider: { prometheus: { query: 'sum(rate(http_requests_total{service="{{args.service-name}}",image="{{args.image}}",code!~"5.."}[1m])) / sum(rate(http_requests_total{service="{{args.service-name}}",image="{{args.image}}"}[1m]))' } },
    }],
  },
});

function cluster(v2: Record<string, unknown>) {
  const sim = createCluster({ seed: 5, images: { 'shop:v1': { startupSeconds: 2 }, 'shop:v2': { startupSeconds: 2, ...v2 } }, traffic: [{ host: 'shop', rps: 50 }], nodes: [{ name: 'worker-1', capacity: { cpu: '8', memory: '16Gi', pods: '110' } } as any] });
  api(sim).create(service('shop', 'shop'));
  api(sim).create(template());
  const analysis = { templates: [{ templateName: 'success-rate' }], args: [{ name: 'service-name', value: 'shop' }, { name: 'image', value: 'shop:v2' }] };
  api(sim).create(rollout('shop', 4, { canary: { steps: [{ setWeight: 50 }, { analysis }, { pause: {} }] } }));
  sim.runFor(20_000);
  run(sim, 'kubectl argo rollouts set image shop app=shop:v2');
  return sim;
}

describe('analysis in a cluster', () => {
  it('a failing step analysis aborts the canary and scales the stable back up', () => {
    const sim = cluster({ errorRate: 0.5 });
    sim.runFor(150_000);
    const ro = sim.store.get('Rollout', 'default', 'shop')!;
    expect(ro.status.abort).toBe(true);
    expect(ro.status.phase).toBe('Degraded');
    expect(ro.status.message).toMatch(/^RolloutAborted: Rollout aborted update to revision 2: Metric "success-rate" assessed Failed due to failed \(2\) > failureLimit \(1\)$/);
    const ar = sim.store.list('AnalysisRun')[0];
    expect(ar.metadata.name).toBe(`shop-${ro.status.currentPodHash}-2-1`);
    expect(ar.status.phase).toBe('Failed');
    expect(run(sim, 'kubectl argo rollouts get rollout shop').out).toContain('α ' + ar.metadata.name);
    const rss = sim.store.list('ReplicaSet').map((rs) => [rs.metadata.labels!['rollouts-pod-template-hash'], rs.spec.replicas]);
    expect(Object.fromEntries(rss)).toEqual({ [ro.status.stableRS]: 4, [ro.status.currentPodHash]: 0 });
  });

  it('a passing step analysis lets the canary go on to the next step', () => {
    const sim = cluster({});
    sim.runFor(150_000);
    const ro = sim.store.get('Rollout', 'default', 'shop')!;
    expect(ro.status.abort).toBeUndefined();
    expect(ro.status.currentStepIndex).toBe(2);
    expect(ro.status.phase).toBe('Paused');
    expect(sim.store.list('AnalysisRun')[0].status.phase).toBe('Successful');
  });

  it('an unsupported provider errors at once with a message naming it', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'w', capacity: { cpu: '8', memory: '16Gi', pods: '110' } } as any] });
    api(sim).create({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun', metadata: { name: 'j', namespace: 'default' }, spec: { metrics: [{ name: 'm', provider: { datadog: { query: 'avg:requests' } } }] } });
    sim.runFor(1000);
    const ar = sim.store.get('AnalysisRun', 'default', 'j')!;
    expect(ar.status.phase).toBe('Error');
    expect(ar.status.message).toBe('datadog provider is not supported by Kubeplay (supported: prometheus, job)');
  });
});

describe('measurement assessment', () => {
  it.each([
    ['success only, true', { successCondition: 'result >= 1' }, 1, 'Successful'],
    ['success only, false', { successCondition: 'result >= 1' }, 0, 'Failed'],
    ['failure only, true', { failureCondition: 'result > 5' }, 6, 'Failed'],
    ['failure only, false', { failureCondition: 'result > 5' }, 1, 'Successful'],
    ['both, neither', { successCondition: 'result > 5', failureCondition: 'result < 1' }, 3, 'Inconclusive'],
    ['none', {}, 3, 'Successful'],
    ['vector', { successCondition: 'len(result) > 0 && result[0] >= 0.95' }, [0.97], 'Successful'],
  ])('%s', (_n, metric, result, phase) => {
    expect(evaluateResult(metric, result)).toBe(phase);
  });

  it.each([
    [{ name: 'm', failureLimit: 1 }, { failed: 2, inconclusive: 0, consecutiveError: 0, count: 2 }, 'Failed', 'Metric "m" assessed Failed due to failed (2) > failureLimit (1)'],
    [{ name: 'm' }, { failed: 0, inconclusive: 1, consecutiveError: 0, count: 1 }, 'Inconclusive', 'Metric "m" assessed Inconclusive due to inconclusive (1) > inconclusiveLimit (0)'],
    [{ name: 'm', interval: '5s' }, { failed: 0, inconclusive: 0, consecutiveError: 5, count: 5 }, 'Error', 'Metric "m" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4)'],
    [{ name: 'm', interval: '5s', count: 3 }, { failed: 0, inconclusive: 0, consecutiveError: 0, count: 3 }, 'Successful', undefined],
    [{ name: 'm', interval: '5s' }, { failed: 0, inconclusive: 0, consecutiveError: 0, count: 30 }, 'Running', undefined],
    [{ name: 'm' }, { failed: 0, inconclusive: 0, consecutiveError: 0, count: 1 }, 'Successful', undefined],
  ])('assessMetric %#', (metric, r, phase, message) => {
    expect(assessMetric(metric, r)).toEqual(message ? { phase, message } : { phase });
  });

  it('substitutes args', () => {
    expect(substituteArgs('x{{args.a}}y{{ args.b-c }}{{args.z}}', { a: '1', 'b-c': '2' })).toBe('x1y2{{args.z}}');
  });
});

describe('progress deadline', () => {
  it('a canary whose pods never become ready is Degraded after progressDeadlineSeconds', () => {
    const sim = createCluster({ seed: 2, images: { 'shop:v2': { pullError: true } }, nodes: [{ name: 'w', capacity: { cpu: '8', memory: '16Gi', pods: '110' } } as any] });
    const obj = rollout('shop', 2, { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } });
    obj.spec.progressDeadlineSeconds = 60;
    api(sim).create(obj);
    sim.runFor(20_000);
    run(sim, 'kubectl argo rollouts set image shop app=shop:v2');
    sim.runFor(30_000);
    expect(sim.store.get('Rollout', 'default', 'shop')!.status.phase).toBe('Progressing');
    sim.runFor(120_000);
    const st = sim.store.get('Rollout', 'default', 'shop')!.status;
    expect(st.phase).toBe('Degraded');
    expect(st.message).toBe(`ProgressDeadlineExceeded: ReplicaSet "shop-${st.currentPodHash}" has timed out progressing.`);
  });
});

describe('background and blue-green analysis', () => {
  function base(v2: Record<string, unknown>, strategy: (analysis: any) => any, svc = 'shop') {
    const sim = createCluster({ seed: 5, images: { 'shop:v1': { startupSeconds: 2 }, 'shop:v2': { startupSeconds: 2, ...v2 } }, traffic: [{ host: svc, rps: 50 }], nodes: [{ name: 'worker-1', capacity: { cpu: '8', memory: '16Gi', pods: '110' } } as any] });
    api(sim).create(service('shop', 'shop'));
    api(sim).create(service('shop-preview', 'shop'));
    api(sim).create(template());
    // args: the image comes from the template; podTemplateHashValue is resolved but unused by the query.
    const analysis = { templates: [{ templateName: 'success-rate' }], args: [{ name: 'service-name', value: svc }, { name: 'image', value: 'shop:v2' }, { name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } }] };
    api(sim).create(rollout('shop', 4, strategy(analysis)));
    sim.runFor(20_000);
    run(sim, 'kubectl argo rollouts set image shop app=shop:v2');
    sim.runFor(150_000);
    return { sim, ro: sim.store.get('Rollout', 'default', 'shop')!, ar: sim.store.list('AnalysisRun')[0] };
  }

  it('background analysis runs during the steps and aborts on failure', () => {
    const { ro, ar } = base({ errorRate: 0.5 }, (analysis) => ({ canary: { analysis, steps: [{ setWeight: 50 }, { pause: {} }] } }));
    expect(ar.metadata.name).toBe(`shop-${ro.status.currentPodHash}-2`);
    expect(ar.metadata.labels!['rollout-type']).toBe('Background');
    expect(ar.spec.args).toContainEqual({ name: 'hash', value: ro.status.currentPodHash });
    expect(ro.status.abort).toBe(true);
    expect(ro.status.canary.currentBackgroundAnalysisRunStatus).toMatchObject({ name: ar.metadata.name, status: 'Failed' });
  });

  it('post-promotion analysis: the new RS becomes stable only after it succeeds', () => {
    const { ro, ar } = base({}, (analysis) => ({ blueGreen: { activeService: 'shop', postPromotionAnalysis: analysis } }));
    expect(ar.metadata.name).toBe(`shop-${ro.status.currentPodHash}-2-post`);
    expect(ar.status.phase).toBe('Successful');
    expect(ro.status.stableRS).toBe(ro.status.currentPodHash);
    expect(ro.status.phase).toBe('Healthy');
  });

  it('a failed post-promotion analysis switches active back to the stable RS', () => {
    const { ro } = base({ errorRate: 0.5 }, (analysis) => ({ blueGreen: { activeService: 'shop', postPromotionAnalysis: analysis } }));
    expect(ro.status.abort).toBe(true);
    expect(ro.status.stableRS).not.toBe(ro.status.currentPodHash);
    expect(ro.status.blueGreen.activeSelector).toBe(ro.status.stableRS);
    expect(ro.status.phase).toBe('Degraded');
  });
});

describe('inconclusive analysis', () => {
  it('pauses the rollout (InconclusiveAnalysisRun); promote skips the analysis step', () => {
    const sim = createCluster({ seed: 5, traffic: [{ host: 'shop', rps: 50 }], nodes: [{ name: 'worker-1', capacity: { cpu: '8', memory: '16Gi', pods: '110' } } as any] });
    api(sim).create(service('shop', 'shop'));
    const t = template();
    Object.assign(t.spec.metrics[0], { successCondition: 'result[0] > 2', failureCondition: 'result[0] < 0', count: 1, interval: undefined });
    api(sim).create(t);
    const analysis = { templates: [{ templateName: 'success-rate' }], args: [{ name: 'service-name', value: 'shop' }, { name: 'image', value: 'shop:v2' }] };
    api(sim).create(rollout('shop', 2, { canary: { steps: [{ setWeight: 50 }, { analysis }, { setWeight: 100 }] } }));
    sim.runFor(20_000);
    run(sim, 'kubectl argo rollouts set image shop app=shop:v2');
    sim.runFor(90_000);
    const ro = () => sim.store.get('Rollout', 'default', 'shop')!;
    expect(sim.store.list('AnalysisRun')[0].status.phase).toBe('Inconclusive');
    expect(ro().status).toMatchObject({ phase: 'Paused', message: 'InconclusiveAnalysisRun', currentStepIndex: 1 });
    run(sim, 'kubectl argo rollouts promote shop');
    sim.runFor(60_000);
    expect(ro().status).toMatchObject({ phase: 'Healthy', currentStepIndex: 3 });
  });
});
