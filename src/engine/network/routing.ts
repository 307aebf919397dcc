/**
 * routing: where a connection to host:port goes, as the data plane compiles it. RoutingTables holds
 * the derived caches NetworkService drops on any watch event of a kind they depend on: the cluster's
 * addresses (Service ClusterIPs and LoadBalancer IPs, node and pod IPs), the ingress-nginx table, each
 * service port's endpoints as kube-proxy programs them, each resolved target, and the per-edge and
 * per-version counters the compiled endpoints carry.
 */
import type { Node, Pod, Service, ServicePort } from '../api/types.ts';
import { inServiceRange } from '../api/ipallocator.ts';
import { APISERVER_ADDRESS } from '../api/kubernetesservice.ts';
import { compileIngresses, matchesHost, normalizeHost, routeIngress, servedByNginx, splitMirrorUrl, type IngressBackendRef, type IngressTable, type MirrorPolicy } from './ingress.ts';
import { buildUpstream, ipNum, type Ep } from './kubeproxy.ts';
import { appBehavior, podListening, servingContainer } from './backend.ts';
import { INGRESS_NGINX_NAMESPACE, INGRESS_NGINX_PEER, type Peer } from './netpol.ts';
import { dnsAnswers, followCname, resolve } from './dns.ts';
import { INGRESS_NGINX_IP } from './ingresscontroller.ts';
import type { NetworkService } from './service.ts';
import type { EdgeAcc, MirrorRt, RtEp, RtUpstream, Target } from './model.ts';

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
export const NGINX_POD_IP = (INGRESS_NGINX_PEER as Extract<Peer, { kind: 'virtual' }>).ip;

/** RoutingTables is NetworkService's compiled routing for one epoch (see rebuild). */
export class RoutingTables {
  private table?: IngressTable;
  private ups = new Map<string, RtUpstream | null>();
  private byClusterIP = new Map<string, Service>();
  private byLbIP = new Map<string, Service>();
  private nodeByIP = new Map<string, string>();
  private podByIP = new Map<string, Pod>();
  private versions = new Map<string, EdgeAcc>();
  private edges = new Map<string, EdgeAcc>();
  private targets = new Map<string, Target>();
  private dnsByPod = new Map<string, boolean>();
  private resolvingMirror = false;

  constructor(private readonly net: NetworkService) {}

  /** rebuild drops everything compiled (routes, endpoints, counters) and indexes the addresses of the world as it is. */
  rebuild(): void {
    const sim = this.net.sim;
    this.table = undefined;
    this.targets.clear();
    this.ups.clear();
    this.versions.clear();
    this.edges.clear();
    this.byClusterIP.clear();
    this.byLbIP.clear();
    this.nodeByIP.clear();
    this.podByIP.clear();
    this.dnsByPod.clear();
    for (const s of sim.store.list<Service>('Service')) {
      const ip = s.spec.clusterIP;
      if (ip && ip !== 'None') this.byClusterIP.set(ip, s);
      for (const ing of s.status?.loadBalancer?.ingress ?? []) if (ing.ip) this.byLbIP.set(ing.ip, s);
    }
    for (const n of sim.store.list<Node>('Node')) {
      for (const a of n.status?.addresses ?? []) if (a.type === 'InternalIP' || a.type === 'ExternalIP') this.nodeByIP.set(a.address, n.metadata.name);
    }
  }

  private podForIP(ip: string): Pod | undefined {
    if (this.podByIP.size === 0) {
      for (const p of this.net.sim.store.list<Pod>('Pod')) if (p.status?.podIP && !this.podByIP.has(p.status.podIP)) this.podByIP.set(p.status.podIP, p);
    }
    return this.podByIP.get(ip);
  }

  ingressTable(): IngressTable {
    this.net.ensure();
    if (!this.table) {
      const store = this.net.sim.store;
      const classes = store.list('IngressClass');
      this.table = compileIngresses(store.list('Ingress').filter((i) => servedByNginx(i, classes)));
    }
    return this.table;
  }

  private acc(map: Map<string, EdgeAcc>, key: string): EdgeAcc {
    let a = map.get(key);
    if (!a) map.set(key, (a = { key, n: 0, err: 0 }));
    return a;
  }

  edge(from: string, to: string): EdgeAcc {
    return this.acc(this.edges, `${from}>${to}`);
  }

  /** upstream compiles a service port's endpoints (cached until the next invalidation). */
  upstream(svc: Service, sp: ServicePort): RtUpstream {
    this.net.ensure();
    const sim = this.net.sim;
    const ns = svc.metadata.namespace ?? 'default';
    const key = `${ns}/${svc.metadata.name}:${sp.port}`;
    const cached = this.ups.get(key);
    if (cached) return cached;
    const raw = buildUpstream(sim, svc, sp);
    const name = `${ns}-${svc.metadata.name}-${sp.port}`;
    const base = { ...raw, name, rr: (this.net.state.nginxRr[name] ??= { i: -1 }) } as unknown as RtUpstream;
    // Every endpoint gets the same object shape (all fields set), so the traffic loop stays monomorphic.
    const conv = new Map<Ep, RtEp>();
    for (const listed of raw.eps) {
      const e = listed.pod ? listed : this.atAddress(listed);
      const c = servingContainer(e.pod, e.port, sim);
      const image = c?.image ?? '';
      const beh = appBehavior(sim, image);
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
        version: this.acc(this.versions, image || '(unknown)'),
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
    const svc = this.net.sim.store.get<Service>('Service', b.namespace, b.service);
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
    this.net.ensure();
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

  /** servedHost: some Ingress rule names the host (exactly or by its wildcard). */
  private servedHost(h: string): boolean {
    const table = this.ingressTable();
    return table.exact.has(h) || table.wildcard.some((w) => matchesHost(`*${w.suffix}`, h));
  }

  /** dnsFor is dnsAnswers for one pod, kept until the world changes (a traffic tick asks for each source). */
  private dnsFor(pod: Pod): boolean {
    const uid = pod.metadata.uid ?? '';
    let ok = this.dnsByPod.get(uid);
    if (ok === undefined) this.dnsByPod.set(uid, (ok = dnsAnswers(this.net.sim, pod)));
    return ok;
  }

  private resolveTarget(host: string, port: number, path: string, ns: string, hostHeader: string): Target {
    const sim = this.net.sim;
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
        const svc = sim.store.list<Service>('Service').find((s) => (s.spec.ports ?? []).some((p) => p.nodePort === port));
        return svc ? svcTarget(svc, node, true) : { kind: 'unreachable' };
      }
      const pod = this.podForIP(h);
      if (pod) return { kind: 'pod', pod, port };
      // A Service address no Service has (kube-proxy has no rule for it), or a pod address no pod has:
      // the packets go nowhere and the client times out. (The ingress controller's pod address is its own.)
      if (inServiceRange(h) || (ipNum(h) >>> 16 === POD_NET && h !== NGINX_POD_IP)) return { kind: 'unreachable' };
    } else if (h) {
      const answer = resolve(sim, h, ns);
      // The cluster's DNS not answering (CoreDNS scaled to 0): its names resolve nowhere; others are the outside world's.
      if (answer && !dnsAnswers(sim)) return DNS_TIMED_OUT;
      // An ExternalName naming a cluster Service resolves to it (followCname); any other CNAME has no upstream here.
      const a = answer?.type === 'CNAME' ? followCname(sim, answer) : answer;
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
}

/**
 * nodeLocal is a Service target as a pod sees it under internalTrafficPolicy Local: kube-proxy sends
 * the pod's connections only to endpoints on the pod's own node, and drops them when that node has
 * none (the client times out; a Service with no endpoints anywhere still refuses). Other targets, and
 * clients outside the cluster, are returned as they are.
 */
export function nodeLocal(t: Target, from: Pod | undefined): Target {
  const node = from?.spec.nodeName;
  if (t.kind !== 'service' || !t.up || t.viaNode || !node || t.service.spec.internalTrafficPolicy !== 'Local') return t;
  const eligible = t.up.eligible.filter((e) => e.node === node);
  if (eligible.length === 0 && t.up.eligible.length > 0) return { kind: 'unreachable', why: `Service ${t.service.metadata.name} has internalTrafficPolicy Local and no ready endpoint on ${node}, the node of pod ${from!.metadata.name}: kube-proxy drops its connections` };
  return { ...t, up: { ...t.up, eligible, ready: t.up.ready.filter((e) => e.node === node) } };
}

/** isLoopback: localhost, 127.0.0.0/8 or ::1 (a URL's host, brackets and case as written). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
