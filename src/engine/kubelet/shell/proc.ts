/**
 * The simulated shell's process: what a run can see of its container (ShellHost), what it keeps
 * (Proc: variables, files, the log so far, the clock), what it returns (Outcome), and the few
 * operations every part of the shell shares (write, readPath, writePath, advance).
 */
export interface LogLine {
  /** at: milliseconds after the process started. */
  at: number;
  text: string;
}

export interface ShellHost {
  env: ReadonlyArray<readonly [string, string]>;
  /** stdinOpen: the container's stdin is kept open (spec stdin: true, kubectl run -i), so reading it waits. */
  stdinOpen?: boolean;
  /** startMs: the virtual time the process started (`date` prints it plus the elapsed time). */
  startMs: number;
  hostname: string;
  /**
   * readFile: a file in the container (mounted volumes); null for a directory, undefined when missing.
   * `at` is when the process reads it, in ms after its start (a ConfigMap's file changes under it).
   */
  readFile?(path: string, at?: number): string | null | undefined;
  /** variesOverTime: a file readFile answers changed while the process ran (what it read is then not reused for another). */
  variesOverTime?: boolean;
  /**
   * writtenAfter: what `kubectl exec` last wrote at path after `since` and by `at` (ms after the process
   * started), when it did: it replaces what the process itself wrote there before. Only a host whose
   * container was written to by an exec has it.
   */
  writtenAfter?(path: string, since: number, at: number): { data: FileData } | undefined;
  /** listDir: the names in a directory the simulation knows (a volume's); undefined when it does not. */
  listDir?(path: string): string[] | undefined;
  /**
   * tool runs a network tool (curl, wget, nslookup) from this container, `at` ms after the process
   * started; undefined when it cannot. A container's own process is planned at its start, so only
   * what it asks first thing (at 0, before any sleep) is known: what a loop polling a Service would see
   * later is not.
   */
  tool?(program: string, args: string[], at: number): { exit: number; out: string } | undefined;
  /** readOnly: the path is on a read-only mount (a ConfigMap's, or mounted readOnly): writing there fails. */
  readOnly?(path: string): boolean;
  /**
   * has: whether the image has the program a command names, when its programs are known (busybox's
   * applets); undefined when that is not known.
   */
  has?(program: string): boolean | undefined;
  /**
   * kubectl runs a kubectl command line (argv from `kubectl` or `k` on) as the terminal runs a typed one:
   * out is its stdout and stderr. Only the terminal's pipelines have it, for xargs (`… -o name | xargs
   * kubectl delete`); a host with it runs nothing else from xargs but echo.
   */
  kubectl?(argv: string[]): { exit: number; out: string };
}

/** FileData: a file's content, null for a directory, undefined when the path does not exist. */
export type FileData = string | null | undefined;

/** FsEvent: the process changed path to data at `at` ms after its start. */
export interface FsEvent {
  at: number;
  path: string;
  data: FileData;
}

export interface RunOptions {
  /** horizonMs: stop at this many ms after the start (logs up to now); Infinity to find the exit. */
  horizonMs?: number;
  /** maxSteps: commands run before the run counts as "runs on" (a busy or very long loop). */
  maxSteps?: number;
  /** files: the filesystem changes already made in the container (a probe runs beside the process). */
  files?: ReadonlyMap<string, FileData>;
  /**
   * steady: stop as soon as a `while`/`until` loop repeats an iteration that changed nothing but the
   * clock and the log, and report it as running for good ('running' with steady set): enough to plan
   * a container's exit, not to read its log.
   */
  steady?: boolean;
  /** stdin: what the process reads on its standard input (a terminal pipeline's text); else the container's */
  stdin?: string;
}

/**
 * Deps: what of its host a run read, so a run of the same command line on another host (another
 * replica, a restart) can reuse it when those agree: environment variables by name (or all of it),
 * files outside what it wrote, the host name, the start time (date).
 */
export interface Deps {
  names: Set<string>;
  allEnv: boolean;
  files: Map<string, FileData>;
  hostname: boolean;
  time: boolean;
  /** uncacheable: it asked the network (a tool's answer depends on the cluster at that moment). */
  uncacheable: boolean;
}

export type Outcome =
  | { kind: 'exited'; at: number; code: number; lines: LogLine[]; fs: FsEvent[]; deps?: Deps }
  /**
   * running: still running `until` ms after the start (Infinity: blocked for good, e.g. sleep
   * infinity). steady: a loop was found to repeat for good at that time; lines and fs stop there.
   */
  | { kind: 'running'; until: number; steady?: boolean; lines: LogLine[]; fs: FsEvent[]; deps?: Deps }
  | { kind: 'unknown'; program: string; lines: LogLine[]; fs: FsEvent[]; deps?: Deps };

/** MAX_VALUE: the longest string a variable, word or file may hold (1 MiB): `x=$x$x` in a loop doubles it. */
export const MAX_VALUE = 1 << 20;

export class TooBig extends Error {}

/** capped returns s, or stops the run when it is longer than MAX_VALUE. */
export function capped(s: string): string {
  if (s.length > MAX_VALUE) throw new TooBig('a value over 1 MiB');
  return s;
}

/** Control flow of the interpreter (exceptions carry it through nested lists). */
export class Exit {
  constructor(readonly code: number) {}
}
/** Stop: the horizon or the step budget was reached while the process still runs. */
export class Stop {}
export class Unknown {
  constructor(readonly program: string) {}
}
/** Sink: where a file descriptor writes: a capture (a pipe, $(…), a file), nothing (/dev/null) or the container log. */
export type Sink = { text: string } | null | 'log';

export interface Proc {
  host: ShellHost;
  /** t: ms since the process started. */
  t: number;
  horizon: number;
  steps: number;
  maxSteps: number;
  vars: Map<string, string>;
  params: string[];
  name: string;
  status: number;
  errexit: boolean;
  lines: LogLine[];
  /** partial: text printed without a newline yet (echo -n, printf). */
  partial: string;
  /** captures: where stdout goes inside $(…), pipes and redirections (innermost last); null discards. */
  captures: Sink[];
  /** errs: where stderr goes under redirections (innermost last); the log when empty, as in $(…) and pipes. */
  errs: Sink[];
  /**
   * files: what the process changed in the container's filesystem (echo x > /tmp/f, touch, mkdir,
   * rm): a string for a file, null for a directory, undefined for a removed path. Paths not in it
   * are the image's and the volumes' (host.readFile).
   */
  files: Map<string, FileData>;
  /** fsLog: every change to files, with its time, so others can see the filesystem at any moment (exec probes). */
  fsLog: FsEvent[];
  /**
   * filesVersion counts the writes that changed a path's contents: a loop's steady-state check compares
   * it instead of every file's text (an append loop's growing log made each check cost its whole size).
   */
  filesVersion: number;
  /** stdin: what reading stdin gives; null when it is a terminal left open (`stdin: true`): reads block. */
  stdin: string | null;
  /** depth of loops, for break/continue. */
  loops: number;
  deps: Deps;
  /** steady: stop at a loop that has reached a steady state (planning); steadyAt: when it did. */
  steady: boolean;
  steadyAt?: number;
  /** condDepth: inside a condition (while/until/if, an && or || operand); clockInControl: `date` ran there. */
  condDepth: number;
  clockInControl: boolean;
}

/** write sends text to stdout: the innermost capture, or the container's log at the current time. */
export function write(p: Proc, text: string, fd = 1): void {
  const stack = fd === 2 ? p.errs : p.captures;
  const cap = stack[stack.length - 1];
  if (cap !== undefined && cap !== 'log') {
    if (cap) cap.text = capped(cap.text + text);
    return;
  }
  // Only the new text is split: `echo -n` in a loop grows the partial line, which is appended to, never rescanned.
  if (!text.includes('\n')) {
    p.partial = capped(p.partial + text);
    return;
  }
  const parts = text.split('\n');
  parts[0] = p.partial + parts[0];
  p.partial = parts.pop()!;
  for (const text of parts) p.lines.push({ at: p.t, text });
}

/** normPath folds repeated slashes and drops a trailing one: `/etc/config/` and `/etc//config` are `/etc/config`. */
export function normPath(path: string): string {
  const n = path.replace(/\/{2,}/g, '/');
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/**
 * IMAGE_DIRS are directories of every container's root filesystem (the FHS a base image has). The
 * simulation knows a container's volumes and what its processes wrote, not the image's files: these exist,
 * and listing one is "not simulated" rather than "No such file or directory".
 */
export const IMAGE_DIRS: ReadonlySet<string> = new Set(['/', '/bin', '/dev', '/etc', '/home', '/lib', '/media', '/mnt', '/opt', '/proc', '/root', '/run', '/sbin', '/srv', '/sys', '/tmp', '/usr', '/var']);

const DEVICES: ReadonlySet<string> = new Set(['/dev/zero', '/dev/random', '/dev/urandom', '/dev/full', '/dev/tty', '/dev/console', '/dev/stdin']);

/** readPath reads a path as the process sees it: its own changes first, then the image and volumes. */
export function readPath(p: Proc, raw: string): FileData {
  const path = normPath(raw);
  if (p.files.has(path)) {
    // The process's own last write, unless `kubectl exec` wrote the path since.
    if (!p.host.writtenAfter) return p.files.get(path);
    let own = 0;
    for (let i = p.fsLog.length - 1; i >= 0; i--) {
      if (p.fsLog[i].path === path) {
        own = p.fsLog[i].at;
        break;
      }
    }
    const exec = p.host.writtenAfter(path, own, p.t);
    return exec ? exec.data : p.files.get(path);
  }
  if (path === '/etc/hostname') {
    p.deps.hostname = true;
    return p.host.hostname + '\n';
  }
  if (path === '/dev/null') return '';
  // Devices that never end (zero, random) or belong to a terminal: what they give is not simulated, not missing.
  if (DEVICES.has(path)) throw new Unknown(`reading ${path} (a device)`);
  // The directories every image has: they exist, but what the image put in them is not simulated (ls says so).
  if (IMAGE_DIRS.has(path) && p.host.readFile?.(path, p.t) === undefined) return null;
  const got = p.host.readFile?.(path, p.t);
  // Only a string (a file) or null (a directory) is an answer; anything else is no such path.
  const data = typeof got === 'string' || got === null ? got : undefined;
  p.deps.files.set(path, data);
  return data;
}

/**
 * listWithChanges is a directory's listing as ls prints it: the names it holds (`entries`), with those the
 * changes in `files` added under it or removed from it, hidden names left out, sorted.
 */
export function listWithChanges(entries: Iterable<string>, dir: string, files: ReadonlyMap<string, FileData>): string[] {
  const names = new Set(entries);
  const prefix = dir === '/' ? '/' : dir + '/';
  for (const [path, d] of files) {
    if (!path.startsWith(prefix)) continue;
    const name = path.slice(prefix.length).split('/')[0];
    if (d === undefined && path === prefix + name) names.delete(name);
    else names.add(name);
  }
  return [...names].filter((n) => !n.startsWith('.')).sort();
}

/** writePath changes a path (undefined removes it) and journals the change at the process's time. */
export function writePath(p: Proc, raw: string, data: FileData): void {
  const path = normPath(raw);
  if (typeof data === 'string') capped(data);
  if (!p.files.has(path) || p.files.get(path) !== data) p.filesVersion++;
  p.files.set(path, data);
  p.fsLog.push({ at: p.t, path, data });
}

/** fileStateAt replays a journal up to `at` (inclusive): the filesystem changes in force then. */
export function fileStateAt(log: readonly FsEvent[], at: number): Map<string, FileData> {
  const files = new Map<string, FileData>();
  for (const e of log) {
    if (e.at > at) break;
    files.set(e.path, e.data);
  }
  return files;
}

/** advance moves the process's clock; past the horizon the run stops. */
export function advance(p: Proc, ms: number): void {
  if (p.t + ms > p.horizon) {
    p.t = p.horizon;
    throw new Stop();
  }
  p.t += ms;
}
