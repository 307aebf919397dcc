/**
 * The events.k8s.io/v1 recorder's broadcaster cache (client-go tools/events, event_broadcaster.go),
 * which the scheduler records through. Unlike the legacy recorder (eventcorrelator.ts) it neither
 * aggregates by reason nor drops by source and object, and it counts repeats as an EventSeries:
 *
 * - An event is isomorphic to an earlier one when its type, action, reason, reporting controller and
 *   instance, regarding reference and related reference are equal (getKey; not the note). The
 *   regarding reference carries the object's resourceVersion as it was recorded, so a pod whose status
 *   the scheduler wrote after its first failure starts a new Event on its second.
 * - The first occurrence creates an Event. The second gives it a series (count 2) and writes it. Later
 *   ones only bump the cached count and last-observed time: nothing is written then.
 * - Every 30 minutes (refreshExistingEventSeries) each cached series is written with its count, and
 *   every 6 minutes (finishSeries) a series not observed for 6 minutes is written a last time and
 *   forgotten, as is a singleton older than that: its next occurrence is a new Event.
 *
 * Both loops start with the scheduler (wait.Until: at 0 and every period after), so the ticks fall on
 * multiples of 6 and 30 minutes of the simulated clock; 30 is a multiple of 6, so one timer serves both.
 */

export const FINISH_MS = 6 * 60_000;
export const REFRESH_MS = 30 * 60_000;

/** SeriesInput is what makes an event isomorphic to another (getKey), with its note. */
export interface SeriesInput {
  /** controller and instance: the recorder's reportingController and reportingInstance */
  controller: string;
  instance: string;
  type: string;
  reason: string;
  action: string;
  /** uid, resourceVersion and fieldPath of the regarding object */
  uid: string;
  rv: string;
  fieldPath: string;
  /** related: the related object's uid ('' for none) */
  related: string;
}

/** Isomorphic is one cached Event: its key, its name, and its series so far. */
export interface Isomorphic {
  type: string;
  reason: string;
  action: string;
  rv: string;
  fieldPath: string;
  related: string;
  name: string;
  namespace: string;
  /** eventTime: when it first occurred (ms) */
  eventTime: number;
  /** count: 1 for a singleton, the series' count from the second occurrence */
  count: number;
  /** last: when it was last observed (ms) */
  last: number;
}

/**
 * SeriesState is each recorder's cache (by controller and instance), its Events by the regarding
 * object's uid: one Event, or a list when the object has several (most have one, Scheduled).
 */
export interface SeriesState {
  recorders: Map<string, Map<string, Isomorphic | Isomorphic[]>>;
  /** tickAt: when the cache's next tick is set for (undefined when none is) */
  tickAt: number | undefined;
}

export function newSeriesState(): SeriesState {
  return { recorders: new Map(), tickAt: undefined };
}

/** Observed says what recordToSink does with an event: create a new Event, write the cached one's series, or nothing. */
export type Observed = { write: 'create' | 'series' | 'none'; event: Isomorphic };

/**
 * observe runs one event through its recorder's cache at nowMs. makeName names a new Event (called
 * only then). namespace is the Event's.
 */
export function observe(st: SeriesState, e: SeriesInput, namespace: string, nowMs: number, makeName: () => string): Observed {
  const key = `${e.controller}\u0000${e.instance}`;
  let byUid = st.recorders.get(key);
  if (!byUid) st.recorders.set(key, (byUid = new Map()));
  const known = byUid.get(e.uid);
  const same = (x: Isomorphic) => x.type === e.type && x.reason === e.reason && x.action === e.action && x.rv === e.rv && x.fieldPath === e.fieldPath && x.related === e.related;
  const found = known === undefined ? undefined : Array.isArray(known) ? known.find(same) : same(known) ? known : undefined;
  if (found) {
    found.count += 1;
    found.last = nowMs;
    // The second occurrence gives the Event its series and is written; later ones only count.
    return { write: found.count === 2 ? 'series' : 'none', event: found };
  }
  const event: Isomorphic = { type: e.type, reason: e.reason, action: e.action, rv: e.rv, fieldPath: e.fieldPath, related: e.related, name: makeName(), namespace, eventTime: nowMs, count: 1, last: nowMs };
  if (known === undefined) byUid.set(e.uid, event);
  else if (Array.isArray(known)) known.push(event);
  else byUid.set(e.uid, [known, event]);
  return { write: 'create', event };
}

/** nextTick is the first multiple of FINISH_MS after nowMs: when the cache is next looked at. */
export function nextTick(nowMs: number): number {
  return (Math.floor(nowMs / FINISH_MS) + 1) * FINISH_MS;
}

/**
 * tick runs finishSeries at nowMs, and refreshExistingEventSeries too on a multiple of REFRESH_MS.
 * write is called for each series to write (finished ones before they are forgotten). Returns whether
 * anything is left in the cache.
 */
export function tick(st: SeriesState, nowMs: number, write: (e: Isomorphic) => void): boolean {
  const refresh = nowMs % REFRESH_MS === 0;
  const cutoff = nowMs - FINISH_MS;
  let left = false;
  for (const byUid of st.recorders.values()) {
    for (const [uid, known] of byUid) {
      const list = Array.isArray(known) ? known : [known];
      const keep = list.filter((e) => {
        // finishSeries: time.Before(now - 6m), strictly.
        if (e.count >= 2) {
          if (e.last < cutoff) {
            write(e);
            return false;
          }
          if (refresh) write(e);
          return true;
        }
        return e.eventTime >= cutoff;
      });
      if (keep.length === 0) byUid.delete(uid);
      else {
        if (keep.length !== list.length) byUid.set(uid, keep.length === 1 ? keep[0] : keep);
        left = true;
      }
    }
  }
  return left;
}
