/**
 * overviewHit finds the node boxes NodeOverview draws (hidden k8snode flow nodes) and the one under a
 * point, for the pane's click (ClusterGraph) and the canvas's hover. Kept apart from NodeOverview.tsx,
 * which the page loads only for a big cluster.
 */
import type { InternalNode } from '@xyflow/react';
import type { FlowBox } from './dotPlaces.ts';

/** boxOf is a flow node's place, size and data (flow coordinates). */
export function boxOf(n: InternalNode): FlowBox {
  return { x: n.internals.positionAbsolute.x, y: n.internals.positionAbsolute.y, width: n.width ?? n.measured.width ?? 0, height: n.height ?? n.measured.height ?? 0, data: n.data };
}

/** overviewBoxes: the node boxes the overview draws (hidden k8snode flow nodes). */
export function* overviewBoxes(lookup: ReadonlyMap<string, InternalNode>): Generator<InternalNode> {
  for (const n of lookup.values()) if (n.type === 'k8snode' && n.hidden) yield n;
}

/** boxAt is the node box drawn on the overview at a point (flow coordinates), if any. */
export function boxAt(lookup: ReadonlyMap<string, InternalNode>, p: { x: number; y: number }): InternalNode | undefined {
  for (const n of overviewBoxes(lookup)) {
    const b = boxOf(n);
    if (p.x >= b.x && p.x <= b.x + b.width && p.y >= b.y && p.y <= b.y + b.height) return n;
  }
  return undefined;
}
