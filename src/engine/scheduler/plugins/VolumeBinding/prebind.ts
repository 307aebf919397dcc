/**
 * VolumeBinding's Reserve/PreBind half (pkg/scheduler/framework/plugins/volumebinding/binder.go,
 * BindPodVolumes): once the scheduling cycle has chosen a node for a pod whose WaitForFirstConsumer
 * claims are still unbound, the binding cycle
 *  1. makes the API updates (bindAPIUpdate): a claim with an Available volume that fits on the node
 *     is bound to it; a claim to provision gets the volume.kubernetes.io/selected-node annotation,
 *     which hands it to its class's provisioner (controllers/volume/binder.ts);
 *  2. polls every second (wait.PollUntilContextTimeout, not at once) until every claim is fully bound
 *     (checkBindings), for at most bindTimeoutSeconds (600 s);
 * and only then binds the pod to the node. Meanwhile the pod is Pending with no node, assumed on the
 * chosen node in the scheduler's cache so no other pod takes its room.
 */
import type { Sim } from '../../../sim.ts';
import type { Node, Pod } from '../../../api/types.ts';
import { bind, claimNamesOf } from '../../../controllers/volume/binder.ts';
import {
  ANN_BIND_COMPLETED,
  ANN_SELECTED_NODE,
  findMatchingVolume,
  isDelayBindingMode,
  type PersistentVolume,
  type PersistentVolumeClaim,
} from '../../../controllers/volume/util.ts';

/** PREBIND_POLL_MS: checkBindings' poll interval (time.Second). */
export const PREBIND_POLL_MS = 1000;
/** BIND_TIMEOUT_MS: VolumeBindingArgs.bindTimeoutSeconds' default, 600. */
export const BIND_TIMEOUT_MS = 600_000;

/**
 * bindPodVolumes makes PreBind's API updates for the pod's unbound WaitForFirstConsumer claims on
 * the node, and tells whether the pod must wait for them (false: nothing to bind, bind the pod now).
 */
export function bindPodVolumes(sim: Sim, pod: Pod, nodeName: string): boolean {
  const node = sim.store.get<Node>('Node', undefined, nodeName);
  let free: PersistentVolume[] | undefined;
  let waits = false;
  for (const name of claimNamesOf(pod)) {
    const pvc = sim.store.get<PersistentVolumeClaim>('PersistentVolumeClaim', pod.metadata.namespace, name);
    if (!pvc || pvc.spec.volumeName || !isDelayBindingMode(sim, pvc)) continue;
    waits = true;
    // findMatchingVolumes: the smallest fitting Available volume on the node, each claim its own.
    free ??= sim.store.list<PersistentVolume>('PersistentVolume');
    const pv = node ? findMatchingVolume(pvc, free, node, true) : undefined;
    if (pv) {
      free = free.filter((v) => v !== pv);
      bind(sim, pv, pvc);
    } else if (pvc.metadata.annotations?.[ANN_SELECTED_NODE] !== nodeName) {
      pvc.metadata.annotations = { ...(pvc.metadata.annotations ?? {}), [ANN_SELECTED_NODE]: nodeName };
      sim.store.update(pvc, { specChanged: false });
    }
  }
  return waits;
}

/**
 * checkBindings: true when every claim of the pod is fully bound (a volume and the bind-completed
 * annotation), false to poll again, or the error that ends the binding cycle.
 */
export function checkBindings(sim: Sim, pod: Pod, nodeName: string): boolean | string {
  for (const name of claimNamesOf(pod)) {
    const pvc = sim.store.get<PersistentVolumeClaim>('PersistentVolumeClaim', pod.metadata.namespace, name);
    if (!pvc) return `failed to check provisioning pvc: persistentvolumeclaim "${name}" not found`;
    if (pvc.spec.volumeName && pvc.metadata.annotations?.[ANN_BIND_COMPLETED]) continue;
    // A provisioner that gives up takes the annotation away, to have the pod scheduled again.
    if (!pvc.spec.volumeName && pvc.metadata.annotations?.[ANN_SELECTED_NODE] !== nodeName) return `provisioning failed for PVC "${name}"`;
    return false;
  }
  return true;
}
