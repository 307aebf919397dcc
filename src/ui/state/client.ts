/**
 * The page's end of the worker protocol: starts the worker, applies its diffs to the cluster store,
 * matches results to requests, and exposes `window.kubeplay` for automation (e2e tests, the console).
 */
import { PROTOCOL_VERSION, type ClockState, type Diff, type FromWorker, type ObjectRef, type ToWorker } from '../../worker/protocol.ts';
import { useCluster } from './cluster.ts';
import { useUi } from './ui.ts';
import { afterFrame } from './afterFrame.ts';
import { unpackPods } from '../../worker/traffic.ts';
import { useMarkers } from '../timeline/markerStore.ts';
import { useHistory } from '../timeline/historyStore.ts'; // history
import { formatClock } from '../format.ts';

export interface CommandResult {
  exit: number;
  out: string;
}

/**
 * KubeplayHandle is `window.kubeplay`: what teachers script demos with from the console and what the
 * e2e tests drive. Times are simulated SECONDS, except advance (ms, as before).
 */
export interface KubeplayHandle {
  /** exec types a line of the terminal's language (kubectl …, kubeplay …) into the terminal; resolves with its exit code and output. */
  exec(command: string): Promise<CommandResult>;
  /** run is exec (the older name). */
  run(line: string): Promise<CommandResult>;
  /** apply applies a manifest text. */
  apply(text: string): Promise<CommandResult>;
  /** time is the simulated clock in seconds, as last reported by the worker. */
  time(): number;
  pause(): void;
  /** play starts the clock, at a speed (simulated seconds per second) when given. */
  play(speed?: number): void;
  /** seek moves to simulated time `seconds` on the session's history (back: restored; forward: run); resolves when drawn. */
  seek(seconds: number): Promise<CommandResult>;
  /** step jumps to the next instant with work (one reconcile step). */
  step(): Promise<CommandResult>;
  /** advance runs the clock by ms. */
  advance(ms: number): Promise<CommandResult>;
  /**
   * load replaces the cluster: with a built-in scenario by name (scenarios/NAME.yaml), or with scenario
   * YAML when the argument has a newline or starts with `apiVersion`/`kind`; resolves with its problems.
   */
  load(nameOrYaml: string): Promise<string[]>;
  /** ready resolves when the first scenario is loaded and drawn. */
  ready: Promise<void>;
}

declare global {
  interface Window {
    kubeplay: KubeplayHandle;
    /** __kubeplayEarly: the worker index.html started, with the messages and error it sent before the Client took it over */
    __kubeplayEarly?: { worker: Worker; messages: unknown[]; primed?: number; error?: string; loaded?: string };
  }
}

type Dist<T> = T extends unknown ? Omit<T, 'v'> : never;

/**
 * FLUSH_MS: queued diffs are applied at the next animation frame, or after this long when no frame comes
 * (a background tab gets none; its timers run about once a second).
 */
const FLUSH_MS = 100;

/** BUSY_MS: a worker silent this long while the page waits on it (a load, a command, play) is shown as busy. */
const BUSY_MS = 2000;

/** STOPPED: what a request still waiting gets when the worker is stopped (restart). */
const STOPPED = { exit: 1, out: 'error: the simulator was stopped\n' };

/** Client wraps the worker; one per page. */
export class Client {
  private worker: Worker;
  private nextId = 1;
  private waiting = new Map<number, (r: any) => void>();
  private onReady!: () => void;
  private loadWaiters: ((errors: string[]) => void)[] = [];
  /** lastLoadKept: the last load was refused and the running cluster stayed (its errors are in the file) */
  lastLoadKept = false;
  readonly ready = new Promise<void>((r) => (this.onReady = r));
  /** preloaded: the scenario file index.html already gave the worker it started (see earlyWorker in vite.config.ts) */
  readonly preloaded: string | undefined;
  /** messages wait here for the next animation frame (see receive and schedule) */
  private queue: FromWorker[] = [];
  private cancelFrame: (() => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /**
   * primed: the worker's first messages as index.html carried them (in order; see earlyWorker in
   * vite.config.ts), not yet matched by the worker's own. The page draws them at once; each of the
   * worker's messages equal (as JSON) to the next of them is then dropped, and at the first that differs
   * the rest are forgotten and the worker's word is taken. Compared when the worker's arrive, not made
   * JSON up front: the first diff (~56 KB) would be turned to text on the page's start-up path.
   */
  private primed: FromWorker[] = [];
  /**
   * waitingOn: what each waiting request (and load, by a negative id) asks, when it was sent, and what it
   * is answered if the worker is stopped (restart)
   */
  private waitingOn = new Map<number, { what: string; since: number; stopped?: unknown }>();
  /** heard: when the worker last posted; settings: the messages a restarted worker is told again */
  private heard = performance.now();
  private settings = new Map<string, Dist<ToWorker>>();
  private watchdog: ReturnType<typeof setInterval> | undefined;

  constructor() {
    // A build's index.html starts the worker while the page's scripts are still loading (earlyWorker in
    // vite.config.ts) and keeps what it said until now; otherwise (the dev server, tests) it starts here.
    const early = window.__kubeplayEarly;
    window.__kubeplayEarly = undefined;
    this.worker = this.wire(early?.worker);
    this.preloaded = early?.loaded;
    // No Events until something shows them (useEvents): a new worker starts with them on.
    this.setting({ type: 'events', on: false });
    if (early?.error) useCluster.setState({ engineError: `The simulator stopped: ${early.error}` });
    const messages = (early?.messages ?? []) as FromWorker[];
    const primed = Math.max(0, Math.min(early?.primed ?? 0, messages.length));
    this.primed = messages.slice(0, primed);
    for (const m of this.primed) this.receive(m);
    for (const m of messages.slice(primed)) this.fromWorker(m);
  }

  /** wire starts a worker (or takes index.html's) and listens to it. */
  private wire(early?: Worker): Worker {
    const w = early ?? new Worker(new URL('../../worker/worker.ts', import.meta.url), { type: 'module', name: 'kubeplay-engine' });
    w.onmessage = (e: MessageEvent<FromWorker>) => this.fromWorker(e.data);
    w.onerror = (e) => {
      useCluster.setState({ engineError: `The simulator stopped: ${e.message || 'worker error'}` });
    };
    return w;
  }

  /**
   * guard (every half second while the page waits on the worker: a request, a load, a playing clock)
   * tells the page when the worker has said nothing for BUSY_MS: a scenario of 30,000 pods takes ~20 s to
   * load, and the page looked as if nothing had happened. The busy notice can stop it (restart).
   */
  private guard(): void {
    this.watchdog ??= setInterval(() => {
      const oldest = this.waitingOn.values().next().value;
      const playing = useCluster.getState().clock.playing;
      if (!oldest && !playing) {
        clearInterval(this.watchdog);
        this.watchdog = undefined;
      }
      const silent = performance.now() - Math.max(this.heard, oldest?.since ?? 0);
      const after = [...this.waitingOn.values()].slice(1).map((w) => w.what);
      const busy =
        (oldest || playing) && silent >= BUSY_MS ? { what: oldest?.what ?? 'running the cluster', seconds: Math.floor(silent / 1000), ...(after.length > 0 ? { then: after } : {}) } : undefined;
      const was = useCluster.getState().busy;
      if (busy?.seconds !== was?.seconds || busy?.what !== was?.what || busy?.then?.join() !== was?.then?.join()) useCluster.setState({ busy });
    }, 500);
  }

  /**
   * restart stops the worker (it is busy, maybe for good: see guard) and starts a new one, told the page's
   * settings again; what waited on the old one is answered as stopped. The caller loads a scenario into it.
   */
  restart(): void {
    this.worker.terminate();
    this.worker = this.wire();
    this.queue = [];
    this.primed = [];
    this.heard = performance.now();
    for (const [id, fn] of this.waiting) fn(this.waitingOn.get(id)?.stopped);
    this.waiting.clear();
    this.waitingOn.clear();
    for (const w of this.loadWaiters.splice(0)) w([STOPPED.out.trim()]);
    for (const m of this.settings.values()) this.send(m);
    useCluster.setState((s) => ({ busy: undefined, clock: { ...s.clock, playing: false } }));
  }

  /** fromWorker takes a message the worker posted: dropped when index.html already carried it (primed). */
  private fromWorker(msg: FromWorker): void {
    this.heard = performance.now();
    if (this.primed.length > 0) {
      if (JSON.stringify(msg) === JSON.stringify(this.primed[0])) {
        this.primed.shift();
        return;
      }
      this.primed = [];
    }
    this.receive(msg);
  }

  private send(msg: Dist<ToWorker>): void {
    this.worker.postMessage({ ...msg, v: PROTOCOL_VERSION });
  }

  private request<T>(make: (id: number) => Dist<ToWorker>, what = 'working', stopped: unknown = STOPPED): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve) => {
      this.waiting.set(id, resolve);
      this.waitingOn.set(id, { what, since: performance.now(), stopped });
      this.guard();
      this.send(make(id));
    });
  }

  /** setting sends a message a restarted worker must be told again (the last of its kind is kept). */
  private setting(msg: Dist<ToWorker>): void {
    this.settings.set(msg.type, msg);
    this.send(msg);
  }

  /**
   * receive takes a worker message. Messages are handled once per animation frame, all that arrived since
   * the last frame in order, and the diffs among them applied as one store update: when a frame runs long
   * (a big rollout), the worker's 30 messages a second would otherwise each cost a full render of the
   * graph, one after the other, and the page would fall further behind with every one. A result, a
   * `loaded` or a trace is handled after the diffs sent before it, so it finds the cluster drawn as of when
   * it was sent (a frame later than it arrived).
   */
  private receive(msg: FromWorker): void {
    if (!msg || msg.v !== PROTOCOL_VERSION) return;
    // Chart points and timeline markers wait for the frame too, though they do not depend on the objects:
    // applied as they arrived, each was a render of the charts or the scrubber of its own, in the task that
    // received it (a 1,000-pod rollout at 5× sends a dozen a second, and some of those tasks ran 40-60 ms).
    // A traffic view's per-pod rates come packed (cheap to receive); unpacked here, as the worker made them.
    if (msg.type === 'diff' && msg.diff.traffic?.packedPods) msg = { ...msg, diff: { ...msg.diff, traffic: unpackPods(msg.diff.traffic) } };
    this.queue.push(msg);
    // The parts of one diff are applied together: the last part schedules them (the worker posts them in one go).
    if (msg.type !== 'diff' || !msg.diff.partial) this.schedule();
  }

  /**
   * schedule handles the queue right after the next animation frame (afterFrame: React's work on it is a
   * task of its own, apart from the browser's rendering of it), or after FLUSH_MS when frames stop (a
   * hidden tab).
   */
  private schedule(): void {
    if (this.cancelFrame || this.timer) return;
    this.cancelFrame = afterFrame(() => this.flush());
    this.timer = setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** flush handles the queued messages in order; consecutive diffs and clocks are one store update. */
  private flush(): void {
    this.cancelFrame?.();
    if (this.timer) clearTimeout(this.timer);
    this.cancelFrame = undefined;
    this.timer = undefined;
    const queue = this.queue;
    // A diff still missing parts waits for them: its last part schedules the next flush. (The worker posts
    // every part in one go, so a frame can fall between two parts but no other message can.)
    const last = queue[queue.length - 1];
    if (last?.type === 'diff' && last.diff.partial) return;
    this.queue = [];
    let diffs: Diff[] = [];
    let clock: ClockState | undefined;
    const apply = () => {
      if (diffs.length > 0) {
        useCluster.getState().applyDiffs(diffs, clock!);
        if (!useCluster.getState().ready) {
          useCluster.setState({ ready: true });
          this.onReady();
        }
      } else if (clock) useCluster.setState({ clock });
      diffs = [];
      clock = undefined;
    };
    for (const msg of queue) {
      if (msg.type === 'diff') {
        diffs.push(msg.diff);
        clock = msg.clock;
      } else if (msg.type === 'clock') clock = msg.clock;
      else {
        apply();
        this.handle(msg);
      }
    }
    apply();
  }

  /** handle acts on one message other than a diff or a clock. */
  private handle(msg: FromWorker): void {
    switch (msg.type) {
      case 'ready':
        return;
      case 'loaded':
        // A refused file leaves the running cluster, its name and its own load errors as they were: the
        // refusal is the caller's to show.
        if (!msg.kept) useCluster.setState({ scenario: msg.name, scenarioTitle: msg.title ?? '', loadErrors: msg.errors, engineError: undefined });
        this.lastLoadKept = !!msg.kept;
        // The worker answers loads one by one, in the order they were sent: a scenario picked while a big
        // one still loads waits its turn, and its caller must not take the first one's answer for its own.
        for (const [id] of this.waitingOn) {
          if (id >= 0) continue;
          this.waitingOn.delete(id);
          break;
        }
        this.loadWaiters.shift()?.(msg.errors);
        return;
      case 'markers':
        useMarkers.getState().apply(msg.keep, msg.add);
        return;
      case 'error':
        useCluster.setState({ engineError: msg.message });
        return;
      case 'result':
        this.resolve(msg.id, { exit: msg.exit, out: msg.out });
        return;
      case 'log':
        // A timeline step the scenario ran by itself: shown as a finished terminal entry with its time
        // (once: playing on after a rewind runs the step again, and its entry is already there).
        if (!useUi.getState().terminal.some((e) => e.t === msg.t && e.line === msg.line)) {
          useUi.getState().addEntry({ id: -this.nextId++, line: msg.line, out: msg.out, exit: msg.exit, t: msg.t, ...(msg.note ? { note: msg.note } : {}) });
        }
        return;
      case 'trace':
        this.resolve(msg.id, msg.trace);
        return;
      case 'history': // history
        useHistory.getState().apply(msg);
        return;
      // completion
      case 'completion':
        this.resolve(msg.id, { replaceFrom: msg.replaceFrom, candidates: msg.candidates });
        return;
    }
  }

  private resolve(id: number, value: unknown): void {
    const fn = this.waiting.get(id);
    this.waiting.delete(id);
    this.waitingOn.delete(id);
    fn?.(value);
  }

  /** load sends a scenario; resolves with its problems once the new cluster is in the store. */
  load(name: string, text: string): Promise<string[]> {
    return new Promise((resolve) => {
      this.loadWaiters.push(resolve);
      this.waitingOn.set(-this.nextId++, { what: `loading ${name}`, since: performance.now() });
      this.guard();
      this.send({ type: 'load', name, text });
    });
  }

  play(speed?: number): void {
    this.heard = performance.now();
    this.send({ type: 'play', speed });
    this.guard();
  }

  pause(): void {
    this.send({ type: 'pause' });
  }

  setSpeed(speed: number): void {
    this.setting({ type: 'speed', speed });
  }

  /** setPauseAtNotes: Play stops at each timeline step with a note (Presenter). */
  setPauseAtNotes(on: boolean): void {
    this.setting({ type: 'pauseAtNotes', on });
  }

  step(): Promise<CommandResult> {
    return this.request((id) => ({ type: 'step', id }), 'running the next event');
  }

  advance(ms: number): Promise<CommandResult> {
    return this.request((id) => ({ type: 'advance', id, ms }), 'running the clock');
  }

  /** seek moves the clock to t (ms) on the session's history; resolves after the reset diff is applied. */
  seek(t: number): Promise<CommandResult> {
    // The busy notice says what it waits on: 'busy working' said nothing while a seek replayed a big cluster.
    return this.request((id) => ({ type: 'seek', id, t: Math.max(0, Math.round(t)) }), `moving the clock to ${formatClock(t)}`);
  }

  /** recover reloads the latest good snapshot after an engine error. */
  recover(): Promise<CommandResult> {
    return this.request((id) => ({ type: 'recover', id }), 'reloading the last good snapshot');
  }

  command(line: string): Promise<CommandResult> {
    return this.request((id) => ({ type: 'command', id, line }), `running ${line.length > 60 ? `${line.slice(0, 57)}…` : line}`);
  }

  apply(text: string): Promise<CommandResult> {
    return this.request((id) => ({ type: 'apply', id, text }), 'applying a manifest');
  }

  /** diff runs `kubectl diff -f -` on a manifest text: what an apply would change (nothing is changed or recorded). */
  diff(text: string): Promise<CommandResult> {
    return this.request((id) => ({ type: 'kubectlDiff', id, text }));
  }

  /**
   * watch asks for one object whole (the Inspector's; the store holds summaries of SUMMARY_KINDS), or for
   * none: it arrives in useCluster's `watched`, and again with every change.
   */
  watch(ref: ObjectRef | undefined): void {
    // What the store holds was sent for the last watch: it is not kept up to date once another is named.
    useCluster.setState({ watched: undefined });
    this.setting({ type: 'watch', ref });
  }

  /** showEvents tells the worker whether the page shows Events (see useEvents). */
  showEvents(on: boolean): void {
    // Off: what the store holds stops following the cluster (useEvents shows none until they come again).
    if (!on) useCluster.setState({ eventsLive: false });
    this.setting({ type: 'events', on });
  }

  trace(podUid: string): Promise<unknown> {
    return this.request((id) => ({ type: 'trace', id, podUid }), 'tracing a pod', null);
  }

  // completion
  /** complete asks the worker for the Tab completion of line at cursor. */
  complete(line: string, cursor: number): Promise<{ replaceFrom: number; candidates: string[] }> {
    return this.request((id) => ({ type: 'complete', id, line, cursor }), 'completing a command', { replaceFrom: cursor, candidates: [] });
  }
}

let client: Client | undefined;

/** getClient returns the page's Client, creating it (and the worker) on first use. */
export function getClient(): Client {
  client ??= new Client();
  return client;
}
