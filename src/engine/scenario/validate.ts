import { isScalar, Scalar } from 'yaml';
import { parseDuration } from '../clock.ts';
import type { NetworkOptions } from '../sim.ts';
import type { Checker } from './checker.ts';
import { checkImages, checkTraffic } from './images.ts';
import { checkNodes, DNS1123_SUBDOMAIN } from './nodes.ts';
import { checkAutoscaler } from './autoscaler.ts';
import { checkLesson } from './lesson.ts';
import { LIMITS } from './limits.ts';
import { commandProblem } from './commandcheck.ts';
import { checkManifest } from './manifest.ts';
import { kindProblem } from './apply.ts';
import { withKinds } from '../api/kinds.ts';
import { declaredKinds } from '../apiextensions/crd.ts';
import { addonKinds } from '../controllers/vpa/crd.ts'; // kinds a `kubeplay addons enable` step can register
import { formatFieldPath, nodeOffset, type PathSegment } from './positions.ts';
import { defaultSpec } from './defaults.ts';
import { SCENARIO_API_VERSION, SCENARIO_KIND, type ManifestDoc, type ScenarioLevel, type ScenarioSpec, type TimelineStep } from './types.ts';
import { readYamlStream, type YamlDoc, type YamlStream } from './yamldocs.ts';

const DURATION_HINT = 'must be a duration like 30s, 2m or 1h30m';
const LEVELS: readonly ScenarioLevel[] = ['beginner', 'intermediate', 'advanced'];

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

  const s = c.mapping(doc.spec, ['spec'], ['seed', 'title', 'description', 'concepts', 'level', 'cluster', 'images', 'traffic', 'timeline', 'lesson']);
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

  const cluster = c.mapping(s.cluster, ['spec', 'cluster'], ['nodes', 'kubeProxy', 'autoscaler', 'controlPlane']);
  if (cluster && cluster.nodes !== undefined && cluster.nodes !== null) spec.nodes = checkNodes(cluster.nodes, c);
  if (cluster && cluster.controlPlane !== undefined && cluster.controlPlane !== null) spec.controlPlane = checkControlPlane(cluster.controlPlane, c, spec.nodes);
  if (cluster && cluster.kubeProxy !== undefined && cluster.kubeProxy !== null) spec.network = checkKubeProxy(cluster.kubeProxy, c);
  if (cluster && cluster.autoscaler !== undefined && cluster.autoscaler !== null) spec.autoscaler = checkAutoscaler(cluster.autoscaler, c, spec.nodes.length);
  if (s.images !== undefined && s.images !== null) spec.images = checkImages(s.images, c);
  if (s.traffic !== undefined && s.traffic !== null) spec.traffic = checkTraffic(s.traffic, c);
  if (s.timeline !== undefined && s.timeline !== null) spec.timeline = checkTimeline(s.timeline, c, y, stream, file);
  if (s.lesson !== undefined && s.lesson !== null) spec.lesson = checkLesson(s.lesson, c);
  return { name, spec };
}

/**
 * checkControlPlane reads spec.cluster.controlPlane: true (a node named control-plane) or {name: NAME}:
 * a kubeadm control-plane node and its kube-system pods (controlplane.ts). false leaves it out.
 */
function checkControlPlane(v: unknown, c: Checker, nodes: readonly { name: string }[]): { name: string } | undefined {
  const base: PathSegment[] = ['spec', 'cluster', 'controlPlane'];
  let name = 'control-plane';
  if (typeof v === 'boolean') {
    if (!v) return undefined;
  } else {
    const m = c.mapping(v, base, ['name']);
    if (!m) return undefined;
    if (m.name !== undefined && m.name !== null) {
      const n = c.string(m.name, [...base, 'name'], 253);
      if (n === undefined) return undefined;
      if (!DNS1123_SUBDOMAIN.test(n)) {
        c.invalid([...base, 'name'], n, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        return undefined;
      }
      name = n;
    }
  }
  if (nodes.some((n) => n.name === name)) {
    c.add(typeof v === 'boolean' ? base : [...base, 'name'], { type: 'Duplicate value', value: name, detail: 'a worker node has this name; name the control-plane node with controlPlane: {name: …}' });
    return undefined;
  }
  return { name };
}

const PROXY_MODES = ['iptables', 'ipvs'] as const;
const IPVS_SCHEDULERS = ['rr', 'lc', 'wlc', 'wrr', 'sh'] as const;

/** checkKubeProxy reads spec.cluster.kubeProxy: {mode: iptables|ipvs, scheduler: rr|lc|wlc|wrr|sh}. */
function checkKubeProxy(v: unknown, c: Checker): NetworkOptions | undefined {
  const base: PathSegment[] = ['spec', 'cluster', 'kubeProxy'];
  const m = c.mapping(v, base, ['mode', 'scheduler']);
  if (!m) return undefined;
  const out: NetworkOptions = {};
  if (m.mode !== undefined && m.mode !== null) {
    if (PROXY_MODES.includes(m.mode as never)) out.kubeProxyMode = m.mode as NetworkOptions['kubeProxyMode'];
    else c.unsupported([...base, 'mode'], m.mode, [...PROXY_MODES]);
  }
  if (m.scheduler !== undefined && m.scheduler !== null) {
    if (IPVS_SCHEDULERS.includes(m.scheduler as never)) out.ipvsScheduler = m.scheduler as NetworkOptions['ipvsScheduler'];
    else c.unsupported([...base, 'scheduler'], m.scheduler, [...IPVS_SCHEDULERS]);
    if (out.kubeProxyMode !== 'ipvs') c.add([...base, 'scheduler'], { type: 'Forbidden', detail: 'a scheduler applies only with mode: ipvs' });
  }
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
      // The terminal's language (DESIGN: kubectl, its Argo Rollouts plugin, kubeplay): anything else is a mistake in the file.
      if (!/^(kubectl|kubeplay|k)\s/.test(line.trim() + ' ')) return c.invalid([...p, 'run'], line.trim(), 'must be a kubectl or kubeplay command');
      // What kubectl would refuse before running (a typo'd command, an unknown flag, a pipe) is a mistake in the file.
      const problem = commandProblem(line.trim());
      if (problem) return c.invalid([...p, 'run'], line.trim(), problem);
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
    // Kinds of the file's CustomResourceDefinitions are known to a timeline step (the CRD is applied first).
    const problem = 'object' in m ? withKinds([...declaredKinds(stream.docs.map((x) => x.value)), ...addonKinds()], () => kindProblem(m.object, m.what, 'STDIN')) : undefined;
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
