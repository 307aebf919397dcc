/**
 * The garbage collector (pkg/controller/garbagecollector), controller `garbagecollector`.
 *
 * Upstream keeps a graph of ownerReferences; here the store's per-kind `ownerUid` index (every
 * ownerReference uid, installed by the API server) is that graph. Work-queue keys:
 * - `uid|<uid>`: an object was removed; its dependents whose every owner is now gone are deleted
 *   (background propagation; pods through ApiServer.delete, so gracefully), and dependents that
 *   still have a live owner just lose the dangling reference.
 * - `fg|<Kind>|<ns>|<name>`: an owner is being deleted in the foreground (deletionTimestamp and the
 *   foregroundDeletion finalizer): its dependents are deleted in the foreground too, and the owner
 *   is removed once none remain.
 * - `dangling|<Kind>|<ns>|<name>`: an object was created with ownerReferences to owners that do
 *   not exist: it is deleted when none exists, or loses the dangling references.
 * - `ns|<name>`: a namespace is Terminating: once no pods remain in it, whatever is left (events
 *   the kubelet recorded while stopping them) is removed, then the namespace.
 */
import type { Sim } from '../sim.ts';
import { releaseFinalizer } from '../api/finalizers.ts';
import type { ApiServer } from '../api/server.ts';
import { isStored, KINDS, kindInfo } from '../api/kinds.ts';
import type { KubeObject, OwnerReference } from '../api/types.ts';
import { pushAll } from '../arrays.ts';

/**
 * OWNER_INDEX is the per-kind store index of ownerReference uids (installed by the API server);
 * for Pods it holds only non-controller references, the controller one being in the 'owner' index.
 */
export const OWNER_INDEX = 'ownerUid';

/** indexedKinds lists the kinds carrying the ownerUid index (every kind but Event). */
const INDEXED_KINDS: readonly string[] = KINDS.filter((k) => k.kind !== 'Event' && isStored(k)).map((k) => k.kind);
export const indexedKinds = (): readonly string[] => INDEXED_KINDS;

/** dependentsOf returns every stored object with an ownerReference to uid, kind by kind in creation order. */
export function dependentsOf(sim: Sim, uid: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const kind of indexedKinds()) {
    if (sim.store.count(kind) === 0) continue;
    pushAll(out, sim.store.byIndex(kind, OWNER_INDEX, uid));
    // Pods file their controller reference under 'owner' only (see installApiServer).
    if (kind === 'Pod') pushAll(out, sim.store.byIndex(kind, 'owner', uid));
  }
  return out;
}

export const GC_CONTROLLER = 'garbagecollector';
/** FOREGROUND_FINALIZER is metav1.FinalizerDeleteDependents. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

/** ownerAlive tells whether the owner an ownerReference names still exists (same uid). */
function ownerAlive(sim: Sim, dep: KubeObject, ref: OwnerReference): boolean {
  const info = kindInfo(ref.kind);
  const ns = info && !info.namespaced ? undefined : dep.metadata.namespace;
  const owner = sim.store.get(ref.kind, ns, ref.name);
  return !!owner && owner.metadata.uid === ref.uid;
}

/** anyOwnerGone: one of the references names an owner that does not exist (a loop: every created object comes here). */
function anyOwnerGone(sim: Sim, obj: KubeObject, refs: readonly OwnerReference[]): boolean {
  for (let i = 0; i < refs.length; i++) if (!ownerAlive(sim, obj, refs[i])) return true;
  return false;
}

export function installGarbageCollector(sim: Sim): void {
  const store = sim.store;
  const api = () => sim.service<ApiServer>('api');
  /** terminating: pods still to go per Terminating namespace (in moduleState, so snapshots keep it). */
  const terminating = () => sim.moduleState<{ nsPodsLeft?: Record<string, number> }>('api', () => ({})).nsPodsLeft ??= {};

  store.watchAll((type, obj) => {
    if (type === 'ADDED') {
      // An object created with an ownerReference to an owner that does not exist (any more) is
      // garbage from the start, as the GC's graph builder finds with its "virtual" owner nodes.
      const refs = obj.metadata.ownerReferences;
      if (refs?.length && anyOwnerGone(sim, obj, refs)) sim.enqueue(GC_CONTROLLER, `dangling|${obj.kind}|${obj.metadata.namespace ?? ''}|${obj.metadata.name}`);
      return;
    }
    if (type !== 'DELETED' || obj.kind === 'Event') return;
    sim.enqueue(GC_CONTROLLER, `uid|${obj.metadata.uid}`);
    // A dependent went away: an owner waiting for its dependents may now be done.
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const info = kindInfo(ref.kind);
      const ns = info && !info.namespaced ? '' : obj.metadata.namespace ?? '';
      const owner = store.get(ref.kind, ns || undefined, ref.name);
      if (owner?.metadata.finalizers?.includes(FOREGROUND_FINALIZER)) sim.enqueue(GC_CONTROLLER, `fg|${ref.kind}|${ns}|${ref.name}`);
    }
    if (obj.kind === 'Pod' && obj.metadata.namespace) {
      const ns = store.get('Namespace', undefined, obj.metadata.namespace);
      if (ns?.metadata.deletionTimestamp) {
        // Count down instead of scanning every pod on each removal (a 10,000-pod namespace).
        const left = terminating();
        const name = ns.metadata.name;
        left[name] = (left[name] ?? 1) - 1;
        if (left[name] <= 0) sim.enqueue(GC_CONTROLLER, `ns|${name}`);
      }
    }
  });

  /** deleteDependent deletes one dependent with a propagation policy, unless it is already going. */
  const deleteDependent = (dep: KubeObject, cascade: 'background' | 'foreground') => {
    if (dep.metadata.deletionTimestamp) return;
    if (!store.get(dep.kind, dep.metadata.namespace, dep.metadata.name)) return;
    api().delete(dep.kind, dep.metadata.namespace, dep.metadata.name, { cascade });
  };

  const syncRemovedOwner = (uid: string) => {
    for (const dep of dependentsOf(sim, uid)) {
      const refs = dep.metadata.ownerReferences ?? [];
      const alive = refs.filter((r) => r.uid !== uid && ownerAlive(sim, dep, r));
      if (alive.length === 0) {
        deleteDependent(dep, 'background');
      } else {
        // Another owner still holds it: drop only the dangling reference.
        dep.metadata.ownerReferences = refs.filter((r) => r.uid !== uid);
        store.update(dep);
      }
    }
  };

  const syncDangling = (kind: string, ns: string, name: string) => {
    const obj = store.get(kind, ns || undefined, name);
    const refs = obj?.metadata.ownerReferences;
    if (!obj || !refs?.length || obj.metadata.deletionTimestamp) return;
    const alive = refs.filter((r) => ownerAlive(sim, obj, r));
    if (alive.length === refs.length) return;
    if (alive.length === 0) {
      deleteDependent(obj, 'background');
      return;
    }
    obj.metadata.ownerReferences = alive;
    store.update(obj);
  };

  const syncForeground = (kind: string, ns: string, name: string) => {
    const owner = store.get(kind, ns || undefined, name);
    if (!owner?.metadata.finalizers?.includes(FOREGROUND_FINALIZER)) return;
    const deps = dependentsOf(sim, owner.metadata.uid!);
    if (deps.length === 0) {
      // The dependents are gone: the foregroundDeletion finalizer goes; the owner goes with it unless other finalizers remain.
      releaseFinalizer(store, owner, FOREGROUND_FINALIZER);
      return;
    }
    for (const dep of deps) deleteDependent(dep, 'foreground');
  };

  const syncNamespace = (name: string) => {
    const ns = store.get('Namespace', undefined, name);
    if (!ns?.metadata.deletionTimestamp) return;
    const pods = store.list('Pod', name).length;
    if (pods > 0) {
      terminating()[name] = pods;
      return;
    }
    delete terminating()[name];
    for (const info of KINDS) {
      if (!info.namespaced || !isStored(info)) continue;
      for (const obj of store.list(info.kind, name)) store.remove(info.kind, name, obj.metadata.name);
    }
    store.remove('Namespace', undefined, name);
  };

  sim.addController({
    name: GC_CONTROLLER,
    sync(key: string) {
      const [type, a, b, c] = key.split('|');
      if (type === 'uid') syncRemovedOwner(a);
      else if (type === 'fg') syncForeground(a, b, c);
      else if (type === 'ns') syncNamespace(a);
      else if (type === 'dangling') syncDangling(a, b, c);
    },
  });
}
