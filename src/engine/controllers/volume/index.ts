/**
 * volume: the PersistentVolume binder (binder.ts), the simulated dynamic provisioner
 * (provisioner.ts) and the DefaultStorageClass admission for new claims.
 */
import type { Sim } from '../../sim.ts';
import type { KubeObject } from '../../api/types.ts';
import { bootstrapUid } from '../../rng.ts';
import { ANN_DEFAULT_CLASS } from './util.ts';
import { installVolumeBinder } from './binder.ts';
import { installProvisioner } from './provisioner.ts';
import { installProtectionControllers } from './protection.ts';

export { bind, claimNamesOf, installVolumeBinder, PV_COMPONENT, PV_CONTROLLER } from './binder.ts';
export { provision, PROVISION_DELAY_MS } from './provisioner.ts';
export * from './util.ts';
export { PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER } from './protection.ts';

/** installVolumeControllers installs the binder, the simulated provisioner and the pvc/pv protection controllers. */
export function installVolumeControllers(sim: Sim): void {
  installProvisioner(sim);
  installVolumeBinder(sim);
  installProtectionControllers(sim);
  installDefaultStorageClass(sim);
}

/**
 * DEFAULT_STORAGE_CLASS is the class a kind cluster comes with (its local-path provisioner): the
 * default, so a claim without a class is provisioned, as on kind, minikube and the clouds. A scenario
 * that wants none deletes it (`kubectl delete storageclass standard`) or applies its own.
 */
export const DEFAULT_STORAGE_CLASS = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'standard', annotations: { [ANN_DEFAULT_CLASS]: 'true' } },
  provisioner: 'rancher.io/local-path',
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
};

/** installDefaultStorageClass creates the default class outside the scenario's random stream (see bootstrapUid). */
function installDefaultStorageClass(sim: Sim): void {
  if (sim.store.count('StorageClass') > 0) return;
  const saved = sim.rng.getState();
  const sc = sim.service<{ create(o: unknown): KubeObject }>('api').create(structuredClone(DEFAULT_STORAGE_CLASS));
  sc.metadata.uid = bootstrapUid(sc.kind, sc.metadata.name);
  sim.rng.setState(saved);
}
