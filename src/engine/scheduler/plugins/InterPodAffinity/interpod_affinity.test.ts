import { describe, expect, it } from 'vitest';
import { makePod, nodeInfo, runFilter, runScore, staticHandle } from '../../testutil.ts';
import { ErrReasonExistingAntiAffinityRulesNotMatch, newInterPodAffinity } from './index.ts';

const term = (labels: Record<string, string>, topologyKey: string) => ({ labelSelector: { matchLabels: labels }, topologyKey });

describe('InterPodAffinity', () => {
  it("rejects a node whose pods' required anti-affinity matches the incoming pod", () => {
    const existing = makePod({ labels: { app: 'db' }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, 'zone')] } } } });
    const n1 = nodeInfo({ name: 'n1', labels: { zone: 'z1' } }, [existing]);
    const n2 = nodeInfo({ name: 'n2', labels: { zone: 'z1' } });
    const n3 = nodeInfo({ name: 'n3', labels: { zone: 'z2' } });
    const pl = newInterPodAffinity({}, staticHandle([n1, n2, n3]));
    const web = makePod({ labels: { app: 'web' } });
    expect(runFilter(pl, web, n2)?.reasons).toEqual([ErrReasonExistingAntiAffinityRulesNotMatch]);
    expect(runFilter(pl, web, n3)).toBeNull();
  });

  it('scores preferred affinity by topology domain, min-max normalised', () => {
    // Upstream TestPreferredAffinity shape: pods labelled security=S1 in region1; the pod prefers them (weight 5).
    const s1 = makePod({ labels: { security: 'S1' } });
    const n1 = nodeInfo({ name: 'machine1', labels: { region: 'China' } }, [s1]);
    const n2 = nodeInfo({ name: 'machine2', labels: { region: 'China' } });
    const n3 = nodeInfo({ name: 'machine3', labels: { region: 'India' } });
    const pl = newInterPodAffinity({}, staticHandle([n1, n2, n3]));
    const pod = makePod({ spec: { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term({ security: 'S1' }, 'region') }] } } } });
    expect(runScore(pl, pod, [n1, n2, n3])).toEqual({ machine1: 100, machine2: 100, machine3: 0 });
  });
});
