import type { ImageBehavior, Sim } from '../../sim.ts';
import type { Pod } from '../../api/types.ts';
import { addNode, removeNode, type NodeSpec } from '../../kubelet/index.ts';
import { invalid, type FieldError } from '../../api/errors.ts';
import { isDNS1123Subdomain } from '../../api/names.ts';
import { isQuantity, parseQuantity } from '../../api/quantity.ts';
import { validateLabels } from '../../api/validation.ts';
import { apiErrorMessage } from '../errors.ts';
import type { ReadableTrace } from '../../scheduler/index.ts';
import type { CommandResult } from '../context.ts';
import { CmdError, kubelet, scheduler } from '../services.ts';
import { table } from '../tabwriter.ts';
import { FlagError, parseFlags } from '../tokenize.ts';
import { networkAvailable } from '../plugins.ts';
import { imageFieldProblem } from '../../scenario/images.ts';

export const KUBEPLAY_HELP = `kubeplay: playground commands for what kubectl cannot express.

Commands:
  kubeplay node fail NAME          stop the node's kubelet (it stops reporting: NotReady, its pods not ready,
                                   evicted when their 300s toleration of node.kubernetes.io/unreachable runs out)
  kubeplay node recover NAME       bring a failed node's kubelet back
  kubeplay node add NAME [--cpu 4] [--memory 8Gi] [--pods 110] [--label k=v]... [--taint k=v:NoSchedule]...
  kubeplay node remove NAME        remove a node from the cluster
  kubeplay pod kill POD [-c CONTAINER] [-n NS]   make a container crash once
  kubeplay image set IMAGE key=value...          change how an image behaves (startupSeconds, crashAfterSeconds, ...)
  kubeplay trace POD [-n NS]       show the scheduler's last decision for a pod, node by node
  kubeplay addons list | enable NAME | disable NAME   optional add-ons (vertical-pod-autoscaler)
  kubeplay help                    this help
`;

/** NETWORK_HELP lists the network module's commands (network/commands.ts), shown when that module answers. */
export const NETWORK_HELP = `  kubeplay curl [-i] [-H 'Name: value']... [--from [NS/]POD] URL   send one request through Services and Ingress
  kubeplay traffic set [NAME] --rps N [--host H] [--path /p] | stop [NAME] | list | stats   simulated clients
  kubeplay nslookup NAME [-n NS]   resolve NAME as a pod in NS would
  kubeplay promql 'QUERY' [-o json] [--time 90s]   query the simulated metrics
`;

/** kubeplayHelp is KUBEPLAY_HELP plus the network commands when the network module answers at run time. */
export function kubeplayHelp(sim: Sim): string {
  if (!networkAvailable(sim)) return KUBEPLAY_HELP;
  const i = KUBEPLAY_HELP.indexOf('  kubeplay help ');
  return KUBEPLAY_HELP.slice(0, i) + NETWORK_HELP + KUBEPLAY_HELP.slice(i);
}

/**
 * parseImageSetting reads one key=value of `kubeplay image set` into a typed ImageBehavior field, with
 * the ranges and words spec.images has (a rate over 1, or a time past 30 days, is refused either way).
 */
export function parseImageSetting(kv: string): [keyof ImageBehavior, unknown] {
  const i = kv.indexOf('=');
  if (i <= 0) throw new CmdError(`error: expected key=value, got "${kv}"`);
  const key = kv.slice(0, i) as keyof ImageBehavior;
  const r = imageFieldProblem(key, kv.slice(i + 1));
  if ('problem' in r) throw new CmdError(`error: ${r.problem}`);
  return [key, r.value];
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
  if (p.args.length > 1) throw new CmdError(`error: kubeplay node ${verb} takes one NODE name, got ${p.args.length}: ${p.args.join(' ')}`);
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
      removeNode(sim, name);
      return `node/${name} removed\n`;
    }
    case 'add': {
      if (exists) throw new CmdError(`Error from server (AlreadyExists): nodes "${name}" already exists`);
      const labels: Record<string, string> = {};
      for (const l of p.flags.get('label') ?? []) {
        if (!l.includes('=')) throw new CmdError(`error: invalid label spec: ${l}, expected key=value`);
        const [k, v] = l.split('=', 2);
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
      // The kubelet registers its Node through the API server, which validates it.
      const errs: FieldError[] = isDNS1123Subdomain(name).map((detail) => ({ field: 'metadata.name', type: 'Invalid value', value: name, detail }));
      errs.push(...validateLabels(labels, 'metadata.labels'));
      for (const [r, q] of Object.entries(capacity)) {
        if (!isQuantity(q)) errs.push({ field: `status.capacity.${r}`, type: 'Invalid value', value: q, detail: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'" });
        else if ((parseQuantity(q) ?? 0) < 0) errs.push({ field: `status.capacity.${r}`, type: 'Invalid value', value: q, detail: 'must be greater than or equal to 0' });
      }
      if (errs.length) throw new CmdError(apiErrorMessage(invalid('Node', name, errs)));
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

/**
 * formatTrace renders the scheduler's ReadableTrace: the outcome, the nodes that failed a filter (first
 * failing plugin and its reasons, as FailedScheduling counts them), then the top-scored nodes with each
 * score plugin's weighted score.
 */
export function formatTrace(t: ReadableTrace): string {
  let out = `Pod:      ${t.pod}\n`;
  out += `Result:   ${t.result === 'Scheduled' ? `Scheduled on ${t.node}` : 'Unschedulable'}\n`;
  out += `Nodes:    ${t.numAllNodes} in cluster, ${t.evaluatedNodes} evaluated, ${t.feasibleNodes} feasible\n`;
  if (t.message) out += `Message:  ${t.message}\n`;
  if (t.filters.length) {
    const rows = [['NODE', 'FILTER', 'REASONS']];
    for (const f of t.filters) rows.push([f.node, f.plugin, f.reasons.join(', ') || f.code]);
    out += '\n' + table(rows);
  }
  if (t.scores.length) {
    const plugins = [...new Set(t.scores.flatMap((s) => s.plugins.map((p) => p.plugin)))];
    const rows = [['NODE', 'SCORE', ...plugins]];
    for (const s of t.scores) {
      rows.push([s.node, String(s.total), ...plugins.map((name) => {
        const p = s.plugins.find((x) => x.plugin === name);
        return p ? `${p.normalized}x${p.weight}` : '-';
      })]);
    }
    out += '\n' + table(rows);
  }
  return out;
}

function trace(sim: Sim, words: string[]): string {
  const p = parse(words, []);
  const ns = p.flags.get('namespace')?.[0] ?? 'default';
  const name = p.args[0];
  if (!name) throw new CmdError(`error: kubeplay trace needs a POD name`);
  const pod = sim.store.get<Pod>('Pod', ns, name);
  if (!pod) throw new CmdError(`Error from server (NotFound): pods "${name}" not found`);
  const t = scheduler(sim).trace(pod.metadata.uid!) as ReadableTrace | undefined;
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
      out = kubeplayHelp(sim);
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
