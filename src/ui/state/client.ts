/**
 * The page's end of the worker protocol: starts the worker, applies its diffs to the cluster store,
 * matches results to requests, and exposes `window.kubeplay` for automation (e2e tests, the console).
 */
import { PROTOCOL_VERSION, type FromWorker, type ToWorker } from '../../worker/protocol.ts';
import { useCluster } from './cluster.ts';
import { useUi } from './ui.ts';
import { useMarkers } from '../timeline/markerStore.ts';
import { useHistory } from '../timeline/historyStore.ts'; // history

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
  }
}

type Dist<T> = T extends unknown ? Omit<T, 'v'> : never;

/** Client wraps the worker; one per page. */
export class Client {
  private worker: Worker;
  private nextId = 1;
  private waiting = new Map<number, (r: any) => void>();
  private onReady!: () => void;
  private loadWaiters: ((errors: string[]) => void)[] = [];
  readonly ready = new Promise<void>((r) => (this.onReady = r));

  constructor() {
    this.worker = new Worker(new URL('../../worker/worker.ts', import.meta.url), { type: 'module', name: 'kubeplay-engine' });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    this.worker.onerror = (e) => {
      useCluster.setState({ engineError: `The simulator stopped: ${e.message || 'worker error'}` });
    };
  }

  private send(msg: Dist<ToWorker>): void {
    this.worker.postMessage({ ...msg, v: PROTOCOL_VERSION });
  }

  private request<T>(make: (id: number) => Dist<ToWorker>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve) => {
      this.waiting.set(id, resolve);
      this.send(make(id));
    });
  }

  private receive(msg: FromWorker): void {
    if (!msg || msg.v !== PROTOCOL_VERSION) return;
    switch (msg.type) {
      case 'ready':
        return;
      case 'loaded':
        useCluster.setState({ scenario: msg.name, loadErrors: msg.errors, engineError: undefined });
        for (const w of this.loadWaiters.splice(0)) w(msg.errors);
        return;
      case 'diff': {
        useCluster.getState().applyDiff(msg.diff, msg.clock);
        if (!useCluster.getState().ready) {
          useCluster.setState({ ready: true });
          this.onReady();
        }
        return;
      }
      case 'clock':
        useCluster.setState({ clock: msg.clock });
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
          useUi.getState().addEntry({ id: -this.nextId++, line: msg.line, out: msg.out, exit: msg.exit, t: msg.t });
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
    fn?.(value);
  }

  /** load sends a scenario; resolves with its problems once the new cluster is in the store. */
  load(name: string, text: string): Promise<string[]> {
    return new Promise((resolve) => {
      this.loadWaiters.push(resolve);
      this.send({ type: 'load', name, text });
    });
  }

  play(speed?: number): void {
    this.send({ type: 'play', speed });
  }

  pause(): void {
    this.send({ type: 'pause' });
  }

  setSpeed(speed: number): void {
    this.send({ type: 'speed', speed });
  }

  step(): Promise<CommandResult> {
    return this.request((id) => ({ type: 'step', id }));
  }

  advance(ms: number): Promise<CommandResult> {
    return this.request((id) => ({ type: 'advance', id, ms }));
  }

  /** seek moves the clock to t (ms) on the session's history; resolves after the reset diff is applied. */
  seek(t: number): Promise<CommandResult> {
    return this.request((id) => ({ type: 'seek', id, t: Math.max(0, Math.round(t)) }));
  }

  /** recover reloads the latest good snapshot after an engine error. */
  recover(): Promise<CommandResult> {
    return this.request((id) => ({ type: 'recover', id }));
  }

  command(line: string): Promise<CommandResult> {
    return this.request((id) => ({ type: 'command', id, line }));
  }

  apply(text: string): Promise<CommandResult> {
    return this.request((id) => ({ type: 'apply', id, text }));
  }

  trace(podUid: string): Promise<unknown> {
    return this.request((id) => ({ type: 'trace', id, podUid }));
  }

  // completion
  /** complete asks the worker for the Tab completion of line at cursor. */
  complete(line: string, cursor: number): Promise<{ replaceFrom: number; candidates: string[] }> {
    return this.request((id) => ({ type: 'complete', id, line, cursor }));
  }
}

let client: Client | undefined;

/** getClient returns the page's Client, creating it (and the worker) on first use. */
export function getClient(): Client {
  client ??= new Client();
  return client;
}
