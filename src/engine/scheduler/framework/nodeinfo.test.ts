import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makePod, nodeInfo } from '../testutil.ts';
import { newPodInfo, type PodInfo } from './nodeinfo.ts';

/** counted is countMatching's rule: pods of the namespace, not terminating, whose labels match. */
function counted(pods: Iterable<PodInfo>, ns: string, match: (l: PodInfo['labels']) => boolean): number {
  let n = 0;
  for (const pi of pods) if (!pi.terminating && pi.namespace === ns && match(pi.labels)) n++;
  return n;
}

const matchWeb = (l: PodInfo['labels']) => l?.app === 'web';

type Step = { op: 'add'; ns: string; app: string } | { op: 'remove'; i: number } | { op: 'relabel'; i: number; app: string; terminating: boolean } | { op: 'check' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('add' as const), ns: fc.constantFrom('default', 'other'), app: fc.constantFrom('web', 'db') }),
  fc.record({ op: fc.constant('remove' as const), i: fc.nat(20) }),
  fc.record({ op: fc.constant('relabel' as const), i: fc.nat(20), app: fc.constantFrom('web', 'db'), terminating: fc.boolean() }),
  fc.record({ op: fc.constant('check' as const) }),
);

describe('NodeInfo.matchDelta', () => {
  it('brings a count made at an earlier generation to what counting every pod gives, or says it cannot', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const ni = nodeInfo({ name: 'n1', allocatable: { cpu: '8', memory: '8Gi', pods: '110' } });
        let memoGen = ni.generation;
        let memo = counted(ni.pods.values(), 'default', matchWeb);
        for (const s of steps) {
          const pods = [...ni.pods.values()];
          if (s.op === 'add') ni.addPod(newPodInfo(makePod({ ns: s.ns, labels: { app: s.app } })));
          else if (s.op === 'remove' && pods.length) ni.removePod(pods[s.i % pods.length].uid);
          else if (s.op === 'relabel' && pods.length) ni.relabel(pods[s.i % pods.length], { app: s.app }, s.terminating);
          else if (s.op === 'check') {
            const delta = ni.matchDelta(memoGen, 'default', matchWeb);
            const now = counted(ni.pods.values(), 'default', matchWeb);
            if (delta === undefined) expect(ni.generation - memoGen).toBeGreaterThan(8);
            else expect(memo + delta).toBe(now);
            memo = now;
            memoGen = ni.generation;
          }
        }
      }),
    );
  });
});
