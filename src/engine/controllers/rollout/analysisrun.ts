/**
 * analysisrun.ts: the AnalysisRun controller (analysis/analysis.go reconcileAnalysisRun). Each
 * metric takes a measurement when due (initialDelay, then every interval), its result is checked
 * against successCondition/failureCondition, and the metric completes when count is reached, when
 * failed > failureLimit (default 0), inconclusive > inconclusiveLimit (default 0) or
 * consecutiveErrors > consecutiveErrorLimit (default 4). A Failed/Error/Inconclusive metric ends
 * the run; `spec.terminate` ends it as Successful.
 */
import type { Sim } from '../../sim.ts';
import type { KubeObject } from '../../api/types.ts';
import { isoTime } from '../../clock.ts';
import { canonicalJson } from '../deployment/hash.ts';
import { evaluateCondition, ExprError } from './expr.ts';
import { COMPONENT, MEASURE_TIMER, durationSeconds, isObj, timeMs } from './util.ts';

export const DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;
const COMPLETED = new Set(['Successful', 'Failed', 'Error', 'Inconclusive']);
/** phaseRank orders completed phases worst-first for the run's phase (Failed > Error > Inconclusive > Successful). */
const RANK: Record<string, number> = { Failed: 4, Error: 3, Inconclusive: 2, Successful: 1 };

export const isCompleted = (phase: unknown): boolean => typeof phase === 'string' && COMPLETED.has(phase);

interface Measurement {
  phase: string;
  value?: string;
  message?: string;
  startedAt: string;
  finishedAt?: string;
  metadata?: Record<string, string>;
}

/** JOB_NAME_KEY is where Argo's job provider keeps its Job's name on the measurement. */
const JOB_NAME_KEY = 'job-name';

interface ApiLike {
  create(obj: KubeObject): KubeObject;
}

/**
 * startJob is the job provider's Run (metricproviders/job): a Job named `<run uid>.<metric>.<n>`
 * owned by the AnalysisRun, from the metric's job spec; the measurement stays Running until the Job
 * completes (Successful) or fails (Failed).
 */
function startJob(sim: Sim, run: KubeObject, metric: any, n: number): { phase: string; message?: string; jobName?: string } {
  const api = sim.services.get('api') as ApiLike | undefined;
  const job = metric.provider.job;
  if (!api) return { phase: 'Error', message: 'job provider: the API server is not available' };
  const name = `${run.metadata.uid}.${metric.name}.${n}`;
  try {
    api.create({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        ...(isObj(job.metadata) ? structuredClone(job.metadata) : {}),
        name,
        namespace: run.metadata.namespace,
        ownerReferences: [{ apiVersion: run.apiVersion, kind: 'AnalysisRun', name: run.metadata.name, uid: run.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      spec: structuredClone(job.spec ?? {}),
    });
  } catch (e) {
    return { phase: 'Error', message: (e as Error).message };
  }
  return { phase: 'Running', jobName: name };
}

/** jobPhase is the job provider's Resume: the Job's Complete/Failed condition decides the measurement. */
function jobPhase(sim: Sim, ns: string | undefined, name: string): { phase: string; message?: string } {
  const job = sim.store.get('Job', ns, name);
  if (!job) return { phase: 'Error', message: `job ${name} not found` };
  const conds: any[] = job.status?.conditions ?? [];
  if (conds.some((c) => c.type === 'Complete' && c.status === 'True')) return { phase: 'Successful' };
  const failed = conds.find((c) => c.type === 'Failed' && c.status === 'True');
  if (failed) return { phase: 'Failed', message: failed.message };
  return { phase: 'Running' };
}

/** NetworkQuery is the part of the network service the prometheus provider calls. */
interface NetworkQuery {
  query(expr: string, timeMs?: number): any;
}

/** resolveArgs substitutes {{args.name}} (and {{ args.name }}) in provider strings. */
export function substituteArgs(s: string, args: Record<string, string>): string {
  return s.replace(/\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}/g, (m, name: string) => (name in args ? args[name] : m));
}

function argsOf(run: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of run.spec?.args ?? []) if (isObj(a) && typeof a.name === 'string' && a.value !== undefined) out[a.name] = String(a.value);
  return out;
}

/** formatValue prints a result as Argo stores it: Go's %v of a float or []float64 ("[0.97]"). */
function formatValue(v: unknown): string {
  const f = (x: unknown) => (typeof x === 'number' ? (Number.isNaN(x) ? 'NaN' : String(x)) : String(x));
  return Array.isArray(v) ? `[${v.map(f).join(' ')}]` : f(v);
}

/** measure runs one measurement of a metric through its provider. */
function measure(sim: Sim, run: KubeObject, metric: any): { phase: string; value?: string; message?: string } {
  const provider = metric.provider;
  if (!isObj(provider)) return { phase: 'Error', message: 'metric has no provider' };
  let result: unknown;
  if (isObj(provider.prometheus)) {
    const net = sim.services.get('network') as NetworkQuery | undefined;
    if (!net || typeof net.query !== 'function') return { phase: 'Error', message: 'prometheus provider: the network service (metrics and PromQL) is not available' };
    const q = substituteArgs(String(provider.prometheus.query ?? ''), argsOf(run));
    try {
      const v = net.query(q, sim.now());
      if (v.type === 'scalar') result = v.v;
      else if (v.type === 'vector') result = v.samples.map((s: any) => s.v);
      else return { phase: 'Error', message: `Prometheus returned an unexpected result type ${v.type}` };
    } catch (e) {
      return { phase: 'Error', message: (e as Error).message };
    }
  } else {
    const name = Object.keys(provider)[0] ?? '';
    return { phase: 'Error', message: `${name} provider is not supported by Kubeplay (supported: prometheus, job)` };
  }
  const value = formatValue(result);
  try {
    return { phase: evaluateResult(metric, result), value };
  } catch (e) {
    if (e instanceof ExprError) return { phase: 'Error', value, message: e.message };
    throw e;
  }
}

/** evaluateResult is analysisutil's evaluateResult: success/failure conditions → phase. */
export function evaluateResult(metric: any, result: unknown): string {
  const ok = typeof metric.successCondition === 'string' && metric.successCondition ? evaluateCondition(metric.successCondition, result) : undefined;
  const bad = typeof metric.failureCondition === 'string' && metric.failureCondition ? evaluateCondition(metric.failureCondition, result) : undefined;
  if (ok === undefined && bad === undefined) return 'Successful';
  if (bad) return 'Failed';
  if (ok === undefined) return 'Successful';
  if (ok) return 'Successful';
  return bad === undefined ? 'Failed' : 'Inconclusive';
}

const intOr = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? parseInt(v, 10) : d);

/** assessMetric decides whether a metric's results complete it, and with which phase and message. */
export function assessMetric(metric: any, r: any): { phase: string; message?: string } {
  const failureLimit = intOr(metric.failureLimit, 0);
  const inconclusiveLimit = intOr(metric.inconclusiveLimit, 0);
  const errorLimit = intOr(metric.consecutiveErrorLimit, DEFAULT_CONSECUTIVE_ERROR_LIMIT);
  if (r.failed > failureLimit && failureLimit >= 0) return { phase: 'Failed', message: `Metric "${metric.name}" assessed Failed due to failed (${r.failed}) > failureLimit (${failureLimit})` };
  if (r.inconclusive > inconclusiveLimit && inconclusiveLimit >= 0) return { phase: 'Inconclusive', message: `Metric "${metric.name}" assessed Inconclusive due to inconclusive (${r.inconclusive}) > inconclusiveLimit (${inconclusiveLimit})` };
  if (r.consecutiveError > errorLimit && errorLimit >= 0) return { phase: 'Error', message: `Metric "${metric.name}" assessed Error due to consecutiveErrors (${r.consecutiveError}) > consecutiveErrorLimit (${errorLimit})` };
  const count = intOr(metric.count, metric.interval ? 0 : 1);
  if (count > 0 && r.count >= count) return { phase: 'Successful' };
  return { phase: 'Running' };
}

/** syncAnalysisRun takes the measurements that are due and assesses the run. */
export function syncAnalysisRun(sim: Sim, key: string): void {
  const [ns, name] = key.split('/');
  const run = sim.store.get('AnalysisRun', ns, name);
  if (!run || !isObj(run.spec)) return;
  const status = structuredClone(run.status ?? {});
  if (isCompleted(status.phase)) return;
  const now = sim.now();
  const nowIsoStr = isoTime(now);
  status.startedAt ??= nowIsoStr;
  const started = timeMs(status.startedAt);
  const metrics: any[] = Array.isArray(run.spec.metrics) ? run.spec.metrics : [];
  status.metricResults ??= [];
  let next = Infinity;
  for (const metric of metrics) {
    if (!isObj(metric) || typeof metric.name !== 'string') continue;
    let r = status.metricResults.find((x: any) => x.name === metric.name);
    if (!r) {
      r = { name: metric.name, phase: 'Running', count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0, consecutiveError: 0, measurements: [] };
      status.metricResults.push(r);
    }
    if (isCompleted(r.phase)) continue;
    if (run.spec.terminate) {
      r.phase = 'Successful';
      r.message = 'Metric Terminated';
      continue;
    }
    const interval = durationSeconds(metric.interval);
    const last: Measurement | undefined = r.measurements[r.measurements.length - 1];
    if (last && last.phase === 'Running') {
      // A job measurement in flight: it ends when its Job does (the Job watch brings the run back).
      const jm = jobPhase(sim, ns, last.metadata?.[JOB_NAME_KEY] ?? '');
      if (jm.phase === 'Running') continue;
      last.phase = jm.phase;
      last.finishedAt = nowIsoStr;
      if (jm.message) last.message = jm.message;
      countMeasurement(r, jm.phase);
      const a = assessMetric(metric, r);
      r.phase = a.phase;
      if (a.message) r.message = a.message;
      if (!isCompleted(r.phase) && interval !== undefined) next = Math.min(next, now + interval * 1000);
      continue;
    }
    const due = last ? timeMs(last.finishedAt!) + (interval ?? 0) * 1000 : started + (durationSeconds(metric.initialDelay) ?? 0) * 1000;
    if (last && interval === undefined) {
      // No interval: one measurement only (already taken).
    } else if (due <= now && isObj(metric.provider) && isObj(metric.provider.job)) {
      const m = startJob(sim, run, metric, r.count + 1);
      if (m.phase === 'Running') {
        r.measurements.push({ phase: 'Running', startedAt: nowIsoStr, metadata: { [JOB_NAME_KEY]: m.jobName! } });
        if (r.measurements.length > 10) r.measurements.splice(0, r.measurements.length - 10);
        continue;
      }
      r.measurements.push({ phase: m.phase, message: m.message, startedAt: nowIsoStr, finishedAt: nowIsoStr });
      countMeasurement(r, m.phase);
    } else if (due <= now) {
      const m = measure(sim, run, metric);
      r.measurements.push({ phase: m.phase, ...(m.value !== undefined ? { value: m.value } : {}), ...(m.message ? { message: m.message } : {}), startedAt: nowIsoStr, finishedAt: nowIsoStr });
      // Argo keeps the last 10 measurements.
      if (r.measurements.length > 10) r.measurements.splice(0, r.measurements.length - 10);
      r.count++;
      if (m.phase === 'Successful') r.successful++;
      else if (m.phase === 'Failed') r.failed++;
      else if (m.phase === 'Inconclusive') r.inconclusive++;
      if (m.phase === 'Error') {
        r.error++;
        r.consecutiveError++;
        // An unsupported provider can never measure: end the metric now with the reason.
        if (/not supported|not available/.test(m.message ?? '')) {
          r.phase = 'Error';
          r.message = m.message;
          continue;
        }
      } else r.consecutiveError = 0;
    } else next = Math.min(next, due);
    const a = assessMetric(metric, r);
    r.phase = a.phase;
    if (a.message) r.message = a.message;
    if (!isCompleted(r.phase) && interval !== undefined) next = Math.min(next, Math.max(due <= now ? now + interval * 1000 : due, now + 1));
  }
  assessRun(status, metrics.length, !!run.spec.terminate);
  if (isCompleted(status.phase)) status.completedAt ??= nowIsoStr;
  else if (Number.isFinite(next)) sim.at(next, MEASURE_TIMER, key);
  if (canonicalJson(status) === canonicalJson(run.status ?? {})) return;
  const was = run.status?.phase;
  run.status = status;
  sim.store.update(run);
  if (status.phase !== was && isCompleted(status.phase)) {
    sim.recordEvent(run, status.phase === 'Successful' ? 'Normal' : 'Warning', `AnalysisRun${status.phase}`, `Analysis Completed. Result: ${status.phase}`, COMPONENT);
  }
}

/** countMeasurement adds a finished measurement to its metric's counters. */
function countMeasurement(r: any, phase: string): void {
  r.count++;
  if (phase === 'Successful') r.successful++;
  else if (phase === 'Failed') r.failed++;
  else if (phase === 'Inconclusive') r.inconclusive++;
  if (phase === 'Error') {
    r.error++;
    r.consecutiveError++;
  } else r.consecutiveError = 0;
}

/** assessRun sets the run's phase: the worst completed metric ends the run; all Successful is Successful. */
function assessRun(status: any, metricCount: number, terminated: boolean): void {
  const results: any[] = status.metricResults;
  if (metricCount === 0) {
    status.phase = 'Successful';
    return;
  }
  let worst = '';
  for (const r of results) if (isCompleted(r.phase) && r.phase !== 'Successful' && (RANK[r.phase] ?? 0) > (RANK[worst] ?? 0)) worst = r.phase;
  status.runSummary = {
    count: results.length,
    successful: results.filter((r) => r.phase === 'Successful').length,
    failed: results.filter((r) => r.phase === 'Failed').length,
    inconclusive: results.filter((r) => r.phase === 'Inconclusive').length,
    error: results.filter((r) => r.phase === 'Error').length,
  };
  if (worst) {
    status.phase = worst;
    status.message = results.find((r) => r.phase === worst)?.message ?? '';
    for (const r of results) if (!isCompleted(r.phase)) r.phase = 'Successful';
    return;
  }
  if (results.length >= metricCount && results.every((r) => r.phase === 'Successful')) {
    status.phase = 'Successful';
    if (terminated) status.message = 'Run Terminated';
    return;
  }
  status.phase = 'Running';
}
