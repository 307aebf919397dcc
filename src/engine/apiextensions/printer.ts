/**
 * printer: `kubectl get` columns for CustomResourceDefinitions (NAME, CREATED AT) and for custom
 * objects: NAME, the version's additionalPrinterColumns of priority 0 (higher priorities with -o wide)
 * evaluated by jsonPath, or NAME AGE when it declares none (the apiextensions table convertor).
 */
import { kindInfo, type PrinterColumn } from '../api/kinds.ts';
import type { KubeObject } from '../api/types.ts';
import { humanDuration, parseIsoTime } from '../clock.ts';
import { jsonpath } from '../kubectl/jsonpath.ts';
import type { PrintContext, TablePrinter } from '../kubectl/printers/types.ts';
import { RBAC_PRINTERS } from '../rbac/printers.ts';

export const crdPrinter: TablePrinter = {
  columns: ['NAME', 'CREATED AT'],
  row: (o: KubeObject) => [o.metadata.name, o.metadata.creationTimestamp ?? ''],
};

/** cell renders one printer column as the table convertor and kubectl's printer do (<none> when the path finds nothing). */
function cell(o: KubeObject, col: PrinterColumn, ctx: PrintContext): string {
  let v: string;
  try {
    v = jsonpath(`{${col.jsonPath}}`, o);
  } catch {
    return '<none>';
  }
  if (v === '') return '<none>';
  // type date prints as an age (translateTimestampSince).
  if (col.type === 'date') {
    const t = parseIsoTime(v);
    return Number.isNaN(t) ? v : humanDuration(ctx.now - t);
  }
  return v;
}

/**
 * customPrinterFor returns the printer of a custom kind in scope (kinds.ts withKinds), the CRD
 * printer, or an RBAC kind's (rbac/printers.ts); undefined for other kinds.
 */
export function customPrinterFor(kind: string): TablePrinter | undefined {
  if (kind === 'CustomResourceDefinition') return crdPrinter;
  if (RBAC_PRINTERS[kind]) return RBAC_PRINTERS[kind];
  const info = kindInfo(kind);
  const cols = info?.printerColumns;
  if (!cols || cols.length === 0) return undefined;
  const main = cols.filter((c) => !c.priority);
  const wide = cols.filter((c) => c.priority);
  return {
    columns: ['NAME', ...main.map((c) => c.name.toUpperCase())],
    wide: wide.map((c) => c.name.toUpperCase()),
    row: (o: KubeObject, ctx) => [o.metadata.name, ...main.map((c) => cell(o, c, ctx))],
    wideRow: (o: KubeObject, ctx) => wide.map((c) => cell(o, c, ctx)),
  };
}

