/**
 * historyPump sends a HistoryRecorder's news to the page a few times per second at most: at once when
 * the interval has passed (or for a reset or truncation), else once more when it has, so the last
 * points of an advance arrive even if the worker then goes quiet (paused). Worker-side only (timers).
 */
import type { HistoryMessage } from './historyTypes.ts';
import type { HistoryRecorder } from './history.ts';

/** HISTORY_INTERVAL_MS: at most four history messages per wall second. */
export const HISTORY_INTERVAL_MS = 250;

/** createHistoryPump returns pump(): call it whenever the worker flushes diffs. */
export function createHistoryPump(recorder: () => HistoryRecorder | undefined, send: (msg: HistoryMessage) => void, now: () => number = () => performance.now()): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pump = (): void => {
    const r = recorder();
    if (!r) return;
    const msg = r.take(now());
    if (msg) send(msg);
    if (r.pending() && timer === undefined) {
      timer = setTimeout(() => {
        timer = undefined;
        pump();
      }, HISTORY_INTERVAL_MS);
    }
  };
  return pump;
}
