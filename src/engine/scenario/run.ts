import type { Sim } from '../sim.ts';
import { createCluster as defaultCreateCluster, type ClusterOptions } from '../cluster.ts';
import { runCommand as defaultRunCommand, type CommandResult } from '../kubectl/index.ts';
import { applyManifest } from './apply.ts';
import { LIMITS } from './limits.ts';
import type { Diagnostic, ParsedScenario, StepResult, TimelineStep } from './types.ts';

/** APPLY_STEP_COMMAND is how an `apply` step shows in the output: the manifests come on standard input. */
export const APPLY_STEP_COMMAND = 'kubectl apply -f -';

/** StepCommandRunner is kubectl's runCommand (src/engine/kubectl): one line, with stdin for `apply -f -`. */
export type StepCommandRunner = (sim: Sim, line: string, opts?: { stdin?: string }) => CommandResult;

export interface RunOptions {
  /** until is when the run ends, in simulated ms (default: the last step's time, or 0). Steps after it are not run. */
  until?: number;
  /** onStep sees each step's result as soon as it has run (the CLI streams them). */
  onStep?: (step: StepResult) => void;
  /** onError sees each problem as soon as it is found (a manifest the API server refused …). */
  onError?: (d: Diagnostic) => void;
  /** runCommand and createCluster default to the engine's; tests inject fakes. */
  runCommand?: StepCommandRunner;
  createCluster?: (options: ClusterOptions) => Sim;
}

export interface RunResult {
  /** sim is the cluster at the end of the run (undefined when the scenario had errors and did not run). */
  sim?: Sim;
  steps: StepResult[];
  /** errors are parse, validation and apply problems: any makes `kubeplay run` exit 1. */
  errors: Diagnostic[];
  /** warnings are engine-level notes (e.g. controllers that did not settle). */
  warnings: string[];
}

/**
 * runScenario plays a parsed scenario: it builds the cluster (seed, images, nodes), applies the
 * manifests at t=0 in file order as `kubectl apply -f FILE` would (a failing document is reported and
 * the others still apply), then runs each timeline step at its time and finally runs the clock to
 * `until`. A scenario with parse errors does not run. A step that fails (exit ≠ 0) is output, not an error.
 */
export function runScenario(parsed: ParsedScenario, opts: RunOptions = {}): RunResult {
  const result: RunResult = { steps: [], errors: [...parsed.errors], warnings: [] };
  const report = (d: Diagnostic) => {
    result.errors.push(d);
    opts.onError?.(d);
  };
  if (parsed.errors.length > 0) return result;
  const { timeline } = parsed.spec;
  const until = opts.until ?? (timeline.length ? timeline[timeline.length - 1].at : 0);
  if (!Number.isFinite(until) || until < 0 || until > LIMITS.timeMs) {
    report({ file: parsed.file, message: `--until: ${until / 1000}s is out of range: the limit is ${LIMITS.timeMs / 1000}s (30 days) of simulated time` });
    return result;
  }

  const started = startScenario(parsed, opts);
  const sim = started.sim;
  result.sim = sim;
  for (const d of started.errors) report(d);
  const run = opts.runCommand ?? defaultRunCommand;

  for (const step of timeline) {
    if (step.at > until) break;
    sim.runUntil(step.at);
    const out = runTimelineStep(sim, step, parsed.file, run);
    result.steps.push(out);
    opts.onStep?.(out);
  }
  sim.runUntil(until);
  result.warnings.push(...sim.warnings);
  return result;
}

/**
 * startScenario builds a parsed scenario's cluster (seed, images, nodes) and applies its manifests at
 * t=0 in file order, as `kubectl apply -f FILE`: a failing document is reported, the others still apply.
 * The page's worker uses it with runTimelineStep to interleave the timeline with play and pause.
 */
export function startScenario(parsed: ParsedScenario, opts: Pick<RunOptions, 'createCluster'> = {}): { sim: Sim; errors: Diagnostic[] } {
  const { spec } = parsed;
  const create = opts.createCluster ?? defaultCreateCluster;
  const sim = create({
    seed: spec.seed,
    images: structuredClone(spec.images),
    nodes: structuredClone(spec.nodes),
    traffic: structuredClone(spec.traffic),
    network: spec.network ? { ...spec.network } : undefined,
    ...(spec.autoscaler ? { autoscaler: structuredClone(spec.autoscaler) } : {}),
    ...(spec.controlPlane ? { controlPlane: { ...spec.controlPlane } } : {}),
  });
  const errors: Diagnostic[] = [];
  for (const m of parsed.manifests) {
    const r = applyManifest(sim, m, parsed.file, parsed.file);
    if (!r.ok && r.error) errors.push(r.error);
  }
  sim.settle();
  return { sim, errors };
}

/**
 * runTimelineStep runs one step at the current time: a `run` line through runCommand, an `apply` step
 * as `kubectl apply -f -` with the manifests on standard input.
 */
export function runTimelineStep(sim: Sim, step: TimelineStep, file: string, run: StepCommandRunner = defaultRunCommand): StepResult {
  const t = sim.now() / 1000;
  if (step.run !== undefined) {
    const r = run(sim, step.run);
    return { t, cmd: step.run, exit: r.exit, out: r.out };
  }
  // The manifests go to kubectl on standard input, so the output is exactly what the terminal prints.
  const r = run(sim, APPLY_STEP_COMMAND, { stdin: step.applyText ?? '' });
  return { t, cmd: APPLY_STEP_COMMAND, exit: r.exit, out: r.out };
}
