/**
 * Clock is the simulation's virtual time, in whole milliseconds since the scenario started.
 * Nothing in the engine reads the wall clock; timestamps shown to users are this clock's
 * value added to a fixed epoch, so the same scenario prints the same times everywhere.
 */
export const EPOCH_MS = Date.UTC(2025, 0, 1, 0, 0, 0);

export class Clock {
  constructor(public nowMs = 0) {}

  /** now returns the current simulated time in milliseconds. */
  now(): number {
    return this.nowMs;
  }

  /** seconds returns the current simulated time in (fractional) seconds. */
  seconds(): number {
    return this.nowMs / 1000;
  }

  set(ms: number): void {
    if (ms < this.nowMs) throw new Error(`clock cannot go backwards (${ms} < ${this.nowMs})`);
    this.nowMs = ms;
  }
}

/** isoTime formats a simulated time as an RFC 3339 timestamp with second precision, as the API server does. */
export function isoTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  // Thousands of objects are stamped in the same simulated second; format each second once.
  if (second === lastIsoSecond) return lastIso;
  // Callers alternate between now and older instants (a pod's startTime, a condition's
  // lastTransitionTime): a small map keeps those from re-formatting a Date on every status write.
  let s = isoBySecond.get(second);
  if (s === undefined) {
    s = new Date(EPOCH_MS + second * 1000).toISOString().replace('.000Z', 'Z');
    if (isoBySecond.size >= ISO_CACHE_SIZE) isoBySecond.clear();
    isoBySecond.set(second, s);
  }
  lastIsoSecond = second;
  lastIso = s;
  return s;
}

const ISO_CACHE_SIZE = 8192;
const isoBySecond = new Map<number, string>();
let lastIsoSecond = Number.NaN;
let lastIso = '';

/**
 * microTime formats a simulated time as metav1.MicroTime prints: RFC 3339 with microseconds. The last
 * one is kept: thousands of Events and Leases are stamped in one simulated millisecond.
 */
export function microTime(ms: number): string {
  if (ms !== lastMicroMs) {
    lastMicro = new Date(EPOCH_MS + ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
    lastMicroMs = ms;
  }
  return lastMicro;
}

let lastMicroMs = Number.NaN;
let lastMicro = '';

/** parseIsoTime is isoTime's inverse (simulated milliseconds). */
export function parseIsoTime(s: string): number {
  return Date.parse(s) - EPOCH_MS;
}

/** parseDuration reads "30s", "5m", "1h30m", "250ms" or a bare number of seconds into milliseconds. */
export function parseDuration(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? Math.round(input * 1000) : undefined;
  const s = input.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(parseFloat(s) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    const n = parseFloat(m[1]);
    total += m[2] === 'h' ? n * 3_600_000 : m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : n;
    pos = re.lastIndex;
  }
  if (pos !== s.length || s.length === 0) return undefined;
  return Math.round(total);
}

/**
 * humanDuration formats an age the way kubectl does (k8s.io/apimachinery/pkg/util/duration.HumanDuration):
 * "45s", "3m20s", "12m", "5h3m", "3d4h", "10d", "2y30d".
 */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}
