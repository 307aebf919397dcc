/**
 * lexer turns a PromQL expression into tokens (promql/parser/lex.go, the subset Kubeplay evaluates):
 * identifiers and metric names (with ':'), keywords, numbers (incl. Inf/NaN, 1e3, 0x1f), strings in
 * '', "" or ``, durations (5m, 1h30m, 250ms), operators and brackets.
 */
export type TokenKind = 'ident' | 'number' | 'string' | 'duration' | 'op' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  value?: number; // numbers and durations (ms)
  pos: number; // 0-based character offset
}

/** ParseError is a PromQL syntax error, worded as Prometheus' "1:COL: parse error: …". */
export class ParseError extends Error {
  constructor(
    readonly pos: number,
    detail: string,
  ) {
    super(`1:${pos + 1}: parse error: ${detail}`);
  }
}

const OPS = ['==', '!=', '>=', '<=', '=~', '!~', '+', '-', '*', '/', '%', '^', '>', '<', '=', '@'];
const DURATION_RE = /^(\d+(?:ms|[smhdwy]))+/;

/** parseDurationMs reads a PromQL duration ("1h30m", "250ms") into milliseconds. */
export function parseDurationMs(s: string): number | undefined {
  const re = /(\d+)(ms|[smhdwy])/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };
  while ((m = re.exec(s))) {
    total += Number(m[1]) * unit[m[2]];
    pos = re.lastIndex;
  }
  return pos === s.length && pos > 0 ? total : undefined;
}

export function lex(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < input.length && input[i] !== '\n') i++;
      continue;
    }
    const rest = input.slice(i);
    if (/[0-9.]/.test(c)) {
      const d = DURATION_RE.exec(rest);
      if (d && !/[a-zA-Z0-9_:.]/.test(rest[d[0].length] ?? '')) {
        out.push({ kind: 'duration', text: d[0], value: parseDurationMs(d[0]), pos: i });
        i += d[0].length;
        continue;
      }
      const n = /^(0[xX][0-9a-fA-F]+|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)/.exec(rest);
      if (!n) throw new ParseError(i, `unexpected character: '${c}'`);
      out.push({ kind: 'number', text: n[0], value: Number(n[0]), pos: i });
      i += n[0].length;
      continue;
    }
    if (/[a-zA-Z_:]/.test(c)) {
      const m = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(rest)!;
      const lower = m[0].toLowerCase();
      if (lower === 'inf' || lower === 'nan') out.push({ kind: 'number', text: m[0], value: lower === 'inf' ? Infinity : NaN, pos: i });
      else out.push({ kind: 'ident', text: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      let s = '';
      while (j < input.length && input[j] !== c) {
        if (input[j] === '\\' && c !== '`') {
          const e = input[j + 1];
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
        } else s += input[j++];
      }
      if (j >= input.length) throw new ParseError(i, 'unterminated quoted string');
      out.push({ kind: 'string', text: s, pos: i });
      i = j + 1;
      continue;
    }
    if ('(){}[],'.includes(c)) {
      out.push({ kind: 'punct', text: c, pos: i });
      i++;
      continue;
    }
    const op = OPS.find((o) => rest.startsWith(o));
    if (op) {
      out.push({ kind: 'op', text: op, pos: i });
      i += op.length;
      continue;
    }
    throw new ParseError(i, `unexpected character: '${c}'`);
  }
  out.push({ kind: 'eof', text: '', pos: input.length });
  return out;
}
