/**
 * unstructured.ts: kubectl's genericDescriber, used for kinds with no describer of their own — custom
 * resources such as the VPA add-on's VerticalPodAutoscaler (k8s.io/kubectl/pkg/describe
 * describe.go: genericDescriber.Describe, printUnstructuredContent, smartLabelFor). After Name,
 * Namespace, Labels and Annotations, every other field prints with its key turned into a label
 * ("lastTransitionTime" → "Last Transition Time", "apiVersion" → "API Version"), keys sorted, maps
 * and lists indented one level, then the Events.
 */
import type { KubeObject } from '../../api/types.ts';
import type { Sim } from '../../sim.ts';
import { describeEvents, labelsAndAnnotations, PrefixWriter } from './writer.ts';

const COMMON_ACRONYMS = ['API', 'URL', 'UID', 'OSB', 'GUID'];

function charClass(ch: string): number {
  if (/[a-z]/.test(ch)) return 1;
  if (/[A-Z]/.test(ch)) return 2;
  if (/[0-9]/.test(ch)) return 3;
  return 4;
}

/** camelSplit is github.com/fatih/camelcase Split: runs of one character class, "HTTPServer" → HTTP, Server. */
export function camelSplit(s: string): string[] {
  const runs: string[][] = [];
  let last = 0;
  for (const ch of s) {
    const c = charClass(ch);
    if (c === last) runs[runs.length - 1].push(ch);
    else runs.push([ch]);
    last = c;
  }
  // An upper-case run followed by a lower-case run gives its last letter to the lower-case run.
  for (let i = 0; i < runs.length - 1; i++) {
    if (charClass(runs[i][0]) === 2 && charClass(runs[i + 1][0]) === 1) {
      runs[i + 1].unshift(runs[i].pop()!);
    }
  }
  return runs.filter((r) => r.length).map((r) => r.join(''));
}

/** smartLabelFor turns a field name into describe's label; names with characters other than letters and '-' stay as they are. */
export function smartLabelFor(field: string): string {
  if ([...field].some((ch) => !/[A-Za-z-]/.test(ch))) return field;
  return camelSplit(field)
    .filter((p) => p !== '_')
    .map((p) => (COMMON_ACRONYMS.includes(p.toUpperCase()) ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1)))
    .join(' ');
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** goValue prints a scalar as fmt's %v does for decoded JSON. */
function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  return String(v);
}

function printUnstructuredContent(w: PrefixWriter, level: number, content: Record<string, unknown>, skipPrefix: string, skip: string[]): void {
  for (const field of Object.keys(content).sort()) {
    const value = content[field];
    const expr = `${skipPrefix}.${field}`;
    if (skip.includes(expr)) continue;
    if (isMap(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      printUnstructuredContent(w, level + 1, value, expr, skip);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      for (const child of value) {
        if (isMap(child)) printUnstructuredContent(w, level + 1, child, expr, skip);
        else w.write(level + 1, `${goValue(child)}\n`);
      }
    } else {
      w.line(level, `${smartLabelFor(field)}:`, goValue(value));
    }
  }
}

/** describeUnstructured is genericDescriber.Describe. */
export function describeUnstructured(sim: Sim, obj: KubeObject): string {
  const w = new PrefixWriter();
  w.line(0, 'Name:', obj.metadata.name);
  w.line(0, 'Namespace:', obj.metadata.namespace ?? '');
  labelsAndAnnotations(w, obj);
  printUnstructuredContent(w, 0, obj as Record<string, unknown>, '', ['.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);
  describeEvents(w, sim, sim.eventsFor(obj));
  return w.toString();
}
