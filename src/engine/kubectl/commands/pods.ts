import type { KubeObject, Pod } from '../../api/types.ts';
import { compileSelector } from '../../api/selector.ts';
import { kindInfo } from '../../api/kinds.ts';
import { getCondition, isPodReady } from '../../api/podutil.ts';
import { boolFlag, durationFlag, F, flag, namespace, type Command, type Ctx } from '../context.ts';
import { isoTime, parseIsoTime } from '../../clock.ts';
import { getObject, parseResourceArgs, resolveKind, selectorPredicate } from '../resources.ts';
import { CmdError, kubelet } from '../services.ts';
import { ApiError } from '../../api/errors.ts';
import { runArgv } from '../../kubelet/shell/run.ts';
import { IMAGE_DIRS, listWithChanges, normPath, type ShellHost } from '../../kubelet/shell/proc.ts';
import { inPodTool } from '../../network/commands.ts';
import { opaqueVolume, readOnlyAt } from '../../kubelet/volumes.ts';
import { execError } from '../../kubelet/shell/busybox.ts';
import { imagePrograms } from '../../kubelet/command.ts';
import { hex64 } from '../../kubelet/images.ts';

/** LOGS_USAGE is logs.go's logsUsageErrStr. */
const LOGS_USAGE = "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command";

/** podFor resolves POD or TYPE/NAME (deploy/web, rs/x) to one pod, as kubectl's logs/exec do (first pod by name). */
function podFor(ctx: Ctx, arg: string | undefined, verb: string): { pod: Pod; note: string } {
  if (!arg) throw new CmdError(verb === 'logs' ? `error: ${LOGS_USAGE}\nSee 'kubectl logs -h' for help and examples` : `error: pod, type/name or --filename must be specified`);
  const ns = namespace(ctx);
  if (!arg.includes('/')) return { pod: getObject(ctx.sim, resolveKind('pods'), ns, arg) as Pod, note: '' };
  const ref = parseResourceArgs([arg], verb)[0];
  const obj: KubeObject = getObject(ctx.sim, ref.info, ns, ref.names[0]);
  if (obj.kind === 'Pod') return { pod: obj as Pod, note: '' };
  const sel = obj.kind === 'Service' ? compileSelector({ matchLabels: obj.spec?.selector ?? {} }) : compileSelector(obj.spec?.selector);
  // GetFirstPod: the most active pod first (sort.Reverse(podutils.ActivePods)): bound, Running, ready longest …
  const pods = ctx.sim.store
    .list<Pod>('Pod', ns)
    .filter((p) => sel(p.metadata.labels))
    .sort((a, b) => activeFirst(a, b) || (a.metadata.name < b.metadata.name ? -1 : 1));
  if (!pods.length) throw new CmdError(`error: timed out waiting for the condition`);
  const note = pods.length > 1 ? `Found ${pods.length} pods, using pod/${pods[0].metadata.name}\n` : '';
  return { pod: pods[0], note };
}

/**
 * activeFirst orders pods as sort.Reverse(podutils.ActivePods) does: assigned before unassigned, Running
 * before Unknown before Pending, ready before not, ready longer before ready since later, fewer restarts
 * before more, older before newer.
 */
function activeFirst(a: Pod, b: Pod): number {
  const assigned = (p: Pod) => (p.spec.nodeName ? 1 : 0);
  if (assigned(a) !== assigned(b)) return assigned(b) - assigned(a);
  const phase = (p: Pod) => ({ Pending: 0, Unknown: 1, Running: 2 })[p.status?.phase as string] ?? 0;
  if (phase(a) !== phase(b)) return phase(b) - phase(a);
  const ready = (p: Pod) => (isPodReady(p) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(b) - ready(a);
  const since = (p: Pod) => parseIsoTime(getCondition(p.status?.conditions, 'Ready')?.lastTransitionTime ?? '') || 0;
  if (ready(a) && since(a) !== since(b)) return since(a) - since(b);
  const restarts = (p: Pod) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
  if (restarts(a) !== restarts(b)) return restarts(a) - restarts(b);
  const created = (p: Pod) => parseIsoTime(p.metadata.creationTimestamp ?? '') || 0;
  return created(a) - created(b);
}

/** containerFor picks -c, the default-container annotation, or the first container (with kubectl's "Defaulted container" note). */
function containerFor(ctx: Ctx, pod: Pod): { name: string; note: string } {
  const c = flag(ctx, 'container');
  const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  if (c) {
    if (!all.some((x) => x.name === c)) throw new CmdError(`error: container ${c} is not valid for pod ${pod.metadata.name}`);
    return { name: c, note: '' };
  }
  const def = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (def && pod.spec.containers.some((x) => x.name === def)) return { name: def, note: '' };
  const names = pod.spec.containers.map((x) => x.name);
  // podcmd.AllContainerNames: the app containers, then the ephemeral ones, then the init containers, marked.
  const every = [...names, ...(pod.spec.ephemeralContainers ?? []).map((x: { name: string }) => `${x.name} (ephem)`), ...(pod.spec.initContainers ?? []).map((x) => `${x.name} (init)`)];
  return { name: names[0], note: names.length > 1 ? `Defaulted container "${names[0]}" out of: ${every.join(', ')}\n` : '' };
}

export const logsCommand: Command = {
  name: 'logs',
  short: 'Print the logs for a container in a pod',
  flags: [F.container, F.selector, { name: 'tail', int: true }, { name: 'previous', short: 'p', bool: true }, { name: 'follow', short: 'f', bool: true }, { name: 'timestamps', bool: true }, { name: 'since', duration: true }, { name: 'since-time' }, { name: 'all-containers', bool: true }, { name: 'prefix', bool: true }],
  run(ctx) {
    const tailFlag = flag(ctx, 'tail');
    // pflag parses --tail as an int64 before anything else runs.
    if (tailFlag !== undefined && !/^-?\d+$/.test(tailFlag)) throw new CmdError(`error: invalid argument "${tailFlag}" for "--tail" flag: strconv.ParseInt: parsing "${tailFlag}": invalid syntax\nSee 'kubectl logs --help' for usage.`);
    const selector = flag(ctx, 'selector');
    // LogsOptions.Complete: POD, or POD CONTAINER (the second word is the container, over -c).
    if (ctx.args.length > 2) throw new CmdError(`error: ${LOGS_USAGE}\nSee 'kubectl logs -h' for help and examples`);
    if (ctx.args.length === 2) ctx.flags.set('container', [ctx.args[1]]);
    if (selector === undefined) {
      const { pod, note } = podFor(ctx, ctx.args[0], 'logs');
      return podLogs(ctx, pod, note, flag(ctx, 'tail'));
    }
    // LogsOptions: a selector instead of a name, each matching pod's log in turn, 10 lines each unless --tail says.
    if (ctx.args.length === 1) throw new CmdError(`error: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help and examples`);
    const ns = namespace(ctx);
    const pods = ctx.sim.store
      .list<Pod>('Pod', ns)
      .filter(selectorPredicate(selector, kindInfo('Pod')))
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    if (!pods.length) return `No resources found in ${ns} namespace.\n`;
    let out = '';
    for (const pod of pods) out += podLogs(ctx, pod, '', flag(ctx, 'tail') ?? '10');
    return out;
  },
};

/** podLogs is one pod's part of `kubectl logs`: its container (or all of them), --previous, --since, --tail, --prefix, --timestamps. */
function podLogs(ctx: Ctx, pod: Pod, note: string, tail: string | undefined): string {
  const previous = boolFlag(ctx, 'previous');
  const allContainers = boolFlag(ctx, 'all-containers');
  if (allContainers && flag(ctx, 'container')) throw new CmdError('error: --container cannot be used with --all-containers');
  const { name: first, note: cnote } = allContainers ? { name: '', note: '' } : containerFor(ctx, pod);
  const names = allContainers ? [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => c.name) : [first];
  // --since / --since-time: only lines at or after the cut (every simulated line carries its container's start).
  const sinceArg = flag(ctx, 'since');
  const sinceTime = flag(ctx, 'since-time');
  if (sinceArg && sinceTime) throw new CmdError('error: at most one of `sinceTime` or `sinceSeconds` may be specified');
  let cut = -Infinity;
  if (sinceArg) {
    cut = ctx.sim.now() - durationFlag(ctx, 'since')!;
  } else if (sinceTime) {
    cut = parseIsoTime(sinceTime);
    if (Number.isNaN(cut)) throw new CmdError(`error: ${sinceTime} is not a valid RFC3339 time`);
  }
  const prefixed = boolFlag(ctx, 'prefix');
  const timestamps = boolFlag(ctx, 'timestamps');
  let out = note + cnote;
  // LogLocation: a pod the scheduler has not placed has no kubelet to ask, and the API server streams nothing.
  if (!pod.spec.nodeName) return out;
  for (const name of names) {
    const st = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((s) => s.name === name);
    if (previous && !st?.lastState?.terminated) {
      throw new CmdError(`${out}Error from server (BadRequest): previous terminated container "${name}" in pod "${pod.metadata.name}" not found`);
    }
    // Which run's log (and why none) is the kubelet's call: a crash-looping container shows its last run.
    if (!st) throw new CmdError(`${out}Error from server (BadRequest): container "${name}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`);
    const k = kubelet(ctx.sim);
    const opts = { previous, namespace: pod.metadata.namespace };
    let lines: { at: number; text: string }[];
    if (k.logLines) {
      try {
        lines = k.logLines(pod, name, opts);
      } catch (e) {
        if (e instanceof ApiError) throw new CmdError(`${out}${e.kubectlMessage()}`);
        throw e;
      }
    }
    else {
      if (!previous && st?.state?.waiting && !st.lastState?.terminated) {
        throw new CmdError(`${out}Error from server (BadRequest): container "${name}" in pod "${pod.metadata.name}" is waiting to start: ${st.state.waiting.reason ?? 'ContainerCreating'}`);
      }
      const raw = k.logs(pod, name, opts);
      const started = previous ? st.lastState?.terminated?.startedAt : (st.state?.running?.startedAt ?? st.state?.terminated?.startedAt);
      const at = started ? parseIsoTime(started) : 0;
      lines = (Array.isArray(raw) ? raw : raw.split('\n').filter((l, i, a) => !(i === a.length - 1 && l === ''))).map((text) => ({ at, text }));
    }
    if (cut > -Infinity) lines = lines.filter((l) => l.at >= cut);
    if (tail !== undefined && Number(tail) >= 0) lines = Number(tail) === 0 ? [] : lines.slice(-Number(tail));
    const prefix = prefixed ? `[pod/${pod.metadata.name}/${name}] ` : '';
    for (const l of lines) out += `${prefix}${timestamps ? `${isoTime(l.at)} ` : ''}${l.text}\n`;
  }
  return out;
}

/**
 * execCommand runs a command "in" a container: `cat` / `ls` read what its processes wrote and its
 * volumes (coreutils' messages), and any other command line runs in the simulated shell on the
 * kubelet's execEnv (`env` and `printenv` print it, service variables included); a program the
 * simulation cannot run says so.
 */
export const execCommand: Command = {
  name: 'exec',
  short: 'Execute a command in a container (the simulated shell and its utilities)',
  flags: [F.container, { name: 'stdin', short: 'i', bool: true }, { name: 'tty', short: 't', bool: true }, { name: 'quiet', short: 'q', bool: true }],
  run(ctx) {
    if (!ctx.args[0]) throw new CmdError(`error: pod, type/name or --filename must be specified`);
    // ExecOptions.Complete: the command must follow `--` (the old `exec POD COMMAND` form is gone since 1.31).
    if (ctx.afterDash === undefined && ctx.args.length > 1) {
      throw new CmdError(`error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples`);
    }
    const cmd = ctx.afterDash ?? [];
    if (!cmd.length) throw new CmdError(`error: you must specify at least one command for the container`);
    const { pod } = podFor(ctx, ctx.args[0], 'exec');
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') throw new CmdError(`error: cannot exec into a container in a completed pod; current phase is ${phase}`);
    const { name, note } = containerFor(ctx, pod);
    // A sidecar (restartable init container) runs beside the app containers and can be exec'd into too.
    const st = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((s) => s.name === name);
    if (!pod.spec.nodeName || !st?.state?.running) {
      throw new CmdError(`${note}error: unable to upgrade connection: container not found ("${name}")`);
    }
    const envRaw = kubelet(ctx.sim).execEnv(pod, name);
    const env: [string, string][] = Array.isArray(envRaw) ? envRaw.map((e) => (Array.isArray(e) ? e : [e.name, e.value])) : Object.entries(envRaw);
    const [prog, ...args] = cmd;
    // A program the image does not have (bash in busybox): the runtime cannot start it.
    if (programsOf(pod, name)?.(prog) === false) {
      const execId = hex64(`${pod.metadata.uid}/${name}/${ctx.sim.now()}/${cmd.join(' ')}`);
      throw new CmdError(`${note}error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${execId}": OCI runtime exec failed: exec failed: ${execError(prog)}`);
    }
    // `exec -it POD -- sh` opens a session kubectl would attach the terminal to: this terminal runs one command at a time.
    if (boolFlag(ctx, 'stdin') && /^(\/bin\/|\/usr\/bin\/)?(sh|bash|ash|zsh)$/.test(prog) && args.length === 0) {
      throw new CmdError(`${note}kubeplay: an interactive shell is not simulated; run one command at a time instead, e.g. kubectl exec ${pod.metadata.name} -- sh -c 'hostname; cat /etc/resolv.conf'`);
    }
    if ((prog === 'cat' || prog === 'ls') && args.length && !args.some((a) => a.startsWith('-'))) return execFiles(ctx, pod, name, note, prog, args);
    return execShell(ctx, pod, name, note, cmd, env);
  },
};

/** programsOf: whether the container's image has a program, when its programs are known (busybox). */
function programsOf(pod: Pod, container: string): ShellHost['has'] {
  const image = containerNamed(pod, container)?.image;
  return image ? imagePrograms(image) : undefined;
}

/** containerNamed is the pod's container (or init container) of that name. */
const containerNamed = (pod: Pod, name: string) => [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === name);

/** EXEC_HORIZON_MS: how long an exec'd command may run on the simulated clock before it is stopped. */
const EXEC_HORIZON_MS = 30_000;

/**
 * execShell runs any other command line in the simulated shell (sh -c …, echo, date, hostname,
 * test …), on files the container sees now. The cluster's clock does not move while it runs: a
 * `sleep` in it passes at once, and a command still running after 30 simulated seconds is stopped.
 */
function execShell(ctx: Ctx, pod: Pod, container: string, note: string, argv: string[], env: [string, string][]) {
  const k = kubelet(ctx.sim);
  const host: ShellHost = {
    env,
    startMs: ctx.sim.now(),
    hostname: pod.spec.hostname ?? pod.metadata.name,
    readFile(path) {
      const f = k.execFile(pod, container, path, { namespace: pod.metadata.namespace });
      return f.kind === 'file' ? f.data : f.kind === 'dir' ? null : undefined;
    },
    listDir(path) {
      const f = k.execFile(pod, container, path, { namespace: pod.metadata.namespace });
      return f.kind === 'dir' ? f.entries : undefined;
    },
    tool: (program, args) => inPodTool(ctx.sim, program, args, pod.metadata.namespace ?? 'default', pod.metadata.name),
    readOnly: (path) => readOnlyAt(pod, containerNamed(pod, container), path),
    has: programsOf(pod, container),
  };
  const r = runArgv(argv, host, { horizonMs: EXEC_HORIZON_MS, files: k.fileChanges?.(pod, container) });
  // What it wrote stays in the container (touch, rm, echo > FILE): a later exec and the exec probes see it.
  if (r.kind !== 'unknown' && r.fs.length) k.execWrote?.(pod, container, r.fs);
  const out = note + r.lines.map((l) => `${l.text}\n`).join('');
  // kubectl exits with the command's own status (checkErr's ExitError case), after saying it.
  if (r.kind === 'unknown') return { exit: 126, out: out + notSimulated(r.program) };
  if (r.kind === 'running') {
    return { exit: 130, out: `${out}kubeplay: the command was still running after ${EXEC_HORIZON_MS / 1000}s of simulated time and was stopped\ncommand terminated with exit code 130\n` };
  }
  return { exit: r.code, out: out + (r.code === 0 ? '' : `command terminated with exit code ${r.code}\n`) };
}

/**
 * notSimulated says what exec could not run: a program the shell does not have ("vim"), or, for one it has,
 * what it would need that the simulation does not know ("ls /etc (what the image holds there)").
 */
function notSimulated(what: string): string {
  const which = what.includes(' (') ? `but not ${what}` : `not "${what}"`;
  return `kubeplay: containers are simulated; exec runs the shell and its common utilities (sh -c, echo, printf, env, cat, ls, grep, wc, head, tail, sort, uniq, cut, awk, sed, tr, xargs, base64, date, hostname, test, seq, sleep, curl, wget -qO-, nslookup …) on the container's volumes and what its processes and kubectl exec wrote, ${which}\ncommand terminated with exit code 126\n`;
}

/**
 * opaque: the kind of volume under path whose files exec does not know (an emptyDir's are what the pod's
 * processes wrote; a claim's, what pods wrote on it, when its volume started empty).
 */
const opaque = (ctx: Ctx, pod: Pod, container: string, path: string) => {
  const kind = opaqueVolume(pod, containerNamed(pod, container), path);
  if (kind === 'persistentVolumeClaim' && kubelet(ctx.sim).claimKnown?.(pod, container, path)) return undefined;
  return kind === 'emptyDir' ? undefined : kind;
};
const article = (word: string) => `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;

/**
 * SCRATCH_DIRS: where an image holds nothing of its own (an empty /tmp), the kernel answers, or the kubelet
 * mounts (a service account's token): a path missing there is missing. Elsewhere outside the volumes, a path nothing wrote may be the image's file.
 */
const SCRATCH_DIRS = ['/tmp', '/dev', '/proc', '/sys', '/run', '/var/run/secrets'];

/** imageFile: path is outside the container's volume mounts and scratch directories, where the image's own files are. */
function imageFile(pod: Pod, container: string, path: string): boolean {
  const p = normPath(path);
  const under = (dir: string) => p === dir || p.startsWith(dir === '/' ? '/' : `${dir}/`);
  if (SCRATCH_DIRS.some(under)) return false;
  const mounts = (containerNamed(pod, container)?.volumeMounts ?? []) as { mountPath?: unknown }[];
  return !mounts.some((m) => typeof m?.mountPath === 'string' && m.mountPath !== '/' && under(normPath(m.mountPath)));
}

/**
 * execFiles is `cat FILE…` / `ls PATH…` over what the container's processes wrote and its mounted
 * volumes (the kubelet's execFile): coreutils' messages for a missing path or a directory, exit 1
 * when any path failed.
 */
function execFiles(ctx: Ctx, pod: Pod, container: string, note: string, prog: 'cat' | 'ls', paths: string[]) {
  let out = note;
  let failed = false;
  const lsOut: string[] = [];
  const changes = kubelet(ctx.sim).fileChanges?.(pod, container);
  let volume: string | undefined;
  for (const path of paths) {
    const changed = changes?.has(path) ? changes.get(path) : false;
    const f =
      changed === false
        ? kubelet(ctx.sim).execFile(pod, container, path, { namespace: pod.metadata.namespace })
        : changed === undefined
          ? ({ kind: 'missing' } as const)
          : changed === null
            ? ({ kind: 'dir', entries: [] } as const)
            : ({ kind: 'file', data: changed } as const);
    if (f.kind === 'missing' && IMAGE_DIRS.has(normPath(path))) {
      // A directory every image has, whose contents the simulation does not know.
      if (prog === 'ls') return { exit: 126, out: out + notSimulated(`ls ${normPath(path)} (what the image holds there)`) };
      failed = true;
      out += `cat: ${path}: Is a directory\n`;
    } else if (f.kind === 'missing' && (volume = opaque(ctx, pod, container, path))) {
      // A path on a volume whose contents the simulation does not have (hostPath, a claim's disk …).
      return { exit: 126, out: out + notSimulated(`${prog} ${normPath(path)} (on ${article(volume)} volume, whose contents are not known)`) };
    } else if (f.kind === 'missing' && prog === 'cat' && imageFile(pod, container, path)) {
      // A file the image may hold (/etc/nginx/nginx.conf, the bootcamp's server.js): not known, not missing.
      return { exit: 126, out: out + notSimulated(`cat ${normPath(path)} (what the image holds there)`) };
    } else if (f.kind === 'missing') {
      failed = true;
      out += prog === 'cat' ? `cat: ${path}: No such file or directory\n` : `ls: cannot access '${path}': No such file or directory\n`;
    } else if (prog === 'cat') {
      if (f.kind === 'dir') {
        failed = true;
        out += `cat: ${path}: Is a directory\n`;
      } else out += f.data;
    } else lsOut.push(...(f.kind === 'dir' ? listWithChanges(f.entries, normPath(path), changes ?? new Map()) : [path]));
  }
  if (prog === 'ls') out += lsOut.map((e) => `${e}\n`).join('');
  return { exit: failed ? 1 : 0, out: out + (failed ? 'command terminated with exit code 1\n' : '') };
}
