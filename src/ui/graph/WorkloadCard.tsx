/**
 * WorkloadCard is the React Flow node for a Deployment (with its ReplicaSets, each in its revision
 * colour) or a Service (type, cluster IP, ports, ready endpoints).
 */
import { memo } from 'react';
import type { Node as FlowNode, NodeProps } from '@xyflow/react';
import type { Deployment, ReplicaSet, Service } from '../../engine/api/types.ts';
import { revisionColor } from './colors.ts';
import { useUi } from '../state/ui.ts';

export interface DeploymentCardData extends Record<string, unknown> {
  deployment: Deployment;
  replicaSets: ReplicaSet[];
}

export interface ServiceCardData extends Record<string, unknown> {
  service: Service;
  endpoints: number;
}

function selectable(kind: string, namespace: string, name: string) {
  return () => useUi.getState().select({ kind, namespace, name });
}

function useSelected(kind: string, namespace: string, name: string): boolean {
  return useUi((s) => s.selected?.kind === kind && s.selected.namespace === namespace && s.selected.name === name);
}

export const DeploymentCard = memo(function DeploymentCard({ data }: NodeProps<FlowNode<DeploymentCardData>>) {
  const d = data.deployment;
  const ns = d.metadata.namespace ?? 'default';
  const selected = useSelected('Deployment', ns, d.metadata.name);
  const want = d.spec?.replicas ?? 1;
  const ready = d.status?.readyReplicas ?? 0;
  return (
    <div className={`card${selected ? ' selected' : ''}`} data-kind="Deployment" data-name={d.metadata.name} data-namespace={ns} aria-label={`Deployment ${d.metadata.name}, ${ready}/${want} ready`}>
      <button type="button" className="card-head nopan" onClick={selectable('Deployment', ns, d.metadata.name)} aria-label={`Inspect deployment ${d.metadata.name}`}>
        <span className="card-kind">deploy</span>
        <span className="card-name">{d.metadata.name}</span>
        <span className="card-stat">
          {ready}/{want}
        </span>
      </button>
      {data.replicaSets.map((rs) => {
        const hash = rs.metadata.labels?.['pod-template-hash'];
        const rsNs = rs.metadata.namespace ?? 'default';
        return (
          <button
            type="button"
            key={rs.metadata.uid ?? rs.metadata.name}
            className="card-row nopan"
            data-kind="ReplicaSet"
            data-name={rs.metadata.name}
            data-namespace={rsNs}
            aria-label={`ReplicaSet ${rs.metadata.name}, ${rs.status?.readyReplicas ?? 0} of ${rs.spec?.replicas ?? 0} ready`}
            onClick={selectable('ReplicaSet', rsNs, rs.metadata.name)}
          >
            <span className="swatch" style={{ background: revisionColor(hash ?? rs.metadata.name) }} aria-hidden="true" />
            <span className="card-row-name">rs {hash ?? rs.metadata.name}</span>
            <span className="card-stat">
              {rs.status?.readyReplicas ?? 0}/{rs.spec?.replicas ?? 0}
            </span>
          </button>
        );
      })}
    </div>
  );
});

export const ServiceCard = memo(function ServiceCard({ data }: NodeProps<FlowNode<ServiceCardData>>) {
  const s = data.service;
  const ns = s.metadata.namespace ?? 'default';
  const selected = useSelected('Service', ns, s.metadata.name);
  const ports = (s.spec?.ports ?? []).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(', ');
  return (
    <div className={`card${selected ? ' selected' : ''}`} data-kind="Service" data-name={s.metadata.name} data-namespace={ns} aria-label={`Service ${s.metadata.name}, ${data.endpoints} ready endpoints`}>
      <button type="button" className="card-head nopan" onClick={selectable('Service', ns, s.metadata.name)} aria-label={`Inspect service ${s.metadata.name}`}>
        <span className="card-kind">svc</span>
        <span className="card-name">{s.metadata.name}</span>
        <span className="card-stat">{data.endpoints} ep</span>
      </button>
      <div className="card-sub">
        {s.spec?.type ?? 'ClusterIP'} {s.spec?.clusterIP ?? ''} {ports}
      </div>
    </div>
  );
});
