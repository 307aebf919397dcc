/**
 * runLine is what pressing Enter in the terminal does: `clear` empties it; anything else is sent to the
 * worker and shown as an entry that fills in with the output when it comes back.
 */
import { getClient, type CommandResult } from '../state/client.ts';
import { useUi } from '../state/ui.ts';

let seq = 0;

/** MAX_LINE bounds a terminal line (a paste of a whole file is refused rather than parsed). */
export const MAX_LINE = 10_000;

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
  ui.addEntry({ id, line, out: '', exit: undefined });
  const result: CommandResult =
    line.length > MAX_LINE ? { exit: 1, out: `error: the line is ${line.length} characters; the limit is ${MAX_LINE}` } : await getClient().command(line);
  useUi.getState().finishEntry(id, result.exit, result.out);
  return result;
}
