/**
 * useGraphNodes turns the cluster store into React Flow nodes. It keeps every node object (and its
 * data) from the previous render when nothing it shows changed, so React Flow and the memoized boxes
 * re-render only the nodes whose pods or status changed.
 */
import { useMemo, useRef } from 'react';
import type { Edge, Node as FlowNode } from '@xyflow/react';
import type { Deployment, Node as KNode, Pod, ReplicaSet, Service, KubeObject } from '../../engine/api/types.ts';
import { controllerRef } from '../../engine/api/podutil.ts';
import { useCluster, useKind } from '../state/cluster.ts';
import { useUi } from '../state/ui.ts';
import { revisionColor } from './colors.ts';
import { DENSE_PODS, byCreation, itemsFor, nodeReady, nodeUsage, type Item, type PodView, type Usage } from './model.ts';
import { BOX_W, CARD_W, GRID_GAP, boxHeight, serviceCardHeight, cardHeight, laneHeight, placeNodes } from './layout.ts';
import { placeObjectCards, type CustomObjects } from './objectModel.ts';
import { useCustomObjects } from './ObjectCard.tsx';

/**
 * sameItems tells whether two lists of chips SHOW the same: a pod's chip its text and readiness (a new
 * version of the pod with a new IP or condition time draws the same chip), a counted chip its pods'
 * STATUS and readiness. During a rollout about half the pod updates change nothing a chip shows.
 */
function sameItems(a: Item[], b: Item[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.type === 'pod' && y.type === 'pod') {
      if (x.view !== y.view && !samePodChip(x.view, y.view)) return false;
    } else if (x.type === 'group' && y.type === 'group') {
      if (x.group.key !== y.group.key || x.group.shown !== y.group.shown) return false;
    } else return false;
  }
  return true;
}

/** samePodChip: the same pod (uid), drawn with the same text, readiness and revision. */
function samePodChip(x: PodView, y: PodView): boolean {
  return (
    x.pod.metadata.uid === y.pod.metadata.uid &&
    x.pod.metadata.name === y.pod.metadata.name &&
    x.status === y.status &&
    x.ready === y.ready &&
    x.restarts === y.restarts &&
    x.revision === y.revision &&
    x.owner === y.owner &&
    x.short === y.short
  );
}

const sameUsage = (a: Usage, b: Usage) => a.requested === b.requested && a.allocatable === b.allocatable;

function shallowEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) return false;
      if (x.length > 0 && typeof x[0] === 'object' && x[0] !== null && 'type' in x[0]) {
        if (!sameItems(x as Item[], y as Item[])) return false;
      } else if (x.some((v, i) => v !== y[i])) return false;
      continue;
    }
    if (x && y && typeof x === 'object' && typeof y === 'object' && 'requested' in x && 'requested' in y) {
      if (!sameUsage(x as Usage, y as Usage)) return false;
      continue;
    }
    return false;
  }
  return true;
}

/**
 * OWNER_POD_LIMIT: with ownership edges on and more pods than this, each ReplicaSet gets one edge per node
 * it has pods on (to the node box, labelled with the count) instead of one per pod, so 1,000 pods draw a
 * few dozen edges, not a hairball.
 */
export const OWNER_POD_LIMIT = 60;

export interface GraphModel {
  nodes: FlowNode[];
  /** edges: the ownership edges (ReplicaSet → pod, or → node box past OWNER_POD_LIMIT), when asked for */
  edges: Edge[];
  /** bounds of everything drawn, to refit the view when it changes */
  bounds: { width: number; height: number; top: number };
}

/** GraphInput is the part of the cluster the graph draws, one Map per kind. */
export interface GraphInput {
  nodes: ReadonlyMap<string, KubeObject>;
  pods: ReadonlyMap<string, KubeObject>;
  deployments: ReadonlyMap<string, KubeObject>;
  replicaSets: ReadonlyMap<string, KubeObject>;
  services: ReadonlyMap<string, KubeObject>;
  endpoints: ReadonlyMap<string, KubeObject>;
  rollouts?: ReadonlyMap<string, KubeObject>;
  /** custom: CRDs and their kinds' objects, drawn in the Custom resources lane (objectModel.ts) */
  custom?: CustomObjects;
}

export function useGraphNodes(): GraphModel {
  const nodes = useKind('Node');
  const pods = useKind('Pod');
  const deployments = useKind('Deployment');
  const replicaSets = useKind('ReplicaSet');
  const services = useKind('Service');
  const endpoints = useKind('Endpoints');
  const rollouts = useKind('Rollout');
  const custom = useCustomObjects();
  const owners = useUi((s) => s.ownerEdges && s.graphView === 'cluster');
  // A new cluster (a load, a seek back) starts the dense layout's high-water marks over.
  const epoch = useCluster((s) => s.epoch);
  const cache = useRef(new Map<string, FlowNode>());
  const floor = useRef<LayoutFloor>({ epoch: -1, chips: 0, lane: 0 });
  if (floor.current.epoch !== epoch) floor.current = { epoch, chips: 0, lane: 0 };
  return useMemo(
    () => buildGraph({ nodes, pods, deployments, replicaSets, services, endpoints, rollouts, custom }, cache.current, (next) => (cache.current = next), owners, floor.current),
    [nodes, pods, deployments, replicaSets, services, endpoints, rollouts, custom, owners, epoch],
  );
}

/**
 * LayoutFloor holds a dense graph's high-water marks: the most chips any node box and the Unscheduled lane
 * have needed since the cluster was loaded. A dense graph sizes its boxes by them, so a rolling update
 * whose nodes go from one counted chip to three and back (old revision, new revision, a single new pod)
 * does not reflow the 50-box grid and refit the view with every step.
 */
export interface LayoutFloor {
  epoch: number;
  chips: number;
  lane: number;
}

/** BoxContents is what a node box draws, with the pods it was derived from. */
interface BoxContents {
  node: KNode;
  pods: readonly Pod[];
  dense: boolean;
  ready: string;
  items: Item[];
  cpu: Usage;
  memory: Usage;
}

const EMPTY_PODS: readonly Pod[] = [];

/** contentsOf: each node box's flow node → the contents it was built from. */
const contentsOf = new WeakMap<FlowNode, BoxContents>();

/**
 * boxContents derives a node box's chips and resource bars, or returns the last ones when the node and
 * every pod on it are the same objects as then: during a rollout most boxes are untouched by any one diff,
 * and sorting, grouping and adding up 1,000 pods for every frame cost ~4 ms before anything was drawn.
 */
function boxContents(node: KNode, pods: readonly Pod[], dense: boolean, prev: FlowNode | undefined): BoxContents {
  const last = prev && contentsOf.get(prev);
  if (last && last.node === node && last.dense === dense && last.pods.length === pods.length && last.pods.every((p, i) => p === pods[i])) return last;
  const list = pods as Pod[];
  return { node, pods, dense, ready: nodeReady(node), items: itemsFor(list, dense), cpu: nodeUsage(node, list, 'cpu'), memory: nodeUsage(node, list, 'memory') };
}

/**
 * buildGraph lays out the flow nodes. `prev` holds the last call's nodes by id; a node whose position,
 * size and data are unchanged is returned as the same object, so React Flow skips it. `keep` receives
 * this call's nodes for the next call.
 */
export function buildGraph(
  input: GraphInput,
  prev: ReadonlyMap<string, FlowNode>,
  keep: (next: Map<string, FlowNode>) => void,
  owners = false,
  floor?: LayoutFloor,
): GraphModel {
  const { nodes: nodesMap, pods: podsMap, deployments: deploysMap, replicaSets: rsMap, services: svcMap, endpoints: epMap } = input;
  const knodes = [...nodesMap.values()].sort(byCreation) as KNode[];
  const byNode = new Map<string, Pod[]>();
  const pending: Pod[] = [];
  for (const p of podsMap.values() as Iterable<Pod>) {
    const n = p.spec?.nodeName;
    if (!n || !nodesMap.has(n)) {
      if (!n) pending.push(p);
      continue;
    }
    let list = byNode.get(n);
    if (!list) byNode.set(n, (list = []));
    list.push(p);
  }
  const podTotal = podsMap.size;
  const ownerMode: 'chips' | 'box' | undefined = !owners ? undefined : podTotal > OWNER_POD_LIMIT ? 'box' : 'chips';
  const dense = podTotal > DENSE_PODS;
  const perNode = knodes.map((n) => boxContents(n, byNode.get(n.metadata.name) ?? EMPTY_PODS, dense, prev.get(`node/${n.metadata.name}`)));
  let maxChips = perNode.reduce((m, x) => Math.max(m, x.items.length), 0);
  const laneItems = itemsFor(pending, dense);
  let laneChips = laneItems.length;
  if (floor) {
    if (dense) {
      maxChips = floor.chips = Math.max(maxChips, floor.chips);
      laneChips = floor.lane = Math.max(laneChips, floor.lane);
    } else floor.chips = floor.lane = 0;
  }
  const anyTaints = knodes.some((n) => (n.spec?.taints?.length ?? 0) > 0);
  const grid = placeNodes(knodes.length, boxHeight(maxChips, anyTaints));

  const next = new Map<string, FlowNode>();
  const out: FlowNode[] = [];
  const emit = (id: string, type: string, pos: { x: number; y: number }, size: { width: number; height: number }, data: Record<string, unknown>) => {
    const old = prev.get(id);
    const node: FlowNode =
      old && old.position.x === pos.x && old.position.y === pos.y && old.width === size.width && old.height === size.height && shallowEqual(old.data, data)
        ? old
        : { id, type, position: pos, width: size.width, height: size.height, data, draggable: false, selectable: false, connectable: false };
    next.set(id, node);
    out.push(node);
  };

  perNode.forEach((c, i) => {
    const box = grid.boxes[i];
    const id = `node/${c.node.metadata.name}`;
    emit(id, 'k8snode', box, box, { node: c.node, ready: c.ready, items: c.items, cpu: c.cpu, memory: c.memory, ...(ownerMode ? { owners: ownerMode } : {}) });
    contentsOf.set(next.get(id)!, c);
  });

  const laneW = grid.width;
  const laneY = knodes.length > 0 ? grid.height : 0;
  const laneH = laneHeight(laneChips, laneW);
  emit('lane/unscheduled', 'lane', { x: 0, y: laneY }, { width: laneW, height: laneH }, { items: laneItems, ...(ownerMode ? { owners: ownerMode } : {}) });
  // Custom resources: CRDs and their objects as plain cards, in a lane below the Unscheduled lane.
  const objects = placeObjectCards(input.custom, laneY + laneH + GRID_GAP, laneW);
  for (const o of objects.nodes) emit(o.id, o.type, o.pos, o.size, o.data);
  const objectsH = objects.height > 0 ? objects.height + GRID_GAP : 0;

  // Workload cards: Deployments then Services, in a row above the grid, bottom-aligned.
  const rsByOwner = new Map<string, ReplicaSet[]>();
  for (const rs of [...rsMap.values()].sort(byCreation) as ReplicaSet[]) {
    const ref = controllerRef(rs);
    if (!ref) continue;
    if ((rs.spec?.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0) continue;
    let list = rsByOwner.get(ref.uid);
    if (!list) rsByOwner.set(ref.uid, (list = []));
    list.push(rs);
  }
  const cards: { id: string; type: string; h: number; data: Record<string, unknown> }[] = [];
  for (const d of [...deploysMap.values()].sort(byCreation) as Deployment[]) {
    const rss = rsByOwner.get(d.metadata.uid ?? '') ?? [];
    cards.push({ id: `deploy/${d.metadata.namespace}/${d.metadata.name}`, type: 'deployment', h: cardHeight(rss.length, false), data: { deployment: d, replicaSets: rss } });
  }
  for (const ro of [...(input.rollouts?.values() ?? [])].sort(byCreation)) {
    const rss = rsByOwner.get(ro.metadata.uid ?? '') ?? [];
    cards.push({ id: `rollout/${ro.metadata.namespace}/${ro.metadata.name}`, type: 'rollout', h: cardHeight(rss.length, true), data: { rollout: ro, replicaSets: rss } });
  }
  for (const s of [...svcMap.values()].sort(byCreation) as Service[]) {
    if (s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes') continue;
    const ep = epMap.get(`${s.metadata.namespace}/${s.metadata.name}`) as KubeObject | undefined;
    const endpoints = ((ep?.subsets ?? []) as { addresses?: unknown[] }[]).reduce((n, ss) => n + (ss.addresses?.length ?? 0), 0);
    cards.push({ id: `svc/${s.metadata.namespace}/${s.metadata.name}`, type: 'service', h: serviceCardHeight(), data: { service: s, endpoints } });
  }
  const perRow = Math.max(1, Math.floor((grid.width + GRID_GAP) / (CARD_W + GRID_GAP)));
  const rows: (typeof cards)[] = [];
  for (let i = 0; i < cards.length; i += perRow) rows.push(cards.slice(i, i + perRow));
  let top = 0;
  // The last row sits just above the grid; earlier rows stack upwards.
  for (let r = rows.length - 1; r >= 0; r--) {
    const rowH = Math.max(...rows[r].map((c) => c.h));
    top -= rowH + GRID_GAP;
    rows[r].forEach((c, j) => emit(c.id, c.type, { x: j * (CARD_W + GRID_GAP), y: top + rowH - c.h }, { width: CARD_W, height: c.h }, c.data));
  }

  const edges = ownerMode ? ownerEdges(cards, perNode.map((p) => ({ id: `node/${p.node.metadata.name}`, items: p.items })).concat([{ id: 'lane/unscheduled', items: laneItems }]), ownerMode) : [];
  keep(next);
  return { nodes: out, edges, bounds: { width: Math.max(grid.width, BOX_W, objects.width), height: laneY + laneH + objectsH - top, top } };
}

/**
 * ownerEdges draws ReplicaSet → pod ownership: from the ReplicaSet's handle on its workload card to each
 * pod chip (or counted group chip) it controls ('chips'), or to each node box holding its pods, with the
 * count ('box'). Pods whose owner has no card (StatefulSets, Jobs, bare ReplicaSets …) get no edge.
 */
export function ownerEdges(cards: { id: string; data: Record<string, unknown> }[], boxes: { id: string; items: Item[] }[], mode: 'chips' | 'box'): Edge[] {
  const source = new Map<string, { card: string; rs: ReplicaSet }>();
  for (const c of cards) for (const rs of (c.data.replicaSets as ReplicaSet[] | undefined) ?? []) if (rs.metadata.uid) source.set(rs.metadata.uid, { card: c.id, rs });
  const edges: Edge[] = [];
  const edge = (id: string, src: { card: string; rs: ReplicaSet }, target: string, targetHandle: string, what: string, count?: number) => {
    const labels = src.rs.metadata.labels ?? {};
    const color = revisionColor(labels['pod-template-hash'] ?? labels['rollouts-pod-template-hash'] ?? src.rs.metadata.name);
    edges.push({
      id,
      source: src.card,
      sourceHandle: `rs/${src.rs.metadata.name}`,
      target,
      targetHandle,
      type: 'owner',
      data: { color, ...(count !== undefined ? { count } : {}) },
      zIndex: 1000,
      selectable: false,
      focusable: false,
      ariaLabel: `ReplicaSet ${src.rs.metadata.name} owns ${what}`,
    });
  };
  for (const b of boxes) {
    const perRs = new Map<string, number>();
    for (const it of b.items) {
      const pod = it.type === 'pod' ? it.view.pod : it.group.pods[0]?.pod;
      const ref = pod && controllerRef(pod);
      const src = ref?.kind === 'ReplicaSet' ? source.get(ref.uid) : undefined;
      if (!src) continue;
      const n = it.type === 'pod' ? 1 : it.group.pods.length;
      if (mode === 'box') perRs.set(ref!.uid, (perRs.get(ref!.uid) ?? 0) + n);
      else if (it.type === 'pod') edge(`own/${src.rs.metadata.name}/${pod!.metadata.name}`, src, b.id, `pod/${pod!.metadata.uid ?? pod!.metadata.name}`, `pod ${pod!.metadata.name}`);
      else edge(`own/${src.rs.metadata.name}/${b.id}/${it.group.key}`, src, b.id, `group/${it.group.key}`, `${n} pods on ${b.id.slice(b.id.indexOf('/') + 1)}`, n);
    }
    for (const [uid, n] of perRs) {
      const src = source.get(uid)!;
      edge(`own/${src.rs.metadata.name}/${b.id}`, src, b.id, 'owners', `${n} pods on ${b.id.slice(b.id.indexOf('/') + 1)}`, n);
    }
  }
  return edges;
}
