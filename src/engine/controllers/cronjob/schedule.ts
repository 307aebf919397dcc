/**
 * schedule.ts: the cron syntax CronJobs accept (github.com/robfig/cron/v3 ParseStandard, as
 * pkg/apis/batch/validation and the cronjob controller use it): five fields (minute hour
 * day-of-month month day-of-week) with `*`, `?`, lists, ranges, `/step`, month and weekday names,
 * and the descriptors @yearly @annually @monthly @weekly @daily @midnight @hourly and @every <duration>.
 * Times are UTC (the engine has no time-zone database; spec.timeZone other than UTC/Etc/UTC is refused).
 */
import { EPOCH_MS } from '../../clock.ts';

export type Schedule = { kind: 'spec'; minute: bigint; hour: bigint; dom: bigint; month: bigint; dow: bigint; star: { dom: boolean; dow: boolean } } | { kind: 'every'; ms: number };

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DOWS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const FIELDS: Bounds[] = [{ min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 }, { min: 1, max: 12, names: MONTHS }, { min: 0, max: 6, names: DOWS }];

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

function parseValue(s: string, b: Bounds): number {
  const named = b.names?.[s.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(s)) throw new Error(`failed to parse int from ${s}: strconv.Atoi: parsing "${s}": invalid syntax`);
  return parseInt(s, 10);
}

/** parseField is getField/getRange: a comma list of `*`/`?`, `a`, `a-b`, each with an optional `/step`. */
function parseField(field: string, b: Bounds): { bits: bigint; star: boolean } {
  let bits = 0n;
  let star = false;
  for (const expr of field.split(',')) {
    const [range, stepS, ...more] = expr.split('/');
    if (more.length) throw new Error(`too many slashes: ${expr}`);
    let start: number;
    let end: number;
    let isStar = false;
    const lowHigh = range.split('-');
    if (lowHigh.length > 2) throw new Error(`too many hyphens: ${expr}`);
    if (range === '*' || range === '?') {
      start = b.min;
      end = b.max;
      isStar = true;
    } else {
      start = parseValue(lowHigh[0], b);
      end = lowHigh.length === 2 ? parseValue(lowHigh[1], b) : start;
    }
    let step = 1;
    if (stepS !== undefined) {
      step = parseValue(stepS, { min: 0, max: 0 });
      if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
      // "N/step" means "N-max/step".
      if (lowHigh.length === 1 && !isStar) end = b.max;
      if (step > 1) isStar = false;
    }
    if (start < b.min) throw new Error(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
    if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): ${expr}`);
    if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
    for (let i = start; i <= end; i += step) bits |= 1n << BigInt(i);
    if (isStar) star = true;
  }
  return { bits, star };
}

/** parseGoDuration reads time.ParseDuration's forms used with @every ("1h30m", "90s", "500ms"). */
function parseGoDuration(s: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  while ((m = re.exec(s))) {
    total += parseFloat(m[1]) * unit[m[2]];
    pos = re.lastIndex;
  }
  if (pos !== s.length || s.length === 0) return undefined;
  return total;
}

/** parseSchedule is cron.ParseStandard; throws with robfig's error text. */
export function parseSchedule(spec: string): Schedule {
  const s = spec.trim();
  if (s.length === 0) throw new Error('empty spec string');
  if (s.startsWith('TZ=') || s.startsWith('CRON_TZ=')) throw new Error('CRON_TZ or TZ used in schedule is not supported, please use timeZone instead');
  if (s.startsWith('@')) {
    if (s.startsWith('@every ')) {
      const d = parseGoDuration(s.slice(7).trim());
      if (d === undefined) throw new Error(`failed to parse duration ${s}`);
      // ConstantDelaySchedule rounds the delay down to whole seconds, at least one second.
      return { kind: 'every', ms: Math.max(1000, Math.floor(d / 1000) * 1000) };
    }
    const d = DESCRIPTORS[s];
    if (!d) throw new Error(`unrecognized descriptor: ${s}`);
    return parseSchedule(d);
  }
  const fields = s.split(/\s+/);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: ${s}`);
  const [minute, hour, dom, month, dow] = fields.map((f, i) => parseField(f, FIELDS[i]));
  return { kind: 'spec', minute: minute.bits, hour: hour.bits, dom: dom.bits, month: month.bits, dow: dow.bits, star: { dom: dom.star, dow: dow.star } };
}

const has = (bits: bigint, i: number) => (bits & (1n << BigInt(i))) !== 0n;

/** dayMatches is dayMatches: with either day field a star, both must match; otherwise either may. */
function dayMatches(s: Extract<Schedule, { kind: 'spec' }>, d: Date): boolean {
  const domMatch = has(s.dom, d.getUTCDate());
  const dowMatch = has(s.dow, d.getUTCDay());
  if (s.star.dom || s.star.dow) return domMatch && dowMatch;
  return domMatch || dowMatch;
}

/**
 * next is SpecSchedule.Next in UTC: the first activation strictly after simMs (sim milliseconds;
 * the wall time is EPOCH_MS + simMs), or undefined if none within five years.
 */
export function nextActivation(s: Schedule, simMs: number): number | undefined {
  if (s.kind === 'every') return Math.floor((simMs + EPOCH_MS) / 1000) * 1000 - EPOCH_MS + s.ms;
  // Start at the next whole minute (the spec has no seconds field: second 0).
  let t = Math.floor((simMs + EPOCH_MS) / 60_000) * 60_000 + 60_000;
  const limit = t + 5 * 366 * 86_400_000;
  while (t < limit) {
    const d = new Date(t);
    if (!has(s.month, d.getUTCMonth() + 1)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      continue;
    }
    if (!dayMatches(s, d)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      continue;
    }
    if (!has(s.hour, d.getUTCHours())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
      continue;
    }
    if (!has(s.minute, d.getUTCMinutes())) {
      t += 60_000;
      continue;
    }
    return t - EPOCH_MS;
  }
  return undefined;
}
