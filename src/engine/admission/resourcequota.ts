/**
 * resourcequota.ts: the ResourceQuota admission plugin (plugin/pkg/admission/resourcequota,
 * controller.go checkRequest) and the usage evaluators it shares with the resourcequota controller
 * (pkg/quota/v1/evaluator/core: pods.go, services.go, persistent_volume_claims.go, and the
 * generic object-count evaluator for `count/<resource>.<group>`).
 *
 * On create, each quota of the namespace that constrains what the object uses is checked:
 * used (status.used) + the object's usage must stay ≤ hard, or the request is refused with
 * `pods "web" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used:
 * requests.cpu=1500m, limited: requests.cpu=2`. As upstream, an admitted request is charged to
 * status.used at once, so a controller creating ten pods in one sync sees each one's share.
 */
import type { Sim } from '../sim.ts';
import { kindInfo, resourceName } from '../api/kinds.ts';
import type { KubeObject, Pod } from '../api/types.ts';
import { forbidden } from './limitranger.ts';
import { formatUsage, limitsOf, podTotals, requestsOf, toUsage, type ResourceList, type Usage } from './resources.ts';

export interface ResourceQuota extends KubeObject {
  kind: 'ResourceQuota';
  spec: { hard?: ResourceList; scopes?: string[] };
  status?: { hard?: ResourceList; used?: ResourceList };
}

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The compute resources a pod quota forces every container to state (podEvaluator's validationSet). */
const VALIDATION_SET = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

/** countName is the generic evaluator's resource: count/pods, count/deployments.apps. */
export function countName(kind: string): string | undefined {
  const info = kindInfo(kind);
  return info ? `count/${resourceName(info)}` : undefined;
}

/** podCounts: Succeeded and Failed pods no longer use quota (QuotaV1Pod). */
function podCounts(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/**
 * podComputeUsage is podComputeUsageHelper over the pod's totals: requests.X (and bare X for
 * cpu/memory), limits.X, and pods=1.
 */
function podUsage(pod: Pod): Usage {
  const u: Usage = { pods: 1000 };
  const req = podTotals(pod, 'requests');
  const lim = podTotals(pod, 'limits');
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    if (req[r] !== undefined) {
      u[`requests.${r}`] = req[r];
      if (r !== 'ephemeral-storage') u[r] = req[r];
    }
    if (lim[r] !== undefined) u[`limits.${r}`] = lim[r];
  }
  for (const [k, v] of Object.entries(req)) if (k.includes('/') || k.startsWith('hugepages-')) u[`requests.${k}`] = v;
  return u;
}

function serviceUsage(svc: KubeObject): Usage {
  const u: Usage = { services: 1000 };
  const type = svc.spec?.type ?? 'ClusterIP';
  const ports = Array.isArray(svc.spec?.ports) ? svc.spec.ports.length : 0;
  if (type === 'NodePort') u['services.nodeports'] = ports * 1000;
  if (type === 'LoadBalancer') {
    u['services.loadbalancers'] = 1000;
    // A LoadBalancer also allocates node ports unless allocateLoadBalancerNodePorts is false.
    u['services.nodeports'] = svc.spec?.allocateLoadBalancerNodePorts === false ? 0 : ports * 1000;
  }
  return u;
}

function pvcUsage(pvc: KubeObject): Usage {
  const u: Usage = { persistentvolumeclaims: 1000 };
  const storage = toUsage(pvc.spec?.resources?.requests).storage;
  const cls = pvc.spec?.storageClassName;
  if (storage !== undefined) u['requests.storage'] = storage;
  if (cls) {
    u[`${cls}.storageclass.storage.k8s.io/persistentvolumeclaims`] = 1000;
    if (storage !== undefined) u[`${cls}.storageclass.storage.k8s.io/requests.storage`] = storage;
  }
  return u;
}

/** usageOf is what one object charges to quota (object count included), or {} for a terminal pod. */
export function usageOf(obj: KubeObject): Usage {
  let u: Usage = {};
  if (obj.kind === 'Pod') {
    if (!podCounts(obj as Pod)) return {};
    u = podUsage(obj as Pod);
  } else if (obj.kind === 'Service') u = serviceUsage(obj);
  else if (obj.kind === 'PersistentVolumeClaim') u = pvcUsage(obj);
  const c = countName(obj.kind);
  if (c) u[c] = 1000;
  return u;
}

/** kindForResource names the kind whose objects charge a quota resource (for the controller's recount). */
export function kindForResource(name: string): string | undefined {
  if (name.startsWith('count/')) {
    const res = name.slice('count/'.length);
    const [plural, ...g] = res.split('.');
    const group = g.join('.');
    for (const k of ['Pod', 'Service', 'PersistentVolumeClaim', 'ConfigMap', 'Secret', 'ReplicationController', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Ingress', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ServiceAccount', 'NetworkPolicy', 'Role', 'RoleBinding']) {
      const info = kindInfo(k);
      if (info && info.plural === plural && info.group === group) return k;
    }
    return undefined;
  }
  if (name === 'pods' || VALIDATION_SET.has(name) || (name.startsWith('requests.') && !name.includes('storage')) || name.startsWith('limits.') || name.startsWith('hugepages-')) return 'Pod';
  if (name.startsWith('services')) return 'Service';
  if (name === 'persistentvolumeclaims' || name.includes('storage')) return 'PersistentVolumeClaim';
  return undefined;
}

/** calculateUsage recounts what the namespace uses of each named resource (the controller's CalculateUsage). */
export function calculateUsage(sim: Sim, ns: string, names: string[]): Usage {
  const used: Usage = {};
  for (const n of names) used[n] = 0;
  const kinds = new Set(names.map(kindForResource).filter((k): k is string => !!k));
  for (const kind of kinds) {
    for (const obj of sim.store.list(kind, ns)) {
      const u = usageOf(obj);
      for (const n of names) if (u[n] !== undefined && kindForResource(n) === kind) used[n] += u[n];
    }
  }
  return used;
}

function sortedQuotas(sim: Sim, ns: string): ResourceQuota[] {
  return sim.store.list<ResourceQuota>('ResourceQuota', ns).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
}

function hardOf(q: ResourceQuota): ResourceList {
  return isObj(q.spec?.hard) ? q.spec.hard : {};
}

/** prettyPrint is `k=v,k=v` sorted by name, quantities in canonical form. */
function prettyPrint(u: Usage, names: string[]): string {
  return [...names].sort().map((n) => `${n}=${formatUsage(n, u[n] ?? 0)}`).join(',');
}

/**
 * podConstraints is podEvaluator.Constraints: when a quota tracks cpu or memory, every container
 * must state that request or limit: `must specify limits.cpu for: web; requests.memory for: a,b` (podEvaluator.Constraints).
 */
function podConstraints(pod: Pod, required: Set<string>): string | undefined {
  const missing = new Map<string, Set<string>>();
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    if (!isObj(c)) continue;
    const req = toUsage(requestsOf(c));
    const lim = toUsage(limitsOf(c));
    const has = new Set<string>();
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined) has.add(r).add(`requests.${r}`);
      if (lim[r] !== undefined) has.add(`limits.${r}`);
    }
    for (const r of required) {
      if (!has.has(r)) {
        if (!missing.has(r)) missing.set(r, new Set());
        missing.get(r)!.add(c.name);
      }
    }
  }
  if (missing.size === 0) return undefined;
  return `must specify ${[...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`).join('; ')}`;
}

/**
 * admitResourceQuota is checkRequest for a create: constraints first (failed quota), then each
 * quota's hard limits; on success the usage is added to each matching quota's status.used.
 * dryRun checks without charging.
 */
export function admitResourceQuota(sim: Sim, obj: KubeObject, dryRun = false): void {
  const ns = obj.metadata?.namespace;
  if (!ns) return;
  const quotas = sortedQuotas(sim, ns);
  if (quotas.length === 0) return;
  const info = kindInfo(obj.kind);
  const resource = info ? resourceName(info) : obj.kind.toLowerCase();
  const delta = usageOf(obj);
  if (Object.keys(delta).length === 0) return;

  if (obj.kind === 'Pod') {
    for (const q of quotas) {
      const required = new Set(Object.keys(hardOf(q)).filter((n) => VALIDATION_SET.has(n)));
      if (required.size === 0) continue;
      const err = podConstraints(obj as Pod, required);
      if (err) throw forbidden(resource, obj, `failed quota: ${q.metadata.name}: ${err}`);
    }
  }

  const charges: { q: ResourceQuota; used: Usage; names: string[] }[] = [];
  for (const q of quotas) {
    const hard = toUsage(hardOf(q));
    const names = Object.keys(delta).filter((n) => hard[n] !== undefined);
    if (names.length === 0) continue;
    const used = currentUsed(sim, q, ns);
    const exceeded = names.filter((n) => (used[n] ?? 0) + delta[n] > hard[n]);
    if (exceeded.length) {
      throw forbidden(resource, obj, `exceeded quota: ${q.metadata.name}, requested: ${prettyPrint(delta, exceeded)}, used: ${prettyPrint(used, exceeded)}, limited: ${prettyPrint(hard, exceeded)}`);
    }
    charges.push({ q, used, names });
  }
  if (dryRun) return;
  for (const { q, used, names } of charges) {
    const status = (q.status = isObj(q.status) ? q.status : {});
    status.hard = { ...hardOf(q) };
    const next: ResourceList = { ...(status.used ?? {}) };
    for (const n of Object.keys(hardOf(q))) next[n] ??= formatUsage(n, used[n] ?? 0);
    for (const n of names) next[n] = formatUsage(n, (used[n] ?? 0) + delta[n]);
    status.used = next;
    sim.store.update(q, { specChanged: false });
  }
}

/** currentUsed reads status.used, recounting from the store when the controller has not filled it yet. */
function currentUsed(sim: Sim, q: ResourceQuota, ns: string): Usage {
  const names = Object.keys(hardOf(q));
  const have = toUsage(q.status?.used);
  if (names.every((n) => have[n] !== undefined)) return have;
  return calculateUsage(sim, ns, names);
}
