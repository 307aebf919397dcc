import { describe, expect, it } from 'vitest';
import { parseScenario } from './parse.ts';
import { formatDiagnostic } from './types.ts';

const F = 'scenarios/x.yaml';
const scenario = (autoscaler: string) => `apiVersion: kubeplay.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: x\nspec:\n  cluster:\n    nodes: []\n    autoscaler:\n${autoscaler}`;
const parse = (a: string) => parseScenario(scenario(a), F);

describe('spec.cluster.autoscaler', () => {
  it('reads groups with upstream defaults for what is left out', () => {
    const p = parse('      nodeGroups:\n        - name: pool\n          max: 5\n          template: {cpu: "2", memory: 4Gi, labels: {tier: web}, taints: [{key: k, effect: NoSchedule}]}\n');
    expect(p.errors).toEqual([]);
    expect(p.spec.autoscaler).toEqual({
      expander: 'random',
      scanIntervalMs: 10_000,
      scaleDownUnneededTimeMs: 600_000,
      scaleDownDelayAfterAddMs: 600_000,
      scaleDownUtilizationThreshold: 0.5,
      scaleDownEnabled: true,
      nodeGroups: [{ name: 'pool', min: 0, max: 5, provisionDelayMs: 60_000, template: { cpu: '2', memory: '4Gi', labels: { tier: 'web' }, taints: [{ key: 'k', effect: 'NoSchedule' }] } }],
    });
  });

  it('reads the timings and the expander', () => {
    const p = parse('      expander: least-waste\n      scaleDownUnneededTime: 2m\n      scaleDownDelayAfterAdd: 1m\n      scaleDownUtilizationThreshold: 0.7\n      nodeGroups: [{name: a, min: 1, max: 2, provisionDelay: 30s, template: {cpu: "4"}}]\n');
    expect(p.errors).toEqual([]);
    expect(p.spec.autoscaler).toMatchObject({ expander: 'least-waste', scaleDownUnneededTimeMs: 120_000, scaleDownDelayAfterAddMs: 60_000, scaleDownUtilizationThreshold: 0.7 });
    expect(p.spec.autoscaler!.nodeGroups[0]).toMatchObject({ min: 1, max: 2, provisionDelayMs: 30_000 });
  });

  it.each([
    ['missing nodeGroups', '      expander: random\n', `${F}:9: spec.cluster.autoscaler.nodeGroups: Required value: at least one node group: {name, min, max, template}`],
    ['unknown expander', '      expander: cheapest\n      nodeGroups: [{name: a, max: 1, template: {}}]\n', `${F}:9: spec.cluster.autoscaler.expander: Unsupported value: "cheapest": supported values: "random", "least-waste", "most-pods"`],
    ['max below min', '      nodeGroups:\n        - name: a\n          min: 3\n          max: 2\n          template: {}\n', `${F}:12: spec.cluster.autoscaler.nodeGroups[0].max: Invalid value: 2: must be greater than or equal to min (3)`],
    ['missing max', '      nodeGroups:\n        - name: a\n          template: {}\n', /^scenarios\/x\.yaml:1[01]: spec\.cluster\.autoscaler\.nodeGroups\[0\]\.max: Required value/],
    ['bad template quantity', '      nodeGroups:\n        - name: a\n          max: 1\n          template:\n            cpu: lots\n', `${F}:13: spec.cluster.autoscaler.nodeGroups[0].template.cpu: Invalid value: "lots": must be a quantity like 4, 500m, 8Gi`],
    ['unknown template field', '      nodeGroups:\n        - name: a\n          max: 1\n          template:\n            gpu: 1\n', /^scenarios\/x\.yaml:13: .*unknown field "spec\.cluster\.autoscaler\.nodeGroups\[0\]\.template\.gpu"/],
    ['bad duration', '      scaleDownUnneededTime: soon\n      nodeGroups: [{name: a, max: 1, template: {}}]\n', `${F}:9: spec.cluster.autoscaler.scaleDownUnneededTime: Invalid value: "soon": must be a duration like 10s, 10m or 1h`],
    ['duplicate group', '      nodeGroups:\n        - {name: a, max: 1, template: {}}\n        - {name: a, max: 1, template: {}}\n', /^scenarios\/x\.yaml:11: spec\.cluster\.autoscaler\.nodeGroups\[1\]\.name: Duplicate value: "a"/],
  ])('%s', (_n, text, want) => {
    const errs = parse(text).errors.map(formatDiagnostic);
    expect(errs.length).toBeGreaterThan(0);
    if (typeof want === 'string') expect(errs[0]).toBe(want);
    else expect(errs[0]).toMatch(want);
  });
});
