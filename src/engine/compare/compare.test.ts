import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../scenario/parse.ts';
import { buildVariant, compareStrategies, formatCompareTable, parseStrategies, planCompare, type CompareResult, type Strategy, type StrategyResult, type Variant } from './index.ts';

/**
 * TINY: four pods behind a Service, 20 requests per second straight to the Service (kube-proxy, no
 * Ingress), images that stop at once (shutdownSeconds 0), so the pod counts follow the controllers'
 * arithmetic exactly: RollingUpdate maxSurge 1 / maxUnavailable 0 never has more than 4 + 1 pods,
 * Recreate never more than 4, blue/green 4 + 4.
 */
const TINY = `apiVersion: kubeplay.dev/v1alpha1
kind: Scenario
metadata: {name: tiny}
spec:
  seed: 5
  cluster:
    nodes: [{count: 2, namePrefix: node-}]
  images:
    web:1: {startupSeconds: 1, pullSeconds: 1, shutdownSeconds: 0}
    web:2: {startupSeconds: 2, pullSeconds: 1, shutdownSeconds: 0}
  traffic:
    - {host: web, rps: 20}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "web:1", ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

function run(text: string, opts: Parameters<typeof compareStrategies>[1] = {}): CompareResult {
  const r = compareStrategies(parseScenario(text, 'tiny.yaml'), opts);
  if ('error' in r) throw new Error(r.error);
  return r;
}

/** integral recomputes pod-seconds from the timeline's steps (old + new pods, held until the next point). */
function integral(x: StrategyResult): number {
  let s = 0;
  for (let i = 0; i + 1 < x.timeline.length; i++) s += (x.timeline[i].old + x.timeline[i].new) * (x.timeline[i + 1].t - x.timeline[i].t);
  return Math.round(s * 10) / 10;
}

describe('compareStrategies on a tiny Deployment', () => {
  const r = run(TINY, { image: 'web:2' });
  const by = Object.fromEntries(r.results.map((x) => [x.strategy, x]));

  it('describes the change', () => {
    expect(r.workload).toEqual({ kind: 'Deployment', namespace: 'default', name: 'web', replicas: 4 });
    expect([r.container, r.fromImage, r.toImage, r.at, r.rps]).toEqual(['web', 'web:1', 'web:2', 30, 20]);
    expect(r.results.map((x) => x.strategy)).toEqual(['rolling', 'recreate', 'canary', 'bluegreen']);
    for (const x of r.results) {
      expect(x.error).toBeUndefined();
      expect(x.finished).toBe(true);
      expect(x.warnings).toEqual([]);
    }
  });

  it.each([
    // strategy, peak pods (replicas + maxSurge / replicas / 2 × replicas), fewest ready pods
    { s: 'rolling', peak: 5, minReady: 4 },
    { s: 'recreate', peak: 4, minReady: 0 },
    { s: 'bluegreen', peak: 8, minReady: 4 },
  ])('$s peaks at $peak pods with at least $minReady ready', ({ s, peak, minReady }) => {
    expect(by[s].peakPods).toBe(peak);
    expect(by[s].peakActivePods).toBe(peak);
    expect(by[s].minReady).toBe(minReady);
  });

  it('the replica-based canary never drops below the replicas nor goes above replicas + maxSurge', () => {
    expect(by.canary.kind).toBe('Rollout');
    expect(by.canary.description).toContain('replica-based');
    expect(by.canary.peakPods).toBe(5);
    expect(by.canary.minReady).toBe(4);
    // Its two 30 s pauses make it the slowest.
    expect(by.canary.seconds).toBeGreaterThan(60);
    expect(by.canary.seconds).toBeGreaterThan(by.rolling.seconds);
  });

  it('costs pods × seconds: 4 pods throughout for Recreate, 8 for blue/green, 5 for the rolling update', () => {
    // With shutdownSeconds 0 the old pods of Recreate are gone at t0 and the 4 new ones exist from t0 on.
    expect(by.recreate.podSeconds).toBeCloseTo(4 * by.recreate.seconds, 5);
    // Blue/green creates 4 preview pods at t0 and removes the 4 old ones at the end (scaleDownDelaySeconds).
    expect(by.bluegreen.podSeconds).toBeCloseTo(8 * by.bluegreen.seconds, 5);
    // maxSurge 1: each new pod is created as an old one goes, so 5 pods exist until the last old one ends.
    expect(by.rolling.podSeconds).toBeCloseTo(5 * by.rolling.seconds, 5);
    for (const x of r.results) expect(x.podSeconds).toBeCloseTo(integral(x), 5);
  });

  it('counts failed requests: Recreate has no endpoint until a new pod is ready; the others drop none', () => {
    expect(by.recreate.failedRequests).toBeGreaterThan(0);
    expect(by.recreate.failedRequests).toBe(by.recreate.totalRequests); // nothing ready at all in its window
    for (const s of ['rolling', 'canary', 'bluegreen']) {
      expect(by[s].failedRequests).toBe(0);
      // 20 rps over the window, give or take the Poisson draw.
      expect(by[s].totalRequests).toBeGreaterThan(20 * by[s].seconds * 0.7);
      expect(by[s].totalRequests).toBeLessThan(20 * by[s].seconds * 1.3 + 40);
    }
  });

  it('times blue/green to the old pods leaving, 30 s after the promotion', () => {
    const bg = by.bluegreen;
    expect(bg.completeSeconds).not.toBeNull();
    // autoPromotionSeconds 30 after the preview is ready, then scaleDownDelaySeconds 30.
    expect(bg.completeSeconds!).toBeGreaterThanOrEqual(30);
    expect(bg.seconds - bg.completeSeconds!).toBeCloseTo(30, 0);
  });

  it('is deterministic: the same input gives the same numbers', () => {
    expect(run(TINY, { image: 'web:2' })).toEqual(r);
  });

  it('prints a table', () => {
    const t = formatCompareTable(r);
    expect(t.split('\n')[1]).toMatch(/^STRATEGY\s+PEAK PODS\s+TIME\s+FAILED\s+REQUESTS\s+POD-SECONDS\s+MIN READY$/);
    expect(t).toMatch(/\nrolling\s+5\s+/);
    expect(t).toMatch(/\nbluegreen\s+8\s+/);
  });
});

describe('planCompare', () => {
  it.each([
    { name: 'the image from the timeline', extra: '  timeline:\n    - {at: 45s, run: kubectl set image deployment/web web=web:3}\n', images: '', opts: {}, want: { image: 'web:3', at: 45_000 } },
    { name: 'another tag in spec.images', extra: '', images: '    web:9: {}\n', opts: {}, want: { image: 'web:9', at: 30_000 } },
    { name: '--image CONTAINER=IMAGE', extra: '', images: '', opts: { image: 'web=web:7' }, want: { image: 'web:7', at: 30_000 } },
  ])('finds $name', ({ extra, images, opts, want }) => {
    // Without web:2 in spec.images, so only the case's own hint names the new image.
    const text = TINY.replace('  traffic:', `${extra}  traffic:`).replace(/ {4}web:2: .*\n/, images);
    const p = planCompare(parseScenario(text, 't.yaml'), opts);
    if ('error' in p) throw new Error(p.error);
    expect({ image: p.target.image, at: p.atMs }).toEqual(want);
  });

  it.each([
    { name: 'no workload', text: 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n', opts: {}, err: /has none/ },
    { name: 'two workloads', text: TINY + '---\n' + TINY.split('---\n')[1].replace('name: web}', 'name: api}'), opts: { image: 'x:1' }, err: /--workload NAME/ },
    { name: 'no image to go to', text: TINY.replace(/ {4}web:2: .*\n/, ''), opts: {}, err: /no --image given/ },
    { name: 'the same image', text: TINY, opts: { image: 'web:1' }, err: /already runs web:1/ },
    { name: 'an unknown container', text: TINY, opts: { image: 'nope=web:2' }, err: /has no container "nope"/ },
  ])('refuses $name', ({ text, opts, err }) => {
    const p = planCompare(parseScenario(text, 't.yaml'), opts);
    expect('error' in p && p.error).toMatch(err);
  });
});

describe('parseStrategies', () => {
  it.each([
    { in: 'rolling,bluegreen', out: ['rolling', 'bluegreen'] },
    { in: 'blue-green, RollingUpdate,rolling', out: ['bluegreen', 'rolling'] },
    { in: 'canary,nope', out: 'unknown strategy "nope" (choose from rolling, recreate, canary, bluegreen)' },
    { in: ',', out: 'no strategies given' },
  ])('$in', ({ in: s, out }) => expect(parseStrategies(s)).toEqual(out));
});

describe('the built-in strategy-compare scenario', () => {
  const text = readFileSync(new URL('../../../scenarios/strategy-compare.yaml', import.meta.url), 'utf8');
  const r = run(text, { strategies: ['rolling', 'canary'] });

  it('rolls shop:v1 to shop:v2 from the scenario\'s own set image step', () => {
    expect([r.fromImage, r.toImage, r.at]).toEqual(['shop:v1', 'shop:v2', 30]);
  });

  it('splits the canary\'s traffic with ingress-nginx through a copy of the Service', () => {
    const c = r.results[1];
    expect(c.description).toContain('traffic split by ingress-nginx (Ingress "shop", canary Service "shop-canary")');
    expect(c.finished).toBe(true);
    // trafficRouting keeps the stable ReplicaSet at full size: 4 stable + 4 canary at the promotion.
    expect(c.peakPods).toBe(8);
    expect(c.failedRequests).toBe(0);
  });
});

describe('variants of an Argo blue/green Rollout (scenarios/argo-bluegreen.yaml)', () => {
  const text = readFileSync(new URL('../../../scenarios/argo-bluegreen.yaml', import.meta.url), 'utf8');
  const parsed = parseScenario(text, 'argo-bluegreen.yaml');
  const plan = planCompare(parsed);
  if ('error' in plan) throw new Error(plan.error);
  const variant = (s: Strategy) => buildVariant(parsed, plan.workload, s, plan.target);
  const workloadOf = (v: Variant) => v.parsed.manifests.map((m) => m.object).find((o) => o.metadata.name === 'shop' && (o.kind === 'Deployment' || o.kind === 'Rollout'))!;
  const base = parsed.manifests.map((m) => m.object).find((o) => o.kind === 'Rollout')!;

  it('keeps the pod template, selector and replicas in every strategy', () => {
    for (const s of ['rolling', 'recreate', 'canary', 'bluegreen'] as Strategy[]) {
      const o = workloadOf(variant(s));
      expect(o.spec.template).toEqual(base.spec.template);
      expect(o.spec.selector).toEqual(base.spec.selector);
      expect(o.spec.replicas).toBe(3);
    }
  });

  it('turns it into a Deployment with the Rollout\'s Services left selecting the pods', () => {
    const v = variant('rolling');
    expect(workloadOf(v).kind).toBe('Deployment');
    expect(workloadOf(v).spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    expect(v.command).toBe('kubectl set image deployment/shop shop=shop:green');
    expect(v.parsed.manifests.filter((m) => m.object.kind === 'Service').map((m) => m.object.metadata.name)).toEqual(['shop-active', 'shop-preview']);
  });

  it('keeps its own active and preview Services for blue/green and promotes automatically', () => {
    const v = variant('bluegreen');
    expect(workloadOf(v).spec.strategy).toEqual({ blueGreen: { activeService: 'shop-active', previewService: 'shop-preview', autoPromotionEnabled: true, autoPromotionSeconds: 30 } });
    expect(v.command).toBe('kubectl argo rollouts set image shop shop=shop:green');
  });

  it('runs a replica-based canary (no Ingress) without Services', () => {
    const s = workloadOf(variant('canary')).spec.strategy.canary;
    expect(s.canaryService).toBeUndefined();
    expect(s.trafficRouting).toBeUndefined();
    expect(s.steps).toEqual([{ setWeight: 20 }, { pause: { duration: '30s' } }, { setWeight: 50 }, { pause: { duration: '30s' } }]);
  });

  it('finishes every strategy', () => {
    const r = compareStrategies(parsed, {});
    if ('error' in r) throw new Error(r.error);
    expect(r.results.map((x) => [x.strategy, x.finished, x.error])).toEqual([
      ['rolling', true, undefined],
      ['recreate', true, undefined],
      ['canary', true, undefined],
      ['bluegreen', true, undefined],
    ]);
    expect(r.results[3].peakPods).toBe(6);
  });
});

describe('a Deployment without a Service, compared as blue/green', () => {
  it('gets an active and a preview Service for its pods', () => {
    const text = TINY.split('---\n').slice(0, 2).join('---\n');
    const parsed = parseScenario(text, 't.yaml');
    const plan = planCompare(parsed, { image: 'web:2' });
    if ('error' in plan) throw new Error(plan.error);
    const v = buildVariant(parsed, plan.workload, 'bluegreen', plan.target);
    const svcs = v.parsed.manifests.map((m) => m.object).filter((o) => o.kind === 'Service');
    expect(svcs.map((s) => [s.metadata.name, s.spec.selector, s.spec.ports])).toEqual([
      ['web-active', { app: 'web' }, [{ port: 80, targetPort: 8080 }]],
      ['web-preview', { app: 'web' }, [{ port: 80, targetPort: 8080 }]],
    ]);
  });
});
