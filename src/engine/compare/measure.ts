/**
 * measure.ts runs one strategy's scenario headless and measures its rollout: start the cluster, run to
 * t0, change the image with the command a user would type, then step the clock until the rollout has
 * finished (the controller reports it complete and no pod of the old version is left) or the limit.
 *
 * Pods are counted by a store watch, so every change is seen, not a per-second sample: a pod counts
 * from its creation until it is removed or reaches phase Succeeded/Failed ("non-terminated", as
 * `kubectl describe node` counts them; a Terminating pod still holds its node's resources). Requests
 * come from the network module's per-second traffic summary.
 */
import type { Sim } from '../sim.ts';
import type { KubeObject, Pod } from '../api/types.ts';
import { isPodReady } from '../api/podutil.ts';
import { startScenario } from '../scenario/run.ts';
import { runCommand } from '../kubectl/index.ts';
import { formatDiagnostic } from '../scenario/types.ts';
import type { NetworkApi } from '../network/index.ts';
import { STRATEGY_LABELS, type Strategy, type Variant } from './variants.ts';
import { podSelector, type Target, type Workload } from './workload.ts';

/** TimelinePoint is the workload's pods at one instant, t seconds after the image change. */
export interface TimelinePoint {
  t: number;
  old: number;
  new: number;
  ready: number;
}

/** StrategyResult is one strategy's measurements. Times are seconds after the image change (t0). */
export interface StrategyResult {
  strategy: Strategy;
  label: string;
  kind: 'Deployment' | 'Rollout';
  description: string;
  command: string;
  /** finished: the rollout completed and the old pods were gone before the limit. */
  finished: boolean;
  /** seconds is the time to finish: complete, and the last old pod gone (the limit when not finished). */
  seconds: number;
  /** completeSeconds is when the controller first reported the rollout complete (`rollout status` returns), or null. */
  completeSeconds: number | null;
  /** peakPods is the most non-terminated pods of the workload at once (Terminating ones included). */
  peakPods: number;
  /** peakActivePods is the same without Terminating pods (what maxSurge bounds). */
  peakActivePods: number;
  /** podSeconds is the integral of non-terminated pods over [t0, finish]: the cost. */
  podSeconds: number;
  /** minReady is the fewest Ready, non-terminating pods of the workload during the rollout. */
  minReady: number;
  totalRequests: number;
  /** failedRequests are 5xx answers and requests with no answer (refused, timed out). */
  failedRequests: number;
  statuses: Record<string, number>;
  timeline: TimelinePoint[];
  /** error says why the strategy could not be measured (the scenario failed to apply, the command failed). */
  error?: string;
  warnings: string[];
}

export interface MeasureOptions {
  /** atMs is when the image changes (t0), in simulated ms. */
  atMs: number;
  /** limitMs is the longest a rollout may take after t0. */
  limitMs: number;
}

/** TRAFFIC_READ_MS: the summary keeps 120 s of per-second buckets; read it well within that. */
const TRAFFIC_READ_MS = 60_000;

type PodClass = { new: boolean; ready: boolean; terminating: boolean };

/** measureVariant runs one variant and returns its measurements. Deterministic: same variant, same numbers. */
export function measureVariant(v: Variant, w: Workload, target: Target, opts: MeasureOptions): StrategyResult {
  const result: StrategyResult = {
    strategy: v.strategy,
    label: STRATEGY_LABELS[v.strategy],
    kind: v.kind,
    description: v.description,
    command: v.command,
    finished: false,
    seconds: opts.limitMs / 1000,
    completeSeconds: null,
    peakPods: 0,
    peakActivePods: 0,
    podSeconds: 0,
    minReady: 0,
    totalRequests: 0,
    failedRequests: 0,
    statuses: {},
    timeline: [],
    warnings: [],
  };
  const started = startScenario(v.parsed);
  const sim = started.sim;
  if (started.errors.length) {
    result.error = started.errors.map(formatDiagnostic).join('\n');
    return result;
  }
  const t0 = opts.atMs;
  sim.runUntil(t0);
  const before = workloadObject(sim, v.kind, w);
  if (!before || !isComplete(sim, v.kind, w)) result.warnings.push(`${v.kind} "${w.name}" was not fully available at t0 (${t0 / 1000}s) when the image changed`);

  // Pods of the workload, by uid, kept up to date by a watch.
  const selects = podSelector(w);
  const pods = new Map<string, PodClass>();
  let total = 0;
  let active = 0;
  let ready = 0;
  let oldCount = 0;
  let newCount = 0;
  const classify = (p: Pod): PodClass | undefined => {
    if ((p.metadata.namespace ?? 'default') !== w.namespace || !selects(p.metadata.labels ?? {})) return undefined;
    const phase = p.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return undefined;
    const c = p.spec.containers.find((x) => x.name === target.container);
    const terminating = !!p.metadata.deletionTimestamp;
    return { new: c?.image === target.image, ready: isPodReady(p) && !terminating, terminating };
  };
  const add = (c: PodClass, sign: number) => {
    total += sign;
    if (!c.terminating) active += sign;
    if (c.ready) ready += sign;
    if (c.new) newCount += sign;
    else oldCount += sign;
  };
  let peak = 0;
  let peakActive = 0;
  let minReady = Infinity;
  const observe = () => {
    if (total > peak) peak = total;
    if (active > peakActive) peakActive = active;
  };
  for (const p of sim.store.list<Pod>('Pod', w.namespace)) {
    const c = classify(p);
    if (c) {
      pods.set(p.metadata.uid!, c);
      add(c, 1);
    }
  }
  observe();
  sim.store.watch('Pod', (type: string, obj: KubeObject) => {
    const uid = obj.metadata.uid!;
    const prev = pods.get(uid);
    const next = type === 'DELETED' ? undefined : classify(obj as Pod);
    if (prev) add(prev, -1);
    if (next) {
      pods.set(uid, next);
      add(next, 1);
    } else pods.delete(uid);
    observe();
  });

  // Requests: the per-second summary buckets in (t0, finish].
  const net = sim.services.get('network') as NetworkApi | undefined;
  let readUpTo = t0;
  const readTraffic = () => {
    if (!net) return;
    const s = net.trafficSummary(readUpTo);
    result.totalRequests += s.total;
    result.failedRequests += s.errors;
    for (const [k, n] of Object.entries(s.statuses)) result.statuses[k] = (result.statuses[k] ?? 0) + n;
    readUpTo = Math.floor(sim.now() / 1000) * 1000;
  };

  // The moment before the change, then the change itself at the same t (a vertical step in a chart).
  result.timeline.push({ t: 0, old: oldCount, new: newCount, ready });
  const r = runCommand(sim, v.command);
  if (r.exit !== 0) {
    result.error = `${v.command}: ${r.out.trim()}`;
    return result;
  }
  sim.settle();

  let lastT = t0;
  let lastTotal = total;
  let area = 0;
  const point = (t: number) => {
    const p = { t: (t - t0) / 1000, old: oldCount, new: newCount, ready };
    const last = result.timeline.at(-1);
    if (last && last.t === p.t && result.timeline.length > 1 && p.t > 0) result.timeline[result.timeline.length - 1] = p;
    else if (!last || last.old !== p.old || last.new !== p.new || last.ready !== p.ready) result.timeline.push(p);
  };
  const sampleInstant = () => {
    const t = sim.now();
    area += lastTotal * (t - lastT);
    lastT = t;
    lastTotal = total;
    if (ready < minReady) minReady = ready;
    point(t);
  };
  sampleInstant();

  const end = t0 + opts.limitMs;
  let finishedAt: number | undefined;
  while (sim.now() < end) {
    if (!sim.step(end)) {
      // Nothing left to happen before the limit: the state is final.
      break;
    }
    sampleInstant();
    if (sim.now() - readUpTo >= TRAFFIC_READ_MS) readTraffic();
    if (result.completeSeconds === null && isComplete(sim, v.kind, w)) result.completeSeconds = (sim.now() - t0) / 1000;
    if (result.completeSeconds !== null && oldCount === 0 && isComplete(sim, v.kind, w)) {
      finishedAt = sim.now();
      break;
    }
  }
  if (finishedAt === undefined) {
    // Idle or at the limit: account for the time up to the limit, and check once more.
    if (sim.now() < end) sim.runUntil(end);
    sampleInstant();
    if (result.completeSeconds === null && isComplete(sim, v.kind, w)) result.completeSeconds = (sim.now() - t0) / 1000;
  }
  readTraffic();
  const stop = finishedAt ?? end;
  result.finished = finishedAt !== undefined;
  result.seconds = (stop - t0) / 1000;
  result.peakPods = peak;
  result.peakActivePods = peakActive;
  result.podSeconds = Math.round(area / 100) / 10; // pod·ms → pod·s, one decimal
  result.minReady = minReady === Infinity ? ready : minReady;
  if (!result.finished) result.warnings.push(`the rollout did not finish within ${opts.limitMs / 1000}s of simulated time`);
  result.warnings.push(...sim.warnings);
  return result;
}

function workloadObject(sim: Sim, kind: string, w: Workload): KubeObject | undefined {
  return sim.store.get(kind, w.namespace, w.name);
}

/**
 * isComplete is the controller's own verdict. Deployment: as `kubectl rollout status` (observedGeneration
 * caught up; updated = available = replicas, no other replicas). Rollout: phase Healthy for the current
 * generation (Argo's `status` command).
 */
export function isComplete(sim: Sim, kind: string, w: Workload): boolean {
  const o = workloadObject(sim, kind, w);
  if (!o) return false;
  const st = o.status ?? {};
  const replicas = typeof o.spec?.replicas === 'number' ? o.spec.replicas : 1;
  if (kind === 'Deployment') {
    if ((st.observedGeneration ?? 0) < (o.metadata.generation ?? 0)) return false;
    return (st.updatedReplicas ?? 0) === replicas && (st.availableReplicas ?? 0) === replicas && (st.replicas ?? 0) === replicas;
  }
  if (String(st.observedGeneration ?? '') !== String(o.metadata.generation ?? 1)) return false;
  return st.phase === 'Healthy' && (st.updatedReplicas ?? 0) === replicas;
}
