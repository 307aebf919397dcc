import type { ImageBehavior, Sim } from '../../sim.ts';
import type { Pod } from '../../api/types.ts';
import { addNode, type NodeSpec } from '../../kubelet/index.ts';
import type { CommandResult } from '../context.ts';
import { toYaml } from '../output.ts';
import { api, CmdError, kubelet, scheduler } from '../services.ts';
import { table } from '../tabwriter.ts';
import { FlagError, parseFlags } from '../tokenize.ts';

export const KUBEPLAY_HELP = `kubeplay: playground commands for what kubectl cannot express.

Commands:
  kubeplay node fail NAME          stop the node's kubelet (it stops reporting; pods become Unknown)
  kubeplay node recover NAME       bring a failed node's kubelet back
  kubeplay node add NAME [--cpu 4] [--memory 8Gi] [--pods 110] [--label k=v]... [--taint k=v:NoSchedule]...
  kubeplay node remove NAME        remove a node from the cluster
  kubeplay pod kill POD [-c CONTAINER] [-n NS]   make a container crash once
  kubeplay image set IMAGE key=value...          change how an image behaves (startupSeconds, crashAfterSeconds, ...)
  kubeplay trace POD [-n NS]       show the scheduler's last decision for a pod, node by node
  kubeplay help                    this help
`;

const NUMERIC: (keyof ImageBehavior)[] = ['startupSeconds', 'pullSeconds', 'crashAfterSeconds', 'exitCode', 'runSeconds', 'shutdownSeconds', 'errorRate', 'latencyMs', 'latencyJitterMs', 'readinessFailAfterSeconds', 'livenessFailAfterSeconds'];
const STRINGS: (keyof ImageBehavior)[] = ['memory', 'cpu', 'cpuPerRps', 'memoryPerRps'];

/** parseImageSetting reads one key=value of `kubeplay image set` into a typed ImageBehavior field. */
export function parseImageSetting(kv: string): [keyof ImageBehavior, unknown] {
  const i = kv.indexOf('=');
  if (i <= 0) throw new CmdError(`error: expected key=value, got "${kv}"`);
  const key = kv.slice(0, i) as keyof ImageBehavior;
  const raw = kv.slice(i + 1);
  if (NUMERIC.includes(key)) {
    const n = Number(raw);
    if (raw === '' || !Number.isFinite(n) || n < 0) throw new CmdError(`error: ${key} must be a non-negative number, got "${raw}"`);
    return [key, n];
  }
  if (STRINGS.includes(key)) return [key, raw];
  if (key === 'pullError') {
    if (raw !== 'true' && raw !== 'false') throw new CmdError(`error: pullError must be true or false, got "${raw}"`);
    return [key, raw === 'true'];
  }
  if (key === 'logs') return [key, raw.split('\\n')];
  throw new CmdError(`error: unknown image behaviour field "${key}" (known: ${[...NUMERIC, ...STRINGS, 'pullError', 'logs'].join(', ')})`);
}

function parse(words: string[], defs: Parameters<typeof parseFlags>[1]) {
  try {
    return parseFlags(words, [{ name: 'namespace', short: 'n' }, ...defs]);
  } catch (e) {
    if (e instanceof FlagError) throw new CmdError(`error: ${e.message}\nSee 'kubeplay help' for usage.`);
    throw e;
  }
}

function nodeCmd(sim: Sim, words: string[]): string {
  const [verb, ...rest] = words;
  const p = parse(rest, [{ name: 'cpu' }, { name: 'memory' }, { name: 'pods' }, { name: 'label', repeat: true }, { name: 'taint', repeat: true }]);
  const name = p.args[0];
  if (!name) throw new CmdError(`error: kubeplay node ${verb ?? ''} needs a NODE name`);
  const exists = !!sim.store.get('Node', undefined, name);
  if (verb !== 'add' && !exists) throw new CmdError(`Error from server (NotFound): nodes "${name}" not found`);
  switch (verb) {
    case 'fail':
      kubelet(sim).failNode(name);
      return `node/${name} failed: its kubelet stopped posting status\n`;
    case 'recover':
      kubelet(sim).recoverNode(name);
      return `node/${name} recovered\n`;
    case 'remove': {
      const k = sim.services.get('kubelet') as { removeNode?: (n: string) => void } | undefined;
      if (k?.removeNode) k.removeNode(name);
      else api(sim).delete('Node', undefined, name);
      return `node/${name} removed\n`;
    }
    case 'add': {
      if (exists) throw new CmdError(`Error from server (AlreadyExists): nodes "${name}" already exists`);
      const labels: Record<string, string> = {};
      for (const l of p.flags.get('label') ?? []) {
        const [k, v = ''] = l.split('=', 2);
        labels[k] = v;
      }
      const taints: NodeSpec['taints'] = [];
      for (const t of p.flags.get('taint') ?? []) {
        const m = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(t);
        if (!m) throw new CmdError(`error: invalid taint spec: ${t}, expected key[=value]:Effect with Effect one of NoSchedule, PreferNoSchedule, NoExecute`);
        taints.push(m[2] !== undefined ? { key: m[1], value: m[2], effect: m[3] as 'NoSchedule' } : { key: m[1], effect: m[3] as 'NoSchedule' });
      }
      const capacity: NodeSpec['capacity'] = {};
      for (const r of ['cpu', 'memory', 'pods'] as const) {
        const v = p.flags.get(r)?.[0];
        if (v !== undefined) capacity[r] = v;
      }
      addNode(sim, { name, capacity, labels, taints });
      if (!sim.store.get('Node', undefined, name)) throw new CmdError(`error: the kubelet module did not create node "${name}" (addNode is not available)`);
      return `node/${name} added\n`;
    }
    default:
      throw new CmdError(`error: unknown command "${verb ?? ''}" for "kubeplay node" (fail, recover, add, remove)`);
  }
}

function podKill(sim: Sim, words: string[]): string {
  const p = parse(words, [{ name: 'container', short: 'c' }]);
  const ns = p.flags.get('namespace')?.[0] ?? 'default';
  const name = p.args[0];
  if (!name) throw new CmdError(`error: kubeplay pod kill needs a POD name`);
  const pod = sim.store.get<Pod>('Pod', ns, name);
  if (!pod) throw new CmdError(`Error from server (NotFound): pods "${name}" not found`);
  const k = kubelet(sim);
  if (!k.killContainer) throw new CmdError(`error: the kubelet module does not support killing containers yet`);
  const container = p.flags.get('container')?.[0] ?? pod.spec.containers[0]?.name;
  k.killContainer(pod, container);
  return `pod/${name} container "${container}" killed\n`;
}

function imageSet(sim: Sim, words: string[]): string {
  const [image, ...kvs] = words;
  if (!image || kvs.length === 0) throw new CmdError(`error: usage: kubeplay image set IMAGE key=value...`);
  const settings = kvs.map(parseImageSetting);
  const b = (sim.images[image] ??= {});
  for (const [k, v] of settings) (b as Record<string, unknown>)[k] = v;
  return `image/${image} updated: ${kvs.join(' ')}\n`;
}

/** formatTrace renders the scheduler's trace as a table, tolerant of the trace's exact shape. */
export function formatTrace(trace: any): string {
  const entries: any[] = Array.isArray(trace) ? trace : Array.isArray(trace?.nodes) ? trace.nodes : [];
  if (!entries.length) return toYaml(trace ?? {});
  const rows = [['NODE', 'RESULT', 'SCORE', 'DETAILS']];
  for (const e of entries) {
    const node = e.node ?? e.nodeName ?? e.name ?? '?';
    const reasons: string[] = e.reasons ?? (e.filters ?? []).filter((f: any) => f.reason || f.reasons).map((f: any) => `${f.plugin}: ${f.reason ?? f.reasons.join(', ')}`);
    const feasible = e.feasible ?? e.fits ?? reasons.length === 0;
    const scores = e.scores ? (Array.isArray(e.scores) ? e.scores.map((s: any) => `${s.plugin}=${s.score}`) : Object.entries(e.scores).map(([k, v]) => `${k}=${v}`)) : [];
    const total = e.total ?? e.score ?? e.finalScore;
    rows.push([node, feasible ? (e.selected ? 'selected' : 'feasible') : 'filtered', feasible && total !== undefined ? String(total) : '-', feasible ? scores.join(' ') || '-' : reasons.join('; ')]);
  }
  const head = trace?.pod ? `pod ${trace.pod}${trace.result ? `: ${trace.result}` : ''}\n` : '';
  return head + table(rows);
}

function trace(sim: Sim, words: string[]): string {
  const p = parse(words, []);
  const ns = p.flags.get('namespace')?.[0] ?? 'default';
  const name = p.args[0];
  if (!name) throw new CmdError(`error: kubeplay trace needs a POD name`);
  const pod = sim.store.get<Pod>('Pod', ns, name);
  if (!pod) throw new CmdError(`Error from server (NotFound): pods "${name}" not found`);
  const t = scheduler(sim).trace(pod.metadata.uid!);
  if (!t) return `pod/${name} has no scheduling trace (not scheduled by this scheduler yet)\n`;
  return formatTrace(t);
}

/** runKubeplay runs `kubeplay …` playground commands. */
export function runKubeplay(sim: Sim, words: string[]): CommandResult {
  const [group, ...rest] = words;
  let out: string;
  switch (group) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      out = KUBEPLAY_HELP;
      break;
    case 'node':
      out = nodeCmd(sim, rest);
      break;
    case 'pod':
      if (rest[0] !== 'kill') throw new CmdError(`error: unknown command "${rest[0] ?? ''}" for "kubeplay pod" (kill)`);
      out = podKill(sim, rest.slice(1));
      break;
    case 'image':
      if (rest[0] !== 'set') throw new CmdError(`error: unknown command "${rest[0] ?? ''}" for "kubeplay image" (set)`);
      out = imageSet(sim, rest.slice(1));
      break;
    case 'trace':
      out = trace(sim, rest);
      break;
    default:
      throw new CmdError(`error: unknown command "${group}" for "kubeplay"\nRun 'kubeplay help' for usage.`);
  }
  sim.settle();
  return { exit: 0, out };
}
