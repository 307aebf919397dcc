/**
 * EventsTable lists the cluster's Events live, newest first, in `kubectl get events`' columns (LAST SEEN
 * with "(x3 over 2m)", TYPE, REASON, OBJECT, MESSAGE, in simulated time). The Events tab filters them (text,
 * Warnings only, the involved object's kind) and a click on a row selects the object it is about.
 */
import { Fragment, useMemo, useState } from 'react';
import type { EventObject } from '../../engine/api/types.ts';
import { useCluster } from '../state/cluster.ts';
import { useEvents } from '../state/events.ts';
import { useUi } from '../state/ui.ts';
import { eventColumns, eventKinds, filterEvents, involvedRef, NO_FILTER, type EventFilter } from './events.ts';
import './events.css';

/** MAX_ROWS bounds the rows drawn at once. */
const MAX_ROWS = 200;

function selectInvolved(e: EventObject) {
  const ref = involvedRef(e);
  if (ref) useUi.getState().select(ref);
}

/**
 * EventRows draws events (sorted newest first). showObject adds the OBJECT column; selectable makes a row
 * a button that selects the event's object.
 */
export function EventRows({ events, showObject = true, selectable = false }: { events: EventObject[]; showObject?: boolean; selectable?: boolean }) {
  const now = useCluster((s) => Math.floor(s.clock.t / 1000) * 1000);
  const rows = useMemo(() => filterEvents(events, NO_FILTER).slice(0, MAX_ROWS), [events]);
  return (
    <table className={`table events${showObject ? '' : ' no-object'}${selectable ? ' selectable' : ''}`}>
      <colgroup>
        <col className="c-seen" />
        <col className="c-type" />
        <col className="c-reason" />
        {showObject && <col className="c-object" />}
      </colgroup>
      <thead>
        <tr>
          <th>Last seen</th>
          <th>Type</th>
          <th>Reason</th>
          {showObject && <th>Object</th>}
        </tr>
      </thead>
      {rows.map((e) => {
        const c = eventColumns(e, now);
        const io = e.involvedObject;
        // The MESSAGE column gets its own full-width line: a side panel is too narrow for five columns.
        const click = selectable ? () => selectInvolved(e) : undefined;
        // A selectable row is named by its cells as drawn, then (in its last cell) the message below it and what Enter does.
        const more = selectable && <span className="visually-hidden">{`${c.message}. Select ${c.object}`}</span>;
        const props = selectable
          ? {
              tabIndex: 0,
              role: 'button',
              onKeyDown: (ev: React.KeyboardEvent) => {
                if (ev.key === 'Enter' || ev.key === ' ') {
                  ev.preventDefault();
                  selectInvolved(e);
                }
              },
            }
          : {};
        return (
          <tbody key={e.metadata.uid ?? e.metadata.name} className={`ev${e.type === 'Warning' ? ' warn' : ''}`} onClick={click}>
            <tr
              className="ev-head"
              data-kind="Event"
              data-name={e.metadata.name}
              data-namespace={e.metadata.namespace ?? ''}
              data-object={`${io?.kind ?? ''}/${io?.name ?? ''}`}
              data-type={e.type}
              {...props}
            >
              <td className="ev-seen">{c.lastSeen}</td>
              <td className="ev-type">{c.type}</td>
              <td className="ev-reason">
                {/* A long reason breaks between its words (NodeHasNoDisk|Pressure), not inside one. */}
                {c.reason.split(/(?=[A-Z][a-z])/).map((w, k) => (
                  <span key={k}>
                    {k > 0 && <wbr />}
                    {w}
                  </span>
                ))}
                {!showObject && more}
              </td>
              {showObject && (
                <td className="ev-object" title={`${c.object} in namespace ${io?.namespace || e.metadata.namespace || '(cluster)'}`}>
                  {/* A line may break after the kind's slash ("persistentvolumeclaim/" then the name), not inside a word. */}
                  {c.object.split('/').map((part, k, all) => (
                    <Fragment key={k}>
                      {part}
                      {k < all.length - 1 && (
                        <>
                          /<wbr />
                        </>
                      )}
                    </Fragment>
                  ))}
                  {io?.namespace && io.namespace !== 'default' && <span className="ev-ns"> {io.namespace}</span>}
                  {more}
                </td>
              )}
            </tr>
            <tr className="ev-msg">
              <td colSpan={showObject ? 4 : 3} className="msg">
                {c.message}
              </td>
            </tr>
          </tbody>
        );
      })}
    </table>
  );
}

export function EventsTable() {
  const events = useEvents();
  const list = useMemo(() => [...events.values()] as EventObject[], [events]);
  const [filter, setFilter] = useState<EventFilter>(NO_FILTER);
  const kinds = useMemo(() => eventKinds(list), [list]);
  const shown = useMemo(() => filterEvents(list, filter), [list, filter]);
  const warnings = useMemo(() => list.reduce((n, e) => n + (e.type === 'Warning' ? 1 : 0), 0), [list]);
  const set = (f: Partial<EventFilter>) => setFilter((old) => ({ ...old, ...f }));
  const filtered = filter.text !== '' || filter.warningsOnly || filter.kind !== '';
  return (
    <div className="events-tab">
      <div className="events-filter" role="search">
        <input
          type="search"
          className="events-search"
          placeholder="Filter events"
          title="Filter by reason, object, namespace or message (all words must match)"
          aria-label="Filter events"
          value={filter.text}
          onChange={(e) => set({ text: e.target.value })}
          data-testid="events-filter"
          spellCheck={false}
        />
        <select aria-label="Object kind" value={filter.kind} onChange={(e) => set({ kind: e.target.value })} data-testid="events-kind">
          <option value="">All kinds</option>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn-ghost events-warn" aria-pressed={filter.warningsOnly} onClick={() => set({ warningsOnly: !filter.warningsOnly })} data-testid="events-warnings">
          Warnings{warnings > 0 ? ` (${warnings})` : ''}
        </button>
      </div>
      <div className="events-count muted" data-testid="events-count">
        {filtered ? `${shown.length} of ${list.length} events` : `${list.length} events`}
        {shown.length > MAX_ROWS ? ` · newest ${MAX_ROWS} shown` : ''}
      </div>
      {list.length === 0 ? (
        <p className="muted pad">No events yet. Press Play, or run a command.</p>
      ) : shown.length === 0 ? (
        <p className="muted pad">No events match the filter.</p>
      ) : (
        <div className="events-wrap">
          <EventRows events={shown} selectable />
        </div>
      )}
    </div>
  );
}
