import { Sim } from '../../sim.ts';
import type { KubeObject } from '../../api/types.ts';
import { ApiError, invalid } from '../../api/errors.ts';
import { kindInfo, resourceName } from '../../api/kinds.ts';

/**
 * fakeSim is a bare Sim for kubectl's tests: objects are created directly in the store, and a minimal
 * stand-in for the `api` service (create/apply/update/delete straight to the store, one Invalid rule)
 * lets mutating commands be tested before the API server module lands.
 */
export function fakeSim(): Sim {
  const sim = new Sim({ seed: 1 });
  const res = (kind: string) => resourceName(kindInfo(kind)!);
  sim.services.set('api', {
    create(obj: KubeObject) {
      if (obj.kind === 'Deployment' && obj.spec?.replicas < 0) {
        throw invalid('Deployment', obj.metadata.name, [{ field: 'spec.replicas', type: 'Invalid value', value: obj.spec.replicas, detail: 'must be greater than or equal to 0' }]);
      }
      return sim.store.create(obj);
    },
    apply(obj: KubeObject) {
      const cur = sim.store.get(obj.kind, obj.metadata.namespace, obj.metadata.name);
      if (!cur) return { obj: sim.store.create(obj), result: 'created' };
      if (JSON.stringify(cur.spec) === JSON.stringify(obj.spec)) return { obj: cur, result: 'unchanged' };
      cur.spec = obj.spec;
      return { obj: sim.store.update(cur, { specChanged: true }), result: 'configured' };
    },
    update(obj: KubeObject) {
      if (obj.kind === 'Deployment' && obj.spec?.replicas < 0) {
        throw invalid('Deployment', obj.metadata.name, [{ field: 'spec.replicas', type: 'Invalid value', value: obj.spec.replicas, detail: 'must be greater than or equal to 0' }]);
      }
      const cur = sim.store.get(obj.kind, obj.metadata.namespace, obj.metadata.name);
      if (!cur) throw new ApiError('NotFound', `${res(obj.kind)} "${obj.metadata.name}" not found`);
      Object.assign(cur, obj);
      return sim.store.update(cur);
    },
    delete(kind: string, ns: string | undefined, name: string) {
      if (!sim.store.remove(kind, ns, name)) throw new ApiError('NotFound', `${res(kind)} "${name}" not found`);
    },
  });
  return sim;
}

export function pod(name: string, extra: { ns?: string; labels?: Record<string, string>; node?: string; phase?: string; ready?: boolean; ip?: string; image?: string; owner?: KubeObject } = {}): KubeObject {
  const ready = extra.ready ?? true;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: extra.ns ?? 'default',
      labels: extra.labels ?? { app: 'web' },
      ownerReferences: extra.owner ? [{ apiVersion: extra.owner.apiVersion, kind: extra.owner.kind, name: extra.owner.metadata.name, uid: extra.owner.metadata.uid!, controller: true }] : undefined,
    },
    spec: { containers: [{ name: 'web', image: extra.image ?? 'nginx:1.25' }], nodeName: extra.node },
    status: {
      phase: extra.phase ?? 'Running',
      podIP: extra.ip,
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [{ name: 'web', image: extra.image ?? 'nginx:1.25', ready, restartCount: 0, state: { running: { startedAt: '2025-01-01T00:00:00Z' } } }],
    },
  };
}

export function deployment(name: string, replicas = 3, image = 'nginx:1.25'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    },
    status: { replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas, observedGeneration: 1 },
  };
}

export function node(name: string, ready = true): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: {},
    status: {
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', reason: 'KubeletReady' }],
      addresses: [{ type: 'InternalIP', address: '10.0.0.2' }],
      nodeInfo: { kubeletVersion: 'v1.31.4', osImage: 'Kubeplay Linux', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.22' },
    },
  };
}
