import type { Sim } from '../sim.ts';
import type { Condition, Node, Pod, Taint, Toleration } from '../api/types.ts';
import { isoTime, parseIsoTime } from '../clock.ts';
import { lastHeartbeat, nodesState } from '../kubelet/node.ts';

/**
 * The node lifecycle controller (pkg/controller/nodelifecycle) and the taint eviction controller
 * (pkg/controller/tainteviction). Every node-monitor-period (5 s) the controller checks when each
 * node last renewed its lease; after node-monitor-grace-period without one (50 s since 1.32, it
 * was 40 s) it marks the node's conditions Unknown, taints it node.kubernetes.io/unreachable
 * (NoSchedule and NoExecute) and marks its pods not ready. Pods are then evicted when their
 * toleration of the NoExecute taint runs out: the API server gives every pod 300 s
 * (DefaultTolerationSeconds), so a failed node's pods are deleted about 5 m 50 s after the
 * kubelet's last heartbeat — and stay Terminating until the kubelet comes back or the node goes.
 */
export const NODE_MONITOR_PERIOD_MS = 5_000;
export const NODE_MONITOR_GRACE_MS = 50_000;
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
const COMPONENT = 'node-controller';
const EVICTION_COMPONENT = 'taint-eviction-controller';

export function installNodeLifecycleController(sim: Sim): void {
  sim.addController({ name: 'nodelifecycle', sync: (name) => syncNode(sim, name) });
  sim.onTimer('nodelifecycle/monitor', (name) => sim.enqueue('nodelifecycle', name));
  sim.onTimer('nodelifecycle/evict', (key) => evictPod(sim, key));
}

/** notReadyAt: the first monitor tick at which the node's last heartbeat is older than the grace period. */
export function notReadyAt(lastHeartbeatMs: number): number {
  const deadline = lastHeartbeatMs + NODE_MONITOR_GRACE_MS;
  // nc.now().After(probeTimestamp + grace): strictly later, on the 5 s monitor grid.
  return (Math.floor(deadline / NODE_MONITOR_PERIOD_MS) + 1) * NODE_MONITOR_PERIOD_MS;
}

function podsOn(sim: Sim, node: string): Pod[] {
  return sim.store.byIndex<Pod>('Pod', 'node', node);
}

function syncNode(sim: Sim, name: string): void {
  const node = sim.store.get<Node>('Node', undefined, name);
  const rec = nodesState(sim).nodes[name];
  if (!node || !rec) return;
  const now = sim.now();
  if (rec.failedAt === undefined) {
    // Healthy again: lift the unreachable taints (the kubelet already posted Ready).
    const taints = node.spec.taints ?? [];
    const kept = taints.filter((t) => t.key !== TAINT_UNREACHABLE && t.key !== TAINT_NOT_READY);
    if (kept.length !== taints.length) {
      if (kept.length) node.spec.taints = kept;
      else delete node.spec.taints;
      sim.store.update(node);
    }
    return;
  }
  const ready = node.status.conditions.find((c) => c.type === 'Ready');
  if (ready?.status === 'Unknown') return;
  const hb = lastHeartbeat(sim, name)!;
  const at = notReadyAt(hb);
  if (now < at) {
    sim.at(at, 'nodelifecycle/monitor', name);
    return;
  }
  markNodeUnknown(node, hb, now);
  sim.store.update(node);
  sim.recordEvent(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`, COMPONENT);
  for (const pod of podsOn(sim, name)) markPodNotReady(sim, pod, now);
  const taint = node.spec.taints!.find((t) => t.key === TAINT_UNREACHABLE && t.effect === 'NoExecute')!;
  for (const pod of podsOn(sim, name)) scheduleEviction(sim, pod, taint, now);
}

/** markNodeUnknown is tryUpdateNodeHealth's "Kubelet stopped posting node status." plus the unreachable taints. */
function markNodeUnknown(node: Node, heartbeat: number, now: number): void {
  const nowIso = isoTime(now);
  for (const c of node.status.conditions) {
    if (!['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'].includes(c.type)) continue;
    c.status = 'Unknown';
    c.reason = 'NodeStatusUnknown';
    c.message = 'Kubelet stopped posting node status.';
    c.lastHeartbeatTime = isoTime(heartbeat);
    c.lastTransitionTime = nowIso;
  }
  const taints = (node.spec.taints ?? []).filter((t) => t.key !== TAINT_UNREACHABLE && t.key !== TAINT_NOT_READY);
  taints.push({ key: TAINT_UNREACHABLE, effect: 'NoSchedule' }, { key: TAINT_UNREACHABLE, effect: 'NoExecute', timeAdded: nowIso });
  node.spec.taints = taints;
}

/** markPodNotReady is MarkPodsNotReady: the Ready condition goes False, with a NodeNotReady event. */
function markPodNotReady(sim: Sim, pod: Pod, now: number): void {
  const conds: Condition[] = pod.status?.conditions ?? [];
  const ready = conds.find((c) => c.type === 'Ready');
  if (!ready || ready.status === 'False') return;
  ready.status = 'False';
  ready.lastTransitionTime = isoTime(now);
  delete ready.reason;
  delete ready.message;
  sim.store.update(pod);
  sim.recordEvent(pod, 'Warning', 'NodeNotReady', 'Node is not ready', COMPONENT);
}

/**
 * minTolerationSeconds is getMinTolerationTime over the tolerations that tolerate the taint:
 * undefined = not tolerated (evict now), Infinity = tolerated forever.
 */
export function minTolerationSeconds(tolerations: Toleration[] | undefined, taint: Taint): number | undefined {
  let min: number | undefined;
  for (const t of tolerations ?? []) {
    if (t.effect && t.effect !== taint.effect) continue;
    const op = t.operator ?? 'Equal';
    if (op === 'Exists' ? t.key && t.key !== taint.key : t.key !== taint.key || (t.value ?? '') !== (taint.value ?? '')) continue;
    const s = t.tolerationSeconds === undefined || t.tolerationSeconds === null ? Infinity : Math.max(0, t.tolerationSeconds);
    min = min === undefined ? s : Math.min(min, s);
  }
  return min;
}

function scheduleEviction(sim: Sim, pod: Pod, taint: Taint, now: number): void {
  if (pod.metadata.deletionTimestamp) return;
  const secs = minTolerationSeconds(pod.spec.tolerations, taint);
  if (secs === Infinity) return;
  const added = parseIsoTime(taint.timeAdded!);
  const at = secs === undefined ? now : Math.max(now, added + secs * 1000);
  sim.at(at, 'nodelifecycle/evict', `${pod.spec.nodeName}|${pod.metadata.namespace}/${pod.metadata.name}|${pod.metadata.uid}|${taint.timeAdded}`);
}

/** evictPod is the taint eviction controller deleting a pod whose toleration ran out. */
function evictPod(sim: Sim, key: string): void {
  const [nodeName, podKey, uid, timeAdded] = key.split('|');
  const pod = sim.store.getByKey<Pod>('Pod', podKey);
  const node = sim.store.get<Node>('Node', undefined, nodeName);
  if (!pod || pod.metadata.uid !== uid || pod.metadata.deletionTimestamp || !node) return;
  const taint = node.spec.taints?.find((t) => t.key === TAINT_UNREACHABLE && t.effect === 'NoExecute');
  if (!taint || taint.timeAdded !== timeAdded) return;
  taintEvict(sim, pod);
}

/** taintEvict is the taint eviction controller's deletion of a pod: the event, the DisruptionTarget condition, then delete. */
export function taintEvict(sim: Sim, pod: Pod): void {
  const ns = pod.metadata.namespace ?? 'default';
  sim.recordEvent(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${ns}/${pod.metadata.name}`, EVICTION_COMPONENT);
  const conds = (pod.status.conditions ??= []);
  if (!conds.some((c) => c.type === 'DisruptionTarget')) {
    conds.push({ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: sim.nowIso(), lastProbeTime: null });
    sim.store.update(pod);
  }
  deletePod(sim, pod);
}

/** deletePod deletes through the API server (graceful), or marks the pod itself when no API server is installed. */
export function deletePod(sim: Sim, pod: Pod): void {
  const api = sim.services.get('api') as { delete?: (kind: string, ns: string | undefined, name: string) => unknown } | undefined;
  if (api?.delete) {
    api.delete('Pod', pod.metadata.namespace, pod.metadata.name);
    return;
  }
  const grace = pod.spec.terminationGracePeriodSeconds ?? 30;
  pod.metadata.deletionGracePeriodSeconds = grace;
  pod.metadata.deletionTimestamp = isoTime(sim.now() + grace * 1000);
  sim.store.update(pod);
}
