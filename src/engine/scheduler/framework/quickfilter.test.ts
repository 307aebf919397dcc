import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.ts';
import { newScratch, schedulePod } from '../schedule_one.ts';
import { makePod, nodeInfo, staticHandle } from '../testutil.ts';
import { buildProfile, type Profile } from './registry.ts';

/** withoutQuick is the profile with every plugin's QuickFilter taken away: each node goes through each Filter. */
function withoutQuick(p: Profile): Profile {
  const strip = <T extends object>(x: T): T => ({ ...x, quickFilter: undefined });
  return { ...p, filters: p.filters.map(strip), scores: p.scores.map((s) => ({ ...s, plugin: strip(s.plugin) })) };
}

const nodeArb = fc.record({
  cpu: fc.constantFrom('1', '2', '4'),
  pods: fc.constantFrom('1', '2', '110'),
  cordoned: fc.boolean(),
  taint: fc.constantFrom(undefined, 'NoSchedule', 'PreferNoSchedule', 'NoExecute'),
  used: fc.nat(3),
});

const podArb = fc.record({
  cpu: fc.constantFrom(undefined, '100m', '1500m', '3'),
  tolerates: fc.boolean(),
  nodeName: fc.constantFrom(undefined, 'n0', 'n3'),
  gpu: fc.boolean(),
});

describe('QuickFilter', () => {
  it('passes exactly the nodes that every Filter passes, so a scheduling attempt is the same without it', () => {
    fc.assert(
      fc.property(fc.array(nodeArb, { minLength: 1, maxLength: 12 }), podArb, fc.nat(11), (specs, p, start) => {
        const nodes = specs.map((s, i) =>
          nodeInfo(
            { name: `n${i}`, allocatable: { cpu: s.cpu, memory: '4Gi', pods: s.pods, ...(i % 2 ? { 'example.com/gpu': 2 } : {}) }, unschedulable: s.cordoned, taints: s.taint ? [{ key: 'k', value: 'v', effect: s.taint }] : [] },
            Array.from({ length: s.used }, () => makePod({ containers: [{ cpu: '500m' }] })),
          ),
        );
        const pod = makePod({
          containers: [{ ...(p.cpu ? { cpu: p.cpu } : {}), ...(p.gpu ? { 'example.com/gpu': 1 } : {}) }],
          spec: {
            ...(p.nodeName ? { nodeName: p.nodeName } : {}),
            ...(p.tolerates ? { tolerations: [{ operator: 'Exists' }] } : {}),
          },
        });
        const handle = { ...staticHandle(nodes), nodeId: (name: string) => Number(name.slice(1)) };
        const profile = buildProfile(handle);
        const a = schedulePod(profile, handle, pod, 'default/p', start, new Rng(7), 0, 0, newScratch());
        const b = schedulePod(withoutQuick(profile), handle, pod, 'default/p', start, new Rng(7), 0, 0, newScratch());
        expect(a).toEqual(b);
      }),
      { numRuns: 300 },
    );
  });
});
