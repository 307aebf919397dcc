/**
 * Property test (issue #2): random sequences of scale / set image / pod kill / node fail / recover /
 * time passing never break the invariants a real cluster keeps:
 *  - a Deployment never has more than replicas + maxSurge pods (sum of ReplicaSet sizes and live pods);
 *  - once it had replicas − maxUnavailable available, the controller never takes it below that on its
 *    own (faults and scale changes reset the watch);
 *  - no node is ever overcommitted (cpu, memory, pod count of the pods bound to it);
 *  - no Endpoints address ever points at a pod that is not ready;
 *  - nothing throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCluster } from '../src/engine/cluster.ts';
import type { Sim } from '../src/engine/sim.ts';
import type { ApiServer } from '../src/engine/api/server.ts';
import type { Deployment, KubeObject, Node, Pod, ReplicaSet } from '../src/engine/api/types.ts';
import { parseQuantity, scaledValue } from '../src/engine/api/quantity.ts';
import { isPodAvailable, isPodReady } from '../src/engine/api/podutil.ts';

type Action =
  | { type: 'scale'; replicas: number }
  | { type: 'image'; image: string }
  | { type: 'kill'; index: number }
  | { type: 'fail'; node: number }
  | { type: 'recover'; node: number }
  | { type: 'wait'; seconds: number };

const IMAGES = ['shop:v1', 'shop:v2', 'shop:v3', 'shop:broken'];
const NODES = ['worker-1', 'worker-2', 'worker-3'];

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ type: fc.constant('scale' as const), replicas: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ type: fc.constant('image' as const), image: fc.constantFrom(...IMAGES) }),
  fc.record({ type: fc.constant('kill' as const), index: fc.nat(20) }),
  fc.record({ type: fc.constant('fail' as const), node: fc.nat(2) }),
  fc.record({ type: fc.constant('recover' as const), node: fc.nat(2) }),
  fc.record({ type: fc.constant('wait' as const), seconds: fc.integer({ min: 1, max: 120 }) }),
);

function cluster(seed: number): Sim {
  const sim = createCluster({
    seed,
    nodes: NODES.map((name) => ({ name, capacity: { cpu: '2', memory: '4Gi', pods: '8' } })),
    images: {
      'shop:v1': { startupSeconds: 2 },
      'shop:v2': { startupSeconds: 4 },
      'shop:v3': { startupSeconds: 1, pullSeconds: 3 },
      'shop:broken': { pullError: true },
    },
  });
  const api = sim.service<ApiServer>('api');
  const d: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'shop', namespace: 'default' },
    spec: {
      replicas: 4,
      selector: { matchLabels: { app: 'shop' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'shop' } },
        spec: { containers: [{ name: 'shop', image: 'shop:v1', resources: { requests: { cpu: '200m', memory: '256Mi' } } }] },
      },
    },
    status: {},
  };
  api.create(d);
  api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'shop', namespace: 'default' }, spec: { selector: { app: 'shop' }, ports: [{ port: 80 }] } });
  sim.settle();
  return sim;
}

function deployment(sim: Sim): Deployment {
  return sim.store.get<Deployment>('Deployment', 'default', 'shop')!;
}

function apply(sim: Sim, a: Action): void {
  const api = sim.service<ApiServer>('api');
  const kubelet = sim.service<{ failNode(n: string): void; recoverNode(n: string): void }>('kubelet');
  switch (a.type) {
    case 'scale': {
      const d = api.get('Deployment', 'default', 'shop') as Deployment;
      d.spec.replicas = a.replicas;
      api.update(d);
      break;
    }
    case 'image': {
      const d = api.get('Deployment', 'default', 'shop') as Deployment;
      d.spec.template.spec.containers[0].image = a.image;
      api.update(d);
      break;
    }
    case 'kill': {
      const pods = sim.store.list<Pod>('Pod', 'default').filter((p) => !p.metadata.deletionTimestamp);
      if (pods.length) api.delete('Pod', 'default', pods[a.index % pods.length].metadata.name);
      break;
    }
    case 'fail':
      kubelet.failNode(NODES[a.node]);
      break;
    case 'recover':
      kubelet.recoverNode(NODES[a.node]);
      break;
    case 'wait':
      break;
  }
  sim.settle();
}

function ownedReplicaSets(sim: Sim, d: Deployment): ReplicaSet[] {
  return sim.store.list<ReplicaSet>('ReplicaSet', 'default').filter((rs) => rs.metadata.ownerReferences?.some((r) => r.uid === d.metadata.uid));
}

function checkInvariants(sim: Sim, state: { floorReached: boolean }): void {
  const d = deployment(sim);
  const replicas = d.spec.replicas ?? 1;
  const ru = d.spec.strategy?.rollingUpdate ?? {};
  const surge = scaledValue(ru.maxSurge, replicas, true) ?? 0;
  let unavailable = scaledValue(ru.maxUnavailable, replicas, false) ?? 0;
  if (surge === 0 && unavailable === 0) unavailable = 1;

  const rss = ownedReplicaSets(sim, d);
  const specTotal = rss.reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
  expect(specTotal, `sum of ReplicaSet sizes at t=${sim.now() / 1000}s`).toBeLessThanOrEqual(replicas + surge);
  const rsUids = new Set(rss.map((rs) => rs.metadata.uid));
  const pods = sim.store.list<Pod>('Pod', 'default').filter((p) => p.metadata.ownerReferences?.some((r) => rsUids.has(r.uid)));
  const live = pods.filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded');
  expect(live.length, `live pods at t=${sim.now() / 1000}s`).toBeLessThanOrEqual(replicas + surge);

  const available = live.filter((p) => isPodAvailable(p, d.spec.minReadySeconds ?? 0, sim.now())).length;
  const floor = replicas - unavailable;
  // A failed node takes its pods' readiness away some time after the fault (node monitor grace period);
  // that is the fault's doing, not the controller's, so availability is only judged on a healthy cluster.
  const healthy = sim.store.list<Node>('Node').every((n) => n.status.conditions.find((c) => c.type === 'Ready')?.status === 'True' && !(n.spec.taints ?? []).length);
  if (!healthy) state.floorReached = false;
  if (healthy && state.floorReached) expect(available, `available pods at t=${sim.now() / 1000}s (floor ${floor})`).toBeGreaterThanOrEqual(floor);
  if (healthy && available >= floor) state.floorReached = true;

  for (const node of sim.store.list<Node>('Node')) {
    const bound = sim.store.list<Pod>('Pod').filter((p) => p.spec.nodeName === node.metadata.name && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    let cpu = 0;
    let mem = 0;
    for (const p of bound) for (const c of p.spec.containers) {
      cpu += parseQuantity(c.resources?.requests?.cpu) ?? 0;
      mem += parseQuantity(c.resources?.requests?.memory) ?? 0;
    }
    const alloc = node.status.allocatable;
    expect(bound.length, `pods on ${node.metadata.name}`).toBeLessThanOrEqual(Number(alloc.pods));
    expect(cpu, `cpu on ${node.metadata.name}`).toBeLessThanOrEqual(parseQuantity(alloc.cpu)!);
    expect(mem, `memory on ${node.metadata.name}`).toBeLessThanOrEqual(parseQuantity(alloc.memory)!);
  }

  for (const ep of sim.store.list<KubeObject>('Endpoints', 'default')) {
    for (const subset of ep.subsets ?? []) for (const addr of subset.addresses ?? []) {
      if (addr.targetRef?.kind !== 'Pod') continue;
      const pod = sim.store.get<Pod>('Pod', addr.targetRef.namespace ?? 'default', addr.targetRef.name);
      expect(pod && isPodReady(pod) && !pod.metadata.deletionTimestamp, `endpoint ${addr.ip} → ${addr.targetRef.name} is ready`).toBe(true);
    }
  }
}

describe('cluster invariants under random operations (fast-check)', () => {
  it('holds the rollout bounds, never overcommits, never routes to unready pods, never throws', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.array(action, { minLength: 1, maxLength: 14 }), (seed, actions) => {
        const sim = cluster(seed);
        const state = { floorReached: false };
        sim.runFor(30_000);
        checkInvariants(sim, state);
        for (const a of actions) {
          apply(sim, a);
          // Faults and scale changes legitimately lower availability; the controller's own moves must not.
          if (a.type !== 'wait' && a.type !== 'image') state.floorReached = false;
          checkInvariants(sim, state);
          const seconds = a.type === 'wait' ? a.seconds : 5;
          for (let s = 0; s < seconds; s += 5) {
            sim.runFor(Math.min(5, seconds - s) * 1000);
            checkInvariants(sim, state);
          }
        }
      }),
      { numRuns: 40, seed: 20261125 },
    );
  });
});
