/**
 * admission: the admission plugins Kubeplay runs beyond defaulting (api/defaults.ts), in the
 * API server's order (kube-apiserver's recommended plugin order): mutating LimitRanger, then,
 * after object validation, validating LimitRanger and ResourceQuota (quota last, so only
 * requests that will be stored are charged).
 *
 * Controllers that write pods to the store directly (README rule 2) call admitControllerPod so
 * their pods meet the same LimitRanges and quotas as the API server's (upstream controllers go
 * through the API server: a refused pod is their FailedCreate).
 */
import type { Sim } from '../sim.ts';
import { kindInfo, resourceName } from '../api/kinds.ts';
import { podQOSClass } from '../api/qos.ts';
import type { KubeObject, Pod } from '../api/types.ts';
import { admitLimitRanger, forbidden, setLimitRangeDefaults, validateLimitRanger } from './limitranger.ts';
import { LIMIT_NOTE, LIMITS } from '../api/validation.ts';
import { admitResourceQuota } from './resourcequota.ts';
import { defaultStorageClass } from '../controllers/volume/util.ts';
import { admitPodPriority, setPriorityClassDefaults, validatePriorityClass } from './priority.ts';
import { admitServiceAccount } from './serviceaccount.ts';

export { admitLimitRanger, validateLimitRanger, setLimitRangeDefaults, LIMIT_RANGER_ANNOTATION } from './limitranger.ts';
export { admitResourceQuota, calculateUsage, usageOf } from './resourcequota.ts';
export { admitPodPriority, installPriorityClasses, defaultPriorityClass, type PriorityClass } from './priority.ts';

/**
 * runMutatingAdmission is the mutating phase for a new object: LimitRange defaults (and LimitRange's
 * own defaulting), then Priority (spec.priority from the PriorityClass; a missing class is Forbidden).
 */
export function runMutatingAdmission(sim: Sim, obj: KubeObject): void {
  if (obj.kind === 'LimitRange') setLimitRangeDefaults(obj);
  if (obj.kind === 'PriorityClass') setPriorityClassDefaults(obj);
  if (obj.kind === 'PersistentVolumeClaim' || obj.kind === 'PersistentVolume') admitStorage(sim, obj);
  if (obj.kind === 'Ingress') admitDefaultIngressClass(sim, obj);
  if (obj.kind !== 'Pod') return;
  admitPodPriority(sim, obj as Pod);
  const before = obj.metadata?.annotations?.['kubernetes.io/limit-ranger'];
  admitLimitRanger(sim, obj);
  // ServiceAccount comes after LimitRanger in kube-apiserver's plugin order.
  admitServiceAccount(sim, obj as Pod);
  // Mutating webhooks run after the built-in plugins: the simulated VPA add-on's admission controller.
  (sim.services.get('vpa') as { admitPod?(pod: Pod): void } | undefined)?.admitPod?.(obj as Pod);
  // LimitRanger may add requests/limits: the QoS class the server set before admission moves with them.
  if (obj.metadata?.annotations?.['kubernetes.io/limit-ranger'] !== before && obj.status) (obj as Pod).status.qosClass = podQOSClass((obj as Pod).spec);
}

/** runValidatingAdmission is the validating phase for a new object: LimitRanger, then ResourceQuota (charges unless dryRun). */
export function runValidatingAdmission(sim: Sim, obj: KubeObject, dryRun = false): void {
  const info = kindInfo(obj.kind);
  const resource = info ? resourceName(info) : obj.kind.toLowerCase();
  if (obj.kind === 'PriorityClass') validatePriorityClass(sim, obj);
  // The simulation's own bound on a cluster's pods (a Deployment scaled to 100,000 on three nodes would
  // freeze the tab): past it a pod is refused like a quota's, and its controller reports FailedCreate.
  if (obj.kind === 'Pod' && sim.store.count('Pod') >= LIMITS.pods) {
    throw forbidden(resource, obj, `this cluster already has ${LIMITS.pods} pods ${LIMIT_NOTE}`);
  }
  validateLimitRanger(sim, obj, resource);
  admitResourceQuota(sim, obj, dryRun);
}

/**
 * admitControllerPod runs both phases for a pod a controller is about to store (after
 * preparePodForCreate); it throws the ApiError the API server would return, whose message the
 * controller reports as `Error creating: <message>` (FailedCreate).
 */
export function admitControllerPod(sim: Sim, pod: Pod): void {
  runMutatingAdmission(sim, pod);
  runValidatingAdmission(sim, pod);
}

/**
 * admitDefaultIngressClass is the DefaultIngressClass admission plugin: a new Ingress that names no class
 * (neither spec.ingressClassName nor the old kubernetes.io/ingress.class annotation) gets the IngressClass
 * marked ingressclass.kubernetes.io/is-default-class "true" (the newest, when several are).
 */
function admitDefaultIngressClass(sim: Sim, obj: KubeObject): void {
  if (typeof obj.spec !== 'object' || obj.spec === null || obj.spec.ingressClassName || obj.metadata?.annotations?.['kubernetes.io/ingress.class']) return;
  let chosen: KubeObject | undefined;
  for (const c of sim.store.list('IngressClass')) {
    if (c.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'] !== 'true') continue;
    if (!chosen || (c.metadata.creationTimestamp ?? '') >= (chosen.metadata.creationTimestamp ?? '')) chosen = c;
  }
  if (chosen) obj.spec.ingressClassName = chosen.metadata.name;
}

/**
 * admitStorage: new claims and volumes start Pending (the binder moves them on) with the
 * StorageObjectInUseProtection finalizer, and a claim that
 * names no class gets the default StorageClass (the DefaultStorageClass admission plugin); an
 * explicit "" keeps the claim to class-less volumes.
 */
function admitStorage(sim: Sim, obj: KubeObject): void {
  obj.status = { phase: 'Pending' };
  // StorageObjectInUseProtection: the finalizer its controller removes once nothing uses the object.
  const finalizer = obj.kind === 'PersistentVolumeClaim' ? 'kubernetes.io/pvc-protection' : 'kubernetes.io/pv-protection';
  const meta = obj.metadata as KubeObject['metadata'];
  if (!meta.finalizers?.includes(finalizer)) meta.finalizers = [...(meta.finalizers ?? []), finalizer];
  if (typeof obj.spec !== 'object' || obj.spec === null) return;
  obj.spec.volumeMode ??= 'Filesystem';
  if (obj.kind === 'PersistentVolume') {
    // SetDefaults_PersistentVolume and SetDefaults_HostPathVolumeSource.
    obj.spec.persistentVolumeReclaimPolicy ??= 'Retain';
    if (typeof obj.spec.hostPath === 'object' && obj.spec.hostPath !== null) obj.spec.hostPath.type ??= '';
    return;
  }
  if (obj.spec.storageClassName === undefined || obj.spec.storageClassName === null) {
    const def = defaultStorageClass(sim);
    if (def) obj.spec.storageClassName = def.metadata.name;
  }
}
