/**
 * Test helpers: build pods and nodes from the oracle fixtures' simulator-neutral shapes
 * (containers as {cpu, memory, <resource>} request maps; nodes as {name, allocatable, labels, taints}).
 */
import { readFileSync } from 'node:fs';
import type { Node, Pod } from '../api/types.ts';
import { NodeInfo, newPodInfo } from './framework/nodeinfo.ts';
import type { Handle, Plugin } from './framework/types.ts';

export function loadOracle(name: string): { cases: any[] } {
  return JSON.parse(readFileSync(new URL(`../../../test/fixtures/oracles/${name}.json`, import.meta.url), 'utf8'));
}

let uidSeq = 0;

export function container(req: Record<string, string | number> | undefined, i = 0) {
  const requests: Record<string, string> = {};
  for (const [k, v] of Object.entries(req ?? {})) requests[k] = String(v);
  return { name: `c${i}`, image: 'img', resources: Object.keys(requests).length ? { requests } : {} };
}

export function makePod(p: { containers?: any[]; initContainers?: any[]; overhead?: any; name?: string; labels?: Record<string, string>; spec?: any; ns?: string } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name ?? `pod-${++uidSeq}`, namespace: p.ns ?? 'default', uid: `uid-${++uidSeq}`, labels: p.labels },
    spec: {
      containers: (p.containers ?? []).map((c, i) => container(c, i)),
      initContainers: p.initContainers?.map((c, i) => container(c, i)),
      overhead: p.overhead ? Object.fromEntries(Object.entries(p.overhead).map(([k, v]) => [k, String(v)])) : undefined,
      ...(p.spec ?? {}),
    },
    status: { phase: 'Pending' },
  } as Pod;
}

export function makeNode(n: { name: string; allocatable?: Record<string, string | number>; labels?: Record<string, string>; taints?: any[]; unschedulable?: boolean; images?: { names: string[]; sizeBytes: number }[] }): Node {
  const alloc: Record<string, string> = { pods: '110' };
  for (const [k, v] of Object.entries(n.allocatable ?? {})) alloc[k] = String(v);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: n.name, labels: n.labels ?? {}, uid: `node-${n.name}` },
    spec: { taints: n.taints ?? [], unschedulable: n.unschedulable },
    status: { capacity: alloc, allocatable: alloc, conditions: [], images: n.images },
  } as Node;
}

export function nodeInfo(n: Parameters<typeof makeNode>[0], pods: Pod[] = []): NodeInfo {
  const ni = new NodeInfo(makeNode(n));
  for (const p of pods) ni.addPod(newPodInfo(p));
  return ni;
}

export function staticHandle(nodes: NodeInfo[]): Handle {
  return {
    nodeInfos: () => nodes,
    namespaceLabels: () => undefined,
    havePodsWithAffinity: () => nodes.some((n) => n.podsWithAffinity > 0),
    havePodsWithRequiredAntiAffinity: () => nodes.some((n) => n.podsWithRequiredAntiAffinity > 0),
    imageNumNodes: (image) => nodes.filter((n) => n.images.has(image)).length,
  };
}

/** runScore runs PreScore, Score and NormalizeScore of one plugin over nodes: scores by node name, or 'skipped'. */
export function runScore(plugin: Plugin, pod: Pod, nodes: NodeInfo[]): Record<string, number> | 'skipped' {
  const state = new Map<string, unknown>();
  if (plugin.preScore?.(state, pod, nodes)?.code === 'Skip') return 'skipped';
  const scores = nodes.map((n) => plugin.score!(state, pod, n));
  plugin.normalizeScore?.(state, pod, scores, nodes);
  return Object.fromEntries(nodes.map((n, i) => [n.name, scores[i]]));
}

/** runFilter runs PreFilter then Filter of one plugin on one node. */
export function runFilter(plugin: Plugin, pod: Pod, node: NodeInfo) {
  const state = new Map<string, unknown>();
  const pre = plugin.preFilter?.(state, pod);
  if (pre?.code === 'Skip') return null;
  if (pre && pre.code !== 'Success') return pre;
  return plugin.filter!(state, pod, node);
}
