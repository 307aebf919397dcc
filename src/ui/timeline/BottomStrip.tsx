/**
 * BottomStrip is the timeline under the stage and the side panel: the scrubber over the session's
 * history and, under it, the charts (loaded lazily, their own chunk), both mapping time to x over
 * the same columns so a time lines up in both. The strip's height can be dragged; it collapses to
 * the scrubber alone.
 */
import { lazy, Suspense, useCallback, useEffect, useRef, useState, type PointerEvent } from 'react';
import { useCluster } from '../state/cluster.ts';
import { useUi } from '../state/ui.ts';
import { Scrubber } from './Scrubber.tsx';
import { seekTo } from './seek.ts';
import './timeline.css';

const Charts = lazy(() => import('./Charts.tsx').then((m) => ({ default: m.Charts })));

const HEIGHT_KEY = 'kubeplay.timeline.height';
const COLLAPSED_KEY = 'kubeplay.timeline.collapsed';
/** MIN_CHARTS/MAX_CHARTS bound the charts' height (px) when the strip is dragged. */
const MIN_CHARTS = 64;
const MAX_CHARTS = 320;
const DEFAULT_CHARTS = 128;
/**
 * NARROW: where the charts start hidden (until shown once): the windows styles.css lays the panel under
 * the graph in, and short ones (a phone on its side), where the strip took half the height.
 */
const NARROW = '(max-width: 900px) and (orientation: portrait), (max-height: 500px)';

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* private mode: the strip keeps its size for this visit only */
  }
}

/**
 * CHARTS_AFTER_MS: the charts' chunk is loaded, run and laid out this long after the strip first renders,
 * or sooner when the page goes idle. On a first load the strip renders with the first cluster, and the
 * charts (~0.15-0.2 s of the page's thread on a busy 2-core machine: the chunk's script, their first
 * render and the layout they cause) came before the graph's first paint and the first ticks of the clock.
 */
const CHARTS_AFTER_MS = 1000;

/** useDeferred is false until the page has painted and then been idle (or `ms` has passed). */
function useDeferred(ms: number): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (typeof requestIdleCallback !== 'function') {
      const t = setTimeout(() => setReady(true), ms);
      return () => clearTimeout(t);
    }
    const idle = requestIdleCallback(() => setReady(true), { timeout: ms });
    return () => cancelIdleCallback(idle);
  }, [ms]);
  return ready;
}

const CHARTS_LOADING = <div className="timeline-charts-loading muted">Loading charts…</div>;

function ChartsRow({ height }: { height: number }) {
  const deferred = useDeferred(CHARTS_AFTER_MS);
  const start = useCluster((s) => s.clock.start ?? 0);
  const end = useCluster((s) => Math.max(s.clock.end ?? s.clock.t, s.clock.t));
  const cursor = useCluster((s) => s.clock.t);
  const onSeek = useCallback((t: number) => void seekTo(t), []);
  return (
    <div className="timeline-charts" style={{ height }}>
      <span />
      <Suspense fallback={CHARTS_LOADING}>{deferred ? <Charts start={start} end={end} cursor={cursor} onSeek={onSeek} /> : CHARTS_LOADING}
      </Suspense>
      <span />
    </div>
  );
}

export function BottomStrip() {
  // A phone starts with the charts hidden: the graph and the panel share what is left.
  const [chartsHidden, setCollapsed] = useState(() => (stored(COLLAPSED_KEY) ?? (matchMedia(NARROW).matches ? '1' : '0')) === '1');
  // Focus (graph only) hides the charts too, without changing what is remembered for later.
  const focus = useUi((s) => s.focus);
  const collapsed = chartsHidden || focus;
  const [height, setHeight] = useState(() => {
    const h = Number(stored(HEIGHT_KEY));
    return h >= MIN_CHARTS && h <= MAX_CHARTS ? h : DEFAULT_CHARTS;
  });
  const [dragFrom, setDragFrom] = useState<{ y: number; h: number } | undefined>(undefined);
  useEffect(() => store(COLLAPSED_KEY, chartsHidden ? '1' : '0'), [chartsHidden]);
  useEffect(() => store(HEIGHT_KEY, String(height)), [height]);
  // --timeline-height lets what floats at the window's bottom (the share toolbar) stay above the strip.
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const set = () => document.documentElement.style.setProperty('--timeline-height', `${el.offsetHeight}px`);
    const ro = new ResizeObserver(set);
    ro.observe(el);
    set();
    return () => {
      ro.disconnect();
      document.documentElement.style.removeProperty('--timeline-height');
    };
  }, []);

  const onDown = (e: PointerEvent<HTMLDivElement>) => {
    if (collapsed) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    setDragFrom({ y: e.clientY, h: height });
  };
  const onMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!dragFrom) return;
    setHeight(Math.min(MAX_CHARTS, Math.max(MIN_CHARTS, dragFrom.h + dragFrom.y - e.clientY)));
  };

  return (
    <section ref={ref} className={`bottom-strip${collapsed ? ' collapsed' : ''}`} aria-label="Timeline" data-testid="bottom-strip">
      {!collapsed && (
        <div
          className="strip-resizer"
          role="separator"
          aria-orientation="horizontal"
          aria-label="Resize the timeline"
          // A focusable separator is a splitter: it says where it stands (the charts' height in px).
          aria-valuenow={height}
          aria-valuemin={MIN_CHARTS}
          aria-valuemax={MAX_CHARTS}
          tabIndex={0}
          onPointerDown={onDown}
          onPointerMove={onMove}
          onPointerUp={() => setDragFrom(undefined)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowUp') setHeight((h) => Math.min(MAX_CHARTS, h + 16));
            else if (e.key === 'ArrowDown') setHeight((h) => Math.max(MIN_CHARTS, h - 16));
          }}
        />
      )}
      <div className="timeline-row">
        <button
          type="button"
          className="btn btn-ghost strip-toggle"
          aria-expanded={!collapsed}
          aria-label={collapsed ? 'Show the charts' : 'Hide the charts'}
          title={collapsed ? 'Show the charts' : 'Hide the charts'}
          onClick={() => (focus ? useUi.getState().toggleFocus() : setCollapsed((c) => !c))}
        >
          <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
            <path d={collapsed ? 'M1 7 5 3l4 4' : 'M1 3l4 4 4-4'} fill="none" stroke="currentColor" strokeWidth="1.6" />
          </svg>
        </button>
        <Scrubber />
      </div>
      {!collapsed && <ChartsRow height={height} />}
    </section>
  );
}
