/**
 * Session owns one simulated cluster for the page: it loads scenarios, moves time (play at a speed,
 * step, advance), runs terminal commands and manifests, and collects what changed in the store as
 * diffs. It is plain TypeScript (no worker APIs), so it runs in vitest; worker.ts is its thin shell.
 */
import type { Sim, SimSnapshot } from '../engine/sim.ts';
import type { Deployment, EventObject, KubeObject } from '../engine/api/types.ts';
import { createCluster, type ClusterOptions } from '../engine/cluster.ts';
import { isPureCommand } from '../share/pure.ts';
import { runCommand } from '../engine/kubectl/index.ts';
import { complete, type Completion } from '../engine/kubectl/complete.ts'; // completion
import { parseScenario, startScenario, runTimelineStep, formatDiagnostic, LIMITS, APPLY_STEP_COMMAND, type TimelineStep } from '../engine/scenario/index.ts';
import type { Pod } from '../engine/api/types.ts';
import { controllerRef } from '../engine/api/podutil.ts';
import type { NetworkApi } from '../engine/network/index.ts';
import { PAGE_EVENTS, refKey, refOf, type Diff, type ObjectRef, type TimeMarker, type TrafficView } from './protocol.ts';
import { newestEvents } from './chunk.ts';
import { sameView, TRAFFIC_WINDOW_MS, trafficView, type PodInfo } from './traffic.ts';
import { HistoryRecorder } from './history.ts'; // history
import { pushAll } from '../engine/arrays.ts';

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

type Pending = { obj: KubeObject } | { removed: ObjectRef };

/**
 * SNAPSHOT_EVERY_MS: the session snapshots the cluster on every 10 s boundary of simulated time, so a
 * seek replays at most ~10 s of simulation after restoring. Measured (src/worker/rewind.test.ts): the
 * default scenario's snapshot is ~75 KB of JSON (79 objects); a 1,000-pod Deployment after a rollout
 * ~12 MB (~15,000 objects, 13,800 of them Events), whose structuredClone takes ~0.2 s on a quiet core.
 * So big clusters are snapshotted less often: see SNAPSHOT_DUTY.
 */
export const SNAPSHOT_EVERY_MS = 10_000;
/**
 * SNAPSHOT_DUTY: after a snapshot that took c ms of wall time, the next waits until 20·c ms of wall
 * time have passed (boundaries reached sooner are skipped), so snapshots cost at most ~5% of the worker.
 * Where snapshots fall does not change the simulation (the live cluster is never restored from one).
 */
const SNAPSHOT_DUTY = 20;
/** MAX_SNAPSHOTS bounds the snapshots kept; past it the oldest are thinned (the one at 0 s stays). */
export const MAX_SNAPSHOTS = 90;
/**
 * MAX_SNAPSHOT_OBJECTS bounds the objects all kept snapshots hold together (~1–2 KB of heap each, so
 * ~60–120 MB): the default scenario keeps its 90 snapshots (15 minutes at 10 s, then spread out); a
 * 1,000-pod cluster with its Events (~15,000 objects) keeps 4, so a seek there may replay a minute.
 */
export const MAX_SNAPSHOT_OBJECTS = 60_000;
/** MAX_MARKERS bounds the event markers (user actions and timeline steps are always marked). */
export const MAX_MARKERS = 400;
/** REMARK_MS: the same kind of event on the same workload is marked again only after a quiet minute. */
const REMARK_MS = 60_000;
/** MARKED_REASONS are the Event reasons that earn a marker on the scrubber. */
const MARKED_REASONS = new Set(['NodeNotReady', 'FailedScheduling', 'BackOff', 'FailedCreate', 'RolloutUpdated', 'RolloutCompleted', 'RolloutPaused', 'RolloutAborted', 'AnalysisRunFailed', 'SuccessfulRescale', 'TaintManagerEviction']);

/** RecordedAction is a user action on the session's history: a terminal line or an applied manifest. */
export interface RecordedAction {
  t: number;
  kind: 'run' | 'apply';
  text: string;
}

/** Snap is one snapshot of the history: the cluster and where the timeline and actions stood. */
interface Snap {
  t: number;
  snap: SimSnapshot;
  /** nextStep: the scenario timeline steps run so far; applied: the recorded actions run so far */
  nextStep: number;
  applied: number;
  objects: number;
}

type MarkerWithKey = TimeMarker & { key: string };

/** nextBoundary is the first snapshot boundary after t. */
function nextBoundary(t: number): number {
  return (Math.floor(t / SNAPSHOT_EVERY_MS) + 1) * SNAPSHOT_EVERY_MS;
}

function revisionOf(d: Deployment): number {
  return Number(d.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0) || 0;
}

function progressingReason(d: Deployment): string | undefined {
  return d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason;
}

/** rolling: a Deployment past its first revision whose rollout has not completed. */
function rolling(d: Deployment): boolean {
  const r = progressingReason(d);
  return revisionOf(d) > 1 && r !== 'NewReplicaSetAvailable' && r !== 'ProgressDeadlineExceeded';
}

/** applySummary is an applied manifest's marker text: `kubectl apply -f -` and what it holds. */
function applySummary(text: string): string {
  const kinds = [...text.matchAll(/^kind:\s*(\S+)/gm)].map((m) => m[1]);
  const names = [...text.matchAll(/^ {2}name:\s*(\S+)/gm)].map((m) => m[1]);
  const parts = kinds.slice(0, 3).map((k, i) => `${k.toLowerCase()}${names[i] ? `/${names[i]}` : ''}`);
  return `${APPLY_STEP_COMMAND}${parts.length ? ` (${parts.join(', ')}${kinds.length > 3 ? ', …' : ''})` : ''}`;
}

/** podInfoOf is what the traffic view needs of a pod: the image its serving container runs, and its revision. */
function podInfoOf(pod: Pod): PodInfo {
  const cs = pod.spec?.containers ?? [];
  // The serving container: the one that declares a port (the app), else the only one.
  const c = cs.find((x) => (x.ports?.length ?? 0) > 0) ?? cs[0];
  const labels = pod.metadata.labels ?? {};
  return { image: c?.image ?? '', revision: labels['pod-template-hash'] ?? labels['rollouts-pod-template-hash'] ?? labels['controller-revision-hash'] ?? controllerRef(pod)?.name };
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
  private pending = new Map<string, Pending>();
  private reset = false;
  private log: LogEntry[] = [];
  private unwatch: (() => void) | undefined;
  /** traffic is the last traffic view sent; trafficAt the simulated second it was computed for */
  private traffic: TrafficView | undefined;
  private trafficAt = -1;
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
  private snaps: Snap[] = [];
  private nextSnapAt = 0;
  /** snapWallNext: the wall time (wallNow) before which no snapshot is taken (SNAPSHOT_DUTY) */
  private snapWallNext = -Infinity;
  /** end: the furthest simulated time reached on this branch (the scrubber's right end) */
  end = 0;
  /** epoch bumps whenever the cluster is replaced (load, seek back, recover): caches of the sim must start over. */
  epoch = 0;
  private markers: TimeMarker[] = [];
  private markerKeys = new Set<string>();
  private markerLast = new Map<string, number>();
  /** markersKeep: how many markers the page still holds correctly; markersSent: how many it holds */
  private markersKeep = 0;
  private markersSent = -1;
  /** deployments: each Deployment's revision and whether a rollout is under way (for markers) */
  private deployments = new Map<string, { rev: number; rolling: boolean }>();
  /** quiet > 0 while a seek replays: timeline steps are not logged to the terminal again */
  private quiet = 0;

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
      this.kept = true;
      return errors;
    }
    this.kept = false;
    this.unwatch?.();
    this.actions = [];
    this.applied = 0;
    this.snaps = [];
    this.nextSnapAt = 0;
    this.snapWallNext = -Infinity;
    this.end = 0;
    this.markers = [];
    this.markerKeys.clear();
    this.markerLast.clear();
    this.markersKeep = 0;
    this.markersSent = -1;
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
    this.pending.clear();
    this.log = [];
    this.reset = true;
    this.behind = false;
    this.traffic = undefined;
    this.trafficAt = -1;
    this.runDue();
    return this.errors;
  }

  /** attach makes sim the session's cluster and watches its store for diffs and markers. */
  private attach(sim: Sim): void {
    this.unwatch?.();
    this.sim = sim;
    this.epoch++;
    this.charts.attach(sim); // history
    this.podInfos.clear();
    this.deployments.clear();
    for (const d of sim.store.list<Deployment>('Deployment')) this.deployments.set(d.metadata.uid ?? '', { rev: revisionOf(d), rolling: rolling(d) });
    this.unwatch = sim.store.watchAll((type, obj) => {
      if (obj.kind !== 'Lease') this.visibleWrites++;
      const key = refKey(refOf(obj));
      this.pending.set(key, type === 'DELETED' ? { removed: refOf(obj) } : { obj });
      if (obj.kind === 'Pod') this.podInfos.delete(`${obj.metadata.namespace}/${obj.metadata.name}`);
      else if (obj.kind === 'Event') {
        if (type === 'ADDED') this.eventMarker(obj as EventObject);
      } else if (obj.kind === 'Deployment' && type !== 'DELETED') this.deploymentMarker(obj as Deployment);
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
      if (this.nextSnapAt < limit) limit = this.nextSnapAt;
      limit = Math.max(limit, sim.now());
      while (sim.step(limit)) {
        if (budget && this.wallNow() - start > this.budgetMs) {
          this.behind = true;
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
    const s = this.snapshotAtOrBefore(target);
    if (s && (target < now || s.t > now)) this.restoreSnap(s);
    this.quiet++;
    try {
      this.advanceTo(target, false);
    } finally {
      this.quiet--;
    }
    this.reset = true;
    this.traffic = undefined;
    this.trafficAt = -1;
  }

  /**
   * recover reloads the latest snapshot at or before now after an engine error, dropping the history
   * after it (the actions there may be what broke it). False when there is no snapshot.
   */
  recover(): boolean {
    const s = this.snapshotAtOrBefore(this.sim ? this.sim.now() : 0);
    if (!s) return false;
    this.restoreSnap(s);
    this.actions.length = s.applied;
    this.truncateAfter(s.t);
    this.reset = true;
    return true;
  }

  /** history describes the rewind history (tests, the report): snapshots kept and their sizes. */
  history(): { end: number; actions: RecordedAction[]; snapshots: { t: number; objects: number }[] } {
    return { end: this.end, actions: this.actions.slice(), snapshots: this.snaps.map((s) => ({ t: s.t, objects: s.objects })) };
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
    this.trafficAt = -1; // a curl or `traffic set` may have changed the counts within this second
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
    const t = this.sim.now();
    const traffic = this.takeTraffic();
    if (this.reset) {
      this.reset = false;
      this.pending.clear();
      let upserted: KubeObject[] = [];
      for (const kind of this.sim.store.kinds()) pushAll(upserted, this.sim.store.list(kind));
      upserted = newestEvents(upserted, PAGE_EVENTS);
      return traffic ? { t, reset: true, upserted, removed: [], traffic } : { t, reset: true, upserted, removed: [] };
    }
    if (this.pending.size === 0 && !traffic) return undefined;
    let upserted: KubeObject[] = [];
    const removed: ObjectRef[] = [];
    for (const p of this.pending.values()) {
      if ('obj' in p) upserted.push(p.obj);
      else removed.push(p.removed);
    }
    this.pending.clear();
    upserted = newestEvents(upserted, PAGE_EVENTS);
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
    const infos = this.podInfos;
    const podInfo = (key: string): PodInfo | undefined => {
      let info = infos.get(key);
      if (info !== undefined) return info ?? undefined;
      const slash = key.indexOf('/');
      const pod = store.get<Pod>('Pod', key.slice(0, slash), key.slice(slash + 1));
      info = pod ? podInfoOf(pod) : null;
      // Pods that left stay as null until their traffic ages out: bounded, as churn never stops.
      if (infos.size >= 50_000) infos.clear();
      infos.set(key, info);
      return info ?? undefined;
    };
    // Dots only for requests after the last view sent (none for the first view: that is history).
    return trafficView(summary, now, TRAFFIC_WINDOW_MS, podInfo, this.traffic?.t ?? now);
  }

  /**
   * podInfos remembers each pod's PodInfo (null: no such pod) between traffic views, forgotten when
   * the pod changes: a 1,000-pod rollout's view names ~2,000 pods about five times a wall second.
   */
  private podInfos = new Map<string, PodInfo | null>();

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
      this.trafficAt = -1;
    }
    if (now > this.end) this.end = now;
    this.maybeSnapshot();
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
        this.addMarker({ t: now, kind: 'step', text: r.cmd, ...note }, `s|${i}`);
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
    this.addMarker({ t, kind, text: kind === 'run' ? text : applySummary(text) }, `a|${this.actions.length - 1}`);
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

  private truncateAfter(t: number): void {
    this.snaps = this.snaps.filter((s) => s.t <= t);
    this.nextSnapAt = nextBoundary(this.snaps.at(-1)?.t ?? -1);
    this.end = t;
    let n = this.markers.length;
    while (n > 0 && this.markers[n - 1].t > t) n--;
    if (n < this.markers.length) {
      this.markers.length = n;
      this.markersKeep = Math.min(this.markersKeep, n);
      // The dedup keys are rebuilt from what is left (markers are few).
      this.markerKeys.clear();
      this.markerLast.clear();
      for (const m of this.markers) {
        const key = (m as MarkerWithKey).key;
        this.markerKeys.add(`${m.t}|${key}`);
        this.markerLast.set(key, m.t);
      }
    }
  }

  private snapshotAtOrBefore(t: number): Snap | undefined {
    let lo = 0;
    let hi = this.snaps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.snaps[mid].t <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? this.snaps[lo - 1] : undefined;
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
    this.nextSnapAt = nextBoundary(s.t);
    this.pending.clear();
    this.reset = true;
    this.behind = false;
    this.traffic = undefined;
    this.trafficAt = -1;
  }

  /** maybeSnapshot snapshots on each 10 s boundary (once per boundary on a branch), then thins. */
  private maybeSnapshot(): void {
    const now = this.sim.now();
    if (now < this.nextSnapAt) return;
    this.nextSnapAt = nextBoundary(now);
    const at = this.snapshotAtOrBefore(now);
    if (at && at.t === now) return;
    const wall = this.wallNow();
    // The duty cycle may skip a boundary, never the first snapshot of a history: a seek before every
    // snapshot (Home on the scrubber) would have nothing to restore and leave the clock where it is.
    if (at && wall < this.snapWallNext) return;
    const snap = this.sim.snapshot();
    this.snapWallNext = wall + SNAPSHOT_DUTY * (this.wallNow() - wall);
    const entry: Snap = { t: now, snap, nextStep: this.nextStep, applied: this.applied, objects: snap.store.objects.length };
    const i = at ? this.snaps.indexOf(at) + 1 : 0;
    this.snaps.splice(i, 0, entry);
    this.thin();
  }

  /**
   * thin drops snapshots past MAX_SNAPSHOTS or MAX_SNAPSHOT_OBJECTS: each time the one whose
   * neighbours are closest (the oldest of equals), so those kept stay evenly spread over the history
   * and no seek replays much more than end / kept. The first (0 s) and the latest are never dropped.
   */
  private thin(): void {
    let objects = 0;
    for (const s of this.snaps) objects += s.objects;
    while (this.snaps.length > 2 && (this.snaps.length > MAX_SNAPSHOTS || objects > MAX_SNAPSHOT_OBJECTS)) {
      let best = 1;
      let bestScore = Infinity;
      for (let i = 1; i < this.snaps.length - 1; i++) {
        const score = this.snaps[i + 1].t - this.snaps[i - 1].t;
        if (score < bestScore) {
          bestScore = score;
          best = i;
        }
      }
      objects -= this.snaps[best].objects;
      this.snaps.splice(best, 1);
    }
  }

  /** takeMarkers returns the marker update for the page, or undefined when nothing changed. */
  takeMarkers(): { keep: number; add: TimeMarker[] } | undefined {
    if (this.markersKeep === this.markers.length && this.markersSent === this.markers.length) return undefined;
    const keep = Math.max(0, this.markersKeep);
    const add = this.markers.slice(keep).map(({ t, kind, text, warning, note }): TimeMarker => ({ t, kind, text, ...(warning ? { warning } : {}), ...(note ? { note } : {}) }));
    this.markersKeep = this.markersSent = this.markers.length;
    return { keep, add };
  }

  /**
   * addMarker adds a marker while the clock extends the branch (replays after a rewind find theirs
   * already there: the same time and key). Event markers repeat only after REMARK_MS of quiet.
   */
  private addMarker(m: TimeMarker, key: string): void {
    const k = `${m.t}|${key}`;
    if (this.markerKeys.has(k)) return;
    if (m.kind === 'event') {
      const last = this.markerLast.get(key);
      if (last !== undefined && m.t >= last && m.t - last < REMARK_MS) return;
      if (this.markers.length >= MAX_MARKERS) return;
    }
    this.markerKeys.add(k);
    this.markerLast.set(key, m.t);
    this.markers.push(Object.assign(m, { key }) as MarkerWithKey);
  }

  private eventMarker(ev: EventObject): void {
    if (!MARKED_REASONS.has(ev.reason ?? '') || this.sim.now() < this.end) return;
    const io = ev.involvedObject;
    // Pods of one ReplicaSet share a marker: their names are "<replicaset>-<5 chars>".
    const group = io.kind === 'Pod' ? io.name.replace(/-[a-z0-9]{5}$/, '') : io.name;
    const reason = ev.reason === 'BackOff' && ev.message?.startsWith('Back-off restarting') ? 'CrashLoopBackOff' : ev.reason;
    const text = `${reason}: ${io.kind.toLowerCase()}/${io.name}${ev.message ? ` — ${ev.message.length > 120 ? `${ev.message.slice(0, 117)}…` : ev.message}` : ''}`;
    this.addMarker({ t: this.sim.now(), kind: 'event', text, ...(ev.type === 'Warning' ? { warning: true } : {}) }, `${reason}|${io.kind}|${io.namespace ?? ''}/${group}`);
  }

  /** deploymentMarker marks a Deployment's rollout starting (a new revision) and finishing (or stalling). */
  private deploymentMarker(d: Deployment): void {
    const uid = d.metadata.uid ?? '';
    const rev = revisionOf(d);
    const prev = this.deployments.get(uid);
    const now = this.sim.now();
    const name = `deployment/${d.metadata.name}`;
    const st = prev ?? { rev, rolling: false };
    if (prev && rev > prev.rev && rev > 1) {
      st.rolling = true;
      if (now >= this.end) this.addMarker({ t: now, kind: 'event', text: `Rollout started: ${name} (revision ${rev})` }, `rollout|${uid}|${rev}`);
    }
    st.rev = rev;
    const reason = progressingReason(d);
    if (st.rolling && (reason === 'NewReplicaSetAvailable' || reason === 'ProgressDeadlineExceeded')) {
      st.rolling = false;
      const done = reason === 'NewReplicaSetAvailable';
      if (now >= this.end) {
        this.addMarker({ t: now, kind: 'event', text: done ? `Rollout finished: ${name} (revision ${rev})` : `Rollout stalled: ${name} (ProgressDeadlineExceeded)`, ...(done ? {} : { warning: true }) }, `rollout-end|${uid}|${rev}`);
      }
    }
    this.deployments.set(uid, st);
  }
}
