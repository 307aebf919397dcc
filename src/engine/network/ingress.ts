/**
 * Ingress routing as the ingress-nginx controller does it (networking.k8s.io/v1): host rules (exact and
 * one-label wildcards), path rules (Exact, Prefix element-wise, ImplementationSpecific as nginx's
 * string-prefix `location`), longest match wins with Exact before Prefix on a tie, per-Ingress and
 * cluster default backends, and the ingress-nginx canary annotations. Pure: it compiles Ingress objects
 * into an IngressTable that the request path consults.
 */
import type { KubeObject } from '../api/types.ts';
import { unsafeRegex } from './promql/parser.ts';
import { compileGo, type GoRegexp } from '../regexp.ts';

export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

/** IngressBackendRef is a Service backend: name and port (number or the Service port's name). */
export interface IngressBackendRef {
  namespace: string;
  service: string;
  port: number | string;
}

/** CanaryPolicy is ingress-nginx's traffic-shaping policy for an alternative backend. */
export interface CanaryPolicy {
  ingress: string; // ns/name of the canary Ingress
  backend: IngressBackendRef;
  weight: number;
  weightTotal: number;
  header?: string;
  headerValue?: string;
  headerPattern?: string;
  cookie?: string;
}

export interface IngressPath {
  path: string;
  pathType: PathType;
  /** ingress is the "ns/name" of the Ingress that defined the path (the oldest wins a conflict). */
  ingress: string;
  backend: IngressBackendRef;
  canary?: CanaryPolicy;
  /** mirror is the Ingress' mirror-target (ingress-nginx applies it to every path of the Ingress). */
  mirror?: MirrorPolicy;
}

/**
 * MirrorPolicy is ingress-nginx's request mirroring (annotations/mirror): nginx's `mirror` directive
 * sends a background subrequest to `mirror-target` for every request of the location and ignores
 * its response. host is the mirror's Host header: `mirror-host`, else the target URL's host name.
 */
export interface MirrorPolicy {
  ingress: string;
  /** target is the annotation as written, e.g. "http://shop-shadow.default.svc.cluster.local$request_uri". */
  target: string;
  host: string;
  /** requestBody is mirror-request-body ("off" disables sending the body; Kubeplay requests carry none). */
  requestBody: boolean;
}

interface HostEntry {
  paths: IngressPath[];
  defaultBackend?: { ingress: string; backend: IngressBackendRef };
}

/** IngressRoute is where a request goes: a rule path, an Ingress' default backend, or nothing (404). */
export type IngressRoute =
  | { kind: 'path'; host: string; match: IngressPath }
  | { kind: 'default'; host: string; ingress: string; backend: IngressBackendRef }
  | { kind: 'none'; host: string };

export interface IngressTable {
  exact: Map<string, HostEntry>;
  wildcard: { suffix: string; entry: HostEntry }[];
  any: HostEntry;
  defaultBackend?: { ingress: string; backend: IngressBackendRef };
  /** problems are per-Ingress messages (unsupported resource backends, orphan canaries) for Events. */
  problems: { ingress: KubeObject; reason: string; message: string }[];
  /** tlsHosts are the hosts some Ingress lists under spec.tls (served over https). */
  tlsHosts: Set<string>;
}

export const CANARY_ANNOTATION = 'nginx.ingress.kubernetes.io/canary';
const A = 'nginx.ingress.kubernetes.io/';

/** normalizeHost lowercases a Host header and strips its port, as nginx matches server_name. */
export function normalizeHost(host: string | undefined): string {
  if (!host) return '';
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h; // IPv6 literal: leave as is
  const i = h.lastIndexOf(':');
  return i >= 0 ? h.slice(0, i) : h;
}

/**
 * matchesHost is the Ingress host rule: an exact match, or "*.foo.com" matching exactly one extra
 * leading DNS label ("bar.foo.com" yes, "baz.bar.foo.com" and "foo.com" no).
 */
export function matchesHost(ruleHost: string, requestHost: string): boolean {
  const rule = ruleHost.toLowerCase();
  const req = normalizeHost(requestHost);
  if (!rule.startsWith('*.')) return rule === req;
  const suffix = rule.slice(1); // ".foo.com"
  if (!req.endsWith(suffix)) return false;
  const label = req.slice(0, req.length - suffix.length);
  return label.length > 0 && !label.includes('.');
}

function elements(p: string): string[] {
  return p.split('/').filter((e) => e !== '');
}

/**
 * pathMatches applies one path rule. Exact: equal, case-sensitive, trailing slash significant.
 * Prefix: the rule's '/'-separated elements are a prefix of the request's (a trailing slash on
 * either side is ignored, "/aaa/bb" does not match "/aaa/bbb"). ImplementationSpecific: ingress-nginx
 * renders it as a plain nginx `location /foo`, a string prefix.
 */
export function pathMatches(rulePath: string, pathType: PathType, requestPath: string): boolean {
  if (pathType === 'Exact') return rulePath === requestPath;
  if (pathType === 'ImplementationSpecific') return requestPath.startsWith(rulePath || '/');
  const r = elements(rulePath);
  const q = elements(requestPath);
  if (r.length > q.length) return false;
  for (let i = 0; i < r.length; i++) if (r[i] !== q[i]) return false;
  return true;
}

/**
 * selectPath picks the matching path: the longest path wins; on equal length Exact beats Prefix
 * (docs, "Multiple matches"). Returns undefined when nothing matches.
 */
export function selectPath<T extends { path: string; pathType: PathType }>(paths: readonly T[], requestPath: string): T | undefined {
  let best: T | undefined;
  for (const p of paths) {
    if (!pathMatches(p.path, p.pathType, requestPath)) continue;
    if (!best) {
      best = p;
      continue;
    }
    const len = p.path.length;
    const bestLen = best.path.length;
    if (len > bestLen || (len === bestLen && p.pathType === 'Exact' && best.pathType !== 'Exact')) best = p;
  }
  return best;
}

/**
 * parseMirror reads `mirror-target`, `mirror-host` and `mirror-request-body` (annotations/mirror/main.go):
 * no target, no mirror; the Host header defaults to the target URL's host name. Returns a message
 * instead when the target is not an http(s) URL (nginx would reject the proxy_pass).
 */
export function parseMirror(ing: KubeObject): MirrorPolicy | string | undefined {
  const a = ing.metadata.annotations ?? {};
  const target = (a[A + 'mirror-target'] ?? '').trim();
  if (!target) return undefined;
  const u = splitMirrorUrl(target, '/');
  if (!u) return `${A}mirror-target: invalid URL ${JSON.stringify(target)}: must be http:// or https:// followed by a host`;
  return {
    ingress: ingressKey(ing),
    target,
    host: (a[A + 'mirror-host'] ?? '').trim() || u.host,
    requestBody: (a[A + 'mirror-request-body'] ?? '').trim() !== 'off',
  };
}

/**
 * splitMirrorUrl expands nginx variables in a mirror target for one request ($request_uri, $uri: the
 * path; $host; $scheme: http) and splits it into scheme, host, port and path.
 */
export function splitMirrorUrl(target: string, path: string, host = ''): { scheme: 'http' | 'https'; host: string; port: number; path: string } | undefined {
  const t = target.replace(/\$(request_uri|uri|host|scheme)\b/g, (_m, v: string) => (v === 'host' ? host : v === 'scheme' ? 'http' : path));
  const m = /^(https?):\/\/([^/?#:]+)(?::(\d+))?([^#]*)$/i.exec(t);
  if (!m) return undefined;
  const scheme = m[1].toLowerCase() === 'https' ? 'https' : 'http';
  const rest = m[4] || '/';
  const q = rest.indexOf('?');
  return { scheme, host: m[2].toLowerCase(), port: m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80, path: (q >= 0 ? rest.slice(0, q) : rest) || '/' };
}

/** parseCanary reads the ingress-nginx canary annotations; undefined when the Ingress is not a canary. */
export function parseCanary(ing: KubeObject, backend: IngressBackendRef): CanaryPolicy | undefined {
  const a = ing.metadata.annotations ?? {};
  if (a[CANARY_ANNOTATION] !== 'true') return undefined;
  const int = (v: string | undefined, d: number) => {
    const n = v === undefined ? NaN : parseInt(v, 10);
    return Number.isFinite(n) && n >= 0 ? n : d;
  };
  return {
    ingress: `${ing.metadata.namespace ?? 'default'}/${ing.metadata.name}`,
    backend,
    weight: int(a[A + 'canary-weight'], 0),
    weightTotal: int(a[A + 'canary-weight-total'], 100) || 100,
    header: a[A + 'canary-by-header'] || undefined,
    headerValue: a[A + 'canary-by-header-value'] || undefined,
    headerPattern: a[A + 'canary-by-header-pattern'] || undefined,
    cookie: a[A + 'canary-by-cookie'] || undefined,
  };
}

/**
 * routeToCanary is ingress-nginx's route_to_alternative_balancer (balancer.lua): the header decides
 * first ("always"/"never", or an exact canary-by-header-value / canary-by-header-pattern match), then
 * the cookie ("always"/"never"), then the weight: math.random(weightTotal) <= weight. Any other
 * header or cookie value is ignored and the next rule decides.
 */
export function routeToCanary(
  p: CanaryPolicy,
  headers: Record<string, string> | undefined,
  cookies: Record<string, string> | undefined,
  random: () => number,
): boolean {
  return canaryByRequest(p, headers, cookies) ?? canaryByWeight(p, random);
}

/** canaryByRequest is the header/cookie part of routeToCanary: true/false when they decide, else undefined. */
export function canaryByRequest(p: CanaryPolicy, headers: Record<string, string> | undefined, cookies: Record<string, string> | undefined): boolean | undefined {
  if (p.header && headers) {
    const v = headerValue(headers, p.header);
    if (v !== undefined) {
      if (p.headerValue) {
        if (v === p.headerValue) return true;
      } else if (p.headerPattern) {
        if (safeRegex(p.headerPattern)?.test(v)) return true;
      } else if (v === 'always') return true;
      else if (v === 'never') return false;
    }
  }
  if (p.cookie && cookies) {
    const c = cookies[p.cookie];
    if (c === 'always') return true;
    if (c === 'never') return false;
  }
  return undefined;
}

/** canaryByWeight is `math.random(weightTotal) <= weight` (math.random(n) draws an integer in [1, n]). */
export function canaryByWeight(p: CanaryPolicy, random: () => number): boolean {
  if (p.weight <= 0) return false;
  return Math.floor(random() * p.weightTotal) + 1 <= p.weight;
}

function safeRegex(s: string): GoRegexp | undefined {
  // Annotations come from strangers' manifests: matched with RE2, in time linear in the header's value
  // (ingress-nginx's PCRE backtracks; a pattern RE2 does not take, such as a look-around, matches nothing).
  return unsafeRegex(s) ? undefined : compileGo(s);
}

/** headerValue looks a header up case-insensitively. */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const k in headers) if (k.toLowerCase() === want) return headers[k];
  return undefined;
}

/** parseCookies reads a Cookie header ("a=1; b=2"). */
export function parseCookies(cookie: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!cookie) return out;
  for (const part of cookie.split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function backendRef(ns: string, b: any): IngressBackendRef | undefined {
  const svc = b?.service;
  if (!svc?.name) return undefined;
  const port = svc.port?.number ?? svc.port?.name ?? 80;
  return { namespace: ns, service: svc.name, port };
}

function ingressKey(ing: KubeObject): string {
  return `${ing.metadata.namespace ?? 'default'}/${ing.metadata.name}`;
}

/**
 * compileIngresses merges Ingresses as ingress-nginx does: one server per host, locations from every
 * Ingress for that host (on the same host+path+pathType the oldest Ingress wins), canary Ingresses
 * attached to the main Ingress' location for the same host and path. ingresses must be in creation
 * order (oldest first).
 */
export function compileIngresses(ingresses: readonly KubeObject[]): IngressTable {
  const table: IngressTable = { exact: new Map(), wildcard: [], any: { paths: [] }, problems: [], tlsHosts: new Set() };
  const entryFor = (host: string | undefined): HostEntry => {
    if (!host) return table.any;
    const h = host.toLowerCase();
    if (h.startsWith('*.')) {
      let w = table.wildcard.find((x) => x.suffix === h.slice(1));
      if (!w) table.wildcard.push((w = { suffix: h.slice(1), entry: { paths: [] } }));
      return w.entry;
    }
    let e = table.exact.get(h);
    if (!e) table.exact.set(h, (e = { paths: [] }));
    return e;
  };
  const mains = ingresses.filter((i) => i.metadata.annotations?.[CANARY_ANNOTATION] !== 'true');
  const canaries = ingresses.filter((i) => i.metadata.annotations?.[CANARY_ANNOTATION] === 'true');
  for (const ing of mains) {
    const ns = ing.metadata.namespace ?? 'default';
    const key = ingressKey(ing);
    const mp = parseMirror(ing);
    const mirror = typeof mp === 'object' ? mp : undefined;
    if (typeof mp === 'string') table.problems.push({ ingress: ing, reason: 'Sync', message: mp });
    for (const t of ing.spec?.tls ?? []) for (const h of t?.hosts ?? []) table.tlsHosts.add(String(h).toLowerCase());
    const db = ing.spec?.defaultBackend;
    const dbRef = db ? backendRef(ns, db) : undefined;
    if (db && !dbRef && db.resource) {
      table.problems.push({ ingress: ing, reason: 'UnsupportedBackend', message: unsupportedResource('spec.defaultBackend.resource') });
    }
    // ingress-nginx's createServers: only an Ingress without rules makes its backend the catch-all server's
    // (every host no Ingress names); one with rules lends it to its own hosts alone (below).
    if (dbRef && !table.defaultBackend && (ing.spec?.rules ?? []).length === 0) table.defaultBackend = { ingress: key, backend: dbRef };
    (ing.spec?.rules ?? []).forEach((rule: any, ri: number) => {
      const entry = entryFor(rule?.host);
      if (dbRef && !entry.defaultBackend) entry.defaultBackend = { ingress: key, backend: dbRef };
      (rule?.http?.paths ?? []).forEach((p: any, pi: number) => {
        const ref = backendRef(ns, p?.backend);
        if (!ref) {
          if (p?.backend?.resource) {
            table.problems.push({ ingress: ing, reason: 'UnsupportedBackend', message: unsupportedResource(`spec.rules[${ri}].http.paths[${pi}].backend.resource`) });
          }
          return;
        }
        const path = p.path || '/';
        const pathType: PathType = p.pathType ?? 'ImplementationSpecific';
        if (entry.paths.some((x) => x.path === path && x.pathType === pathType)) return; // the oldest Ingress wins
        entry.paths.push(mirror ? { path, pathType, ingress: key, backend: ref, mirror } : { path, pathType, ingress: key, backend: ref });
      });
    });
  }
  for (const ing of canaries) {
    const ns = ing.metadata.namespace ?? 'default';
    let attached = false;
    for (const rule of ing.spec?.rules ?? []) {
      const entry = entryFor(rule?.host);
      for (const p of rule?.http?.paths ?? []) {
        const ref = backendRef(ns, p?.backend);
        if (!ref) continue;
        const path = p.path || '/';
        const main = entry.paths.find((x) => x.path === path);
        const policy = parseCanary(ing, ref);
        if (main && policy && !main.canary) {
          main.canary = policy;
          attached = true;
        }
      }
    }
    if (!attached) {
      table.problems.push({
        ingress: ing,
        reason: 'Sync',
        message: 'canary ingress has no main ingress with the same host and path: its rules are ignored',
      });
    }
  }
  return table;
}

function unsupportedResource(field: string): string {
  return `${field}: resource backends are not supported by the ingress-nginx controller; use a service backend`;
}

/** route finds where a request for host+path goes in a compiled table. */
export function routeIngress(table: IngressTable, host: string, path: string): IngressRoute {
  const h = normalizeHost(host);
  let entry = table.exact.get(h);
  if (!entry) {
    for (const w of table.wildcard) {
      if (matchesHost('*' + w.suffix, h)) {
        entry = w.entry;
        break;
      }
    }
  }
  const known = !!entry;
  entry ??= table.any;
  const match = selectPath(entry.paths, path);
  if (match) return { kind: 'path', host: h, match };
  // A host some Ingress names has its own server: unmatched, it gets that Ingress's default backend or the
  // controller's 404; the catch-all default backend serves only hosts no Ingress names.
  const db = entry.defaultBackend ?? (known ? undefined : table.defaultBackend);
  if (db) return { kind: 'default', host: h, ingress: db.ingress, backend: db.backend };
  return { kind: 'none', host: h };
}

/**
 * servedByNginx says whether the simulated ingress-nginx controller (IngressClass "nginx",
 * controller k8s.io/ingress-nginx) serves an Ingress: spec.ingressClassName naming a class of that
 * controller (or "nginx" when no such IngressClass object exists), the legacy kubernetes.io/ingress.class
 * annotation, or no class at all (Kubeplay's controller is the cluster's default class).
 */
export function servedByNginx(ing: KubeObject, classes: readonly KubeObject[]): boolean {
  const cls = ing.spec?.ingressClassName ?? ing.metadata.annotations?.['kubernetes.io/ingress.class'];
  if (!cls) return true;
  const ic = classes.find((c) => c.metadata.name === cls);
  if (ic) return ic.spec?.controller === 'k8s.io/ingress-nginx';
  return cls === 'nginx';
}
