/**
 * SchedulerTrace asks the worker for the scheduler's trace of a pod's last scheduling attempt (the
 * per-node Filter and Score results) and shows it; it asks again when the pod is (re)bound.
 */
import { useEffect, useState } from 'react';
import { stringify } from 'yaml';
import { getClient } from '../state/client.ts';

export function SchedulerTrace({ podUid, nodeName }: { podUid: string; nodeName: string | undefined }) {
  const [trace, setTrace] = useState<unknown>(undefined);
  useEffect(() => {
    let live = true;
    void getClient()
      .trace(podUid)
      .then((t) => live && setTrace(t ?? null));
    return () => {
      live = false;
    };
  }, [podUid, nodeName]);
  return (
    <section className="insp-section">
      <h3>Scheduling</h3>
      {trace === undefined ? (
        <p className="muted">Loading…</p>
      ) : trace === null ? (
        <p className="muted">{nodeName ? `Bound to ${nodeName}; no trace recorded for this pod.` : 'Not scheduled yet.'}</p>
      ) : (
        <TraceTable trace={trace} />
      )}
    </section>
  );
}

interface NodeResult {
  node?: string;
  name?: string;
  feasible?: boolean;
  filters?: { plugin: string; code?: string; reasons?: string[] }[];
  reasons?: string[];
  score?: number;
  scores?: Record<string, number> | { plugin: string; score: number }[];
}

/** TraceTable draws a per-node table when the trace has a `nodes` list; otherwise its YAML. */
function TraceTable({ trace }: { trace: unknown }) {
  const t = trace as { nodes?: NodeResult[]; result?: string; message?: string };
  if (!Array.isArray(t?.nodes)) return <pre className="yaml">{stringify(trace, { lineWidth: 0 })}</pre>;
  return (
    <>
      {(t.result || t.message) && <p>{t.message ?? t.result}</p>}
      <table className="table">
        <thead>
          <tr>
            <th>Node</th>
            <th>Filter</th>
            <th>Score</th>
          </tr>
        </thead>
        <tbody>
          {t.nodes.map((n, i) => {
            const reasons = n.reasons ?? (n.filters ?? []).flatMap((f) => (f.reasons ?? []).map((r) => `${f.plugin}: ${r}`));
            return (
              <tr key={n.node ?? n.name ?? i}>
                <td>{n.node ?? n.name}</td>
                <td className={reasons.length ? 'bad' : 'ok'}>{reasons.length ? reasons.join('; ') : 'passed'}</td>
                <td>{n.score ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
