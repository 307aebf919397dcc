/**
 * workloadutil.ts: small helpers shared by the workload controllers — the pods' 'owner' index by
 * which every controller that owns pods (ReplicaSet, Deployment, Job, DaemonSet, StatefulSet,
 * Rollout) lists them; and, for the Job, CronJob, DaemonSet and StatefulSet controllers, building
 * a pod from a template (controller.GetPodFromTemplate), creating it as the API server would
 * (preparePodForCreate, then the same admission chain as a kubectl-created pod: LimitRange
 * defaults, ResourceQuota, and any other plugin admission/index.ts runs), and deleting through the
 * API server so pods terminate gracefully.
 */
import type { Sim } from '../sim.ts';
import type { KubeObject, Pod, PodTemplateSpec } from '../api/types.ts';
import { preparePodForCreate } from '../api/strategy.ts';
import { controllerRef, newControllerRef } from '../api/podutil.ts';
import { ApiError } from '../api/errors.ts';
import { keyOf, NO_VALUES } from '../api/store.ts';
import { admitControllerPod } from '../admission/index.ts';
import { installAdmission, RETRY_TIMER } from '../admission/controllerpods.ts';

/** ensureOwnerIndex adds the pods 'owner' index (controller ownerReference uid) unless the API server already did. */
export function ensureOwnerIndex(sim: Sim): void {
  try {
    sim.store.byIndex('Pod', 'owner', '');
  } catch {
    sim.store.addIndex('Pod', 'owner', (o) => controllerRef(o)?.uid ?? NO_VALUES);
  }
}

/** podsOwnedBy lists the pods whose controller ownerReference has this uid (the 'owner' index). */
export function podsOwnedBy(sim: Sim, uid: string): Pod[] {
  return sim.store.byIndex<Pod>('Pod', 'owner', uid);
}

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

/** OWNER_CONTROLLERS: the controller (work queue) and event component of each pod-owning kind created here. */
const OWNER_CONTROLLERS: Record<string, { controller: string; component: string }> = {
  Job: { controller: 'job', component: 'job-controller' },
  DaemonSet: { controller: 'daemonset', component: 'daemonset-controller' },
  StatefulSet: { controller: 'statefulset', component: 'statefulset-controller' },
};

/** Retry back-off of a refused create: the workqueue's rate limiter, 5 ms doubling, capped at 1000 s. */
const RETRY_BASE_MS = 5;
const RETRY_MAX_MS = 1_000_000;

/** CreatePodOptions: how a refusal is reported (FailedCreate's message from the API error's). */
export interface CreatePodOptions {
  /** failedMessage words the FailedCreate event; RealPodControl's `Error creating: <err>` by default. */
  failedMessage?: (err: string) => string;
}

/**
 * createPod stores a new pod as the API server would: defaults and Pending status with its QoS
 * class (preparePodForCreate), then mutating and validating admission (admitControllerPod). A pod
 * the admission refuses is not stored: its owner gets `Warning FailedCreate` (controller_utils.go
 * RealPodControl.createPods: `Error creating: pods "pi-" is forbidden: exceeded quota: …`), its
 * controller is retried with the workqueue's back-off, and createPod returns undefined so the
 * caller stops creating for this sync (as slowStartBatch stops at the first error).
 */
export function createPod(sim: Sim, pod: Pod, opts: CreatePodOptions = {}): Pod | undefined {
  preparePodForCreate(pod);
  const ref = controllerRef(pod);
  const owner = ref ? sim.store.get(ref.kind, pod.metadata.namespace, ref.name) : undefined;
  const who = ref ? OWNER_CONTROLLERS[ref.kind] : undefined;
  let created: Pod;
  try {
    admitControllerPod(sim, pod);
    // A name already taken (a StatefulSet's pod that another owner holds) is refused like admission.
    created = sim.store.create(pod);
  } catch (e) {
    if (!(e instanceof ApiError) || !owner || !who) throw e;
    sim.recordEvent(owner, 'Warning', 'FailedCreate', opts.failedMessage ? opts.failedMessage(e.message) : `Error creating: ${e.message}`, who.component);
    requeueAfterFailure(sim, owner);
    return undefined;
  }
  if (owner) clearFailures(sim, owner);
  return created;
}

function failures(sim: Sim): Record<string, number> {
  return sim.moduleState<{ failures: Record<string, number> }>('workloadutil', () => ({ failures: {} }), ['failures']).failures;
}

function retryKeyOf(owner: KubeObject): string | undefined {
  const who = OWNER_CONTROLLERS[owner.kind];
  return who ? `${who.controller}|${keyOf(owner)}` : undefined;
}

/**
 * requeueAfterFailure retries the owner's controller after a refused create, with the workqueue's
 * exponential back-off (AddRateLimited: 5 ms, 10 ms, … capped at 1000 s), since freed quota does
 * not otherwise wake it.
 */
export function requeueAfterFailure(sim: Sim, owner: KubeObject): void {
  const key = retryKeyOf(owner);
  if (!key) return;
  const f = failures(sim);
  const n = (f[key] ?? 0) + 1;
  f[key] = n;
  installAdmission(sim); // idempotent: a cluster built without it still gets its retries
  sim.after(Math.min(RETRY_BASE_MS * 2 ** (n - 1), RETRY_MAX_MS), RETRY_TIMER, key);
}

/** clearFailures resets the owner's back-off after a successful create (workqueue Forget). */
export function clearFailures(sim: Sim, owner: KubeObject): void {
  const key = retryKeyOf(owner);
  const f = failures(sim);
  if (key && f[key] !== undefined) delete f[key];
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
