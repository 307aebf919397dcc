/**
 * kubeconfig: the session's kubeconfig context (the namespace `kubectl config set-context --current
 * --namespace` sets), kept in sim.moduleState('kubeconfig') so snapshots, rewinds and shared replays
 * carry it. It imports nothing from the command layer, so context.ts can ask it for the default
 * namespace without an import cycle.
 */
import type { Sim } from '../sim.ts';

/** CONTEXT_NAME, CLUSTER_NAME and AUTHINFO are the single context Kubeplay's kubeconfig has. */
export const CONTEXT_NAME = 'kubeplay';
/** API_SERVER is the API server's address in the kubeconfig (`kubectl config view`, `kubectl cluster-info`). */
export const API_SERVER = 'https://kubeplay.local:6443';
export const CLUSTER_NAME = 'kubeplay';
export const AUTHINFO = 'kubeplay-admin';

export interface KubeconfigState {
  /** namespace of the current context; '' when unset (kubectl then uses "default"). */
  namespace: string;
}

/** kubeconfigState returns the state, created on first write only (a read must not change a snapshot). */
export function kubeconfigState(sim: Sim): KubeconfigState {
  return sim.moduleState<KubeconfigState>('kubeconfig', () => ({ namespace: '' }));
}

/** contextNamespace is the current context's namespace, or "default" as kubectl falls back to it. */
export function contextNamespace(sim: Sim): string {
  const st = sim.state.kubeconfig as KubeconfigState | undefined;
  return st?.namespace || 'default';
}
