import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import type { ApiServer } from '../api/server.ts';
import { runCommand } from '../kubectl/index.ts';
import type { ApiError } from '../api/errors.ts';
import type { KubeObject, Pod } from '../api/types.ts';
import { canonical, formatUsage } from './resources.ts';
import { kindForResource } from './resourcequota.ts';

function cluster() {
  const sim = createCluster({ seed: 1 } as any);
  return { sim, api: sim.service<ApiServer>('api') };
}

function pod(name: string, containers: { name?: string; req?: Record<string, string>; lim?: Record<string, string> }[]): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: (containers.length ? containers : [{}]).map((c, i) => ({ name: c.name ?? `c${i}`, image: 'nginx', resources: { ...(c.req ? { requests: c.req } : {}), ...(c.lim ? { limits: c.lim } : {}) } })) },
    status: {},
  } as Pod;
}

function quota(name: string, hard: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: 'default' }, spec: { hard } };
}

function limitRange(limits: any[]): KubeObject {
  return { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'limits', namespace: 'default' }, spec: { limits } };
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as ApiError).message;
  }
  return '';
}

describe('quantity canonical form', () => {
  it.each([
    ['0.5', '500m'],
    ['2', '2'],
    ['2000m', '2'],
    ['1024Mi', '1Gi'],
    ['1500Mi', '1500Mi'],
    ['1000', '1k'],
    ['1G', '1G'],
  ])('%s → %s', (q, want) => expect(canonical(q)).toBe(want));
  it('sums memory in binary units when exact', () => {
    expect(formatUsage('requests.memory', 256 * 2 ** 20 * 1000)).toBe('256Mi');
    expect(formatUsage('requests.cpu', 1500)).toBe('1500m');
  });
});

describe('ResourceQuota admission', () => {
  it('refuses a pod over requests.cpu with the exact message and charges admitted pods', () => {
    const { sim, api } = cluster();
    api.create(quota('compute', { 'requests.cpu': '2', pods: '10' }));
    sim.settle();
    api.create(pod('a', [{ req: { cpu: '1' } }]));
    api.create(pod('b', [{ req: { cpu: '500m' } }]));
    expect(errorOf(() => api.create(pod('x', [{ req: { cpu: '500m' } }])))).toBe('');
    expect(errorOf(() => api.create(pod('y', [{ req: { cpu: '500m' } }])))).toBe(
      'pods "y" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=2, limited: requests.cpu=2',
    );
    sim.settle();
    const q = sim.store.get('ResourceQuota', 'default', 'compute')!;
    expect(q.status.used).toEqual({ pods: '3', 'requests.cpu': '2' });
  });

  it('reports the message of the task brief (1500m used of 2)', () => {
    const { sim, api } = cluster();
    api.create(quota('compute', { 'requests.cpu': '2' }));
    api.create(pod('a', [{ req: { cpu: '1500m' } }]));
    sim.settle();
    expect(errorOf(() => api.create(pod('x', [{ req: { cpu: '500m' } }, { req: { cpu: '0' } }])))).toBe('');
    const { sim: s2, api: a2 } = cluster();
    a2.create(quota('compute', { 'requests.cpu': '2' }));
    a2.create(pod('a', [{ req: { cpu: '1500m' } }]));
    s2.settle();
    expect(errorOf(() => a2.create(pod('x', [{ req: { cpu: '600m' } }])))).toBe(
      'pods "x" is forbidden: exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=1500m, limited: requests.cpu=2',
    );
  });

  it('requires every container to state a quota-tracked compute resource', () => {
    const { api } = cluster();
    api.create(quota('compute', { 'limits.cpu': '4', 'requests.memory': '1Gi' }));
    expect(errorOf(() => api.create(pod('p', [{ name: 'web', req: { memory: '64Mi' } }])))).toBe('pods "p" is forbidden: failed quota: compute: must specify limits.cpu for: web');
    expect(errorOf(() => api.create(pod('p', [{ name: 'web' }, { name: 'side', lim: { cpu: '1' } }])))).toBe(
      'pods "p" is forbidden: failed quota: compute: must specify limits.cpu for: web; requests.memory for: side,web',
    );
  });

  it('counts pods, services, claims and count/<resource>; several exceeded resources print sorted', () => {
    const { sim, api } = cluster();
    api.create(quota('objects', { pods: '1', services: '2', 'services.nodeports': '0', 'count/configmaps': '2', persistentvolumeclaims: '0' }));
    sim.settle();
    api.create(pod('a', []));
    expect(errorOf(() => api.create(pod('b', [])))).toBe('pods "b" is forbidden: exceeded quota: objects, requested: pods=1, used: pods=1, limited: pods=1');
    expect(errorOf(() => api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'np', namespace: 'default' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } }))).toBe(
      'services "np" is forbidden: exceeded quota: objects, requested: services.nodeports=1, used: services.nodeports=0, limited: services.nodeports=0',
    );
    // kube-root-ca.crt already counts as one ConfigMap in the namespace.
    expect(errorOf(() => api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1', namespace: 'default' } }))).toBe('');
    expect(errorOf(() => api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c2', namespace: 'default' } }))).toContain('exceeded quota: objects, requested: count/configmaps=1, used: count/configmaps=2, limited: count/configmaps=2');
    expect(errorOf(() => api.create({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }))).toBe(
      'persistentvolumeclaims "data" is forbidden: exceeded quota: objects, requested: persistentvolumeclaims=1, used: persistentvolumeclaims=0, limited: persistentvolumeclaims=0',
    );
  });

  it('frees usage when a pod is deleted (controller recount)', () => {
    const { sim, api } = cluster();
    api.create(quota('compute', { pods: '1' }));
    api.create(pod('a', []));
    sim.settle();
    api.delete('Pod', 'default', 'a', { gracePeriodSeconds: 0 });
    sim.settle();
    expect(sim.store.get('ResourceQuota', 'default', 'compute')!.status.used).toEqual({ pods: '0' });
    expect(errorOf(() => api.create(pod('b', [])))).toBe('');
  });

  it('dry run checks without charging', () => {
    const { sim, api } = cluster();
    api.create(quota('compute', { pods: '1' }));
    sim.settle();
    api.create(pod('a', []), { dryRun: true });
    expect(sim.store.get('ResourceQuota', 'default', 'compute')!.status.used).toEqual({ pods: '0' });
  });
});

describe('LimitRanger admission', () => {
  it('applies default and defaultRequest and annotates', () => {
    const { sim, api } = cluster();
    api.create(limitRange([{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m' } }]));
    const p = api.create(pod('p', [{ name: 'web', req: { memory: '128Mi' } }]));
    expect(p.spec.containers[0].resources).toEqual({ requests: { memory: '128Mi', cpu: '100m' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(p.metadata.annotations!['kubernetes.io/limit-ranger']).toBe('LimitRanger plugin set: cpu request for container web; cpu, memory limit for container web');
    expect(p.status.qosClass).toBe('Burstable');
    expect(sim.store.get('LimitRange', 'default', 'limits')!.spec.limits[0].defaultRequest).toEqual({ cpu: '100m', memory: '256Mi' });
  });

  it('defaults the LimitRange itself: default ← max, defaultRequest ← default then min', () => {
    const { api } = cluster();
    const lr = api.create(limitRange([{ type: 'Container', max: { cpu: '1' }, min: { memory: '64Mi' } }]));
    expect(lr.spec.limits[0]).toEqual({ type: 'Container', max: { cpu: '1' }, min: { memory: '64Mi' }, default: { cpu: '1' }, defaultRequest: { cpu: '1', memory: '64Mi' } });
  });

  const cases: { name: string; item: any; c: { req?: Record<string, string>; lim?: Record<string, string> }[]; want: string }[] = [
    { name: 'max limit', item: { type: 'Container', max: { cpu: '1' }, default: { cpu: '1' } }, c: [{ lim: { cpu: '2' } }], want: 'maximum cpu usage per Container is 1, but limit is 2' },
    { name: 'min request', item: { type: 'Container', min: { memory: '64Mi' } }, c: [{ req: { memory: '32Mi' } }], want: 'minimum memory usage per Container is 64Mi, but request is 32Mi' },
    { name: 'pod min, no request', item: { type: 'Pod', min: { cpu: '200m' } }, c: [{ req: { memory: '1Mi' } }], want: 'minimum cpu usage per Pod is 200m.  No request is specified' },
    { name: 'ratio', item: { type: 'Container', maxLimitRequestRatio: { cpu: '2' } }, c: [{ req: { cpu: '100m' }, lim: { cpu: '500m' } }], want: 'cpu max limit to request ratio per Container is 2, but provided ratio is 5.000000' },
    { name: 'pod max', item: { type: 'Pod', max: { cpu: '1' } }, c: [{ req: { cpu: '600m' }, lim: { cpu: '600m' } }, { req: { cpu: '600m' }, lim: { cpu: '600m' } }], want: 'maximum cpu usage per Pod is 1, but limit is 1200m' },
    { name: 'pod max, no limit', item: { type: 'Pod', max: { memory: '1Gi' } }, c: [{ req: { memory: '10Mi' } }], want: 'maximum memory usage per Pod is 1Gi.  No limit is specified' },
  ];
  it.each(cases)('$name', ({ item, c, want }) => {
    const { api } = cluster();
    api.create(limitRange([item]));
    expect(errorOf(() => api.create(pod('p', c)))).toBe(`pods "p" is forbidden: ${want}`);
  });

  it('several violations aggregate in brackets', () => {
    const { api } = cluster();
    api.create(limitRange([{ type: 'Pod', max: { cpu: '1', memory: '1Gi' } }]));
    expect(errorOf(() => api.create(pod('p', [{ lim: { cpu: '2', memory: '2Gi' } }])))).toBe(
      'pods "p" is forbidden: [maximum cpu usage per Pod is 1, but limit is 2, maximum memory usage per Pod is 1Gi, but limit is 2Gi]',
    );
  });

  it('checks PersistentVolumeClaim storage min and max', () => {
    const { api } = cluster();
    api.create(limitRange([{ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } }]));
    const claim = (s: string): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: s } } } });
    expect(errorOf(() => api.create(claim('500Mi')))).toBe('persistentvolumeclaims "data" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi');
    expect(errorOf(() => api.create(claim('20Gi')))).toBe('persistentvolumeclaims "data" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi');
    expect(errorOf(() => api.create(claim('5Gi')))).toBe('');
  });

  it('defaults are applied before quota constraints (LimitRange satisfies a limits quota)', () => {
    const { api } = cluster();
    api.create(limitRange([{ type: 'Container', default: { cpu: '500m' } }]));
    api.create(quota('compute', { 'limits.cpu': '1' }));
    expect(errorOf(() => api.create(pod('a', [{ name: 'web' }])))).toBe('');
    expect(errorOf(() => api.create(pod('b', [{ name: 'web' }])))).toBe('');
    expect(errorOf(() => api.create(pod('c', [{ name: 'web' }])))).toBe(
      'pods "c" is forbidden: exceeded quota: compute, requested: limits.cpu=500m, used: limits.cpu=1, limited: limits.cpu=1',
    );
  });
});

/** overQuotaDeployment: a quota of 2 CPUs and a Deployment of 3 pods asking 750m each (the third is refused). */
function overQuotaDeployment(api: ReturnType<typeof cluster>['api']): void {
  api.create(quota('compute', { 'requests.cpu': '2' }));
  api.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', resources: { requests: { cpu: '750m' } } }] } } },
  });
}

describe('controller-created pods (ReplicaSet FailedCreate)', () => {
  it('a Deployment over quota: FailedCreate events, ReplicaFailure on the RS, recovers when quota frees', () => {
    const { sim, api } = cluster();
    overQuotaDeployment(api);
    sim.settle();
    const rs = sim.store.list('ReplicaSet', 'default')[0];
    expect(sim.store.list('Pod', 'default')).toHaveLength(2);
    const cond = rs.status.conditions.find((c: any) => c.type === 'ReplicaFailure');
    const msg = `pods "${rs.metadata.name}-" is forbidden: exceeded quota: compute, requested: requests.cpu=750m, used: requests.cpu=1500m, limited: requests.cpu=2`;
    expect(cond).toMatchObject({ status: 'True', reason: 'FailedCreate', message: msg });
    const ev = sim.eventsFor(rs).find((e) => e.reason === 'FailedCreate')!;
    expect(ev).toMatchObject({ type: 'Warning', message: `Error creating: ${msg}`, source: { component: 'replicaset-controller' } });
    // The Deployment shows it too (syncRolloutStatus moves its ReplicaSets' failure conditions across).
    const dCond = () => sim.store.get<any>('Deployment', 'default', 'web')!.status.conditions.find((c: any) => c.type === 'ReplicaFailure');
    expect(dCond()).toEqual({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: msg, lastUpdateTime: cond.lastTransitionTime, lastTransitionTime: cond.lastTransitionTime });
    // Raise the quota: the back-off retry creates the third pod and clears the condition.
    const q = api.get('ResourceQuota', 'default', 'compute');
    q.spec.hard['requests.cpu'] = '3';
    api.update(q);
    sim.runFor(60_000);
    expect(sim.store.list('Pod', 'default')).toHaveLength(3);
    expect(sim.store.list('ReplicaSet', 'default')[0].status.conditions?.find((c: any) => c.type === 'ReplicaFailure')).toBeUndefined();
    expect(dCond()).toBeUndefined();
    expect(sim.store.get('ResourceQuota', 'default', 'compute')!.status.used).toEqual({ 'requests.cpu': '2250m' });
  });
});

describe('ReplicaFailure goes with the next sync that refuses nothing', () => {
  it('scaling the Deployment down within the quota clears it, though no pod is created', () => {
    const { sim, api } = cluster();
    overQuotaDeployment(api);
    sim.settle();
    const failure = () => sim.store.list('ReplicaSet', 'default')[0].status.conditions?.find((c: any) => c.type === 'ReplicaFailure');
    expect(failure()).toMatchObject({ reason: 'FailedCreate' });
    const d = api.get('Deployment', 'default', 'web');
    d.spec.replicas = 1;
    api.update(d);
    sim.runFor(1_000);
    expect(failure()).toBeUndefined();
  });
});

describe('quota usage evaluators', () => {
  it.each([
    ['pods', 'Pod'],
    ['requests.cpu', 'Pod'],
    ['limits.memory', 'Pod'],
    ['cpu', 'Pod'],
    ['services.loadbalancers', 'Service'],
    ['requests.storage', 'PersistentVolumeClaim'],
    ['gold.storageclass.storage.k8s.io/requests.storage', 'PersistentVolumeClaim'],
    ['count/deployments.apps', 'Deployment'],
    ['count/secrets', 'Secret'],
    ['count/widgets.example.com', undefined],
  ])('%s is charged by %s', (name, kind) => expect(kindForResource(name)).toBe(kind));

  it('a finished pod no longer uses quota', () => {
    const { sim, api } = cluster();
    api.create(quota('compute', { pods: '1', 'requests.cpu': '1' }));
    const p = api.create(pod('job', [{ req: { cpu: '1' } }]));
    sim.settle();
    const live = sim.store.get<Pod>('Pod', 'default', p.metadata.name)!;
    live.status = { ...live.status, phase: 'Succeeded' };
    sim.store.update(live);
    sim.settle();
    expect(sim.store.get('ResourceQuota', 'default', 'compute')!.status.used).toEqual({ pods: '0', 'requests.cpu': '0' });
  });
});

describe('the simulation bounds the pods of a cluster (LIMITS.pods)', () => {
  it('refuses a pod past the bound as Forbidden; a controller past it reports ReplicaFailure', async () => {
    const { LIMITS } = await import('../api/validation.ts');
    const { runCommand } = await import('../kubectl/index.ts');
    const saved = LIMITS.pods;
    LIMITS.pods = 4;
    try {
      const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
      runCommand(sim, 'kubectl create deployment web --image=nginx --replicas=3');
      sim.runUntil(10_000);
      expect(sim.store.count('Pod')).toBe(3);
      expect(runCommand(sim, 'kubectl run one --image=nginx').exit).toBe(0);
      expect(runCommand(sim, 'kubectl run two --image=nginx').out).toBe(`Error from server (Forbidden): pods "two" is forbidden: this cluster already has 4 pods (Kubeplay's simulation limit)\n`);
      runCommand(sim, 'kubectl scale deploy web --replicas=6');
      sim.runUntil(20_000);
      expect(sim.store.count('Pod')).toBe(4);
      expect(runCommand(sim, 'kubectl get rs -o jsonpath={.items[0].status.conditions[0].reason}').out).toBe('FailedCreate');
    } finally {
      LIMITS.pods = saved;
    }
  });
});

describe('DefaultIngressClass admission', () => {
  it('gives a class-less Ingress the default IngressClass, and leaves one that names a class', () => {
    const { sim } = cluster();
    const ing = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: 'default' }, spec: { ...extra, defaultBackend: { service: { name: 'web', port: { number: 80 } } } } });
    const run = (line: string) => runCommand(sim, line);
    sim.service<ApiServer>('api').create(ing('before') as KubeObject);
    sim.service<ApiServer>('api').create({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 'k8s.io/ingress-nginx' } } as KubeObject);
    sim.service<ApiServer>('api').create(ing('after') as KubeObject);
    sim.service<ApiServer>('api').create(ing('named', { ingressClassName: 'other' }) as KubeObject);
    expect(run(`kubectl get ingress -o custom-columns=NAME:.metadata.name,CLASS:.spec.ingressClassName --no-headers`).out).toBe('after    nginx\nbefore   <none>\nnamed    other\n');
  });
});
