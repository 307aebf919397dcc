/**
 * Metrics in Prometheus' data model, kept as pre-aggregated counters and histograms whose time series
 * are sampled every SCRAPE_INTERVAL_MS of virtual time, as a Prometheus scraping every 15 s would
 * see them. Requests bump counters in place (no per-request samples); scrapes are recorded lazily
 * ("catch up") before a counter changes, a series ends, or a query reads, which gives the same samples
 * a periodic scrape would without a timer that keeps the cluster busy forever.
 *
 * All state is plain JSON inside sim.moduleState('network').metrics, so snapshots carry it.
 */

export const SCRAPE_INTERVAL_MS = 15_000;

/** DEFAULT_BUCKETS are the Prometheus client libraries' default histogram buckets (seconds). */
export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type Labels = Record<string, string>;

/** Series is one time series: its labels (with __name__), its current value and its scraped samples. */
export interface Series {
  labels: Labels;
  /** cur is the live value (what the next scrape records). */
  cur: number;
  /** first is the scrape index of values[0]; sample i is at (first + i) * SCRAPE_INTERVAL_MS. */
  first: number;
  values: number[];
  /** end is the scrape index from which the series is stale (its target went away). */
  end?: number;
}

/** Histogram keeps per-bucket (non-cumulative) counts; scrapes write the cumulative _bucket series. */
export interface Histogram {
  bounds: number[];
  counts: number[];
  sum: number;
  count: number;
  /** series indexes: one _bucket per bound plus +Inf, then _sum and _count. */
  buckets: number[];
  sumSeries: number;
  countSeries: number;
}

export interface MetricsState {
  /** scraped is the index of the next scrape to record. */
  scraped: number;
  series: Series[];
  byKey: Record<string, number>;
  histograms: Histogram[];
  histByKey: Record<string, number>;
}

export function newMetricsState(): MetricsState {
  return { scraped: 0, series: [], byKey: {}, histograms: [], histByKey: {} };
}

/** seriesKey is a canonical string for a label set (sorted label names). */
export function seriesKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',');
}

/** catchUp records every scrape due at or before nowMs (each live series' current value). */
export function catchUp(m: MetricsState, nowMs: number): void {
  const due = Math.floor(nowMs / SCRAPE_INTERVAL_MS);
  if (m.scraped > due) return;
  for (const h of m.histograms) materialize(m, h);
  const list = m.series;
  while (m.scraped <= due) {
    const idx = m.scraped;
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      if (s.end !== undefined && s.end <= idx) continue;
      if (idx >= s.first) s.values.push(s.cur);
    }
    m.scraped++;
  }
}

function materialize(m: MetricsState, h: Histogram): void {
  let acc = 0;
  for (let i = 0; i < h.buckets.length; i++) {
    acc += h.counts[i];
    m.series[h.buckets[i]].cur = acc;
  }
  m.series[h.sumSeries].cur = h.sum;
  m.series[h.countSeries].cur = h.count;
}

/** counter returns (creating) the series for a metric name and labels. New series start at the next scrape. */
export function counter(m: MetricsState, name: string, labels: Labels): Series {
  const full = { __name__: name, ...labels };
  const key = seriesKey(full);
  const i = m.byKey[key];
  if (i !== undefined) {
    const s = m.series[i];
    if (s.end !== undefined) {
      // The target came back (same labels): a fresh series from the next scrape, counting from 0.
      s.end = undefined;
      s.cur = 0;
      if (s.values.length === 0) s.first = m.scraped;
      else {
        // Keep history contiguous by back-filling nothing: samples resume at the next scrape.
        const gap = m.scraped - (s.first + s.values.length);
        for (let g = 0; g < gap; g++) s.values.push(NaN); // NaN marks missing (stale) samples
      }
    }
    return s;
  }
  const s: Series = { labels: full, cur: 0, first: m.scraped, values: [], end: undefined };
  m.byKey[key] = m.series.length;
  m.series.push(s);
  return s;
}

/** histogram returns (creating) a histogram named name with the default buckets. */
export function histogram(m: MetricsState, name: string, labels: Labels, bounds = DEFAULT_BUCKETS): Histogram {
  const key = seriesKey({ __name__: name, ...labels });
  const i = m.histByKey[key];
  if (i !== undefined) return m.histograms[i];
  const idx = (s: Series) => m.byKey[seriesKey(s.labels)];
  const buckets = [...bounds.map((b) => formatLe(b)), '+Inf'].map((le) => idx(counter(m, name + '_bucket', { ...labels, le })));
  const h: Histogram = {
    bounds,
    counts: new Array(bounds.length + 1).fill(0),
    sum: 0,
    count: 0,
    buckets,
    sumSeries: idx(counter(m, name + '_sum', labels)),
    countSeries: idx(counter(m, name + '_count', labels)),
  };
  m.histByKey[key] = m.histograms.length;
  m.histograms.push(h);
  return h;
}

/** observe adds one observation (seconds) to a histogram. */
export function observe(h: Histogram, v: number): void {
  const b = h.bounds;
  let i = 0;
  while (i < b.length && v > b[i]) i++;
  h.counts[i]++;
  h.sum += v;
  h.count++;
}

/** formatLe writes a bucket bound as the Go client does ("0.005", "1", "2.5"). */
export function formatLe(b: number): string {
  return String(b);
}

/** endSeries marks series stale from the next scrape (call catchUp first). */
export function endSeries(m: MetricsState, s: Series): void {
  s.end = m.scraped;
}

/** Sample is one point (ms, value). */
export interface Point {
  t: number;
  v: number;
}

/**
 * samplesIn returns a series' samples with start < t <= end (Prometheus 3's left-open range), stale
 * gaps skipped.
 */
export function samplesIn(s: Series, startMs: number, endMs: number): Point[] {
  const out: Point[] = [];
  const lo = Math.max(s.first, Math.floor(startMs / SCRAPE_INTERVAL_MS) - 1);
  const last = s.first + s.values.length - 1;
  const hi = Math.min(last, Math.floor(endMs / SCRAPE_INTERVAL_MS));
  for (let i = lo; i <= hi; i++) {
    const t = i * SCRAPE_INTERVAL_MS;
    if (t <= startMs || t > endMs) continue;
    const v = s.values[i - s.first];
    if (Number.isNaN(v)) continue;
    out.push({ t, v });
  }
  return out;
}

/** LOOKBACK_MS is Prometheus' default lookback delta for instant selectors (5 m). */
export const LOOKBACK_MS = 300_000;

/** latestAt is what an instant selector sees at t: the newest sample in (t-5m, t], unless stale. */
export function latestAt(s: Series, tMs: number): Point | undefined {
  const idx = Math.floor(tMs / SCRAPE_INTERVAL_MS);
  if (s.end !== undefined && s.end <= idx) return undefined;
  const last = s.first + s.values.length - 1;
  for (let i = Math.min(idx, last); i >= s.first; i--) {
    const t = i * SCRAPE_INTERVAL_MS;
    if (t <= tMs - LOOKBACK_MS) return undefined;
    const v = s.values[i - s.first];
    if (!Number.isNaN(v)) return { t, v };
    return undefined; // a stale marker hides older samples
  }
  return undefined;
}
