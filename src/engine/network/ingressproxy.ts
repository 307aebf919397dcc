/**
 * ingressproxy: one request through the ingress-nginx controller's proxy: its location (and canary)
 * chooses an upstream, the balancer picks endpoints round-robin and retries the next on a refused or
 * timed-out connection (proxy-next-upstream), a mirror-target gets a copy as a background subrequest,
 * and nginx answers the client. ingress.ts compiles the rules; ingresscontroller.ts is the control plane.
 */
import { countServed } from './requestmetrics.ts';
import { routeToCanary, normalizeHost } from './ingress.ts';
import { pickEndpoint, type PickContext } from './kubeproxy.ts';
import { TIMEOUT } from './backend.ts';
import { httpDate, nginxPage } from './http.ts';
import { NGINX_POD_IP } from './routing.ts';
import { appResponse, serverOf } from './response.ts';
import type { NetworkService } from './service.ts';
import { NGINX_CONNECT_TIMEOUT_MS, NGINX_TRIES, type Attempt, type MirrorRt, type RequestResult, type RtEp, type RtUpstream, type Target } from './model.ts';

/**
 * throughIngress is one request through ingress-nginx: location → (canary?) upstream → round-robin
 * endpoint, retrying the next endpoint on a refused or timed-out connection up to NGINX_TRIES.
 */
export function throughIngress(
  net: NetworkService,
  t: Target & { kind: 'ingress' },
  host: string,
  method: string,
  headers: Record<string, string>,
  cookies: Record<string, string>,
  random: () => number,
  path: string,
  client = 'client',
): Partial<RequestResult> {
  const sim = net.sim;
  if (t.route.kind === 'none') {
    const page = nginxPage(404);
    return { ...page, headers: { Date: httpDate(sim.now()), ...page.headers } };
  }
  const useCanary = !!(t.canary && t.policy && routeToCanary(t.policy, headers, cookies, random));
  const up = useCanary ? t.canary : t.main;
  const ng = net.ngxCounters(t, useCanary, normalizeHost(host), method);
  const ingEdge = net.edge(client, `ingress:${t.ingress}`);
  const result = { ...nginxAttempts(net, up, random) };
  const svcName = up ? `${up.service.metadata.namespace ?? 'default'}/${up.service.metadata.name}` : t.mainBackend ? `${t.mainBackend.namespace}/${t.mainBackend.service}` : undefined;
  net.count(ingEdge, result.status >= 500);
  if (svcName) net.count(net.edge(`ingress:${t.ingress}`, `service:${svcName}`), result.status >= 500);
  net.recordNgx(ng, result.status, result.latencyMs);
  // The mirror subrequest starts with the request; its answer never reaches the client.
  if (t.mirror) mirror(net, t.mirror, net.pickContext(random), random);
  const base: Partial<RequestResult> = { ingress: t.ingress, service: svcName, canary: useCanary, attempts: result.attempts, latencyMs: result.latencyMs };
  if (!result.ep) {
    const page = nginxPage(result.status);
    return { ...base, ...page, headers: { Date: httpDate(sim.now()), ...page.headers }, latencyMs: result.latencyMs };
  }
  const ep = result.ep;
  const app = appResponse(sim, { status: 0 } as RequestResult, result.status, result.latencyMs, svcName, serverOf(ep), method, path, host);
  // nginx answers the client itself: its Connection header goes before the proxied ones.
  const ordered: Record<string, string> = {};
  for (const k of ['Date', 'Content-Type', 'Content-Length']) if (app.headers[k] !== undefined) ordered[k] = app.headers[k];
  ordered.Connection = 'keep-alive';
  for (const k of Object.keys(app.headers)) if (!(k in ordered)) ordered[k] = app.headers[k];
  return { ...base, pod: `${ep.podNs}/${ep.podName}`, podIP: ep.ip, node: ep.node, image: ep.image, status: app.status, headers: ordered, body: app.body };
}

/** nginxAttempts runs the balancer: status, latency, the endpoint that answered (if any). */
export function nginxAttempts(net: NetworkService, up: RtUpstream | null, random: () => number): Attempt {
  const out = net.scratch;
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
    const conn = net.connect(ep, 'ingress');
    if (conn === 0) {
      const b = ep.beh;
      const status = b.errorRate > 0 && random() < b.errorRate ? 500 : 200;
      let lat = b.latencyMs;
      if (b.jitterMs > 0) lat = Math.max(0, lat + (random() * 2 - 1) * b.jitterMs);
      latency += lat;
      net.recordApp(ep, status, lat);
      countServed(net, ep, status);
      out.status = status;
      out.latencyMs = latency;
      out.attempts = a;
      out.ep = ep;
      return out;
    }
    if (ep.n === 0) net.touchedEps.push(ep);
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
 * mirror sends one request's mirror copy (nginx's background subrequest): kube-proxy picks a shadow
 * endpoint, the pod answers by its image's behaviour and counts it in http_requests_total like any
 * request. The answer is discarded: nothing here touches the client's status, the client totals or
 * nginx_ingress_controller_requests (monitor.lua logs the main request only). Returns the status.
 */
export function mirror(net: NetworkService, m: MirrorRt, ctx: PickContext, random: () => number): number {
  const up = m.up;
  if (!up || up.eligible.length === 0) return 0;
  const el = up.eligible;
  const ep = (net.mode === 'iptables' && up.service.spec.sessionAffinity !== 'ClientIP' ? el[Math.floor(random() * el.length)] : pickEndpoint(ctx, up, NGINX_POD_IP)) as RtEp | undefined;
  if (!ep) return 0;
  const conn = net.connect(ep, 'ingress');
  if (ep.n === 0) net.touchedEps.push(ep);
  ep.n++;
  if (conn !== 0) {
    ep.err++;
    if (m.edge) net.count(m.edge, true);
    return 0;
  }
  const b = ep.beh;
  const status = b.errorRate > 0 && random() < b.errorRate ? 500 : 200;
  let lat = b.latencyMs;
  if (b.jitterMs > 0) lat = Math.max(0, lat + (random() * 2 - 1) * b.jitterMs);
  net.recordApp(ep, status, lat);
  ep.served++;
  if (status >= 500) {
    ep.err++;
    ep.servedErr++;
  }
  if (m.edge) net.count(m.edge, status >= 500);
  return status;
}
