import { humanDuration, parseIsoTime } from '../clock.ts';
import type { Container, ContainerStatus, Pod } from '../api/types.ts';

export interface PodColumns {
  ready: string;
  status: string;
  restarts: string;
}

/** NODE_UNREACHABLE_POD_REASON is node.NodeUnreachablePodReason, set by the node lifecycle controller. */
export const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

function isRestartable(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

function conditionTrue(pod: Pod, type: string): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/**
 * podColumns computes READY, STATUS and RESTARTS as kubectl's printPod
 * (kubernetes pkg/printers/internalversion/printers.go) does:
 * STATUS starts as status.reason or the phase; the first init container that is not done decides while
 * initializing (Init:<reason>, Init:ExitCode:<n>, Init:<i>/<n>); then app containers are scanned from last to
 * first so the first container's waiting/terminated reason wins; Completed with a running container becomes
 * Running (Ready=True) or NotReady; deletion shows Terminating (Unknown when the node was lost).
 * RESTARTS gets " (<age> ago)" from the latest lastState.terminated.finishedAt.
 * Statuses whose container is not in the spec are ignored.
 */
export function podColumns(pod: Pod, nowMs: number): PodColumns {
  const spec = pod.spec ?? { containers: [] };
  const status = pod.status ?? {};
  const appNames = new Set((spec.containers ?? []).map((c) => c.name));
  const initByName = new Map((spec.initContainers ?? []).map((c) => [c.name, c]));
  let totalContainers = (spec.containers ?? []).length;
  for (const c of spec.initContainers ?? []) if (isRestartable(c)) totalContainers++;

  let restarts = 0;
  let sidecarRestarts = 0;
  let readyContainers = 0;
  let lastRestart = -Infinity;
  let lastSidecarRestart = -Infinity;
  const phase = status.phase ?? '';
  let reason: string = status.reason || phase;
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const finishedAt = (cs: ContainerStatus) => {
    const f = cs.lastState?.terminated?.finishedAt;
    return f ? parseIsoTime(f) : -Infinity;
  };

  const initStatuses = (status.initContainerStatuses ?? []).filter((cs) => initByName.has(cs.name));
  const initCount = (spec.initContainers ?? []).length;
  let initializing = false;
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    const def = initByName.get(cs.name);
    restarts += cs.restartCount ?? 0;
    lastRestart = Math.max(lastRestart, finishedAt(cs));
    if (isRestartable(def)) {
      sidecarRestarts += cs.restartCount ?? 0;
      lastSidecarRestart = Math.max(lastSidecarRestart, finishedAt(cs));
    }
    const term = cs.state?.terminated;
    if (term && (term.exitCode ?? 0) === 0) continue; // Go zero value: a missing exitCode is 0
    if (isRestartable(def) && cs.started) {
      if (cs.ready) readyContainers++;
      continue;
    }
    if (term) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode ?? 0}`;
      else reason = `Init:${term.reason}`;
    } else if (cs.state?.waiting?.reason && cs.state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${cs.state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${initCount}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = (status.containerStatuses ?? []).filter((cs) => appNames.has(cs.name));
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += cs.restartCount ?? 0;
      lastRestart = Math.max(lastRestart, finishedAt(cs));
      const st = cs.state ?? {};
      if (st.waiting?.reason) reason = st.waiting.reason;
      else if (st.terminated?.reason) reason = st.terminated.reason;
      else if (st.terminated) reason = st.terminated.signal ? `Signal:${st.terminated.signal}` : `ExitCode:${st.terminated.exitCode ?? 0}`;
      else if (cs.ready && st.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata.deletionTimestamp && status.reason === NODE_UNREACHABLE_POD_REASON) reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestart > -Infinity) restartsStr = `${restarts} (${humanDuration(nowMs - lastRestart)} ago)`;
  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartsStr };
}
