/**
 * binder.ts: the PersistentVolume controller (pkg/controller/volume/persistentvolume/pv_controller.go),
 * controller `persistentvolume-binder`, events from `persistentvolume-controller`.
 *
 * syncClaim binds a Pending claim to the smallest fitting Available volume (util.ts
 * findMatchingVolume), or, failing that, hands it to its class's provisioner (provisioner.ts), or
 * waits: for a consumer pod (WaitForFirstConsumer), or for an administrator (no class: event
 * FailedBinding). syncVolume keeps each volume's phase: Available without a claim, Bound with one,
 * Released once its claim is gone, then reclaimed by policy: Retain keeps it Released (an admin
 * clears spec.claimRef to make it Available again), Delete removes it.
 *
 * WaitForFirstConsumer: the scheduler's VolumeBinding plugin binds a volume for the chosen node in
 * PreBind, or sets the volume.kubernetes.io/selected-node annotation for the provisioner
 * (scheduler/plugins/VolumeBinding/prebind.ts); until then the claim waits, saying for which pods.
 * A pod given a node without the scheduler leaves such a claim waiting, as upstream.
 */
import type { Sim } from '../../sim.ts';
import { keyOf } from '../../api/store.ts';
import type { Node, Pod } from '../../api/types.ts';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  checkAccessModes,
  claimClass,
  findMatchingVolume,
  isDelayBindingMode,
  isVolumeBoundToClaim,
  NO_PROVISIONER,
  storageClass,
  storageOf,
  volumeClass,
  type PersistentVolume,
  type PersistentVolumeClaim,
} from './util.ts';
import { provisionLater } from './provisioner.ts';

export const PV_CONTROLLER = 'persistentvolume-binder';
export const PV_COMPONENT = 'persistentvolume-controller';

/** claimNamesOf lists the PersistentVolumeClaims a pod mounts. */
export function claimNamesOf(pod: Pod): string[] {
  const out: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    const n = v?.persistentVolumeClaim?.claimName;
    if (typeof n === 'string' && n) out.push(n);
  }
  return out;
}

function setPhase(sim: Sim, pv: PersistentVolume, phase: NonNullable<PersistentVolume['status']>['phase']): void {
  if (pv.status?.phase === phase) return;
  pv.status = { phase, lastPhaseTransitionTime: sim.nowIso() };
  sim.store.update(pv, { specChanged: false });
}

/** bind is bindVolumeToClaim + bindClaimToVolume + both status updates, in one step. */
export function bind(sim: Sim, pv: PersistentVolume, pvc: PersistentVolumeClaim): void {
  if (!isVolumeBoundToClaim(pv, pvc) || !pv.spec.claimRef?.uid) {
    if (!pv.spec.claimRef) pv.metadata.annotations = { ...(pv.metadata.annotations ?? {}), [ANN_BOUND_BY_CONTROLLER]: 'yes' };
    pv.spec.claimRef = { kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid, apiVersion: 'v1', resourceVersion: pvc.metadata.resourceVersion };
    sim.store.update(pv, { specChanged: true });
  }
  setPhase(sim, pv, 'Bound');
  const ann: Record<string, string> = { ...(pvc.metadata.annotations ?? {}), [ANN_BIND_COMPLETED]: 'yes' };
  if (!pvc.spec.volumeName) ann[ANN_BOUND_BY_CONTROLLER] = 'yes';
  pvc.metadata.annotations = ann;
  pvc.spec.volumeName = pv.metadata.name;
  pvc.status = { phase: 'Bound', accessModes: [...(pv.spec.accessModes ?? [])], capacity: { ...(pv.spec.capacity ?? {}) } };
  sim.store.update(pvc, { specChanged: true });
}

/** checkVolumeSatisfyClaim's messages, for a claim that names its volume (spec.volumeName). */
function mismatch(pv: PersistentVolume, pvc: PersistentVolumeClaim): string | undefined {
  if (storageOf(pv.spec?.capacity) < storageOf(pvc.spec?.resources?.requests)) return 'requested PV is too small';
  if (volumeClass(pv) !== claimClass(pvc)) return 'storageClassName does not match';
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (pvc.spec?.volumeMode ?? 'Filesystem')) return 'incompatible volumeMode';
  if (!checkAccessModes(pvc, pv)) return 'incompatible accessMode';
  return undefined;
}

function syncClaim(sim: Sim, pvc: PersistentVolumeClaim, node?: Node): void {
  if (pvc.metadata.deletionTimestamp) return;
  const volumes = sim.store.list<PersistentVolume>('PersistentVolume');
  if (pvc.spec.volumeName) {
    const pv = volumes.find((v) => v.metadata.name === pvc.spec.volumeName);
    if (!pv) {
      if (pvc.status?.phase === 'Bound') {
        pvc.status = { ...pvc.status, phase: 'Lost' };
        sim.store.update(pvc, { specChanged: false });
        sim.recordEvent(pvc, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!', PV_COMPONENT);
      }
      return;
    }
    if (pvc.status?.phase === 'Bound' && isVolumeBoundToClaim(pv, pvc)) {
      setPhase(sim, pv, 'Bound');
      return;
    }
    if (pv.spec.claimRef && !isVolumeBoundToClaim(pv, pvc)) return; // the volume belongs to another claim: wait
    const why = mismatch(pv, pvc);
    if (why) {
      sim.recordEvent(pvc, 'Warning', 'VolumeMismatch', `Cannot bind to requested volume "${pv.metadata.name}": ${why}`, PV_COMPONENT);
      return;
    }
    bind(sim, pv, pvc);
    return;
  }
  const selected = pvc.metadata.annotations?.[ANN_SELECTED_NODE];
  const delay = isDelayBindingMode(sim, pvc);
  const onNode = node ?? (selected ? sim.store.get<Node>('Node', undefined, selected) : undefined);
  const pv = findMatchingVolume(pvc, volumes, delay ? onNode : undefined, delay);
  if (pv) {
    bind(sim, pv, pvc);
    return;
  }
  const clsName = claimClass(pvc);
  if (delay && !selected) {
    waitForConsumer(sim, pvc);
    return;
  }
  if (!clsName) {
    sim.recordEvent(pvc, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set', PV_COMPONENT);
    return;
  }
  const cls = storageClass(sim, clsName);
  if (!cls) {
    sim.recordEvent(pvc, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${clsName}" not found`, PV_COMPONENT);
    return;
  }
  if (!cls.provisioner || cls.provisioner === NO_PROVISIONER) {
    sim.recordEvent(pvc, 'Warning', 'ProvisioningFailed', `no volume plugin matched name: ${cls.provisioner ?? ''}`, PV_COMPONENT);
    return;
  }
  if (pvc.metadata.annotations?.[ANN_STORAGE_PROVISIONER] === cls.provisioner) return; // already handed over
  pvc.metadata.annotations = { ...(pvc.metadata.annotations ?? {}), [ANN_BETA_STORAGE_PROVISIONER]: cls.provisioner, [ANN_STORAGE_PROVISIONER]: cls.provisioner };
  sim.store.update(pvc, { specChanged: false });
  sim.recordEvent(
    pvc,
    'Normal',
    'ExternalProvisioning',
    `Waiting for a volume to be created either by the external provisioner '${cls.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    PV_COMPONENT,
  );
  provisionLater(sim, pvc);
}

function syncVolume(sim: Sim, pv: PersistentVolume): void {
  // A deleted volume held by its pv-protection finalizer is still synced: its claim going makes it
  // Released, which lets the finalizer go (protection.ts).
  const ref = pv.spec?.claimRef;
  if (!ref) {
    setPhase(sim, pv, 'Available');
    return;
  }
  const pvc = ref.name ? sim.store.get<PersistentVolumeClaim>('PersistentVolumeClaim', ref.namespace, ref.name) : undefined;
  if (!ref.uid) {
    // Pre-bound by the user to a claim that will bind to it: Available until then.
    setPhase(sim, pv, 'Available');
    if (pvc) sim.enqueue(PV_CONTROLLER, `pvc:${keyOf(pvc)}`);
    return;
  }
  if (pvc && pvc.metadata.uid === ref.uid) {
    if (pvc.spec.volumeName === pv.metadata.name) setPhase(sim, pv, 'Bound');
    else if (!pvc.spec.volumeName) sim.enqueue(PV_CONTROLLER, `pvc:${keyOf(pvc)}`);
    return;
  }
  // The claim is gone: the volume is Released and reclaimed by its policy.
  if (pv.status?.phase === 'Released' || pv.status?.phase === 'Failed') return;
  setPhase(sim, pv, 'Released');
  const policy = pv.spec.persistentVolumeReclaimPolicy ?? 'Retain';
  if (policy === 'Delete') {
    // The provisioner (or the in-tree deleter) removes the backing volume, then the PV object.
    sim.store.remove('PersistentVolume', undefined, pv.metadata.name);
  } else if (policy === 'Recycle') {
    delete pv.spec.claimRef;
    sim.store.update(pv, { specChanged: true });
    setPhase(sim, pv, 'Available');
    sim.recordEvent(pv, 'Normal', 'VolumeRecycled', `Volume recycled`, PV_COMPONENT);
  }
}

/** pendingClaims enqueues every unbound claim (a new volume or class may satisfy one: upstream's periodic resync). */
function enqueuePending(sim: Sim): void {
  for (const c of sim.store.list<PersistentVolumeClaim>('PersistentVolumeClaim')) {
    if (!c.spec?.volumeName && !c.metadata.deletionTimestamp) sim.enqueue(PV_CONTROLLER, `pvc:${keyOf(c)}`);
  }
}

/**
 * waitForConsumer is emitEventForUnboundDelayBindingClaim: a delayed-binding claim waits for a pod
 * that uses it, or, once pods use it, for them to be scheduled.
 */
function waitForConsumer(sim: Sim, pvc: PersistentVolumeClaim): void {
  const pods: string[] = [];
  for (const p of sim.store.list<Pod>('Pod', pvc.metadata.namespace)) {
    if (!p.spec.nodeName && claimNamesOf(p).includes(pvc.metadata.name)) pods.push(p.metadata.name);
  }
  if (pods.length === 0) sim.recordEvent(pvc, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding', PV_COMPONENT);
  else sim.recordEvent(pvc, 'Normal', 'WaitForPodScheduled', `waiting for pod${pods.length > 1 ? 's' : ''} ${pods.join(',')} to be scheduled`, PV_COMPONENT);
}

/**
 * installVolumeBinder adds the `persistentvolume-binder` controller. Keys: `pvc:<ns>/<name>` and
 * `pv:<name>`.
 */
export function installVolumeBinder(sim: Sim): void {
  sim.addController({
    name: PV_CONTROLLER,
    sync(key) {
      const colon = key.indexOf(':');
      const kind = key.slice(0, colon);
      const k = key.slice(colon + 1);
      if (kind === 'pvc') {
        const pvc = sim.store.getByKey<PersistentVolumeClaim>('PersistentVolumeClaim', k);
        if (pvc) syncClaim(sim, pvc);
      } else if (kind === 'pv') {
        const pv = sim.store.getByKey<PersistentVolume>('PersistentVolume', k);
        if (pv) syncVolume(sim, pv);
      }
    },
  });
  sim.store.watch('PersistentVolumeClaim', (type, obj) => {
    const pvc = obj as PersistentVolumeClaim;
    if (type !== 'DELETED') {
      if (pvc.status?.phase !== 'Bound' || !pvc.spec?.volumeName) sim.enqueue(PV_CONTROLLER, `pvc:${keyOf(pvc)}`);
      return;
    }
    // A deleted claim releases its volume (and any volume pre-bound to it).
    for (const pv of sim.store.list<PersistentVolume>('PersistentVolume')) {
      if (pv.spec?.claimRef?.name === pvc.metadata.name && pv.spec.claimRef.namespace === pvc.metadata.namespace) sim.enqueue(PV_CONTROLLER, `pv:${keyOf(pv)}`);
    }
  });
  sim.store.watch('PersistentVolume', (type, obj) => {
    if (type === 'DELETED') {
      const ref = (obj as PersistentVolume).spec?.claimRef;
      if (ref?.name) sim.enqueue(PV_CONTROLLER, `pvc:${ref.namespace}/${ref.name}`);
      return;
    }
    sim.enqueue(PV_CONTROLLER, `pv:${keyOf(obj)}`);
    if (type === 'ADDED' || !(obj as PersistentVolume).spec?.claimRef) enqueuePending(sim);
  });
  sim.store.watch('StorageClass', (type) => {
    if (type === 'ADDED') enqueuePending(sim);
  });
}
