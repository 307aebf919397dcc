/**
 * ClusterGraph draws the cluster with React Flow: node boxes with their pods, the Unscheduled lane and
 * workload cards. Nothing is draggable; clicking selects an object for the Inspector.
 */
import { useEffect, useRef } from 'react';
import { Background, Controls, ReactFlow, ReactFlowProvider, useReactFlow, type NodeTypes } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { NodeBox, UnscheduledLane } from './NodeBox.tsx';
import { DeploymentCard, ServiceCard } from './WorkloadCard.tsx';
import { useGraphNodes } from './useGraphNodes.ts';
import { useUi } from '../state/ui.ts';

/** nodeTypes lives outside components so React Flow never sees a new object (which remounts every node). */
const nodeTypes: NodeTypes = {
  k8snode: NodeBox,
  lane: UnscheduledLane,
  deployment: DeploymentCard,
  service: ServiceCard,
};

const NO_EDGES: never[] = [];
/** noop as onNodeClick gives nodes pointer events (React Flow turns them off for inert nodes). */
const noop = () => {};

/** AutoFit refits the view when the drawing's bounds change, until the user pans or zooms. */
function AutoFit({ bounds, userMoved }: { bounds: { width: number; height: number; top: number }; userMoved: React.RefObject<boolean> }) {
  const { fitView } = useReactFlow();
  const panelWidth = useUi((s) => (s.panelCollapsed ? 0 : s.panelWidth));
  const key = `${bounds.width}x${bounds.height}@${bounds.top}|${panelWidth}`;
  useEffect(() => {
    if (userMoved.current) return;
    const id = requestAnimationFrame(() => void fitView({ padding: 0.06, maxZoom: 1.1, duration: 0 }));
    return () => cancelAnimationFrame(id);
  }, [key, fitView, userMoved]);
  return null;
}

function Graph() {
  const { nodes, bounds } = useGraphNodes();
  const theme = useUi((s) => s.theme);
  const userMoved = useRef(false);
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
      onMoveStart={(e) => {
        if (e) userMoved.current = true;
      }}
      onNodeClick={noop}
      onPaneClick={() => useUi.getState().select(undefined)}
      proOptions={{ hideAttribution: false }}
      aria-label="Cluster graph"
    >
      <Background gap={24} size={1} />
      <Controls showInteractive={false} onFitView={() => (userMoved.current = false)} />
      <AutoFit bounds={bounds} userMoved={userMoved} />
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
