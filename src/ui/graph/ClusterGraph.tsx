/**
 * ClusterGraph draws the cluster with React Flow: node boxes with their pods, the Unscheduled lane and
 * workload cards. Nothing is draggable; clicking selects an object for the Inspector.
 */
import { useEffect, useRef } from 'react';
import { Background, Controls, ReactFlow, ReactFlowProvider, useReactFlow, type NodeTypes, type Viewport } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { NodeBox, UnscheduledLane } from './NodeBox.tsx';
import { DeploymentCard, RolloutCard, ServiceCard } from './WorkloadCard.tsx';
import { useGraphNodes } from './useGraphNodes.ts';
import { TrafficDots } from './TrafficDots.tsx';
import { useUi } from '../state/ui.ts';
import { useCluster } from '../state/cluster.ts';

/** nodeTypes lives outside components so React Flow never sees a new object (which remounts every node). */
const nodeTypes: NodeTypes = {
  k8snode: NodeBox,
  lane: UnscheduledLane,
  deployment: DeploymentCard,
  rollout: RolloutCard,
  service: ServiceCard,
};

const NO_EDGES: never[] = [];
/** noop as onNodeClick gives nodes pointer events (React Flow turns them off for inert nodes). */
const noop = () => {};

/** AutoFit refits the view when the drawing's bounds change, until the user pans or zooms. */
function AutoFit({ bounds, userMoved }: { bounds: { width: number; height: number; top: number }; userMoved: React.RefObject<boolean> }) {
  const { fitView } = useReactFlow();
  const panelWidth = useUi((s) => (s.panelCollapsed ? 0 : s.panelWidth));
  const scenario = useCluster((s) => s.scenario);
  const key = `${bounds.width}x${bounds.height}@${bounds.top}|${panelWidth}`;
  // A new scenario is a new drawing: fit it even if the user had moved the old one.
  useEffect(() => {
    userMoved.current = false;
  }, [scenario, userMoved]);
  useEffect(() => {
    if (userMoved.current) return;
    const id = requestAnimationFrame(() => void fitView({ padding: 0.06, maxZoom: 1.1, duration: 0 }));
    return () => cancelAnimationFrame(id);
  }, [key, scenario, fitView, userMoved]);
  return null;
}

function Graph() {
  const { nodes, bounds } = useGraphNodes();
  const theme = useUi((s) => s.theme);
  const userMoved = useRef(false);
  const moveStart = useRef<Viewport | undefined>(undefined);
  return (
    <ReactFlow
      nodes={nodes}
      edges={NO_EDGES}
      nodeTypes={nodeTypes}
      colorMode={theme}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      minZoom={0.05}
      maxZoom={2}
      onMoveStart={(_e, vp) => (moveStart.current = vp)}
      onMoveEnd={(e, vp) => {
        // Only a gesture that really moved the view stops auto-fitting (a click on a pod also starts a "move").
        const s = moveStart.current;
        if (e && s && (s.x !== vp.x || s.y !== vp.y || s.zoom !== vp.zoom)) userMoved.current = true;
      }}
      onNodeClick={noop}
      onPaneClick={() => useUi.getState().select(undefined)}
      proOptions={{ hideAttribution: false }}
      attributionPosition="top-right"
      aria-label="Cluster graph"
    >
      <Background gap={24} size={1} />
      {/* Bottom-right: the bottom-left corner holds the Library/Workspaces/Share toolbar. */}
      <Controls position="bottom-right" showInteractive={false} onFitView={() => (userMoved.current = false)} />
      <AutoFit bounds={bounds} userMoved={userMoved} />
      <TrafficDots />
    </ReactFlow>
  );
}

export function ClusterGraph() {
  return (
    <div className="graph" data-testid="graph">
      <ReactFlowProvider>
        <Graph />
      </ReactFlowProvider>
    </div>
  );
}
