/**
 * The page's saved work: the current workspace (scenario, editor buffer, terminal history and the
 * timeline of actions) is saved to localStorage as the user works and restored on reload by
 * replaying it, exactly as a share link is replayed. Failures are shown, never swallowed.
 */
import { SHARE_VERSION } from '../../share/payload.ts';
import { useCluster } from '../state/cluster.ts';
import { useUi } from '../state/ui.ts';
import { openPayload, recorder, setReadOnly, showMessage, useShare } from '../share/pageShare.ts';
import { WorkspaceStore, type Result, type Workspace } from './storage.ts';

let store: WorkspaceStore | undefined;
let currentId: string | undefined;
let currentName: string | undefined;
let lastSaved = '';

/** workspaces is the page's WorkspaceStore over localStorage. */
export function workspaces(): WorkspaceStore {
  store ??= new WorkspaceStore(window.localStorage);
  return store;
}

/** currentWorkspaceId is the id the autosave writes to (undefined: the next save creates one). */
export function currentWorkspaceId(): string | undefined {
  return currentId;
}

/** startNewWorkspace makes the next save create a new workspace with this name (e.g. after opening a link). */
export function startNewWorkspace(name: string): void {
  currentId = undefined;
  currentName = name;
}

/**
 * beginScenario is called before the page loads another scenario of its own choosing (the library, the
 * scenario menu): the work done in this one is kept. A workspace with commands or manifests in it is
 * saved as it is, and the new scenario gets a workspace of its own (both are in the Workspaces menu);
 * one without any is reused and named after the new scenario.
 */
export function beginScenario(file: string): void {
  const name = file.replace(/\.ya?ml$/i, '');
  // A scenario of the viewer's own choosing is theirs to change, even when a read-only link came first.
  const wasReadOnly = useShare.getState().readOnly;
  if (wasReadOnly) setReadOnly(false);
  if (recorder.actions.length > 0 || recorder.future.length > 0 || wasReadOnly) {
    saveNow(true, wasReadOnly);
    startNewWorkspace(name);
  } else {
    currentName = name;
  }
}

function nameFor(): string {
  return currentName ?? recorder.name.replace(/\.ya?ml$/i, '');
}

/** saveNow writes the current workspace if anything changed since the last save. */
export function saveNow(force = false, readOnly = useShare.getState().readOnly): Result<Workspace | undefined> {
  if (useShare.getState().status === 'replaying') return { ok: true, value: undefined };
  const ui = useUi.getState();
  const body = {
    name: nameFor(),
    scenario: { name: recorder.name, text: recorder.scenario },
    editor: ui.editorText,
    history: ui.history,
    actions: recorder.actions.slice(),
    t: Math.round(useCluster.getState().clock.t),
    ...(readOnly ? { readOnly } : {}),
  };
  const sig = JSON.stringify(body);
  if (!force && sig === lastSaved) return { ok: true, value: undefined };
  const r = workspaces().save({ ...body, id: currentId });
  if (!r.ok) {
    showMessage(`Your work is not being saved: ${r.message}`);
    return r;
  }
  lastSaved = sig;
  currentId = r.value.id;
  currentName = r.value.name;
  workspaces().setCurrent(r.value.id);
  return r;
}

/** openWorkspace replays a saved workspace and restores its editor buffer and terminal history. */
export async function openWorkspace(id: string): Promise<boolean> {
  const w = workspaces().load(id);
  if (!w.ok) {
    showMessage(w.message);
    return false;
  }
  const ws = w.value;
  const ok = await openPayload({ v: SHARE_VERSION, scenario: ws.scenario.text, name: ws.scenario.name, actions: ws.actions, t: ws.t, presentation: ws.readOnly ? { readOnly: true } : {} }, 'saved workspace');
  if (!ok) return false;
  useUi.setState({ editorText: ws.editor, history: ws.history });
  currentId = ws.id;
  currentName = ws.name;
  workspaces().setCurrent(ws.id);
  lastSaved = '';
  return true;
}

/** restoreCurrent reopens the workspace the page was working in before the reload, if any. */
export async function restoreCurrent(): Promise<boolean> {
  let id: string | undefined;
  try {
    id = workspaces().current();
  } catch {
    return false;
  }
  return id ? openWorkspace(id) : false;
}

/** AUTOSAVE_MS: a change is saved this long after the last edit; the clock is saved every CLOCK_SAVE_MS. */
const AUTOSAVE_MS = 800;
const CLOCK_SAVE_MS = 5000;

/** startAutosave saves on every recorded action, editor change and history change (debounced). */
export function startAutosave(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => saveNow(), AUTOSAVE_MS);
  };
  const unsubs = [
    useShare.subscribe((s, prev) => {
      if (s.revision !== prev.revision || (prev.status === 'replaying' && s.status === 'done')) schedule();
    }),
    useUi.subscribe((s, prev) => {
      if (s.editorText !== prev.editorText || s.history !== prev.history) schedule();
    }),
  ];
  const clock = setInterval(() => saveNow(), CLOCK_SAVE_MS);
  const onHide = () => {
    if (document.visibilityState === 'hidden') saveNow();
  };
  const onPageHide = () => saveNow();
  document.addEventListener('visibilitychange', onHide);
  window.addEventListener('pagehide', onPageHide);
  return () => {
    for (const u of unsubs) u();
    if (timer) clearTimeout(timer);
    clearInterval(clock);
    document.removeEventListener('visibilitychange', onHide);
    window.removeEventListener('pagehide', onPageHide);
  };
}

/** download saves text as a file through the browser. */
export function download(filename: string, text: string, type = 'text/yaml'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
