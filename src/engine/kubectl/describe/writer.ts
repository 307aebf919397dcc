import { EPOCH_MS, parseIsoTime } from '../../clock.ts';
import { eventInterval, sortEvents } from '../printers/eventtime.ts';
import type { EventObject, KubeObject } from '../../api/types.ts';
import type { Sim } from '../../sim.ts';
import { tabwrite } from '../tabwriter.ts';

/** PrefixWriter is describe's writer: lines at indent levels, tab-separated cells, aligned at the end (minwidth 0, padding 2). */
export class PrefixWriter {
  private buf = '';
  write(level: number, text: string): void {
    this.buf += '  '.repeat(level) + text;
  }
  line(level: number, ...cells: string[]): void {
    this.write(level, cells.join('\t') + '\n');
  }
  toString(): string {
    return tabwrite(this.buf, 0, 2);
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** rfc1123z formats a timestamp as describe does (time.RFC1123Z): "Wed, 01 Jan 2025 00:00:10 +0000". */
export function rfc1123z(iso: string | undefined): string {
  if (!iso) return '<unknown>';
  const d = new Date(EPOCH_MS + parseIsoTime(iso));
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** multiline writes "Labels:\tk=v" then "\tk2=v2" lines (printLabelsMultiline); `<none>` when empty. */
export function multiline(w: PrefixWriter, level: number, title: string, map: Record<string, string> | undefined, sep: '=' | ': ', skip: string[] = []): void {
  const keys = Object.keys(map ?? {})
    .filter((k) => !skip.includes(k))
    .sort();
  if (keys.length === 0) {
    w.line(level, `${title}:`, '<none>');
    return;
  }
  keys.forEach((k, i) => w.line(level, i === 0 ? `${title}:` : '', `${k}${sep}${map![k]}`));
}

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** describeEvents writes the Events table (DescribeEvents): sorted by SortableEvents, oldest first. */
export function describeEvents(w: PrefixWriter, sim: Sim, events: EventObject[]): void {
  if (events.length === 0) {
    w.line(0, 'Events:', '<none>');
    return;
  }
  const now = sim.now();
  w.write(0, 'Events:\n');
  w.line(1, 'Type', 'Reason', 'Age', 'From', 'Message');
  w.line(1, '----', '------', '----', '----', '-------');
  for (const e of sortEvents([...events])) {
    // Modern kubectl shows only the component ("kubelet"), not "kubelet, <node>".
    const from = e.source?.component || e.reportingComponent || '';
    w.line(1, e.type, e.reason, eventInterval(e, now), from, (e.message ?? '').trim());
  }
}

/** labelsAndAnnotations writes an object's Labels and Annotations (without kubectl's last-applied-configuration), as most describers do. */
export function labelsAndAnnotations(w: PrefixWriter, o: KubeObject): void {
  multiline(w, 0, 'Labels', o.metadata.labels, '=');
  multiline(w, 0, 'Annotations', o.metadata.annotations, ': ', [LAST_APPLIED]);
}
