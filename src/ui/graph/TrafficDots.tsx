/**
 * TrafficDots animates the engine's sampled requests as dots on ONE canvas over the graph: each travels
 * from the Service card that routed it to the pod chip that served it, in the pod's revision colour, red
 * when it failed. Positions are read from the drawn card and chip every frame, so the dots follow the
 * React Flow viewport (pan, zoom) without re-rendering any node. The loop runs only while dots are in
 * flight, and only a playing clock sends them; with prefers-reduced-motion nothing is drawn.
 */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { TrafficDot } from '../../worker/protocol.ts';
import { useCluster } from '../state/cluster.ts';
import { revisionColor } from './colors.ts';

/** FLIGHT_MS: a dot's trip from card to chip, in wall time. */
const FLIGHT_MS = 700;
/** MAX_DOTS bounds the dots in flight (a long jump in time sends many seconds of samples at once). */
const MAX_DOTS = 200;
const ERROR_COLOR = '#dc2626';

interface Flight {
  dot: TrafficDot;
  start: number;
}

const REDUCED = '(prefers-reduced-motion: reduce)';
function subscribeReduced(cb: () => void): () => void {
  const m = window.matchMedia(REDUCED);
  m.addEventListener('change', cb);
  return () => m.removeEventListener('change', cb);
}

/** useReducedMotion follows the user's prefers-reduced-motion setting. */
export function useReducedMotion(): boolean {
  return useSyncExternalStore(subscribeReduced, () => window.matchMedia(REDUCED).matches);
}

/**
 * schedule spreads one view's samples over the next simulated second as the clock runs: a request at
 * simulated t starts (t - first) / speed after now, so 5 samples of one second fly out one by one.
 */
export function schedule(dots: TrafficDot[], now: number, speed: number): Flight[] {
  if (dots.length === 0) return [];
  const first = Math.min(...dots.map((d) => d.t));
  return dots.map((dot) => ({ dot, start: now + Math.min(1000, (dot.t - first) / Math.max(1, speed)) }));
}

interface Place {
  x: number;
  y: number;
  /** zoom: the element's drawn width over its layout width (the viewport's zoom) */
  zoom: number;
}

function center(el: HTMLElement | null, origin: DOMRect, where: 'bottom' | 'middle'): Place | undefined {
  if (!el) return undefined;
  const r = el.getBoundingClientRect();
  return { x: r.left - origin.left + r.width / 2, y: r.top - origin.top + (where === 'bottom' ? r.height : r.height / 2), zoom: el.offsetWidth > 0 ? r.width / el.offsetWidth : 1 };
}

export function TrafficDots() {
  const reduced = useReducedMotion();
  if (reduced) return null;
  return <DotsCanvas />;
}

function DotsCanvas() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const flights = useRef<Flight[]>([]);
  const frame = useRef(0);
  const started = useRef(0);

  useEffect(() => {
    const cv = canvas.current!;
    const ctx = cv.getContext('2d');
    const root: ParentNode = cv.closest('.react-flow') ?? document;
    const draw = () => {
      frame.current = 0;
      const now = performance.now();
      const box = cv.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      if (cv.width !== Math.round(box.width * dpr) || cv.height !== Math.round(box.height * dpr)) {
        cv.width = Math.round(box.width * dpr);
        cv.height = Math.round(box.height * dpr);
      }
      if (!ctx) return;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, box.width, box.height);
      flights.current = flights.current.filter((f) => now - f.start < FLIGHT_MS);
      // One lookup per card and chip per frame, however many dots share them.
      const places = new Map<string, Place | undefined>();
      const place = (kind: 'Service' | 'Pod', key: string) => {
        const k = `${kind}/${key}`;
        if (!places.has(k)) {
          const slash = key.indexOf('/');
          const sel = `.react-flow__node [data-kind="${kind}"][data-namespace="${CSS.escape(key.slice(0, slash))}"][data-name="${CSS.escape(key.slice(slash + 1))}"]`;
          places.set(k, center(root.querySelector<HTMLElement>(sel), box, kind === 'Service' ? 'bottom' : 'middle'));
        }
        return places.get(k);
      };
      for (const f of flights.current) {
        const p = (now - f.start) / FLIGHT_MS;
        if (p < 0) continue;
        const a = place('Service', f.dot.service);
        const b = place('Pod', f.dot.pod);
        if (!a || !b) continue;
        // Ease in and out, so dots neither bunch at the card nor at the chip.
        const e = (1 - Math.cos(Math.PI * p)) / 2;
        ctx.beginPath();
        ctx.arc(a.x + (b.x - a.x) * e, a.y + (b.y - a.y) * e, Math.min(6, Math.max(2, 3.5 * b.zoom)), 0, Math.PI * 2);
        ctx.fillStyle = f.dot.error ? ERROR_COLOR : revisionColor(f.dot.revision ?? f.dot.pod);
        ctx.globalAlpha = p > 0.85 ? (1 - p) / 0.15 : 1;
        ctx.fill();
      }
      ctx.globalAlpha = 1;
      if (flights.current.length > 0) frame.current = requestAnimationFrame(draw);
    };
    let last = useCluster.getState().traffic;
    const unsub = useCluster.subscribe((s) => {
      const v = s.traffic;
      if (v === last) return;
      last = v;
      // Only a running clock sends dots: a jump in time (advance, step) is history, not flow.
      if (!v?.samples?.length || !s.clock.playing) return;
      const add = schedule(v.samples, performance.now(), s.clock.speed);
      started.current += add.length;
      cv.dataset.dots = String(started.current);
      flights.current = flights.current.concat(add).slice(-MAX_DOTS);
      if (!frame.current) frame.current = requestAnimationFrame(draw);
    });
    return () => {
      unsub();
      if (frame.current) cancelAnimationFrame(frame.current);
    };
  }, []);

  return <canvas ref={canvas} className="traffic-dots" aria-hidden="true" data-dots="0" />;
}
