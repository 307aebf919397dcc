/**
 * A subset of kubectl's JSONPath (k8s.io/client-go/util/jsonpath): text with {…} actions; fields
 * `.a.b`, `['a.b']`, `[n]`, `[*]`, `[a:b]`, filters `[?(@.x=="v")]` (==, !=, and existence), `..name`
 * recursive descent, `{range …}…{end}`, string literals `{"\n"}`. Several results of one action are
 * joined by a space, as kubectl prints them.
 */
import { pushAll } from '../arrays.ts';
type Step =
  | { t: 'field'; name: string }
  | { t: 'all' }
  | { t: 'index'; i: number }
  | { t: 'slice'; a?: number; b?: number }
  | { t: 'filter'; path: Step[]; op?: string; value?: unknown }
  | { t: 'recurse'; name: string };

type Node = { t: 'text'; s: string } | { t: 'path'; steps: Step[] } | { t: 'range'; steps: Step[]; body: Node[] };

export class JsonPathError extends Error {}

function parsePath(src: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  let s = src.trim();
  if (s.startsWith('$')) s = s.slice(1);
  if (s.startsWith('@')) s = s.slice(1);
  while (i < s.length) {
    if (s.startsWith('..', i)) {
      const f = fieldAt(s, i + 2);
      if (!f.raw) throw new JsonPathError(`unrecognized character in action: ${s.slice(i + 2)}`);
      steps.push({ t: 'recurse', name: f.name });
      i = f.end;
    } else if (s[i] === '.') {
      const f = fieldAt(s, i + 1);
      if (f.raw === '*') steps.push({ t: 'all' });
      else if (f.raw) steps.push({ t: 'field', name: f.name });
      i = f.end;
    } else if (s[i] === '[') {
      const end = matchBracket(s, i);
      const inner = s.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === '*') steps.push({ t: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ t: 'index', i: parseInt(inner, 10) });
      else if (/^-?\d*:-?\d*$/.test(inner)) {
        const [a, b] = inner.split(':');
        steps.push({ t: 'slice', a: a ? parseInt(a, 10) : undefined, b: b ? parseInt(b, 10) : undefined });
      } else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ t: 'field', name: inner.slice(1, -1) });
      else if (inner.startsWith('?(') && inner.endsWith(')')) {
        const body = inner.slice(2, -1).trim();
        const m = /^(@[\w.[\]'"-]*)\s*(==|!=|<=|>=|<|>)\s*(.+)$/.exec(body);
        if (m) {
          let v: unknown = m[3].trim();
          const vs = v as string;
          if (/^'.*'$|^".*"$/.test(vs)) v = vs.slice(1, -1);
          else if (/^-?\d+(\.\d+)?$/.test(vs)) v = Number(vs);
          else if (vs === 'true' || vs === 'false') v = vs === 'true';
          steps.push({ t: 'filter', path: parsePath(m[1]), op: m[2], value: v });
        } else steps.push({ t: 'filter', path: parsePath(body) });
      } else throw new JsonPathError(`invalid array index ${inner}`);
    } else if (s[i] === ' ') i++;
    else throw new JsonPathError(`unrecognized character in action: U+${s.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')} '${s[i]}'`);
  }
  return steps;
}

/**
 * fieldAt reads a field name from i as the parser's parseField does: up to a terminator (a space . , [ ] $ @
 * { }) that is not escaped, a backslash escaping the next character and then dropped
 * (`.metadata.annotations.deployment\\.kubernetes\\.io/revision`).
 */
function fieldAt(s: string, i: number): { raw: string; name: string; end: number } {
  let j = i;
  while (j < s.length) {
    if (s[j] === '\\' && j + 1 < s.length) j += 2;
    else if (/[\s.,[\]$@{}]/.test(s[j])) break;
    else j++;
  }
  const raw = s.slice(i, j);
  return { raw, name: raw.replace(/\\/g, ''), end: j };
}

function matchBracket(s: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') {
      depth--;
      if (depth === 0 && c === ']') return i;
    }
  }
  throw new JsonPathError('unclosed array expect ]');
}

function parseTemplate(tpl: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  const ranges: { t: 'range'; steps: Step[]; body: Node[] }[] = [];
  let i = 0;
  while (i < tpl.length) {
    const open = tpl.indexOf('{', i);
    if (open < 0) {
      stack[stack.length - 1].push({ t: 'text', s: tpl.slice(i) });
      break;
    }
    if (open > i) stack[stack.length - 1].push({ t: 'text', s: tpl.slice(i, open) });
    const close = findClose(tpl, open);
    const action = tpl.slice(open + 1, close).trim();
    i = close + 1;
    const cur = stack[stack.length - 1];
    if (/^".*"$|^'.*'$/s.test(action)) cur.push({ t: 'text', s: unescape(action.slice(1, -1)) });
    else if (action.startsWith('range ')) {
      const r = { t: 'range' as const, steps: parsePath(action.slice(6)), body: [] as Node[] };
      cur.push(r);
      ranges.push(r);
      stack.push(r.body);
    } else if (action === 'end') {
      if (!ranges.length) throw new JsonPathError('not in range, nothing to end');
      ranges.pop();
      stack.pop();
    } else cur.push({ t: 'path', steps: parsePath(action) });
  }
  if (ranges.length) throw new JsonPathError('unclosed action');
  return root;
}

function findClose(tpl: string, open: number): number {
  let quote = '';
  for (let i = open + 1; i < tpl.length; i++) {
    const c = tpl[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}') return i;
  }
  throw new JsonPathError('unclosed action');
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c));
}

function walk(values: unknown[], steps: Step[]): unknown[] {
  let cur = values;
  for (const st of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (v === null || v === undefined) continue;
      switch (st.t) {
        case 'field':
          if (typeof v === 'object' && !Array.isArray(v) && st.name in (v as object)) next.push((v as any)[st.name]);
          break;
        case 'all':
          if (Array.isArray(v)) pushAll(next, v);
          else if (typeof v === 'object') pushAll(next, Object.values(v as object));
          break;
        case 'index':
          if (Array.isArray(v)) {
            const idx = st.i < 0 ? v.length + st.i : st.i;
            if (idx < 0 || idx >= v.length) throw new JsonPathError(`array index out of bounds: index ${st.i}, length ${v.length}`);
            next.push(v[idx]);
          }
          break;
        case 'slice':
          if (Array.isArray(v)) pushAll(next, v.slice(st.a ?? 0, st.b ?? v.length));
          break;
        case 'filter':
          if (Array.isArray(v)) {
            for (const item of v) {
              const got = walk([item], st.path);
              if (!st.op) {
                if (got.length) next.push(item);
              } else if (got.length && compare(got[0], st.op, st.value)) next.push(item);
            }
          }
          break;
        case 'recurse':
          recurse(v, st.name, next);
          break;
      }
    }
    cur = next;
  }
  return cur;
}

function recurse(v: unknown, name: string, out: unknown[]): void {
  if (Array.isArray(v)) for (const x of v) recurse(x, name, out);
  else if (v && typeof v === 'object') {
    if (name in (v as object)) out.push((v as any)[name]);
    for (const x of Object.values(v as object)) recurse(x, name, out);
  }
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==':
      return a === b || String(a) === String(b);
    case '!=':
      return !(a === b || String(a) === String(b));
    case '<':
      return Number(a) < Number(b);
    case '>':
      return Number(a) > Number(b);
    case '<=':
      return Number(a) <= Number(b);
    default:
      return Number(a) >= Number(b);
  }
}

/** byKey orders map keys as Go's encoding/json and fmt do (sorted by code unit). */
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** sortedJson is Go's json.Marshal of decoded JSON: map keys in sorted order (kubectl's objects are unstructured maps). */
export function sortedJson(v: unknown, indent?: string): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => byKey(a, b))) : x), indent);
}

/** printValue formats one result as PrintResults does: strings raw, maps and lists as compact JSON. */
function printValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return sortedJson(v);
  return String(v);
}

function exec(nodes: Node[], data: unknown, asJson: boolean): string {
  let out = '';
  for (const n of nodes) {
    if (n.t === 'text') out += n.s;
    // jsonpath-as-json: each expression's results as one indented JSON array (EnableJSONOutput).
    else if (n.t === 'path') out += asJson ? sortedJson(walk([data], n.steps), '    ') + '\n' : walk([data], n.steps).map(printValue).join(' ');
    else for (const item of walk([data], n.steps)) out += exec(n.body, item, asJson);
  }
  return out;
}

/** jsonpath evaluates a kubectl -o jsonpath (or, asJson, -o jsonpath-as-json) template against an object (or a List). */
export function jsonpath(template: string, data: unknown, asJson = false): string {
  return exec(parseTemplate(template), data, asJson);
}

/** jsonpathProblem is why a template does not parse (kubectl's jsonpath error), or undefined. */
export function jsonpathProblem(template: string): string | undefined {
  try {
    parseTemplate(template);
    return undefined;
  } catch (e) {
    if (e instanceof JsonPathError) return e.message;
    throw e;
  }
}

/** jsonpathResults is the values a template's expressions find (FindResults), unformatted: for custom-columns. */
export function jsonpathResults(template: string, data: unknown): unknown[] {
  const out: unknown[] = [];
  const visit = (nodes: Node[], d: unknown) => {
    for (const n of nodes) {
      if (n.t === 'path') out.push(...walk([d], n.steps));
      else if (n.t === 'range') for (const item of walk([d], n.steps)) visit(n.body, item);
    }
  };
  visit(parseTemplate(template), data);
  return out;
}

/** goSprint is fmt.Sprint of a decoded JSON value: maps as map[k:v …] (sorted keys), lists as [a b], null as <nil>. */
export function goSprint(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v).sort(byKey);
    return `map[${keys.map((k) => `${k}:${goSprint((v as Record<string, unknown>)[k])}`).join(' ')}]`;
  }
  return String(v);
}
