import { EPOCH_MS } from '../clock.ts';
import type { Sim } from '../sim.ts';
import type { Container, Pod, Probe } from '../api/types.ts';
import { parseQuantity } from '../api/quantity.ts';
import { EnvError, fromServices, makeEnvironmentVariables, serviceEnvServices, type EnvPair } from '../network/envvars.ts';
import type { Service } from '../api/types.ts';
import { Backoff } from './backoff.ts';
import { goDuration, hex64, imageBehavior, imageReferenceError, pullFailureMessage, stressLoad } from './images.ts';

import { nodeInternalIP, nodesState, type NodeRecord } from './node.ts';
import { advanceProbe, newProbeRun, nextProbeWake, probeFailureMessage, probePort, type ProbeKind, type Window } from './probes.ts';
import { knownPorts, servingContainer } from '../network/backend.ts';
import { kubeletState, type ContainerRun, type KubeletState, type PodRun } from './runtime.ts';
import { applyStatus, getPhase, rememberStatus, statusChanged } from './status.ts';
import { commandLine, imageRepo, execProbeOutput, execProbeWindow, imagePrograms, processEnv, servesWithoutWriting, processOf, recordStartTools, requestLoop } from './command.ts';
import { execError } from './shell/busybox.ts';
import { claimFiles, claimMounts, mountOf, recordClaimWrites, runId, stopClaimWrites, unknownWrites, type ClaimMount } from './claims.ts';
import { inPodTool, loopRequest } from '../network/commands.ts';
import type { NetworkApi } from '../network/index.ts';
import { event, specOf, worded } from './recorder.ts';
import { killPlan, runPostStart } from './lifecycle.ts';
import { frozenSubPaths, isApiVolume, lookupPath, mountAll, MOUNT_RETRY_INITIAL_MS, MOUNT_RETRY_MAX_MS, needsRefresh, refreshAll, SYNC_FREQUENCY_MS } from './volumes.ts';
import { nginxConfig } from './nginxconf.ts';

/** INVALID_IMAGE_RESYNC_MS: how often a pod worker with an unparseable image tries again (its periodic resync). */
const INVALID_IMAGE_RESYNC_MS = 60_000;

/**
 * The kubelet's pod worker (pkg/kubelet/kubelet.go SyncPod, kuberuntime_manager.go): one sync
 * per pod key processes, in time order, every runtime event due by now — sandbox ready, image
 * pull started/finished/failed, container start, probe results, exits, restarts after back-off,
 * graceful termination — then writes the pod status once and sets one timer for the next event.
 */

/** SANDBOX_MS: RunPodSandbox plus CNI setup before containers can be created. */
export const SANDBOX_MS = 500;
/** SYNC_MS: PLEG relists every 1 s, so an exit is acted on (restart or back-off) 1 s later. */
export const SYNC_MS = 1000;
/** PRESENT_PULL_MS: a pull (policy Always) of an image already on the node only resolves the digest. */
export const PRESENT_PULL_MS = 400;
/** MOUNT_PENDING: sandboxAt while volumes are not mounted (the sandbox is made only after them). */
const MOUNT_PENDING = Number.MAX_SAFE_INTEGER;

const MAX_EVENTS_PER_SYNC = 100_000;

type Ev =
  | { at: number; c: ContainerRun; kind: 'action' }
  | { at: number; c: ContainerRun; kind: 'exit' }
  | { at: number; c: ContainerRun; kind: 'probe'; probe: ProbeKind };

/** The kubelet's messages of one word (worded keeps one string per word). */
const CREATED = (name: string) => `Created container: ${name}`;
const STARTED = (name: string) => `Started container ${name}`;
const STOPPING = (name: string) => `Stopping container ${name}`;
const PRESENT = (image: string) => `Container image "${image}" already present on machine`;
const PULLING = (image: string) => `Pulling image "${image}"`;

function imageFullRef(pod: Pod): string {
  return `${pod.metadata.name}_${pod.metadata.namespace ?? 'default'}(${pod.metadata.uid})`;
}

/** allocateIP takes the lowest free host address of the node's 10.244.<i>.0/24 (from .2 up, as host-local IPAM walks). */
function allocateIP(rec: NodeRecord): string {
  for (let i = 0; i < 253; i++) {
    const host = 2 + ((rec.nextHost - 2 + i + 253) % 253);
    if (!rec.used[host]) {
      rec.used[host] = true;
      rec.nextHost = host + 1 > 254 ? 2 : host + 1;
      return `10.244.${rec.index}.${host}`;
    }
  }
  return `10.244.${rec.index}.255`;
}

export function releaseIP(sim: Sim, run: PodRun): void {
  const rec = nodesState(sim).nodes[run.node];
  if (rec && run.ip) delete rec.used[Number(run.ip.slice(run.ip.lastIndexOf('.') + 1))];
}

function admit(sim: Sim, st: KubeletState, pod: Pod, rec: NodeRecord, now: number): PodRun {
  const inits = pod.spec.initContainers ?? [];
  const hasInit = inits.length > 0;
  // Every field a run may get later is declared here (undefined until then), so that all runs, and
  // all their containers, keep one shape from admission on: a field added later moves the object to
  // another hidden class, and the kubelet's reads of runs at different stages (a run pulling, one
  // running) went megamorphic.
  const run: PodRun = {
    uid: pod.metadata.uid!,
    key: sim.store.keyFor(pod),
    node: pod.spec.nodeName!,
    admittedAt: now,
    sandboxAt: now + SANDBOX_MS,
    ip: pod.spec.hostNetwork ? nodeInternalIP(rec.index) : allocateIP(rec),
    containers: [],
    initDone: !hasInit,
    termAt: undefined,
    sidecarsStopAt: undefined,
    mounts: undefined,
    wakes: [],
    dirty: true,
  };
  const mk = (s: Container, init: boolean): ContainerRun => ({
    name: s.name,
    init,
    sidecar: init && s.restartPolicy === 'Always' ? true : undefined,
    chained: undefined,
    killAt: undefined,
    restartChanged: undefined,
    queued: undefined,
    handedOn: undefined,
    restarting: undefined,
    portTaken: undefined,
    nginx: undefined,
    notStarted: undefined,
    subPaths: undefined,
    image: s.image,
    restartCount: 0,
    state: 'waiting',
    reason: hasInit ? 'PodInitializing' : 'ContainerCreating',
    message: undefined,
    next: undefined,
    pullStartedAt: undefined,
    containerID: undefined,
    startedAt: undefined,
    upAt: undefined,
    exit: undefined,
    term: undefined,
    last: undefined,
    ready: false,
    started: false,
    env: undefined,
    probes: {},
    execFs: undefined,
    startTools: undefined,
    claims: undefined,
    postStartFiles: undefined,
    startupOkAt: undefined,
  });
  // Made at its length (map, concat), as the run keeps it: grown by push it would hold room for 17.
  run.containers = inits.map((s) => mk(s, true)).concat((pod.spec.containers ?? []).map((s) => mk(s, false)));
  st.pods[run.uid] = run;
  if ((pod.spec.volumes ?? []).some(isApiVolume)) {
    // WaitForAttachAndMount: the sandbox and the containers wait for the volumes (processMounts).
    run.mounts = { files: {}, mounted: false, retryAt: now };
    run.sandboxAt = MOUNT_PENDING;
    return run;
  }
  releaseContainers(run);
  return run;
}

/** releaseContainers lets the first init container (or the app containers, one by one) pull once the sandbox is up. */
function releaseContainers(run: PodRun): void {
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
function startNextQueued(run: PodRun, c: ContainerRun, t: number): void {
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
 * processMounts is the volume manager's part of a pod sync (volumes.ts): mount with back-off until
 * every volume sets up, then refresh the files on each periodic sync (every SYNC_FREQUENCY_MS).
 */
function processMounts(sim: Sim, pod: Pod, run: PodRun, now: number): void {
  const m = run.mounts;
  if (!m) return;
  if (!m.mounted) {
    if (run.termAt !== undefined || m.retryAt === undefined || now < m.retryAt) return;
    const failed = mountAll(sim.store, pod, m);
    if (failed.length) {
      for (const [vol, msg] of failed) event(sim, pod, 'Warning', 'FailedMount', `MountVolume.SetUp failed for volume "${vol}" : ${msg}`);
      m.firstTryAt ??= now;
      m.retryMs = m.retryMs === undefined ? MOUNT_RETRY_INITIAL_MS : Math.min(m.retryMs * 2, MOUNT_RETRY_MAX_MS);
      m.retryAt = now + m.retryMs;
      return;
    }
    m.mounted = true;
    m.retryAt = m.retryMs = undefined;
    run.sandboxAt = now + SANDBOX_MS;
    run.dirty = true;
    releaseContainers(run);
    if (needsRefresh(pod)) m.refreshAt = now + SYNC_FREQUENCY_MS;
    return;
  }
  if (m.refreshAt === undefined || now < m.refreshAt) return;
  const done = run.termAt !== undefined || run.containers.every((c) => c.state === 'terminated' && !c.next);
  if (done) {
    m.refreshAt = undefined;
    return;
  }
  refreshAll(sim.store, pod, m);
  m.refreshAt += SYNC_FREQUENCY_MS * Math.max(1, Math.ceil((now - m.refreshAt + 1) / SYNC_FREQUENCY_MS));
}

function pullPolicy(spec: Container | undefined, image: string): string {
  if (spec?.imagePullPolicy) return spec.imagePullPolicy;
  const last = image.slice(image.lastIndexOf('/') + 1);
  return !last.includes(':') || last.endsWith(':latest') ? 'Always' : 'IfNotPresent';
}

function setWaiting(run: PodRun, c: ContainerRun, reason: string, message?: string): void {
  if (c.state !== 'waiting' || c.reason !== reason || c.message !== message) run.dirty = true;
  c.state = 'waiting';
  c.reason = reason;
  c.message = message;
}

/** probeWindow: when a container's probe of a kind passes, and from when it counts. */
function probeWindow(pod: Pod, c: ContainerRun, kind: ProbeKind, spec: Container, sim: Sim, run: PodRun): Window {
  const probe = spec[`${kind}Probe`] as Probe;
  const beh = imageBehavior(sim, c.image);
  const start = c.startedAt!;
  let gate = start + Math.max(0, probe.initialDelaySeconds ?? 0) * 1000;
  if (kind !== 'startup' && c.probes.startup) gate = c.startupOkAt === undefined ? Infinity : Math.max(gate, c.startupOkAt + 1);
  const failAfter = kind === 'readiness' ? beh.readinessFailAfterSeconds : kind === 'liveness' ? beh.livenessFailAfterSeconds : undefined;
  let end = c.exit?.at ?? Infinity;
  if (run.termAt !== undefined && kind !== 'readiness') end = Math.min(end, run.termAt);
  // An exec probe beside a process the shell runs: it passes while the files it checks say so.
  const exec = failAfter === undefined ? c.probes[kind]?.exec : undefined;
  if (exec) return { gate, okFrom: Math.max(exec.okFrom, start), okUntil: exec.okUntil, end };
  // A probe of a port nothing in the pod listens on is refused, however healthy the process is.
  if (!probeAnswered(pod, spec, probe, sim)) return { gate, okFrom: Infinity, okUntil: Infinity, end };
  return { gate, okFrom: c.upAt!, okUntil: failAfter === undefined ? Infinity : start + failAfter * 1000, end };
}

/**
 * probeAnswered: something in the pod listens on the port an httpGet, tcpSocket or grpc probe connects to
 * (the pod's containers share one network namespace); a named port the container does not declare never is.
 */
function probeAnswered(pod: Pod, spec: Container, probe: Probe, sim: Sim): boolean {
  if (unresolvedPortName(probe, spec)) return false;
  const port = probePort(probe, spec);
  return port === undefined || servingContainer(pod, port, sim) !== undefined;
}

/**
 * unresolvedPortName is a probe's named port that the container does not declare: ResolveContainerPort
 * then tries it as a number, and the probe errors with strconv's message.
 */
function unresolvedPortName(probe: Probe, spec: Container): string | undefined {
  const p: unknown = probe.httpGet?.port ?? probe.tcpSocket?.port;
  return typeof p === 'string' && !/^\d+$/.test(p) && probePort(probe, spec) === undefined ? p : undefined;
}

const PROBE_KINDS: readonly ProbeKind[] = ['startup', 'liveness', 'readiness'];

/**
 * nextEvent is the earliest runtime event of the pod (the first found wins a tie). It runs twice
 * per sync, so it tracks the best candidate in locals and allocates only the one it returns.
 */
function nextEvent(sim: Sim, pod: Pod, run: PodRun): Ev | undefined {
  let bestAt = Infinity;
  let found = false;
  let bestC: ContainerRun | undefined;
  let bestKind: Ev['kind'] = 'action';
  let bestProbe: ProbeKind = 'startup';
  for (const c of run.containers) {
    if (c.next && (!found || c.next.at < bestAt)) {
      found = true;
      bestAt = c.next.at;
      bestC = c;
      bestKind = 'action';
    }
    if (c.state !== 'running') continue;
    if (c.exit && (!found || c.exit.at < bestAt)) {
      found = true;
      bestAt = c.exit.at;
      bestC = c;
      bestKind = 'exit';
    }
    if (!c.probes.startup && !c.probes.liveness && !c.probes.readiness) continue;
    const spec = specOf(pod, c);
    if (!spec) continue;
    for (const kind of PROBE_KINDS) {
      const p = c.probes[kind];
      if (!p) continue;
      const at = nextProbeWake(p, probeWindow(pod, c, kind, spec, sim, run));
      if (Number.isFinite(at) && (!found || at < bestAt)) {
        found = true;
        bestAt = at;
        bestC = c;
        bestKind = 'probe';
        bestProbe = kind;
      }
    }
  }
  if (!found) return undefined;
  return bestKind === 'probe' ? { at: bestAt, c: bestC!, kind: 'probe', probe: bestProbe } : { at: bestAt, c: bestC!, kind: bestKind };
}

/**
 * serviceEnvCache holds the service variables per namespace until any Service changes (a derived
 * cache: 10,000 container starts in one namespace compute them once).
 */
interface ServiceEnvCache {
  state: object;
  map: Map<string, EnvPair[]>;
}

/**
 * SERVICE_ENV_CACHE names the cache in sim.services. Not a WeakMap keyed by the Sim: its value holds
 * sim.state, and V8 traces a WeakMap value (here the whole cluster state) only once the key is
 * marked, in the final main-thread pause of each full GC (hundreds of ms at 10,000 pods).
 */
const SERVICE_ENV_CACHE = 'kubelet/serviceEnvCache';

export function invalidateServiceEnv(sim: Sim): void {
  sim.services.delete(SERVICE_ENV_CACHE);
}

function serviceEnv(sim: Sim, pod: Pod): EnvPair[] {
  const ns = pod.metadata.namespace ?? 'default';
  const links = pod.spec.enableServiceLinks ?? true;
  let cache = sim.services.get(SERVICE_ENV_CACHE) as ServiceEnvCache | undefined;
  // A restore replaces sim.state: the cached variables may describe other services.
  if (!cache || cache.state !== sim.state) sim.services.set(SERVICE_ENV_CACHE, (cache = { state: sim.state, map: new Map() }));
  const key = `${links ? 1 : 0}${ns}`;
  let env = cache.map.get(key);
  if (!env) {
    env = fromServices(serviceEnvServices(sim.store.list<Service>('Service'), ns, links));
    cache.map.set(key, env);
  }
  return env;
}

/**
 * serviceOnlyEnv is makeEnvironmentVariables for a container without env or envFrom: only the
 * service variables, the same for every such container of the namespace, so 10,000 replicas
 * share one list (it is read-only: execEnv copies it) until a Service changes.
 */
const serviceOnlyEnvCache = new WeakMap<EnvPair[], EnvPair[]>();

function serviceOnlyEnv(svcEnv: EnvPair[]): EnvPair[] {
  let env = serviceOnlyEnvCache.get(svcEnv);
  if (!env) serviceOnlyEnvCache.set(svcEnv, (env = makeEnvironmentVariables({}, svcEnv)));
  return env;
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

/** containerEnv is generateContainerConfig's environment, or the EnvError that stops the container starting. */
function containerEnv(sim: Sim, pod: Pod, run: PodRun, spec: Container | undefined): EnvPair[] | EnvError {
  const svcEnv = serviceEnv(sim, pod);
  if (!spec?.env?.length && !spec?.envFrom?.length) return serviceOnlyEnv(svcEnv);
  const ctxPod = { ...pod, status: { ...(pod.status ?? {}), podIP: run.ip } } as Pod;
  try {
    return makeEnvironmentVariables(spec, svcEnv, { store: sim.store, pod: ctxPod });
  } catch (e) {
    if (e instanceof EnvError) return e;
    throw e;
  }
}

function startContainer(sim: Sim, pod: Pod, run: PodRun, c: ContainerRun, t: number): void {
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
function chainAfterSidecar(run: PodRun, c: ContainerRun, t: number): void {
  if (c.chained) return;
  c.chained = true;
  startNextInit(run, c, t);
}

/** startNextInit starts the init container after c, or, after the last one, the app containers. */
function startNextInit(run: PodRun, c: ContainerRun, t: number): void {
  const inits = run.containers.filter((x) => x.init);
  const i = inits.indexOf(c);
  if (i + 1 < inits.length) inits[i + 1].next = { at: t, what: 'pull' };
  else {
    run.initDone = true;
    for (const a of run.containers) if (!a.init) a.reason = 'PodInitializing';
    startAppContainers(run, t);
  }
}

/** doPull is EnsureImageExists: pull policy, the node's image cache, and the per-image back-off. */
function doPull(sim: Sim, st: KubeletState, pod: Pod, run: PodRun, c: ContainerRun, t: number): void {
  const spec = specOf(pod, c);
  // EnsureImageExists: a reference the runtime cannot parse is never pulled; the pod worker tries again on its next sync.
  const bad = imageReferenceError(c.image);
  if (bad) {
    const msg = `Failed to apply default image tag ${JSON.stringify(c.image)}: ${bad}`;
    event(sim, pod, 'Warning', 'InspectFailed', msg, c);
    event(sim, pod, 'Warning', 'Failed', 'Error: InvalidImageName', c);
    setWaiting(run, c, 'InvalidImageName', msg);
    c.next = { at: t + INVALID_IMAGE_RESYNC_MS, what: 'pull' };
    startNextQueued(run, c, t);
    return;
  }
  const policy = pullPolicy(spec, c.image);
  const cache = (st.images[run.node] ??= {});
  const present = !!cache[c.image];
  // While a pod has init containers every container waits as PodInitializing, else ContainerCreating.
  const creating = pod.spec.initContainers?.length ? 'PodInitializing' : 'ContainerCreating';
  if (policy === 'Never' && !present) {
    const msg = `Container image "${c.image}" is not present with pull policy of Never`;
    event(sim, pod, 'Warning', 'ErrImageNeverPull', msg, c);
    setWaiting(run, c, 'ErrImageNeverPull', msg);
    c.next = undefined;
    startNextQueued(run, c, t);
    return;
  }
  if (present && policy !== 'Always') {
    event(sim, pod, 'Normal', 'Pulled', worded(PRESENT, c.image), c);
    startContainer(sim, pod, run, c, t);
    return;
  }
  const bo = new Backoff(st.backoff);
  const pkey = `${run.uid}_${c.image}`;
  if (bo.isInBackOffSinceUpdate(pkey, t)) {
    const msg = `Back-off pulling image "${c.image}"`;
    event(sim, pod, 'Normal', 'BackOff', msg, c);
    event(sim, pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', c);
    setWaiting(run, c, 'ImagePullBackOff', msg);
    c.next = { at: st.backoff[pkey].lastUpdate + st.backoff[pkey].backoffMs, what: 'pull' };
    startNextQueued(run, c, t);
    return;
  }
  event(sim, pod, 'Normal', 'Pulling', worded(PULLING, c.image), c);
  // A retried pull keeps showing the pull error until it ends; a restart after a crash keeps showing
  // CrashLoopBackOff (the kubelet's reason cache) until the new container starts, not ContainerCreating.
  const retrying = c.state === 'waiting' && (c.reason === 'ErrImagePull' || c.reason === 'ImagePullBackOff' || c.reason === 'CrashLoopBackOff');
  if (!retrying) setWaiting(run, c, creating);
  c.pullStartedAt = t;
  const beh = imageBehavior(sim, c.image);
  if (beh.pullError) {
    c.next = { at: t + beh.pullMs, what: 'pullFailed' };
    return;
  }
  const inflight = ((st.pulling[run.node] ??= {})[c.image] ?? 0);
  const done = inflight > t ? inflight : t + (present ? PRESENT_PULL_MS : beh.pullMs);
  st.pulling[run.node][c.image] = done;
  c.next = { at: done, what: 'pulled' };
}

function handleAction(sim: Sim, st: KubeletState, pod: Pod, run: PodRun, c: ContainerRun, t: number): void {
  const what = c.next!.what;
  c.next = undefined;
  if (run.termAt !== undefined) return; // a terminating pod starts nothing
  if (what === 'pull') return doPull(sim, st, pod, run, c, t);
  if (what === 'pulled') {
    (st.images[run.node] ??= {})[c.image] = true;
    if ((st.pulling[run.node]?.[c.image] ?? 0) <= t) delete st.pulling[run.node]?.[c.image];
    const took = goDuration(t - (c.pullStartedAt ?? t));
    const size = imageBehavior(sim, c.image).sizeBytes;
    event(sim, pod, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in ${took} (${took} including waiting). Image size: ${size} bytes.`, c);
    return startContainer(sim, pod, run, c, t);
  }
  if (what === 'pullFailed') {
    const bo = new Backoff(st.backoff);
    bo.next(`${run.uid}_${c.image}`, t, t);
    const err = pullFailureMessage(c.image);
    event(sim, pod, 'Warning', 'Failed', `Failed to pull image "${c.image}": ${err}`, c);
    event(sim, pod, 'Warning', 'Failed', 'Error: ErrImagePull', c);
    setWaiting(run, c, 'ErrImagePull', err);
    c.next = { at: t + SYNC_MS, what: 'pull' };
    startNextQueued(run, c, t);
    return;
  }
  // restartCheck: doBackOff (kuberuntime_manager.go), keyed by the container, since its finishedAt.
  const bo = new Backoff(st.backoff);
  const bkey = `${run.uid}/${c.name}`;
  if (c.state === 'terminated' && c.term) {
    c.last = c.term;
    c.term = undefined;
    c.state = 'waiting';
    run.dirty = true;
  }
  const finished = c.last!.finishedAt;
  if (bo.isInBackOffSince(bkey, finished, t)) {
    const msg = `back-off ${goDuration(bo.get(bkey))} restarting failed container=${c.name} pod=${imageFullRef(pod)}`;
    event(sim, pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${imageFullRef(pod)}`, c);
    setWaiting(run, c, 'CrashLoopBackOff', msg);
    c.next = { at: bo.retryAt(bkey, finished), what: 'restartCheck' };
    return;
  }
  bo.next(bkey, finished, t);
  // The restart counts once its container is created (the runtime's restartCount annotation), not while
  // its image is pulled or refused.
  c.restarting = true;
  doPull(sim, st, pod, run, c, t);
}

function shouldRestart(policy: string, code: number, init: boolean): boolean {
  // Init containers restart only on failure, whatever the policy (Always counts as OnFailure).
  if (init) return code !== 0 && policy !== 'Never';
  return policy === 'Always' || (policy === 'OnFailure' && code !== 0);
}

function handleExit(sim: Sim, pod: Pod, run: PodRun, c: ContainerRun, t: number): void {
  const ex = c.exit!;
  stopClaimWrites(sim, runId(run, c), t);
  // A container whose process never started reports the zero time as its start (the runtime's empty timestamp).
  const startedAt = c.notStarted ? -EPOCH_MS : c.startedAt!;
  c.term = { exitCode: ex.code, reason: ex.reason, ...(ex.message ? { message: ex.message } : {}), ...(c.portTaken !== undefined ? { portTaken: c.portTaken } : {}), ...(c.nginx ? { nginx: c.nginx } : {}), startedAt, finishedAt: t, containerID: c.containerID! };
  c.state = 'terminated';
  c.exit = undefined;
  c.ready = false;
  c.started = false;
  c.probes = {};
  run.dirty = true;
  if (run.termAt !== undefined || run.sidecarsStopAt !== undefined) return;
  const policy = pod.spec.restartPolicy ?? 'Always';
  // A sidecar is restarted whenever it exits, whatever the pod's restartPolicy (KEP-753).
  if (c.sidecar || c.restartChanged || shouldRestart(policy, ex.code, c.init)) {
    c.restartChanged = undefined;
    c.next = { at: t + SYNC_MS, what: 'restartCheck' };
    return;
  }
  if (c.init && ex.code === 0) startNextInit(run, c, t);
}

/**
 * stopSidecars is the termination order of KEP-753 (killContainersWithSyncResult with a
 * terminationOrdering): sidecars get SIGTERM only after every app container has stopped, one at a
 * time from the last-declared, each within what is left of the pod's grace period. The same
 * happens when a pod's app containers finish for good (a Job's pod): the pod is terminal, so the
 * kubelet stops its sidecars.
 */
function stopSidecars(sim: Sim, pod: Pod, run: PodRun, t: number): void {
  let graceEnd: number;
  if (run.termAt !== undefined) {
    graceEnd = run.termAt + (pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
  } else {
    if (run.sidecarsStopAt === undefined) {
      if (!run.initDone || !run.containers.some((c) => c.sidecar && c.state === 'running')) return;
      const phase = getPhase(run, pod.spec.restartPolicy ?? 'Always');
      if (phase !== 'Succeeded' && phase !== 'Failed') return;
      run.sidecarsStopAt = t;
      for (const c of run.containers) if (c.sidecar) c.next = undefined;
    }
    graceEnd = run.sidecarsStopAt + (pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
  }
  if (run.containers.some((c) => !c.sidecar && c.state === 'running')) return;
  const sidecars = run.containers.filter((c) => c.sidecar && c.state === 'running');
  if (!sidecars.length || sidecars.some((c) => c.killAt !== undefined)) return;
  const c = sidecars[sidecars.length - 1];
  c.killAt = t;
  event(sim, pod, 'Normal', 'Killing', worded(STOPPING, c.name), c);
  const plan = killPlan(sim, pod, run, c, t, Math.max(0, graceEnd - t));
  if (!c.exit || plan.at < c.exit.at) c.exit = plan;
}


function handleProbe(sim: Sim, pod: Pod, run: PodRun, c: ContainerRun, kind: ProbeKind, t: number): void {
  const spec = specOf(pod, c)!;
  const p = c.probes[kind]!;
  const probe = spec[`${kind}Probe`] as Probe;
  const Kind = kind[0].toUpperCase() + kind.slice(1);
  for (const step of advanceProbe(p, probeWindow(pod, c, kind, spec, sim, run), t)) {
    if (step.result === 'fail') {
      const output = probe.exec?.command?.length ? execProbeOutput(pod, run, c, spec, probe.exec.command, probe.timeoutSeconds, step.at) : undefined;
      const up = step.at >= c.upAt! && probeAnswered(pod, spec, probe, sim);
      const name = unresolvedPortName(probe, spec);
      if (name !== undefined) event(sim, pod, 'Warning', 'Unhealthy', `${Kind} probe errored: strconv.Atoi: parsing ${JSON.stringify(name)}: invalid syntax`, c);
      else event(sim, pod, 'Warning', 'Unhealthy', `${Kind} probe failed: ${output ?? probeFailureMessage(probe, run.ip ?? '', up, spec)}`, c);
    }
    if (!step.flipped) continue;
    if (kind === 'startup' && step.output) {
      c.started = true;
      c.startupOkAt = step.at;
      run.dirty = true;
      if (c.sidecar) chainAfterSidecar(run, c, step.at);
    } else if (kind !== 'readiness' && !step.output) {
      // Liveness/startup failure: kill with the grace period, then restart per policy.
      event(sim, pod, 'Normal', 'Killing', `Container ${c.name} failed ${kind} probe, will be restarted`, c);
      const graceS = probe.terminationGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
      const plan = killPlan(sim, pod, run, c, step.at, graceS * 1000);
      if (!c.exit || plan.at < c.exit.at) c.exit = plan;
    }
  }
}

/** beginTermination: stop every running container (killPlan: preStop, SIGTERM, SIGKILL at the grace period). */
function beginTermination(sim: Sim, pod: Pod, run: PodRun, t: number): void {
  run.termAt = t;
  run.dirty = true;
  const graceS = pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
  for (const c of run.containers) {
    c.next = undefined;
    if (c.state !== 'running' || c.sidecar) continue; // sidecars stop after the app containers (stopSidecars)
    c.killAt = t;
    event(sim, pod, 'Normal', 'Killing', worded(STOPPING, c.name), c);
    const plan = killPlan(sim, pod, run, c, t, graceS * 1000);
    if (!c.exit || plan.at < c.exit.at) c.exit = plan;
  }
}

function recomputeReady(run: PodRun): void {
  for (const c of run.containers) {
    const ready = c.state === 'running' && c.started && (c.probes.readiness ? c.probes.readiness.output : true) && (!c.init || !!c.sidecar);
    if (ready !== c.ready) {
      c.ready = ready;
      run.dirty = true;
    }
  }
}

/**
 * restartChangedContainers is computePodActions for a container whose image was changed in the pod's
 * spec (`kubectl set image pod/…`, the one update a pod allows its containers): a running one is killed
 * ("definition changed") and started again with the new image whatever the restartPolicy; one waiting to
 * start pulls the new image next, with its back-off reset (the back-off key holds the container's hash).
 */
function restartChangedContainers(sim: Sim, st: KubeletState, pod: Pod, run: PodRun, t: number): void {
  for (const c of run.containers) {
    if (c.init && !c.sidecar) continue;
    const spec = specOf(pod, c);
    if (!spec || spec.image === c.image) continue;
    c.image = spec.image;
    run.dirty = true;
    delete st.backoff[`${run.uid}/${c.name}`];
    if (c.state === 'running') {
      if (c.killAt !== undefined) continue;
      c.killAt = t;
      c.restartChanged = true;
      event(sim, pod, 'Normal', 'Killing', `Container ${c.name} definition changed, will be restarted`, c);
      const graceS = pod.spec.terminationGracePeriodSeconds ?? 30;
      const plan = killPlan(sim, pod, run, c, t, graceS * 1000);
      if (!c.exit || plan.at < c.exit.at) c.exit = plan;
    } else if (c.state === 'waiting' && c.next && c.next.at > t && (c.next.what === 'restartCheck' || c.next.what === 'pull')) {
      c.next = { at: t, what: c.next.what };
    }
  }
}

/** mirrorKey names the static pod a mirror pod stands for ("node/config.mirror"), or undefined for another pod. */
export function mirrorKey(pod: Pod): string | undefined {
  const m = pod.metadata.annotations?.['kubernetes.io/config.mirror'];
  return m && pod.spec?.nodeName ? `${pod.spec.nodeName}/${m}` : undefined;
}

/** takeOverStatic gives a new mirror pod the run of its static pod, whose earlier mirror was deleted: same containers, same state. */
function takeOverStatic(st: KubeletState, pod: Pod): PodRun | undefined {
  const key = mirrorKey(pod);
  const kept = key ? st.statics?.[key] : undefined;
  if (!key || !kept) return undefined;
  delete st.statics![key];
  const { run, conditions } = kept;
  if (conditions) (pod.status ??= {} as Pod['status']).conditions = conditions.map((c) => ({ ...c }));
  run.uid = pod.metadata.uid!;
  run.key = `${pod.metadata.namespace}/${pod.metadata.name}`;
  // Its wake-ups were set for the old uid: the sync sets them again.
  run.wakes = [];
  run.dirty = true;
  st.pods[run.uid] = run;
  return run;
}

/** syncPod is one pass of the kubelet over one pod (see the file comment). */
export function syncPod(sim: Sim, key: string): void {
  const pod = sim.store.getByKey<Pod>('Pod', key);
  if (!pod?.spec?.nodeName) return;
  const rec = nodesState(sim).nodes[pod.spec.nodeName];
  if (!rec || rec.failedAt !== undefined) return; // no kubelet there, or it is down
  const st = kubeletState(sim);
  const now = sim.now();
  let run = st.pods[pod.metadata.uid!];
  if (!run) {
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
    run = takeOverStatic(st, pod) ?? admit(sim, st, pod, rec, now);
  }
  // Deleting a mirror pod does not stop its static pod (the kubelet removes the mirror and makes another).
  if (pod.metadata.deletionTimestamp && run.termAt === undefined && !mirrorKey(pod)) beginTermination(sim, pod, run, now);
  if (run.termAt === undefined) restartChangedContainers(sim, st, pod, run, now);
  processMounts(sim, pod, run, now);
  const sidecars = run.containers.some((c) => c.sidecar);
  if (sidecars) stopSidecars(sim, pod, run, now);
  for (let i = 0; i < MAX_EVENTS_PER_SYNC; i++) {
    const ev = nextEvent(sim, pod, run);
    if (!ev || ev.at > now) break;
    if (ev.kind === 'action') handleAction(sim, st, pod, run, ev.c, ev.at);
    else if (ev.kind === 'exit') handleExit(sim, pod, run, ev.c, ev.at);
    else handleProbe(sim, pod, run, ev.c, ev.probe, ev.at);
    if (sidecars) stopSidecars(sim, pod, run, ev.at);
    recomputeReady(run);
  }
  recomputeReady(run);
  const hostIP = nodeInternalIP(rec.index);
  if (run.termAt !== undefined && !run.containers.some((c) => c.state === 'running')) {
    // Every container has stopped: report the final status, then finish the deletion.
    applyStatus(pod, run, now, hostIP);
    sim.store.update(pod);
    sim.store.remove('Pod', pod.metadata.namespace, pod.metadata.name);
    return;
  }
  // A readiness gate's condition is set from outside (the status subresource): recompute Ready each sync.
  if (pod.spec.readinessGates?.length) run.dirty = true;
  if (run.dirty || now === run.sandboxAt) {
    run.dirty = false;
    const before = pod.status && rememberStatus(pod.status);
    applyStatus(pod, run, now, hostIP);
    // The status manager skips a write that changes nothing (isPodStatusByKubeletEqual): SIGTERM
    // alone leaves a running pod's status as it was (10,000 writes in a 10,000-pod rollout).
    if (!before || statusChanged(before, pod.status!)) sim.store.update(pod);
  }
  const next = nextEvent(sim, pod, run);
  const m = run.mounts;
  const mountAt = m ? (m.mounted ? (m.refreshAt ?? Infinity) : run.termAt === undefined ? (m.retryAt ?? Infinity) : Infinity) : Infinity;
  const wakeAt = Math.min(next?.at ?? Infinity, now < run.sandboxAt && run.sandboxAt !== MOUNT_PENDING ? run.sandboxAt : Infinity, mountAt);
  if (Number.isFinite(wakeAt) && !run.wakes.includes(wakeAt)) {
    run.wakes.push(wakeAt);
    sim.at(wakeAt, 'kubelet/wake', run.uid);
  }
}

/** onWake is the kubelet/wake timer: the pod has a runtime event due now. */
export function onWake(sim: Sim, uid: string): void {
  const run = kubeletState(sim).pods[uid];
  if (!run) return;
  const now = sim.now();
  run.wakes = run.wakes.filter((w) => w > now);
  sim.enqueue('kubelet', run.key);
}
