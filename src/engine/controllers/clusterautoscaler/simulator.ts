/**
 * simulator.ts: the autoscaler's ClusterSnapshot (cluster-autoscaler/simulator): NodeInfos built
 * from the store, plus hypothetical nodes made from a group's template, on which the scheduler's own
 * Filter plugins decide whether a pod would fit. Scale-up and scale-down both ask it "if this node
 * existed (or were gone), where would the pods go?".
 */
import type { Sim } from '../../sim.ts';
import type { KubeObject, Node, Pod } from '../../api/types.ts';
import { buildNode } from '../../kubelet/node.ts';
import { NodeInfo, newPodInfo } from '../../scheduler/framework/nodeinfo.ts';
import { buildProfile, type Profile } from '../../scheduler/framework/registry.ts';
import type { Handle, Status } from '../../scheduler/framework/types.ts';
import { runFilters } from '../../scheduler/schedule_one.ts';
import { NODE_GROUP_LABEL, type NodeGroupSpec } from './types.ts';

/** isTerminalPod: Succeeded or Failed pods hold nothing. */
export function isTerminalPod(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

/** templateNode is the Node a new member of the group would register as (TemplateNodeInfo). */
export function templateNode(group: NodeGroupSpec, name = `template-node-for-${group.name}`): Node {
  const t = group.template;
  const capacity: Record<string, string> = {};
  if (t.cpu !== undefined) capacity.cpu = t.cpu;
  if (t.memory !== undefined) capacity.memory = t.memory;
  if (t.pods !== undefined) capacity.pods = t.pods;
  return buildNode({ name, capacity, labels: { ...(t.labels ?? {}), [NODE_GROUP_LABEL]: group.name }, taints: t.taints }, 0, '1970-01-01T00:00:00Z');
}

/**
 * templateNodeInfo is the group's TemplateNodeInfo: the template node with the DaemonSet pods that
 * would run on it (each DaemonSet whose pod passes the filters there), so a new node's free room is
 * not overestimated: a 2-CPU template with a 100m logging DaemonSet offers 1900m.
 */
export function templateNodeInfo(snap: ClusterSnapshot, daemonSets: KubeObject[], group: NodeGroupSpec, name?: string): NodeInfo {
  const ni = new NodeInfo(templateNode(group, name));
  for (const ds of daemonSets) {
    const tpl = (ds.spec as { template?: { metadata?: { labels?: Record<string, string> }; spec?: Pod['spec'] } } | undefined)?.template;
    if (!tpl?.spec) continue;
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `${ds.metadata.name}-${ni.name}`, namespace: ds.metadata.namespace, uid: `ds-${ds.metadata.uid}-${ni.name}`, labels: { ...(tpl.metadata?.labels ?? {}) } },
      spec: tpl.spec,
      status: { phase: 'Pending' },
    };
    if (!snap.fits(pod, ni)) ni.addPod(newPodInfo(pod));
  }
  return ni;
}

/** ClusterSnapshot holds one NodeInfo per node (bound, non-terminal pods) and runs the default filters. */
export class ClusterSnapshot implements Handle {
  readonly infos: NodeInfo[] = [];
  readonly byName = new Map<string, NodeInfo>();
  private readonly profile: Profile;
  private readonly sim: Sim;

  constructor(sim: Sim) {
    this.sim = sim;
    for (const n of sim.store.list<Node>('Node')) this.add(new NodeInfo(n));
    for (const p of sim.store.list<Pod>('Pod')) {
      if (!p.spec.nodeName || isTerminalPod(p)) continue;
      this.byName.get(p.spec.nodeName)?.addPod(newPodInfo(p));
    }
    this.profile = buildProfile(this);
  }

  add(ni: NodeInfo): NodeInfo {
    this.infos.push(ni);
    this.byName.set(ni.name, ni);
    return ni;
  }

  remove(name: string): void {
    const ni = this.byName.get(name);
    if (!ni) return;
    this.byName.delete(name);
    this.infos.splice(this.infos.indexOf(ni), 1);
  }

  /** fits runs PreFilter and Filter of the default profile for pod on node: null when it fits. */
  fits(pod: Pod, node: NodeInfo): Status | null {
    return runFilters(this.profile, pod, node);
  }

  /** place puts the pod on the first node (in order, skipping excluded ones) where it fits; returns that node. */
  place(pod: Pod, exclude?: ReadonlySet<string>): NodeInfo | undefined {
    for (const ni of this.infos) {
      if (exclude?.has(ni.name)) continue;
      if (!this.fits(pod, ni)) {
        ni.addPod(newPodInfo(pod));
        return ni;
      }
    }
    return undefined;
  }

  // Handle
  nodeInfos(): readonly NodeInfo[] {
    return this.infos;
  }
  namespaceLabels(ns: string): Record<string, string> | undefined {
    return this.sim.store.get('Namespace', undefined, ns)?.metadata.labels;
  }
  havePodsWithAffinity(): boolean {
    return this.infos.some((n) => n.podsWithAffinity > 0);
  }
  havePodsWithRequiredAntiAffinity(): boolean {
    return this.infos.some((n) => n.podsWithRequiredAntiAffinity > 0);
  }
  imageNumNodes(image: string): number {
    let n = 0;
    for (const ni of this.infos) if (ni.images.has(image)) n++;
    return n;
  }
}
