import { describe, expect, it } from 'vitest';
import { catchUp, counter, endSeries, histogram, newMetricsState, observe, type MetricsState } from '../metrics.ts';
import { extrapolatedRate, query, type Value } from './eval.ts';
import { parse } from './parser.ts';
import { formatText, formatValue, toApiJson } from './format.ts';

/** build feeds counter values at each 15 s scrape: values[i] is the value scraped at i × 15 s. */
function build(series: { name: string; labels: Record<string, string>; values: number[] }[]): MetricsState {
  const m = newMetricsState();
  const handles = series.map((s) => counter(m, s.name, s.labels));
  const n = Math.max(...series.map((s) => s.values.length));
  for (let i = 0; i < n; i++) {
    series.forEach((s, j) => {
      if (i < s.values.length) handles[j].cur = s.values[i];
    });
    catchUp(m, i * 15_000);
  }
  return m;
}

function vec(v: Value): Record<string, number> {
  if (v.type === 'scalar') return { scalar: v.v };
  if (v.type !== 'vector') throw new Error('not a vector');
  const out: Record<string, number> = {};
  for (const s of v.samples) out[JSON.stringify(s.labels)] = s.v;
  return out;
}

describe('extrapolatedRate (hand-computed)', () => {
  const p = (t: number, v: number) => ({ t: t * 1000, v });
  const rows: [string, ReturnType<typeof p>[], number, number, boolean, boolean, number][] = [
    // 4 samples 15 s apart covering the whole 60 s range, +10 each: increase 30 over 45 s, window 45 + 15 (start within 1.1×15) → 40; rate 40/60.
    ['steady counter', [p(15, 10), p(30, 20), p(45, 30), p(60, 40)], 0, 60_000, true, true, 40 / 60],
    ['increase steady', [p(15, 10), p(30, 20), p(45, 30), p(60, 40)], 0, 60_000, true, false, 40],
    // reset at 45 s: 25 - 10 + 40 = 55 over 45 s; zero point 45 × 10/55 = 8.18 s back; 55 × 53.18/45 = 65.
    ['counter reset', [p(15, 10), p(30, 40), p(45, 5), p(60, 25)], 0, 60_000, true, false, 65],
    ['rate over reset', [p(15, 10), p(30, 40), p(45, 5), p(60, 25)], 0, 60_000, true, true, 65 / 60],
    // start zero-point capping: first value 0 → no extrapolation before the first sample.
    ['starts at zero', [p(30, 0), p(45, 15), p(60, 30)], 0, 60_000, true, false, 30],
    // far from the start (30 s > 1.1 × 15 s): extrapolate half an interval (7.5 s): 20 × 37.5/30 = 25.
    ['gap at start', [p(30, 100), p(45, 110), p(60, 120)], 0, 60_000, true, false, 25],
    // delta is not a counter: a drop is a drop.
    ['delta gauge', [p(15, 10), p(60, 4)], 0, 60_000, false, false, -6 * (60 / 45)],
  ];
  for (const [name, pts, s, e, isCounter, isRate, want] of rows) {
    it(name, () => expect(extrapolatedRate(pts, s, e, isCounter, isRate)).toBeCloseTo(want, 9));
  }
  it('needs two samples', () => expect(extrapolatedRate([p(10, 1)], 0, 60_000, true, true)).toBeUndefined());
});

describe('query', () => {
  const m = build([
    { name: 'http_requests_total', labels: { service: 'web', code: '200' }, values: [0, 10, 20, 30, 40] },
    { name: 'http_requests_total', labels: { service: 'web', code: '500' }, values: [0, 1, 2, 3, 4] },
    { name: 'http_requests_total', labels: { service: 'api', code: '200' }, values: [0, 10, 40, 5, 25] },
  ]);
  const at = 60_000;
  it('instant selector with matchers', () => {
    expect(vec(query(m, 'http_requests_total{service="web",code!="200"}', at))).toEqual({
      [JSON.stringify({ __name__: 'http_requests_total', service: 'web', code: '500' })]: 4,
    });
    expect(Object.keys(vec(query(m, 'http_requests_total{code=~"5.."}', at)))).toHaveLength(1);
    expect(Object.keys(vec(query(m, 'http_requests_total{service!~"w.*"}', at)))).toHaveLength(1);
  });
  it('rate over a reset and sum by', () => {
    // api: 0,10,40,5,25 at 0..60 s, range (0, 60] holds 10,40,5,25 → the "counter reset" row above.
    const v = vec(query(m, 'sum by (service) (rate(http_requests_total[1m]))', at));
    // web: 200s rise 30 over 45 s + 15 s to the start → 40/60; 500s rise 3 → 4/60.
    expect(v[JSON.stringify({ service: 'web' })]).toBeCloseTo(40 / 60 + 4 / 60, 12);
    expect(v[JSON.stringify({ service: 'api' })]).toBeCloseTo(65 / 60, 12);
  });
  it('error ratio arithmetic between vectors', () => {
    const v = vec(query(m, 'sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m]))', at));
    const errors = (3 / 45) * 60 / 60;
    const total = errors + (30 / 45) * 60 / 60 + 65 / 60;
    expect(v['{}']).toBeCloseTo(errors / total, 12);
  });
  it('comparison filters and bool', () => {
    expect(Object.keys(vec(query(m, 'http_requests_total > 10', at)))).toHaveLength(2);
    expect(Object.values(vec(query(m, 'http_requests_total > bool 10', at))).sort()).toEqual([0, 1, 1]);
    expect(vec(query(m, '2 * 3 + 1', at))).toEqual({ scalar: 7 });
  });
  it('irate and increase, count/avg/min/max without', () => {
    expect(Object.values(vec(query(m, 'irate(http_requests_total{service="api"}[1m])', at)))).toEqual([20 / 15]);
    expect(Object.values(vec(query(m, 'increase(http_requests_total{service="web",code="200"}[1m])', at)))[0]).toBeCloseTo(40, 9);
    expect(vec(query(m, 'count without (code) (http_requests_total)', at))).toEqual({ [JSON.stringify({ service: 'api' })]: 1, [JSON.stringify({ service: 'web' })]: 2 });
    expect(Object.values(vec(query(m, 'max(http_requests_total)', at)))).toEqual([40]);
    expect(Object.values(vec(query(m, 'min(http_requests_total) by (service)', at)))).toEqual([4, 25]);
    expect(Object.values(vec(query(m, 'avg(http_requests_total)', at)))).toEqual([23]);
  });
  it('a live series keeps being scraped; an ended one goes stale at once', () => {
    const m2 = build([{ name: 'x', labels: {}, values: [1, 2] }]);
    expect(vec(query(m2, 'x', 600_000))).toEqual({ [JSON.stringify({ __name__: 'x' })]: 2 });
    endSeries(m2, m2.series[0]);
    expect(vec(query(m2, 'x', 615_000))).toEqual({});
  });
  it('parse errors read like Prometheus', () => {
    expect(() => parse('sum(rate(x[1m])')).toThrow('1:16: parse error: unexpected end of input, expected "," or ")"');
    expect(() => parse('{}')).toThrow('vector selector must contain at least one non-empty matcher');
    // Matchers compile with RE2 as Prometheus's do: Go's words for a bad one; (a+)+$ is fine and linear.
    expect(() => parse('x{a=~"("}')).toThrow('1:6: parse error: invalid regular expression "(": error parsing regexp: missing closing ): `(`');
    expect(() => parse('x{a=~"(?<=a)b"}')).toThrow('error parsing regexp: invalid named capture');
    const m = build([{ name: 'x', labels: { a: 'a'.repeat(5000) + '!' }, values: [1] }]);
    expect(vec(query(m, 'x{a=~"(a+)+$|a*a*a*a*b"}', 0))).toEqual({});
    expect(() => parse('x'.repeat(5000))).toThrow('query longer than 4096 characters');
  });
});

describe('histogram_quantile', () => {
  it('interpolates inside the bucket (hand-computed)', () => {
    const m = newMetricsState();
    const h = histogram(m, 'http_request_duration_seconds', { service: 'web' });
    // 100 observations: 50 at 8 ms (≤0.01), 40 at 40 ms (≤0.05), 10 at 200 ms (≤0.25).
    for (let i = 0; i < 50; i++) observe(h, 0.008);
    for (let i = 0; i < 40; i++) observe(h, 0.04);
    for (let i = 0; i < 10; i++) observe(h, 0.2);
    catchUp(m, 0);
    // p90: rank 90 is the top of the ≤0.05 bucket (count 90) → 0.025 + (0.05-0.025) × (40/40) = 0.05.
    // p95: rank 95 in (0.1, 0.25] holding 10 (cumulative 90 → 100): 0.1 + 0.15 × 5/10 = 0.175.
    // p50: rank 50 in (0.005, 0.01] holding 50: 0.005 + 0.005 × 50/50 = 0.01.
    const q = (phi: number) => Object.values(vec(query(m, `histogram_quantile(${phi}, sum by (le) (http_request_duration_seconds_bucket))`, 0)))[0];
    expect(q(0.9)).toBeCloseTo(0.05, 12);
    expect(q(0.95)).toBeCloseTo(0.175, 12);
    expect(q(0.5)).toBeCloseTo(0.01, 12);
    expect(Object.values(vec(query(m, 'http_request_duration_seconds_count', 0)))).toEqual([100]);
  });
});

describe('format', () => {
  it('prints promtool text and API json', () => {
    const m = build([{ name: 'up', labels: { job: 'web', instance: 'a' }, values: [1] }]);
    const v = query(m, 'up', 0);
    expect(formatText(v, 0)).toBe('up{instance="a", job="web"} => 1 @[1735689600.000]');
    expect(toApiJson(v, 0)).toEqual({
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: { __name__: 'up', instance: 'a', job: 'web' }, value: [1735689600, '1'] }] },
    });
    expect(formatValue(1e-7)).toBe('0.0000001');
    expect(formatValue(Infinity)).toBe('+Inf');
  });
});
