/**
 * awk.ts: busybox's awk (editors/awk.c) as a small interpreter, for the one-liners people pipe kubectl
 * into (`awk '{print $1}'`, `awk 'NR>1 {s+=$3} END {print s}'`, `awk -F: '$2 ~ /x/'`) and scripts
 * run in containers. awkparse.ts reads the program; this file runs it over its input: fields and $0,
 * awk's values (numbers, strings and input that looks numeric), arrays, the builtins, and busybox's
 * messages and statuses (1 for a syntax or run-time error). What it does not simulate (getline,
 * system(), printing into a command) is Unknown; a loop that runs on is stopped after MAX_STEPS.
 */
import { RE2JS } from 're2js';
import { EPOCH_MS } from '../../clock.ts';
import { AwkSyntax, parseAwk, unescapeAwk, type Expr, type LValue, type Program, type Redirect, type Stmt } from './awkparse.ts';
import { awkSprintf, checkFormat, FormatError, GlibcRandom, numberToString, RAND_MAX, type FormatArg } from './awkformat.ts';
import { capped, normPath, readPath, Stop, Unknown, write, writePath, type Proc } from './proc.ts';
import { BadRegex, toRe2 } from './text.ts';

/**
 * StrNum is input that looks like a number (a field, a split() element, -v x=10): POSIX's "numeric
 * string". It compares as a number with numbers and other numeric strings, so `$3 > 9` with $3 "10" is
 * true, while a string constant compares as a string ("10" < "9").
 */
class StrNum {
  constructor(
    readonly s: string,
    readonly n: number,
  ) {}
}

/** Value: a number, a string, a numeric string, or undefined: the uninitialised value ("" and 0 at once). */
type Value = number | string | StrNum | undefined;

/** Slot: a variable, a scalar or an array (arrays are passed to functions by reference). */
interface Slot {
  v: Value;
  a?: Map<string, Value>;
}

/** AwkError: a run-time error, printed as busybox's syntax_error does (`awk: cmd. line:1: Division by zero`). */
class AwkError extends Error {}
/** Fatal: an error busybox prints without a line (`awk: can't open 'x': No such file or directory`). */
class Fatal extends Error {}
class NextRecord {}
class NextFile {}
class ExitProgram {
  constructor(readonly code: number | undefined) {}
}
class ReturnValue {
  constructor(readonly v: Value) {}
}

/** MAX_STEPS: statements and loop turns one awk run may take before it counts as running on (`while (1)`). */
export const MAX_STEPS = 1_000_000;
/** MAX_DEPTH: user function calls nested deeper than this are not simulated. */
const MAX_DEPTH = 200;

/** NUMERIC: what input must look like to be a numeric string: blanks, a decimal number, blanks. */
const NUMERIC = /^[ \t\n\r\f\v]*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?[ \t\n\r\f\v]*$/;
/** LEADING_NUMBER: the prefix of a string that becomes its numeric value ("3abc" is 3, "abc" 0), as strtod reads it. */
const LEADING_NUMBER = /^[ \t\n\r\f\v]*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/;
const BLANKS = /[ \t\n\r\f\v]+/;

function userValue(s: string): Value {
  return NUMERIC.test(s) ? new StrNum(s, Number(s.trim())) : s;
}

function isNumeric(v: Value): boolean {
  return typeof v === 'number' || v === undefined || v instanceof StrNum;
}

const USAGE =
  'Usage: awk [OPTIONS] [AWK_PROGRAM] [FILE]...\n\n\t-v VAR=VAL\tSet variable\n\t-F SEP\t\tUse SEP as field separator\n\t-f FILE\t\tRead program from FILE\n\t-e AWK_PROGRAM\n';

/**
 * awk runs `awk [-F SEP] [-v VAR=VAL]... [-f FILE | -e PROG | PROG] [FILE | VAR=VAL]...` as busybox
 * does: options up to the first operand, the program, then its operands as input files (standard input
 * without any) and assignments made when reached.
 */
export function awk(p: Proc, args: string[], readStdin: (p: Proc) => string): number {
  const sources: { name: string; text: string }[] = [];
  const assigns: string[] = [];
  let fs: string | undefined;
  let i = 0;
  const usage = (msg?: string) => {
    write(p, `${msg ? `awk: ${msg}\n` : ''}${USAGE}`, 2);
    return 1;
  };
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    const o = a[1];
    if (!'Fvfe W'.includes(o) || o === ' ') return usage(`invalid option -- '${o}'`);
    const value = a.length > 2 ? a.slice(2) : args[++i];
    if (value === undefined) return usage(`option requires an argument -- '${o}'`);
    if (o === 'F') fs = unescapeAwk(value);
    else if (o === 'v') {
      if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(value)) return usage();
      assigns.push(value);
    } else if (o === 'f') {
      const text = value === '-' ? readStdin(p) : readPath(p, value);
      if (typeof text !== 'string') {
        write(p, `awk: can't open '${value}': ${text === null ? 'Is a directory' : 'No such file or directory'}\n`, 2);
        return 1;
      }
      sources.push({ name: value, text });
    } else if (o === 'e') sources.push({ name: 'cmd. line', text: value });
    else write(p, 'awk: warning: option -W is ignored\n', 2);
  }
  if (!sources.length) {
    if (i >= args.length) return usage();
    sources.push({ name: 'cmd. line', text: args[i++] });
  }
  let program: Program;
  try {
    program = parseAwk(sources);
  } catch (e) {
    if (!(e instanceof AwkSyntax)) throw e;
    write(p, `awk: ${e.source}:${e.line}: ${e.message}\n`, 2);
    return 1;
  }
  const run = new Interp(p, program, readStdin, sources[sources.length - 1].name);
  return run.main(fs, assigns, args.slice(i));
}

/** Interp runs a parsed program: its variables, the current record and its fields, and open output files. */
class Interp {
  private globals = new Map<string, Slot>();
  private frame: Map<string, Slot> | undefined;
  private depth = 0;
  private record = '';
  /** fields: $1… once split (null until a field or NF is asked for); splitFs: FS when the record was read. */
  private fields: Value[] | null = [];
  private splitFs = ' ';
  private steps = 0;
  private line = 1;
  private files = new Map<string, string>();
  private regexes = new Map<string, RE2JS>();
  private random = new GlibcRandom(1);
  /** seed: busybox starts it at 1 and srand() returns the previous one. */
  private seed = 1;
  private ranges: boolean[];
  private argi = 1;
  private filesHappened = false;

  constructor(
    private p: Proc,
    private prog: Program,
    private readStdin: (p: Proc) => string,
    private progName: string,
  ) {
    this.ranges = prog.rules.map(() => false);
  }

  main(fs: string | undefined, assigns: string[], operands: string[]): number {
    const init: Record<string, Value> = { CONVFMT: '%.6g', OFMT: '%.6g', FS: ' ', OFS: ' ', ORS: '\n', RS: '\n', SUBSEP: '\x1c', NR: 0, FNR: 0, FILENAME: '', ARGC: operands.length + 1 };
    for (const [k, v] of Object.entries(init)) this.slot(k).v = v;
    const argv = this.array('ARGV');
    ['awk', ...operands].forEach((a, n) => argv.set(String(n), userValue(a)));
    if (this.prog.names.has('ENVIRON')) {
      this.p.deps.allEnv = true;
      const env = this.array('ENVIRON');
      for (const [k, v] of this.p.vars) env.set(k, userValue(v));
    }
    if (fs !== undefined) this.slot('FS').v = fs;
    for (const a of assigns) this.assignOperand(a);
    let code = 0;
    const exit = (e: ExitProgram) => {
      if (e.code !== undefined) code = ((Math.trunc(e.code) % 256) + 256) % 256;
    };
    try {
      try {
        for (const action of this.prog.begin) this.action(action);
        if (this.prog.rules.length || this.prog.end.length) this.readInput();
      } catch (e) {
        if (!(e instanceof ExitProgram)) throw e;
        exit(e);
      }
      // exit in BEGIN or a rule still runs the END actions (busybox's awk_exit, POSIX); exit in END ends them.
      try {
        for (const action of this.prog.end) this.action(action);
      } catch (e) {
        if (!(e instanceof ExitProgram)) throw e;
        exit(e);
      }
      return code;
    } catch (e) {
      if (e instanceof AwkError) write(this.p, `awk: ${this.progName}:${this.line}: ${e.message}\n`, 2);
      else if (e instanceof Fatal) write(this.p, `awk: ${e.message}\n`, 2);
      else throw e;
      return 1;
    }
  }

  /** action runs BEGIN's or END's statements (where `next` just ends the action). */
  private action(stmts: Stmt[]): void {
    try {
      for (const s of stmts) this.exec(s);
    } catch (e) {
      if (!(e instanceof NextRecord) && !(e instanceof NextFile)) throw e;
    }
  }

  /** assignOperand: a `VAR=VALUE` operand or -v, its value's escapes read as in a string constant. */
  private assignOperand(a: string): void {
    const eq = a.indexOf('=');
    this.setVar(a.slice(0, eq), userValue(unescapeAwk(a.slice(eq + 1))));
  }

  /** readInput reads each operand in turn (ARGV as the program left it), standard input when there is none. */
  private readInput(): void {
    for (;;) {
      const input = this.nextInput();
      if (!input) return;
      this.setVar('FILENAME', input.name);
      this.setVar('FNR', 0);
      const at = { pos: 0 };
      for (let rec = this.nextRecord(input.text, at); rec !== undefined; rec = this.nextRecord(input.text, at)) {
        this.setVar('NR', this.num(this.getVar('NR')) + 1);
        this.setVar('FNR', this.num(this.getVar('FNR')) + 1);
        this.setRecord(rec);
        try {
          this.rules();
        } catch (e) {
          if (e instanceof NextFile) break;
          if (!(e instanceof NextRecord)) throw e;
        }
      }
    }
  }

  private nextInput(): { name: string; text: string } | undefined {
    for (;;) {
      if (this.argi >= this.num(this.getVar('ARGC'))) {
        if (this.filesHappened) return undefined;
        this.filesHappened = true;
        return { name: '-', text: this.readStdin(this.p) };
      }
      const name = this.str(this.array('ARGV').get(String(this.argi++)));
      if (!name) continue;
      if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(name)) {
        this.assignOperand(name);
        continue;
      }
      this.filesHappened = true;
      const text = name === '-' ? this.readStdin(this.p) : readPath(this.p, name);
      if (text === undefined) throw new Fatal(`can't open '${name}': No such file or directory`);
      if (text === null) throw new AwkError('Is a directory');
      return { name, text };
    }
  }

  /**
   * nextRecord reads the record at `at` with RS as it is now: a newline (or any one character) ends a
   * record, an empty RS separates paragraphs (blank lines), a longer one is a regular expression.
   */
  private nextRecord(text: string, at: { pos: number }): string | undefined {
    const rs = this.str(this.getVar('RS'));
    if (rs === '') while (text[at.pos] === '\n') at.pos++;
    if (at.pos >= text.length) return undefined;
    let end: [number, number] | undefined;
    if (rs.length === 1) {
      const i = text.indexOf(rs, at.pos);
      end = i < 0 ? undefined : [i, i + 1];
    } else if (rs === '') {
      const m = /\n\n+/g;
      m.lastIndex = at.pos;
      const found = m.exec(text);
      end = found ? [found.index, found.index + found[0].length] : undefined;
    } else end = this.find(rs, text, at.pos, true);
    const rec = text.slice(at.pos, end ? end[0] : text.length);
    at.pos = end ? end[1] : text.length;
    return rs === '' && !end ? rec.replace(/\n+$/, '') : rec;
  }

  private rules(): void {
    if (++this.steps > MAX_STEPS) throw new Stop();
    this.prog.rules.forEach((rule, i) => {
      const pat = rule.pattern;
      let selected = true;
      if (Array.isArray(pat)) {
        // A range selects from a record matching its first pattern through one matching its second (maybe the same record).
        if (this.ranges[i]) {
          if (this.truthy(this.eval(pat[1]))) this.ranges[i] = false;
        } else if (this.truthy(this.eval(pat[0]))) this.ranges[i] = !this.truthy(this.eval(pat[1]));
        else selected = false;
      } else if (pat) selected = this.truthy(this.eval(pat));
      if (!selected) return;
      if (!rule.action) this.emit(this.record + this.str(this.getVar('ORS')));
      else for (const s of rule.action) this.exec(s);
    });
  }

  // ---- values ----

  private num(v: Value): number {
    if (typeof v === 'number') return v;
    if (v === undefined) return 0;
    if (v instanceof StrNum) return v.n;
    const m = LEADING_NUMBER.exec(v);
    return m ? Number(m[0].trim()) : 0;
  }

  /** str is a value as a string; a number is converted with CONVFMT (integers print whole). */
  private str(v: Value, format?: string): string {
    if (typeof v === 'string') return v;
    if (v === undefined) return '';
    if (v instanceof StrNum) return v.s;
    try {
      return numberToString(v, format ?? this.formatVar('CONVFMT'));
    } catch (e) {
      if (e instanceof FormatError) throw new AwkError(e.message);
      throw e;
    }
  }

  private formatVar(name: 'CONVFMT' | 'OFMT'): string {
    const f = this.slot(name).v;
    return typeof f === 'string' ? f : f instanceof StrNum ? f.s : '%.6g';
  }

  private truthy(v: Value): boolean {
    if (typeof v === 'number') return v !== 0;
    if (v === undefined) return false;
    if (v instanceof StrNum) return v.n !== 0;
    return v !== '';
  }

  /** compare: numerically when both sides are numbers or numeric strings (POSIX awk's rule), else as strings. */
  private compare(a: Value, b: Value): number {
    if (isNumeric(a) && isNumeric(b)) {
      const x = this.num(a);
      const y = this.num(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    const x = this.str(a);
    const y = this.str(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  // ---- variables, arrays and fields ----

  private slot(name: string): Slot {
    const local = this.frame?.get(name);
    if (local) return local;
    let s = this.globals.get(name);
    if (!s) this.globals.set(name, (s = { v: undefined }));
    return s;
  }

  private array(name: string): Map<string, Value> {
    const s = this.slot(name);
    return (s.a ??= new Map());
  }

  private getVar(name: string): Value {
    if (name === 'NF' && !this.frame?.has(name)) return this.split().length;
    return this.slot(name).v;
  }

  private setVar(name: string, v: Value): void {
    if (name === 'NF' && !this.frame?.has(name)) {
      const n = Math.trunc(this.num(v));
      if (n < 0) throw new AwkError('Access to negative field');
      const f = this.split();
      f.length = n;
      this.rebuild();
      return;
    }
    // FS applies from the next record (POSIX): the current one keeps the FS it was read with.
    if (name === 'FS') this.split();
    this.slot(name).v = v;
  }

  private setRecord(s: string): void {
    this.record = capped(s);
    this.fields = null;
    this.splitFs = this.str(this.getVar('FS'));
  }

  private split(): Value[] {
    if (this.fields === null) this.fields = this.splitText(this.record, { fs: this.splitFs }).map(userValue);
    return this.fields;
  }

  /** rebuild makes $0 of the fields joined by OFS, after a field or NF is assigned. */
  private rebuild(): void {
    const f = this.split();
    const ofs = this.str(this.getVar('OFS'));
    this.record = capped(Array.from(f, (v) => this.str(v)).join(ofs));
  }

  private getField(i: number): Value {
    if (i === 0) return userValue(this.record);
    return this.split()[i - 1];
  }

  private setField(i: number, v: Value): void {
    if (i === 0) {
      this.setRecord(this.str(v));
      return;
    }
    const f = this.split();
    while (f.length < i) f.push(undefined);
    f[i - 1] = v;
    this.rebuild();
  }

  private fieldIndex(e: Expr): number {
    const n = Math.trunc(this.num(this.eval(e)));
    if (n < 0) throw new AwkError('Access to negative field');
    return n;
  }

  /**
   * splitText splits s as FS (or split()'s third argument) says: a single space splits at runs of blanks
   * and ignores them at the ends, another single character splits at each occurrence, "" makes each
   * character a field, and anything longer (or a /regex/) is an extended regular expression.
   */
  private splitText(s: string, by: { fs: string } | { re: string }): string[] {
    if ('fs' in by && by.fs === ' ') {
      const t = s.replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, '');
      return t === '' ? [] : t.split(BLANKS);
    }
    if (s === '') return [];
    if ('fs' in by && by.fs === '') return [...s];
    if ('fs' in by && by.fs.length === 1) return s.split(by.fs);
    const re = 'fs' in by ? by.fs : by.re;
    const out: string[] = [];
    let pos = 0;
    for (let m = this.find(re, s, pos, true); m; m = this.find(re, s, pos, true)) {
      out.push(s.slice(pos, m[0]));
      pos = m[1];
    }
    out.push(s.slice(pos));
    return out;
  }

  // ---- regular expressions ----

  private regex(src: string): RE2JS {
    let re = this.regexes.get(src);
    if (re) return re;
    try {
      re = RE2JS.compile(toRe2(src, true));
    } catch (e) {
      if (e instanceof Error && /invalid escape sequence: `\\[1-9]`/.test(e.message)) throw new Unknown(`awk /${src}/ (a back-reference)`);
      throw new Fatal(`bad regex '${src}': ${e instanceof BadRegex ? e.message : 'Invalid regular expression'}`);
    }
    this.regexes.set(src, re);
    return re;
  }

  /** find is the first match of src in s at or after from, as [start, end); nonEmpty skips empty matches (separators). */
  private find(src: string, s: string, from: number, nonEmpty = false): [number, number] | undefined {
    const m = this.regex(src).matcher(s);
    for (let at = from; at <= s.length && m.find(at); at = m.start() + 1) {
      if (!nonEmpty || m.end() > m.start()) return [m.start(), m.end()];
    }
    return undefined;
  }

  /** regexOf: a /regex/ argument as written, any other value as a dynamic regular expression (its string). */
  private regexOf(e: Expr): string {
    return e.k === 'ere' ? e.src : this.str(this.eval(e));
  }

  // ---- statements ----

  private exec(s: Stmt): 'break' | 'continue' | undefined {
    if (++this.steps > MAX_STEPS) throw new Stop();
    this.line = s.line;
    switch (s.k) {
      case 'print': {
        const ofs = this.str(this.getVar('OFS'));
        const text = s.args.length ? s.args.map((a) => this.output(this.eval(a))).join(ofs) : this.record;
        this.emit(text + this.str(this.getVar('ORS')), s.redirect);
        return undefined;
      }
      case 'printf':
        this.emit(this.format(s.args), s.redirect);
        return undefined;
      case 'expr':
        this.eval(s.e);
        return undefined;
      case 'if':
        if (this.truthy(this.eval(s.c))) return this.exec(s.then);
        return s.else ? this.exec(s.else) : undefined;
      case 'while':
        while (this.truthy(this.eval(s.c))) if (this.exec(s.body) === 'break') break;
        return undefined;
      case 'do':
        do if (this.exec(s.body) === 'break') break;
        while (this.truthy(this.eval(s.c)));
        return undefined;
      case 'for':
        if (s.init) this.eval(s.init);
        while (!s.c || this.truthy(this.eval(s.c))) {
          if (this.exec(s.body) === 'break') break;
          if (s.post) this.eval(s.post);
        }
        return undefined;
      case 'forin':
        // Keys in the order they were made: busybox walks its hash table, whose order is its own.
        for (const k of [...this.array(s.arr).keys()]) {
          this.setVar(s.v, k);
          if (this.exec(s.body) === 'break') break;
        }
        return undefined;
      case 'block':
        for (const b of s.body) {
          const jump = this.exec(b);
          if (jump) return jump;
        }
        return undefined;
      case 'break':
      case 'continue':
        return s.k;
      case 'next':
        throw new NextRecord();
      case 'nextfile':
        throw new NextFile();
      case 'exit':
        throw new ExitProgram(s.e ? this.num(this.eval(s.e)) : undefined);
      case 'return':
        throw new ReturnValue(s.e ? this.eval(s.e) : undefined);
      case 'delete':
        if (s.subs) this.array(s.name).delete(this.key(s.subs));
        else this.array(s.name).clear();
        return undefined;
    }
  }

  /** output is a value as print writes it: a number with OFMT. */
  private output(v: Value): string {
    return typeof v === 'number' ? this.str(v, this.formatVar('OFMT')) : this.str(v);
  }

  /**
   * emit writes print's text: to standard output, or to a file (`> FILE` empties it when first
   * opened, `>> FILE` appends; later prints append to it while it is open), /dev/stderr, /dev/stdout.
   */
  private emit(text: string, redirect?: Redirect): void {
    if (!redirect) {
      write(this.p, text);
      return;
    }
    const target = this.str(this.eval(redirect.e));
    if (target === '/dev/stdout' || target === '-') return write(this.p, text);
    if (target === '/dev/stderr') return write(this.p, text, 2);
    let had = this.files.get(target);
    if (had === undefined) {
      const cur = readPath(this.p, target);
      if (cur === null) throw new Fatal(`can't open '${target}': Is a directory`);
      if (this.p.host.readOnly?.(normPath(target))) throw new Fatal(`can't open '${target}': Read-only file system`);
      had = redirect.op === '>>' && typeof cur === 'string' ? cur : '';
    }
    const data = capped(had + text);
    this.files.set(target, data);
    writePath(this.p, target, data);
  }

  private format(args: Expr[]): string {
    const fmt = this.str(this.eval(args[0]));
    const values = args.slice(1).map((a) => this.eval(a));
    const fargs: FormatArg[] = values.map((v) => ({ num: () => this.num(v), str: () => this.str(v), numeric: typeof v === 'number' || v instanceof StrNum }));
    try {
      checkFormat(fmt);
      return capped(awkSprintf(fmt, fargs));
    } catch (e) {
      if (e instanceof FormatError) throw new AwkError(e.message);
      throw e;
    }
  }

  // ---- expressions ----

  private key(subs: Expr[]): string {
    return subs.map((e) => this.str(this.eval(e))).join(this.str(this.getVar('SUBSEP')));
  }

  /** ref: where an lvalue lives, its subscript or field number computed once (before the value assigned, as busybox does). */
  private ref(t: LValue): { get(): Value; set(v: Value): void } {
    if (t.k === 'var') return { get: () => this.getVar(t.name), set: (v) => this.setVar(t.name, v) };
    if (t.k === 'index') {
      const arr = this.array(t.name);
      const key = this.key(t.subs);
      return { get: () => (arr.has(key) ? arr.get(key) : (arr.set(key, undefined), undefined)), set: (v) => void arr.set(key, v) };
    }
    const i = this.fieldIndex(t.e);
    return { get: () => this.getField(i), set: (v) => this.setField(i, v) };
  }

  private arith(op: string, a: number, b: number): number {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '^':
        return Math.pow(a, b);
      default:
        if (b === 0) throw new AwkError('Division by zero');
        return op === '/' ? a / b : a % b;
    }
  }

  eval(e: Expr): Value {
    switch (e.k) {
      case 'num':
        return e.v;
      case 'str':
        return e.v;
      case 'ere':
        return this.find(e.src, this.record, 0) ? 1 : 0;
      case 'var':
        return this.getVar(e.name);
      case 'index':
      case 'field':
        return this.ref(e).get();
      case 'assign': {
        const r = this.ref(e.target);
        if (e.op === '=') {
          const v = this.eval(e.e);
          r.set(v);
          return v;
        }
        const old = this.num(r.get());
        const v = this.arith(e.op[0], old, this.num(this.eval(e.e)));
        r.set(v);
        return v;
      }
      case 'cond':
        return this.truthy(this.eval(e.c)) ? this.eval(e.a) : this.eval(e.b);
      case 'and':
        return this.truthy(this.eval(e.a)) && this.truthy(this.eval(e.b)) ? 1 : 0;
      case 'or':
        return this.truthy(this.eval(e.a)) || this.truthy(this.eval(e.b)) ? 1 : 0;
      case 'in':
        return this.array(e.name).has(this.key(e.subs)) ? 1 : 0;
      case 'match': {
        const s = this.str(this.eval(e.e));
        return !!this.find(this.regexOf(e.re), s, 0) !== e.neg ? 1 : 0;
      }
      case 'cmp': {
        const c = this.compare(this.eval(e.a), this.eval(e.b));
        const ok = e.op === '<' ? c < 0 : e.op === '<=' ? c <= 0 : e.op === '>' ? c > 0 : e.op === '>=' ? c >= 0 : e.op === '==' ? c === 0 : c !== 0;
        return ok ? 1 : 0;
      }
      case 'concat':
        return capped(this.str(this.eval(e.a)) + this.str(this.eval(e.b)));
      case 'bin':
        return this.arith(e.op, this.num(this.eval(e.a)), this.num(this.eval(e.b)));
      case 'unary': {
        const v = this.eval(e.e);
        return e.op === '!' ? (this.truthy(v) ? 0 : 1) : e.op === '-' ? -this.num(v) : this.num(v);
      }
      case 'incdec': {
        const r = this.ref(e.target);
        const old = this.num(r.get());
        const v = e.op === '++' ? old + 1 : old - 1;
        r.set(v);
        return e.prefix ? v : old;
      }
      case 'call':
        return this.builtin(e.name, e.args);
      case 'ucall':
        return this.call(e.name, e.args);
      case 'group':
        throw new AwkError('Unexpected token');
    }
  }

  /**
   * call runs a user function: scalars are passed by value, arrays by reference; an uninitialised
   * variable the function uses as an array becomes that array (POSIX). Extra parameters are locals.
   */
  private call(name: string, args: Expr[]): Value {
    const f = this.prog.funcs.get(name);
    if (!f) throw new AwkError('Call to undefined function');
    if (this.depth >= MAX_DEPTH) throw new Unknown(`awk ${name}() (calls nested over ${MAX_DEPTH} deep)`);
    const frame = new Map<string, Slot>();
    const links: [Slot, Slot][] = [];
    args.forEach((a, i) => {
      const param = f.params[i];
      if (a.k === 'var' && a.name !== 'NF') {
        const caller = this.slot(a.name);
        if (caller.a || caller.v === undefined) {
          const s: Slot = { v: caller.v, a: caller.a };
          if (!caller.a) links.push([caller, s]);
          if (param !== undefined) frame.set(param, s);
          return;
        }
      }
      const v = this.eval(a);
      if (param !== undefined) frame.set(param, { v });
    });
    for (const param of f.params) if (!frame.has(param)) frame.set(param, { v: undefined });
    const saved = this.frame;
    this.frame = frame;
    this.depth++;
    try {
      for (const s of f.body) this.exec(s);
      return undefined;
    } catch (e) {
      if (e instanceof ReturnValue) return e.v;
      throw e;
    } finally {
      this.frame = saved;
      this.depth--;
      for (const [caller, s] of links) if (s.a && !caller.a && caller.v === undefined) caller.a = s.a;
    }
  }

  private builtin(name: string, args: Expr[]): Value {
    const arg = (i: number) => (args[i] ? this.eval(args[i]) : undefined);
    const n = (i: number) => this.num(arg(i));
    const s = (i: number) => this.str(arg(i));
    switch (name) {
      case 'length': {
        const a = args[0];
        if (!a) return this.record.length;
        if (a.k === 'var' && this.slot(a.name).a) return this.slot(a.name).a!.size;
        return s(0).length;
      }
      case 'substr': {
        // busybox's substr: start counts from 1, clamped to the string; a start before 1 does not shorten the length.
        const str = s(0);
        const start = Math.min(Math.max(Math.trunc(n(1) - 1), 0), str.length);
        const len = args.length > 2 ? Math.max(Math.trunc(n(2)), 0) : str.length - start;
        return str.substr(start, len);
      }
      case 'index': {
        const hay = s(0);
        const needle = s(1);
        return needle ? hay.indexOf(needle) + 1 : 0;
      }
      case 'split': {
        const str = s(0);
        const by = args[2] ? (args[2].k === 'ere' ? { re: args[2].src } : { fs: s(2) }) : { fs: this.str(this.getVar('FS')) };
        const arr = this.array((args[1] as { name: string }).name);
        const parts = this.splitText(str, by);
        arr.clear();
        parts.forEach((part, i) => arr.set(String(i + 1), userValue(part)));
        return parts.length;
      }
      case 'sub':
      case 'gsub':
        return this.substitute(args, name === 'gsub');
      case 'match': {
        const m = this.find(this.regexOf(args[1]), s(0), 0);
        this.setVar('RSTART', m ? m[0] + 1 : 0);
        this.setVar('RLENGTH', m ? m[1] - m[0] : -1);
        return m ? m[0] + 1 : 0;
      }
      case 'sprintf':
        return args.length ? this.format(args) : '';
      case 'tolower':
        return s(0).replace(/[A-Z]+/g, (c) => c.toLowerCase());
      case 'toupper':
        return s(0).replace(/[a-z]+/g, (c) => c.toUpperCase());
      case 'int':
        return Math.trunc(n(0));
      case 'sqrt':
        return Math.sqrt(n(0));
      case 'exp':
        return Math.exp(n(0));
      case 'log':
        return Math.log(n(0));
      case 'sin':
        return Math.sin(n(0));
      case 'cos':
        return Math.cos(n(0));
      case 'atan2':
        return Math.atan2(n(0), n(1));
      case 'rand':
        return this.random.next() / RAND_MAX;
      case 'srand': {
        const prev = this.seed;
        this.seed = args.length ? Math.trunc(n(0)) >>> 0 : this.now();
        this.random.seed(this.seed);
        return prev;
      }
      case 'systime':
        return this.now();
      case 'close': {
        const had = this.files.delete(s(0));
        return had ? 0 : -1;
      }
      case 'fflush':
        return 0;
      case 'and':
      case 'or':
      case 'xor':
      case 'lshift':
      case 'rshift':
      case 'compl':
        return bitwise(name, n(0), n(1));
      default:
        // system, gensub, strftime, mktime: what they do is outside what the simulation runs.
        throw new Unknown(`awk ${name}()`);
    }
  }

  /** now: seconds since 1970 on the cluster's clock (srand()'s seed, systime()). */
  private now(): number {
    this.p.deps.time = true;
    return Math.floor((EPOCH_MS + this.p.host.startMs + this.p.t) / 1000);
  }

  /**
   * substitute is sub (the first match) and gsub (each): in the replacement `&` is the matched text and
   * `\&` a literal ampersand (busybox's awk_sub: before `&`, each pair of backslashes is one backslash).
   * An empty match right after a match is skipped: gsub with x* and "-" makes "xxa" "-a-", as gawk does.
   */
  private substitute(args: Expr[], global: boolean): number {
    const src = this.regexOf(args[0]);
    const repl = this.str(this.eval(args[1]));
    const target: LValue = args[2] ? (args[2] as LValue) : { k: 'field', e: { k: 'num', v: 0 } };
    const r = this.ref(target);
    const s = this.str(r.get());
    let out = '';
    let pos = 0;
    let count = 0;
    let lastEnd = -1;
    while (pos <= s.length) {
      const m = this.find(src, s, pos);
      if (!m) break;
      const [st, en] = m;
      if (st === en && st === lastEnd) {
        out += s.slice(pos, st + 1);
        pos = st + 1;
        continue;
      }
      out += s.slice(pos, st) + replacement(repl, s.slice(st, en));
      count++;
      lastEnd = en;
      pos = en;
      if (!global) break;
      if (st === en) {
        out += s.slice(st, st + 1);
        pos = st + 1;
      }
      if (++this.steps > MAX_STEPS) throw new Stop();
    }
    out += s.slice(pos);
    if (count) r.set(capped(out));
    return count;
  }
}

function replacement(repl: string, matched: string): string {
  return repl.replace(/(\\*)&/g, (_m, slashes: string) => '\\'.repeat(slashes.length >> 1) + (slashes.length % 2 ? '&' : matched));
}

/** bitwise: busybox's and/or/xor/lshift/rshift/compl on the operands as unsigned 64-bit integers. */
function bitwise(name: string, a: number, b: number): number {
  const u = (x: number) => (Number.isFinite(x) ? BigInt.asUintN(64, BigInt(Math.trunc(x))) : 0n);
  const x = u(a);
  const y = u(b);
  const r = name === 'and' ? x & y : name === 'or' ? x | y : name === 'xor' ? x ^ y : name === 'lshift' ? x << (y & 63n) : name === 'rshift' ? x >> (y & 63n) : ~x;
  return Number(BigInt.asUintN(64, r));
}
