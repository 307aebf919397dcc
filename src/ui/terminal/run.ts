/**
 * runLine is what pressing Enter in the terminal does: `clear` empties it; anything else is sent to the
 * worker and shown as an entry that fills in with the output when it comes back.
 */
import { getClient, type CommandResult } from '../state/client.ts';
import { useCluster } from '../state/cluster.ts';
import { useUi, type TerminalEntry } from '../state/ui.ts';
import { isPureCommand } from '../../share/pure.ts';
import type { KubeObject } from '../../engine/api/types.ts';
import { openInEditor } from '../inspector/Inspector.tsx';

/** EDIT matches `kubectl edit …` (or `k edit …`): the page's Editor tab is kubectl's $EDITOR. */
const EDIT = /^(?:kubectl|k)\s+edit(?:\s+(.*))?$/s;

/**
 * edit is kubectl edit in the page: the object, read whole from the worker (`kubectl get … -o json`, so
 * -n and TYPE/NAME work as in get), opens in the Editor tab, whose Apply saves it as quitting the editor
 * would. One object at a time; the terminal says where it went.
 */
async function edit(args: string): Promise<CommandResult> {
  if (!args.trim()) return { exit: 1, out: 'error: You must provide one or more resources by argument or filename.' };
  const got = await getClient().command(`kubectl get ${args} -o json`);
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
  // Timeline steps (t without at) belong to the scenario: every branch runs them.
  const later = (e: TerminalEntry) => !e.dropped && e.at !== undefined && e.at > at;
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
  useUi.getState().addEntry({ id, line, out: '', exit: undefined, at });
  const result: CommandResult =
    line.length > MAX_LINE
      ? { exit: 1, out: `error: the line is ${line.length} characters; the limit is ${MAX_LINE}` }
      : editing
        ? await edit(editing[1] ?? '')
        : await getClient().command(line);
  useUi.getState().finishEntry(id, result.exit, result.out);
  return result;
}
