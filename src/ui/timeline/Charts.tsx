/**
 * Charts draws the session's per-second history under the timeline's scrubber: requests per second by
 * version, error share, p95 latency by version, and ready pods by revision, as four thin lanes on one
 * canvas. x maps linearly from start to end over the component's full width, so a time lines up with
 * the scrubber above it. Hovering shows a crosshair and the values of that second; clicking seeks.
 * Loaded lazily (its own chunk): the first screen does not pay for it.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useHistory } from './historyStore.ts';
import { useUi } from '../state/ui.ts';
import { useCluster } from '../state/cluster.ts';
import { laneData, pointAt, shortImage, LANES, type LaneData } from './charts/series.ts';
import { drawCharts, POINT_SPAN_MS, readPalette, type Palette } from './charts/draw.ts';
import type { HistoryPoint } from '../../worker/historyTypes.ts';
import './charts/charts.css';

export interface ChartsProps {
  /** start and end of the visible time range (ms), cursor the current time (ms) */
  start: number;
  end: number;
  cursor: number;
  onSeek(t: number): void;
}

function fmtTime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const m = Math.floor(s / 60);
  return `${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

function fmtNum(v: number): string {
  return v >= 100 ? String(Math.round(v)) : v >= 10 ? v.toFixed(1).replace(/\.0$/, '') : v.toFixed(2).replace(/\.?0+$/, '');
}

/** Tooltip lists one second's values, by version and by revision, with their colours. */
function Tooltip({ point, data, left }: { point: HistoryPoint; data: LaneData; left: boolean }) {
  const errPct = point.requests > 0 ? (100 * point.errors) / point.requests : 0;
  return (
    <div className={`charts-tooltip${left ? ' charts-tooltip-left' : ''}`} data-testid="charts-tooltip" role="status">
      <div className="charts-tooltip-time">
        {fmtTime(point.t)}–{fmtTime(point.t + POINT_SPAN_MS)}
      </div>
      {data.versions.map((v) => {
        const vp = point.versions[v.key];
        if (!vp) return null;
        return (
          <div key={v.key} className="charts-tooltip-row" data-version={v.key} data-rps={vp.n} data-p95={vp.p95 ?? ''}>
            <i style={{ background: v.color }} />
            <span className="charts-tooltip-name">{shortImage(v.key)}</span>
            <span>{fmtNum(vp.n)} req/s</span>
            <span>{vp.n > 0 ? `${fmtNum((100 * vp.err) / vp.n)}% err` : ''}</span>
            <span>{vp.p95 !== null ? `p95 ${fmtNum(vp.p95)} ms` : ''}</span>
          </div>
        );
      })}
      <div className="charts-tooltip-row" data-testid="charts-tooltip-total" data-requests={point.requests} data-errors={point.errors}>
        <i className="charts-swatch-total" />
        <span className="charts-tooltip-name">all</span>
        <span>{fmtNum(point.requests)} req/s</span>
        <span>{fmtNum(errPct)}% err</span>
        <span>{point.p95 !== null ? `p95 ${fmtNum(point.p95)} ms` : ''}</span>
      </div>
      {data.revisions.map((r) => {
        const n = point.ready[r.key];
        if (n === undefined) return null;
        return (
          <div key={r.key} className="charts-tooltip-row" data-revision={r.key} data-ready={n}>
            <i style={{ background: r.color }} />
            <span className="charts-tooltip-name">{r.label}</span>
            <span>{n} ready</span>
          </div>
        );
      })}
    </div>
  );
}

/** LABEL_ROW / LABEL_ROW_PRESENTER: a lane's label line (charts.css line-height) and a 2 px gap, which the plot stays under. */
const LABEL_ROW = 14;
const LABEL_ROW_PRESENTER = 16;

export function Charts({ start, end, cursor, onSeek }: ChartsProps) {
  const points = useHistory((s) => s.points);
  const revisions = useHistory((s) => s.revisions);
  // The graph's revision colours come from the ReplicaSets' revision numbers: follow them.
  const replicaSets = useCluster((s) => s.objects.ReplicaSet);
  const theme = useUi((s) => s.theme);
  const presenter = useUi((s) => s.presenter);
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const palette = useRef<{ key: string; value: Palette } | undefined>(undefined);
  const [size, setSize] = useState({ w: 0, h: 0 });
  const [hoverX, setHoverX] = useState<number | undefined>(undefined);
  const [repaint, setRepaint] = useState(0);

  useEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    setSize({ w: el.clientWidth, h: el.clientHeight });
    return () => ro.disconnect();
  }, []);

  const data = useMemo(() => laneData(points, revisions, start, end, replicaSets), [points, revisions, start, end, replicaSets]);

  useEffect(() => {
    const c = canvasRef.current;
    if (!c || size.w === 0 || size.h === 0) return;
    const dpr = window.devicePixelRatio || 1;
    // Resizing a canvas resets it: only when the size changed (drawCharts clears it for every draw).
    const w = Math.round(size.w * dpr);
    const h = Math.round(size.h * dpr);
    if (c.width !== w) c.width = w;
    if (c.height !== h) c.height = h;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    // The palette is read once per theme and presenter mode: getComputedStyle on every draw (30 a second
    // while playing) forced a style recalculation of the whole page each time.
    const root = document.documentElement.dataset;
    const key = `${theme}|${presenter ? 'on' : 'off'}`;
    // The page's root takes a new theme in App's effect, which runs after this one: until it has, the CSS
    // variables are the old theme's, so draw once more at the next frame (a paused chart has no other redraw).
    const current = `${root.theme}|${root.presenter}` === key;
    if (current && palette.current?.key !== key) palette.current = { key, value: readPalette(c) };
    drawCharts(ctx, data, { start, end, width: size.w, height: size.h, palette: (palette.current ?? { value: readPalette(c) }).value, labelRow: presenter ? LABEL_ROW_PRESENTER : LABEL_ROW });
    if (!current) {
      const id = requestAnimationFrame(() => setRepaint((n) => n + 1));
      return () => cancelAnimationFrame(id);
    }
    // theme and presenter change the palette the canvas reads from CSS variables
  }, [data, size, start, end, theme, presenter, repaint]);

  const span = Math.max(1, end - start);
  const hoverT = hoverX !== undefined && size.w > 0 ? start + (hoverX / size.w) * span : undefined;
  // Points are drawn where their second ends (drawCharts): the one under the pointer is the one ending nearest.
  const hovered = hoverT !== undefined ? pointAt(data.points, hoverT - POINT_SPAN_MS) : undefined;
  const hoverLineX = hovered ? ((hovered.t + POINT_SPAN_MS - start) / span) * size.w : hoverX;
  const cursorX = cursor >= start && cursor <= end ? ((cursor - start) / span) * size.w : undefined;
  const laneH = size.h / LANES.length;

  return (
    <div
      ref={boxRef}
      className="charts"
      data-testid="charts"
      data-points={data.points.length}
      aria-label="Charts: requests per second by version, error rate, p95 latency, ready pods by revision. Click to seek."
      onMouseMove={(e) => setHoverX(e.clientX - e.currentTarget.getBoundingClientRect().left)}
      onMouseLeave={() => setHoverX(undefined)}
      onClick={(e) => {
        const x = e.clientX - e.currentTarget.getBoundingClientRect().left;
        if (size.w > 0) onSeek(Math.max(start, Math.min(end, start + (x / size.w) * span)));
      }}
    >
      <canvas ref={canvasRef} className="charts-canvas" />
      {LANES.map((lane, i) => (
        <div key={lane.id} className="charts-lane-label" style={{ top: i * laneH }} data-lane={lane.id}>
          <span className="charts-lane-name">{lane.name}</span>
          {data.points.length > 0 &&
            (data.drawn[lane.id] ? (
              // The lane's scale as a range ("0–4"), not a bare number a reader takes for the current value.
              <span className="charts-lane-max" title={`scale: 0 to ${lane.format(data.max[lane.id])}`}>
                0–{lane.format(data.max[lane.id])}
              </span>
            ) : (
              <span className="charts-lane-max" title="nothing to draw in this range">
                none
              </span>
            ))}
          {lane.id === 'rps' &&
            data.versions.map((v) => (
              <span key={v.key} className="charts-legend" data-testid="charts-legend-version" data-version={v.key}>
                <i style={{ background: v.color }} />
                {shortImage(v.key)}
              </span>
            ))}
          {lane.id === 'ready' &&
            data.revisions.map((r) => (
              <span key={r.key} className="charts-legend" data-testid="charts-legend-revision" data-revision={r.key}>
                <i style={{ background: r.color }} />
                {r.label}
              </span>
            ))}
        </div>
      ))}
      {cursorX !== undefined && <div className="charts-cursor" style={{ left: cursorX }} />}
      {hoverLineX !== undefined && <div className="charts-crosshair" style={{ left: hoverLineX }} />}
      {hovered && hoverLineX !== undefined && (
        <div className="charts-tooltip-anchor" style={{ left: hoverLineX }}>
          <Tooltip point={hovered} data={data} left={hoverLineX > size.w / 2} />
        </div>
      )}
      {data.points.length === 0 && <div className="charts-empty"><span>No history yet: play to record requests, errors, latency and ready pods.</span></div>}
    </div>
  );
}

export default Charts;
