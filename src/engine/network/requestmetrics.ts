/**
 * requestmetrics: the Prometheus series the data plane counts requests in: each application's
 * http_requests_total{namespace,service,pod,image,code} and http_request_duration_seconds, and
 * ingress-nginx's nginx_ingress_controller_requests and its request duration histogram. Series are
 * created on first use and kept on the compiled endpoint (or ingress location) that counts into them.
 */
import { counter, histogram, observe, seriesKey, type Histogram, type Series } from './metrics.ts';
import type { NetworkService } from './service.ts';
import type { NgxCounters, RtEp, Target } from './model.ts';

/** recordApp counts a request the application answered (http_requests_total, duration histogram). */
export function recordApp(net: NetworkService, ep: RtEp, status: number, latencyMs: number): void {
  if (status === 200) ep.p200++;
  else if (status === 500) ep.p500++;
  else appCounter(net, ep, status).cur++;
  const h = ep.hist ?? appHist(net, ep);
  // observe(), inlined: this runs once per simulated request.
  const v = latencyMs / 1000;
  const b = h.bounds;
  let i = 0;
  while (i < b.length && v > b[i]) i++;
  h.counts[i]++;
  h.sum += v;
  h.count++;
}

/**
 * countServed is an endpoint's tally of a request its application answered, for the summary's edges and
 * versions (collectEndpointCounts moves it there): listed as touched on its batch's first request.
 */
export function countServed(net: NetworkService, ep: RtEp, status: number): void {
  if (ep.n === 0) net.touchedEps.push(ep);
  ep.n++;
  ep.served++;
  if (status >= 500) {
    ep.err++;
    ep.servedErr++;
  }
}

/** appCounter returns (creating) http_requests_total{namespace,service,pod,image,code} for an endpoint. */
export function appCounter(net: NetworkService, ep: RtEp, status: number): Series {
  let c = ep.byCode[status];
  if (!c) {
    const m = net.metrics();
    c = ep.byCode[status] = counter(m, 'http_requests_total', {
      namespace: ep.podNs,
      service: ep.up.service.metadata.name,
      pod: ep.podName,
      image: ep.image,
      code: String(status),
    });
    const list = (net.state.podSeries[`${ep.podNs}/${ep.podName}`] ??= []);
    const idx = m.byKey[seriesKey(c.labels)];
    if (!list.includes(idx)) list.push(idx);
  }
  if (status === 200) ep.ok = c;
  else if (status === 500) ep.c500 = c;
  return c;
}

/** appHist returns (creating) http_request_duration_seconds{namespace,service,image} for an endpoint. */
export function appHist(net: NetworkService, ep: RtEp): Histogram {
  return (ep.hist ??= histogram(net.metrics(), 'http_request_duration_seconds', {
    namespace: ep.podNs,
    service: ep.up.service.metadata.name,
    image: ep.image,
  }));
}

/** ngxCounters returns the nginx_ingress_controller_requests counters for an ingress location (kept in cache by label set). */
export function ngxCounters(cache: Map<string, NgxCounters>, t: Target & { kind: 'ingress' }, canary: boolean, host: string, method: string): NgxCounters {
  const [ns, name] = (t.ingress ?? '/').split('/');
  const path = t.route.kind === 'path' ? t.route.match.path : '';
  const service = t.mainBackend?.service ?? '';
  const canaryName = canary && t.canary ? t.canary.name : '';
  const key = `${ns}|${name}|${service}|${canaryName}|${host}|${method}|${path}`;
  let c = cache.get(key);
  if (!c) {
    c = { labels: { namespace: ns, ingress: name, service, status: '', canary: canaryName, host, method, path }, byStatus: {}, ok: undefined, hist: undefined };
    cache.set(key, c);
  }
  return c;
}

/** recordNgx counts a request ingress-nginx answered (its status and how long it took). */
export function recordNgx(net: NetworkService, c: NgxCounters, status: number, latencyMs: number): void {
  ngxCounter(net, c, status).cur++;
  observe(c.hist ?? ngxHist(net, c), latencyMs / 1000);
}

/** ngxCounter returns (creating) nginx_ingress_controller_requests for one status. */
export function ngxCounter(net: NetworkService, c: NgxCounters, status: number): Series {
  let s = c.byStatus[status];
  if (!s) s = c.byStatus[status] = counter(net.metrics(), 'nginx_ingress_controller_requests', { ...c.labels, status: String(status) });
  if (status === 200) c.ok = s;
  return s;
}

/** ngxHist returns (creating) nginx_ingress_controller_request_duration_seconds for a location (no status, host, method or path label). */
export function ngxHist(net: NetworkService, c: NgxCounters): Histogram {
  if (!c.hist) {
    const { status: _s, host: _h, method: _m, path: _p, ...hl } = c.labels;
    c.hist = histogram(net.metrics(), 'nginx_ingress_controller_request_duration_seconds', hl);
  }
  return c.hist;
}
