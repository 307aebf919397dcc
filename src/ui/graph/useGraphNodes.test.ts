import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Node as FlowNode } from '@xyflow/react';
import { Session } from '../../worker/session.ts';
import { applyDiff, type ObjectsByKind } from '../state/cluster.ts';
import { buildGraph, type BoxBudget, type LayoutFloor } from './useGraphNodes.ts';
import { graphInputOf } from './testutil.ts';
import { DENSE_PODS } from './model.ts';
import { OVERVIEW_NODES } from './layout.ts';
import type { KubeObject } from '../../engine/api/types.ts';

const DEFAULT = readFileSync(new URL('../../../scenarios/default.yaml', import.meta.url), 'utf8');
const EMPTY = new Map();

function graph(o: ObjectsByKind, cache: { m: Map<string, FlowNode> }) {
  return buildGraph(graphInputOf(o), cache.m, (next) => (cache.m = next));
}

test('the default scenario draws three node boxes with their pods, and only changed boxes get new objects', () => {
  const s = new Session();
  s.load('default.yaml', DEFAULT);
  s.advance(20_000);
  // structuredClone: the page gets copies through postMessage, never the worker's live objects.
  let objects = applyDiff({}, structuredClone(s.takeDiff()!));
  const cache = { m: new Map<string, FlowNode>() };
  const first = graph(objects, cache);
  const boxes = first.nodes.filter((n) => n.type === 'k8snode');
  expect(boxes.map((n) => n.id)).toEqual(['node/worker-1', 'node/worker-2', 'node/worker-3']);
  const chips = boxes.flatMap((n) => (n.data.items as { type: string }[]).filter((i) => i.type === 'pod'));
  expect(chips).toHaveLength(3);
  expect(first.nodes.map((n) => n.type)).toEqual(expect.arrayContaining(['lane', 'deployment', 'service']));

  // Nothing changed: every flow node is the same object.
  const again = graph(objects, cache);
  again.nodes.forEach((n, i) => expect(n).toBe(first.nodes[i]));

  // Delete a pod: its node's box changes (and the box of the node its replacement lands on);
  // every other box keeps its object, and every box keeps its place.
  const victim = s.sim.store.list('Pod')[0];
  s.run(`kubectl delete pod ${victim.metadata.name} --wait=false`);
  const diff = structuredClone(s.takeDiff()!);
  const touched = new Set(diff.upserted.filter((o) => o.kind === 'Pod').map((p) => `node/${p.spec?.nodeName}`));
  expect(touched.has(`node/${victim.spec.nodeName}`)).toBe(true);
  expect(touched.size).toBeLessThan(3);
  objects = applyDiff(objects, diff);
  const after = graph(objects, cache);
  for (const n of after.nodes.filter((n) => n.type === 'k8snode')) {
    const before = first.nodes.find((b) => b.id === n.id)!;
    if (touched.has(n.id)) expect(n).not.toBe(before);
    else expect(n).toBe(before);
    expect(n.position).toEqual(before.position);
  }
});

/** densePods: n pods of revision `hash` spread over nodes n0…n(nodes-1), as the page holds them. */
function densePods(n: number, nodes: number, hash: string, phase = 'Running'): KubeObject[] {
  return Array.from({ length: n }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `web-${hash}-${i}`,
      namespace: 'default',
      uid: `${hash}-${i}`,
      labels: { 'pod-template-hash': hash },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `web-${hash}`, uid: `rs-${hash}`, controller: true }],
    },
    spec: { nodeName: `n${i % nodes}`, containers: [{ name: 'c', image: 'x' }] },
    status: { phase, conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'c', image: 'x', ready: true, restartCount: 0, state: { running: {} } }] },
  }));
}

test(`past ${DENSE_PODS} pods each node draws a revision as one counted chip, and boxes never shrink back until a new cluster`, () => {
  const nodes = Array.from({ length: 10 }, (_, i): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: `n${i}`, uid: `node-${i}` }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }));
  const map = (objs: KubeObject[]) => new Map(objs.map((o) => [o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name, o]));
  const input = (pods: KubeObject[]) => ({ nodes: map(nodes), pods: map(pods), deployments: EMPTY, replicaSets: EMPTY, services: EMPTY, endpoints: EMPTY });
  const floor: LayoutFloor = { epoch: 1, chips: 0, lane: 0 };
  let prev = new Map<string, FlowNode>();
  const build = (pods: KubeObject[]) => buildGraph(input(pods), prev, (n) => (prev = n), false, floor);
  const boxes = (g: ReturnType<typeof build>) => g.nodes.filter((n) => n.type === 'k8snode');

  const old = densePods(DENSE_PODS + 50, 10, 'aaa');
  const steady = build(old);
  for (const b of boxes(steady)) expect((b.data.items as { type: string }[]).map((i) => i.type)).toEqual(['group']);
  const height = boxes(steady)[0].height!;

  // Mid-rollout: three chips on a node (two revisions and a lone pod of a third) fit the room every box
  // has from the start (DENSE_ROOM): nothing grows or moves when a rollout starts…
  const rolling = build([...old, ...densePods(30, 10, 'bbb'), ...densePods(1, 10, 'ccc')]);
  const n0 = boxes(rolling)[0];
  expect((n0.data.items as { type: string }[]).map((i) => i.type)).toEqual(['group', 'group', 'pod']);
  expect(n0.height).toBe(height);
  expect(boxes(rolling).map((b) => b.position)).toEqual(boxes(steady).map((b) => b.position));
  // …five chips (three revisions and lone pods) make every box taller…
  const crowded = build([...old, ...densePods(30, 10, 'bbb'), ...densePods(1, 10, 'ccc'), ...densePods(1, 10, 'ddd'), ...densePods(1, 10, 'eee')]);
  expect(boxes(crowded)[0].height).toBeGreaterThan(height);
  // …and when it is over they keep that height: nothing moves while a rollout comes and goes.
  const after = build(densePods(DENSE_PODS + 50, 10, 'bbb'));
  expect(boxes(after).map((b) => b.height)).toEqual(boxes(crowded).map((b) => b.height));
  expect(boxes(after).map((b) => b.position)).toEqual(boxes(crowded).map((b) => b.position));
  // A sparse graph forgets the mark.
  const sparse = build(densePods(20, 10, 'ddd'));
  expect(boxes(sparse)[0].height).toBeLessThanOrEqual(height);
});

test('a new version of a pod that draws the same (a new IP) keeps its box; one that draws differently does not', () => {
  const nodes = [{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n0', uid: 'node-0' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } } as KubeObject];
  const map = (objs: KubeObject[]) => new Map(objs.map((o) => [o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name, o]));
  for (const count of [3, DENSE_PODS + 1]) {
    let prev = new Map<string, FlowNode>();
    const build = (pods: KubeObject[]) =>
      buildGraph({ nodes: map(nodes), pods: map(pods), deployments: EMPTY, replicaSets: EMPTY, services: EMPTY, endpoints: EMPTY }, prev, (n) => (prev = n), false).nodes.find((n) => n.id === 'node/n0')!;
    const pods = densePods(count, 1, 'aaa');
    const first = build(pods);
    const withIp = pods.map((p, i) => (i === 1 ? { ...p, status: { ...(p.status as object), podIP: '10.0.0.9' } } : p));
    expect(build(withIp)).toBe(first);
    const unready = withIp.map((p, i) => (i === 1 ? { ...p, status: { ...(p.status as object), conditions: [{ type: 'Ready', status: 'False' }] } } : p));
    expect(build(unready)).not.toBe(first);
  }
});

test('under a budget, a dense graph redraws at most max changed boxes a build, in turns, until every box is current', () => {
  const nodes = Array.from({ length: 50 }, (_, i): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: `n${i}`, uid: `node-${i}` }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }));
  const map = (objs: KubeObject[]) => new Map(objs.map((o) => [o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name, o]));
  const input = (pods: KubeObject[]) => ({ nodes: map(nodes), pods: map(pods), deployments: EMPTY, replicaSets: EMPTY, services: EMPTY, endpoints: EMPTY });
  const budget: BoxBudget = { max: 6, next: 0, pending: false };
  let prev = new Map<string, FlowNode>();
  const build = (pods: KubeObject[]) => buildGraph(input(pods), prev, (n) => (prev = n), false, undefined, budget);
  const boxes = (g: ReturnType<typeof build>) => g.nodes.filter((n) => n.type === 'k8snode');
  const shown = (g: ReturnType<typeof build>) => boxes(g).map((b) => (b.data.items as { type: string; group?: { shown: string } }[]).map((i) => i.group?.shown ?? '').join());

  // A new graph draws every box at once (nothing to keep).
  const old = densePods(1000, 50, 'aaa');
  let g = build(old);
  expect(budget.pending).toBe(false);
  const before = shown(g);

  // Every pod becomes not ready: all 50 boxes change; 6 are redrawn per build, each box exactly once.
  const unready = old.map((p) => ({ ...p, status: { ...(p.status as object), conditions: [{ type: 'Ready', status: 'False' }] } }));
  const redrawn = new Map<string, number>();
  for (let turn = 1; turn <= 9; turn++) {
    const last = boxes(g);
    g = build(unready);
    const changed = boxes(g).filter((b, i) => b !== last[i]);
    expect(changed.length).toBe(turn < 9 ? 6 : 2);
    for (const b of changed) redrawn.set(b.id, (redrawn.get(b.id) ?? 0) + 1);
    expect(budget.pending).toBe(turn < 9);
  }
  expect(redrawn.size).toBe(50);
  expect([...redrawn.values()].every((n) => n === 1)).toBe(true);
  expect(shown(g).every((s, i) => s !== before[i])).toBe(true);
  // Current: another build changes nothing and returns the very same model.
  expect(build(unready)).toBe(g);
});

test(`past ${OVERVIEW_NODES} nodes the boxes come with their handles, and zoomed out they are hidden (the overview draws them) with every box current`, () => {
  const map = (objs: KubeObject[]) => new Map(objs.map((o) => [o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name, o]));
  const nodesOf = (n: number) => Array.from({ length: n }, (_, i): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: `n${i}`, uid: `node-${i}` }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }));
  const boxes = (g: ReturnType<typeof buildGraph>) => g.nodes.filter((n) => n.type === 'k8snode');
  for (const count of [OVERVIEW_NODES, OVERVIEW_NODES + 1]) {
    const many = count > OVERVIEW_NODES;
    const budget: BoxBudget = { max: 6, next: 0, pending: false };
    let prev = new Map<string, FlowNode>();
    const input = (pods: KubeObject[]) => ({ nodes: map(nodesOf(count)), pods: map(pods), deployments: EMPTY, replicaSets: EMPTY, services: EMPTY, endpoints: EMPTY });
    const build = (pods: KubeObject[], farZoom: boolean, owners = false) => buildGraph(input(pods), prev, (n) => (prev = n), owners, undefined, budget, farZoom);
    const pods = densePods(count * 2, count, 'aaa');

    const near = build(pods, false);
    expect(near.many).toBe(many);
    expect(near.overview).toBe(false);
    // With its handles given, React Flow need not draw a box it cannot see to measure them.
    for (const b of boxes(near)) expect(b.handles).toEqual(many ? [] : undefined);
    expect(boxes(near).some((b) => b.hidden)).toBe(false);

    const far = build(pods, true);
    expect(far.overview).toBe(many);
    expect(boxes(far).every((b) => !!b.hidden === many)).toBe(true);
    // Every box changes at once (all pods not ready): the overview rebuilds them all in one build (up to OVERVIEW_BOX_UPDATES).
    const unready = pods.map((p) => ({ ...p, status: { ...(p.status as object), conditions: [{ type: 'Ready', status: 'False' }] } }));
    const next = build(unready, true);
    if (many) {
      expect(budget.pending).toBe(false);
      for (const b of boxes(next)) expect((b.data.items as { type: string; view?: { ready: boolean } }[]).every((i) => i.view?.ready !== true)).toBe(true);
    }
    // Ownership edges to the boxes end on one handle, on each box's top edge.
    const owned = build(unready, true, true);
    if (many) expect(boxes(owned)[0].handles).toEqual([{ id: 'owners', type: 'target', position: 'top', x: boxes(owned)[0].width! / 2 - 0.5, y: -0.5, width: 1, height: 1 }]);
  }
});
