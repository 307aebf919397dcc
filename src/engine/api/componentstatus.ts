/**
 * componentstatuses, as the API server's componentstatus REST serves them (pkg/registry/core/componentstatus):
 * nothing is stored; each get or list runs the health checks of the control plane's components and
 * reports one Healthy condition each. Kubeplay's control plane is always up, so every check passes with
 * the message 1.28+ servers give ("ok": the scheduler's and controller-manager's /healthz body, and the
 * etcd check through the storage backend), as `kubectl get cs` shows in kubernetes/kubernetes#128594.
 */
import { ApiError } from './errors.ts';
import type { KubeObject } from './types.ts';

/** COMPONENT_STATUS_WARNING: the deprecation warning the server sends with every componentstatuses response (v1.19+). */
export const COMPONENT_STATUS_WARNING = 'v1 ComponentStatus is deprecated in v1.19+';

/**
 * COMPONENTS: the servers validated, in the order the listing shows them. Upstream's List runs the
 * checks concurrently and returns them as they finish, so a real cluster's order varies between calls.
 */
const COMPONENTS = ['controller-manager', 'scheduler', 'etcd-0'];

/** componentStatus is getComponentStatus: the name and one condition; metadata has no timestamp (it prints as null). */
function componentStatus(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ComponentStatus',
    metadata: { name, creationTimestamp: null as unknown as string },
    conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }],
  };
}

/** listComponentStatuses is the REST's List: one status per component. */
export function listComponentStatuses(): KubeObject[] {
  return COMPONENTS.map(componentStatus);
}

/**
 * getComponentStatus is the REST's Get. An unknown name is a plain Go error there (fmt.Errorf), which the
 * server returns as a 500 with no reason: kubectl prints "Error from server: Component not found: NAME".
 */
export function getComponentStatus(name: string): KubeObject {
  if (!COMPONENTS.includes(name)) throw new ApiError('', `Component not found: ${name}`);
  return componentStatus(name);
}
