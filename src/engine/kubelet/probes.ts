import type { Container, Probe } from '../api/types.ts';

/**
 * Probes, computed instead of ticked. Upstream's prober worker (pkg/kubelet/prober/worker.go) probes
 * every periodSeconds from when the pod was added; a probe is skipped until the container has run
 * initialDelaySeconds; the result flips only after successThreshold / failureThreshold consecutive
 * results (readiness and startup start as Failure, liveness as Success). A simulated container's
 * probe result is piecewise in time: failing until its process is up, passing until the image's
 * fail-after time, failing after. So instead of a timer per period per pod, we jump from one
 * interesting tick (a failure, which is an event, or the tick where a flip happens) to the next:
 * the same ticks and the same outcomes as periodic probing, at a cost independent of uptime.
 */
export type ProbeKind = 'readiness' | 'liveness' | 'startup';

/** PROBE_KINDS: the kinds in the order a container's probes are looked at. */
export const PROBE_KINDS: readonly ProbeKind[] = ['startup', 'liveness', 'readiness'];

export interface ProbeRun {
  kind: ProbeKind;
  /** tick0 and period: the worker's tick grid (ms). */
  tick0: number;
  periodMs: number;
  delayMs: number;
  success: number;
  failure: number;
  /** lastTick: the last tick accounted for. */
  lastTick: number;
  lastResult?: 'ok' | 'fail';
  run: number;
  /** output is the result the kubelet acts on (ready / alive / started). */
  output: boolean;
  onHold: boolean;
  /**
   * exec: for an exec probe beside a process the shell runs, when it passes (command.ts), worked
   * out at the container's start and kept in the state so a restored snapshot replays the same.
   */
  exec?: { okFrom: number; okUntil: number };
}

export function newProbeRun(kind: ProbeKind, p: Probe, tick0: number, now: number): ProbeRun {
  const periodMs = Math.max(1, p.periodSeconds ?? 10) * 1000;
  // The last tick before now: the next one to consider is the first at or after now.
  const k = Math.ceil((now - tick0) / periodMs);
  return {
    kind,
    tick0,
    periodMs,
    delayMs: Math.max(0, p.initialDelaySeconds ?? 0) * 1000,
    success: kind === 'readiness' ? Math.max(1, p.successThreshold ?? 1) : 1,
    failure: Math.max(1, p.failureThreshold ?? 3),
    lastTick: tick0 + (k - 1) * periodMs,
    run: 0,
    output: kind === 'liveness',
    onHold: false,
  };
}

/** Window is when a container's probe passes: [okFrom, okUntil); before okFrom and after okUntil it fails. */
export interface Window {
  /** gate: ticks before this are skipped (initialDelay, or startup probe not yet passed). */
  gate: number;
  okFrom: number;
  okUntil: number;
  /** end: the container stops (no probing at or after). */
  end: number;
}

function tickAtOrAfter(p: ProbeRun, t: number): number {
  if (t <= p.tick0) return p.tick0;
  return p.tick0 + Math.ceil((t - p.tick0) / p.periodMs) * p.periodMs;
}

function resultAt(w: Window, t: number): 'ok' | 'fail' {
  return t >= w.okFrom && t < w.okUntil ? 'ok' : 'fail';
}

/**
 * nextProbeWake is the next tick after p.lastTick at which something observable happens: a failing
 * probe (an Unhealthy event) or the success that flips the output. Infinity when nothing will.
 */
export function nextProbeWake(p: ProbeRun, w: Window): number {
  if (p.onHold) return Infinity;
  const t = tickAtOrAfter(p, Math.max(p.lastTick + 1, w.gate));
  if (t >= w.end) return Infinity;
  if (resultAt(w, t) === 'fail') return t;
  // A passing stretch [t, stretchEnd): the flip tick if output is false, else the first failing tick.
  const stretchEnd = Math.min(w.okUntil, w.end);
  if (!p.output) {
    const have = p.lastResult === 'ok' ? p.run : 0;
    const flip = t + Math.max(0, p.success - have - 1) * p.periodMs;
    if (flip < stretchEnd) return flip;
  }
  const f = tickAtOrAfter(p, stretchEnd);
  return f >= w.end || !Number.isFinite(f) ? Infinity : f;
}

export interface ProbeStep {
  at: number;
  result: 'ok' | 'fail';
  /** flipped: the output changed at this tick (to `output`). */
  flipped: boolean;
  output: boolean;
}

/**
 * advanceProbe accounts for every tick up to `until` and returns the interesting ones in order
 * (failures and flips). Passing ticks in between are counted when the next interesting tick is reached.
 */
export function advanceProbe(p: ProbeRun, w: Window, until: number): ProbeStep[] {
  const steps: ProbeStep[] = [];
  for (let guard = 0; guard < 10_000; guard++) {
    const at = nextProbeWake(p, w);
    if (at > until) return steps;
    // Ticks between lastTick and `at` were passing (or skipped).
    const first = tickAtOrAfter(p, Math.max(p.lastTick + 1, w.gate));
    if (first < at) {
      const n = Math.round((at - first) / p.periodMs);
      p.run = p.lastResult === 'ok' ? p.run + n : n;
      p.lastResult = 'ok';
    }
    const result = resultAt(w, at);
    if (p.lastResult === result) p.run++;
    else {
      p.lastResult = result;
      p.run = 1;
    }
    p.lastTick = at;
    let flipped = false;
    if (result === 'fail' && p.run >= p.failure && p.output !== false) {
      p.output = false;
      flipped = true;
    } else if (result === 'ok' && p.run >= p.success && p.output !== true) {
      p.output = true;
      flipped = true;
    }
    if (result === 'fail' && p.run >= p.failure && p.kind !== 'readiness') {
      // Liveness/startup failure: the container will be restarted; stop probing it (worker onHold).
      p.onHold = true;
      p.run = 0;
    }
    steps.push({ at, result, flipped, output: p.output });
    if (p.onHold) return steps;
  }
  return steps;
}

/**
 * probePort is the port an httpGet, tcpSocket or grpc probe connects to, a name resolved among the
 * container's ports (probe.ResolveContainerPort); undefined for an exec probe or a name it does not declare.
 */
export function probePort(probe: Probe, spec?: Container): number | undefined {
  const p: unknown = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
  if (typeof p === 'number') return p;
  if (typeof p !== 'string') return undefined;
  if (/^\d+$/.test(p)) return Number(p);
  return spec?.ports?.find((x) => x.name === p)?.containerPort;
}

/**
 * probeFailureMessage is what the prober reports for a failing probe: refused while nothing listens (the
 * process is not up, or listens elsewhere), else the unhealthy process's answer.
 */
export function probeFailureMessage(probe: Probe, podIP: string, up: boolean, spec?: Container): string {
  const port = probePort(probe, spec) ?? 80;
  if (probe.httpGet) {
    const path = probe.httpGet.path ?? '/';
    const scheme = String(probe.httpGet.scheme ?? 'HTTP').toLowerCase();
    if (!up) return `Get "${scheme}://${podIP}:${port}${path}": dial tcp ${podIP}:${port}: connect: connection refused`;
    return 'HTTP probe failed with statuscode: 500';
  }
  if (probe.tcpSocket) return `dial tcp ${podIP}:${port}: connect: connection refused`;
  if (probe.grpc) return `timeout: failed to connect service "${podIP}:${port}" within 1s`;
  if (probe.exec) return `command ${JSON.stringify((probe.exec.command ?? []).join(' '))} exited with 1`;
  return 'probe failed';
}
