import { ShellSyntax } from './parse.ts';

/**
 * arith evaluates a shell arithmetic expansion, `$((i + 1))`, `$(( (n % 2) == 0 ))`: integers,
 * variables (unset or empty is 0), the C operators a POSIX shell has except assignment, with C's
 * precedence. Division by zero is the shell's error.
 */
export function arith(src: string, lookup: (name: string) => string | undefined): number {
  const toks = src.match(/\s*(\d+|[A-Za-z_][A-Za-z0-9_]*|\$[A-Za-z_][A-Za-z0-9_]*|<=|>=|==|!=|&&|\|\||<<|>>|[-+*/%()<>!~&|^?:])/gy);
  const rest = src.replace(/\s*(\d+|[A-Za-z_][A-Za-z0-9_]*|\$[A-Za-z_][A-Za-z0-9_]*|<=|>=|==|!=|&&|\|\||<<|>>|[-+*/%()<>!~&|^?:])/gy, '');
  if (rest.trim()) throw new ShellSyntax(`arithmetic syntax error: ${src}`);
  const ts = (toks ?? []).map((t) => t.trim());
  let i = 0;
  const value = (name: string): number => {
    const v = lookup(name.replace(/^\$/, ''));
    if (!v) return 0;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new ShellSyntax(`arithmetic syntax error: ${v}`);
    return n;
  };
  const BIN: [string[], (a: number, b: number) => number][] = [
    [['||'], (a, b) => (a || b ? 1 : 0)],
    [['&&'], (a, b) => (a && b ? 1 : 0)],
    [['|'], (a, b) => a | b],
    [['^'], (a, b) => a ^ b],
    [['&'], (a, b) => a & b],
    [['==', '!='], () => 0],
    [['<', '<=', '>', '>='], () => 0],
    [['<<', '>>'], () => 0],
    [['+', '-'], () => 0],
    [['*', '/', '%'], () => 0],
  ];
  const apply = (op: string, a: number, b: number): number => {
    switch (op) {
      case '==': return a === b ? 1 : 0;
      case '!=': return a !== b ? 1 : 0;
      case '<': return a < b ? 1 : 0;
      case '<=': return a <= b ? 1 : 0;
      case '>': return a > b ? 1 : 0;
      case '>=': return a >= b ? 1 : 0;
      case '<<': return a << b;
      case '>>': return a >> b;
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      case '/':
      case '%':
        if (b === 0) throw new ShellSyntax('arithmetic error: division by zero');
        return op === '/' ? Math.trunc(a / b) : a % b;
      default: return BIN.find(([ops]) => ops.includes(op))![1](a, b);
    }
  };
  const unary = (): number => {
    const t = ts[i];
    if (t === '-' || t === '+' || t === '!' || t === '~') {
      i++;
      const v = unary();
      return t === '-' ? -v : t === '+' ? v : t === '!' ? (v ? 0 : 1) : ~v;
    }
    if (t === '(') {
      i++;
      const v = ternary();
      if (ts[i++] !== ')') throw new ShellSyntax(`arithmetic syntax error: ${src}`);
      return v;
    }
    if (t === undefined) throw new ShellSyntax(`arithmetic syntax error: ${src}`);
    i++;
    return /^\d+$/.test(t) ? Number(t) : value(t);
  };
  const binary = (level: number): number => {
    if (level >= BIN.length) return unary();
    let a = binary(level + 1);
    while (BIN[level][0].includes(ts[i])) {
      const op = ts[i++];
      a = apply(op, a, binary(level + 1));
    }
    return a;
  };
  const ternary = (): number => {
    const c = binary(0);
    if (ts[i] !== '?') return c;
    i++;
    const a = ternary();
    if (ts[i++] !== ':') throw new ShellSyntax(`arithmetic syntax error: ${src}`);
    const b = ternary();
    return c ? a : b;
  };
  if (!ts.length) return 0;
  const v = ternary();
  if (i < ts.length) throw new ShellSyntax(`arithmetic syntax error: ${src}`);
  return v;
}
