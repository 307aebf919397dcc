import { describe, expect, it } from 'vitest';
import { createCluster } from '../../cluster.ts';
import { runCommand } from '../../kubectl/index.ts';
import type { Pod } from '../../api/types.ts';
import type { Sim } from '../../sim.ts';
import { addSample, bucketStart, CPU_HISTOGRAM, findBucket, MEMORY_HISTOGRAM, newHistogram, numBuckets, percentile } from './histogram.ts';
import { addCPUSample, addMemorySample, newAggregate } from './aggregate.ts';
import { estimateContainerResources, getConfidence } from './estimator.ts';
import { applyPolicy } from './capping.ts';
import { formatRecommendation } from './recommender.ts';
import { podPriority } from './updater.ts';
import type { VerticalPodAutoscaler } from './types.ts';

describe('histogram (exponential buckets, ratio 1.05)', () => {
  it.each([
    [0, 0],
    [1, 0.01],
    [2, 0.0205],
    [10, 0.12578],
  ])('CPU bucket %d starts at %f cores', (b, start) => expect(bucketStart(CPU_HISTOGRAM, b)).toBeCloseTo(start, 4));
  it.each([
    [0.001, 0],
    [0.01, 1],
    [0.2, 14],
    [1e9, numBuckets(CPU_HISTOGRAM) - 1],
  ])('%f cores falls in bucket %d', (v, b) => expect(findBucket(CPU_HISTOGRAM, v)).toBe(b));
  it('percentile is the end of the bucket holding it', () => {
    const h = newHistogram();
    for (let i = 1; i <= 10; i++) addSample(h, CPU_HISTOGRAM, i / 10, 1, 0);
    // p50: the fifth sample, 0.5 cores, in bucket 25 [0.4773, 0.5111): the estimate is 0.51113.
    expect(findBucket(CPU_HISTOGRAM, 0.5)).toBe(25);
    expect(percentile(h, CPU_HISTOGRAM, 0.5)).toBeCloseTo(0.51113, 5);
    expect(percentile(h, CPU_HISTOGRAM, 0.9)).toBeCloseTo(bucketStart(CPU_HISTOGRAM, findBucket(CPU_HISTOGRAM, 0.9) + 1), 9);
    expect(percentile(newHistogram(), CPU_HISTOGRAM, 0.9)).toBe(0);
  });
  it('a newer sample weighs more: one half-life (24 h) later, twice', () => {
    const h = newHistogram();
    addSample(h, CPU_HISTOGRAM, 0.1, 1, 0);
    addSample(h, CPU_HISTOGRAM, 1, 1, 24 * 3600_000);
    expect(h.total).toBeCloseTo(3, 9);
    // 2/3 of the weight is at 1 core: the median is there.
    expect(percentile(h, CPU_HISTOGRAM, 0.5)).toBeGreaterThan(1);
  });
});

describe('memory peaks: one sample per container per 24 h window', () => {
  it('a higher reading replaces the peak; a lower one does not count', () => {
    const a = newAggregate();
    const w = { windowEnd: 0, peak: 0, lastSampleStart: -1 };
    addMemorySample(a, w, 100e6, 0);
    addMemorySample(a, w, 300e6, 60_000);
    addMemorySample(a, w, 200e6, 120_000);
    expect(Object.keys(a.memory.weights)).toHaveLength(1);
    expect(percentile(a.memory, MEMORY_HISTOGRAM, 0.5)).toBeGreaterThanOrEqual(300e6);
  });
});

describe('estimateContainerResources (recommender defaults)', () => {
  /** steady feeds one sample a minute of cpu (milli) and memory (bytes) for `minutes`. */
  function steady(cpu: number, mem: number, minutes: number, request = 100) {
    const a = newAggregate();
    const w = { windowEnd: 0, peak: 0, lastSampleStart: -1 };
    for (let m = 0; m < minutes; m++) {
      addCPUSample(a, cpu, request, m * 60_000);
      addMemorySample(a, w, mem, m * 60_000);
    }
    return a;
  }
  it.each([
    // minutes, confidence
    [11, 10 / 1440],
    [61, 60 / 1440],
    [1441, 1],
  ])('%d minutes of one sample a minute → confidence %f (min of days and samples/1440)', (mins, conf) => expect(getConfidence(steady(100, 1e8, mins))).toBeCloseTo(conf, 6));

  it.each([
    // cpu milli, memory bytes, minutes → target, lower, upper (cpu milli)
    // 200m is in bucket 14 [0.1980, 0.2158): 215m, +15% = 247m; ×(1+0.001/0.00694)^-2 = ×0.764; ×(1+1/0.00694) = ×145.
    [200, 300 * 2 ** 20, 11, { target: 247, lowerCpu: 188, upperCpu: 35815 }],
    // A day of history: ×0.998 and ×2.
    [200, 300 * 2 ** 20, 1441, { target: 247, lowerCpu: 246, upperCpu: 494 }],
    // 5m is under the first bucket (10m): 11m, raised to the 25m minimum; the upper bound 11m × 25 = 275m is above it.
    [5, 10 * 2 ** 20, 61, { target: 25, lowerCpu: 25, upperCpu: 275 }],
  ])('%dm CPU, %d B memory for %d min', (cpu, mem, mins, want) => {
    const e = estimateContainerResources(steady(cpu, mem, mins), 1);
    expect(e.target.cpu).toBe(want.target);
    expect(e.lowerBound.cpu).toBe(want.lowerCpu);
    expect(e.upperBound.cpu).toBe(want.upperCpu);
  });

  it('the per-pod minimum (25m, 250Mi) is split among the containers', () => {
    const e = estimateContainerResources(steady(1, 1e6, 30), 2);
    expect(e.target).toEqual({ cpu: 12, memory: 125 * 1024 * 1024 });
  });

  it('memory quantities print as the recommender writes them', () => {
    expect(formatRecommendation({ cpu: 25, memory: 250 * 1024 * 1024 }, ['cpu', 'memory'])).toEqual({ cpu: '25m', memory: '262144k' });
    expect(formatRecommendation({ cpu: 1000, memory: 380258472 }, ['cpu'])).toEqual({ cpu: '1' });
  });
});

describe('applyPolicy (capping.go)', () => {
  const e = { target: { cpu: 500, memory: 100e6 }, lowerBound: { cpu: 10, memory: 50e6 }, upperBound: { cpu: 9000, memory: 1e9 } };
  it.each([
    ['no policy', undefined, e],
    [
      'min and max (the policy quantity is kept as written)',
      { minAllowed: { cpu: '100m' }, maxAllowed: { cpu: '1', memory: '500Mi' } },
      { target: { cpu: 500, memory: 100e6 }, lowerBound: { cpu: 100, memory: 50e6, literal: { cpu: '100m' } }, upperBound: { cpu: 1000, memory: 500 * 2 ** 20, literal: { cpu: '1', memory: '500Mi' } } },
    ],
    ['max below the target', { maxAllowed: { cpu: '200m' } }, { target: { cpu: 200, memory: 100e6, literal: { cpu: '200m' } }, lowerBound: { cpu: 10, memory: 50e6 }, upperBound: { cpu: 200, memory: 1e9, literal: { cpu: '200m' } } }],
    ['mode Off', { mode: 'Off' as const }, undefined],
  ])('%s', (_n, policy, want) => expect(applyPolicy(e, policy)).toEqual(want));
});

describe('podPriority (updater)', () => {
  const vpa = {
    spec: { targetRef: { kind: 'Deployment', name: 'w' } },
    status: { recommendation: { containerRecommendations: [{ containerName: 'c', target: { cpu: '200m', memory: '200Mi' }, lowerBound: { cpu: '150m', memory: '100Mi' }, upperBound: { cpu: '1', memory: '1Gi' }, uncappedTarget: {} }] } },
  } as unknown as VerticalPodAutoscaler;
  const pod = (cpu: string, memory: string) => ({ spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu, memory } } }] } }) as unknown as Pod;
  it.each([
    ['inside the range', '200m', '200Mi', false, 0],
    ['cpu below the lower bound', '100m', '200Mi', true, 1],
    // |200Mi − 2Gi| / 2Gi = 1848/2048
    ['memory above the upper bound', '200m', '2Gi', true, 0.90234375],
  ])('%s', (_n, cpu, mem, outside, diff) => {
    const p = podPriority(vpa, pod(cpu, mem));
    expect(p.outsideRecommendedRange).toBe(outside);
    expect(p.resourceDiff).toBeCloseTo(diff, 6);
  });
});

// ---- the add-on in a cluster ----

const VPA = (mode: string, extra = '') => `apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata:
  name: web
spec:
  targetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  updatePolicy:
    updateMode: ${mode}
${extra}`;

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: app:1
        resources:
          requests: {cpu: 20m, memory: 256Mi}
          limits: {memory: 512Mi}
`;

function cluster(): { sim: Sim; run: (l: string, stdin?: string) => { exit: number; out: string } } {
  const sim = createCluster({ seed: 9, nodes: [{ name: 'n1' }, { name: 'n2' }], images: { 'app:1': { startupSeconds: 1, pullSeconds: 1, cpu: '200m', memory: '300Mi' } } });
  const run = (l: string, stdin?: string) => runCommand(sim, l, stdin === undefined ? {} : { stdin });
  return { sim, run };
}

const requests = (sim: Sim) =>
  sim.store
    .list<Pod>('Pod', 'default')
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => {
      const r = p.spec.containers[0].resources;
      return `${r?.requests?.cpu} ${r?.requests?.memory}/${r?.limits?.memory}`;
    });

describe('the vertical-pod-autoscaler add-on', () => {
  it('is not installed by default: the kind does not exist', () => {
    const { run } = cluster();
    const r = run('kubectl apply -f -', VPA('Auto'));
    expect(r.exit).toBe(1);
    expect(r.out).toContain('no matches for kind "VerticalPodAutoscaler" in version "autoscaling.k8s.io/v1"');
  });

  it('rejects an unknown updateMode through its CRD schema', () => {
    const { run } = cluster();
    run('kubeplay addons enable vertical-pod-autoscaler');
    const r = run('kubectl apply -f -', VPA('Sometimes'));
    expect(r.exit).toBe(1);
    expect(r.out).toContain('spec.updatePolicy.updateMode: Unsupported value: "Sometimes"');
  });

  it('Off: recommends, never changes pods', () => {
    const { sim, run } = cluster();
    run('kubeplay addons enable vertical-pod-autoscaler');
    run('kubectl apply -f -', DEPLOY);
    run('kubectl apply -f -', VPA('Off'));
    sim.runFor(5 * 60_000);
    expect(run('kubectl get vpa').out).toMatch(/^NAME +MODE +CPU +MEM +PROVIDED +AGE\nweb +Off +247m +380258472 +True +5m\n$/);
    expect(requests(sim)).toEqual(['20m 256Mi/512Mi', '20m 256Mi/512Mi', '20m 256Mi/512Mi']);
  });

  it('Auto: evicts one pod a minute (eviction tolerance 0.5 of 3), recreated pods get the target and proportional limits', () => {
    const { sim, run } = cluster();
    run('kubeplay addons enable vertical-pod-autoscaler');
    run('kubectl apply -f -', DEPLOY);
    run('kubectl apply -f -', VPA('Auto'));
    const evictedAt: number[] = [];
    sim.store.watch('Event', (_t, e: any) => {
      if (e.reason === 'EvictedByVPA' && e.count === 1) evictedAt.push(sim.now() / 1000);
    });
    sim.runFor(6 * 60_000);
    expect(evictedAt).toEqual([90, 150, 210]);
    expect(requests(sim).sort()).toEqual(['247m 380258472/760516944', '247m 380258472/760516944', '247m 380258472/760516944']);
    const pod = sim.store.list<Pod>('Pod', 'default')[0];
    expect(pod.metadata.annotations).toMatchObject({
      vpaObservedContainers: 'app',
      vpaUpdates: 'Pod resources updated by web: container 0: cpu request, memory request, memory limit',
    });
  });

  it('Initial: only new pods get the recommendation', () => {
    const { sim, run } = cluster();
    run('kubeplay addons enable vertical-pod-autoscaler');
    run('kubectl apply -f -', DEPLOY);
    run('kubectl apply -f -', VPA('Initial'));
    sim.runFor(5 * 60_000);
    expect(requests(sim)).toEqual(['20m 256Mi/512Mi', '20m 256Mi/512Mi', '20m 256Mi/512Mi']);
    run('kubectl scale deployment web --replicas=4');
    sim.runFor(1_000);
    expect(requests(sim).sort()).toEqual(['20m 256Mi/512Mi', '20m 256Mi/512Mi', '20m 256Mi/512Mi', '247m 380258472/760516944']);
  });

  it('a PodDisruptionBudget holds the updater back', () => {
    const { sim, run } = cluster();
    run('kubeplay addons enable vertical-pod-autoscaler');
    run('kubectl apply -f -', DEPLOY);
    run('kubectl apply -f -', 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  maxUnavailable: 0\n  selector: {matchLabels: {app: web}}\n');
    run('kubectl apply -f -', VPA('Auto'));
    sim.runFor(5 * 60_000);
    expect(requests(sim)).toEqual(['20m 256Mi/512Mi', '20m 256Mi/512Mi', '20m 256Mi/512Mi']);
    expect(sim.store.list('Event').filter((e) => e.reason === 'EvictedByVPA')).toHaveLength(0);
  });

  it('resourcePolicy maxAllowed caps the target; uncappedTarget keeps the estimate', () => {
    const { sim, run } = cluster();
    run('kubeplay addons enable vertical-pod-autoscaler');
    run('kubectl apply -f -', DEPLOY);
    run('kubectl apply -f -', VPA('Off', '  resourcePolicy:\n    containerPolicies:\n    - containerName: "*"\n      maxAllowed: {cpu: 100m}\n      controlledResources: [cpu]\n'));
    sim.runFor(3 * 60_000);
    const rec = sim.store.get<VerticalPodAutoscaler>('VerticalPodAutoscaler', 'default', 'web')!.status!.recommendation!.containerRecommendations![0];
    expect(rec.target).toEqual({ cpu: '100m' });
    expect(rec.uncappedTarget).toEqual({ cpu: '247m' });
  });

  it('NoPodsMatched when the target has no pods', () => {
    const { sim, run } = cluster();
    run('kubeplay addons enable vertical-pod-autoscaler');
    run('kubectl apply -f -', VPA('Auto'));
    sim.runFor(2 * 60_000);
    const conds = sim.store.get<VerticalPodAutoscaler>('VerticalPodAutoscaler', 'default', 'web')!.status!.conditions!;
    expect(conds.map((c) => `${c.type}=${c.status}:${c.reason ?? ''}`)).toEqual(['NoPodsMatched=True:NoPodsMatched', 'RecommendationProvided=False:NoPodsMatched']);
  });
});
