/**
 * Session owns one simulated cluster for the page: it loads scenarios, moves time (play at a speed,
 * step, advance), runs terminal commands and manifests, and collects what changed in the store as
 * diffs. It is plain TypeScript (no worker APIs), so it runs in vitest; worker.ts is its thin shell.
 */
import type { Sim } from '../engine/sim.ts';
import type { KubeObject } from '../engine/api/types.ts';
import { runCommand } from '../engine/kubectl/index.ts';
import { parseScenario, startScenario, runTimelineStep, formatDiagnostic, LIMITS, APPLY_STEP_COMMAND, type TimelineStep } from '../engine/scenario/index.ts';
import type { Pod } from '../engine/api/types.ts';
import { controllerRef } from '../engine/api/podutil.ts';
import type { NetworkApi } from '../engine/network/index.ts';
import { refKey, refOf, type Diff, type ObjectRef, type TrafficView } from './protocol.ts';
import { sameView, TRAFFIC_WINDOW_MS, trafficView, type PodInfo } from './traffic.ts';

export interface CommandResult {
  exit: number;
  out: string;
}

/** LogEntry is a timeline step the scenario ran by itself, shown in the terminal as if typed. */
export interface LogEntry {
  t: number;
  line: string;
  exit: number;
  out: string;
}

export interface SessionOptions {
  /** wallNow reads a wall clock in ms (performance.now in the worker) to cap work per advance. */
  wallNow?: () => number;
  /** budgetMs is the most wall time one advance() may take before it stops and reports `behind`. */
  budgetMs?: number;
}

type Pending = { obj: KubeObject } | { removed: ObjectRef };

/**
 * Session: the engine as the page drives it. Engine exceptions are not caught here (tests see them);
 * worker.ts catches them, pauses and reports them to the page.
 */
export class Session {
  sim!: Sim;
  name = '';
  errors: string[] = [];
  /** behind is true when the last advance hit its work budget before reaching its target time. */
  behind = false;
  /** file is the loaded scenario's file name, for timeline messages */
  private file = '';
  private timeline: TimelineStep[] = [];
  private nextStep = 0;
  private pending = new Map<string, Pending>();
  private reset = false;
  private log: LogEntry[] = [];
  private unwatch: (() => void) | undefined;
  /** traffic is the last traffic view sent; trafficAt the simulated second it was computed for */
  private traffic: TrafficView | undefined;
  private trafficAt = -1;
  private readonly wallNow: () => number;
  private readonly budgetMs: number;

  constructor(opts: SessionOptions = {}) {
    this.wallNow = opts.wallNow ?? (() => 0);
    this.budgetMs = opts.budgetMs ?? Infinity;
  }

  /**
   * load replaces the cluster with the scenario in text and returns its problems (file:line: message).
   * A scenario with errors does not replace a running cluster (no lost work); the very first load
   * starts whatever the file's valid parts describe, so the page always has a cluster to show.
   */
  load(file: string, text: string): string[] {
    const parsed = parseScenario(text, file);
    const errors = parsed.errors.map(formatDiagnostic);
    if (errors.length > 0 && this.sim) {
      this.errors = errors;
      return errors;
    }
    this.unwatch?.();
    const started = startScenario(parsed);
    this.sim = started.sim;
    this.file = file;
    this.name = parsed.name;
    this.errors = [...errors, ...started.errors.map(formatDiagnostic)];
    this.timeline = parsed.errors.length > 0 ? [] : parsed.spec.timeline;
    this.nextStep = 0;
    this.pending.clear();
    this.log = [];
    this.reset = true;
    this.behind = false;
    this.traffic = undefined;
    this.trafficAt = -1;
    this.unwatch = this.sim.store.watchAll((type, obj) => {
      const key = refKey(refOf(obj));
      this.pending.set(key, type === 'DELETED' ? { removed: refOf(obj) } : { obj });
    });
    this.runDueSteps();
    return this.errors;
  }

  /** time is the simulated clock in ms. */
  time(): number {
    return this.sim.now();
  }

  /**
   * advance moves simulated time forward by ms, firing timers and timeline steps on the way. It stops
   * early (behind = true) when the wall budget is spent, so a busy cluster slows down instead of
   * freezing the tab; the next advance picks up from where this one stopped.
   */
  advance(ms: number): void {
    const sim = this.sim;
    const target = sim.now() + Math.max(0, ms);
    const start = this.wallNow();
    this.behind = false;
    for (;;) {
      const stepAt = this.timeline[this.nextStep]?.at;
      const limit = stepAt !== undefined && stepAt <= target ? stepAt : target;
      while (sim.step(limit)) {
        if (this.wallNow() - start > this.budgetMs) {
          this.behind = true;
          return;
        }
      }
      sim.runUntil(limit);
      this.runDueSteps();
      if (limit >= target) return;
    }
  }

  /** step jumps to the next instant with work (the next timer or timeline step). False when idle. */
  step(): boolean {
    const sim = this.sim;
    const timerAt = sim.nextTimerAt();
    const stepAt = this.timeline[this.nextStep]?.at;
    if (stepAt !== undefined && (timerAt === undefined || stepAt <= timerAt)) {
      sim.runUntil(stepAt);
      this.runDueSteps();
      return true;
    }
    return sim.step();
  }

  /** run executes one terminal line (kubectl …, kubeplay …) at the current instant. */
  run(line: string): CommandResult {
    const r = runCommand(this.sim, line);
    this.sim.settle();
    this.trafficAt = -1; // a curl or `traffic set` may have changed the counts within this second
    return { exit: r.exit, out: r.out };
  }

  /** apply applies a multi-document manifest text as `kubectl apply -f -` (the text on standard input). */
  apply(text: string): CommandResult {
    if (text.length > LIMITS.bytes) {
      return { exit: 1, out: `error: the manifest is ${text.length} bytes; the limit is ${LIMITS.bytes} bytes\n` };
    }
    const r = runCommand(this.sim, APPLY_STEP_COMMAND, { stdin: text });
    this.sim.settle();
    return { exit: r.exit, out: r.out };
  }

  /** trace returns the scheduler's per-node trace of a pod's last scheduling attempt. */
  trace(podUid: string): unknown {
    const sched = this.sim.services.get('scheduler') as { trace?: (uid: string) => unknown } | undefined;
    if (!sched || typeof sched.trace !== 'function') return undefined;
    return sched.trace(podUid);
  }

  /** takeLog returns (and forgets) the timeline steps run since the last call. */
  takeLog(): LogEntry[] {
    const l = this.log;
    this.log = [];
    return l;
  }

  /**
   * takeDiff returns what changed since the last call, or undefined if nothing did. After a load it
   * is a reset diff with every object. Objects are the store's own (the worker's postMessage copies them).
   */
  takeDiff(): Diff | undefined {
    const t = this.sim.now();
    const traffic = this.takeTraffic();
    if (this.reset) {
      this.reset = false;
      this.pending.clear();
      const upserted: KubeObject[] = [];
      for (const kind of this.sim.store.kinds()) upserted.push(...this.sim.store.list(kind));
      return traffic ? { t, reset: true, upserted, removed: [], traffic } : { t, reset: true, upserted, removed: [] };
    }
    if (this.pending.size === 0 && !traffic) return undefined;
    const upserted: KubeObject[] = [];
    const removed: ObjectRef[] = [];
    for (const p of this.pending.values()) {
      if ('obj' in p) upserted.push(p.obj);
      else removed.push(p.removed);
    }
    this.pending.clear();
    return traffic ? { t, upserted, removed, traffic } : { t, upserted, removed };
  }

  /**
   * trafficNow is the traffic view of the last TRAFFIC_WINDOW_MS, or undefined when the cluster has no
   * network module. The summary's buckets change once per simulated second (the traffic tick), so it is
   * computed at most once per simulated second, plus after each terminal command (a curl counts at once).
   */
  trafficNow(): TrafficView | undefined {
    const net = this.sim.services.get('network') as NetworkApi | undefined;
    if (!net || typeof net.trafficSummary !== 'function') return undefined;
    const now = this.sim.now();
    const summary = net.trafficSummary(now - TRAFFIC_WINDOW_MS);
    const store = this.sim.store;
    const podInfo = (key: string): PodInfo | undefined => {
      const slash = key.indexOf('/');
      const pod = store.get<Pod>('Pod', key.slice(0, slash), key.slice(slash + 1));
      if (!pod) return undefined;
      const cs = pod.spec?.containers ?? [];
      // The serving container: the one that declares a port (the app), else the only one.
      const c = cs.find((x) => (x.ports?.length ?? 0) > 0) ?? cs[0];
      const labels = pod.metadata.labels ?? {};
      return { image: c?.image ?? '', revision: labels['pod-template-hash'] ?? labels['rollouts-pod-template-hash'] ?? controllerRef(pod)?.name };
    };
    // Dots only for requests after the last view sent (none for the first view: that is history).
    return trafficView(summary, now, TRAFFIC_WINDOW_MS, podInfo, this.traffic?.t ?? now);
  }

  /** takeTraffic returns the traffic view when its numbers changed since the last one sent. */
  private takeTraffic(): TrafficView | undefined {
    const second = Math.floor(this.sim.now() / 1000);
    if (second === this.trafficAt) return undefined;
    this.trafficAt = second;
    const view = this.trafficNow();
    if (!view || (sameView(view, this.traffic) && !view.samples)) return undefined;
    // The first view of a cluster with no traffic at all is not worth a message.
    if (!this.traffic && Object.keys(view.services).length === 0 && Object.keys(view.pods).length === 0) return undefined;
    this.traffic = view;
    return view;
  }

  private runDueSteps(): void {
    const now = this.sim.now();
    while (this.nextStep < this.timeline.length && this.timeline[this.nextStep].at <= now) {
      const s = this.timeline[this.nextStep++];
      const r = runTimelineStep(this.sim, s, this.file, runCommand);
      this.sim.settle();
      this.log.push({ t: now, line: r.cmd, exit: r.exit, out: r.out });
    }
  }
}
