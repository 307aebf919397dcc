import type { Sim } from '../sim.ts';

/** SCHEDULER_COMPONENT is the scheduler's events' reportingController (its profile's scheduler name). */
export const SCHEDULER_COMPONENT = 'default-scheduler';

/**
 * schedulerHost is the host the scheduler runs on, for its events' reportingInstance
 * ("default-scheduler-<hostname>", as NewRecorder names it): kubeadm's control-plane node, or that
 * node's default name when the scenario leaves the control plane out of the cluster's nodes.
 */
export function schedulerHost(sim: Sim): string {
  return (sim.options as { controlPlane?: { name: string } }).controlPlane?.name ?? 'control-plane';
}
