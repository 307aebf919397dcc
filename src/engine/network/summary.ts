/**
 * summary: the network module's per-second buckets of traffic counts (addToSummary fills them) and
 * the traffic summary made from them (what the page and `kubeplay traffic stats` read).
 */
import { SUMMARY_BUCKET_MS, SUMMARY_SECONDS, type EdgeAcc, type RequestSample, type SummaryBucket, type TrafficSummary } from './model.ts';

/** RequestTotals counts the requests the client saw since the last flush: all, failed, and by status (or error). */
export interface RequestTotals {
  n: number;
  err: number;
  statuses: Record<string, number>;
}

/**
 * BucketSlots maps an edge key to its slot in the latest bucket (derived: rebuilt when the bucket
 * changes under it), so a flush into a bucket that already has edges looks each one up once.
 */
export class BucketSlots {
  private index = new Map<string, number>();
  private t = -1;
  private len = -1;

  /** reset forgets the slots (after a snapshot restore the buckets are other objects). */
  reset(): void {
    this.t = -1;
  }

  /** slot is key's index in b.edgeKeys, appended (with no counts yet) when b does not have it. */
  slot(b: SummaryBucket, key: string): number {
    if (this.t !== b.t || this.len !== b.edgeKeys.length) {
      this.index.clear();
      b.edgeKeys.forEach((k, j) => this.index.set(k, j));
      this.t = b.t;
    }
    let i = this.index.get(key) ?? -1;
    if (i < 0) {
      i = b.edgeKeys.length;
      b.edgeKeys.push(key);
      b.edgeCounts.push(0, 0);
      this.index.set(key, i);
    }
    this.len = b.edgeKeys.length;
    return i;
  }
}

/**
 * addToSummary moves one flush's counts into the bucket of the second now falls in (a new bucket
 * drops those older than SUMMARY_SECONDS): each touched accumulator's (edges "from>to", versions by
 * image; zeroed here), the totals, and the samples up to 50 a bucket.
 */
export function addToSummary(summary: SummaryBucket[], now: number, touched: readonly EdgeAcc[], totals: RequestTotals, samples: readonly RequestSample[], slots: BucketSlots): void {
  const t = Math.floor(now / SUMMARY_BUCKET_MS) * SUMMARY_BUCKET_MS;
  let b = summary[summary.length - 1];
  const fresh = !b || b.t !== t;
  if (!b || b.t !== t) {
    b = { t, total: 0, errors: 0, edgeKeys: [], edgeCounts: [], versions: {}, statuses: {}, samples: [] };
    summary.push(b);
    while (summary.length > 0 && summary[0].t <= t - SUMMARY_SECONDS * 1000) summary.shift();
  }
  for (const a of touched) {
    if (!a.key.includes('>')) {
      const cur = (b.versions[a.key] ??= [0, 0]);
      cur[0] += a.n;
      cur[1] += a.err;
    } else if (fresh) {
      // A new bucket: every accumulator is a distinct edge, append without looking up.
      b.edgeKeys.push(a.key);
      b.edgeCounts.push(a.n, a.err);
    } else {
      const i = slots.slot(b, a.key);
      b.edgeCounts[2 * i] += a.n;
      b.edgeCounts[2 * i + 1] += a.err;
    }
    a.n = 0;
    a.err = 0;
  }
  b.total += totals.n;
  b.errors += totals.err;
  for (const k in totals.statuses) b.statuses[k] = (b.statuses[k] ?? 0) + totals.statuses[k];
  for (const s of samples) if (b.samples.length < 50) b.samples.push(s);
}

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
