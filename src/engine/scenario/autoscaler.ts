import { parseDuration } from '../clock.ts';
import { isQuantity, parseQuantity } from '../api/quantity.ts';
import { AUTOSCALER_DEFAULTS, DEFAULT_PROVISION_DELAY_MS, type AutoscalerSpec, type Expander, type NodeGroupSpec, type NodeGroupTemplate } from '../controllers/clusterautoscaler/types.ts';
import type { Checker } from './checker.ts';
import { LIMITS } from './limits.ts';
import { checkLabel, checkTaints, DNS1123_SUBDOMAIN } from './nodes.ts';
import type { PathSegment } from './positions.ts';

const EXPANDERS: readonly Expander[] = ['random', 'least-waste', 'most-pods'];
const DURATION_HINT = 'must be a duration like 10s, 10m or 1h';
/** MAX_GROUPS: node groups per scenario. */
const MAX_GROUPS = 50;

/**
 * checkAutoscaler reads spec.cluster.autoscaler (the simulated cluster autoscaler, off without it):
 * nodeGroups [{name, min, max, template: {cpu, memory, pods, labels, taints}, provisionDelay}],
 * expander, scanInterval, scaleDownUnneededTime, scaleDownDelayAfterAdd,
 * scaleDownUtilizationThreshold, scaleDownEnabled — upstream's flag defaults for what is left out.
 */
export function checkAutoscaler(v: unknown, c: Checker, nodeCount: number): AutoscalerSpec | undefined {
  const base: PathSegment[] = ['spec', 'cluster', 'autoscaler'];
  const m = c.mapping(v, base, ['nodeGroups', 'expander', 'scanInterval', 'scaleDownUnneededTime', 'scaleDownDelayAfterAdd', 'scaleDownUtilizationThreshold', 'scaleDownEnabled']);
  if (!m) return undefined;
  const spec: AutoscalerSpec = { ...AUTOSCALER_DEFAULTS, nodeGroups: [] };
  if (m.expander !== undefined && m.expander !== null) {
    if (EXPANDERS.includes(m.expander as Expander)) spec.expander = m.expander as Expander;
    else c.unsupported([...base, 'expander'], m.expander, EXPANDERS);
  }
  const dur = (key: string, min: number): number | undefined => {
    const val = m[key];
    if (val === undefined || val === null) return undefined;
    const ms = typeof val === 'string' || typeof val === 'number' ? parseDuration(val) : undefined;
    if (ms === undefined) return void c.invalid([...base, key], val, DURATION_HINT);
    if (ms < min || ms > LIMITS.timeMs) return void c.invalid([...base, key], val, `must be between ${min / 1000}s and 720h`);
    return ms;
  };
  spec.scanIntervalMs = dur('scanInterval', 1000) ?? spec.scanIntervalMs;
  spec.scaleDownUnneededTimeMs = dur('scaleDownUnneededTime', 0) ?? spec.scaleDownUnneededTimeMs;
  spec.scaleDownDelayAfterAddMs = dur('scaleDownDelayAfterAdd', 0) ?? spec.scaleDownDelayAfterAddMs;
  spec.scaleDownUtilizationThreshold = c.number(m.scaleDownUtilizationThreshold, [...base, 'scaleDownUtilizationThreshold'], 0, 1) ?? spec.scaleDownUtilizationThreshold;
  spec.scaleDownEnabled = c.boolean(m.scaleDownEnabled, [...base, 'scaleDownEnabled']) ?? spec.scaleDownEnabled;

  if (m.nodeGroups === undefined || m.nodeGroups === null) {
    c.required([...base, 'nodeGroups'], 'at least one node group: {name, min, max, template}');
    return undefined;
  }
  const list = c.list(m.nodeGroups, [...base, 'nodeGroups'], MAX_GROUPS, 'node groups');
  if (!list) return undefined;
  const seen = new Set<string>();
  let total = nodeCount;
  list.forEach((entry, i) => {
    const p = [...base, 'nodeGroups', i];
    const g = c.mapping(entry, p, ['name', 'min', 'max', 'template', 'provisionDelay']);
    if (!g) {
      if (entry === null || entry === undefined) c.required(p, 'a node group needs a name and a max');
      return;
    }
    if (g.name === undefined || g.name === null) return c.required([...p, 'name']);
    const name = c.string(g.name, [...p, 'name'], 63);
    if (name === undefined) return;
    if (!DNS1123_SUBDOMAIN.test(name)) return c.invalid([...p, 'name'], name, "a lowercase RFC 1123 name must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
    if (seen.has(name)) return c.add([...p, 'name'], { type: 'Duplicate value', value: name });
    seen.add(name);
    const min = g.min === undefined || g.min === null ? 0 : c.number(g.min, [...p, 'min'], 0, LIMITS.nodes, true);
    if (g.max === undefined || g.max === null) return c.required([...p, 'max']);
    const max = c.number(g.max, [...p, 'max'], 1, LIMITS.nodes, true);
    if (min === undefined || max === undefined) return;
    if (max < min) return c.invalid([...p, 'max'], max, `must be greater than or equal to min (${min})`);
    total += max;
    if (total > LIMITS.nodes) return c.add([...p, 'max'], { type: 'Too many', detail: `the cluster could grow to ${total} nodes; the limit is ${LIMITS.nodes} nodes` });
    let provisionDelayMs = DEFAULT_PROVISION_DELAY_MS;
    if (g.provisionDelay !== undefined && g.provisionDelay !== null) {
      const ms = typeof g.provisionDelay === 'string' || typeof g.provisionDelay === 'number' ? parseDuration(g.provisionDelay) : undefined;
      if (ms === undefined || ms > LIMITS.timeMs) return c.invalid([...p, 'provisionDelay'], g.provisionDelay, DURATION_HINT);
      provisionDelayMs = ms;
    }
    const template = checkTemplate(g.template, [...p, 'template'], c);
    if (!template) return;
    spec.nodeGroups.push({ name, min, max, template, provisionDelayMs } satisfies NodeGroupSpec);
  });
  return spec;
}

function checkTemplate(v: unknown, p: PathSegment[], c: Checker): NodeGroupTemplate | undefined {
  if (v === undefined || v === null) {
    c.required(p, 'what a new node looks like: {cpu, memory, labels, taints}');
    return undefined;
  }
  const t = c.mapping(v, p, ['cpu', 'memory', 'pods', 'labels', 'taints']);
  if (!t) return undefined;
  const out: NodeGroupTemplate = {};
  for (const k of ['cpu', 'memory', 'pods'] as const) {
    const q = t[k];
    if (q === undefined || q === null) continue;
    if (!isQuantity(q) || (parseQuantity(q as string) ?? -1) <= 0) {
      c.invalid([...p, k], q, 'must be a quantity like 4, 500m, 8Gi');
      return undefined;
    }
    out[k] = String(q);
  }
  const labels = c.stringMap(t.labels, [...p, 'labels'], (k, val, lp) => checkLabel(c, k, val, lp));
  if (labels) out.labels = labels;
  const taints = checkTaints(t.taints, [...p, 'taints'], c);
  if (taints) out.taints = taints;
  return out;
}
