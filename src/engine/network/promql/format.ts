/**
 * format prints query results as Prometheus' tools do: text like promtool / model.Vector.String()
 * (`name{a="x", b="y"} => 1.5 @[1735689660]`), and `-o json` as the HTTP API's /api/v1/query body.
 */
import { EPOCH_MS } from '../../clock.ts';
import type { Labels } from '../metrics.ts';
import type { Value } from './eval.ts';

/** formatValue writes a float as Go's strconv.FormatFloat(v, 'f', -1, 64), with +Inf/-Inf/NaN. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const s = String(v);
  if (!s.includes('e')) return s;
  // Expand exponent notation without losing the shortest round-trip digits.
  const [mant, expStr] = s.split('e');
  const exp = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const pointAt = (mant.replace('-', '').indexOf('.') < 0 ? mant.replace('-', '').length : mant.replace('-', '').indexOf('.')) + exp;
  const body = pointAt <= 0 ? '0.' + '0'.repeat(-pointAt) + digits : pointAt >= digits.length ? digits + '0'.repeat(pointAt - digits.length) : digits.slice(0, pointAt) + '.' + digits.slice(pointAt);
  return (neg ? '-' : '') + body;
}

/** formatMetric writes a label set as model.Metric.String(): name{a="x", b="y"}, labels sorted. */
export function formatMetric(l: Labels): string {
  const name = l.__name__ ?? '';
  const keys = Object.keys(l)
    .filter((k) => k !== '__name__')
    .sort();
  if (keys.length === 0) return name || '{}';
  return `${name}{${keys.map((k) => `${k}=${JSON.stringify(l[k])}`).join(', ')}}`;
}

/** unixSeconds is the simulated instant as Unix seconds (the engine's epoch plus the virtual clock). */
export function unixSeconds(ms: number): number {
  return (EPOCH_MS + ms) / 1000;
}

function ts(ms: number): string {
  return unixSeconds(ms).toFixed(3);
}

/** formatText prints a result the way promtool query instant does: one line per sample. */
export function formatText(v: Value, timeMs: number): string {
  switch (v.type) {
    case 'scalar':
      return `scalar: ${formatValue(v.v)} @[${ts(timeMs)}]`;
    case 'string':
      return `string: ${v.v} @[${ts(timeMs)}]`;
    case 'vector':
      return v.samples.map((s) => `${formatMetric(s.labels)} => ${formatValue(s.v)} @[${ts(timeMs)}]`).join('\n');
    case 'matrix':
      return v.series
        .map((s) => `${formatMetric(s.labels)} =>\n${s.points.map((p) => `${formatValue(p.v)} @[${ts(p.t)}]`).join('\n')}`)
        .join('\n');
  }
}

/** toApiJson is the Prometheus HTTP API body for an instant query. */
export function toApiJson(v: Value, timeMs: number): unknown {
  const t = unixSeconds(timeMs);
  switch (v.type) {
    case 'scalar':
      return { status: 'success', data: { resultType: 'scalar', result: [t, formatValue(v.v)] } };
    case 'string':
      return { status: 'success', data: { resultType: 'string', result: [t, v.v] } };
    case 'vector':
      return { status: 'success', data: { resultType: 'vector', result: v.samples.map((s) => ({ metric: sorted(s.labels), value: [t, formatValue(s.v)] })) } };
    case 'matrix':
      return {
        status: 'success',
        data: { resultType: 'matrix', result: v.series.map((s) => ({ metric: sorted(s.labels), values: s.points.map((p) => [unixSeconds(p.t), formatValue(p.v)]) })) },
      };
  }
}

function sorted(l: Labels): Labels {
  const out: Labels = {};
  if (l.__name__ !== undefined) out.__name__ = l.__name__;
  for (const k of Object.keys(l).sort()) if (k !== '__name__') out[k] = l[k];
  return out;
}

/** apiError is the HTTP API's error body (errorType bad_data for parse errors, execution otherwise). */
export function apiError(errorType: 'bad_data' | 'execution', error: string): unknown {
  return { status: 'error', errorType, error };
}
