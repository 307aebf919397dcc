/**
 * dotPlaces finds where a traffic dot starts and ends in the Cluster view from the graph's own model (the
 * flow nodes React Flow draws, their data and the fixed sizes of layout.ts and styles.css), in flow
 * coordinates, without reading the page's layout. TrafficDots used getBoundingClientRect on the drawn card
 * and chip every frame; while a rollout changed the boxes, each read forced the browser to lay the page out
 * there and then (17-63 ms a frame on a busy 2-core machine), again after the frame's own layout.
 */
import type { Item } from './model.ts';
import { podView } from './model.ts';
import type { Pod } from '../../engine/api/types.ts';
import { BAR_H, BOX_PAD, CHIP_GAP, CHIP_H, CHIP_W, HEAD_H, TAINT_H, chipsPerRow } from './layout.ts';

/** FlowBox is what dotPlaces needs of a flow node: its place and size in flow coordinates, and its data. */
export interface FlowBox {
  x: number;
  y: number;
  width: number;
  height: number;
  data: Record<string, unknown>;
}

/** CHIPS_TOP: the chips' margin above them (.chips in styles.css; in the lane it collapses into the head's larger one). */
const CHIPS_TOP = 6;

/** FAR_TOP, FAR_BAR_H, FAR_GAP, FAR_MIN_W: the far view's bars (.far-pods, .far-bars and .far-bar in graph.css). */
const FAR_TOP = 8;
const FAR_BAR_H = 64;
const FAR_GAP = 4;
const FAR_MIN_W = 22;

/** serviceBottom is the middle of a Service card's bottom edge, where its dots leave. */
export function serviceBottom(card: FlowBox): { x: number; y: number } {
  return { x: card.x + card.width / 2, y: card.y + card.height };
}

/**
 * chipIndex finds the chip that draws a pod among a box's items: its own chip, else (the box still shows
 * it in a counted chip, or not yet: see BOX_UPDATES) the counted chip of its revision. -1 when neither.
 */
export function chipIndex(items: readonly Item[], pod: Pod): number {
  const index = chipsOf(items);
  return index.byName.get(podKey(pod)) ?? index.byRevision.get(podView(pod).revision ?? '') ?? -1;
}

interface ChipIndex {
  /** byName: by "namespace/name" */
  byName: Map<string, number>;
  /** byRevision: the first counted chip of each revision */
  byRevision: Map<string, number>;
}

const podKey = (p: Pod) => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;

/** indexes: each box's chips by pod name and revision, built once per list of items (a box's drawing). */
const indexes = new WeakMap<readonly Item[], ChipIndex>();

function chipsOf(items: readonly Item[]): ChipIndex {
  let index = indexes.get(items);
  if (index) return index;
  index = { byName: new Map(), byRevision: new Map() };
  items.forEach((it, i) => {
    if (it.type === 'pod') {
      if (!index!.byName.has(podKey(it.view.pod))) index!.byName.set(podKey(it.view.pod), i);
      return;
    }
    for (const v of it.group.pods) if (!index!.byName.has(podKey(v.pod))) index!.byName.set(podKey(v.pod), i);
    const rev = it.group.revision ?? '';
    if (!index!.byRevision.has(rev)) index!.byRevision.set(rev, i);
  });
  indexes.set(items, index);
  return index;
}

/** barsTop is where a node box's chips (or far bars) start under its head, taints and two resource bars. */
export function barsTop(box: FlowBox, border: number): number {
  const tainted = ((box.data.node as { spec?: { taints?: unknown[] } } | undefined)?.spec?.taints?.length ?? 0) > 0;
  return border + BOX_PAD + HEAD_H + (tainted ? TAINT_H : 0) + 2 * BAR_H;
}

/** FAR_BARS: the far view's bars and strip, for NodeOverview to draw as the page does. */
export const FAR_BARS = { top: FAR_TOP, height: FAR_BAR_H, stripGap: 8, stripHeight: 12 } as const;

/**
 * farBars lays out a node box's bars in the far view (FarPods), in flow coordinates: the bars share the
 * box's width by their pod counts as CSS flex does (grow by count from a zero basis, FAR_GAP apart, none
 * under FAR_MIN_W: a bar the share would make narrower keeps that width, and the rest is shared again).
 * x holds each bar's left edge; top is the bars' top edge.
 */
export function farBars(box: FlowBox, items: readonly Item[], border: number): { x: number[]; widths: number[]; top: number } {
  const grow = items.map((it) => (it.type === 'pod' ? 1 : it.group.pods.length));
  const widths = new Array<number>(grow.length).fill(0);
  const frozen = new Array<boolean>(grow.length).fill(false);
  let free = box.width - 2 * BOX_PAD - 2 * border - FAR_GAP * (grow.length - 1);
  for (let changed = true; changed; ) {
    changed = false;
    const total = grow.reduce((sum, g, j) => (frozen[j] ? sum : sum + g), 0);
    for (let j = 0; j < grow.length; j++) widths[j] = frozen[j] ? FAR_MIN_W : (free * grow[j]) / total;
    for (let j = 0; j < grow.length; j++) {
      if (!frozen[j] && widths[j] < FAR_MIN_W) {
        frozen[j] = changed = true;
        free -= FAR_MIN_W;
      }
    }
  }
  const x = new Array<number>(grow.length);
  let left = box.x + border + BOX_PAD;
  for (let j = 0; j < grow.length; j++) {
    x[j] = left;
    left += widths[j] + FAR_GAP;
  }
  return { x, widths, top: box.y + barsTop(box, border) + FAR_TOP };
}

/** farBarCenter is the middle of a node box's i-th bar in the far view (see farBars). */
export function farBarCenter(box: FlowBox, items: readonly Item[], i: number, border: number): { x: number; y: number } {
  const bars = farBars(box, items, border);
  return { x: bars.x[i] + bars.widths[i] / 2, y: bars.top + FAR_BAR_H / 2 };
}

/**
 * chipCenter is the middle of a box's i-th chip (flow coordinates): chips flow left to right in rows under
 * the box's head (and, for a Node, its taints and two resource bars), as NodeBox.tsx and styles.css lay
 * them out. border is the box's border width (2 px in presenter mode).
 */
export function chipCenter(box: FlowBox, i: number, lane: boolean, border: number): { x: number; y: number } {
  const inner = box.width - 2 * BOX_PAD - 2 * border;
  const perRow = lane ? chipsPerRow(inner) : 2;
  const top = lane ? border + BOX_PAD + HEAD_H : barsTop(box, border) + CHIPS_TOP;
  const col = i % perRow;
  const row = Math.floor(i / perRow);
  return {
    x: box.x + border + BOX_PAD + col * (CHIP_W + CHIP_GAP) + CHIP_W / 2,
    y: box.y + top + row * (CHIP_H + CHIP_GAP) + CHIP_H / 2,
  };
}
