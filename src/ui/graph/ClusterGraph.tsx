/**
 * ClusterGraph draws the cluster with React Flow, in one of two views (the toggle sits with the zoom
 * controls): the Cluster view — node boxes with their pods, the Unscheduled lane and workload cards,
 * optionally with ownership edges — and the Traffic view — Internet → Ingress → Service → pods with
 * edges labelled by the measured rates. Nothing is draggable; clicking selects an object for the Inspector.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Background, Controls, getViewportForBounds, ReactFlow, ReactFlowProvider, useReactFlow, useStore, useStoreApi, type EdgeTypes, type FitViewOptions, type NodeTypes, type Viewport } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './graph.css';
import { IngressNode, InternetNode, PodClientNode, PodGroupNode } from './TrafficNodes.tsx';
import { OwnerEdge, TrafficEdge } from './TrafficEdge.tsx';
import { buildTrafficGraph } from './trafficModel.ts';
import { useKind } from '../state/cluster.ts';
import type { TrafficView } from '../../worker/protocol.ts';
import { ViewToggle } from './ViewToggle.tsx';
import { NodeBox, UnscheduledLane } from './NodeBox.tsx';
import { DeploymentCard, RolloutCard, ServiceCard } from './WorkloadCard.tsx';
import { ControllerCard } from './ControllerCard.tsx';
import { ObjectCard, ObjectLane } from './ObjectCard.tsx';
import { useGraphNodes } from './useGraphNodes.ts';
import { TrafficDots } from './TrafficDots.tsx';
import { useUi } from '../state/ui.ts';
import { useCluster } from '../state/cluster.ts';
import { formatClock } from '../format.ts';
import { useLesson } from '../lessons/lessonStore.ts';
import { useOverlayBox } from './useOverlayBox.ts';
import { boxAt } from './overviewHit.ts';
import type { NodeBoxData } from './NodeBox.tsx';
import { FAR_ZOOM } from './layout.ts';

/** nodeTypes lives outside components so React Flow never sees a new object (which remounts every node). */
const nodeTypes: NodeTypes = {
  k8snode: NodeBox,
  lane: UnscheduledLane,
  deployment: DeploymentCard,
  rollout: RolloutCard,
  controller: ControllerCard,
  service: ServiceCard,
  object: ObjectCard,
  objectlane: ObjectLane,
  tservice: ServiceCard,
  internet: InternetNode,
  tclient: PodClientNode,
  tingress: IngressNode,
  tpods: PodGroupNode,
};

const edgeTypes: EdgeTypes = {
  traffic: TrafficEdge,
  owner: OwnerEdge,
};

/** NodeOverview draws a big cluster's boxes on a canvas (loaded when one is first zoomed out). */
const NodeOverview = lazy(() => import('./NodeOverview.tsx'));

/** noop as onNodeClick gives nodes pointer events (React Flow turns them off for inert nodes). */
const noop = () => {};

/**
 * fitOptions keeps the drawing clear of what floats over the graph: the Library/Workspaces/Share toolbar
 * (bottom-left, ~40 px tall, ~52 in presenter mode) and the zoom controls (bottom-right, in a row so they are
 * no taller than the toolbar), so at 1280×720 the Unscheduled lane is never drawn under them. Presenter mode
 * may zoom in further (large type for a room); a small cluster on a big screen grows to use the space.
 */
function fitOptions(presenter: boolean, around?: Around, hint = false, overview = false): FitViewOptions {
  // The paused hint sits above the toolbar until the clock first moves: the drawing stays above it too;
  // the overview's hint sits at the top.
  const pad = { top: overview ? (presenter ? 48 : 40) : 16, left: 16, right: 16, bottom: (presenter ? 68 : 60) + (hint ? (presenter ? 44 : 36) : 0) };
  const maxZoom = presenter ? 2 : 1.4;
  if (around) avoidOverlay(pad, maxZoom, around);
  // includeHiddenNodes: a big cluster's boxes are hidden flow nodes on the overview (NodeOverview), and still drawn.
  return { padding: { top: `${pad.top}px`, left: `${pad.left}px`, right: `${pad.right}px`, bottom: `${pad.bottom}px` }, maxZoom, duration: 0, includeHiddenNodes: true };
}

/** Around is what the fit must leave room for: the drawing's and the pane's sizes, and the card over the pane's top left. */
interface Around {
  drawing: { width: number; height: number };
  pane: { width: number; height: number };
  overlay: { w: number; h: number };
}

/** OVERLAY_INSET is the card's offset from the pane's top left (12 px from the window's edge, under the 48 px top bar). */
const OVERLAY_INSET = 12;

/**
 * avoidOverlay moves the drawing beside or below the card floating over the graph (an open lesson step,
 * which told students to watch what it covered), whichever keeps it larger, unless that would shrink it
 * below half the size it has under the card: in a small window the card is folded instead.
 */
function avoidOverlay(pad: { top: number; left: number; right: number; bottom: number }, maxZoom: number, { drawing, pane, overlay }: Around): void {
  if (drawing.width <= 0 || drawing.height <= 0 || pane.width <= 0 || pane.height <= 0) return;
  const zoom = (left: number, top: number) => Math.min((pane.width - left - pad.right) / drawing.width, (pane.height - top - pad.bottom) / drawing.height, maxZoom);
  const under = zoom(pad.left, pad.top);
  const beside = OVERLAY_INSET + overlay.w + 16;
  const below = OVERLAY_INSET + overlay.h + 12;
  const zBeside = zoom(beside, pad.top);
  const zBelow = zoom(pad.left, below);
  if (Math.max(zBeside, zBelow) < under / 2) return;
  if (zBeside >= zBelow) pad.left = beside;
  else pad.top = below;
}

/**
 * FitMode says how AutoFit fits a big cluster (many: more than OVERVIEW_NODES nodes): a fit that ends past
 * FAR_ZOOM first turns the overview on (goFar), and fits once the boxes are hidden; fitting with them shown
 * made React Flow draw every box at the new zoom, all in view, for one render (2.6 s for 5,000 nodes).
 */
interface FitMode {
  many: boolean;
  overview: boolean;
  /** farFit: goFar was called, and the fit it waits for is still to come */
  farFit: boolean;
  goFar: (on: true) => void;
}

/** AutoFit refits the view when the drawing's bounds or the pane's size change, until the user pans or zooms. */
function AutoFit({ bounds, userMoved, mode }: { bounds: { width: number; height: number; top: number }; userMoved: React.RefObject<boolean>; mode: FitMode }) {
  const { fitView } = useReactFlow();
  const flow = useStoreApi();
  const panelWidth = useUi((s) => (s.panelCollapsed || s.focus ? 0 : s.panelWidth));
  const presenter = useUi((s) => s.presenter);
  // Focus also hides the charts: the stage grows in height too.
  const focus = useUi((s) => s.focus);
  const scenario = useCluster((s) => s.scenario);
  const view = useUi((s) => s.graphView);
  const overlay = useUi((s) => s.overlay);
  const hint = useCluster(waitingToStart);
  // The pane's own size: hiding the charts, dragging their edge or resizing the window refits too.
  const paneSize = useStore((s) => ({ width: s.width, height: s.height }), (a, b) => a.width === b.width && a.height === b.height);
  const { many, farFit, goFar } = mode;
  // Read when the fit runs: the overview flips as the user zooms, which must not refit on its own.
  const overview = useRef(mode.overview);
  overview.current = mode.overview;
  const key = `${bounds.width}x${bounds.height}@${bounds.top}|${panelWidth}|${presenter}|${focus}|${view}|${paneSize.width}x${paneSize.height}|${overlay?.w}x${overlay?.h}|${hint}|${farFit}`;
  // A new scenario (or the other view) is a new drawing: fit it even if the user had moved the old one.
  useEffect(() => {
    userMoved.current = false;
  }, [scenario, view, userMoved]);
  useEffect(() => {
    if (userMoved.current) return;
    const id = requestAnimationFrame(() => {
      const options = fitOptions(presenter, overlay && { drawing: bounds, pane: paneSize, overlay }, hint, many && (overview.current || farFit));
      if (many && !overview.current && !farFit) {
        const { width, height, minZoom } = flow.getState();
        const to = getViewportForBounds({ x: 0, y: bounds.top, width: bounds.width, height: bounds.height }, width, height, minZoom, options.maxZoom ?? 2, options.padding ?? 0);
        // The overview first; this runs again with it on, and fits then.
        if (to.zoom < FAR_ZOOM) return goFar(true);
      }
      void fitView(options);
    });
    return () => cancelAnimationFrame(id);
  }, [key, scenario, fitView, userMoved, presenter, many, goFar, flow]);
  return null;
}

/** rateSignature is the numbers a TrafficView's labels show, to tell a new rate from a new sample. */
function rateSignature(v: TrafficView): string {
  let out = '';
  for (const k in v.services) out += `${k}=${v.services[k].rps};`;
  for (const k in v.pods) out += `${k}=${v.pods[k].rps},${v.pods[k].errors};`;
  return out;
}

/** useTrafficGraph is the Traffic view's drawing, rebuilt when its objects or the measured rates change. */
function useTrafficGraph(on: boolean) {
  const ingresses = useKind('Ingress');
  const services = useKind('Service');
  const pods = useKind('Pod');
  const traffic = useCluster((s) => (on ? s.traffic : undefined));
  // Rates (not samples) drive the labels: a view whose only news is new samples keeps the drawing.
  const sig = traffic ? rateSignature(traffic) : '';
  const last = useRef<{ sig: string; view: TrafficView | undefined }>({ sig: '', view: undefined });
  if (last.current.sig !== sig) last.current = { sig, view: traffic };
  const rates = last.current.view;
  return useMemo(() => (on ? buildTrafficGraph({ ingresses, services, pods, traffic: rates }) : undefined), [on, ingresses, services, pods, rates]);
}

function Graph() {
  const view = useUi((s) => s.graphView);
  // Zoomed out past FAR_ZOOM a big cluster's boxes are drawn on NodeOverview's canvas (a boolean: flips rarely).
  const zoomedOut = useStore((s) => s.transform[2] < FAR_ZOOM);
  // farFit: AutoFit is about to fit a big cluster past FAR_ZOOM (see FitMode).
  const [farFit, setFarFit] = useState(false);
  const cluster = useGraphNodes(zoomedOut || farFit);
  const flow = useStoreApi();
  // React Flow fits once the nodes are in its store (fitView is queued): the overview stays on until the
  // view has moved, and is then on if the view is zoomed out past FAR_ZOOM.
  useEffect(() => {
    if (!farFit) return;
    const from = flow.getState().transform;
    return flow.subscribe((s) => {
      if (s.transform !== from) setFarFit(false);
    });
  }, [farFit, flow]);
  const { screenToFlowPosition } = useReactFlow();
  const trafficGraph = useTrafficGraph(view === 'traffic');
  const { nodes, edges, bounds } = trafficGraph ?? cluster;
  const theme = useUi((s) => s.theme);
  const presenter = useUi((s) => s.presenter);
  const userMoved = useRef(false);
  const moveStart = useRef<Viewport | undefined>(undefined);
  const dense = !trafficGraph && cluster.dense;
  const overview = !trafficGraph && !!cluster.overview;
  const many = !trafficGraph && !!cluster.many;
  const boxCount = useMemo(() => cluster.nodes.reduce((n, f) => n + (f.type === 'k8snode' ? 1 : 0), 0), [cluster.nodes]);
  const fitMode = useMemo<FitMode>(() => ({ many, overview, farFit, goFar: setFarFit }), [many, overview, farFit]);
  // The fit button: React Flow fits after the render this press makes, so a big cluster's overview is
  // on by then (else every box would be drawn at the fitted zoom for a render: see FitMode).
  const fitPressed = useCallback(() => {
    userMoved.current = false;
    if (many) setFarFit(true);
  }, [many]);
  // The same drawing (a worker message that changed nothing drawn): the same element, so React skips
  // React Flow's whole tree rather than re-rendering it with equal props 30 times a second.
  return useMemo(() => (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      colorMode={theme}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      // The cards' own buttons take the focus: React Flow's wrappers would be a second tab stop for each.
      nodesFocusable={false}
      edgesFocusable={false}
      // No keyboard shortcuts: React Flow listens on the whole document and cancels the keys it owns (Space to
      // pan, Backspace to delete) unless the target is an input; Monaco types into an EditContext element that
      // is not one, so every space typed in the Editor was lost. Nothing here is deletable or selectable, and
      // the view pans by dragging.
      panActivationKeyCode={null}
      deleteKeyCode={null}
      selectionKeyCode={null}
      multiSelectionKeyCode={null}
      // 5,000 nodes are ~26,000 px wide: a big cluster may zoom out far enough to fit them all.
      minZoom={many ? 0.01 : 0.05}
      maxZoom={2}
      onMoveStart={(_e, vp) => (moveStart.current = vp)}
      onMoveEnd={(e, vp) => {
        // Only a gesture that really moved the view stops auto-fitting (a click on a pod also starts a "move").
        const s = moveStart.current;
        if (e && s && (s.x !== vp.x || s.y !== vp.y || s.zoom !== vp.zoom)) userMoved.current = true;
      }}
      onNodeClick={noop}
      // A big cluster's boxes (many nodes) are drawn only in view; zoomed out, on the overview's canvas.
      onlyRenderVisibleElements={many}
      onPaneClick={(e) => {
        // On the overview a click on a box opens its Node, as a click on the box's head does.
        const hit = overview ? boxAt(flow.getState().nodeLookup, screenToFlowPosition({ x: e.clientX, y: e.clientY })) : undefined;
        useUi.getState().select(hit ? { kind: 'Node', namespace: '', name: (hit.data as NodeBoxData).node.metadata.name } : undefined);
      }}
      proOptions={{ hideAttribution: false }}
      attributionPosition="top-right"
      aria-label={view === 'traffic' ? 'Traffic graph' : 'Cluster graph'}
      data-view={view}
      className={dense ? 'graph-dense' : undefined}
    >
      <Background gap={24} size={1} />
      {/* Bottom-right: the bottom-left corner holds the Library/Workspaces/Share toolbar. */}
      <Controls position="bottom-right" orientation="horizontal" showInteractive={false} fitViewOptions={fitOptions(presenter, undefined, false, many)} onFitView={fitPressed}>
        <ViewToggle />
      </Controls>
      <AutoFit bounds={bounds} userMoved={userMoved} mode={fitMode} />
      {overview && (
        <Suspense fallback={null}>
          <NodeOverview count={boxCount} />
        </Suspense>
      )}
      <TrafficDots mode={view} />
    </ReactFlow>
  ), [nodes, edges, bounds, dense, overview, many, boxCount, fitMode, fitPressed, view, theme, presenter, flow, screenToFlowPosition]);
}

export function ClusterGraph() {
  return (
    <div className="graph" data-testid="graph">
      <ReactFlowProvider>
        <Graph />
      </ReactFlowProvider>
      <PausedHint />
      <NoteCaption />
    </div>
  );
}

/**
 * NoteCaption: while the clock is stopped at a timeline step with a teaching note (Presenter's Play stops
 * there; Step and the scrubber may too), the note is a caption over the graph. The terminal also shows
 * it above the step's command, but the output of the steps run at the same instant pushes it out of
 * sight, and in Focus there is no terminal at all.
 */
function NoteCaption() {
  // A lesson's card has the graph's corner (and explains the step itself).
  const lesson = useLesson((s) => !!s.lesson);
  const t = useCluster((s) => (s.ready && !s.clock.playing && !lesson ? s.clock.t : undefined));
  const note = useUi((s) => {
    if (t === undefined) return undefined;
    for (let i = s.terminal.length - 1; i >= 0; i--) {
      const e = s.terminal[i];
      if (e.note && e.t === t && !e.dropped) return e.note;
    }
    return undefined;
  });
  // The caption's size, for the graph to fit beside or below it, as it does around a lesson's card.
  const box = useRef<HTMLParagraphElement>(null);
  useOverlayBox(box, note);
  if (t === undefined || !note) return null;
  return (
    <p className="note-caption" role="status" data-testid="note-caption" ref={box}>
      <span className="note-caption-time">{formatClock(t)}</span>
      {note}
    </p>
  );
}

/** waitingToStart: the cluster is loaded and its clock has never moved (PausedHint shows). */
function waitingToStart(s: ReturnType<typeof useCluster.getState>): boolean {
  return s.ready && !s.clock.playing && s.clock.t === 0 && (s.clock.end ?? 0) === 0;
}

/**
 * PausedHint: a cluster opens paused at 00:00 (a teacher starts it when the room is ready), where its pods
 * wait in ContainerCreating for the clock; until the clock first moves, the graph says how to start it.
 */
function PausedHint() {
  const waiting = useCluster(waitingToStart);
  if (!waiting) return null;
  return (
    <p className="paused-hint" role="status" data-testid="paused-hint">
      Paused at 00:00: press <b>▶ Play</b> or Space to run the cluster, <b>Step</b> to go event by event.
    </p>
  );
}
