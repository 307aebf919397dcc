/**
 * scaleup.ts is the scale-up half of a loop (core/scaleup/orchestrator): the unschedulable pods that
 * would not fit on an existing or upcoming node are binpacked onto template nodes of every group
 * that has room to grow; the expander picks one option and the group's target size goes up. Pods
 * the chosen option helps get TriggeredScaleUp; pods no group could help get NotTriggerScaleUp with
 * each group's reason counted ("1 max node group size reached, 1 Insufficient cpu").
 */
import type { Sim } from '../../sim.ts';
import type { Pod } from '../../api/types.ts';
import { getCondition } from '../../api/podutil.ts';
import { NodeInfo, newPodInfo } from '../../scheduler/framework/nodeinfo.ts';
import { ClusterSnapshot, isTerminalPod, templateNodeInfo } from './simulator.ts';
import type { KubeObject } from '../../api/types.ts';
import { EXPENDABLE_PODS_PRIORITY_CUTOFF, type AutoscalerState, type Expander, type NodeGroupSpec } from './types.ts';

/** ScaleUpOption is one group's answer: how many nodes it needs for which pods. */
export interface ScaleUpOption {
  group: NodeGroupSpec;
  nodeCount: number;
  pods: Pod[];
  /** nodes are the estimated new nodes with the pods packed on them (for least-waste). */
  nodes: NodeInfo[];
}

/** groupSize is the group's target size: registered members plus those still provisioning. */
export function groupSize(st: AutoscalerState, group: string): number {
  return st.groups[group]?.nodes.length ?? 0;
}

/**
 * unschedulablePods lists the pods the scheduler gave up on (PodScheduled=False, Unschedulable),
 * without the expendable ones (priority below -10) and those waiting for a preemption to finish
 * (status.nominatedNodeName: they will fit once their victims go), and DaemonSet pods.
 */
export function unschedulablePods(sim: Sim): Pod[] {
  const out: Pod[] = [];
  for (const p of sim.store.list<Pod>('Pod')) {
    if (p.spec.nodeName || p.metadata.deletionTimestamp || isTerminalPod(p)) continue;
    if (p.spec.schedulerName && p.spec.schedulerName !== 'default-scheduler') continue;
    const c = getCondition(p.status?.conditions, 'PodScheduled');
    if (!c || c.status !== 'False' || c.reason !== 'Unschedulable') continue;
    if ((p.spec.priority ?? 0) < EXPENDABLE_PODS_PRIORITY_CUTOFF) continue;
    if (p.status?.nominatedNodeName) continue;
    // DaemonSet pods are pinned to their node: a new node cannot help them.
    if (p.metadata.ownerReferences?.some((r) => r.controller && r.kind === 'DaemonSet')) continue;
    out.push(p);
  }
  return out;
}

/**
 * estimate is the BinpackingNodeEstimator: first-fit the pods onto as few template nodes as
 * possible, never more than `limit` new nodes. Returns the nodes with their pods.
 */
export function estimate(snap: ClusterSnapshot, daemonSets: KubeObject[], group: NodeGroupSpec, pods: Pod[], limit: number, firstIndex: number): NodeInfo[] {
  const nodes: NodeInfo[] = [];
  for (const pod of pods) {
    let placed = false;
    for (const ni of nodes) {
      if (!snap.fits(pod, ni)) {
        ni.addPod(newPodInfo(pod));
        placed = true;
        break;
      }
    }
    if (placed || nodes.length >= limit) continue;
    const ni = templateNodeInfo(snap, daemonSets, group, `${group.name}-template-${firstIndex + nodes.length}`);
    if (snap.fits(pod, ni)) continue;
    ni.addPod(newPodInfo(pod));
    nodes.push(ni);
  }
  return nodes;
}

/**
 * wasteScore is the least-waste expander's score: the fraction of the new nodes' CPU left unrequested
 * plus the fraction of their memory (lower is better). Two 2-CPU nodes for 3 CPU of pods waste 0.25 CPU.
 */
export function wasteScore(o: ScaleUpOption): number {
  let cpuAlloc = 0;
  let memAlloc = 0;
  let cpuReq = 0;
  let memReq = 0;
  for (const ni of o.nodes) {
    cpuAlloc += ni.allocatable.milliCPU;
    memAlloc += ni.allocatable.memory;
    cpuReq += ni.requested.milliCPU;
    memReq += ni.requested.memory;
  }
  const cpuWaste = cpuAlloc > 0 ? (cpuAlloc - cpuReq) / cpuAlloc : 0;
  const memWaste = memAlloc > 0 ? (memAlloc - memReq) / memAlloc : 0;
  return cpuWaste + memWaste;
}

/** bestOption is the expander: random (upstream's default, from the seeded PRNG), least-waste or most-pods; ties go to random. */
export function bestOption(options: ScaleUpOption[], expander: Expander, pick: (n: number) => number): ScaleUpOption | undefined {
  if (options.length === 0) return undefined;
  let pool = options;
  if (expander === 'least-waste' || expander === 'most-pods') {
    const score = expander === 'least-waste' ? (o: ScaleUpOption) => -wasteScore(o) : (o: ScaleUpOption) => o.pods.length;
    let best = -Infinity;
    pool = [];
    for (const o of options) {
      const s = score(o);
      if (s > best + 1e-12) {
        best = s;
        pool = [o];
      } else if (Math.abs(s - best) <= 1e-12) pool.push(o);
    }
  }
  return pool.length === 1 ? pool[0] : pool[pick(pool.length)];
}

export interface ScaleUpPlan {
  option?: ScaleUpOption;
  /** notTriggered: pods no group could help, with the reasons per group counted. */
  notTriggered: { pod: Pod; reasons: string }[];
}

/**
 * planScaleUp decides one scale-up from the unschedulable pods: drop the pods that fit on existing
 * or upcoming nodes, try each group's template, and let the expander choose.
 */
export function planScaleUp(sim: Sim, st: AutoscalerState, snap: ClusterSnapshot, pending: Pod[]): ScaleUpPlan {
  // Pods waiting for their preemption victims to go are counted on their nominated node first.
  for (const p of sim.store.list<Pod>('Pod')) {
    const nom = p.status?.nominatedNodeName;
    if (!nom || p.spec.nodeName || p.metadata.deletionTimestamp || isTerminalPod(p)) continue;
    snap.byName.get(nom)?.addPod(newPodInfo(p));
  }
  // filterOutSchedulable: pods that fit somewhere already (or on a node that is coming) trigger nothing.
  const remaining: Pod[] = [];
  for (const p of pending) if (!snap.place(p)) remaining.push(p);
  if (remaining.length === 0) return { notTriggered: [] };

  const daemonSets = sim.store.list<KubeObject>('DaemonSet');
  const options: ScaleUpOption[] = [];
  const rejections = new Map<Pod, Map<string, number>>();
  const reject = (pod: Pod, reason: string) => {
    let m = rejections.get(pod);
    if (!m) rejections.set(pod, (m = new Map()));
    m.set(reason, (m.get(reason) ?? 0) + 1);
  };
  for (const group of st.spec.nodeGroups) {
    const size = groupSize(st, group.name);
    if (size >= group.max) {
      for (const p of remaining) reject(p, 'max node group size reached');
      continue;
    }
    const empty = templateNodeInfo(snap, daemonSets, group);
    const fitting: Pod[] = [];
    for (const p of remaining) {
      const s = snap.fits(p, empty);
      if (s) reject(p, s.reasons.join(', '));
      else fitting.push(p);
    }
    if (fitting.length === 0) continue;
    const nodes = estimate(snap, daemonSets, group, fitting, group.max - size, size + 1);
    if (nodes.length === 0) continue;
    const helped = new Set<Pod>();
    for (const ni of nodes) for (const pi of ni.pods.values()) helped.add(pi.pod);
    options.push({ group, nodeCount: nodes.length, pods: fitting.filter((p) => helped.has(p)), nodes });
  }
  const option = bestOption(options, st.spec.expander, (n) => sim.rng.int(n));
  const helpedAny = new Set<Pod>();
  for (const o of options) for (const p of o.pods) helpedAny.add(p);
  const notTriggered: ScaleUpPlan['notTriggered'] = [];
  for (const p of remaining) {
    if (helpedAny.has(p)) continue;
    const m = rejections.get(p) ?? new Map<string, number>();
    const parts = [...m].map(([r, n]) => `${n} ${r}`).sort();
    notTriggered.push({ pod: p, reasons: parts.join(', ') });
  }
  return { option, notTriggered };
}
