import { humanDuration, parseIsoTime } from '../../clock.ts';
import type { KubeObject } from '../../api/types.ts';
import type { Sim } from '../../sim.ts';

/** TablePrinter is one kind's `kubectl get` columns (printers.go's ColumnDefinitions and printX funcs). */
export interface TablePrinter {
  columns: string[];
  /** wide: extra columns `-o wide` appends. */
  wide?: string[];
  row(obj: any, ctx: PrintContext): string[];
  wideRow?(obj: any, ctx: PrintContext): string[];
  /** wideTable: the columns and row of `-o wide` when its extra columns are not all at the end (printEvent's). */
  wideTable?: { columns: string[]; row(obj: any, ctx: PrintContext): string[] };
}

export interface PrintContext {
  now: number;
  sim: Sim;
}

/** age is translateTimestampSince: HumanDuration of now − timestamp, `<unknown>` when unset. */
export function age(ts: string | undefined, now: number): string {
  if (!ts) return '<unknown>';
  return humanDuration(now - parseIsoTime(ts));
}

export function objAge(obj: KubeObject, now: number): string {
  return age(obj.metadata.creationTimestamp, now);
}

/** orNone returns `<none>` for an empty value, as kubectl prints missing cells. */
export function orNone(s: string | undefined | null): string {
  return s === undefined || s === null || s === '' ? '<none>' : s;
}

/** labelsString is labels.FormatLabels: sorted k=v joined by commas, `<none>` when empty. */
export function labelsString(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/** mapSelectorString is a Service selector (map) as kubectl prints it: sorted k=v. */
export function mapSelectorString(sel: Record<string, string> | undefined): string {
  return labelsString(sel);
}
