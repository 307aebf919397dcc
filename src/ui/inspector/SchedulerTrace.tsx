/**
 * SchedulerTrace asks the worker for the scheduler's trace of a pod's last scheduling attempt and shows
 * why it landed where it did: the nodes that failed a Filter plugin (with upstream's reason strings,
 * verbatim) and the best-scored nodes with each Score plugin's share. It asks again when the pod is bound.
 */
import { useEffect, useState } from 'react';
import type { ReadableTrace } from '../../engine/scheduler/trace.ts';
import { getClient } from '../state/client.ts';
import { formatClock } from '../format.ts';
import type { Node as KNode, Pod } from '../../engine/api/types.ts';
import { formatCpu } from '../../engine/api/quantity.ts';
import { objKey, useCluster } from '../state/cluster.ts';
import { nodeUsage, podRequests } from '../graph/model.ts';
import { formatBytes } from '../graph/ResourceBar.tsx';

export function SchedulerTrace({ podUid, nodeName, gates = [], pod }: { podUid: string; nodeName: string | undefined; gates?: string[]; pod?: Pod }) {
  const [trace, setTrace] = useState<ReadableTrace | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void getClient()
      .trace(podUid)
      .then((t) => live && setTrace((t as ReadableTrace | null) ?? null));
    return () => {
      live = false;
    };
  }, [podUid, nodeName, gates.length]);
  return (
    <section className="insp-section" data-testid="scheduler-trace">
      <h3>Scheduling</h3>
      {trace === undefined ? (
        <p className="muted">Loading…</p>
      ) : trace === null ? (
        <p className="muted">
          {pod?.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined
            ? `A static pod: ${nodeName ?? 'its node'}'s kubelet runs it from a manifest file, and the scheduler never placed it.`
            : nodeName
            ? `Bound to ${nodeName}; the scheduler kept no trace for this pod.`
            : gates.length > 0
              ? `Not considered for scheduling until its scheduling gates are removed: ${gates.join(', ')}.`
              : 'Not scheduled yet.'}
        </p>
      ) : (
        <TraceView t={trace} pod={pod} />
      )}
    </section>
  );
}

/** INSUFFICIENT matches NodeResourcesFit's reason for a resource the node has too little of. */
const INSUFFICIENT = /^Insufficient (cpu|memory)$/;

/**
 * shortfall puts numbers on an "Insufficient cpu" / "Insufficient memory" reason: what the pod requests and
 * what the node has left of its allocatable after its pods' requests, now (the scheduler's view at the attempt).
 */
function useShortfall(pod: Pod | undefined, t: ReadableTrace): (node: string, reason: string) => string {
  const wanted = t.filters.some((f) => f.reasons.some((r) => INSUFFICIENT.test(r)));
  const nodes = useCluster((s) => (wanted ? s.objects.Node : undefined));
  const pods = useCluster((s) => (wanted ? s.objects.Pod : undefined));
  return (node, reason) => {
    const m = INSUFFICIENT.exec(reason);
    const n = m && pod ? nodes?.get(objKey(undefined, node)) : undefined;
    if (!m || !n || !pod) return reason;
    const resource = m[1];
    const onNode = [...(pods?.values() ?? [])].filter((p) => p.spec?.nodeName === node) as Pod[];
    const u = nodeUsage(n as KNode, onNode, resource);
    const fmt = resource === 'cpu' ? formatCpu : formatBytes;
    return `${reason}: the pod requests ${fmt(podRequests(pod, resource))}, ${fmt(Math.max(0, u.allocatable - u.requested))} of ${fmt(u.allocatable)} is free`;
  };
}

function TraceView({ t, pod }: { t: ReadableTrace; pod?: Pod }) {
  const shortfall = useShortfall(pod, t);
  return (
    <>
      <p className={t.result === 'Scheduled' ? '' : 'bad-text'}>
        {t.binding
          ? `Placed on ${t.binding.node} at ${formatClock(t.at)}, not bound yet`
          : t.result === 'Scheduled'
            ? `Scheduled to ${t.node} at ${formatClock(t.at)}${t.boundAt !== undefined ? `, bound at ${formatClock(t.boundAt)} once its volumes were` : ''}`
            : `Unschedulable at ${formatClock(t.at)}`}
        : {t.feasibleNodes} of {t.evaluatedNodes} evaluated nodes fit
        {t.evaluatedNodes < t.numAllNodes ? ` (${t.numAllNodes} in the cluster)` : ''}.
      </p>
      {t.binding && (
        <p className="trace-msg">
          VolumeBinding&apos;s PreBind is waiting for the pod&apos;s PersistentVolumeClaims to be bound (a volume provisioned for {t.binding.node}); the pod is bound to the node once they are, and stays Pending until then.
        </p>
      )}
      {t.message && <p className="trace-msg">{t.message}</p>}
      {t.filters.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Node</th>
              <th>Filter</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {t.filters.map((f) => (
              <tr key={f.node}>
                <td className="node">{f.node}</td>
                <td>{f.plugin}</td>
                <td className="bad">{f.reasons.map((r) => shortfall(f.node, r)).join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {t.scores.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Node</th>
              <th>Score</th>
              <th>Plugins (normalized × weight)</th>
            </tr>
          </thead>
          <tbody>
            {t.scores.map((s) => (
              <tr key={s.node} className={s.node === t.node ? 'chosen' : ''}>
                <td className="node">{s.node}</td>
                <td>{s.total}</td>
                <td className="plugins">{s.plugins.map((p) => `${p.plugin} ${p.normalized}×${p.weight}`).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(t.skippedFilterPlugins.length > 0 || t.skippedScorePlugins.length > 0) && (
        // PreFilter and PreScore skip separately: PodTopologySpread has no hard constraint to filter
        // by for most pods, yet scores the default spreading.
        <p className="muted small">
          Skipped, with nothing to check for this pod:{' '}
          {t.skippedFilterPlugins.length > 0 && <>the filters {t.skippedFilterPlugins.join(', ')}</>}
          {t.skippedFilterPlugins.length > 0 && t.skippedScorePlugins.length > 0 && '; '}
          {t.skippedScorePlugins.length > 0 && <>the scores {t.skippedScorePlugins.join(', ')}</>}
        </p>
      )}
    </>
  );
}
