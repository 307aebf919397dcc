/**
 * summary: the traffic summary (what the page and `kubeplay traffic stats` read) made from the
 * network module's per-second buckets.
 */
import type { RequestSample, SummaryBucket, TrafficSummary } from './model.ts';

/** summarizeBuckets adds up the buckets after sinceMs: per edge, per version and per status, and the last 50 samples. */
export function summarizeBuckets(buckets: readonly SummaryBucket[], sinceMs: number, now: number): TrafficSummary {
  const edges = new Map<string, [number, number]>();
  const versions = new Map<string, [number, number]>();
  const statuses: Record<string, number> = {};
  let total = 0;
  let errors = 0;
  let samples: RequestSample[] = [];
  let from = Infinity;
  for (const b of buckets) {
    if (b.t <= sinceMs) continue;
    from = Math.min(from, b.t);
    total += b.total;
    errors += b.errors;
    for (let i = 0; i < b.edgeKeys.length; i++) {
      const k = b.edgeKeys[i];
      const e = edges.get(k) ?? [0, 0];
      e[0] += b.edgeCounts[2 * i];
      e[1] += b.edgeCounts[2 * i + 1];
      edges.set(k, e);
    }
    for (const [k, v] of Object.entries(b.versions)) {
      const e = versions.get(k) ?? [0, 0];
      e[0] += v[0];
      e[1] += v[1];
      versions.set(k, e);
    }
    for (const [k, v] of Object.entries(b.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
    samples = samples.concat(b.samples);
  }
  return {
    from: from === Infinity ? sinceMs : from,
    to: now,
    total,
    errors,
    edges: [...edges].map(([k, [count, errs]]) => {
      const [f, to] = k.split('>');
      return { from: f, to, count, errors: errs };
    }),
    versions: [...versions].map(([version, [count, errs]]) => ({ version, count, errors: errs })),
    statuses,
    samples: samples.slice(-50),
  };
}
