/**
 * EventsTable lists the cluster's Events newest first, as `kubectl get events` shows them: type,
 * reason, object, message and age (in simulated time).
 */
import { useMemo } from 'react';
import type { EventObject } from '../../engine/api/types.ts';
import { humanDuration, parseIsoTime } from '../../engine/clock.ts';
import { useCluster, useKind } from '../state/cluster.ts';

/** MAX_ROWS bounds the rows drawn at once. */
const MAX_ROWS = 200;

function lastSeen(e: EventObject): number {
  return parseIsoTime(e.lastTimestamp ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? '') || 0;
}

export function EventRows({ events, showObject = true }: { events: EventObject[]; showObject?: boolean }) {
  const now = useCluster((s) => Math.floor(s.clock.t / 1000) * 1000);
  const rows = useMemo(() => [...events].sort((a, b) => lastSeen(b) - lastSeen(a)).slice(0, MAX_ROWS), [events]);
  return (
    <table className={`table events${showObject ? '' : ' no-object'}`}>
      <colgroup>
        <col className="c-type" />
        <col className="c-reason" />
        <col />
        <col className="c-age" />
      </colgroup>
      <thead>
        <tr>
          <th>Type</th>
          <th>Reason</th>
          <th>{showObject ? 'Object / message' : 'Message'}</th>
          <th>Age</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((e) => (
          <tr key={e.metadata.uid ?? e.metadata.name} className={e.type === 'Warning' ? 'warn' : ''} data-kind="Event" data-name={e.metadata.name} data-namespace={e.metadata.namespace ?? ''}>
            <td>{e.type}</td>
            <td>{e.reason}</td>
            <td className="msg">
              {showObject && (
                <div className="ev-object">
                  {e.involvedObject?.kind?.toLowerCase()}/{e.involvedObject?.name}
                </div>
              )}
              {e.message}
              {e.count > 1 ? ` (x${e.count})` : ''}
            </td>
            <td>{humanDuration(now - lastSeen(e))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function EventsTable() {
  const events = useKind('Event');
  const list = useMemo(() => [...events.values()] as EventObject[], [events]);
  if (list.length === 0) return <p className="muted pad">No events yet. Press Play, or run a command.</p>;
  return (
    <div className="events-wrap">
      <EventRows events={list} />
    </div>
  );
}
