/**
 * protection.ts: Storage Object in Use Protection (pkg/controller/volume/pvcprotection and
 * pvprotection, with the StorageObjectInUseProtection admission plugin adding the finalizers).
 * A deleted claim stays Terminating while a pod that has not finished still uses it; a deleted
 * volume stays Terminating while it is Bound. Then the controller removes its finalizer, and the
 * object goes (when no other finalizer holds it).
 */
import type { Sim } from '../../sim.ts';
import type { KubeObject, Pod } from '../../api/types.ts';
import { releaseFinalizer } from '../../api/finalizers.ts';
import { claimNamesOf } from './binder.ts';

export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';
const PVC_PROTECTION = 'pvc-protection';
const PV_PROTECTION = 'pv-protection';

/** claimsOf are the claims a pod's volumes use: persistentVolumeClaim sources and generic ephemeral volumes (<pod>-<volume>). */
function claimsOf(pod: Pod): string[] {
  const ephemeral = ((pod.spec.volumes ?? []) as any[]).filter((v) => v?.ephemeral).map((v) => `${pod.metadata.name}-${v.name}`);
  return [...claimNamesOf(pod), ...ephemeral];
}

/** inUse: a pod of the claim's namespace that has not finished (Succeeded or Failed) uses it. */
function inUse(sim: Sim, pvc: KubeObject): boolean {
  return sim.store.list<Pod>('Pod', pvc.metadata.namespace).some((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && claimsOf(p).includes(pvc.metadata.name));
}

export function installProtectionControllers(sim: Sim): void {
  sim.addController({
    name: PVC_PROTECTION,
    sync(key) {
      const slash = key.indexOf('/');
      const pvc = sim.store.get('PersistentVolumeClaim', key.slice(0, slash), key.slice(slash + 1));
      if (!pvc?.metadata.deletionTimestamp || !pvc.metadata.finalizers?.includes(PVC_PROTECTION_FINALIZER)) return;
      if (!inUse(sim, pvc)) releaseFinalizer(sim.store, pvc, PVC_PROTECTION_FINALIZER);
    },
  });
  sim.addController({
    name: PV_PROTECTION,
    sync(name) {
      const pv = sim.store.get('PersistentVolume', undefined, name);
      if (!pv?.metadata.deletionTimestamp || !pv.metadata.finalizers?.includes(PV_PROTECTION_FINALIZER)) return;
      if (pv.status?.phase !== 'Bound') releaseFinalizer(sim.store, pv, PV_PROTECTION_FINALIZER);
    },
  });
  sim.store.watch('PersistentVolumeClaim', (type, pvc) => {
    if (type !== 'DELETED' && pvc.metadata.deletionTimestamp) sim.enqueue(PVC_PROTECTION, `${pvc.metadata.namespace}/${pvc.metadata.name}`);
  });
  sim.store.watch('PersistentVolume', (type, pv) => {
    if (type !== 'DELETED' && pv.metadata.deletionTimestamp) sim.enqueue(PV_PROTECTION, pv.metadata.name);
  });
  // A pod that finishes or goes may free a terminating claim.
  sim.store.watch('Pod', (type, obj) => {
    const pod = obj as Pod;
    if (type !== 'DELETED' && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed') return;
    for (const c of claimsOf(pod)) {
      const pvc = sim.store.get('PersistentVolumeClaim', pod.metadata.namespace, c);
      if (pvc?.metadata.deletionTimestamp) sim.enqueue(PVC_PROTECTION, `${pod.metadata.namespace}/${c}`);
    }
  });
}
