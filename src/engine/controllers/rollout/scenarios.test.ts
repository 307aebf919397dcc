import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenario/parse.ts';
import { runScenario } from '../../scenario/run.ts';
import type { NetworkApi } from '../../network/index.ts';

function play(file: string) {
  const text = readFileSync(new URL(`../../../../scenarios/${file}`, import.meta.url), 'utf8');
  const parsed = parseScenario(text, `scenarios/${file}`);
  const res = runScenario(parsed);
  expect(res.errors).toEqual([]);
  expect(res.warnings).toEqual([]);
  const at = (t: number, cmd: string) => {
    const s = res.steps.find((x) => x.t === t && x.cmd === cmd);
    if (!s) throw new Error(`no step ${cmd} at ${t}s`);
    return s;
  };
  return { at, sim: res.sim! };
}

const line = (out: string, field: string) => out.split('\n').find((l) => l.startsWith(field))?.slice(17);

describe('scenarios/argo-canary.yaml', () => {
  it('pauses at setWeight 20, is promoted, finishes with the new RS stable', () => {
    const { at } = play('argo-canary.yaml');
    expect(line(at(20, 'kubectl argo rollouts get rollout shop').out, 'Status:')).toBe('✔ Healthy');
    const paused = at(50, 'kubectl argo rollouts get rollout shop').out;
    expect(line(paused, 'Status:')).toBe('॥ Paused');
    expect(line(paused, '  Step:')).toBe('1/4');
    expect(line(paused, '  ActualWeight:')).toBe('20');
    expect(at(50, 'kubectl argo rollouts status shop').out).toBe('Paused - CanaryPauseStep\n');
    expect(at(50, 'kubectl get service shop-canary -o jsonpath={.spec.selector}').out).toMatch(/"rollouts-pod-template-hash":"\w+"/);
    expect(at(60, 'kubectl argo rollouts promote shop').out).toBe("rollout 'shop' promoted\n");
    const mid = at(80, 'kubectl argo rollouts get rollout shop').out;
    expect(line(mid, '  Step:')).toBe('3/4');
    expect(line(mid, '  ActualWeight:')).toBe('60');
    const done = at(150, 'kubectl argo rollouts get rollout shop').out;
    expect(line(done, 'Status:')).toBe('✔ Healthy');
    expect(line(done, '  Step:')).toBe('4/4');
    expect(line(done, 'Images:')).toBe('shop:v2 (stable)');
    expect(done).toMatch(/ReplicaSet {2}• ScaledDown/);
  });
});

describe('scenarios/argo-bluegreen.yaml', () => {
  it('previews green, pauses, switches active on promote, scales blue down after the delay', () => {
    const { at } = play('argo-bluegreen.yaml');
    const active50 = at(50, 'kubectl get service shop-active -o jsonpath={.spec.selector}').out;
    const preview50 = at(50, 'kubectl get service shop-preview -o jsonpath={.spec.selector}').out;
    expect(active50).not.toBe(preview50);
    expect(line(at(50, 'kubectl argo rollouts get rollout shop').out, 'Status:')).toBe('॥ Paused');
    expect(at(61, 'kubectl get service shop-active -o jsonpath={.spec.selector}').out).toBe(preview50);
    expect(at(61, 'kubectl argo rollouts get rollout shop').out).toMatch(/delay:2\ds/);
    const end = at(100, 'kubectl argo rollouts get rollout shop').out;
    expect(line(end, 'Status:')).toBe('✔ Healthy');
    expect(end).toMatch(/ReplicaSet {2}• ScaledDown/);
  });
});

describe('scenarios/argo-canary-analysis-abort.yaml', () => {
  it('the analysis fails and the rollout aborts by itself', () => {
    const { at } = play('argo-canary-analysis-abort.yaml');
    const end = at(150, 'kubectl argo rollouts get rollout shop').out;
    expect(line(end, 'Status:')).toBe('✖ Degraded');
    expect(line(end, 'Message:')).toMatch(/^RolloutAborted: Rollout aborted update to revision 2: Metric "success-rate" assessed Failed due to failed \(2\) > failureLimit \(1\)$/);
    expect(end).toMatch(/α shop-\w+-2-1 +AnalysisRun +✖ Failed/);
    expect(at(150, 'kubectl argo rollouts status shop').exit).toBe(1);
  });
});

describe('scenarios/argo-canary-nginx.yaml', () => {
  it('the canary Ingress carries the weight; measured traffic is 20% ±3%; promotion ends at weight 0', () => {
    const { at, sim } = play('argo-canary-nginx.yaml');
    const ann = (t: number) => JSON.parse(at(t, 'kubectl get ingress shop-shop-canary -o jsonpath={.metadata.annotations}').out);
    expect(ann(60)['nginx.ingress.kubernetes.io/canary-weight']).toBe('20');
    const mid = at(60, 'kubectl argo rollouts get rollout shop').out;
    expect(mid).toMatch(/ReplicaSet {2}✔ Healthy {2}30s {2}canary\n.*\n└──# revision:1/);
    expect(mid.match(/└──□|├──□/g)).toHaveLength(5); // 1 canary pod + 4 stable pods
    const out = at(180, "kubeplay promql 'sum by (service) (increase(http_requests_total[2m]))'").out;
    const v = (svc: string) => parseFloat(new RegExp(`service="${svc}"} => ([\\d.]+)`).exec(out)![1]);
    const share = v('shop-canary') / (v('shop-canary') + v('shop-stable'));
    expect(Math.abs(share - 0.2)).toBeLessThan(0.03);
    expect(ann(240)['nginx.ingress.kubernetes.io/canary-weight']).toBe('0');
    expect(line(at(240, 'kubectl argo rollouts get rollout shop').out, 'Status:')).toBe('✔ Healthy');
    expect(sim.service<NetworkApi>('network')).toBeDefined();
  });
});

describe('scenarios/argo-bluegreen-prepromotion.yaml', () => {
  it('the active switch waits for the pre-promotion analysis, then happens by itself', () => {
    const { at } = play('argo-bluegreen-prepromotion.yaml');
    const mid = at(60, 'kubectl argo rollouts get rollout shop').out;
    expect(mid).toMatch(/α shop-\w+-2-pre +AnalysisRun +◌ Running/);
    const blue = at(60, 'kubectl get service shop-active -o jsonpath={.spec.selector}').out;
    const end = at(120, 'kubectl argo rollouts get rollout shop').out;
    expect(end).toMatch(/α shop-\w+-2-pre +AnalysisRun +✔ Successful +\d+s +✔ 3\n/);
    expect(line(end, 'Images:')).toBe('shop:green (active, stable)');
    expect(at(120, 'kubectl get service shop-active -o jsonpath={.spec.selector}').out).not.toBe(blue);
  });
});

describe('a Job-based analysis step', () => {
  it("get rollout lists the Job under its AnalysisRun (PrintAnalysisRunInfo's job rows)", () => {
    const text = readFileSync(new URL('./fixtures/job-analysis.yaml', import.meta.url), 'utf8');
    const res = runScenario(parseScenario(text, 'fixtures/job-analysis.yaml'));
    expect(res.errors).toEqual([]);
    const out = res.steps.find((s) => s.t === 40 && s.cmd === 'kubectl argo rollouts get rollout shop')!.out;
    expect(out).toMatch(/│ {2}└──α shop-[a-z0-9]+-2-1 +AnalysisRun +✔ Successful +\d+s +✔ 1\n│ {5}└──⊞ [0-9a-f-]+\.smoke-test\.1 +Job +✔ Successful +\d+s/);
  });
});
