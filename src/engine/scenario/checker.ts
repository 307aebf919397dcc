import type { Document, LineCounter } from 'yaml';
import { formatFieldError, type FieldError } from '../api/errors.ts';
import { LIMITS } from './limits.ts';
import { formatFieldPath, key, lineOfPath, type PathSegment } from './positions.ts';
import type { Diagnostic } from './types.ts';
import { isRecord } from './manifest.ts';

/**
 * Checker collects field errors for one YAML document, each with the line of the offending value
 * (or key), rendered as the API server renders field errors: `spec.seed: Invalid value: -1: …`.
 */
export class Checker {
  readonly errors: Diagnostic[] = [];

  constructor(
    readonly file: string,
    readonly ast: Document,
    readonly lines: LineCounter,
    readonly lineOffset = 0,
  ) {}

  line(path: readonly PathSegment[], atKey = false): number | undefined {
    return lineOfPath(this.ast, this.lines, path, atKey, this.lineOffset);
  }

  /** push records a problem; past LIMITS.errors it records one "too many errors" line and then nothing. */
  push(line: number | undefined, message: string, col?: number): void {
    if (this.errors.length > LIMITS.errors) return;
    if (this.errors.length === LIMITS.errors) {
      this.errors.push({ file: this.file, message: `too many errors (more than ${LIMITS.errors}); the rest are not shown` });
      return;
    }
    this.errors.push(col === undefined ? { file: this.file, line, message } : { file: this.file, line, col, message });
  }

  add(path: readonly PathSegment[], e: Omit<FieldError, 'field'>, atKey = false): void {
    this.push(this.line(path, atKey), formatFieldError({ field: formatFieldPath(path), ...e }));
  }

  invalid(path: readonly PathSegment[], value: unknown, detail: string): void {
    this.add(path, { type: 'Invalid value', value, detail });
  }

  required(path: readonly PathSegment[], detail?: string): void {
    this.add(path, { type: 'Required value', detail });
  }

  unsupported(path: readonly PathSegment[], value: unknown, supported: readonly string[]): void {
    this.add(path, { type: 'Unsupported value', value, detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` });
  }

  /** unknownFields reports keys outside allowed, with a did-you-mean when one is close. */
  unknownFields(obj: Record<string, unknown>, path: readonly PathSegment[], allowed: readonly string[]): void {
    for (const k of Object.keys(obj)) {
      if (allowed.includes(k)) continue;
      const near = suggest(k, allowed);
      const field = formatFieldPath([...path, k]);
      this.push(this.line([...path, k], true), `unknown field ${JSON.stringify(field)}${near ? `; did you mean ${JSON.stringify(near)}?` : ''}`);
    }
  }

  /** mapping returns obj at path when it is a mapping (or reports it), undefined when absent. */
  mapping(v: unknown, path: readonly PathSegment[], allowed?: readonly string[]): Record<string, unknown> | undefined {
    if (v === undefined || v === null) return undefined;
    if (!isRecord(v)) {
      this.invalid(path, v, 'must be a mapping');
      return undefined;
    }
    if (allowed) this.unknownFields(v, path, allowed);
    return v;
  }

  list(v: unknown, path: readonly PathSegment[], max: number, what: string): unknown[] | undefined {
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) {
      this.invalid(path, v, 'must be a list');
      return undefined;
    }
    if (v.length > max) {
      this.add(path, { type: 'Too many', detail: `has ${v.length} ${what}; the limit is ${max}` });
      return undefined;
    }
    return v;
  }

  string(v: unknown, path: readonly PathSegment[], maxLength = 10_000): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.invalid(path, v, 'must be a string');
      return undefined;
    }
    if (v.length > maxLength) {
      this.add(path, { type: 'Too long', detail: `may not be more than ${maxLength} characters` });
      return undefined;
    }
    return v;
  }

  number(v: unknown, path: readonly PathSegment[], min: number, max: number, integer = false): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
      this.invalid(path, v, integer ? 'must be an integer' : 'must be a number');
      return undefined;
    }
    if (v < min || v > max) {
      this.invalid(path, v, `must be between ${min} and ${max}, inclusive`);
      return undefined;
    }
    return v;
  }

  boolean(v: unknown, path: readonly PathSegment[]): boolean | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') {
      this.invalid(path, v, 'must be true or false');
      return undefined;
    }
    return v;
  }

  /** stringMap checks a map of strings (labels, headers), with an optional check per key and value. */
  stringMap(v: unknown, path: readonly PathSegment[], check?: (k: string, val: string, p: PathSegment[]) => void): Record<string, string> | undefined {
    const m = this.mapping(v, path);
    if (!m) return undefined;
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(m)) {
      const kp = [...path, key(k)];
      const s = this.string(val, kp);
      if (s === undefined) {
        if (val === undefined || val === null) this.invalid(kp, val ?? null, 'must be a string');
        continue;
      }
      check?.(k, s, kp);
      out[k] = s;
    }
    return out;
  }
}

/**
 * suggest returns the allowed word closest to a misspelt one (edit distance at most 2, or a case
 * difference), as `kubectl` suggests commands: "clutser" -> "cluster".
 */
export function suggest(word: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const a of allowed) {
    if (a.toLowerCase() === word.toLowerCase()) return a;
    const d = editDistance(word.toLowerCase(), a.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = a;
    }
  }
  return bestD <= Math.min(2, Math.max(1, Math.floor(word.length / 3))) ? best : undefined;
}

/** editDistance is the Damerau (optimal string alignment) distance: a swap of two letters counts 1. */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Math.abs(a.length - b.length);
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i, ...new Array(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
