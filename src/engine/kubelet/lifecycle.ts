import type { Sim } from '../sim.ts';
import type { Container, Pod } from '../api/types.ts';
import { imageBehavior } from './images.ts';
import { processOf, runHook } from './command.ts';
import { fileStateAt } from './shell/proc.ts';
import { event, specOf, worded } from './recorder.ts';
import type { ContainerRun, KubeletState, PodRun } from './runtime.ts';
import { getPhase } from './status.ts';

/**
 * Stopping and starting a container the way the runtime manager does (kuberuntime_container.go):
 * killContainer with its preStop hook and grace period, and the postStart hook of startContainer;
 * and the kills a pod sync asks for: the pod's termination (killPodWithSyncResult, sidecars last, as
 * KEP-753 orders them) and a container whose image changed in the spec.
 */

/** The kubelet's message of one word (worded keeps one string per word). */
const STOPPING = (name: string) => `Stopping container ${name}`;

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

/**
 * stopSidecars is the termination order of KEP-753 (killContainersWithSyncResult with a
 * terminationOrdering): sidecars get SIGTERM only after every app container has stopped, one at a
 * time from the last-declared, each within what is left of the pod's grace period. The same
 * happens when a pod's app containers finish for good (a Job's pod): the pod is terminal, so the
 * kubelet stops its sidecars.
 */
export function stopSidecars(sim: Sim, pod: Pod, run: PodRun, t: number): void {
  let graceEnd: number;
  if (run.termAt !== undefined) {
    graceEnd = run.termAt + (pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
  } else {
    if (run.sidecarsStopAt === undefined) {
      if (!run.initDone || !run.containers.some((c) => c.sidecar && c.state === 'running')) return;
      const phase = getPhase(run, pod.spec.restartPolicy ?? 'Always');
      if (phase !== 'Succeeded' && phase !== 'Failed') return;
      run.sidecarsStopAt = t;
      for (const c of run.containers) if (c.sidecar) c.next = undefined;
    }
    graceEnd = run.sidecarsStopAt + (pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
  }
  if (run.containers.some((c) => !c.sidecar && c.state === 'running')) return;
  const sidecars = run.containers.filter((c) => c.sidecar && c.state === 'running');
  if (!sidecars.length || sidecars.some((c) => c.killAt !== undefined)) return;
  const c = sidecars[sidecars.length - 1];
  c.killAt = t;
  event(sim, pod, 'Normal', 'Killing', worded(STOPPING, c.name), c);
  const plan = killPlan(sim, pod, run, c, t, Math.max(0, graceEnd - t));
  if (!c.exit || plan.at < c.exit.at) c.exit = plan;
}

/** beginTermination: stop every running container (killPlan: preStop, SIGTERM, SIGKILL at the grace period). */
export function beginTermination(sim: Sim, pod: Pod, run: PodRun, t: number): void {
  run.termAt = t;
  run.dirty = true;
  const graceS = pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
  for (const c of run.containers) {
    c.next = undefined;
    if (c.state !== 'running' || c.sidecar) continue; // sidecars stop after the app containers (stopSidecars)
    c.killAt = t;
    event(sim, pod, 'Normal', 'Killing', worded(STOPPING, c.name), c);
    const plan = killPlan(sim, pod, run, c, t, graceS * 1000);
    if (!c.exit || plan.at < c.exit.at) c.exit = plan;
  }
}

/**
 * restartChangedContainers is computePodActions for a container whose image was changed in the pod's
 * spec (`kubectl set image pod/…`, the one update a pod allows its containers): a running one is killed
 * ("definition changed") and started again with the new image whatever the restartPolicy; one waiting to
 * start pulls the new image next, with its back-off reset (the back-off key holds the container's hash).
 */
export function restartChangedContainers(sim: Sim, st: KubeletState, pod: Pod, run: PodRun, t: number): void {
  for (const c of run.containers) {
    if (c.init && !c.sidecar) continue;
    const spec = specOf(pod, c);
    if (!spec || spec.image === c.image) continue;
    c.image = spec.image;
    run.dirty = true;
    delete st.backoff[`${run.uid}/${c.name}`];
    if (c.state === 'running') {
      if (c.killAt !== undefined) continue;
      c.killAt = t;
      c.restartChanged = true;
      event(sim, pod, 'Normal', 'Killing', `Container ${c.name} definition changed, will be restarted`, c);
      const graceS = pod.spec.terminationGracePeriodSeconds ?? 30;
      const plan = killPlan(sim, pod, run, c, t, graceS * 1000);
      if (!c.exit || plan.at < c.exit.at) c.exit = plan;
    } else if (c.state === 'waiting' && c.next && c.next.at > t && (c.next.what === 'restartCheck' || c.next.what === 'pull')) {
      c.next = { at: t, what: c.next.what };
    }
  }
}
