/**
 * runLine is what pressing Enter in the terminal does: `clear` empties it; anything else is sent to the
 * worker and shown as an entry that fills in with the output when it comes back.
 */
import { getClient, type CommandResult } from '../state/client.ts';
import { useCluster } from '../state/cluster.ts';
import { useUi, type TerminalEntry } from '../state/ui.ts';
import { isPureCommand } from '../../share/pure.ts';

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
  if (!isPureCommand(line)) markBranch(at);
  useUi.getState().addEntry({ id, line, out: '', exit: undefined, at });
  const result: CommandResult =
    line.length > MAX_LINE ? { exit: 1, out: `error: the line is ${line.length} characters; the limit is ${MAX_LINE}` } : await getClient().command(line);
  useUi.getState().finishEntry(id, result.exit, result.out);
  return result;
}
