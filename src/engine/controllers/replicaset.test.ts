import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod, ReplicaSet } from '../api/types.ts';
import { isoTime } from '../clock.ts';
import { Sim } from '../sim.ts';
import { defaultServiceAccount } from './deployment/testcluster.ts';
import { podsOwnedBy } from './workloadutil.ts';
import { BURST_REPLICAS, installReplicaSetController } from './replicaset.ts';
import { getPodsToDelete } from './podranking.ts';
import { setReady } from './deployment/testcluster.ts';

const NOW = 1_000_000;

function pod(name: string, o: { node?: string; phase?: Pod['status']['phase']; ready?: boolean; readyAgo?: number; createdAgo?: number; restarts?: number; cost?: number } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      uid: `uid-${name}`,
      creationTimestamp: isoTime(NOW - (o.createdAgo ?? 100) * 1000),
      annotations: o.cost !== undefined ? { 'controller.kubernetes.io/pod-deletion-cost': String(o.cost) } : undefined,
    },
    spec: { containers: [], nodeName: o.node },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: isoTime(NOW - (o.readyAgo ?? 50) * 1000) }] : [],
      containerStatuses: [{ name: 'c', image: 'i', ready: !!o.ready, restartCount: o.restarts ?? 0, state: {} }],
    },
  };
}

describe('getPodsToDelete (ActivePodsWithRanks order)', () => {
  const table: { name: string; pods: Pod[]; related?: Pod[]; first: string }[] = [
    { name: 'unassigned before assigned', pods: [pod('a', { node: 'n1', ready: true }), pod('b', { phase: 'Pending' })], first: 'b' },
    { name: 'Pending before Running', pods: [pod('a', { node: 'n1', phase: 'Running' }), pod('b', { node: 'n1', phase: 'Pending' })], first: 'b' },
    { name: 'Unknown before Running', pods: [pod('a', { node: 'n1', phase: 'Running' }), pod('b', { node: 'n1', phase: 'Unknown' })], first: 'b' },
    { name: 'not ready before ready', pods: [pod('a', { node: 'n1', ready: true }), pod('b', { node: 'n1' })], first: 'b' },
    { name: 'lower deletion cost first', pods: [pod('a', { node: 'n1', ready: true, cost: 10 }), pod('b', { node: 'n1', ready: true, cost: -5 })], first: 'b' },
    {
      name: 'doubled-up node first',
      pods: [pod('a', { node: 'n1', ready: true }), pod('b', { node: 'n2', ready: true })],
      related: [pod('a', { node: 'n1' }), pod('b', { node: 'n2' }), pod('c', { node: 'n2' })],
      first: 'b',
    },
    { name: 'ready for less time first (log scale)', pods: [pod('a', { node: 'n1', ready: true, readyAgo: 500 }), pod('b', { node: 'n1', ready: true, readyAgo: 5 })], first: 'b' },
    { name: 'more restarts first', pods: [pod('a', { node: 'n1', restarts: 0 }), pod('b', { node: 'n1', restarts: 3 })], first: 'b' },
    { name: 'newer first', pods: [pod('a', { node: 'n1', createdAgo: 1000 }), pod('b', { node: 'n1', createdAgo: 10 })], first: 'b' },
  ];
  it.each(table.map((t) => [t.name, t] as const))('%s', (_n, t) => {
    const related = t.related ?? t.pods;
    expect(getPodsToDelete(t.pods, related, 1, NOW)[0].metadata.name).toBe(t.first);
    expect(getPodsToDelete([...t.pods].reverse(), related, 1, NOW)[0].metadata.name).toBe(t.first);
  });
});

describe('getPodsToDelete picks the same pods however many it picks', () => {
  // Times a power of 4 apart fall in different log2 buckets (or are equal), so the order is total and
  // the first `diff` of a full ranking are well defined: the heap (diff > 8) must give exactly those.
  const arbPod = fc.record({
    node: fc.constantFrom('n1', 'n2', 'n3', undefined),
    phase: fc.constantFrom<Pod['status']['phase']>('Pending', 'Running', 'Unknown'),
    ready: fc.boolean(),
    readyAgo: fc.constantFrom(4, 16, 64, 256),
    createdAgo: fc.constantFrom(8, 32, 128, 512),
    restarts: fc.integer({ min: 0, max: 2 }),
    cost: fc.option(fc.integer({ min: -2, max: 2 }), { nil: undefined }),
  });
  it('matches ranking one at a time', () => {
    fc.assert(
      fc.property(fc.array(arbPod, { minLength: 12, maxLength: 60 }), fc.integer({ min: 9, max: 11 }), (specs, diff) => {
        const pods = specs.map((o, i) => pod(`p${i}`, o));
        const ranked: string[] = [];
        let left = pods;
        while (ranked.length < diff) {
          const first = getPodsToDelete(left, pods, 1, NOW)[0];
          ranked.push(first.metadata.name);
          left = left.filter((p) => p !== first);
        }
        expect(getPodsToDelete(pods, pods, diff, NOW).map((p) => p.metadata.name)).toEqual(ranked);
      }),
      { numRuns: 200 },
    );
  });
});

function rsObj(name: string, replicas: number, labels = { app: name }): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default', labels },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    status: { replicas: 0 },
  };
}

function rsSim(): Sim {
  const sim = new Sim({ seed: 3 });
  defaultServiceAccount(sim);
  installReplicaSetController(sim);
  return sim;
}

describe('ReplicaSet controller', () => {
  it('creates pods named <rs>-<5 chars> with the template labels and a controller ref, in bursts of 500', () => {
    const sim = rsSim();
    const rs = sim.store.create(rsObj('big', 1200));
    sim.settle();
    const pods = podsOwnedBy(sim, rs.metadata.uid!);
    expect(pods).toHaveLength(1200);
    expect(BURST_REPLICAS).toBe(500);
    expect(pods[0].metadata.name).toMatch(/^big-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(pods[0].metadata.labels).toEqual({ app: 'big' });
    expect(pods[0].metadata.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'big', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(rs.status).toEqual({ replicas: 1200, fullyLabeledReplicas: 1200, observedGeneration: 1 });
  });

  it('counts a pod right when its object is replaced by a copy, and when the original is written back', () => {
    const sim = rsSim();
    const rs = sim.store.create(rsObj('web', 2));
    sim.settle();
    const [a, b] = podsOwnedBy(sim, rs.metadata.uid!);
    setReady(sim, a);
    setReady(sim, b);
    sim.settle();
    expect(rs.status).toMatchObject({ replicas: 2, readyReplicas: 2 });
    // An update with a new object for pod a (as an API write makes one): not ready in the copy.
    const copy: Pod = structuredClone(a);
    copy.status.conditions = [{ type: 'Ready', status: 'False' }];
    sim.store.update(copy);
    sim.settle();
    expect(rs.status).toMatchObject({ replicas: 2, readyReplicas: 1 });
    // The original object, ready, written back over the copy: the controller must not take what it
    // knew of it before the copy for what it knows now.
    sim.store.update(a);
    sim.settle();
    expect(rs.status).toMatchObject({ replicas: 2, readyReplicas: 2 });
    a.status.conditions = [{ type: 'Ready', status: 'False' }];
    sim.store.update(a);
    sim.settle();
    expect(rs.status).toMatchObject({ replicas: 2, readyReplicas: 1 });
    expect(podsOwnedBy(sim, rs.metadata.uid!)).toHaveLength(2);
  });

  it('counts ready pods, ignores terminating ones, and deletes surplus not-ready pods first', () => {
    const sim = rsSim();
    const rs = sim.store.create(rsObj('web', 3));
    sim.settle();
    const [a, b, c] = podsOwnedBy(sim, rs.metadata.uid!);
    setReady(sim, a);
    setReady(sim, b);
    sim.settle();
    expect(rs.status).toMatchObject({ replicas: 3, readyReplicas: 2, availableReplicas: 2 });
    c.metadata.deletionTimestamp = sim.nowIso();
    sim.store.update(c);
    sim.settle();
    // The terminating pod no longer counts; a replacement is created.
    expect(podsOwnedBy(sim, rs.metadata.uid!).filter((p) => !p.metadata.deletionTimestamp)).toHaveLength(3);
    expect(rs.status.replicas).toBe(3);
    rs.spec.replicas = 2;
    sim.store.update(rs, { specChanged: true });
    sim.settle();
    const left = podsOwnedBy(sim, rs.metadata.uid!).filter((p) => !p.metadata.deletionTimestamp);
    expect(left.map((p) => p.metadata.name).sort()).toEqual([a.metadata.name, b.metadata.name].sort());
    const del = sim.store.list<any>('Event').filter((e) => e.reason === 'SuccessfulDelete');
    expect(del).toHaveLength(1);
    expect(del[0].message).toMatch(/^Deleted pod: web-/);
    expect(del[0].source).toEqual({ component: 'replicaset-controller' });
  });

  it('adopts matching orphans and releases pods whose labels stop matching', () => {
    const sim = rsSim();
    const orphan: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [] }, status: { phase: 'Pending' } };
    sim.store.create(orphan);
    const rs = sim.store.create(rsObj('web', 2));
    sim.settle();
    expect(orphan.metadata.ownerReferences?.[0].uid).toBe(rs.metadata.uid);
    expect(podsOwnedBy(sim, rs.metadata.uid!)).toHaveLength(2);
    orphan.metadata.labels = { app: 'debug' };
    sim.store.update(orphan);
    sim.settle();
    expect(orphan.metadata.ownerReferences).toEqual([]);
    expect(podsOwnedBy(sim, rs.metadata.uid!)).toHaveLength(2);
    expect(rs.status.replicas).toBe(2);
  });

  it('keeps its counts right across snapshot/restore', () => {
    const sim = rsSim();
    const rs = sim.store.create(rsObj('web', 3));
    sim.settle();
    const snap = sim.snapshot();
    for (const p of podsOwnedBy(sim, rs.metadata.uid!)) setReady(sim, p);
    sim.settle();
    expect(rs.status.readyReplicas).toBe(3);
    sim.restore(snap);
    const rs2 = sim.store.get<ReplicaSet>('ReplicaSet', 'default', 'web')!;
    const [p] = podsOwnedBy(sim, rs2.metadata.uid!);
    setReady(sim, p);
    sim.settle();
    expect(rs2.status.readyReplicas).toBe(1);
  });
});
