/**
 * expr.ts: the subset of expr-lang (github.com/expr-lang/expr) that Argo's successCondition and
 * failureCondition use: numbers, strings, booleans, `result` with indexing and fields, comparison
 * (== != < <= > >=), arithmetic (+ - * / %), `&&`/`and`, `||`/`or`, `!`/`not`, parentheses, and
 * the functions len, abs, isNaN, isInf, all, any (with a `#` placeholder predicate).
 * A small Pratt parser: no evaluation of anything but this grammar (input is untrusted).
 */

type Tok = { t: 'num'; v: number } | { t: 'str'; v: string } | { t: 'id'; v: string } | { t: 'op'; v: string };

/** ExprError is a parse or evaluation error, worded for a measurement's message. */
export class ExprError extends Error {}

const MAX_LEN = 2000;

function lex(src: string): Tok[] {
  if (src.length > MAX_LEN) throw new ExprError(`expression longer than ${MAX_LEN} characters`);
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (/\s/.test(ch)) { i++; continue; }
    const num = /^(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+)/.exec(src.slice(i));
    if (num) { out.push({ t: 'num', v: parseFloat(num[1]) }); i += num[1].length; continue; }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== ch) { if (src[j] === '\\') j++; s += src[j++] ?? ''; }
      if (j >= src.length) throw new ExprError('unterminated string literal');
      out.push({ t: 'str', v: s });
      i = j + 1;
      continue;
    }
    const id = /^[A-Za-z_#$][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) { out.push({ t: 'id', v: id[0] }); i += id[0].length; continue; }
    const op = /^(==|!=|<=|>=|&&|\|\||[<>+\-*/%!()[\],.{}])/.exec(src.slice(i));
    if (op) { out.push({ t: 'op', v: op[1] }); i += op[1].length; continue; }
    throw new ExprError(`unexpected token ${JSON.stringify(ch)} (${i + 1}:${i + 1})`);
  }
  return out;
}

type Node =
  | { k: 'lit'; v: unknown }
  | { k: 'id'; name: string }
  | { k: 'un'; op: string; x: Node }
  | { k: 'bin'; op: string; l: Node; r: Node }
  | { k: 'idx'; x: Node; i: Node }
  | { k: 'field'; x: Node; name: string }
  | { k: 'call'; fn: string; args: Node[] }
  | { k: 'closure'; body: Node };

const BP: Record<string, number> = { '||': 1, or: 1, '&&': 2, and: 2, '==': 3, '!=': 3, '<': 4, '<=': 4, '>': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6 };

/** parseExpr parses a condition; throws ExprError. */
export function parseExpr(src: string): Node {
  const toks = lex(src);
  let p = 0;
  const peek = () => toks[p];
  const isOp = (v: string) => peek()?.t === 'op' && peek()!.v === v;
  const expect = (v: string) => {
    if (!isOp(v)) throw new ExprError(`expected ${v}`);
    p++;
  };
  const binOp = (): string | undefined => {
    const t = peek();
    if (!t) return undefined;
    if (t.t === 'op' && BP[t.v]) return t.v;
    if (t.t === 'id' && (t.v === 'and' || t.v === 'or')) return t.v;
    return undefined;
  };
  const expr = (minBp: number): Node => {
    let left = prefix();
    for (;;) {
      const op = binOp();
      if (!op || BP[op] <= minBp) break;
      p++;
      left = { k: 'bin', op, l: left, r: expr(BP[op]) };
    }
    return left;
  };
  const prefix = (): Node => {
    const t = toks[p++];
    if (!t) throw new ExprError('unexpected end of expression');
    let n: Node;
    if (t.t === 'num' || t.t === 'str') n = { k: 'lit', v: t.v };
    else if (t.t === 'op' && (t.v === '!' || t.v === '-' || t.v === '+')) return { k: 'un', op: t.v, x: expr(6) };
    else if (t.t === 'id' && t.v === 'not') return { k: 'un', op: '!', x: expr(2) };
    else if (t.t === 'op' && t.v === '(') {
      n = expr(0);
      expect(')');
    } else if (t.t === 'id') {
      if (t.v === 'true' || t.v === 'false') n = { k: 'lit', v: t.v === 'true' };
      else if (t.v === 'nil') n = { k: 'lit', v: null };
      else if (isOp('(')) {
        p++;
        const args: Node[] = [];
        while (!isOp(')')) {
          if (isOp('{')) {
            p++;
            args.push({ k: 'closure', body: expr(0) });
            expect('}');
          } else args.push(expr(0));
          if (isOp(',')) p++;
          else break;
        }
        expect(')');
        n = { k: 'call', fn: t.v, args };
      } else n = { k: 'id', name: t.v };
    } else throw new ExprError(`unexpected token ${t.v}`);
    for (;;) {
      if (isOp('[')) {
        p++;
        const i = expr(0);
        expect(']');
        n = { k: 'idx', x: n, i };
      } else if (isOp('.')) {
        p++;
        const f = toks[p++];
        if (!f || f.t !== 'id') throw new ExprError('expected field name');
        n = { k: 'field', x: n, name: f.v };
      } else break;
    }
    return n;
  };
  const root = expr(0);
  if (p < toks.length) throw new ExprError(`unexpected token ${String(toks[p].v)}`);
  return root;
}

const num = (v: unknown, what: string): number => {
  if (typeof v === 'number') return v;
  throw new ExprError(`invalid operation: ${what} (mismatched types ${typeName(v)})`);
};
const typeName = (v: unknown) => (v === null ? 'nil' : Array.isArray(v) ? '[]interface {}' : typeof v === 'number' ? 'float64' : typeof v);

/** evalExpr evaluates a parsed condition with the given variables (e.g. { result }). */
export function evalExpr(n: Node, env: Record<string, unknown>): unknown {
  switch (n.k) {
    case 'lit':
      return n.v;
    case 'id':
      if (!(n.name in env)) throw new ExprError(`unknown name ${n.name}`);
      return env[n.name];
    case 'un': {
      const x = evalExpr(n.x, env);
      if (n.op === '!') return !x;
      return n.op === '-' ? -num(x, '-') : num(x, '+');
    }
    case 'bin': {
      if (n.op === '&&' || n.op === 'and') return !!evalExpr(n.l, env) && !!evalExpr(n.r, env);
      if (n.op === '||' || n.op === 'or') return !!evalExpr(n.l, env) || !!evalExpr(n.r, env);
      const l = evalExpr(n.l, env);
      const r = evalExpr(n.r, env);
      switch (n.op) {
        case '==': return l === r;
        case '!=': return l !== r;
        case '+': return typeof l === 'string' && typeof r === 'string' ? l + r : num(l, '+') + num(r, '+');
        case '-': return num(l, '-') - num(r, '-');
        case '*': return num(l, '*') * num(r, '*');
        case '/': return num(l, '/') / num(r, '/');
        case '%': return num(l, '%') % num(r, '%');
      }
      if (typeof l === 'string' && typeof r === 'string') return n.op === '<' ? l < r : n.op === '<=' ? l <= r : n.op === '>' ? l > r : l >= r;
      const a = num(l, `${typeName(l)} ${n.op} ${typeName(r)}`);
      const b = num(r, `${typeName(l)} ${n.op} ${typeName(r)}`);
      return n.op === '<' ? a < b : n.op === '<=' ? a <= b : n.op === '>' ? a > b : a >= b;
    }
    case 'idx': {
      const x = evalExpr(n.x, env);
      const i = evalExpr(n.i, env);
      if (Array.isArray(x)) {
        const k = num(i, 'index');
        const j = k < 0 ? x.length + k : k;
        if (j < 0 || j >= x.length) throw new ExprError(`index out of range: ${k} (array length is ${x.length})`);
        return x[j];
      }
      if (x && typeof x === 'object') return (x as Record<string, unknown>)[String(i)];
      throw new ExprError(`cannot fetch ${String(i)} from ${typeName(x)}`);
    }
    case 'field': {
      const x = evalExpr(n.x, env);
      if (x && typeof x === 'object' && !Array.isArray(x)) return (x as Record<string, unknown>)[n.name];
      throw new ExprError(`cannot fetch ${n.name} from ${typeName(x)}`);
    }
    case 'closure':
      throw new ExprError('unexpected predicate');
    case 'call':
      return callFn(n.fn, n.args, env);
  }
}

function callFn(fn: string, args: Node[], env: Record<string, unknown>): unknown {
  const arg = (i: number) => {
    const a = args[i];
    if (!a) throw new ExprError(`not enough arguments to call ${fn}`);
    return evalExpr(a, env);
  };
  switch (fn) {
    case 'len': {
      const v = arg(0);
      if (Array.isArray(v) || typeof v === 'string') return v.length;
      if (v && typeof v === 'object') return Object.keys(v).length;
      throw new ExprError(`invalid argument for len (type ${typeName(v)})`);
    }
    case 'abs': return Math.abs(num(arg(0), 'abs'));
    case 'isNaN': return Number.isNaN(arg(0));
    case 'isInf': {
      const v = arg(0);
      return v === Infinity || v === -Infinity;
    }
    case 'all':
    case 'any': {
      const list = arg(0);
      const pred = args[1];
      if (!Array.isArray(list) || !pred || pred.k !== 'closure') throw new ExprError(`${fn} expects an array and a predicate`);
      const test = (x: unknown) => !!evalExpr(pred.body, { ...env, '#': x });
      return fn === 'all' ? list.every(test) : list.some(test);
    }
    case 'float':
    case 'int': {
      const v = arg(0);
      const x = typeof v === 'string' ? parseFloat(v) : num(v, fn);
      return fn === 'int' ? Math.trunc(x) : x;
    }
  }
  throw new ExprError(`unknown func ${fn}`);
}

/** evaluateCondition parses and runs a condition, requiring a boolean (Argo's EvalCondition). */
export function evaluateCondition(src: string, result: unknown): boolean {
  const v = evalExpr(parseExpr(src), { result });
  if (typeof v !== 'boolean') throw new ExprError(`expected bool, but got ${typeName(v)}`);
  return v;
}
