/**
 * TrafficNodes are the Traffic view's own React Flow nodes: the Internet (where the scenario's clients
 * are), an Ingress (its class, its host/path → service rules, and for an ingress-nginx canary its weight
 * or header), and a Service's pods of one revision (each pod's STATUS and rate, the rest counted).
 * Services reuse the Cluster view's ServiceCard.
 */
import { memo } from 'react';
import { Handle, Position, type Node as FlowNode, type NodeProps } from '@xyflow/react';
import type { KubeObject } from '../../engine/api/types.ts';
import { useUi } from '../state/ui.ts';
import { useCluster } from '../state/cluster.ts';
import { statusTone, useRevisionColor } from './colors.ts';
import { formatRps } from './ServiceTraffic.tsx';
import { PodName, PodRps } from './PodChip.tsx';
import { GROUP_ROWS, canaryText, type CanaryInfo, type IngressRule, type PodGroup } from './trafficModel.ts';
import type { PodView } from './model.ts';
import { CardKind } from './CardKind.tsx';

export interface InternetData extends Record<string, unknown> {
  rps: number;
  partial: boolean;
}

export const InternetNode = memo(function InternetNode({ data }: NodeProps<FlowNode<InternetData>>) {
  return (
    <div className="card tnode tinternet" data-kind="Internet" data-name="internet" data-namespace="" data-rps={data.rps} aria-label={`Internet: ${data.partial ? 'at least ' : ''}${formatRps(data.rps)} requests per second in`}>
      <div className="tinternet-icon" aria-hidden="true">
        ◍
      </div>
      <div className="tinternet-name">Internet</div>
      {data.rps > 0 || data.partial ? (
        <div className="card-sub tinternet-rps">
          {data.partial ? '≥ ' : ''}
          {formatRps(data.rps)} rps
        </div>
      ) : (
        // No clients at all: say how to add some, not a bare 0.0 rps with no edge to follow.
        <div className="card-sub tinternet-rps" title="Start clients with kubeplay traffic set --rps 20 --host SERVICE-OR-INGRESS-HOST">
          no clients
        </div>
      )}
      <Handle type="source" position={Position.Right} className="flow-handle" isConnectable={false} />
    </div>
  );
});

export interface PodClientData extends Record<string, unknown> {
  /** pod: "namespace/name" */
  pod: string;
  rps: number;
}

/** PodClientNode is a pod that sends requests itself (a load generator's loop, or kubectl exec … wget), with its rate; a click selects it. */
export const PodClientNode = memo(function PodClientNode({ data }: NodeProps<FlowNode<PodClientData>>) {
  const [ns, name] = data.pod.split('/', 2);
  const select = useUi((s) => s.select);
  return (
    <button
      type="button"
      className="card tnode tinternet tclient nodrag"
      data-kind="Pod"
      data-role="client"
      data-name={name}
      data-namespace={ns}
      data-rps={data.rps}
      aria-label={`Pod ${name}: ${formatRps(data.rps)} requests per second sent from inside the cluster`}
      title={`Pod ${name} sends these requests itself: a loop in one of its containers, or commands run in it with kubectl exec`}
      onClick={() => select({ kind: 'Pod', namespace: ns, name })}
    >
      <div className="tclient-kind">pod</div>
      <div className="tinternet-name tclient-name">{name}</div>
      <div className="card-sub tinternet-rps">{formatRps(data.rps)} rps</div>
      <Handle type="source" position={Position.Right} className="flow-handle" isConnectable={false} />
    </button>
  );
});

export interface IngressData extends Record<string, unknown> {
  ingress: KubeObject;
  rules: IngressRule[];
  ingressClass: string | undefined;
  canary: CanaryInfo | undefined;
}

export const IngressNode = memo(function IngressNode({ data }: NodeProps<FlowNode<IngressData>>) {
  const ing = data.ingress;
  const ns = ing.metadata.namespace ?? 'default';
  const name = ing.metadata.name;
  const selected = useUi((s) => s.selected?.kind === 'Ingress' && s.selected.namespace === ns && s.selected.name === name);
  const rulesText = data.rules.map((r) => `${r.host}${r.path} → ${r.service}:${r.port}`).join('; ');
  return (
    <div
      className={`card tnode tingress${data.canary ? ' tingress-canary' : ''}${selected ? ' selected' : ''}`}
      data-kind="Ingress"
      data-name={name}
      data-namespace={ns}
      data-canary={data.canary ? 'true' : undefined}
      aria-label={`Ingress ${name}${data.ingressClass ? `, class ${data.ingressClass}` : ''}${data.canary ? `, canary ${canaryText(data.canary)}` : ''}: ${rulesText || 'no rules'}`}
    >
      <button type="button" className="card-head nopan" onClick={() => useUi.getState().select({ kind: 'Ingress', namespace: ns, name })} >
        <CardKind short={data.canary ? 'canary ing' : 'ingress'} kind={data.canary ? 'canary ingress' : 'ingress'} />
        <span className="card-name">{name}</span>
      </button>
      <div className="card-sub">class {data.ingressClass ?? '(default)'}</div>
      {data.canary && <div className="tcanary">{canaryText(data.canary)}</div>}
      <ul className="trules">
        {data.rules.map((r, i) => (
          <li key={i} className="trule" data-host={r.host} data-path={r.path} data-service={r.service} title={`${r.host}${r.path} (${r.pathType || 'default backend'}) → ${r.service}:${r.port}`}>
            <span className="trule-hp">
              {r.host === '*' ? '' : r.host}
              {r.path}
            </span>
            <span className="trule-arrow" aria-hidden="true">
              →
            </span>
            <span className="trule-svc">{r.service}</span>
          </li>
        ))}
        {data.rules.length === 0 && <li className="trule muted">no rules</li>}
      </ul>
      <Handle type="target" position={Position.Left} className="flow-handle" isConnectable={false} />
      <Handle type="source" position={Position.Right} className="flow-handle" isConnectable={false} />
      <Handle type="source" id="canary" position={Position.Bottom} className="flow-handle" isConnectable={false} />
      <Handle type="target" id="canary" position={Position.Top} className="flow-handle" isConnectable={false} />
    </div>
  );
});

function PodLine({ view, service }: { view: PodView; service: string }) {
  const pod = view.pod;
  const ns = pod.metadata.namespace ?? 'default';
  const rps = useCluster((s) => s.traffic?.pods[`${ns}/${pod.metadata.name}`]?.rps ?? 0);
  const errors = useCluster((s) => s.traffic?.pods[`${ns}/${pod.metadata.name}`]?.errors ?? 0);
  const tone = statusTone(view.status, view.ready);
  const select = () => useUi.getState().select({ kind: 'Pod', namespace: ns, name: pod.metadata.name });
  // The list's item holds the button: a <li> that is a button is no list item.
  return (
    <li>
      <div
        className={`tpod nopan tone-${tone}`}
        data-kind="Pod"
        data-name={pod.metadata.name}
        data-namespace={ns}
        data-phase={view.status}
        data-service={service}
        data-rps={rps}
        role="button"
        tabIndex={0}
        onClick={(e) => {
          e.stopPropagation();
          select();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            select();
          }
        }}
      >
        <span className={`dot ${view.ready ? 'dot-ready' : 'dot-unready'}`} aria-hidden="true" />
        <PodName name={pod.metadata.name} short={view.short} ready={view.ready} className="tpod-name" />
        <span className="tpod-status">{view.status}</span>
        {rps > 0 ? <PodRps rps={rps} errors={errors} className={`tpod-rps${errors > 0 ? ' pod-rps-bad' : ''}`} /> : <span className="tpod-rps" />}
      </div>
    </li>
  );
}

export interface PodGroupData extends Record<string, unknown> {
  group: PodGroup;
}

export const PodGroupNode = memo(function PodGroupNode({ data }: NodeProps<FlowNode<PodGroupData>>) {
  const g = data.group;
  const color = useRevisionColor(g.revision || undefined);
  const ns = g.pods[0]?.pod.metadata.namespace ?? 'default';
  const ready = g.pods.filter((v) => v.ready).length;
  const shown = g.pods.slice(0, GROUP_ROWS);
  const kind = g.owner?.kind ?? 'PodGroup';
  const name = g.owner?.name ?? g.revision;
  return (
    <div
      className="card tnode tpods"
      style={{ borderLeft: `5px solid ${color}` }}
      data-kind={kind}
      data-name={name}
      data-namespace={ns}
      data-service={g.service}
      data-revision={g.revision}
      data-count={g.pods.length}
      data-revision-color={color}
      aria-label={`${g.pods.length} pods of ${g.label} behind Service ${g.service.slice(g.service.indexOf('/') + 1)}, ${ready} ready${g.rps !== undefined ? `, ${formatRps(g.rps)} rps` : ''}`}
    >
      <button type="button" className="card-head nopan" onClick={() => g.owner && useUi.getState().select({ kind: g.owner.kind, namespace: ns, name: g.owner.name })}>
        <span className="visually-hidden">Inspect </span>
        <span className="swatch" style={{ background: color }} aria-hidden="true" />
        <span className="card-name tpods-label">{g.label}</span>
        <span className="card-stat">
          {ready}/{g.pods.length} ready
        </span>
      </button>
      <ul className="tpod-list">
        {shown.map((v) => (
          <PodLine key={v.pod.metadata.uid ?? v.pod.metadata.name} view={v} service={g.service} />
        ))}
        {g.pods.length > GROUP_ROWS && <li className="tpod tpod-more">+{g.pods.length - GROUP_ROWS} more</li>}
      </ul>
      <Handle type="target" position={Position.Left} className="flow-handle" isConnectable={false} />
    </div>
  );
});
