/**
 * seekTo asks the worker to seek, one request at a time: while a seek runs, later ones (a drag sends
 * one per pointer move) replace each other, and only the last is sent when it finishes. The promise
 * resolves when the page shows the time asked for last.
 */
import { getClient } from '../state/client.ts';

let running: Promise<void> | undefined;
let queued: number | undefined;

export function seekTo(t: number): Promise<void> {
  if (running) {
    queued = t;
    return running;
  }
  const run = async (at: number): Promise<void> => {
    await getClient().seek(at);
    while (queued !== undefined) {
      const next = queued;
      queued = undefined;
      await getClient().seek(next);
    }
  };
  running = run(t).finally(() => {
    running = undefined;
  });
  return running;
}
