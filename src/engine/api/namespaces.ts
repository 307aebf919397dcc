import type { Sim } from '../sim.ts';
import { ApiError, notFound } from './errors.ts';
import { isStored, KINDS, resourceName, type KindInfo } from './kinds.ts';
import type { KubeObject, Pod } from './types.ts';
import type { ApiServer } from './server.ts';
import { deletePod } from './deletion.ts';
import { ROOT_CA_CONFIGMAP, ROOT_CA_CRT } from '../admission/serviceaccount.ts';

/**
 * Namespaces as the control plane keeps them: the built-in ones, the NamespaceLifecycle admission
 * (no new content in a missing or terminating namespace), the namespace registry's delete, and what
 * every active namespace gets from the serviceaccounts controller and the root-ca-cert-publisher.
 */

/** BUILTIN_NAMESPACES are created at install; IMMORTAL_NAMESPACES may not be deleted (NamespaceLifecycle admission). */
export const BUILTIN_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/** checkNamespace is the NamespaceLifecycle admission: the namespace must exist and not be terminating. */
export function checkNamespace(sim: Sim, info: KindInfo, obj: KubeObject): void {
  if (!info.namespaced) return;
  const nsName = obj.metadata.namespace!;
  if (typeof nsName !== 'string') return; // validation reports it
  const ns = sim.store.get('Namespace', undefined, nsName);
  if (!ns) throw notFound('namespaces', nsName);
  if (ns.metadata.deletionTimestamp) {
    throw new ApiError('Forbidden', `${resourceName(info)} "${obj.metadata.name || obj.metadata.generateName || ''}" is forbidden: unable to create new content in namespace ${nsName} because it is being terminated`);
  }
}

/**
 * deleteNamespace is the namespace registry's delete: phase Terminating, its contents deleted (pods
 * gracefully), and the garbage collector removes the namespace once it is empty.
 */
export function deleteNamespace(sim: Sim, ns: KubeObject): KubeObject {
  const name = ns.metadata.name;
  if (IMMORTAL_NAMESPACES.has(name)) throw new ApiError('Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`);
  if (ns.metadata.deletionTimestamp) {
    // The namespace registry refuses a second delete while its finalizer still runs.
    throw new ApiError('Conflict', `Operation cannot be fulfilled on namespaces "${name}": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.`);
  }
  const store = sim.store;
  ns.metadata.deletionTimestamp = sim.nowIso();
  ns.metadata.deletionGracePeriodSeconds = 0;
  ns.status = { ...(ns.status ?? {}), phase: 'Terminating' };
  store.update(ns);
  for (const info of KINDS) {
    if (!info.namespaced || !isStored(info)) continue;
    for (const obj of store.list(info.kind, name)) {
      if (info.kind === 'Pod') deletePod(sim, obj as Pod, {});
      else store.remove(info.kind, name, obj.metadata.name);
    }
  }
  sim.enqueue('garbagecollector', `ns|${name}`);
  return ns;
}

/**
 * populateNamespace does what the serviceaccounts controller and the root-ca-cert-publisher do for an
 * active namespace: it has a `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap holding the
 * cluster's CA. Both put them back at once when they are deleted (the publisher also undoes an edit of
 * the CA): a pod's token volume and its admission need them (admission/serviceaccount.ts).
 */
export function populateNamespace(sim: Sim, ns: string): void {
  const store = sim.store;
  const namespace = store.get('Namespace', undefined, ns);
  if (!namespace || namespace.metadata.deletionTimestamp) return;
  if (!store.get('ServiceAccount', ns, 'default')) store.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } });
  const ca = store.get('ConfigMap', ns, ROOT_CA_CONFIGMAP);
  if (!ca) {
    store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: ROOT_CA_CONFIGMAP, namespace: ns, annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } },
      data: { 'ca.crt': ROOT_CA_CRT },
    });
  } else if (ca.data?.['ca.crt'] !== ROOT_CA_CRT || Object.keys(ca.data ?? {}).length !== 1) {
    ca.data = { 'ca.crt': ROOT_CA_CRT };
    store.update(ca);
  }
}

/** NAMESPACE_DEFAULTS is the controller that keeps each namespace's default ServiceAccount and CA ConfigMap (populateNamespace). */
const NAMESPACE_DEFAULTS = 'serviceaccount-defaults';

/**
 * installNamespaces adds the controller that keeps each namespace's default ServiceAccount and CA
 * ConfigMap (populateNamespace), and creates the built-in namespaces.
 */
export function installNamespaces(sim: Sim, api: ApiServer): void {
  const store = sim.store;
  sim.addController({ name: NAMESPACE_DEFAULTS, sync: (ns) => populateNamespace(sim, ns) });
  store.watch('ServiceAccount', (type, obj) => {
    if (type === 'DELETED' && obj.metadata.name === 'default') sim.enqueue(NAMESPACE_DEFAULTS, obj.metadata.namespace ?? 'default');
  });
  store.watch('ConfigMap', (type, obj) => {
    if (type !== 'ADDED' && obj.metadata.name === ROOT_CA_CONFIGMAP) sim.enqueue(NAMESPACE_DEFAULTS, obj.metadata.namespace ?? 'default');
  });
  for (const ns of BUILTIN_NAMESPACES) {
    if (!store.get('Namespace', undefined, ns)) api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }
}
