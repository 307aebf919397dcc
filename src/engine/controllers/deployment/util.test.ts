import { describe, expect, it } from 'vitest';
import {
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getActualReplicaCountForReplicaSets,
  getReplicaCountForReplicaSets,
  getReplicaSetFraction,
  getTerminatingReplicaCountForReplicaSets,
  maxUnavailable,
  minAvailable,
  newRSNewReplicas,
  resolveFenceposts,
} from './util.ts';
import { deployment, loadOracle, rs } from './testutil.ts';
import { isoTime } from '../../clock.ts';
import type { ReplicaSet } from '../../api/types.ts';

/** mmss reads the oracle's "00:01:09" (minutes:seconds) into ms. */
function mmss(s: string): number {
  const [m, sec] = s.split(':').slice(-2).map(Number);
  return (m * 60 + sec) * 1000;
}

function run(input: Record<string, any>): Record<string, any> {
  switch (input.fn) {
    case 'resolveFenceposts': {
      const r = resolveFenceposts(input.maxSurge, input.maxUnavailable, input.replicas);
      return 'error' in r ? { error: true } : r;
    }
    case 'maxUnavailable':
      return { maxUnavailable: maxUnavailable(deployment(input)) };
    case 'minAvailable':
      return { minAvailable: minAvailable(deployment(input)) };
    case 'newRSNewReplicas': {
      const d = deployment(input);
      const newRS = rs('new', input.newRSReplicas);
      return { newRSReplicas: newRSNewReplicas(d, [rs('other', input.allReplicaSetsSpecTotal)], newRS) };
    }
    case 'replicaCounts': {
      const rss = input.replicaSets.map((r: any) => {
        const x = rs(r.name, r.specReplicas);
        x.status = { replicas: r.statusReplicas, observedGeneration: r.observedGeneration };
        if (r.terminatingReplicas !== null) x.status.terminatingReplicas = r.terminatingReplicas;
        return x;
      }) as ReplicaSet[];
      return {
        specTotal: getReplicaCountForReplicaSets(rss),
        statusTotal: getActualReplicaCountForReplicaSets(rss),
        terminatingTotal: getTerminatingReplicaCountForReplicaSets(rss) ?? null,
      };
    }
    case 'deploymentComplete': {
      const d = deployment(input);
      return { complete: deploymentComplete(d, { replicas: input.statusReplicas, updatedReplicas: input.updatedReplicas, availableReplicas: input.availableReplicas, observedGeneration: 1 }) };
    }
    case 'deploymentProgressing': {
      const d = deployment({ replicas: 10 });
      d.status = input.oldStatus;
      return { progressing: deploymentProgressing(d, input.newStatus) };
    }
    case 'deploymentTimedOut': {
      const d = deployment({ replicas: 1 });
      if (input.progressDeadlineSeconds !== null) d.spec.progressDeadlineSeconds = input.progressDeadlineSeconds;
      const c = input.progressingCondition;
      const cond = { type: 'Progressing', status: c.status, reason: c.reason, lastUpdateTime: c.lastUpdateTime ? isoTime(mmss(c.lastUpdateTime)) : undefined };
      return { timedOut: deploymentTimedOut(d, { conditions: [cond] }, input.now ? mmss(input.now) : 0) };
    }
    case 'replicaSetFraction': {
      const d = deployment({ replicas: input.deploymentReplicas, maxSurge: input.maxSurge, maxUnavailable: input.maxUnavailable, statusReplicas: input.deploymentStatusReplicas });
      return { fraction: getReplicaSetFraction(rs('rs', input.rsReplicas, 0, { maxReplicas: input.rsMaxReplicasAnnotation }), d) };
    }
  }
  throw new Error(`unknown fn ${input.fn}`);
}

describe('deployment-util oracle', () => {
  const cases = loadOracle('deployment-util');
  it('has every case', () => expect(cases.length).toBe(64));
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    expect(run(c.input)).toEqual(c.expect);
  });
});
