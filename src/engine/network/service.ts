/**
 * NetworkService (sim.service('network')) is the cluster's data plane: it routes simulated HTTP
 * requests — from outside through ingress-nginx, to Service VIPs/NodePorts/LoadBalancer IPs through
 * kube-proxy, or straight to pod IPs — to a pod, decides the outcome from the pod's state and its
 * image's behaviour, and counts everything as Prometheus metrics.
 *
 * Routing tables (the ingress table, each service port's endpoints) are derived caches compiled
 * lazily and dropped on any watch event of a kind they depend on, and after a snapshot restore.
 */
import type { Node, Pod, Service, ServicePort } from '../api/types.ts';
import type { Sim } from '../sim.ts';
import { compileIngresses, matchesHost, parseCookies, routeIngress, routeToCanary, servedByNginx, headerValue, type IngressBackendRef, type MirrorPolicy, splitMirrorUrl, type IngressTable } from './ingress.ts';
import { inServiceRange } from '../api/ipallocator.ts';
import { APISERVER_ADDRESS } from '../api/server.ts';
import { buildUpstream, ipNum, pickEndpoint, trackConnection, type Ep, type IpvsScheduler, type PickContext, type ProxyMode } from './kubeproxy.ts';
import { appBehavior, connectOutcome, nodeDown, podListening, REFUSED, serve, servingContainer, TIMEOUT } from './backend.ts';
import { allowed, egressAllowed, INGRESS_NGINX_NAMESPACE, INGRESS_NGINX_PEER, type Peer } from './netpol.ts';
import { dnsAnswers, followCname, resolve } from './dns.ts';
import { catchUp, counter, endSeries, histogram, observe, SCRAPE_INTERVAL_MS, seriesKey, type Histogram, type MetricsState, type Series } from './metrics.ts';
import { evaluate, type Value } from './promql/eval.ts';
import { parse } from './promql/parser.ts';
import { batchRandom } from './random.ts';
import { normalizeHost } from './ingress.ts';
import { INGRESS_NGINX_IP } from './ingresscontroller.ts';
import { contentType, httpDate, NGINX_IMAGES, NGINX_ROOT, nginxPage, nginxVersion, parseUrl } from './http.ts';
import { imageRepo } from '../kubelet/command.ts';
import { summarizeBuckets } from './summary.ts';
import { clientIp, DNS_TIMEOUT_MS, NGINX_CONNECT_TIMEOUT_MS, NGINX_TRIES, TCP_CONNECT_TIMEOUT_MS, SUMMARY_BUCKET_MS, SUMMARY_SECONDS, newNetState, type Attempt, type EdgeAcc, type HttpRequest, type MirrorRt, type NetState, type NgxCounters, type RequestResult, type RequestSample, type RtEp, type RtUpstream, type Target, type TrafficSummary } from './model.ts';

const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;
/** POD_NET is the pods' 10.244.0.0/16 (kube-controller-manager's --cluster-cidr), as its top 16 bits. */
const POD_NET = (10 << 8) | 244;

/**
 * DNS_TIMED_OUT is a name whose lookup no server answered: the resolver gives up after DNS_TIMEOUT_MS,
 * and the client says it could not resolve the host.
 */
const DNS_TIMED_OUT: Target = { kind: 'unresolved', timedOut: true };

/** NO_ROUTE: an address outside the cluster, from a pod: the simulated cluster has no route to the Internet. */
const NO_ROUTE: Target = { kind: 'unreachable', why: 'the simulated cluster has no route to the Internet' };
/** NO_SUCH_HOST: a name outside the cluster (and no Ingress host), from a pod: CoreDNS has nowhere to forward it. */
const NO_SUCH_HOST: Target = { kind: 'unresolved' };

/** NGINX_POD_IP is the ingress-nginx controller pod's address: the client kube-proxy sees for mirror copies. */
const NGINX_POD_IP = (INGRESS_NGINX_PEER as Extract<Peer, { kind: 'virtual' }>).ip;

export class NetworkService {
  epoch = 0;
  private builtEpoch = -1;
  private stateRef: unknown = undefined;
  private table?: IngressTable;
  private ups = new Map<string, RtUpstream | null>();
  private byClusterIP = new Map<string, Service>();
  private byLbIP = new Map<string, Service>();
  private nodeByIP = new Map<string, string>();
  private podByIP = new Map<string, Pod>();
  private versionAcc = new Map<string, EdgeAcc>();
  private edgeAcc = new Map<string, EdgeAcc>();
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
  /** bucketIndex maps an edge key to its slot in the current summary bucket (derived; rebuilt on demand). */
  private bucketIndex = new Map<string, number>();
  private bucketIndexT = -1;
  private bucketIndexLen = -1;
  /** scratch is reused by nginxAttempts so the traffic loop allocates nothing per request. */
  readonly scratch: Attempt = { status: 0, latencyMs: 0, attempts: 0 };
  /** randomBuffer holds a traffic batch's pre-drawn random numbers (reused: no allocation per tick). */
  readonly randomBuffer = new Float64Array(65_536);
  /** sourceCache holds each traffic source's compiled routing (keyed by the state object: a restore starts afresh). */
  readonly sourceCache = new WeakMap<object, unknown>();
  /** ngxCache holds the ingress counters by label set (dropped on restore, when the series objects change). */
  private ngxCache = new Map<string, NgxCounters>();
  private targets = new Map<string, Target>();
  private dnsByPod = new Map<string, boolean>();

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
      this.ups.clear(); // the old endpoints' pending counts belong to the abandoned timeline
      this.touchedEps = [];
      this.bucketIndexT = -1;
      this.touched = [];
      this.pendingSamples = [];
      this.totals = { n: 0, err: 0, statuses: {} };
      this.ngxCache.clear();
    }
    if (this.builtEpoch === this.epoch) return;
    this.flushSummary();
    this.syncAppCounters();
    this.builtEpoch = this.epoch;
    this.table = undefined;
    this.targets.clear();
    this.ups.clear();
    this.versionAcc.clear();
    this.edgeAcc.clear();
    this.byClusterIP.clear();
    this.byLbIP.clear();
    this.nodeByIP.clear();
    this.podByIP.clear();
    this.dnsByPod.clear();
    for (const s of this.sim.store.list<Service>('Service')) {
      const ip = s.spec.clusterIP;
      if (ip && ip !== 'None') this.byClusterIP.set(ip, s);
      for (const ing of s.status?.loadBalancer?.ingress ?? []) if (ing.ip) this.byLbIP.set(ing.ip, s);
    }
    for (const n of this.sim.store.list<Node>('Node')) {
      for (const a of n.status?.addresses ?? []) if (a.type === 'InternalIP' || a.type === 'ExternalIP') this.nodeByIP.set(a.address, n.metadata.name);
    }
    this.hasPolicies = this.sim.store.count('NetworkPolicy') > 0;
  }

  private podForIP(ip: string): Pod | undefined {
    if (this.podByIP.size === 0) {
      for (const p of this.sim.store.list<Pod>('Pod')) if (p.status?.podIP && !this.podByIP.has(p.status.podIP)) this.podByIP.set(p.status.podIP, p);
    }
    return this.podByIP.get(ip);
  }

  ingressTable(): IngressTable {
    this.ensure();
    if (!this.table) {
      const classes = this.sim.store.list('IngressClass');
      this.table = compileIngresses(this.sim.store.list('Ingress').filter((i) => servedByNginx(i, classes)));
    }
    return this.table;
  }

  private acc(map: Map<string, EdgeAcc>, key: string): EdgeAcc {
    let a = map.get(key);
    if (!a) map.set(key, (a = { key, n: 0, err: 0 }));
    return a;
  }

  edge(from: string, to: string): EdgeAcc {
    return this.acc(this.edgeAcc, `${from}>${to}`);
  }

  /** upstream compiles a service port's endpoints (cached until the next invalidation). */
  upstream(svc: Service, sp: ServicePort): RtUpstream {
    this.ensure();
    const ns = svc.metadata.namespace ?? 'default';
    const key = `${ns}/${svc.metadata.name}:${sp.port}`;
    const cached = this.ups.get(key);
    if (cached) return cached;
    const raw = buildUpstream(this.sim, svc, sp);
    const name = `${ns}-${svc.metadata.name}-${sp.port}`;
    const base = { ...raw, name, rr: (this.state.nginxRr[name] ??= { i: -1 }) } as unknown as RtUpstream;
    // Every endpoint gets the same object shape (all fields set), so the traffic loop stays monomorphic.
    const conv = new Map<Ep, RtEp>();
    for (const listed of raw.eps) {
      const e = listed.pod ? listed : this.atAddress(listed);
      const c = servingContainer(e.pod, e.port, this.sim);
      const image = c?.image ?? '';
      const beh = appBehavior(this.sim, image);
      // Hot fields first (V8 lays fields out in this order): the traffic loop touches one cache line per request.
      const ep: RtEp = {
        stamp: -1,
        conn: 0,
        allowIngress: undefined,
        n: 0,
        err: 0,
        served: 0,
        servedErr: 0,
        p200: 0,
        p500: 0,
        errorRate: beh.errorRate,
        latencyMs: beh.latencyMs,
        jitterMs: beh.jitterMs,
        hist: undefined,
        ...e,
        up: base,
        container: c?.name,
        image,
        beh,
        byCode: {},
        ok: undefined,
        c500: undefined,
        listening: c !== undefined && podListening(e.pod, c.name),
        nobody: !e.pod && !this.nodeByIP.has(e.ip) && e.ip !== APISERVER_ADDRESS,
        edge: this.edge(`service:${ns}/${svc.metadata.name}`, `pod:${e.podNs}/${e.podName}`),
        version: this.acc(this.versionAcc, image || '(unknown)'),
      };
      conv.set(listed, ep);
    }
    base.eps = raw.eps.map((e) => conv.get(e)!);
    base.ready = raw.ready.map((e) => conv.get(e)!);
    base.eligible = raw.eligible.map((e) => conv.get(e)!);
    this.ups.set(key, base);
    return base;
  }

  /**
   * atAddress is an endpoint listed by address alone (no targetRef: Endpoints written by hand for a
   * Service without a selector, mirrored into its slices) as the packets find it: a pod that holds the
   * address serves it, as it would on a cluster, where kube-proxy only rewrites the destination.
   * Host-network pods share their node's address and are not taken for it.
   */
  private atAddress(e: Ep): Ep {
    const pod = this.podForIP(e.ip);
    if (!pod || pod.spec.hostNetwork) return e;
    return { ...e, pod, podNs: pod.metadata.namespace ?? 'default', podName: pod.metadata.name, node: e.node ?? pod.spec.nodeName };
  }

  /**
   * backendUpstream finds an Ingress backend's Service port (null when missing: 503). ingress-nginx
   * (serviceEndpoints) takes the first Service port whose number, targetPort or name is the backend's
   * port as written: a backend naming the pods' port 8080 reaches the Service port 80 that targets it.
   */
  backendUpstream(b: IngressBackendRef): RtUpstream | null {
    const svc = this.sim.store.get<Service>('Service', b.namespace, b.service);
    if (!svc || svc.spec.type === 'ExternalName') return null;
    const want = String(b.port);
    const sp = (svc.spec.ports ?? []).find((p) => String(p.port) === want || String(p.targetPort ?? p.port) === want || p.name === want);
    return sp ? this.upstream(svc, sp) : null;
  }

  /**
   * target resolves where a connection to host:port goes, as seen from namespace ns (from inside the
   * pod from, when given: a name resolves only if that pod's DNS queries are answered, see dnsAnswers).
   */
  target(host: string, port: number, path: string, ns: string, hostHeader = host, from?: Pod): Target {
    this.ensure();
    // Inside a pod the loopback address is the pod's own (its containers share one network namespace).
    if (from && isLoopback(host)) return { kind: 'pod', pod: from, port };
    const h = normalizeHost(host);
    const isIP = IPV4.test(h);
    if (from && !isIP && !this.dnsFor(from)) return DNS_TIMED_OUT;
    const key = `${host}|${port}|${path}|${ns}|${hostHeader}`;
    let t = this.targets.get(key);
    if (!t) {
      t = this.resolveTarget(host, port, path, ns, hostHeader);
      if (this.targets.size > 10_000) this.targets.clear();
      this.targets.set(key, t);
    }
    // From outside, any address but the cluster's own is taken for the ingress controller's (a client's
    // DNS or Host header points there). A pod reaches it only at its address, or by a name some Ingress
    // rule serves (the record that points there); any other host is the Internet, which the simulated
    // cluster has no route to: an address times out, a name does not resolve.
    if (from && t.kind === 'ingress' && !(isIP ? h === INGRESS_NGINX_IP : this.servedHost(h))) return isIP ? NO_ROUTE : NO_SUCH_HOST;
    return t;
  }

  /**
   * podReachesIngress: a pod's egress policies let it connect to the ingress controller. kube-proxy
   * sends a pod's packets for the controller's address straight to the controller pod, so that pod
   * (ingress-nginx's, in its namespace) is the destination the policies see.
   */
  podReachesIngress(pod: Pod, port: number): boolean {
    return !this.hasPolicies || egressAllowed(this.sim, pod, INGRESS_NGINX_PEER, port, 'TCP');
  }

  /** servedHost: some Ingress rule names the host (exactly or by its wildcard). */
  private servedHost(h: string): boolean {
    const table = this.ingressTable();
    return table.exact.has(h) || table.wildcard.some((w) => matchesHost(`*${w.suffix}`, h));
  }

  /**
   * nodeLocal is a Service target as a pod sees it under internalTrafficPolicy Local: kube-proxy sends
   * the pod's connections only to endpoints on the pod's own node, and drops them when that node has
   * none (the client times out; a Service with no endpoints anywhere still refuses). Other targets, and
   * clients outside the cluster, are returned as they are.
   */
  nodeLocal(t: Target, from: Pod | undefined): Target {
    const node = from?.spec.nodeName;
    if (t.kind !== 'service' || !t.up || t.viaNode || !node || t.service.spec.internalTrafficPolicy !== 'Local') return t;
    const eligible = t.up.eligible.filter((e) => e.node === node);
    if (eligible.length === 0 && t.up.eligible.length > 0) return { kind: 'unreachable', why: `Service ${t.service.metadata.name} has internalTrafficPolicy Local and no ready endpoint on ${node}, the node of pod ${from!.metadata.name}: kube-proxy drops its connections` };
    return { ...t, up: { ...t.up, eligible, ready: t.up.ready.filter((e) => e.node === node) } };
  }

  /** dnsFor is dnsAnswers for one pod, kept until the world changes (a traffic tick asks for each source). */
  private dnsFor(pod: Pod): boolean {
    const uid = pod.metadata.uid ?? '';
    let ok = this.dnsByPod.get(uid);
    if (ok === undefined) this.dnsByPod.set(uid, (ok = dnsAnswers(this.sim, pod)));
    return ok;
  }

  private resolveTarget(host: string, port: number, path: string, ns: string, hostHeader: string): Target {
    const h = normalizeHost(host);
    const isIP = IPV4.test(h);
    const svcTarget = (svc: Service, viaNode?: string, byNodePort = false): Target => {
      const sp = (svc.spec.ports ?? []).find((p) => (byNodePort ? p.nodePort === port : p.port === port));
      return { kind: 'service', up: sp ? this.upstream(svc, sp) : null, viaNode, service: svc };
    };
    if (isIP) {
      const c = this.byClusterIP.get(h);
      if (c) return svcTarget(c);
      const lb = this.byLbIP.get(h);
      if (lb) return svcTarget(lb);
      const node = this.nodeByIP.get(h);
      if (node) {
        const svc = this.sim.store.list<Service>('Service').find((s) => (s.spec.ports ?? []).some((p) => p.nodePort === port));
        return svc ? svcTarget(svc, node, true) : { kind: 'unreachable' };
      }
      const pod = this.podForIP(h);
      if (pod) return { kind: 'pod', pod, port };
      // A Service address no Service has (kube-proxy has no rule for it), or a pod address no pod has:
      // the packets go nowhere and the client times out. (The ingress controller's pod address is its own.)
      if (inServiceRange(h) || (ipNum(h) >>> 16 === POD_NET && h !== NGINX_POD_IP)) return { kind: 'unreachable' };
    } else if (h) {
      const answer = resolve(this.sim, h, ns);
      // The cluster's DNS not answering (CoreDNS scaled to 0): its names resolve nowhere; others are the outside world's.
      if (answer && !dnsAnswers(this.sim)) return DNS_TIMED_OUT;
      // An ExternalName naming a cluster Service resolves to it (followCname); any other CNAME has no upstream here.
      const a = answer?.type === 'CNAME' ? followCname(this.sim, answer) : answer;
      if (answer && !a) return { kind: 'unresolved' };
      if (a) {
        const ip = a.addresses[0];
        if (a.service && a.service.spec.clusterIP && a.service.spec.clusterIP !== 'None') return svcTarget(a.service);
        const pod = a.pod ?? this.podForIP(ip);
        return pod ? { kind: 'pod', pod, port } : { kind: 'unreachable' };
      }
      // Cluster names (and single labels, which only the search path could complete) that DNS does
      // not know do not resolve; any other name is taken to point at the ingress controller's address.
      if (h !== 'localhost' && (!h.includes('.') || /\.(svc|cluster\.local|local)$/.test(h) || /\.svc\./.test(h))) return { kind: 'unresolved' };
    }
    // Anything else is the outside world's address for the cluster: the ingress controller.
    const route = routeIngress(this.ingressTable(), hostHeader, path);
    if (route.kind === 'none') return { kind: 'ingress', route, main: null, canary: null, path };
    const backend = route.kind === 'path' ? route.match.backend : route.backend;
    const main = this.backendUpstream(backend);
    const policy = route.kind === 'path' ? route.match.canary : undefined;
    let canary: RtUpstream | null = policy ? this.backendUpstream(policy.backend) : null;
    // balancer.lua keeps no balancer for a backend without endpoints: the canary is skipped.
    if (canary && canary.ready.length === 0) canary = null;
    const ingress = route.kind === 'path' ? route.match.ingress : route.ingress;
    const out: Target = { kind: 'ingress', route, ingress, main, canary, policy: canary ? policy : undefined, mainBackend: backend, path };
    if (route.kind === 'path' && route.match.mirror) out.mirror = this.mirrorTarget(route.match.mirror, ingress, path, hostHeader);
    return out;
  }

  /**
   * mirrorTarget resolves a mirror-target for one path as nginx's resolver would (the cluster DNS,
   * from the controller's namespace; a ClusterIP literal works too). Only a Service with a ClusterIP
   * is mirrored to; any other answer (NXDOMAIN, a headless name, an outside host) leaves up null.
   */
  private mirrorTarget(policy: MirrorPolicy, ingress: string, path: string, hostHeader: string): MirrorRt {
    const u = splitMirrorUrl(policy.target, path, normalizeHost(hostHeader));
    let t: Target | undefined;
    if (u && !this.resolvingMirror) {
      this.resolvingMirror = true;
      try {
        t = this.target(u.host, u.port, u.path, INGRESS_NGINX_NAMESPACE, policy.host);
      } finally {
        this.resolvingMirror = false;
      }
    }
    if (t?.kind !== 'service' || t.viaNode) return { policy, up: null, service: '' };
    const service = `${t.service.metadata.namespace ?? 'default'}/${t.service.metadata.name}`;
    return { policy, up: t.up, service, edge: this.edge(`ingress:${ingress}`, `service:${service}`) };
  }

  private resolvingMirror = false;

  /**
   * mirror sends one request's mirror copy (nginx's background subrequest): kube-proxy picks a shadow
   * endpoint, the pod answers by its image's behaviour and counts it in http_requests_total like any
   * request. The answer is discarded: nothing here touches the client's status, the client totals or
   * nginx_ingress_controller_requests (monitor.lua logs the main request only). Returns the status.
   */
  mirror(m: MirrorRt, ctx: PickContext, random: () => number): number {
    const up = m.up;
    if (!up || up.eligible.length === 0) return 0;
    const el = up.eligible;
    const ep = (this.mode === 'iptables' && up.service.spec.sessionAffinity !== 'ClientIP' ? el[Math.floor(random() * el.length)] : pickEndpoint(ctx, up, NGINX_POD_IP)) as RtEp | undefined;
    if (!ep) return 0;
    const conn = this.connect(ep, 'ingress');
    if (ep.n === 0) this.touchedEps.push(ep);
    ep.n++;
    if (conn !== 0) {
      ep.err++;
      if (m.edge) this.count(m.edge, true);
      return 0;
    }
    const b = ep.beh;
    const status = b.errorRate > 0 && random() < b.errorRate ? 500 : 200;
    let lat = b.latencyMs;
    if (b.jitterMs > 0) lat = Math.max(0, lat + (random() * 2 - 1) * b.jitterMs);
    this.recordApp(ep, status, lat);
    ep.served++;
    if (status >= 500) {
      ep.err++;
      ep.servedErr++;
    }
    if (m.edge) this.count(m.edge, status >= 500);
    return status;
  }

  // ---- outcomes and metrics ----

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

  metrics(): MetricsState {
    return this.state.metrics;
  }

  /** recordApp counts a request the application answered (http_requests_total, duration histogram). */
  recordApp(ep: RtEp, status: number, latencyMs: number): void {
    if (status === 200) ep.p200++;
    else if (status === 500) ep.p500++;
    else this.appCounter(ep, status).cur++;
    const h = ep.hist ?? this.appHist(ep);
    // observe(), inlined: this runs once per simulated request.
    const v = latencyMs / 1000;
    const b = h.bounds;
    let i = 0;
    while (i < b.length && v > b[i]) i++;
    h.counts[i]++;
    h.sum += v;
    h.count++;
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
    let c = ep.byCode[status];
    if (!c) {
      const m = this.metrics();
      c = ep.byCode[status] = counter(m, 'http_requests_total', {
        namespace: ep.podNs,
        service: ep.up.service.metadata.name,
        pod: ep.podName,
        image: ep.image,
        code: String(status),
      });
      const list = (this.state.podSeries[`${ep.podNs}/${ep.podName}`] ??= []);
      const idx = m.byKey[seriesKey(c.labels)];
      if (!list.includes(idx)) list.push(idx);
    }
    if (status === 200) ep.ok = c;
    else if (status === 500) ep.c500 = c;
    return c;
  }

  /** appHist returns (creating) http_request_duration_seconds{namespace,service,image} for an endpoint. */
  appHist(ep: RtEp): Histogram {
    return (ep.hist ??= histogram(this.metrics(), 'http_request_duration_seconds', {
      namespace: ep.podNs,
      service: ep.up.service.metadata.name,
      image: ep.image,
    }));
  }

  /** ngx returns the nginx_ingress_controller_requests counters for an ingress location. */
  ngxCounters(t: Target & { kind: 'ingress' }, canary: boolean, host: string, method: string): NgxCounters {
    const [ns, name] = (t.ingress ?? '/').split('/');
    const path = t.route.kind === 'path' ? t.route.match.path : '';
    const service = t.mainBackend?.service ?? '';
    const canaryName = canary && t.canary ? t.canary.name : '';
    const key = `${ns}|${name}|${service}|${canaryName}|${host}|${method}|${path}`;
    let c = this.ngxCache.get(key);
    if (!c) {
      c = { labels: { namespace: ns, ingress: name, service, status: '', canary: canaryName, host, method, path }, byStatus: {}, ok: undefined, hist: undefined };
      this.ngxCache.set(key, c);
    }
    return c;
  }

  recordNgx(c: NgxCounters, status: number, latencyMs: number): void {
    this.ngxCounter(c, status).cur++;
    observe(c.hist ?? this.ngxHist(c), latencyMs / 1000);
  }

  /** ngxCounter returns (creating) nginx_ingress_controller_requests for one status. */
  ngxCounter(c: NgxCounters, status: number): Series {
    let s = c.byStatus[status];
    if (!s) s = c.byStatus[status] = counter(this.metrics(), 'nginx_ingress_controller_requests', { ...c.labels, status: String(status) });
    if (status === 200) c.ok = s;
    return s;
  }

  ngxHist(c: NgxCounters): Histogram {
    if (!c.hist) {
      const { status: _s, host: _h, method: _m, path: _p, ...hl } = c.labels;
      c.hist = histogram(this.metrics(), 'nginx_ingress_controller_request_duration_seconds', hl);
    }
    return c.hist;
  }

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

  // ---- one request ----

  /** request sends one simulated HTTP request now and returns what the client sees. */
  request(req: HttpRequest): RequestResult {
    const sim = this.sim;
    this.ensure();
    this.catchUpMetrics(sim.now() - 1);
    this.batch++;
    const url = parseUrl(req);
    const headers = req.headers ?? {};
    const hostHeader = headerValue(headers, 'host') ?? (url.port === (url.scheme === 'https' ? 443 : 80) ? url.host : `${url.host}:${url.port}`);
    const method = (req.method ?? 'GET').toUpperCase();
    let fromPod: Pod | undefined;
    if (req.from) {
      const [ns, name] = req.from.includes('/') ? req.from.split('/', 2) : ['default', req.from];
      fromPod = sim.store.get<Pod>('Pod', ns, name);
    }
    const ns = fromPod?.metadata.namespace ?? 'default';
    const cip = req.clientIp ?? fromPod?.status?.podIP ?? clientIp(0);
    const peer: Peer = fromPod ? { kind: 'pod', pod: fromPod } : { kind: 'external', ip: cip };
    // Counted from where it came: a pod's request (kubectl exec … wget) is that pod's, as its loops are, not the Internet's.
    const client = fromPod ? `pod:${ns}/${fromPod.metadata.name}` : 'client';
    const random = batchRandom(sim.rng.next32());
    // Inside a pod, the loopback address is the pod's own network namespace, shared by its containers
    // (never kube-proxy, an Ingress or a NetworkPolicy); from outside it stays the ingress controller's
    // address, as `curl localhost` reaches it through a kind or minikube port mapping.
    const loopback = !!fromPod && isLoopback(url.host);
    const t: Target = loopback ? { kind: 'pod', pod: fromPod!, port: url.port } : this.nodeLocal(this.target(url.host, url.port, url.path, ns, hostHeader, fromPod), fromPod);
    const res: RequestResult = { status: 0, latencyMs: 0, via: 'none', headers: {}, body: '', host: url.host, port: url.port, canary: false, attempts: 0 };
    const finish = (r: RequestResult): RequestResult => {
      this.totals.n++;
      if (r.status === 0 || r.status >= 500) this.totals.err++;
      const k = r.status ? String(r.status) : r.error ?? 'error';
      this.totals.statuses[k] = (this.totals.statuses[k] ?? 0) + 1;
      this.pendingSamples.push({
        t: sim.now(),
        host: hostHeader,
        path: url.path,
        ingress: r.ingress,
        service: r.service,
        pod: r.pod,
        version: r.image,
        status: r.status,
        latencyMs: r.latencyMs,
        canary: r.canary,
      });
      this.flushSummary();
      return r;
    };
    if (t.kind === 'unresolved') return finish({ ...res, error: 'unresolved', latencyMs: t.timedOut ? DNS_TIMEOUT_MS : 0 });
    if (t.kind === 'unreachable') return finish({ ...res, error: 'timeout', latencyMs: TCP_CONNECT_TIMEOUT_MS });
    if (t.kind === 'pod') {
      res.via = 'pod';
      const c = servingContainer(t.pod, t.port, sim);
      let conn = connectOutcome(sim, t.pod, t.pod.spec.nodeName, c?.name);
      if (conn === 0 && !loopback && this.hasPolicies && !allowed(sim, peer, t.pod, t.port)) conn = TIMEOUT;
      res.pod = `${t.pod.metadata.namespace}/${t.pod.metadata.name}`;
      res.podIP = t.pod.status?.podIP;
      res.node = t.pod.spec.nodeName;
      res.image = c?.image;
      if (conn === REFUSED) return finish({ ...res, error: 'refused' });
      if (conn === TIMEOUT) return finish({ ...res, error: 'timeout', latencyMs: TCP_CONNECT_TIMEOUT_MS });
      const [status, lat] = serve(appBehavior(sim, c?.image), random);
      return finish(this.appResponse(res, status, lat, undefined, { namespace: t.pod.metadata.namespace ?? 'default', pod: t.pod.metadata.name, container: c?.name, image: c?.image ?? '' }, method, url.path, hostHeader));
    }
    if (t.kind === 'service') {
      res.via = 'service';
      res.service = `${t.service.metadata.namespace ?? 'default'}/${t.service.metadata.name}`;
      if (!t.up) return finish({ ...res, error: 'timeout', latencyMs: TCP_CONNECT_TIMEOUT_MS });
      const up = t.up;
      let eligible = up.eligible;
      // externalTrafficPolicy Local through a node with none of the endpoints: kube-proxy DROPs the packet
      // (the client times out); only a Service with no endpoints anywhere REJECTs it (refused).
      const localOnly = !!t.viaNode && t.service.spec.externalTrafficPolicy === 'Local';
      if (localOnly) eligible = eligible.filter((e) => e.node === t.viaNode);
      const ep = pickEndpoint(this.pickContext(random), { ...up, eligible }, cip) as RtEp | undefined;
      if (!ep) return finish(localOnly && up.eligible.length > 0 ? { ...res, error: 'timeout', latencyMs: TCP_CONNECT_TIMEOUT_MS } : { ...res, error: 'refused' });
      Object.assign(res, { pod: `${ep.podNs}/${ep.podName}`, podIP: ep.ip, node: ep.node, image: ep.image, attempts: 1 });
      const conn = this.connect(ep, peer);
      this.count(this.edge(client, `service:${res.service}`), conn !== 0);
      if (conn !== 0) {
        if (ep.n === 0) this.touchedEps.push(ep);
        ep.n++;
        ep.err++;
        return finish(conn === REFUSED ? { ...res, error: 'refused' } : { ...res, error: 'timeout', latencyMs: TCP_CONNECT_TIMEOUT_MS });
      }
      const [status, lat] = serve(ep.beh, random);
      this.recordApp(ep, status, lat);
      if (this.mode === 'ipvs' && (this.scheduler === 'lc' || this.scheduler === 'wlc')) trackConnection(this.state.proxy, ep.key, sim.now() + lat);
      if (ep.n === 0) this.touchedEps.push(ep);
      ep.n++;
      ep.served++;
      if (status >= 500) {
        ep.err++;
        ep.servedErr++;
      }
      return finish(this.appResponse(res, status, lat, res.service, serverOf(ep), method, url.path, hostHeader));
    }
    // Through ingress-nginx.
    res.via = 'ingress';
    if (fromPod && !this.podReachesIngress(fromPod, url.scheme === 'https' ? 443 : 80)) return finish({ ...res, error: 'timeout', latencyMs: TCP_CONNECT_TIMEOUT_MS });
    const out = this.throughIngress(t, hostHeader, method, headers, parseCookies(req.cookie ?? headerValue(headers, 'cookie')), random, url.path, client);
    return finish({ ...res, ...out });
  }

  pickContext(random: () => number): PickContext {
    return { mode: this.mode, scheduler: this.scheduler, state: this.state.proxy, now: this.sim.now(), random };
  }

  /**
   * throughIngress is one request through ingress-nginx: location → (canary?) upstream → round-robin
   * endpoint, retrying the next endpoint on a refused or timed-out connection up to NGINX_TRIES.
   */
  throughIngress(
    t: Target & { kind: 'ingress' },
    host: string,
    method: string,
    headers: Record<string, string>,
    cookies: Record<string, string>,
    random: () => number,
    path: string,
    client = 'client',
  ): Partial<RequestResult> {
    if (t.route.kind === 'none') {
      const page = nginxPage(404);
      return { ...page, headers: { Date: httpDate(this.sim.now()), ...page.headers } };
    }
    const useCanary = !!(t.canary && t.policy && routeToCanary(t.policy, headers, cookies, random));
    const up = useCanary ? t.canary : t.main;
    const ng = this.ngxCounters(t, useCanary, normalizeHost(host), method);
    const ingEdge = this.edge(client, `ingress:${t.ingress}`);
    const result = { ...this.nginxAttempts(up, random) };
    const svcName = up ? `${up.service.metadata.namespace ?? 'default'}/${up.service.metadata.name}` : t.mainBackend ? `${t.mainBackend.namespace}/${t.mainBackend.service}` : undefined;
    this.count(ingEdge, result.status >= 500);
    if (svcName) this.count(this.edge(`ingress:${t.ingress}`, `service:${svcName}`), result.status >= 500);
    this.recordNgx(ng, result.status, result.latencyMs);
    // The mirror subrequest starts with the request; its answer never reaches the client.
    if (t.mirror) this.mirror(t.mirror, this.pickContext(random), random);
    const base: Partial<RequestResult> = { ingress: t.ingress, service: svcName, canary: useCanary, attempts: result.attempts, latencyMs: result.latencyMs };
    if (!result.ep) {
      const page = nginxPage(result.status);
      return { ...base, ...page, headers: { Date: httpDate(this.sim.now()), ...page.headers }, latencyMs: result.latencyMs };
    }
    const ep = result.ep;
    const app = this.appResponse({ status: 0 } as RequestResult, result.status, result.latencyMs, svcName, serverOf(ep), method, path, host);
    // nginx answers the client itself: its Connection header goes before the proxied ones.
    const ordered: Record<string, string> = {};
    for (const k of ['Date', 'Content-Type', 'Content-Length']) if (app.headers[k] !== undefined) ordered[k] = app.headers[k];
    ordered.Connection = 'keep-alive';
    for (const k of Object.keys(app.headers)) if (!(k in ordered)) ordered[k] = app.headers[k];
    return { ...base, pod: `${ep.podNs}/${ep.podName}`, podIP: ep.ip, node: ep.node, image: ep.image, status: app.status, headers: ordered, body: app.body };
  }

  /** nginxAttempts runs the balancer: status, latency, the endpoint that answered (if any). */
  nginxAttempts(up: RtUpstream | null, random: () => number): Attempt {
    const out = this.scratch;
    out.ep = undefined;
    if (!up || up.ready.length === 0) {
      out.status = 503;
      out.latencyMs = 0;
      out.attempts = 0;
      return out;
    }
    let latency = 0;
    let lastFail = 0;
    const tries = Math.min(NGINX_TRIES, up.ready.length);
    for (let a = 1; a <= tries; a++) {
      const rr = up.rr;
      const i = (rr.i + 1) % up.ready.length;
      rr.i = i;
      const ep = up.ready[i];
      const conn = this.connect(ep, 'ingress');
      if (conn === 0) {
        const b = ep.beh;
        const status = b.errorRate > 0 && random() < b.errorRate ? 500 : 200;
        let lat = b.latencyMs;
        if (b.jitterMs > 0) lat = Math.max(0, lat + (random() * 2 - 1) * b.jitterMs);
        latency += lat;
        this.recordApp(ep, status, lat);
        if (ep.n === 0) this.touchedEps.push(ep);
        ep.n++;
        ep.served++;
        if (status >= 500) {
          ep.err++;
          ep.servedErr++;
        }
        out.status = status;
        out.latencyMs = latency;
        out.attempts = a;
        out.ep = ep;
        return out;
      }
      if (ep.n === 0) this.touchedEps.push(ep);
      ep.n++;
      ep.err++;
      lastFail = conn;
      latency += conn === TIMEOUT ? NGINX_CONNECT_TIMEOUT_MS : 0;
    }
    // All attempts failed: 502 Bad Gateway after refusals, 504 Gateway Time-out after timeouts.
    out.status = lastFail === TIMEOUT ? 504 : 502;
    out.latencyMs = latency;
    out.attempts = tries;
    return out;
  }

  /**
   * staticFile is what an nginx image run as is serves from its document root (/usr/share/nginx/html,
   * index.html for a directory) when the simulation knows that file: one a neighbour container, kubectl
   * exec or an earlier pod on the same claim wrote, or a ConfigMap's (the docs' shared-volume and
   * StatefulSet examples). Otherwise the generic answer stands (the image's own pages are not simulated).
   */
  private staticFile(server: Server, path: string): { kind: 'file'; data: string } | { kind: 'missing' } | undefined {
    if (!server.container || !NGINX_IMAGES.has(imageRepo(server.image))) return undefined;
    const pod = this.sim.store.get<Pod>('Pod', server.namespace, server.pod);
    const c = pod?.spec.containers.find((x) => x.name === server.container);
    if (!pod || !c || c.command?.length || c.args?.length) return undefined;
    const k = this.sim.services.get('kubelet') as { servedFile?(pod: Pod, container: string, path: string): { kind: 'file'; data: string } | { kind: 'missing' } | undefined } | undefined;
    let rel: string;
    try {
      rel = decodeURIComponent(path.split('?')[0]);
    } catch {
      return undefined;
    }
    if (rel.split('/').includes('..')) return undefined;
    return k?.servedFile?.(pod, c.name, `${NGINX_ROOT}${rel.endsWith('/') ? `${rel}index.html` : rel}`);
  }

  private appResponse(res: RequestResult, status: number, latencyMs: number, service: string | undefined, server: Server, method: string, path: string, host: string): RequestResult {
    const { pod, image } = server;
    const served = status === 200 && (method === 'GET' || method === 'HEAD') ? this.staticFile(server, path) : undefined;
    if (served?.kind === 'missing') {
      // nginx's own pages: no index.html in a directory is 403 (autoindex is off), another missing file 404.
      const page = nginxPage(path.split('?')[0].endsWith('/') ? 403 : 404, nginxVersion(image));
      return { ...res, status: page.status!, latencyMs, headers: { Date: httpDate(this.sim.now()), ...page.headers! }, body: page.body! };
    }
    // The HPA walkthrough's php-apache (hpa-example) computes its square roots and prints OK! (its index.php).
    const file = served?.data ?? (status === 200 && imageRepo(image) === 'hpa-example' ? 'OK!' : undefined);
    const body = file !== undefined ? file : status === 200 ? `${method} ${path} served by ${pod} (${image || 'unknown image'}) for ${host}\n` : 'Internal Server Error\n';
    const headers: Record<string, string> = {
      Date: httpDate(this.sim.now()),
      'Content-Type': served ? contentType(path) : file !== undefined ? 'text/html; charset=UTF-8' : 'text/plain; charset=utf-8',
      'Content-Length': String(body.length),
    };
    if (service) headers['x-kubeplay-service'] = service;
    headers['x-kubeplay-pod'] = pod;
    return { ...res, status, latencyMs, headers, body };
  }

  // ---- metrics and summary ----

  /** query evaluates PromQL at timeMs (default now). Throws ParseError / EvalError. */
  query(expr: string, timeMs = this.sim.now()): Value {
    // Record the scrapes due so far (never ahead of the clock: later traffic must land in later scrapes).
    this.syncAppCounters();
    catchUp(this.metrics(), Math.min(timeMs, this.sim.now()));
    return evaluate(parse(expr), this.metrics(), timeMs);
  }

  /** flushSummary moves the accumulated counts into the bucket of the current second. */
  flushSummary(): void {
    this.collectEndpointCounts();
    if (this.touched.length === 0 && this.pendingSamples.length === 0 && this.totals.n === 0) return;
    const st = this.state;
    const t = Math.floor(this.sim.now() / SUMMARY_BUCKET_MS) * SUMMARY_BUCKET_MS;
    let b = st.summary[st.summary.length - 1];
    const fresh = !b || b.t !== t;
    if (!b || b.t !== t) {
      b = { t, total: 0, errors: 0, edgeKeys: [], edgeCounts: [], versions: {}, statuses: {}, samples: [] };
      st.summary.push(b);
      while (st.summary.length > 0 && st.summary[0].t <= t - SUMMARY_SECONDS * 1000) st.summary.shift();
    }
    for (const a of this.touched) {
      if (!a.key.includes('>')) {
        const cur = (b.versions[a.key] ??= [0, 0]);
        cur[0] += a.n;
        cur[1] += a.err;
      } else if (fresh) {
        // A new bucket: every accumulator is a distinct edge, append without looking up.
        b.edgeKeys.push(a.key);
        b.edgeCounts.push(a.n, a.err);
      } else {
        if (this.bucketIndexT !== b.t || this.bucketIndexLen !== b.edgeKeys.length) {
          this.bucketIndex.clear();
          b.edgeKeys.forEach((k, j) => this.bucketIndex.set(k, j));
          this.bucketIndexT = b.t;
        }
        let i = this.bucketIndex.get(a.key) ?? -1;
        if (i < 0) {
          i = b.edgeKeys.length;
          b.edgeKeys.push(a.key);
          b.edgeCounts.push(0, 0);
          this.bucketIndex.set(a.key, i);
        }
        b.edgeCounts[2 * i] += a.n;
        b.edgeCounts[2 * i + 1] += a.err;
        this.bucketIndexLen = b.edgeKeys.length;
      }
      a.n = 0;
      a.err = 0;
    }
    this.touched = [];
    b.total += this.totals.n;
    b.errors += this.totals.err;
    for (const k in this.totals.statuses) b.statuses[k] = (b.statuses[k] ?? 0) + this.totals.statuses[k];
    this.totals = { n: 0, err: 0, statuses: {} };
    for (const s of this.pendingSamples) if (b.samples.length < 50) b.samples.push(s);
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

/** Server is the container that answered a request: its pod, its name and image. */
interface Server {
  namespace: string;
  pod: string;
  container: string | undefined;
  image: string;
}

function serverOf(ep: RtEp): Server {
  return { namespace: ep.podNs, pod: ep.podName, container: ep.container, image: ep.image };
}

/** isLoopback: localhost, 127.0.0.0/8 or ::1 (a URL's host, brackets and case as written). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
