import { describe, expect, test } from 'vitest';
import type { Node as KNode, Pod } from '../../engine/api/types.ts';
import { GROUP_THRESHOLD, NODE_CHIP_CAP, itemsFor, nodeReady, nodeUsage, podRequests, podView } from './model.ts';
import { applyDiff } from '../state/cluster.ts';

let uid = 0;
function pod(name: string, opts: { rs?: string; hash?: string; node?: string; cpu?: string; initCpu?: string; phase?: Pod['status']['phase']; ready?: boolean } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `u${++uid}`,
      labels: opts.hash ? { 'pod-template-hash': opts.hash } : {},
      ownerReferences: opts.rs ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: opts.rs, uid: `rs-${opts.rs}`, controller: true }] : [],
    },
    spec: {
      nodeName: opts.node,
      containers: [{ name: 'c', image: 'x', resources: { requests: opts.cpu ? { cpu: opts.cpu } : {} } }],
      initContainers: opts.initCpu ? [{ name: 'i', image: 'x', resources: { requests: { cpu: opts.initCpu } } }] : undefined,
    },
    status: {
      phase: opts.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
      containerStatuses: [{ name: 'c', image: 'x', ready: opts.ready !== false, restartCount: 0, state: { running: {} } }],
    },
  };
}

function node(name: string, ready: 'True' | 'False' | 'Unknown' | undefined, cpu = '4'): KNode {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `n-${name}` },
    spec: {},
    status: { capacity: { cpu }, allocatable: { cpu }, conditions: ready ? [{ type: 'Ready', status: ready }] : [] },
  };
}

describe('podView', () => {
  test.each([
    { name: 'web-7d4b9-x2k1p', rs: 'web-7d4b9', hash: '7d4b9', short: 'x2k1p', owner: 'web' },
    { name: 'lonely', rs: undefined, hash: undefined, short: 'lonely', owner: '' },
    { name: 'db-0', rs: 'db-0-abc', hash: undefined, short: 'db-0', owner: 'db-0-abc' },
  ])('$name → $short of $owner', ({ name, rs, hash, short, owner }) => {
    const v = podView(pod(name, { rs, hash }));
    expect(v.short).toBe(short);
    expect(v.owner).toBe(owner);
    expect(v.status).toBe('Running');
    expect(v.ready).toBe(true);
  });
});

describe('itemsFor', () => {
  test(`groups more than ${GROUP_THRESHOLD} pods of one ReplicaSet, keeps others as chips`, () => {
    const many = Array.from({ length: GROUP_THRESHOLD + 1 }, (_, i) => pod(`web-aaaaa-${i}`, { rs: 'web-aaaaa', hash: 'aaaaa' }));
    const few = [pod('api-bbbbb-1', { rs: 'api-bbbbb', hash: 'bbbbb' }), pod('api-bbbbb-2', { rs: 'api-bbbbb', hash: 'bbbbb' })];
    const items = itemsFor([...many, ...few]);
    expect(items.map((i) => i.type).sort()).toEqual(['group', 'pod', 'pod']);
    const g = items.find((i) => i.type === 'group')!;
    expect(g.type === 'group' && g.group.pods.length).toBe(GROUP_THRESHOLD + 1);
    expect(g.type === 'group' && g.group.owner).toBe('web');
  });

  test(`${GROUP_THRESHOLD} pods stay chips`, () => {
    const pods = Array.from({ length: GROUP_THRESHOLD }, (_, i) => pod(`w-${i}`, { rs: 'w', hash: 'h' }));
    expect(itemsFor(pods).every((i) => i.type === 'pod')).toBe(true);
  });

  test(`a node with more than ${NODE_CHIP_CAP} pods groups every revision with more than 3`, () => {
    const a = Array.from({ length: 20 }, (_, i) => pod(`web-a-${i}`, { rs: 'web-a', hash: 'a' }));
    const b = Array.from({ length: 20 }, (_, i) => pod(`web-b-${i}`, { rs: 'web-b', hash: 'b' }));
    const c = Array.from({ length: 3 }, (_, i) => pod(`db-c-${i}`, { rs: 'db-c', hash: 'c' }));
    const items = itemsFor([...a, ...b, ...c]);
    expect(items.filter((i) => i.type === 'group')).toHaveLength(2);
    expect(items.filter((i) => i.type === 'pod')).toHaveLength(3);
  });

  test('a dense graph groups every revision with more than one pod on the node; a lone pod keeps its chip', () => {
    const a = Array.from({ length: 5 }, (_, i) => pod(`web-a-${i}`, { rs: 'web-a', hash: 'a' }));
    const b = Array.from({ length: 2 }, (_, i) => pod(`web-b-${i}`, { rs: 'web-b', hash: 'b' }));
    const c = [pod('db-c-0', { rs: 'db-c', hash: 'c' })];
    const items = itemsFor([...a, ...b, ...c], true);
    expect(items.map((i) => (i.type === 'group' ? `${i.group.owner}×${i.group.pods.length}` : i.view.pod.metadata.name)).sort()).toEqual(['db-c-0', 'web×2', 'web×5']);
    // The same pods in a sparse graph: all chips.
    expect(itemsFor([...a, ...b, ...c]).every((i) => i.type === 'pod')).toBe(true);
  });

  test('order follows first-seen order, not names', () => {
    const b = pod('b');
    const a = pod('a');
    applyDiff({}, { t: 0, reset: true, upserted: [b, a], removed: [] });
    expect(itemsFor([a, b]).map((i) => i.type === 'pod' && i.view.pod.metadata.name)).toEqual(['b', 'a']);
  });
});

describe('resources', () => {
  test.each([
    { cpu: '100m', initCpu: undefined, want: 100 },
    { cpu: '100m', initCpu: '500m', want: 500 }, // max(sum of app containers, largest init container)
    { cpu: '1', initCpu: '500m', want: 1000 },
    { cpu: undefined, initCpu: undefined, want: 0 },
  ])('podRequests cpu=$cpu init=$initCpu → $want', ({ cpu, initCpu, want }) => {
    expect(podRequests(pod('p', { cpu, initCpu }), 'cpu')).toBe(want);
  });

  test('nodeUsage skips finished pods', () => {
    const pods = [pod('a', { cpu: '250m' }), pod('b', { cpu: '1', phase: 'Succeeded' }), pod('c', { cpu: '500m' })];
    expect(nodeUsage(node('n', 'True'), pods, 'cpu')).toEqual({ requested: 750, allocatable: 4000 });
  });

  test.each([
    { ready: 'True' as const, want: 'Ready' },
    { ready: 'False' as const, want: 'NotReady' },
    { ready: 'Unknown' as const, want: 'NotReady' },
    { ready: undefined, want: 'Unknown' },
  ])('nodeReady($ready) → $want', ({ ready, want }) => {
    expect(nodeReady(node('n', ready))).toBe(want);
  });
});
