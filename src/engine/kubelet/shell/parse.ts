/**
 * The parser of the simulated containers' POSIX shell: `sh -c` scripts as manifests write them
 * (`while true; do echo hi; sleep 10; done`, `echo start && sleep 90 && exit 0`, `for i in 1 2 3`,
 * `if [ -f /x ]; then …; fi`, `date; echo Hello > /tmp/f`). A construct it does not know (`case`,
 * functions, here-documents, `((…))`) is a ShellSyntax error naming it, and the container then
 * keeps the image's own behaviour instead of pretending to run it.
 *
 * Hand-written: shell-quote and friends expand `$VAR` when parsing, but a loop's variables change
 * while it runs, so words keep their parts and are expanded when the command runs (run.ts).
 */

/** Part is a piece of a word: literal text, a parameter, a command substitution or an arithmetic expansion. */
export type Part =
  | { k: 'lit'; v: string; q: boolean }
  | { k: 'var'; name: string; op?: string; arg?: Word; q: boolean }
  | { k: 'sub'; script: List; q: boolean }
  | { k: 'arith'; expr: string; q: boolean };

export interface Word {
  parts: Part[];
}

export interface Redir {
  fd: number;
  /** `&>` sends stdout and stderr to one file; `>&` duplicates a descriptor (`2>&1`, `>&2`). */
  op: '>' | '>>' | '<' | '>&' | '&>';
  target: Word;
}

export type Node =
  | { k: 'simple'; assigns: { name: string; value: Word }[]; words: Word[]; redirs: Redir[] }
  | { k: 'pipe'; cmds: Node[]; neg: boolean }
  | { k: 'andor'; first: Node; rest: { op: '&&' | '||'; node: Node }[] }
  | { k: 'loop'; until: boolean; cond: List; body: List; redirs: Redir[] }
  | { k: 'for'; name: string; items: Word[] | null; body: List; redirs: Redir[] }
  | { k: 'if'; branches: { cond: List; body: List }[]; otherwise?: List; redirs: Redir[] }
  | { k: 'group'; body: List; subshell: boolean; redirs: Redir[] };

export interface List {
  items: { node: Node; bg: boolean }[];
}

/** ShellSyntax is a script the simulated shell cannot run (bad syntax, or a construct it does not know). */
export class ShellSyntax extends Error {}

type Tok = { t: 'word'; w: Word; raw: string } | { t: 'op'; v: string };

const OPS = ['&&', '||', ';;', '>>', '>&', '<&', '&>', ';', '&', '|', '(', ')', '<', '>', '\n'];
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** tokenize splits a script into words (with their parts) and operators; comments are dropped. */
function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    // An fd number right before a redirection: 2>&1, 2>/dev/null.
    const fd = /^(\d)(?=>|<)/.exec(src.slice(i, i + 2));
    if (fd) {
      toks.push({ t: 'op', v: `fd${fd[1]}` });
      i++;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      toks.push({ t: 'op', v: op });
      i += op.length;
      continue;
    }
    const start = i;
    const w = readWord(src, i, (end) => (i = end));
    toks.push({ t: 'word', w, raw: src.slice(start, i) });
  }
  return toks;
}

function isWordEnd(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')' || c === '<' || c === '>';
}

/** readWord reads one word from src at i: quotes, escapes, $VAR, ${…}, $(…), `…` and $((…)). */
function readWord(src: string, i: number, done: (end: number) => void): Word {
  const parts: Part[] = [];
  const lit = (v: string, q: boolean) => {
    const last = parts[parts.length - 1];
    if (last?.k === 'lit' && last.q === q) last.v += v;
    else parts.push({ k: 'lit', v, q });
  };
  let dq = false;
  while (i < src.length) {
    const c = src[i];
    if (!dq && isWordEnd(c)) break;
    if (c === "'" && !dq) {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntax('unterminated quoted string');
      lit(src.slice(i + 1, end), true);
      i = end + 1;
    } else if (c === '"') {
      dq = !dq;
      if (dq) lit('', true);
      i++;
    } else if (c === '\\') {
      const n = src[i + 1] ?? '';
      if (n === '\n') i += 2;
      else if (!dq || '$`"\\'.includes(n)) {
        lit(n, true);
        i += 2;
      } else {
        lit('\\', dq);
        i++;
      }
    } else if (c === '$') {
      i = readDollar(src, i, dq, parts, lit);
    } else if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw new ShellSyntax('unterminated `');
      parts.push({ k: 'sub', script: parse(src.slice(i + 1, end)), q: dq });
      i = end + 1;
    } else {
      lit(c, dq);
      i++;
    }
  }
  if (dq) throw new ShellSyntax('unterminated quoted string');
  done(i);
  return { parts };
}

/** matching returns the index of the parenthesis closing the one at open (quotes respected). */
function matching(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === "'") {
      i = src.indexOf("'", i + 1);
      if (i < 0) break;
    } else if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  throw new ShellSyntax('unterminated $(');
}

function readDollar(src: string, i: number, q: boolean, parts: Part[], lit: (v: string, q: boolean) => void): number {
  const n = src[i + 1] ?? '';
  if (src.startsWith('$((', i)) {
    const end = matching(src, i + 1);
    parts.push({ k: 'arith', expr: src.slice(i + 3, end - 1), q });
    return end + 1;
  }
  if (n === '(') {
    const end = matching(src, i + 1);
    parts.push({ k: 'sub', script: parse(src.slice(i + 2, end)), q });
    return end + 1;
  }
  if (n === '{') {
    const end = src.indexOf('}', i + 2);
    if (end < 0) throw new ShellSyntax('missing }');
    const body = src.slice(i + 2, end);
    const m = /^(#?)([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#@*!])(?:(:?[-=+?]|##?|%%?)(.*))?$/s.exec(body);
    if (!m || (m[1] && m[3])) throw new ShellSyntax(`bad substitution: \${${body}}`);
    if (m[1]) parts.push({ k: 'var', name: m[2], op: '#', q });
    else if (m[3]?.[0] === '#' || m[3]?.[0] === '%') {
      // ${x#pattern} ${x##pattern} ${x%pattern} ${x%%pattern}: the pattern removal ops (length is '#' above).
      let arg: Word | undefined;
      readWordInto(m[4], (w) => (arg = w));
      parts.push({ k: 'var', name: m[2], op: 'remove' + m[3], arg, q });
    }
    else {
      let arg: Word | undefined;
      if (m[3]) readWordInto(m[4], (w) => (arg = w));
      parts.push({ k: 'var', name: m[2], op: m[3], arg, q });
    }
    return end + 1;
  }
  const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?$#@*!])/.exec(src.slice(i + 1));
  if (!m) {
    lit('$', q);
    return i + 1;
  }
  parts.push({ k: 'var', name: m[1], q });
  return i + 1 + m[1].length;
}

/** readWordInto reads the word of ${VAR:-word} (quotes allowed, spaces kept). */
function readWordInto(src: string, set: (w: Word) => void): void {
  const parts: Part[] = [];
  let i = 0;
  while (i < src.length) {
    let end = i;
    const w = readWord(src, i, (e) => (end = e));
    parts.push(...w.parts);
    if (end === i) {
      parts.push({ k: 'lit', v: src[i], q: false });
      end = i + 1;
    }
    i = end;
  }
  set({ parts });
}

/** literal is a word's text when it is one unquoted literal (keywords, names), else undefined. */
function literal(t: Tok | undefined): string | undefined {
  if (t?.t !== 'word' || t.w.parts.length !== 1) return undefined;
  const p = t.w.parts[0];
  return p.k === 'lit' && !p.q ? p.v : undefined;
}

const RESERVED = new Set(['do', 'done', 'then', 'fi', 'elif', 'else', 'esac', '}', 'in']);
const UNSUPPORTED = new Set(['case', 'function', 'select', '((']);

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t?.t === 'op' && t.v === v;
  }
  private isKw(v: string): boolean {
    return literal(this.peek()) === v;
  }
  private skipNewlines(): void {
    while (this.isOp('\n')) this.i++;
  }
  private expectKw(v: string, after: string): void {
    this.skipSeparators();
    if (!this.isKw(v)) throw new ShellSyntax(`syntax error: "${v}" expected after ${after}`);
    this.i++;
  }
  private skipSeparators(): void {
    while (this.isOp('\n') || this.isOp(';')) this.i++;
  }

  /** list reads commands until the end or one of the stop keywords. */
  list(stop: string[] = []): List {
    const items: List['items'] = [];
    for (;;) {
      this.skipSeparators();
      const t = this.peek();
      if (!t || this.isOp(')') || stop.some((s) => this.isKw(s))) break;
      const node = this.andOr();
      let bg = false;
      if (this.isOp('&')) {
        bg = true;
        this.i++;
      } else if (this.isOp(';') || this.isOp('\n')) this.i++;
      else if (this.peek() && !this.isOp(')') && !stop.some((s) => this.isKw(s))) {
        throw new ShellSyntax(`syntax error near unexpected token "${this.describe(this.peek()!)}"`);
      }
      items.push({ node, bg });
    }
    return { items };
  }

  private describe(t: Tok): string {
    return t.t === 'op' ? (t.v === '\n' ? 'newline' : t.v) : t.raw;
  }

  private andOr(): Node {
    const first = this.pipeline();
    const rest: { op: '&&' | '||'; node: Node }[] = [];
    while (this.isOp('&&') || this.isOp('||')) {
      const op = (this.peek() as { v: '&&' | '||' }).v;
      this.i++;
      this.skipNewlines();
      rest.push({ op, node: this.pipeline() });
    }
    return rest.length ? { k: 'andor', first, rest } : first;
  }

  private pipeline(): Node {
    let neg = false;
    if (this.isKw('!')) {
      neg = true;
      this.i++;
    }
    const cmds = [this.command()];
    while (this.isOp('|')) {
      this.i++;
      this.skipNewlines();
      cmds.push(this.command());
    }
    return cmds.length === 1 && !neg ? cmds[0] : { k: 'pipe', cmds, neg };
  }

  private command(): Node {
    const kw = literal(this.peek());
    if (kw && UNSUPPORTED.has(kw)) throw new ShellSyntax(`"${kw}" is not supported by the simulated shell`);
    if (kw === 'while' || kw === 'until') {
      this.i++;
      const cond = this.list(['do']);
      this.expectKw('do', kw);
      const body = this.list(['done']);
      this.expectKw('done', 'do');
      return { k: 'loop', until: kw === 'until', cond, body, redirs: this.redirs() };
    }
    if (kw === 'for') {
      this.i++;
      const name = literal(this.peek());
      if (!name || !NAME.test(name)) throw new ShellSyntax('syntax error: bad for loop variable');
      this.i++;
      let items: Word[] | null = null;
      this.skipNewlines();
      if (this.isKw('in')) {
        this.i++;
        items = [];
        while (this.peek()?.t === 'word') items.push((this.toks[this.i++] as { w: Word }).w);
      }
      this.expectKw('do', 'for');
      const body = this.list(['done']);
      this.expectKw('done', 'do');
      return { k: 'for', name, items, body, redirs: this.redirs() };
    }
    if (kw === 'if') {
      this.i++;
      const branches: { cond: List; body: List }[] = [];
      let otherwise: List | undefined;
      for (;;) {
        const cond = this.list(['then']);
        this.expectKw('then', 'if');
        const body = this.list(['elif', 'else', 'fi']);
        branches.push({ cond, body });
        this.skipSeparators();
        if (this.isKw('elif')) {
          this.i++;
          continue;
        }
        if (this.isKw('else')) {
          this.i++;
          otherwise = this.list(['fi']);
        }
        this.expectKw('fi', 'then');
        break;
      }
      return { k: 'if', branches, otherwise, redirs: this.redirs() };
    }
    if (kw === '{') {
      this.i++;
      const body = this.list(['}']);
      this.expectKw('}', '{');
      return { k: 'group', body, subshell: false, redirs: this.redirs() };
    }
    if (this.isOp('(')) {
      this.i++;
      const body = this.list();
      if (!this.isOp(')')) throw new ShellSyntax('syntax error: ")" expected');
      this.i++;
      return { k: 'group', body, subshell: true, redirs: this.redirs() };
    }
    return this.simple();
  }

  private redirs(): Redir[] {
    const out: Redir[] = [];
    for (;;) {
      const r = this.redir();
      if (!r) return out;
      out.push(r);
    }
  }

  private redir(): Redir | undefined {
    const t = this.peek();
    if (t?.t !== 'op') return undefined;
    let fd: number | undefined;
    let j = this.i;
    if (t.v.startsWith('fd')) {
      fd = Number(t.v.slice(2));
      j++;
    }
    const op = this.toks[j];
    if (op?.t !== 'op' || !['>', '>>', '<', '>&', '&>'].includes(op.v)) return undefined;
    const target = this.toks[j + 1];
    if (target?.t !== 'word') throw new ShellSyntax(`syntax error near unexpected token "${target ? this.describe(target) : 'newline'}"`);
    this.i = j + 2;
    if (op.v === '&>') return { fd: 1, op: '&>', target: target.w };
    return { fd: fd ?? (op.v === '<' ? 0 : 1), op: op.v as Redir['op'], target: target.w };
  }

  private simple(): Node {
    const assigns: { name: string; value: Word }[] = [];
    const words: Word[] = [];
    const redirs: Redir[] = [];
    for (;;) {
      const r = this.redir();
      if (r) {
        redirs.push(r);
        continue;
      }
      const t = this.peek();
      if (t?.t !== 'word') break;
      if (!words.length && RESERVED.has(literal(t) ?? '')) break;
      const first = t.w.parts[0];
      const eq = first?.k === 'lit' && !first.q ? first.v.indexOf('=') : -1;
      if (!words.length && eq > 0 && NAME.test((first as { v: string }).v.slice(0, eq))) {
        const f = first as { v: string; q: boolean };
        assigns.push({ name: f.v.slice(0, eq), value: { parts: [{ k: 'lit', v: f.v.slice(eq + 1), q: false }, ...t.w.parts.slice(1)] } });
      } else words.push(t.w);
      this.i++;
    }
    if (!words.length && !assigns.length && !redirs.length) {
      const t = this.peek();
      throw new ShellSyntax(`syntax error near unexpected token "${t ? this.describe(t) : 'end of file'}"`);
    }
    return { k: 'simple', assigns, words, redirs };
  }

  done(): boolean {
    this.skipSeparators();
    return this.i >= this.toks.length;
  }

  rest(): Tok {
    return this.toks[this.i];
  }
}

/** parse reads a whole script; a ShellSyntax error says what it could not read. */
export function parse(src: string): List {
  const p = new Parser(tokenize(src));
  const list = p.list();
  if (!p.done()) {
    const t = p.rest();
    throw new ShellSyntax(`syntax error near unexpected token "${t.t === 'op' ? t.v : t.raw}"`);
  }
  return list;
}
