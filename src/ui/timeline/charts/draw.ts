/**
 * draw paints the four chart lanes on a canvas: stacked areas of requests/s by version, error share
 * lines (all clients, and each version), p95 latency lines by version, and stacked steps of ready
 * pods by revision. Colours come from the theme's CSS variables (read once per draw).
 */
import type { HistoryPoint } from '../../../worker/historyTypes.ts';
import { LANES, type LaneData, type LaneId } from './series.ts';

export interface Palette {
  text: string;
  muted: string;
  border: string;
  bad: string;
  surface: string;
}

/** readPalette reads the theme's colours from the CSS variables in effect at an element. */
export function readPalette(el: Element): Palette {
  const cs = getComputedStyle(el);
  const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
  return { text: v('--text', '#1b2430'), muted: v('--muted', '#5d6876'), border: v('--border', '#d9dde3'), bad: v('--bad', '#b91c1c'), surface: v('--surface', '#ffffff') };
}

export interface DrawOptions {
  start: number;
  end: number;
  width: number;
  height: number;
  palette: Palette;
  /** labelRow: the height (px) of the lane's name, scale and legend at its top, which the plot stays under */
  labelRow?: number;
}

/** POINT_SPAN_MS: each history point covers one simulated second, from its t. */
export const POINT_SPAN_MS = 1000;

/** LANE_PAD_TOP keeps the highest value off the lane above (px) when there is no label row. */
const LANE_PAD_TOP = 3;
const LANE_PAD_BOTTOM = 2;
/** MAX_LABEL_SHARE: a short lane gives its label row at most this share of its height (the labels then float over the plot). */
const MAX_LABEL_SHARE = 0.45;

export function drawCharts(ctx: CanvasRenderingContext2D, data: LaneData, o: DrawOptions): void {
  const { width, height, palette } = o;
  ctx.clearRect(0, 0, width, height);
  const laneH = height / LANES.length;
  // The highest value sits just under the label row: a legend over the plot hid a lane's peak (the
  // ready pods of a finished rollout) behind its veil.
  const padTop = Math.max(LANE_PAD_TOP, Math.min(o.labelRow ?? 0, laneH * MAX_LABEL_SHARE));
  const span = Math.max(1, o.end - o.start);
  // A point is the second [t, t + 1 s), recorded once the clock leaves it: it is drawn where it ends, so
  // the lines reach the clock (paused at 12 s, the second 11–12 s is the last one, drawn at 12 s).
  const x = (t: number) => ((t + POINT_SPAN_MS - o.start) / span) * width;
  const lanes: Record<LaneId, { top: number; y: (v: number) => number }> = {} as never;
  LANES.forEach((lane, i) => {
    const top = i * laneH;
    const bottom = top + laneH - 1;
    const max = data.max[lane.id];
    // Zero sits LANE_PAD_BOTTOM above the separator, so a line at 0 (no errors) is not mistaken for it.
    const zero = bottom - LANE_PAD_BOTTOM;
    lanes[lane.id] = { top, y: (v: number) => zero - (Math.min(v, max) / max) * (zero - top - padTop) };
    // Lane separator.
    ctx.strokeStyle = palette.border;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(0, Math.round(bottom) + 0.5);
    ctx.lineTo(width, Math.round(bottom) + 0.5);
    ctx.stroke();
  });
  const pts = data.points;
  if (pts.length === 0) return;

  // Requests/s by version: stacked areas.
  stacked(
    ctx,
    pts,
    x,
    lanes.rps.y,
    data.versions.map((v) => ({ color: v.color, value: (p: HistoryPoint) => p.versions[v.key]?.n ?? 0 })),
    false,
  );

  // Error share: each version's thin line, all clients' thick line in the theme's "bad" colour.
  for (const v of data.versions) {
    line(ctx, pts, x, lanes.errors.y, (p) => {
      const vp = p.versions[v.key];
      return vp && vp.n > 0 ? vp.err / vp.n : undefined;
    }, v.color, 1.25);
  }
  // All clients: grey while nothing fails (a red line at 0% read as "there are errors"), red where some do,
  // down to the samples either side of a failing one, so the rise and the fall are drawn in red too.
  const share = pts.map((p) => (p.requests > 0 ? p.errors / p.requests : undefined));
  const failing = (i: number) => (share[i] ?? 0) > 0;
  line(ctx, pts, x, lanes.errors.y, (_p, i) => share[i], palette.muted, 1);
  line(ctx, pts, x, lanes.errors.y, (_p, i) => (failing(i - 1) || failing(i) || failing(i + 1) ? share[i] : undefined), palette.bad, 2);

  // p95 latency by version.
  for (const v of data.versions) {
    line(ctx, pts, x, lanes.p95.y, (p) => p.versions[v.key]?.p95 ?? undefined, v.color, 1.75);
  }

  // Ready pods by revision: stacked steps.
  stacked(
    ctx,
    pts,
    x,
    lanes.ready.y,
    data.revisions.map((r) => ({ color: r.color, value: (p: HistoryPoint) => p.ready[r.key] ?? 0 })),
    true,
  );
}

interface Layer {
  color: string;
  value(p: HistoryPoint): number;
}

/** stacked fills one area per layer on top of the ones before; step draws each second as a flat run. */
function stacked(ctx: CanvasRenderingContext2D, pts: HistoryPoint[], x: (t: number) => number, y: (v: number) => number, layers: Layer[], step: boolean): void {
  const base = new Float64Array(pts.length);
  for (const layer of layers) {
    const top = new Float64Array(pts.length);
    let any = false;
    for (let i = 0; i < pts.length; i++) {
      const v = layer.value(pts[i]);
      if (v > 0) any = true;
      top[i] = base[i] + v;
    }
    if (any) {
      const path = new Path2D();
      const trace = (arr: Float64Array, forward: boolean) => {
        const n = pts.length;
        for (let k = 0; k < n; k++) {
          const i = forward ? k : n - 1 - k;
          const xi = x(pts[i].t);
          const yi = y(arr[i]);
          if (forward) {
            if (k === 0) path.moveTo(xi, yi);
            else {
              if (step) path.lineTo(xi, y(arr[i - 1]));
              path.lineTo(xi, yi);
            }
          } else {
            if (step && k > 0) path.lineTo(x(pts[i + 1].t), yi);
            path.lineTo(xi, yi);
          }
        }
      };
      trace(top, true);
      trace(base, false);
      path.closePath();
      ctx.globalAlpha = 0.45;
      ctx.fillStyle = layer.color;
      ctx.fill(path);
      ctx.globalAlpha = 1;
      ctx.strokeStyle = layer.color;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      for (let i = 0; i < pts.length; i++) {
        const xi = x(pts[i].t);
        if (i === 0) ctx.moveTo(xi, y(top[i]));
        else {
          if (step) ctx.lineTo(xi, y(top[i - 1]));
          ctx.lineTo(xi, y(top[i]));
        }
      }
      ctx.stroke();
    }
    base.set(top);
  }
}

/** line draws a series, breaking it where the value is undefined (a second without requests). */
function line(ctx: CanvasRenderingContext2D, pts: HistoryPoint[], x: (t: number) => number, y: (v: number) => number, value: (p: HistoryPoint, i: number) => number | undefined, color: string, width: number): void {
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.lineJoin = 'round';
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i < pts.length; i++) {
    const v = value(pts[i], i);
    if (v === undefined) {
      pen = false;
      continue;
    }
    const xi = x(pts[i].t);
    if (pen) ctx.lineTo(xi, y(v));
    else ctx.moveTo(xi, y(v));
    pen = true;
  }
  ctx.stroke();
}
