/**
 * runLine is what pressing Enter in the terminal does: `clear` empties it; anything else is sent to the
 * worker and shown as an entry that fills in with the output when it comes back.
 */
import { getClient, type CommandResult } from '../state/client.ts';
import { useCluster } from '../state/cluster.ts';
import { useUi, type TerminalEntry } from '../state/ui.ts';
import { isPureCommand } from '../../share/pure.ts';
import type { KubeObject } from '../../engine/api/types.ts';
import { openInEditor } from '../editor/openInEditor.ts';
import { nextScenarioStep, runUnrecorded } from '../share/pageShare.ts';
import { formatClock } from '../format.ts';
import { ARGO_DEGRADED, ARGO_STATUS, ARGO_TIMED_OUT, ROLLOUT_STATUS, stillWatching, TIMED_OUT, WATCH_OFF } from '../../engine/kubectl/watching.ts';

/** EDIT matches `kubectl edit …` (or `k edit …`): the page's Editor tab is kubectl's $EDITOR. */
const EDIT = /^(?:kubectl|k)\s+edit(?:\s+(.*))?$/s;

/**
 * edit is kubectl edit in the page: the object, read whole from the worker (`kubectl get … -o json`, so
 * -n and TYPE/NAME work as in get), opens in the Editor tab, whose Apply saves it as quitting the editor
 * would. One object at a time; the terminal says where it went.
 */
async function edit(args: string): Promise<CommandResult> {
  if (!args.trim()) return { exit: 1, out: 'error: You must provide one or more resources by argument or filename.' };
  // Reading the object to edit is no command of the user's: it is not recorded (nor shared).
  const got = await runUnrecorded(`kubectl get ${args} -o json`);
  if (got.exit !== 0) return got;
  let obj: KubeObject;
  try {
    obj = JSON.parse(got.out) as KubeObject;
  } catch {
    return { exit: 1, out: 'error: could not read the object to edit' };
  }
  const items = obj.kind === 'List' ? ((obj as unknown as { items: KubeObject[] }).items ?? []) : [obj];
  if (items.length !== 1) return { exit: 1, out: `error: the Editor edits one object at a time; this names ${items.length}` };
  openInEditor(items[0]);
  return { exit: 0, out: `Editing ${items[0].kind.toLowerCase()}/${items[0].metadata.name} in the Editor tab: change it, then Apply (Ctrl+Enter) saves it, as quitting kubectl's editor would.` };
}

let seq = 0;

/** MAX_LINE bounds a terminal line (a paste of a whole file is refused rather than parsed). */
export const MAX_LINE = 10_000;

/**
 * markBranch marks the entries that ran after `at` as dropped: an action that changes the cluster after
 * a rewind starts a new branch of history (the worker's session drops the recorded future), so they
 * never happen in the cluster shown. Looking (`get`, `describe` …) keeps the future, as the session does.
 */
export function markBranch(at: number): void {
  // A timeline step (t without at) runs on every branch, but what it printed after `at` came from the
  // future just dropped: the new branch prints its own when the clock gets there.
  const later = (e: TerminalEntry) => {
    const t = e.at ?? e.t;
    return !e.dropped && t !== undefined && t > at;
  };
  if (useUi.getState().terminal.some(later)) useUi.setState((s) => ({ terminal: s.terminal.map((e) => (later(e) ? { ...e, dropped: true } : e)) }));
}

export async function runLine(raw: string): Promise<CommandResult> {
  const line = raw.trim();
  const ui = useUi.getState();
  if (line === '') return { exit: 0, out: '' };
  ui.remember(line);
  if (line === 'clear') {
    ui.clearTerminal();
    return { exit: 0, out: '' };
  }
  const id = ++seq;
  const at = useCluster.getState().clock.t;
  const editing = EDIT.exec(line);
  // Opening the Editor changes nothing (its Apply does, and marks the branch then).
  if (!isPureCommand(line) && !editing) markBranch(at);
  // A command typed while a rollout status is being watched: as with Ctrl+C in a real terminal, the watch ends.
  following?.stop();
  useUi.getState().addEntry({ id, line, out: '', exit: undefined, at });
  const result: CommandResult =
    line.length > MAX_LINE
      ? { exit: 1, out: `error: the line is ${line.length} characters; the limit is ${MAX_LINE}` }
      : editing
        ? await edit(editing[1] ?? '')
        : await getClient().command(line);
  // The engine answers a --timeout wait at once (it cannot wait for the clock): here the watch keeps it.
  const watcher = watcherFor(line, result);
  if (watcher) follow(id, new Watch(line, watcher, stripSuffix(result.out, watcher.timedOut), at));
  else useUi.getState().finishEntry(id, result.exit, result.out);
  // Acting by hand mid-scenario: the scenario's own steps still run at their times; say what comes next
  // (once: the same next step is not announced again under each command).
  if (!isPureCommand(line) && !editing && result.exit === 0) {
    const next = nextScenarioStep(at);
    if (next) addHint(id, `the scenario's timeline goes on: at ${formatClock(next.at)} it runs ${next.what}`, true);
  }
  if (result.exit !== 0 && MISSING_FILE.test(result.out)) addHint(id, NO_FILES_HINT);
  else if (result.exit !== 0 && UNREACHABLE_URL.test(result.out)) addHint(id, ARGO_INSTALL.test(line) ? ARGO_INSTALLED_HINT : NO_NETWORK_HINT);
  else if (result.exit !== 0 && NO_STDIN.test(result.out) && STDIN_FILE.test(line)) addHint(id, NO_STDIN_HINT);
  return result;
}

/** MISSING_FILE is kubectl's error for a -f it cannot read; the page's terminal has no files to read. */
const MISSING_FILE = /^error: the path "(.*)" does not exist/;
/** UNREACHABLE_URL is kubectl's error for a -f URL it cannot fetch (Kubeplay reaches no network). */
const UNREACHABLE_URL = /^error: Get "https?:\/\/[^"]*": dial tcp: /;
const NO_FILES_HINT = 'the terminal has no files: paste the manifest into the Editor tab and press Apply (Ctrl+Enter)';
/** NO_STDIN: `-f -` with nothing on standard input (the page's terminal has no pipes). */
const NO_STDIN = /^error: no objects passed to \w+/;
const STDIN_FILE = /\s(?:-f\s*|--filename[=\s])-(?:\s|$)/;
const NO_STDIN_HINT = 'the terminal has no standard input to pipe a manifest into: paste it into the Editor tab and press Apply (Ctrl+Enter), or Diff to see what it would change';
/** ARGO_INSTALL: the Argo Rollouts guides' first step, applying the controller's install.yaml from GitHub. */
const ARGO_INSTALL = /argo-rollouts\/.*install\.yaml/;
const ARGO_INSTALLED_HINT = 'the Argo Rollouts controller is already running here (kubectl argo rollouts version); paste the guide\'s manifests into the Editor tab and press Apply (Ctrl+Enter)';
const NO_NETWORK_HINT = 'Kubeplay reaches nothing outside the page: paste the manifest into the Editor tab and press Apply (Ctrl+Enter)';

/** addHint notes a hint under entry id; once, unless the last hint shown says something else. */
function addHint(id: number, hint: string, once = false): void {
  const last = useUi.getState().terminal.findLast((e) => e.hint);
  if (once && last?.hint === hint) return;
  useUi.setState((s) => ({ terminal: s.terminal.map((e) => (e.id === id ? { ...e, hint } : e)) }));
}


/** isGetWatch: the line is a `kubectl get --watch` or the plugin's get/list --watch (a table or tree, not sentences). */
export function isGetWatch(line: string): boolean {
  return GET_WATCH.test(line) || ARGO_GET_WATCH.test(line) || ARGO_LIST_WATCH.test(line);
}

/** isRolloutStatus: the line is a `kubectl rollout status`. */
export function isRolloutStatus(line: string): boolean {
  return ROLLOUT_STATUS.test(line);
}


/**
 * Watcher is how to keep watching one kind of status command: the line to poll with, whether a poll's answer
 * ends the watch (and with which exit code), and the line that says its --timeout passed.
 */
interface Watcher {
  poll: string;
  ended(r: CommandResult, now: string): number | undefined;
  timedOut: string;
  /** rows: a `get --watch`: each poll prints the table's rows that are new or changed (kubectl's watch events), until stopped */
  rows?: boolean;
  /** redraw: each poll's answer replaces the output, as the plugin's get --watch clears and redraws its tree, until stopped */
  redraw?: boolean;
}

/**
 * ARGO_GET_WATCH / ARGO_LIST_WATCH match the plugin's `get rollout … --watch` (get_rollout.go Watch:
 * the tree redrawn on every change) and `list rollouts --watch` (a row for each change).
 */
const ARGO_GET_WATCH = /^(?:kubectl|k)\s+argo\s+rollouts\s+get\s(?=.*\s(?:-w|--watch)(?:=true)?(?:\s|$))/;
const ARGO_LIST_WATCH = /^(?:kubectl|k)\s+argo\s+rollouts\s+list\s(?=.*\s(?:-w|--watch)(?:=true)?(?:\s|$))/;

/** GET_WATCH matches `kubectl get … -w|--watch` (not --watch=false); WATCH_FLAG is that flag, to poll without it. */
const GET_WATCH = /^(?:kubectl|k)\s+get\s(?=.*(?:\s)(?:-w|--watch)(?:=true)?(?:\s|$))/;
const WATCH_FLAG = /(\s)(?:-w|--watch)(?:=true)?(?=\s|$)/g;

/**
 * rowKeys reads a table as kubectl prints it: each row by its name (with -A, namespace and name), and
 * what it shows without its AGE (or a restart's "ago"), which change every second without any watch event.
 */
export function rowKeys(out: string): Map<string, { row: string; shown: string }> {
  const rows = new Map<string, { row: string; shown: string }>();
  let age = -1;
  let keyCells = 1;
  for (const line of out.split('\n')) {
    if (!line.trim()) continue;
    const cells = line.trim().split(/\s{2,}/);
    if (cells[0] === 'NAME' || cells[0] === 'NAMESPACE') {
      age = cells.indexOf('AGE');
      keyCells = cells[0] === 'NAMESPACE' ? 2 : 1;
      continue;
    }
    const key = cells.slice(0, keyCells).join('/');
    // RESTARTS' "(20s ago)" ages with the clock too.
    rows.set(key, { row: line, shown: cells.filter((_, i) => i !== age).join('  ').replace(/ \(\S+ ago\)/g, '') });
  }
  return rows;
}

/** watcherFor: the watch kubectl (or the Argo plugin) would go on with, for an unfinished status command not run with --watch=false. */
function watcherFor(line: string, r: CommandResult): Watcher | undefined {
  // kubectl get --watch lists, then prints a row each time an object changes, until Ctrl+C.
  const unwatched = () => line.replace(WATCH_FLAG, '$1').replace(/\s+/g, ' ').trim();
  if ((GET_WATCH.test(line) || ARGO_LIST_WATCH.test(line)) && r.exit === 0) return { poll: unwatched(), ended: () => undefined, timedOut: '', rows: true };
  // The tree goes on being redrawn until Ctrl+C; a rollout deleted meanwhile ends it with the plugin's error.
  if (ARGO_GET_WATCH.test(line) && r.exit === 0) return { poll: unwatched(), ended: (res) => (res.exit !== 0 ? res.exit : undefined), timedOut: '', redraw: true };
  if (WATCH_OFF.test(line) || r.exit === 0) return undefined;
  if (ROLLOUT_STATUS.test(line) && r.out.startsWith('Waiting for ')) {
    return { poll: `${line} --watch=false`, ended: (res, now) => (res.exit !== 0 || !now.startsWith('Waiting for ') ? (res.exit === 0 ? 0 : 1) : undefined), timedOut: TIMED_OUT };
  }
  if (ARGO_STATUS.test(line) && !r.out.includes(ARGO_DEGRADED)) {
    // Polled without its --timeout (the terminal keeps time): Healthy exits 0, Degraded with its error.
    return { poll: line.replace(TIMEOUT, ' ').trim(), ended: (res, now) => (res.exit === 0 ? 0 : now.includes(ARGO_DEGRADED) ? 1 : undefined), timedOut: ARGO_TIMED_OUT };
  }
  return undefined;
}

/**
 * cutShort: a status command that would have gone on watching but could not (a scenario's timeline step
 * runs once): kubectl waiting, not a failure.
 */
export function cutShort(e: { line: string; exit: number | undefined; out: string }): boolean {
  return e.exit !== undefined && stillWatching(e.line, { exit: e.exit, out: e.out });
}

const stripSuffix = (s: string, suffix: string) => (suffix && s.endsWith(suffix) ? s.slice(0, -suffix.length) : s);

/** TIMEOUT is rollout status' --timeout (a Go duration: 90s, 5m, 1h30m); 0 or none: no limit. */
const TIMEOUT = /(?:^|\s)--timeout[= ](\S+)/;

function timeoutMs(line: string): number {
  const m = TIMEOUT.exec(line);
  if (!m) return Infinity;
  let ms = 0;
  for (const [, n, unit] of m[1].matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) ms += Number(n) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
  return ms > 0 ? ms : Infinity;
}


/** following: the rollout status being watched, and how to end the watch (with the exit code the entry ends with). */
let following: { id: number; stop(): void } | undefined;

/**
 * Watch is one watching command's output so far: each poll's answer adds what kubectl would print (a new
 * status line, or a `get --watch`'s new and changed rows) and says whether the watch ended, with its exit.
 */
class Watch {
  out: string;
  private last: string | undefined;
  private readonly seen: Map<string, { row: string; shown: string }> | undefined;
  /** deadline: --timeout's end on the simulated clock (kubectl gives up when that much time passed) */
  readonly deadline: number;

  constructor(
    line: string,
    readonly watcher: Watcher,
    first: string,
    started: number,
  ) {
    this.out = first;
    this.last = first.trimEnd().split('\n').pop();
    this.seen = watcher.rows ? rowKeys(first) : undefined;
    this.deadline = started + timeoutMs(line);
  }

  /** absorb takes one poll's answer at clock t: the exit code when the watch ends, else undefined. */
  absorb(r: CommandResult, t: number): number | undefined {
    if (this.watcher.redraw) {
      this.out = r.out;
      return this.watcher.ended(r, r.out);
    }
    if (this.seen) {
      // A row per change, as kubectl prints a watch event: new objects and changed ones (not AGE alone).
      for (const [key, v] of rowKeys(r.out)) {
        if (this.seen.get(key)?.shown === v.shown) continue;
        this.seen.set(key, v);
        this.out += v.row + '\n';
      }
      return undefined;
    }
    const now = r.out.trimEnd();
    // A new status line is printed; an ending error comes after it.
    const [status, ...rest] = now.split('\n');
    if (status !== this.last && status !== '') {
      this.last = status;
      this.out += status + '\n';
    }
    const ended = this.watcher.ended(r, now);
    if (ended !== undefined) {
      if (rest.length) this.out += rest.join('\n') + '\n';
      return ended;
    }
    if (t >= this.deadline) {
      this.out += this.watcher.timedOut;
      return 1;
    }
    return undefined;
  }
}

/**
 * follow keeps a `kubectl rollout status` (or `kubectl argo rollouts status`) entry running, as they keep
 * watching: each time the clock moves the status is read again (the watcher's poll, one request at a time)
 * and a line that differs from the last is added, until "successfully rolled out" or Healthy (exit 0) or an
 * error (exit 1), such as a progress deadline exceeded or a Degraded rollout. Moving the clock back, loading
 * a scenario or typing another command ends the watch.
 */
function follow(id: number, w: Watch): void {
  let t = useCluster.getState().clock.t;
  let busy = false;
  let again = false;
  useUi.getState().updateEntry(id, w.out);
  const check = async (): Promise<void> => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        // The watch's polls are not commands the user typed: a share link or reload does not replay them.
        const r = await runUnrecorded(w.watcher.poll);
        if (following?.id !== id) return;
        const ended = w.absorb(r, t);
        useUi.getState().updateEntry(id, w.out);
        if (ended !== undefined) return stop(ended);
      } while (again);
    } finally {
      busy = false;
    }
  };
  const unsubscribe = useCluster.subscribe((s) => {
    if (s.clock.t === t) return;
    if (s.clock.t < t) return interrupt(); // rewound: the watch belonged to the other moment
    t = s.clock.t;
    void check();
  });
  const stop = (exit: number) => {
    if (following?.id !== id) return;
    following = undefined;
    unsubscribe();
    useUi.getState().finishEntry(id, exit, w.out);
  };
  // Ended from outside (another command, a rewind): as Ctrl+C ends kubectl's watch in a terminal.
  const interrupt = () => {
    w.out += '^C\n';
    stop(0);
  };
  following?.stop();
  following = { id, stop: interrupt };
}

/** ReplayedWatch is a watching command of a share link or saved workspace, followed while it is replayed. */
export interface ReplayedWatch {
  /** poll reads the status at clock t; true when the watch ended (its entry is finished) */
  poll(t: number): Promise<boolean>;
  /** interrupt ends it as the next typed command did: ^C */
  interrupt(): void;
  /** resume goes on watching live: the replay ended while the original was still watching */
  resume(): void;
}

/**
 * replayWatch follows, during a replay, the watch a command started at clock t (undefined when it does not
 * watch; its entry id is then the caller's to finish). The replay polls it as its clock moves (in steps of
 * a second while a watch runs), so the lines it prints are those of the moments the replay passes, read
 * from the replayed cluster: nothing of a watch's output is taken from the link.
 */
export function replayWatch(id: number, line: string, result: CommandResult, t: number): ReplayedWatch | undefined {
  const watcher = watcherFor(line, result);
  if (!watcher) return undefined;
  const w = new Watch(line, watcher, stripSuffix(result.out, watcher.timedOut), t);
  // The entry runs again (the replay added it finished, with the command's first answer).
  useUi.setState((s) => ({ terminal: s.terminal.map((e) => (e.id === id ? { ...e, out: w.out, exit: undefined } : e)) }));
  return {
    async poll(at) {
      const ended = w.absorb(await runUnrecorded(watcher.poll), at);
      if (ended === undefined) useUi.getState().updateEntry(id, w.out);
      else useUi.getState().finishEntry(id, ended, w.out);
      return ended !== undefined;
    },
    interrupt() {
      useUi.getState().finishEntry(id, 0, `${w.out}^C\n`);
    },
    resume() {
      follow(id, w);
    },
  };
}

/** interruptWatch is Ctrl+C in the terminal: a running watch ends with ^C (false when none runs). */
export function interruptWatch(): boolean {
  if (!following) return false;
  following.stop();
  return true;
}

/**
 * splitWarnings separates the API server's warnings kubectl prints first (`Warning: …` lines, sentences
 * that wrap) from the output after them (tables, which keep their columns).
 */
export function splitWarnings(out: string): [warnings: string, rest: string] {
  if (!out.startsWith('Warning: ')) return ['', out];
  const lines = out.split('\n');
  let i = 0;
  while (i < lines.length && lines[i].startsWith('Warning: ')) i++;
  return [lines.slice(0, i).join('\n'), lines.slice(i).join('\n')];
}
