import type { Container, Pod } from '../api/types.ts';
import { expand, type EnvPair } from '../network/envvars.ts';
import type { ContainerRun, PodRun } from './runtime.ts';
import { lookupPath, opaqueVolume, readOnlyAt } from './volumes.ts';
import { systemFile } from './systemfiles.ts';
import { busyboxHas } from './shell/busybox.ts';
import { runArgv } from './shell/run.ts';
import { normPath, Unknown, type Deps, type FileData, type FsEvent, type Outcome, type ShellHost } from './shell/proc.ts';
import { memoized } from '../memo.ts';

/**
 * What a container's process does by itself, from its command line: `sleep 3600` ends after an
 * hour, `echo done` at once, `while true; do date; sleep 5; done` never, printing a line every
 * five seconds. The simulated shell (shell/) runs the command line on the container's virtual
 * time; the kubelet plans the exit from it and `kubectl logs` prints what it printed by now.
 *
 * The command line is the runtime's: `command` replaces the image's ENTRYPOINT and `args` its CMD;
 * `command` without `args` ignores CMD, `args` alone runs after ENTRYPOINT. `$(VAR)` is expanded
 * from the container's environment, `$$(VAR)` is a literal `$(VAR)` (kubelet's expansion).
 * https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/
 */

/**
 * IMAGE_DEFAULTS are the ENTRYPOINT and CMD of the official images manifests use bare: the base
 * images start a shell, which reads its script from stdin; a pod has no stdin, so the shell exits
 * 0 at once and a Deployment of `busybox` goes into CrashLoopBackOff, as on a real cluster.
 */
export const CURL_IMAGE_ENTRYPOINT = 'curlimages-curl-entrypoint.sh';

const IMAGE_DEFAULTS = new Map<string, { entrypoint?: string[]; cmd: string[] }>([
  ['busybox', { cmd: ['sh'] }],
  ['alpine', { cmd: ['/bin/sh'] }],
  ['ubuntu', { cmd: ['/bin/bash'] }],
  ['debian', { cmd: ['bash'] }],
  ['centos', { cmd: ['/bin/bash'] }],
  ['fedora', { cmd: ['/bin/bash'] }],
  ['python', { cmd: ['python3'] }],
  ['node', { entrypoint: ['docker-entrypoint.sh'], cmd: ['node'] }],
  ['perl', { cmd: ['perl', '-de0'] }],
  // curlimages/curl's entrypoint runs curl with the arguments when the first is a flag, else execs them.
  // (Its /entrypoint.sh under a name of its own: other images' entrypoint.sh scripts do other things.)
  ['curl', { entrypoint: [CURL_IMAGE_ENTRYPOINT], cmd: ['curl'] }],
]);

/** imageRepo is an image reference's last path element without tag or digest: "docker.io/library/busybox:1.36" → "busybox". */
export function imageRepo(image: string): string {
  const noDigest = image.replace(/@.*$/, '');
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  return last.replace(/:.*$/, '');
}

/** imagePrograms: whether the image has a program, for an image whose programs are known (busybox's applets). */
export function imagePrograms(image: string): ((program: string) => boolean | undefined) | undefined {
  return imageRepo(image) === 'busybox' ? busyboxHas : undefined;
}

/**
 * commandLine is the argv the runtime starts, or undefined when it depends on an image the
 * simulation does not know (no command given and the image's ENTRYPOINT/CMD are unknown).
 */
export function commandLine(spec: Pick<Container, 'command' | 'args'>, image: string, env: ReadonlyArray<readonly [string, string]>): string[] | undefined {
  const defaults = IMAGE_DEFAULTS.get(imageRepo(image));
  let argv: string[];
  if (spec.command?.length) argv = [...spec.command, ...(spec.args ?? [])];
  else if (!defaults) return undefined;
  else argv = [...(defaults.entrypoint ?? []), ...(spec.args?.length ? spec.args : defaults.cmd)];
  if (!argv.length) return undefined;
  if (!argv.some((a) => a.includes('$'))) return argv;
  const vars = new Map(env);
  return argv.map((a) => expand(a, (n) => vars.get(n)));
}

/** processEnv is the environment the container's process sees (what `kubectl exec … -- env` prints). */
export function processEnv(pod: Pod, c: Pick<ContainerRun, 'env'>): EnvPair[] {
  return [['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], ['HOSTNAME', pod.spec.hostname ?? pod.metadata.name], ...(c.env ?? []), ['HOME', '/root']];
}

/** historyDuring: c's volumes changed, or kubectl exec wrote in it, after startedAt (a replay of its process reads differently than its plan). */
export function historyDuring(run: PodRun | undefined, c: ContainerRun, startedAt: number): boolean {
  return !!run?.mounts?.past?.some((e) => e.until > startedAt) || !!c.execFs?.some((e) => e.at > startedAt);
}

/**
 * containerProcess runs a started container's command line up to horizonMs after its start;
 * undefined when the simulation cannot tell what the process does, and the image's behaviour
 * applies. With horizonMs Infinity (planning the exit) it stops at a loop in a steady state, so
 * 1,000 replicas of a `while true; do …; sleep 10; done` cost two iterations each.
 */
export function containerProcess(pod: Pod, run: PodRun | undefined, c: ContainerRun, spec: Container | undefined, startedAt: number, horizonMs = Infinity, maxSteps?: number, replay = false): Outcome | undefined {
  if (!simulated(spec, c.image)) return undefined;
  const host = shellHost(pod, run, c, spec, startedAt, false, replay);
  const argv = commandLine(spec, c.image, host.env);
  if (!argv) return undefined;
  // A process whose files changed under it read different things at different times: worked out for itself only.
  const whole = horizonMs === Infinity && maxSteps === undefined && !host.variesOverTime;
  const key = whole ? `${host.stdinOpen ? 1 : 0}\u0000${argv.join('\u0000')}` : '';
  const hit = whole ? processMemo.get(key)?.find((m) => sameHost(m.deps, m.seen, host)) : undefined;
  if (hit) return hit.out;
  const out = runArgv(argv, host, { horizonMs, maxSteps, steady: whole });
  if (out.kind === 'unknown') return undefined;
  if (whole && out.deps && !out.deps.uncacheable) remember(key, out, host);
  return out;
}

/**
 * unsimulatedStep is where a container's command line leaves what the simulated shell runs (a program it
 * does not have, a network call after a sleep …), with what it printed before: its log says so, rather
 * than the image's generic lines. Undefined when the command line is simulated or there is none.
 */
export function unsimulatedStep(pod: Pod, run: PodRun | undefined, c: ContainerRun, spec: Container | undefined, startedAt: number): { program: string; lines: { at: number; text: string }[] } | undefined {
  if (!spec?.command?.length && !spec?.args?.length) return undefined;
  if (!simulated(spec, c.image)) return undefined;
  const host = shellHost(pod, run, c, spec, startedAt);
  const argv = commandLine(spec, c.image, host.env);
  if (!argv) return undefined;
  const out = runArgv(argv, host, { horizonMs: Infinity, steady: true });
  return out.kind === 'unknown' ? { program: out.program, lines: out.lines } : undefined;
}

/** NETWORK_TOOL: a command line that may call curl, wget or nslookup. */
const NETWORK_TOOL = /(?:^|[\s;&|(`/])(?:curl|wget|nslookup)(?=$|[\s;&|)`])/;

/**
 * recordStartTools asks, at a container's start, what the network tools its process calls first thing
 * (before any sleep: `wget -qO- web`, `curl -s http://web`) answer, and keeps the answers in the run, so
 * the process planned from them (its log, its exit) is the same whenever it is worked out again (a
 * restored snapshot). `ask` runs a tool from the pod now.
 */
export function recordStartTools(pod: Pod, run: PodRun, c: ContainerRun, spec: Container | undefined, ask: (program: string, args: string[]) => { exit: number; out: string } | undefined): void {
  c.startTools = undefined;
  if (!simulated(spec, c.image)) return;
  const host = shellHost(pod, run, c, spec, c.startedAt!);
  const argv = commandLine(spec, c.image, host.env);
  if (!argv || (argv[0] !== CURL_IMAGE_ENTRYPOINT && !NETWORK_TOOL.test(argv.join(' ')))) return;
  const calls: NonNullable<ContainerRun['startTools']> = [];
  host.tool = (program, args, at) => {
    const r = at === 0 ? ask(program, args) : undefined;
    if (r) calls.push({ program, args: [...args], exit: r.exit, out: r.out });
    return r;
  };
  runArgv(argv, host, { horizonMs: Infinity, steady: true });
  if (calls.length) c.startTools = calls;
}

/** RequestLoop: a process that sends one request over and over (a load generator), gapMs apart besides each answer's time. */
export interface RequestLoop {
  program: string;
  args: string[];
  gapMs: number;
  /** firstAt: when the first request not already answered at the start (recordStartTools) goes, after the start */
  firstAt: number;
}

/** LOOP_CALLS / LOOP_HORIZON_MS: how many identical calls, within how long, make a process a request loop. */
const LOOP_CALLS = 4;
const LOOP_HORIZON_MS = 600_000;

/**
 * requestLoop finds a container whose process sends the same wget or curl request again and again at
 * a steady pace (`while sleep 0.01; do wget -q -O- http://php-apache; done`): the shell is run with
 * every network call answered at once, and LOOP_CALLS identical calls at equal gaps make it a loop.
 * Its requests go as steady traffic (the network's podLoop); a loop that prints what it gets, or stops
 * on a failure, is still sent the same way (what it prints is not kept).
 */
export function requestLoop(pod: Pod, run: PodRun, c: ContainerRun, spec: Container | undefined): RequestLoop | undefined {
  if (!simulated(spec, c.image)) return undefined;
  const host = shellHost(pod, run, c, spec, c.startedAt!);
  const argv = commandLine(spec, c.image, host.env);
  if (!argv || !NETWORK_TOOL.test(argv.join(' '))) return undefined;
  const calls: { program: string; args: string[]; at: number }[] = [];
  host.tool = (program, args, at) => {
    if (program !== 'wget' && program !== 'curl') return undefined;
    calls.push({ program, args: [...args], at });
    return calls.length > LOOP_CALLS ? undefined : { exit: 0, out: '' };
  };
  runArgv(argv, host, { horizonMs: LOOP_HORIZON_MS });
  if (calls.length <= LOOP_CALLS) return undefined;
  const [first, second] = calls;
  const gapMs = second.at - first.at;
  for (let i = 1; i < calls.length; i++) {
    const x = calls[i];
    if (x.program !== first.program || x.args.join('\u0000') !== first.args.join('\u0000') || Math.abs(x.at - calls[i - 1].at - gapMs) > 1) return undefined;
  }
  // A call at the very start was answered for real by recordStartTools (its log shows it).
  const firstAt = first.at === 0 && c.startTools?.length ? second.at : first.at;
  return { program: first.program, args: first.args, gapMs, firstAt };
}

/**
 * processMemo: runs of a command line by what they read of their host (Deps), so 1,000 replicas of
 * `while true; do echo hello; sleep 10; done` run it once, while `echo $HOSTNAME` runs per pod. A
 * run's times are relative to its start, so a run reused on another start is the same run.
 */
const processMemo = new Map<string, { deps: Deps; seen: Seen; out: Outcome }[]>();

/**
 * Seen: the host's answers to what a run read that Deps does not keep (env values by name, host
 * name, start); the files it read are in deps.files with what it read.
 */
interface Seen {
  env: Map<string, string | undefined> | string;
  hostname: string;
  startMs: number;
}

function seenBy(deps: Deps, host: ShellHost): Seen {
  const env = new Map(host.env);
  return {
    env: deps.allEnv ? JSON.stringify(host.env) : new Map([...deps.names].map((n) => [n, env.get(n)])),
    hostname: host.hostname,
    startMs: host.startMs,
  };
}

function sameHost(deps: Deps, seen: Seen, host: ShellHost): boolean {
  try {
    return sameAnswers(deps, seen, host);
  } catch {
    return false; // this host cannot even answer (a path on a volume it does not know): run it here
  }
}

function sameAnswers(deps: Deps, seen: Seen, host: ShellHost): boolean {
  if (deps.hostname && seen.hostname !== host.hostname) return false;
  if (deps.time && seen.startMs !== host.startMs) return false;
  if (typeof seen.env === 'string') {
    if (seen.env !== JSON.stringify(host.env)) return false;
  } else if (seen.env.size) {
    const env = new Map(host.env);
    for (const [k, v] of seen.env) if (env.get(k) !== v) return false;
  }
  for (const [f, data] of deps.files) if (host.readFile?.(f) !== data) return false;
  return true;
}

function remember(key: string, out: Outcome, host: ShellHost): void {
  if (processMemo.size >= 256) processMemo.clear();
  let list = processMemo.get(key);
  if (!list) processMemo.set(key, (list = []));
  if (list.length >= 8) list.shift();
  list.push({ deps: out.deps!, seen: seenBy(out.deps!, host), out });
}

/** simulated: whether the shell can tell what the container runs (asked at every container start: one lookup per image). */
function simulated(spec: Container | undefined, image: string): spec is Container {
  if (!spec) return false;
  if (spec.command?.length) return true;
  return knownImage(image);
}

const knownImage = memoized(1024, (image) => IMAGE_DEFAULTS.has(imageRepo(image)));

/**
 * shellHost is what a process of c sees. Planned (the default: a container's process worked out at its
 * start, a probe, a hook), it reads the volumes as they were at startedAt, whenever it is worked out, so
 * a restored snapshot plans the same exit. Replayed (`replay`: kubectl logs reading back what a run
 * printed), each read sees the files as they were when it read them: a ConfigMap's refresh, an exec's write.
 */
function shellHost(pod: Pod, run: PodRun | undefined, c: ContainerRun, spec: Container, startedAt: number, isolated = false, replay = false): ShellHost {
  // The emptyDirs the process may read as they were at its start (see emptyDirAtStart), worked out on first
  // use; null when what is there is not known.
  let mounts: EmptyDirMount[] | undefined;
  const known = new Map<string, Map<string, FileData> | null>();
  const atStart = (path: string): Map<string, FileData> | undefined => {
    if (isolated) return undefined;
    mounts ??= emptyDirMounts(pod, spec);
    const m = mounts.find((x) => path === x.path || path.startsWith(x.path + '/'));
    if (!m) return undefined;
    if (!known.has(m.path)) known.set(m.path, emptyDirAtStart(pod, run, c, m) ?? null);
    return known.get(m.path) ?? undefined;
  };
  // What pods left on the container's claims when it started (claims.ts): a file, a directory (null), removed
  // (undefined), or NOT_CLAIMED where that is not known.
  let claimed: Map<string, FileData> | undefined;
  const onClaim = (p: string): FileData | typeof NOT_CLAIMED => {
    if (isolated || !c.claims) return NOT_CLAIMED;
    claimed ??= new Map(c.claims.files);
    if (claimed.has(p)) return claimed.get(p);
    if (hasUnder(claimed, p)) return null;
    const root = c.claims.known.find((r) => p === r || p.startsWith(r === '/' ? '/' : r + '/'));
    return root === undefined ? NOT_CLAIMED : p === root ? null : undefined;
  };
  // The network tools the process called at its start answer as recorded then, in order; later ones are not known.
  let called = 0;
  const tool = (program: string, args: string[], at: number) => {
    // What the network answers later is not known when the process is planned at its start.
    if (at !== 0) throw new Unknown(`${[program, ...args].join(' ')} (a network call ${at / 1000}s after the container started)`);
    const k = c.startTools?.[called];
    if (!k || k.program !== program || k.args.join('\u0000') !== args.join('\u0000')) return undefined;
    called++;
    return k;
  };
  // The volumes changed while this run went on (a ConfigMap's refresh), or `kubectl exec` wrote in the
  // container: each read sees the files as they were then.
  const variesOverTime = replay && !isolated && historyDuring(run, c, startedAt);
  const execFs = variesOverTime ? c.execFs : undefined;
  // What `kubectl exec` last wrote at p after `since` and by `at` (absolute ms); execFs is in time order.
  const execWrite = (p: string, at: number, since = -Infinity) => {
    let found: { data: FileData } | undefined;
    for (const e of execFs ?? []) if (e.at > at) break;
    else if (e.path === p && e.at > since) found = { data: e.data };
    return found;
  };
  return {
    tool,
    variesOverTime,
    ...(execFs?.length ? { writtenAfter: (path: string, since: number, at: number) => execWrite(normPath(path), startedAt + at, startedAt + since) } : {}),
    readOnly: (path) => readOnlyAt(pod, spec, path),
    has: imagePrograms(c.image),
    env: processEnv(pod, c),
    stdinOpen: spec.stdin === true,
    startMs: startedAt,
    hostname: pod.spec.hostname ?? pod.metadata.name,
    readFile(path, at) {
      const p = normPath(path);
      // Planned: the files at the start; replayed: at the read (kubectl exec's own run: the files now).
      const when = startedAt + (variesOverTime ? (at ?? 0) : 0);
      const written = execFs ? execWrite(p, when) : undefined;
      if (written) return written.data;
      const f = lookupPath(spec, run?.mounts, c.subPaths, path, isolated ? undefined : when);
      const files = atStart(p);
      if (files) return files.has(p) ? files.get(p) : f.kind === 'dir' || hasUnder(files, p) ? null : undefined;
      if (f.kind !== 'missing') return f.kind === 'file' ? f.data : null;
      const claim = onClaim(p);
      if (claim !== NOT_CLAIMED) return claim;
      const sys = systemFile(pod, spec, run?.ip, path);
      if (sys !== undefined) return sys;
      const opaque = opaqueVolume(pod, spec, path);
      if (opaque) throw new Unknown(`reading ${path} (on ${/^[aeiou]/i.test(opaque) ? 'an' : 'a'} ${opaque} volume, whose contents are not known)`);
      return undefined;
    },
    listDir(path) {
      const f = lookupPath(spec, run?.mounts, c.subPaths, path);
      const p = normPath(path);
      const files = atStart(p);
      if (files) return f.kind === 'dir' || hasUnder(files, p) ? namesUnder(files, p) : undefined;
      if (f.kind !== 'dir' && onClaim(p) === null) return namesUnder(claimed!, p);
      return f.kind === 'dir' && !opaqueVolume(pod, spec, path) ? f.entries : undefined;
    },
  };
}

/** NOT_CLAIMED: a path the claims' known contents say nothing about. */
const NOT_CLAIMED = Symbol('not on a known claim');

function hasUnder(files: Map<string, FileData>, dir: string): boolean {
  for (const [p, d] of files) if (d !== undefined && p.startsWith(dir + '/')) return true;
  return false;
}

function namesUnder(files: Map<string, FileData>, dir: string): string[] {
  const names = new Set<string>();
  for (const [p, d] of files) if (d !== undefined && p.startsWith(dir + '/')) names.add(p.slice(dir.length + 1).split('/')[0]);
  return [...names].sort();
}

/**
 * emptyDirAtStart is an emptyDir volume as a container's process finds it at its start, at the
 * container's mount path, when the simulation knows it: what the init containers wrote there (they
 * finished before), and nothing from the containers running beside it, each of which either mounts
 * the volume read-only or runs a simulated program that writes nothing there (worked out on its own,
 * with the shared volume unknown, so no two containers wait on each other). Undefined when another
 * container may be writing it (or this one ran before and left files there): a read of a path the
 * process has not written itself is then not simulated, and the image's behaviour applies.
 */
function emptyDirAtStart(pod: Pod, run: PodRun | undefined, c: ContainerRun, m: EmptyDirMount): Map<string, FileData> | undefined {
  if (!run || c.restartCount > 0) return undefined;
  const files = new Map<string, FileData>();
  for (const other of run.containers) {
    if (other === c) continue;
    const os = (other.init ? pod.spec.initContainers : pod.spec.containers)?.find((x) => x.name === other.name);
    const mount = (os?.volumeMounts ?? []).find((x: { name?: string }) => x?.name === m.volume) as { readOnly?: boolean } | undefined;
    if (!mount) continue;
    const theirs = emptyDirMounts(pod, os).find((x) => x.volume === m.volume);
    const finished = other.init && !other.sidecar;
    if (finished) {
      if (!theirs) return undefined; // a subPath mount: where it wrote is not followed
      if (other.startedAt === undefined || other.state !== 'terminated') return undefined;
      const proc = processOf(pod, run, other, os);
      if (!proc) return undefined;
      for (const e of [...(other.postStartFiles ?? []).map(([path, data]) => ({ path, data })), ...proc.fs]) {
        if (e.path === theirs.path || e.path.startsWith(theirs.path + '/')) files.set(m.path + e.path.slice(theirs.path.length), e.data);
      }
      continue;
    }
    if (mount.readOnly) continue;
    if (theirs && servesWithoutWriting(os, other.image, theirs.path)) continue;
    if (!theirs) return undefined;
    // Worked out from its spec as if it started with this one (the kubelet starts them in the same
    // sync), not from its own start: the answer must not depend on when it is asked (a restored
    // snapshot asks again, later).
    const alone = isolatedProcess(pod, run, other, os, c.startedAt ?? 0);
    if (!alone || alone.fs.some((e) => e.path === theirs.path || e.path.startsWith(theirs.path + '/'))) return undefined;
  }
  return files;
}

/**
 * SERVER_WRITES are the directories an official web server image's own process (its ENTRYPOINT and CMD,
 * no command or args given) writes into: nginx's docker-entrypoint.d scripts edit conf.d, nginx writes
 * its cache, pid file and (when they are not the image's links to stdout) logs; httpd its logs and pid.
 * A volume they mount elsewhere (the docs' shared html directory) is only read, so what a neighbour
 * container finds there is known.
 */
const SERVER_WRITES = new Map<string, string[]>([
  ['nginx', ['/etc/nginx', '/var/cache/nginx', '/var/log/nginx', '/var/run', '/run', '/tmp']],
  // The StatefulSet tutorial's registry.k8s.io/nginx-slim: nginx built small, the same directories.
  ['nginx-slim', ['/etc/nginx', '/var/cache/nginx', '/var/log/nginx', '/var/run', '/run', '/tmp']],
  ['httpd', ['/usr/local/apache2/logs', '/var/run', '/run', '/tmp']],
]);

export function servesWithoutWriting(spec: Container | undefined, image: string, mountPath: string): boolean {
  if (!spec || spec.command?.length || spec.args?.length) return false;
  const writes = SERVER_WRITES.get(imageRepo(image));
  return !!writes && !writes.some((d) => d === mountPath || d.startsWith(mountPath + '/') || mountPath.startsWith(d + '/'));
}

/** isolatedProcess is a container's process with every shared volume unknown (emptyDirAtStart's check of a neighbour). */
const isolated = new WeakMap<ContainerRun, { startedAt: number; out: Outcome | undefined }>();

function isolatedProcess(pod: Pod, run: PodRun, c: ContainerRun, spec: Container | undefined, startedAt: number): Outcome | undefined {
  let e = isolated.get(c);
  if (!e || e.startedAt !== startedAt) {
    let out: Outcome | undefined;
    if (simulated(spec, c.image)) {
      const host = shellHost(pod, run, c, spec, startedAt, true);
      const argv = commandLine(spec, c.image, host.env);
      const r = argv ? runArgv(argv, host, { horizonMs: Infinity, steady: true }) : undefined;
      out = r && r.kind !== 'unknown' ? r : undefined;
    }
    isolated.set(c, (e = { startedAt, out }));
  }
  return e.out;
}

/**
 * runningProcess is containerProcess of the current run of c to its end, remembered per start (a
 * derived cache: a restored snapshot has new ContainerRun objects and computes it again).
 */
const processes = new WeakMap<ContainerRun, { startedAt: number; out: Outcome | undefined; windows: Map<string, ExecWindow | undefined> }>();

function runningProcess(pod: Pod, run: PodRun | undefined, c: ContainerRun, spec: Container | undefined) {
  let e = processes.get(c);
  if (!e || e.startedAt !== c.startedAt) {
    e = { startedAt: c.startedAt!, out: containerProcess(pod, run, c, spec, c.startedAt!), windows: new Map() };
    processes.set(c, e);
  }
  return e;
}

/** processOf is what the current run of c does by itself (undefined: not simulated), computed once per start. */
export function processOf(pod: Pod, run: PodRun | undefined, c: ContainerRun, spec: Container | undefined): Outcome | undefined {
  return simulated(spec, c.image) ? runningProcess(pod, run, c, spec).out : undefined;
}

/** ExecWindow: when an exec probe passes, in absolute virtual time (okFrom Infinity: never). */
export interface ExecWindow {
  okFrom: number;
  okUntil: number;
}

/** EXEC_PROBE_BOUNDARIES bounds the filesystem changes an exec probe is checked against. */
const EXEC_PROBE_BOUNDARIES = 500;

/**
 * execProbeWindow: an exec probe (`cat /tmp/healthy`) of a container whose command line the shell
 * runs depends only on the files that process changed, so it is run once after each change: it
 * passes from the first change after which it succeeds, until the first after which it fails. The
 * docs' liveness example (`touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600`) passes
 * from the start until 30 s. undefined when the process or the probe's program is not simulated.
 */
export function execProbeWindow(pod: Pod, run: PodRun | undefined, c: ContainerRun, spec: Container, command: string[], timeoutSeconds = 1, from = c.startedAt!): ExecWindow | undefined {
  const e = runningProcess(pod, run, c, spec);
  if (!e.out) return undefined;
  const execFs = c.execFs ?? [];
  const since = from - e.startedAt;
  const key = `${timeoutSeconds}\u0000${since}\u0000${execFs.length}\u0000${command.join('\u0000')}`;
  if (e.windows.has(key)) return e.windows.get(key);
  // From `from` on (an exec's write starts a new window: what the probe saw before is behind it).
  const changes = new Set([since, ...e.out.fs.map((f) => f.at), ...execFs.map((f) => f.at - e.startedAt)]);
  const times = [...changes]
    .filter((t) => t >= since)
    .sort((a, b) => a - b)
    .slice(0, EXEC_PROBE_BOUNDARIES);
  let okFrom: number | undefined;
  let okUntil = Infinity;
  let known = false;
  for (const t of times) {
    const r = probeRun(pod, run, c, spec, command, timeoutSeconds, e.out, t);
    if (!r) break;
    known = true;
    const ok = r.kind === 'exited' && r.code === 0;
    if (okFrom === undefined) {
      if (ok) okFrom = t;
    } else if (!ok) {
      okUntil = t;
      break;
    }
  }
  const w = known ? { okFrom: okFrom === undefined ? Infinity : e.startedAt + okFrom, okUntil: e.startedAt + okUntil } : undefined;
  e.windows.set(key, w);
  return w;
}

/**
 * execProbeOutput is what an exec probe printed at `at`: the kubelet's Unhealthy event carries a
 * failed command's output (`cat: can't open '/tmp/healthy': No such file or directory`), or
 * `command "…" timed out` when it ran past timeoutSeconds. undefined when not simulated.
 */
export function execProbeOutput(pod: Pod, run: PodRun | undefined, c: ContainerRun, spec: Container, command: string[], timeoutSeconds = 1, at: number): string | undefined {
  const e = runningProcess(pod, run, c, spec);
  if (!e.out) return undefined;
  const r = probeRun(pod, run, c, spec, command, timeoutSeconds, e.out, at - e.startedAt);
  if (!r) return undefined;
  if (r.kind === 'running') return `command ${JSON.stringify(command.join(' '))} timed out`;
  return r.lines.map((l) => l.text).join('\n');
}

/**
 * containerChanges is the container's filesystem as its simulated processes left it at `at`: what
 * the postStart hook wrote, then what the process wrote by then (kubectl exec reads these before
 * the volumes).
 */
export function containerChanges(pod: Pod, run: PodRun | undefined, c: ContainerRun, spec: Container | undefined, at: number): Map<string, FileData> {
  const proc = c.startedAt !== undefined ? processOf(pod, run, c, spec) : undefined;
  return filesAt(c, proc, at);
}

/**
 * filesAt merges, in time order, what changed the container's files by `at` (absolute): the
 * postStart hook, the process (times relative to its start), then what `kubectl exec` wrote.
 */
function filesAt(c: ContainerRun, proc: Outcome | undefined, at: number): Map<string, FileData> {
  const files = new Map<string, FileData>(c.postStartFiles ?? []);
  for (const e of changesBy(c, proc, at)) files.set(e.path, e.data);
  return files;
}

/** changesBy lists, in time order (absolute), what the process and `kubectl exec` changed in c by `at`. */
function changesBy(c: ContainerRun, proc: Outcome | undefined, at: number): FsEvent[] {
  const start = c.startedAt ?? 0;
  const events: FsEvent[] = [];
  if (proc) for (const e of proc.fs) if (start + e.at <= at) events.push({ ...e, at: start + e.at });
  for (const e of c.execFs ?? []) if (e.at <= at) events.push(e);
  // A stable sort: at the same instant the process's change comes before an exec's.
  return events.sort((a, b) => a.at - b.at);
}

/** EmptyDirMount is a container's mount of a whole emptyDir volume (a subPath mount shares only part of it). */
interface EmptyDirMount {
  volume: string;
  path: string;
}

function emptyDirMounts(pod: Pod, spec: Container | undefined): EmptyDirMount[] {
  const emptyDirs = new Set((pod.spec.volumes ?? []).filter((v: { name?: string; emptyDir?: unknown }) => v?.name && v.emptyDir).map((v: { name: string }) => v.name));
  const out: EmptyDirMount[] = [];
  for (const m of spec?.volumeMounts ?? []) {
    if (m && typeof m.mountPath === 'string' && emptyDirs.has(m.name) && !m.subPath) out.push({ volume: m.name, path: normPath(m.mountPath) });
  }
  return out;
}

/**
 * podChanges is containerChanges of c with what the pod's other containers (init containers and
 * sidecars included) wrote by `at` into an emptyDir volume c mounts too, at c's own mount path: the
 * volume is one directory on the node that every container mounting it shares, so an init container's
 * download or a writer's log file is there for `kubectl exec … cat` in the container that serves or ships
 * it. A container's process reads only its own changes (what another one writes while it runs is not
 * simulated), and only the current run of a restarted container is known.
 */
export function podChanges(pod: Pod, run: PodRun | undefined, c: ContainerRun, spec: Container | undefined, at: number): Map<string, FileData> {
  const files = containerChanges(pod, run, c, spec, at);
  const mine = emptyDirMounts(pod, spec);
  if (!run || mine.length === 0) return files;
  const shared: FsEvent[] = [];
  for (const other of run.containers) {
    if (other === c || other.startedAt === undefined) continue;
    const os = (other.init ? pod.spec.initContainers : pod.spec.containers)?.find((x) => x.name === other.name);
    const theirs = emptyDirMounts(pod, os);
    if (theirs.length === 0) continue;
    const proc = processOf(pod, run, other, os);
    const events = [...(other.postStartFiles ?? []).map(([path, data]) => ({ at: other.startedAt!, path, data })), ...changesBy(other, proc, at)];
    for (const e of events) {
      for (const t of theirs) {
        const m = mine.find((x) => x.volume === t.volume);
        if (!m || !(e.path === t.path || e.path.startsWith(t.path + '/'))) continue;
        shared.push({ at: e.at, path: m.path + e.path.slice(t.path.length), data: e.data });
      }
    }
  }
  if (shared.length === 0) return files;
  // The container's own changes under its emptyDir mounts are in `files` already; the others' come in time order.
  // (An own change and another's to the same file: the later one wins, and an own change is kept at a tie.)
  const own = changesBy(c, c.startedAt !== undefined ? processOf(pod, run, c, spec) : undefined, at);
  const ownAt = new Map(own.map((e) => [e.path, e.at]));
  for (const e of shared.sort((a, b) => a.at - b.at)) {
    const mineAt = ownAt.get(e.path);
    if (mineAt === undefined || mineAt < e.at) files.set(e.path, e.data);
  }
  return files;
}

/**
 * joinWindows keeps the past of the old window and takes the new one from `now` on. The prober
 * counts the ticks between two results it acts on as passing, so the ticks before now must keep
 * passing where they did: rm at 20 s of a file the probe had passed on since 3 s gives [3 s, 20 s).
 * One window holds one passing stretch: a later pass after a failure from now is not kept.
 */
function joinWindows(old: ExecWindow | undefined, next: ExecWindow, now: number): ExecWindow {
  const passedBefore = !!old && old.okFrom <= now && now < old.okUntil;
  if (next.okFrom <= now) return { okFrom: passedBefore ? old!.okFrom : now, okUntil: next.okUntil };
  return passedBefore ? { okFrom: old!.okFrom, okUntil: now } : next;
}

/**
 * execWrote keeps what a `kubectl exec` wrote in a running container (`rm /tmp/healthy`) as of
 * now, so later execs read it and exec probes see it: their windows are worked out again.
 */
export function execWrote(pod: Pod, run: PodRun | undefined, c: ContainerRun, spec: Container | undefined, now: number, fs: readonly FsEvent[]): void {
  if (!fs.length || c.state !== 'running') return;
  c.execFs = [...(c.execFs ?? []), ...fs.map((e) => ({ at: now, path: e.path, data: e.data }))];
  if (!spec) return;
  for (const kind of ['startup', 'liveness', 'readiness'] as const) {
    const probe = spec[`${kind}Probe`] as { exec?: { command?: string[] }; timeoutSeconds?: number } | undefined;
    const pr = c.probes[kind];
    if (!pr || !probe?.exec?.command?.length) continue;
    const w = execProbeWindow(pod, run, c, spec, probe.exec.command, probe.timeoutSeconds, now);
    if (w) pr.exec = joinWindows(pr.exec, w, now);
  }
}

function probeRun(pod: Pod, run: PodRun | undefined, c: ContainerRun, spec: Container, command: string[], timeoutSeconds: number, proc: Outcome, t: number): Outcome | undefined {
  const host = { ...shellHost(pod, run, c, spec, c.startedAt! + t), stdinOpen: false };
  const r = runArgv(command, host, { horizonMs: Math.max(1, timeoutSeconds) * 1000, files: filesAt(c, proc, c.startedAt! + t) });
  return r.kind === 'unknown' ? undefined : r;
}

/** LifecycleHandler is a postStart/preStop hook (exec, httpGet, tcpSocket, or sleep, KEP-3960). */
interface LifecycleHandler {
  exec?: { command?: string[] };
  sleep?: { seconds?: number };
  httpGet?: unknown;
  tcpSocket?: unknown;
}

/** HookRun: how long a hook ran (Infinity: it hangs) and whether it failed, with what it wrote. */
export interface HookRun {
  ms: number;
  failed: boolean;
  fs: FsEvent[];
}

/**
 * runHook runs a lifecycle hook at `at` in the container: an exec hook in the simulated shell, on
 * the files the process has written by then (a program the shell cannot run counts as done at
 * once), a sleep action for its seconds; httpGet and tcpSocket hooks answer at once.
 * limitMs bounds a hook that would run on (the kubelet abandons a preStop hook at the grace period).
 */
export function runHook(pod: Pod, run: PodRun | undefined, c: ContainerRun, spec: Container, hook: LifecycleHandler, at: number, limitMs: number): HookRun {
  if (hook.sleep) return { ms: Math.max(0, hook.sleep.seconds ?? 0) * 1000, failed: false, fs: [] };
  const command = hook.exec?.command;
  if (!command?.length) return { ms: 0, failed: false, fs: [] };
  const files = containerChanges(pod, run, c, spec, at);
  const host = { ...shellHost(pod, run, c, spec, at), stdinOpen: false };
  const r = runArgv(command, host, { horizonMs: limitMs, files });
  if (r.kind === 'unknown') return { ms: 0, failed: false, fs: [] };
  if (r.kind === 'running') return { ms: Infinity, failed: false, fs: r.fs };
  return { ms: r.at, failed: r.code !== 0, fs: r.fs };
}
