/**
 * TrafficDots animates the engine's sampled requests as dots on ONE canvas over the graph: each travels
 * from the Service card that routed it to the pod chip that served it (or the counted chip the pod is
 * drawn in), in the pod's revision colour, red when it failed. Positions come from the flow nodes as drawn
 * and the viewport's transform every frame (dotPlaces.ts: no layout is read; the Traffic view still reads
 * its cards and lines from the page), so the dots follow the React Flow viewport (pan, zoom) without
 * re-rendering any node. The loop runs only while dots are in
 * flight, and only a playing clock sends them; with prefers-reduced-motion nothing is drawn. Pausing
 * freezes the dots where they are (the loop stops; they resume from there on play); a jump in time
 * while paused (step, seek) clears them.
 */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useStoreApi } from '@xyflow/react';
import type { TrafficDot } from '../../worker/protocol.ts';
import { useCluster } from '../state/cluster.ts';
import { useUi } from '../state/ui.ts';
import { revisionColor } from './colors.ts';
import type { Item } from './model.ts';
import { chipCenter, chipIndex, farBarCenter, serviceBottom } from './dotPlaces.ts';
import { boxOf } from './overviewHit.ts';
import { drawsFar } from './layout.ts';
import type { Pod } from '../../engine/api/types.ts';

/** FLIGHT_MS: a dot's trip from card to chip, in wall time. */
const FLIGHT_MS = 700;
/** MAX_DOTS bounds the dots in flight (a long jump in time sends many seconds of samples at once). */
const MAX_DOTS = 200;
/** MISS_MS: a card or chip that was not found is looked for again only after this long. */
const MISS_MS = 250;
const ERROR_COLOR = '#dc2626';

interface Flight {
  dot: TrafficDot;
  start: number;
}

const REDUCED = '(prefers-reduced-motion: reduce)';
/** reducedQuery: one MediaQueryList for the page (a matchMedia call on every render cost ~7 ms in a 1,000-pod rollout). */
let reducedQuery: MediaQueryList | undefined;
function reduced(): MediaQueryList {
  return (reducedQuery ??= window.matchMedia(REDUCED));
}
function subscribeReduced(cb: () => void): () => void {
  const m = reduced();
  m.addEventListener('change', cb);
  return () => m.removeEventListener('change', cb);
}

/** useReducedMotion follows the user's prefers-reduced-motion setting. */
export function useReducedMotion(): boolean {
  return useSyncExternalStore(subscribeReduced, () => reduced().matches);
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

/**
 * TrafficDots: in the Cluster view a dot flies from the Service card's bottom to the pod chip; in the
 * Traffic view along the Service → pods edge, from the card's right side to the pod's line in its group
 * (or to the group, when the pod is one of the counted "+n more").
 */
export function TrafficDots({ mode = 'cluster' }: { mode?: 'cluster' | 'traffic' }) {
  const reduced = useReducedMotion();
  if (reduced) return null;
  return <DotsCanvas key={mode} mode={mode} />;
}

function side(el: HTMLElement | null, origin: DOMRect, where: 'left' | 'right'): Place | undefined {
  if (!el) return undefined;
  const r = el.getBoundingClientRect();
  return { x: r.left - origin.left + (where === 'right' ? r.width : 0), y: r.top - origin.top + r.height / 2, zoom: el.offsetWidth > 0 ? r.width / el.offsetWidth : 1 };
}

const sel = (kind: string, key: string) => {
  const slash = key.indexOf('/');
  return `[data-kind="${kind}"][data-namespace="${CSS.escape(key.slice(0, slash))}"][data-name="${CSS.escape(key.slice(slash + 1))}"]`;
};

function DotsCanvas({ mode }: { mode: 'cluster' | 'traffic' }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const flights = useRef<Flight[]>([]);
  const frame = useRef(0);
  const started = useRef(0);
  const flow = useStoreApi();

  useEffect(() => {
    const cv = canvas.current!;
    const ctx = cv.getContext('2d');
    const root: ParentNode = cv.closest('.react-flow') ?? document;
    // The canvas's size, kept by a ResizeObserver: reading it in every frame would force a layout.
    let size = { width: cv.clientWidth, height: cv.clientHeight };
    const ro = new ResizeObserver(([e]) => {
      size = { width: e.contentRect.width, height: e.contentRect.height };
      if (flights.current.length > 0 && !frame.current) frame.current = requestAnimationFrame(draw);
    });
    ro.observe(cv);
    /**
     * modelPlace: in the Cluster view, a Service card's bottom or a pod's chip from the flow nodes as drawn
     * (see dotPlaces.ts) and the viewport's transform; no layout is read.
     */
    const modelPlace = (kind: 'Service' | 'Pod', key: string): Place | undefined => {
      const { nodeLookup, transform } = flow.getState();
      const [tx, ty, zoom] = transform;
      const screen = (p: { x: number; y: number }): Place => ({ x: tx + p.x * zoom, y: ty + p.y * zoom, zoom });
      if (kind === 'Service') {
        const card = nodeLookup.get(`svc/${key}`);
        return card && screen(serviceBottom(boxOf(card)));
      }
      const pod = useCluster.getState().objects.Pod?.get(key) as Pod | undefined;
      if (!pod) return undefined;
      const nodeName = pod.spec?.nodeName;
      const holder = nodeLookup.get(nodeName ? `node/${nodeName}` : 'lane/unscheduled');
      const items = holder?.data.items as Item[] | undefined;
      if (!holder || !items) return undefined;
      const i = chipIndex(items, pod);
      if (i < 0) return undefined;
      const border = useUi.getState().presenter ? 2 : 1;
      // Zoomed far out a dense box draws a bar per revision (FarPods), in the same order as its chips; a
      // big cluster's overview (hidden boxes, NodeOverview) draws the same bars.
      if (nodeName && (holder.hidden || drawsFar(zoom, holder.data))) return screen(farBarCenter(boxOf(holder), items, i, border));
      return screen(chipCenter(boxOf(holder), i, !nodeName, border));
    };
    // Cards and chips found by attribute search are kept across frames while they stay in the page: the
    // search walks every element of the graph (13,000 with 1,000 pods), once per card or chip per frame.
    const found = new Map<string, HTMLElement>();
    // What was not found is not searched for again for MISS_MS (a dot's pod may be gone, or not drawn yet).
    const missed = new Map<string, number>();
    const lookup = (k: string, find: () => HTMLElement | null): HTMLElement | null => {
      const had = found.get(k);
      if (had?.isConnected) return had;
      const now = performance.now();
      if (now - (missed.get(k) ?? -Infinity) < MISS_MS) return null;
      const el = find();
      if (el) {
        found.set(k, el);
        missed.delete(k);
      } else {
        found.delete(k);
        missed.set(k, now);
      }
      return el;
    };
    const draw = () => {
      frame.current = 0;
      const now = performance.now();
      // The Traffic view still finds its ends in the page (their places depend on text widths).
      const box = mode === 'traffic' ? cv.getBoundingClientRect() : undefined;
      const { width, height } = box ?? size;
      const dpr = window.devicePixelRatio || 1;
      if (cv.width !== Math.round(width * dpr) || cv.height !== Math.round(height * dpr)) {
        cv.width = Math.round(width * dpr);
        cv.height = Math.round(height * dpr);
      }
      if (!ctx) return;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, width, height);
      // In the Traffic view a dot makes two legs, Ingress → Service, then Service → pod.
      const flight = mode === 'traffic' ? 2 * FLIGHT_MS : FLIGHT_MS;
      flights.current = flights.current.filter((f) => now - f.start < flight);
      // One lookup per card and chip per frame, however many dots share them.
      const places = new Map<string, Place | undefined>();
      const place = (kind: 'Service' | 'Pod', key: string) => {
        const k = `${kind}/${key}`;
        if (!places.has(k)) places.set(k, modelPlace(kind, key));
        return places.get(k);
      };
      const tplace = (dot: TrafficDot, end: 'ingress' | 'service-in' | 'service' | 'pod') => {
        const k = end === 'pod' ? `P/${dot.service}/${dot.pod}/${dot.revision ?? ''}` : `${end}/${dot.service}`;
        if (!places.has(k)) {
          let el: HTMLElement | null;
          if (end === 'service' || end === 'service-in') el = lookup(`S/${dot.service}`, () => root.querySelector<HTMLElement>(`.react-flow__node ${sel('Service', dot.service)}`));
          else if (end === 'ingress') {
            // The Ingress whose rules name the Service, when exactly one does (else the dot starts at the Service).
            const slash = dot.service.indexOf('/');
            const found = root.querySelectorAll<HTMLElement>(
              `.react-flow__node [data-kind="Ingress"][data-namespace="${CSS.escape(dot.service.slice(0, slash))}"]:has(.trule[data-service="${CSS.escape(dot.service.slice(slash + 1))}"])`,
            );
            el = found.length === 1 ? found[0] : null;
          }
          else {
            const svc = CSS.escape(dot.service);
            el =
              root.querySelector<HTMLElement>(`.react-flow__node ${sel('Pod', dot.pod)}[data-service="${svc}"]`) ??
              (dot.revision !== undefined ? root.querySelector<HTMLElement>(`.react-flow__node .tpods[data-service="${svc}"][data-revision="${CSS.escape(dot.revision)}"]`) : null);
          }
          places.set(k, side(el, box!, end === 'service' || end === 'ingress' ? 'right' : 'left'));
        }
        return places.get(k);
      };
      for (const f of flights.current) {
        let p = (now - f.start) / FLIGHT_MS;
        if (p < 0) continue;
        let a: Place | undefined;
        let b: Place | undefined;
        if (mode !== 'traffic') {
          a = place('Service', f.dot.service);
          b = place('Pod', f.dot.pod);
        } else if (p < 1) {
          a = tplace(f.dot, 'ingress');
          b = tplace(f.dot, 'service-in');
        } else {
          p -= 1;
          a = tplace(f.dot, 'service');
          b = tplace(f.dot, 'pod');
        }
        if (!a || !b) continue;
        // Ease in and out, so dots neither bunch at the card nor at the chip.
        const e = (1 - Math.cos(Math.PI * p)) / 2;
        let x = a.x + (b.x - a.x) * e;
        let y = a.y + (b.y - a.y) * e;
        if (mode === 'traffic') {
          // The edge's own curve (React Flow's bezier, right → left: control points half the distance out).
          const mx = (b.x - a.x) / 2;
          const u = 1 - e;
          x = u * u * u * a.x + 3 * u * u * e * (a.x + mx) + 3 * u * e * e * (b.x - mx) + e * e * e * b.x;
          y = u * u * u * a.y + 3 * u * u * e * a.y + 3 * u * e * e * b.y + e * e * e * b.y;
        }
        ctx.beginPath();
        ctx.arc(x, y, Math.min(6, Math.max(2, 3.5 * b.zoom)), 0, Math.PI * 2);
        ctx.fillStyle = f.dot.error ? ERROR_COLOR : revisionColor(f.dot.revision ?? f.dot.pod);
        // Fade out at the pod (the Traffic view's first leg hands over to the second at full opacity).
        const lastLeg = mode !== 'traffic' || now - f.start >= FLIGHT_MS;
        ctx.globalAlpha = lastLeg && p > 0.85 ? (1 - p) / 0.15 : 1;
        ctx.fill();
      }
      ctx.globalAlpha = 1;
      if (flights.current.length > 0) frame.current = requestAnimationFrame(draw);
    };
    let last = useCluster.getState().traffic;
    let pausedAt: number | undefined = useCluster.getState().clock.playing ? undefined : performance.now();
    const unsubClock = useCluster.subscribe((s, prev) => {
      if (s.clock.playing === prev.clock.playing) {
        // Paused and the time jumped (a step, a seek): the frozen dots belong to another moment.
        if (!s.clock.playing && s.clock.t !== prev.clock.t && flights.current.length > 0) {
          flights.current = [];
          const c = canvas.current;
          c?.getContext('2d')?.clearRect(0, 0, c.width, c.height);
        }
        return;
      }
      if (!s.clock.playing) {
        pausedAt = performance.now();
        if (frame.current) cancelAnimationFrame(frame.current);
        frame.current = 0;
      } else {
        const shift = pausedAt === undefined ? 0 : performance.now() - pausedAt;
        pausedAt = undefined;
        for (const f of flights.current) f.start += shift;
        if (flights.current.length > 0 && !frame.current) frame.current = requestAnimationFrame(draw);
      }
    });
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
      ro.disconnect();
      unsub();
      unsubClock();
      if (frame.current) cancelAnimationFrame(frame.current);
    };
  }, [mode]);

  return <canvas ref={canvas} className="traffic-dots" aria-hidden="true" data-dots="0" />;
}
