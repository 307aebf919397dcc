/**
 * Scrubber is the session's history as a track from its start to its end (the furthest time reached
 * on this branch): the handle is the current simulated time, ticks mark user actions, timeline steps
 * and important events. Clicking or dragging on the track seeks there (the worker restores the nearest
 * snapshot and replays); clicking a tick seeks to it; hovering one shows its time and text. It is a
 * slider for the keyboard: ←/→ one simulated second, Shift ten, Home/End the ends.
 */
import {
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
} from "react";
import type { TimeMarker } from "../../worker/protocol.ts";
import { useCluster } from "../state/cluster.ts";
import { useMarkers } from "./markerStore.ts";
import { seekTo } from "./seek.ts";

/** formatMss renders simulated ms as m:ss (hours roll into minutes: 75:00). */
export function formatMss(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** TICK_PX: markers closer than this on screen share one tick (its tooltip lists them all). */
const TICK_PX = 7;
/** TOOLTIP_LINES: the most markers one tooltip lists. */
const TOOLTIP_LINES = 6;

interface Tick {
  x: number;
  t: number;
  markers: TimeMarker[];
}

/** groupTicks buckets markers by screen position, so a burst at one instant is one tick. */
export function groupTicks(
  markers: TimeMarker[],
  start: number,
  end: number,
  width: number,
): Tick[] {
  const span = Math.max(1, end - start);
  const ticks: Tick[] = [];
  for (const m of markers) {
    if (m.t < start || m.t > end) continue;
    const x = ((m.t - start) / span) * width;
    const last = ticks.at(-1);
    if (last && x - last.x < TICK_PX) last.markers.push(m);
    else ticks.push({ x, t: m.t, markers: [m] });
  }
  return ticks;
}

/** primary is the marker a tick stands for: a user action first, then a warning, an event, a step. */
function primary(ms: TimeMarker[]): TimeMarker {
  return (
    ms.find((m) => m.kind === "run" || m.kind === "apply") ??
    ms.find((m) => m.warning) ??
    ms.find((m) => m.kind === "event") ??
    ms[0]
  );
}

/** tickClass colours a tick by its primary marker. */
function tickClass(m: TimeMarker): string {
  if (m.kind === "run" || m.kind === "apply") return "action";
  return m.warning ? "warning" : m.kind;
}

const KIND_LABEL: Record<TimeMarker["kind"], string> = {
  run: "you ran",
  apply: "you applied",
  step: "scenario",
  event: "event",
};

export function Scrubber() {
  const t = useCluster((s) => s.clock.t);
  const start = useCluster((s) => s.clock.start ?? 0);
  const end = useCluster((s) => Math.max(s.clock.end ?? s.clock.t, s.clock.t));
  const markers = useMarkers((s) => s.markers);
  const trackRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [drag, setDrag] = useState<number | undefined>(undefined);
  const [hover, setHover] = useState<Tick | undefined>(undefined);

  useEffect(() => {
    const el = trackRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  const span = Math.max(1, end - start);
  const shown = drag ?? t;
  const frac = Math.min(1, Math.max(0, (shown - start) / span));
  const ticks = useMemo(
    () => groupTicks(markers, start, end, width),
    [markers, start, end, width],
  );

  const timeAt = (clientX: number): number => {
    const r = trackRef.current!.getBoundingClientRect();
    const f =
      r.width > 0 ? Math.min(1, Math.max(0, (clientX - r.left) / r.width)) : 0;
    return Math.round(start + f * span);
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus();
    const at = timeAt(e.clientX);
    setDrag(at);
    seekTo(at);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (drag === undefined) return;
    const at = timeAt(e.clientX);
    setDrag(at);
    seekTo(at);
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (drag === undefined) return;
    e.currentTarget.releasePointerCapture(e.pointerId);
    const at = timeAt(e.clientX);
    seekTo(at).then(() => setDrag(undefined));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 10_000 : 1000;
    let to: number | undefined;
    if (e.key === "ArrowLeft" || e.key === "ArrowDown") to = t - step;
    else if (e.key === "ArrowRight" || e.key === "ArrowUp") to = t + step;
    else if (e.key === "PageDown") to = t - 10_000;
    else if (e.key === "PageUp") to = t + 10_000;
    else if (e.key === "Home") to = start;
    else if (e.key === "End") to = end;
    if (to === undefined) return;
    e.preventDefault();
    e.stopPropagation();
    // ← and → move within the history; past its end they run the clock on (a second at a time).
    void seekTo(Math.max(start, e.key === "End" ? end : to));
  };

  return (
    <div className="scrubber" data-testid="scrubber-row">
      <span className="scrubber-time" data-testid="scrubber-time">
        {formatMss(shown)}
      </span>
      <div
        ref={trackRef}
        className={`scrubber-track${drag !== undefined ? " dragging" : ""}`}
        data-testid="scrubber"
        role="slider"
        tabIndex={0}
        aria-label="Timeline: simulated time. Arrows move one second, Shift+arrows ten."
        aria-valuemin={Math.floor(start / 1000)}
        aria-valuemax={Math.floor(end / 1000)}
        aria-valuenow={Math.floor(shown / 1000)}
        aria-valuetext={`${formatMss(shown)} of ${formatMss(end)}`}
        data-start={start}
        data-end={end}
        data-t={shown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => setDrag(undefined)}
        onKeyDown={onKeyDown}
      >
        <div className="scrubber-rail" />
        <div className="scrubber-past" style={{ width: `${frac * 100}%` }} />
        {ticks.map((k) => {
          const p = primary(k.markers);
          return (
            <div
              key={`${k.t}-${p.kind}-${p.text}`}
              className={`scrubber-tick ${tickClass(p)}`}
              // A transform on its own layer (timeline.css): the ticks slide left as the end grows, 30 times a
              // second while playing, and moving them by `left` repainted and re-layered the whole page.
              style={{ transform: `translateX(${((p.t - start) / span) * width}px)` }}
              data-testid="scrubber-marker"
              data-t={p.t}
              data-kind={p.kind}
              data-text={k.markers.map((m) => m.text).join("\n")}
              aria-hidden="true"
              onPointerDown={(e) => {
                // A tick is a shortcut: seek exactly to it (not to the pixel under the mouse).
                if (e.button !== 0) return;
                e.stopPropagation();
                setHover(undefined);
                void seekTo(p.t);
              }}
              onPointerEnter={() => setHover(k)}
              onPointerLeave={() => setHover((h) => (h === k ? undefined : h))}
            />
          );
        })}
        <div
          className="scrubber-handle"
          style={{ left: `${frac * 100}%` }}
          data-testid="scrubber-handle"
        />
        {hover && (
          <div
            className={`scrubber-tooltip${hover.x > width * 0.6 ? " right" : ""}`}
            style={{ left: hover.x }}
            role="tooltip"
            data-testid="scrubber-tooltip"
          >
            {hover.markers.slice(0, TOOLTIP_LINES).map((m, i) => (
              <div
                key={i}
                className={`scrubber-tooltip-row ${m.warning ? "warning" : m.kind}`}
              >
                <span className="scrubber-tooltip-time">{formatMss(m.t)}</span>
                <span className="scrubber-tooltip-kind">
                  {KIND_LABEL[m.kind]}
                </span>
                <span className="scrubber-tooltip-text">{m.text}</span>
                {m.note && <span className="scrubber-tooltip-note">{m.note}</span>}
              </div>
            ))}
            {hover.markers.length > TOOLTIP_LINES && (
              <div className="scrubber-tooltip-more">
                … and {hover.markers.length - TOOLTIP_LINES} more
              </div>
            )}
          </div>
        )}
      </div>
      <span
        className="scrubber-time end"
        data-testid="scrubber-end"
        title="The furthest time reached: rewinding keeps what came after until you change something"
      >
        {formatMss(end)}
      </span>
    </div>
  );
}
