import { describe, expect, it } from 'vitest';
import { scale } from './sync.ts';
import { DESIRED_REPLICAS_ANNOTATION } from './util.ts';
import { deployment, fakeIO, loadOracle, rs } from './testutil.ts';

const AGE: Record<string, number> = { new: 0, old: 60, older: 120 };

describe('proportional-scaling oracle (scale())', () => {
  const cases = loadOracle('proportional-scaling');
  it('has every case', () => expect(cases.length).toBe(17));
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const i = c.input;
    const d = deployment({ replicas: i.deploymentReplicas, maxSurge: i.maxSurge, maxUnavailable: i.maxUnavailable });
    const rss = i.replicaSets.map((r: any) => {
      const x = rs(r.name, r.replicas, r.availableReplicas ?? r.replicas, { ageSeconds: AGE[r.age], maxReplicas: r.maxReplicasAnnotation });
      // desired-replicas as the controller last wrote it: max-replicas minus the surge it was written with.
      x.metadata.annotations![DESIRED_REPLICAS_ANNOTATION] = String(r.maxReplicasAnnotation - i.maxSurge);
      return x;
    });
    const newRS = i.replicaSets.findIndex((r: any) => r.isNew);
    const newOne = newRS >= 0 ? rss[newRS] : undefined;
    scale(fakeIO(), d, newOne, rss.filter((x: any) => x !== newOne));
    const got: Record<string, number> = {};
    for (const x of rss) got[x.metadata.name] = x.spec.replicas;
    expect({ replicas: got }).toEqual(c.expect);
  });
});
