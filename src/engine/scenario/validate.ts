import { isScalar, Scalar } from 'yaml';
import { parseDuration } from '../clock.ts';
import { isQuantity, parseQuantity } from '../api/quantity.ts';
import type { ImageBehavior } from '../sim.ts';
import type { NodeSpec } from '../kubelet/index.ts';
import { Checker, suggest } from './checker.ts';
import { LIMITS } from './limits.ts';
import { checkManifest } from './manifest.ts';
import { kindProblem } from './apply.ts';
import { formatFieldPath, key, nodeOffset, type PathSegment } from './positions.ts';
import { DEFAULT_NODE_CAPACITY, defaultSpec } from './defaults.ts';
import { SCENARIO_API_VERSION, SCENARIO_KIND, type ManifestDoc, type ScenarioLevel, type ScenarioSpec, type TimelineStep, type TrafficSpec } from './types.ts';
import { readYamlStream, type YamlDoc, type YamlStream } from './yamldocs.ts';

const DURATION_HINT = 'must be a duration like 30s, 2m or 1h30m';
const LEVELS: readonly ScenarioLevel[] = ['beginner', 'intermediate', 'advanced'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
const MAX_SECONDS = LIMITS.timeMs / 1000;

// RFC 1123 names and label syntax, as apimachinery's validation (IsDNS1123Subdomain, IsQualifiedName, IsValidLabelValue).
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** IMAGE_FIELDS lists the image behaviour fields and how each is checked (DESIGN.md, "Image behaviour fields"). */
const IMAGE_FIELDS: Record<keyof ImageBehavior, 'seconds' | 'boolean' | 'exitCode' | 'quantity' | 'rate' | 'millis' | 'lines'> = {
  startupSeconds: 'seconds',
  pullSeconds: 'seconds',
  pullError: 'boolean',
  crashAfterSeconds: 'seconds',
  exitCode: 'exitCode',
  runSeconds: 'seconds',
  shutdownSeconds: 'seconds',
  memory: 'quantity',
  cpu: 'quantity',
  cpuPerRps: 'quantity',
  memoryPerRps: 'quantity',
  errorRate: 'rate',
  latencyMs: 'millis',
  latencyJitterMs: 'millis',
  readinessFailAfterSeconds: 'seconds',
  livenessFailAfterSeconds: 'seconds',
  logs: 'lines',
};

export interface ValidatedScenario {
  name?: string;
  spec: ScenarioSpec;
}

/** isScenarioDocument tells the Scenario document from manifests: kind Scenario in the kubeplay.dev group. */
export function isScenarioDocument(v: unknown): boolean {
  const o = v as Record<string, unknown> | null;
  return typeof o === 'object' && o !== null && o.kind === SCENARIO_KIND && typeof o.apiVersion === 'string' && o.apiVersion.split('/')[0] === 'kubeplay.dev';
}

/**
 * validateScenario checks the Scenario document strictly (unknown fields are errors) and returns
 * its spec with defaults applied, node groups expanded and the timeline sorted. Problems go to c.errors
 * with the line of the offending field.
 */
export function validateScenario(y: YamlDoc, stream: YamlStream, file: string, c: Checker): ValidatedScenario {
  const spec = defaultSpec();
  const doc = c.mapping(y.value, [], ['apiVersion', 'kind', 'metadata', 'spec']) ?? {};
  if (doc.apiVersion !== SCENARIO_API_VERSION) c.unsupported(['apiVersion'], doc.apiVersion, [SCENARIO_API_VERSION]);

  let name: string | undefined;
  const meta = c.mapping(doc.metadata, ['metadata'], ['name', 'labels', 'annotations']);
  if (!meta || meta.name === undefined || meta.name === null) c.required(['metadata', 'name']);
  else {
    name = c.string(meta.name, ['metadata', 'name'], 253);
    if (name !== undefined && !DNS1123_SUBDOMAIN.test(name)) {
      c.invalid(['metadata', 'name'], name, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
    }
  }
  if (meta) {
    c.stringMap(meta.labels, ['metadata', 'labels']);
    c.stringMap(meta.annotations, ['metadata', 'annotations']);
  }

  const s = c.mapping(doc.spec, ['spec'], ['seed', 'title', 'description', 'concepts', 'level', 'cluster', 'images', 'traffic', 'timeline']);
  if (!s) return { name, spec };
  spec.seed = c.number(s.seed, ['spec', 'seed'], 0, 0xffffffff, true) ?? spec.seed;
  spec.title = c.string(s.title, ['spec', 'title'], 200);
  spec.description = c.string(s.description, ['spec', 'description'], 20_000);
  const concepts = c.list(s.concepts, ['spec', 'concepts'], 50, 'concepts');
  if (concepts) spec.concepts = concepts.map((x, i) => c.string(x, ['spec', 'concepts', i], 100)).filter((x): x is string => x !== undefined);
  if (s.level !== undefined && s.level !== null) {
    if (LEVELS.includes(s.level as ScenarioLevel)) spec.level = s.level as ScenarioLevel;
    else c.unsupported(['spec', 'level'], s.level, LEVELS);
  }

  const cluster = c.mapping(s.cluster, ['spec', 'cluster'], ['nodes']);
  if (cluster && cluster.nodes !== undefined && cluster.nodes !== null) spec.nodes = checkNodes(cluster.nodes, c);
  if (s.images !== undefined && s.images !== null) spec.images = checkImages(s.images, c);
  if (s.traffic !== undefined && s.traffic !== null) spec.traffic = checkTraffic(s.traffic, c);
  if (s.timeline !== undefined && s.timeline !== null) spec.timeline = checkTimeline(s.timeline, c, y, stream, file);
  return { name, spec };
}

function checkNodes(v: unknown, c: Checker): NodeSpec[] {
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
      const known = ['cpu', 'memory', 'pods', 'ephemeral-storage'];
      if (!known.includes(k) && !k.includes('/') && !k.startsWith('hugepages-')) {
        const near = suggest(k, known);
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

function checkLabel(c: Checker, labelKey: string, value: string, p: PathSegment[]): void {
  if (!isQualifiedKey(labelKey)) c.invalid(p, labelKey, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (with an optional DNS subdomain prefix and '/')");
  else if (value.length > 63 || !LABEL_VALUE.test(value)) c.invalid(p, value, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, at most 63 characters");
}

function isQualifiedKey(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) return false;
  return parts.length === 1 || (parts[0].length <= 253 && DNS1123_SUBDOMAIN.test(parts[0]));
}

function checkTaints(v: unknown, base: PathSegment[], c: Checker): NodeSpec['taints'] | undefined {
  const list = c.list(v, base, 100, 'taints');
  if (!list) return undefined;
  const out: NonNullable<NodeSpec['taints']> = [];
  list.forEach((t, i) => {
    const p = [...base, i];
    const m = c.mapping(t, p, ['key', 'value', 'effect']);
    if (!m) return;
    const key = c.string(m.key, [...p, 'key'], 317);
    if (key === undefined) {
      if (m.key === undefined || m.key === null) c.required([...p, 'key']);
      return;
    }
    if (!isQualifiedKey(key)) c.invalid([...p, 'key'], key, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
    const value = c.string(m.value, [...p, 'value'], 63);
    if (value !== undefined && !LABEL_VALUE.test(value)) c.invalid([...p, 'value'], value, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'");
    if (m.effect === undefined || m.effect === null) return c.required([...p, 'effect']);
    if (!TAINT_EFFECTS.includes(m.effect as (typeof TAINT_EFFECTS)[number])) return c.unsupported([...p, 'effect'], m.effect, TAINT_EFFECTS);
    out.push(value === undefined ? { key, effect: m.effect as (typeof TAINT_EFFECTS)[number] } : { key, value, effect: m.effect as (typeof TAINT_EFFECTS)[number] });
  });
  return out;
}

function checkImages(v: unknown, c: Checker): Record<string, ImageBehavior> {
  const base: PathSegment[] = ['spec', 'images'];
  const m = c.mapping(v, base);
  if (!m) return {};
  const out: Record<string, ImageBehavior> = {};
  const entries = Object.entries(m);
  if (entries.length > 1000) {
    c.add(base, { type: 'Too many', detail: `has ${entries.length} images; the limit is 1000` });
    return {};
  }
  for (const [image, b] of entries) {
    const p = [...base, key(image)];
    if (!image || image.length > 512 || /\s/.test(image)) {
      c.invalid(p, image, 'must be an image reference like nginx:1.25 or registry.example.com/shop:v2');
      continue;
    }
    const beh = b === null || b === undefined ? {} : c.mapping(b, p, Object.keys(IMAGE_FIELDS));
    if (!beh) continue;
    const ib: Record<string, unknown> = {};
    for (const [field, kind] of Object.entries(IMAGE_FIELDS)) {
      const val = beh[field];
      if (val === undefined || val === null) continue;
      const fp = [...p, field];
      let ok: unknown;
      switch (kind) {
        case 'seconds':
          ok = c.number(val, fp, 0, MAX_SECONDS);
          break;
        case 'millis':
          ok = c.number(val, fp, 0, 3_600_000);
          break;
        case 'rate':
          ok = c.number(val, fp, 0, 1);
          break;
        case 'exitCode':
          ok = c.number(val, fp, 0, 255, true);
          break;
        case 'boolean':
          ok = c.boolean(val, fp);
          break;
        case 'quantity':
          if (isQuantity(val) && (parseQuantity(val as string) ?? -1) >= 0) ok = String(val);
          else c.invalid(fp, val, 'must be a quantity like 250m, 1, 128Mi');
          break;
        case 'lines': {
          const lines = c.list(val, fp, 1000, 'lines');
          if (lines) ok = lines.map((l, i) => c.string(typeof l === 'number' ? String(l) : l, [...fp, i], 10_000) ?? '');
          break;
        }
      }
      if (ok !== undefined) ib[field] = ok;
    }
    out[image] = ib as ImageBehavior;
  }
  return out;
}

function checkTraffic(v: unknown, c: Checker): TrafficSpec[] {
  const base: PathSegment[] = ['spec', 'traffic'];
  const list = c.list(v, base, 100, 'entries');
  if (!list) return [];
  const out: TrafficSpec[] = [];
  list.forEach((entry, i) => {
    const p = [...base, i];
    const m = c.mapping(entry, p, ['host', 'path', 'rps', 'headers', 'cookie', 'clients']);
    if (!m) return;
    const t: TrafficSpec = { path: '/', rps: 0 };
    const host = c.string(m.host, [...p, 'host'], 253);
    if (host !== undefined) {
      if (!/^(\*\.)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d+)?$/i.test(host)) c.invalid([...p, 'host'], host, 'must be a host name like shop.example.com');
      else t.host = host;
    }
    const path = c.string(m.path, [...p, 'path'], 2048);
    if (path !== undefined) {
      if (!path.startsWith('/')) c.invalid([...p, 'path'], path, "must be an absolute path (start with '/')");
      else t.path = path;
    }
    if (m.rps === undefined || m.rps === null) c.required([...p, 'rps'], 'requests per second, e.g. 20');
    else t.rps = c.number(m.rps, [...p, 'rps'], 0, 10_000) ?? 0;
    const headers = c.stringMap(m.headers, [...p, 'headers']);
    if (headers) t.headers = headers;
    const cookie = c.string(m.cookie, [...p, 'cookie'], 4096);
    if (cookie !== undefined) t.cookie = cookie;
    const clients = c.number(m.clients, [...p, 'clients'], 1, 10_000, true);
    if (clients !== undefined) t.clients = clients;
    out.push(t);
  });
  return out;
}

function checkTimeline(v: unknown, c: Checker, y: YamlDoc, stream: YamlStream, file: string): TimelineStep[] {
  const base: PathSegment[] = ['spec', 'timeline'];
  const list = c.list(v, base, LIMITS.steps, 'steps');
  if (!list) return [];
  const out: TimelineStep[] = [];
  list.forEach((entry, i) => {
    const p = [...base, i];
    const m = c.mapping(entry, p, ['at', 'run', 'apply', 'note']);
    if (!m) {
      if (entry === null || entry === undefined) c.required(p, 'a step needs at and one of run or apply');
      return;
    }
    const step: TimelineStep = { at: 0, line: c.line(p) ?? y.line };
    if (m.at === undefined || m.at === null) c.required([...p, 'at'], DURATION_HINT);
    else {
      const at = typeof m.at === 'string' || typeof m.at === 'number' ? parseDuration(m.at) : undefined;
      if (at === undefined) return c.invalid([...p, 'at'], m.at, DURATION_HINT);
      if (at > LIMITS.timeMs) return c.invalid([...p, 'at'], m.at, `must be at most 30 days (720h); the limit is ${LIMITS.timeMs / 1000}s of simulated time`);
      step.at = at;
    }
    const hasRun = m.run !== undefined && m.run !== null;
    const hasApply = m.apply !== undefined && m.apply !== null;
    if (hasRun === hasApply) {
      return c.add(p, { type: hasRun ? 'Forbidden' : 'Required value', detail: 'a step has exactly one of run (a command) or apply (manifests)' });
    }
    const note = c.string(m.note, [...p, 'note'], 20_000);
    if (note !== undefined) step.note = note;
    if (hasRun) {
      const run = c.string(m.run, [...p, 'run'], 10_000);
      if (run === undefined) return;
      const line = run.replace(/\n+$/, '');
      if (line.includes('\n')) return c.invalid([...p, 'run'], line, 'must be one command per step: give each command its own step (several steps may share the same at)');
      if (!line.trim()) return c.required([...p, 'run'], 'a command like kubectl get pods');
      step.run = line.trim();
    } else {
      const text = c.string(m.apply, [...p, 'apply'], LIMITS.bytes);
      if (text === undefined) return;
      step.applyText = text;
      const docs = parseApply(text, [...p, 'apply'], c, y, stream, file);
      if (!docs) return;
      step.apply = docs;
    }
    out.push(step);
  });
  // A stable sort: steps at the same time keep their file order.
  return out.map((s, i) => ({ s, i })).sort((a, b) => a.s.at - b.s.at || a.i - b.i).map((x) => x.s);
}

/** parseApply reads a timeline step's `apply` string as manifests, with lines counted in the scenario file. */
function parseApply(text: string, p: PathSegment[], c: Checker, y: YamlDoc, stream: YamlStream, file: string): ManifestDoc[] | undefined {
  // A block scalar (`apply: |`) starts its content on the line after the indicator.
  const node = y.ast.getIn(p, true);
  const off = nodeOffset(y.ast, p) ?? 0;
  const valueLine = stream.lines.linePos(off).line + stream.lineOffset;
  const block = isScalar(node) && (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED);
  const inner = readYamlStream(text, file, block ? valueLine : valueLine - 1, 'apply string');
  for (const e of inner.errors) c.push(e.line, e.doc !== undefined ? `${formatFieldPath(p)}: document ${e.doc}: ${e.message}` : `${formatFieldPath(p)}: ${e.message}`, e.col);
  const docs: ManifestDoc[] = [];
  for (const d of inner.docs) {
    if (isScenarioDocument(d.value)) {
      c.push(d.line, `${formatFieldPath(p)}: document ${d.doc}: a Scenario document cannot be applied`);
      continue;
    }
    const m = checkManifest(d, inner, file);
    const problem = 'object' in m ? kindProblem(m.object, m.what) : undefined;
    if (problem) c.push(d.line, `${formatFieldPath(p)}: document ${d.doc} (${(m as ManifestDoc).what}): ${problem}`);
    else if ('object' in m) docs.push(m);
    else c.push(m.line, `${formatFieldPath(p)}: document ${m.doc}${m.what ? ` (${m.what})` : ''}: ${m.message}`);
  }
  if (inner.errors.length === 0 && docs.length === 0 && inner.docs.length === 0) {
    c.required(p, 'the apply string holds no manifests');
    return undefined;
  }
  return inner.errors.length === 0 ? docs : undefined;
}
