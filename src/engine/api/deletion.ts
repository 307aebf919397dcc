import type { Sim } from '../sim.ts';
import { isoTime } from '../clock.ts';
import { dependentsOf, FOREGROUND_FINALIZER } from '../controllers/gc.ts';
import type { KindInfo } from './kinds.ts';
import type { DeleteOptions } from './options.ts';
import type { KubeObject, Pod } from './types.ts';

/**
 * Deletion as the generic registry store does it (apiserver/pkg/registry/generic/registry/store.go
 * Delete, rest.BeforeDelete): a Pod's graceful deletion, and for the other kinds the propagation
 * policies, background, orphan and foreground, and finalizers that hold a deleted object until
 * they are removed. The garbage collector (controllers/gc.ts) finishes what this starts.
 */

/**
 * deleteWithPropagation deletes an object of any kind but Pod and Namespace. background (kubectl's
 * default): removed now, the garbage collector deletes its dependents; orphan: its dependents lose
 * their ownerReference to it first; foreground: deletionTimestamp and the foregroundDeletion
 * finalizer, and the garbage collector removes it once its dependents are gone. An object with
 * finalizers is only marked. Returns the object as deleted (or as marked).
 */
export function deleteWithPropagation(sim: Sim, info: KindInfo, obj: KubeObject, opts: DeleteOptions): KubeObject {
  const store = sim.store;
  if (obj.metadata.deletionTimestamp) return obj;
  const cascade = opts.cascade ?? 'background';
  if (cascade === 'foreground') {
    obj.metadata.deletionTimestamp = sim.nowIso();
    obj.metadata.deletionGracePeriodSeconds = 0;
    obj.metadata.finalizers = [...(obj.metadata.finalizers ?? []), FOREGROUND_FINALIZER];
    store.update(obj, { specChanged: (obj.metadata.generation ?? 0) > 0 });
    sim.enqueue('garbagecollector', `fg|${info.kind}|${obj.metadata.namespace ?? ''}|${obj.metadata.name}`);
    return obj;
  }
  if (cascade === 'orphan') {
    const uid = obj.metadata.uid!;
    for (const dep of dependentsOf(sim, uid)) {
      dep.metadata.ownerReferences = dep.metadata.ownerReferences!.filter((r) => r.uid !== uid);
      if (dep.metadata.ownerReferences.length === 0) delete dep.metadata.ownerReferences;
      store.update(dep);
    }
  }
  if (obj.metadata.finalizers?.length) {
    // An object with finalizers is only marked (deletionTimestamp, grace 0): it stays, Terminating, until
    // whatever owns each finalizer removes it (ApiServer.replace), as the registry's graceful deletion does.
    obj.metadata.deletionTimestamp = sim.nowIso();
    obj.metadata.deletionGracePeriodSeconds = 0;
    store.update(obj, { specChanged: (obj.metadata.generation ?? 0) > 0 });
    return obj;
  }
  return store.remove(info.kind, obj.metadata.namespace, obj.metadata.name)!;
}

/**
 * deletePod is a Pod's graceful deletion: deletionTimestamp = now + grace and deletionGracePeriodSeconds
 * = grace (BeforeDelete: the timestamp is the deadline); the kubelet removes it once its containers
 * stopped. An unbound, Succeeded or Failed pod, or grace 0, is removed at once; deleting a terminating
 * pod again changes nothing unless grace 0 forces it.
 */
export function deletePod(sim: Sim, pod: Pod, opts: DeleteOptions): Pod {
  const store = sim.store;
  const meta = pod.metadata;
  if (meta.deletionTimestamp) {
    if (opts.gracePeriodSeconds === 0) store.remove('Pod', meta.namespace, meta.name);
    return pod;
  }
  let grace = opts.gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
  // pod strategy CheckGracefulDelete: never-scheduled and finished pods have nothing to stop.
  const phase = pod.status?.phase;
  if (!pod.spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') grace = 0;
  if (grace <= 0) {
    store.remove('Pod', meta.namespace, meta.name);
    return pod;
  }
  meta.deletionTimestamp = isoTime(sim.now() + grace * 1000);
  meta.deletionGracePeriodSeconds = grace;
  store.update(pod, { specChanged: true });
  return pod;
}
