/**
 * target.ts: which workload the Rollout tab shows. The selected Deployment or Rollout; for a selected
 * pod or ReplicaSet, its owner (pod → ReplicaSet → Deployment/Rollout); otherwise, when the cluster
 * has exactly one Deployment or Rollout outside kube-system, that one.
 */
import type { KubeObject } from '../../engine/api/types.ts';
import { controllerRef } from '../../engine/api/podutil.ts';
import type { ObjectRef } from '../../worker/protocol.ts';
import { objKey, type ObjectsByKind } from '../state/cluster.ts';

export type WorkloadKind = 'Deployment' | 'Rollout';

export interface Target {
  kind: WorkloadKind;
  namespace: string;
  name: string;
}

const WORKLOADS: readonly WorkloadKind[] = ['Deployment', 'Rollout'];
const isWorkload = (k: string | undefined): k is WorkloadKind => k === 'Deployment' || k === 'Rollout';

function get(objects: ObjectsByKind, kind: string, ns: string, name: string): KubeObject | undefined {
  return objects[kind]?.get(objKey(ns || undefined, name));
}

/** ownerWorkload walks controller references up from a pod or ReplicaSet (at most two hops). */
function ownerWorkload(objects: ObjectsByKind, obj: KubeObject | undefined): Target | undefined {
  let cur = obj;
  for (let hop = 0; cur && hop < 2; hop++) {
    const ref = controllerRef(cur);
    if (!ref) return undefined;
    const ns = cur.metadata.namespace ?? '';
    if (isWorkload(ref.kind)) return { kind: ref.kind, namespace: ns, name: ref.name };
    if (ref.kind !== 'ReplicaSet') return undefined;
    cur = get(objects, 'ReplicaSet', ns, ref.name);
  }
  return undefined;
}

/** resolveTarget picks the workload to show, or says how to pick one. */
export function resolveTarget(selected: ObjectRef | undefined, objects: ObjectsByKind): { target?: Target; hint?: string } {
  if (selected) {
    if (isWorkload(selected.kind)) return { target: { kind: selected.kind, namespace: selected.namespace, name: selected.name } };
    if (selected.kind === 'Pod' || selected.kind === 'ReplicaSet') {
      const owner = ownerWorkload(objects, get(objects, selected.kind, selected.namespace, selected.name));
      if (owner) return { target: owner };
    }
  }
  const all: Target[] = [];
  for (const kind of WORKLOADS) {
    for (const o of objects[kind]?.values() ?? []) {
      const ns = o.metadata.namespace ?? '';
      if (ns === 'kube-system') continue;
      all.push({ kind, namespace: ns, name: o.metadata.name });
    }
  }
  if (all.length === 1) return { target: all[0] };
  if (all.length === 0) return { hint: 'No Deployment or Rollout in this cluster yet. Create one (e.g. kubectl create deployment web --image=nginx) to follow its rollout here.' };
  const what = WORKLOADS.map((kind) => [kind, all.filter((t) => t.kind === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`)
    .join(' and ');
  return { hint: `${what}: click one in the graph (or one of its pods or ReplicaSets) to follow its rollout here.` };
}
