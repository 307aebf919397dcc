/**
 * compare runs one workload's rollout under several strategies — RollingUpdate, Recreate, Argo
 * canary, Argo blue/green — on the same cluster, seed, images and traffic, and measures each: peak
 * pods, time to finish, failed requests, cost in pod-seconds and the fewest ready pods (issue 6,
 * "Side by side"). Pure and deterministic: same scenario and options, same numbers.
 *
 *   const r = compareStrategies(parseScenario(text, file), { strategies: ['rolling', 'bluegreen'] });
 *   if ('error' in r) …; else formatCompareTable(r)
 */
import type { ParsedScenario } from '../scenario/types.ts';
import { formatDiagnostic } from '../scenario/types.ts';
import { buildVariant, STRATEGIES, type Strategy } from './variants.ts';
import { measureVariant, type StrategyResult } from './measure.ts';
import { defaultTarget, findWorkload, parseImageArg, type Target } from './workload.ts';

export { STRATEGIES, STRATEGY_LABELS, CANARY_STEPS, AUTO_PROMOTION_SECONDS, buildVariant, type Strategy, type Variant } from './variants.ts';
export { measureVariant, isComplete, type StrategyResult, type TimelinePoint } from './measure.ts';
export { findWorkload, listWorkloads, defaultTarget, parseImageArg, type Workload, type Target } from './workload.ts';
export { formatSeconds, formatCompareTable } from './format.ts';

/** DEFAULT_AT_MS is when the image changes when the scenario's timeline does not say (30 s: the pods are up). */
export const DEFAULT_AT_MS = 30_000;
/** DEFAULT_LIMIT_MS: a rollout not finished 30 simulated minutes after the change is reported unfinished. */
export const DEFAULT_LIMIT_MS = 30 * 60_000;
/** DEFAULT_STRATEGIES are compared when none are chosen. */
export const DEFAULT_STRATEGIES: Strategy[] = [...STRATEGIES];

export interface CompareOptions {
  /** image is `IMAGE` or `CONTAINER=IMAGE`; default: the scenario's own `set image` step, or another tag in spec.images. */
  image?: string;
  strategies?: Strategy[];
  /** workload names the Deployment/Rollout when the scenario has several. */
  workload?: string;
  /** atMs is when the image changes (default: the scenario's `set image` step's time, else 30 s). */
  atMs?: number;
  /** limitMs bounds each rollout (default 30 minutes). */
  limitMs?: number;
  /** onProgress is told before each strategy runs (i of n). */
  onProgress?: (strategy: Strategy, i: number, n: number) => void;
}

/** CompareResult is the comparison: what changed, and each strategy's measurements in the order asked. */
export interface CompareResult {
  scenario: string;
  seed: number;
  workload: { kind: 'Deployment' | 'Rollout'; namespace: string; name: string; replicas: number };
  container: string;
  fromImage: string;
  toImage: string;
  /** at is t0 in seconds: when the image changed. */
  at: number;
  /** limit is the longest a rollout was allowed, in seconds. */
  limit: number;
  /** rps is the scenario's total traffic (requests per second), 0 when it sends none. */
  rps: number;
  results: StrategyResult[];
}

/** parseStrategies reads `rolling,recreate,canary,bluegreen` (also `blue-green`, `rollingupdate`). */
export function parseStrategies(s: string): Strategy[] | string {
  const out: Strategy[] = [];
  for (const raw of s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean)) {
    const name = raw === 'rollingupdate' || raw === 'rolling-update' ? 'rolling' : raw === 'blue-green' || raw === 'blue/green' ? 'bluegreen' : raw;
    if (!(STRATEGIES as readonly string[]).includes(name)) return `unknown strategy ${JSON.stringify(raw)} (choose from ${STRATEGIES.join(', ')})`;
    if (!out.includes(name as Strategy)) out.push(name as Strategy);
  }
  if (out.length === 0) return 'no strategies given';
  return out;
}

/** planCompare finds the workload and the change, or says why the scenario cannot be compared. */
export function planCompare(parsed: ParsedScenario, opts: CompareOptions = {}): { target: Target; workload: ReturnType<typeof findWorkload> & object; atMs: number } | { error: string } {
  if (parsed.errors.length) return { error: parsed.errors.map(formatDiagnostic).join('\n') };
  const w = findWorkload(parsed, opts.workload);
  if (typeof w === 'string') return { error: w };
  const own = defaultTarget(parsed, w);
  let target: Target | undefined;
  if (opts.image !== undefined) {
    const t = parseImageArg(w, opts.image);
    if (typeof t === 'string') return { error: t };
    target = t;
  } else target = own && { container: own.container, image: own.image };
  if (!target) return { error: `${parsed.file}: no --image given, and the scenario neither sets a new image for ${w.kind} "${w.name}" in its timeline nor declares another tag of ${w.image} in spec.images` };
  const current = (w.object.spec.template.spec.containers as any[]).find((c) => c?.name === target!.container)?.image;
  if (current === target.image) return { error: `${w.kind} "${w.name}" already runs ${target.image}: nothing to roll out` };
  // The scenario's own moment for the change (its set image step for this workload), else 30 s.
  const atMs = opts.atMs ?? own?.at ?? DEFAULT_AT_MS;
  return { target, workload: w, atMs };
}

/**
 * compareStrategies runs the workload's rollout once per strategy and measures it. The scenario's
 * timeline is not played (only its cluster, seed, images, traffic and manifests): each run changes the
 * image at t0 with the command a user would type and runs until the rollout finishes or the limit.
 */
export function compareStrategies(parsed: ParsedScenario, opts: CompareOptions = {}): CompareResult | { error: string } {
  const plan = planCompare(parsed, opts);
  if ('error' in plan) return plan;
  const { target, workload: w, atMs } = plan;
  const strategies = opts.strategies ?? DEFAULT_STRATEGIES;
  const limitMs = opts.limitMs ?? DEFAULT_LIMIT_MS;
  const results: StrategyResult[] = [];
  strategies.forEach((s, i) => {
    opts.onProgress?.(s, i, strategies.length);
    results.push(measureVariant(buildVariant(parsed, w, s, target), w, target, { atMs, limitMs }));
  });
  return {
    scenario: parsed.name,
    seed: parsed.spec.seed,
    workload: { kind: w.kind, namespace: w.namespace, name: w.name, replicas: w.replicas },
    container: target.container,
    fromImage: String((w.object.spec.template.spec.containers as any[]).find((c) => c?.name === target.container)?.image ?? ''),
    toImage: target.image,
    at: atMs / 1000,
    limit: limitMs / 1000,
    rps: parsed.spec.traffic.reduce((s, t) => s + t.rps, 0),
    results,
  };
}
