/**
 * resources.ts: ResourceList helpers shared by the LimitRanger and ResourceQuota admission plugins
 * (k8s.io/apimachinery resource.Quantity String() and pkg/quota/v1 resources.go). Values are kept
 * in milli-units (api/quantity.ts) so cpu and memory share one integer arithmetic.
 */
import { parseQuantity } from '../api/quantity.ts';
import type { Container, Pod } from '../api/types.ts';

export type ResourceList = Record<string, string | number>;
/** Usage maps a resource name to milli-units. */
export type Usage = Record<string, number>;

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

const DECIMAL_UP: [string, number][] = [['E', 1e18], ['P', 1e15], ['T', 1e12], ['G', 1e9], ['M', 1e6], ['k', 1e3]];
const BINARY_UP: [string, number][] = [['Ei', 2 ** 60], ['Pi', 2 ** 50], ['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];

/**
 * formatMilli is Quantity.String() in canonical form: binary quantities in the largest exact
 * power-of-1024 suffix ("1024Mi" is "1Gi"), decimal ones in the largest exact power of 1000
 * ("2000m" is "2", "1000" is "1k"), sub-unit values in milli ("0.5" is "500m").
 */
export function formatMilli(milli: number, binary: boolean): string {
  if (milli % 1000 !== 0) return `${milli}m`;
  const v = milli / 1000;
  if (v === 0) return '0';
  if (binary) {
    for (const [s, n] of BINARY_UP) if (Math.abs(v) >= n && v % n === 0) return `${v / n}${s}`;
    // A binary quantity with no exact binary suffix falls back to decimal (Quantity.CanonicalizeBytes).
  }
  for (const [s, n] of DECIMAL_UP) if (Math.abs(v) >= n && v % n === 0) return `${v / n}${s}`;
  return String(v);
}

/** isBinaryName: memory-like resources print in binary units when they divide evenly (128Mi + 128Mi = 256Mi). */
function isBinaryName(name: string): boolean {
  return /memory|storage/.test(name);
}

/** canonical prints a user's quantity as the API server echoes it back ("0.5" → "500m", "1024Mi" → "1Gi"). */
export function canonical(q: string | number | undefined): string {
  const m = parseQuantity(q);
  if (m === undefined) return String(q);
  const binary = typeof q === 'string' && /[KMGTPE]i$/.test(q.trim());
  return formatMilli(m, binary);
}

/** formatUsage prints a summed usage value for a resource name (quota used/requested/limited). */
export function formatUsage(name: string, milli: number): string {
  if (isBinaryName(name) && milli % 1000 === 0 && (milli / 1000) % 1024 === 0) return formatMilli(milli, true);
  return formatMilli(milli, false);
}

/** toUsage parses a ResourceList into milli-units, skipping malformed values (validation reports them). */
export function toUsage(list: unknown): Usage {
  const out: Usage = {};
  if (!isObj(list)) return out;
  for (const [k, v] of Object.entries(list)) {
    const m = parseQuantity(v as string);
    if (m !== undefined) out[k] = m;
  }
  return out;
}

export function requestsOf(c: Container): ResourceList {
  return isObj(c?.resources?.requests) ? (c.resources!.requests as ResourceList) : {};
}

export function limitsOf(c: Container): ResourceList {
  return isObj(c?.resources?.limits) ? (c.resources!.limits as ResourceList) : {};
}

/**
 * podTotals is resourcehelper.PodRequests / PodLimits: the sum over app containers, raised to the
 * largest single init container (init containers run one at a time), plus spec.overhead.
 * Sidecars (init containers with restartPolicy Always) keep running: they add to the app sum and
 * to every later init container's peak — max(app + sidecars, max over init i of init_i + sidecars
 * started before i). App 100m, sidecar 50m, then a 300m init: max(150m, 350m) = 350m.
 */
export function podTotals(pod: Pod, which: 'requests' | 'limits'): Usage {
  const get = which === 'requests' ? requestsOf : limitsOf;
  const sum: Usage = {};
  for (const c of pod.spec?.containers ?? []) {
    for (const [k, v] of Object.entries(toUsage(get(c)))) sum[k] = (sum[k] ?? 0) + v;
  }
  const sidecars: Usage = {};
  const initPeak: Usage = {};
  for (const c of pod.spec?.initContainers ?? []) {
    const u = toUsage(get(c));
    if (c.restartPolicy === 'Always') {
      for (const [k, v] of Object.entries(u)) sidecars[k] = (sidecars[k] ?? 0) + v;
      for (const [k, v] of Object.entries(sidecars)) initPeak[k] = Math.max(initPeak[k] ?? 0, v);
    } else {
      for (const k of new Set([...Object.keys(u), ...Object.keys(sidecars)])) initPeak[k] = Math.max(initPeak[k] ?? 0, (u[k] ?? 0) + (sidecars[k] ?? 0));
    }
  }
  for (const [k, v] of Object.entries(sidecars)) sum[k] = (sum[k] ?? 0) + v;
  for (const [k, v] of Object.entries(initPeak)) sum[k] = Math.max(sum[k] ?? 0, v);
  for (const [k, v] of Object.entries(toUsage(pod.spec?.overhead))) sum[k] = (sum[k] ?? 0) + v;
  return sum;
}
