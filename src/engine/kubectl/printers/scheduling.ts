/**
 * scheduling.ts: `kubectl get priorityclasses` (pkg/printers/internalversion/printers.go
 * printPriorityClass): NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY — all five by default (no
 * priority-1 columns, so -o wide adds none). VALUE is the int64 as is (2000001000, not 2G); an unset
 * preemptionPolicy is an empty cell.
 */
import type { PriorityClass } from '../../admission/priority.ts';
import { objAge, type TablePrinter } from './types.ts';

export const priorityClassPrinter: TablePrinter = {
  columns: ['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY'],
  row(pc: PriorityClass, ctx) {
    return [pc.metadata.name, String(pc.value ?? 0), String(pc.globalDefault === true), objAge(pc, ctx.now), String(pc.preemptionPolicy ?? '')];
  },
};

/** leasePrinter is printLease: NAME HOLDER AGE (a node's Lease is held by the node's own name). */
export const leasePrinter: TablePrinter = {
  columns: ['NAME', 'HOLDER', 'AGE'],
  row(l, ctx) {
    return [l.metadata.name, String((l as { spec?: { holderIdentity?: string } }).spec?.holderIdentity ?? ''), objAge(l, ctx.now)];
  },
};
