/**
 * Which command lines kubectl (or the Argo Rollouts plugin) would go on watching, shared by the page's
 * terminal (which follows a typed one) and the headless runner (whose timeline steps run once, as they do
 * in the page): a step cut short there is kubectl still waiting, not a failure.
 */

/** ROLLOUT_STATUS matches `kubectl rollout status …` (or `k …`); WATCH_OFF its --watch=false / -w=false. */
export const ROLLOUT_STATUS = /^(?:kubectl|k)\s+rollout\s+status\s/;
export const WATCH_OFF = /(?:^|\s)(?:--watch|-w)=false(?:\s|$)/;
/** ARGO_STATUS matches `kubectl argo rollouts status …`, which watches by default (cmd/status/status.go). */
export const ARGO_STATUS = /^(?:kubectl|k)\s+argo\s+rollouts\s+status\s/;
/** ARGO_DEGRADED starts the plugin's error for a Degraded rollout (the end of its watch). */
export const ARGO_DEGRADED = 'Error: The rollout is in a degraded state';
/** ARGO_TIMED_OUT is the plugin's error when its watch's --timeout passes (the engine's status prints it too). */
export const ARGO_TIMED_OUT = 'Error: Rollout status watch exceeded timeout\n';
/** TIMED_OUT is kubectl's line for a watch whose --timeout passed (the engine's rollout status prints it too). */
export const TIMED_OUT = 'error: timed out waiting for the condition\n';

/**
 * stillWatching: a status command (rollout status, argo rollouts status) that would have gone on watching
 * when it answered: its non-zero exit is kubectl waiting, not a failure (unless its --timeout passed).
 */
export function stillWatching(line: string, r: { exit: number; out: string }): boolean {
  if (r.exit === 0 || WATCH_OFF.test(line)) return false;
  if (ROLLOUT_STATUS.test(line)) return r.out.startsWith('Waiting for ') && !r.out.includes(TIMED_OUT);
  if (ARGO_STATUS.test(line)) return !r.out.includes(ARGO_DEGRADED) && !r.out.includes(ARGO_TIMED_OUT);
  return false;
}
