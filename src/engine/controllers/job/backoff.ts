/**
 * backoff.ts: the Job controller's pod-failure back-off (pkg/controller/job/backoff_utils.go).
 *
 * A record counts the failures since the last success; the next pod may be created
 * 10 s × 2^(failures−1) after the last failure, capped: 10 s, 20 s, 40 s, 80 s, 160 s, 320 s, 360 s …
 * The cap is six minutes as the Job documentation states ("capped at six minutes").
 */
export const DEFAULT_JOB_POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_JOB_POD_FAILURE_BACKOFF_MS = 360_000;

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  /** lastFailureMs: sim time of the latest counted failure's finish. */
  lastFailureMs?: number;
  lastSuccessMs?: number;
}

/** recordFailure adds a failed pod (finished at finishedMs) to the record. */
export function recordFailure(r: BackoffRecord, finishedMs: number): void {
  r.failuresAfterLastSuccess++;
  if (r.lastFailureMs === undefined || finishedMs > r.lastFailureMs) r.lastFailureMs = finishedMs;
}

/** recordSuccess resets the count when a pod succeeded after the last failure (newBackoffRecord). */
export function recordSuccess(r: BackoffRecord, finishedMs: number): void {
  if (r.lastSuccessMs === undefined || finishedMs > r.lastSuccessMs) r.lastSuccessMs = finishedMs;
  if (r.lastFailureMs === undefined || finishedMs >= r.lastFailureMs) r.failuresAfterLastSuccess = 0;
}

/**
 * remainingBackoffMs is getRemainingTimeForFailuresCount: 0 without failures; else the back-off
 * (base doubled failures−1 times, capped) minus the time since the last failure, not below 0.
 */
export function remainingBackoffMs(r: BackoffRecord, nowMs: number, baseMs = DEFAULT_JOB_POD_FAILURE_BACKOFF_MS, maxMs = MAX_JOB_POD_FAILURE_BACKOFF_MS): number {
  if (r.failuresAfterLastSuccess === 0 || r.lastFailureMs === undefined) return 0;
  let d = baseMs;
  for (let i = 1; i < r.failuresAfterLastSuccess; i++) {
    d *= 2;
    if (d > maxMs) {
      d = maxMs;
      break;
    }
  }
  const elapsed = nowMs - r.lastFailureMs;
  return d < elapsed ? 0 : d - elapsed;
}
