import { EPOCH_MS } from '../clock.ts';
import type { Sim } from '../sim.ts';
import type { Container, Pod } from '../api/types.ts';
import { Backoff } from './backoff.ts';
import { goDuration } from './images.ts';
import { allocateIP, nodeInternalIP, nodesState, type NodeRecord } from './node.ts';
import { nextProbeWake, PROBE_KINDS, type ProbeKind } from './probes.ts';
import { kubeletState, SYNC_MS, type ContainerRun, type KubeletState, type PodRun } from './runtime.ts';
import { applyStatus, rememberStatus, statusChanged } from './status.ts';
import { runId, stopClaimWrites } from './claims.ts';
import { event, specOf } from './recorder.ts';
import { beginTermination, restartChangedContainers, stopSidecars } from './lifecycle.ts';
import { isApiVolume, mountAll, MOUNT_RETRY_INITIAL_MS, MOUNT_RETRY_MAX_MS, needsRefresh, refreshAll, SYNC_FREQUENCY_MS } from './volumes.ts';
import { releaseContainers, setWaiting, startNextInit } from './container.ts';
import { doPull, imagePulled, imagePullFailed } from './imagepull.ts';
import { handleProbe, probeWindow } from './prober.ts';

/**
 * The kubelet's pod worker (pkg/kubelet/kubelet.go SyncPod, kuberuntime_manager.go): one sync
 * per pod key processes, in time order, every runtime event due by now — sandbox ready, image
 * pull started/finished/failed, container start, probe results, exits, restarts after back-off,
 * graceful termination — then writes the pod status once and sets one timer for the next event.
 * The steps are beside it: imagepull.ts pulls, container.ts starts containers (and in what order),
 * prober.ts acts on probe results, lifecycle.ts kills, and containerenv.ts builds the environment.
 */

/** SANDBOX_MS: RunPodSandbox plus CNI setup before containers can be created. */
export const SANDBOX_MS = 500;
/** MOUNT_PENDING: sandboxAt while volumes are not mounted (the sandbox is made only after them). */
const MOUNT_PENDING = Number.MAX_SAFE_INTEGER;

const MAX_EVENTS_PER_SYNC = 100_000;

type Ev =
  | { at: number; c: ContainerRun; kind: 'action' }
  | { at: number; c: ContainerRun; kind: 'exit' }
  | { at: number; c: ContainerRun; kind: 'probe'; probe: ProbeKind };

function imageFullRef(pod: Pod): string {
  return `${pod.metadata.name}_${pod.metadata.namespace ?? 'default'}(${pod.metadata.uid})`;
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
  // Earlier versions matter only to a command line the shell runs (its log is read back, read by read).
  const shell = [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])].some((x) => x.command?.length || x.args?.length);
  refreshAll(sim.store, pod, m, now, shell);
  m.refreshAt += SYNC_FREQUENCY_MS * Math.max(1, Math.ceil((now - m.refreshAt + 1) / SYNC_FREQUENCY_MS));
}

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

function handleAction(sim: Sim, st: KubeletState, pod: Pod, run: PodRun, c: ContainerRun, t: number): void {
  const what = c.next!.what;
  c.next = undefined;
  if (run.termAt !== undefined) return; // a terminating pod starts nothing
  if (what === 'pull') return doPull(sim, st, pod, run, c, t);
  if (what === 'pulled') return imagePulled(sim, st, pod, run, c, t);
  if (what === 'pullFailed') return imagePullFailed(sim, st, pod, run, c, t);
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

function recomputeReady(run: PodRun): void {
  for (const c of run.containers) {
    const ready = c.state === 'running' && c.started && (c.probes.readiness ? c.probes.readiness.output : true) && (!c.init || !!c.sidecar);
    if (ready !== c.ready) {
      c.ready = ready;
      run.dirty = true;
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
