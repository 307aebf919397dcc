/**
 * The simulated metrics-server (metrics.k8s.io): per-container CPU and memory usage computed from the
 * image's behaviour and the pod's share of traffic, as the kubelet's cAdvisor would measure it and
 * metrics-server would serve it. Registered as the `metrics` engine service; kubectl top and the
 * HorizontalPodAutoscaler read it.
 *
 * Usage model (DESIGN.md, image behaviour fields), for a running container:
 *   cpu    = cpu    + cpuPerRps    × pod rps   (capped at the container's CPU limit: throttling)
 *   memory = memory + memoryPerRps × pod rps
 * An image without `cpu`/`memory` idles at 1m CPU and 8Mi memory. A pod's rps is the rate of requests
 * its application answered (http_requests_total in the network module) over the last scrape window.
 *
 * Like metrics-server, readings are taken at scrape instants (every 15 s, metric-resolution) over a
 * 15 s window: the reading at time t is the one of the last scrape strictly before t, and a container
 * has a reading only once it has run for a whole window before that scrape.
 */
import { parseIsoTime } from '../clock.ts';
import { parseQuantity } from '../api/quantity.ts';
import type { Container, Pod } from '../api/types.ts';
import { imageRepository, stressLoad } from '../kubelet/images.ts';
import type { ImageBehavior, Sim } from '../sim.ts';
import type { Value } from '../network/promql/eval.ts';

/** METRIC_RESOLUTION_MS is metrics-server's --metric-resolution default (15 s), also the window. */
export const METRIC_RESOLUTION_MS = 15_000;
const IDLE_CPU_MILLI = 1;
const IDLE_MEMORY_BYTES = 8 * 2 ** 20;

export interface Usage {
  cpuMilli: number;
  memoryBytes: number;
}

/** ContainerMetrics is one container of a PodMetrics item (metrics.k8s.io/v1beta1). */
export interface ContainerMetrics {
  name: string;
  usage: Usage;
}

/** PodMetrics is metrics.k8s.io's PodMetrics: usage per container at timestamp over window. */
export interface PodMetrics {
  name: string;
  namespace: string;
  timestampMs: number;
  windowMs: number;
  containers: ContainerMetrics[];
}

interface QueryApi {
  query(expr: string, timeMs?: number): Value;
}

/** scrapeTime is the last scrape instant strictly before now (a reading is never taken at the instant it is read). */
export function scrapeTime(nowMs: number): number {
  return Math.max(0, Math.floor((nowMs - 1) / METRIC_RESOLUTION_MS) * METRIC_RESOLUTION_MS);
}

/** preciseMilli reads a CPU quantity without rounding sub-milli values up ("0.5m" per request stays 0.5). */
function preciseMilli(q: string | undefined): number | undefined {
  if (q === undefined) return undefined;
  const m = /^\s*(\d+\.?\d*|\.\d+)(m|u|n)?\s*$/.exec(String(q));
  if (!m) return parseQuantity(q);
  const scale = m[2] === 'm' ? 1 : m[2] === 'u' ? 1e-3 : m[2] === 'n' ? 1e-6 : 1000;
  return parseFloat(m[1]) * scale;
}

/**
 * KNOWN_USAGE: what well-known images cost when a scenario does not say. The HorizontalPodAutoscaler
 * walkthrough's php-apache server computes a loop of square roots for each request, so requests (kubeplay
 * traffic set … --host php-apache) drive its CPU up and the HPA scales it, as the docs show.
 */
const KNOWN_USAGE: Record<string, ImageBehavior> = {
  'registry.k8s.io/hpa-example': { cpuPerRps: '10m' },
  'k8s.gcr.io/hpa-example': { cpuPerRps: '10m' },
};

/** containerUsageFor is the usage model: image behaviour at rest plus per-request cost, CPU throttled at the limit. */
export function containerUsageFor(sim: Sim, c: Container, rps: number): Usage {
  const b = sim.images[c.image] ?? sim.images[c.image.split(':')[0]] ?? KNOWN_USAGE[imageRepository(c.image)] ?? {};
  const stress = stressLoad(c);
  const cpuBase = parseQuantity(b.cpu) ?? stress?.cpuMilli ?? IDLE_CPU_MILLI;
  const cpuPer = preciseMilli(b.cpuPerRps) ?? 0;
  const memBase = b.memory !== undefined ? (parseQuantity(b.memory) ?? 0) / 1000 : (stress?.memoryBytes ?? IDLE_MEMORY_BYTES);
  const memPer = (parseQuantity(b.memoryPerRps) ?? 0) / 1000;
  // resource.Quantity.MilliValue rounds up; the epsilon keeps 0.1 × 3 from becoming 301m.
  let cpuMilli = Math.ceil(cpuBase + cpuPer * rps - 1e-6);
  const limit = parseQuantity(c.resources?.limits?.cpu as string | undefined);
  if (limit !== undefined && cpuMilli > limit) cpuMilli = limit;
  return { cpuMilli: Math.max(0, cpuMilli), memoryBytes: Math.max(0, Math.round(memBase + memPer * rps)) };
}

/**
 * MetricsServer is the `metrics` service. Its only cache (per-pod request rates at one instant) is
 * derived from the network module's metrics and rebuilt when the clock moves, so snapshots need nothing.
 */
export class MetricsServer {
  private rpsAt = '';
  private rpsCache = new Map<string, number>();

  constructor(private readonly sim: Sim) {}

  /** podRps is the pod's answered requests per second over the window ending at the last scrape. */
  podRps(namespace: string, name: string): number {
    // Keyed by the clock and the store's resourceVersion, so a restored snapshot never reads a stale cache.
    const now = this.sim.now();
    const at = `${now}:${this.sim.store.resourceVersion}`;
    if (this.rpsAt !== at) {
      this.rpsAt = at;
      this.rpsCache = this.loadRates(scrapeTime(now));
    }
    return this.rpsCache.get(`${namespace}/${name}`) ?? 0;
  }

  private loadRates(t: number): Map<string, number> {
    const out = new Map<string, number>();
    const net = this.sim.services.get('network') as QueryApi | undefined;
    if (!net) return out;
    // irate over the last two scrapes = requests in the last 15 s window / 15 s.
    const v = net.query('sum by (namespace, pod) (irate(http_requests_total[1m]))', t);
    if (v.type === 'vector') for (const s of v.samples) if (Number.isFinite(s.v)) out.set(`${s.labels.namespace}/${s.labels.pod}`, s.v);
    return out;
  }

  /** containerUsage is kubectl top's reading for a running container (undefined when it is not running). */
  containerUsage(pod: Pod, container: string): Usage | undefined {
    const c = pod.spec?.containers?.find((x) => x.name === container);
    const st = pod.status?.containerStatuses?.find((s) => s.name === container);
    if (!c || !st?.state?.running) return undefined;
    return containerUsageFor(this.sim, c, this.podRps(pod.metadata.namespace ?? 'default', pod.metadata.name));
  }

  /**
   * podMetrics is `GET /apis/metrics.k8s.io/v1beta1/namespaces/NS/pods` for the given pods: a pod is
   * listed when it is Running and every container has run for a whole window before the scrape.
   */
  podMetrics(pods: Pod[]): PodMetrics[] {
    const now = this.sim.now();
    const ts = scrapeTime(now);
    const out: PodMetrics[] = [];
    for (const pod of pods) {
      if (pod.status?.phase !== 'Running' || !pod.spec?.nodeName) continue;
      const containers: ContainerMetrics[] = [];
      let complete = true;
      for (const c of pod.spec.containers ?? []) {
        const st = pod.status.containerStatuses?.find((s) => s.name === c.name);
        const started = st?.state?.running?.startedAt;
        if (!started || parseIsoTime(started) + METRIC_RESOLUTION_MS > ts) {
          complete = false;
          break;
        }
        containers.push({ name: c.name, usage: containerUsageFor(this.sim, c, this.podRps(pod.metadata.namespace ?? 'default', pod.metadata.name)) });
      }
      if (!complete || containers.length === 0) continue;
      out.push({ name: pod.metadata.name, namespace: pod.metadata.namespace ?? 'default', timestampMs: ts, windowMs: METRIC_RESOLUTION_MS, containers });
    }
    return out;
  }
}

/** installMetricsServer registers the `metrics` service (metrics-server). */
export function installMetricsServer(sim: Sim): MetricsServer {
  const m = new MetricsServer(sim);
  sim.services.set('metrics', m);
  return m;
}
