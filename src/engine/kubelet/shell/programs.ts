import { hashString } from '../../rng.ts';
import { EPOCH_MS } from '../../clock.ts';
import { runList } from './run.ts';
import { advance, Exit, listWithChanges, normPath, readPath, Stop, Unknown, write, writePath, type Proc } from './proc.ts';
import { parse, ShellSyntax } from './parse.ts';
import { base64, cut, grep, headTail, sort, uniq, wc } from './text.ts';
import { awk } from './awk.ts';
import { sed } from './sed.ts';
import { tr } from './tr.ts';
import { xargs } from './xargs.ts';

/**
 * The programs a simulated container can run: the utilities that scripts in manifests call
 * (echo, printf, sleep, date, cat, env, seq, test …, as busybox has them), the shells themselves,
 * long-running waits (`sleep infinity`, `tail -f`), and one-line interpreter programs (`perl -e`,
 * `python -c`). Anything else is Unknown: the simulation does not know what it would do.
 */

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);
/** INTERPRETERS run a one-line program given with -e / -c (perl's -wle, -Mmod= … before it). */
const INTERPRETERS: Record<string, string[]> = {
  perl: ['-e', '-E'],
  python: ['-c'],
  python3: ['-c'],
  node: ['-e', '--eval', '-p'],
  ruby: ['-e'],
};
/** SILENT succeed without printing (permissions, links and signals are not simulated). */
const SILENT = new Set(['true', ':', 'chmod', 'chown', 'ln', 'sync', 'kill', 'cd']);

export function basename(path: string): string {
  return path.replace(/\/+$/, '').split('/').pop() || path;
}

/** runProgram runs argv[0] with its arguments and returns its exit status. */
export function runProgram(p: Proc, argv: string[]): number {
  const name = basename(argv[0]);
  const args = argv.slice(1);
  if (SHELLS.has(name)) return shell(p, name, args);
  if (SILENT.has(name)) return 0;
  if (Object.hasOwn(INTERPRETERS, name)) return interpreter(p, name, args);
  switch (name) {
    case 'false':
      return 1;
    case 'touch':
    case 'mkdir':
    case 'rm':
    case 'cp':
    case 'mv':
      return fsProgram(p, name, args);
    case 'echo':
      return echo(p, args);
    case 'printf':
      if (!args.length) return usage(p, 'printf', 'printf FORMAT [ARGUMENT]...');
      write(p, printf(args[0], args.slice(1)));
      return 0;
    case 'sleep':
      return sleep(p, args);
    case 'date':
      p.deps.time = true;
      if (p.condDepth) p.clockInControl = true;
      write(p, date(p.host.startMs + p.t, args[0]?.startsWith('+') ? args[0].slice(1) : undefined) + '\n');
      return 0;
    case 'hostname':
      p.deps.hostname = true;
      if (args[0] === '-i' || args[0] === '--ip-address') write(p, hostLines(p).map((l) => l.ip).join(' ') + '\n');
      else write(p, (args[0] === '-f' || args[0] === '--fqdn' || args[0] === '--long' ? fqdn(p) : p.host.hostname) + '\n');
      return 0;
    case 'env':
    case 'printenv':
      return env(p, name, args);
    case 'cat':
      return cat(p, args);
    case 'tail':
    case 'head':
      if (name === 'tail' && args.some((a) => /^-[a-zA-Z]*[fF]/.test(a) || a.startsWith('--follow'))) {
        // `tail -f /dev/null` keeps a container running and prints nothing; following a real file prints
        // what others append to it over time, which the simulation does not follow: it says so.
        const files = args.filter((a, i) => !a.startsWith('-') && !/^-[nc]$/.test(args[i - 1] ?? ''));
        if (files.every((f) => f === '/dev/null')) return waitForever(p);
        throw new Unknown(`${[name, ...args].join(' ')} (following a file as it grows)`);
      }
      return headTail(p, name, args, readStdin);
    case 'base64':
      return base64(p, args, readStdin);
    case 'sort':
      return sort(p, args, readStdin);
    case 'uniq':
      return uniq(p, args, readStdin);
    case 'cut':
      return cut(p, args, readStdin);
    case 'awk':
      return awk(p, args, readStdin);
    case 'seq':
      return seq(p, args);
    case 'sed':
      return sed(p, args, readStdin);
    case 'tr':
      return tr(p, args, readStdin);
    case 'xargs':
      return xargs(p, args, readStdin, (argv) => runProgram(p, argv));
    case 'grep':
    case 'egrep':
    case 'fgrep':
      return grep(p, name, args, readStdin);
    case 'wc':
      return wc(p, args, readStdin);
    case 'ls':
      return ls(p, argv, args);
    case 'test':
      return test(p, args);
    case '[':
    case '[[':
      // busybox ash's `[[` is its test builtin closed by `]]` (testcmd in ash.c), as `[` is closed by `]`.
      return test(p, args.slice(0, -1), args[args.length - 1] !== (name === '[' ? ']' : ']]') ? (name as '[' | '[[') : undefined);
    case 'pwd':
      write(p, '/\n');
      return 0;
    case 'whoami':
      write(p, 'root\n');
      return 0;
    case 'yes':
      // Prints forever without pausing: the budget ends it, as "runs on".
      for (;;) {
        write(p, `${args.join(' ') || 'y'}\n`);
        if (++p.steps > p.maxSteps) throw new Stop();
      }
    case 'curl':
    case 'wget':
    case 'nslookup': {
      if (!p.host.tool) return unknown(argv);
      const r = p.host.tool(name, args, p.t);
      // A tool the host runs, in a form it does not simulate (curl -o FILE, later in a loop …): say which.
      if (!r) throw new Unknown(`${[name, ...args].join(' ')} (this form)`);
      p.deps.uncacheable = true;
      // curl and wget print a failure (no such host, refused, HTTP error with -f) on stderr, a body on stdout.
      write(p, r.out, r.exit !== 0 && name !== 'nslookup' ? 2 : 1);
      return r.exit;
    }
    case 'docker-entrypoint.sh':
      // The official images' entrypoints set up, then exec their arguments.
      return args.length ? runProgram(p, args) : 0;
    case 'curlimages-curl-entrypoint.sh':
      // curlimages/curl's: `curl "$@"` when the first argument is a flag, else exec them.
      return runProgram(p, !args.length || args[0].startsWith('-') ? ['curl', ...args] : args);
    default:
      return unknown(argv);
  }
}

function unknown(argv: string[]): never {
  throw new Unknown(basename(argv[0]));
}

function usage(p: Proc, prog: string, text: string): number {
  write(p, `${prog}: usage: ${text}\n`, 2);
  return 2;
}

/**
 * shell: `sh -c SCRIPT [NAME ARGS…]`; `sh` alone reads its script from stdin: a pod's stdin is
 * closed unless the container asks for one (stdin: true), so the shell exits 0 at once.
 */
function shell(p: Proc, name: string, args: string[]): number {
  let i = 0;
  let errexit = false;
  let command = false;
  for (; i < args.length && /^[-+][a-zA-Z]+$/.test(args[i]); i++) {
    const f = args[i];
    if (f === '-o' || f === '+o') i++; // -o pipefail
    else {
      if (f.includes('e')) errexit = f[0] === '-';
      if (f[0] === '-' && f.includes('c')) command = true;
    }
  }
  if (command) {
    if (args[i] === undefined) {
      write(p, `${name}: -c: option requires an argument\n`, 2);
      return 2;
    }
    return runText(p, args[i], args[i + 1] ?? name, args.slice(i + 2), errexit);
  }
  if (i >= args.length) return runText(p, readStdin(p), name, [], errexit);
  // sh FILE: a script in the container; only files the simulation knows (volumes) can be read.
  const file = readPath(p, args[i]);
  if (typeof file !== 'string') throw new Unknown(`${name} ${args[i]}`);
  return runText(p, file, args[i], args.slice(i + 1), errexit);
}

/** runText runs a script in a child shell: its own variables, positional parameters and exit. */
function runText(p: Proc, script: string, name: string, params: string[], errexit: boolean): number {
  let list;
  try {
    list = parse(script);
  } catch (e) {
    if (!(e instanceof ShellSyntax)) throw e;
    throw new Unknown(`sh (${e.message})`);
  }
  const saved = { vars: p.vars, params: p.params, name: p.name, errexit: p.errexit, loops: p.loops, status: p.status };
  p.vars = new Map(p.vars);
  p.params = params;
  p.name = name;
  p.errexit = errexit;
  p.loops = 0;
  p.status = 0;
  try {
    runList(p, list);
    return p.status;
  } catch (e) {
    if (e instanceof Exit) return e.code;
    throw e;
  } finally {
    Object.assign(p, saved);
  }
}

/**
 * interpreter: a one-line program (`perl -Mbignum=bpi -wle 'print bpi(2000)'`, `python -c "…"`).
 * Kubeplay cannot run Perl or Python, so a program that decides its own exit (`exit`, `sys.exit`)
 * or loops is Unknown; any other computes for a few seconds (drawn from the program's text, so
 * every run agrees) and exits 0. Without a program the interpreter reads its program from stdin.
 */
function interpreter(p: Proc, name: string, args: string[]): number {
  const flags = INTERPRETERS[name];
  const at = args.findIndex((a) => flags.includes(a) || (name === 'perl' && /^-[a-zA-Z]*[eE]$/.test(a)));
  if (at < 0) {
    if (args.some((a) => !a.startsWith('-'))) throw new Unknown(name); // a script file
    if (readStdin(p)) throw new Unknown(name);
    return 0;
  }
  const program = args[at + 1] ?? '';
  // Its own exit, a loop, a server, a repeating timer: what it does over time is its own.
  if (/\bexit\b|\bwhile\b|\bfor\s*\(|serve_forever|listen\(|\w+Interval\(|\bloop\b/.test(program)) throw new Unknown(name);
  const started = p.t;
  advance(p, 2000 + (hashString(`${name}\u0000${program}`) % 8000));
  // What it prints is its own: the log says so (straight to the log, not into a pipe or $(…) it feeds).
  if (/\b(?:print|printf|puts|say|console\.log|write|echo)\b/.test(program)) {
    p.lines.push({ at: p.t, text: `kubeplay: what ${name} printed is not simulated (it ran for ${(p.t - started) / 1000}s and exited 0)` });
  }
  return 0;
}

function echo(p: Proc, args: string[]): number {
  let newline = true;
  let escapes = false;
  while (args.length && /^-[neE]+$/.test(args[0])) {
    const f = args.shift()!;
    if (f.includes('n')) newline = false;
    if (f.includes('e')) escapes = true;
  }
  const text = args.join(' ');
  write(p, (escapes ? unescape(text) : text) + (newline ? '\n' : ''));
  return 0;
}

function unescape(s: string): string {
  return s.replace(/\\([nt\\ab0]|x[0-9a-fA-F]{1,2})/g, (_m, c: string) =>
    c === 'n' ? '\n' : c === 't' ? '\t' : c === '\\' ? '\\' : c === 'a' ? '\x07' : c === 'b' ? '\b' : c === '0' ? '' : String.fromCharCode(parseInt(c.slice(1), 16)),
  );
}

/** printf: %s %d %i %x %o %c %% with widths, the format reused while arguments remain (POSIX). */
export function printf(format: string, args: string[]): string {
  const fmt = unescape(format);
  let out = '';
  let i = 0;
  do {
    let used = 0;
    out += fmt.replace(/%([-0 +#]*)(\d*)(?:\.(\d+))?([sdixoc%b])/g, (_m, flags: string, width: string, prec: string | undefined, conv: string) => {
      if (conv === '%') return '%';
      const a = args[i + used++] ?? '';
      let s: string;
      if (conv === 's' || conv === 'b') s = prec !== undefined ? a.slice(0, Number(prec)) : conv === 'b' ? unescape(a) : a;
      else if (conv === 'c') s = a.slice(0, 1);
      else {
        const n = Math.trunc(Number(a) || 0);
        s = conv === 'x' ? n.toString(16) : conv === 'o' ? n.toString(8) : String(n);
      }
      const w = Math.min(Number(width || 0), 4096);
      if (s.length >= w) return s;
      if (flags.includes('-')) return s.padEnd(w);
      return flags.includes('0') && conv !== 's' ? s.padStart(w, '0') : s.padStart(w);
    });
    i += used;
    if (!used) break;
  } while (i < args.length);
  return out;
}

/** sleep: seconds with busybox's suffixes (s, m, h, d), several arguments add up; `infinity` never ends. */
function sleep(p: Proc, args: string[]): number {
  if (!args.length) {
    write(p, 'sleep: missing operand\n', 2);
    return 1;
  }
  let ms = 0;
  for (const a of args) {
    if (a === 'infinity' || a === 'inf') return waitForever(p);
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a);
    if (!m) {
      write(p, `sleep: invalid number '${a}'\n`, 2);
      return 1;
    }
    ms += Number(m[1]) * { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  }
  advance(p, Math.round(ms));
  return 0;
}

/** readStdin is all of stdin; an open terminal never ends, so the reader waits until stopped. */
function readStdin(p: Proc): string {
  return p.stdin ?? waitForever(p);
}

/** waitForever: the process blocks until it is stopped (sleep infinity, tail -f). */
function waitForever(p: Proc): never {
  advance(p, Infinity);
  throw new Stop();
}

function env(p: Proc, name: string, args: string[]): number {
  if (name === 'env' && args.length) {
    // env NAME=VALUE… COMMAND: run COMMAND with those variables.
    const vars = new Map(p.vars);
    let i = 0;
    for (; i < args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[i]); i++) {
      const eq = args[i].indexOf('=');
      vars.set(args[i].slice(0, eq), args[i].slice(eq + 1));
    }
    if (i < args.length) {
      const saved = p.vars;
      p.vars = vars;
      try {
        return runProgram(p, args.slice(i));
      } finally {
        p.vars = saved;
      }
    }
    p.deps.allEnv = true;
    for (const [k, v] of vars) write(p, `${k}=${v}\n`);
    return 0;
  }
  if (name === 'printenv' && args.length) {
    let code = 0;
    for (const a of args) {
      p.deps.names.add(a);
      const v = p.vars.get(a);
      if (v === undefined) code = 1;
      else write(p, v + '\n');
    }
    return code;
  }
  p.deps.allEnv = true;
  for (const [k, v] of p.vars) write(p, `${k}=${v}\n`);
  return 0;
}

/**
 * hostLines are the /etc/hosts lines that name the host: the kubelet writes the pod's IP with its
 * hostname (and, for a pod with a subdomain, its FQDN first).
 */
function hostLines(p: Proc): { ip: string; names: string[] }[] {
  const hosts = readPath(p, '/etc/hosts');
  if (typeof hosts !== 'string') return [];
  const out: { ip: string; names: string[] }[] = [];
  for (const line of hosts.split('\n')) {
    const [ip, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (ip && names.includes(p.host.hostname)) out.push({ ip, names });
  }
  return out;
}

/** fqdn is `hostname -f`: the canonical name /etc/hosts gives the host name (the first name on its line). */
function fqdn(p: Proc): string {
  return hostLines(p)[0]?.names[0] ?? p.host.hostname;
}

function cat(p: Proc, args: string[]): number {
  const files = args.filter((a) => a !== '-u');
  if (!files.length) {
    write(p, readStdin(p));
    return 0;
  }
  let code = 0;
  for (const f of files) {
    const data = f === '-' ? readStdin(p) : readPath(p, f);
    if (data === null) {
      write(p, `cat: read error: Is a directory\n`, 2);
      code = 1;
    } else if (data === undefined) {
      write(p, `cat: can't open '${f}': No such file or directory\n`, 2);
      code = 1;
    } else write(p, data);
  }
  return code;
}

/**
 * fsProgram: touch, mkdir [-p], rm [-f] [-r], cp and mv on the container's filesystem, with
 * busybox's messages. Only the paths named change (rm -r of a directory does not list its files).
 */
function fsProgram(p: Proc, name: string, args: string[]): number {
  const opts = args.filter((a) => /^-[a-zA-Z]+$/.test(a)).join('');
  const paths = args.filter((a) => !/^-[a-zA-Z]+$/.test(a));
  if (!paths.length) return usage(p, name, `${name} ${name === 'cp' || name === 'mv' ? 'SOURCE DEST' : 'FILE...'}`);
  let code = 0;
  const fail = (msg: string) => {
    write(p, `${name}: ${msg}\n`, 2);
    code = 1;
  };
  // A read-only mount (a ConfigMap's, readOnly: true) refuses every change, as the kernel's EROFS.
  const readOnly = (path: string) => !!p.host.readOnly?.(normPath(path));
  if (name === 'cp' || name === 'mv') {
    const [src, dst] = paths;
    const data = readPath(p, src);
    if (data === undefined || dst === undefined) fail(`can't stat '${src}': No such file or directory`);
    else if (readOnly(dst) || (name === 'mv' && readOnly(src))) fail(`can't create '${dst}': Read-only file system`);
    else {
      writePath(p, readPath(p, dst) === null ? `${dst.replace(/\/+$/, '')}/${src.split('/').pop()}` : dst, data);
      if (name === 'mv') writePath(p, src, undefined);
    }
    return code;
  }
  for (const path of paths) {
    const cur = readPath(p, path);
    if (readOnly(path) && !(name === 'mkdir' && cur !== undefined && opts.includes('p'))) {
      if (name === 'touch') fail(`${path}: Read-only file system`);
      else if (name === 'mkdir') fail(`can't create directory '${path}': ${cur === undefined ? 'Read-only file system' : 'File exists'}`);
      else if (cur === undefined && !opts.includes('f')) fail(`can't remove '${path}': No such file or directory`);
      else if (cur !== undefined) fail(`can't remove '${path}': Read-only file system`);
      continue;
    }
    if (name === 'touch') {
      if (cur === undefined) writePath(p, path, '');
    } else if (name === 'mkdir') {
      if (cur === undefined) writePath(p, path, null);
      else if (!opts.includes('p')) fail(`can't create directory '${path}': File exists`);
    } else if (cur === undefined) {
      if (!opts.includes('f')) fail(`can't remove '${path}': No such file or directory`);
    } else if (cur === null && !opts.includes('r') && !opts.includes('R')) fail(`'${path}' is a directory`);
    else writePath(p, path, undefined);
  }
  return code;
}

/**
 * ls PATH…, as busybox prints to a pipe (a container log is not a terminal): one name a line,
 * sorted, directories first named when there are several operands. Only directories the
 * simulation can list (volumes, what the process made) and plain files; options, or the image's
 * own directories, are not simulated.
 */
function ls(p: Proc, argv: string[], args: string[]): number {
  const opt = args.find((a) => a.startsWith('-'));
  if (opt) throw new Unknown(`ls ${opt} (only plain listings are simulated)`);
  // Without an operand, ls lists the working directory: the root, what the image holds there.
  if (!args.length) throw new Unknown(`ls / (what the image holds there)`);
  let code = 0;
  const files: string[] = [];
  const dirs: [string, string[]][] = [];
  for (const a of args) {
    const data = readPath(p, a);
    if (typeof data === 'string') files.push(a);
    else if (data === undefined) {
      write(p, `ls: ${a}: No such file or directory\n`, 2);
      code = 1;
    } else {
      const dir = normPath(a);
      // A listing is not among what Deps compares across replicas: a run that listed is not shared.
      if (p.files.get(dir) !== null) p.deps.uncacheable = true;
      const listed = p.files.get(dir) === null ? [] : p.host.listDir?.(dir);
      if (!listed) throw new Unknown(`ls ${dir} (what the image holds there)`);
      dirs.push([a, listWithChanges(listed, dir, p.files)]);
    }
  }
  const many = files.length + dirs.length > 1;
  let out = files.sort().map((f) => `${f}\n`).join('');
  dirs.forEach(([d, names], i) => {
    if (many) out += `${out || i ? '\n' : ''}${d}:\n`;
    out += names.map((n) => `${n}\n`).join('');
  });
  write(p, out);
  return code;
}

function seq(p: Proc, args: string[]): number {
  const n = args.map(Number);
  if (!n.length || n.length > 3 || n.some((x) => !Number.isFinite(x))) return usage(p, 'seq', 'seq [-w] [-s SEP] [FIRST [INC]] LAST');
  const [first, inc, last] = n.length === 1 ? [1, 1, n[0]] : n.length === 2 ? [n[0], 1, n[1]] : [n[0], n[1], n[2]];
  if (inc === 0) return 0;
  let out = '';
  for (let x = first; inc > 0 ? x <= last : x >= last; x += inc) {
    out += `${x}\n`;
    if (++p.steps > p.maxSteps) throw new Stop();
  }
  write(p, out);
  return 0;
}

/**
 * test / [ … ] / [[ … ]]: strings, integers, -e/-f/-d on the files the script wrote and the volumes, ! and
 * -a/-o. unclosed names the bracket whose closing word is missing (`sh: missing ]]`, exit 2).
 */
function test(p: Proc, args: string[], unclosed?: '[' | '[['): number {
  if (unclosed) {
    write(p, `sh: missing ${unclosed === '[' ? ']' : ']]'}\n`, 2);
    return 2;
  }
  const exists = (f: string) => readPath(p, f);
  const one = (a: string[]): boolean => {
    if (a[0] === '!') return !one(a.slice(1));
    if (a.length === 0) return false;
    if (a.length === 1) return a[0] !== '';
    if (a.length === 2) {
      const [op, v] = a;
      if (op === '-z') return v === '';
      if (op === '-n') return v !== '';
      if (op === '-e' || op === '-s') return exists(v) !== undefined;
      if (op === '-f') return typeof exists(v) === 'string';
      if (op === '-d') return exists(v) === null;
      throw new ShellSyntax(`test: ${op}: unary operator expected`);
    }
    const [l, op, r] = a;
    switch (op) {
      case '=':
      case '==':
        return l === r;
      case '!=':
        return l !== r;
      case '-eq':
        return Number(l) === Number(r);
      case '-ne':
        return Number(l) !== Number(r);
      case '-lt':
        return Number(l) < Number(r);
      case '-le':
        return Number(l) <= Number(r);
      case '-gt':
        return Number(l) > Number(r);
      case '-ge':
        return Number(l) >= Number(r);
      default:
        throw new ShellSyntax(`test: ${op}: binary operator expected`);
    }
  };
  const or = args.indexOf('-o');
  if (or > 0) return test(p, args.slice(0, or)) === 0 || test(p, args.slice(or + 1)) === 0 ? 0 : 1;
  const and = args.indexOf('-a');
  if (and > 0) return test(p, args.slice(0, and)) === 0 && test(p, args.slice(and + 1)) === 0 ? 0 : 1;
  return one(args) ? 0 : 1;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * date prints a virtual time (ms on the cluster's clock, whose 0 is EPOCH_MS) as busybox's date does in a
 * UTC container: `Wed Jan  1 00:00:05 UTC 2025`, the moment the cluster's own timestamps name.
 */
export function date(ms: number, format = '%a %b %e %H:%M:%S %Z %Y'): string {
  const d = new Date(EPOCH_MS + Math.floor(ms / 1000) * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return format.replace(/%([a-zA-Z%])/g, (m, c: string) => {
    switch (c) {
      case 'a': return DAYS[d.getUTCDay()];
      case 'b': return MONTHS[d.getUTCMonth()];
      case 'e': return String(d.getUTCDate()).padStart(2, ' ');
      case 'd': return two(d.getUTCDate());
      case 'm': return two(d.getUTCMonth() + 1);
      case 'Y': return String(d.getUTCFullYear());
      case 'H': return two(d.getUTCHours());
      case 'M': return two(d.getUTCMinutes());
      case 'S': return two(d.getUTCSeconds());
      case 'T': return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
      case 'F': return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
      case 's': return String(Math.floor((EPOCH_MS + ms) / 1000));
      case 'Z': return 'UTC';
      case 'z': return '+0000';
      case '%': return '%';
      default: return m;
    }
  });
}
