import type { Sim } from '../sim.ts';
import type { Container, Pod, Probe } from '../api/types.ts';
import { containerBehavior } from './images.ts';
import { advanceProbe, probeFailureMessage, probePort, type ProbeKind, type Window } from './probes.ts';
import { servingContainer } from '../network/backend.ts';
import type { ContainerRun, PodRun } from './runtime.ts';
import { execProbeOutput } from './command.ts';
import { event, specOf } from './recorder.ts';
import { killPlan } from './lifecycle.ts';
import { chainAfterSidecar } from './container.ts';

/**
 * The prober's side of a pod sync (pkg/kubelet/prober: prober.go runProbe, and the kubelet acting on
 * the results): what a container's probe sees over time (probeWindow), the Unhealthy events of failed
 * probes, and what a flipped result does: Started, or a kill and restart after liveness or startup fails.
 */

/** probeWindow: when a container's probe of a kind passes, and from when it counts. */
export function probeWindow(pod: Pod, c: ContainerRun, kind: ProbeKind, spec: Container, sim: Sim, run: PodRun): Window {
  const probe = spec[`${kind}Probe`] as Probe;
  const beh = containerBehavior(sim, c.image, spec);
  const start = c.startedAt!;
  let gate = start + Math.max(0, probe.initialDelaySeconds ?? 0) * 1000;
  if (kind !== 'startup' && c.probes.startup) gate = c.startupOkAt === undefined ? Infinity : Math.max(gate, c.startupOkAt + 1);
  const failAfter = kind === 'readiness' ? beh.readinessFailAfterSeconds : kind === 'liveness' ? beh.livenessFailAfterSeconds : undefined;
  let end = c.exit?.at ?? Infinity;
  if (run.termAt !== undefined && kind !== 'readiness') end = Math.min(end, run.termAt);
  // An exec probe beside a process the shell runs: it passes while the files it checks say so.
  const exec = failAfter === undefined ? c.probes[kind]?.exec : undefined;
  if (exec) return { gate, okFrom: Math.max(exec.okFrom, start), okUntil: exec.okUntil, end };
  // A probe of a port nothing in the pod listens on is refused, however healthy the process is.
  if (!probeAnswered(pod, spec, probe, sim)) return { gate, okFrom: Infinity, okUntil: Infinity, end };
  return { gate, okFrom: c.upAt!, okUntil: failAfter === undefined ? Infinity : start + failAfter * 1000, end };
}

/**
 * probeAnswered: something in the pod listens on the port an httpGet, tcpSocket or grpc probe connects to
 * (the pod's containers share one network namespace); a named port the container does not declare never is.
 */
function probeAnswered(pod: Pod, spec: Container, probe: Probe, sim: Sim): boolean {
  if (unresolvedPortName(probe, spec)) return false;
  const port = probePort(probe, spec);
  return port === undefined || servingContainer(pod, port, sim) !== undefined;
}

/**
 * unresolvedPortName is a probe's named port that the container does not declare: ResolveContainerPort
 * then tries it as a number, and the probe errors with strconv's message.
 */
function unresolvedPortName(probe: Probe, spec: Container): string | undefined {
  const p: unknown = probe.httpGet?.port ?? probe.tcpSocket?.port;
  return typeof p === 'string' && !/^\d+$/.test(p) && probePort(probe, spec) === undefined ? p : undefined;
}

/** handleProbe applies a probe's results up to t: an Unhealthy event per failure, and the flip's effect on the container. */
export function handleProbe(sim: Sim, pod: Pod, run: PodRun, c: ContainerRun, kind: ProbeKind, t: number): void {
  const spec = specOf(pod, c)!;
  const p = c.probes[kind]!;
  const probe = spec[`${kind}Probe`] as Probe;
  const Kind = kind[0].toUpperCase() + kind.slice(1);
  for (const step of advanceProbe(p, probeWindow(pod, c, kind, spec, sim, run), t)) {
    if (step.result === 'fail') {
      const output = probe.exec?.command?.length ? execProbeOutput(pod, run, c, spec, probe.exec.command, probe.timeoutSeconds, step.at) : undefined;
      const up = step.at >= c.upAt! && probeAnswered(pod, spec, probe, sim);
      const name = unresolvedPortName(probe, spec);
      if (name !== undefined) event(sim, pod, 'Warning', 'Unhealthy', `${Kind} probe errored: strconv.Atoi: parsing ${JSON.stringify(name)}: invalid syntax`, c);
      else event(sim, pod, 'Warning', 'Unhealthy', `${Kind} probe failed: ${output ?? probeFailureMessage(probe, run.ip ?? '', up, spec)}`, c);
    }
    if (!step.flipped) continue;
    if (kind === 'startup' && step.output) {
      c.started = true;
      c.startupOkAt = step.at;
      run.dirty = true;
      if (c.sidecar) chainAfterSidecar(run, c, step.at);
    } else if (kind !== 'readiness' && !step.output) {
      // Liveness/startup failure: kill with the grace period, then restart per policy.
      event(sim, pod, 'Normal', 'Killing', `Container ${c.name} failed ${kind} probe, will be restarted`, c);
      const graceS = probe.terminationGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
      const plan = killPlan(sim, pod, run, c, step.at, graceS * 1000);
      if (!c.exit || plan.at < c.exit.at) c.exit = plan;
    }
  }
}
