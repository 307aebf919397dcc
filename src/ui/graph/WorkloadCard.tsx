/**
 * WorkloadCard is the React Flow node for a Deployment or an Argo Rollout (with its ReplicaSets, each
 * in its revision colour; a Rollout's also marked stable/canary/active/preview as the Argo plugin does)
 * or a Service (type, cluster IP, ports, ready endpoints).
 */
import { memo } from 'react';
import { Handle, Position, type Node as FlowNode, type NodeProps } from '@xyflow/react';
import type { Deployment, KubeObject, ReplicaSet, Service } from '../../engine/api/types.ts';
import { useRevisionColor } from './colors.ts';
import { useUi } from '../state/ui.ts';
import { useCluster } from '../state/cluster.ts';
import { ServiceTraffic, trafficText } from './ServiceTraffic.tsx';
import { SCALE_DOWN_DEADLINE_ANNOTATION } from '../../engine/controllers/rollout/util.ts';
import { scaleDownNote } from '../rollout/scaleDown.ts';
import { CardKind } from './CardKind.tsx';

export interface DeploymentCardData extends Record<string, unknown> {
  deployment: Deployment;
  replicaSets: ReplicaSet[];
}

export interface RolloutCardData extends Record<string, unknown> {
  rollout: KubeObject;
  replicaSets: ReplicaSet[];
}

export interface ServiceCardData extends Record<string, unknown> {
  service: Service;
  endpoints: number;
}

export function selectable(kind: string, namespace: string, name: string) {
  return () => useUi.getState().select({ kind, namespace, name });
}

export function useSelected(kind: string, namespace: string, name: string): boolean {
  return useUi((s) => s.selected?.kind === kind && s.selected.namespace === namespace && s.selected.name === name);
}

/**
 * OwnerHandles are a card's ownership-edge sources: one per id along the card's bottom border (in row
 * order), so the Cluster view's ownership edges leave the card below its rows.
 */
export function OwnerHandles({ ids }: { ids: string[] }) {
  return (
    <>
      {ids.map((id, i) => (
        <Handle key={id} type="source" id={id} position={Position.Bottom} className="flow-handle" style={{ left: `${((i + 1) / (ids.length + 1)) * 100}%` }} isConnectable={false} />
      ))}
    </>
  );
}

/** rsHandles: the handle ids of a Deployment's or Rollout's ReplicaSet rows. */
const rsHandles = (replicaSets: ReplicaSet[]) => replicaSets.map((rs) => `rs/${rs.metadata.name}`);

/** CardRow is one row inside a workload card: an object it owns (a ReplicaSet, a revision, a Job) with its swatch, label and count. */
export function CardRow({ obj, colorKey, label, stat, aria }: { obj: KubeObject; colorKey: string; label: string; stat: string; aria: string }) {
  const ns = obj.metadata.namespace ?? 'default';
  const color = useRevisionColor(colorKey);
  return (
    <button type="button" className="card-row nopan" data-kind={obj.kind} data-name={obj.metadata.name} data-namespace={ns} onClick={selectable(obj.kind, ns, obj.metadata.name)} data-revision-color={color}>
      <span className="swatch" style={{ background: color }} aria-hidden="true" />
      {/* Its name is the words in full ("ReplicaSet web-5d8f (stable), 3 of 3 ready"), the hash and role
          drawn among them; an aria-label would leave the drawn words out for a speech user. */}
      <span className="visually-hidden">{aria}</span>
      <span className="card-row-name" title={aria} aria-hidden="true">
        {label}
      </span>
      <span className="card-stat" aria-hidden="true">
        {stat}
      </span>
    </button>
  );
}

/** ReplicaSetRow is one ReplicaSet inside a workload card: its revision swatch, hash, role and ready count. */
function ReplicaSetRow({ rs, hash, role }: { rs: ReplicaSet; hash: string | undefined; role?: string }) {
  const ready = `${rs.status?.readyReplicas ?? 0}/${rs.spec?.replicas ?? 0}`;
  return (
    <CardRow
      obj={rs}
      colorKey={hash ?? rs.metadata.name}
      label={`rs ${hash ?? rs.metadata.name}${role ? ` · ${role}` : ''}`}
      stat={ready}
      aria={`ReplicaSet ${rs.metadata.name}${role ? ` (${role})` : ''}, ${rs.status?.readyReplicas ?? 0} of ${rs.spec?.replicas ?? 0} ready`}
    />
  );
}

export const DeploymentCard = memo(function DeploymentCard({ data }: NodeProps<FlowNode<DeploymentCardData>>) {
  const d = data.deployment;
  const ns = d.metadata.namespace ?? 'default';
  const selected = useSelected('Deployment', ns, d.metadata.name);
  const want = d.spec?.replicas ?? 1;
  const ready = d.status?.readyReplicas ?? 0;
  return (
    <div className={`card${selected ? ' selected' : ''}`} data-kind="Deployment" data-name={d.metadata.name} data-namespace={ns} aria-label={`Deployment ${d.metadata.name}, ${ready}/${want} ready`}>
      <button type="button" className="card-head nopan" onClick={selectable('Deployment', ns, d.metadata.name)} >
        <CardKind short="deploy" kind="deployment" />
        <span className="card-name">{d.metadata.name}</span>
        <span className="card-stat">
          {ready}/{want}
        </span>
      </button>
      {data.replicaSets.map((rs) => (
        <ReplicaSetRow key={rs.metadata.uid ?? rs.metadata.name} rs={rs} hash={rs.metadata.labels?.['pod-template-hash']} />
      ))}
      <OwnerHandles ids={rsHandles(data.replicaSets)} />
    </div>
  );
});

/** rolloutRole is the INFO marker `kubectl argo rollouts get` prints for a ReplicaSet. */
export function rolloutRole(ro: KubeObject, hash: string | undefined): string | undefined {
  if (!hash) return undefined;
  const st = ro.status ?? {};
  if (ro.spec?.strategy?.blueGreen) {
    if (st.blueGreen?.activeSelector === hash) return 'active';
    if (st.blueGreen?.previewSelector === hash) return 'preview';
    return st.stableRS === hash ? 'stable' : undefined;
  }
  if (st.stableRS === hash) return 'stable';
  if (st.currentPodHash === hash) return 'canary';
  return undefined;
}

/** rolloutSummary is the card's sub line: phase, and for a canary the step and weight. */
function rolloutSummary(ro: KubeObject): string {
  const st = ro.status ?? {};
  const parts: string[] = [st.phase ?? 'Progressing'];
  const steps = ro.spec?.strategy?.canary?.steps as unknown[] | undefined;
  if (steps?.length) parts.push(`step ${Math.min(st.currentStepIndex ?? 0, steps.length)}/${steps.length}`);
  const weight = st.canary?.weights?.canary?.weight;
  if (typeof weight === 'number') parts.push(`weight ${weight}%`);
  if (st.abort) parts.push('aborted');
  return parts.join(' · ');
}

export const RolloutCard = memo(function RolloutCard({ data }: NodeProps<FlowNode<RolloutCardData>>) {
  const ro = data.rollout;
  // Whole seconds of the clock, for the old ReplicaSet's scale-down countdown (only read while one waits).
  const waiting = data.replicaSets.some((rs) => rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION]);
  const second = useCluster((s) => (waiting ? Math.floor(s.clock.t / 1000) : 0));
  const ns = ro.metadata.namespace ?? 'default';
  const selected = useSelected('Rollout', ns, ro.metadata.name);
  const want = ro.spec?.replicas ?? 1;
  // AVAILABLE of DESIRED, as `kubectl get rollout` prints them: a blue/green Rollout counts its active
  // ReplicaSet only (readyReplicas counts the old one too while it waits to scale down: "6/3").
  const available = ro.status?.availableReplicas ?? 0;
  return (
    <div className={`card${selected ? ' selected' : ''}`} data-kind="Rollout" data-name={ro.metadata.name} data-namespace={ns} aria-label={`Rollout ${ro.metadata.name}, ${available}/${want} available, ${rolloutSummary(ro)}`}>
      <button type="button" className="card-head nopan" onClick={selectable('Rollout', ns, ro.metadata.name)} >
        <CardKind short="rollout" kind="rollout" />
        <span className="card-name">{ro.metadata.name}</span>
        <span className="card-stat">
          {available}/{want}
        </span>
      </button>
      <div className="card-sub">{[rolloutSummary(ro), ...data.replicaSets.map((rs) => scaleDownNote(rs, second * 1000)).filter(Boolean)].join(' · ')}</div>
      {data.replicaSets.map((rs) => {
        const hash = rs.metadata.labels?.['rollouts-pod-template-hash'];
        return <ReplicaSetRow key={rs.metadata.uid ?? rs.metadata.name} rs={rs} hash={hash} role={rolloutRole(ro, hash)} />;
      })}
      <OwnerHandles ids={rsHandles(data.replicaSets)} />
    </div>
  );
});

/**
 * serviceExternal is kubectl's EXTERNAL-IP for a Service: the LoadBalancer ingress IPs or hostnames, else
 * spec.externalIPs, "<pending>" for a LoadBalancer without an address yet; undefined when it has none.
 */
export function serviceExternal(s: Service): string | undefined {
  const lb = ((s.status as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined)?.loadBalancer?.ingress ?? [])
    .map((i) => i.ip ?? i.hostname)
    .filter((x): x is string => !!x);
  const ext = [...lb, ...((s.spec as { externalIPs?: string[] } | undefined)?.externalIPs ?? [])];
  if (ext.length > 0) return ext.join(',');
  return s.spec?.type === 'LoadBalancer' ? '<pending>' : undefined;
}

export const ServiceCard = memo(function ServiceCard({ data }: NodeProps<FlowNode<ServiceCardData>>) {
  const s = data.service;
  const ns = s.metadata.namespace ?? 'default';
  const selected = useSelected('Service', ns, s.metadata.name);
  const ports = (s.spec?.ports ?? []).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(', ');
  const external = serviceExternal(s);
  // The card re-renders when this Service's traffic changes (once per simulated second at most).
  const traffic = useCluster((st) => st.traffic?.services[`${ns}/${s.metadata.name}`]);
  return (
    <div
      className={`card${selected ? ' selected' : ''}`}
      data-kind="Service"
      data-name={s.metadata.name}
      data-namespace={ns}
      data-rps={traffic?.rps ?? 0}
      aria-label={`Service ${s.metadata.name}, ${data.endpoints} ready endpoints, ${trafficText(traffic)}`}
      // The whole card inspects the Service (its head is the keyboard's way in).
      onClick={selectable('Service', ns, s.metadata.name)}
    >
      <button type="button" className="card-head nopan" onClick={selectable('Service', ns, s.metadata.name)} >
        <CardKind short="svc" kind="service" />
        <span className="card-name">{s.metadata.name}</span>
        <span className="card-stat">{data.endpoints} ep</span>
      </button>
      <div className="card-sub" title={`${s.spec?.type ?? 'ClusterIP'} ${s.spec?.clusterIP ?? ''}`}>
        {s.spec?.type ?? 'ClusterIP'} {s.spec?.clusterIP ?? ''}
      </div>
      <div className="card-sub card-addr" title={`${ports}${external ? ` · external ${external}` : ''}`}>
        {ports || 'no ports'}
        {external && <span className="card-ext"> · ext {external}</span>}
      </div>
      <ServiceTraffic traffic={traffic} />
      {/* Traffic view edges: requests come in on the left and leave on the right. */}
      <Handle type="target" position={Position.Left} className="flow-handle" isConnectable={false} />
      <Handle type="source" position={Position.Right} className="flow-handle" isConnectable={false} />
    </div>
  );
});
