/**
 * chunk: what the worker does to a diff before posting it — the Events the page would drop are left out
 * (newestEvents) and a big diff is cut into parts (splitDiff), so receiving one message never holds the
 * page's thread long (a structured clone of 750 pods and their Events is ~3.5 MB, ~100 ms to read).
 */
import type { KubeObject } from '../engine/api/types.ts';
import type { Diff } from './protocol.ts';

/**
 * PART_OBJECTS: the most objects in one message. A pod is ~2.5 KB as JSON; 250 of them took the page
 * 3-45 ms to receive on a busy 2-core machine (Events are a quarter of that, EndpointSlices ~7×). Pods
 * come as ~1 KB summaries now (summary.ts), but reading an object costs about as much per object as per
 * byte: 80 objects (pods and Events) are 5-15 ms of the page's thread under load.
 */
export const PART_OBJECTS = 80;

/**
 * newestEvents drops all but the last `keep` Events of upserted (in order; other kinds are kept). The page
 * keeps only its newest `keep` Events, dropping the oldest first, so it ends up holding the same ones.
 */
export function newestEvents(upserted: KubeObject[], keep: number): KubeObject[] {
  let events = 0;
  for (const o of upserted) if (o.kind === 'Event') events++;
  let skip = events - keep;
  if (skip <= 0) return upserted;
  return upserted.filter((o) => o.kind !== 'Event' || skip-- <= 0);
}

/**
 * splitDiff cuts a diff into parts of at most max objects (upserted + removed): every part but the last
 * is `partial`, the first carries `reset` and `eventsReset`, the last the traffic view and the watched object. A small diff is
 * returned as is.
 */
export function splitDiff(diff: Diff, max = PART_OBJECTS): Diff[] {
  const size = diff.upserted.length + diff.removed.length;
  if (size <= max) return [diff];
  const parts: Diff[] = [];
  let up = 0;
  let rm = 0;
  while (up < diff.upserted.length || rm < diff.removed.length) {
    const upserted = diff.upserted.slice(up, up + max);
    up += upserted.length;
    const removed = diff.removed.slice(rm, rm + (max - upserted.length));
    rm += removed.length;
    const part: Diff = { t: diff.t, upserted, removed, partial: true };
    if (parts.length === 0 && diff.reset) part.reset = true;
    if (parts.length === 0 && diff.eventsReset) part.eventsReset = true;
    parts.push(part);
  }
  const last = parts[parts.length - 1];
  delete last.partial;
  if (diff.traffic) last.traffic = diff.traffic;
  if (diff.watched) last.watched = diff.watched;
  return parts;
}
