/**
 * commands.ts: `kubeplay addons [list] | enable NAME | disable NAME`, the switch for Kubeplay's
 * simulated add-ons (today: vertical-pod-autoscaler). Enabling one installs what its real
 * manifests install (for the VPA, its CustomResourceDefinition) and starts its loops.
 */
import type { Sim } from '../../sim.ts';
import { ADDON_NAMES, type VpaService } from './index.ts';

export interface AddonsResult {
  exit: number;
  out: string;
}

const HELP = `Manage Kubeplay's simulated add-ons (not part of Kubernetes; off until enabled).

Usage:
  kubeplay addons [list]
  kubeplay addons enable vertical-pod-autoscaler
  kubeplay addons disable vertical-pod-autoscaler
`;

/** runAddonsCommand runs `kubeplay addons …` (words after "addons"). */
export function runAddonsCommand(sim: Sim, words: string[]): AddonsResult {
  const svc = sim.services.get('vpa') as VpaService | undefined;
  const [verb, name] = words;
  if (verb === undefined || verb === 'list') {
    const state = svc?.enabled ? 'enabled' : 'disabled';
    return { exit: 0, out: `NAME                      STATUS     DESCRIPTION\nvertical-pod-autoscaler   ${state.padEnd(10)} VerticalPodAutoscaler recommender, updater and admission controller (simulated)\n` };
  }
  if (verb === 'help' || verb === '--help' || verb === '-h') return { exit: 0, out: HELP };
  if (verb !== 'enable' && verb !== 'disable') return { exit: 1, out: `error: unknown command "${verb}" for "kubeplay addons" (list, enable, disable)\n` };
  if (!name) return { exit: 1, out: `error: kubeplay addons ${verb} needs an add-on name (vertical-pod-autoscaler)\n` };
  if (!ADDON_NAMES.includes(name)) return { exit: 1, out: `error: unknown add-on "${name}" (available: vertical-pod-autoscaler)\n` };
  if (!svc) return { exit: 1, out: `error: the vertical-pod-autoscaler add-on is not available in this cluster\n` };
  const r = verb === 'enable' ? svc.enable() : svc.disable();
  sim.settle();
  if (r === 'unchanged') return { exit: 0, out: `vertical-pod-autoscaler (simulated add-on) is already ${verb}d\n` };
  return {
    exit: 0,
    out:
      verb === 'enable'
        ? 'customresourcedefinition.apiextensions.k8s.io/verticalpodautoscalers.autoscaling.k8s.io created\nvertical-pod-autoscaler (simulated add-on) enabled: recommender, updater and admission controller running\n'
        : 'customresourcedefinition.apiextensions.k8s.io "verticalpodautoscalers.autoscaling.k8s.io" deleted\nvertical-pod-autoscaler (simulated add-on) disabled\n',
  };
}
