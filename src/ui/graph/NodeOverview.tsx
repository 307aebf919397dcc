/**
 * NodeOverview draws a big cluster's node boxes on ONE canvas while the graph is zoomed out past FAR_ZOOM:
 * with more than OVERVIEW_NODES nodes the boxes are then hidden flow nodes (useGraphNodes), and as
 * elements 5,000 of them held the page's thread for seconds. Each box is drawn as the far view draws it
 * (FarPods: a bar per owner and revision in its colour, a strip of STATUS tones, the two resource bars),
 * from the same flow nodes and the same geometry (dotPlaces.ts), so traffic dots land on its bars. Names
 * and counts are drawn where they are big enough to read; hovering a box names it, with its pods and
 * requests, and a click opens it in the Inspector (boxAt, from ClusterGraph's pane click). ClusterGraph
 * loads it when first needed: the first screen's JavaScript has a budget.
 */
import { useEffect, useRef } from 'react';
import { useStoreApi } from '@xyflow/react';
import { boxAt, boxOf, overviewBoxes } from './overviewHit.ts';
import { podCount } from './model.ts';
import type { NodeBoxData } from './NodeBox.tsx';
import { FAR_BARS, farBars, type FlowBox } from './dotPlaces.ts';
import { BAR_H, BOX_PAD, HEAD_H, TAINT_H } from './layout.ts';
import { revisionColor, statusTone, type StatusTone } from './colors.ts';
import { formatCpu } from '../../engine/api/quantity.ts';
import { formatBytes } from './ResourceBar.tsx';
import { useUi } from '../state/ui.ts';

/** TONE_ORDER: the strip's order, as ToneStrip's (settled pods first, those on their way out last). */
const TONE_ORDER: StatusTone[] = ['ok', 'done', 'progress', 'bad', 'ending'];

/** MIN_TEXT_PX: text smaller than this on screen is not drawn (it would be a smudge). */
const MIN_TEXT_PX = 8;

/** MIN_SMALL_TEXT_PX: the head's second size (badges, pod count) is drawn from here, with the name beside it. */
const MIN_SMALL_TEXT_PX = 6;

/** MIN_PILL_PX: a badge or taint shorter than this on screen is not drawn (nor measured, for thousands of boxes). */
const MIN_PILL_PX = 3;

/**
 * pill draws a badge as the far view's CSS does (.badge at 15 px, 22 px high; .taint at 10.5 px, 18 px
 * high, in the mono font), its text only where legible (else solid in the text's colour); returns its width (flow units × z).
 */
function pill(ctx: CanvasRenderingContext2D, text: string, x: number, midY: number, o: { px: number; minPx: number; h: number; padX: number; radius: number; font: string; fg: string; bg: string; maxW: number }): number {
  ctx.font = o.font;
  const w = Math.min(o.maxW, ctx.measureText(text).width + 2 * o.padX);
  if (w <= 0) return 0;
  const legible = o.px >= o.minPx;
  ctx.beginPath();
  ctx.roundRect(x, midY - o.h / 2, w, o.h, Math.min(o.radius, w / 2));
  // Too small for its text, a badge is filled with the text's colour: a pale empty pill said nothing,
  // a solid green, red or amber one reads as Ready, NotReady or cordoned/tainted from afar.
  ctx.fillStyle = legible ? o.bg : o.fg;
  ctx.fill();
  if (legible) {
    ctx.fillStyle = o.fg;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, x + o.padX, midY, w - 2 * o.padX);
  }
  return w;
}

/** Palette: the theme's colours, read from its CSS variables (styles.css) when the theme changes. */
interface Palette {
  surface: string;
  border: string;
  text: string;
  muted: string;
  bad: string;
  badBg: string;
  ok: string;
  okBg: string;
  warnBg: string;
  mono: string;
  bar: string;
  barFill: string;
  warn: string;
  selected: string;
  accent: string;
  font: string;
  tones: Record<StatusTone, string>;
}

function paletteOf(el: Element): Palette {
  const css = getComputedStyle(el);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return {
    surface: v('--surface'),
    border: v('--border'),
    text: v('--text'),
    muted: v('--muted'),
    bad: v('--bad'),
    badBg: v('--bad-bg'),
    ok: v('--ok'),
    okBg: v('--ok-bg'),
    warnBg: v('--warn-bg'),
    mono: v('--mono'),
    bar: v('--bar'),
    barFill: v('--bar-fill'),
    warn: v('--warn'),
    selected: v('--selected'),
    accent: v('--accent'),
    font: v('--font'),
    tones: { ok: v('--ok'), done: v('--done'), progress: v('--warn'), bad: v('--bad'), ending: v('--ending') },
  };
}

/** View is the viewport's transform and what every box is drawn with. */
interface View {
  tx: number;
  ty: number;
  z: number;
  border: number;
  /** labelPx: the hover label's type (bigger in presenter mode, as the rest of the page's) */
  labelPx: number;
  c: Palette;
}

/** drawBox draws one node box as the far view shows it (see the file comment). */
function drawBox(ctx: CanvasRenderingContext2D, b: FlowBox, d: NodeBoxData, v: View, selected: boolean): void {
  const { tx, ty, z, border, c } = v;
  const x = tx + b.x * z;
  const y = ty + b.y * z;
  const w = b.width * z;
  const h = b.height * z;
  const notReady = d.ready !== 'Ready';
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, Math.min(10 * z, w / 4));
  ctx.fillStyle = notReady ? c.badBg : c.surface;
  ctx.fill();
  ctx.lineWidth = Math.max(1, border * z);
  ctx.strokeStyle = notReady ? c.bad : c.border;
  ctx.stroke();
  if (selected) {
    ctx.lineWidth = 3;
    ctx.strokeStyle = c.selected;
    ctx.stroke();
  }
  if (w < 6) return;
  ctx.save();
  ctx.clip();
  const left = x + (border + BOX_PAD) * z;
  const inner = (b.width - 2 * (border + BOX_PAD)) * z;
  // The head: the node's name, its Ready and cordoned badges and its pod count at the far view's sizes
  // (21 and 15 px; .node-far), the text where legible, the badges wherever they are a few pixels high; the
  // far view of a smaller cluster shows them all, and a cordoned or tainted box looked like any other.
  const nameY = y + (border + BOX_PAD + 13) * z;
  const tainted = (d.node.spec?.taints?.length ?? 0) > 0;
  if (22 * z >= MIN_PILL_PX) {
    ctx.font = `600 ${21 * z}px ${c.font}`;
    const nameW = Math.min(inner * 0.6, ctx.measureText(d.node.metadata.name).width);
    if (21 * z >= MIN_TEXT_PX) {
      ctx.textBaseline = 'middle';
      ctx.fillStyle = c.text;
      ctx.textAlign = 'left';
      ctx.fillText(d.node.metadata.name, left, nameY, inner * 0.6);
    }
    const n = podCount(d.items);
    const count = n === 1 ? '1 pod' : `${n} pods`;
    ctx.font = `${15 * z}px ${c.font}`;
    const countW = Math.min(inner * 0.35, ctx.measureText(count).width);
    if (15 * z >= MIN_SMALL_TEXT_PX) {
      ctx.textBaseline = 'middle';
      ctx.fillStyle = c.muted;
      ctx.textAlign = 'right';
      ctx.fillText(count, left + inner, nameY, inner * 0.35);
    }
    const badge = { px: 15 * z, minPx: MIN_SMALL_TEXT_PX, h: 22 * z, padX: 6 * z, radius: 9 * z, font: `${15 * z}px ${c.font}` };
    let bx = left + nameW + 6 * z;
    const end = left + inner - countW - 6 * z;
    const ok = d.ready === 'Ready';
    bx += pill(ctx, d.ready, bx, nameY, { ...badge, fg: ok ? c.ok : c.bad, bg: ok ? c.okBg : c.badBg, maxW: end - bx }) + 6 * z;
    if (d.node.spec?.unschedulable) pill(ctx, 'cordoned', bx, nameY, { ...badge, fg: c.warn, bg: c.warnBg, maxW: end - bx });
    // The taints' line (.taints: 22 px under the head), each as its chip.
    if (tainted) {
      const ty0 = y + (border + BOX_PAD + HEAD_H + TAINT_H / 2 - 2) * z;
      let tx0 = left;
      for (const t of d.node.spec!.taints!) {
        const text = `${t.key.replace(/^node(-role)?\.kubernetes\.io\//, '')}${t.value ? `=${t.value}` : ''}:${t.effect}`;
        const maxW = left + inner - tx0;
        if (maxW <= 0) break;
        tx0 += pill(ctx, text, tx0, ty0, { px: 10.5 * z, minPx: MIN_TEXT_PX, h: 18 * z, padX: 5 * z, radius: 4 * z, font: `${10.5 * z}px ${c.mono}`, fg: c.warn, bg: c.warnBg, maxW }) + 4 * z;
      }
    }
  }
  // The cpu and memory requests against allocatable.
  const resTop = b.y + border + BOX_PAD + HEAD_H + (tainted ? TAINT_H : 0);
  [d.cpu, d.memory].forEach((u, k) => {
    const by = ty + (resTop + k * BAR_H + (BAR_H - 10) / 2) * z;
    const bh = Math.max(1, 10 * z);
    ctx.fillStyle = c.bar;
    ctx.fillRect(left, by, inner, bh);
    const frac = u.allocatable > 0 ? Math.min(1, u.requested / u.allocatable) : 0;
    ctx.fillStyle = frac > 0.9 ? c.warn : c.barFill;
    ctx.fillRect(left, by, inner * frac, bh);
  });
  // A bar per owner and revision, with its count where legible, and the STATUS tones under them.
  const bars = farBars(b, d.items, border);
  const barH = FAR_BARS.height * z;
  const barY = ty + bars.top * z;
  const tones = new Map<StatusTone, number>();
  d.items.forEach((it, j) => {
    const views = it.type === 'pod' ? [it.view] : it.group.pods;
    for (const pv of views) {
      const t = statusTone(pv.status, pv.ready);
      tones.set(t, (tones.get(t) ?? 0) + 1);
    }
    const bx = tx + bars.x[j] * z;
    const bw = bars.widths[j] * z;
    ctx.fillStyle = revisionColor(it.type === 'pod' ? it.view.revision : it.group.revision);
    ctx.beginPath();
    ctx.roundRect(bx, barY, bw, barH, Math.min(6 * z, bw / 4));
    ctx.fill();
    // The count as big as the far view's (30 px), or as the bar allows when that is too small to read.
    const px = Math.max(30 * z, Math.min(barH * 0.7, 13));
    if (px >= MIN_TEXT_PX && bw >= px * 1.6) {
      ctx.font = `600 ${px}px ${c.font}`;
      ctx.fillStyle = '#fff';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(String(views.length), bx + bw / 2, barY + barH / 2, bw);
    }
  });
  const total = podCount(d.items);
  const sy = barY + barH + FAR_BARS.stripGap * z;
  const sh = Math.max(1, FAR_BARS.stripHeight * z);
  ctx.fillStyle = c.bar;
  ctx.fillRect(left, sy, inner, sh);
  let sx = left;
  for (const t of TONE_ORDER) {
    const n = tones.get(t);
    if (!n) continue;
    const sw = (inner * n) / total;
    ctx.fillStyle = c.tones[t];
    ctx.fillRect(sx, sy, sw, sh);
    sx += sw;
  }
  ctx.restore();
}

/**
 * drawLabel: a box's name, readiness, pods, requests and taints, over the box, or below it where that would
 * reach above top (the hint's bottom: the hint lies over the canvas and hid the label of the second row).
 */
function drawLabel(ctx: CanvasRenderingContext2D, b: FlowBox, d: NodeBoxData, v: View, width: number, top: number): void {
  const { tx, ty, z, c } = v;
  const n = podCount(d.items);
  const taints = d.node.spec?.taints ?? [];
  const lines = [
    `${d.node.metadata.name}  ${d.ready}${d.node.spec?.unschedulable ? ', cordoned' : ''}  ${n === 1 ? '1 pod' : `${n} pods`}`,
    `cpu ${formatCpu(d.cpu.requested)} / ${formatCpu(d.cpu.allocatable)}   memory ${formatBytes(d.memory.requested)} / ${formatBytes(d.memory.allocatable)}`,
    ...(taints.length ? [`taints ${taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ')}`] : []),
  ];
  const px = v.labelPx;
  const lh = Math.round(px * 1.4);
  ctx.font = `${px}px ${c.font}`;
  const w = Math.min(width - 8, Math.max(...lines.map((l) => ctx.measureText(l).width)) + 16);
  const h = lines.length * lh + 10;
  const x = Math.max(4, Math.min(width - w - 4, tx + (b.x + b.width / 2) * z - w / 2));
  const above = ty + b.y * z - h - 6;
  const y = above >= top ? above : ty + (b.y + b.height) * z + 6;
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, 6);
  ctx.fillStyle = c.surface;
  ctx.fill();
  ctx.lineWidth = 1;
  ctx.strokeStyle = c.accent;
  ctx.stroke();
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  lines.forEach((l, i) => {
    ctx.fillStyle = i === 0 ? c.text : c.muted;
    ctx.fillText(l, x + 8, y + 6 + i * lh, w - 16);
  });
}

/** fitCanvas sizes a canvas to the pane at the screen's pixel ratio and clears it for drawing in CSS pixels. */
function fitCanvas(cv: HTMLCanvasElement, ctx: CanvasRenderingContext2D, width: number, height: number): void {
  const dpr = window.devicePixelRatio || 1;
  if (cv.width !== Math.round(width * dpr) || cv.height !== Math.round(height * dpr)) {
    cv.width = Math.round(width * dpr);
    cv.height = Math.round(height * dpr);
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
}

export default function NodeOverview({ count }: { count: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const hoverCanvas = useRef<HTMLCanvasElement>(null);
  const flow = useStoreApi();

  useEffect(() => {
    const cv = canvas.current!;
    const hv = hoverCanvas.current!;
    const ctx = cv.getContext('2d');
    const hctx = hv.getContext('2d');
    if (!ctx || !hctx) return;
    let frame = 0;
    // What the next frame draws: the boxes (a change of the cluster, the view, the theme or the selection)
    // and the hovered box's outline and label, on a canvas of their own: redrawing 5,000 boxes for each
    // box the pointer crossed made hovering the overview take ~180 ms a frame.
    let boxesDirty = false;
    let palette: Palette | undefined;
    /** hovered: the flow node id of the box under the pointer */
    let hovered: string | undefined;
    const view = (): View => {
      const { transform } = flow.getState();
      const ui = useUi.getState();
      palette ??= paletteOf(cv);
      return { tx: transform[0], ty: transform[1], z: transform[2], border: ui.presenter ? 2 : 1, labelPx: ui.presenter ? 16 : 13, c: palette };
    };
    const drawBoxes = () => {
      const { nodeLookup, width, height } = flow.getState();
      fitCanvas(cv, ctx, width, height);
      const v = view();
      const ui = useUi.getState();
      const selected = ui.selected?.kind === 'Node' ? ui.selected.name : undefined;
      for (const n of overviewBoxes(nodeLookup)) {
        const b = boxOf(n);
        const x = v.tx + b.x * v.z;
        const y = v.ty + b.y * v.z;
        if (x > width || y > height || x + b.width * v.z < 0 || y + b.height * v.z < 0) continue;
        const d = n.data as NodeBoxData;
        drawBox(ctx, b, d, v, d.node.metadata.name === selected);
      }
    };
    const drawHover = () => {
      const { nodeLookup, width, height } = flow.getState();
      fitCanvas(hv, hctx, width, height);
      const n = hovered === undefined ? undefined : nodeLookup.get(hovered);
      if (!n || n.type !== 'k8snode' || !n.hidden) return;
      const v = view();
      const b = boxOf(n);
      const w = b.width * v.z;
      hctx.beginPath();
      hctx.roundRect(v.tx + b.x * v.z, v.ty + b.y * v.z, w, b.height * v.z, Math.min(10 * v.z, w / 4));
      hctx.lineWidth = 3;
      hctx.strokeStyle = v.c.selected;
      hctx.stroke();
      // The hint (a sibling over the canvas's top) is measured only when a label is drawn.
      const hint = cv.parentElement?.querySelector('.overview-hint')?.getBoundingClientRect();
      const top = hint ? hint.bottom - cv.getBoundingClientRect().top + 4 : 4;
      drawLabel(hctx, b, n.data as NodeBoxData, v, width, top);
    };
    // While the view only moves (a drag, the wheel), the last drawing is shown moved and scaled, and the
    // boxes are drawn again once it rests: drawing 5,000 boxes a frame made a drag across them take
    // ~70 ms a frame at the median (250 ms at p90) on a 2-core machine.
    const shot = document.createElement('canvas');
    const sctx = shot.getContext('2d');
    let drawnAt: { tx: number; ty: number; z: number; width: number; height: number } | undefined;
    let moved = false;
    let rest: ReturnType<typeof setTimeout> | undefined;
    const drawMoved = (): boolean => {
      const { transform, width, height } = flow.getState();
      if (!sctx || !drawnAt || drawnAt.width !== width || drawnAt.height !== height) return false;
      const k = transform[2] / drawnAt.z;
      fitCanvas(cv, ctx, width, height);
      const dpr = window.devicePixelRatio || 1;
      ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * (transform[0] - drawnAt.tx * k), dpr * (transform[1] - drawnAt.ty * k));
      ctx.drawImage(shot, 0, 0, width, height);
      return true;
    };
    const draw = () => {
      frame = 0;
      if (boxesDirty || (moved && !drawMoved())) {
        drawBoxes();
        const { transform, width, height } = flow.getState();
        drawnAt = { tx: transform[0], ty: transform[1], z: transform[2], width, height };
        if (sctx) {
          shot.width = cv.width;
          shot.height = cv.height;
          sctx.drawImage(cv, 0, 0);
        }
      }
      boxesDirty = moved = false;
      drawHover();
    };
    const redraw = (boxes = true) => {
      if (boxes) boxesDirty = true;
      if (!frame) frame = requestAnimationFrame(draw);
    };
    const move = () => {
      moved = true;
      if (!frame) frame = requestAnimationFrame(draw);
      clearTimeout(rest);
      rest = setTimeout(() => redraw(), 150);
    };
    const unsubFlow = flow.subscribe((s, prev) => {
      if (s.nodeLookup !== prev.nodeLookup || s.nodes !== prev.nodes || s.width !== prev.width || s.height !== prev.height) redraw();
      else if (s.transform !== prev.transform) move();
    });
    const unsubUi = useUi.subscribe((s, prev) => {
      if (s.theme !== prev.theme || s.presenter !== prev.presenter) palette = undefined;
      if (s.theme !== prev.theme || s.presenter !== prev.presenter || s.selected !== prev.selected) redraw();
    });
    // Hovering a box names it and shows the pointer a click opens it with (the pane handles the click).
    const pane = cv.closest('.react-flow')?.querySelector<HTMLElement>('.react-flow__pane');
    const point = (e: PointerEvent) => {
      const { nodeLookup, transform } = flow.getState();
      const r = cv.getBoundingClientRect();
      const p = { x: (e.clientX - r.left - transform[0]) / transform[2], y: (e.clientY - r.top - transform[1]) / transform[2] };
      const id = e.buttons ? undefined : boxAt(nodeLookup, p)?.id;
      if (id === hovered) return;
      hovered = id;
      if (pane) pane.style.cursor = id ? 'pointer' : '';
      redraw(false);
    };
    const leave = () => {
      if (hovered === undefined) return;
      hovered = undefined;
      if (pane) pane.style.cursor = '';
      redraw(false);
    };
    pane?.addEventListener('pointermove', point);
    pane?.addEventListener('pointerleave', leave);
    redraw();
    return () => {
      unsubFlow();
      unsubUi();
      pane?.removeEventListener('pointermove', point);
      pane?.removeEventListener('pointerleave', leave);
      if (pane) pane.style.cursor = '';
      if (frame) cancelAnimationFrame(frame);
      clearTimeout(rest);
    };
  }, [flow]);

  const hint = `${count.toLocaleString('en-US')} nodes, drawn small: zoom in to see their pods`;
  return (
    <>
      <canvas ref={canvas} className="node-overview" role="img" aria-label={`${hint}, or click a node to inspect it`} data-testid="node-overview" />
      <canvas ref={hoverCanvas} className="node-overview" aria-hidden="true" data-testid="node-overview-hover" />
      <p className="overview-hint" data-testid="overview-hint">
        {hint}
      </p>
    </>
  );
}
