/**
 * testutil builds network fixtures directly in the store (Services, Pods with IPs and Ready
 * conditions, EndpointSlices, Ingresses), so the data plane is tested without the API server,
 * scheduler or kubelet.
 */
import type { KubeObject, Pod, Service } from '../api/types.ts';
import { Sim, type SimOptions } from '../sim.ts';
import { installNetworking, type NetworkModule } from './index.ts';

export function netSim(opts: SimOptions = {}): { sim: Sim; net: NetworkModule } {
  const sim = new Sim({ seed: 7, ...opts });
  installNetworking(sim);
  return { sim, net: sim.service<NetworkModule>('network') };
}

export interface PodOpts {
  ns?: string;
  labels?: Record<string, string>;
  image?: string;
  node?: string;
  ready?: boolean;
  ip?: string;
  port?: number;
  portName?: string;
}

export function addPod(sim: Sim, name: string, o: PodOpts = {}): Pod {
  const seq = sim.store.count('Pod');
  const ip = o.ip ?? `10.245.${1 + (Math.floor(seq / 250) % 250)}.${2 + (seq % 250)}`;
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: o.ns ?? 'default', labels: o.labels ?? {} },
    spec: { nodeName: o.node, containers: [{ name: 'app', image: o.image ?? 'app:v1', ports: [{ containerPort: o.port ?? 8080, name: o.portName }] }] },
    status: {
      phase: 'Running',
      podIP: ip,
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
      containerStatuses: [{ name: 'app', image: o.image ?? 'app:v1', ready: o.ready !== false, restartCount: 0, state: { running: {} } }],
    },
  };
  return sim.store.create(pod);
}

export function addService(sim: Sim, name: string, spec: Partial<Service['spec']> & { clusterIP?: string }, ns = 'default'): Service {
  const svc: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], sessionAffinity: 'None', ...spec },
  };
  return sim.store.create(svc);
}

/** syncSlice writes the EndpointSlice the endpointslice controller would for a service's selected pods. */
export function syncSlice(sim: Sim, svc: Service, pods: Pod[], port = 8080): KubeObject {
  const ns = svc.metadata.namespace ?? 'default';
  const name = `${svc.metadata.name}-abcde`;
  const endpoints = pods.map((p) => ({
    addresses: [p.status.podIP],
    conditions: {
      ready: p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && !p.metadata.deletionTimestamp,
      serving: p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      terminating: !!p.metadata.deletionTimestamp,
    },
    nodeName: p.spec.nodeName,
    targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid },
  }));
  const existing = sim.store.get<KubeObject>('EndpointSlice', ns, name);
  if (existing) {
    existing.endpoints = endpoints;
    return sim.store.update(existing);
  }
  return sim.store.create({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: ns, labels: { 'kubernetes.io/service-name': svc.metadata.name } },
    addressType: 'IPv4',
    endpoints,
    ports: (svc.spec.ports ?? []).map((p) => ({ name: p.name ?? '', port, protocol: 'TCP' })),
  });
}

export function addIngress(sim: Sim, name: string, rules: { host?: string; paths: { path: string; pathType?: string; service: string; port?: number }[] }[], annotations?: Record<string, string>, ns = 'default'): KubeObject {
  return sim.store.create({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: ns, annotations },
    spec: {
      rules: rules.map((r) => ({
        host: r.host,
        http: { paths: r.paths.map((p) => ({ path: p.path, pathType: p.pathType ?? 'Prefix', backend: { service: { name: p.service, port: { number: p.port ?? 80 } } } })) },
      })),
    },
  });
}
