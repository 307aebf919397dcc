import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import type { ApiServer } from '../api/server.ts';
import type { Node, Pod } from '../api/types.ts';
import { addNode, removeNode } from '../kubelet/index.ts';
import { nodeShouldRunDaemonPod, rollingUpdate, type DaemonSet } from './daemonset.ts';

const node = (name: string, labels: Record<string, string> = {}, taints: Node['spec']['taints'] = []): Node =>
  ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: { taints }, status: { capacity: {}, allocatable: {}, conditions: [] } }) as Node;

describe('nodeShouldRunDaemonPod', () => {
  const table: { name: string; node: Node; spec: any; want: [boolean, boolean] }[] = [
    { name: 'plain node', node: node('a'), spec: {}, want: [true, true] },
    { name: 'nodeSelector mismatch', node: node('a', { disk: 'hdd' }), spec: { nodeSelector: { disk: 'ssd' } }, want: [false, false] },
    { name: 'nodeSelector match', node: node('a', { disk: 'ssd' }), spec: { nodeSelector: { disk: 'ssd' } }, want: [true, true] },
    { name: 'untolerated NoSchedule: no new pod, keep running', node: node('a', {}, [{ key: 'k', effect: 'NoSchedule' }]), spec: {}, want: [false, true] },
    { name: 'untolerated NoExecute: evict', node: node('a', {}, [{ key: 'k', effect: 'NoExecute' }]), spec: {}, want: [false, false] },
    { name: 'tolerated NoSchedule', node: node('a', {}, [{ key: 'k', effect: 'NoSchedule' }]), spec: { tolerations: [{ key: 'k', operator: 'Exists' }] }, want: [true, true] },
    { name: 'cordoned node (unschedulable taint) is tolerated', node: node('a', {}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]), spec: {}, want: [true, true] },
    { name: 'not-ready NoExecute is tolerated', node: node('a', {}, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]), spec: {}, want: [true, true] },
    { name: 'control-plane taint needs a toleration', node: node('a', {}, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]), spec: {}, want: [false, true] },
    { name: 'PreferNoSchedule ignored', node: node('a', {}, [{ key: 'k', effect: 'PreferNoSchedule' }]), spec: {}, want: [true, true] },
  ];
  it.each(table)('$name', ({ node: n, spec, want }) => {
    expect(nodeShouldRunDaemonPod(n, { spec: { containers: [], ...spec } })).toEqual(want);
  });
});

function pod(name: string, isNew: boolean, avail: boolean, node: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { new: String(isNew), avail: String(avail) } }, spec: { containers: [], nodeName: node }, status: {} } as Pod;
}

describe('rollingUpdate', () => {
  const ds = (maxUnavailable: number | string, maxSurge: number | string) => ({ spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable, maxSurge } } } }) as DaemonSet;
  const isNew = (p: Pod) => p.metadata.labels!.new === 'true';
  const available = (p: Pod) => p.metadata.labels!.avail === 'true';
  const table: { name: string; mu: number | string; ms: number | string; pods: Pod[]; del: string[]; create: string[] }[] = [
    { name: 'maxUnavailable 1 deletes one old pod', mu: 1, ms: 0, pods: [pod('a', false, true, 'n1'), pod('b', false, true, 'n2'), pod('c', false, true, 'n3')], del: ['a'], create: [] },
    { name: 'maxUnavailable 2', mu: 2, ms: 0, pods: [pod('a', false, true, 'n1'), pod('b', false, true, 'n2'), pod('c', false, true, 'n3')], del: ['a', 'b'], create: [] },
    { name: 'an unavailable new pod uses the budget', mu: 1, ms: 0, pods: [pod('a', true, false, 'n1'), pod('b', false, true, 'n2'), pod('c', false, true, 'n3')], del: [], create: [] },
    { name: 'unavailable old pods are always replaced', mu: 1, ms: 0, pods: [pod('a', true, false, 'n1'), pod('b', false, false, 'n2'), pod('c', false, true, 'n3')], del: ['b'], create: [] },
    { name: 'percent rounds up (34% of 3 = 2)', mu: '34%', ms: 0, pods: [pod('a', false, true, 'n1'), pod('b', false, true, 'n2'), pod('c', false, true, 'n3')], del: ['a', 'b'], create: [] },
    { name: 'surge 1 creates beside one old pod', mu: 0, ms: 1, pods: [pod('a', false, true, 'n1'), pod('b', false, true, 'n2'), pod('c', false, true, 'n3')], del: [], create: ['n1'] },
    { name: 'surge: available new pod retires the old', mu: 0, ms: 1, pods: [pod('a', false, true, 'n1'), pod('a2', true, true, 'n1'), pod('b', false, true, 'n2'), pod('c', false, true, 'n3')], del: ['a'], create: ['n2'] },
    { name: 'surge: waiting for a new pod holds the budget', mu: 0, ms: 1, pods: [pod('a', false, true, 'n1'), pod('a2', true, false, 'n1'), pod('b', false, true, 'n2')], del: [], create: [] },
  ];
  it.each(table)('$name', ({ mu, ms, pods, del, create }) => {
    const byNode = new Map<string, Pod[]>();
    for (const p of pods) byNode.set(p.spec.nodeName!, [...(byNode.get(p.spec.nodeName!) ?? []), p]);
    const nodes = [...new Set(pods.map((p) => p.spec.nodeName!))];
    const r = rollingUpdate(ds(mu, ms), nodes, byNode, isNew, available, nodes.length);
    expect(r.del.map((p) => p.metadata.name)).toEqual(del);
    expect(r.create).toEqual(create);
  });
});

function setup() {
  const sim = createCluster({ seed: 9, images: { 'agent:1': { startupSeconds: 2 }, 'agent:2': { startupSeconds: 2 } }, nodes: [{ name: 'node-1' }, { name: 'node-2' }, { name: 'node-3', taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }] });
  const api = sim.service<ApiServer>('api');
  api.create({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'agent:1' }] } } },
  });
  sim.runFor(30_000);
  return { sim, api, ds: sim.store.get<DaemonSet>('DaemonSet', 'default', 'agent')! };
}

const dsPods = (sim: ReturnType<typeof setup>['sim']) => sim.store.list<Pod>('Pod', 'default').filter((p) => !p.metadata.deletionTimestamp);

describe('DaemonSet controller', () => {
  it('runs one pod per eligible node, bound by the scheduler through matchFields', () => {
    const { sim, ds } = setup();
    const pods = dsPods(sim);
    expect(pods.map((p) => p.spec.nodeName).sort()).toEqual(['node-1', 'node-2']);
    expect(pods[0].spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0]).toEqual({ key: 'metadata.name', operator: 'In', values: [pods[0].spec.nodeName] });
    expect(pods[0].spec.tolerations!.map((t) => t.key)).toContain('node.kubernetes.io/unschedulable');
    expect(pods[0].metadata.labels!['controller-revision-hash']).toMatch(/^[a-z0-9]+$/);
    expect(pods[0].metadata.labels!['pod-template-generation']).toBe('1');
    expect(ds.status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, updatedNumberScheduled: 2, numberAvailable: 2, numberMisscheduled: 0 });
    expect(sim.store.list('ControllerRevision', 'default').length).toBe(1);
  });

  it('follows nodes joining and leaving', () => {
    const { sim, ds } = setup();
    addNode(sim, { name: 'node-4' });
    sim.runFor(30_000);
    expect(dsPods(sim).map((p) => p.spec.nodeName).sort()).toEqual(['node-1', 'node-2', 'node-4']);
    expect(ds.status.desiredNumberScheduled).toBe(3);
    removeNode(sim, 'node-1');
    sim.runFor(60_000);
    expect(dsPods(sim).map((p) => p.spec.nodeName).sort()).toEqual(['node-2', 'node-4']);
    expect(ds.status.desiredNumberScheduled).toBe(2);
  });

  it('rolling update replaces one node at a time', () => {
    const { sim, api } = setup();
    const d = api.get<DaemonSet>('DaemonSet', 'default', 'agent');
    const templateGeneration = () => sim.store.get<DaemonSet>('DaemonSet', 'default', 'agent')!.metadata.annotations?.['deprecated.daemonset.template.generation'];
    expect(templateGeneration()).toBe('1');
    expect(dsPods(sim)[0].metadata.labels!['pod-template-generation']).toBe('1');
    d.spec.template.spec.containers[0].image = 'agent:2';
    api.update(d);
    expect(templateGeneration()).toBe('2');
    // A change outside the template is a new generation, not a new template generation.
    const d2 = api.get<DaemonSet>('DaemonSet', 'default', 'agent');
    d2.spec.minReadySeconds = 1;
    api.update(d2);
    expect(templateGeneration()).toBe('2');
    sim.settle();
    expect(dsPods(sim).length).toBe(1); // one old pod is terminating
    sim.runFor(120_000);
    const pods = dsPods(sim);
    expect(pods.length).toBe(2);
    expect(pods.every((p) => p.spec.containers[0].image === 'agent:2')).toBe(true);
    const ds = sim.store.get<DaemonSet>('DaemonSet', 'default', 'agent')!;
    expect(ds.status).toMatchObject({ updatedNumberScheduled: 2, numberAvailable: 2, observedGeneration: 3 });
    expect(pods.every((p) => p.metadata.labels!['pod-template-generation'] === '2')).toBe(true);
    expect(sim.store.list('ControllerRevision', 'default').length).toBe(2);
  });
});
