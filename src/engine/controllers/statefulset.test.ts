import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import type { ApiServer } from '../api/server.ts';
import type { Pod } from '../api/types.ts';
import { claimName, getOrdinal, type StatefulSet } from './statefulset.ts';

describe('getOrdinal', () => {
  it.each([
    ['web', 'web-0', 0],
    ['web', 'web-12', 12],
    ['web', 'web-01', -1],
    ['web', 'web-x', -1],
    ['web', 'webby-1', -1],
    ['web', 'other-1', -1],
  ])('%s %s → %d', (set, pod, want) => expect(getOrdinal(set, pod)).toBe(want));
  it('claim names', () => {
    expect(claimName({ metadata: { name: 'web' } } as StatefulSet, { metadata: { name: 'www' } } as never, 2)).toBe('www-web-2');
  });
});

function setup(extra: Partial<StatefulSet['spec']> = {}) {
  const sim = createCluster({ seed: 11, images: { 'db:1': { startupSeconds: 5 }, 'db:2': { startupSeconds: 5 } }, nodes: [{ name: 'node-1' }, { name: 'node-2' }] });
  const api = sim.service<ApiServer>('api');
  // The cluster comes with kind's default class and its provisioner: the claims are provisioned and bound.
  api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'default' }, spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] } });
  api.create({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: {
      replicas: 3,
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'pg', image: 'db:1' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      ...extra,
    },
  });
  sim.settle();
  const get = () => sim.store.get<StatefulSet>('StatefulSet', 'default', 'db')!;
  const live = () => sim.store.list<Pod>('Pod', 'default').filter((p) => !p.metadata.deletionTimestamp);
  return { sim, api, get, live };
}

describe('StatefulSet controller', () => {
  it('OrderedReady creates one ordinal at a time, each Ready before the next', () => {
    const { sim, get, live } = setup();
    expect(live().map((p) => p.metadata.name)).toEqual(['db-0']);
    const p0 = live()[0];
    expect(p0.spec.hostname).toBe('db-0');
    expect(p0.spec.subdomain).toBe('db');
    expect(p0.metadata.labels).toMatchObject({ 'statefulset.kubernetes.io/pod-name': 'db-0', 'apps.kubernetes.io/pod-index': '0' });
    expect(p0.metadata.labels!['controller-revision-hash']).toMatch(/^db-[a-z0-9]+$/);
    expect(p0.spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } });
    const created: Record<string, number> = {};
    const readyAt: Record<string, number> = {};
    sim.store.watch('Pod', (t, o) => {
      if (t === 'ADDED') created[o.metadata.name] = sim.now();
      if (o.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True')) readyAt[o.metadata.name] ??= sim.now();
    });
    sim.runFor(60_000);
    expect(live().map((p) => p.metadata.name)).toEqual(['db-0', 'db-1', 'db-2']);
    expect(created['db-1']).toBeGreaterThanOrEqual(readyAt['db-0'] ?? 0);
    expect(created['db-2']).toBeGreaterThanOrEqual(readyAt['db-1']);
    expect(readyAt['db-1']).toBeGreaterThan(0);
    const s = get().status;
    expect(s).toMatchObject({ replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, availableReplicas: 3, collisionCount: 0 });
    expect(s.currentRevision).toBe(s.updateRevision);
    const pvcs = sim.store.list('PersistentVolumeClaim', 'default');
    expect(pvcs.map((c) => c.metadata.name)).toEqual(['data-db-0', 'data-db-1', 'data-db-2']);
    expect(pvcs[0].status.phase).toBe('Bound');
    expect(pvcs[0].metadata.labels).toEqual({ app: 'db' });
  });

  it("a pod name another owner holds is a FailedCreate event, not a crash", () => {
    const sim = createCluster({ seed: 11, nodes: [{ name: 'node-1' }] });
    const api = sim.service<ApiServer>('api');
    api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db-0', namespace: 'default', labels: { app: 'other' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    api.create({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default' },
      spec: { replicas: 1, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'pg', image: 'nginx' }] } } },
    });
    sim.runFor(5_000);
    const sts = sim.store.get<StatefulSet>('StatefulSet', 'default', 'db')!;
    expect(sim.eventsFor(sts).find((e) => e.reason === 'FailedCreate')?.message).toBe('create Pod db-0 in StatefulSet db failed error: pods "db-0" already exists');
    expect(sim.store.get<Pod>('Pod', 'default', 'db-0')!.metadata.labels).toEqual({ app: 'other' });
  });

  it('scales down from the highest ordinal and keeps the claims', () => {
    const { sim, api, live } = setup();
    sim.runFor(90_000);
    const s = api.get<StatefulSet>('StatefulSet', 'default', 'db');
    s.spec.replicas = 1;
    api.update(s);
    sim.settle();
    expect(live().map((p) => p.metadata.name)).toEqual(['db-0', 'db-1']);
    sim.runFor(120_000);
    expect(live().map((p) => p.metadata.name)).toEqual(['db-0']);
    expect(sim.store.list('PersistentVolumeClaim', 'default').length).toBe(3);
  });

  it('Parallel creates all pods at once', () => {
    const { live } = setup({ podManagementPolicy: 'Parallel' });
    expect(live().map((p) => p.metadata.name)).toEqual(['db-0', 'db-1', 'db-2']);
  });

  it('RollingUpdate goes in reverse ordinal order and respects partition', () => {
    const { sim, api, get, live } = setup({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } });
    sim.runFor(90_000);
    const oldRev = get().status.currentRevision;
    const s = api.get<StatefulSet>('StatefulSet', 'default', 'db');
    s.spec.template.spec.containers[0].image = 'db:2';
    api.update(s);
    sim.settle();
    expect(live().map((p) => p.metadata.name)).toEqual(['db-0', 'db-1']); // db-2 goes first
    sim.runFor(200_000);
    const images = Object.fromEntries(live().map((p) => [p.metadata.name, p.spec.containers[0].image]));
    expect(images).toEqual({ 'db-0': 'db:1', 'db-1': 'db:2', 'db-2': 'db:2' });
    const st = get().status;
    expect(st.currentRevision).toBe(oldRev);
    expect(st).toMatchObject({ updatedReplicas: 2, currentReplicas: 1 });
  });

  it('OnDelete replaces only deleted pods', () => {
    const { sim, api, live } = setup({ updateStrategy: { type: 'OnDelete' } });
    sim.runFor(90_000);
    const s = api.get<StatefulSet>('StatefulSet', 'default', 'db');
    s.spec.template.spec.containers[0].image = 'db:2';
    api.update(s);
    sim.runFor(60_000);
    expect(live().every((p) => p.spec.containers[0].image === 'db:1')).toBe(true);
    api.delete('Pod', 'default', 'db-1');
    sim.runFor(90_000);
    expect(live().find((p) => p.metadata.name === 'db-1')!.spec.containers[0].image).toBe('db:2');
  });
});

describe('StatefulSet claims go through the volume controllers', () => {
  it('claim templates are defaulted as v1 PersistentVolumeClaims (apiVersion, kind, volumeMode, a Pending status)', () => {
    const { get } = setup();
    expect(get().spec.volumeClaimTemplates).toEqual([
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' }, status: { phase: 'Pending' } },
    ]);
  });

  it('without a StorageClass the claim stays Pending and the pod waits for it', () => {
    const sim = createCluster({ seed: 3, images: { 'db:1': { startupSeconds: 1 } }, nodes: [{ name: 'node-1' }] });
    const api = sim.service<ApiServer>('api');
    api.delete('StorageClass', undefined, 'standard'); // the default class a new cluster comes with
    api.create({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'pg', image: 'db:1' }] } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    } as never);
    sim.runFor(20_000);
    const pvc = sim.store.get('PersistentVolumeClaim', 'default', 'data-db-0')!;
    expect(pvc.status.phase).toBe('Pending');
    const pod = sim.store.get<Pod>('Pod', 'default', 'db-0')!;
    expect(pod.spec.nodeName).toBeUndefined();
    // A matching volume appears: the binder binds it and the scheduler places the pod.
    api.create({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-1' }, spec: { capacity: { storage: '2Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } } } as never);
    sim.runFor(20_000);
    expect(sim.store.get('PersistentVolumeClaim', 'default', 'data-db-0')!.status.phase).toBe('Bound');
    expect(sim.store.get<Pod>('Pod', 'default', 'db-0')!.status.phase).toBe('Running');
  });

  it('a claim or pod refused by ResourceQuota is a FailedCreate event worded as stateful_pod_control.go', () => {
    const sim = createCluster({ seed: 3, images: { 'db:1': { startupSeconds: 1 } }, nodes: [{ name: 'node-1' }] });
    const api = sim.service<ApiServer>('api');
    api.create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'default' }, spec: { hard: { persistentvolumeclaims: '0' } } } as never);
    api.create({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'pg', image: 'db:1' }] } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    } as never);
    sim.runFor(5_000);
    const evs = sim.store.list('Event', 'default').filter((e) => e.reason === 'FailedCreate').map((e) => e.message);
    expect(evs[0]).toBe(
      'create Claim data-db-0 for Pod db-0 in StatefulSet db failed error: persistentvolumeclaims "data-db-0" is forbidden: exceeded quota: q, requested: persistentvolumeclaims=1, used: persistentvolumeclaims=0, limited: persistentvolumeclaims=0',
    );
    expect(sim.store.get('Pod', 'default', 'db-0')).toBeUndefined();
  });
});
