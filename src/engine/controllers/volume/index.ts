/**
 * volume: the PersistentVolume binder (binder.ts), the simulated dynamic provisioner
 * (provisioner.ts) and the DefaultStorageClass admission for new claims.
 */
import type { Sim } from '../../sim.ts';
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
}
