/**
 * kube-proxy: which endpoint a connection to a Service goes to. Endpoints come from the Service's
 * EndpointSlices (label kubernetes.io/service-name) only, as kube-proxy has read them since 1.19: the
 * Endpoints of a Service without a selector reach it as the mirroring controller's slices, and
 * Endpoints labelled endpointslice.kubernetes.io/skip-mirror=true not at all. Ready endpoints take
 * new connections; when none is ready, serving-but-terminating ones do (KEP-1669,
 * "ProxyTerminatingEndpoints", GA in 1.28); not-ready ones never.
 *
 * Modes (cluster setting sim.options.network):
 *  - iptables: `-m statistic --mode random --probability 1/n, 1/(n-1), …` = uniform random.
 *  - ipvs: the kernel's schedulers rr, wrr, lc, wlc, sh (net/netfilter/ipvs/ip_vs_*.c). kube-proxy
 *    programs every real server with weight 1, so wrr behaves as rr and wlc as lc, exactly as on a
 *    real cluster; the weighted code paths are kept for completeness.
 * sessionAffinity: ClientIP pins a client to its endpoint for timeoutSeconds (default 10800) since
 * its last connection (iptables `recent --rcheck --seconds`, IPVS persistence).
 */
import type { Pod, Service, ServicePort } from '../api/types.ts';
import type { Sim } from '../sim.ts';
import { hashString } from '../rng.ts';
import { maxOf } from '../arrays.ts';

export type ProxyMode = 'iptables' | 'ipvs';
export type IpvsScheduler = 'rr' | 'wrr' | 'lc' | 'wlc' | 'sh';

/** Ep is one endpoint of a service port, with a live reference to its pod. */
export interface Ep {
  ip: string;
  port: number;
  podNs: string;
  podName: string;
  node?: string;
  hostname?: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  weight: number;
  pod?: Pod;
  /** key identifies the real server ("ip:port"). */
  key: string;
}

/** Upstream is a service port's endpoints as kube-proxy (or ingress-nginx) programs them. */
export interface Upstream {
  key: string; // "ns/name:port"
  service: Service;
  servicePort: ServicePort;
  eps: Ep[];
  ready: Ep[];
  /** eligible is what kube-proxy sends new connections to: ready, else serving-terminating. */
  eligible: Ep[];
}

/** ProxyState is kube-proxy's per-cluster runtime state (JSON, part of the network module state). */
export interface ProxyState {
  rr: Record<string, number>;
  wrr: Record<string, [number, number]>;
  affinity: Record<string, Record<string, [string, number]>>;
  conns: Record<string, number[]>;
}

export function newProxyState(): ProxyState {
  return { rr: {}, wrr: {}, affinity: {}, conns: {} };
}

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const SLICE_INDEX = 'network.service';

/** installSliceIndex files EndpointSlices under "ns/service" for collectEndpoints. */
export function installSliceIndex(sim: Sim): void {
  sim.store.addIndex('EndpointSlice', SLICE_INDEX, (o) => {
    const svc = o.metadata.labels?.[SERVICE_NAME_LABEL];
    return svc ? [`${o.metadata.namespace ?? 'default'}/${svc}`] : [];
  });
}

/** collectEndpoints lists a service port's endpoints from its EndpointSlices. */
export function collectEndpoints(sim: Sim, svc: Service, sp: ServicePort): Ep[] {
  const ns = svc.metadata.namespace ?? 'default';
  const out: Ep[] = [];
  const seen = new Set<string>();
  const podOf = (ref: any): Pod | undefined => (ref?.kind === 'Pod' && ref.name ? sim.store.get<Pod>('Pod', ref.namespace ?? ns, ref.name) : undefined);
  const slices = sim.store.byIndex('EndpointSlice', SLICE_INDEX, `${ns}/${svc.metadata.name}`);
  for (const sl of slices) {
    if (sl.addressType && sl.addressType !== 'IPv4') continue;
    const port = (sl.ports ?? []).find((p: any) => (p.name ?? '') === (sp.name ?? ''));
    if (!port || typeof port.port !== 'number') continue;
    for (const e of sl.endpoints ?? []) {
      const ip = e.addresses?.[0];
      if (!ip) continue;
      const key = `${ip}:${port.port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const c = e.conditions ?? {};
      // Nil ready means ready (EndpointConditions docs); serving defaults to ready.
      const ready = c.ready !== false;
      const pod = podOf(e.targetRef);
      out.push({
        ip,
        port: port.port,
        podNs: e.targetRef?.namespace ?? ns,
        podName: e.targetRef?.name ?? '',
        node: e.nodeName ?? pod?.spec.nodeName,
        hostname: e.hostname,
        ready,
        serving: c.serving ?? ready,
        terminating: c.terminating === true,
        weight: 1,
        pod,
        key,
      });
    }
  }
  return sortEps(out);
}

/**
 * sortEps orders endpoints by IP then port, as kube-proxy writes its rules (a total, stable order).
 * Each IP is parsed once, not in every comparison (a rollout rebuilds a 2,000-endpoint Service's
 * upstream at every change of its endpoints).
 */
function sortEps(eps: Ep[]): Ep[] {
  const keyed = eps.map((ep) => ({ n: ipNum(ep.ip), ep }));
  keyed.sort((a, b) => a.n - b.n || a.ep.port - b.ep.port);
  for (let i = 0; i < keyed.length; i++) eps[i] = keyed[i].ep;
  return eps;
}

export function ipNum(ip: string): number {
  const p = ip.split('.');
  return ((+p[0] << 24) >>> 0) + (+p[1] << 16) + (+p[2] << 8) + +p[3];
}

export function buildUpstream(sim: Sim, svc: Service, sp: ServicePort): Upstream {
  const eps = collectEndpoints(sim, svc, sp);
  const ready = eps.filter((e) => e.ready);
  const eligible = ready.length > 0 ? ready : eps.filter((e) => e.serving && e.terminating);
  return { key: `${svc.metadata.namespace ?? 'default'}/${svc.metadata.name}:${sp.port}`, service: svc, servicePort: sp, eps, ready, eligible };
}

/** affinityTimeoutMs is spec.sessionAffinityConfig.clientIP.timeoutSeconds (default 10800 s = 3 h). */
export function affinityTimeoutMs(svc: Service): number {
  const s = svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  return (typeof s === 'number' && s > 0 ? s : 10_800) * 1000;
}

export interface PickContext {
  mode: ProxyMode;
  scheduler: IpvsScheduler;
  state: ProxyState;
  now: number;
  random: () => number;
}

/**
 * pickEndpoint chooses the endpoint for one new connection from clientIp to an upstream, or
 * undefined when it has no eligible endpoint (kube-proxy then REJECTs: connection refused).
 */
export function pickEndpoint(ctx: PickContext, up: Upstream, clientIp: string): Ep | undefined {
  const eps = up.eligible;
  if (eps.length === 0) return undefined;
  if (up.service.spec.sessionAffinity === 'ClientIP') {
    const table = (ctx.state.affinity[up.key] ??= {});
    const entry = table[clientIp];
    if (entry && entry[1] + affinityTimeoutMs(up.service) > ctx.now) {
      const ep = eps.find((e) => e.key === entry[0]);
      if (ep) {
        entry[1] = ctx.now;
        return ep;
      }
    }
    const ep = schedule(ctx, up.key, eps, clientIp);
    table[clientIp] = [ep.key, ctx.now];
    return ep;
  }
  return schedule(ctx, up.key, eps, clientIp);
}

function schedule(ctx: PickContext, key: string, eps: Ep[], clientIp: string): Ep {
  if (ctx.mode === 'iptables') return eps[Math.floor(ctx.random() * eps.length)];
  switch (ctx.scheduler) {
    case 'wrr':
      return weightedRoundRobin(ctx.state, key, eps);
    case 'lc':
    case 'wlc':
      return leastConnection(ctx, eps, ctx.scheduler === 'wlc');
    case 'sh':
      return sourceHash(eps, clientIp);
    case 'rr':
    default: {
      // ip_vs_rr_schedule: continue after the last server chosen.
      const i = ((ctx.state.rr[key] ?? -1) + 1) % eps.length;
      ctx.state.rr[key] = i;
      return eps[i];
    }
  }
}

/** weightedRoundRobin is ip_vs_wrr: interleaved by the gcd of weights, highest weights first. */
function weightedRoundRobin(st: ProxyState, key: string, eps: Ep[]): Ep {
  const max = maxOf(eps.map((e) => e.weight));
  const g = eps.map((e) => e.weight).reduce(gcd);
  let [i, cw] = st.wrr[key] ?? [-1, 0];
  for (let guard = 0; guard < eps.length * (max / g + 1) + 1; guard++) {
    i = (i + 1) % eps.length;
    if (i === 0) {
      cw -= g;
      if (cw <= 0) cw = max;
    }
    if (eps[i].weight >= cw) {
      st.wrr[key] = [i, cw];
      return eps[i];
    }
  }
  st.wrr[key] = [0, max];
  return eps[0];
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** activeConnections counts a real server's connections still open at now (and forgets closed ones). */
export function activeConnections(st: ProxyState, epKey: string, now: number): number {
  const list = st.conns[epKey];
  if (!list) return 0;
  let w = 0;
  for (let r = 0; r < list.length; r++) if (list[r] > now) list[w++] = list[r];
  list.length = w;
  if (w === 0) delete st.conns[epKey];
  return w;
}

/** trackConnection records a connection to an endpoint that stays open until endMs (lc/wlc). */
export function trackConnection(st: ProxyState, epKey: string, endMs: number): void {
  (st.conns[epKey] ??= []).push(endMs);
}

/**
 * leastConnection is ip_vs_lc / ip_vs_wlc: the first server with the least overhead
 * (activeconns × 256 + inactconns; only active connections are simulated), divided by weight for wlc.
 */
function leastConnection(ctx: PickContext, eps: Ep[], weighted: boolean): Ep {
  let best = eps[0];
  let bestOh = activeConnections(ctx.state, best.key, ctx.now) * 256;
  for (let i = 1; i < eps.length; i++) {
    const oh = activeConnections(ctx.state, eps[i].key, ctx.now) * 256;
    const better = weighted ? oh * best.weight < bestOh * eps[i].weight : oh < bestOh;
    if (better) {
      best = eps[i];
      bestOh = oh;
    }
  }
  return best;
}

/**
 * sourceHash is ip_vs_sh: a 256-bucket table filled round-robin with the servers, indexed by the
 * multiplicative hash of the client address (addr × 2654435761 >> 24).
 */
function sourceHash(eps: Ep[], clientIp: string): Ep {
  const addr = /^\d+\.\d+\.\d+\.\d+$/.test(clientIp) ? ipNum(clientIp) : hashString(clientIp);
  const bucket = (Math.imul(addr, 2654435761) >>> 24) & 255;
  return eps[bucket % eps.length];
}
