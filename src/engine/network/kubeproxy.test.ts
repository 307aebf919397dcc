import { describe, expect, it } from 'vitest';
import { addIngress, addPod, addService, netSim, syncSlice } from './testutil.ts';
import type { NetworkOptions } from '../sim.ts';

/** fourPods: 3 v1 pods and 1 v2 pod behind Service web (10.96.0.20:80 → 8080). */
function fourPods(network?: NetworkOptions) {
  const { sim, net } = netSim({ network, images: { 'web:v1': {}, 'web:v2': {} } });
  const pods = [1, 2, 3].map((i) => addPod(sim, `web-v1-${i}`, { labels: { app: 'web' }, image: 'web:v1', node: 'n1' }));
  pods.push(addPod(sim, 'web-v2-1', { labels: { app: 'web' }, image: 'web:v2', node: 'n1' }));
  const svc = addService(sim, 'web', { selector: { app: 'web' }, clusterIP: '10.96.0.20' });
  syncSlice(sim, svc, pods);
  return { sim, net, svc, pods };
}

function countBy(results: { pod?: string; image?: string }[], key: 'pod' | 'image'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) out[r[key] ?? '-'] = (out[r[key] ?? '-'] ?? 0) + 1;
  return out;
}

describe('kube-proxy distribution', () => {
  it('iptables: 4,000 requests send 25% ± 3% to the one v2 pod of four', () => {
    const { net } = fourPods({ kubeProxyMode: 'iptables' });
    const res = Array.from({ length: 4000 }, (_, i) => net.request({ url: 'http://web.default.svc.cluster.local/', clientIp: `198.51.100.${i % 200}` }));
    expect(res.every((r) => r.status === 200)).toBe(true);
    const share = countBy(res, 'image')['web:v2'] / 4000;
    expect(share).toBeGreaterThan(0.22);
    expect(share).toBeLessThan(0.28);
  });

  it('ipvs rr: exactly balanced', () => {
    const { net } = fourPods({ kubeProxyMode: 'ipvs', ipvsScheduler: 'rr' });
    const res = Array.from({ length: 4000 }, () => net.request({ url: 'http://10.96.0.20/' }));
    expect(Object.values(countBy(res, 'pod'))).toEqual([1000, 1000, 1000, 1000]);
    // rr cycles in endpoint (IP) order
    expect(res.slice(0, 4).map((r) => r.pod)).toEqual(['default/web-v1-1', 'default/web-v1-2', 'default/web-v1-3', 'default/web-v2-1']);
  });

  it('ipvs wrr with kube-proxy weights (all 1) is rr', () => {
    const { net } = fourPods({ kubeProxyMode: 'ipvs', ipvsScheduler: 'wrr' });
    const res = Array.from({ length: 400 }, () => net.request({ url: 'http://10.96.0.20/' }));
    expect(Object.values(countBy(res, 'pod'))).toEqual([100, 100, 100, 100]);
  });

  it('ipvs sh: a client always lands on the same endpoint', () => {
    const { net } = fourPods({ kubeProxyMode: 'ipvs', ipvsScheduler: 'sh' });
    for (let c = 0; c < 20; c++) {
      const ip = `198.51.100.${c + 1}`;
      const pods = new Set(Array.from({ length: 10 }, () => net.request({ url: 'http://10.96.0.20/', clientIp: ip }).pod));
      expect(pods.size).toBe(1);
    }
  });

  it('ipvs lc: the endpoint with the fewest open connections wins', () => {
    const { sim, net } = fourPods({ kubeProxyMode: 'ipvs', ipvsScheduler: 'lc' });
    sim.images['web:v1'] = { latencyMs: 1000 };
    sim.images['web:v2'] = { latencyMs: 1000 };
    net.invalidate();
    // Four requests at the same instant each find a different idle server (ties → the first).
    const first = Array.from({ length: 4 }, () => net.request({ url: 'http://10.96.0.20/' }).pod);
    expect(new Set(first).size).toBe(4);
    expect(first[0]).toBe('default/web-v1-1');
  });

  it('sessionAffinity ClientIP pins each client, until the timeout', () => {
    const { sim, net, svc } = fourPods({ kubeProxyMode: 'iptables' });
    svc.spec.sessionAffinity = 'ClientIP';
    svc.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 60 } };
    sim.store.update(svc);
    const seen: Record<string, Set<string>> = {};
    for (let i = 0; i < 2000; i++) {
      const ip = `198.51.100.${(i % 50) + 1}`;
      (seen[ip] ??= new Set()).add(net.request({ url: 'http://10.96.0.20/', clientIp: ip }).pod!);
    }
    expect(Object.values(seen).every((s) => s.size === 1)).toBe(true);
    // 50 clients spread over the 4 pods (not all pinned to one)
    expect(new Set(Object.values(seen).map((s) => [...s][0])).size).toBeGreaterThan(1);
    // after 61 s of silence the pin expires and a new pick is made (some client moves)
    sim.runFor(61_000);
    let moved = 0;
    for (let c = 1; c <= 50; c++) {
      const ip = `198.51.100.${c}`;
      if (net.request({ url: 'http://10.96.0.20/', clientIp: ip }).pod !== [...seen[ip]][0]) moved++;
    }
    expect(moved).toBeGreaterThan(0);
  });

  it('not-ready endpoints get no traffic; terminating ones only when nothing is ready', () => {
    const { sim, net, svc, pods } = fourPods();
    pods[0].status.conditions![0].status = 'False';
    syncSlice(sim, svc, pods);
    const res = Array.from({ length: 300 }, () => net.request({ url: 'http://10.96.0.20/' }));
    expect(countBy(res, 'pod')['default/web-v1-1']).toBeUndefined();
    // every pod terminating (serving, not ready): kube-proxy falls back to them; the apps refuse.
    for (const p of pods) p.metadata.deletionTimestamp = '2025-01-01T00:00:01Z';
    syncSlice(sim, svc, pods);
    const r = net.request({ url: 'http://10.96.0.20/' });
    expect(r.error).toBe('refused');
  });

  it('a service without endpoints refuses connections (kube-proxy REJECT)', () => {
    const { sim, net } = netSim();
    addService(sim, 'empty', { selector: { app: 'none' }, clusterIP: '10.96.0.30' });
    expect(net.request({ url: 'http://empty/' })).toMatchObject({ status: 0, error: 'refused' });
  });
});

describe('ingress-nginx canary distribution', () => {
  function canarySetup(canaryAnnotations: Record<string, string>) {
    const { sim, net } = netSim({ images: { 'shop:v1': {}, 'shop:v2': {} } });
    const stable = [1, 2].map((i) => addPod(sim, `stable-${i}`, { labels: { app: 'shop', track: 'stable' }, image: 'shop:v1' }));
    const canary = [addPod(sim, 'canary-1', { labels: { app: 'shop', track: 'canary' }, image: 'shop:v2' })];
    syncSlice(sim, addService(sim, 'shop-stable', { selector: { track: 'stable' } }), stable);
    syncSlice(sim, addService(sim, 'shop-canary', { selector: { track: 'canary' } }), canary);
    addIngress(sim, 'shop', [{ host: 'shop.example.com', paths: [{ path: '/', service: 'shop-stable' }] }]);
    addIngress(sim, 'shop-canary', [{ host: 'shop.example.com', paths: [{ path: '/', service: 'shop-canary' }] }], {
      'nginx.ingress.kubernetes.io/canary': 'true',
      ...canaryAnnotations,
    });
    return { sim, net };
  }

  it('canary-weight "20" sends 20% ± 3%', () => {
    const { net } = canarySetup({ 'nginx.ingress.kubernetes.io/canary-weight': '20' });
    const res = Array.from({ length: 4000 }, () => net.request({ url: 'http://shop.example.com/' }));
    const share = res.filter((r) => r.canary).length / 4000;
    expect(share).toBeGreaterThan(0.17);
    expect(share).toBeLessThan(0.23);
    expect(res.filter((r) => r.canary).every((r) => r.image === 'shop:v2')).toBe(true);
    expect(res.filter((r) => !r.canary).every((r) => r.image === 'shop:v1' && r.service === 'default/shop-stable')).toBe(true);
  });

  it('canary-weight-total scales the weight', () => {
    const { net } = canarySetup({ 'nginx.ingress.kubernetes.io/canary-weight': '1', 'nginx.ingress.kubernetes.io/canary-weight-total': '4' });
    const share = Array.from({ length: 4000 }, () => net.request({ url: 'http://shop.example.com/' })).filter((r) => r.canary).length / 4000;
    expect(Math.abs(share - 0.25)).toBeLessThan(0.03);
  });

  it('canary-by-header routes only matching requests', () => {
    const { net } = canarySetup({ 'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary' });
    for (let i = 0; i < 200; i++) {
      expect(net.request({ url: 'http://shop.example.com/', headers: { 'X-Canary': 'always' } }).image).toBe('shop:v2');
      expect(net.request({ url: 'http://shop.example.com/' }).image).toBe('shop:v1');
      expect(net.request({ url: 'http://shop.example.com/', headers: { 'X-Canary': 'never' } }).image).toBe('shop:v1');
    }
  });

  it('canary-by-header-value and canary-by-cookie', () => {
    const { net } = canarySetup({
      'nginx.ingress.kubernetes.io/canary-by-header': 'X-Version',
      'nginx.ingress.kubernetes.io/canary-by-header-value': 'v2',
      'nginx.ingress.kubernetes.io/canary-by-cookie': 'canary',
    });
    expect(net.request({ url: 'http://shop.example.com/', headers: { 'X-Version': 'v2' } }).canary).toBe(true);
    expect(net.request({ url: 'http://shop.example.com/', headers: { 'X-Version': 'always' } }).canary).toBe(false);
    expect(net.request({ url: 'http://shop.example.com/', cookie: 'canary=always' }).canary).toBe(true);
    expect(net.request({ url: 'http://shop.example.com/', headers: { 'X-Version': 'v2' }, cookie: 'canary=never' }).canary).toBe(true);
  });

  it('a canary without endpoints is skipped', () => {
    const { sim, net } = canarySetup({ 'nginx.ingress.kubernetes.io/canary-weight': '100' });
    const slice = sim.store.get('EndpointSlice', 'default', 'shop-canary-abcde')!;
    slice.endpoints = [];
    sim.store.update(slice);
    expect(net.request({ url: 'http://shop.example.com/' })).toMatchObject({ status: 200, canary: false, image: 'shop:v1' });
  });
});
