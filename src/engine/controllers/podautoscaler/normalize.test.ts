import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultHorizontalPodAutoscaler, defaultScaleDownRules, defaultScaleUpRules, DOWNSCALE_STABILIZATION_SECONDS, DEFAULT_CPU_UTILIZATION } from './defaults.ts';
import { convertDesiredReplicasWithBehaviorRate, convertDesiredReplicasWithRules, stabilizeRecommendation, stabilizeRecommendationWithBehaviors, storeScaleEvent, type ScaleEvent } from './normalize.ts';
import { CPU_INITIALIZATION_PERIOD_MS, DEFAULT_TOLERANCE, INITIAL_READINESS_DELAY_MS } from './replica_calculator.ts';

interface Case {
  name: string;
  input: Record<string, any> & { fn: string };
  expect: Record<string, any>;
}
const oracle = JSON.parse(readFileSync(new URL('../../../../test/fixtures/oracles/hpa-behavior.json', import.meta.url), 'utf8')) as { cases: Case[] };

const NOW = 10_000_000;
const events = (list: { replicaChange: number; secondsAgo: number }[] | undefined): ScaleEvent[] => (list ?? []).map((e) => ({ change: e.replicaChange, t: NOW - e.secondsAgo * 1000 }));
const rules = (r: unknown, up: boolean) => (r === 'default' ? (up ? defaultScaleUpRules(undefined) : defaultScaleDownRules(undefined)) : up ? defaultScaleUpRules(r) : defaultScaleDownRules(r));

describe('normalization: every case of test/fixtures/oracles/hpa-behavior.json', () => {
  it('has the 38 cases', () => expect(oracle.cases).toHaveLength(38));
  for (const c of oracle.cases) {
    it(c.name, () => {
      const i = c.input;
      switch (i.fn) {
        case 'convertDesiredReplicasWithBehaviorRate': {
          const r = convertDesiredReplicasWithBehaviorRate({
            currentReplicas: i.currentReplicas,
            desiredReplicas: i.desiredReplicas,
            minReplicas: i.minReplicas,
            maxReplicas: i.maxReplicas,
            scaleUp: rules(i.scaleUp, true),
            scaleDown: rules(i.scaleDown, false),
            scaleUpEvents: events(i.recentScaleUpEvents),
            scaleDownEvents: events(i.recentScaleDownEvents),
            nowMs: NOW,
          });
          expect([r.replicas, r.reason]).toEqual([c.expect.replicas, c.expect.condition]);
          break;
        }
        case 'convertDesiredReplicasWithRules': {
          const r = convertDesiredReplicasWithRules(i.currentReplicas, i.desiredReplicas, i.minReplicas, i.maxReplicas);
          expect([r.replicas, r.reason]).toEqual([c.expect.replicas, c.expect.condition]);
          break;
        }
        case 'stabilizeRecommendation': {
          const recs = (i.pastRecommendations as { replicas: number; secondsAgo: number }[]).map((r) => ({ replicas: r.replicas, t: NOW - r.secondsAgo * 1000 }));
          expect(stabilizeRecommendation(recs, i.desiredReplicas, NOW, i.downscaleStabilizationWindowSeconds * 1000)).toBe(c.expect.replicas);
          break;
        }
        case 'defaults': {
          const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { maxReplicas: 5, behavior: {} } as Record<string, any> };
          defaultHorizontalPodAutoscaler(hpa);
          expect(hpa.spec.minReplicas).toBe(c.expect.minReplicas);
          expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: c.expect.defaultMetric.resource, target: { type: 'Utilization', averageUtilization: c.expect.defaultMetric.averageUtilization } } }]);
          expect(hpa.spec.behavior.scaleUp).toEqual(c.expect.scaleUp);
          expect(hpa.spec.behavior.scaleDown).toEqual({ selectPolicy: c.expect.scaleDown.selectPolicy, policies: c.expect.scaleDown.policies });
          expect(DOWNSCALE_STABILIZATION_SECONDS).toBe(300);
          expect(DEFAULT_CPU_UTILIZATION).toBe(80);
          expect([DEFAULT_TOLERANCE, CPU_INITIALIZATION_PERIOD_MS / 1000, INITIAL_READINESS_DELAY_MS / 1000]).toEqual([c.expect.tolerance, c.expect.cpuInitializationPeriodSeconds, c.expect.initialReadinessDelaySeconds]);
          break;
        }
        default:
          throw new Error(`unhandled fn ${i.fn}`);
      }
    });
  }
});

describe('stabilizeRecommendationWithBehaviors', () => {
  it.each([
    // [current, desired, past [replicas, secondsAgo][], upWindow, downWindow, expected, reason]
    [5, 3, [[6, 100], [4, 10]], 0, 300, 5, 'ScaleDownStabilized'], // highest of the last 300 s (6) capped by current 5
    [5, 3, [[4, 100]], 0, 300, 4, 'ScaleDownStabilized'],
    [5, 3, [[4, 400]], 0, 300, 3, 'ScaleDownStabilized'], // outside the window: no hold
    [5, 9, [[6, 30]], 60, 300, 6, 'ScaleUpStabilized'], // lowest of the last 60 s
    [5, 9, [[6, 30]], 0, 300, 9, 'ScaleUpStabilized'],
  ] as [number, number, [number, number][], number, number, number, string][])('current %i desired %i', (cur, des, past, up, down, want, reason) => {
    const recs = past.map(([r, s]) => ({ replicas: r, t: NOW - s * 1000 }));
    const r = stabilizeRecommendationWithBehaviors(recs, cur, des, up, down, NOW);
    expect([r.replicas, r.reason]).toEqual([want, reason]);
  });

  it('records the recommendation, reusing a slot older than both windows', () => {
    const recs = [{ replicas: 9, t: NOW - 400_000 }, { replicas: 4, t: NOW - 10_000 }];
    stabilizeRecommendationWithBehaviors(recs, 4, 2, 0, 300, NOW);
    expect(recs).toEqual([{ replicas: 2, t: NOW }, { replicas: 4, t: NOW - 10_000 }]);
  });
});

describe('storeScaleEvent', () => {
  it('replaces an event older than the longest policy period', () => {
    const ev: ScaleEvent[] = [{ change: 3, t: NOW - 120_000 }, { change: 2, t: NOW - 5_000 }];
    storeScaleEvent(ev, 4, 60, NOW);
    expect(ev).toEqual([{ change: 4, t: NOW }, { change: 2, t: NOW - 5_000 }]);
    storeScaleEvent(ev, 1, 60, NOW);
    expect(ev).toHaveLength(3);
  });
});
