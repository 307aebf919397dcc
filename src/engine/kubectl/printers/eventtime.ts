/**
 * How kubectl reads an Event's times and count, for the legacy recorder's Events (count, first and
 * last timestamps) and the events.k8s.io/v1 recorder's (eventTime, and a series from the second
 * occurrence) alike.
 */
import type { EventObject } from '../../api/types.ts';
import { parseIsoTime } from '../../clock.ts';
import { age } from './types.ts';

/**
 * eventSortTime is SortableEvents' eventTime (kubectl's pkg/util/event): the series' last observation,
 * else lastTimestamp, else eventTime, in simulated ms; an Event with none of them sorts first, as
 * Go's zero time does.
 */
export function eventSortTime(e: EventObject): number {
  const t = e.series?.lastObservedTime || e.lastTimestamp || e.eventTime;
  return t ? parseIsoTime(t) : Number.NEGATIVE_INFINITY;
}

/** sortEvents sorts oldest first by eventSortTime (stable: one instant's Events keep their order). */
export function sortEvents(events: EventObject[]): EventObject[] {
  return events.sort((a, b) => eventSortTime(a) - eventSortTime(b));
}

/** eventCount is printEvent's COUNT: the series' count, else count, and 1 for a singleton of the new API. */
export function eventCount(e: EventObject): number {
  return e.series ? e.series.count : e.count || 1;
}

/**
 * eventInterval is describe's Age and `kubectl events`' LAST SEEN (DescribeEvents, getLastSeen): the
 * first occurrence's age (eventTime, else firstTimestamp), or "<last> (x<count> over <first>)" for a
 * series or a counted repeat.
 */
export function eventInterval(e: EventObject, now: number): string {
  const first = age(e.eventTime || e.firstTimestamp || undefined, now);
  if (e.series) return `${age(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`;
  if ((e.count ?? 0) > 1) return `${age(e.lastTimestamp || undefined, now)} (x${e.count} over ${first})`;
  return first;
}

/**
 * eventSeen is printEvent's LAST SEEN and FIRST SEEN (`kubectl get events`): first is firstTimestamp,
 * else eventTime; last is the series' last observation, else lastTimestamp, else first.
 */
export function eventSeen(e: EventObject, now: number): { first: string; last: string } {
  const first = age(e.firstTimestamp || e.eventTime || undefined, now);
  const lastAt = e.series?.lastObservedTime || e.lastTimestamp;
  return { first, last: lastAt ? age(lastAt, now) : first };
}

/** eventSource is formatEventSource: "component, instance", each from the source, else the reporting fields. */
export function eventSource(e: EventObject): string {
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}
