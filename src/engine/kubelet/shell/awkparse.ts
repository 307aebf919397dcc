/**
 * awkparse.ts: reads an awk program (POSIX awk's grammar, as busybox's awk.c accepts it) into a tree
 * that awk.ts runs. A program it cannot read is an AwkSyntax with busybox's words ("Unexpected token",
 * "Unexpected end of string") and the line; what it reads but the simulation does not run (getline,
 * printing into a command) is Unknown, before anything runs.
 */
import { Unknown } from './proc.ts';

/** AwkSyntax: a program busybox's awk refuses (`awk: cmd. line:1: Unexpected token`). */
export class AwkSyntax extends Error {
  /** source: the program text's name in the message ("cmd. line", or the -f file). */
  source = 'cmd. line';

  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export type Expr =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  /** ere: a /regex/ (a pattern alone matches $0). */
  | { k: 'ere'; src: string }
  | { k: 'var'; name: string }
  | { k: 'index'; name: string; subs: Expr[] }
  | { k: 'field'; e: Expr }
  | { k: 'assign'; op: string; target: LValue; e: Expr }
  | { k: 'cond'; c: Expr; a: Expr; b: Expr }
  | { k: 'and' | 'or'; a: Expr; b: Expr }
  | { k: 'in'; subs: Expr[]; name: string }
  | { k: 'match'; neg: boolean; e: Expr; re: Expr }
  | { k: 'cmp'; op: string; a: Expr; b: Expr }
  | { k: 'concat'; a: Expr; b: Expr }
  | { k: 'bin'; op: string; a: Expr; b: Expr }
  | { k: 'unary'; op: string; e: Expr }
  | { k: 'incdec'; op: '++' | '--'; prefix: boolean; target: LValue }
  | { k: 'call'; name: string; args: Expr[] }
  | { k: 'ucall'; name: string; args: Expr[] }
  /** group: `(a, b)`, only before `in` or as print's whole argument list. */
  | { k: 'group'; list: Expr[] };

export type LValue = Extract<Expr, { k: 'var' | 'index' | 'field' }>;

export interface Redirect {
  op: '>' | '>>';
  e: Expr;
}

export type Stmt = { line: number } & (
  | { k: 'print' | 'printf'; args: Expr[]; redirect?: Redirect }
  | { k: 'expr'; e: Expr }
  | { k: 'if'; c: Expr; then: Stmt; else?: Stmt }
  | { k: 'while'; c: Expr; body: Stmt }
  | { k: 'do'; body: Stmt; c: Expr }
  | { k: 'for'; init?: Expr; c?: Expr; post?: Expr; body: Stmt }
  | { k: 'forin'; v: string; arr: string; body: Stmt }
  | { k: 'block'; body: Stmt[] }
  | { k: 'next' | 'nextfile' | 'break' | 'continue' }
  | { k: 'exit' | 'return'; e?: Expr }
  | { k: 'delete'; name: string; subs?: Expr[] }
);

export interface Rule {
  /** pattern: none (every record), an expression, or a range `p1, p2`. */
  pattern?: Expr | [Expr, Expr];
  /** action: undefined prints the record. */
  action?: Stmt[];
}

export interface AwkFunction {
  params: string[];
  body: Stmt[];
}

export interface Program {
  begin: Stmt[][];
  rules: Rule[];
  end: Stmt[][];
  funcs: Map<string, AwkFunction>;
  /** names: every variable name the program mentions (ENVIRON is filled only when used). */
  names: Set<string>;
}

/** BUILTINS: the functions busybox's awk has, with the fewest arguments each takes (awk.c's tokeninfo). */
export const BUILTINS: Record<string, number> = {
  length: 0, substr: 2, index: 2, split: 2, sub: 2, gsub: 2, match: 2, sprintf: 0, tolower: 1, toupper: 1,
  int: 0, sqrt: 0, exp: 0, log: 0, sin: 0, cos: 0, atan2: 2, rand: 0, srand: 0, system: 0, close: 0, fflush: 0,
  and: 2, or: 2, xor: 2, lshift: 2, rshift: 2, compl: 1, systime: 0, gensub: 3, strftime: 0, mktime: 1,
};

const KEYWORDS = new Set(['BEGIN', 'END', 'function', 'func', 'if', 'else', 'while', 'for', 'do', 'break', 'continue', 'next', 'nextfile', 'exit', 'return', 'delete', 'getline', 'print', 'printf', 'in']);

type TokKind = 'num' | 'str' | 'ere' | 'name' | 'funcname' | 'builtin' | 'kw' | 'op' | 'nl' | 'eof';
interface Tok {
  kind: TokKind;
  v: string;
  n?: number;
  line: number;
}

/** OPS: the punctuation, longest first so `**=` is read before `**` and `*`. */
const OPS = ['**=', '&&', '||', '==', '<=', '>=', '!=', '!~', '++', '--', '+=', '-=', '*=', '/=', '%=', '^=', '**', '>>', '{', '}', '(', ')', '[', ']', ';', ',', '+', '-', '*', '/', '%', '^', '!', '>', '<', '|', '?', ':', '~', '$', '='];

/** A newline after these continues the statement (POSIX awk's grammar: newline_opt after `{ && || , do else`). */
const NEWLINE_AFTER = new Set(['{', '&&', '||', ',', 'do', 'else']);

/** unescapeAwk reads a string's escapes as awk does (`\n \t \" \\ \/ \ooo`); an unknown `\c` is c (busybox's nextchar). */
export function unescapeAwk(s: string): string {
  return s.replace(/\\([0-7]{1,3}|[\s\S]?)/g, (_m, c: string) => escapeChar(c) ?? c);
}

function escapeChar(c: string): string | undefined {
  if (/^[0-7]+$/.test(c)) return String.fromCharCode(parseInt(c, 8) & 0xff);
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', '/': '/' };
  return simple[c];
}

/**
 * regexEscapes reads a /regex/ literal's escapes as busybox's lexer does: \n, \t … and octal become the
 * character, `\\` and `\/` stay for the regex compiler, any other `\c` is left as it is (`\.` is a dot).
 */
function regexEscapes(s: string): string {
  return s.replace(/\\([0-7]{1,3}|[\s\S]?)/g, (m, c: string) => (c === '\\' || c === '/' || c === '"' ? m : (escapeChar(c) ?? m)));
}

/** lex reads the program's tokens; a `/` is a regex where an operand is expected, a division after one. */
function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let line = 1;
  let i = 0;
  const syntax = (msg = 'Unexpected token') => new AwkSyntax(msg, line);
  const last = () => toks[toks.length - 1];
  const push = (kind: TokKind, v: string, n?: number) => {
    const prev = last();
    if (kind === 'nl' && (!prev || prev.kind === 'nl' || ((prev.kind === 'op' || prev.kind === 'kw') && NEWLINE_AFTER.has(prev.v)))) return;
    toks.push({ kind, v, n, line });
  };
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      line++;
    } else if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '\n') {
      push('nl', '\n');
      line++;
      i++;
    } else if (c === '"') {
      let j = i + 1;
      let raw = '';
      while (src[j] !== '"') {
        if (j >= src.length || src[j] === '\n') throw syntax('Unexpected end of string');
        if (src[j] === '\\' && j + 1 < src.length) raw += src[j++];
        raw += src[j++];
      }
      push('str', unescapeAwk(raw));
      i = j + 1;
    } else if (c === '/' && !operandBefore(last())) {
      let j = i + 1;
      let raw = '';
      while (src[j] !== '/') {
        if (j >= src.length || src[j] === '\n') throw syntax('Unexpected end of string');
        if (src[j] === '\\' && j + 1 < src.length) raw += src[j++];
        else if (src[j] === '[') {
          // A bracket expression may hold a `/`: [^/]. Its `]` first is a member.
          let k = j + 1;
          if (src[k] === '^') k++;
          if (src[k] === ']') k++;
          while (k < src.length && src[k] !== ']' && src[k] !== '\n') k++;
          if (src[k] === ']') {
            raw += src.slice(j, k);
            j = k;
          }
        }
        raw += src[j++];
      }
      push('ere', regexEscapes(raw));
      i = j + 1;
    } else if (/[0-9.]/.test(c) && /[0-9]/.test(c === '.' ? (src[i + 1] ?? '') : c)) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(src.slice(i))!;
      i += m[0].length;
      if (src[i] === '.') throw syntax();
      push('num', m[0], Number(m[0]));
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      i += m[0].length;
      const word = m[0];
      if (KEYWORDS.has(word)) push('kw', word === 'func' ? 'function' : word);
      else if (Object.hasOwn(BUILTINS, word)) push('builtin', word);
      else push(src[i] === '(' ? 'funcname' : 'name', word);
    } else {
      const op = OPS.find((o) => src.startsWith(o, i));
      if (!op) throw syntax();
      i += op.length;
      push('op', op === '**' ? '^' : op === '**=' ? '^=' : op);
    }
  }
  push('nl', '\n');
  toks.push({ kind: 'eof', v: '', line });
  return toks;
}

/** operandBefore: the token ends an operand, so a `/` after it divides. */
function operandBefore(t: Tok | undefined): boolean {
  if (!t) return false;
  if (t.kind === 'num' || t.kind === 'str' || t.kind === 'ere' || t.kind === 'name' || t.kind === 'builtin') return true;
  return t.kind === 'op' && (t.v === ')' || t.v === ']' || t.v === '++' || t.v === '--' || t.v === '$');
}

const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '^=']);
const CMP_OPS = new Set(['<', '<=', '==', '!=', '>', '>=']);
/** CONCAT_OPS: punctuation that starts the next operand of a concatenation. */
const CONCAT_OPS = new Set(['$', '(', '++', '--']);

/** Parser: recursive descent over POSIX awk's expression grammar, lowest precedence first. */
class Parser {
  private i = 0;
  private loops = 0;
  private inFunction = false;
  /** noGt: inside print's unparenthesised arguments, where `>` redirects. */
  private noGt = false;
  readonly names = new Set<string>();

  constructor(private toks: Tok[]) {}

  private peek(ahead = 0): Tok {
    return this.toks[Math.min(this.i + ahead, this.toks.length - 1)];
  }
  private is(v: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return (t.kind === 'op' || t.kind === 'kw') && t.v === v;
  }
  private take(): Tok {
    return this.toks[Math.min(this.i++, this.toks.length - 1)];
  }
  /** unexpected is busybox's error for the token at hand: the end of a line or the program is "end of string". */
  private unexpected(t = this.peek()): AwkSyntax {
    return new AwkSyntax(t.kind === 'nl' || t.kind === 'eof' ? 'Unexpected end of string' : 'Unexpected token', t.line);
  }
  private expect(v: string): Tok {
    if (!this.is(v)) throw this.unexpected();
    return this.take();
  }
  private skipNewlines(): void {
    while (this.peek().kind === 'nl') this.i++;
  }
  private skipTerminators(): void {
    while (this.peek().kind === 'nl' || this.is(';')) this.i++;
  }

  program(into: Program): void {
    this.skipTerminators();
    while (this.peek().kind !== 'eof') {
      if (this.is('BEGIN') || this.is('END')) {
        const which = this.take().v;
        this.skipNewlines();
        if (!this.is('{')) throw this.unexpected();
        (which === 'BEGIN' ? into.begin : into.end).push(this.block());
      } else if (this.is('function')) {
        this.take();
        const name = this.take();
        if (name.kind !== 'name' && name.kind !== 'funcname') throw this.unexpected(name);
        this.expect('(');
        const params: string[] = [];
        while (!this.is(')')) {
          const p = this.take();
          if (p.kind !== 'name') throw this.unexpected(p);
          params.push(p.v);
          if (!this.is(')')) this.expect(',');
          this.skipNewlines();
        }
        this.take();
        this.skipNewlines();
        this.inFunction = true;
        into.funcs.set(name.v, { params, body: this.block() });
        this.inFunction = false;
      } else {
        const rule: Rule = {};
        if (!this.is('{')) {
          const first = this.expr();
          if (this.is(',')) {
            this.take();
            rule.pattern = [first, this.expr()];
          } else rule.pattern = first;
        }
        if (this.is('{')) rule.action = this.block();
        else if (this.peek().kind !== 'nl' && !this.is(';') && this.peek().kind !== 'eof') throw this.unexpected();
        into.rules.push(rule);
      }
      this.skipTerminators();
    }
  }

  private block(): Stmt[] {
    this.expect('{');
    const body: Stmt[] = [];
    this.skipTerminators();
    while (!this.is('}')) {
      if (this.peek().kind === 'eof') throw this.unexpected();
      body.push(this.stmt());
      this.skipTerminators();
    }
    this.take();
    return body;
  }

  /** body is a loop's or an if's statement, after the newlines its `)` allows. */
  private body(loop: boolean): Stmt {
    this.skipNewlines();
    if (this.is(';')) {
      const line = this.take().line;
      return { line, k: 'block', body: [] };
    }
    if (loop) this.loops++;
    try {
      return this.stmt();
    } finally {
      if (loop) this.loops--;
    }
  }

  private stmt(): Stmt {
    const t = this.peek();
    const line = t.line;
    if (this.is('{')) return { line, k: 'block', body: this.block() };
    if (this.is('if')) {
      this.take();
      const c = this.condition();
      const then = this.body(false);
      const save = this.i;
      this.skipTerminators();
      if (this.is('else')) {
        this.take();
        return { line, k: 'if', c, then, else: this.body(false) };
      }
      this.i = save;
      return { line, k: 'if', c, then };
    }
    if (this.is('while')) {
      this.take();
      const c = this.condition();
      return { line, k: 'while', c, body: this.body(true) };
    }
    if (this.is('do')) {
      this.take();
      const body = this.body(true);
      this.skipTerminators();
      this.expect('while');
      const c = this.condition();
      this.terminator();
      return { line, k: 'do', body, c };
    }
    if (this.is('for')) return this.forStmt();
    const s = this.simple(line);
    this.terminator();
    return s;
  }

  private forStmt(): Stmt {
    const line = this.take().line;
    this.expect('(');
    const [a, kw, b, close] = [this.peek(), this.peek(1), this.peek(2), this.peek(3)];
    if (a.kind === 'name' && kw.kind === 'kw' && kw.v === 'in' && b.kind === 'name' && close.v === ')' && close.kind === 'op') {
      this.i += 4;
      this.names.add(a.v).add(b.v);
      return { line, k: 'forin', v: a.v, arr: b.v, body: this.body(true) };
    }
    const init = this.is(';') ? undefined : this.expr();
    this.expect(';');
    this.skipNewlines();
    const c = this.is(';') ? undefined : this.expr();
    this.expect(';');
    this.skipNewlines();
    const post = this.is(')') ? undefined : this.expr();
    this.expect(')');
    return { line, k: 'for', init, c, post, body: this.body(true) };
  }

  private condition(): Expr {
    this.expect('(');
    const c = this.expr();
    this.expect(')');
    return c;
  }

  /** terminator ends a simple statement: `;` or a newline, or the `}` or end that follows it. */
  private terminator(): void {
    if (this.is(';') || this.peek().kind === 'nl') this.take();
    else if (!this.is('}') && this.peek().kind !== 'eof') throw this.unexpected();
  }

  private endsSimple(): boolean {
    const t = this.peek();
    return t.kind === 'nl' || t.kind === 'eof' || this.is(';') || this.is('}');
  }

  private simple(line: number): Stmt {
    const t = this.peek();
    if (t.kind === 'kw') {
      switch (t.v) {
        case 'print':
        case 'printf':
          return this.print(line);
        case 'next':
        case 'nextfile':
          this.take();
          return { line, k: t.v };
        case 'break':
        case 'continue':
          this.take();
          if (!this.loops) throw new AwkSyntax(`'${t.v}' not in a loop`, line);
          return { line, k: t.v };
        case 'exit':
        case 'return':
          this.take();
          if (t.v === 'return' && !this.inFunction) throw this.unexpected(t);
          return { line, k: t.v, e: this.endsSimple() ? undefined : this.expr() };
        case 'delete': {
          this.take();
          const name = this.take();
          if (name.kind !== 'name') throw this.unexpected(name);
          this.names.add(name.v);
          if (!this.is('[')) return { line, k: 'delete', name: name.v };
          this.take();
          const subs = this.exprList();
          this.expect(']');
          return { line, k: 'delete', name: name.v, subs };
        }
        case 'getline':
          throw new Unknown('awk getline');
      }
    }
    return { line, k: 'expr', e: this.expr() };
  }

  private print(line: number): Stmt {
    const k = this.take().v as 'print' | 'printf';
    let args: Expr[] = [];
    const redirecting = () => this.is('>') || this.is('>>') || this.is('|');
    if (!this.endsSimple() && !redirecting()) {
      this.noGt = true;
      try {
        args = this.exprList();
      } finally {
        this.noGt = false;
      }
      if (args.length === 1 && args[0].k === 'group') args = args[0].list;
    }
    if (k === 'printf' && !args.length) throw this.unexpected();
    if (this.is('|')) throw new Unknown(`awk ${k} | COMMAND (printing into a command)`);
    if (this.is('>') || this.is('>>')) {
      const op = this.take().v as '>' | '>>';
      this.noGt = true;
      try {
        return { line, k, args, redirect: { op, e: this.ternary() } };
      } finally {
        this.noGt = false;
      }
    }
    return { line, k, args };
  }

  private exprList(): Expr[] {
    const list = [this.expr()];
    while (this.is(',')) {
      this.take();
      list.push(this.expr());
    }
    return list;
  }

  /** expr: an assignment (right to left) or a conditional. */
  expr(): Expr {
    const left = this.ternary();
    const t = this.peek();
    if (t.kind === 'op' && ASSIGN_OPS.has(t.v) && isLValue(left)) {
      this.take();
      this.skipNewlines();
      return { k: 'assign', op: t.v, target: left, e: this.expr() };
    }
    return left;
  }

  private ternary(): Expr {
    const c = this.or();
    if (!this.is('?')) return c;
    this.take();
    this.skipNewlines();
    const a = this.expr();
    this.skipNewlines();
    this.expect(':');
    this.skipNewlines();
    return { k: 'cond', c, a, b: this.expr() };
  }

  private or(): Expr {
    let a = this.and();
    while (this.is('||')) {
      this.take();
      a = { k: 'or', a, b: this.and() };
    }
    return a;
  }

  private and(): Expr {
    let a = this.inExpr();
    while (this.is('&&')) {
      this.take();
      a = { k: 'and', a, b: this.inExpr() };
    }
    return a;
  }

  private inExpr(): Expr {
    let a = this.match();
    while (this.is('in')) {
      this.take();
      const name = this.take();
      if (name.kind !== 'name') throw this.unexpected(name);
      this.names.add(name.v);
      a = { k: 'in', subs: a.k === 'group' ? a.list : [a], name: name.v };
    }
    return a;
  }

  private match(): Expr {
    let a = this.cmp();
    while (this.is('~') || this.is('!~')) {
      const neg = this.take().v === '!~';
      a = { k: 'match', neg, e: a, re: this.cmp() };
    }
    return a;
  }

  private cmp(): Expr {
    const a = this.concat();
    const t = this.peek();
    if (t.kind === 'op' && CMP_OPS.has(t.v) && !(this.noGt && t.v === '>')) {
      this.take();
      return { k: 'cmp', op: t.v, a, b: this.concat() };
    }
    return a;
  }

  /** concat: operands side by side; a next operand starts with one of these (never + - or !, which are binary or a syntax error). */
  private concat(): Expr {
    let a = this.additive();
    for (;;) {
      const t = this.peek();
      const starts = t.kind === 'num' || t.kind === 'str' || t.kind === 'ere' || t.kind === 'name' || t.kind === 'funcname' || t.kind === 'builtin' || (t.kind === 'op' && CONCAT_OPS.has(t.v));
      if (!starts) return a;
      a = { k: 'concat', a, b: this.additive() };
    }
  }

  private additive(): Expr {
    let a = this.multiplicative();
    while (this.is('+') || this.is('-')) {
      const op = this.take().v;
      a = { k: 'bin', op, a, b: this.multiplicative() };
    }
    return a;
  }

  private multiplicative(): Expr {
    let a = this.unary();
    while (this.is('*') || this.is('/') || this.is('%')) {
      const op = this.take().v;
      a = { k: 'bin', op, a, b: this.unary() };
    }
    return a;
  }

  private unary(): Expr {
    if (this.is('!') || this.is('-') || this.is('+')) {
      const op = this.take().v;
      return { k: 'unary', op, e: this.unary() };
    }
    return this.power();
  }

  /** power: `^` binds tighter than unary minus on its left (-2^2 is -4) and takes one on its right (2^-1), right to left. */
  private power(): Expr {
    const a = this.postfix();
    if (!this.is('^')) return a;
    this.take();
    return { k: 'bin', op: '^', a, b: this.powerOperand() };
  }

  private powerOperand(): Expr {
    if (this.is('!') || this.is('-') || this.is('+')) {
      const op = this.take().v;
      return { k: 'unary', op, e: this.powerOperand() };
    }
    return this.power();
  }

  private postfix(): Expr {
    const e = this.primary();
    if ((this.is('++') || this.is('--')) && isLValue(e)) return { k: 'incdec', op: this.take().v as '++' | '--', prefix: false, target: e };
    return e;
  }

  private primary(): Expr {
    const t = this.take();
    switch (t.kind) {
      case 'num':
        return { k: 'num', v: t.n! };
      case 'str':
        return { k: 'str', v: t.v };
      case 'ere':
        return { k: 'ere', src: t.v };
      case 'name':
        this.names.add(t.v);
        if (this.is('[')) {
          this.take();
          const subs = this.exprList();
          this.expect(']');
          return { k: 'index', name: t.v, subs };
        }
        return { k: 'var', name: t.v };
      case 'funcname': {
        this.expect('(');
        const args = this.is(')') ? [] : this.exprList();
        this.expect(')');
        return { k: 'ucall', name: t.v, args };
      }
      case 'builtin':
        return this.builtin(t);
      case 'kw':
        if (t.v === 'getline') throw new Unknown('awk getline');
        throw this.unexpected(t);
      case 'op':
        break;
      default:
        throw this.unexpected(t);
    }
    if (t.v === '$') {
      // $ binds tighter than everything but grouping: $i++ is ($i)++, $NF-1 is ($NF)-1; $++i and $-1 take their operand.
      if (this.is('++') || this.is('--') || this.is('-') || this.is('+') || this.is('!')) {
        const op = this.peek().v;
        if (op === '++' || op === '--') {
          this.take();
          const target = this.primary();
          if (!isLValue(target)) throw this.unexpected();
          return { k: 'field', e: { k: 'incdec', op, prefix: true, target } };
        }
        this.take();
        return { k: 'field', e: { k: 'unary', op, e: this.primary() } };
      }
      return { k: 'field', e: this.primary() };
    }
    if (t.v === '++' || t.v === '--') {
      const target = this.primary();
      if (!isLValue(target)) throw this.unexpected();
      return { k: 'incdec', op: t.v, prefix: true, target };
    }
    if (t.v === '(') {
      const saved = this.noGt;
      this.noGt = false;
      let list: Expr[];
      try {
        this.skipNewlines();
        list = this.exprList();
        this.skipNewlines();
      } finally {
        this.noGt = saved;
      }
      this.expect(')');
      if (list.length === 1) return list[0];
      // (a, b) is a subscript list before `in`, or print's arguments; anything else is a syntax error.
      if (this.is('in') || (saved && (this.endsSimple() || this.is('>') || this.is('>>') || this.is('|')))) return { k: 'group', list };
      throw this.unexpected();
    }
    if (t.v === '-' || t.v === '+' || t.v === '!') return { k: 'unary', op: t.v, e: this.unary() };
    throw this.unexpected(t);
  }

  private builtin(t: Tok): Expr {
    const name = t.v;
    let args: Expr[] = [];
    if (name === 'length' && !this.is('(')) return { k: 'call', name, args };
    if (!this.is('(')) throw this.unexpected();
    this.take();
    if (!this.is(')')) args = this.exprList();
    this.expect(')');
    if (args.length < BUILTINS[name]) throw new AwkSyntax('Too few arguments for builtin', t.line);
    if (name === 'split' && args[1].k !== 'var') throw new AwkSyntax('Unexpected token', t.line);
    if ((name === 'sub' || name === 'gsub') && args[2] && !isLValue(args[2])) throw new AwkSyntax('Unexpected token', t.line);
    return { k: 'call', name, args };
  }
}

export function isLValue(e: Expr): e is LValue {
  return e.k === 'var' || e.k === 'index' || e.k === 'field';
}

/**
 * parseAwk reads program texts (-f files, then the command line's) into one program. A syntax error
 * names its source as busybox does: the file, or "cmd. line".
 */
export function parseAwk(sources: { name: string; text: string }[]): Program {
  const program: Program = { begin: [], rules: [], end: [], funcs: new Map(), names: new Set() };
  for (const src of sources) {
    try {
      const toks = lex(src.text);
      // getline in any form (`getline`, `getline x < FILE`, `CMD | getline`) reads input the simulation does not run.
      if (toks.some((t) => t.kind === 'kw' && t.v === 'getline')) throw new Unknown('awk getline');
      const parser = new Parser(toks);
      parser.program(program);
      for (const n of parser.names) program.names.add(n);
    } catch (e) {
      if (e instanceof AwkSyntax) e.source = src.name;
      throw e;
    }
  }
  return program;
}
