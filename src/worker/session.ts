/**
 * Session owns one simulated cluster for the page: it loads scenarios, moves time (play at a speed,
 * step, advance), runs terminal commands and manifests, and collects what changed in the store as
 * diffs. It is plain TypeScript (no worker APIs), so it runs in vitest; worker.ts is its thin shell.
 * Its rewind history keeps snapshots (snapshots.ts) and scrubber markers (markers.ts); what it sends
 * the page is collected by storeChanges.ts (the diffs) and trafficFeed.ts (the traffic view).
 */
import type { Sim } from '../engine/sim.ts';
import type { Deployment, EventObject, Pod } from '../engine/api/types.ts';
import { createCluster, type ClusterOptions } from '../engine/cluster.ts';
import { isPureCommand } from '../share/pure.ts';
import { runCommand } from '../engine/kubectl/index.ts';
import { complete, type Completion } from '../engine/kubectl/complete.ts'; // completion
import { parseScenario, startScenario, runTimelineStep, formatDiagnostic, LIMITS, APPLY_STEP_COMMAND, type TimelineStep } from '../engine/scenario/index.ts';
import type { Diff, TimeMarker, TrafficView } from './protocol.ts';
import { HistoryRecorder } from './history.ts'; // history
import { applySummary, ScrubberMarkers } from './markers.ts';
import { Snapshots, type Snap } from './snapshots.ts';
import { TrafficFeed } from './trafficFeed.ts';
import { StoreChanges } from './storeChanges.ts';

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
  /** note is the scenario's teaching note for the step, if it has one */
  note?: string;
}

export interface SessionOptions {
  /** wallNow reads a wall clock in ms (performance.now in the worker) to cap work per advance. */
  wallNow?: () => number;
  /** budgetMs is the most wall time one advance() may take before it stops and reports `behind`. */
  budgetMs?: number;
}

/** RecordedAction is a user action on the session's history: a terminal line or an applied manifest. */
export interface RecordedAction {
  t: number;
  kind: 'run' | 'apply';
  text: string;
}

/** STEP_LOOKAHEAD_MS: Step passes over instants that change nothing shown for at most this long. */
const STEP_LOOKAHEAD_MS = 60_000;

/**
 * Session: the engine as the page drives it. Engine exceptions are not caught here (tests see them);
 * worker.ts catches them, pauses and reports them to the page.
 */
export class Session {
  sim!: Sim;
  name = '';
  /** title is the loaded scenario's spec.title ('' when it has none) */
  title = '';
  errors: string[] = [];
  /** kept: the last load was refused (errors in the file) and the cluster that was running stays */
  kept = false;
  /** behind is true when the last advance hit its work budget before reaching its target time. */
  behind = false;
  /** carry is the fraction of a millisecond advance() has not put on the clock yet. */
  private carry = 0;
  /** file is the loaded scenario's file name, for timeline messages */
  private file = '';
  private timeline: TimelineStep[] = [];
  private nextStep = 0;
  /** changes collects the store's writes for the next diff */
  private readonly changes = new StoreChanges();
  private log: LogEntry[] = [];
  private unwatch: (() => void) | undefined;
  /** trafficFeed decides when the page gets a new traffic view */
  private readonly trafficFeed = new TrafficFeed();
  private readonly wallNow: () => number;
  private readonly budgetMs: number;
  /** charts records the per-second chart history (it follows the sim through loads and rewinds) */
  readonly charts = new HistoryRecorder(); // history
  // ---- history (rewind) ----
  /** clusterOptions rebuild an empty cluster to restore a snapshot into (fresh module caches). */
  private clusterOptions: ClusterOptions = {};
  /** actions: the user actions of this branch, in time order; applied: how many have run */
  private actions: RecordedAction[] = [];
  private applied = 0;
  private readonly snapshots: Snapshots;
  /** end: the furthest simulated time reached on this branch (the scrubber's right end) */
  end = 0;
  /** epoch bumps whenever the cluster is replaced (load, seek back, recover): caches of the sim must start over. */
  epoch = 0;
  private readonly markers = new ScrubberMarkers();
  /** quiet > 0 while a seek replays: timeline steps are not logged to the terminal again */
  private quiet = 0;

  constructor(opts: SessionOptions = {}) {
    this.wallNow = opts.wallNow ?? (() => 0);
    this.budgetMs = opts.budgetMs ?? Infinity;
    this.snapshots = new Snapshots(this.wallNow);
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
      this.kept = true;
      return errors;
    }
    this.kept = false;
    this.unwatch?.();
    this.actions = [];
    this.applied = 0;
    this.snapshots.clear();
    this.end = 0;
    this.markers.clear();
    let options: ClusterOptions = {};
    const started = startScenario(parsed, {
      createCluster: (o) => {
        options = structuredClone(o);
        // Watched from the start, so what the manifests do at 0 s (a FailedScheduling …) is marked.
        const sim = createCluster(o);
        this.attach(sim);
        return sim;
      },
    });
    this.clusterOptions = options;
    this.charts.reset(); // history
    this.file = file;
    this.name = parsed.name;
    this.title = parsed.errors.length > 0 ? '' : (parsed.spec.title ?? '');
    this.errors = [...errors, ...started.errors.map(formatDiagnostic)];
    this.timeline = parsed.errors.length > 0 ? [] : parsed.spec.timeline;
    this.nextStep = 0;
    this.changes.startOver();
    this.log = [];
    this.behind = false;
    this.trafficFeed.reset();
    this.runDue();
    return this.errors;
  }

  /** attach makes sim the session's cluster and watches its store for diffs and markers. */
  private attach(sim: Sim): void {
    this.unwatch?.();
    this.sim = sim;
    this.epoch++;
    this.charts.attach(sim); // history
    this.trafficFeed.forgetPods();
    this.markers.trackDeployments(sim.store.list<Deployment>('Deployment'));
    this.unwatch = sim.store.watchAll((type, obj) => {
      if (obj.kind !== 'Lease') this.visibleWrites++;
      this.changes.write(type, obj);
      if (obj.kind === 'Pod') {
        const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
        if (type === 'DELETED') this.trafficFeed.podDeleted(key, obj as Pod);
        else this.trafficFeed.podChanged(key);
      }
      else if (obj.kind === 'Event') {
        if (type === 'ADDED') this.markers.event(obj as EventObject, this.sim.now(), this.end);
      } else if (obj.kind === 'Deployment' && type !== 'DELETED') this.markers.deployment(obj as Deployment, this.sim.now(), this.end);
    });
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
  advance(ms: number, stopAtNotes = false): void {
    // The simulated clock counts whole milliseconds; play moves it by wall-clock fractions (33.4 ms ×
    // 0.25), so the remainder is carried to the next advance instead of being lost or put on the clock.
    this.carry += Math.max(0, ms);
    const whole = Math.floor(this.carry);
    this.carry -= whole;
    this.noteRan = false;
    this.advanceTo(this.sim.now() + whole, true, stopAtNotes);
    if (this.noteStop) this.carry = 0;
  }

  /** takeNoteStop: the last advance stopped at a timeline step's note (cleared by asking). */
  takeNoteStop(): boolean {
    const stopped = this.noteStop;
    this.noteStop = false;
    return stopped;
  }

  /** noteRan: a timeline step with a note ran in this advance; noteStop: the advance stopped there. */
  private noteRan = false;
  private noteStop = false;

  /**
   * advanceTo runs the clock to target. At each instant the order is fixed, so any way of moving time
   * (ticks of any size, step, seek) reaches the same state: the timers due, then the scenario's timeline
   * steps, then the recorded user actions of a rewound branch, then (on a 10 s boundary) a snapshot.
   * With budget, it stops early (behind = true) when the wall budget is spent, at a whole instant.
   */
  private advanceTo(target: number, budget: boolean, stopAtNotes = false): void {
    const sim = this.sim;
    const start = this.wallNow();
    this.behind = false;
    for (;;) {
      let limit = target;
      const stepAt = this.timeline[this.nextStep]?.at;
      if (stepAt !== undefined && stepAt < limit) limit = stepAt;
      const actAt = this.actions[this.applied]?.t;
      if (actAt !== undefined && actAt < limit) limit = actAt;
      if (this.snapshots.nextAt < limit) limit = this.snapshots.nextAt;
      limit = Math.max(limit, sim.now());
      while (sim.step(limit)) {
        if (budget && this.wallNow() - start > this.budgetMs) {
          // Out of budget: behind, unless the instant just run is the target (a paused clock that got
          // there stayed amber, "running slower than the chosen speed", until the next tick).
          this.behind = sim.now() < target;
          this.runDue();
          return;
        }
      }
      sim.runUntil(limit);
      this.runDue();
      if (stopAtNotes && this.noteRan) {
        // Stop at the explained step's instant: what it did shows before anything after it happens.
        this.noteStop = true;
        return;
      }
      if (limit >= target) return;
    }
  }

  /**
   * step jumps to the next instant with work (the next timer, timeline step or recorded action) and
   * does everything due then. False when idle.
   */
  step(): boolean {
    const sim = this.sim;
    const start = sim.now();
    this.lastStepQuiet = false;
    const writes = this.visibleWrites;
    const steps = this.nextStep;
    const applied = this.applied;
    let moved = false;
    // An instant where only node leases were renewed (every 10 s on a settled cluster) shows nothing: Step
    // goes on to one where something the page shows changes, or a timeline step or action runs, within a minute.
    for (;;) {
      let next = sim.nextTimerAt();
      const stepAt = this.timeline[this.nextStep]?.at;
      const actAt = this.actions[this.applied]?.t;
      for (const t of [stepAt, actAt]) if (t !== undefined && (next === undefined || t < next)) next = t;
      if (next === undefined) return moved;
      if (moved && next > start + STEP_LOOKAHEAD_MS) {
        this.lastStepQuiet = true;
        return true;
      }
      this.advanceTo(Math.max(next, sim.now()), false);
      moved = true;
      if (this.visibleWrites !== writes || this.nextStep !== steps || this.applied !== applied) return true;
    }
  }

  /** lastStepQuiet: the last step moved the clock a minute without anything the page shows changing. */
  lastStepQuiet = false;

  /** visibleWrites counts store writes the page shows (all but node Leases), for step. */
  private visibleWrites = 0;

  /**
   * seek moves the clock to t (ms). Back: restore the latest snapshot at or before t and replay the
   * recorded actions and timeline up to t (deterministic, so the state is what it was). Forward: run,
   * replaying a rewound branch's recorded future, from a later snapshot when one is closer. The page
   * gets a reset diff. The recorded future is kept until an action changes the past (see branch).
   */
  seek(t: number): void {
    const target = Math.max(0, Math.round(t));
    const now = this.sim.now();
    const s = this.snapshots.atOrBefore(target);
    if (s && (target < now || s.t > now)) this.restoreSnap(s);
    this.quiet++;
    try {
      this.advanceTo(target, false);
    } finally {
      this.quiet--;
    }
    this.changes.startOver();
    this.trafficFeed.reset();
  }

  /**
   * recover reloads the latest snapshot at or before now after an engine error, dropping the history
   * after it (the actions there may be what broke it). False when there is no snapshot.
   */
  recover(): boolean {
    const s = this.snapshots.atOrBefore(this.sim ? this.sim.now() : 0);
    if (!s) return false;
    this.restoreSnap(s);
    this.actions.length = s.applied;
    this.truncateAfter(s.t);
    this.changes.startOver();
    return true;
  }

  /** history describes the rewind history (tests, the report): snapshots kept and their sizes. */
  history(): { end: number; actions: RecordedAction[]; snapshots: { t: number; objects: number }[] } {
    return { end: this.end, actions: this.actions.slice(), snapshots: this.snapshots.list() };
  }

  /**
   * run executes one terminal line (kubectl …, kubeplay …) at the current instant. A line that changes
   * the cluster is recorded in the history (after a rewind it starts a new branch); `get`, `describe` …
   * are not, so looking at the past keeps its future.
   */
  run(line: string): CommandResult {
    const pure = isPureCommand(line);
    if (!pure) this.branch();
    const r = runCommand(this.sim, line);
    this.sim.settle();
    this.trafficFeed.recount(); // a curl or `traffic set` may have changed the counts within this second
    if (!pure) this.record('run', line);
    return { exit: r.exit, out: r.out };
  }

  /** apply applies a multi-document manifest text as `kubectl apply -f -` (the text on standard input). */
  apply(text: string): CommandResult {
    if (text.length > LIMITS.bytes) {
      return { exit: 1, out: `error: the manifest is ${text.length} bytes; the limit is ${LIMITS.bytes} bytes\n` };
    }
    this.branch();
    const r = runCommand(this.sim, APPLY_STEP_COMMAND, { stdin: text });
    this.sim.settle();
    this.record('apply', text);
    return { exit: r.exit, out: r.out };
  }

  /**
   * diff is `kubectl diff -f -` on a manifest text: dry runs only, so the future is not discarded and
   * nothing is recorded (as a pure terminal line is not).
   */
  diff(text: string): CommandResult {
    if (text.length > LIMITS.bytes) {
      return { exit: 2, out: `error: the manifest is ${text.length} bytes; the limit is ${LIMITS.bytes} bytes\n` };
    }
    const r = runCommand(this.sim, 'kubectl diff -f -', { stdin: text });
    return { exit: r.exit, out: r.out };
  }

  /** trace returns the scheduler's per-node trace of a pod's last scheduling attempt. */
  trace(podUid: string): unknown {
    const sched = this.sim.services.get('scheduler') as { trace?: (uid: string) => unknown } | undefined;
    if (!sched || typeof sched.trace !== 'function') return undefined;
    return sched.trace(podUid);
  }

  // completion
  /** complete answers the terminal's Tab at cursor in line (reads the cluster, never changes it). */
  complete(line: string, cursor: number): Completion {
    return complete(this.sim, line, cursor);
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
    return this.changes.take(this.sim, this.trafficFeed.take(this.sim));
  }

  /** trafficNow is the traffic view of the last few simulated seconds, or undefined when the cluster has no network module. */
  trafficNow(): TrafficView | undefined {
    return this.trafficFeed.view(this.sim);
  }

  /** runDue does what is due at this instant after the timers: timeline steps, recorded actions, a snapshot. */
  private runDue(): void {
    this.runDueSteps();
    const sim = this.sim;
    const now = sim.now();
    while (this.applied < this.actions.length && this.actions[this.applied].t <= now) {
      const a = this.actions[this.applied++];
      if (a.kind === 'run') runCommand(sim, a.text);
      else runCommand(sim, APPLY_STEP_COMMAND, { stdin: a.text });
      sim.settle();
      this.trafficFeed.recount();
    }
    if (now > this.end) this.end = now;
    this.snapshots.maybeSnapshot(sim, this.nextStep, this.applied);
  }

  private runDueSteps(): void {
    const now = this.sim.now();
    while (this.nextStep < this.timeline.length && this.timeline[this.nextStep].at <= now) {
      const i = this.nextStep++;
      const s = this.timeline[i];
      const r = runTimelineStep(this.sim, s, this.file, runCommand);
      this.sim.settle();
      if (s.note) this.noteRan = true;
      // A step replayed after a rewind is already in the terminal (and on the scrubber).
      if (now >= this.end) {
        const note = s.note ? { note: s.note } : {};
        if (this.quiet === 0) this.log.push({ t: now, line: r.cmd, exit: r.exit, out: r.out, ...note });
        this.markers.add({ t: now, kind: 'step', text: r.cmd, ...note }, `s|${i}`);
      }
    }
  }

  // ---- history ----

  /** record adds a user action at this instant to the branch and marks it on the scrubber. */
  private record(kind: 'run' | 'apply', text: string): void {
    const t = this.sim.now();
    this.actions.push({ t, kind, text });
    this.applied = this.actions.length;
    if (t > this.end) this.end = t;
    this.markers.add({ t, kind, text: kind === 'run' ? text : applySummary(text) }, `a|${this.actions.length - 1}`);
  }

  /**
   * branch is called before an action that changes the cluster: when the clock is behind the end of
   * the history (after a rewind), the recorded future is dropped, with its snapshots and markers.
   */
  private branch(): void {
    const now = this.sim.now();
    if (this.applied < this.actions.length) this.actions.length = this.applied;
    if (now < this.end) this.truncateAfter(now);
  }

  /** truncateAfter makes t the end of the branch: later snapshots and markers go. */
  private truncateAfter(t: number): void {
    this.snapshots.truncateAfter(t);
    this.end = t;
    this.markers.truncateAfter(t);
  }

  /**
   * restoreSnap puts the cluster back to a snapshot: a new cluster built with the scenario's options
   * (so no module keeps a cache of the other timeline) with the snapshot restored into it.
   */
  private restoreSnap(s: Snap): void {
    const sim = createCluster(structuredClone(this.clusterOptions));
    sim.restore(s.snap);
    this.attach(sim);
    this.nextStep = s.nextStep;
    this.applied = s.applied;
    this.snapshots.restored(s);
    this.changes.startOver();
    this.behind = false;
    this.trafficFeed.reset();
  }

  /** takeMarkers returns the marker update for the page, or undefined when nothing changed. */
  takeMarkers(): { keep: number; add: TimeMarker[] } | undefined {
    return this.markers.take();
  }
}
