/**
 * model: the network module's data: a request and its result, the data plane's compiled routes and
 * endpoints (Rt*, rebuilt on any change they depend on), its serializable state (NetState: proxy and
 * nginx positions, metrics, traffic sources, the per-second summary) and the traffic summary the page
 * reads, with the data plane's constants.
 */
import type { Pod, Service } from '../api/types.ts';
import type { TrafficSpec } from '../sim.ts';
import type { CanaryPolicy, IngressBackendRef, IngressRoute, MirrorPolicy } from './ingress.ts';
import { newProxyState, type Ep, type ProxyState, type Upstream } from './kubeproxy.ts';
import type { AppBehavior } from './backend.ts';
import { newMetricsState, type Histogram, type Labels, type MetricsState, type Series } from './metrics.ts';

/** HttpRequest is one simulated request. url or host/port/path; headers as curl -H sends them. */
export interface HttpRequest {
  url?: string;
  method?: string;
  scheme?: 'http' | 'https';
  host?: string;
  port?: number;
  path?: string;
  headers?: Record<string, string>;
  cookie?: string;
  clientIp?: string;
  /** from: the pod the request is sent from ("ns/name"); default: outside the cluster. */
  from?: string;
}

export interface RequestResult {
  /** status is the HTTP status, 0 when there was no HTTP response (error says why). */
  status: number;
  error?: 'refused' | 'timeout' | 'unresolved';
  latencyMs: number;
  via: 'ingress' | 'service' | 'pod' | 'none';
  headers: Record<string, string>;
  body: string;
  host: string;
  port: number;
  ingress?: string;
  service?: string;
  pod?: string;
  podIP?: string;
  node?: string;
  image?: string;
  canary: boolean;
  attempts: number;
}

/** RtEp is an endpoint with the data plane's per-epoch attachments. */
export interface RtEp extends Ep {
  up: RtUpstream;
  container?: string;
  image: string;
  beh: AppBehavior;
  byCode: Record<number, Series>;
  ok?: Series;
  c500?: Series;
  hist?: Histogram;
  stamp: number;
  conn: number;
  listening: boolean;
  /** nobody: no pod, node or API server holds the address (an address outside the cluster): connections time out. */
  nobody: boolean;
  allowIngress?: boolean;
  edge: EdgeAcc;
  version: EdgeAcc;
  /** n and err count this batch's requests answered (or failed) here; flushSummary moves them to the edge. */
  n: number;
  err: number;
  /** served and servedErr count the requests the application answered (per version). */
  served: number;
  servedErr: number;
  /** p200/p500 are answers not yet added to http_requests_total (syncAppCounters adds them before a scrape). */
  p200: number;
  p500: number;
  errorRate: number;
  latencyMs: number;
  jitterMs: number;
}

export interface RtUpstream extends Upstream {
  eps: RtEp[];
  ready: RtEp[];
  eligible: RtEp[];
  name: string; // ingress-nginx upstream name "ns-svc-port"
  rr: { i: number };
}

export interface EdgeAcc {
  key: string;
  n: number;
  err: number;
}

export interface Attempt {
  status: number;
  latencyMs: number;
  attempts: number;
  ep?: RtEp;
}

export interface NgxCounters {
  labels: Labels;
  byStatus: Record<number, Series>;
  ok: Series | undefined;
  hist: Histogram | undefined;
}

/** Target is a compiled destination for a (host, port) pair. */
export type Target =
  | { kind: 'ingress'; route: IngressRoute; ingress?: string; main: RtUpstream | null; canary: RtUpstream | null; policy?: CanaryPolicy; mainBackend?: IngressBackendRef; path: string; mirror?: MirrorRt }
  | { kind: 'service'; up: RtUpstream | null; viaNode?: string; service: Service }
  | { kind: 'pod'; pod: Pod; port: number }
  /** unresolved: NXDOMAIN, or (timedOut) no DNS server answered */
  | { kind: 'unresolved'; timedOut?: boolean }
  /** unreachable: nothing at that address, or (why) packets dropped on the way */
  | { kind: 'unreachable'; why?: string };

/**
 * MirrorRt is a location's compiled mirror: the Service port its target resolves to (null when the
 * name does not resolve or points outside the cluster: nginx's subrequest fails and only its error
 * log notices) and the ingress → shadow-service edge the copies are drawn on.
 */
export interface MirrorRt {
  policy: MirrorPolicy;
  up: RtUpstream | null;
  service: string;
  edge?: EdgeAcc;
}

/** NetState is the network module's serializable state. */
export interface NetState {
  proxy: ProxyState;
  /** nginxRr is ingress-nginx's round-robin position per upstream (an object, so the compiled upstream can hold it). */
  nginxRr: Record<string, { i: number }>;
  metrics: MetricsState;
  sources: TrafficSource[];
  nextSourceId: number;
  tickAt: number | null;
  summary: SummaryBucket[];
  podSeries: Record<string, number[]>;
  podRestarts: Record<string, number>;
}

export interface TrafficSource {
  name: string;
  spec: TrafficSpec;
  nextArrival: number;
  /** from: the pod container whose process sends these requests (a load generator's loop), while it runs */
  from?: { namespace: string; pod: string; uid: string; container: string };
  /**
   * loop: a client that sends its next request gapMs after the last one was answered (a shell loop of
   * wget or curl): spec.rps is the rate the last tick's answers allowed.
   */
  loop?: { gapMs: number };
}

export interface RequestSample {
  t: number;
  source?: string;
  host: string;
  path: string;
  ingress?: string;
  service?: string;
  pod?: string;
  version?: string;
  status: number;
  latencyMs: number;
  canary: boolean;
}

export interface SummaryBucket {
  t: number;
  total: number;
  errors: number;
  /** edgeKeys[i] is "from>to"; edgeCounts[2i] its requests, edgeCounts[2i+1] its errors (flat: cheap to keep). */
  edgeKeys: string[];
  edgeCounts: number[];
  versions: Record<string, [number, number]>;
  statuses: Record<string, number>;
  samples: RequestSample[];
}

/** TrafficSummary is the compact per-frame view the worker sends the app. */
export interface TrafficSummary {
  from: number;
  to: number;
  total: number;
  errors: number;
  edges: { from: string; to: string; count: number; errors: number }[];
  versions: { version: string; count: number; errors: number }[];
  statuses: Record<string, number>;
  samples: RequestSample[];
}


/** NGINX_TRIES is ingress-nginx's proxy-next-upstream-tries default: a failed attempt is retried on the next endpoint. */
export const NGINX_TRIES = 3;
/** NGINX_CONNECT_TIMEOUT_MS is ingress-nginx's proxy-connect-timeout default (5 s). */
export const NGINX_CONNECT_TIMEOUT_MS = 5000;
/** TCP_CONNECT_TIMEOUT_MS is how long a client waits on a dropped SYN: Linux' 6 retries (1+2+…+64 s) ≈ 127 s. */
export const TCP_CONNECT_TIMEOUT_MS = 127_000;
/** DNS_TIMEOUT_MS is how long a lookup no server answers takes to fail: resolv.conf's timeout (5 s) for each of its 2 attempts (glibc's defaults). */
export const DNS_TIMEOUT_MS = 10_000;
/** SUMMARY_SECONDS is how much per-second traffic history is kept for the UI and `traffic stats`. */
export const SUMMARY_SECONDS = 120;
/** SUMMARY_BUCKET_MS is the summary resolution: one bucket of counts per simulated second. */
export const SUMMARY_BUCKET_MS = 1000;

export function newNetState(): NetState {
  return {
    proxy: newProxyState(),
    nginxRr: {},
    metrics: newMetricsState(),
    sources: [],
    nextSourceId: 1,
    tickAt: null,
    summary: [],
    podSeries: {},
    podRestarts: {},
  };
}

/** clientIp is the address of simulated client i (TEST-NET-2, then 100.64.0.0/10). */
export function clientIp(i: number): string {
  if (i < 254) return `198.51.100.${i + 1}`;
  const j = i - 254;
  return `100.${64 + ((j >> 16) & 63)}.${(j >> 8) & 255}.${j & 255}`;
}
