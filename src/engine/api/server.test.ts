import { describe, expect, test } from 'vitest';
import { Sim } from '../sim.ts';
import { LAST_APPLIED } from './apply.ts';
import { ApiError } from './errors.ts';
import { allocatorState } from './ipallocator.ts';
import { newControllerRef } from './podutil.ts';
import { ApiServer, installApiServer } from './server.ts';
import type { KubeObject, Pod } from './types.ts';

function setup(seed = 1): { sim: Sim; api: ApiServer } {
  const sim = new Sim({ seed });
  const api = installApiServer(sim);
  sim.settle();
  return { sim, api };
}

function errorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

const deployment = (name = 'web', image = 'nginx:1.27', extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image }] } },
    ...extra,
  },
});

const pod = (name: string, nodeName?: string, owner?: KubeObject): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(owner ? { ownerReferences: [newControllerRef(owner)] } : {}) },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...(nodeName ? { nodeName } : {}) },
    status: {},
  }) as Pod;

describe('installApiServer', () => {
  test('built-in namespaces, the kubernetes Service and its endpoints', () => {
    const { sim } = setup();
    expect(sim.store.list('Namespace').map((n) => `${n.metadata.name}:${n.status.phase}`)).toEqual(['default:Active', 'kube-node-lease:Active', 'kube-public:Active', 'kube-system:Active']);
    const svc = sim.store.get('Service', 'default', 'kubernetes')!;
    expect(svc.spec.clusterIP).toBe('10.96.0.1');
    expect(svc.spec.ports).toEqual([{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }]);
    expect(sim.store.get('Endpoints', 'default', 'kubernetes')!.subsets).toEqual([{ addresses: [{ ip: '192.168.49.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
    expect(sim.store.get('ServiceAccount', 'default', 'default')).toBeDefined();
  });

  test('the kubernetes Service and its endpoints come back within 10 s of being deleted', () => {
    const { sim, api } = setup();
    sim.runUntil(3_000);
    for (const kind of ['Service', 'Endpoints', 'EndpointSlice']) api.delete(kind, 'default', 'kubernetes');
    sim.runUntil(9_999);
    expect(sim.store.get('Service', 'default', 'kubernetes')).toBeUndefined();
    sim.runUntil(10_000);
    expect(sim.store.get('Service', 'default', 'kubernetes')!.spec.clusterIP).toBe('10.96.0.1');
    expect(sim.store.get('Endpoints', 'default', 'kubernetes')).toBeDefined();
    expect(sim.store.get('EndpointSlice', 'default', 'kubernetes')).toBeDefined();
  });

  test('pod indexes node and owner', () => {
    const { sim, api } = setup();
    const rs = sim.store.create<KubeObject>({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'default' }, spec: {} });
    api.create(pod('a', 'n1', rs));
    api.create(pod('b'));
    expect(sim.store.byIndex('Pod', 'node', 'n1').map((p) => p.metadata.name)).toEqual(['a']);
    expect(sim.store.byIndex('Pod', 'owner', rs.metadata.uid!).map((p) => p.metadata.name)).toEqual(['a']);
  });
});

describe('create', () => {
  test('namespaced objects default to namespace default; pods start Pending with a QoS class', () => {
    const { api } = setup();
    const p = api.create(pod('p'));
    expect(p.metadata.namespace).toBe('default');
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    expect(p.spec.tolerations).toHaveLength(2);
  });

  test('a missing namespace is NotFound', () => {
    const { api } = setup();
    const e = errorOf(() => api.create({ ...pod('p'), metadata: { name: 'p', namespace: 'foo' } }));
    expect([e.reason, e.message]).toEqual(['NotFound', 'namespaces "foo" not found']);
  });

  test('already exists', () => {
    const { api } = setup();
    api.create(deployment());
    const e = errorOf(() => api.create(deployment()));
    expect([e.reason, e.message]).toEqual(['AlreadyExists', 'deployments.apps "web" already exists']);
  });

  test('generateName', () => {
    const { api } = setup();
    const p = api.create({ ...pod(''), metadata: { name: '', generateName: 'job-' } });
    expect(p.metadata.name).toMatch(/^job-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  test('dryRun stores nothing and allocates nothing', () => {
    const { sim, api } = setup();
    const before = structuredClone(allocatorState(sim));
    const s = api.create<KubeObject>({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } }, { dryRun: true });
    expect(s.spec.clusterIP).toMatch(/^10\./);
    expect(sim.store.get('Service', 'default', 's')).toBeUndefined();
    expect(allocatorState(sim)).toEqual(before);
  });

  test('a known but not simulated kind is stored, with a warning', () => {
    const { sim, api } = setup();
    const r = api.apply({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Experiment', metadata: { name: 'db' }, spec: {} });
    expect(r.result).toBe('created');
    expect(r.warning).toBe('Experiment (argoproj.io/v1alpha1) is stored but not simulated by Kubeplay yet: no controller acts on it');
    expect(sim.store.get('Experiment', 'default', 'db')).toBeDefined();
  });

  test('a Rollout with a canary step Kubeplay does not run is stored, with a warning', () => {
    const { api } = setup();
    const steps = [{ setWeight: 20 }, { experiment: { templates: [{ name: 'baseline', specRef: 'stable' }] } }];
    const r = api.apply({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web' }, spec: { strategy: { canary: { steps } } } });
    expect(r.warning).toBe('Rollout "web": spec.strategy.canary.steps[1].experiment is not supported by Kubeplay yet: the rollout will stop with InvalidSpec');
  });

  test('get and delete use kubectl resource names in NotFound', () => {
    const { api } = setup();
    expect(errorOf(() => api.get('Deployment', 'default', 'x')).message).toBe('deployments.apps "x" not found');
    expect(errorOf(() => api.delete('Pod', undefined, 'x')).message).toBe('pods "x" not found');
    expect(errorOf(() => api.get('deploy', 'default', 'x')).message).toBe('deployments.apps "x" not found');
  });
});

describe('apply', () => {
  test('created, unchanged, configured; generation bumps on spec changes only', () => {
    const { api } = setup();
    const r1 = api.apply(deployment());
    expect(r1.result).toBe('created');
    expect(r1.obj.metadata.generation).toBe(1);
    expect(JSON.parse(r1.obj.metadata.annotations![LAST_APPLIED]).spec.replicas).toBe(3);
    expect(r1.obj.metadata.annotations![LAST_APPLIED].endsWith('}\n')).toBe(true);
    expect(api.apply(deployment()).result).toBe('unchanged');
    const r3 = api.apply(deployment('web', 'nginx:1.28'));
    expect(r3.result).toBe('configured');
    expect(r3.obj.metadata.generation).toBe(2);
    expect(r3.obj.spec.template.spec.containers[0].image).toBe('nginx:1.28');
    expect(r3.obj.spec.template.spec.containers[0].terminationMessagePath).toBe('/dev/termination-log');
    const withLabel = deployment('web', 'nginx:1.28');
    withLabel.metadata.labels = { team: 'a' };
    const r4 = api.apply(withLabel);
    expect([r4.result, r4.obj.metadata.generation]).toEqual(['configured', 2]);
  });

  test('annotations that are not a map are refused, not replaced by the last-applied one', () => {
    const { api } = setup();
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mysecretname', namespace: 'default', annotations: [{ 'kubernetes.io/service-account.name': 'sa' }] } } as unknown as KubeObject;
    expect(() => api.apply(secret)).toThrow(
      'The Secret "mysecretname" is invalid: metadata.annotations: Invalid value: [{"kubernetes.io/service-account.name":"sa"}]: must be a map of string keys to string values',
    );
  });

  test('applying over an object made by create warns as kubectl does, then is configured', () => {
    const { api } = setup();
    api.create(deployment());
    const r = api.apply(deployment());
    expect(r.result).toBe('configured');
    expect(r.warning).toBe(
      'resource deployments/web is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.',
    );
    expect(api.apply(deployment()).warning).toBeUndefined();
  });

  test('fields removed from the manifest are removed; fields set by others are kept', () => {
    const { sim, api } = setup();
    api.apply(deployment('web', 'nginx:1.27', { minReadySeconds: 5 }));
    const live = sim.store.get('Deployment', 'default', 'web')!;
    live.status = { replicas: 3 };
    live.metadata.annotations!['deployment.kubernetes.io/revision'] = '1';
    sim.store.update(live);
    const r = api.apply(deployment());
    expect(r.result).toBe('configured');
    expect(r.obj.spec.minReadySeconds).toBeUndefined();
    expect(r.obj.status).toEqual({ replicas: 3 });
    expect(r.obj.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('1');
  });

  test('changing replicas with kubectl scale then re-applying restores the manifest', () => {
    const { api } = setup();
    api.apply(deployment());
    const d = api.get('Deployment', 'default', 'web');
    d.spec.replicas = 10;
    api.update(d);
    const r = api.apply(deployment());
    expect([r.result, r.obj.spec.replicas]).toEqual(['configured', 3]);
  });

  test('re-applying a Service keeps its ClusterIP and NodePort', () => {
    const { api } = setup();
    const svc = (): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80 }] } });
    const first = api.apply(svc()).obj;
    const again = api.apply(svc());
    expect(again.result).toBe('unchanged');
    expect(again.obj.spec.clusterIP).toBe(first.spec.clusterIP);
    expect(again.obj.spec.ports[0].nodePort).toBe(first.spec.ports[0].nodePort);
  });

  test('an invalid apply leaves the live object alone', () => {
    const { sim, api } = setup();
    api.apply(deployment());
    const e = errorOf(() => api.apply(deployment('web', 'nginx', { replicas: -1 })));
    expect(e.message).toBe('The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    expect(sim.store.get('Deployment', 'default', 'web')!.spec.replicas).toBe(3);
  });
});

describe('update', () => {
  test('selector is immutable', () => {
    const { api } = setup();
    api.create(deployment());
    const d = api.get('Deployment', 'default', 'web');
    d.spec.selector = { matchLabels: { app: 'other' } };
    d.spec.template.metadata.labels = { app: 'other' };
    expect(errorOf(() => api.update(d)).message).toBe(
      'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"other"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
  });

  test('stale resourceVersion is a Conflict', () => {
    const { api } = setup();
    api.create(deployment());
    const a = api.get('Deployment', 'default', 'web');
    const b = api.get('Deployment', 'default', 'web');
    a.spec.replicas = 4;
    api.update(a);
    b.spec.replicas = 5;
    const e = errorOf(() => api.update(b));
    expect([e.reason, e.message]).toEqual(['Conflict', 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again']);
  });

  test('pod spec: only the image may change', () => {
    const { api } = setup();
    api.create(pod('p'));
    const p = api.get<Pod>('Pod', 'default', 'p');
    p.spec.containers[0].image = 'nginx:1.28';
    expect(api.update(p).spec.containers[0].image).toBe('nginx:1.28');
    const q = api.get<Pod>('Pod', 'default', 'p');
    q.spec.restartPolicy = 'Never';
    expect(errorOf(() => api.update(q)).message).toMatch(/^The Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/);
  });
});

describe('delete', () => {
  test('an object with finalizers is marked and stays until an update removes the last one', () => {
    const { sim, api } = setup();
    api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'guarded', namespace: 'default', finalizers: ['example.com/cleanup', 'example.com/audit'] }, data: { a: '1' } } as KubeObject);
    sim.clock.set(7_000);
    api.delete('ConfigMap', 'default', 'guarded');
    const marked = sim.store.get('ConfigMap', 'default', 'guarded')!;
    expect(marked.metadata).toMatchObject({ deletionTimestamp: '2025-01-01T00:00:07Z', deletionGracePeriodSeconds: 0 });
    // One finalizer removed: still there; the other removed: gone.
    api.update({ ...structuredClone(marked), metadata: { ...structuredClone(marked.metadata), finalizers: ['example.com/audit'] } });
    expect(sim.store.get('ConfigMap', 'default', 'guarded')?.metadata.deletionTimestamp).toBe('2025-01-01T00:00:07Z');
    const again = structuredClone(sim.store.get('ConfigMap', 'default', 'guarded')!);
    again.metadata.finalizers = [];
    api.update(again);
    expect(sim.store.get('ConfigMap', 'default', 'guarded')).toBeUndefined();
  });

  test('a bound pod is marked with deletionTimestamp = now + grace; again is a no-op', () => {
    const { sim, api } = setup();
    api.create(pod('p', 'node-1'));
    sim.clock.set(5000);
    const p = api.delete('Pod', 'default', 'p');
    expect(p.metadata.deletionTimestamp).toBe('2025-01-01T00:00:35Z');
    expect(p.metadata.deletionGracePeriodSeconds).toBe(30);
    // BeforeDelete bumps a set generation; a 1.32 Pod has none, so none appears.
    expect(p.metadata.generation).toBeUndefined();
    const rv = p.metadata.resourceVersion;
    api.delete('Pod', 'default', 'p');
    expect(sim.store.get('Pod', 'default', 'p')!.metadata.resourceVersion).toBe(rv);
    api.delete('Pod', 'default', 'p', { gracePeriodSeconds: 0 });
    expect(sim.store.get('Pod', 'default', 'p')).toBeUndefined();
  });

  test.each([
    ['unscheduled', undefined, {}],
    ['grace 0', 'node-1', { gracePeriodSeconds: 0 }],
  ])('a %s pod is removed at once', (_n, node, opts) => {
    const { sim, api } = setup();
    api.create(pod('p', node));
    api.delete('Pod', 'default', 'p', opts);
    expect(sim.store.get('Pod', 'default', 'p')).toBeUndefined();
  });

  test('background cascade: the GC deletes dependents, pods gracefully', () => {
    const { sim, api } = setup();
    const d = api.create(deployment());
    const rs = sim.store.create({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', namespace: 'default', ownerReferences: [newControllerRef(d)] }, spec: {} });
    sim.store.create({ ...pod('web-1-a', 'node-1', rs), metadata: { ...pod('web-1-a', 'node-1', rs).metadata, namespace: 'default' } });
    sim.store.create({ ...pod('web-1-b', undefined, rs), metadata: { ...pod('web-1-b', undefined, rs).metadata, namespace: 'default' } });
    api.delete('Deployment', 'default', 'web');
    expect(sim.store.get('ReplicaSet', 'default', 'web-1')).toBeDefined(); // background: not yet
    sim.settle();
    expect(sim.store.get('ReplicaSet', 'default', 'web-1')).toBeUndefined();
    expect(sim.store.get('Pod', 'default', 'web-1-a')!.metadata.deletionTimestamp).toBeDefined();
    expect(sim.store.get('Pod', 'default', 'web-1-b')).toBeUndefined();
  });

  test('orphan cascade strips the ownerReference', () => {
    const { sim, api } = setup();
    const d = api.create(deployment());
    sim.store.create({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', namespace: 'default', ownerReferences: [newControllerRef(d)] }, spec: {} });
    api.delete('Deployment', 'default', 'web', { cascade: 'orphan' });
    sim.settle();
    const rs = sim.store.get('ReplicaSet', 'default', 'web-1')!;
    expect(rs.metadata.ownerReferences).toBeUndefined();
  });

  test('a dependent with another live owner only loses the dangling reference', () => {
    const { sim, api } = setup();
    const a = api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    const b = api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
    sim.store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dep', namespace: 'default', ownerReferences: [newControllerRef(a), { ...newControllerRef(b), controller: false }] } });
    api.delete('ConfigMap', 'default', 'a');
    sim.settle();
    expect(sim.store.get('ConfigMap', 'default', 'dep')!.metadata.ownerReferences!.map((r) => r.name)).toEqual(['b']);
  });

  test('foreground cascade: the owner goes after its dependents', () => {
    const { sim, api } = setup();
    const rs = api.create({ ...deployment('web'), kind: 'ReplicaSet' });
    const p = pod('web-a', 'node-1', rs);
    p.metadata.namespace = 'default';
    sim.store.create(p);
    api.delete('ReplicaSet', 'default', 'web', { cascade: 'foreground' });
    sim.settle();
    const owner = sim.store.get('ReplicaSet', 'default', 'web')!;
    expect(owner.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(owner.metadata.deletionTimestamp).toBeDefined();
    expect(sim.store.get('Pod', 'default', 'web-a')!.metadata.deletionTimestamp).toBeDefined();
    sim.store.remove('Pod', 'default', 'web-a'); // the kubelet finishes
    sim.settle();
    expect(sim.store.get('ReplicaSet', 'default', 'web')).toBeUndefined();
  });

  test('deleting a namespace deletes everything in it, then the namespace', () => {
    const { sim, api } = setup();
    api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    api.create({ ...deployment(), metadata: { name: 'web', namespace: 'team' } });
    api.create({ ...pod('p', 'node-1'), metadata: { name: 'p', namespace: 'team' } });
    api.delete('Namespace', undefined, 'team');
    sim.settle();
    expect(sim.store.get('Namespace', undefined, 'team')!.status.phase).toBe('Terminating');
    expect(sim.store.get('Deployment', 'team', 'web')).toBeUndefined();
    const e = errorOf(() => api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'team' } }));
    expect([e.reason, e.message]).toEqual(['Forbidden', 'configmaps "c" is forbidden: unable to create new content in namespace team because it is being terminated']);
    sim.store.remove('Pod', 'team', 'p');
    sim.settle();
    expect(sim.store.get('Namespace', undefined, 'team')).toBeUndefined();
    expect(sim.store.list('ServiceAccount', 'team')).toEqual([]);
  });

  test('a terminating namespace goes when its last pod goes', () => {
    const { sim, api } = setup();
    api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    for (const n of ['a', 'b', 'c']) api.create({ ...pod(n, 'node-1'), metadata: { name: n, namespace: 'team' } });
    api.delete('Namespace', undefined, 'team');
    sim.settle();
    for (const n of ['a', 'b']) {
      sim.store.remove('Pod', 'team', n);
      sim.settle();
      expect(sim.store.get('Namespace', undefined, 'team')).toBeDefined();
    }
    sim.recordEvent(sim.store.get('Pod', 'team', 'c')!, 'Normal', 'Killing', 'Stopping container app', 'kubelet');
    sim.store.remove('Pod', 'team', 'c');
    sim.settle();
    expect(sim.store.get('Namespace', undefined, 'team')).toBeUndefined();
    expect(sim.store.list('Event', 'team')).toEqual([]);
  });

  test('deleting a terminating namespace again is a Conflict', () => {
    const { api } = setup();
    api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    api.create({ ...pod('p', 'node-1'), metadata: { name: 'p', namespace: 'team' } });
    api.delete('Namespace', undefined, 'team');
    const e = errorOf(() => api.delete('Namespace', undefined, 'team'));
    expect([e.reason, e.message]).toEqual([
      'Conflict',
      'Operation cannot be fulfilled on namespaces "team": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
    ]);
  });

  test('immortal namespaces', () => {
    const { api } = setup();
    const e = errorOf(() => api.delete('Namespace', undefined, 'default'));
    expect([e.reason, e.message]).toEqual(['Forbidden', 'namespaces "default" is forbidden: this namespace may not be deleted']);
  });
});

describe('ClusterIP and NodePort allocation', () => {
  const svc = (name: string, spec: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }], ...spec } });

  test('deterministic per seed, in 10.96.0.0/12 above the static band', () => {
    const ips = (seed: number) => {
      const { api } = setup(seed);
      return ['a', 'b', 'c'].map((n) => api.create(svc(n)).spec.clusterIP as string);
    };
    const one = ips(1);
    expect(ips(1)).toEqual(one);
    expect(ips(2)).not.toEqual(one);
    for (const ip of one) {
      const [a, b, c] = ip.split('.').map(Number);
      expect(a).toBe(10);
      expect(b >= 96 && b <= 111).toBe(true);
      expect(b > 96 || c >= 1).toBe(true);
    }
    expect(new Set(one).size).toBe(3);
  });

  test('requested IP, already allocated, released on delete', () => {
    const { api } = setup();
    expect(api.create(svc('a', { clusterIP: '10.96.0.10' })).spec.clusterIPs).toEqual(['10.96.0.10']);
    expect(errorOf(() => api.create(svc('b', { clusterIP: '10.96.0.10' }))).message).toBe(
      'The Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    );
    api.delete('Service', 'default', 'a');
    expect(api.create(svc('b', { clusterIP: '10.96.0.10' })).spec.clusterIP).toBe('10.96.0.10');
  });

  test('headless and ExternalName get no IP', () => {
    const { api } = setup();
    expect(api.create(svc('h', { clusterIP: 'None', ports: [] })).spec.clusterIPs).toEqual(['None']);
    expect(api.create(svc('e', { type: 'ExternalName', externalName: 'db.example.com', ports: [] })).spec.clusterIP).toBeUndefined();
  });

  test('node ports: dynamic in range, requested, already allocated', () => {
    const { api } = setup();
    const a = api.create(svc('a', { type: 'NodePort', ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] }));
    const [p1, p2] = a.spec.ports.map((p: { nodePort: number }) => p.nodePort);
    for (const p of [p1, p2]) expect(p >= 30086 && p <= 32767).toBe(true);
    expect(p1).not.toBe(p2);
    expect(api.create(svc('b', { type: 'LoadBalancer', ports: [{ port: 80, nodePort: 30080 }] })).spec.ports[0].nodePort).toBe(30080);
    expect(errorOf(() => api.create(svc('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }))).message).toBe(
      'The Service "c" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    );
  });

  test('a LoadBalancer with externalTrafficPolicy Local gets a health-check node port, released when it goes Cluster', () => {
    const { sim, api } = setup();
    const a = api.create(svc('a', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }));
    const hc = a.spec.healthCheckNodePort;
    expect(hc >= 30000 && hc <= 32767).toBe(true);
    expect(hc).not.toBe(a.spec.ports[0].nodePort);
    expect(allocatorState(sim).nodePorts[hc]).toBeDefined();
    expect(api.create(svc('n', { type: 'NodePort', externalTrafficPolicy: 'Local' })).spec.healthCheckNodePort).toBeUndefined();
    const s = api.get('Service', 'default', 'a');
    s.spec.externalTrafficPolicy = 'Cluster';
    expect(api.update(s).spec.healthCheckNodePort).toBeUndefined();
    expect(allocatorState(sim).nodePorts[hc]).toBeUndefined();
  });

  test('a failed create allocates nothing', () => {
    const { sim, api } = setup();
    const before = structuredClone(allocatorState(sim));
    errorOf(() => api.create(svc('c', { type: 'NodePort', ports: [{ port: 80 }, { port: 81, name: 'x', nodePort: 1 }] })));
    expect(allocatorState(sim)).toEqual(before);
  });

  test('changing the type to ClusterIP releases node ports; clusterIP is immutable', () => {
    const { sim, api } = setup();
    const a = api.create(svc('a', { type: 'NodePort' }));
    const port = a.spec.ports[0].nodePort;
    const s = api.get('Service', 'default', 'a');
    s.spec.type = 'ClusterIP';
    expect(api.update(s).spec.ports[0].nodePort).toBeUndefined();
    expect(allocatorState(sim).nodePorts[port]).toBeUndefined();
    const t = api.get('Service', 'default', 'a');
    t.spec.clusterIP = '10.96.0.50';
    t.spec.clusterIPs = ['10.96.0.50'];
    expect(errorOf(() => api.update(t)).message).toBe('The Service "a" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.50"}: may not change once set');
  });

  test('allocator state survives snapshot and restore', () => {
    const { sim, api } = setup();
    const snap = sim.snapshot();
    const first = api.create(svc('a')).spec.clusterIP;
    sim.restore(snap);
    expect(api.create(svc('a')).spec.clusterIP).toBe(first);
  });
});
