import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  approximateWeightedCanaryStableReplicaCounts,
  calculateReplicaCountsForBasicCanary,
  calculateReplicaCountsForTrafficRoutedCanary,
  trafficWeightToReplicas,
} from './replicaset.ts';
import { resolveFenceposts } from '../deployment/util.ts';

const oracle = (f: string) => JSON.parse(readFileSync(new URL(`../../../../test/fixtures/oracles/${f}`, import.meta.url), 'utf8'));

describe('approximateWeightedCanaryStableReplicaCounts (canary-weight-approx.json)', () => {
  for (const c of oracle('canary-weight-approx.json').cases) {
    it(c.name, () => {
      const { specReplicas, desiredWeight, maxWeight, maxSurge } = c.input;
      expect(approximateWeightedCanaryStableReplicaCounts(specReplicas, desiredWeight, maxSurge, maxWeight ?? 100)).toEqual(c.expect);
    });
  }
});

describe('replica counts (canary-replicas.json)', () => {
  for (const c of oracle('canary-replicas.json').cases) {
    const i = c.input;
    it(c.name, () => {
      if (i.fn === 'trafficWeightToReplicas') {
        expect(trafficWeightToReplicas(i.replicas, i.weight, i.maxWeight)).toBe(c.expect.replicas);
        return;
      }
      if (i.mode === 'trafficRouted') {
        const weight = i.promoteFull ? 100 : i.aborted ? 0 : i.setWeight;
        const scs = i.setCanaryScale;
        // setCanaryScale is dropped on abort unless abortScaleDownDelaySeconds is 0 (UseSetCanaryScale).
        const scsInForce = scs && !scs.matchTrafficWeight && !i.promoteFull && !(i.aborted && i.abortScaleDownDelaySeconds !== 0);
        const got = calculateReplicaCountsForTrafficRoutedCanary({
          specReplicas: i.specReplicas,
          desiredWeight: scsInForce && typeof scs.weight === 'number' ? scs.weight : scsInForce && typeof scs.replicas === 'number' ? 0 : weight,
          setCanaryReplicas: scsInForce && typeof scs.replicas === 'number' ? scs.replicas : undefined,
          minPodsPerReplicaSet: i.minPodsPerReplicaSet ?? undefined,
          dynamicStableScale: i.dynamicStableScale,
          aborted: i.aborted,
          currentWeights: i.currentTrafficWeights,
        });
        expect(got).toEqual(c.expect);
        return;
      }
      const f = resolveFenceposts(i.maxSurge, i.maxUnavailable, i.specReplicas);
      if ('error' in f) throw new Error(f.error);
      const noStable = !i.stable || i.canaryIsStable;
      const weight = i.promoteFull || noStable ? 100 : i.aborted ? 0 : i.setWeight;
      const got = calculateReplicaCountsForBasicCanary({
        specReplicas: i.specReplicas,
        desiredWeight: weight,
        maxSurge: f.maxSurge,
        maxUnavailable: f.maxUnavailable,
        newRS: i.canary,
        stableRS: noStable ? null : i.stable,
        olderRSs: i.olderReplicaSets ?? [],
      });
      expect({ canary: got.canary, stable: noStable ? 0 : got.stable }).toEqual(c.expect);
    });
  }
});
