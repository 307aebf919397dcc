import { isoTime as formatIso } from '../clock.ts';
import type { Condition, ContainerState, ContainerStatus, Container, Pod, PodStatus } from '../api/types.ts';
import { podQOSClass } from '../api/qos.ts';
import { hasKeys, semanticEqual } from '../api/equality.ts';
import { imageID, normalizeImage } from './images.ts';
import type { ContainerRun, PodRun, Terminated } from './runtime.ts';

/** isoTime memoizes clock.isoTime by whole second (a status write formats the same few instants many times). */
const isoMemo = new Map<number, string>();
function isoTime(ms: number): string {
  const sec = Math.floor(ms / 1000);
  let s = isoMemo.get(sec);
  if (s === undefined) {
    if (isoMemo.size > 4096) isoMemo.clear();
    s = formatIso(ms);
    isoMemo.set(sec, s);
  }
  return s;
}

/**
 * Pod status as the kubelet's generateAPIPodStatus builds it from the runtime record: phase
 * (getPhase), container statuses, the five conditions in kubectl's order and the QoS class.
 */

function terminatedState(t: Terminated): ContainerState {
  return {
    terminated: {
      exitCode: t.exitCode,
      reason: t.reason,
      ...(t.message ? { message: t.message } : {}),
      startedAt: isoTime(t.startedAt),
      finishedAt: isoTime(t.finishedAt),
      containerID: t.containerID,
    } as any,
  };
}

function containerStatus(c: ContainerRun, spec: Container | undefined): ContainerStatus {
  let state: ContainerState;
  if (c.state === 'running') state = { running: { startedAt: isoTime(c.startedAt!) } };
  else if (c.state === 'terminated' && c.term) state = terminatedState(c.term);
  else state = { waiting: c.message ? { reason: c.reason, message: c.message } : { reason: c.reason } };
  const st: ContainerStatus = {
    name: c.name,
    image: normalizeImage(c.image),
    imageID: c.containerID || c.last ? imageID(c.image) : '',
    // An init container (not a sidecar) is ready once it has completed: terminated with exit code 0.
    ready: c.init && !c.sidecar ? c.state === 'terminated' && c.term?.exitCode === 0 : c.ready,
    restartCount: c.restartCount,
    started: c.state === 'running' ? c.started : false,
    state,
    lastState: c.last ? terminatedState(c.last) : {},
  };
  if (c.containerID) st.containerID = c.containerID;
  if (spec?.resources && hasKeys(spec.resources)) (st as any).resources = spec.resources;
  return st;
}

/**
 * getPhase is kubelet's getPhase: Pending while initializing or while an app container has never
 * run; Running while any runs (or will restart); Succeeded/Failed once all have stopped for good.
 */
export function getPhase(run: PodRun, restartPolicy: string): PodStatus['phase'] {
  // Loops over the run's containers, not filtered copies: this runs on every status write.
  if (!run.initDone) {
    let failed = false;
    for (const c of run.containers) if (c.init && c.state === 'terminated' && c.term && c.term.exitCode !== 0 && !c.next) failed = true;
    return failed && restartPolicy === 'Never' ? 'Failed' : 'Pending';
  }
  let running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const c of run.containers) {
    if (c.init) continue;
    if (c.state === 'running') running++;
    else if (c.state === 'terminated') {
      stopped++;
      if (c.term?.exitCode === 0) succeeded++;
    } else if (c.last) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === 0) return 'Pending';
  if (restartPolicy === 'Always') return run.termAt !== undefined ? (succeeded === stopped ? 'Succeeded' : 'Failed') : 'Running';
  if (restartPolicy === 'OnFailure' && succeeded !== stopped && run.termAt === undefined) return 'Running';
  return succeeded === stopped ? 'Succeeded' : 'Failed';
}

const COND_ORDER = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

/** MKCOND_KEYS is the key order mkCond writes (reason and message only when set). */
const MKCOND_KEYS = ['type', 'status', 'lastProbeTime', 'lastTransitionTime', 'reason', 'message'];

/** sameAsMade: prev has exactly the keys, in the order, that mkCond would write for these values. */
function sameAsMade(prev: Condition, reason: string | undefined, message: string | undefined): boolean {
  let i = 0;
  for (const k in prev) {
    if (i === 4 && !reason) i++;
    if (i === 5 && !message) return false;
    if (k !== MKCOND_KEYS[i++]) return false;
  }
  return i === (message ? 6 : reason ? 5 : 4);
}

function mkCond(type: string, status: Condition['status'], prev: Condition | undefined, nowIso: string, reason?: string, message?: string): Condition {
  // A status write re-derives all five conditions and most are unchanged: handing back the same
  // object (same values, same keys in the same order) keeps a 10,000-pod rollout from turning
  // every write into five objects of old-generation garbage.
  if (
    prev &&
    prev.status === status &&
    prev.lastProbeTime === null &&
    prev.lastTransitionTime &&
    prev.reason === (reason || undefined) &&
    prev.message === (message || undefined) &&
    sameAsMade(prev, reason || undefined, message || undefined)
  ) {
    return prev;
  }
  const c: Condition = { type, status, lastProbeTime: null, lastTransitionTime: prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : nowIso };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/**
 * StatusBefore holds the fields of a pod status that applyStatus writes, as they were before it ran:
 * the status manager skips a write that changes none of them (isPodStatusByKubeletEqual). One record
 * is reused (a copy of the whole status per sync was ~70,000 objects in a 10,000-pod rollout).
 */
interface StatusBefore {
  phase: PodStatus['phase'];
  conditions: unknown;
  hostIP: unknown;
  hostIPs: unknown;
  startTime: unknown;
  containerStatuses: unknown;
  qosClass: unknown;
  initContainerStatuses: unknown;
  podIP: unknown;
  podIPs: unknown;
}

const before: StatusBefore = { phase: undefined, conditions: undefined, hostIP: undefined, hostIPs: undefined, startTime: undefined, containerStatuses: undefined, qosClass: undefined, initContainerStatuses: undefined, podIP: undefined, podIPs: undefined };

/** rememberStatus notes the fields applyStatus writes (in a record the next call reuses). */
export function rememberStatus(s: PodStatus): StatusBefore {
  const x = s as Record<string, unknown>;
  before.phase = s.phase;
  before.conditions = s.conditions;
  before.hostIP = s.hostIP;
  before.hostIPs = x.hostIPs;
  before.startTime = s.startTime;
  before.containerStatuses = s.containerStatuses;
  before.qosClass = s.qosClass;
  before.initContainerStatuses = s.initContainerStatuses;
  before.podIP = s.podIP;
  before.podIPs = s.podIPs;
  return before;
}

/** statusChanged: applyStatus changed one of the fields rememberStatus noted (semantically). */
export function statusChanged(b: StatusBefore, s: PodStatus): boolean {
  const x = s as Record<string, unknown>;
  return (
    b.phase !== s.phase ||
    !semanticEqual(b.conditions, s.conditions) ||
    b.hostIP !== s.hostIP ||
    !semanticEqual(b.hostIPs, x.hostIPs) ||
    b.startTime !== s.startTime ||
    !semanticEqual(b.containerStatuses, s.containerStatuses) ||
    b.qosClass !== s.qosClass ||
    !semanticEqual(b.initContainerStatuses, s.initContainerStatuses) ||
    b.podIP !== s.podIP ||
    !semanticEqual(b.podIPs, s.podIPs)
  );
}

/**
 * applyStatus rewrites pod.status from the runtime record, keeping lastTransitionTime where a status
 * did not change. It writes only the fields StatusBefore lists (a write skipped by statusChanged
 * would otherwise miss a change).
 */
export function applyStatus(pod: Pod, run: PodRun, now: number, hostIP: string): void {
  const nowIso = isoTime(now);
  const restartPolicy = pod.spec.restartPolicy ?? 'Always';
  const phase = getPhase(run, restartPolicy);
  const completed = phase === 'Succeeded' || phase === 'Failed';
  let unready = '';
  let incomplete = '';
  const initSpecs = pod.spec.initContainers ?? [];
  const appSpecs = pod.spec.containers ?? [];
  // Made at their length: an array grown from [] by push holds room for 17, and a pod keeps its
  // statuses for its whole life (5 such arrays per pod were ~11 MB of a 10,000-pod rollout's heap).
  let inits = 0;
  for (const c of run.containers) if (c.init) inits++;
  const containerStatuses: ContainerStatus[] = new Array(run.containers.length - inits);
  const initStatuses: ContainerStatus[] = new Array(inits);
  let ii = 0;
  let ai = 0;
  for (const c of run.containers) {
    if (c.init) {
      // A sidecar counts as initialized once Started; upstream lists it among the unready containers instead.
      if (c.sidecar ? !c.chained : !(c.state === 'terminated' && c.term?.exitCode === 0)) incomplete += incomplete ? ` ${c.name}` : c.name;
      if (c.sidecar && !c.ready) unready += unready ? ` ${c.name}` : c.name;
      initStatuses[ii] = containerStatus(c, initSpecs[ii]);
      ii++;
    } else {
      if (!c.ready) unready += unready ? ` ${c.name}` : c.name;
      containerStatuses[ai] = containerStatus(c, appSpecs[ai]);
      ai++;
    }
  }
  const old = pod.status?.conditions ?? [];
  let prevSandbox: Condition | undefined, prevInit: Condition | undefined, prevReady: Condition | undefined, prevCR: Condition | undefined, prevSched: Condition | undefined;
  for (const c of old) {
    if (c.type === 'PodReadyToStartContainers') prevSandbox = c;
    else if (c.type === 'Initialized') prevInit = c;
    else if (c.type === 'Ready') prevReady = c;
    else if (c.type === 'ContainersReady') prevCR = c;
    else if (c.type === 'PodScheduled') prevSched = c;
  }
  const readyStatus = !completed && !unready ? 'True' : 'False';
  const readyReason = completed ? 'PodCompleted' : unready ? 'ContainersNotReady' : undefined;
  const readyMessage = !completed && unready ? `containers with unready status: [${unready}]` : undefined;
  // GeneratePodReadyCondition: with its containers ready, a pod is Ready only when every readiness gate's
  // condition (set by another controller through the status subresource) is True.
  const gates = readyStatus === 'True' ? unreadyGates(pod, old) : [];
  const conditions: Condition[] = [
    mkCond('PodReadyToStartContainers', now >= run.sandboxAt && !completed ? 'True' : 'False', prevSandbox, nowIso),
    run.initDone || !incomplete
      ? mkCond('Initialized', 'True', prevInit, nowIso)
      : mkCond('Initialized', 'False', prevInit, nowIso, 'ContainersNotInitialized', `containers with incomplete status: [${incomplete}]`),
    gates.length
      ? mkCond('Ready', 'False', prevReady, nowIso, 'ReadinessGatesNotReady', gates.join(', '))
      : mkCond('Ready', readyStatus, prevReady, nowIso, readyReason, readyMessage),
    mkCond('ContainersReady', readyStatus, prevCR, nowIso, readyReason, readyMessage),
    prevSched ?? mkCond('PodScheduled', 'True', undefined, nowIso),
  ];
  for (const c of old) if (!COND_ORDER.includes(c.type)) conditions.push(c);
  const status = pod.status ?? (pod.status = {});
  status.phase = phase;
  // Most of a rollout's ~100,000 status writes change one container field and no condition: the
  // previous arrays (same items, same order) stay, so they do not become old-generation garbage.
  status.conditions = sameItems(status.conditions, conditions) ? status.conditions : conditions;
  status.hostIP = hostIP;
  (status as any).hostIPs = hostIPsOf((status as any).hostIPs, hostIP);
  status.startTime = isoTime(run.admittedAt);
  // Unchanged statuses keep their old arrays too (a write that only marks the sandbox ready): the
  // new ones die young, where the old would have become old-generation garbage (statusChanged's
  // semanticEqual then stops at the identity check).
  status.containerStatuses = semanticEqual(status.containerStatuses, containerStatuses) ? status.containerStatuses : containerStatuses;
  status.qosClass ??= podQOSClass(pod.spec);
  if (initStatuses.length) status.initContainerStatuses = semanticEqual(status.initContainerStatuses, initStatuses) ? status.initContainerStatuses : initStatuses;
  if (run.ip && now >= run.sandboxAt) {
    status.podIP = run.ip;
    status.podIPs = oneIP(status.podIPs, run.ip);
  }
}

/** unreadyGates lists, in upstream's words, the pod's readiness gates whose condition is missing or not True. */
function unreadyGates(pod: Pod, conditions: Condition[]): string[] {
  const out: string[] = [];
  for (const g of (pod.spec.readinessGates ?? []) as { conditionType: string }[]) {
    const c = conditions.find((x) => x.type === g.conditionType);
    if (!c) out.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
    else if (c.status !== 'True') out.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
  }
  return out;
}

/** sameItems: prev holds exactly next's items, in order. */
function sameItems<T>(prev: T[] | undefined, next: T[]): prev is T[] {
  if (!prev || prev.length !== next.length) return false;
  for (let i = 0; i < next.length; i++) if (prev[i] !== next[i]) return false;
  return true;
}

/**
 * hostIPsOf: a pod's status.hostIPs, one list shared by the pods of a node (10,000 pods kept 10,000 equal
 * lists); the pod's own list when it already says the same (a status is replaced, never edited in place).
 */
function hostIPsOf(prev: unknown, ip: string): { ip: string }[] {
  const cur = oneIP(prev, ip);
  if (cur !== prev) {
    let shared = HOST_IPS.get(ip);
    if (!shared) {
      if (HOST_IPS.size >= 4096) HOST_IPS.clear();
      HOST_IPS.set(ip, (shared = cur));
    }
    return shared;
  }
  return cur;
}

const HOST_IPS = new Map<string, { ip: string }[]>();

/** oneIP is [{ ip }]: prev itself when it already is exactly that (one item whose only key is ip). */
function oneIP(prev: unknown, ip: string): { ip: string }[] {
  if (Array.isArray(prev) && prev.length === 1) {
    const o = prev[0] as Record<string, unknown> | null;
    if (o !== null && typeof o === 'object' && o.ip === ip) {
      let keys = 0;
      for (const k in o) if (k !== 'ip' || ++keys > 1) return [{ ip }];
      if (keys === 1) return prev as { ip: string }[];
    }
  }
  return [{ ip }];
}
