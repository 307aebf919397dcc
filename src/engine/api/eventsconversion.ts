/**
 * events.k8s.io/v1 reads the same storage as core/v1 Events: the API server converts each object
 * (pkg/apis/events/v1/conversion.go). toEventsV1 does that conversion for output (-o yaml, json,
 * jsonpath), so `kubectl get events.events.k8s.io -o yaml` shows the fields of that API: note for
 * message, regarding for involvedObject, the legacy fields as deprecated*.
 */
import type { EventObject, KubeObject } from './types.ts';

/** toEventsV1 converts a core/v1 Event to events.k8s.io/v1, keeping the fields the Go types keep (omitempty drops the rest). */
export function toEventsV1(obj: KubeObject): KubeObject {
  const ev = obj as EventObject;
  const out: Record<string, unknown> = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: ev.metadata,
    // eventTime has no omitempty: an Event from the legacy recorder shows it as null.
    eventTime: ev.eventTime ?? null,
  };
  if (ev.series) out.series = ev.series;
  if (ev.reportingComponent) out.reportingController = ev.reportingComponent;
  if (ev.reportingInstance) out.reportingInstance = ev.reportingInstance;
  if (ev.action) out.action = ev.action;
  if (ev.reason) out.reason = ev.reason;
  out.regarding = ev.involvedObject ?? {};
  if (ev.related) out.related = ev.related;
  if (ev.message) out.note = ev.message;
  if (ev.type) out.type = ev.type;
  // Structs are never omitted (source is an EventSource; the timestamps marshal a zero time as null).
  out.deprecatedSource = ev.source ?? {};
  out.deprecatedFirstTimestamp = ev.firstTimestamp ?? null;
  out.deprecatedLastTimestamp = ev.lastTimestamp ?? null;
  if (ev.count) out.deprecatedCount = ev.count;
  return out as unknown as KubeObject;
}
