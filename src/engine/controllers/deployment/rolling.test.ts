import { describe, expect, it } from 'vitest';
import { cleanupUnhealthyReplicas, reconcileNewReplicaSet, reconcileOldReplicaSets, scaleDownOldReplicaSetsForRollingUpdate } from './rolling.ts';
import { deployment, fakeIO, loadOracle, rs } from './testutil.ts';

function run(i: Record<string, any>): Record<string, any> {
  const d = deployment({ replicas: i.replicas, maxSurge: i.maxSurge, maxUnavailable: i.maxUnavailable });
  const io = fakeIO();
  switch (i.fn) {
    case 'reconcileNewReplicaSet': {
      const oldRS = rs('old', i.oldReplicas, i.oldReplicas, { ageSeconds: 10 });
      const newRS = rs('new', i.newReplicas);
      const scaled = reconcileNewReplicaSet(io, [oldRS, newRS], newRS, d);
      return scaled ? { scaled, newReplicasScaledTo: newRS.spec.replicas } : { scaled };
    }
    case 'reconcileOldReplicaSets': {
      const oldRS = rs('old', i.oldReplicas, i.oldAvailable, { ageSeconds: 10 });
      const newRS = rs('new', i.newReplicas, i.newAvailable);
      const scaled = reconcileOldReplicaSets(io, [oldRS, newRS], [oldRS], newRS, d);
      return scaled ? { scaled, oldReplicasScaledTo: oldRS.spec.replicas } : { scaled };
    }
    case 'cleanupUnhealthyReplicas': {
      const oldRS = rs('old', i.oldReplicas, i.oldAvailable, { ageSeconds: 10 });
      return { cleanedUp: cleanupUnhealthyReplicas(io, [oldRS], d, i.maxCleanupCount) };
    }
    case 'scaleDownOldReplicaSetsForRollingUpdate': {
      const oldRS = rs('old', i.oldReplicas, i.availableTotal, { ageSeconds: 10 });
      const newRS = rs('new', 0, 0);
      const n = scaleDownOldReplicaSetsForRollingUpdate(io, [oldRS, newRS], [oldRS], d);
      return n > 0 ? { scaled: true, oldReplicasScaledTo: oldRS.spec.replicas } : { scaled: false };
    }
  }
  throw new Error(`unknown fn ${i.fn}`);
}

describe('rolling-update oracle', () => {
  const cases = loadOracle('rolling-update');
  it('has every case', () => expect(cases.length).toBe(22));
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    expect(run(c.input)).toEqual(c.expect);
  });
});
