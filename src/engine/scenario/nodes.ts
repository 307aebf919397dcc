import type { NodeSpec } from '../kubelet/index.ts';
import { isQuantity, parseQuantity } from '../api/quantity.ts';
import { suggest, type Checker } from './checker.ts';
import { DEFAULT_NODE_CAPACITY } from './defaults.ts';
import { LIMITS } from './limits.ts';
import { formatFieldPath, key, type PathSegment } from './positions.ts';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

// RFC 1123 names and label syntax, as apimachinery's validation (IsDNS1123Subdomain, IsQualifiedName, IsValidLabelValue).
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** NODE_RESOURCES are the capacity names a node reports besides hugepages-* and extended (example.com/gpu) ones. */
const NODE_RESOURCES = ['cpu', 'memory', 'pods', 'ephemeral-storage'];

/** checkNodes validates spec.cluster.nodes and expands `count` groups into one NodeSpec per node. */
export function checkNodes(v: unknown, c: Checker): NodeSpec[] {
  const base: PathSegment[] = ['spec', 'cluster', 'nodes'];
  const list = c.list(v, base, LIMITS.nodes, 'entries');
  if (!list) return [];
  const out: NodeSpec[] = [];
  const seen = new Map<string, string>();
  let total = 0;
  list.forEach((entry, i) => {
    const p = [...base, i];
    const e = c.mapping(entry, p, ['name', 'count', 'namePrefix', 'capacity', 'labels', 'taints', 'unschedulable']);
    if (!e) {
      if (entry === null || entry === undefined) c.required(p, 'a node needs a name, or a count');
      return;
    }
    const hasName = e.name !== undefined && e.name !== null;
    const hasCount = e.count !== undefined && e.count !== null;
    if (hasName === hasCount) {
      c.add(p, { type: 'Invalid value', value: hasName ? 'name and count' : 'neither', detail: 'give exactly one of name (one node) or count (identical nodes named namePrefix-1, -2 …)' });
      return;
    }
    if (hasName && e.namePrefix !== undefined) c.add([...p, 'namePrefix'], { type: 'Forbidden', detail: 'may only be used with count' });
    const capacity: Record<string, string> = { ...DEFAULT_NODE_CAPACITY };
    const cap = c.mapping(e.capacity, [...p, 'capacity']);
    for (const [k, q] of Object.entries(cap ?? {})) {
      const qp = [...p, 'capacity', key(k)];
      if (!NODE_RESOURCES.includes(k) && !k.includes('/') && !k.startsWith('hugepages-')) {
        const near = suggest(k, NODE_RESOURCES);
        c.push(c.line(qp, true), `unknown resource ${JSON.stringify(formatFieldPath(qp))}${near ? `; did you mean ${JSON.stringify(near)}?` : ''} (extended resources are named like example.com/gpu)`);
        continue;
      }
      if (!isQuantity(q) || (parseQuantity(q as string) ?? -1) < 0) {
        c.invalid(qp, q, "must be a quantity like 4, 500m, 8Gi");
        continue;
      }
      if (k === 'pods' && !Number.isInteger(Number(q))) {
        c.invalid(qp, q, 'must be a whole number of pods');
        continue;
      }
      capacity[k] = String(q);
    }
    const labels = c.stringMap(e.labels, [...p, 'labels'], (k, val, lp) => checkLabel(c, k, val, lp));
    const taints = checkTaints(e.taints, [...p, 'taints'], c);
    const unschedulable = c.boolean(e.unschedulable, [...p, 'unschedulable']);
    const names: string[] = [];
    if (hasName) {
      const n = c.string(e.name, [...p, 'name'], 253);
      if (n !== undefined) names.push(n);
    } else {
      const count = c.number(e.count, [...p, 'count'], 1, LIMITS.nodes, true);
      const prefix = e.namePrefix === undefined ? 'worker-' : c.string(e.namePrefix, [...p, 'namePrefix'], 200);
      if (count !== undefined && prefix !== undefined) {
        if (total + count > LIMITS.nodes) {
          c.add([...p, 'count'], { type: 'Too many', detail: `the cluster would have ${total + count} nodes; the limit is ${LIMITS.nodes} nodes` });
          return;
        }
        for (let k = 1; k <= count; k++) names.push(`${prefix}${k}`);
      }
    }
    for (const n of names) {
      const np = hasName ? [...p, 'name'] : [...p, 'namePrefix'];
      if (!DNS1123_SUBDOMAIN.test(n) || n.length > 253) {
        c.invalid(np, n, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        return;
      }
      const first = seen.get(n);
      if (first) {
        c.add(np, { type: 'Duplicate value', value: n, detail: `node ${JSON.stringify(n)} is already defined at ${first}` });
        return;
      }
      seen.set(n, `spec.cluster.nodes[${i}]`);
      total++;
      const spec: NodeSpec = { name: n, capacity: { ...capacity } };
      if (labels) spec.labels = { ...labels };
      if (taints) spec.taints = taints.map((t) => ({ ...t }));
      if (unschedulable) spec.unschedulable = true;
      out.push(spec);
    }
  });
  return out;
}

export function checkLabel(c: Checker, labelKey: string, value: string, p: PathSegment[]): void {
  if (!isQualifiedKey(labelKey)) c.invalid(p, labelKey, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (with an optional DNS subdomain prefix and '/')");
  else if (value.length > 63 || !LABEL_VALUE.test(value)) c.invalid(p, value, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, at most 63 characters");
}

/** isQualifiedKey checks a label or taint key: an optional DNS subdomain prefix and '/', then a name of at most 63. */
function isQualifiedKey(k: string): boolean {
  const parts = k.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) return false;
  return parts.length === 1 || (parts[0].length <= 253 && DNS1123_SUBDOMAIN.test(parts[0]));
}

export function checkTaints(v: unknown, base: PathSegment[], c: Checker): NodeSpec['taints'] | undefined {
  const list = c.list(v, base, 100, 'taints');
  if (!list) return undefined;
  const out: NonNullable<NodeSpec['taints']> = [];
  list.forEach((t, i) => {
    const p = [...base, i];
    const m = c.mapping(t, p, ['key', 'value', 'effect']);
    if (!m) return;
    const taintKey = c.string(m.key, [...p, 'key'], 317);
    if (taintKey === undefined) {
      if (m.key === undefined || m.key === null) c.required([...p, 'key']);
      return;
    }
    if (!isQualifiedKey(taintKey)) c.invalid([...p, 'key'], taintKey, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
    const value = c.string(m.value, [...p, 'value'], 63);
    if (value !== undefined && !LABEL_VALUE.test(value)) c.invalid([...p, 'value'], value, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'");
    if (m.effect === undefined || m.effect === null) return c.required([...p, 'effect']);
    if (!TAINT_EFFECTS.includes(m.effect as (typeof TAINT_EFFECTS)[number])) return c.unsupported([...p, 'effect'], m.effect, TAINT_EFFECTS);
    const effect = m.effect as (typeof TAINT_EFFECTS)[number];
    out.push(value === undefined ? { key: taintKey, effect } : { key: taintKey, value, effect });
  });
  return out;
}
