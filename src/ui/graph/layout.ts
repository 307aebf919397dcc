/**
 * layout places the graph's boxes. Positions depend only on the order of Nodes and the largest number of
 * chips on any node, so a pod changing state never moves anything; workload cards grow upwards from
 * above the node grid, so a new Deployment never pushes the nodes down.
 */
export const CHIP_W = 136;
export const CHIP_H = 42;
export const CHIP_GAP = 6;
export const BOX_PAD = 10;
export const HEAD_H = 30;
export const BAR_H = 18;
export const TAINT_H = 22;
/** BOX_W fits two chip columns, plus 2px of borders and 2px of slack against sub-pixel rounding. */
export const BOX_W = BOX_PAD * 2 + CHIP_W * 2 + CHIP_GAP + 4;
export const GRID_GAP = 28;
export const CARD_W = 236;
export const CARD_HEAD_H = 34;
export const CARD_ROW_H = 26;
export const CARD_SUB_H = 22;
/** SVC_TRAFFIC_H is a Service card's traffic line (bar and legend), always reserved so cards never jump. */
export const SVC_TRAFFIC_H = 28;
/** SVC_ADDR_H is a Service card's second sub line: its ports and external address (LoadBalancer IP, externalIPs). */
export const SVC_ADDR_H = 18;

/**
 * FAR_ZOOM: below this zoom a dense graph's node boxes draw FarPods (a bar per revision) instead of chips:
 * a chip's 11.5 px text is then under 5 px on screen; at 0.5× and above it stays legible.
 */
export const FAR_ZOOM = 0.45;

/**
 * OVERVIEW_NODES: a cluster of more nodes than this draws its node boxes on one canvas (NodeOverview.tsx)
 * while zoomed out past FAR_ZOOM, and zoomed in React Flow renders only the boxes in view. As elements,
 * 5,000 boxes held the page's thread 3.3 s without pods and 8.6 s with 10,000 (a busy 2-core machine).
 */
export const OVERVIEW_NODES = 150;

/** drawsFar: a node box with this data draws FarPods at this zoom (ownership edges to chips need the chips). */
export function drawsFar(zoom: number, data: { dense?: boolean; owners?: string }): boolean {
  return zoom < FAR_ZOOM && !!data.dense && data.owners !== 'chips';
}

/** ASPECT is the width/height the node grid aims for: about the graph area's at 1280×720. */
const ASPECT = 1.3;

/**
 * gridColumns: up to 4 nodes in a row, then as many columns as make the grid about ASPECT wide for its
 * height (boxes are tall when crowded: 63 boxes of 304×1250 → 18 columns, 500 boxes of 304×160 → 20).
 */
export function gridColumns(n: number, boxH = BOX_W): number {
  if (n <= 4) return Math.max(1, n);
  const cols = Math.ceil(Math.sqrt((n * (boxH + GRID_GAP) * ASPECT) / (BOX_W + GRID_GAP)));
  return Math.min(n, Math.max(4, cols));
}

/** chipRows is how many rows of chips a box of a given inner width holds for n chips. */
export function chipsPerRow(innerWidth: number): number {
  return Math.max(1, Math.floor((innerWidth + CHIP_GAP) / (CHIP_W + CHIP_GAP)));
}

export function chipsHeight(n: number, perRow: number, minRows: number): number {
  const rows = Math.max(minRows, Math.ceil(n / perRow));
  return rows * (CHIP_H + CHIP_GAP);
}

/** boxHeight is the height of every node box, sized for the most crowded node. */
export function boxHeight(maxChips: number, anyTaints: boolean): number {
  return BOX_PAD * 2 + HEAD_H + (anyTaints ? TAINT_H : 0) + BAR_H * 2 + 6 + chipsHeight(maxChips, 2, 1) + 4;
}

export interface Placed {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** placeNodes returns each node box's place in a grid of equal boxes, left to right, top to bottom. */
export function placeNodes(n: number, height: number): { boxes: Placed[]; width: number; height: number } {
  const cols = gridColumns(n, height);
  const boxes: Placed[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % cols;
    const r = Math.floor(i / cols);
    boxes.push({ x: c * (BOX_W + GRID_GAP), y: r * (height + GRID_GAP), width: BOX_W, height });
  }
  const rows = Math.ceil(n / cols);
  return { boxes, width: Math.max(BOX_W, cols * BOX_W + (cols - 1) * GRID_GAP), height: rows * (height + GRID_GAP) };
}

/** laneHeight is the Unscheduled lane's height for n chips across a width. */
export function laneHeight(n: number, width: number): number {
  return BOX_PAD * 2 + HEAD_H + (n === 0 ? 0 : chipsHeight(n, chipsPerRow(width - BOX_PAD * 2 - 4), 1)) + 4;
}

/** cardHeight is a workload card's height: a head and one row per ReplicaSet (or a sub line). */
export function cardHeight(rows: number, sub: boolean): number {
  return CARD_HEAD_H + rows * CARD_ROW_H + (sub ? CARD_SUB_H : 0) + 8;
}

/** serviceCardHeight: head, type and cluster IP, ports and external address, traffic line. */
export function serviceCardHeight(): number {
  return cardHeight(0, true) + SVC_ADDR_H + SVC_TRAFFIC_H;
}
