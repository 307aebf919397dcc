/**
 * series turns the history points into what the chart lanes draw: the points in the visible range,
 * the versions and revisions they mention (in order of first appearance, with their colours and
 * labels) and each lane's maximum. Pure, so it is tested without a canvas.
 */
import type { HistoryPoint, RevisionInfo } from '../../../worker/historyTypes.ts';
import type { KubeObject } from '../../../engine/api/types.ts';
import { colorForRevision, revisionColor } from '../../graph/colors.ts';

export type LaneId = 'rps' | 'errors' | 'p95' | 'ready';

export interface Lane {
  id: LaneId;
  name: string;
  /** format writes the lane's top-of-scale value */
  format(v: number): string;
}

const num = (v: number) => (v >= 10 ? String(Math.round(v)) : String(Math.round(v * 10) / 10));

/** LANES are the four stacked charts, top to bottom. */
export const LANES: Lane[] = [
  { id: 'rps', name: 'req/s', format: (v) => num(v) },
  { id: 'errors', name: 'errors', format: (v) => `${num(100 * v)}%` },
  { id: 'p95', name: 'p95 latency', format: (v) => (v >= 1000 ? `${num(v / 1000)} s` : `${num(v)} ms`) },
  { id: 'ready', name: 'ready pods', format: (v) => num(v) },
];

export interface SeriesKey {
  key: string;
  color: string;
  label: string;
}

export interface LaneData {
  points: HistoryPoint[];
  versions: SeriesKey[];
  revisions: SeriesKey[];
  max: Record<LaneId, number>;
  /** drawn: the lane has something to draw in the range (requests, latency, ready pods); else its scale means nothing */
  drawn: Record<LaneId, boolean>;
}

/** shortImage drops an image's registry and path: "gcr.io/google-samples/hello-app:1.0" → "hello-app:1.0". */
export function shortImage(image: string): string {
  const slash = image.lastIndexOf('/');
  return slash >= 0 ? image.slice(slash + 1) : image;
}

/** revisionLabel names a revision as a person reads it: "web-5d4f8 (nginx:1.25)". */
export function revisionLabel(key: string, info: RevisionInfo | undefined): string {
  if (!info) return key.slice(key.indexOf('/') + 1);
  return `${info.name} (${shortImage(info.image)})`;
}

/** revisionKeyColor is the graph's colour for a revision key (by its pod-template-hash, as the graph keys it). */
export function revisionKeyColor(key: string | undefined, revisions: Record<string, RevisionInfo>, replicaSets?: ReadonlyMap<string, KubeObject>): string {
  if (!key) return revisionColor(undefined);
  const info = revisions[key];
  return revisionColor(info ? info.hash || info.name : key, replicaSets);
}

/** PALETTE_SIZE: how many distinct colours colorForRevision cycles through. */
const PALETTE_SIZE = 8;

/**
 * distinctColors gives each key its graph colour unless an earlier key already has it; then the next
 * palette colour no other key has. The graph colours by revision order within an owner, so two owners'
 * first revisions (canary-plain's stable and canary Deployments) share a colour there; in one chart they
 * must not, or the split cannot be read.
 */
export function distinctColors(keys: string[], color: (key: string) => string): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const k of keys) {
    let c = color(k);
    if (used.has(c)) {
      for (let n = 1; n <= PALETTE_SIZE; n++) {
        const alt = colorForRevision(n);
        if (!used.has(alt)) {
          c = alt;
          break;
        }
      }
    }
    used.add(c);
    out.set(k, c);
  }
  return out;
}

const HEADROOM = 1.1;

/** lowerBound is the first index whose point has t >= x. */
function lowerBound(points: HistoryPoint[], x: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].t < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** visible returns the points within [start, end], with one more on each side so lines reach the edges. */
export function visible(points: HistoryPoint[], start: number, end: number): HistoryPoint[] {
  const a = Math.max(0, lowerBound(points, start) - 1);
  const b = Math.min(points.length, lowerBound(points, end + 1) + 1);
  return a === 0 && b === points.length ? points : points.slice(a, b);
}

/** laneData computes the lanes' inputs for the range [start, end]. */
export function laneData(all: HistoryPoint[], revisions: Record<string, RevisionInfo>, start: number, end: number, replicaSets?: ReadonlyMap<string, KubeObject>): LaneData {
  const points = visible(all, start, end);
  const versionRev = new Map<string, string | undefined>();
  const revs = new Set<string>();
  const max: Record<LaneId, number> = { rps: 0, errors: 0, p95: 0, ready: 0 };
  for (const p of points) {
    let rps = 0;
    for (const v in p.versions) {
      const vp = p.versions[v];
      // The latest revision seen serving a version gives its colour.
      if (vp.rev !== undefined || !versionRev.has(v)) versionRev.set(v, vp.rev ?? versionRev.get(v));
      rps += vp.n;
      if (vp.n > 0) max.errors = Math.max(max.errors, vp.err / vp.n);
      if (vp.p95 !== null) max.p95 = Math.max(max.p95, vp.p95);
    }
    max.rps = Math.max(max.rps, rps, p.requests);
    if (p.requests > 0) max.errors = Math.max(max.errors, p.errors / p.requests);
    let ready = 0;
    for (const r in p.ready) {
      revs.add(r);
      ready += p.ready[r];
    }
    max.ready = Math.max(max.ready, ready);
  }
  const drawn: Record<LaneId, boolean> = { rps: max.rps > 0, errors: max.rps > 0, p95: max.p95 > 0, ready: max.ready > 0 };
  // Scales start from sensible floors (a quiet second does not look like a cliff) and leave a tenth
  // of headroom, so the highest line stays clear of the lane above and its label.
  max.rps = niceCeil(HEADROOM * Math.max(max.rps, 1));
  max.errors = Math.min(1, niceCeil(HEADROOM * Math.max(max.errors, 0.05)));
  max.p95 = niceCeil(HEADROOM * Math.max(max.p95, 10));
  // Pods come whole: a scale of 0–2.5 would read as half a pod (2 ready pods with headroom is 0–3).
  max.ready = Math.ceil(niceCeil(HEADROOM * Math.max(max.ready, 1)));
  // Revisions first (the graph's colours, made distinct), then each version takes its revision's colour.
  const revColor = distinctColors([...revs], (k) => revisionKeyColor(k, revisions, replicaSets));
  const verColor = distinctColors([...versionRev.keys()], (v) => {
    const rev = versionRev.get(v);
    return (rev !== undefined && revColor.get(rev)) || revisionKeyColor(rev, revisions, replicaSets);
  });
  return {
    points,
    versions: [...versionRev.keys()].map((key) => ({ key, color: verColor.get(key)!, label: shortImage(key) })),
    revisions: [...revs].map((key) => ({ key, color: revColor.get(key)!, label: revisionLabel(key, revisions[key]) })),
    max,
    drawn,
  };
}

/** NICE are the steps a scale's top may take within a power of ten (53 → 60, not 100: the lanes are short). */
const NICE = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/** niceCeil rounds a scale maximum up to a NICE step × a power of ten (2.0 → 2, 37 → 40, 0.13 → 0.15). */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of NICE) if (v <= m * p * (1 + 1e-9)) return m * p;
  return 10 * p;
}

/** pointAt returns the point nearest to time t (undefined when there are none). */
export function pointAt(points: HistoryPoint[], t: number): HistoryPoint | undefined {
  if (points.length === 0) return undefined;
  const i = lowerBound(points, t);
  if (i === 0) return points[0];
  if (i === points.length) return points[i - 1];
  return t - points[i - 1].t <= points[i].t - t ? points[i - 1] : points[i];
}
