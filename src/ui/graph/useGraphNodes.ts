/**
 * useGraphNodes turns the cluster store into React Flow nodes. It keeps every node object (and its
 * data) from the previous render when nothing it shows changed, so React Flow and the memoized boxes
 * re-render only the nodes whose pods or status changed.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Position, type Edge, type Node as FlowNode, type NodeHandle } from '@xyflow/react';
import type { Deployment, Node as KNode, Pod, ReplicaSet, Service, KubeObject } from '../../engine/api/types.ts';
import { controllerRef } from '../../engine/api/podutil.ts';
import { useCluster, useKind } from '../state/cluster.ts';
import { afterFrame } from '../state/afterFrame.ts';
import { useUi } from '../state/ui.ts';
import { revisionColor } from './colors.ts';
import { DENSE_PODS, byCreation, itemsFor, nodeReady, nodeUsage, type Item, type PodView, type Usage } from './model.ts';
import { BOX_W, CARD_W, GRID_GAP, OVERVIEW_NODES, boxHeight, serviceCardHeight, cardHeight, laneHeight, placeNodes, type Placed } from './layout.ts';
import { placeObjectCards, placeStorageCards, type CustomObjects } from './objectModel.ts';
import { controllerCards, controllerSources, podSourceKeys, type ControllerCardData, type ControllerInput, type OwnerSource } from './controllerModel.ts';
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
  /** dense: more than DENSE_PODS pods, drawn as counted chips (and without per-chip animations, see graph.css) */
  dense?: boolean;
  /** many: more than OVERVIEW_NODES nodes (React Flow renders only the boxes in view) */
  many?: boolean;
  /** overview: the node boxes are hidden flow nodes, drawn on NodeOverview's canvas (many, zoomed out past FAR_ZOOM) */
  overview?: boolean;
}

/**
 * GraphInput is the part of the cluster the graph draws, one Map per kind: with ControllerInput's
 * StatefulSets, DaemonSets, CronJobs, Jobs, HPAs and ControllerRevisions (controllerModel.ts).
 */
export interface GraphInput extends ControllerInput {
  nodes: ReadonlyMap<string, KubeObject>;
  deployments: ReadonlyMap<string, KubeObject>;
  replicaSets: ReadonlyMap<string, KubeObject>;
  services: ReadonlyMap<string, KubeObject>;
  endpoints: ReadonlyMap<string, KubeObject>;
  rollouts?: ReadonlyMap<string, KubeObject>;
  /** claims and volumes: PersistentVolumeClaims and PersistentVolumes, drawn in the Storage lane (objectModel.ts) */
  claims?: ReadonlyMap<string, KubeObject>;
  volumes?: ReadonlyMap<string, KubeObject>;
  /** custom: CRDs and their kinds' objects, drawn in the Custom resources lane (objectModel.ts) */
  custom?: CustomObjects;
}

export function useGraphNodes(farZoom = false): GraphModel {
  const nodes = useKind('Node');
  const pods = useKind('Pod');
  const deployments = useKind('Deployment');
  const replicaSets = useKind('ReplicaSet');
  const services = useKind('Service');
  const endpoints = useKind('Endpoints');
  const rollouts = useKind('Rollout');
  const statefulSets = useKind('StatefulSet');
  const daemonSets = useKind('DaemonSet');
  const cronJobs = useKind('CronJob');
  const jobs = useKind('Job');
  const revisions = useKind('ControllerRevision');
  const hpas = useKind('HorizontalPodAutoscaler');
  const claims = useKind('PersistentVolumeClaim');
  const volumes = useKind('PersistentVolume');
  const custom = useCustomObjects();
  const owners = useUi((s) => s.ownerEdges && s.graphView === 'cluster');
  // A new cluster (a load, a seek back) starts the dense layout's high-water marks over.
  const epoch = useCluster((s) => s.epoch);
  const cache = useRef(new Map<string, FlowNode>());
  const floor = useRef<LayoutFloor>({ epoch: -1, chips: 0, lane: 0 });
  if (floor.current.epoch !== epoch) floor.current = { epoch, chips: 0, lane: 0 };
  const budget = useRef<BoxBudget>({ max: BOX_UPDATES, next: 0, pending: false });
  // turn: the next frame's build, while boxes wait for their redraw (see BOX_UPDATES)
  const [turn, setTurn] = useState(0);
  const model = useMemo(
    () =>
      buildGraph(
        { nodes, pods, deployments, replicaSets, services, endpoints, rollouts, statefulSets, daemonSets, cronJobs, jobs, revisions, hpas, claims, volumes, custom },
        cache.current,         (next) => (cache.current = next),
        owners,
        floor.current,
        budget.current,
        farZoom,
      ),
    // turn: build again for the boxes still waiting their redraw
    [nodes, pods, deployments, replicaSets, services, endpoints, rollouts, statefulSets, daemonSets, cronJobs, jobs, revisions, hpas, claims, volumes, custom, owners, epoch, turn, farZoom],
  );
  const pending = budget.current.pending;
  useEffect(() => {
    if (!pending) return;
    // Right after the next frame (afterFrame; without frames, as a hidden tab, a moment later) the next
    // boxes in turn are redrawn (turn is a dependency: a turn whose boxes drew nothing new returns the same
    // model, and must go on).
    const next = () => setTurn((t) => t + 1);
    const cancel = afterFrame(next);
    const timer = setTimeout(next, 100);
    return () => {
      cancel();
      clearTimeout(timer);
    };
  }, [model, pending, turn]);
  return model;
}

/**
 * DENSE_ROOM: the chips every box of a dense graph has room for from the start: a rolling update's old and
 * new revision and a lone pod (two rows). Without it the first rollout grew all 50 boxes at once in the
 * middle of the update (and the Unscheduled lane with its first pending pod, kept at one row of room too):
 * the grid moved, the view refitted, and React Flow re-measured every box, all in one frame.
 */
export const DENSE_ROOM = 3;

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
  if (last && sameContents(last, node, pods, dense)) return last;
  return freshContents(node, pods, dense);
}

/** sameContents: a box's contents were built from this node object and these very pod objects. */
function sameContents(last: BoxContents, node: KNode, pods: readonly Pod[], dense: boolean): boolean {
  return last.node === node && last.dense === dense && last.pods.length === pods.length && last.pods.every((p, i) => p === pods[i]);
}

function freshContents(node: KNode, pods: readonly Pod[], dense: boolean): BoxContents {
  const list = pods as Pod[];
  return { node, pods, dense, ready: nodeReady(node), items: itemsFor(list, dense), cpu: nodeUsage(node, list, 'cpu'), memory: nodeUsage(node, list, 'memory') };
}

/**
 * BOX_UPDATES: in a dense graph, the most node boxes redrawn in one frame. A 1,000-pod rolling update at 5×
 * changes all 50 boxes in every frame; redrawing them all (rebuilding their chips, React's render and
 * commit, then the browser's style, layout and paint of 50 boxes) held the page's thread 100-250 ms a
 * frame on a busy 2-core machine. With a budget, the boxes whose pods changed are redrawn a few per frame,
 * taking turns (the one waiting longest first), each with its node's state as of the frame it is redrawn
 * in: 50 changed boxes are all current again within ceil(50 / BOX_UPDATES) frames (~0.15 s at 60 fps).
 */
export const BOX_UPDATES = 6;

/**
 * OVERVIEW_BOX_UPDATES: the same budget for the overview's canvas, which draws every box in one pass but
 * whose boxes' contents (chips grouped, pods counted) are rebuilt here: a 1,000-node rollout changed every
 * box in every frame.
 */
export const OVERVIEW_BOX_UPDATES = 200;

/**
 * BoxBudget carries the turn-taking of a dense graph's box redraws from one buildGraph call to the next:
 * `next` is the index (in node order) of the first box to consider, `pending` tells that some changed box
 * still shows older contents (the caller builds again at the next frame).
 */
export interface BoxBudget {
  max: number;
  next: number;
  pending: boolean;
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
  budget?: BoxBudget,
  farZoom = false,
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
  const many = knodes.length > OVERVIEW_NODES;
  const overview = many && farZoom;
  // The overview's canvas draws every box in one pass; their contents are rebuilt a few hundred a frame.
  const perNode = budget && dense ? budgetedContents(knodes, byNode, prev, budget, overview ? OVERVIEW_BOX_UPDATES : budget.max) : knodes.map((n) => boxContents(n, byNode.get(n.metadata.name) ?? EMPTY_PODS, dense, prev.get(`node/${n.metadata.name}`)));
  if (budget && !dense) budget.pending = false;
  let maxChips = perNode.reduce((m, x) => Math.max(m, x.items.length), 0);
  const laneItems = itemsFor(pending, dense);
  let laneChips = laneItems.length;
  if (floor) {
    if (dense) {
      maxChips = floor.chips = Math.max(maxChips, floor.chips, DENSE_ROOM);
      laneChips = floor.lane = Math.max(laneChips, floor.lane, 1);
    } else floor.chips = floor.lane = 0;
  }
  const anyTaints = knodes.some((n) => (n.spec?.taints?.length ?? 0) > 0);
  const grid = placeNodes(knodes.length, boxHeight(maxChips, anyTaints));

  const next = new Map<string, FlowNode>();
  const out: FlowNode[] = [];
  const emit = (id: string, type: string, pos: { x: number; y: number }, size: { width: number; height: number }, data: Record<string, unknown>, hidden = false, handles?: NodeHandle[]) => {
    const old = prev.get(id);
    const node: FlowNode =
      old && old.position.x === pos.x && old.position.y === pos.y && old.width === size.width && old.height === size.height && !!old.hidden === hidden && shallowEqual(old.data, data)
        ? old
        : {
            id,
            type,
            position: pos,
            width: size.width,
            height: size.height,
            data,
            draggable: false,
            selectable: false,
            connectable: false,
            ...(hidden ? { hidden } : {}),
            ...(handles ? { handles } : {}),
            ...(MEASURED.has(type) ? { measured: { width: size.width, height: size.height } } : {}),
          };
    next.set(id, node);
    out.push(node);
  };

  // A big cluster's boxes come with their handles: React Flow draws every box without them once, to
  // measure them, even the boxes out of view (onlyRenderVisibleElements) and with the overview on.
  const boxHandles = many && ownerMode !== 'chips' ? (box: Placed) => (ownerMode === 'box' ? [ownersHandle(box.width)] : NO_HANDLES) : undefined;
  perNode.forEach((c, i) => {
    const box = grid.boxes[i];
    const id = `node/${c.node.metadata.name}`;
    emit(id, 'k8snode', box, box, { node: c.node, ready: c.ready, items: c.items, cpu: c.cpu, memory: c.memory, ...(ownerMode ? { owners: ownerMode } : {}), ...(c.dense ? { dense: true } : {}) }, overview, boxHandles?.(box));
    contentsOf.set(next.get(id)!, c);
  });

  const laneW = grid.width;
  const laneY = knodes.length > 0 ? grid.height : 0;
  const laneH = laneHeight(laneChips, laneW);
  emit('lane/unscheduled', 'lane', { x: 0, y: laneY }, { width: laneW, height: laneH }, { items: laneItems, ...(ownerMode ? { owners: ownerMode } : {}) });
  // Custom resources: CRDs and their objects as plain cards, in a lane below the Unscheduled lane.
  const objects = placeObjectCards(input.custom, laneY + laneH + GRID_GAP, laneW);
  for (const o of objects.nodes) emit(o.id, o.type, o.pos, o.size, o.data);
  const customH = objects.height > 0 ? objects.height + GRID_GAP : 0;
  // Storage: claims and volumes as cards, in a lane below those (a new claim never moves a node box).
  const storage = placeStorageCards(input.claims, input.volumes, laneY + laneH + GRID_GAP + customH, laneW);
  for (const o of storage.nodes) emit(o.id, o.type, o.pos, o.size, o.data);
  const objectsH = customH + (storage.height > 0 ? storage.height + GRID_GAP : 0);

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
  cards.push(...controllerCards(input));
  for (const s of [...svcMap.values()].sort(byCreation) as Service[]) {
    if (s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes') continue;
    const ep = epMap.get(`${s.metadata.namespace}/${s.metadata.name}`) as KubeObject | undefined;
    const endpoints = ((ep?.subsets ?? []) as { addresses?: unknown[] }[]).reduce((n, ss) => n + (ss.addresses?.length ?? 0), 0);
    cards.push({ id: `svc/${s.metadata.namespace}/${s.metadata.name}`, type: 'service', h: serviceCardHeight(), data: { service: s, endpoints } });
  }
  const perRow = cardsPerRow(cards.map((c) => c.h), grid.width, laneY + laneH + objectsH);
  const rows: (typeof cards)[] = [];
  for (let i = 0; i < cards.length; i += perRow) rows.push(cards.slice(i, i + perRow));
  let top = 0;
  // The last row sits just above the grid; earlier rows stack upwards.
  for (let r = rows.length - 1; r >= 0; r--) {
    const rowH = Math.max(...rows[r].map((c) => c.h));
    top -= rowH + GRID_GAP;
    rows[r].forEach((c, j) => emit(c.id, c.type, { x: j * (CARD_W + GRID_GAP), y: top + rowH - c.h }, { width: CARD_W, height: c.h }, c.data));
  }

  const edges = ownerMode ? ownerEdges(cards, perNode.map((p) => ({ id: `node/${p.node.metadata.name}`, items: p.items })).concat([{ id: 'lane/unscheduled', items: laneItems }]), ownerMode) : NO_EDGES;
  keep(next);
  const model: GraphModel = { nodes: out, edges, bounds: { width: Math.max(grid.width, BOX_W, objects.width, storage.width, Math.min(perRow, cards.length) * (CARD_W + GRID_GAP) - GRID_GAP), height: laneY + laneH + objectsH - top, top }, dense, many, overview };
  // Nothing drawn changed (a diff of objects the graph does not show, or of what no box shows yet): the
  // last model itself, so the graph skips React Flow's render altogether.
  const last = lastModel.get(prev);
  const same = last && last.edges === edges && last.dense === dense && last.overview === overview && sameBounds(last.bounds, model.bounds) && last.nodes.length === out.length && last.nodes.every((n, i) => n === out[i]);
  const result = same ? last : model;
  lastModel.set(next, result);
  return result;
}

/**
 * cardsPerRow: as many workload cards in a row as the node grid is wide, or more when that makes the whole
 * drawing fit a landscape graph area at a larger zoom (about ASPECT_FIT wide for its height): two nodes
 * with a Rollout and two Services put the three cards in one row, not two rows above a narrow grid,
 * which drew them at 0.66x at 1280x720 in presenter mode. `below` is the height under the cards.
 */
export function cardsPerRow(heights: number[], gridWidth: number, below: number): number {
  const fits = Math.max(1, Math.floor((gridWidth + GRID_GAP) / (CARD_W + GRID_GAP)));
  const score = (n: number) => {
    let h = below;
    for (let i = 0; i < heights.length; i += n) h += Math.max(...heights.slice(i, i + n)) + GRID_GAP;
    const w = Math.max(gridWidth, Math.min(n, heights.length) * (CARD_W + GRID_GAP) - GRID_GAP);
    return Math.min(ASPECT_FIT / w, 1 / h);
  };
  let best = fits;
  for (let n = fits + 1; n <= Math.min(heights.length, MAX_CARDS_ROW); n++) if (score(n) > score(best)) best = n;
  return best;
}
/** ASPECT_FIT: the graph area's width for its height at 1024x768 to 1280x720 (presenter mode). */
const ASPECT_FIT = 1.5;
/** MAX_CARDS_ROW: a row of cards wider than the grid holds at most 4 cards (a small cluster only). */
const MAX_CARDS_ROW = 4;

const NO_EDGES: Edge[] = [];
const NO_HANDLES: NodeHandle[] = [];

/** ownersHandle is a box's one 'owners' handle as React Flow measures it: 1 px (.flow-handle) centred on its top edge. */
function ownersHandle(width: number): NodeHandle {
  return { id: 'owners', type: 'target', position: Position.Top, x: width / 2 - 0.5, y: -0.5, width: 1, height: 1 };
}

/**
 * MEASURED: the flow node types given their `measured` size up front (the size they are drawn at: their
 * boxes have fixed sizes, see layout.ts). React Flow drops what it measured of a node (its handles) when it
 * gets a new node object without one, then observes the box again and measures it and its handles,
 * reading the layout, and re-renders: for every box a rollout changed, in every frame (10-45 ms of
 * ResizeObserver callbacks a frame on a busy 2-core machine). A box's handles are its one 'owners' handle,
 * which never moves, or its chips' (re-measured when the chips change, see useOwnerHandles in NodeBox.tsx).
 * Workload cards are left to be measured: their ReplicaSet handles move with their rows.
 */
const MEASURED = new Set(['k8snode', 'lane']);

/** lastModel: the model each buildGraph call returned, by the node map it kept for the next call. */
const lastModel = new WeakMap<ReadonlyMap<string, FlowNode>, GraphModel>();

function sameBounds(a: GraphModel['bounds'], b: GraphModel['bounds']): boolean {
  return a.width === b.width && a.height === b.height && a.top === b.top;
}

/**
 * budgetedContents is boxContents for a dense graph under a BoxBudget: starting at budget.next and going
 * round, at most budget.max boxes whose node or pods changed get new contents; the others keep what they
 * show (a new box, with nothing to keep, is always built). budget.next moves to the first box left waiting.
 */
function budgetedContents(knodes: KNode[], byNode: Map<string, Pod[]>, prev: ReadonlyMap<string, FlowNode>, budget: BoxBudget, max: number): BoxContents[] {
  const n = knodes.length;
  const out = new Array<BoxContents>(n);
  const start = n > 0 ? budget.next % n : 0;
  let built = 0;
  let firstWaiting = -1;
  for (let j = 0; j < n; j++) {
    const i = (start + j) % n;
    const node = knodes[i];
    const pods = byNode.get(node.metadata.name) ?? EMPTY_PODS;
    const old = prev.get(`node/${node.metadata.name}`);
    const last = old && contentsOf.get(old);
    if (last && sameContents(last, node, pods, true)) {
      out[i] = last;
    } else if (last && last.dense && built >= max) {
      out[i] = last;
      if (firstWaiting < 0) firstWaiting = i;
    } else {
      out[i] = freshContents(node, pods, true);
      built++;
    }
  }
  budget.pending = firstWaiting >= 0;
  budget.next = firstWaiting >= 0 ? firstWaiting : start;
  return out;
}

/**
 * ownerSources: where each card's ownership edges start, by the key its pods find them under: a
 * Deployment's or Rollout's ReplicaSet rows (the ReplicaSet's uid), a StatefulSet's or DaemonSet's revision
 * rows, a CronJob's Job rows, a Job card's bottom (see controllerModel.ts).
 */
function ownerSources(cards: { id: string; data: Record<string, unknown> }[]): Map<string, { card: string; src: OwnerSource }> {
  const out = new Map<string, { card: string; src: OwnerSource }>();
  for (const c of cards) {
    for (const rs of (c.data.replicaSets as ReplicaSet[] | undefined) ?? []) {
      if (!rs.metadata.uid) continue;
      const labels = rs.metadata.labels ?? {};
      out.set(rs.metadata.uid, { card: c.id, src: { handle: `rs/${rs.metadata.name}`, colorKey: labels['pod-template-hash'] ?? labels['rollouts-pod-template-hash'] ?? rs.metadata.name, what: `ReplicaSet ${rs.metadata.name}` } });
    }
    if (c.data.object) for (const [key, src] of controllerSources(c.data as ControllerCardData)) out.set(key, { card: c.id, src });
  }
  return out;
}

/**
 * ownerEdges draws ownership: from the owner's row (or a Job card's bottom) to each pod chip (or counted
 * group chip) it controls ('chips'), or to each node box holding its pods, with the count ('box'). Pods
 * whose owner has no card (bare ReplicaSets, a ReplicationController …) get no edge.
 */
export function ownerEdges(cards: { id: string; data: Record<string, unknown> }[], boxes: { id: string; items: Item[] }[], mode: 'chips' | 'box'): Edge[] {
  const sources = ownerSources(cards);
  const edges: Edge[] = [];
  const edge = (id: string, s: { card: string; src: OwnerSource }, target: string, targetHandle: string, what: string, count?: number) => {
    edges.push({
      id,
      source: s.card,
      sourceHandle: s.src.handle,
      target,
      targetHandle,
      type: 'owner',
      data: { color: revisionColor(s.src.colorKey), ...(count !== undefined ? { count } : {}) },
      zIndex: 1000,
      selectable: false,
      focusable: false,
      ariaLabel: `${s.src.what} owns ${what}`,
    });
  };
  const find = (pod: Pod | undefined) => {
    if (!pod) return undefined;
    const keys = podSourceKeys(pod);
    for (let i = keys.length - 1; i >= 0; i--) {
      const s = sources.get(keys[i]);
      if (s) return { key: keys[i], s };
    }
    return undefined;
  };
  for (const b of boxes) {
    const perSource = new Map<string, { s: { card: string; src: OwnerSource }; n: number }>();
    for (const it of b.items) {
      const pod = it.type === 'pod' ? it.view.pod : it.group.pods[0]?.pod;
      const found = find(pod);
      if (!found) continue;
      const { key, s } = found;
      const n = it.type === 'pod' ? 1 : it.group.pods.length;
      const tag = `${s.card}/${s.src.handle}`;
      if (mode === 'box') {
        const acc = perSource.get(key);
        if (acc) acc.n += n;
        else perSource.set(key, { s, n });
      } else if (it.type === 'pod') edge(`own/${tag}/${pod!.metadata.name}`, s, b.id, `pod/${pod!.metadata.uid ?? pod!.metadata.name}`, `pod ${pod!.metadata.name}`);
      else edge(`own/${tag}/${b.id}/${it.group.key}`, s, b.id, `group/${it.group.key}`, `${n} pods on ${b.id.slice(b.id.indexOf('/') + 1)}`, n);
    }
    for (const { s, n } of perSource.values()) edge(`own/${s.card}/${s.src.handle}/${b.id}`, s, b.id, 'owners', `${n} pods on ${b.id.slice(b.id.indexOf('/') + 1)}`, n);
  }
  return edges;
}
