import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse.ts';
import { runScenario } from '../scenario/run.ts';
import { createCluster, type ClusterOptions } from '../cluster.ts';


function withPolicyAndStorage(o: ClusterOptions) {
  const sim = createCluster(o);
  return sim;
}

function play(file: string) {
  const text = readFileSync(new URL(`../../../scenarios/${file}`, import.meta.url), 'utf8');
  const res = runScenario(parseScenario(text, `scenarios/${file}`), { createCluster: withPolicyAndStorage });
  expect(res.errors).toEqual([]);
  expect(res.warnings).toEqual([]);
  return res.steps.map((s) => ({ ...s, t: undefined })) as unknown as { cmd: string; out: string; exit: number }[];
}

describe('scenarios/quota.yaml', () => {
  it('applies LimitRange defaults and caps the Deployment at the quota', () => {
    const steps = play('quota.yaml');
    expect(steps.map((s) => s.exit)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(steps[0].out.match(/\nweb-/g)).toHaveLength(2);
    expect(steps[1].out).toBe('NAME      AGE   REQUEST                         LIMIT\ncompute   10s   pods: 2/10, requests.cpu: 1/1   limits.cpu: 2/2\n');
    expect(steps[2].out).toBe('FailedCreate');
    expect(steps[3].out).toBe('{"limits":{"cpu":"1"},"requests":{"cpu":"500m"}}');
    expect(steps[5].out).toBe('NAME      AGE   REQUEST                            LIMIT\ncompute   60s   pods: 1/10, requests.cpu: 500m/1   limits.cpu: 1/2\n');
    expect(steps[6].out.match(/\nweb-/g)).toHaveLength(1);
  });
});

describe('scenarios/storage.yaml', () => {
  it('binds statically and dynamically, holds the pod until bound, reclaims by policy', () => {
    const steps = play('storage.yaml');
    expect(steps.map((s) => s.exit)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(steps[0].out).toMatch(/^NAME +STATUS +VOLUME +CAPACITY +ACCESS MODES +STORAGECLASS +VOLUMEATTRIBUTESCLASS +AGE\ndata +Pending +fast +<unset> +0s\nmanual +Bound +pv-small +5Gi +RWO +<unset> +0s\n$/);
    expect(steps[1].out).toMatch(/\napp +0\/1 +Pending /);
    expect(steps[2].out).toMatch(/\ndata +Bound +pvc-[0-9a-f-]+ +1Gi +RWO +fast +<unset> +10s\n/);
    expect(steps[3].out).toMatch(/\npv-big +Available +<none>\n/);
    expect(steps[3].out).toMatch(/\npv-small +Bound +manual\n/);
    expect(steps[3].out).toMatch(/\npvc-[0-9a-f-]+ +Bound +data\n/);
    // The scenario's Immediate class beside the cluster's default (kind's).
    expect(steps[4].out).toContain('fast                 rancher.io/local-path   Delete          Immediate              false');
    expect(steps[4].out).toContain('standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false');
    // Retain: pv-small Released; Delete: the provisioned volume is gone.
    expect(steps[8].out.split('\n').slice(1, -1).map((l) => l.split(/ +/).slice(0, 5).join(' '))).toEqual(['pv-big 20Gi RWO Retain Available', 'pv-small 5Gi RWO Retain Released']);
  });

  it.each(['quota.yaml', 'storage.yaml'])('%s prints the same bytes twice', (file) => {
    expect(play(file)).toEqual(play(file));
  });
});
