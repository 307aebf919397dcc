/**
 * traffic turns the network module's TrafficSummary (per-edge counts over per-second buckets) into the
 * compact view the page draws: per Service and per Pod requests/s over the last few simulated seconds,
 * the share that failed (5xx, refused, timeouts), and which versions (images) served each Service.
 * Pure: the session feeds it the summary and a lookup of each pod's image and revision.
 */
import type { TrafficSummary } from '../engine/network/index.ts';
import type { PackedPodTraffic, PodTraffic, ServiceTraffic, TrafficDot, TrafficView, VersionShare } from './protocol.ts';

/** TRAFFIC_WINDOW_MS: rates average the last 5 simulated seconds (5 one-second buckets: 50 rps → 250 requests). */
export const TRAFFIC_WINDOW_MS = 5000;
/** BUCKET_MS is the network module's summary resolution (SUMMARY_BUCKET_MS): one bucket per simulated second. */
const BUCKET_MS = 1000;

/** PodInfo is what the page needs to colour a version: the image a pod serves and its revision key. */
export interface PodInfo {
  image: string;
  revision: string | undefined;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * windowSeconds is how many seconds the buckets in the summary cover: from the earliest bucket's second
 * (bucket t holds arrivals in (t-1 s, t]) to now, at most the window. Traffic that began 2 s ago is
 * averaged over 2 s, not 5, so a new stream shows its real rate at once.
 */
export function windowSeconds(summary: TrafficSummary, now: number, windowMs: number): number {
  if (summary.total === 0 && summary.edges.length === 0) return windowMs / 1000;
  const last = Math.floor(now / BUCKET_MS) * BUCKET_MS;
  const first = Math.max(summary.from, last - windowMs + BUCKET_MS);
  return Math.max(1, Math.min(windowMs, last - first + BUCKET_MS) / 1000);
}

/**
 * trafficView computes the page's view from a summary of the buckets after now - windowMs.
 * A Service's rps and error share are the requests sent to it (client → service or ingress → service
 * edges: what clients saw); its version shares are its service → pod edges grouped by the pod's image
 * (every attempt a pod answered or refused, as `kubeplay traffic stats` counts served versions).
 * A pod's rps is the sum of its service → pod edges.
 */
export function trafficView(summary: TrafficSummary, now: number, windowMs: number, podInfo: (key: string) => PodInfo | undefined, samplesAfter = Infinity): TrafficView {
  const secs = windowSeconds(summary, now, windowMs);
  const inbound = new Map<string, [number, number]>();
  const viaIngress = new Map<string, Map<string, [number, number]>>();
  const viaPod = new Map<string, Map<string, [number, number]>>();
  const toPods = new Map<string, Map<string, [number, number]>>();
  const pods = new Map<string, [number, number]>();
  for (const e of summary.edges) {
    if (e.to.startsWith('service:')) {
      const k = e.to.slice('service:'.length);
      const a = inbound.get(k) ?? [0, 0];
      a[0] += e.count;
      a[1] += e.errors;
      inbound.set(k, a);
      const via = e.from.startsWith('ingress:') ? viaIngress : e.from.startsWith('pod:') ? viaPod : undefined;
      if (via) {
        const from = e.from.slice(e.from.indexOf(':') + 1);
        let m = via.get(from);
        if (!m) via.set(from, (m = new Map()));
        const b = m.get(k) ?? [0, 0];
        b[0] += e.count;
        b[1] += e.errors;
        m.set(k, b);
      }
    } else if (e.to.startsWith('pod:') && e.from.startsWith('service:')) {
      const svc = e.from.slice('service:'.length);
      const pod = e.to.slice('pod:'.length);
      let m = toPods.get(svc);
      if (!m) toPods.set(svc, (m = new Map()));
      const a = m.get(pod) ?? [0, 0];
      a[0] += e.count;
      a[1] += e.errors;
      m.set(pod, a);
      const p = pods.get(pod) ?? [0, 0];
      p[0] += e.count;
      p[1] += e.errors;
      pods.set(pod, p);
    }
  }
  // Images seen in samples name a pod's version even after the pod left the store.
  const sampled = new Map<string, string>();
  for (const s of summary.samples) if (s.pod && s.version) sampled.set(s.pod, s.version);
  const info = (pod: string): PodInfo => {
    const i = podInfo(pod);
    return { image: i?.image || sampled.get(pod) || '(unknown)', revision: i?.revision };
  };

  const services: Record<string, ServiceTraffic> = {};
  for (const svc of new Set([...inbound.keys(), ...toPods.keys()])) {
    const perPod = toPods.get(svc) ?? new Map<string, [number, number]>();
    let podTotal = 0;
    let podErr = 0;
    const byVersion = new Map<string, { n: number; err: number; revs: Map<string, number> }>();
    for (const [pod, [n, err]] of perPod) {
      podTotal += n;
      podErr += err;
      const { image, revision } = info(pod);
      let v = byVersion.get(image);
      if (!v) byVersion.set(image, (v = { n: 0, err: 0, revs: new Map() }));
      v.n += n;
      v.err += err;
      if (revision !== undefined) v.revs.set(revision, (v.revs.get(revision) ?? 0) + n);
    }
    // Without an inbound edge (a request straight to a pod's Service edge only) the pods' counts stand in.
    const [n, err] = inbound.get(svc) ?? [podTotal, podErr];
    if (n === 0 && podTotal === 0) continue;
    const versions: VersionShare[] = [...byVersion]
      .filter(([, v]) => v.n > 0)
      .sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1))
      .map(([version, v]) => {
        // The colour is the revision that served most of this version's requests.
        let revision: string | undefined;
        let best = -1;
        for (const [r, c] of v.revs) if (c > best) [revision, best] = [r, c];
        const out: VersionShare = { version, share: round3(v.n / podTotal), errors: round3(v.err / v.n) };
        if (revision !== undefined) out.revision = revision;
        return out;
      });
    services[svc] = { rps: round1(n / secs), errors: n > 0 ? round3(err / n) : 0, versions };
  }
  const podOut: Record<string, PodTraffic> = {};
  for (const [pod, [n, err]] of pods) {
    if (n === 0) continue;
    podOut[pod] = { rps: round1(n / secs), errors: round3(err / n) };
  }
  const rates = (via: Map<string, Map<string, [number, number]>>) => {
    const all: Record<string, Record<string, { rps: number; errors: number }>> = {};
    for (const [from, m] of via) {
      const out: Record<string, { rps: number; errors: number }> = {};
      for (const [svc, [n, err]] of m) if (n > 0) out[svc] = { rps: round1(n / secs), errors: round3(err / n) };
      if (Object.keys(out).length) all[from] = out;
    }
    return all;
  };
  const ingresses = rates(viaIngress);
  const fromPods = rates(viaPod);
  const view: TrafficView = { t: now, windowMs, services, pods: podOut, ...(Object.keys(ingresses).length ? { ingresses } : {}), ...(Object.keys(fromPods).length ? { fromPods } : {}) };
  // Samples newer than the last view's (samplesAfter): requests a Service routed to a pod, for the dots.
  const dots: TrafficDot[] = [];
  for (const s of summary.samples) {
    if (s.t <= samplesAfter || !s.service || !s.pod) continue;
    const d: TrafficDot = { t: s.t, service: s.service, pod: s.pod, error: s.status === 0 || s.status >= 500 };
    const rev = podInfo(s.pod)?.revision;
    if (rev !== undefined) d.revision = rev;
    dots.push(d);
  }
  if (dots.length > 0) view.samples = dots;
  return view;
}

/**
 * percentages rounds shares to whole percents that add up to 100 (largest remainder), so a card never
 * reads "v1 67% · v2 34%".
 */
export function percentages(shares: number[]): number[] {
  const total = shares.reduce((a, b) => a + b, 0);
  if (total <= 0) return shares.map(() => 0);
  const raw = shares.map((s) => (100 * s) / total);
  const out = raw.map(Math.floor);
  let left = 100 - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i]++;
    left--;
  }
  return out;
}

/** sameView tells whether two views show the same numbers (the time aside), to skip sending a repeat. */
export function sameView(a: TrafficView | undefined, b: TrafficView | undefined): boolean {
  if (!a || !b) return a === b;
  return JSON.stringify(a.services) === JSON.stringify(b.services) && JSON.stringify(a.pods) === JSON.stringify(b.pods);
}

/** packPods is the view as the worker posts it: the per-pod rates packed (PackedPodTraffic), `pods` empty. */
export function packPods(view: TrafficView): TrafficView {
  const keys = Object.keys(view.pods);
  if (keys.length === 0) return view;
  const rps = new Float64Array(keys.length);
  const errors = new Float64Array(keys.length);
  keys.forEach((k, i) => {
    rps[i] = view.pods[k].rps;
    errors[i] = view.pods[k].errors;
  });
  return { ...view, pods: {}, packedPods: { keys: keys.join('\n'), rps, errors } };
}

/** unpackPods is the view as the worker made it (the inverse of packPods; a view without packed rates is returned as is). */
export function unpackPods(view: TrafficView): TrafficView {
  const packed: PackedPodTraffic | undefined = view.packedPods;
  if (!packed) return view;
  const pods: Record<string, PodTraffic> = {};
  const keys = packed.keys.split('\n');
  for (let i = 0; i < keys.length; i++) pods[keys[i]] = { rps: packed.rps[i], errors: packed.errors[i] };
  const { packedPods: _, ...rest } = view;
  return { ...rest, pods };
}
