/**
 * workloadutil.ts: small helpers shared by the Job, CronJob, DaemonSet and StatefulSet
 * controllers — building a pod from a template (controller.GetPodFromTemplate), creating it as
 * the API server would (preparePodForCreate), and deleting through the API server so pods
 * terminate gracefully.
 */
import type { Sim } from '../sim.ts';
import type { KubeObject, Pod, PodTemplateSpec } from '../api/types.ts';
import { preparePodForCreate } from '../api/server.ts';
import { newControllerRef } from '../api/podutil.ts';

/** deepCopy copies plain JSON data (templates), without structuredClone's per-call cost. */
export function deepCopy<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(deepCopy) as T;
  const out: Record<string, unknown> = {};
  for (const k in v) out[k] = deepCopy((v as Record<string, unknown>)[k]);
  return out as T;
}

/** podFromTemplate is GetPodFromTemplate: the template's labels, annotations and spec, owned by owner. */
export function podFromTemplate(owner: KubeObject, template: PodTemplateSpec, name: { name?: string; generateName?: string }): Pod {
  const meta = template.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: name.name ?? '',
      namespace: owner.metadata.namespace,
      labels: { ...(meta.labels ?? {}) },
      ownerReferences: [newControllerRef(owner)],
    },
    spec: deepCopy(template.spec),
    status: { phase: 'Pending' },
  };
  if (name.generateName) pod.metadata.generateName = name.generateName;
  if (meta.annotations) pod.metadata.annotations = { ...meta.annotations };
  if (meta.finalizers) pod.metadata.finalizers = [...(meta.finalizers as string[])];
  return pod;
}

/** createPod stores a new pod as the API server would (admission, Pending status with QoS class). */
export function createPod(sim: Sim, pod: Pod): Pod {
  preparePodForCreate(pod);
  return sim.store.create(pod);
}

interface ApiLike {
  delete(kind: string, ns: string | undefined, name: string, opts?: { cascade?: 'background' | 'foreground' | 'orphan'; gracePeriodSeconds?: number }): unknown;
}

/** deleteObject deletes through the API server (graceful pods, cascading owners); store removal without one. */
export function deleteObject(sim: Sim, obj: KubeObject, opts?: { cascade?: 'background' | 'foreground' | 'orphan' }): void {
  const api = sim.services.get('api') as ApiLike | undefined;
  if (api && typeof api.delete === 'function') {
    try {
      api.delete(obj.kind, obj.metadata.namespace, obj.metadata.name, opts);
    } catch {
      /* already gone */
    }
  } else sim.store.remove(obj.kind, obj.metadata.namespace, obj.metadata.name);
}

/** isPodFinished: phase Succeeded or Failed. */
export function isPodFinished(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}
