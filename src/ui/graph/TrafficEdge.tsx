/**
 * TrafficEdge is the Traffic view's edge: a curve as wide as its rate (scaled to the busiest Service) and a
 * label chip with the requests per second and, under it, the share. OwnerEdge is the Cluster view's thin
 * ownership line (ReplicaSet → pod), in the revision's colour.
 */
import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, getSmoothStepPath, type Edge, type EdgeProps } from '@xyflow/react';
import type { TrafficEdgeData } from './trafficModel.ts';

export const TrafficEdge = memo(function TrafficEdge(props: EdgeProps<Edge<TrafficEdgeData>>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data } = props;
  const vertical = data?.dashed && Math.abs(targetX - sourceX) < 4;
  const [path, lx, ly] = vertical
    ? getSmoothStepPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition })
    : getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const idle = !data?.rps;
  // Labels of edges that fan out of one node sit nearer their targets (labelAt 0.7), so they don't stack.
  const at = data?.labelAt;
  let [x, y] = [lx, ly];
  if (at !== undefined && !vertical) {
    // A point on React Flow's bezier (right → left handles: control points half the distance out).
    const d = Math.abs(targetX - sourceX) / 2;
    const [c1x, c2x] = [sourceX + d, targetX - d];
    const u = 1 - at;
    x = u * u * u * sourceX + 3 * u * u * at * c1x + 3 * u * at * at * c2x + at * at * at * targetX;
    y = u * u * u * sourceY + 3 * u * u * at * sourceY + 3 * u * at * at * targetY + at * at * at * targetY;
  }
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        className={`tedge${idle ? ' tedge-idle' : ''}${data?.dashed ? ' tedge-dashed' : ''}`}
        style={{ strokeWidth: data?.width ?? 1.5, ...(data?.color ? { stroke: data.color } : {}) }}
      />
      {data?.label && (
        <EdgeLabelRenderer>
          <div
            className={`tedge-label nodrag nopan${idle ? ' tedge-label-idle' : ''}${vertical ? ' tedge-label-side' : ''}`}
            style={{ transform: vertical ? `translate(0, -50%) translate(${x + 10}px, ${y}px)` : `translate(-50%, -50%) translate(${x}px, ${y}px)` }}
            data-edge={id}
            data-rps={data.rps ?? ''}
            title={data.title}
          >
            <span className="tedge-rps">{data.label}</span>
            {data.sub && <span className="tedge-sub">{data.sub}</span>}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});

export interface OwnerEdgeData extends Record<string, unknown> {
  color: string;
  count?: number;
}

export const OwnerEdge = memo(function OwnerEdge(props: EdgeProps<Edge<OwnerEdgeData>>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data } = props;
  const [path, lx, ly] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  return (
    <>
      <BaseEdge id={id} path={path} className="owner-edge" style={{ stroke: data?.color }} />
      {data?.count !== undefined && (
        <EdgeLabelRenderer>
          <div className="owner-edge-label nodrag nopan" style={{ transform: `translate(-50%, -50%) translate(${lx}px, ${ly}px)`, borderColor: data.color }}>
            ×{data.count}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
