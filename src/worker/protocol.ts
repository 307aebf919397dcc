/**
 * The page ⇄ worker protocol, versioned. The worker owns the engine; the page sends commands and
 * receives diffs of the objects that changed since the last message (never the whole state per tick).
 *
 * Every message carries `v: PROTOCOL_VERSION`; either side drops messages of another version (a stale
 * worker from a cached bundle must not feed a newer page objects it cannot read).
 */
import type { KubeObject } from '../engine/api/types.ts';
import type { HistoryMessage } from './historyTypes.ts'; // history

/**
 * PROTOCOL_VERSION 2: Pods, Endpoints and EndpointSlices come as summaries (summary.ts), the page asks
 * for one object whole with `watch` (Diff.watched), and for Events only while it shows them (`events`).
 * 3: a traffic view's per-pod rates come packed (TrafficView.packedPods, see packPods in traffic.ts).
 */
export const PROTOCOL_VERSION = 3;
type V = typeof PROTOCOL_VERSION;

/**
 * PAGE_EVENTS: the page keeps the newest this many Events (it drops the oldest first), so a diff never
 * carries more: a 1,000-pod rollout records ~3,500 Events in one simulated second, and the page would
 * receive them only to drop 2,500.
 */
export const PAGE_EVENTS = 1000;

/** Speeds the top bar offers, in simulated seconds per wall second. */
export const SPEEDS = [0.25, 0.5, 1, 2, 5, 10, 20] as const;

export type ToWorker =
  /** load replaces the cluster with a scenario (multi-document YAML). */
  | { v: V; type: 'load'; name: string; text: string }
  /** command runs one terminal line (kubectl … / kubeplay …); answered by a `result` with the same id. */
  | { v: V; type: 'command'; id: number; line: string }
  /** apply applies a multi-document manifest as `kubectl apply -f`; answered by a `result`. */
  | { v: V; type: 'apply'; id: number; text: string }
  /** kubectlDiff shows what applying a manifest would change, as `kubectl diff -f -` (changes nothing); answered by a `result`. */
  | { v: V; type: 'kubectlDiff'; id: number; text: string }
  | { v: V; type: 'play'; speed?: number }
  | { v: V; type: 'pause' }
  | { v: V; type: 'speed'; speed: number }
  /**
   * pauseAtNotes: while on, Play stops right after a timeline step with a teaching note runs, at its
   * instant, so a teacher can explain it (the page turns it on in Presenter). v1 addition.
   */
  | { v: V; type: 'pauseAtNotes'; on: boolean }
  /** step advances to the next timer (one instant of the cluster); answered by a `result`. */
  | { v: V; type: 'step'; id: number }
  /** advance moves the clock by ms while paused (tests, "skip 10s", the "+1 s" button). */
  | { v: V; type: 'advance'; id: number; ms: number }
  /**
   * seek moves the clock to simulated time t (ms) on the session's history: back by restoring a
   * snapshot and replaying the recorded actions, forward by running (and replaying the recorded future
   * of a rewound branch). Answered by a `result` after the `diff` with `reset: true` (v1 addition).
   */
  | { v: V; type: 'seek'; id: number; t: number }
  /** recover reloads the latest snapshot after an engine error (the later history is dropped); answered by a `result` (v1 addition). */
  | { v: V; type: 'recover'; id: number }
  /**
   * watch names the one object the page shows whole (the Inspector's), or none: the next message and every
   * diff in which it changes carry it whole (Diff.watched), next to its summary (see SUMMARY_KINDS).
   */
  | { v: V; type: 'watch'; ref?: ObjectRef }
  /**
   * events tells whether the page shows Events (its Events tab or Inspector is open): while off, diffs leave
   * Events out; turning them on brings the newest PAGE_EVENTS at once (Diff.eventsReset). A new worker
   * starts with them on.
   */
  | { v: V; type: 'events'; on: boolean }
  /** trace asks for the scheduler's trace of a pod's last attempt; answered by a `trace`. */
  | { v: V; type: 'trace'; id: number; podUid: string }
  // completion
  /** complete asks for the terminal's Tab completion of line at cursor; answered by a `completion`. */
  | { v: V; type: 'complete'; id: number; line: string; cursor: number };

/** ObjectRef names one object in a diff: kind, namespace ('' for cluster-scoped) and name. */
export interface ObjectRef {
  kind: string;
  namespace: string;
  name: string;
  /** uid, when known, tells a deleted object from a new one of the same name */
  uid?: string;
}

/** Diff is what changed in the store between two messages. */
export interface Diff {
  /** simulated time (ms) the diff brings the page to */
  t: number;
  /** reset: drop everything the page holds before applying this diff (a scenario was loaded) */
  reset?: boolean;
  /** objects created or modified, each in its latest state (a summary for SUMMARY_KINDS, see summary.ts) */
  upserted: KubeObject[];
  /**
   * watched: the watched object (see `watch`) whole, as of t — in the first message after a `watch`, in a
   * reset diff, and in every diff that upserts or removes it (obj missing: it does not exist).
   */
  watched?: { ref: ObjectRef; obj?: KubeObject };
  /** eventsReset: the page drops its Events before applying this diff, which lists the newest PAGE_EVENTS (see `events`) */
  eventsReset?: boolean;
  /** objects deleted */
  removed: ObjectRef[];
  /**
   * partial: more parts of the same diff follow (same t); the page applies them all at once, when the part
   * without it arrives. A big diff (a rollout's hundreds of pods in one instant) is sent in parts so no
   * single message costs the page's thread more than a few milliseconds to receive (v1 addition; a page
   * that ignores it applies the parts one by one, reaching the same state).
   */
  partial?: boolean;
  /**
   * traffic: the routed traffic as of t, when it changed since the last message (at most once per
   * message, so at most at display rate; optional, so an older page simply ignores it)
   */
  traffic?: TrafficView;
}

/**
 * TrafficView is the compact traffic summary the page draws: rates over the last windowMs of simulated
 * time, by Service and by Pod ("namespace/name"), from the network module's per-second counts.
 */
export interface TrafficView {
  /** simulated time (ms) the rates are measured up to */
  t: number;
  /** windowMs is how much simulated time the rates average */
  windowMs: number;
  services: Record<string, ServiceTraffic>;
  pods: Record<string, PodTraffic>;
  /**
   * packedPods: `pods` as the worker posts them (v3; `pods` is then empty): a 1,000-pod rollout's view
   * has ~2,000 of them, and reading an object with 2,000 keys and 2,000 small objects held the page's
   * thread 15-40 ms a message on a busy 2-core machine. The page unpacks them on arrival (unpackPods).
   */
  packedPods?: PackedPodTraffic;
  /**
   * ingresses: what each Ingress sent each Service ("ns/name" → "ns/name" → rate), from the ingress →
   * service edges. A canary Ingress's share is under its main Ingress (ingress-nginx merges them into
   * the main one's location). Optional: an older worker leaves it out.
   */
  ingresses?: Record<string, Record<string, { rps: number; errors: number }>>;
  /**
   * fromPods: what each pod's own requests sent each Service (pod "ns/name" → service "ns/name" → rate):
   * a load generator's loop (kubectl run … -- sh -c "while …; do wget …; done"), not the Internet's.
   */
  fromPods?: Record<string, Record<string, { rps: number; errors: number }>>;
  /** samples: a few requests routed since the last view (the engine's samples), for the page to animate */
  samples?: TrafficDot[];
}

/** TrafficDot is one sampled request: the Service and pod that served it, its revision and outcome. */
export interface TrafficDot {
  /** simulated time (ms) of the request */
  t: number;
  /** service and pod as "namespace/name" */
  service: string;
  pod: string;
  revision?: string;
  /** error: answered 5xx or not at all */
  error: boolean;
}

/** ServiceTraffic is one Service's requests per second, their error share (0..1) and who served them. */
export interface ServiceTraffic {
  rps: number;
  /** errors: share of requests answered 5xx or not at all (refused, timeout) */
  errors: number;
  /** versions: the images that served the Service's requests, largest share first */
  versions: VersionShare[];
}

/** VersionShare is one image's share (0..1) of a Service's pod requests. */
export interface VersionShare {
  version: string;
  share: number;
  /** errors: share of this version's requests that failed */
  errors: number;
  /** revision: the pod-template-hash (or owner) of the pods that served most of them, for its colour */
  revision?: string;
}

/** PackedPodTraffic is a view's per-pod rates as one string of "namespace/name" keys (newline-separated) and two columns. */
export interface PackedPodTraffic {
  keys: string;
  rps: Float64Array;
  errors: Float64Array;
}

/** PodTraffic is one pod's requests per second and their error share (0..1). */
export interface PodTraffic {
  rps: number;
  errors: number;
}

/** ClockState is where the simulation stands, sent with every diff. */
export interface ClockState {
  t: number;
  playing: boolean;
  speed: number;
  /** behind: the worker hit its per-tick work cap and simulated time lags the wall clock */
  behind: boolean;
  /** start and end (ms) of the history the page can seek in; end is the furthest time reached on this branch (v1 addition) */
  start?: number;
  end?: number;
}

/**
 * TimeMarker is a tick on the scrubber: a user action (`run` / `apply`), a scenario timeline step
 * (`step`), or an important event (`event`: a rollout starting or finishing, a node failing, the first
 * FailedScheduling or CrashLoopBackOff of a workload …).
 */
export interface TimeMarker {
  /** simulated time (ms) */
  t: number;
  kind: 'run' | 'apply' | 'step' | 'event';
  /** text: the command line, or what happened */
  text: string;
  /** warning: a Warning event (drawn in the warning colour) */
  warning?: boolean;
  /** note: a timeline step's teaching note from the scenario (v1 addition) */
  note?: string;
}

export type FromWorker =
  | { v: V; type: 'ready' }
  /** loaded: the scenario's name (metadata.name) and, when it has one, its spec.title */
  | { v: V; type: 'loaded'; name: string; title?: string; t: number; errors: string[]; /** kept: the scenario was refused and the running cluster stays */ kept?: boolean }
  | { v: V; type: 'diff'; diff: Diff; clock: ClockState }
  | { v: V; type: 'clock'; clock: ClockState }
  | { v: V; type: 'result'; id: number; exit: number; out: string }
  /** log: a timeline step the scenario ran by itself at simulated time t (shown in the terminal) */
  | { v: V; type: 'log'; t: number; line: string; exit: number; out: string; note?: string }
  | { v: V; type: 'trace'; id: number; trace: unknown }
  // completion: candidates replace line.slice(replaceFrom, cursor)
  | { v: V; type: 'completion'; id: number; replaceFrom: number; candidates: string[] }
  /**
   * markers: the page keeps its first `keep` markers and appends `add` (sent only when they change;
   * `keep` is below the page's count after a load or when an action after a rewind dropped the future). v1 addition.
   */
  | { v: V; type: 'markers'; keep: number; add: TimeMarker[] }
  // history: per-second chart points (drop all on reset, those after `after` first, then append); v1 addition
  | ({ v: V; type: 'history' } & HistoryMessage)
  /** error: an engine exception, caught; the simulation pauses and the page shows the message */
  | { v: V; type: 'error'; message: string };

/** refOf builds the ObjectRef of an object. */
export function refOf(obj: KubeObject): ObjectRef {
  return { kind: obj.kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name, uid: obj.metadata.uid };
}

/** refKey is a stable string key for a ref: "Kind/namespace/name". */
export function refKey(r: ObjectRef): string {
  return `${r.kind}/${r.namespace}/${r.name}`;
}
