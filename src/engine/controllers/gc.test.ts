import { describe, expect, test } from 'vitest';
import { Sim } from '../sim.ts';
import { installApiServer } from '../api/server.ts';
import { newControllerRef } from '../api/podutil.ts';
import type { KubeObject } from '../api/types.ts';
import { dependentsOf } from './gc.ts';

function rsWithPods(sim: Sim, n: number, node = 'node-1'): KubeObject {
  const rs = sim.store.create({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', namespace: 'default' }, spec: { replicas: n } });
  for (let i = 0; i < n; i++) {
    sim.store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `web-1-${i}`, namespace: 'default', ownerReferences: [newControllerRef(rs)] },
      spec: { nodeName: node, terminationGracePeriodSeconds: 30, containers: [{ name: 'a', image: 'x' }] },
      status: { phase: 'Running' },
    });
  }
  return rs;
}

describe('garbagecollector', () => {
  test('dependentsOf uses the ownerUid index', () => {
    const sim = new Sim();
    installApiServer(sim);
    const rs = rsWithPods(sim, 3);
    expect(dependentsOf(sim, rs.metadata.uid!).map((o) => o.metadata.name)).toEqual(['web-1-0', 'web-1-1', 'web-1-2']);
  });

  test('background deletion of a 10,000-pod ReplicaSet marks every pod, quickly', () => {
    const sim = new Sim();
    installApiServer(sim);
    const c0 = performance.now();
    rsWithPods(sim, 10_000);
    console.log(`create 10k: ${(performance.now() - c0).toFixed(0)} ms`);
    const t0 = performance.now();
    sim.store.remove('ReplicaSet', 'default', 'web-1');
    sim.settle();
    const ms = performance.now() - t0;
    const pods = sim.store.list('Pod');
    expect(pods).toHaveLength(10_000);
    expect(pods.every((p) => p.metadata.deletionTimestamp === '2025-01-01T00:00:30Z')).toBe(true);
    console.log(`gc 10k: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(1500);
  });

  test('an owner in another namespace-scope (cluster-scoped owner) is looked up without namespace', () => {
    const sim = new Sim();
    const api = installApiServer(sim);
    const node = sim.store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: {}, status: {} });
    sim.store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default', ownerReferences: [{ ...newControllerRef(node), controller: false }] } });
    sim.store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other', namespace: 'default' } });
    api.delete('Node', undefined, 'n1');
    sim.settle();
    expect(sim.store.get('ConfigMap', 'default', 'c')).toBeUndefined();
    expect(sim.store.get('ConfigMap', 'default', 'other')).toBeDefined();
  });

  test('an object created with a dangling ownerReference is collected', () => {
    const sim = new Sim();
    installApiServer(sim);
    sim.store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'orphan', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'gone', uid: 'nope', controller: true }] },
    });
    sim.settle();
    expect(sim.store.get('ConfigMap', 'default', 'orphan')).toBeUndefined();
  });
});
