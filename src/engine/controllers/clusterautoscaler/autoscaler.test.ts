import { describe, expect, it } from 'vitest';
import { createCluster } from '../../cluster.ts';
import type { ApiServer } from '../../api/server.ts';
import type { EventObject, KubeObject, Node, Pod } from '../../api/types.ts';
import type { Sim } from '../../sim.ts';
import { AUTOSCALER_DEFAULTS, type AutoscalerSpec, type NodeGroupSpec } from './types.ts';
import { bestOption, wasteScore, type ScaleUpOption } from './scaleup.ts';
import { podsToMove } from './scaledown.ts';
import { NodeInfo, newPodInfo } from '../../scheduler/framework/nodeinfo.ts';
import { makeNode, makePod } from '../../scheduler/testutil.ts';

const group = (name: string, min: number, max: number, cpu = '2', extra: Partial<NodeGroupSpec> = {}): NodeGroupSpec => ({
  name,
  min,
  max,
  template: { cpu, memory: '4Gi' },
  provisionDelayMs: 60_000,
  ...extra,
});

function cluster(groups: NodeGroupSpec[], over: Partial<AutoscalerSpec> = {}) {
  const sim = createCluster({ seed: 5, autoscaler: { ...AUTOSCALER_DEFAULTS, nodeGroups: groups, ...over } });
  return { sim, api: sim.service<ApiServer>('api') };
}

function deployment(api: ApiServer, name: string, replicas: number, cpu: string, extra: Record<string, unknown> = {}) {
  api.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { ...extra, containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu } } }] } },
    },
  } as KubeObject);
}

const nodeNames = (sim: Sim) => sim.store.list<Node>('Node').map((n) => n.metadata.name);
const pods = (sim: Sim, app: string) => sim.store.list<Pod>('Pod').filter((p) => p.metadata.labels?.app === app && !p.metadata.deletionTimestamp);
const events = (sim: Sim, reason: string) =>
  sim.store
    .list<EventObject>('Event')
    .filter((e) => e.reason === reason)
    .map((e) => `${e.involvedObject.kind}/${e.involvedObject.name}: ${e.message}`);

describe('cluster autoscaler', () => {
  it('starts each group at its min size', () => {
    const { sim } = cluster([group('pool', 2, 5)]);
    expect(nodeNames(sim)).toEqual(['pool-1', 'pool-2']);
    expect(sim.store.get<Node>('Node', undefined, 'pool-1')!.metadata.labels!['autoscaling.kubeplay.dev/node-group']).toBe('pool');
  });

  it('scales up after unschedulable pods; the node joins after the provision delay; the pods run', () => {
    const { sim, api } = cluster([group('pool', 1, 5)]);
    deployment(api, 'web', 3, '1500m');
    sim.runFor(5_000);
    expect(pods(sim, 'web').filter((p) => p.spec.nodeName)).toHaveLength(1);
    // First loop at 10 s: two more nodes asked for (binpacking: 1500m each, one per 2-CPU node).
    sim.runFor(6_000);
    const up = events(sim, 'TriggeredScaleUp');
    expect(up).toHaveLength(2);
    expect(up[0]).toMatch(/^Pod\/web-[a-z0-9]+-[a-z0-9]+: pod triggered scale-up: \[\{pool 1->3 \(max: 5\)\}\]$/);
    expect(nodeNames(sim)).toEqual(['pool-1']);
    // 60 s provision delay: nodes join at 70 s.
    sim.runUntil(69_000);
    expect(nodeNames(sim)).toEqual(['pool-1']);
    sim.runUntil(90_000);
    expect(nodeNames(sim)).toEqual(['pool-1', 'pool-2', 'pool-3']);
    expect(pods(sim, 'web').filter((p) => p.status.phase === 'Running')).toHaveLength(3);
    const cm = sim.store.get<KubeObject>('ConfigMap', 'kube-system', 'cluster-autoscaler-status')!;
    expect(cm.data.status).toContain('cloudProviderTarget: 3');
  });

  it('respects max: the pods beyond it get NotTriggerScaleUp', () => {
    const { sim, api } = cluster([group('pool', 1, 2)]);
    deployment(api, 'web', 4, '1500m');
    sim.runFor(11_000);
    expect(events(sim, 'TriggeredScaleUp')[0]).toMatch(/pool 1->2 \(max: 2\)/);
    sim.runFor(70_000);
    const not = events(sim, 'NotTriggerScaleUp');
    expect(not.length).toBeGreaterThan(0);
    expect(not.at(-1)).toMatch(/: pod didn't trigger scale-up: 1 max node group size reached$/);
    expect(nodeNames(sim)).toEqual(['pool-1', 'pool-2']);
  });

  it('a pod no template can hold: the filter reason per group', () => {
    const { sim, api } = cluster([group('small', 1, 3, '1'), group('gpu', 0, 2, '8', { template: { cpu: '8', memory: '4Gi', taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] } })]);
    deployment(api, 'big', 1, '4');
    sim.runFor(11_000);
    expect(events(sim, 'NotTriggerScaleUp')[0]).toMatch(/pod didn't trigger scale-up: 1 Insufficient cpu, 1 node\(s\) had untolerated taint\(s\)$/);
  });

  it('a new node counts the DaemonSet pods it would run: 2 CPU minus a 600m agent cannot hold 1500m', () => {
    const { sim, api } = cluster([group('pool', 1, 3)]);
    api.create({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'agent', resources: { requests: { cpu: '600m' } } }] } } },
    } as KubeObject);
    sim.runFor(3_000);
    deployment(api, 'web', 1, '1500m');
    sim.runFor(11_000);
    expect(events(sim, 'TriggeredScaleUp')).toEqual([]);
    const not = events(sim, 'NotTriggerScaleUp');
    expect(not).toHaveLength(1);
    expect(not[0]).toMatch(/^Pod\/web-\S+: pod didn't trigger scale-up: 1 Insufficient cpu$/);
  });

  it('scales down a node under 50% for 10 minutes (after the 10 min delay after add), never below min', () => {
    const { sim, api } = cluster([group('pool', 1, 5)]);
    deployment(api, 'web', 2, '1500m');
    sim.runFor(90_000);
    expect(nodeNames(sim)).toEqual(['pool-1', 'pool-2']);
    // Load drops: one replica of 1500m fits on one node; the other node becomes empty.
    api.update({ ...api.get('Deployment', 'default', 'web'), spec: { ...api.get<any>('Deployment', 'default', 'web').spec, replicas: 1 } });
    sim.runFor(60_000);
    const emptyNode = nodeNames(sim).find((n) => sim.store.byIndex<Pod>('Pod', 'node', n).filter((p) => !p.metadata.deletionTimestamp).length === 0)!;
    expect(emptyNode).toBeDefined();
    // Scale-up at 10 s: cooldown until 10 min 10 s; unneeded since ~2 min 40 s: removed at ~12 min 40 s.
    sim.runUntil(10 * 60_000);
    expect(nodeNames(sim)).toHaveLength(2);
    sim.runUntil(14 * 60_000);
    expect(nodeNames(sim)).toEqual(['pool-1', 'pool-2'].filter((n) => n !== emptyNode));
    expect(events(sim, 'ScaleDown')).toContain(`Node/${emptyNode}: marked the node as toBeDeleted/unschedulable`);
    sim.runUntil(40 * 60_000);
    expect(nodeNames(sim)).toHaveLength(1); // min 1
  });

  it('drains a non-empty underused node: its pod moves, then the node goes', () => {
    const { sim, api } = cluster([group('pool', 1, 5)]);
    deployment(api, 'a', 2, '1200m');
    sim.runFor(90_000);
    expect(nodeNames(sim)).toHaveLength(2);
    api.update({ ...api.get('Deployment', 'default', 'a'), spec: { ...api.get<any>('Deployment', 'default', 'a').spec, template: { ...api.get<any>('Deployment', 'default', 'a').spec.template, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '500m' } } }] } } } });
    sim.runUntil(30 * 60_000);
    expect(nodeNames(sim)).toHaveLength(1);
    expect(pods(sim, 'a').filter((p) => p.status.phase === 'Running')).toHaveLength(2);
    expect(events(sim, 'ScaleDown').some((e) => e.endsWith('deleting pod for node scale down'))).toBe(true);
  });

  it('overprovisioning: a real pod preempts a pause pod, which then triggers a node for itself', () => {
    const { sim, api } = cluster([group('pool', 1, 3)]);
    api.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'overprovisioning' }, value: -10 } as KubeObject);
    deployment(api, 'pause', 1, '1500m', { priorityClassName: 'overprovisioning' });
    sim.runFor(20_000);
    expect(pods(sim, 'pause')[0].spec.nodeName).toBe('pool-1');
    deployment(api, 'app', 1, '1500m');
    sim.runFor(5_000);
    // The app pod is nominated on pool-1 and runs there once the pause pod is gone (30 s grace).
    expect(events(sim, 'Preempted')).toHaveLength(1);
    sim.runFor(40_000);
    expect(pods(sim, 'app')[0].spec.nodeName).toBe('pool-1');
    // The pause pod's replacement is Pending and asks for a node.
    expect(events(sim, 'TriggeredScaleUp').some((e) => e.includes('pause-') && e.includes('pool 1->2'))).toBe(true);
    sim.runFor(120_000);
    expect(pods(sim, 'pause')[0].spec.nodeName).toBe('pool-2');
  });
});

describe('expanders', () => {
  const opt = (name: string, cpuAlloc: string, podsCpu: string[]): ScaleUpOption => {
    const ni = new NodeInfo(makeNode({ name, allocatable: { cpu: cpuAlloc, memory: '4Gi' } }));
    const ps = podsCpu.map((c) => makePod({ containers: [{ cpu: c, memory: '1Gi' }] }));
    for (const p of ps) ni.addPod(newPodInfo(p));
    return { group: group(name, 0, 3), nodeCount: 1, pods: ps, nodes: [ni] };
  };
  it('least-waste picks the tightest fit (CPU waste + memory waste)', () => {
    const a = opt('big', '8', ['1500m']);
    const b = opt('small', '2', ['1500m']);
    expect(wasteScore(b)).toBeCloseTo(0.25 + 0.75);
    expect(bestOption([a, b], 'least-waste', () => 0)?.group.name).toBe('small');
  });
  it('most-pods picks the option helping most pods', () => {
    expect(bestOption([opt('one', '2', ['1']), opt('two', '2', ['500m', '500m'])], 'most-pods', () => 0)?.group.name).toBe('two');
  });
  it('random draws among all options', () => {
    expect(bestOption([opt('a', '2', ['1']), opt('b', '2', ['1'])], 'random', () => 1)?.group.name).toBe('b');
  });
});

describe('podsToMove (what blocks a scale-down)', () => {
  const owned = (p: Pod, kind = 'ReplicaSet') => {
    p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind, name: 'x', uid: 'u', controller: true }];
    return p;
  };
  it.each([
    ['a bare pod', () => makePod({ name: 'bare' }), 'pod is not backed by controller: bare'],
    ['a kube-system pod without PDB', () => owned(makePod({ name: 'dns', ns: 'kube-system' })), 'non-daemonset, non-mirrored, non-pdb-assigned kube-system pod present: dns'],
    ['local storage', () => owned(makePod({ name: 'cache', spec: { volumes: [{ name: 'v', emptyDir: {} }] } })), 'pod with local storage present: cache'],
    ['safe-to-evict false', () => {
      const p = owned(makePod({ name: 'keep' }));
      p.metadata.annotations = { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' };
      return p;
    }, 'pod annotated as not safe to evict present: keep'],
  ])('%s blocks', (_n, mk, reason) => {
    expect(podsToMove([mk()], []).blocked).toBe(reason);
  });
  it('DaemonSet pods and expendable pods stay out of the list; replicated pods move', () => {
    const ds = owned(makePod({ name: 'ds' }), 'DaemonSet');
    const cheap = makePod({ name: 'cheap', spec: { priority: -11 } });
    const web = owned(makePod({ name: 'web' }));
    const r = podsToMove([ds, cheap, web], []);
    expect(r.blocked).toBeUndefined();
    expect(r.pods.map((p) => p.metadata.name)).toEqual(['web']);
  });
  it('a PDB with no disruption allowed blocks', () => {
    const web = owned(makePod({ name: 'web', labels: { app: 'web' } }));
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } } }, status: { disruptionsAllowed: 0 } };
    expect(podsToMove([web], [pdb as any]).blocked).toBe('not enough pod disruption budget to move default/web');
  });
});
