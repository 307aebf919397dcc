import type { Sim } from '../sim.ts';
import type { Container, Pod } from '../api/types.ts';
import { imageBehavior } from './images.ts';
import { processOf, runHook } from './command.ts';
import { fileStateAt } from './shell/proc.ts';
import { event, specOf } from './recorder.ts';
import type { ContainerRun, PodRun } from './runtime.ts';

/**
 * Stopping and starting a container the way the runtime manager does (kuberuntime_container.go):
 * killContainer with its preStop hook and grace period, and the postStart hook of startContainer.
 */

/** DEFAULT_SHUTDOWN_MS: how long an image without shutdownSeconds takes to exit after SIGTERM. */
export const DEFAULT_SHUTDOWN_MS = 1000;

/** MIN_GRACE_MS is minimumGracePeriodInSeconds: "a minimal shutdown window for avoiding unnecessary SIGKILLs". */
const MIN_GRACE_MS = 2000;

/**
 * killPlan is the kubelet's killContainer: a preStop hook runs first, for at most the grace
 * period, and the whole seconds it took come off the grace period; what is left is at least
 * minimumGracePeriodInSeconds (2 s). Then SIGTERM, and SIGKILL (exit 137) if the process has not
 * exited when that runs out. A grace period of 0 skips the hook.
 * 30 s grace, preStop `sleep 10`, an image that exits 1 s after SIGTERM: it exits 0 at 11 s.
 * 120 s grace, preStop `sleep 180`: the hook is abandoned at 120 s, SIGTERM, 2 s later SIGKILL
 * if the image needs longer than that.
 */
export function killPlan(sim: Sim, pod: Pod, run: PodRun, c: ContainerRun, t: number, graceMs: number): NonNullable<ContainerRun['exit']> {
  const spec = specOf(pod, c);
  const beh = imageBehavior(sim, c.image);
  const shutdown = beh.shutdownSeconds !== undefined ? beh.shutdownSeconds * 1000 : ignoresSigterm(pod, run, c, spec) ? Infinity : DEFAULT_SHUTDOWN_MS;
  let sigterm = t;
  let left = graceMs;
  const hook = spec?.lifecycle?.preStop;
  if (spec && hook && graceMs > 0) {
    const h = runHook(pod, run, c, spec, hook, t, graceMs);
    // "do not record the message in the event so that secrets won't leak from the server"
    if (h.failed) event(sim, pod, 'Warning', 'FailedPreStopHook', 'PreStopHook failed', c);
    const used = Math.min(h.ms, graceMs);
    sigterm = t + used;
    left = graceMs - Math.floor(used / 1000) * 1000;
  }
  left = Math.max(left, MIN_GRACE_MS);
  return shutdown <= left ? { at: sigterm + shutdown, code: 0, reason: 'Completed' } : { at: sigterm + left, code: 137, reason: 'Error' };
}

/**
 * ignoresSigterm: the container's PID 1 is a shell script or a utility the simulation runs (`sh -c
 * "…; sleep 600"`, `sleep infinity`). The kernel delivers no signal to PID 1 that it has no handler
 * for, and neither installs one for SIGTERM unless the script says `trap … TERM`: such a container
 * stops only at SIGKILL, when the grace period runs out — why deleting a busybox pod takes 30 s.
 */
function ignoresSigterm(pod: Pod, run: PodRun, c: ContainerRun, spec: Container | undefined): boolean {
  // Still running (the kubelet only kills running containers) and a process the shell runs.
  if (!spec || c.state !== 'running' || !processOf(pod, run, c, spec)) return false;
  const line = [...(spec.command ?? []), ...(spec.args ?? [])].join(' ');
  return !/\btrap\b[^;\n]*\b(TERM|SIGTERM|15)\b/.test(line);
}

/** POST_START_LIMIT_MS: how long a postStart hook that never ends is followed (it holds the container back). */
const POST_START_LIMIT_MS = 3_600_000;

/**
 * runPostStart is step 4 of the runtime manager's startContainer: the postStart hook runs right
 * after the container starts, and the container is not up until it returns. A hook that fails is a
 * FailedPostStartHook event (without its output, "so that secrets won't leak"), and the container
 * is killed, as killContainer(…, "FailedPostStartHook", …) does, then restarted per restartPolicy.
 * Returns when the hook returned.
 */
export function runPostStart(sim: Sim, pod: Pod, run: PodRun, c: ContainerRun, spec: Container, hook: NonNullable<NonNullable<Container['lifecycle']>['postStart']>, t: number): number {
  const h = runHook(pod, run, c, spec, hook, t, POST_START_LIMIT_MS);
  const files = fileStateAt(h.fs, Infinity);
  if (files.size) c.postStartFiles = [...files];
  const done = t + Math.min(h.ms, POST_START_LIMIT_MS);
  c.upAt = Math.max(c.upAt!, done);
  if (!h.failed) return done;
  event(sim, pod, 'Warning', 'FailedPostStartHook', 'PostStartHook failed', c);
  event(sim, pod, 'Normal', 'Killing', 'FailedPostStartHook', c);
  const plan = killPlan(sim, pod, run, c, done, (pod.spec.terminationGracePeriodSeconds ?? 30) * 1000);
  if (!c.exit || plan.at < c.exit.at) c.exit = plan;
  return done;
}
