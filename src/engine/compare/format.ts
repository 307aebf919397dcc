/**
 * format.ts prints a comparison: `kubeplay compare`'s table and the durations in it. Imports only
 * types, so the page can format results without loading the engine.
 */
import type { CompareResult } from './index.ts';

/** formatSeconds prints a duration as `42s`, `1m05s` or `12.5s`. */
export function formatSeconds(s: number): string {
  const r = Math.round(s * 10) / 10;
  if (r < 60) return `${r}s`;
  const m = Math.floor(r / 60);
  const sec = Math.round(r - m * 60);
  return `${m}m${String(sec).padStart(2, '0')}s`;
}

/** formatCompareTable prints the comparison as kubectl-style columns, with a heading and notes. */
export function formatCompareTable(r: CompareResult): string {
  const head = ['STRATEGY', 'PEAK PODS', 'TIME', 'FAILED', 'REQUESTS', 'POD-SECONDS', 'MIN READY'];
  const rows = r.results.map((x) => x.error
    ? [x.strategy, '-', '-', '-', '-', '-', '-']
    : [
        x.strategy,
        String(x.peakPods),
        x.finished ? formatSeconds(x.seconds) : `>${formatSeconds(x.seconds)}`,
        String(x.failedRequests),
        String(x.totalRequests),
        x.podSeconds.toFixed(1),
        String(x.minReady),
      ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('   ') + '\n';
  const w = r.workload;
  let out = `${w.kind} ${w.namespace === 'default' ? '' : `${w.namespace}/`}${w.name} (${w.replicas} replicas): ${r.container} ${r.fromImage} → ${r.toImage} at ${r.at}s, seed ${r.seed}, ${r.rps ? `${r.rps} rps` : 'no traffic'}\n`;
  out += line(head);
  for (const row of rows) out += line(row);
  const notes: string[] = [];
  for (const x of r.results) {
    notes.push(`${x.strategy}: ${x.description}${x.completeSeconds !== null && x.completeSeconds !== x.seconds ? `; complete at ${formatSeconds(x.completeSeconds)}, old pods gone at ${formatSeconds(x.seconds)}` : ''}`);
    if (x.error) notes.push(`${x.strategy}: error: ${x.error}`);
    for (const wn of x.warnings) notes.push(`${x.strategy}: warning: ${wn}`);
  }
  out += '\n' + notes.join('\n') + '\n';
  return out;
}
