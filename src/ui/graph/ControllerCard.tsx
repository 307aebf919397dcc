/**
 * ControllerCard is the React Flow node for a StatefulSet, a DaemonSet, a CronJob or a Job (see
 * controllerModel.ts): kind, name and kubectl's READY/COMPLETIONS figure in the head, one line of state,
 * then a row per revision with pods (StatefulSet, DaemonSet) or per Job kept (CronJob), each in the colour
 * its pods are drawn in. Clicking the head or a row inspects that object.
 */
import { memo } from 'react';
import type { Node as FlowNode, NodeProps } from '@xyflow/react';
import type { KubeObject } from '../../engine/api/types.ts';
import { jobCompletions, jobStatus } from '../../engine/kubectl/printers/batch.ts';
import { CardRow, OwnerHandles, selectable, useSelected } from './WorkloadCard.tsx';
import { SHORT, headStat, podRevisionLabel, revisionRole, rowHandle, subLine, type ControllerCardData, type ControllerKind } from './controllerModel.ts';
import { CardKind } from './CardKind.tsx';

/** RevisionRow: a StatefulSet's or DaemonSet's ControllerRevision, with its ready/total pods. */
function RevisionRow({ owner, rev, ready, total }: { owner: KubeObject; rev: KubeObject; ready: number; total: number }) {
  const name = rev.metadata.name;
  const hash = name.startsWith(`${owner.metadata.name}-`) ? name.slice(owner.metadata.name.length + 1) : name;
  const role = revisionRole(owner, name);
  return (
    <CardRow
      obj={rev}
      colorKey={podRevisionLabel(owner, rev)}
      label={`rev ${rev.revision ?? '?'} · ${role ?? hash}`}
      stat={`${ready}/${total}`}
      aria={`ControllerRevision ${name}, revision ${rev.revision ?? '?'}${role ? `, ${role}` : ''}, ${ready} of ${total} pods ready`}
    />
  );
}

/** JobRow: one of a CronJob's Jobs, with its STATUS and COMPLETIONS. */
function JobRow({ owner, job }: { owner: KubeObject; job: KubeObject }) {
  const name = job.metadata.name;
  const short = name.startsWith(`${owner.metadata.name}-`) ? name.slice(owner.metadata.name.length + 1) : name;
  const status = jobStatus(job);
  return <CardRow obj={job} colorKey={name} label={`job ${short} · ${status}`} stat={jobCompletions(job)} aria={`Job ${name}, ${status}, ${jobCompletions(job)} completions`} />;
}

export const ControllerCard = memo(function ControllerCard({ data }: NodeProps<FlowNode<ControllerCardData>>) {
  const o = data.object;
  const kind = o.kind as ControllerKind;
  const ns = o.metadata.namespace ?? 'default';
  const selected = useSelected(kind, ns, o.metadata.name);
  const stat = headStat(o);
  const sub = subLine(o);
  const handles = kind === 'Job' ? ['pods'] : data.rows.map(rowHandle);
  return (
    <div className={`card${selected ? ' selected' : ''}`} data-kind={kind} data-name={o.metadata.name} data-namespace={ns} aria-label={`${kind} ${o.metadata.name}, ${kind === 'CronJob' ? `schedule ${stat}` : stat}, ${sub}`}>
      <button type="button" className="card-head nopan" onClick={selectable(kind, ns, o.metadata.name)} >
        <CardKind short={SHORT[kind]} kind={kind.toLowerCase()} />
        <span className="card-name" title={o.metadata.name}>
          {o.metadata.name}
        </span>
        <span className="card-stat">{stat}</span>
      </button>
      <div className="card-sub" title={sub}>
        {sub}
      </div>
      {kind === 'CronJob'
        ? data.rows.map((j) => <JobRow key={j.metadata.uid ?? j.metadata.name} owner={o} job={j} />)
        : data.rows.map((r, i) => <RevisionRow key={r.metadata.uid ?? r.metadata.name} owner={o} rev={r} ready={data.ready[i] ?? 0} total={data.total[i] ?? 0} />)}
      <OwnerHandles ids={handles} />
    </div>
  );
});
