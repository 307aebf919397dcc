import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Node as FlowNode } from '@xyflow/react';
import { Session } from '../../worker/session.ts';
import { applyDiff, type ObjectsByKind } from '../state/cluster.ts';
import { buildGraph } from './useGraphNodes.ts';

const DEFAULT = readFileSync(new URL('../../../scenarios/default.yaml', import.meta.url), 'utf8');
const EMPTY = new Map();

function graph(o: ObjectsByKind, cache: { m: Map<string, FlowNode> }) {
  return buildGraph(
    {
      nodes: o.Node ?? EMPTY,
      pods: o.Pod ?? EMPTY,
      deployments: o.Deployment ?? EMPTY,
      replicaSets: o.ReplicaSet ?? EMPTY,
      services: o.Service ?? EMPTY,
      endpoints: o.Endpoints ?? EMPTY,
    },
    cache.m,
    (next) => (cache.m = next),
  );
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
