import { describe, expect, it } from 'vitest';
import { loadOracle, makePod, nodeInfo, runFilter, runScore } from '../../testutil.ts';
import { ErrReasonUntolerated, newTaintToleration } from './index.ts';

const fit = loadOracle('scheduler-fit').cases.filter((c) => c.input.plugin === 'TaintToleration');
const scoring = loadOracle('scheduler-scoring').cases.filter((c) => c.input.plugin === 'TaintToleration');

describe('TaintToleration filter (oracle scheduler-fit.json)', () => {
  it('has the cases', () => expect(fit.length).toBeGreaterThan(5));
  it.each(fit.map((c) => [c.name, c]))('%s', (_n, c) => {
    const pod = makePod({ spec: { tolerations: c.input.tolerations } });
    const s = runFilter(newTaintToleration(), pod, nodeInfo({ name: 'n', taints: c.input.nodeTaints }));
    if (c.expect.fits) expect(s).toBeNull();
    else {
      expect(s?.code).toBe(c.expect.code);
      expect(s?.reasons).toEqual([c.expect.reason]);
      expect(c.expect.reason).toBe(ErrReasonUntolerated);
    }
  });
});

describe('TaintToleration score (oracle scheduler-scoring.json)', () => {
  it.each(scoring.map((c) => [c.name, c]))('%s', (_n, c) => {
    const pod = makePod({ spec: { tolerations: c.input.tolerations } });
    const nodes = c.input.nodes.map((n: any) => nodeInfo(n));
    expect(runScore(newTaintToleration(), pod, nodes)).toEqual(c.expect.scores);
  });
});
