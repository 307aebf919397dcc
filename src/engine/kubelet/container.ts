import type { Sim } from '../sim.ts';
import type { Container, Pod, Probe } from '../api/types.ts';
import { parseQuantity } from '../api/quantity.ts';
import { EnvError } from '../network/envvars.ts';
import { hex64, imageBehavior, stressLoad } from './images.ts';
import { newProbeRun, PROBE_KINDS } from './probes.ts';
import { knownPorts } from '../network/backend.ts';
import type { ContainerRun, PodRun } from './runtime.ts';
import { commandLine, imageRepo, execProbeWindow, imagePrograms, processEnv, servesWithoutWriting, processOf, recordStartTools, requestLoop } from './command.ts';
import { execError } from './shell/busybox.ts';
import { claimFiles, claimMounts, mountOf, recordClaimWrites, runId, unknownWrites, type ClaimMount } from './claims.ts';
import { inPodTool, loopRequest } from '../network/commands.ts';
import type { NetworkApi } from '../network/index.ts';
import { event, specOf, worded } from './recorder.ts';
import { runPostStart } from './lifecycle.ts';
import { frozenSubPaths, lookupPath } from './volumes.ts';
import { nginxConfig } from './nginxconf.ts';
import { containerEnv } from './containerenv.ts';

/**
 * Starting a container the way the runtime manager does (kuberuntime_container.go startContainer):
 * its environment, the runtime's start errors, what its process does once it runs (planExit), and
 * the order a pod's containers start in (SyncPod's start loop and computeInitContainerActions):
 * init containers one after another, sidecars once Started, then the app containers in spec order.
 */

/** The kubelet's messages of one word (worded keeps one string per word). */
const CREATED = (name: string) => `Created container: ${name}`;
const STARTED = (name: string) => `Started container ${name}`;

/** setWaiting puts the container in the waiting state with a reason (the status is written again only if that changed). */
export function setWaiting(run: PodRun, c: ContainerRun, reason: string, message?: string): void {
  if (c.state !== 'waiting' || c.reason !== reason || c.message !== message) run.dirty = true;
  c.state = 'waiting';
  c.reason = reason;
  c.message = message;
}

/** releaseContainers lets the first init container (or the app containers, one by one) pull once the sandbox is up. */
export function releaseContainers(run: PodRun): void {
  const first = run.containers[0]?.init ? run.containers[0] : undefined;
  if (first) first.next = { at: run.sandboxAt, what: 'pull' };
  else startAppContainers(run, run.sandboxAt);
}

/**
 * startAppContainers is SyncPod's last step: the app containers start one after another in spec order
 * (startContainer pulls the image, creates and starts the container, and runs its postStart hook
 * before the loop goes on), so the first pulls now and the others wait their turn (queued).
 */
function startAppContainers(run: PodRun, t: number): void {
  let first = true;
  for (const a of run.containers) {
    if (a.init) continue;
    if (first) a.next = { at: t, what: 'pull' };
    else a.queued = true;
    first = false;
  }
}

/**
 * startNextQueued: the start of c is over (started, or failed to pull, configure …: the loop goes on
 * after an error), so the next app container waiting its turn begins at t.
 */
export function startNextQueued(run: PodRun, c: ContainerRun, t: number): void {
  // Once per container: its first attempt ends the loop's turn (a retry after back-off is not a new turn).
  if (c.init || c.handedOn) return;
  c.handedOn = true;
  const i = run.containers.indexOf(c);
  const n = run.containers.find((x, j) => j > i && x.queued);
  if (!n) return;
  n.queued = undefined;
  n.next = { at: t, what: 'pull' };
}

/**
 * planExit: when the process ends by itself (OOM, crash, batch work done, init work done). A
 * scenario's image behaviour (runSeconds, exitCode, crashAfterSeconds) is what the author asked for
 * and wins; otherwise the container's command line decides when it can (command.ts), and else a
 * container runs until stopped, an init container until it is up.
 */
function planExit(sim: Sim, pod: Pod, run: PodRun, c: ContainerRun, spec: Container | undefined): ContainerRun['exit'] {
  const beh = imageBehavior(sim, c.image);
  const start = c.startedAt!;
  const plans: NonNullable<ContainerRun['exit']>[] = [];
  const limit = parseQuantity(spec?.resources?.limits?.memory as string | undefined);
  // The image's behaviour, else what a stress container's arguments hold (in milli-units, as parseQuantity gives).
  const stress = beh.memory === undefined && spec ? stressLoad(spec)?.memoryBytes : undefined;
  const usage = parseQuantity(beh.memory) ?? (stress !== undefined ? stress * 1000 : undefined);
  // Memory over limits.memory: the kernel OOM-kills the process once it is up (exit 137).
  if (limit !== undefined && usage !== undefined && usage > limit) plans.push({ at: c.upAt!, code: 137, reason: 'OOMKilled' });
  if (beh.crashAfterSeconds !== undefined) plans.push({ at: start + beh.crashAfterSeconds * 1000, code: beh.exitCode ?? 1, reason: '' });
  // nginx stops at a syntax error in its configuration, at once; a port another container holds, after its tries.
  if (c.nginx?.error) plans.push({ at: start + MIN_PROCESS_MS, code: 1, reason: '' });
  else if (c.portTaken !== undefined) plans.push({ at: start + Math.max(bindGiveUpMs(c.image), MIN_PROCESS_MS), code: 1, reason: '' });
  if (beh.runSeconds !== undefined) plans.push({ at: start + beh.runSeconds * 1000, code: beh.exitCode ?? 0, reason: '' });
  else if (beh.exitCode !== undefined && beh.crashAfterSeconds === undefined) plans.push({ at: c.upAt!, code: beh.exitCode, reason: '' });
  else if (beh.crashAfterSeconds === undefined) {
    const proc = processOf(pod, run, c, spec);
    if (proc?.kind === 'exited') plans.push({ at: start + Math.max(proc.at, MIN_PROCESS_MS), code: proc.code, reason: '' });
    else if (!proc && c.init && !c.sidecar) plans.push({ at: c.upAt!, code: 0, reason: '' });
  }
  if (!plans.length) return undefined;
  plans.sort((a, b) => a.at - b.at);
  const p = plans[0];
  return { at: p.at, code: p.code, reason: p.reason || (p.code === 0 ? 'Completed' : 'Error') };
}

/**
 * missingProgram: the runtime's error for a container whose command names a program its image does not
 * have, when the image's programs are known (busybox): `exec: "sleeep": executable file not found in $PATH`.
 */
function missingProgram(pod: Pod, c: ContainerRun, spec: Container | undefined): string | undefined {
  const has = imagePrograms(c.image);
  if (!spec || !has) return undefined;
  const prog = commandLine(spec, c.image, processEnv(pod, c))?.[0];
  if (prog === undefined || has(prog) !== false) return undefined;
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: ${execError(prog)}`;
}

/**
 * portTaken: the first port this container's program listens on (an image's own program run unchanged:
 * knownPorts, or as its mounted nginx configuration says) that another running container of the pod
 * already listens on, or undefined. Containers of a pod share its network namespace, so the second
 * program to bind a port fails (EADDRINUSE).
 */
function portTaken(pod: Pod, run: PodRun, c: ContainerRun, spec: Container | undefined): number | undefined {
  if (run.containers.length < 2) return undefined;
  if (c.nginx?.error) return undefined;
  const mine = c.nginx?.ports ?? (spec && knownPorts(spec));
  if (!mine) return undefined;
  for (const o of run.containers) {
    if (o === c || o.state !== 'running' || o.notStarted || o.portTaken !== undefined) continue;
    if (o.nginx?.error) continue;
    const theirs = o.nginx?.ports ?? knownPorts(specOf(pod, o) ?? { image: o.image });
    const port = theirs && mine.find((p) => theirs.includes(p));
    if (port !== undefined) return port;
  }
  return undefined;
}

/** mountsNginxConfig: the container mounts something under /etc/nginx (cheap: most mount only their token). */
function mountsNginxConfig(spec: Container): boolean {
  const mounts = spec.volumeMounts as { mountPath?: unknown }[] | undefined;
  return !!mounts?.some((m) => typeof m?.mountPath === 'string' && m.mountPath.startsWith('/etc/nginx'));
}

/**
 * bindGiveUpMs: how long a program that cannot listen takes to give up. nginx tries five times, half
 * a second apart (ngx_open_listening_sockets), then says "still could not bind()"; the others at once.
 */
function bindGiveUpMs(image: string): number {
  return imageRepo(image) === 'nginx' ? 2500 : 0;
}

/**
 * MIN_PROCESS_MS: a process that does nothing that takes time (`echo hi`) still ends a moment after
 * it starts, so its Started event and its status as Running come before it is Completed.
 */
const MIN_PROCESS_MS = 100;

/**
 * CONFIG_RETRY_MS: how soon a pod whose container could not be configured is synced again (the pod
 * worker's workerBackOffPeriod after a failed sync).
 */
const CONFIG_RETRY_MS = 10_000;

/** startContainer creates and starts the container once its image is there: its environment, its process, its probes and its postStart hook. */
export function startContainer(sim: Sim, pod: Pod, run: PodRun, c: ContainerRun, t: number): void {
  const spec = specOf(pod, c);
  const env = containerEnv(sim, pod, run, spec);
  if (env instanceof EnvError) {
    // startContainer: generateContainerConfig failed; the container is not created, the pod is synced again.
    event(sim, pod, 'Warning', 'Failed', `Error: ${env.message}`, c);
    setWaiting(run, c, 'CreateContainerConfigError', env.message);
    c.next = { at: t + CONFIG_RETRY_MS, what: 'pull' };
    startNextQueued(run, c, t);
    return;
  }
  const beh = imageBehavior(sim, c.image);
  c.state = 'running';
  c.reason = c.message = undefined;
  c.next = undefined;
  // A container killed to be restarted (a changed image) starts afresh: a later change kills it again.
  c.killAt = undefined;
  if (c.restarting) {
    c.restartCount++;
    c.restarting = undefined;
  }
  c.startedAt = t;
  // What pods left on its claims' volumes, as it starts (its process reads them from there).
  const claims = claimMounts(sim, pod, spec);
  if (claims.length) {
    const seen = claimFiles(sim, claims, t);
    c.claims = { files: [...seen.files], known: [...seen.known] };
  } else if (c.claims) c.claims = undefined;
  c.upAt = t + beh.startupMs;
  c.containerID = ['containerd://', hex64(`${run.uid}/${c.name}/${c.restartCount}`)].join('');
  c.startupOkAt = undefined;
  event(sim, pod, 'Normal', 'Created', worded(CREATED, c.name), c);
  c.env = env;
  const startError = missingProgram(pod, c, spec);
  if (startError) {
    // The runtime created the container but could not start its process: it ends at once (StartError,
    // exit 128, never started), and the kubelet restarts it with back-off like any failed container.
    event(sim, pod, 'Warning', 'Failed', `Error: ${startError}`, c);
    c.probes = {};
    c.started = false;
    c.exit = { at: t, code: 128, reason: 'StartError', message: startError };
    c.notStarted = true;
    startNextQueued(run, c, t);
    run.dirty = true;
    return;
  }
  c.notStarted = undefined;
  event(sim, pod, 'Normal', 'Started', worded(STARTED, c.name), c);
  const subPaths = frozenSubPaths(spec, run.mounts);
  if (Object.keys(subPaths).length) c.subPaths = subPaths;
  // nginx reads its configuration as it starts: a mounted one says where it listens.
  const nginx = spec && mountsNginxConfig(spec) && imageRepo(c.image) === 'nginx' && knownPorts(spec) ? nginxConfig((path) => lookupPath(spec, run.mounts, c.subPaths, path)) : undefined;
  if (nginx !== undefined || c.nginx !== undefined) c.nginx = nginx;
  const taken = portTaken(pod, run, c, spec);
  if (taken !== undefined || c.portTaken !== undefined) c.portTaken = taken;
  recordStartTools(pod, run, c, spec, (program, args) => inPodTool(sim, program, args, pod.metadata.namespace ?? 'default', pod.metadata.name));
  startRequestLoop(sim, pod, run, c, spec, t);
  c.probes = {};
  if (spec && (!c.init || c.sidecar)) {
    for (const kind of PROBE_KINDS) {
      const p = spec[`${kind}Probe`] as Probe | undefined;
      if (!p) continue;
      const pr = (c.probes[kind] = newProbeRun(kind, p, run.admittedAt, t));
      const exec = p.exec?.command?.length ? execProbeWindow(pod, run, c, spec, p.exec.command, p.timeoutSeconds) : undefined;
      if (exec) pr.exec = exec;
    }
  }
  c.started = !c.probes.startup;
  // A restarted container starts from its image again (set only when there was something: most never have these).
  if (c.postStartFiles) c.postStartFiles = undefined;
  if (c.execFs) c.execFs = undefined;
  c.exit = planExit(sim, pod, run, c, spec);
  if (claims.length) recordProcessClaimWrites(sim, pod, run, c, spec, claims, t);
  const postStart = spec?.lifecycle?.postStart;
  // The next app container starts once this one's postStart hook has returned (it runs in the start loop).
  startNextQueued(run, c, spec && postStart ? runPostStart(sim, pod, run, c, spec, postStart, t) : t);
  run.dirty = true;
  if (c.sidecar && c.started) chainAfterSidecar(run, c, t);
}

/**
 * recordProcessClaimWrites keeps, with the claims' volumes, what the container's process (and postStart
 * hook) writes there over its run: a process worked out to its end or to where it waits for good is
 * followed; a loop's writes past its steady state, and a program the simulation does not run (one not
 * known to leave the mount alone), make what the volume holds unknown from then.
 */
function recordProcessClaimWrites(sim: Sim, pod: Pod, run: PodRun, c: ContainerRun, spec: Container | undefined, claims: ClaimMount[], t: number): void {
  const proc = processOf(pod, run, c, spec);
  const by = runId(run, c);
  const post = (c.postStartFiles ?? []).map(([path, data]) => ({ at: t, path, data }));
  if (!proc) {
    recordClaimWrites(sim, claims, by, post);
    unknownWrites(sim, claims.filter((m) => !servesWithoutWriting(spec, c.image, m.root)), t);
    return;
  }
  const writes = [...post, ...proc.fs.map((e) => ({ ...e, at: t + e.at }))];
  recordClaimWrites(sim, claims, by, writes);
  if (proc.kind === 'running' && proc.steady) unknownWrites(sim, claims.filter((m) => writes.some((w) => mountOf([m], w.path))), t + proc.until);
}

/** startRequestLoop sends a load generator's requests (a shell loop of wget or curl) as steady traffic from the pod. */
function startRequestLoop(sim: Sim, pod: Pod, run: PodRun, c: ContainerRun, spec: Container | undefined, t: number): void {
  const net = sim.services.get('network') as NetworkApi | undefined;
  if (!net) return;
  const loop = requestLoop(pod, run, c, spec);
  const req = loop && loopRequest(loop.program, loop.args);
  if (!loop || !req) return;
  net.podLoop({ namespace: pod.metadata.namespace ?? 'default', pod: pod.metadata.name, uid: pod.metadata.uid!, container: c.name }, req, loop.gapMs, t + loop.firstAt);
}

/**
 * chainAfterSidecar lets the container after a sidecar start once the sidecar is Started (running,
 * and its startupProbe passed): KEP-753's computeInitContainerActions. A sidecar restarting later
 * does not hold anything up again.
 */
export function chainAfterSidecar(run: PodRun, c: ContainerRun, t: number): void {
  if (c.chained) return;
  c.chained = true;
  startNextInit(run, c, t);
}

/** startNextInit starts the init container after c, or, after the last one, the app containers. */
export function startNextInit(run: PodRun, c: ContainerRun, t: number): void {
  const inits = run.containers.filter((x) => x.init);
  const i = inits.indexOf(c);
  if (i + 1 < inits.length) inits[i + 1].next = { at: t, what: 'pull' };
  else {
    run.initDone = true;
    for (const a of run.containers) if (!a.init) a.reason = 'PodInitializing';
    startAppContainers(run, t);
  }
}
