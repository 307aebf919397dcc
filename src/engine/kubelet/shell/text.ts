/**
 * text.ts: busybox's line filters that scripts and `kubectl exec … sh -c` pipelines end in: `grep` (and
 * its `egrep`/`fgrep` links) and `wc`. They read their files or, with none, standard input (a pipe's
 * text), and print busybox's messages (grep.c, wc.c). Forms the simulation does not run (context lines,
 * recursive search, patterns from a file) are said to be not simulated rather than guessed.
 */
import { RE2JS } from 're2js';
import { readPath, Unknown, write, type Proc } from './proc.ts';

/** STDIN_NAME is what grep calls standard input in its prefixes and -l lists. */
const STDIN_NAME = '(standard input)';

/** lines splits text as a line filter reads it: a last line without its newline still counts. */
export function lines(text: string): string[] {
  if (text === '') return [];
  const ls = text.split('\n');
  if (ls[ls.length - 1] === '') ls.pop();
  return ls;
}

/**
 * readInput reads a file operand of a line filter, `-` being standard input; one it cannot read is
 * undefined, after busybox's message (bb_simple_perror_msg: `grep: FILE: No such file or directory`)
 * unless quiet (grep -s).
 */
export function readInput(p: Proc, prog: string, file: string, readStdin: (p: Proc) => string, quiet = false): string | undefined {
  const text = file === '-' ? readStdin(p) : readPath(p, file);
  if (typeof text === 'string') return text;
  if (!quiet) write(p, `${prog}: ${file}: ${text === null ? 'Is a directory' : 'No such file or directory'}\n`, 2);
  return undefined;
}

/** POSIX_CLASSES are the bracket expression's named classes, as RE2 class contents. */
const POSIX_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: 'A-Za-z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  print: ' -~',
  graph: '!-~',
  cntrl: '\\x00-\\x1f\\x7f',
  xdigit: '0-9A-Fa-f',
};

/** BadRegex carries regerror's text for a pattern regcomp refuses (glibc's wording). */
export class BadRegex extends Error {}

/**
 * bracket translates a POSIX bracket expression starting at re[i] ('[') into an RE2 class: a
 * backslash inside is literal, `]` first is a member, `[:alpha:]` names a class. Returns the class and
 * the index after its closing ']'.
 */
function bracket(re: string, i: number): [string, number] {
  let out = '[';
  let j = i + 1;
  if (re[j] === '^') {
    out += '^';
    j++;
  }
  if (re[j] === ']') {
    out += '\\]';
    j++;
  }
  for (; j < re.length; j++) {
    const c = re[j];
    if (c === ']') return [out + ']', j + 1];
    if (c === '[' && re[j + 1] === ':') {
      const end = re.indexOf(':]', j + 2);
      const name = end < 0 ? '' : re.slice(j + 2, end);
      if (!Object.hasOwn(POSIX_CLASSES, name)) throw new BadRegex(end < 0 ? 'Unmatched [, [^, [:, [., or [=' : 'Invalid character class name');
      out += POSIX_CLASSES[name];
      j = end + 1;
    } else out += c === '\\' || c === '/' ? `\\${c}` : c;
  }
  throw new BadRegex('Unmatched [, [^, [:, [., or [=');
}

/**
 * toRe2 translates a POSIX basic (grep) or extended (grep -E) regular expression into RE2's (Perl's)
 * syntax. In a basic one `\(`, `\)`, `\{`, `\}` group and count while `( ) { } | + ?` are literal
 * (glibc adds `\|`, `\+`, `\?`); in both, `\<` and `\>` are word edges and a leading `*` is literal.
 */
export function toRe2(re: string, extended: boolean): string {
  let out = '';
  let depth = 0;
  // atStart: where `*` has nothing to repeat (the pattern's start, after a group opens or an alternation).
  let atStart = true;
  for (let i = 0; i < re.length; ) {
    const c = re[i];
    if (c === '[') {
      const [cls, next] = bracket(re, i);
      out += cls;
      i = next;
      atStart = false;
      continue;
    }
    if (c === '\\') {
      const d = re[i + 1];
      i += 2;
      if (d === undefined) throw new BadRegex('Trailing backslash');
      if (!extended && '(){}|+?'.includes(d)) {
        if (d === '(') depth++;
        if (d === ')' && --depth < 0) throw new BadRegex('Unmatched ) or \\)');
        out += d;
        atStart = d === '(' || d === '|';
        continue;
      }
      out += d === '<' || d === '>' ? '\\b' : /[1-9wWsSbB]/.test(d) ? `\\${d}` : /[A-Za-z0-9]/.test(d) ? d : `\\${d}`;
      atStart = false;
      continue;
    }
    i++;
    if (c === '*' && atStart) out += '\\*';
    else if (!extended && '(){}|+?'.includes(c)) out += `\\${c}`;
    else if (c === '/') out += '\\/';
    else {
      if (extended && c === '(') depth++;
      if (extended && c === ')' && --depth < 0) throw new BadRegex('Unmatched ) or \\)');
      out += c;
      atStart = extended && (c === '(' || c === '|');
      continue;
    }
    atStart = false;
  }
  if (depth > 0) throw new BadRegex('Unmatched ( or \\(');
  return out;
}

interface GrepOptions {
  patterns: string[];
  files: string[];
  flags: Set<string>;
  max: number;
}

/** GREP_FLAGS are the single-letter options grep runs here; the others (-A -B -C -r -f -z …) are not simulated. */
const GREP_FLAGS = 'HhnlLoqvsiwxFEcy';

/** grepArgs reads grep's command line as getopt32 does (bundled letters, -e/-m with their value attached or next). */
function grepArgs(name: string, args: string[]): GrepOptions | string {
  const flags = new Set<string>(name === 'egrep' ? ['E'] : name === 'fgrep' ? ['F'] : []);
  const patterns: string[] = [];
  const rest: string[] = [];
  let max = Infinity;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      rest.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (f === 'e' || f === 'm') {
        const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (v === undefined) return `option requires an argument -- '${f}'`;
        if (f === 'e') patterns.push(v);
        else if (!/^\d+$/.test(v)) return `invalid number '${v}'`;
        else max = Number(v);
        break;
      }
      if (!GREP_FLAGS.includes(f)) throw new Unknown(`grep -${f}`);
      flags.add(f === 'y' ? 'i' : f);
    }
  }
  rest.push(...args.slice(i));
  if (!patterns.length) {
    if (!rest.length) return '';
    patterns.push(rest.shift()!);
  }
  return { patterns, files: rest, flags, max };
}

/** Find is a compiled grep pattern: the first match in a line at or after from, as [start, end). */
type Find = (line: string, from: number) => [number, number] | undefined;

/** NOT_WORD: what may stand beside a -w match (grep: the line's edge or a character that is not a word constituent). */
const NOT_WORD = '[^A-Za-z0-9_]';

/**
 * matcher compiles grep's patterns (any one may match) as -F, -E, -i, -w and -x ask. It matches with RE2
 * (re2js), in time linear in the line as grep's automaton does: JavaScript's backtracking engine takes
 * exponential time on patterns such as (a+)+$ or a*a*a*b, and a stranger's pattern would freeze the worker.
 * -w captures the match between its edges, so the character after one match may be the edge before the next.
 */
function matcher(o: GrepOptions): Find {
  const one = (p: string) => (o.flags.has('F') ? RE2JS.quote(p) : toRe2(p, o.flags.has('E')));
  // An empty pattern matches every line; -e a -e b is either (a newline in a pattern also separates patterns).
  let body = o.patterns.flatMap((p) => p.split('\n')).map((p) => `(?:${one(p)})`).join('|');
  const word = o.flags.has('w') && !o.flags.has('x');
  if (o.flags.has('x')) body = `^(?:${body})$`;
  else if (word) body = `(?:^|${NOT_WORD})(${body})(?:${NOT_WORD}|$)`;
  const re = RE2JS.compile(body, o.flags.has('i') ? RE2JS.CASE_INSENSITIVE : 0);
  const group = word ? 1 : 0;
  return (line, from) => {
    const m = re.matcher(line);
    return m.find(from) ? [m.start(group), m.end(group)] : undefined;
  };
}

/**
 * grep filters lines: busybox's options -i -v -c -l -L -n -o -q -s -w -x -h -H -E -F -e -m, its
 * "FILE:" prefixes when there are several files, and its status: 0 when a line was selected, 1 when
 * none, 2 on an error (an unreadable file, unless a line was selected and -q asked only for that).
 */
export function grep(p: Proc, name: string, args: string[], readStdin: (p: Proc) => string): number {
  const o = grepArgs(name, args);
  if (typeof o === 'string') {
    write(p, `${o ? `grep: ${o}\n` : ''}Usage: grep [-HhnlLoqvsrRiwFExz] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n`, 2);
    return 2;
  }
  let find: Find;
  try {
    find = matcher(o);
  } catch (e) {
    // RE2 refuses what POSIX regular expressions have and it has not: back-references (\1).
    if (e instanceof Error && /invalid escape sequence: `\\[1-9]`/.test(e.message)) throw new Unknown(`grep ${o.patterns.join(' ')} (a back-reference)`);
    write(p, `grep: bad regex '${o.patterns.join('\n')}': ${e instanceof BadRegex ? e.message : 'Invalid regular expression'}\n`, 2);
    return 2;
  }
  const f = o.flags;
  const files = o.files.length ? o.files : ['-'];
  const prefixName = f.has('H') || (files.length > 1 && !f.has('h'));
  let selectedAny = false;
  let listedAny = false;
  let error = false;
  for (const file of files) {
    const shown = file === '-' ? STDIN_NAME : file;
    const text = readInput(p, 'grep', file, readStdin, f.has('s'));
    if (text === undefined) {
      error = true;
      continue;
    }
    let count = 0;
    let out = '';
    const ls = lines(text);
    for (let n = 0; n < ls.length && count < o.max; n++) {
      const line = ls[n];
      const first = find(line, 0);
      if (!!first === f.has('v')) continue;
      count++;
      if (f.has('q')) return 0;
      if (f.has('c') || f.has('l') || f.has('L')) continue;
      const lead = `${prefixName ? `${shown}:` : ''}${f.has('n') ? `${n + 1}:` : ''}`;
      if (!f.has('o')) out += `${lead}${line}\n`;
      else if (first) {
        // -o: each non-empty match on its own line, searching on from the end of the last (past an empty one).
        for (let m: [number, number] | undefined = first; m; ) {
          if (m[1] > m[0]) out += `${lead}${line.slice(m[0], m[1])}\n`;
          const from: number = m[1] > m[0] ? m[1] : m[1] + 1;
          m = from <= line.length ? find(line, from) : undefined;
        }
      }
    }
    if (count) selectedAny = true;
    if (f.has('l')) out = count ? `${shown}\n` : '';
    else if (f.has('L')) out = count ? '' : `${shown}\n`;
    else if (f.has('c')) out = `${prefixName ? `${shown}:` : ''}${count}\n`;
    if (f.has('L') && out) listedAny = true;
    write(p, out);
  }
  if (error && !(f.has('q') && selectedAny)) return 2;
  // -L succeeds when it listed a file (GNU grep 3.5 and busybox alike), not when a line matched.
  return (f.has('L') ? listedAny : selectedAny) ? 0 : 1;
}

/** WC_COUNTS are wc's counts in its column order (wc.c): -l, -w, -m, -c, -L. */
const WC_COUNTS = ['l', 'w', 'm', 'c', 'L'] as const;
type WcCount = (typeof WC_COUNTS)[number];

/** WORD: a run of printable characters other than a space (wc.c: isprint && !isspace). */
// eslint-disable-next-line no-control-regex -- control characters end a word, as in wc.c
const WORD = /[^\s\x00-\x1f\x7f]+/g;

/** wcCount counts one input as busybox's wc does: words are runs of printable non-space characters; -L expands tabs to 8. */
function wcCount(text: string): Record<WcCount, number> {
  let longest = 0;
  for (const line of text.split(/[\n\r\f]/)) {
    let pos = 0;
    for (const ch of line) pos = ch === '\t' ? (pos | 7) + 1 : ch === '\v' ? pos : pos + 1;
    longest = Math.max(longest, pos);
  }
  return {
    l: (text.match(/\n/g) ?? []).length,
    w: (text.match(WORD) ?? []).length,
    m: [...text].length,
    c: new TextEncoder().encode(text).length,
    L: longest,
  };
}

/**
 * wc counts lines, words, characters and bytes as busybox's wc prints them (wc.c): each count right-aligned
 * in nine columns, the file's name after them and a "total" line for several files; a single count of one
 * input (standard input, or one file) is the bare number.
 */
export function wc(p: Proc, args: string[], readStdin: (p: Proc) => string): number {
  const opts = new Set<string>();
  const files: string[] = [];
  for (const a of args) {
    if (a.startsWith('-') && a !== '-') {
      for (const f of a.slice(1)) {
        if (!(WC_COUNTS as readonly string[]).includes(f)) {
          write(p, `wc: invalid option -- '${f}'\nUsage: wc [-cmlwL] [FILE]...\n`, 2);
          return 1;
        }
        opts.add(f);
      }
    } else files.push(a);
  }
  const shown = WC_COUNTS.filter((k) => (opts.size ? opts.has(k) : k === 'l' || k === 'w' || k === 'c'));
  const bare = files.length <= 1 && shown.length === 1;
  const row = (n: Record<WcCount, number>, label: string | undefined) =>
    shown.map((k, i) => (bare && i === 0 ? String(n[k]) : `${i ? ' ' : ''}${String(n[k]).padStart(9)}`)).join('') + (label === undefined ? '\n' : ` ${label}\n`);
  if (!files.length) {
    write(p, row(wcCount(readStdin(p)), undefined));
    return 0;
  }
  let code = 0;
  const total: Record<WcCount, number> = { l: 0, w: 0, m: 0, c: 0, L: 0 };
  for (const file of files) {
    const text = readInput(p, 'wc', file, readStdin);
    if (text === undefined) {
      code = 1;
      continue;
    }
    const n = wcCount(text);
    for (const k of WC_COUNTS) total[k] = k === 'L' ? Math.max(total.L, n.L) : total[k] + n[k];
    write(p, row(n, file));
  }
  if (files.length > 1) write(p, row(total, 'total'));
  return code;
}

/**
 * headTail prints the first (head) or last (tail) lines or bytes of each input, as busybox's head.c and
 * tail.c do: `-n N` (10 by default) or the old `-N`, `-c N` bytes; head's `-n -N` is all but the last N
 * lines, tail's `-n +N` starts at line N (and `+N` alone); several files get `==> FILE <==` headers
 * (-q leaves them out, -v puts one over a single file). Following a file (tail -f) is handled by the caller.
 */
export function headTail(p: Proc, name: 'head' | 'tail', args: string[], readStdin: (p: Proc) => string): number {
  let count = 10;
  let bytes = false;
  let fromStart = false; // tail +N / head -n -N
  let headers: boolean | undefined;
  const files: string[] = [];
  const usage = () => {
    write(p, `Usage: ${name} [OPTIONS] [FILE]...\n`, 2);
    return 1;
  };
  const number = (v: string | undefined): boolean => {
    const m = /^([+-]?)(\d+)([kbm]?)$/.exec(v ?? '');
    if (!m) {
      write(p, `${name}: invalid number '${v ?? ''}'\n`, 2);
      return false;
    }
    count = Number(m[2]) * (m[3] === 'k' ? 1024 : m[3] === 'b' ? 512 : m[3] === 'm' ? 1048576 : 1);
    fromStart = name === 'tail' ? m[1] === '+' : m[1] === '-';
    return true;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-n' || a === '-c' || a.startsWith('--lines=') || a.startsWith('--bytes=')) {
      bytes = a === '-c' || a.startsWith('--bytes=');
      if (!number(a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i])) return 1;
    } else if (/^-[nc]./.test(a)) {
      bytes = a[1] === 'c';
      if (!number(a.slice(2))) return 1;
    } else if (/^-\d+$/.test(a) || (name === 'tail' && /^\+\d+$/.test(a))) {
      if (!number(a[0] === '-' ? a.slice(1) : a)) return 1;
    } else if (a === '-q' || a === '--quiet' || a === '--silent') headers = false;
    else if (a === '-v' || a === '--verbose') headers = true;
    else if (a.startsWith('-') && a !== '-') {
      write(p, `${name}: unrecognized option '${a}'\n`, 2);
      return usage();
    } else files.push(a);
  }
  const cut = (text: string): string => {
    if (bytes) {
      const b = new TextEncoder().encode(text);
      const part = name === 'head' ? (fromStart ? b.slice(0, Math.max(0, b.length - count)) : b.slice(0, count)) : fromStart ? b.slice(Math.max(0, count - 1)) : b.slice(Math.max(0, b.length - count));
      return new TextDecoder().decode(part);
    }
    const ls = text.split('\n');
    const last = ls.pop(); // '' when the text ends in a newline
    if (last !== '') ls.push(last!);
    const ends = last === '';
    const pick = name === 'head' ? (fromStart ? ls.slice(0, Math.max(0, ls.length - count)) : ls.slice(0, count)) : fromStart ? ls.slice(Math.max(0, count - 1)) : ls.slice(Math.max(0, ls.length - count));
    const lastKept = pick.length > 0 && pick[pick.length - 1] === ls[ls.length - 1] && (name === 'tail' || pick.length === ls.length);
    return pick.join('\n') + (pick.length && (ends || !lastKept) ? '\n' : '');
  };
  if (files.length === 0) files.push('-');
  const show = headers ?? files.length > 1;
  let code = 0;
  files.forEach((f, i) => {
    const text = readInput(p, name, f, readStdin);
    if (text === undefined) {
      code = 1;
      return;
    }
    if (show) write(p, `${i ? '\n' : ''}==> ${f === '-' ? STDIN_NAME : f} <==\n`);
    write(p, cut(text));
  });
  return code;
}

/**
 * base64 encodes its input (lines of 76 characters, or -w COLS, 0 for one line) or with -d decodes it, as
 * busybox's base64 does; decoding stops at the first character that is not base64, with busybox's message.
 */
export function base64(p: Proc, args: string[], readStdin: (p: Proc) => string): number {
  let decode = false;
  let wrap = 76;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-d' || a === '--decode') decode = true;
    else if (a === '-w' || a.startsWith('-w') || a.startsWith('--wrap=')) {
      const v = a === '-w' ? args[++i] : a.startsWith('--wrap=') ? a.slice(7) : a.slice(2);
      if (!/^\d+$/.test(v ?? '')) {
        write(p, `base64: invalid number '${v ?? ''}'\n`, 2);
        return 1;
      }
      wrap = Number(v);
    } else if (a.startsWith('-') && a !== '-') {
      write(p, `base64: unrecognized option '${a}'\nUsage: base64 [-d] [-w COL] [FILE]\n`, 2);
      return 1;
    } else files.push(a);
  }
  if (files.length > 1) {
    write(p, 'Usage: base64 [-d] [-w COL] [FILE]\n', 2);
    return 1;
  }
  const text = readInput(p, 'base64', files[0] ?? '-', readStdin);
  if (text === undefined) return 1;
  if (decode) {
    const clean = text.replace(/[\n\r]/g, '');
    const bad = clean.search(/[^A-Za-z0-9+/=]/);
    const body = (bad < 0 ? clean : clean.slice(0, bad)).replace(/=+$/, '');
    const bin = atob(body.slice(0, body.length - (body.length % 4 === 1 ? 1 : 0)));
    write(p, new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
    if (bad >= 0) {
      write(p, 'base64: invalid input\n', 2);
      return 1;
    }
    return 0;
  }
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  const enc = btoa(bin);
  const out = wrap > 0 ? (enc.match(new RegExp(`.{1,${wrap}}`, 'g')) ?? []).join('\n') : enc;
  write(p, out + (enc ? '\n' : ''));
  return 0;
}

/** numericPrefix is the number sort -n reads at the start of a key (leading blanks skipped; none is 0). */
function numericPrefix(s: string): number {
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+))/.exec(s);
  return m ? Number(m[1]) : 0;
}

/**
 * sort sorts its input's lines as busybox's sort.c does: byte order, or -n numeric, -f folding case,
 * -r reversed, -u one of each equal key, -k FIELD[,FIELD] keys of fields split by -t SEP or (without
 * it) at each run of blanks, which stay at the start of the field unless -b; equal keys fall back to
 * the whole line unless -s. -c/-o and a key's character positions are not simulated.
 */
export function sort(p: Proc, args: string[], readStdin: (p: Proc) => string): number {
  const keys: { from: number; to: number }[] = [];
  let numeric = false, reverse = false, unique = false, fold = false, blanks = false, stable = false;
  let sep: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-k' || a.startsWith('-k') || a === '-t' || (a.startsWith('-t') && a.length > 2)) {
      const flag = a[1];
      const v = a.length > 2 ? a.slice(2) : args[++i];
      if (v === undefined) {
        write(p, `sort: option requires an argument -- '${flag}'\n`, 2);
        return 2;
      }
      if (flag === 't') sep = v;
      else {
        const m = /^(\d+)([a-z]*)(?:,(\d+)([a-z]*))?$/.exec(v);
        if (!m || m[1] === '0') {
          write(p, `sort: invalid key '${v}'\n`, 2);
          return 2;
        }
        for (const o of (m[2] ?? '') + (m[4] ?? '')) {
          if (o === 'n') numeric = true;
          else if (o === 'r') reverse = true;
          else if (o === 'f') fold = true;
          else if (o === 'b') blanks = true;
        }
        keys.push({ from: Number(m[1]), to: m[3] ? Number(m[3]) : Infinity });
      }
    } else if (/^-[nrufbs]+$/.test(a)) {
      for (const o of a.slice(1)) {
        if (o === 'n') numeric = true;
        else if (o === 'r') reverse = true;
        else if (o === 'u') unique = true;
        else if (o === 'f') fold = true;
        else if (o === 'b') blanks = true;
        else stable = true;
      }
    } else if (a.startsWith('-') && a !== '-') throw new Unknown(`sort ${a}`);
    else files.push(a);
  }
  let text = '';
  for (const f of files.length ? files : ['-']) {
    const t = readInput(p, 'sort', f, readStdin);
    if (t === undefined) return 2;
    text += t && !t.endsWith('\n') ? `${t}\n` : t;
  }
  const fields = (line: string): string[] => {
    if (sep !== undefined) return line.split(sep);
    const out: string[] = [];
    const re = /\s*\S+/g;
    for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[0]);
    return out;
  };
  const keyOf = (line: string): string => {
    if (!keys.length) return line;
    const { from, to } = keys[0];
    const fs = fields(line);
    const k = fs.slice(from - 1, Math.min(fs.length, to)).join(sep ?? '');
    return blanks ? k.trimStart() : k;
  };
  const cmp = (a: string, b: string): number => {
    let ka = keyOf(a);
    let kb = keyOf(b);
    if (fold) {
      ka = ka.toUpperCase();
      kb = kb.toUpperCase();
    }
    const c = numeric ? numericPrefix(ka) - numericPrefix(kb) : ka < kb ? -1 : ka > kb ? 1 : 0;
    return c !== 0 || stable || unique ? c : a < b ? -1 : a > b ? 1 : 0;
  };
  const ls = lines(text);
  const sorted = [...ls].sort((a, b) => (reverse ? -cmp(a, b) : cmp(a, b)));
  const out = unique ? sorted.filter((l, i) => i === 0 || cmp(sorted[i - 1], l) !== 0) : sorted;
  write(p, out.map((l) => `${l}\n`).join(''));
  return 0;
}

/**
 * uniq prints its input without repeated adjacent lines, as busybox's uniq.c does: -c with each line's
 * count ("%7d "), -d only repeated lines, -u only the others, -i ignoring case, -f N skipping fields
 * and -s N characters in the comparison.
 */
export function uniq(p: Proc, args: string[], readStdin: (p: Proc) => string): number {
  let count = false, dupes = false, uniques = false, icase = false;
  let skipFields = 0, skipChars = 0;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-f' || a === '-s') {
      const v = args[++i];
      if (!/^\d+$/.test(v ?? '')) {
        write(p, `uniq: invalid number '${v ?? ''}'\n`, 2);
        return 1;
      }
      if (a === '-f') skipFields = Number(v);
      else skipChars = Number(v);
    } else if (/^-[cdui]+$/.test(a)) {
      for (const o of a.slice(1)) {
        if (o === 'c') count = true;
        else if (o === 'd') dupes = true;
        else if (o === 'u') uniques = true;
        else icase = true;
      }
    } else if (a.startsWith('-') && a !== '-') throw new Unknown(`uniq ${a}`);
    else files.push(a);
  }
  const text = readInput(p, 'uniq', files[0] ?? '-', readStdin);
  if (text === undefined) return 1;
  const key = (l: string) => {
    let k = l.replace(new RegExp(`^(?:\\s*\\S+){${skipFields}}`), '').slice(skipChars);
    if (icase) k = k.toLowerCase();
    return k;
  };
  const ls = lines(text);
  let out = '';
  for (let i = 0; i < ls.length; ) {
    let j = i + 1;
    while (j < ls.length && key(ls[j]) === key(ls[i])) j++;
    const n = j - i;
    if (!(dupes && n === 1) && !(uniques && n > 1)) out += `${count ? `${String(n).padStart(7)} ` : ''}${ls[i]}\n`;
    i = j;
  }
  write(p, out);
  return 0;
}

/**
 * cut prints selected parts of each line, as busybox's cut.c does: -f LIST fields split by -d DELIM
 * (a tab by default; a line without it is printed whole unless -s), -c or -b LIST characters. A LIST is
 * N, N-M, N- and -M, comma-separated.
 */
export function cut(p: Proc, args: string[], readStdin: (p: Proc) => string): number {
  let list: string | undefined;
  let mode: 'f' | 'c' | undefined;
  let delim = '\t';
  let onlyDelimited = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const m = /^-([fcbd])(.*)$/.exec(a);
    if (m) {
      const v = m[2] !== '' ? m[2] : args[++i];
      if (v === undefined) {
        write(p, `cut: option requires an argument -- '${m[1]}'\n`, 2);
        return 1;
      }
      if (m[1] === 'd') {
        if ([...v].length !== 1) {
          write(p, 'cut: the delimiter must be a single character\n', 2);
          return 1;
        }
        delim = v;
      } else {
        mode = m[1] === 'f' ? 'f' : 'c';
        list = v;
      }
    } else if (a === '-s') onlyDelimited = true;
    else if (a.startsWith('-') && a !== '-') throw new Unknown(`cut ${a}`);
    else files.push(a);
  }
  if (!mode || !list) {
    write(p, 'cut: expected a list of bytes, characters, or fields\n', 2);
    return 1;
  }
  const ranges: [number, number][] = [];
  for (const part of list.split(',')) {
    const r = /^(\d*)(-?)(\d*)$/.exec(part);
    const lo = r?.[1] ? Number(r[1]) : 1;
    const hi = r?.[2] ? (r[3] ? Number(r[3]) : Infinity) : lo;
    if (!r || (!r[1] && !r[3]) || lo === 0 || hi < lo) {
      write(p, `cut: invalid byte or field list\n`, 2);
      return 1;
    }
    ranges.push([lo, hi]);
  }
  const picked = (n: number) => ranges.some(([lo, hi]) => n >= lo && n <= hi);
  let code = 0;
  let out = '';
  for (const f of files.length ? files : ['-']) {
    const text = readInput(p, 'cut', f, readStdin);
    if (text === undefined) {
      code = 1;
      continue;
    }
    for (const line of lines(text)) {
      if (mode === 'c') out += `${[...line].filter((_, i) => picked(i + 1)).join('')}\n`;
      else if (!line.includes(delim)) out += onlyDelimited ? '' : `${line}\n`;
      else out += `${line.split(delim).filter((_, i) => picked(i + 1)).join(delim)}\n`;
    }
  }
  write(p, out);
  return code;
}
