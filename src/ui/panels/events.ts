/**
 * The Events list's pure parts: kubectl's columns for an Event (the engine's own printers, so the panel
 * says exactly what `kubectl events` prints: LAST SEEN with the count, "45s (x3 over 2m)"), the filter,
 * and the object an event is about.
 */
import type { EventObject } from '../../engine/api/types.ts';
import { kindInfo } from '../../engine/api/kinds.ts';
import { parseIsoTime } from '../../engine/clock.ts';
import { eventPrinter } from '../../engine/kubectl/printers/core.ts';
import { eventInterval, eventSortTime } from '../../engine/kubectl/printers/eventtime.ts';
import type { PrintContext } from '../../engine/kubectl/printers/types.ts';
import type { ObjectRef } from '../../worker/protocol.ts';

/** EventColumns are `kubectl get events`' LAST SEEN, TYPE, REASON, OBJECT, MESSAGE cells. */
export interface EventColumns {
  lastSeen: string;
  type: string;
  reason: string;
  object: string;
  message: string;
}

/**
 * eventColumns prints one Event at simulated time now (ms): LAST SEEN as `kubectl events` and describe
 * print it ("45s (x3 over 2m)"), the other cells as `kubectl get events` does (OBJECT "pod/web-1").
 */
export function eventColumns(e: EventObject, now: number): EventColumns {
  // eventPrinter reads only ctx.now.
  const [, type, reason, object, message] = eventPrinter.row(e, { now } as PrintContext);
  return { lastSeen: eventInterval(e, now), type, reason, object, message };
}

/** lastSeenMs is when an event last happened (kubectl's sort time, else its creation). */
export function lastSeenMs(e: EventObject): number {
  const t = eventSortTime(e);
  return Number.isFinite(t) ? t : parseIsoTime(e.metadata.creationTimestamp || '') || 0;
}

export interface EventFilter {
  /** text matches reason, object (kind/name), namespace and message, case-insensitively */
  text: string;
  warningsOnly: boolean;
  /** kind of the involved object ('' for all) */
  kind: string;
}

export const NO_FILTER: EventFilter = { text: '', warningsOnly: false, kind: '' };

/** filterEvents keeps the events that match f, newest first (ties by name, so the order is total). */
export function filterEvents(events: Iterable<EventObject>, f: EventFilter): EventObject[] {
  const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
  const out: EventObject[] = [];
  for (const e of events) {
    if (f.warningsOnly && e.type !== 'Warning') continue;
    if (f.kind && e.involvedObject?.kind !== f.kind) continue;
    if (words.length) {
      const io = e.involvedObject;
      const hay = `${e.reason} ${io?.kind?.toLowerCase()}/${io?.name} ${io?.namespace ?? e.metadata.namespace ?? ''} ${e.message} ${e.type}`.toLowerCase();
      if (!words.every((w) => hay.includes(w))) continue;
    }
    out.push(e);
  }
  return out.sort((a, b) => lastSeenMs(b) - lastSeenMs(a) || (a.metadata.name < b.metadata.name ? 1 : a.metadata.name > b.metadata.name ? -1 : 0));
}

/** eventKinds lists the kinds events are about, sorted, for the kind filter. */
export function eventKinds(events: Iterable<EventObject>): string[] {
  const s = new Set<string>();
  for (const e of events) if (e.involvedObject?.kind) s.add(e.involvedObject.kind);
  return [...s].sort();
}

/** involvedRef is the object an event is about, as the selection names it ('' namespace when cluster-scoped). */
export function involvedRef(e: EventObject): ObjectRef | undefined {
  const io = e.involvedObject;
  if (!io?.kind || !io.name) return undefined;
  const info = kindInfo(io.kind);
  const namespace = info && !info.namespaced ? '' : (io.namespace ?? e.metadata.namespace ?? '');
  return io.uid ? { kind: io.kind, namespace, name: io.name, uid: io.uid } : { kind: io.kind, namespace, name: io.name };
}
