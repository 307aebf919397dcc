/**
 * Inspector shows the selected object live: its status conditions, its Events, for pods their log and
 * the scheduler's trace, and its YAML (as `kubectl get -o yaml` would print it). Edit opens its manifest in the Editor
 * tab, as `kubectl edit` does (without status and server-set metadata), to change and apply back.
 */
import { objectYaml } from './objectYaml.ts';
import { useEffect, useMemo } from 'react';
import type { Condition, EventObject, KubeObject, Pod } from '../../engine/api/types.ts';
import { useCluster, objKey } from '../state/cluster.ts';
import { useEvents } from '../state/events.ts';
import './inspector.css';
import { useUi } from '../state/ui.ts';
import { EventRows } from '../panels/EventsTable.tsx';
import { SchedulerTrace } from './SchedulerTrace.tsx';
import { NodePods, ServiceEndpoints } from './Related.tsx';
import { PodLogs } from './PodLogs.tsx';
import { openInEditor } from '../editor/openInEditor.ts';
import { getClient } from '../state/client.ts';
import { refKey } from '../../worker/protocol.ts';
import { SUMMARY_KINDS } from '../../worker/summary.ts';
import { useKeyboardScroll } from '../keyboardScroll.ts';

/**
 * TRUE_IS_BAD: conditions that report a problem when True (a node's pressures, a ReplicaSet's failure, a
 * pod about to be disrupted, an invalid Rollout): their False is the healthy state, not a red one.
 */
const TRUE_IS_BAD = new Set(['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable', 'ReplicaFailure', 'DisruptionTarget', 'Failed', 'FailureTarget', 'InvalidSpec', 'ProgressDeadlineExceeded']);

function conditionClass(c: Condition): string {
  if (c.status !== 'True' && c.status !== 'False') return '';
  return (c.status === 'True') !== TRUE_IS_BAD.has(c.type) ? 'ok' : 'bad';
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
              <td className={conditionClass(c)}>{c.status}</td>
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
  const events = useEvents();
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

/**
 * useInspected is the selected object whole: the store's copy, or — for SUMMARY_KINDS, which the store holds
 * as summaries — the copy the worker sends while the Inspector watches it (loading until it arrives).
 */
function useInspected(selected: { kind: string; namespace?: string; name: string } | undefined): { obj: KubeObject | undefined; loading: boolean } {
  const summarized = !!selected && SUMMARY_KINDS.has(selected.kind);
  const kind = selected?.kind ?? '';
  const namespace = selected?.namespace ?? '';
  const name = selected?.name ?? '';
  const key = refKey({ kind, namespace, name });
  useEffect(() => {
    if (!summarized) return;
    const client = getClient();
    client.watch({ kind, namespace, name });
    return () => client.watch(undefined);
  }, [summarized, kind, namespace, name]);
  const stored = useCluster((s) => (selected ? s.objects[kind]?.get(objKey(namespace || undefined, name)) : undefined));
  const watched = useCluster((s) => (summarized && s.watched?.key === key ? s.watched : undefined));
  if (!summarized) return { obj: stored, loading: false };
  if (watched) return { obj: watched.obj, loading: false };
  return { obj: undefined, loading: stored !== undefined };
}

export function Inspector() {
  const selected = useUi((s) => s.selected);
  const { obj, loading } = useInspected(selected);
  const yaml = useMemo(() => (obj ? objectYaml(obj) : ''), [obj]);
  const yamlRef = useKeyboardScroll<HTMLPreElement>();
  if (!selected) return <p className="muted pad">Click a node, pod or workload in the graph to inspect it.</p>;
  const title = `${selected.kind} ${selected.namespace ? `${selected.namespace}/` : ''}${selected.name}`;
  if (loading) {
    return (
      <div className="inspector pad">
        <h2 className="insp-title">{title}</h2>
        <p className="muted">Loading…</p>
      </div>
    );
  }
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
      {obj.kind === 'Service' && <ServiceEndpoints svc={obj} />}
      {obj.kind === 'Node' && <NodePods node={obj} />}
      <Conditions list={conditions} />
      <ObjectEvents obj={obj} />
      {obj.kind === 'Pod' && obj.spec?.nodeName && <PodLogs pod={obj} />}
      {obj.kind === 'Pod' && obj.metadata.uid && <SchedulerTrace podUid={obj.metadata.uid} pod={obj as Pod} nodeName={obj.spec?.nodeName} gates={(obj.spec?.schedulingGates ?? []).map((g: { name: string }) => g.name)} />}
      <section className="insp-section">
        <h3>YAML</h3>
        <pre ref={yamlRef} className="yaml" role="region" aria-label={`YAML of ${title}`} data-testid="inspector-yaml">
          {yaml}
        </pre>
      </section>
    </div>
  );
}
