/**
 * scaledown.ts is the scale-down half of a loop (core/scaledown): a node of a group is unneeded when
 * the pods' requests use less than the threshold (50%) of its CPU and of its memory, and every pod
 * that must move has somewhere else to go. A node unneeded for scale-down-unneeded-time (10 min) is
 * drained (taint ToBeDeletedByClusterAutoscaler, evictions that respect PodDisruptionBudgets) and
 * removed; empty nodes go at once, up to 10 a loop, other nodes one at a time.
 *
 * What keeps a node (cluster-autoscaler FAQ, "What types of pods can prevent CA from removing a node?"):
 * pods not backed by a controller, kube-system pods without a PodDisruptionBudget, pods with local
 * storage (emptyDir, hostPath), pods annotated safe-to-evict: "false", pods whose PDB allows no
 * disruption, and pods that would fit nowhere else. DaemonSet and mirror pods are not moved, and
 * expendable pods (priority below -10) are simply deleted.
 */
import type { KubeObject, Node, Pod } from '../../api/types.ts';
import { controllerRef } from '../../api/podutil.ts';
import { compileSelector } from '../../api/selector.ts';
import type { NodeInfo } from '../../scheduler/framework/nodeinfo.ts';
import type { ClusterSnapshot } from './simulator.ts';
import { EXPENDABLE_PODS_PRIORITY_CUTOFF } from './types.ts';

export const SAFE_TO_EVICT = 'cluster-autoscaler.kubernetes.io/safe-to-evict';
export const SCALE_DOWN_DISABLED = 'cluster-autoscaler.kubernetes.io/scale-down-disabled';

/** utilization is the node's requests over allocatable, the larger of CPU and memory (utilization.Calculate). */
export function utilization(ni: NodeInfo): number {
  const cpu = ni.allocatable.milliCPU > 0 ? ni.requested.milliCPU / ni.allocatable.milliCPU : 0;
  const mem = ni.allocatable.memory > 0 ? ni.requested.memory / ni.allocatable.memory : 0;
  return Math.max(cpu, mem);
}

function isDaemonSetPod(p: Pod): boolean {
  return controllerRef(p)?.kind === 'DaemonSet';
}

function isMirrorPod(p: Pod): boolean {
  return !!p.metadata.annotations?.['kubernetes.io/config.mirror'];
}

export interface PdbLike extends KubeObject {
  spec: { selector?: any };
  status?: { disruptionsAllowed?: number };
}

/**
 * podsToMove is drain.GetPodsForDeletionOnNodeDrain: the pods that must be rescheduled for the node
 * to go, or the reason the node cannot be drained (upstream's wording: "pod is not backed by controller" …).
 */
export function podsToMove(pods: Pod[], pdbs: PdbLike[]): { pods: Pod[]; blocked?: string } {
  const out: Pod[] = [];
  const allowed = new Map<PdbLike, number>(pdbs.map((b) => [b, b.status?.disruptionsAllowed ?? 0]));
  for (const p of pods) {
    if (isMirrorPod(p) || isDaemonSetPod(p) || p.metadata.deletionTimestamp) continue;
    if ((p.spec.priority ?? 0) < EXPENDABLE_PODS_PRIORITY_CUTOFF) continue;
    const ann = p.metadata.annotations?.[SAFE_TO_EVICT];
    if (ann === 'false') return { pods: [], blocked: `pod annotated as not safe to evict present: ${p.metadata.name}` };
    const ns = p.metadata.namespace ?? 'default';
    const matching = pdbs.filter((b) => (b.metadata.namespace ?? 'default') === ns && compileSelector(b.spec?.selector ?? {})(p.metadata.labels ?? {}));
    if (ann !== 'true') {
      if (!controllerRef(p)) return { pods: [], blocked: `pod is not backed by controller: ${p.metadata.name}` };
      if (ns === 'kube-system' && matching.length === 0) return { pods: [], blocked: `non-daemonset, non-mirrored, non-pdb-assigned kube-system pod present: ${p.metadata.name}` };
      if ((p.spec.volumes ?? []).some((v: any) => v.emptyDir || v.hostPath)) return { pods: [], blocked: `pod with local storage present: ${p.metadata.name}` };
    }
    for (const b of matching) {
      const n = (allowed.get(b) ?? 0) - 1;
      allowed.set(b, n);
      if (n < 0) return { pods: [], blocked: `not enough pod disruption budget to move ${ns}/${p.metadata.name}` };
    }
    out.push(p);
  }
  return { pods: out };
}

/**
 * findPlaceFor simulates rescheduling: each pod (as if unbound) goes on the first other node where it
 * fits, packing as it goes, so two candidates never count on the same free room. False if one fits nowhere.
 */
export function findPlaceFor(snap: ClusterSnapshot, pods: Pod[], exclude: ReadonlySet<string>): boolean {
  for (const p of pods) {
    const unbound: Pod = { ...p, spec: { ...p.spec, nodeName: undefined } };
    if (!snap.place(unbound, exclude)) return false;
  }
  return true;
}

/** scaleDownDisabled: the node carries cluster-autoscaler.kubernetes.io/scale-down-disabled: "true". */
export function scaleDownDisabled(node: Node): boolean {
  return node.metadata.annotations?.[SCALE_DOWN_DISABLED] === 'true';
}
