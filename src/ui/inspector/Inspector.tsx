/**
 * Inspector shows the selected object live: its status conditions, its Events, for pods the scheduler's
 * trace, and its YAML (as `kubectl get -o yaml` would print it). Edit opens its manifest in the Editor
 * tab, as `kubectl edit` does (without status and server-set metadata), to change and apply back.
 */
import { useMemo } from 'react';
import { stringify } from 'yaml';
import type { Condition, EventObject, KubeObject } from '../../engine/api/types.ts';
import { useCluster, useKind, objKey } from '../state/cluster.ts';
import './inspector.css';
import { useUi } from '../state/ui.ts';
import { EventRows } from '../panels/EventsTable.tsx';
import { SchedulerTrace } from './SchedulerTrace.tsx';
import { editableManifest } from '../editor/manifest.ts';

/** openInEditor puts obj's editable manifest in the Editor tab and shows it. */
export function openInEditor(obj: KubeObject): void {
  useUi.setState({ editorText: editableManifest(obj), tab: 'editor', panelCollapsed: false });
}

function Conditions({ list }: { list: Condition[] }) {
  if (list.length === 0) return null;
  // Reason and Message columns only when some condition has one (most Ready conditions have neither).
  const reasons = list.some((c) => c.reason);
  const messages = list.some((c) => c.message);
  return (
    <section className="insp-section">
      <h3>Conditions</h3>
      <table className="table">
        <thead>
          <tr>
            <th>Type</th>
            <th>Status</th>
            {reasons && <th>Reason</th>}
            {messages && <th>Message</th>}
          </tr>
        </thead>
        <tbody>
          {list.map((c) => (
            <tr key={c.type}>
              <td>{c.type}</td>
              <td className={c.status === 'True' ? 'ok' : c.status === 'False' ? 'bad' : ''}>{c.status}</td>
              {reasons && <td>{c.reason ?? ''}</td>}
              {messages && <td className="msg">{c.message ?? ''}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ObjectEvents({ obj }: { obj: KubeObject }) {
  const events = useKind('Event');
  const list = useMemo(() => {
    const uid = obj.metadata.uid;
    const out: EventObject[] = [];
    for (const e of events.values() as Iterable<EventObject>) {
      const io = e.involvedObject;
      if ((uid && io?.uid === uid) || (io?.kind === obj.kind && io?.name === obj.metadata.name && (io.namespace ?? '') === (obj.metadata.namespace ?? ''))) out.push(e);
    }
    return out;
  }, [events, obj]);
  return (
    <section className="insp-section">
      <h3>Events</h3>
      {list.length === 0 ? <p className="muted">No events.</p> : <EventRows events={list} showObject={false} />}
    </section>
  );
}

export function Inspector() {
  const selected = useUi((s) => s.selected);
  const obj = useCluster((s) => (selected ? s.objects[selected.kind]?.get(objKey(selected.namespace || undefined, selected.name)) : undefined));
  const yaml = useMemo(() => (obj ? stringify(obj, { lineWidth: 0 }) : ''), [obj]);
  if (!selected) return <p className="muted pad">Click a node, pod or workload in the graph to inspect it.</p>;
  const title = `${selected.kind} ${selected.namespace ? `${selected.namespace}/` : ''}${selected.name}`;
  if (!obj) {
    return (
      <div className="inspector pad">
        <h2 className="insp-title">{title}</h2>
        <p className="muted">This object no longer exists.</p>
      </div>
    );
  }
  const conditions: Condition[] = Array.isArray(obj.status?.conditions) ? obj.status.conditions : [];
  return (
    <div className="inspector" data-testid="inspector" data-inspected-kind={obj.kind} data-inspected-name={obj.metadata.name} data-inspected-namespace={obj.metadata.namespace ?? ''}>
      <div className="insp-head">
        <h2 className="insp-title">{title}</h2>
        {obj.kind !== 'Event' && (
          <button type="button" className="btn" onClick={() => openInEditor(obj)} data-testid="inspector-edit" aria-label={`Edit ${obj.kind} ${obj.metadata.name} in the editor`} title="Open this object's manifest in the Editor (kubectl edit)">
            Edit
          </button>
        )}
      </div>
      <Conditions list={conditions} />
      <ObjectEvents obj={obj} />
      {obj.kind === 'Pod' && obj.metadata.uid && <SchedulerTrace podUid={obj.metadata.uid} nodeName={obj.spec?.nodeName} />}
      <section className="insp-section">
        <h3>YAML</h3>
        <pre className="yaml" data-testid="inspector-yaml">
          {yaml}
        </pre>
      </section>
    </div>
  );
}
