/**
 * tokenize splits a command line as a POSIX shell would for the cases a terminal user types:
 * whitespace separates words, '…' keeps everything literally, "…" keeps spaces and honours \" and \\,
 * a backslash outside quotes escapes the next character. Returns an error for an unclosed quote, and
 * for a shell operator outside quotes (| ; & > <): there is one command and no shell to connect it to.
 */
export function tokenize(line: string): string[] | { error: string } {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  // After `--` the words are a container's command (kubectl exec … -- sh -c "echo $HOSTNAME"): its own
  // shell expands them there. Before it, a shell would have expanded them here, and there is none.
  let container = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (!container && (ch === '`' || (ch === '$' && SHELL_PARAMETER.test(line[i + 1] ?? '')))) return { error: noExpansion(line, i) };
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { error: 'error: unterminated quoted string' };
      cur += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (ch === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (!container && (line[j] === '`' || (line[j] === '$' && SHELL_PARAMETER.test(line[j + 1] ?? '')))) return { error: noExpansion(line, j) };
        if (line[j] === '\\' && (line[j + 1] === '"' || line[j + 1] === '\\' || line[j + 1] === '$')) j++;
        cur += line[j];
      }
      if (j >= line.length) return { error: 'error: unterminated quoted string' };
      i = j;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (SHELL_OPERATORS.includes(ch)) {
      return { error: `kubeplay: the terminal runs one command at a time, without a shell: "${ch === '&' && line[i + 1] === '&' ? '&&' : ch === '|' && line[i + 1] === '|' ? '||' : ch}" (;, &&, ||, & and redirections) is not supported; a pipe | leads into grep, wc, head, tail, sort, uniq, cut, awk, sed, tr, base64, cat or xargs, and kubectl filters its own output with -l, --field-selector and -o jsonpath=… or custom-columns=…` };
    } else if (ch === ' ' || ch === '\t' || ch === '\n') {
      if (inWord && cur === '--') container = true;
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

/**
 * SHELL_PARAMETER: what may follow a `$` for a shell to expand it: a name, ${…}, $(…), a positional or
 * special parameter ($1, $?, $$, $#, $@, $*, $!, $-). `$.items` (jsonpath) and a lone `$` stay as they are.
 */
const SHELL_PARAMETER = /[A-Za-z_({0-9?#@*!$-]/;

/**
 * noExpansion is the answer to a shell variable or command substitution ($POD_NAME, "$(kubectl …)",
 * `…`) in the terminal's own words: there is no shell to expand it, and passing it on literally would
 * only make kubectl look for a pod called "$POD_NAME".
 */
function noExpansion(line: string, at: number): string {
  const m = /^(?:\$\{[^}]*\}?|\$\([^)]*\)?|\$[A-Za-z_]\w*|\$[0-9?#@*!$-]|`[^`]*`?)/.exec(line.slice(at));
  return `kubeplay: the terminal runs one command at a time, without a shell: "${m ? m[0] : line[at]}" is not expanded (shell variables and $(…) command substitution are not supported); type the value itself: Tab completes pod and other object names, and kubectl get lists them`;
}

/** FlagDef describes one flag: its long name, optional one-letter shorthand, and whether it takes a value. */
export interface FlagDef {
  name: string;
  short?: string;
  bool?: boolean;
  /** repeat: the flag may be given several times (values accumulate), as --from-literal and -f. */
  repeat?: boolean;
  /** deprecated: accepted, but not offered by completion (cobra hides deprecated flags). */
  deprecated?: boolean;
  /** int: an integer flag (pflag's Int/Int32/Int64): a value strconv.ParseInt refuses is a flag error */
  int?: boolean;
  /** duration: a pflag Duration flag: a value time.ParseDuration refuses is a flag error */
  duration?: boolean;
}

const DURATION_UNITS: Record<string, bigint> = { ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

/**
 * parseGoDuration is time.ParseDuration, as pflag's Duration flags read their value: the duration in
 * milliseconds, or why it is refused, in Go's words.
 */
export function parseGoDuration(orig: string): number | { problem: string } {
  const invalid = { problem: `time: invalid duration ${JSON.stringify(orig)}` };
  let s = orig.replace(/^[-+]/, '');
  if (s === '0') return 0;
  if (s === '') return invalid;
  let ns = 0n;
  let fraction = 0;
  while (s !== '') {
    const num = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    if (!/^[0-9.]/.test(s) || (num[1] === '' && !num[2])) return invalid;
    s = s.slice(num[0].length);
    const unit = /^[^0-9.]*/.exec(s)![0];
    if (unit === '') return { problem: `time: missing unit in duration ${JSON.stringify(orig)}` };
    const scale = DURATION_UNITS[unit];
    if (scale === undefined) return { problem: `time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(orig)}` };
    s = s.slice(unit.length);
    ns += BigInt(num[1] || '0') * scale;
    if (num[2]) fraction += Number(`0.${num[2]}`) * Number(scale);
    if (ns > INT64_MAX) return invalid;
  }
  const ms = (Number(ns) + fraction) / 1e6;
  return orig.startsWith('-') ? -ms : ms;
}

/** INT64_MAX bounds an int flag's value, as strconv.ParseInt(s, 0, 64) does. */
const INT64_MAX = 2n ** 63n - 1n;

/**
 * parseGoInt is strconv.ParseInt(s, 0, 64), as pflag's Int flags read their value (0x, 0o, 0b and a
 * leading 0 for octal): the number, or why it is refused ("invalid syntax", "value out of range").
 */
export function parseGoInt(s: string): number | { problem: string } {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return { problem: 'invalid syntax' };
  const body = m[2];
  const v = BigInt(/^0[oO]/.test(body) ? `0o${body.slice(2)}` : /^0[0-7]+$/.test(body) ? `0o${body.slice(1)}` : body);
  if (m[1] === '-' ? v > INT64_MAX + 1n : v > INT64_MAX) return { problem: 'value out of range' };
  return Number(m[1] === '-' ? -v : v);
}

/** GO_BOOLS are the spellings strconv.ParseBool accepts, as pflag's bool flags read them. */
const GO_BOOLS = new Map<string, string>([
  ...['1', 't', 'T', 'TRUE', 'true', 'True'].map((s) => [s, 'true'] as [string, string]),
  ...['0', 'f', 'F', 'FALSE', 'false', 'False'].map((s) => [s, 'false'] as [string, string]),
]);

export interface ParsedArgs {
  args: string[];
  /** afterDash: the words after `--` (exec's command). */
  afterDash: string[] | undefined;
  flags: Map<string, string[]>;
}

/** FlagError is a cobra-style parse error; `usage` says which "See 'kubectl X --help'" line follows. */
export class FlagError extends Error {}

/**
 * parseFlags reads cobra/pflag syntax: `--flag=value`, `--flag value`, `-n ns`, `-nns`, `-o=yaml`,
 * `-oyaml`, bool flags (`--all`, `--all=false`, `-A`), flags anywhere among the arguments, and `--`.
 */
export function parseFlags(words: string[], defs: FlagDef[]): ParsedArgs {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const byShort = new Map(defs.filter((d) => d.short).map((d) => [d.short!, d]));
  const flags = new Map<string, string[]>();
  const args: string[] = [];
  let afterDash: string[] | undefined;
  const set = (d: FlagDef, v: string) => {
    // pflag parses a typed flag's value as it is set: a refusal names the flag as pflag does.
    const int = d.int ? parseGoInt(v) : undefined;
    const duration = d.duration ? parseGoDuration(v) : undefined;
    const bool = d.bool ? GO_BOOLS.get(v) : undefined;
    const bad =
      typeof int === 'object' ? `strconv.ParseInt: parsing "${v}": ${int.problem}` : typeof duration === 'object' ? duration.problem : d.bool && bool === undefined ? `strconv.ParseBool: parsing "${v}": invalid syntax` : undefined;
    if (bad) throw new FlagError(`invalid argument "${v}" for "${d.short ? `-${d.short}, ` : ''}--${d.name}" flag: ${bad}`);
    // A bool flag's value is kept as "true" or "false" whatever spelling strconv.ParseBool took.
    if (bool !== undefined) v = bool;
    const list = flags.get(d.name);
    if (list && d.repeat) list.push(v);
    else flags.set(d.name, [v]);
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '--') {
      afterDash = words.slice(i + 1);
      break;
    }
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = eq >= 0 ? w.slice(2, eq) : w.slice(2);
      const d = byName.get(name);
      if (!d) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) set(d, w.slice(eq + 1));
      else if (d.bool) set(d, 'true');
      else if (i + 1 < words.length) set(d, words[++i]);
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    if (w.startsWith('-') && w.length > 1 && !/^-\d/.test(w)) {
      // Shorthands may be combined: -Ao wide → -A, -o wide.
      for (let k = 1; k < w.length; k++) {
        const c = w[k];
        const d = byShort.get(c);
        if (!d) throw new FlagError(`unknown shorthand flag: '${c}' in ${w}`);
        if (d.bool) {
          if (w[k + 1] === '=') {
            set(d, w.slice(k + 2));
            break;
          }
          set(d, 'true');
          continue;
        }
        let rest = w.slice(k + 1);
        if (rest.startsWith('=')) rest = rest.slice(1);
        if (rest !== '' || w[k + 1] === '=') set(d, rest);
        else if (i + 1 < words.length) set(d, words[++i]);
        else throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
        break;
      }
      continue;
    }
    args.push(w);
  }
  return { args, afterDash, flags };
}

/** SHELL_OPERATORS: characters a shell would take for a pipe, a list or a redirection. */
const SHELL_OPERATORS = '|;&<>';

/** quoteArg quotes a word for this tokenizer (single quotes; a quote inside is closed and escaped). */
export function quoteArg(s: string): string {
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}
