/**
 * NetworkService (sim.service('network')) is the cluster's data plane: it routes simulated HTTP
 * requests — from outside through ingress-nginx, to Service VIPs/NodePorts/LoadBalancer IPs through
 * kube-proxy, or straight to pod IPs — to a pod, decides the outcome from the pod's state and its
 * image's behaviour, and counts everything as Prometheus metrics.
 *
 * Routing tables (the ingress table, each service port's endpoints) are derived caches compiled
 * lazily and dropped on any watch event of a kind they depend on, and after a snapshot restore.
 * This class keeps that lifecycle, the connection outcomes of a traffic batch, and the counts on
 * their way into the module state; the routing is routing.ts's, one request's path request.ts's
 * and ingressproxy.ts's, and the metric series requestmetrics.ts's.
 */
import type { Pod, Service, ServicePort } from '../api/types.ts';
import type { Sim } from '../sim.ts';
import type { IngressBackendRef, IngressTable } from './ingress.ts';
import type { IpvsScheduler, PickContext, ProxyMode } from './kubeproxy.ts';
import { nodeDown, REFUSED, TIMEOUT } from './backend.ts';
import { allowed, egressAllowed, INGRESS_NGINX_PEER, type Peer } from './netpol.ts';
import { catchUp, endSeries, SCRAPE_INTERVAL_MS, type Histogram, type MetricsState, type Series } from './metrics.ts';
import { evaluate, type Value } from './promql/eval.ts';
import { parse } from './promql/parser.ts';
import { addToSummary, BucketSlots, summarizeBuckets } from './summary.ts';
import { nodeLocal, RoutingTables } from './routing.ts';
import { sendRequest } from './request.ts';
import { mirror, nginxAttempts, throughIngress } from './ingressproxy.ts';
import { appCounter, appHist, ngxCounter, ngxCounters, ngxHist, recordApp, recordNgx } from './requestmetrics.ts';
import { newNetState, type Attempt, type EdgeAcc, type HttpRequest, type MirrorRt, type NetState, type NgxCounters, type RequestResult, type RequestSample, type RtEp, type RtUpstream, type Target, type TrafficSummary } from './model.ts';

export class NetworkService {
  epoch = 0;
  private builtEpoch = -1;
  private stateRef: unknown = undefined;
  private readonly routes = new RoutingTables(this);
  hasPolicies = false;
  batch = 0;
  /** touched lists the accumulators with counts since the last flush. */
  touched: EdgeAcc[] = [];
  pendingSamples: RequestSample[] = [];
  private nodeDownAt = new Map<string, boolean>();
  private nodeDownBatch = -1;
  private anyNodeDown = false;
  totals = { n: 0, err: 0, statuses: {} as Record<string, number> };
  /** touchedEps are the endpoints with counts not yet moved into the module state (see endBatch). */
  touchedEps: RtEp[] = [];
  /** bucketSlots finds an edge's slot in the current summary bucket (derived; rebuilt on demand). */
  private bucketSlots = new BucketSlots();
  /** scratch is reused by nginxAttempts so the traffic loop allocates nothing per request. */
  readonly scratch: Attempt = { status: 0, latencyMs: 0, attempts: 0 };
  /** randomBuffer holds a traffic batch's pre-drawn random numbers (reused: no allocation per tick). */
  readonly randomBuffer = new Float64Array(65_536);
  /** sourceCache holds each traffic source's compiled routing (keyed by the state object: a restore starts afresh). */
  readonly sourceCache = new WeakMap<object, unknown>();
  /** ngxCache holds the ingress counters by label set (dropped on restore, when the series objects change). */
  private ngxCache = new Map<string, NgxCounters>();

  constructor(readonly sim: Sim) {}

  get state(): NetState {
    return this.sim.moduleState<NetState>('network', newNetState);
  }

  get mode(): ProxyMode {
    return this.sim.options.network?.kubeProxyMode ?? 'iptables';
  }

  get scheduler(): IpvsScheduler {
    return this.sim.options.network?.ipvsScheduler ?? 'rr';
  }

  invalidate(): void {
    this.epoch++;
  }

  /** ensure rebuilds the lookup maps when the world changed (or a snapshot was restored). */
  ensure(): void {
    if (this.stateRef !== this.sim.state) {
      // A restore replaced every object and the module state: drop everything derived.
      this.stateRef = this.sim.state;
      this.epoch++;
      this.touchedEps = []; // the old endpoints' pending counts belong to the abandoned timeline
      this.bucketSlots.reset();
      this.touched = [];
      this.pendingSamples = [];
      this.totals = { n: 0, err: 0, statuses: {} };
      this.ngxCache.clear();
    }
    if (this.builtEpoch === this.epoch) return;
    this.flushSummary();
    this.syncAppCounters();
    this.builtEpoch = this.epoch;
    this.routes.rebuild();
    this.hasPolicies = this.sim.store.count('NetworkPolicy') > 0;
  }

  // ---- routing (routing.ts) ----

  ingressTable(): IngressTable {
    return this.routes.ingressTable();
  }

  /** edge returns the counter of requests from → to (the Traffic view's arrows; kept until the next invalidation). */
  edge(from: string, to: string): EdgeAcc {
    return this.routes.edge(from, to);
  }

  /** upstream compiles a service port's endpoints (cached until the next invalidation). */
  upstream(svc: Service, sp: ServicePort): RtUpstream {
    return this.routes.upstream(svc, sp);
  }

  /** backendUpstream finds an Ingress backend's Service port (null when missing: 503). */
  backendUpstream(b: IngressBackendRef): RtUpstream | null {
    return this.routes.backendUpstream(b);
  }

  /**
   * target resolves where a connection to host:port goes, as seen from namespace ns (from inside the
   * pod from, when given: a name resolves only if that pod's DNS queries are answered, see dnsAnswers).
   */
  target(host: string, port: number, path: string, ns: string, hostHeader = host, from?: Pod): Target {
    return this.routes.target(host, port, path, ns, hostHeader, from);
  }

  /**
   * podReachesIngress: a pod's egress policies let it connect to the ingress controller. kube-proxy
   * sends a pod's packets for the controller's address straight to the controller pod, so that pod
   * (ingress-nginx's, in its namespace) is the destination the policies see.
   */
  podReachesIngress(pod: Pod, port: number): boolean {
    return !this.hasPolicies || egressAllowed(this.sim, pod, INGRESS_NGINX_PEER, port, 'TCP');
  }

  /** nodeLocal is a Service target as a pod sees it under internalTrafficPolicy Local (see routing.ts). */
  nodeLocal(t: Target, from: Pod | undefined): Target {
    return nodeLocal(t, from);
  }

  // ---- one request (request.ts, ingressproxy.ts) ----

  /** request sends one simulated HTTP request now and returns what the client sees. */
  request(req: HttpRequest): RequestResult {
    return sendRequest(this, req);
  }

  pickContext(random: () => number): PickContext {
    return { mode: this.mode, scheduler: this.scheduler, state: this.state.proxy, now: this.sim.now(), random };
  }

  /** throughIngress is one request through ingress-nginx (see ingressproxy.ts). */
  throughIngress(t: Target & { kind: 'ingress' }, host: string, method: string, headers: Record<string, string>, cookies: Record<string, string>, random: () => number, path: string, client = 'client'): Partial<RequestResult> {
    return throughIngress(this, t, host, method, headers, cookies, random, path, client);
  }

  /** nginxAttempts runs the balancer: status, latency, the endpoint that answered (if any). */
  nginxAttempts(up: RtUpstream | null, random: () => number): Attempt {
    return nginxAttempts(this, up, random);
  }

  /** mirror sends one request's mirror copy (nginx's background subrequest); returns the status. */
  mirror(m: MirrorRt, ctx: PickContext, random: () => number): number {
    return mirror(this, m, ctx, random);
  }

  // ---- connection outcomes ----

  /** connect returns 0, REFUSED or TIMEOUT for a connection from peer to ep (cached per batch). */
  connect(ep: RtEp, peer: Peer | 'ingress'): number {
    if (ep.stamp !== this.batch) {
      ep.stamp = this.batch;
      // An address nothing in the cluster holds (192.0.2.42 in the docs' example) answers nothing: the
      // connection times out. A node's (or the API server's) address is a host that is up: refused.
      ep.conn = this.isNodeDown(ep.node ?? ep.pod?.spec.nodeName) ? TIMEOUT : ep.listening ? 0 : ep.nobody ? TIMEOUT : REFUSED;
    }
    if (ep.conn !== 0 || !this.hasPolicies || !ep.pod) return ep.conn;
    if (peer === 'ingress') {
      ep.allowIngress ??= allowed(this.sim, INGRESS_NGINX_PEER, ep.pod, ep.port);
      return ep.allowIngress ? 0 : TIMEOUT;
    }
    return allowed(this.sim, peer, ep.pod, ep.port) ? 0 : TIMEOUT;
  }

  private downSig = '';
  private batchEpoch = -1;

  /**
   * beginBatch starts a traffic tick. Connection outcomes cached on endpoints stay valid while
   * nothing changed: the same compiled tables (no watch event) and the same set of failed nodes (a
   * node can fail without any watch event, so that is checked every tick, node by node).
   */
  beginBatch(): void {
    this.ensure();
    let sig = '';
    for (const n of this.sim.store.list('Node')) if (nodeDown(this.sim, n.metadata.name)) sig += n.metadata.name + ',';
    if (sig !== this.downSig || this.batchEpoch !== this.epoch) {
      this.downSig = sig;
      this.batchEpoch = this.epoch;
      this.batch++;
    }
  }

  /** isNodeDown caches nodeDown per node for one batch (a node can fail without any watch event). */
  isNodeDown(node: string | undefined): boolean {
    if (!node) return false;
    if (this.nodeDownBatch !== this.batch) {
      // Once per batch: which nodes are down (100 nodes, not 1,000 endpoints × every request).
      this.nodeDownBatch = this.batch;
      this.nodeDownAt.clear();
      this.anyNodeDown = false;
      for (const n of this.sim.store.list('Node')) {
        if (nodeDown(this.sim, n.metadata.name)) {
          this.nodeDownAt.set(n.metadata.name, true);
          this.anyNodeDown = true;
        }
      }
    }
    if (!this.anyNodeDown && this.sim.store.count('Node') > 0) return !this.sim.store.get('Node', undefined, node);
    let d = this.nodeDownAt.get(node);
    if (d === undefined) this.nodeDownAt.set(node, (d = nodeDown(this.sim, node)));
    return d;
  }

  // ---- metrics (requestmetrics.ts) ----

  metrics(): MetricsState {
    return this.state.metrics;
  }

  /** recordApp counts a request the application answered (http_requests_total, duration histogram). */
  recordApp(ep: RtEp, status: number, latencyMs: number): void {
    recordApp(this, ep, status, latencyMs);
  }

  /** syncAppCounters makes http_requests_total current (pending answers are kept on touched endpoints). */
  syncAppCounters(): void {
    this.collectEndpointCounts();
  }

  /** catchUpMetrics records the scrapes due at or before t, with every pending count applied first. */
  catchUpMetrics(t: number): void {
    const m = this.metrics();
    if (m.scraped > Math.floor(t / SCRAPE_INTERVAL_MS)) return;
    this.syncAppCounters();
    catchUp(m, t);
  }

  /** appCounter returns (creating) http_requests_total{namespace,service,pod,image,code} for an endpoint. */
  appCounter(ep: RtEp, status: number): Series {
    return appCounter(this, ep, status);
  }

  /** appHist returns (creating) http_request_duration_seconds{namespace,service,image} for an endpoint. */
  appHist(ep: RtEp): Histogram {
    return appHist(this, ep);
  }

  /** ngx returns the nginx_ingress_controller_requests counters for an ingress location. */
  ngxCounters(t: Target & { kind: 'ingress' }, canary: boolean, host: string, method: string): NgxCounters {
    return ngxCounters(this.ngxCache, t, canary, host, method);
  }

  recordNgx(c: NgxCounters, status: number, latencyMs: number): void {
    recordNgx(this, c, status, latencyMs);
  }

  /** ngxCounter returns (creating) nginx_ingress_controller_requests for one status. */
  ngxCounter(c: NgxCounters, status: number): Series {
    return ngxCounter(this, c, status);
  }

  ngxHist(c: NgxCounters): Histogram {
    return ngxHist(this, c);
  }

  /** query evaluates PromQL at timeMs (default now). Throws ParseError / EvalError. */
  query(expr: string, timeMs = this.sim.now()): Value {
    // Record the scrapes due so far (never ahead of the clock: later traffic must land in later scrapes).
    this.syncAppCounters();
    catchUp(this.metrics(), Math.min(timeMs, this.sim.now()));
    return evaluate(parse(expr), this.metrics(), timeMs);
  }

  // ---- counts and summary (summary.ts) ----

  count(a: EdgeAcc, err: boolean): void {
    if (a.n === 0) this.touched.push(a);
    a.n++;
    if (err) a.err++;
  }

  /** countN adds n requests (errs of them failed) to an edge at once. */
  countN(a: EdgeAcc, n: number, errs: number): void {
    if (n === 0) return;
    if (a.n === 0) this.touched.push(a);
    a.n += n;
    a.err += errs;
  }

  /**
   * collectEndpointCounts moves the touched endpoints' counts into the module state: answers onto
   * http_requests_total, requests onto the summary's edge and version accumulators. Run at the end of
   * every traffic tick and before anything reads, so a snapshot between ticks misses nothing.
   */
  collectEndpointCounts(): void {
    const list = this.touchedEps;
    if (list.length === 0) return;
    this.touchedEps = [];
    for (const ep of list) {
      if (ep.p200 > 0) {
        (ep.ok ?? this.appCounter(ep, 200)).cur += ep.p200;
        ep.p200 = 0;
      }
      if (ep.p500 > 0) {
        (ep.c500 ?? this.appCounter(ep, 500)).cur += ep.p500;
        ep.p500 = 0;
      }
      this.countN(ep.edge, ep.n, ep.err);
      this.countN(ep.version, ep.served, ep.servedErr);
      ep.n = 0;
      ep.err = 0;
      ep.served = 0;
      ep.servedErr = 0;
    }
  }

  /** flushSummary moves the accumulated counts into the bucket of the current second. */
  flushSummary(): void {
    this.collectEndpointCounts();
    if (this.touched.length === 0 && this.pendingSamples.length === 0 && this.totals.n === 0) return;
    addToSummary(this.state.summary, this.sim.now(), this.touched, this.totals, this.pendingSamples, this.bucketSlots);
    this.touched = [];
    this.totals = { n: 0, err: 0, statuses: {} };
    this.pendingSamples = [];
  }

  /** trafficSummary aggregates the per-second buckets after sinceMs (at most the last 10 minutes). */
  trafficSummary(sinceMs: number): TrafficSummary {
    this.flushSummary();
    return summarizeBuckets(this.state.summary, sinceMs, this.sim.now());
  }

  // ---- pods and series lifecycle ----

  /** onPod keeps per-pod series honest: a restart resets the app's counters, a deleted pod's series go stale. */
  onPod(type: string, pod: Pod): void {
    let restarts = 0;
    if (type !== 'DELETED') {
      for (const c of pod.status?.containerStatuses ?? []) restarts += c.restartCount ?? 0;
      // A write of a pod that never restarted changes nothing here (nearly every pod write; the key
      // and its lookup cost ~1 µs each, 100,000 times in a 10,000-pod rollout).
      if (restarts === 0) return;
    }
    const key = `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
    const st = this.state;
    const idxs = st.podSeries[key];
    if (!idxs) return;
    const m = st.metrics;
    this.syncAppCounters();
    if (type === 'DELETED') {
      catchUp(m, this.sim.now() - 1);
      for (const i of idxs) endSeries(m, m.series[i]);
      delete st.podSeries[key];
      delete st.podRestarts[key];
      return;
    }
    const seen = st.podRestarts[key] ?? 0;
    if (restarts > seen) {
      catchUp(m, this.sim.now() - 1);
      for (const i of idxs) m.series[i].cur = 0;
    }
    st.podRestarts[key] = restarts;
  }
}
