import { describe, expect, it } from 'vitest';
import { loadOracle, makePod, nodeInfo, runFilter, runScore } from '../../testutil.ts';
import { ErrReasonPod, newNodeAffinity } from './index.ts';

const fit = loadOracle('scheduler-fit').cases.filter((c) => c.input.plugin === 'NodeAffinity');
const scoring = loadOracle('scheduler-scoring').cases.filter((c) => c.input.plugin === 'NodeAffinity');

describe('NodeAffinity filter (oracle scheduler-fit.json)', () => {
  it('has the cases', () => expect(fit.length).toBeGreaterThan(10));
  it.each(fit.map((c) => [c.name, c]))('%s', (_n, c) => {
    const { nodeSelector, requiredTerms } = c.input.pod;
    const spec: any = { nodeSelector };
    if (requiredTerms) spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: requiredTerms } } };
    const s = runFilter(newNodeAffinity(), makePod({ spec }), nodeInfo({ name: c.input.nodeName ?? 'node1', labels: c.input.nodeLabels }));
    if (c.expect.fits) expect(s).toBeNull();
    else {
      expect(s?.code).toBe(c.expect.code);
      expect(s?.reasons).toEqual([ErrReasonPod]);
      expect(c.expect.reason).toBe(ErrReasonPod);
    }
  });
});

describe('NodeAffinity score (oracle scheduler-scoring.json)', () => {
  it.each(scoring.map((c) => [c.name, c]))('%s', (_n, c) => {
    const toTerm = (t: any) => ({ weight: t.weight, preference: { matchExpressions: t.matchExpressions } });
    const preferred = (c.input.preferredTerms ?? []).map(toTerm);
    const spec = preferred.length ? { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: preferred } } } : {};
    const added = c.addedAffinityPreferred ? { addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: c.addedAffinityPreferred.map(toTerm) } } : {};
    const nodes = c.input.nodes.map((n: any) => nodeInfo(n));
    const got = runScore(newNodeAffinity(added), makePod({ spec }), nodes);
    // No preferred terms: upstream skips the plugin, which leaves every node at 0.
    expect(got === 'skipped' ? Object.fromEntries(nodes.map((n: any) => [n.name, 0])) : got).toEqual(c.expect.scores);
  });
});
