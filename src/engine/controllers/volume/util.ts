/**
 * util.ts: PersistentVolume matching as pkg/controller/volume/persistentvolume/util
 * (FindMatchingVolume, CheckAccessModes, CheckNodeAffinity) and storage-class helpers
 * (GetPersistentVolumeClaimClass, IsDelayBindingMode).
 */
import type { Sim } from '../../sim.ts';
import { parseQuantity } from '../../api/quantity.ts';
import { compileSelector } from '../../api/selector.ts';
import type { KubeObject, LabelSelector, Node } from '../../api/types.ts';
import { nodeSelectorMatches, type NodeSelectorTerm } from '../../scheduler/plugins/NodeAffinity/nodeselector.ts';

export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const ANN_DYNAMICALLY_PROVISIONED = 'pv.kubernetes.io/provisioned-by';
export const ANN_DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';

export interface PersistentVolume extends KubeObject {
  kind: 'PersistentVolume';
  spec: {
    capacity?: Record<string, string>;
    accessModes?: string[];
    storageClassName?: string;
    volumeMode?: 'Filesystem' | 'Block';
    persistentVolumeReclaimPolicy?: 'Retain' | 'Delete' | 'Recycle';
    claimRef?: { kind?: string; apiVersion?: string; namespace?: string; name?: string; uid?: string; resourceVersion?: string };
    nodeAffinity?: { required?: { nodeSelectorTerms?: NodeSelectorTerm[] } };
    local?: { path: string };
    hostPath?: { path: string };
    [k: string]: any;
  };
  status?: { phase?: 'Pending' | 'Available' | 'Bound' | 'Released' | 'Failed'; message?: string; reason?: string; lastPhaseTransitionTime?: string };
}

export interface PersistentVolumeClaim extends KubeObject {
  kind: 'PersistentVolumeClaim';
  spec: {
    accessModes?: string[];
    resources?: { requests?: Record<string, string> };
    storageClassName?: string | null;
    volumeMode?: 'Filesystem' | 'Block';
    volumeName?: string;
    selector?: LabelSelector;
    [k: string]: any;
  };
  status?: { phase?: 'Pending' | 'Bound' | 'Lost'; accessModes?: string[]; capacity?: Record<string, string> };
}

export interface StorageClass extends KubeObject {
  kind: 'StorageClass';
  provisioner: string;
  reclaimPolicy?: 'Retain' | 'Delete';
  volumeBindingMode?: 'Immediate' | 'WaitForFirstConsumer';
  allowVolumeExpansion?: boolean;
  parameters?: Record<string, string>;
}

/** NO_PROVISIONER is the conventional provisioner of classes for pre-created (local) volumes only. */
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

/** claimClass is GetPersistentVolumeClaimClass: spec.storageClassName, "" when unset. */
export function claimClass(pvc: PersistentVolumeClaim): string {
  return pvc.spec?.storageClassName ?? '';
}

export function volumeClass(pv: PersistentVolume): string {
  return pv.spec?.storageClassName ?? '';
}

export function storageClass(sim: Sim, name: string): StorageClass | undefined {
  return name ? sim.store.get<StorageClass>('StorageClass', undefined, name) : undefined;
}

/** isDelayBindingMode: the claim's class waits for a consumer pod (WaitForFirstConsumer). */
export function isDelayBindingMode(sim: Sim, pvc: PersistentVolumeClaim): boolean {
  return storageClass(sim, claimClass(pvc))?.volumeBindingMode === 'WaitForFirstConsumer';
}

/** defaultStorageClass is the newest class annotated is-default-class "true" (DefaultStorageClass admission). */
export function defaultStorageClass(sim: Sim): StorageClass | undefined {
  const defaults = sim.store.list<StorageClass>('StorageClass').filter((c) => c.metadata.annotations?.[ANN_DEFAULT_CLASS] === 'true');
  // Upstream picks the newest when several are default (sorted by creationTimestamp, then name).
  defaults.sort((a, b) => (a.metadata.creationTimestamp! < b.metadata.creationTimestamp! ? 1 : a.metadata.creationTimestamp! > b.metadata.creationTimestamp! ? -1 : a.metadata.name < b.metadata.name ? -1 : 1));
  return defaults[0];
}

/** checkAccessModes: the volume offers every mode the claim asks for. */
export function checkAccessModes(pvc: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  const have = new Set(pv.spec?.accessModes ?? []);
  return (pvc.spec?.accessModes ?? []).every((m) => have.has(m));
}

/** checkNodeAffinity: a volume without node affinity fits any node; otherwise its required terms must match. */
export function checkNodeAffinity(pv: PersistentVolume, node: Node | undefined): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return true;
  if (!node) return false;
  return nodeSelectorMatches(terms, node.metadata.labels ?? {}, node.metadata.name);
}

export function storageOf(list: Record<string, string> | undefined): number {
  return parseQuantity(list?.storage) ?? 0;
}

/** isVolumeBoundToClaim: claimRef names this claim (uid too once set). */
export function isVolumeBoundToClaim(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref || ref.name !== pvc.metadata.name || (ref.namespace ?? '') !== (pvc.metadata.namespace ?? '')) return false;
  return !ref.uid || ref.uid === pvc.metadata.uid;
}

/**
 * findMatchingVolume is FindMatchingVolume: a volume pre-bound to the claim wins; otherwise the
 * smallest Available volume with the same class and volume mode, every requested access mode,
 * enough capacity, matching the claim's selector (and, for delayed binding, the node's affinity).
 * Ties on size go to the first in creation order. Volumes pre-bound to another claim are skipped.
 */
export function findMatchingVolume(pvc: PersistentVolumeClaim, volumes: PersistentVolume[], node?: Node, delayBinding = false): PersistentVolume | undefined {
  const want = storageOf(pvc.spec?.resources?.requests);
  const cls = claimClass(pvc);
  const mode = pvc.spec?.volumeMode ?? 'Filesystem';
  const sel = pvc.spec?.selector ? compileSelector(pvc.spec.selector) : undefined;
  let best: PersistentVolume | undefined;
  let bestSize = Infinity;
  for (const pv of volumes) {
    if ((pv.spec?.volumeMode ?? 'Filesystem') !== mode) continue;
    if (pv.metadata.deletionTimestamp) continue;
    const size = storageOf(pv.spec?.capacity);
    if (isVolumeBoundToClaim(pv, pvc)) {
      // Pre-bound (by the user or an earlier pass): it is the answer if it fits at all.
      if (size < want || !checkAccessModes(pvc, pv)) continue;
      if (node && !checkNodeAffinity(pv, node)) continue;
      return pv;
    }
    if (pv.spec?.claimRef) continue;
    if (pvc.spec?.volumeName && pvc.spec.volumeName !== pv.metadata.name) continue;
    if (pv.status?.phase && pv.status.phase !== 'Available' && pv.status.phase !== 'Pending') continue;
    if (node && !checkNodeAffinity(pv, node)) continue;
    if (delayBinding && !node) continue;
    if (volumeClass(pv) !== cls) continue;
    if (sel && !sel(pv.metadata.labels ?? {})) continue;
    if (!checkAccessModes(pvc, pv)) continue;
    if (size < want) continue;
    if (size < bestSize) {
      best = pv;
      bestSize = size;
    }
  }
  return best;
}
