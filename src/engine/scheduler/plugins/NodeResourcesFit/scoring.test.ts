import { describe, expect, it } from 'vitest';
import { loadOracle, makePod, nodeInfo, runScore } from '../../testutil.ts';
import { newNodeResourcesFit } from './index.ts';
import { requestedToCapacityRatioScorer } from './resource_allocation.ts';

const cases = loadOracle('scheduler-scoring').cases.filter((c) => c.input.plugin === 'NodeResourcesFit');

describe('NodeResourcesFit scoring (oracle scheduler-scoring.json)', () => {
  it('has the cases', () => expect(cases.length).toBeGreaterThan(15));
  it.each(cases.map((c) => [`${c.input.strategy}: ${c.name}`, c]))('%s', (_n, c) => {
    const { strategy, resources, pod, nodes, existingPods } = c.input;
    const make = () => newNodeResourcesFit({ scoringStrategy: { type: strategy, resources } });
    if (c.expect.configError) {
      expect(make).toThrow(/range of 1-100/);
      return;
    }
    const infos = nodes.map((n: any) =>
      nodeInfo(n, existingPods.filter((p: any) => p.node === n.name).map((p: any) => makePod({ containers: p.containers }))),
    );
    expect(runScore(make(), makePod(pod), infos)).toEqual(c.expect.scores);
  });
});

describe('RequestedToCapacityRatio', () => {
  // Shape {0:0, 100:10} is MostAllocated-like; {0:10, 100:0} LeastAllocated-like (scores ×10).
  it.each([
    [[{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }], [3000, 5000], [4000, 10000], 63],
    [[{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }], [3000, 5000], [4000, 10000], 38],
    [[{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }], [5000, 0], [4000, 10000], 100],
  ])('shape %j requested %j of %j → %d', (shape, req, alloc, want) => {
    const f = requestedToCapacityRatioScorer([{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }], shape);
    expect(f(req, alloc)).toBe(want);
  });
});
