/**
 * Back-off as client-go's flowcontrol.Backoff, with the entries kept as plain data so a snapshot
 * carries them. The kubelet uses one per container (crash loops) and one per pod+image (pulls):
 * initial 10 s, doubling, capped at 300 s (pkg/kubelet: backOffPeriod, MaxContainerBackOff).
 *
 * An entry expires when more than 2 × max passes between its last update and the next event
 * (hasExpired), so a container that ran cleanly for over 10 minutes starts again at 10 s.
 */
export interface BackoffEntry {
  backoffMs: number;
  lastUpdate: number;
}

export type BackoffTable = Record<string, BackoffEntry>;

/** BACKOFF_INITIAL_MS is the kubelet's backOffPeriod (10 s). */
export const BACKOFF_INITIAL_MS = 10_000;
/** BACKOFF_MAX_MS is the kubelet's MaxContainerBackOff (300 s). */
export const BACKOFF_MAX_MS = 300_000;

export class Backoff {
  constructor(
    readonly table: BackoffTable,
    readonly initialMs = BACKOFF_INITIAL_MS,
    readonly maxMs = BACKOFF_MAX_MS,
  ) {}

  private expired(eventTime: number, lastUpdate: number): boolean {
    return eventTime - lastUpdate > 2 * this.maxMs;
  }

  /** get is the current delay for id: 0 until the first next(). */
  get(id: string): number {
    return this.table[id]?.backoffMs ?? 0;
  }

  /** next records a failure at now: the first (or after expiry) starts at initial, else doubles up to max. */
  next(id: string, eventTime: number, now: number): void {
    const e = this.table[id];
    if (!e || this.expired(eventTime, e.lastUpdate)) {
      this.table[id] = { backoffMs: this.initialMs, lastUpdate: now };
      return;
    }
    e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
    e.lastUpdate = now;
  }

  /** isInBackOffSince: less than the current delay has passed since eventTime (e.g. the container's finishedAt). */
  isInBackOffSince(id: string, eventTime: number, now: number): boolean {
    const e = this.table[id];
    if (!e || this.expired(eventTime, e.lastUpdate)) return false;
    return now - eventTime < e.backoffMs;
  }

  /** isInBackOffSinceUpdate: less than the current delay has passed since the last next() (image pulls). */
  isInBackOffSinceUpdate(id: string, eventTime: number): boolean {
    const e = this.table[id];
    if (!e || this.expired(eventTime, e.lastUpdate)) return false;
    return eventTime - e.lastUpdate < e.backoffMs;
  }

  /** retryAt is when isInBackOffSince(id, eventTime, ·) turns false. */
  retryAt(id: string, eventTime: number): number {
    return eventTime + (this.table[id]?.backoffMs ?? 0);
  }

  reset(id: string): void {
    delete this.table[id];
  }
}
