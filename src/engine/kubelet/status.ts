import { isoTime } from '../clock.ts';
import type { Condition, ContainerState, ContainerStatus, Container, Pod, PodStatus } from '../api/types.ts';
import { parseQuantity } from '../api/quantity.ts';
import { imageID, normalizeImage } from './images.ts';
import type { ContainerRun, PodRun, Terminated } from './runtime.ts';
import { appRuns, initRuns } from './runtime.ts';

/**
 * Pod status as the kubelet's generateAPIPodStatus builds it from the runtime record: phase
 * (getPhase), container statuses, the five conditions in kubectl's order and the QoS class.
 */

function terminatedState(t: Terminated): ContainerState {
  return {
    terminated: {
      exitCode: t.exitCode,
      reason: t.reason,
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
    ready: c.ready,
    restartCount: c.restartCount,
    started: c.state === 'running' ? c.started : false,
    state,
    lastState: c.last ? terminatedState(c.last) : {},
  };
  if (c.containerID) st.containerID = c.containerID;
  if (spec?.resources && Object.keys(spec.resources).length) (st as any).resources = spec.resources;
  return st;
}

/**
 * getPhase is kubelet's getPhase: Pending while initializing or while an app container has never
 * run; Running while any runs (or will restart); Succeeded/Failed once all have stopped for good.
 */
export function getPhase(run: PodRun, restartPolicy: string): PodStatus['phase'] {
  if (!run.initDone) {
    const failed = initRuns(run).some((c) => c.state === 'terminated' && c.term && c.term.exitCode !== 0 && !c.next);
    return failed && restartPolicy === 'Never' ? 'Failed' : 'Pending';
  }
  let running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const c of appRuns(run)) {
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

/** qosClass is GetPodQOS: Guaranteed, Burstable or BestEffort from requests and limits. */
export function qosClass(containers: Container[]): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      const l = parseQuantity(lim[r] as string);
      const q = parseQuantity((req[r] ?? lim[r]) as string);
      if (l === undefined || q !== l) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const COND_ORDER = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

/** applyStatus rewrites pod.status from the runtime record, keeping lastTransitionTime where a status did not change. */
export function applyStatus(pod: Pod, run: PodRun, now: number, hostIP: string): void {
  const nowIso = isoTime(now);
  const restartPolicy = pod.spec.restartPolicy ?? 'Always';
  const phase = getPhase(run, restartPolicy);
  const apps = appRuns(run);
  const inits = initRuns(run);
  const completed = phase === 'Succeeded' || phase === 'Failed';
  const unready = apps.filter((c) => !c.ready).map((c) => c.name);
  const incomplete = inits.filter((c) => !(c.state === 'terminated' && c.term?.exitCode === 0)).map((c) => c.name);
  const want: Record<string, Condition> = {
    PodReadyToStartContainers: { type: 'PodReadyToStartContainers', status: now >= run.sandboxAt && !completed ? 'True' : 'False' },
    Initialized: run.initDone || incomplete.length === 0
      ? { type: 'Initialized', status: 'True' }
      : { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: [${incomplete.join(' ')}]` },
    Ready: completed
      ? { type: 'Ready', status: 'False', reason: 'PodCompleted' }
      : unready.length === 0
        ? { type: 'Ready', status: 'True' }
        : { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` },
    ContainersReady: completed
      ? { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' }
      : unready.length === 0
        ? { type: 'ContainersReady', status: 'True' }
        : { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` },
  };
  const old = pod.status?.conditions ?? [];
  const byType = new Map(old.map((c) => [c.type, c]));
  const conditions: Condition[] = [];
  for (const type of COND_ORDER) {
    const prev = byType.get(type);
    const w = want[type] ?? prev ?? (type === 'PodScheduled' ? { type, status: 'True' as const } : undefined);
    if (!w) continue;
    const c: Condition = { type, status: w.status, lastProbeTime: null, lastTransitionTime: prev && prev.status === w.status ? prev.lastTransitionTime : nowIso };
    if (w.reason) c.reason = w.reason;
    if (w.message) c.message = w.message;
    conditions.push(c);
  }
  for (const c of old) if (!COND_ORDER.includes(c.type)) conditions.push(c);
  const specs = new Map<string, Container>();
  for (const c of pod.spec.initContainers ?? []) specs.set(`i/${c.name}`, c);
  for (const c of pod.spec.containers ?? []) specs.set(`a/${c.name}`, c);
  const status: PodStatus = {
    ...(pod.status ?? {}),
    phase,
    conditions,
    hostIP,
    hostIPs: [{ ip: hostIP }],
    startTime: isoTime(run.admittedAt),
    containerStatuses: apps.map((c) => containerStatus(c, specs.get(`a/${c.name}`))),
    qosClass: pod.status?.qosClass ?? qosClass([...(pod.spec.initContainers ?? []), ...pod.spec.containers]),
  } as PodStatus;
  if (inits.length) status.initContainerStatuses = inits.map((c) => containerStatus(c, specs.get(`i/${c.name}`)));
  if (run.ip && now >= run.sandboxAt) {
    status.podIP = run.ip;
    status.podIPs = [{ ip: run.ip }];
  }
  pod.status = status;
}
