/**
 * provisioner.ts: a simulated dynamic provisioner (what an external CSI provisioner sidecar does,
 * sig-storage-lib-external-provisioner's controller.go), for any StorageClass provisioner name
 * except kubernetes.io/no-provisioner. PROVISION_DELAY_MS after the claim is handed to it, it
 * creates `pvc-<claim uid>` with the claim's size, access modes and volume mode, the class's
 * reclaimPolicy (default Delete) and a claimRef to the claim, which the binder then completes.
 * For WaitForFirstConsumer claims the volume is pinned to the selected node (node affinity on
 * kubernetes.io/hostname), as topology-aware provisioners do for node-local storage.
 */
import type { Sim } from '../../sim.ts';
import { keyOf } from '../../api/store.ts';
import {
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  claimClass,
  storageClass,
  type PersistentVolume,
  type PersistentVolumeClaim,
} from './util.ts';

export const PROVISION_TIMER = 'volume/provision';
/** PROVISION_DELAY_MS: how long the simulated backend takes to create a volume (a cloud disk takes seconds). */
export const PROVISION_DELAY_MS = 2000;

/** provisionLater schedules the claim's provisioning. */
export function provisionLater(sim: Sim, pvc: PersistentVolumeClaim): void {
  sim.after(PROVISION_DELAY_MS, PROVISION_TIMER, keyOf(pvc));
}

/** provision creates the claim's volume if the claim still waits for one; returns it. */
export function provision(sim: Sim, key: string): PersistentVolume | undefined {
  const pvc = sim.store.getByKey<PersistentVolumeClaim>('PersistentVolumeClaim', key);
  if (!pvc || pvc.spec.volumeName || pvc.metadata.deletionTimestamp) return undefined;
  const cls = storageClass(sim, claimClass(pvc));
  const provisioner = pvc.metadata.annotations?.[ANN_STORAGE_PROVISIONER];
  if (!cls || !provisioner || cls.provisioner !== provisioner) return undefined;
  const name = `pvc-${pvc.metadata.uid}`;
  if (sim.store.get('PersistentVolume', undefined, name)) return undefined;
  const component = `${provisioner}_simulated-provisioner`;
  sim.recordEvent(pvc, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${key}"`, component);
  const node = pvc.metadata.annotations?.[ANN_SELECTED_NODE];
  const pv: PersistentVolume = {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    // The external provisioner creates it through the API server, whose admission adds the pv-protection finalizer.
    metadata: { name, annotations: { [ANN_DYNAMICALLY_PROVISIONED]: provisioner }, finalizers: ['kubernetes.io/pv-protection'] },
    spec: {
      capacity: { storage: String(pvc.spec.resources?.requests?.storage ?? '0') },
      accessModes: [...(pvc.spec.accessModes ?? [])],
      persistentVolumeReclaimPolicy: cls.reclaimPolicy ?? 'Delete',
      storageClassName: cls.metadata.name,
      volumeMode: pvc.spec.volumeMode ?? 'Filesystem',
      claimRef: { kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid, apiVersion: 'v1', resourceVersion: pvc.metadata.resourceVersion },
      csi: { driver: provisioner, volumeHandle: name, fsType: 'ext4' },
      ...(node ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } } } : {}),
    },
    status: { phase: 'Pending' },
  };
  const created = sim.store.create(pv);
  sim.recordEvent(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`, component);
  return created;
}

/** installProvisioner registers the provisioning timer. */
export function installProvisioner(sim: Sim): void {
  sim.onTimer(PROVISION_TIMER, (key) => {
    provision(sim, key);
  });
}
