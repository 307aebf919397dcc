/**
 * trafficModel lays out the Traffic view, a pure function of the cluster's objects and the worker's
 * TrafficView: four columns, left to right — the Internet, the Ingresses (each with its rules), the
 * Services, and each Service's pods grouped by revision — and the edges between them labelled with the
 * requests per second the engine measured.
 *
 * Rates: an Ingress → Service edge carries what that Ingress sent that Service (TrafficView.ingresses, from
 * the engine's ingress → service counts; a canary Ingress's share is counted under its main one, since
 * ingress-nginx merges them, and its edges show the family's rate to each Service). A view without those
 * counts (none measured yet) falls back to the Service's own rate when exactly one Ingress family routes
 * to it, and an unlabelled "shared" edge otherwise. A Service with traffic and no Ingress is reached directly (`traffic --host <svc>`):
 * it gets an Internet → Service edge with its rate. Requests a pod sends (a load generator's loop) come
 * from that pod: a card under the Internet, with its own edges, and not counted as the Internet's.
 */
import type { Edge, Node as FlowNode } from '@xyflow/react';
import type { KubeObject, Pod, Service } from '../../engine/api/types.ts';
import { compileMapSelector } from '../../engine/api/selector.ts';
import { controllerRef } from '../../engine/api/podutil.ts';
import type { TrafficView } from '../../worker/protocol.ts';
import { byCreation, podView, type PodView } from './model.ts';
import { CARD_W, serviceCardHeight } from './layout.ts';

export const CANARY_ANNOTATION = 'nginx.ingress.kubernetes.io/canary';
const A = 'nginx.ingress.kubernetes.io/';

export const INTERNET_W = 120;
export const INTERNET_H = 84;
export const INGRESS_W = 264;
export const INGRESS_HEAD_H = 34;
export const INGRESS_ROW_H = 22;
export const GROUP_W = 240;
export const GROUP_HEAD_H = 32;
export const GROUP_ROW_H = 24;
/** GROUP_ROWS: a pod group lists this many pods by name; the rest are counted ("+12 more"). */
export const GROUP_ROWS = 4;
const COL_GAP = 100;
const ROW_GAP = 18;

/** IngressRule is one host/path → service line of an Ingress node. */
export interface IngressRule {
  host: string;
  path: string;
  pathType: string;
  service: string;
  port: string;
}

/** CanaryInfo is what an ingress-nginx canary Ingress says about its split. */
export interface CanaryInfo {
  weight: number;
  weightTotal: number;
  header?: string;
  headerValue?: string;
  cookie?: string;
}

/** parseCanaryInfo reads the canary annotations; undefined when the Ingress is not a canary. */
export function parseCanaryInfo(ing: KubeObject): CanaryInfo | undefined {
  const a = ing.metadata.annotations ?? {};
  if (a[CANARY_ANNOTATION] !== 'true') return undefined;
  const int = (v: string | undefined, d: number) => {
    const n = v === undefined ? NaN : parseInt(v, 10);
    return Number.isFinite(n) && n >= 0 ? n : d;
  };
  const out: CanaryInfo = { weight: int(a[A + 'canary-weight'], 0), weightTotal: int(a[A + 'canary-weight-total'], 100) || 100 };
  if (a[A + 'canary-by-header']) out.header = a[A + 'canary-by-header'];
  if (a[A + 'canary-by-header-value']) out.headerValue = a[A + 'canary-by-header-value'];
  if (a[A + 'canary-by-cookie']) out.cookie = a[A + 'canary-by-cookie'];
  return out;
}

/** canaryText is a canary Ingress's split in words: "weight 20%", "header X-Canary=always". */
export function canaryText(c: CanaryInfo): string {
  const parts: string[] = [];
  if (c.header) parts.push(`header ${c.header}${c.headerValue ? `=${c.headerValue}` : ''}`);
  if (c.cookie) parts.push(`cookie ${c.cookie}`);
  const pct = Math.round((c.weight / c.weightTotal) * 1000) / 10;
  parts.push(`weight ${pct}%`);
  return parts.join(' · ');
}

/** ingressClass is the Ingress's class: spec.ingressClassName or the legacy kubernetes.io/ingress.class annotation. */
export function ingressClass(ing: KubeObject): string | undefined {
  return ing.spec?.ingressClassName ?? ing.metadata.annotations?.['kubernetes.io/ingress.class'];
}

interface BackendRef {
  service?: { name: string; port?: { number?: number; name?: string } };
}

/** ingressRules lists an Ingress's host/path → service lines (the default backend as host "*" path "(default)"). */
export function ingressRules(ing: KubeObject): IngressRule[] {
  const out: IngressRule[] = [];
  const port = (b: BackendRef) => String(b.service?.port?.number ?? b.service?.port?.name ?? '');
  const def = ing.spec?.defaultBackend as BackendRef | undefined;
  if (def?.service) out.push({ host: '*', path: '(default)', pathType: '', service: def.service.name, port: port(def) });
  for (const r of (ing.spec?.rules ?? []) as { host?: string; http?: { paths?: { path?: string; pathType?: string; backend: BackendRef }[] } }[]) {
    for (const p of r.http?.paths ?? []) {
      if (!p.backend?.service) continue;
      out.push({ host: r.host || '*', path: p.path || '/', pathType: p.pathType ?? 'ImplementationSpecific', service: p.backend.service.name, port: port(p.backend) });
    }
  }
  return out;
}

/** rulesKey is an Ingress's hosts and paths, to find the main Ingress a canary belongs to. */
function hostPaths(rules: IngressRule[]): Set<string> {
  return new Set(rules.map((r) => `${r.host}|${r.path}`));
}

export interface TrafficInput {
  ingresses: ReadonlyMap<string, KubeObject>;
  services: ReadonlyMap<string, KubeObject>;
  pods: ReadonlyMap<string, KubeObject>;
  traffic: TrafficView | undefined;
}

/** PodGroup is one Service's pods of one revision. */
export interface PodGroup {
  service: string;
  revision: string;
  /** owner: the controller (ReplicaSet, StatefulSet …) of the pods, when they have one */
  owner?: { kind: string; name: string };
  label: string;
  pods: PodView[];
  /** rps: the pods' summed rate, undefined when their traffic cannot be told apart from another Service's */
  rps: number | undefined;
}

export interface TrafficGraph {
  nodes: FlowNode[];
  edges: Edge[];
  bounds: { width: number; height: number; top: number };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** serviceHeight: the Service card's height (as the Cluster view's, with the external-address line). */
export const SERVICE_H = serviceCardHeight();

/**
 * groupHeight is a pod group's height, in two sizes so a pod coming or going rarely moves anything: room
 * for 2 pods, or for GROUP_ROWS pods and the "+n more" line (3 → 30 pods all take the same height).
 */
export function groupHeight(n: number): number {
  return GROUP_HEAD_H + (n <= 2 ? 2 : GROUP_ROWS + 1) * GROUP_ROW_H + 10;
}

export function ingressHeight(rules: number, extra: boolean): number {
  return INGRESS_HEAD_H + 20 + rules * INGRESS_ROW_H + (extra ? 20 : 0) + 12;
}

/** TrafficEdgeData is what the labelled edge draws. */
export interface TrafficEdgeData extends Record<string, unknown> {
  label?: string;
  sub?: string;
  rps?: number;
  width: number;
  color?: string;
  dashed?: boolean;
  /** labelAt: where along the edge (0..1) the label sits; the middle when unset */
  labelAt?: number;
  title: string;
}

/**
 * buildTrafficGraph computes the Traffic view's nodes and edges. Positions depend only on which
 * Ingresses, Services and revisions exist and how many pods each group has (up to GROUP_ROWS), so a pod
 * changing state or a rate changing never moves anything.
 */
export function buildTrafficGraph(input: TrafficInput): TrafficGraph {
  const traffic = input.traffic;
  const svcRps = (key: string) => traffic?.services[key]?.rps ?? 0;
  const services = ([...input.services.values()] as Service[]).filter((s) => !(s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes')).sort(byCreation);
  const svcKey = (s: KubeObject) => `${s.metadata.namespace ?? 'default'}/${s.metadata.name}`;
  const svcByKey = new Map(services.map((s) => [svcKey(s), s]));

  // Ingresses: main ones in creation order, each canary right after the main one whose host/path it shares.
  const all = [...input.ingresses.values()].sort(byCreation);
  const info = new Map(all.map((i) => [i, { rules: ingressRules(i), canary: parseCanaryInfo(i) }]));
  const mains = all.filter((i) => !info.get(i)!.canary);
  const canaryOf = new Map<KubeObject, KubeObject[]>();
  const orphans: KubeObject[] = [];
  for (const c of all.filter((i) => info.get(i)!.canary)) {
    const hp = hostPaths(info.get(c)!.rules);
    const main = mains.find((m) => m.metadata.namespace === c.metadata.namespace && [...hostPaths(info.get(m)!.rules)].some((k) => hp.has(k)));
    if (main) {
      const l = canaryOf.get(main) ?? [];
      l.push(c);
      canaryOf.set(main, l);
    } else orphans.push(c);
  }

  // Which Ingress "families" (a main Ingress and its canaries) route to each Service.
  const familiesOf = new Map<string, Set<string>>();
  const familyOf = (ing: KubeObject) => {
    for (const [m, cs] of canaryOf) if (cs.includes(ing)) return svcKey(m);
    return svcKey(ing);
  };
  const backendKey = (ing: KubeObject, name: string) => `${ing.metadata.namespace ?? 'default'}/${name}`;
  for (const ing of all) {
    for (const r of info.get(ing)!.rules) {
      const k = backendKey(ing, r.service);
      const s = familiesOf.get(k) ?? new Set<string>();
      s.add(familyOf(ing));
      familiesOf.set(k, s);
    }
  }
  const exclusive = (k: string) => (familiesOf.get(k)?.size ?? 0) === 1;
  // With a measured view, each Ingress family's rate to each Service is known exactly.
  const exact = traffic !== undefined;
  const famRps = (fam: string, k: string) => traffic?.ingresses?.[fam]?.[k]?.rps ?? 0;

  // Service order: as the Ingresses' rules name them, then the rest by creation.
  const order: Service[] = [];
  const seen = new Set<string>();
  const addSvc = (k: string) => {
    const s = svcByKey.get(k);
    if (s && !seen.has(k)) {
      seen.add(k);
      order.push(s);
    }
  };
  for (const m of mains) {
    for (const r of info.get(m)!.rules) addSvc(backendKey(m, r.service));
    for (const c of canaryOf.get(m) ?? []) for (const r of info.get(c)!.rules) addSvc(backendKey(c, r.service));
  }
  for (const c of orphans) for (const r of info.get(c)!.rules) addSvc(backendKey(c, r.service));
  for (const s of services) addSvc(svcKey(s));

  // Pods per Service (its selector), grouped by revision.
  const pods = ([...input.pods.values()] as Pod[]).filter((p) => !p.metadata.deletionTimestamp || p.status?.phase === 'Running').sort(byCreation);
  const servicesOfPod = new Map<string, string[]>();
  const groupsOf = new Map<string, PodGroup[]>();
  for (const s of order) {
    const k = svcKey(s);
    const groups: PodGroup[] = [];
    if (s.spec?.selector && Object.keys(s.spec.selector).length > 0) {
      const match = compileMapSelector(s.spec.selector);
      const byRev = new Map<string, PodGroup>();
      for (const p of pods) {
        if ((p.metadata.namespace ?? 'default') !== (s.metadata.namespace ?? 'default') || !match(p.metadata.labels ?? {})) continue;
        if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
        const v = podView(p);
        const ref = controllerRef(p);
        const rev = v.revision ?? ref?.name ?? '';
        let g = byRev.get(rev);
        if (!g) {
          g = { service: k, revision: rev, label: ref ? `${ref.kind === 'ReplicaSet' ? 'rs' : ref.kind} ${ref.name}` : 'pods', pods: [], rps: 0 };
          if (ref) g.owner = { kind: ref.kind, name: ref.name };
          byRev.set(rev, g);
          groups.push(g);
        }
        g.pods.push(v);
        const pk = `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;
        const l = servicesOfPod.get(pk) ?? [];
        l.push(k);
        servicesOfPod.set(pk, l);
      }
    }
    groupsOf.set(k, groups);
  }
  // A group's rate is its pods' rate, unless a pod also serves another Service that has traffic.
  for (const groups of groupsOf.values()) {
    for (const g of groups) {
      let sum = 0;
      let shared = false;
      for (const v of g.pods) {
        const pk = `${v.pod.metadata.namespace ?? 'default'}/${v.pod.metadata.name}`;
        if ((servicesOfPod.get(pk) ?? []).some((o) => o !== g.service && svcRps(o) > 0)) shared = true;
        sum += traffic?.pods[pk]?.rps ?? 0;
      }
      g.rps = shared ? undefined : round1(sum);
    }
  }

  // Rates of the edges.
  const maxRps = Math.max(1, ...order.map((s) => svcRps(svcKey(s))));
  const width = (rps: number | undefined) => (rps === undefined || rps <= 0 ? 1.25 : 1.5 + 5 * Math.sqrt(rps / maxRps));
  const nodes: FlowNode[] = [];
  const edges: Edge[] = [];
  const node = (id: string, type: string, x: number, y: number, w: number, h: number, data: Record<string, unknown>) =>
    nodes.push({ id, type, position: { x, y }, width: w, height: h, data, draggable: false, selectable: false, connectable: false });
  const edge = (id: string, source: string, target: string, data: TrafficEdgeData, sourceHandle?: string, targetHandle?: string) => {
    const e: Edge = { id, source, target, type: 'traffic', data, selectable: false, focusable: false, ariaLabel: data.title };
    if (sourceHandle) e.sourceHandle = sourceHandle;
    if (targetHandle) e.targetHandle = targetHandle;
    edges.push(e);
  };
  const fmt = (r: number) => (r >= 100 ? String(Math.round(r)) : r.toFixed(1));
  const pct = (a: number, b: number) => (b > 0 ? `${Math.round((a / b) * 100)}%` : '');

  // Columns.
  const xIng = INTERNET_W + COL_GAP;
  const xSvc = xIng + INGRESS_W + COL_GAP;
  const xPods = xSvc + CARD_W + COL_GAP;

  // Service rows (and their groups) top to bottom.
  const svcY = new Map<string, number>();
  let y = 0;
  for (const s of order) {
    const k = svcKey(s);
    const groups = groupsOf.get(k)!;
    const gh = groups.reduce((h, g) => h + groupHeight(g.pods.length) + 10, 0) - (groups.length ? 10 : 0);
    const rowH = Math.max(SERVICE_H, gh);
    svcY.set(k, y);
    const svcId = `tsvc/${k}`;
    const total = svcRps(k);
    node(svcId, 'tservice', xSvc, y, CARD_W, SERVICE_H, { service: s, endpoints: groups.reduce((n, g) => n + g.pods.filter((v) => v.ready).length, 0), traffic: true });
    let gy = y;
    const groupSum = groups.reduce((n, g) => n + (g.rps ?? 0), 0);
    for (const g of groups) {
      const gid = `tpods/${k}/${g.revision}`;
      const h = groupHeight(g.pods.length);
      node(gid, 'tpods', xPods, gy, GROUP_W, h, { group: g });
      const label = g.rps === undefined ? 'shared pods' : `${fmt(g.rps)} rps`;
      const sub = g.rps !== undefined && g.rps > 0 && groupSum > 0 && groups.length > 1 ? pct(g.rps, groupSum) : undefined;
      edge(`e-svc/${k}/${g.revision}`, svcId, gid, {
        label,
        sub,
        rps: g.rps,
        labelAt: groups.length > 1 ? 0.65 : undefined,
        width: width(g.rps),
        title: `Service ${s.metadata.name} → ${g.label}: ${g.rps === undefined ? 'pods shared with another Service, rate not attributable' : `${fmt(g.rps)} requests/s${sub ? ` (${sub})` : ''}`}`,
      });
      gy += h + 10;
    }
    y += rowH + ROW_GAP;
    void total;
  }
  const bottom = Math.max(y - ROW_GAP, INTERNET_H);

  // Ingress column: each family at the first of its Services' rows, never overlapping the one above.
  let iy = 0;
  const ingTotals: { id: string; rps: number; partial: boolean; any: boolean }[] = [];
  const placeIngress = (ing: KubeObject, canaryFrom?: string) => {
    const k = svcKey(ing);
    const inf = info.get(ing)!;
    const firstSvc = inf.rules.map((r) => svcY.get(backendKey(ing, r.service))).find((v) => v !== undefined) ?? iy;
    const h = ingressHeight(inf.rules.length, !!inf.canary);
    const top = canaryFrom ? iy : Math.max(iy, firstSvc);
    const id = `ting/${k}`;
    node(id, 'tingress', xIng, top, INGRESS_W, h, { ingress: ing, rules: inf.rules, ingressClass: ingressClass(ing), canary: inf.canary });
    iy = top + h + ROW_GAP;
    return id;
  };
  const seenEdge = new Set<string>();
  const ruleEdges = (ing: KubeObject, id: string, familyTotal: number, familyKnown: boolean) => {
    for (const r of info.get(ing)!.rules) {
      const k = backendKey(ing, r.service);
      if (!svcByKey.has(k) || seenEdge.has(`${id}>${k}`)) continue;
      seenEdge.add(`${id}>${k}`);
      const rps = exact ? famRps(familyOf(ing), k) : exclusive(k) ? svcRps(k) : undefined;
      const sub = rps !== undefined && rps > 0 && familyKnown && familyTotal > 0 ? pct(rps, familyTotal) : undefined;
      edge(`e-ing/${svcKey(ing)}/${k}`, id, `tsvc/${k}`, {
        label: rps === undefined ? 'shared' : `${fmt(rps)} rps`,
        sub,
        rps,
        labelAt: 0.6,
        width: width(rps),
        title:
          rps === undefined
            ? `Ingress ${ing.metadata.name} → Service ${r.service}: also routed by another Ingress; the Service's total is on its card`
            : `Ingress ${ing.metadata.name} → Service ${r.service}: ${fmt(rps)} requests/s${sub ? ` (${sub} of the Ingress's)` : ''}`,
      });
    }
  };
  const familyServices = (m: KubeObject) => {
    const out = new Set<string>();
    for (const i of [m, ...(canaryOf.get(m) ?? [])]) for (const r of info.get(i)!.rules) if (svcByKey.has(backendKey(i, r.service))) out.add(backendKey(i, r.service));
    return [...out];
  };
  for (const m of mains) {
    const fam = familyServices(m);
    const known = exact || fam.every(exclusive);
    const total = round1(exact ? fam.reduce((n, k) => n + famRps(svcKey(m), k), 0) : fam.filter(exclusive).reduce((n, k) => n + svcRps(k), 0));
    const id = placeIngress(m);
    ingTotals.push({ id, rps: total, partial: !known, any: fam.length > 0 });
    ruleEdges(m, id, total, known);
    for (const c of canaryOf.get(m) ?? []) {
      const cid = placeIngress(c, id);
      const ci = info.get(c)!.canary!;
      edge(`e-canary/${svcKey(m)}/${svcKey(c)}`, id, cid, { label: canaryText(ci), width: 1.25, dashed: true, title: `Canary Ingress ${c.metadata.name} takes ${canaryText(ci)} of ${m.metadata.name}'s requests` }, 'canary', 'canary');
      ruleEdges(c, cid, total, known);
    }
  }
  for (const c of orphans) {
    const id = placeIngress(c);
    ruleEdges(c, id, 0, false);
  }

  // Internet, centred on what it feeds; what pods send to a Service is theirs, not the Internet's.
  const colBottom = Math.max(bottom, iy - ROW_GAP);
  const netY = Math.max(0, Math.round(colBottom / 2 - INTERNET_H / 2));
  const fromPods = Object.entries(traffic?.fromPods ?? {}).filter(([, to]) => Object.keys(to).some((k) => svcByKey.has(k)));
  const podRps = (k: string) => fromPods.reduce((n, [, to]) => n + (to[k]?.rps ?? 0), 0);
  const externalRps = (k: string) => round1(Math.max(0, svcRps(k) - podRps(k)));
  const direct = order.filter((s) => !familiesOf.has(svcKey(s)) && externalRps(svcKey(s)) > 0);
  const totalIn = round1(ingTotals.reduce((n, t) => n + t.rps, 0) + direct.reduce((n, s) => n + externalRps(svcKey(s)), 0));
  node('internet', 'internet', 0, netY, INTERNET_W, INTERNET_H, { rps: totalIn, partial: ingTotals.some((t) => t.partial) });
  for (const t of ingTotals) {
    edge(`e-in/${t.id.slice('ting/'.length)}`, 'internet', t.id, {
      label: `${t.partial ? '≥ ' : ''}${fmt(t.rps)} rps`,
      rps: t.rps,
      width: width(t.rps),
      title: `Internet → Ingress ${t.id.slice(t.id.indexOf('/', 5) + 1)}: ${t.partial ? 'at least ' : ''}${fmt(t.rps)} requests/s${t.partial ? ' (some of its Services are shared with other Ingresses)' : ''}`,
    });
  }
  for (const s of direct) {
    const k = svcKey(s);
    const rps = externalRps(k);
    edge(`e-direct/${k}`, 'internet', `tsvc/${k}`, { label: `${fmt(rps)} rps`, sub: 'direct', rps, width: width(rps), dashed: false, title: `Clients → Service ${s.metadata.name} directly: ${fmt(rps)} requests/s` });
  }
  // Pods that send requests themselves, one card each under the Internet.
  let py = netY + INTERNET_H + ROW_GAP;
  for (const [pod, to] of fromPods.sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const id = `tclient/${pod}`;
    const total = round1(Object.values(to).reduce((n, r) => n + r.rps, 0));
    node(id, 'tclient', 0, py, INTERNET_W, INTERNET_H, { pod, rps: total });
    py += INTERNET_H + ROW_GAP;
    for (const [k, r] of Object.entries(to)) {
      if (!svcByKey.has(k)) continue;
      const name = pod.slice(pod.indexOf('/') + 1);
      // The label near its pod's card: with several generators, labels in the middle would stack up together.
      edge(`e-client/${pod}/${k}`, id, `tsvc/${k}`, { label: `${fmt(r.rps)} rps`, sub: 'from pod', rps: r.rps, labelAt: 0.25, width: width(r.rps), dashed: false, title: `Pod ${name} → Service ${svcByKey.get(k)!.metadata.name}: ${fmt(r.rps)} requests/s (its own requests, from inside the cluster)` });
    }
  }
  return { nodes, edges, bounds: { width: xPods + GROUP_W, height: Math.max(colBottom, py - ROW_GAP), top: 0 } };
}
