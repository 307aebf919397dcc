/**
 * WorkspaceStore keeps named workspaces in localStorage: the scenario, the editor buffer, the
 * terminal history and the timeline of actions, so a reload (or a crash) loses nothing. Several
 * workspaces can be kept, renamed, duplicated and deleted. Every write returns a result: a full
 * quota, disabled storage or a corrupt entry is reported with a message, never swallowed.
 *
 * Layout (one key per workspace, so saving one never rewrites the others):
 *   kubeplay.ws.index      [{id, name, updatedAt, bytes}]  — the list, newest first
 *   kubeplay.ws.<id>       the Workspace JSON
 *   kubeplay.ws.current    the id of the workspace the page is working in
 */
import type { ShareAction } from '../../share/payload.ts';

export const WORKSPACE_VERSION = 1;

export interface Workspace {
  v: typeof WORKSPACE_VERSION;
  id: string;
  name: string;
  /** updatedAt is wall-clock ms (the page's Date.now), for "saved 2 min ago". */
  updatedAt: number;
  /** scenario is the loaded scenario's file name and text. */
  scenario: { name: string; text: string };
  /** editor is the Editor tab's buffer. */
  editor: string;
  /** history is the terminal's typed lines, oldest first. */
  history: string[];
  /** actions are the user's actions with their simulated times (the share link's timeline). */
  actions: ShareAction[];
  /** t is the simulated time when saved. */
  t: number;
  /** readOnly: the workspace was opened from a read-only link, and a reload keeps it read-only. */
  readOnly?: boolean;
}

export interface WorkspaceMeta {
  id: string;
  name: string;
  updatedAt: number;
  bytes: number;
}

export type Result<T = void> = { ok: true; value: T } | { ok: false; message: string };

const PREFIX = 'kubeplay.ws.';
const INDEX = `${PREFIX}index`;
const CURRENT = `${PREFIX}current`;
/** MAX_NAME: a workspace name is at most 80 characters. */
export const MAX_NAME = 80;
/** MAX_WORKSPACES: the list is kept to 100 (localStorage holds ~5 MB per origin anyway). */
export const MAX_WORKSPACES = 100;

/** StorageLike is the part of the Web Storage API used (tests pass a fake with a quota). */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function describeError(e: unknown, what: string, bytes?: number): string {
  const err = e as { name?: string; code?: number; message?: string };
  // QuotaExceededError is code 22 (Chrome, Safari) or NS_ERROR_DOM_QUOTA_REACHED / 1014 (Firefox).
  if (err?.name === 'QuotaExceededError' || err?.name === 'NS_ERROR_DOM_QUOTA_REACHED' || err?.code === 22 || err?.code === 1014) {
    const size = bytes !== undefined ? ` (${Math.ceil(bytes / 1024)} KB)` : '';
    return `browser storage is full: ${what}${size} was not saved. Delete or export workspaces you no longer need (browsers allow about 5 MB per site)`;
  }
  if (err?.name === 'SecurityError') return `browser storage is disabled for this site (private mode or settings): ${what} was not saved`;
  return `${what} was not saved: ${err?.message ?? String(e)}`;
}

/** newId makes a short id from wall time and a counter (ids only need to be unique in one browser). */
let counter = 0;
function newId(now: number): string {
  return `${now.toString(36)}${(counter++ % 1296).toString(36).padStart(2, '0')}`;
}

export class WorkspaceStore {
  constructor(
    private readonly storage: StorageLike,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** list returns the workspaces, most recently saved first. A corrupt index reads as empty (and says so). */
  list(): Result<WorkspaceMeta[]> {
    try {
      const raw = this.storage.getItem(INDEX);
      if (raw === null) return { ok: true, value: [] };
      const v = JSON.parse(raw) as unknown;
      if (!Array.isArray(v)) return { ok: false, message: 'the list of saved workspaces is damaged; saving a workspace rebuilds it' };
      const metas = v.filter((m): m is WorkspaceMeta => typeof m?.id === 'string' && typeof m?.name === 'string' && typeof m?.updatedAt === 'number');
      return { ok: true, value: metas.sort((a, b) => b.updatedAt - a.updatedAt) };
    } catch (e) {
      return { ok: false, message: `the saved workspaces cannot be read: ${(e as Error).message}` };
    }
  }

  /** load reads one workspace. */
  load(id: string): Result<Workspace> {
    try {
      const raw = this.storage.getItem(PREFIX + id);
      if (raw === null) return { ok: false, message: `no saved workspace with id "${id}"` };
      const w = JSON.parse(raw) as Workspace;
      if (w?.v !== WORKSPACE_VERSION || typeof w.scenario?.text !== 'string') return { ok: false, message: `the saved workspace "${String(w?.name ?? id)}" is damaged or from a newer Kubeplay` };
      return { ok: true, value: { ...w, editor: typeof w.editor === 'string' ? w.editor : '', history: Array.isArray(w.history) ? w.history : [], actions: Array.isArray(w.actions) ? w.actions : [], readOnly: w.readOnly === true } };
    } catch (e) {
      return { ok: false, message: `the saved workspace "${id}" cannot be read: ${(e as Error).message}` };
    }
  }

  /** save writes a workspace (creating it when it has no id) and makes it the most recent. */
  save(w: Omit<Workspace, 'v' | 'id' | 'updatedAt'> & { id?: string }): Result<Workspace> {
    const name = w.name.trim().slice(0, MAX_NAME) || 'Untitled';
    const list = this.list();
    const metas = list.ok ? list.value : [];
    if (!w.id && metas.length >= MAX_WORKSPACES) return { ok: false, message: `there are ${metas.length} saved workspaces, the limit; delete some first` };
    const full: Workspace = { ...w, v: WORKSPACE_VERSION, id: w.id ?? newId(this.now()), name, updatedAt: this.now() };
    const json = JSON.stringify(full);
    try {
      this.storage.setItem(PREFIX + full.id, json);
    } catch (e) {
      return { ok: false, message: describeError(e, `the workspace "${name}"`, json.length * 2) };
    }
    const meta: WorkspaceMeta = { id: full.id, name, updatedAt: full.updatedAt, bytes: json.length * 2 };
    const r = this.writeIndex([meta, ...metas.filter((m) => m.id !== full.id)]);
    return r.ok ? { ok: true, value: full } : r;
  }

  rename(id: string, name: string): Result<Workspace> {
    const w = this.load(id);
    if (!w.ok) return w;
    return this.save({ ...w.value, name });
  }

  /** duplicate copies a workspace under a new id (name "X copy" unless given). */
  duplicate(id: string, name?: string): Result<Workspace> {
    const w = this.load(id);
    if (!w.ok) return w;
    const { id: _old, ...rest } = w.value;
    return this.save({ ...rest, name: name ?? `${w.value.name} copy`.slice(0, MAX_NAME) });
  }

  delete(id: string): Result {
    const list = this.list();
    try {
      this.storage.removeItem(PREFIX + id);
      if (this.current() === id) this.storage.removeItem(CURRENT);
    } catch (e) {
      return { ok: false, message: `the workspace could not be deleted: ${(e as Error).message}` };
    }
    return this.writeIndex((list.ok ? list.value : []).filter((m) => m.id !== id));
  }

  /** current is the id of the workspace the page works in (restored on reload). */
  current(): string | undefined {
    try {
      return this.storage.getItem(CURRENT) ?? undefined;
    } catch {
      return undefined;
    }
  }

  setCurrent(id: string): Result {
    try {
      this.storage.setItem(CURRENT, id);
      return { ok: true, value: undefined };
    } catch (e) {
      return { ok: false, message: describeError(e, 'the current workspace choice') };
    }
  }

  private writeIndex(metas: WorkspaceMeta[]): Result<never> | { ok: true; value: undefined } {
    try {
      this.storage.setItem(INDEX, JSON.stringify(metas));
      return { ok: true, value: undefined };
    } catch (e) {
      return { ok: false, message: describeError(e, 'the list of workspaces') };
    }
  }
}
