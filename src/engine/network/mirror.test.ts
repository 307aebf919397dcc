import { describe, expect, it } from 'vitest';
import { addIngress, addPod, addService, netSim, syncSlice } from './testutil.ts';
import { parseMirror, splitMirrorUrl } from './ingress.ts';
import type { Value } from './promql/eval.ts';
import type { KubeObject } from '../api/types.ts';

const A = 'nginx.ingress.kubernetes.io/';

function scalarOf(v: Value): number {
  if (v.type === 'vector') return v.samples.reduce((s, x) => s + x.v, 0);
  if (v.type === 'scalar') return v.v;
  return NaN;
}

/** shop: 2 stable pods behind "shop" (the Ingress backend), 2 shadow pods behind "shop-shadow" (the mirror). */
function shop(shadowErrorRate: number, annotations: Record<string, string> = { [A + 'mirror-target']: 'http://shop-shadow.default.svc.cluster.local$request_uri' }, rps = 20) {
  const { sim, net } = netSim({
    images: { 'shop:v1': { latencyMs: 20 }, 'shop:v2': { latencyMs: 30, errorRate: shadowErrorRate } },
    traffic: rps > 0 ? [{ host: 'shop.example.com', path: '/cart', rps }] : [],
  });
  const stable = [addPod(sim, 'shop-1', { labels: { app: 'shop' }, image: 'shop:v1' }), addPod(sim, 'shop-2', { labels: { app: 'shop' }, image: 'shop:v1' })];
  const shadow = [addPod(sim, 'shadow-1', { labels: { app: 'shadow' }, image: 'shop:v2' }), addPod(sim, 'shadow-2', { labels: { app: 'shadow' }, image: 'shop:v2' })];
  syncSlice(sim, addService(sim, 'shop', { selector: { app: 'shop' }, clusterIP: '10.96.0.50' }), stable);
  syncSlice(sim, addService(sim, 'shop-shadow', { selector: { app: 'shadow' }, clusterIP: '10.96.0.51' }), shadow);
  addIngress(sim, 'shop', [{ host: 'shop.example.com', paths: [{ path: '/', service: 'shop' }] }], annotations);
  return { sim, net };
}

function ing(annotations: Record<string, string>): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'shop', namespace: 'default', annotations }, spec: {} };
}

describe('parseMirror (ingress-nginx annotations/mirror)', () => {
  const cases: { name: string; ann: Record<string, string>; want: unknown }[] = [
    { name: 'no mirror-target: no mirror', ann: { [A + 'mirror-host']: 'x' }, want: undefined },
    { name: 'Host defaults to the target host', ann: { [A + 'mirror-target']: 'https://test.env.com$request_uri' }, want: { ingress: 'default/shop', target: 'https://test.env.com$request_uri', host: 'test.env.com', requestBody: true } },
    { name: 'mirror-host overrides the Host', ann: { [A + 'mirror-target']: 'http://10.96.0.51:8080/', [A + 'mirror-host']: 'shadow.local' }, want: { ingress: 'default/shop', target: 'http://10.96.0.51:8080/', host: 'shadow.local', requestBody: true } },
    { name: 'mirror-request-body off', ann: { [A + 'mirror-target']: 'http://a.b', [A + 'mirror-request-body']: 'off' }, want: { ingress: 'default/shop', target: 'http://a.b', host: 'a.b', requestBody: false } },
  ];
  for (const c of cases) it(c.name, () => expect(parseMirror(ing(c.ann))).toEqual(c.want));
  it('a target that is not an http(s) URL is reported', () => expect(parseMirror(ing({ [A + 'mirror-target']: 'shop-shadow' }))).toMatch(/mirror-target: invalid URL "shop-shadow"/));
  it('expands $request_uri and splits the URL', () => {
    expect(splitMirrorUrl('http://shop-shadow.default.svc.cluster.local$request_uri', '/cart')).toEqual({ scheme: 'http', host: 'shop-shadow.default.svc.cluster.local', port: 80, path: '/cart' });
    expect(splitMirrorUrl('https://x.y:8443/m?q=1', '/cart')).toEqual({ scheme: 'https', host: 'x.y', port: 8443, path: '/m' });
  });
});

describe('mirror-target', () => {
  it('sends a copy of every request to the shadow Service; nginx counts only the client requests', () => {
    const { sim, net } = shop(0);
    sim.runUntil(120_000);
    const clients = scalarOf(net.query('sum(nginx_ingress_controller_requests)'));
    expect(clients).toBeGreaterThan(2250);
    expect(scalarOf(net.query('sum(http_requests_total{service="shop"})'))).toBe(clients);
    expect(scalarOf(net.query('sum(http_requests_total{service="shop-shadow"})'))).toBe(clients);
    // Both shadow pods share the copies (kube-proxy's random pick): roughly half each.
    const perPod = net.query('sum by (pod) (http_requests_total{service="shop-shadow"})') as Extract<Value, { type: 'vector' }>;
    expect(perPod.samples).toHaveLength(2);
    for (const s of perPod.samples) expect(s.v / clients).toBeGreaterThan(0.4);
    // nginx never labels a location with the shadow service
    expect(scalarOf(net.query('sum(nginx_ingress_controller_requests{service="shop-shadow"})'))).toBe(0);
  });

  it('a shadow failing every request (errorRate 1.0) causes zero client errors', () => {
    const { sim, net } = shop(1.0);
    sim.runUntil(120_000);
    expect(scalarOf(net.query('sum(nginx_ingress_controller_requests{status=~"5.."})'))).toBe(0);
    expect(scalarOf(net.query('sum(http_requests_total{service="shop-shadow",code="500"})'))).toBe(scalarOf(net.query('sum(nginx_ingress_controller_requests)')));
    expect(scalarOf(net.query('sum(http_requests_total{service="shop-shadow",code="200"})'))).toBe(0);
    const summary = net.trafficSummary(0);
    expect(summary.errors).toBe(0);
    expect(summary.statuses['500']).toBeUndefined();
    expect(summary.edges.find((e) => e.from === 'ingress:default/shop' && e.to === 'service:default/shop-shadow')?.errors).toBeGreaterThan(0);
    expect(summary.versions.find((v) => v.version === 'shop:v2')?.errors).toBeGreaterThan(0);
  });

  it('curl sees the primary answer while the shadow pod serves the copy', () => {
    const { sim, net } = shop(1.0, undefined, 0);
    sim.runUntil(1000);
    for (let i = 0; i < 10; i++) {
      const r = net.request({ url: 'http://shop.example.com/cart' });
      expect(r.status).toBe(200);
      expect(r.service).toBe('default/shop');
      expect(r.body).toMatch(/served by shop-\d \(shop:v1\)/);
    }
    sim.runUntil(31_000);
    expect(scalarOf(net.query('sum(http_requests_total{service="shop-shadow",code="500"})'))).toBe(10);
    expect(scalarOf(net.query('sum(nginx_ingress_controller_requests)'))).toBe(10);
  });

  it('a ClusterIP target with mirror-host works; an unresolvable target mirrors nothing', () => {
    const ok = shop(0, { [A + 'mirror-target']: 'http://10.96.0.51$request_uri', [A + 'mirror-host']: 'shadow.internal' });
    ok.sim.runUntil(60_000);
    expect(scalarOf(ok.net.query('sum(http_requests_total{service="shop-shadow"})'))).toBeGreaterThan(0);
    const bad = shop(0, { [A + 'mirror-target']: 'http://nope.default.svc.cluster.local$request_uri' });
    bad.sim.runUntil(60_000);
    expect(scalarOf(bad.net.query('sum(http_requests_total{service="shop-shadow"})'))).toBe(0);
    expect(scalarOf(bad.net.query('sum(nginx_ingress_controller_requests{status="200"})'))).toBeGreaterThan(0);
  });

  it('a malformed target is a Warning event on the Ingress and mirrors nothing', () => {
    const { sim, net } = shop(0, { [A + 'mirror-target']: 'shop-shadow' });
    sim.runUntil(30_000);
    const ev = sim.store.list<KubeObject>('Event').find((e) => e.reason === 'Sync' && e.type === 'Warning');
    expect(ev?.message).toBe('nginx.ingress.kubernetes.io/mirror-target: invalid URL "shop-shadow": must be http:// or https:// followed by a host');
    expect(scalarOf(net.query('sum(http_requests_total{service="shop-shadow"})'))).toBe(0);
  });

  it('requests a canary Ingress takes are mirrored too (the mirror is on the location)', () => {
    const { sim, net } = shop(0);
    addIngress(sim, 'shop-canary', [{ host: 'shop.example.com', paths: [{ path: '/', service: 'shop-shadow' }] }], { [A + 'canary']: 'true', [A + 'canary-weight']: '50' });
    sim.runUntil(60_000);
    const clients = scalarOf(net.query('sum(nginx_ingress_controller_requests)'));
    const canary = scalarOf(net.query('sum(nginx_ingress_controller_requests{canary!=""})'));
    expect(canary / clients).toBeGreaterThan(0.4);
    // shop-shadow gets every copy plus the canary's share of the originals
    expect(scalarOf(net.query('sum(http_requests_total{service="shop-shadow"})'))).toBe(clients + canary);
    expect(scalarOf(net.query('sum(http_requests_total{service="shop"})'))).toBe(clients - canary);
  });

  it('without the annotation the shadow gets nothing', () => {
    const { sim, net } = shop(0, {});
    sim.runUntil(60_000);
    expect(scalarOf(net.query('sum(http_requests_total{service="shop-shadow"})'))).toBe(0);
  });
});
