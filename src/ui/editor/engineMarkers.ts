/**
 * engineMarkers puts the API server's validation errors on the lines they are about: the apply output's
 * `The Deployment "web" is invalid: spec.replicas: Invalid value: -1: …` (one field, or several as
 * `* field: …` lines) is matched to the document of that kind and name in the multi-document text, and the
 * field path (spec.template.spec.containers[0].image) to its YAML node; a field that is missing (Required
 * value) marks its nearest parent that exists.
 */
import { parseYamlDocuments } from '../../engine/scenario/yamlparse.ts';
import { LineCounter, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { suggest } from '../../engine/scenario/checker.ts';
import { KINDS } from '../../engine/api/kinds.ts';

export interface EngineMarker {
  /** 1-based line and columns of the marked text */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

/** fieldPath splits "spec.containers[0].image" or "metadata.labels[app.kubernetes.io/name]" into keys. */
export function fieldPath(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[([^\]]*)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(field))) {
    if (m[1] !== undefined) out.push(m[1]);
    else out.push(/^\d+$/.test(m[2]) ? Number(m[2]) : m[2]);
  }
  return out;
}

interface Problem {
  kind: string;
  name: string;
  field: string;
  message: string;
}

/**
 * CAUSE_START is where the next cause starts in the server's bracketed list (`[spec.replicas: Invalid value:
 * -1: …, spec.selector: Required value]`): a field path and an error type, as field.ErrorList prints them.
 */
const CAUSE_START = /, (?=[\w.[\]\-/]+: (?:Invalid value|Required value|Unsupported value|Forbidden|Duplicate value|Too long|Too many|Not found|Internal error))/;

/**
 * problems reads the "is invalid" blocks of kubectl apply's output: one error alone as checkErr prints it
 * (`The Deployment "bad" is invalid: …`, several fields as `* field: …` lines), or each of several as
 * MultipleErrors prints it (`Error from server (Invalid): error when creating "STDIN": Deployment.apps "bad"
 * is invalid: …`, several fields in brackets).
 */
export function problems(out: string): Problem[] {
  const list: Problem[] = [];
  const lines = out.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /(?:The |error when [\w ]+ "[^"]*": )([\w.]+) "([^"]*)" is invalid: ?(.*)$/.exec(lines[i]);
    if (!m) continue;
    const kind = m[1].split('.')[0];
    const add = (text: string) => {
      const f = /^([\w.[\]\-/]+): (.*)$/.exec(text);
      if (f) list.push({ kind, name: m[2], field: f[1], message: `${f[1]}: ${f[2]}` });
    };
    const bracketed = /^\[(.*)\]$/.exec(m[3]);
    for (const cause of bracketed ? bracketed[1].split(CAUSE_START) : m[3] ? [m[3]] : []) add(cause);
    for (let j = i + 1; j < lines.length && lines[j].startsWith('* '); j++) add(lines[j].slice(2));
  }
  // kubectl's mapping error names no line: its kind is marked, with the kind it was likely meant to be
  // (kubectl itself only says to install the CRDs, which sends a beginner the wrong way).
  for (const m of out.matchAll(/no matches for kind "([^"]*)" in version "([^"]*)"/g)) {
    const meant = suggest(m[1], KINDS.map((k) => k.kind));
    const hint = meant && meant !== m[1] ? `: is it ${meant}?` : '';
    list.push({ kind: m[1], name: '', field: 'kind', message: `no kind "${m[1]}" in ${m[2]}${hint}` });
  }
  return list;
}

function nodeAt(doc: Document, path: (string | number)[]): Node | undefined {
  // The deepest node along the path that exists. A missing field marks its parent by its key (`spec:`),
  // not the parent's first child, where the parent's value starts (`replicas:` under spec).
  let node: unknown = doc.contents;
  let found = node as Node | undefined;
  let foundKey: Node | undefined;
  for (const key of path) {
    let keyNode: Node | undefined;
    if (isMap(node)) {
      const pair = node.items.find((it) => (isScalar(it.key) ? it.key.value : it.key) === key);
      keyNode = pair && isScalar(pair.key) ? pair.key : undefined;
      node = pair?.value ?? undefined;
    } else if (isSeq(node) && typeof key === 'number') node = node.get(key, true);
    else return foundKey ?? found;
    if (!node) return keyNode ?? foundKey ?? found;
    found = node as Node;
    foundKey = keyNode;
  }
  return found;
}

export function engineMarkers(text: string, out: string): EngineMarker[] {
  const found = problems(out);
  if (found.length === 0) return [];
  const lc = new LineCounter();
  const docs = parseYamlDocuments(text, { lineCounter: lc });
  if (!Array.isArray(docs)) return [];
  const markers: EngineMarker[] = [];
  for (const p of found) {
    const doc = docs.find((d) => String(d.get('kind')) === p.kind && (p.name === '' || String(d.getIn(['metadata', 'name'])) === p.name)) ?? (docs.length === 1 ? docs[0] : undefined);
    if (!doc) continue;
    const node = nodeAt(doc, fieldPath(p.field));
    const range = node?.range ?? doc.contents?.range;
    if (!range) continue;
    const start = lc.linePos(range[0]);
    // A map or list node spans lines: mark its first line only.
    const endOffset = Math.min(range[1], text.indexOf('\n', range[0]) < 0 ? range[1] : text.indexOf('\n', range[0]));
    const end = lc.linePos(Math.max(range[0] + 1, endOffset));
    markers.push({ line: start.line, column: start.col, endLine: end.line, endColumn: end.line === start.line ? end.col : start.col + 1, message: p.message });
  }
  return markers;
}
