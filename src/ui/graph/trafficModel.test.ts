import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { Session } from '../../worker/session.ts';
import { applyDiff, type ObjectsByKind } from '../state/cluster.ts';
import type { TrafficView } from '../../worker/protocol.ts';
import type { KubeObject } from '../../engine/api/types.ts';
import { buildTrafficGraph, canaryText, ingressRules, parseCanaryInfo, type TrafficEdgeData } from './trafficModel.ts';
import { buildGraph, OWNER_POD_LIMIT } from './useGraphNodes.ts';

const EMPTY = new Map();
const scenario = (f: string) => readFileSync(new URL(`../../../scenarios/${f}`, import.meta.url), 'utf8');

function run(file: string, ms: number): { objects: ObjectsByKind; traffic: TrafficView | undefined } {
  const s = new Session();
  s.load(file, scenario(file));
  s.advance(ms);
  const d = structuredClone(s.takeDiff()!);
  return { objects: applyDiff({}, d), traffic: d.traffic };
}

function traffic(o: ObjectsByKind, t: TrafficView | undefined) {
  return buildTrafficGraph({ ingresses: o.Ingress ?? EMPTY, services: o.Service ?? EMPTY, pods: o.Pod ?? EMPTY, traffic: t });
}

const fmt = (r: number) => (r >= 100 ? String(Math.round(r)) : (Math.round(r * 10) / 10).toFixed(1));
const label = (g: ReturnType<typeof traffic>, id: string) => (g.edges.find((e) => e.id === id)?.data as TrafficEdgeData | undefined)?.label;

test('ingress-fanout: Internet → one Ingress with four rules → four Services → their pods, labelled with the measured rates', () => {
  const { objects, traffic: t } = run('ingress-fanout.yaml', 60_000);
  const g = traffic(objects, t);
  expect(g.nodes.filter((n) => n.type === 'internet')).toHaveLength(1);
  const ing = g.nodes.filter((n) => n.type === 'tingress');
  expect(ing.map((n) => n.id)).toEqual(['ting/default/shop']);
  expect((ing[0].data.rules as { service: string }[]).map((r) => r.service)).toEqual(['web', 'api', 'health', 'admin']);
  expect(g.nodes.filter((n) => n.type === 'tservice').map((n) => n.id)).toEqual(['tsvc/default/web', 'tsvc/default/api', 'tsvc/default/health', 'tsvc/default/admin']);
  const web = t!.services['default/web'].rps;
  expect(web).toBeGreaterThan(14);
  expect(label(g, 'e-ing/default/shop/default/web')).toBe(`${web.toFixed(1)} rps`);
  const total = Object.values(t!.services).reduce((n, s) => n + s.rps, 0);
  expect(label(g, 'e-in/default/shop')).toBe(`${fmt(total)} rps`);
  // web's three pods in one group, their rates summing to the Service's (± rounding)
  const grp = g.nodes.filter((n) => n.type === 'tpods' && n.id.startsWith('tpods/default/web/'));
  expect(grp).toHaveLength(1);
  const e = g.edges.find((x) => x.target === grp[0].id)!.data as TrafficEdgeData;
  expect(Math.abs(e.rps! - web)).toBeLessThan(0.5);
  // nothing overlaps in a column
  for (const type of ['tingress', 'tservice', 'tpods']) {
    const col = g.nodes.filter((n) => n.type === type).sort((a, b) => a.position.y - b.position.y);
    for (let i = 1; i < col.length; i++) expect(col[i].position.y).toBeGreaterThanOrEqual(col[i - 1].position.y + (col[i - 1].height ?? 0));
  }
});

test('argo-canary-nginx: the canary Ingress hangs under the main one with its weight; stable and canary rates split the total', () => {
  const { objects, traffic: t } = run('argo-canary-nginx.yaml', 60_000);
  const g = traffic(objects, t);
  const ing = g.nodes.filter((n) => n.type === 'tingress').map((n) => n.id);
  expect(ing).toEqual(['ting/default/shop', 'ting/default/shop-shop-canary']);
  expect(label(g, 'e-canary/default/shop/default/shop-shop-canary')).toBe('weight 20%');
  const stable = t!.services['default/shop-stable'].rps;
  const canary = t!.services['default/shop-canary'].rps;
  expect(canary / (stable + canary)).toBeGreaterThan(0.1);
  expect(canary / (stable + canary)).toBeLessThan(0.3);
  const sub = (g.edges.find((e) => e.id === 'e-ing/default/shop-shop-canary/default/shop-canary')!.data as TrafficEdgeData).sub;
  expect(sub).toBe(`${Math.round((canary / (stable + canary)) * 100)}%`);
  expect(label(g, 'e-in/default/shop')).toBe(`${fmt(stable + canary)} rps`);
});

test('a Service behind two Ingresses: each edge has its Ingress’s rate; a Service with traffic and no Ingress a direct one', () => {
  const ing = (name: string, svc: string): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: 'default', uid: name }, spec: { rules: [{ host: `${name}.test`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: svc, port: { number: 80 } } } }] } }] } });
  const svc = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', uid: name }, spec: { type: 'ClusterIP', selector: { app: name }, ports: [{ port: 80 }] } });
  const m = (...xs: KubeObject[]) => new Map(xs.map((x) => [`default/${x.metadata.name}`, x]));
  const t: TrafficView = { t: 0, windowMs: 5000, services: { 'default/a': { rps: 10, errors: 0, versions: [] }, 'default/b': { rps: 4, errors: 0, versions: [] } }, pods: {} };
  t.ingresses = { 'default/one': { 'default/a': { rps: 6, errors: 0 } }, 'default/two': { 'default/a': { rps: 4, errors: 0 } } };
  const g = buildTrafficGraph({ ingresses: m(ing('one', 'a'), ing('two', 'a')), services: m(svc('a'), svc('b')), pods: EMPTY, traffic: t });
  expect(label(g, 'e-ing/default/one/default/a')).toBe('6.0 rps');
  expect(label(g, 'e-ing/default/two/default/a')).toBe('4.0 rps');
  expect(label(g, 'e-in/default/one')).toBe('6.0 rps');
  expect(label(g, 'e-in/default/two')).toBe('4.0 rps');
  expect(label(g, 'e-direct/default/b')).toBe('4.0 rps');
  // Before anything is measured, a Service two Ingresses route to has no per-Ingress rate to show.
  const before = buildTrafficGraph({ ingresses: m(ing('one', 'a'), ing('two', 'a')), services: m(svc('a'), svc('b')), pods: EMPTY, traffic: undefined });
  expect(label(before, 'e-ing/default/one/default/a')).toBe('shared');
});

test('canary annotations', () => {
  const ing: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'c', annotations: { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary', 'nginx.ingress.kubernetes.io/canary-weight': '5' } }, spec: { defaultBackend: { service: { name: 'x', port: { number: 80 } } } } };
  expect(canaryText(parseCanaryInfo(ing)!)).toBe('header X-Canary · weight 5%');
  expect(ingressRules(ing)).toEqual([{ host: '*', path: '(default)', pathType: '', service: 'x', port: '80' }]);
  expect(parseCanaryInfo({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'm' } })).toBeUndefined();
});

test('ownership edges: one per pod below the limit, one per ReplicaSet and node above it', () => {
  const { objects: o } = run('ingress-fanout.yaml', 20_000);
  const input = { nodes: o.Node ?? EMPTY, pods: o.Pod ?? EMPTY, deployments: o.Deployment ?? EMPTY, replicaSets: o.ReplicaSet ?? EMPTY, services: o.Service ?? EMPTY, endpoints: o.Endpoints ?? EMPTY };
  const off = buildGraph(input, new Map(), () => {});
  expect(off.edges).toHaveLength(0);
  const on = buildGraph(input, new Map(), () => {}, true);
  expect((o.Pod?.size ?? 0)).toBeLessThanOrEqual(OWNER_POD_LIMIT);
  expect(on.edges).toHaveLength(o.Pod!.size);
  expect(on.edges.every((e) => e.type === 'owner' && e.sourceHandle?.startsWith('rs/') && e.targetHandle?.startsWith('pod/'))).toBe(true);
  const boxes = on.nodes.filter((n) => n.type === 'k8snode');
  expect(boxes.every((b) => b.data.owners === 'chips')).toBe(true);
});

test("a pod that sends requests itself has its own card and edge; the Internet keeps only what came from outside", () => {
  const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'php-apache', namespace: 'default', uid: 's' }, spec: { type: 'ClusterIP', selector: { run: 'php-apache' }, ports: [{ port: 80 }] } };
  const t: TrafficView = { t: 0, windowMs: 5000, services: { 'default/php-apache': { rps: 60, errors: 0, versions: [] } }, pods: {} };
  t.fromPods = { 'default/load-generator': { 'default/php-apache': { rps: 50, errors: 0 } } };
  const g = buildTrafficGraph({ ingresses: EMPTY, services: new Map([['default/php-apache', svc]]), pods: EMPTY, traffic: t });
  const client = g.nodes.find((n) => n.type === 'tclient')!;
  expect(client.id).toBe('tclient/default/load-generator');
  expect(client.data).toEqual({ pod: 'default/load-generator', rps: 50 });
  expect(label(g, 'e-client/default/load-generator/default/php-apache')).toBe('50.0 rps');
  expect(label(g, 'e-direct/default/php-apache')).toBe('10.0 rps');
  expect(g.nodes.find((n) => n.type === 'internet')!.data.rps).toBe(10);
  // Below the Internet, not over it.
  const net = g.nodes.find((n) => n.type === 'internet')!;
  expect(client.position.y).toBeGreaterThanOrEqual(net.position.y + net.height!);
  // All of it from the pod: no Internet edge to the Service.
  t.services['default/php-apache'].rps = 50;
  expect(label(buildTrafficGraph({ ingresses: EMPTY, services: new Map([['default/php-apache', svc]]), pods: EMPTY, traffic: t }), 'e-direct/default/php-apache')).toBeUndefined();
});
