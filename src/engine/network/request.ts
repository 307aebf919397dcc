/**
 * request: one simulated HTTP request, sent now (kubeplay curl, kubectl exec … wget, a pod's loop to
 * its own loopback address) from outside the cluster or from a pod, to wherever its host resolves: a
 * pod's address, a Service through kube-proxy, or the ingress controller (ingressproxy.ts). It counts
 * the request in the traffic summary and returns what the client sees.
 */
import { countServed } from './requestmetrics.ts';
import type { Pod } from '../api/types.ts';
import { headerValue, parseCookies } from './ingress.ts';
import { pickEndpoint, trackConnection } from './kubeproxy.ts';
import { appBehavior, connectOutcome, REFUSED, serve, servingContainer, TIMEOUT } from './backend.ts';
import { allowed, type Peer } from './netpol.ts';
import { batchRandom } from './random.ts';
import { parseUrl } from './http.ts';
import { isLoopback } from './routing.ts';
import { throughIngress } from './ingressproxy.ts';
import { appResponse, serverOf } from './response.ts';
import type { NetworkService } from './service.ts';
import { clientIp, DNS_TIMEOUT_MS, TCP_CONNECT_TIMEOUT_MS, type HttpRequest, type RequestResult, type RtEp, type Target } from './model.ts';

/** sendRequest sends one simulated HTTP request now and returns what the client sees. */
export function sendRequest(net: NetworkService, req: HttpRequest): RequestResult {
  const sim = net.sim;
  net.ensure();
  net.catchUpMetrics(sim.now() - 1);
  net.batch++;
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
  const t: Target = loopback ? { kind: 'pod', pod: fromPod!, port: url.port } : net.nodeLocal(net.target(url.host, url.port, url.path, ns, hostHeader, fromPod), fromPod);
  const res: RequestResult = { status: 0, latencyMs: 0, via: 'none', headers: {}, body: '', host: url.host, port: url.port, canary: false, attempts: 0 };
  const finish = (r: RequestResult): RequestResult => {
    net.totals.n++;
    if (r.status === 0 || r.status >= 500) net.totals.err++;
    const k = r.status ? String(r.status) : r.error ?? 'error';
    net.totals.statuses[k] = (net.totals.statuses[k] ?? 0) + 1;
    net.pendingSamples.push({
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
    net.flushSummary();
    return r;
  };
  if (t.kind === 'unresolved') return finish({ ...res, error: 'unresolved', latencyMs: t.timedOut ? DNS_TIMEOUT_MS : 0 });
  if (t.kind === 'unreachable') return finish({ ...res, error: 'timeout', latencyMs: TCP_CONNECT_TIMEOUT_MS });
  if (t.kind === 'pod') {
    res.via = 'pod';
    const c = servingContainer(t.pod, t.port, sim);
    let conn = connectOutcome(sim, t.pod, t.pod.spec.nodeName, c?.name);
    if (conn === 0 && !loopback && net.hasPolicies && !allowed(sim, peer, t.pod, t.port)) conn = TIMEOUT;
    res.pod = `${t.pod.metadata.namespace}/${t.pod.metadata.name}`;
    res.podIP = t.pod.status?.podIP;
    res.node = t.pod.spec.nodeName;
    res.image = c?.image;
    if (conn === REFUSED) return finish({ ...res, error: 'refused' });
    if (conn === TIMEOUT) return finish({ ...res, error: 'timeout', latencyMs: TCP_CONNECT_TIMEOUT_MS });
    const [status, lat] = serve(appBehavior(sim, c?.image), random);
    return finish(appResponse(sim, res, status, lat, undefined, { namespace: t.pod.metadata.namespace ?? 'default', pod: t.pod.metadata.name, container: c?.name, image: c?.image ?? '' }, method, url.path, hostHeader));
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
    const ep = pickEndpoint(net.pickContext(random), { ...up, eligible }, cip) as RtEp | undefined;
    if (!ep) return finish(localOnly && up.eligible.length > 0 ? { ...res, error: 'timeout', latencyMs: TCP_CONNECT_TIMEOUT_MS } : { ...res, error: 'refused' });
    Object.assign(res, { pod: `${ep.podNs}/${ep.podName}`, podIP: ep.ip, node: ep.node, image: ep.image, attempts: 1 });
    const conn = net.connect(ep, peer);
    net.count(net.edge(client, `service:${res.service}`), conn !== 0);
    if (conn !== 0) {
      if (ep.n === 0) net.touchedEps.push(ep);
      ep.n++;
      ep.err++;
      return finish(conn === REFUSED ? { ...res, error: 'refused' } : { ...res, error: 'timeout', latencyMs: TCP_CONNECT_TIMEOUT_MS });
    }
    const [status, lat] = serve(ep.beh, random);
    net.recordApp(ep, status, lat);
    if (net.mode === 'ipvs' && (net.scheduler === 'lc' || net.scheduler === 'wlc')) trackConnection(net.state.proxy, ep.key, sim.now() + lat);
    countServed(net, ep, status);
    return finish(appResponse(sim, res, status, lat, res.service, serverOf(ep), method, url.path, hostHeader));
  }
  // Through ingress-nginx.
  res.via = 'ingress';
  if (fromPod && !net.podReachesIngress(fromPod, url.scheme === 'https' ? 443 : 80)) return finish({ ...res, error: 'timeout', latencyMs: TCP_CONNECT_TIMEOUT_MS });
  const out = throughIngress(net, t, hostHeader, method, headers, parseCookies(req.cookie ?? headerValue(headers, 'cookie')), random, url.path, client);
  return finish({ ...res, ...out });
}
