import { RE2JS } from 're2js';
import { parse, ShellSyntax, type List, type Node, type Redir, type Word } from './parse.ts';
import { arith } from './arith.ts';
import { capped, Exit, normPath, readPath, Stop, TooBig, Unknown, write, writePath, type Outcome, type Proc, type RunOptions, type ShellHost, type Sink } from './proc.ts';
import { runProgram } from './programs.ts';

/**
 * The simulated containers' shell, run on the container's own virtual time: `sleep` moves the
 * clock, `echo` prints a line stamped with it, `exit` ends the process. Running a container's
 * command this way gives the kubelet when (and with what code) the process ends by itself, and
 * `kubectl logs` the lines it printed by a given moment. Pure: the same command, environment and
 * files give the same run.
 *
 * A program the simulation cannot run (a database server, a Python script with its own logic)
 * stops the run as `unknown`, and the caller falls back to the image's behaviour.
 */

class LoopJump {
  constructor(
    readonly kind: 'break' | 'continue',
    public n: number,
  ) {}
}

const IFS = /[ \t\n]+/;

function lookup(p: Proc, name: string): string | undefined {
  if (name === '?') return String(p.status);
  if (name === '$') return '1'; // the shell is the container's PID 1
  if (name === '#') return String(p.params.length);
  if (name === '@' || name === '*') return p.params.join(' ');
  if (name === '!') return '';
  if (/^[0-9]$/.test(name)) return name === '0' ? p.name : p.params[Number(name) - 1];
  p.deps.names.add(name);
  return p.vars.get(name);
}

/** expandWord expands a word into fields: unquoted expansions split on blanks, quoted ones do not. */
export function expandWord(p: Proc, w: Word): string[] {
  const fields: string[] = [];
  let cur = '';
  let has = false;
  for (const part of w.parts) {
    let v: string;
    if (part.k === 'lit') {
      // An unquoted `*` is a pathname pattern: what it matches depends on directory listings the
      // simulation does not have (`for f in /etc/config/*`), so the run is not simulated.
      if (!part.q && part.v.includes('*')) throw new Unknown(`sh (the pattern ${part.v})`);
      cur += part.v;
      has = true;
      continue;
    }
    if (part.k === 'var') v = paramValue(p, part);
    else if (part.k === 'arith') v = String(arith(part.expr, (n) => lookup(p, n)));
    else v = captureOf(p, part.script).replace(/\n+$/, '');
    if (part.q) {
      cur += v;
      has = true;
      continue;
    }
    const pieces = v.split(IFS);
    pieces.forEach((piece, i) => {
      if (i > 0 && (has || cur)) {
        fields.push(cur);
        cur = '';
        has = false;
      }
      if (piece) {
        cur += piece;
        has = true;
      }
    });
  }
  if (has || cur) fields.push(capped(cur));
  return fields;
}

function paramValue(p: Proc, part: Extract<Word['parts'][number], { k: 'var' }>): string {
  const v = lookup(p, part.name);
  if (part.op === '#') return String((v ?? '').length);
  if (!part.op) return v ?? '';
  if (part.op.startsWith('remove')) return removePattern(v ?? '', part.op.slice(6), part.arg ? patternOf(p, part.arg) : '');
  const unset = part.op.startsWith(':') ? !v : v === undefined;
  const arg = () => (part.arg ? expandWord(p, part.arg).join(' ') : '');
  switch (part.op.replace(':', '')) {
    case '-':
      return unset ? arg() : v!;
    case '=':
      if (unset) p.vars.set(part.name, arg());
      return p.vars.get(part.name) ?? '';
    case '+':
      return unset ? '' : arg();
    default:
      if (unset) {
        write(p, `sh: ${part.name}: ${arg() || 'parameter not set'}\n`, 2);
        throw new Exit(1);
      }
      return v!;
  }
}

/** patternOf expands a pattern word without splitting it: what was quoted matches literally, the rest as a pattern. */
function patternOf(p: Proc, w: Word): string {
  let out = '';
  for (const part of w.parts) {
    const v = part.k === 'lit' ? part.v : part.k === 'var' ? paramValue(p, part) : part.k === 'arith' ? String(arith(part.expr, (n) => lookup(p, n))) : captureOf(p, part.script).replace(/\n+$/, '');
    out += part.q ? v.replace(/[*?[\\]/g, '\\$&') : v;
  }
  return capped(out);
}

/**
 * removePattern is ${v#p} (the shortest prefix matching p removed), ${v##p} (the longest), ${v%p} (the shortest
 * suffix) and ${v%%p} (the longest), p a shell pattern (* ? […]). A prefix is the anchored match with the
 * stars lazy (shortest) or greedy (longest); a suffix is a prefix of the reversed value, the pattern reversed.
 */
function removePattern(v: string, op: string, pattern: string): string {
  const suffix = op[0] === '%';
  const tokens = globTokens(pattern);
  if (suffix) tokens.reverse();
  const star = op.length === 2 ? '[\\s\\S]*' : '[\\s\\S]*?';
  // RE2: a pattern of many stars against a long value is linear, not the backtracking engine's polynomial.
  const m = RE2JS.compile('^(?:' + tokens.map((t) => (t === '*' ? star : t)).join('') + ')').matcher(suffix ? [...v].reverse().join('') : v);
  if (!m.find()) return v;
  const len = m.group(0)!.length;
  return suffix ? v.slice(0, v.length - len) : v.slice(len);
}

/** globTokens splits a shell pattern into RegExp pieces: '*' for a star, one piece per character or […] class. */
function globTokens(pattern: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const end = c === '[' ? pattern.indexOf(']', i + 2) : -1;
    if (c === '*') out.push('*');
    else if (c === '?') out.push('[\\s\\S]');
    else if (c === '\\' && i + 1 < pattern.length) out.push(RE2JS.quote(pattern[++i]));
    else if (end > 0 && validClass(pattern.slice(i + 1, end))) {
      out.push(`[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`);
      i = end;
    } else out.push(RE2JS.quote(c));
  }
  return out;
}

/** validClass: a bracket expression RE2 accepts (a reversed range such as [z-a] is taken literally). */
function validClass(body: string): boolean {
  try {
    RE2JS.compile(`[${body.replace(/^!/, '^').replace(/\\/g, '\\\\')}]`);
    return true;
  } catch {
    return false;
  }
}

/** captureOf runs a command substitution and returns what it printed. */
function captureOf(p: Proc, list: List): string {
  const cap = { text: '' };
  p.captures.push(cap);
  const status = p.status;
  try {
    runList(p, list);
  } catch (e) {
    if (!(e instanceof Exit)) throw e;
  } finally {
    p.captures.pop();
  }
  p.status = status;
  return cap.text;
}

/** step counts one command against the budget. */
function step(p: Proc): void {
  if (++p.steps > p.maxSteps) throw new Stop();
}

export function runList(p: Proc, list: List): void {
  for (const { node, bg } of list.items) {
    if (bg) {
      // A background job: its output appears, but the script does not wait for its time.
      const t = p.t;
      const horizon = p.horizon;
      try {
        p.horizon = Infinity;
        runNode(p, node);
      } catch (e) {
        if (!(e instanceof Exit) && !(e instanceof Stop)) throw e;
      } finally {
        p.t = t;
        p.horizon = horizon;
      }
      p.status = 0;
      continue;
    }
    runNode(p, node);
  }
}

function runNode(p: Proc, node: Node, inCondition = false): void {
  switch (node.k) {
    case 'simple':
      step(p);
      return withRedirs(p, node.redirs, () => runSimple(p, node, inCondition));
    case 'andor': {
      // Every operand's status chooses what runs next: they count as conditions.
      p.condDepth++;
      try {
        runNode(p, node.first, true);
        for (const { op, node: n } of node.rest) {
          if ((op === '&&') === (p.status === 0)) runNode(p, n, true);
        }
      } finally {
        p.condDepth--;
      }
      if (!inCondition) errexit(p);
      return;
    }
    case 'pipe':
      return runPipe(p, node, inCondition);
    case 'loop':
      return withRedirs(p, node.redirs, () => {
        p.loops++;
        try {
          let status = 0;
          let last = '';
          for (;;) {
            step(p);
            const clocked = p.clockInControl;
            p.clockInControl = false;
            runCondition(p, node.cond);
            if ((p.status === 0) === node.until) break;
            if (jump(p, () => runList(p, node.body))) break;
            status = p.status;
            // Planning only needs to know whether the loop can end: an iteration that leaves the
            // shell exactly as the one before, and made no choice on the clock, repeats for good.
            if (p.steady && !p.captures.length) {
              const sig = p.clockInControl ? '' : signature(p);
              if (sig && sig === last) {
                p.steadyAt = p.t;
                throw new Stop();
              }
              last = sig;
            }
            p.clockInControl ||= clocked;
          }
          p.status = status;
        } finally {
          p.loops--;
        }
      });
    case 'for':
      return withRedirs(p, node.redirs, () => {
        const items = node.items ? node.items.flatMap((w) => expandWord(p, w)) : p.params;
        p.loops++;
        try {
          p.status = 0;
          for (const v of items) {
            step(p);
            p.vars.set(node.name, v);
            if (jump(p, () => runList(p, node.body))) break;
          }
        } finally {
          p.loops--;
        }
      });
    case 'if':
      return withRedirs(p, node.redirs, () => {
        for (const b of node.branches) {
          runCondition(p, b.cond);
          if (p.status === 0) return runList(p, b.body);
        }
        if (node.otherwise) runList(p, node.otherwise);
        else p.status = 0;
      });
    case 'group':
      return withRedirs(p, node.redirs, () => {
        if (!node.subshell) return runList(p, node.body);
        const vars = new Map(p.vars);
        try {
          runList(p, node.body);
        } catch (e) {
          if (!(e instanceof Exit)) throw e;
          p.status = e.code;
        } finally {
          p.vars = vars;
        }
      });
  }
}

/** signature is the shell's state apart from the clock and the log: variables, parameters, files, status. */
function signature(p: Proc): string {
  // The files by their contents while they are small (a loop that writes and removes the same file each
  // time round is steady); past SIGNATURE_FILES_BYTES by filesVersion, which moves whenever a write changes
  // a file: a log a loop appends to changes every time round (never steady), and comparing its whole text
  // each time made `while true; do date >> log; sleep 5; done` cost ~20 s to plan.
  let bytes = 0;
  for (const d of p.files.values()) if (typeof d === 'string') bytes += d.length;
  const files = bytes <= SIGNATURE_FILES_BYTES ? [...p.files] : p.filesVersion;
  return JSON.stringify([[...p.vars], p.params, files, p.status, p.partial, p.errexit]);
}

/** SIGNATURE_FILES_BYTES: up to this much file text, a loop's steady-state check compares the files themselves. */
const SIGNATURE_FILES_BYTES = 16 * 1024;

/** jump runs a loop body; true when it said `break`. */
function jump(p: Proc, body: () => void): boolean {
  try {
    body();
    return false;
  } catch (e) {
    if (!(e instanceof LoopJump)) throw e;
    if (--e.n > 0) throw e;
    return e.kind === 'break';
  }
}

function runCondition(p: Proc, list: List): void {
  p.condDepth++;
  try {
    for (const { node } of list.items) runNode(p, node, true);
  } finally {
    p.condDepth--;
  }
}

function errexit(p: Proc): void {
  if (p.errexit && p.status !== 0) throw new Exit(p.status);
}

function runPipe(p: Proc, node: Extract<Node, { k: 'pipe' }>, inCondition: boolean): void {
  let input = p.stdin;
  const stdin = p.stdin;
  try {
    node.cmds.forEach((cmd, i) => {
      p.stdin = input;
      if (i === node.cmds.length - 1) return runNode(p, cmd, true);
      const cap = { text: '' };
      p.captures.push(cap);
      try {
        runNode(p, cmd, true);
      } finally {
        p.captures.pop();
      }
      input = cap.text;
    });
  } finally {
    p.stdin = stdin;
  }
  if (node.neg) p.status = p.status === 0 ? 1 : 0;
  else if (!inCondition) errexit(p);
}

/**
 * withRedirs applies a command's redirections left to right, as the shell opens them: `> file`, `>> file`,
 * `&> file`, `< file`, `/dev/null`, `/dev/stdout` and `/dev/stderr`, and the duplications `2>&1` and `>&2`
 * (so `>file 2>&1` sends both to the file, and `2>&1 >file` only stdout).
 */
function withRedirs(p: Proc, redirs: Redir[], run: () => void): void {
  if (!redirs.length) return run();
  const pushed: { path: string; cap: { text: string }; append: boolean }[] = [];
  let out: Sink = p.captures[p.captures.length - 1] ?? 'log';
  let err: Sink = p.errs[p.errs.length - 1] ?? 'log';
  const stdin = p.stdin;
  for (const r of redirs) {
    const target = expandWord(p, r.target).join(' ');
    if (r.op === '<') {
      const data = readPath(p, target);
      if (typeof data !== 'string') {
        write(p, `sh: can't open ${target}: no such file\n`, 2);
        p.status = 1;
        p.stdin = stdin;
        return;
      }
      p.stdin = data;
      continue;
    }
    // `>&2`, `2>&1`, `>&-` duplicate (or close) a descriptor; `>& file` is `&> file`.
    const dup = r.op === '>&' && /^\d+$|^-$/.test(target);
    let sink: Sink;
    if (dup) sink = target === '1' ? out : target === '2' ? err : null;
    else if (target === '/dev/null') sink = null;
    else if (STDOUT.has(target)) sink = out;
    else if (STDERR.has(target)) sink = err;
    else if (p.host.readOnly?.(normPath(target))) {
      write(p, `sh: can't create ${target}: Read-only file system\n`, 2);
      p.status = 1;
      p.stdin = stdin;
      return;
    } else {
      const cap = { text: '' };
      pushed.push({ path: target, cap, append: r.op === '>>' });
      sink = cap;
    }
    // `&> file` and `>& file` (a name, not a descriptor) send both; other descriptors than 1 and 2 are not the log's.
    if (r.op === '&>' || (r.op === '>&' && !dup)) out = err = sink;
    else if (r.fd === 1) out = sink;
    else if (r.fd === 2) err = sink;
  }
  p.captures.push(out);
  p.errs.push(err);
  try {
    run();
  } finally {
    p.captures.pop();
    p.errs.pop();
    for (const { path, cap, append } of pushed) writePath(p, path, (append ? (readPath(p, path) ?? '') : '') + cap.text);
    p.stdin = stdin;
  }
}

const STDOUT: ReadonlySet<string> = new Set(['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1']);
const STDERR: ReadonlySet<string> = new Set(['/dev/stderr', '/dev/fd/2', '/proc/self/fd/2']);

function runSimple(p: Proc, node: Extract<Node, { k: 'simple' }>, inCondition: boolean): void {
  const argv = node.words.flatMap((w) => expandWord(p, w));
  if (!argv.length) {
    for (const a of node.assigns) p.vars.set(a.name, expandWord(p, a.value).join(' '));
    p.status = 0;
    return;
  }
  const saved = node.assigns.map((a) => [a.name, p.vars.get(a.name)] as const);
  for (const a of node.assigns) p.vars.set(a.name, expandWord(p, a.value).join(' '));
  try {
    p.status = builtin(p, argv) ?? notFound(p, argv) ?? runProgram(p, argv);
  } catch (e) {
    // A utility's usage error (test: unknown operator, a bad arithmetic expression): status 2, go on.
    if (!(e instanceof ShellSyntax)) throw e;
    write(p, `sh: ${e.message}\n`, 2);
    p.status = 2;
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) p.vars.delete(k);
      else p.vars.set(k, v);
    }
  }
  if (!inCondition) errexit(p);
}

/** builtin runs the commands that change the shell itself; undefined when argv is not one. */
function builtin(p: Proc, argv: string[]): number | undefined {
  const [cmd, ...args] = argv;
  switch (cmd) {
    case 'exit':
      throw new Exit(args.length ? Number(args[0]) & 255 : p.status);
    case 'break':
    case 'continue':
      if (!p.loops) return 0;
      throw new LoopJump(cmd, Math.max(1, Number(args[0] ?? 1)));
    case 'export':
    case 'readonly':
    case 'local':
      for (const a of args) {
        const eq = a.indexOf('=');
        if (eq > 0) p.vars.set(a.slice(0, eq), a.slice(eq + 1));
      }
      return 0;
    case 'unset':
      for (const a of args) if (!a.startsWith('-')) p.vars.delete(a);
      return 0;
    case 'set':
      for (const a of args) {
        if (/^-[a-z]+$/.test(a) && a.includes('e')) p.errexit = true;
        if (/^\+[a-z]+$/.test(a) && a.includes('e')) p.errexit = false;
      }
      return 0;
    case 'shift':
      p.params = p.params.slice(Number(args[0] ?? 1));
      return 0;
    case 'cd':
    case 'trap':
    case 'wait':
    case 'ulimit':
    case 'umask':
      return 0;
    case 'exec':
      if (!args.length) return 0;
      return builtin(p, args) ?? notFound(p, args) ?? runProgram(p, args);
    case 'eval':
      runList(p, parse(args.join(' ')));
      return p.status;
    default:
      return undefined;
  }
}

/**
 * runScript runs a script as `sh -c SCRIPT NAME ARGS…` would: the outcome by the horizon, with the
 * lines it printed (stdout and stderr, as the container log has them).
 */
export function runScript(script: string, host: ShellHost, opts: RunOptions = {}, name = 'sh', params: string[] = []): Outcome {
  return runWith(host, opts, (p) => {
    p.name = name;
    p.params = params;
    let list: List;
    try {
      list = parse(script);
    } catch (e) {
      if (!(e instanceof ShellSyntax)) throw e;
      throw new Unknown(`sh (${e.message})`);
    }
    runList(p, list);
  });
}

/**
 * ASH_BUILTINS: busybox ash's builtins (`help` in busybox 1.36's sh), which it runs without looking on
 * PATH: `while true; do :; done` loops quietly instead of printing `sh: :: not found`. Those the
 * simulation does not run (read, type …) go on to runProgram, which says they are not simulated.
 */
const ASH_BUILTINS = new Set(
  '. : [ [[ alias bg break cd chdir command continue echo eval exec exit export false fg getopts hash help history jobs kill let local printf pwd read readonly return set shift source test times trap true type ulimit umask unalias unset wait'.split(' '),
);

/**
 * notFound: the image's programs are known and the command names none of them: the shell says so on
 * stderr, as busybox's sh words it, and the command's status is 127. undefined otherwise.
 */
function notFound(p: Proc, argv: string[]): number | undefined {
  if (ASH_BUILTINS.has(argv[0]) || p.host.has?.(argv[0]) !== false) return undefined;
  write(p, `sh: ${argv[0]}: not found\n`, 2);
  return 127;
}

/** runArgv runs a container's command line (argv, no shell in between). */
export function runArgv(argv: string[], host: ShellHost, opts: RunOptions = {}): Outcome {
  return runWith(host, opts, (p) => {
    p.status = runProgram(p, argv);
  });
}

function runWith(host: ShellHost, opts: RunOptions, body: (p: Proc) => void): Outcome {
  const p: Proc = {
    host,
    t: 0,
    horizon: opts.horizonMs ?? Infinity,
    steps: 0,
    maxSteps: opts.maxSteps ?? 50_000,
    vars: new Map(host.env.map(([k, v]) => [k, v])),
    params: [],
    name: 'sh',
    status: 0,
    errexit: false,
    lines: [],
    partial: '',
    captures: [],
    errs: [],
    files: new Map(opts.files),
    fsLog: [],
    filesVersion: 0,
    stdin: opts.stdin ?? (host.stdinOpen ? null : ''),
    loops: 0,
    deps: { names: new Set(), allEnv: false, files: new Map(), hostname: false, time: false, uncacheable: false },
    steady: opts.steady ?? false,
    condDepth: 0,
    clockInControl: false,
  };
  const exited = (code: number): Outcome => ({ kind: 'exited', at: p.t, code, lines: flush(), fs: p.fsLog, deps: p.deps });
  const flush = () => {
    if (p.partial) p.lines.push({ at: p.t, text: p.partial });
    return p.lines;
  };
  try {
    body(p);
    return exited(p.status);
  } catch (e) {
    if (e instanceof Exit) return exited(e.code);
    if (e instanceof Stop) return { kind: 'running', until: p.t, ...(p.steadyAt !== undefined ? { steady: true } : {}), lines: flush(), fs: p.fsLog, deps: p.deps };
    if (e instanceof Unknown) return { kind: 'unknown', program: e.program, lines: flush(), fs: p.fsLog };
    if (e instanceof LoopJump) return exited(0);
    if (e instanceof ShellSyntax) {
      write(p, `sh: ${e.message}\n`, 2);
      return exited(2);
    }
    // A script from a stranger's manifest that nests past the stack or grows a string past what
    // the engine holds is not simulated (its image's behaviour applies) rather than crashing it.
    if (e instanceof RangeError || e instanceof TooBig) return { kind: 'unknown', program: `sh (${e instanceof TooBig ? e.message : 'nested too deeply'})`, lines: flush(), fs: p.fsLog };
    throw e;
  }
}
