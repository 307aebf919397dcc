/**
 * traffic generates the Scenario's spec.traffic and `kubeplay traffic set` streams: each source is a
 * seeded Poisson process (exponential gaps with mean 1000/rps ms) on the virtual clock. Requests are
 * not timers: one timer per simulated second ("network/traffic") routes every source's arrivals of
 * the past second in a tight loop over precompiled routing tables, bumps pre-aggregated counters, and
 * keeps a few individual requests as samples for the UI.
 */
import type { Pod } from '../api/types.ts';
import type { Sim, TrafficSpec } from '../sim.ts';
import { canaryByRequest, canaryByWeight, headerValue, normalizeHost, parseCookies, type CanaryPolicy } from './ingress.ts';
import { pickEndpoint, trackConnection } from './kubeproxy.ts';
import { TIMEOUT } from './backend.ts';
import { batchRandom } from './random.ts';
import type { NetworkService } from './service.ts';
import { clientIp, DNS_TIMEOUT_MS, TCP_CONNECT_TIMEOUT_MS, type EdgeAcc, type NgxCounters, type RequestSample, type RtEp, type Target, type TrafficSource } from './model.ts';

export const TRAFFIC_TIMER = 'network/traffic';
/** DEFAULT_CLIENTS is how many distinct clients a traffic entry without `clients` simulates. */
export const DEFAULT_CLIENTS = 100;
/** MAX_RPS bounds one source (input from strangers): 100,000 requests per simulated second. */
export const MAX_RPS = 100_000;
const SAMPLES_PER_SECOND = 5;

interface Compiled {
  epoch: number;
  target: Target;
  host: string;
  path: string;
  method: string;
  clients: string[];
  decided?: boolean; // canary decided by fixed header/cookie
  policy?: CanaryPolicy;
  ngMain?: NgxCounters;
  ngCanary?: NgxCounters;
  inEdge?: EdgeAcc;
  svcEdgeMain?: EdgeAcc;
  svcEdgeCanary?: EdgeAcc;
}

/** validateTrafficSpec returns an error message for a bad entry, or undefined. */
export function validateTrafficSpec(spec: TrafficSpec): string | undefined {
  if (typeof spec.rps !== 'number' || !Number.isFinite(spec.rps) || spec.rps <= 0) return 'rps must be a positive number';
  if (spec.rps > MAX_RPS) return `rps must be at most ${MAX_RPS}`;
  if (spec.clients !== undefined && (!Number.isInteger(spec.clients) || spec.clients < 1 || spec.clients > 1_000_000)) return 'clients must be an integer between 1 and 1000000';
  if (spec.path !== undefined && !String(spec.path).startsWith('/')) return 'path must start with "/"';
  return undefined;
}

/** addSource starts (or replaces, by name) a traffic source now. */
export function addSource(net: NetworkService, spec: TrafficSpec, name?: string): TrafficSource {
  const st = net.state;
  const n = name ?? `traffic-${st.nextSourceId++}`;
  const src: TrafficSource = { name: n, spec: { ...spec }, nextArrival: net.sim.now() };
  const i = st.sources.findIndex((s) => s.name === n);
  if (i >= 0) {
    src.nextArrival = st.sources[i].nextArrival;
    st.sources[i] = src;
  } else st.sources.push(src);
  scheduleTick(net);
  return src;
}

/** removeSources stops one source by name, or all; returns the names stopped. */
export function removeSources(net: NetworkService, name?: string): string[] {
  const st = net.state;
  const gone = st.sources.filter((s) => name === undefined || s.name === name).map((s) => s.name);
  st.sources = st.sources.filter((s) => !gone.includes(s.name));
  return gone;
}

/** scheduleTick makes sure a traffic tick is due at the next whole second while sources exist. */
export function scheduleTick(net: NetworkService): void {
  const st = net.state;
  if (st.sources.length === 0) return;
  const now = net.sim.now();
  if (st.tickAt !== null && st.tickAt > now) return;
  const at = (Math.floor(now / 1000) + 1) * 1000;
  st.tickAt = at;
  net.sim.at(at, TRAFFIC_TIMER, '');
}

function compile(net: NetworkService, src: TrafficSource): Compiled {
  net.ensure();
  const c = net.sourceCache.get(src) as Compiled | undefined;
  if (c && c.epoch === net.epoch) return c;
  const spec = src.spec;
  const headers = spec.headers ?? {};
  const host = spec.host ?? headerValue(headers, 'host') ?? '';
  const path = spec.path ?? '/';
  const port = spec.scheme === 'https' ? 443 : 80;
  const [h, p] = host.includes(':') && !host.startsWith('[') ? [host.slice(0, host.lastIndexOf(':')), Number(host.slice(host.lastIndexOf(':') + 1))] : [host, port];
  // A pod's requests resolve names in its namespace and come from its address.
  const fromPod = src.from && net.sim.store.get<Pod>('Pod', src.from.namespace, src.from.pod);
  let target = net.nodeLocal(net.target(h, p, path, src.from?.namespace ?? 'default', undefined, fromPod), fromPod);
  if (fromPod && target.kind === 'ingress' && !net.podReachesIngress(fromPod, port)) target = { kind: 'unreachable', why: `a NetworkPolicy stops pod ${fromPod.metadata.name}'s connections to the ingress controller` };
  const podIP = fromPod?.status?.podIP;
  const n = Math.min(spec.clients ?? DEFAULT_CLIENTS, 100_000);
  const clients = podIP ? [podIP] : Array.from({ length: n }, (_, i) => clientIp(i));
  const out: Compiled = { epoch: net.epoch, target, host: normalizeHost(host), path, method: (spec.method ?? 'GET').toUpperCase(), clients };
  // A pod's requests are counted from the pod (the Traffic view draws where they come from).
  const client = src.from ? `pod:${src.from.namespace}/${src.from.pod}` : 'client';
  if (target.kind === 'ingress' && target.route.kind !== 'none') {
    out.inEdge = net.edge(client, `ingress:${target.ingress}`);
    const cookies = parseCookies(spec.cookie ?? headerValue(headers, 'cookie'));
    if (target.policy) {
      out.policy = target.policy;
      // A fixed header or cookie decides every request the same way; only the weight needs a draw.
      out.decided = canaryByRequest(target.policy, headers, cookies);
    }
    out.ngMain = net.ngxCounters(target, false, out.host, out.method);
    if (target.canary) out.ngCanary = net.ngxCounters(target, true, out.host, out.method);
    const svc = (up: typeof target.main) => (up ? `${up.service.metadata.namespace ?? 'default'}/${up.service.metadata.name}` : target.mainBackend ? `${target.mainBackend.namespace}/${target.mainBackend.service}` : '');
    out.svcEdgeMain = net.edge(`ingress:${target.ingress}`, `service:${svc(target.main)}`);
    if (target.canary) out.svcEdgeCanary = net.edge(`ingress:${target.ingress}`, `service:${svc(target.canary)}`);
  } else if (target.kind === 'service') {
    out.inEdge = net.edge(client, `service:${target.service.metadata.namespace ?? 'default'}/${target.service.metadata.name}`);
  }
  net.sourceCache.set(src, out);
  return out;
}

/**
 * runLoopback sends a pod's requests to its own loopback address (a sidecar polling localhost) one by
 * one, as kubectl exec's are sent: they reach a container of the same pod, never kube-proxy, an Ingress
 * or a NetworkPolicy. Such loops wait for each answer, so they are few requests a second.
 */
function runLoopback(net: NetworkService, src: TrafficSource, c: Compiled, toMs: number): void {
  const from = src.from!;
  const url = `${src.spec.scheme ?? 'http'}://${src.spec.host ?? 'localhost'}${c.path}`;
  const gap = src.loop ? Math.max(1, src.loop.gapMs) : 1000 / Math.max(1e-9, src.spec.rps);
  let next = src.nextArrival;
  while (next <= toMs) {
    const r = net.request({ url, method: c.method, headers: src.spec.headers ?? {}, from: `${from.namespace}/${from.pod}` });
    next += gap + (src.loop ? r.latencyMs : 0);
  }
  src.nextArrival = next;
}

/** onTrafficTick routes every source's arrivals in (now - 1 s, now]. */
export function onTrafficTick(net: NetworkService): void {
  const sim = net.sim;
  const st = net.state;
  st.tickAt = null;
  const now = sim.now();
  net.catchUpMetrics(now - 1);
  net.beginBatch();
  // A pod's loop sends while its container runs; a pod on a failed node sends nothing meanwhile.
  const kept: TrafficSource[] = [];
  for (const src of st.sources) {
    const sending = src.from ? podSending(net, src.from) : 'sending';
    if (sending === 'gone') continue;
    kept.push(src);
    if (sending === 'paused') src.nextArrival = now;
    else runSource(net, src, now);
  }
  st.sources = kept;
  // Everything counted in this tick goes into the module state now, so a snapshot between ticks is complete.
  net.flushSummary();
  scheduleTick(net);
}

/** podSending: whether a pod source's container is running ('gone' once it is not: a restart starts a new loop). */
function podSending(net: NetworkService, from: NonNullable<TrafficSource['from']>): 'sending' | 'paused' | 'gone' {
  const pod = net.sim.store.get<Pod>('Pod', from.namespace, from.pod);
  if (!pod || pod.metadata.uid !== from.uid) return 'gone';
  if (!pod.status?.containerStatuses?.find((s) => s.name === from.container)?.state?.running) return 'gone';
  return net.isNodeDown(pod.spec.nodeName) ? 'paused' : 'sending';
}

function runSource(net: NetworkService, src: TrafficSource, toMs: number): void {
  const sim: Sim = net.sim;
  const c = compile(net, src);
  if (c.target.kind === 'pod' && src.from) return runLoopback(net, src, c, toMs);
  const gen = batchRandom(sim.rng.next32());
  // Draws are pre-generated into a typed array (about 6 per expected request) and read inline, so
  // the loop never calls a closure that would box each double it returns.
  const buf = net.randomBuffer;
  const chunk = Math.min(buf.length, Math.ceil(src.spec.rps * 6) + 64);
  let len = 0;
  let pos = 0;
  const draw = (): number => {
    if (pos === len) {
      for (let k = 0; k < chunk; k++) buf[k] = gen();
      len = chunk;
      pos = 0;
    }
    return buf[pos++];
  };
  const mean = 1000 / src.spec.rps;
  const loopGap = src.loop ? Math.max(1, src.loop.gapMs) : undefined;
  const stride = Math.max(1, Math.round(src.spec.rps / SAMPLES_PER_SECOND));
  const t = c.target;
  const nClients = c.clients.length;
  const track = net.mode === 'ipvs' && (net.scheduler === 'lc' || net.scheduler === 'wlc');
  const ctx = net.pickContext(draw);
  const fromPod = src.from && net.sim.store.get<Pod>('Pod', src.from.namespace, src.from.pod);
  const podPeer = fromPod ? ({ kind: 'pod', pod: fromPod } as const) : undefined;
  let latencySum = 0;
  const viaIngress = t.kind === 'ingress' && t.route.kind !== 'none';
  const policy = viaIngress && t.canary ? c.policy : undefined;
  // A mirror-target location copies every request to the shadow Service (one branch per request otherwise).
  const mirror = viaIngress && t.mirror?.up ? t.mirror : undefined;
  const fastProxy = t.kind === 'service' && net.mode === 'iptables' && t.service.spec.sessionAffinity !== 'ClientIP' && !net.hasPolicies;
  const batch = net.batch;
  // Where nothing answers, the client waits: a dropped connection its connect timeout, a lookup no DNS server answers the resolver's.
  const failLatency = t.kind === 'unreachable' ? TCP_CONNECT_TIMEOUT_MS : t.kind === 'unresolved' && t.timedOut ? DNS_TIMEOUT_MS : 0;
  let next = src.nextArrival;
  let i = 0;
  let n = 0;
  let err = 0;
  let n200 = 0;
  let mainN = 0;
  let mainErr = 0;
  let canN = 0;
  let canErr = 0;
  const statuses = net.totals.statuses;
  while (next <= toMs) {
    let status = 0;
    let latency = 0;
    let ep: RtEp | undefined;
    let canary = false;
    let served = false;
    if (viaIngress) {
      const tt = t as Target & { kind: 'ingress' };
      if (policy) canary = c.decided ?? canaryByWeight(policy, draw);
      const up = canary ? tt.canary : tt.main;
      // The common case inline: the next round-robin endpoint accepts. Anything else → nginxAttempts.
      if (up !== null && up.ready.length > 0) {
        const rr = up.rr;
        const j = (rr.i + 1) % up.ready.length;
        const cand = up.ready[j];
        if (cand.stamp === batch && cand.conn === 0 && (!net.hasPolicies || cand.allowIngress === true)) {
          rr.i = j;
          ep = cand;
          served = true;
        }
      }
      if (!served) {
        const a = net.nginxAttempts(up, draw);
        status = a.status;
        latency = a.latencyMs;
        ep = a.ep;
      }
    } else if (t.kind === 'ingress') {
      status = 404;
    } else if (t.kind === 'service' && t.up) {
      ctx.now = Math.floor(next);
      let client = c.clients[0];
      if (fastProxy) {
        // iptables without affinity or policies: a uniform pick; who the client is does not matter.
        const el = t.up.eligible;
        ep = el.length > 0 ? el[Math.floor(draw() * el.length)] : undefined;
      } else {
        if (nClients > 1) client = c.clients[Math.floor(draw() * nClients)];
        ep = pickEndpoint(ctx, t.up, client) as RtEp | undefined;
      }
      if (ep) {
        const conn = net.connect(ep, net.hasPolicies ? (podPeer ?? { kind: 'external', ip: client }) : 'ingress');
        if (conn === 0) served = true;
        else {
          if (ep.n === 0) net.touchedEps.push(ep);
          ep.n++;
          ep.err++;
          latency = conn === TIMEOUT ? TCP_CONNECT_TIMEOUT_MS : 0;
        }
      }
    } else latency = failLatency;
    if (served) {
      // The application answers (inlined recordApp: counter, histogram, edge counts).
      const e = ep!;
      status = e.errorRate > 0 && draw() < e.errorRate ? 500 : 200;
      latency = e.latencyMs;
      if (e.jitterMs > 0) latency = Math.max(0, latency + (draw() * 2 - 1) * e.jitterMs);
      if (status === 200) e.p200++;
      else e.p500++;
      const h = e.hist ?? net.appHist(e);
      const v = latency / 1000;
      const bounds = h.bounds;
      let k = 0;
      while (k < bounds.length && v > bounds[k]) k++;
      h.counts[k]++;
      h.sum += v;
      h.count++;
      if (e.n === 0) net.touchedEps.push(e);
      e.n++;
      e.served++;
      if (status >= 500) {
        e.err++;
        e.servedErr++;
      }
      if (track) trackConnection(net.state.proxy, e.key, ctx.now + latency);
    }
    if (viaIngress) {
      const ng = canary ? c.ngCanary! : c.ngMain!;
      const s = (status === 200 ? ng.ok : undefined) ?? net.ngxCounter(ng, status);
      s.cur++;
      const h = ng.hist ?? net.ngxHist(ng);
      const v = latency / 1000;
      const bounds = h.bounds;
      let k = 0;
      while (k < bounds.length && v > bounds[k]) k++;
      h.counts[k]++;
      h.sum += v;
      h.count++;
      if (canary) {
        canN++;
        if (status >= 500) canErr++;
      } else {
        mainN++;
        if (status >= 500) mainErr++;
      }
      if (mirror) {
        ctx.now = Math.floor(next);
        net.mirror(mirror, ctx, draw);
      }
    } else if (t.kind === 'service') {
      mainN++;
      if (status === 0 || status >= 500) mainErr++;
    }
    n++;
    latencySum += latency;
    if (status === 200) n200++;
    else {
      if (status === 0 || status >= 500) err++;
      const key = status === 0 ? 'error' : String(status);
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
    if (i++ % stride === 0) {
      const smp: RequestSample = { t: Math.floor(next), source: src.name, host: c.host, path: c.path, status, latencyMs: latency, canary };
      if (t.kind === 'ingress') smp.ingress = t.ingress;
      if (ep) {
        smp.service = `${ep.up.service.metadata.namespace ?? 'default'}/${ep.up.service.metadata.name}`;
        smp.pod = `${ep.podNs}/${ep.podName}`;
        smp.version = ep.image;
      }
      net.pendingSamples.push(smp);
    }
    // A pod's loop is one client waiting for each answer: its next request goes gapMs after this one's.
    next += loopGap !== undefined ? loopGap + latency : -Math.log(1 - draw()) * mean;
  }
  src.nextArrival = next;
  // A closed loop: one request at a time, the next gapMs after the last answer.
  if (loopGap !== undefined && n > 0) src.spec.rps = Math.min(MAX_RPS, 1000 / (loopGap + latencySum / n));
  if (n200) statuses['200'] = (statuses['200'] ?? 0) + n200;
  net.totals.n += n;
  net.totals.err += err;
  if (c.inEdge) net.countN(c.inEdge, mainN + canN, mainErr + canErr);
  if (c.svcEdgeMain) net.countN(c.svcEdgeMain, mainN, mainErr);
  if (c.svcEdgeCanary) net.countN(c.svcEdgeCanary, canN, canErr);
}
