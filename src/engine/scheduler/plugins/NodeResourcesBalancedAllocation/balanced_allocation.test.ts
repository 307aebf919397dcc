import { describe, expect, it } from 'vitest';
import { loadOracle, makePod, nodeInfo, runScore } from '../../testutil.ts';
import { newBalancedAllocation } from './index.ts';

const cases = loadOracle('scheduler-scoring').cases.filter((c) => c.input.plugin === 'NodeResourcesBalancedAllocation');

describe('NodeResourcesBalancedAllocation (oracle scheduler-scoring.json)', () => {
  it('has the cases', () => expect(cases.length).toBeGreaterThan(4));
  it.each(cases.map((c) => [c.name, c]))('%s', (_n, c) => {
    const { resources, pod, nodes, existingPods } = c.input;
    const infos = nodes.map((n: any) =>
      nodeInfo(n, existingPods.filter((p: any) => p.node === n.name).map((p: any) => makePod({ containers: p.containers }))),
    );
    const got = runScore(newBalancedAllocation({ resources }), makePod(pod), infos);
    expect(got).toEqual(c.expect.skipped ? 'skipped' : c.expect.scores);
  });
});
