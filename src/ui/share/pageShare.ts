/**
 * The page's side of share links and saved work:
 * - installShare wraps the worker client so every scenario load, command and manifest is recorded
 *   (with the simulated time it ran at) and adds `share()` to window.kubeplay;
 * - shareLink builds the link (or says it is too large, for the file download);
 * - openPayload replays a decoded link (or a saved workspace) through the same client the terminal
 *   uses, so the page reaches exactly the state replayShare computes in Node;
 * - read-only links refuse commands that would change the cluster.
 */
import { create } from 'zustand';
import { formatDiagnostic } from '../../engine/scenario/types.ts';
import { LIMITS } from '../../engine/scenario/limits.ts';
import { parseLessonScenario } from '../../engine/scenario/lessonparse.ts';
import { decodeShare, encodeShare, isShareLink, type EncodeResult } from '../../share/codec.ts';
import type { Presentation, SharePayload } from '../../share/payload.ts';
import { getClient, type Client, type CommandResult } from '../state/client.ts';
import { useCluster } from '../state/cluster.ts';
import { defaultScenario } from '../state/scenarios.ts';
import { useUi, type Tab } from '../state/ui.ts';
import { isReadOnlyCommand, ShareRecorder } from './recorder.ts';
import { isPureCommand } from '../../share/pure.ts';
import { setActiveLesson } from '../lessons/lessonStore.ts';
import { workerText } from '../lessons/strip.ts';
import { formatClock } from '../format.ts';
import { replayWatch, type ReplayedWatch } from '../terminal/run.ts';

declare module '../state/client.ts' {
  interface KubeplayHandle {
    /** share returns the share link of the current moment (the same link the Share button copies). */
    share?: () => string;
  }
}

export type ShareStatus = 'idle' | 'replaying' | 'done' | 'error';

export interface ShareUiState {
  status: ShareStatus;
  /** message is shown above the graph: why a link could not be opened, or a storage problem. */
  message?: string;
  readOnly: boolean;
  /** panel is a link's requested panel that is not one of the app's tabs (e.g. `lesson`). */
  panel?: string;
  /** revision bumps on every recorded action (the autosave listens to it). */
  revision: number;
  /** progress of a long replay (a link to a late moment, or with many actions), shown with a Cancel */
  progress?: { what: string; t: number; of: number; action: number; actions: number };
}

export const useShare = create<ShareUiState>(() => ({ status: 'idle', readOnly: false, revision: 0 }));

/** recorder is the page's one recording of the current scenario and actions. */
export const recorder = new ShareRecorder();

const TABS: readonly Tab[] = ['terminal', 'inspector', 'events', 'rollout', 'editor'];
const installed = new WeakSet<Client>();
let raw: { load: Client['load']; command: Client['command']; apply: Client['apply']; seek: Client['seek'] } | undefined;

function setStatus(status: ShareStatus, message?: string): void {
  useShare.setState({ status, message });
  document.documentElement.dataset.share = status;
}

/** installShare wraps the client's load, command and apply to record them (once per client). */
export function installShare(client: Client = getClient()): void {
  if (installed.has(client)) return;
  installed.add(client);
  const r = (raw = { load: client.load.bind(client), command: client.command.bind(client), apply: client.apply.bind(client), seek: client.seek.bind(client) });
  const def = defaultScenario();
  if (!recorder.scenario) recorder.reset(def.name, def.text);

  client.load = async (name: string, text: string) => {
    // A scenario with errors does not replace the running cluster, so the recording goes on. The page's
    // parse does not check command lines (the worker does, with kubectl): a scenario the worker refuses
    // keeps the recording and the lesson of the cluster that stays.
    const ls = parseLessonScenario(text, name);
    if (ls.errors.length > 0) return r.load(name, text);
    const errors = await r.load(name, workerText(text, name));
    if (client.lastLoadKept) return errors;
    recorder.reset(name, text);
    bump();
    setActiveLesson(name, ls.lesson);
    return errors;
  };
  client.command = async (line: string): Promise<CommandResult> => {
    if (useShare.getState().readOnly && !isReadOnlyCommand(line)) return readOnlyRefusal();
    const res = await r.command(line);
    // The worker flushes its clock before each result, so this is the time the command ran at.
    recorder.record('run', line, useCluster.getState().clock.t, isPureCommand(line));
    bump();
    return res;
  };
  // A rewind takes the later actions out of the link; playing forward over them brings them back.
  client.seek = async (t: number): Promise<CommandResult> => {
    const res = await r.seek(t);
    if (res.exit === 0) {
      recorder.seek(useCluster.getState().clock.t);
      bump();
    }
    return res;
  };
  useCluster.subscribe((s, prev) => {
    if (s.clock.t !== prev.clock.t && recorder.future.length > 0) recorder.advanceTo(s.clock.t);
  });
  client.apply = async (text: string): Promise<CommandResult> => {
    if (useShare.getState().readOnly) return readOnlyRefusal();
    const res = await r.apply(text);
    // A manifest over the size limit is refused before it runs: it is no part of the work (nor of a link to it).
    if (text.length > LIMITS.bytes) return res;
    recorder.record('apply', text, useCluster.getState().clock.t);
    bump();
    return res;
  };
  if (typeof window !== 'undefined' && window.kubeplay) window.kubeplay.share = shareUrl;
}

function bump(): void {
  useShare.setState((s) => ({ revision: s.revision + 1 }));
}

/** setReadOnly turns read-only mode on or off (the page's state, mirrored on the document as data-readonly). */
export function setReadOnly(on: boolean): void {
  useShare.setState({ readOnly: on });
  document.documentElement.dataset.readonly = on ? 'on' : 'off';
}

/** READ_ONLY_TITLE is the tooltip of a button a read-only link disables. */
export const READ_ONLY_TITLE = 'This shared link is read-only: it can be watched, stepped and rewound, not changed. Open a scenario from the Library to experiment.';

/** useMayRun is whether buttons that run a line are enabled: all of them, or in a read-only link only lines that look. */
export function useMayRun(): (line: string) => boolean {
  const readOnly = useShare((s) => s.readOnly);
  return (line) => !readOnly || isReadOnlyCommand(line);
}

function readOnlyRefusal(): CommandResult {
  return { exit: 1, out: 'error: this shared link is read-only: only commands that look (get, describe, logs, rollout status …) are allowed. Open Kubeplay without the link to experiment.\n' };
}

/** runUnrecorded runs a line without recording it (lesson checks: they only look, and must not clutter links). */
export function runUnrecorded(line: string): Promise<CommandResult> {
  return (raw?.command ?? getClient().command.bind(getClient()))(line);
}

/** currentPayload is the share payload of this moment. */
export function currentPayload(presentation: Presentation = {}): SharePayload {
  return recorder.payload(useCluster.getState().clock.t, presentation);
}

/** shareLink encodes the current moment; with ok false and tooLarge the caller offers a file. */
export function shareLink(presentation: Presentation = {}): EncodeResult & { url?: string } {
  const e = encodeShare(currentPayload(presentation));
  if (!e.ok) return e;
  const { origin, pathname, search } = window.location;
  return { ...e, url: `${origin}${pathname}${search}${e.fragment}` };
}

/** shareUrl is window.kubeplay.share(): the link, or an Error saying why there is none. */
export function shareUrl(): string {
  const l = shareLink();
  if (!l.ok) throw new Error(l.message);
  return l.url!;
}

/**
 * openPayload replays a payload in the page: load the scenario (paused), then each action at its
 * time through the worker, then run to payload.t, then apply the presentation.
 */
export async function openPayload(payload: SharePayload, what = 'share link'): Promise<boolean> {
  installShare();
  const client = getClient();
  const name = payload.name ?? 'shared.yaml';
  const parsed = parseLessonScenario(payload.scenario, name);
  if (parsed.errors.length) {
    const list = parsed.errors.slice(0, 5).map(formatDiagnostic).join('\n');
    setStatus('error', `This ${what}'s scenario has errors, so the current scenario stays:\n${list}${parsed.errors.length > 5 ? `\n… and ${parsed.errors.length - 5} more` : ''}`);
    return false;
  }
  setStatus('replaying');
  useShare.setState({ readOnly: false });
  client.pause();
  // The worker answers a load with a drawn cluster, or with an engine error (then no cluster comes).
  const watch = engineError();
  // The worker also checks what the page does not (the scenario's command lines): a refused scenario keeps the cluster.
  const refused = (errors: string[]) => (client.lastLoadKept ? `its scenario has errors, so the current scenario stays:\n${errors.slice(0, 5).join('\n')}` : undefined);
  const failed = await Promise.race([client.load(name, payload.scenario).then(refused), watch.error]);
  watch.cancel();
  if (failed) {
    setStatus('error', `This ${what} could not be replayed: ${failed}`);
    return false;
  }
  useUi.getState().clearTerminal();
  let now = 0;
  let id = -1_000_000;
  cancelled = false;
  const end = Math.max(payload.t, payload.actions.at(-1)?.t ?? 0);
  const started = performance.now();
  // Time is run in slices so a long replay shows how far it got and can be cancelled between them.
  // A watching command (rollout status, get --watch) is followed as the replay's clock moves, as the
  // terminal followed it, until it ends, the next typed command interrupts it, or the replay ends.
  let watching: ReplayedWatch | undefined;
  const runTo = async (t: number, action: number) => {
    while (now < t && !cancelled) {
      const step = Math.min(watching ? WATCH_SLICE_MS : REPLAY_SLICE_MS, t - now);
      await client.advance(step);
      now += step;
      if (watching && (await watching.poll(now))) watching = undefined;
      progress(what, now, end, action, payload.actions.length, started);
    }
  };
  for (let i = 0; i < payload.actions.length && !cancelled; i++) {
    const a = payload.actions[i];
    await runTo(a.t, i);
    if (cancelled) break;
    if (a.kind === 'run') {
      watching?.interrupt();
      watching = undefined;
    }
    const res = a.kind === 'run' ? await client.command(a.text) : await client.apply(a.text);
    const entry = id--;
    useUi.getState().addEntry({ id: entry, line: a.kind === 'run' ? a.text : 'kubectl apply -f -', out: res.out, exit: res.exit, t: a.t, at: a.t });
    if (a.kind === 'run') watching = replayWatch(entry, a.text, res, a.t);
    progress(what, now, end, i + 1, payload.actions.length, started);
  }
  await runTo(payload.t, payload.actions.length);
  if (!cancelled) watching?.resume();
  useShare.setState({ progress: undefined });
  if (cancelled) {
    // What was replayed so far is not the moment the link names: show the default scenario instead.
    const def = defaultScenario();
    await client.load(def.name, def.text);
    useUi.getState().clearTerminal();
    setStatus('error', `The replay of this ${what} was cancelled at ${formatClock(now)} of ${formatClock(end)}: the default scenario is shown instead.`);
    return false;
  }
  applyPresentation(payload.presentation);
  setStatus('done');
  return true;
}

/** REPLAY_SLICE_MS: simulated time per worker request while replaying (a progress update and a chance to cancel between). */
const REPLAY_SLICE_MS = 60_000;
/** WATCH_SLICE_MS: the replay's step while a watching command runs (it reads the status at each). */
const WATCH_SLICE_MS = 1000;
/** PROGRESS_AFTER_MS: a replay shows its progress once it has taken this long (a short one just appears). */
const PROGRESS_AFTER_MS = 700;

let cancelled = false;

/** cancelReplay stops the replay in progress at the next slice; it then shows the default scenario. */
export function cancelReplay(): void {
  cancelled = true;
}

function progress(what: string, t: number, of: number, action: number, actions: number, started: number): void {
  if (performance.now() - started < PROGRESS_AFTER_MS) return;
  useShare.setState({ progress: { what, t, of, action, actions } });
}

/** engineError watches for the next engine error the worker reports (an exception it caught). */
function engineError(): { error: Promise<string>; cancel: () => void } {
  let unsub = () => {};
  const error = new Promise<string>((resolve) => {
    unsub = useCluster.subscribe((st, prev) => {
      if (st.engineError && st.engineError !== prev.engineError) {
        unsub();
        resolve(st.engineError);
      }
    });
  });
  return { error, cancel: () => unsub() };
}

/** applyPresentation sets what a link asks for, without saving it as the viewer's own preference. */
export function applyPresentation(p: Presentation): void {
  const ui: Partial<ReturnType<typeof useUi.getState>> = {};
  if (p.theme) ui.theme = p.theme;
  if (p.presenter !== undefined) ui.presenter = p.presenter;
  if (p.view) ui.graphView = p.view;
  if (p.panel && (TABS as readonly string[]).includes(p.panel)) {
    ui.tab = p.panel as Tab;
    ui.panelCollapsed = false;
  }
  useUi.setState(ui);
  useShare.setState({ panel: p.panel && !(TABS as readonly string[]).includes(p.panel) ? p.panel : undefined });
  setReadOnly(p.readOnly === true);
  if (p.playing) getClient().play();
}

/**
 * openShareLinkFromLocation opens the page's own `#s=…` link, if any. A bad link shows its message
 * (ending with `instead`: what the page shows now) and leaves the running scenario as it is (the default
 * one on a fresh page). Returns whether the URL had a link at all.
 */
export async function openShareLinkFromLocation(hash = window.location.hash, instead = 'The default scenario is shown instead.'): Promise<boolean> {
  if (!isShareLink(hash)) return false;
  const d = decodeShare(hash);
  if (!d.ok) {
    setStatus('error', `This share link cannot be opened: ${d.message}. ${instead}`);
    return true;
  }
  await openPayload(d.payload);
  return true;
}

/** showMessage puts a message above the graph (storage problems, imports). */
/** timelineOf caches the recorded scenario's timeline (parsed once per scenario text). */
let timelineOf: { text: string; steps: { at: number; what: string }[] } | undefined;

/**
 * nextScenarioStep is the loaded scenario's next timeline step after `after` (ms): a teacher acting by hand
 * mid-scenario is told that the script goes on, and what it will do next.
 */
export function nextScenarioStep(after: number): { at: number; what: string } | undefined {
  const text = recorder.scenario;
  if (!text) return undefined;
  if (timelineOf?.text !== text) {
    const parsed = parseLessonScenario(text, recorder.name || 'scenario.yaml');
    timelineOf = { text, steps: parsed.errors.length ? [] : parsed.parsed.spec.timeline.map((s) => ({ at: s.at, what: s.run ?? 'kubectl apply -f - (a manifest)' })) };
  }
  return timelineOf.steps.find((s) => s.at > after);
}

export function showMessage(message: string | undefined): void {
  useShare.setState({ message });
}
