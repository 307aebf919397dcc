/**
 * VolumeBinding (pkg/scheduler/framework/plugins/volumebinding): a pod's PersistentVolumeClaims
 * must be bindable on the node.
 *  - PreFilter: a missing claim, a claim being deleted, or an unbound claim of an Immediate class
 *    makes the pod unschedulable everywhere ("pod has unbound immediate PersistentVolumeClaims":
 *    it waits for the PV controller); a pod without claims skips the plugin.
 *  - Filter: bound claims' volumes must exist and their node affinity admit the node (local
 *    volumes); unbound WaitForFirstConsumer claims need an Available volume that fits on the node,
 *    or a class with a provisioner that can create one.
 * The binding itself is the binding cycle's PreBind (prebind.ts).
 */
import type { Store } from '../../../api/store.ts';
import type { Node, Pod } from '../../../api/types.ts';
import { claimNamesOf } from '../../../controllers/volume/binder.ts';
import {
  checkNodeAffinity,
  claimClass,
  findMatchingVolume,
  NO_PROVISIONER,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
} from '../../../controllers/volume/util.ts';
import { SKIP, unresolvable, type Handle, type Plugin } from '../../framework/types.ts';

export const Name = 'VolumeBinding';
export const ErrReasonBindConflict = "node(s) didn't find available persistent volumes to bind";
export const ErrReasonNodeConflict = 'node(s) had volume node affinity conflict';
export const ErrReasonPVNotExist = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
export const ErrUnboundImmediate = 'pod has unbound immediate PersistentVolumeClaims';

const STATE_KEY = 'PreFilterVolumeBinding';

interface PodVolumes {
  bound: PersistentVolumeClaim[];
  toBind: PersistentVolumeClaim[];
}

/**
 * storeOf reaches the store behind the framework handle. The Handle contract has no store yet
 * (scheduler/framework/types.ts); SchedulerCache keeps it in `store`. Tests may pass args.store.
 */
function storeOf(args: { store?: Store } | undefined, h: Handle): Store | undefined {
  return args?.store ?? (h as unknown as { store?: Store }).store;
}

export function newVolumeBinding(args: { store?: Store } | undefined, h: Handle): Plugin {
  const store = (): Store | undefined => storeOf(args, h);
  return {
    name: Name,
    preFilter(state, pod: Pod) {
      const names = claimNamesOf(pod);
      const s = store();
      if (names.length === 0 || !s) return SKIP;
      const out: PodVolumes = { bound: [], toBind: [] };
      let unboundImmediate = false;
      for (const name of names) {
        const pvc = s.get<PersistentVolumeClaim>('PersistentVolumeClaim', pod.metadata.namespace, name);
        if (!pvc) return unresolvable(`persistentvolumeclaim "${name}" not found`);
        if (pvc.metadata.deletionTimestamp) return unresolvable(`persistentvolumeclaim "${name}" is being deleted`);
        // A claim Bound without a volume is statefulset.ts's stand-in (no storage module then): treat as bound.
        if (!pvc.spec?.volumeName && pvc.status?.phase === 'Bound') continue;
        if (pvc.spec?.volumeName) {
          out.bound.push(pvc);
          continue;
        }
        const cls = s.get<StorageClass>('StorageClass', undefined, claimClass(pvc));
        if (cls?.volumeBindingMode === 'WaitForFirstConsumer') out.toBind.push(pvc);
        else unboundImmediate = true;
      }
      if (unboundImmediate) return unresolvable(ErrUnboundImmediate);
      state.set(STATE_KEY, out);
      return null;
    },
    filter(state, _pod, node) {
      const pv = state.get(STATE_KEY) as PodVolumes | undefined;
      const s = store();
      if (!pv || !s) return null;
      const n = node.node as Node;
      for (const pvc of pv.bound) {
        const vol = s.get<PersistentVolume>('PersistentVolume', undefined, pvc.spec.volumeName!);
        if (!vol) return unresolvable(ErrReasonPVNotExist);
        if (!checkNodeAffinity(vol, n)) return unresolvable(ErrReasonNodeConflict);
      }
      if (pv.toBind.length) {
        // Each claim takes a different volume: findMatchingVolume over what is still free.
        let free = s.list<PersistentVolume>('PersistentVolume');
        for (const pvc of pv.toBind) {
          const vol = findMatchingVolume(pvc, free, n, true);
          if (vol) {
            free = free.filter((v) => v !== vol);
            continue;
          }
          const cls = s.get<StorageClass>('StorageClass', undefined, claimClass(pvc));
          if (!cls?.provisioner || cls.provisioner === NO_PROVISIONER) return unresolvable(ErrReasonBindConflict);
        }
      }
      return null;
    },
  };
}
