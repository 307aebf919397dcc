import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseQuantity } from '../../api/quantity.ts';
import { calcPlainMetricReplicas, getPerPodMetricReplicas, getResourceReplicas, getUsageRatioReplicaCount, type CalcPod, type PodMetricsInfo } from './replica_calculator.ts';

interface OraclePod {
  cpuRequestMilli: number;
  cpuUsageMilli: number | null;
  ready?: boolean;
  phase?: string;
  cpuInitializing?: boolean;
  deleting?: boolean;
}
interface Case {
  name: string;
  input: Record<string, any> & { metric: string; currentReplicas: number; pods?: OraclePod[] };
  expect: { desiredReplicas: number; reportedUtilization?: number; reportedAverageUsageMilli?: number; reportedValueMilli?: number };
}

const oracle = JSON.parse(readFileSync(new URL('../../../../test/fixtures/oracles/hpa.json', import.meta.url), 'utf8')) as { cases: Case[] };

const NOW = 10_000_000;
const WINDOW = 60_000;

/**
 * toCalc turns a fixture pod into the calculator's view as upstream's test client builds it: a pod
 * started an hour ago (outside the 5 min CPU initialization period) and Ready since then; `ready:false`
 * never turned Ready; `cpuInitializing` started 30 s ago, so its metric window (60 s) began before it
 * turned Ready.
 */
function toCalc(p: OraclePod, i: number): { pod: CalcPod; metric?: [string, { value: number; timestampMs: number; windowMs: number }] } {
  const name = `pod-${i}`;
  const start = p.cpuInitializing ? NOW - 30_000 : NOW - 3_600_000;
  const pod: CalcPod = {
    name,
    phase: p.phase ?? 'Running',
    deleting: p.deleting,
    ready: { status: p.ready === false ? 'False' : 'True', lastTransitionMs: start },
    startTimeMs: start,
    requestMilli: p.cpuRequestMilli,
  };
  return { pod, metric: p.cpuUsageMilli === null ? undefined : [name, { value: p.cpuUsageMilli, timestampMs: NOW, windowMs: WINDOW }] };
}

describe('replica calculator: every case of test/fixtures/oracles/hpa.json', () => {
  it('has the 48 cases', () => expect(oracle.cases).toHaveLength(48));
  for (const c of oracle.cases) {
    it(c.name, () => {
      const inp = c.input;
      const e = c.expect;
      switch (inp.metric) {
        case 'Resource cpu Utilization': {
          const conv = inp.pods!.map(toCalc);
          const metrics: PodMetricsInfo = new Map(conv.flatMap((x) => (x.metric ? [x.metric] : [])));
          const r = getResourceReplicas(inp.currentReplicas, inp.targetAverageUtilization, 'cpu', conv.map((x) => x.pod), metrics, NOW);
          if ('error' in r) throw new Error(r.error);
          expect(r.replicas).toBe(e.desiredReplicas);
          expect(r.utilization).toBe(e.reportedUtilization);
          expect(r.rawUtilization).toBe(e.reportedAverageUsageMilli);
          break;
        }
        case 'Pods AverageValue': {
          const values: number[] = inp.podValuesMilli;
          const pods: CalcPod[] = values.map((_, i) => ({
            name: `pod-${i}`,
            phase: 'Running',
            ready: { status: inp.podReady?.[i] === false ? 'False' : 'True', lastTransitionMs: NOW - 30_000 },
            startTimeMs: inp.podCpuInitializing?.[i] ? NOW - 30_000 : NOW - 3_600_000,
          }));
          const metrics: PodMetricsInfo = new Map(values.map((v, i) => [`pod-${i}`, { value: v, timestampMs: NOW, windowMs: WINDOW }]));
          // Pods metrics go through calcPlainMetricReplicas with no resource name: readiness is not considered.
          const r = calcPlainMetricReplicas(metrics, inp.currentReplicas, inp.targetAverageValueMilli, '', pods, NOW);
          if ('error' in r) throw new Error(r.error);
          expect(r.replicas).toBe(e.desiredReplicas);
          expect(r.usage).toBe(e.reportedValueMilli);
          break;
        }
        case 'Object Value':
          expect(getUsageRatioReplicaCount(inp.currentReplicas, inp.objectValueMilli / inp.targetValueMilli, inp.readyPods)).toBe(e.desiredReplicas);
          break;
        case 'External Value': {
          const total = (inp.externalValuesMilli as number[]).reduce((a, b) => a + b, 0);
          expect(getUsageRatioReplicaCount(inp.currentReplicas, total / inp.targetValueMilli, inp.readyPods)).toBe(e.desiredReplicas);
          expect(total).toBe(e.reportedValueMilli);
          break;
        }
        case 'Object AverageValue':
        case 'External AverageValue': {
          const total = inp.metric.startsWith('Object') ? inp.objectValueMilli : (inp.externalValuesMilli as number[]).reduce((a, b) => a + b, 0);
          const r = getPerPodMetricReplicas(inp.currentReplicas, inp.targetAverageValueMilli, total);
          expect(r.replicas).toBe(e.desiredReplicas);
          expect(r.usage).toBe(e.reportedValueMilli);
          break;
        }
        case 'generic': {
          const ratio = parseQuantity(inp.currentMetricValue)! / parseQuantity(inp.desiredMetricValue)!;
          expect(getUsageRatioReplicaCount(inp.currentReplicas, ratio, inp.currentReplicas)).toBe(e.desiredReplicas);
          break;
        }
        default:
          throw new Error(`unhandled metric ${inp.metric}`);
      }
    });
  }
});

describe('replica calculator errors (upstream messages)', () => {
  const pod = (name: string, extra: Partial<CalcPod> = {}): CalcPod => ({ name, phase: 'Running', ready: { status: 'True', lastTransitionMs: 0 }, startTimeMs: 0, requestMilli: 100, ...extra });
  const m = (v: number) => ({ value: v, timestampMs: NOW, windowMs: WINDOW });
  it.each([
    ['no pods', [], new Map(), 'no pods returned by selector while calculating replica count'],
    ['all unready', [pod('a', { phase: 'Pending' })], new Map([['a', m(50)]]), 'did not receive metrics for targeted pods (pods might be unready)'],
    ['missing request', [pod('a', { requestMilli: undefined, missingRequestError: 'missing request for cpu in container web of Pod a' })], new Map([['a', m(50)]]), 'missing request for cpu in container web of Pod a'],
  ] as [string, CalcPod[], PodMetricsInfo, string][])('%s', (_n, pods, metrics, msg) => {
    expect(getResourceReplicas(1, 50, 'cpu', pods, metrics, NOW)).toEqual({ error: msg });
  });
  it('a missing pod on a scale-down counts as the target when the target is above 100 %', () => {
    // target 200 %: a at 100 % (ratio 0.5), b missing → counted at 200 % → (100+200)/2 = 150 % → ratio 0.75 → ceil(1.5) = 2 = current.
    const r = getResourceReplicas(2, 200, 'cpu', [pod('a'), pod('b')], new Map([['a', m(100)]]), NOW);
    expect(r).toEqual({ replicas: 2, utilization: 100, rawUtilization: 100 });
  });
});
