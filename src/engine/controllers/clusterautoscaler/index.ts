/**
 * The simulated cluster autoscaler (kubernetes/autoscaler cluster-autoscaler), off unless the
 * Scenario has spec.cluster.autoscaler. Every scan interval (10 s) one loop, as StaticAutoscaler.RunOnce:
 *  1. nodes asked for earlier join when their provision delay is over (a timer, not the loop);
 *  2. scale-up for unschedulable pods (scaleup.ts), events TriggeredScaleUp / NotTriggerScaleUp;
 *  3. drains in progress move on; nodes whose pods are gone are deleted;
 *  4. unneeded nodes are tracked, and, outside the cooldowns (10 min after a scale-up, 3 min after a
 *     failed scale-down), removed once unneeded for 10 min (scaledown.ts);
 *  5. the kube-system/cluster-autoscaler-status ConfigMap says what it is doing.
 * Each group's nodes are named <group>-1, <group>-2 … and labelled autoscaling.kubeplay.dev/node-group.
 */
import type { Sim } from '../../sim.ts';
import type { KubeObject, Node, Pod } from '../../api/types.ts';
import { isoTime } from '../../clock.ts';
import { addNode, podsOnNode, removeNode } from '../../kubelet/index.ts';
import { ClusterSnapshot, isTerminalPod, templateNodeInfo } from './simulator.ts';
import { groupSize, planScaleUp, unschedulablePods } from './scaleup.ts';
import { findPlaceFor, podsToMove, scaleDownDisabled, utilization, type PdbLike } from './scaledown.ts';
import { statusText } from './status.ts';
import {
  MAX_EMPTY_BULK_DELETE,
  MAX_POD_EVICTION_TIME_MS,
  NODE_GROUP_LABEL,
  TO_BE_DELETED_TAINT,
  type AutoscalerSpec,
  type AutoscalerState,
  type NodeGroupSpec,
} from './types.ts';

export * from './types.ts';

/** COMPONENT is the events' source component, as upstream's recorder names it. */
export const COMPONENT = 'cluster-autoscaler';
const MODULE = 'cluster-autoscaler';
const TIMER_LOOP = 'cluster-autoscaler/loop';
const TIMER_JOIN = 'cluster-autoscaler/join';
/** SCALE_DOWN_DELAY_AFTER_FAILURE_MS is --scale-down-delay-after-failure (3 min). */
export const SCALE_DOWN_DELAY_AFTER_FAILURE_MS = 3 * 60_000;
export const STATUS_CONFIGMAP = 'cluster-autoscaler-status';

interface EvictionLike {
  evict(ns: string | undefined, name: string, opts?: object): unknown;
}

/** autoscalerState is the module state, or undefined when the autoscaler is off. */
export function autoscalerState(sim: Sim): AutoscalerState | undefined {
  return sim.state[MODULE] as AutoscalerState | undefined;
}

/**
 * installClusterAutoscaler registers the timers, and with a spec turns the autoscaler on: nodes
 * already labelled with a group join it, each group is brought up to its min size, and the loop
 * starts. Call it after the scenario's nodes exist.
 */
export function installClusterAutoscaler(sim: Sim, spec?: AutoscalerSpec): void {
  sim.onTimer(TIMER_LOOP, () => runOnce(sim));
  sim.onTimer(TIMER_JOIN, (name) => join(sim, name));
  if (!spec || autoscalerState(sim)) return;
  const st = sim.moduleState<AutoscalerState>(MODULE, () => ({
    spec: structuredClone(spec),
    groups: {},
    provisioning: {},
    unneededSince: {},
    draining: {},
    lastScaleUp: -Infinity,
    lastScaleDownFailure: -Infinity,
  }));
  st.lastScaleUp = -1e15;
  st.lastScaleDownFailure = -1e15;
  for (const g of spec.nodeGroups) st.groups[g.name] = { nodes: [], next: 0 };
  for (const n of sim.store.list<Node>('Node')) {
    const g = n.metadata.labels?.[NODE_GROUP_LABEL];
    if (g && st.groups[g]) st.groups[g].nodes.push(n.metadata.name);
  }
  for (const g of spec.nodeGroups) {
    while (groupSize(st, g.name) < g.min) addNode(sim, nodeSpec(g, nextName(sim, st, g)));
  }
  if (!sim.store.get('ConfigMap', 'kube-system', STATUS_CONFIGMAP)) {
    sim.store.create<KubeObject>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: STATUS_CONFIGMAP, namespace: 'kube-system' }, data: {} } as KubeObject);
  }
  writeStatus(sim, st, new Set(), false);
  sim.after(spec.scanIntervalMs, TIMER_LOOP, 'loop');
}

function nodeSpec(g: NodeGroupSpec, name: string) {
  const t = g.template;
  const capacity: Record<string, string> = {};
  if (t.cpu !== undefined) capacity.cpu = t.cpu;
  if (t.memory !== undefined) capacity.memory = t.memory;
  if (t.pods !== undefined) capacity.pods = t.pods;
  return { name, capacity, labels: { ...(t.labels ?? {}), [NODE_GROUP_LABEL]: g.name }, taints: t.taints?.map((x) => ({ ...x })) };
}

/** nextName is the group's next free node name (<group>-<n>), recorded as a member. */
function nextName(sim: Sim, st: AutoscalerState, g: NodeGroupSpec): string {
  const grp = st.groups[g.name];
  let name: string;
  do name = `${g.name}-${++grp.next}`;
  while (sim.store.get('Node', undefined, name) || grp.nodes.includes(name));
  grp.nodes.push(name);
  return name;
}

function groupOf(st: AutoscalerState, name: string): NodeGroupSpec | undefined {
  for (const g of st.spec.nodeGroups) if (st.groups[g.name].nodes.includes(name)) return g;
  return undefined;
}

/** join registers a node whose provision delay is over (the cloud instance booted). */
function join(sim: Sim, name: string): void {
  const st = autoscalerState(sim);
  const prov = st?.provisioning[name];
  if (!st || !prov || prov.at > sim.now()) return;
  delete st.provisioning[name];
  const g = st.spec.nodeGroups.find((x) => x.name === prov.group);
  if (!g || sim.store.get('Node', undefined, name)) return;
  addNode(sim, nodeSpec(g, name));
}

function isReady(n: Node): boolean {
  return (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** runOnce is one loop (StaticAutoscaler.RunOnce). */
export function runOnce(sim: Sim): void {
  const st = autoscalerState(sim);
  if (!st) return;
  const now = sim.now();
  sim.after(st.spec.scanIntervalMs, TIMER_LOOP, 'loop');
  // Members removed by hand (kubeplay node remove) leave their group.
  for (const grp of Object.values(st.groups)) grp.nodes = grp.nodes.filter((n) => st.provisioning[n] || sim.store.get('Node', undefined, n));
  for (const n of Object.keys(st.unneededSince)) if (!sim.store.get('Node', undefined, n)) delete st.unneededSince[n];

  const snap = new ClusterSnapshot(sim);
  // Upcoming nodes count as capacity: pods that will fit there do not ask for more.
  const daemonSets = sim.store.list<KubeObject>('DaemonSet');
  for (const [name, p] of Object.entries(st.provisioning)) {
    const g = st.spec.nodeGroups.find((x) => x.name === p.group);
    if (g) snap.add(templateNodeInfo(snap, daemonSets, g, name));
  }

  let scaledUp = false;
  const pending = unschedulablePods(sim);
  if (pending.length) scaledUp = scaleUp(sim, st, snap, pending);

  progressDrains(sim, st);
  const unneeded = scaledUp ? new Set<string>() : updateUnneeded(sim, st, new ClusterSnapshot(sim));
  const cooldown = scaledUp || now - st.lastScaleUp < st.spec.scaleDownDelayAfterAddMs || now - st.lastScaleDownFailure < SCALE_DOWN_DELAY_AFTER_FAILURE_MS;
  if (st.spec.scaleDownEnabled && !cooldown) tryToScaleDown(sim, st, unneeded);
  writeStatus(sim, st, unneeded, scaledUp);
}

function scaleUp(sim: Sim, st: AutoscalerState, snap: ClusterSnapshot, pending: Pod[]): boolean {
  const plan = planScaleUp(sim, st, snap, pending);
  for (const n of plan.notTriggered) sim.recordEvent(n.pod, 'Normal', 'NotTriggerScaleUp', `pod didn't trigger scale-up: ${n.reasons}`, COMPONENT);
  const o = plan.option;
  if (!o) return false;
  const g = o.group;
  const cur = groupSize(st, g.name);
  const target = Math.min(g.max, cur + o.nodeCount);
  const at = sim.now() + g.provisionDelayMs;
  for (let i = cur; i < target; i++) {
    const name = nextName(sim, st, g);
    st.provisioning[name] = { group: g.name, at };
    sim.at(at, TIMER_JOIN, name);
  }
  st.lastScaleUp = sim.now();
  // ScaleUpInfo.String(): {<group> <current>-><new> (max: <max>)}.
  const msg = `pod triggered scale-up: [{${g.name} ${cur}->${target} (max: ${g.max})}]`;
  for (const p of o.pods) sim.recordEvent(p, 'Normal', 'TriggeredScaleUp', msg, COMPONENT);
  const cm = sim.store.get('ConfigMap', 'kube-system', STATUS_CONFIGMAP);
  if (cm) sim.recordEvent(cm, 'Normal', 'ScaledUpGroup', `Scale-up: setting group ${g.name} size to ${target} instead of ${cur} (max: ${g.max})`, COMPONENT);
  return true;
}

/** candidatesFor lists the group nodes that may be removed: registered, Ready, not draining, not disabled. */
function candidateNodes(sim: Sim, st: AutoscalerState): Node[] {
  const out: Node[] = [];
  for (const g of st.spec.nodeGroups) {
    for (const name of st.groups[g.name].nodes) {
      if (st.provisioning[name] || st.draining[name]) continue;
      const n = sim.store.get<Node>('Node', undefined, name);
      if (n && isReady(n) && !n.spec?.unschedulable && !scaleDownDisabled(n)) out.push(n);
    }
  }
  return out;
}

/** updateUnneeded is UpdateUnneededNodes: which nodes could go now, and since when. */
function updateUnneeded(sim: Sim, st: AutoscalerState, snap: ClusterSnapshot): Set<string> {
  const pdbs = sim.store.list<PdbLike>('PodDisruptionBudget');
  const gone = new Set<string>(Object.keys(st.draining));
  const unneeded = new Set<string>();
  for (const node of candidateNodes(sim, st)) {
    const name = node.metadata.name;
    const ni = snap.byName.get(name);
    let ok = !!ni && utilization(ni) < st.spec.scaleDownUtilizationThreshold;
    if (ok) {
      const r = podsToMove([...ni!.pods.values()].map((pi) => pi.pod), pdbs);
      ok = !r.blocked && findPlaceFor(snap, r.pods, new Set([...gone, name]));
    }
    if (!ok) {
      delete st.unneededSince[name];
      continue;
    }
    gone.add(name);
    unneeded.add(name);
    st.unneededSince[name] ??= sim.now();
  }
  for (const n of Object.keys(st.unneededSince)) if (!unneeded.has(n)) delete st.unneededSince[n];
  return unneeded;
}

/** tryToScaleDown removes the nodes unneeded for long enough: empty ones in bulk (10), then one other, never below min. */
function tryToScaleDown(sim: Sim, st: AutoscalerState, unneeded: Set<string>): void {
  const now = sim.now();
  const removing: Record<string, number> = {};
  for (const n of Object.keys(st.draining)) {
    const g = groupOf(st, n);
    if (g) removing[g.name] = (removing[g.name] ?? 0) + 1;
  }
  const canRemove = (g: NodeGroupSpec) => groupSize(st, g.name) - (removing[g.name] ?? 0) > g.min;
  let empties = 0;
  let nonEmptyStarted = Object.values(st.draining).some((d) => !d.empty);
  for (const name of unneeded) {
    if (now - st.unneededSince[name] < st.spec.scaleDownUnneededTimeMs) continue;
    const g = groupOf(st, name);
    if (!g || !canRemove(g)) continue;
    const pods = podsOnNode(sim, name).filter((p) => !isTerminalPod(p));
    const toMove = podsToMove(pods, []).pods;
    const empty = toMove.length === 0;
    if (empty ? empties >= MAX_EMPTY_BULK_DELETE : nonEmptyStarted) continue;
    if (empty) empties++;
    else nonEmptyStarted = true;
    removing[g.name] = (removing[g.name] ?? 0) + 1;
    startDrain(sim, st, name, empty, pods);
  }
}

/** startDrain taints the node ToBeDeletedByClusterAutoscaler and evicts its pods (DaemonSet and mirror pods stay). */
function startDrain(sim: Sim, st: AutoscalerState, name: string, empty: boolean, pods: Pod[]): void {
  const node = sim.store.get<Node>('Node', undefined, name)!;
  node.spec ??= {};
  node.spec.taints = [...(node.spec.taints ?? []), { key: TO_BE_DELETED_TAINT, value: String(Math.floor(sim.now() / 1000)), effect: 'NoSchedule' }];
  sim.store.update(node);
  sim.recordEvent(node, 'Normal', 'ScaleDown', 'marked the node as toBeDeleted/unschedulable', COMPONENT);
  const cm = sim.store.get('ConfigMap', 'kube-system', STATUS_CONFIGMAP);
  const moving = pods.filter((p) => !p.metadata.deletionTimestamp && !isDaemonOrMirror(p));
  if (cm) {
    if (empty) sim.recordEvent(cm, 'Normal', 'ScaleDownEmpty', `Scale-down: removing empty node "${name}"`, COMPONENT);
    else sim.recordEvent(cm, 'Normal', 'ScaleDown', `Scale-down: removing node ${name}, pods to reschedule: ${moving.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(',')}`, COMPONENT);
  }
  st.draining[name] = { startedAt: sim.now(), empty };
  delete st.unneededSince[name];
  evictAll(sim, moving);
  progressDrain(sim, st, name);
}

function isDaemonOrMirror(p: Pod): boolean {
  return p.metadata.ownerReferences?.some((r) => r.controller && r.kind === 'DaemonSet') || !!p.metadata.annotations?.['kubernetes.io/config.mirror'];
}

/** evictAll evicts through the eviction API (PodDisruptionBudgets apply); a refused eviction is retried next loop. */
function evictAll(sim: Sim, pods: Pod[]): number {
  const ev = sim.services.get('eviction') as EvictionLike | undefined;
  let refused = 0;
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) continue;
    try {
      if (ev) ev.evict(p.metadata.namespace, p.metadata.name);
      else sim.store.remove('Pod', p.metadata.namespace, p.metadata.name);
      sim.recordEvent(p, 'Normal', 'ScaleDown', 'deleting pod for node scale down', COMPONENT);
    } catch {
      refused++;
    }
  }
  return refused;
}

function progressDrains(sim: Sim, st: AutoscalerState): void {
  for (const name of Object.keys(st.draining)) progressDrain(sim, st, name);
}

/** progressDrain deletes the node once its pods are gone, retries refused evictions, and gives up after 2 minutes. */
function progressDrain(sim: Sim, st: AutoscalerState, name: string): void {
  const d = st.draining[name];
  const node = sim.store.get<Node>('Node', undefined, name);
  if (!node) {
    delete st.draining[name];
    return;
  }
  const left = podsOnNode(sim, name).filter((p) => !isTerminalPod(p) && !isDaemonOrMirror(p));
  if (left.length === 0) {
    delete st.draining[name];
    const g = groupOf(st, name);
    if (g) st.groups[g.name].nodes = st.groups[g.name].nodes.filter((n) => n !== name);
    removeNode(sim, name);
    return;
  }
  const refused = evictAll(sim, left);
  if (refused > 0 && sim.now() - d.startedAt >= MAX_POD_EVICTION_TIME_MS) {
    // Abort: the node stays, schedulable again; scale-down waits 3 minutes (--scale-down-delay-after-failure).
    node.spec.taints = (node.spec.taints ?? []).filter((t) => t.key !== TO_BE_DELETED_TAINT);
    sim.store.update(node);
    sim.recordEvent(node, 'Warning', 'ScaleDownFailed', 'failed to drain the node, aborting ScaleDown', COMPONENT);
    delete st.draining[name];
    st.lastScaleDownFailure = sim.now();
  }
}

/** writeStatus updates kube-system/cluster-autoscaler-status when what it says changed. */
function writeStatus(sim: Sim, st: AutoscalerState, unneeded: Set<string>, scaledUp: boolean): void {
  const cm = sim.store.get<KubeObject>('ConfigMap', 'kube-system', STATUS_CONFIGMAP);
  if (!cm) return;
  const body = statusText(sim, st, unneeded, scaledUp);
  if (body === st.status) return;
  st.status = body;
  cm.data = { status: `time: ${isoTime(sim.now())}\n${body}` };
  sim.store.update(cm);
}
