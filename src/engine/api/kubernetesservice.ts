import type { Sim } from '../sim.ts';
import type { ApiServer } from './server.ts';
import { KUBERNETES_SERVICE_IP } from './ipallocator.ts';

/**
 * The `kubernetes` Service in the default namespace, 10.96.0.1:443 to the apiserver at
 * 192.168.49.2:6443, with the Endpoints and EndpointSlice the apiserver writes for it itself
 * (pkg/controlplane/controller/kubernetesservice).
 */

/** The address the simulated apiserver listens on (a minikube-style node IP; kubeadm's secure port). */
export const APISERVER_ADDRESS = '192.168.49.2';
export const APISERVER_PORT = 6443;

const KUBERNETES_SERVICE_TIMER = 'apiserver/kubernetes-service';
/** KUBERNETES_SERVICE_INTERVAL_MS is the apiserver's EndpointInterval (10 s). */
const KUBERNETES_SERVICE_INTERVAL_MS = 10_000;

/** ensureKubernetesService makes the `kubernetes` Service at 10.96.0.1 and the endpoints the apiserver writes for it, where missing. */
function ensureKubernetesService(sim: Sim): void {
  const store = sim.store;
  const api = sim.service<ApiServer>('api');
  if (!store.get('Service', 'default', 'kubernetes')) {
    api.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { clusterIP: KUBERNETES_SERVICE_IP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: APISERVER_PORT }] },
    });
  }
  // The apiserver's endpoint reconciler writes these itself (the service has no selector).
  if (!store.get('Endpoints', 'default', 'kubernetes')) {
    store.create({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: [{ ip: APISERVER_ADDRESS }], ports: [{ name: 'https', port: APISERVER_PORT, protocol: 'TCP' }] }],
    });
  }
  if (!store.get('EndpointSlice', 'default', 'kubernetes')) {
    store.create({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [APISERVER_ADDRESS], conditions: { ready: true } }],
      ports: [{ name: 'https', port: APISERVER_PORT, protocol: 'TCP' }],
    });
  }
}

/**
 * installKubernetesService makes the `kubernetes` Service and its endpoints, and the controller that
 * makes them again after a delete.
 */
export function installKubernetesService(sim: Sim): void {
  const store = sim.store;
  ensureKubernetesService(sim);
  // The apiserver's kubernetes service controller checks every EndpointInterval (10 s) and makes the
  // `kubernetes` Service and its endpoints again when they were deleted.
  sim.onTimer(KUBERNETES_SERVICE_TIMER, () => ensureKubernetesService(sim));
  for (const kind of ['Service', 'Endpoints', 'EndpointSlice']) {
    store.watch(kind, (type, obj) => {
      if (type !== 'DELETED' || obj.metadata.name !== 'kubernetes' || obj.metadata.namespace !== 'default') return;
      sim.after(KUBERNETES_SERVICE_INTERVAL_MS - (sim.now() % KUBERNETES_SERVICE_INTERVAL_MS), KUBERNETES_SERVICE_TIMER, 'kubernetes');
    });
  }
}
