/**
 * eval evaluates a PromQL AST at one instant over the simulated metrics (promql/engine.go and
 * functions.go, the subset Kubeplay needs): instant and range selectors with the 5 m lookback,
 * rate/increase/delta with Prometheus' extrapolation and counter-reset correction, irate/idelta,
 * *_over_time, histogram_quantile, aggregations, arithmetic/comparison/set operators with vector
 * matching, and a few math functions.
 */
import { catchUp, latestAt, samplesIn, type Labels, type MetricsState, type Point, type Series } from '../metrics.ts';
import { anchored, COMPARISON, parse, type Expr, type Matcher, type VectorMatching } from './parser.ts';
import { maxOf, minOf } from '../../arrays.ts';

export interface Sample {
  labels: Labels;
  v: number;
}

export type Value =
  | { type: 'scalar'; v: number }
  | { type: 'string'; v: string }
  | { type: 'vector'; samples: Sample[] }
  | { type: 'matrix'; series: { labels: Labels; points: Point[] }[] };

/** EvalError is a runtime error (wrong argument types, duplicate series …). */
export class EvalError extends Error {}

/** query parses and evaluates expr at timeMs over the metrics state. */
export function query(m: MetricsState, expr: string, timeMs: number): Value {
  catchUp(m, timeMs);
  return evaluate(parse(expr), m, timeMs);
}

export function evaluate(e: Expr, m: MetricsState, t: number): Value {
  return new Evaluator(m, t).eval(e);
}

function matches(series: Series, matchers: Matcher[]): boolean {
  for (const mt of matchers) {
    const v = series.labels[mt.name] ?? '';
    switch (mt.op) {
      case '=':
        if (v !== mt.value) return false;
        break;
      case '!=':
        if (v === mt.value) return false;
        break;
      case '=~':
        if (!(mt.re ?? anchored(mt.value)).test(v)) return false;
        break;
      case '!~':
        if ((mt.re ?? anchored(mt.value)).test(v)) return false;
        break;
    }
  }
  return true;
}

function dropName(l: Labels): Labels {
  if (!('__name__' in l)) return l;
  const { __name__: _n, ...rest } = l;
  return rest;
}

function signature(l: Labels, m: VectorMatching | undefined): string {
  const keys = Object.keys(l)
    .filter((k) => k !== '__name__')
    .filter((k) => (m ? (m.on ? m.labels.includes(k) : !m.labels.includes(k)) : true))
    .sort();
  return keys.map((k) => `${k}\u0000${l[k]}`).join('\u0001');
}

const ARITH: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
  '^': (a, b) => Math.pow(a, b),
  atan2: (a, b) => Math.atan2(a, b),
  '==': (a, b) => (a === b ? 1 : 0),
  '!=': (a, b) => (a !== b ? 1 : 0),
  '>': (a, b) => (a > b ? 1 : 0),
  '<': (a, b) => (a < b ? 1 : 0),
  '>=': (a, b) => (a >= b ? 1 : 0),
  '<=': (a, b) => (a <= b ? 1 : 0),
};

class Evaluator {
  constructor(
    private m: MetricsState,
    private t: number,
  ) {}

  eval(e: Expr): Value {
    switch (e.type) {
      case 'number':
        return { type: 'scalar', v: e.value };
      case 'string':
        return { type: 'string', v: e.value };
      case 'paren':
        return this.eval(e.expr);
      case 'selector': {
        const at = this.t - e.offsetMs;
        const samples: Sample[] = [];
        for (const s of this.m.series) {
          if (!matches(s, e.matchers)) continue;
          const p = latestAt(s, at);
          if (p) samples.push({ labels: s.labels, v: p.v });
        }
        return { type: 'vector', samples };
      }
      case 'matrix': {
        const end = this.t - e.selector.offsetMs;
        const series: { labels: Labels; points: Point[] }[] = [];
        for (const s of this.m.series) {
          if (!matches(s, e.selector.matchers)) continue;
          const points = samplesIn(s, end - e.rangeMs, end);
          if (points.length) series.push({ labels: s.labels, points });
        }
        return { type: 'matrix', series };
      }
      case 'unary': {
        const v = this.eval(e.expr);
        if (e.op === '+') return v;
        if (v.type === 'scalar') return { type: 'scalar', v: -v.v };
        if (v.type === 'vector') return { type: 'vector', samples: v.samples.map((s) => ({ labels: dropName(s.labels), v: -s.v })) };
        throw new EvalError('unary expression only allowed on expressions of type scalar or instant vector');
      }
      case 'call':
        return this.call(e.func, e.args);
      case 'aggregate':
        return this.aggregate(e);
      case 'binary':
        return this.binary(e.op, this.eval(e.lhs), this.eval(e.rhs), e.bool, e.matching);
    }
  }

  private vector(e: Expr, what: string): Sample[] {
    const v = this.eval(e);
    if (v.type !== 'vector') throw new EvalError(`expected type instant vector in ${what}, got ${typeName(v)}`);
    return v.samples;
  }

  private scalar(e: Expr, what: string): number {
    const v = this.eval(e);
    if (v.type !== 'scalar') throw new EvalError(`expected type scalar in ${what}, got ${typeName(v)}`);
    return v.v;
  }

  private matrix(e: Expr, fn: string): { labels: Labels; points: Point[] }[] {
    if (e.type !== 'matrix') throw new EvalError(`expected type range vector in call to function "${fn}", got ${typeName(this.eval(e))}`);
    return (this.eval(e) as Extract<Value, { type: 'matrix' }>).series;
  }

  private call(fn: string, args: Expr[]): Value {
    const arity = (n: number) => {
      if (args.length !== n) throw new EvalError(`expected ${n} argument(s) in call to "${fn}", got ${args.length}`);
    };
    const perSeries = (f: (p: Point[], range: Expr & { type: 'matrix' }) => number | undefined): Value => {
      arity(1);
      const out: Sample[] = [];
      for (const s of this.matrix(args[0], fn)) {
        const v = f(s.points, args[0] as Expr & { type: 'matrix' });
        if (v !== undefined) out.push({ labels: dropName(s.labels), v });
      }
      return { type: 'vector', samples: out };
    };
    const math = (f: (v: number) => number): Value => {
      arity(1);
      return { type: 'vector', samples: this.vector(args[0], `call to function "${fn}"`).map((s) => ({ labels: dropName(s.labels), v: f(s.v) })) };
    };
    switch (fn) {
      case 'rate':
      case 'increase':
      case 'delta':
        return perSeries((p, r) => extrapolatedRate(p, this.t - r.selector.offsetMs - r.rangeMs, this.t - r.selector.offsetMs, fn !== 'delta', fn === 'rate'));
      case 'irate':
      case 'idelta':
        return perSeries((p) => instantValue(p, fn === 'irate'));
      case 'sum_over_time':
        return perSeries((p) => p.reduce((a, x) => a + x.v, 0));
      case 'avg_over_time':
        return perSeries((p) => p.reduce((a, x) => a + x.v, 0) / p.length);
      case 'max_over_time':
        return perSeries((p) => maxOf(p.map((x) => x.v)));
      case 'min_over_time':
        return perSeries((p) => minOf(p.map((x) => x.v)));
      case 'count_over_time':
        return perSeries((p) => p.length);
      case 'last_over_time':
        return perSeries((p) => p[p.length - 1].v);
      case 'histogram_quantile': {
        arity(2);
        const q = this.scalar(args[0], 'call to function "histogram_quantile"');
        return { type: 'vector', samples: histogramQuantile(q, this.vector(args[1], 'call to function "histogram_quantile"')) };
      }
      case 'abs':
        return math(Math.abs);
      case 'ceil':
        return math(Math.ceil);
      case 'floor':
        return math(Math.floor);
      case 'sqrt':
        return math(Math.sqrt);
      case 'exp':
        return math(Math.exp);
      case 'ln':
        return math(Math.log);
      case 'log2':
        return math(Math.log2);
      case 'log10':
        return math(Math.log10);
      case 'round': {
        if (args.length === 2) {
          const to = this.scalar(args[1], 'call to function "round"');
          return { type: 'vector', samples: this.vector(args[0], 'call to function "round"').map((s) => ({ labels: dropName(s.labels), v: Math.floor(s.v / to + 0.5) * to })) };
        }
        return math((v) => Math.floor(v + 0.5));
      }
      case 'clamp_min':
      case 'clamp_max': {
        arity(2);
        const b = this.scalar(args[1], `call to function "${fn}"`);
        const f = fn === 'clamp_min' ? (v: number) => Math.max(v, b) : (v: number) => Math.min(v, b);
        return { type: 'vector', samples: this.vector(args[0], `call to function "${fn}"`).map((s) => ({ labels: dropName(s.labels), v: f(s.v) })) };
      }
      case 'scalar': {
        arity(1);
        const v = this.vector(args[0], 'call to function "scalar"');
        return { type: 'scalar', v: v.length === 1 ? v[0].v : NaN };
      }
      case 'vector':
        arity(1);
        return { type: 'vector', samples: [{ labels: {}, v: this.scalar(args[0], 'call to function "vector"') }] };
      case 'time':
        arity(0);
        return { type: 'scalar', v: this.t / 1000 };
      case 'absent': {
        arity(1);
        const v = this.eval(args[0]);
        const empty = v.type === 'vector' ? v.samples.length === 0 : v.type === 'matrix' ? v.series.length === 0 : false;
        return { type: 'vector', samples: empty ? [{ labels: {}, v: 1 }] : [] };
      }
      case 'sort':
      case 'sort_desc': {
        arity(1);
        const v = [...this.vector(args[0], `call to function "${fn}"`)];
        v.sort((a, b) => (fn === 'sort' ? a.v - b.v : b.v - a.v));
        return { type: 'vector', samples: v };
      }
      default:
        throw new EvalError(`unknown function with name "${fn}"`);
    }
  }

  private aggregate(e: Extract<Expr, { type: 'aggregate' }>): Value {
    const input = this.vector(e.expr, `aggregation expression`);
    const groups = new Map<string, { labels: Labels; samples: Sample[] }>();
    for (const s of input) {
      const labels: Labels = {};
      for (const k of Object.keys(s.labels).sort()) {
        if (k === '__name__') continue;
        if (e.without ? e.grouping.includes(k) : !e.grouping.includes(k)) continue;
        labels[k] = s.labels[k];
      }
      const key = signature(labels, undefined);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { labels, samples: [] }));
      g.samples.push(s);
    }
    const out: Sample[] = [];
    const param = e.param ? this.scalar(e.param, 'aggregation parameter') : 0;
    for (const g of groups.values()) {
      const vs = g.samples.map((s) => s.v);
      switch (e.op) {
        case 'sum':
          out.push({ labels: g.labels, v: vs.reduce((a, b) => a + b, 0) });
          break;
        case 'avg':
          out.push({ labels: g.labels, v: vs.reduce((a, b) => a + b, 0) / vs.length });
          break;
        case 'min':
          out.push({ labels: g.labels, v: vs.reduce((a, b) => (Number.isNaN(a) || b < a ? b : a)) });
          break;
        case 'max':
          out.push({ labels: g.labels, v: vs.reduce((a, b) => (Number.isNaN(a) || b > a ? b : a)) });
          break;
        case 'count':
          out.push({ labels: g.labels, v: vs.length });
          break;
        case 'group':
          out.push({ labels: g.labels, v: 1 });
          break;
        case 'stddev':
        case 'stdvar': {
          const mean = vs.reduce((a, b) => a + b, 0) / vs.length;
          const variance = vs.reduce((a, b) => a + (b - mean) ** 2, 0) / vs.length;
          out.push({ labels: g.labels, v: e.op === 'stddev' ? Math.sqrt(variance) : variance });
          break;
        }
        case 'quantile':
          out.push({ labels: g.labels, v: quantile(param, vs) });
          break;
        case 'topk':
        case 'bottomk': {
          const sorted = [...g.samples].sort((a, b) => (e.op === 'topk' ? b.v - a.v : a.v - b.v));
          for (const s of sorted.slice(0, Math.max(0, Math.floor(param)))) out.push(s);
          break;
        }
        default:
          throw new EvalError(`aggregation ${e.op} is not supported by Kubeplay`);
      }
    }
    return { type: 'vector', samples: out };
  }

  private binary(op: string, l: Value, r: Value, bool: boolean, matching?: VectorMatching): Value {
    const f = ARITH[op];
    const cmp = COMPARISON.has(op);
    if (l.type === 'scalar' && r.type === 'scalar') {
      if (cmp && !bool) throw new EvalError('comparisons between scalars must use BOOL modifier');
      return { type: 'scalar', v: f(l.v, r.v) };
    }
    if (op === 'and' || op === 'or' || op === 'unless') {
      if (l.type !== 'vector' || r.type !== 'vector') throw new EvalError(`set operator "${op}" not allowed in binary scalar expression`);
      const rs = new Set(r.samples.map((s) => signature(s.labels, matching)));
      if (op === 'and') return { type: 'vector', samples: l.samples.filter((s) => rs.has(signature(s.labels, matching))) };
      if (op === 'unless') return { type: 'vector', samples: l.samples.filter((s) => !rs.has(signature(s.labels, matching))) };
      const ls = new Set(l.samples.map((s) => signature(s.labels, matching)));
      return { type: 'vector', samples: [...l.samples, ...r.samples.filter((s) => !ls.has(signature(s.labels, matching)))] };
    }
    if (!f) throw new EvalError(`unknown operator ${op}`);
    const keepName = cmp && !bool;
    if (l.type === 'vector' && r.type === 'scalar') return { type: 'vector', samples: this.vs(l.samples, r.v, f, cmp, bool, keepName, false) };
    if (l.type === 'scalar' && r.type === 'vector') return { type: 'vector', samples: this.vs(r.samples, l.v, f, cmp, bool, keepName, true) };
    if (l.type !== 'vector' || r.type !== 'vector') throw new EvalError(`binary expression must contain only scalar and instant vector types`);
    const card = matching?.card ?? 'one-to-one';
    const [one, many, swap] = card === 'one-to-many' ? [l.samples, r.samples, true] : [r.samples, l.samples, false];
    const bySig = new Map<string, Sample>();
    for (const s of one) {
      const sig = signature(s.labels, matching);
      if (bySig.has(sig)) {
        throw new EvalError(`found duplicate series for the match group ${fmtSig(s.labels, matching)} on the ${swap ? 'left' : 'right'} hand-side of the operation; many-to-many matching not allowed: matching labels must be unique on one side`);
      }
      bySig.set(sig, s);
    }
    const out: Sample[] = [];
    const seen = new Set<string>();
    for (const s of many) {
      const sig = signature(s.labels, matching);
      const o = bySig.get(sig);
      if (!o) continue;
      if (card === 'one-to-one') {
        if (seen.has(sig)) throw new EvalError(`found duplicate series for the match group ${fmtSig(s.labels, matching)} on the left hand-side of the operation; many-to-many matching not allowed: matching labels must be unique on one side`);
        seen.add(sig);
      }
      const [a, b] = swap ? [o, s] : [s, o];
      const v = f(a.v, b.v);
      if (cmp && !bool && v === 0) continue;
      let labels: Labels;
      if (card === 'one-to-one') {
        labels = keepName ? a.labels : dropName(a.labels);
        if (matching?.on) {
          labels = {};
          for (const k of matching.labels) if (a.labels[k] !== undefined) labels[k] = a.labels[k];
        }
      } else {
        labels = { ...(keepName ? s.labels : dropName(s.labels)) };
        for (const k of matching!.include) {
          if (o.labels[k] !== undefined) labels[k] = o.labels[k];
          else delete labels[k];
        }
      }
      out.push({ labels, v: cmp && !bool ? a.v : v });
    }
    return { type: 'vector', samples: out };
  }

  private vs(samples: Sample[], sc: number, f: (a: number, b: number) => number, cmp: boolean, bool: boolean, keepName: boolean, scalarLeft: boolean): Sample[] {
    const out: Sample[] = [];
    for (const s of samples) {
      const v = scalarLeft ? f(sc, s.v) : f(s.v, sc);
      if (cmp && !bool) {
        if (v !== 0) out.push({ labels: keepName ? s.labels : dropName(s.labels), v: s.v });
      } else out.push({ labels: dropName(s.labels), v });
    }
    return out;
  }
}

function fmtSig(l: Labels, m: VectorMatching | undefined): string {
  const keys = Object.keys(l)
    .filter((k) => k !== '__name__' && (m ? (m.on ? m.labels.includes(k) : !m.labels.includes(k)) : true))
    .sort();
  return `{${keys.map((k) => `${k}="${l[k]}"`).join(', ')}}`;
}

function typeName(v: Value): string {
  return v.type === 'vector' ? 'instant vector' : v.type === 'matrix' ? 'range vector' : v.type;
}

/**
 * extrapolatedRate is Prometheus' rate/increase/delta (promql/functions.go extrapolatedRate):
 * the difference between the last and first samples, plus every value before a drop for counters
 * (a counter reset), extrapolated towards the range boundaries when the first/last samples lie
 * within 1.1 average sample intervals of them (else by half an interval), and for counters never
 * below the point where the counter would have been zero. rate divides by the range in seconds.
 *
 * Example: samples 10@15s, 40@30s, 5@45s (reset), 25@60s in a 1m range ending at 60s: the increase
 * is 25 - 10 + 40 = 55 over 45 s sampled; the first sample is 15 s after the range start (< 1.1 × 15 s)
 * but the zero point is only 45 × 10/55 = 8.18 s before it, so the window is 45 + 8.18 = 53.18 s and
 * increase = 55 × 53.18/45 = 65, rate = 65/60 = 1.0833/s.
 */
export function extrapolatedRate(points: Point[], rangeStart: number, rangeEnd: number, isCounter: boolean, isRate: boolean): number | undefined {
  if (points.length < 2) return undefined;
  const first = points[0];
  const last = points[points.length - 1];
  let result = last.v - first.v;
  if (isCounter) {
    let prev = first.v;
    for (const p of points) {
      if (p.v < prev) result += prev;
      prev = p.v;
    }
  }
  let durationToStart = (first.t - rangeStart) / 1000;
  const durationToEnd = (rangeEnd - last.t) / 1000;
  const sampledInterval = (last.t - first.t) / 1000;
  const avg = sampledInterval / (points.length - 1);
  if (isCounter && result > 0 && first.v >= 0) {
    const durationToZero = sampledInterval * (first.v / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = avg * 1.1;
  let interval = sampledInterval;
  interval += durationToStart < threshold ? durationToStart : avg / 2;
  interval += durationToEnd < threshold ? durationToEnd : avg / 2;
  let factor = interval / sampledInterval;
  if (isRate) factor /= (rangeEnd - rangeStart) / 1000;
  return result * factor;
}

/** instantValue is irate/idelta: the last two samples (a drop counts as a reset for irate). */
export function instantValue(points: Point[], isRate: boolean): number | undefined {
  if (points.length < 2) return undefined;
  const a = points[points.length - 2];
  const b = points[points.length - 1];
  let d = isRate && b.v < a.v ? b.v : b.v - a.v;
  const dt = b.t - a.t;
  if (dt === 0) return undefined;
  if (isRate) d /= dt / 1000;
  return d;
}

/** quantile is the φ-quantile with linear interpolation (aggregation `quantile`). */
function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const v = [...values].sort((a, b) => a - b);
  const rank = q * (v.length - 1);
  const lo = Math.max(0, Math.floor(rank));
  const hi = Math.min(v.length - 1, lo + 1);
  const w = rank - Math.floor(rank);
  return v[lo] * (1 - w) + v[hi] * w;
}

/**
 * histogramQuantile is histogram_quantile over classic `le` buckets (promql/quantile.go
 * bucketQuantile): group by labels without le, sort by bound, make counts monotonic, find the bucket
 * holding rank = q × total and interpolate linearly inside it; the +Inf bucket answers the upper bound
 * of the second-highest bucket.
 */
export function histogramQuantile(q: number, input: Sample[]): Sample[] {
  const groups = new Map<string, { labels: Labels; buckets: { le: number; count: number }[] }>();
  for (const s of input) {
    const leStr = s.labels.le;
    if (leStr === undefined) continue;
    const le = leStr === '+Inf' ? Infinity : Number(leStr);
    if (Number.isNaN(le)) continue;
    const labels = dropName(s.labels);
    const { le: _le, ...rest } = labels;
    const key = signature(rest, undefined);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { labels: rest, buckets: [] }));
    g.buckets.push({ le, count: s.v });
  }
  const out: Sample[] = [];
  for (const g of groups.values()) out.push({ labels: g.labels, v: bucketQuantile(q, g.buckets) });
  return out;
}

function bucketQuantile(q: number, raw: { le: number; count: number }[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const b = [...raw].sort((x, y) => x.le - y.le);
  if (b.length === 0 || b[b.length - 1].le !== Infinity) return NaN;
  for (let i = 1; i < b.length; i++) if (b[i].count < b[i - 1].count) b[i].count = b[i - 1].count;
  if (b.length < 2) return NaN;
  const total = b[b.length - 1].count;
  if (total === 0) return NaN;
  let rank = q * total;
  let i = b.findIndex((x) => x.count >= rank);
  if (i < 0) i = b.length - 1;
  if (i === b.length - 1) return b[b.length - 2].le;
  if (i === 0 && b[0].le <= 0) return b[0].le;
  let start = 0;
  const end = b[i].le;
  let count = b[i].count;
  if (i > 0) {
    start = b[i - 1].le;
    count -= b[i - 1].count;
    rank -= b[i - 1].count;
  }
  return start + (end - start) * (rank / count);
}
