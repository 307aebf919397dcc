/**
 * metrics: the rows of the Compare dialog's table — what each shows, how it is formatted, and which
 * direction is better — and bestOf, which marks the best value of a row. Pure (tested in Node).
 */
import type { StrategyResult } from '../../engine/compare/index.ts';
import { formatSeconds } from '../../engine/compare/format.ts';

export type Better = 'min' | 'max';

export interface MetricRow {
  key: string;
  label: string;
  /** hint explains the row (the header cell's title). */
  hint: string;
  /** better is the direction that wins; undefined rows are not compared. */
  better?: Better;
  /** value is what is compared (Infinity for a rollout that did not finish). */
  value(r: StrategyResult): number;
  format(r: StrategyResult): string;
}

export const METRICS: MetricRow[] = [
  {
    key: 'peak',
    label: 'Peak pods',
    hint: 'The most pods of the workload at once (Terminating ones included): the room the cluster needs',
    better: 'min',
    value: (r) => r.peakPods,
    format: (r) => String(r.peakPods),
  },
  {
    key: 'time',
    label: 'Time to finish',
    hint: 'From the image change until the rollout is complete and the last old pod is gone',
    better: 'min',
    value: (r) => (r.finished ? r.seconds : Infinity),
    format: (r) => (r.finished ? formatSeconds(r.seconds) : `> ${formatSeconds(r.seconds)}`),
  },
  {
    key: 'failed',
    label: 'Failed requests',
    hint: 'Client requests answered 5xx or not at all (refused, timed out) during the rollout',
    better: 'min',
    value: (r) => r.failedRequests,
    format: (r) => (r.totalRequests ? `${r.failedRequests} (${percent(r.failedRequests, r.totalRequests)})` : String(r.failedRequests)),
  },
  {
    key: 'requests',
    label: 'Requests',
    hint: 'All client requests during the rollout (a longer rollout sees more)',
    value: (r) => r.totalRequests,
    format: (r) => String(r.totalRequests),
  },
  {
    key: 'cost',
    label: 'Pod-seconds',
    hint: 'Pods × seconds from the image change to the finish: the cost of the rollout',
    better: 'min',
    value: (r) => r.podSeconds,
    format: (r) => r.podSeconds.toFixed(1),
  },
  {
    key: 'minready',
    label: 'Min ready',
    hint: 'The fewest Ready pods (not terminating) at any moment of the rollout',
    better: 'max',
    value: (r) => r.minReady,
    format: (r) => String(r.minReady),
  },
];

/** percent formats a share: 0%, 0.4%, 12%, 100%. */
export function percent(n: number, of: number): string {
  if (of <= 0) return '0%';
  const p = (100 * n) / of;
  if (p === 0 || p === 100) return `${p}%`;
  return p < 10 ? `${p.toFixed(1)}%` : `${Math.round(p)}%`;
}

/**
 * bestOf marks the best values of a row (every one tied for best). Nothing is marked when there are
 * fewer than two values or all are equal: there is no winner to point at.
 */
export function bestOf(values: number[], better: Better | undefined): boolean[] {
  if (!better || values.length < 2) return values.map(() => false);
  const target = better === 'min' ? Math.min(...values) : Math.max(...values);
  if (values.every((v) => v === target)) return values.map(() => false);
  return values.map((v) => v === target);
}
