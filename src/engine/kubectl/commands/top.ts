import type { Container, Node, Pod } from '../../api/types.ts';
import { parseQuantity } from '../../api/quantity.ts';
import type { Sim } from '../../sim.ts';
import { nodesState } from '../../kubelet/node.ts';
import { boolFlag, F, flag, namespace, type Command, type Ctx } from '../context.ts';
import { compareStrings, getObject, listObjects, resolveKind, selectorPredicate } from '../resources.ts';
import { CmdError } from '../services.ts';
import { tabwrite } from '../tabwriter.ts';
import { parseIsoTime } from '../../clock.ts';
import { goDuration } from '../../kubelet/images.ts';

interface MetricsLike {
  containerUsage(pod: Pod, container: string): { cpuMilli: number; memoryBytes: number } | undefined;
}

/**
 * containerUsage is the simulated metrics-server reading for a running container: a `metrics` engine
 * service if one is installed, else the image behaviour's `cpu`/`memory` (usage at rest), else the
 * container's requests, else 1m CPU and 8Mi memory (an idle process).
 */
export function containerUsage(sim: Sim, pod: Pod, c: Container): { cpuMilli: number; memoryBytes: number } {
  const metrics = sim.services.get('metrics') as MetricsLike | undefined;
  const m = metrics?.containerUsage(pod, c.name);
  if (m) return m;
  const b = sim.images[c.image] ?? sim.images[c.image.split(':')[0]] ?? {};
  const cpu = parseQuantity(b.cpu ?? (c.resources?.requests?.cpu as string | undefined) ?? '1m') ?? 1;
  const mem = parseQuantity(b.memory ?? (c.resources?.requests?.memory as string | undefined) ?? '8Mi') ?? 8 * 2 ** 20 * 1000;
  return { cpuMilli: cpu, memoryBytes: Math.round(mem / 1000) };
}

/** runningContainers are the pod's containers metrics-server has a reading for: the running ones. */
function runningContainers(pod: Pod): Container[] {
  return (pod.spec.containers ?? []).filter((c) => pod.status?.containerStatuses?.find((s) => s.name === c.name)?.state?.running);
}

function podUsage(sim: Sim, pod: Pod): { cpuMilli: number; memoryBytes: number } {
  let cpuMilli = 0;
  let memoryBytes = 0;
  for (const c of runningContainers(pod)) {
    const u = containerUsage(sim, pod, c);
    cpuMilli += u.cpuMilli;
    memoryBytes += u.memoryBytes;
  }
  return { cpuMilli, memoryBytes };
}

const running = (p: Pod) => p.status?.phase === 'Running' && !!p.spec?.nodeName;

/** METRICS_CREATION_DELAY_MS is kubectl top's metricsCreationDelay: how long a new pod may go without metrics. */
const METRICS_CREATION_DELAY_MS = 2 * 60_000;

/** topTable renders like kubectl top's printer: every cell (the last too) is followed by a tab. */
function topTable(rows: string[][]): string {
  return tabwrite(rows.map((r) => r.map((c) => c + '\t').join('')).join('\n') + '\n', 6, 3);
}

const mi = (bytes: number) => `${Math.floor(bytes / (1024 * 1024))}Mi`;

/** sortByOf is --sort-by, checked as TopPodOptions/TopNodeOptions.Validate check it. */
function sortByOf(ctx: Ctx): 'cpu' | 'memory' | undefined {
  const v = flag(ctx, 'sort-by');
  if (!v) return undefined;
  if (v !== 'cpu' && v !== 'memory') throw new CmdError('error: --sort-by accepts only cpu or memory');
  return v;
}

/**
 * sortUsage orders rows as the metrics sorters do: the highest cpu or memory first with --sort-by,
 * else by name (the rows come in name order, and equal usages keep it).
 */
function sortUsage<T extends { cpuMilli: number; memoryBytes: number }>(rows: T[], by: 'cpu' | 'memory' | undefined): T[] {
  if (by === 'cpu') return rows.sort((a, b) => b.cpuMilli - a.cpuMilli);
  if (by === 'memory') return rows.sort((a, b) => b.memoryBytes - a.memoryBytes);
  return rows;
}

export const topNodeCommand: Command = {
  name: 'top node',
  aliases: ['top nodes', 'top no'],
  short: 'Display resource (CPU/memory) usage of nodes',
  flags: [F.selector, F.noHeaders, F.sortBy, { name: 'show-capacity', bool: true }],
  run(ctx) {
    const info = resolveKind('nodes');
    const nodes = (ctx.args[0] ? [getObject(ctx.sim, info, '', ctx.args[0])] : listObjects(ctx.sim, info, undefined).filter(selectorPredicate(flag(ctx, 'selector')))) as Node[];
    const pods = ctx.sim.store.list<Pod>('Pod').filter(running);
    const rows = boolFlag(ctx, 'no-headers') ? [] : [['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']];
    const cap = boolFlag(ctx, 'show-capacity') ? 'capacity' : 'allocatable';
    const by = sortByOf(ctx);
    const usage: { cpuMilli: number; memoryBytes: number; row: string[] }[] = [];
    // A node whose kubelet is down is not scraped: its row comes last, <unknown> (printMissingMetricsNodeLine).
    const missing = nodes.filter((n) => unscraped(ctx.sim, n.metadata.name));
    // listObjects gives them in name order, as the metrics sorters order them without --sort-by.
    for (const n of nodes) {
      if (missing.includes(n)) continue;
      let cpu = 0;
      let mem = 0;
      for (const p of pods) {
        if (p.spec.nodeName !== n.metadata.name) continue;
        const u = podUsage(ctx.sim, p);
        cpu += u.cpuMilli;
        mem += u.memoryBytes;
      }
      const cpuA = parseQuantity(n.status?.[cap]?.cpu) ?? 0;
      const memA = (parseQuantity(n.status?.[cap]?.memory) ?? 0) / 1000;
      usage.push({ cpuMilli: cpu, memoryBytes: mem, row: [n.metadata.name, `${cpu}m`, cpuA ? `${Math.floor((cpu * 100) / cpuA)}%` : '<unknown>', mi(mem), memA ? `${Math.floor((mem * 100) / memA)}%` : '<unknown>'] });
    }
    if (!nodes.length) throw new CmdError('error: metrics not available yet');
    for (const u of sortUsage(usage, by)) rows.push(u.row);
    for (const n of missing) rows.push([n.metadata.name, '<unknown>', '<unknown>', '<unknown>', '<unknown>']);
    return topTable(rows);
  },
};

export const topPodCommand: Command = {
  name: 'top pod',
  aliases: ['top pods', 'top po'],
  short: 'Display resource (CPU/memory) usage of pods',
  flags: [F.selector, F.allNamespaces, F.noHeaders, F.sortBy, { name: 'containers', bool: true }, { name: 'sum', bool: true }],
  run(ctx) {
    const allNs = boolFlag(ctx, 'all-namespaces');
    const ns = namespace(ctx);
    const info = resolveKind('pods');
    const pods = (ctx.args[0] ? [getObject(ctx.sim, info, ns, ctx.args[0])] : listObjects(ctx.sim, info, allNs ? undefined : ns).filter(selectorPredicate(flag(ctx, 'selector')))) as Pod[];
    // Pods on a node whose kubelet is down have no metrics (metrics-server scrapes the kubelet), nor pods
    // whose containers have not run for a whole scrape window yet (metrics-server's own rule, as the HPA sees it).
    let live = pods.filter((p) => running(p) && !unscraped(ctx.sim, p.spec.nodeName));
    const metrics = ctx.sim.services.get('metrics') as { podMetrics?(pods: Pod[]): { namespace: string; name: string }[] } | undefined;
    if (metrics?.podMetrics) {
      const listed = new Set(metrics.podMetrics(live).map((m) => `${m.namespace}/${m.name}`));
      live = live.filter((p) => listed.has(`${p.metadata.namespace}/${p.metadata.name}`));
    }
    if (!live.length) {
      // verifyEmptyMetrics: a pod over two minutes old should have metrics by now; younger ones may not yet.
      const age = (p: Pod) => ctx.sim.now() - parseIsoTime(p.metadata.creationTimestamp ?? '');
      const old = pods.find((p) => age(p) > METRICS_CREATION_DELAY_MS);
      if (old) throw new CmdError(`error: Metrics not available for pod ${old.metadata.namespace}/${old.metadata.name}, age: ${goDuration(age(old))}`);
      if (pods.length) throw new CmdError('error: metrics not available yet');
      return allNs ? 'No resources found\n' : `No resources found in ${ns} namespace.\n`;
    }
    const by = sortByOf(ctx);
    const containers = boolFlag(ctx, 'containers');
    // PodColumns, after NAMESPACE with -A and POD with --containers (metrics_printer.go).
    const header = [...(allNs ? ['NAMESPACE'] : []), ...(containers ? ['POD'] : []), 'NAME', 'CPU(cores)', 'MEMORY(bytes)'];
    const noHeaders = boolFlag(ctx, 'no-headers');
    const rows = noHeaders ? [] : [header];
    // listObjects gives them in namespace and name order, as the metrics sorters order them without --sort-by.
    const usage = live.map((p) => ({ pod: p, ...podUsage(ctx.sim, p) }));
    for (const { pod: p, cpuMilli, memoryBytes } of sortUsage(usage, by)) {
      const prefix = allNs ? [p.metadata.namespace ?? ''] : [];
      if (!containers) {
        rows.push([...prefix, p.metadata.name, `${cpuMilli}m`, mi(memoryBytes)]);
        continue;
      }
      // One row per running container, ordered as ContainerMetricsSorter orders them.
      const cs = runningContainers(p)
        .map((c) => ({ name: c.name, ...containerUsage(ctx.sim, p, c) }))
        .sort((a, b) => compareStrings(a.name, b.name));
      for (const c of sortUsage(cs, by)) rows.push([...prefix, p.metadata.name, c.name, `${c.cpuMilli}m`, mi(c.memoryBytes)]);
    }
    if (boolFlag(ctx, 'sum')) rows.push(...sumRows(usage, noHeaders ? 3 : header.length));
    return topTable(rows);
  },
};

/**
 * sumRows are --sum's two lines under the pods (printPodResourcesSum): a rule under the CPU and memory
 * columns, then the totals. width is the printer's columnWidth, which counts the NAMESPACE and POD columns
 * only when it prints the header: with --no-headers the totals shift left, as kubectl's do.
 */
function sumRows(usage: { cpuMilli: number; memoryBytes: number }[], width: number): string[][] {
  const cpu = usage.reduce((n, u) => n + u.cpuMilli, 0);
  const memory = usage.reduce((n, u) => n + u.memoryBytes, 0);
  const blanks = (n: number) => Array<string>(Math.max(0, n)).fill('');
  return [
    [...blanks(width - 2), '________', '________'],
    [...blanks(width - 3), '', `${cpu}m`, mi(memory)],
  ];
}

/** unscraped: the node's kubelet is down, so metrics-server has no reading from it. */
function unscraped(sim: Sim, node: string | undefined): boolean {
  return !!node && nodesState(sim).nodes[node]?.failedAt !== undefined;
}
