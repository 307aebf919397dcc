/**
 * parser builds a PromQL AST (promql/parser): vector selectors with = != =~ !~ matchers, range
 * selectors [5m], offset, function calls, aggregations with by/without (before or after the body),
 * binary operators with Prometheus' precedence (^ right-associative; * / %; + -; comparisons;
 * and unless; or), `bool`, and on/ignoring/group_left/group_right vector matching.
 */
import { compileGo, type GoRegexp } from '../../regexp.ts';
import { lex, ParseError, type Token } from './lexer.ts';

/** Matcher is one label matcher; re is the compiled, anchored regex of =~ and !~ (compiled once, at parse time). */
export type Matcher = { name: string; op: '=' | '!=' | '=~' | '!~'; value: string; re?: GoRegexp };

export type Expr =
  | { type: 'number'; value: number }
  | { type: 'string'; value: string }
  | { type: 'selector'; name?: string; matchers: Matcher[]; offsetMs: number }
  | { type: 'matrix'; selector: Extract<Expr, { type: 'selector' }>; rangeMs: number }
  | { type: 'call'; func: string; args: Expr[] }
  | { type: 'aggregate'; op: string; param?: Expr; expr: Expr; grouping: string[]; without: boolean }
  | { type: 'binary'; op: string; lhs: Expr; rhs: Expr; bool: boolean; matching?: VectorMatching }
  | { type: 'unary'; op: '-' | '+'; expr: Expr }
  | { type: 'paren'; expr: Expr };

export interface VectorMatching {
  on: boolean;
  labels: string[];
  card: 'one-to-one' | 'many-to-one' | 'one-to-many';
  include: string[];
}

export const AGGREGATORS = ['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values'];
const PRECEDENCE: Record<string, number> = {
  or: 1,
  and: 2,
  unless: 2,
  '==': 3,
  '!=': 3,
  '<=': 3,
  '<': 3,
  '>=': 3,
  '>': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  atan2: 5,
  '^': 6,
};
export const COMPARISON = new Set(['==', '!=', '<=', '<', '>=', '>']);

/** MAX_QUERY is the longest PromQL expression accepted. */
export const MAX_QUERY = 4096;

export function parse(input: string): Expr {
  if (input.length > MAX_QUERY) throw new ParseError(MAX_QUERY, `query longer than ${MAX_QUERY} characters`);
  const p = new Parser(lex(input));
  const e = p.expr(0);
  p.expectEof();
  return e;
}

class Parser {
  private i = 0;
  constructor(private toks: Token[]) {}

  private peek(): Token {
    return this.toks[this.i];
  }
  private next(): Token {
    return this.toks[this.i++];
  }
  private is(text: string): boolean {
    const t = this.peek();
    return (t.kind === 'punct' || t.kind === 'op') && t.text === text;
  }
  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.text.toLowerCase() === word;
  }
  private expect(text: string, what = `"${text}"`): Token {
    const t = this.next();
    if ((t.kind === 'punct' || t.kind === 'op') && t.text === text) return t;
    throw new ParseError(t.pos, `unexpected ${describe(t)}, expected ${what}`);
  }
  expectEof(): void {
    const t = this.peek();
    if (t.kind !== 'eof') throw new ParseError(t.pos, `unexpected ${describe(t)}`);
  }

  private binaryOp(): string | undefined {
    const t = this.peek();
    if (t.kind === 'op' && PRECEDENCE[t.text] !== undefined) return t.text;
    if (t.kind === 'ident' && ['and', 'or', 'unless', 'atan2'].includes(t.text.toLowerCase())) return t.text.toLowerCase();
    return undefined;
  }

  expr(minPrec: number): Expr {
    let lhs = this.unary();
    for (;;) {
      const op = this.binaryOp();
      if (!op) return lhs;
      const prec = PRECEDENCE[op];
      if (prec < minPrec) return lhs;
      this.next();
      let bool = false;
      if (this.isKeyword('bool')) {
        if (!COMPARISON.has(op)) throw new ParseError(this.peek().pos, 'bool modifier can only be used on comparison operators');
        this.next();
        bool = true;
      }
      const matching = this.vectorMatching();
      const rhs = this.expr(op === '^' ? prec : prec + 1);
      lhs = { type: 'binary', op, lhs, rhs, bool, matching };
    }
  }

  private vectorMatching(): VectorMatching | undefined {
    if (!this.isKeyword('on') && !this.isKeyword('ignoring')) return undefined;
    const on = this.next().text.toLowerCase() === 'on';
    const labels = this.labelList();
    let card: VectorMatching['card'] = 'one-to-one';
    let include: string[] = [];
    if (this.isKeyword('group_left') || this.isKeyword('group_right')) {
      card = this.next().text.toLowerCase() === 'group_left' ? 'many-to-one' : 'one-to-many';
      if (this.is('(')) include = this.labelList();
    }
    return { on, labels, card, include };
  }

  private labelList(): string[] {
    this.expect('(');
    const out: string[] = [];
    while (!this.is(')')) {
      const t = this.next();
      if (t.kind !== 'ident') throw new ParseError(t.pos, `unexpected ${describe(t)} in grouping opts, expected label`);
      out.push(t.text);
      if (!this.is(')')) this.expect(',', '"," or ")"');
    }
    this.next();
    return out;
  }

  private unary(): Expr {
    if (this.is('-') || this.is('+')) {
      const op = this.next().text as '-' | '+';
      const e = this.expr(PRECEDENCE['^']); // unary binds tighter than * but looser than ^
      return { type: 'unary', op, expr: e };
    }
    return this.postfix(this.primary());
  }

  private postfix(e: Expr): Expr {
    for (;;) {
      if (this.is('[')) {
        const open = this.next();
        const d = this.next();
        if (d.kind !== 'duration') throw new ParseError(d.pos, `unexpected ${describe(d)} in range, expected duration`);
        this.expect(']');
        if (e.type !== 'selector') throw new ParseError(open.pos, 'ranges only allowed for vector selectors');
        e = { type: 'matrix', selector: e, rangeMs: d.value! };
        continue;
      }
      if (this.isKeyword('offset')) {
        const kw = this.next();
        let sign = 1;
        if (this.is('-')) {
          this.next();
          sign = -1;
        }
        const d = this.next();
        if (d.kind !== 'duration') throw new ParseError(d.pos, `unexpected ${describe(d)} in offset, expected duration`);
        if (e.type === 'selector') e.offsetMs = sign * d.value!;
        else if (e.type === 'matrix') e.selector.offsetMs = sign * d.value!;
        else throw new ParseError(kw.pos, 'offset modifier must be preceded by an instant vector selector or range vector selector');
        continue;
      }
      return e;
    }
  }

  private primary(): Expr {
    const t = this.peek();
    if (t.kind === 'number') {
      this.next();
      return { type: 'number', value: t.value! };
    }
    if (t.kind === 'duration') {
      // A bare duration used as a number of seconds (Prometheus 3 allows it in some places).
      this.next();
      return { type: 'number', value: t.value! / 1000 };
    }
    if (t.kind === 'string') {
      this.next();
      return { type: 'string', value: t.text };
    }
    if (this.is('(')) {
      this.next();
      const e = this.expr(0);
      this.expect(')');
      return { type: 'paren', expr: e };
    }
    if (this.is('{')) return this.selector(undefined);
    if (t.kind === 'ident') {
      const lower = t.text.toLowerCase();
      if (AGGREGATORS.includes(lower)) {
        const after = this.toks[this.i + 1];
        if ((after.kind === 'punct' && after.text === '(') || (after.kind === 'ident' && ['by', 'without'].includes(after.text.toLowerCase()))) {
          return this.aggregate();
        }
      }
      const after = this.toks[this.i + 1];
      if (after.kind === 'punct' && after.text === '(') return this.call();
      this.next();
      return this.selector(t.text);
    }
    throw new ParseError(t.pos, `unexpected ${describe(t)}`);
  }

  private aggregate(): Expr {
    const op = this.next().text.toLowerCase();
    let grouping: string[] = [];
    let without = false;
    let grouped = false;
    if (this.isKeyword('by') || this.isKeyword('without')) {
      without = this.next().text.toLowerCase() === 'without';
      grouping = this.labelList();
      grouped = true;
    }
    this.expect('(');
    const args: Expr[] = [];
    while (!this.is(')')) {
      args.push(this.expr(0));
      if (!this.is(')')) this.expect(',', '"," or ")"');
    }
    this.next();
    if (!grouped && (this.isKeyword('by') || this.isKeyword('without'))) {
      without = this.next().text.toLowerCase() === 'without';
      grouping = this.labelList();
    }
    const needsParam = ['topk', 'bottomk', 'quantile', 'count_values'].includes(op);
    if (args.length !== (needsParam ? 2 : 1)) {
      throw new ParseError(this.toks[this.i - 1].pos, `wrong number of arguments for aggregate expression provided, expected ${needsParam ? 2 : 1}, got ${args.length}`);
    }
    return needsParam
      ? { type: 'aggregate', op, param: args[0], expr: args[1], grouping, without }
      : { type: 'aggregate', op, expr: args[0], grouping, without };
  }

  private call(): Expr {
    const name = this.next();
    this.expect('(');
    const args: Expr[] = [];
    while (!this.is(')')) {
      args.push(this.expr(0));
      if (!this.is(')')) this.expect(',', '"," or ")"');
    }
    this.next();
    return { type: 'call', func: name.text, args };
  }

  private selector(name: string | undefined): Expr {
    const matchers: Matcher[] = [];
    if (this.is('{')) {
      this.next();
      while (!this.is('}')) {
        const l = this.next();
        if (l.kind !== 'ident' && l.kind !== 'string') throw new ParseError(l.pos, `unexpected ${describe(l)} in label matching, expected label`);
        const op = this.next();
        if (op.kind !== 'op' || !['=', '!=', '=~', '!~'].includes(op.text)) {
          throw new ParseError(op.pos, `unexpected ${describe(op)} in label matching, expected label matching operator`);
        }
        const v = this.next();
        if (v.kind !== 'string') throw new ParseError(v.pos, `unexpected ${describe(v)} in label matching, expected string`);
        if (op.text === '=~' || op.text === '!~') {
          const why = unsafeRegex(v.text);
          if (why) throw new ParseError(v.pos, `invalid regular expression "${v.text}": ${why}`);
        }
        const m: Matcher = { name: l.text, op: op.text as Matcher['op'], value: v.text };
        if (op.text === '=~' || op.text === '!~') m.re = anchored(v.text);
        matchers.push(m);
        if (!this.is('}')) this.expect(',', '"," or "}"');
      }
      this.next();
    }
    if (name !== undefined) matchers.unshift({ name: '__name__', op: '=', value: name });
    if (!matchers.some((m) => !matchEmpty(m))) {
      throw new ParseError(this.toks[this.i - 1].pos, 'vector selector must contain at least one non-empty matcher');
    }
    return { type: 'selector', name, matchers, offsetMs: 0 };
  }
}

function matchEmpty(m: Matcher): boolean {
  switch (m.op) {
    case '=':
      return m.value === '';
    case '!=':
      return m.value !== '';
    case '=~':
      return anchored(m.value).test('');
    case '!~':
      return !anchored(m.value).test('');
  }
}

/** MAX_REGEX is the longest label-matcher regex accepted (queries come from scenarios anyone can share). */
export const MAX_REGEX = 512;

/**
 * unsafeRegex says why a regex is refused: too long, or not RE2's syntax (Prometheus compiles matchers
 * with Go's regexp), in Go's words.
 */
export function unsafeRegex(re: string): string | undefined {
  if (re.length > MAX_REGEX) return `regex longer than ${MAX_REGEX} characters`;
  try {
    compileGo(re);
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

/** anchored compiles a PromQL regex, which is fully anchored, with RE2 as Prometheus does. */
export function anchored(re: string): GoRegexp {
  return compileGo(`^(?:${re})$`);
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of input';
  if (t.kind === 'number') return `number "${t.text}"`;
  if (t.kind === 'string') return `string "${t.text}"`;
  if (t.kind === 'duration') return `duration "${t.text}"`;
  if (t.kind === 'ident') return `identifier "${t.text}"`;
  return `character "${t.text}"`;
}
