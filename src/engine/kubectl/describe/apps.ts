import { formatSelector } from '../../api/selector.ts';
import type { Deployment, ReplicaSet } from '../../api/types.ts';
import { controllerRef } from '../../api/podutil.ts';
import type { Sim } from '../../sim.ts';
import { writePodTemplate } from './podtemplate.ts';
import { podsStatus } from './workloads.ts';
import { describeEvents, labelsAndAnnotations, PrefixWriter, rfc1123z } from './writer.ts';

function sortKeys(v: any): any {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

/** templateEqual is EqualIgnoreHash: pod templates equal after dropping the pod-template-hash label. */
export function templateEqual(a: any, b: any): boolean {
  const strip = (t: any) => {
    const c = JSON.parse(JSON.stringify(t ?? {}));
    if (c.metadata?.labels) delete c.metadata.labels['pod-template-hash'];
    return JSON.stringify(sortKeys(c));
  };
  return strip(a) === strip(b);
}

function owned(sim: Sim, d: Deployment): ReplicaSet[] {
  return sim.store.list<ReplicaSet>('ReplicaSet', d.metadata.namespace).filter((rs) => rs.metadata.ownerReferences?.some((r) => r.controller && r.uid === d.metadata.uid));
}

const rsSummary = (rs: ReplicaSet) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec.replicas ?? 0} replicas created)`;

/** describeDeployment follows kubectl's DeploymentDescriber. */
export function describeDeployment(sim: Sim, d: Deployment): string {
  const w = new PrefixWriter();
  const st = d.status ?? {};
  w.line(0, 'Name:', d.metadata.name);
  w.line(0, 'Namespace:', d.metadata.namespace ?? '');
  w.line(0, 'CreationTimestamp:', rfc1123z(d.metadata.creationTimestamp));
  labelsAndAnnotations(w, d);
  w.line(0, 'Selector:', formatSelector(d.spec.selector));
  w.line(0, 'Replicas:', `${d.spec.replicas ?? 1} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable`);
  const type = d.spec.strategy?.type ?? 'RollingUpdate';
  w.line(0, 'StrategyType:', type);
  w.line(0, 'MinReadySeconds:', String(d.spec.minReadySeconds ?? 0));
  if (type === 'RollingUpdate') {
    const ru = d.spec.strategy?.rollingUpdate ?? {};
    w.line(0, 'RollingUpdateStrategy:', `${ru.maxUnavailable ?? '25%'} max unavailable, ${ru.maxSurge ?? '25%'} max surge`);
  }
  writePodTemplate(w, d.spec.template);
  if (st.conditions?.length) {
    w.write(0, 'Conditions:\n');
    w.line(1, 'Type', 'Status', 'Reason');
    w.line(1, '----', '------', '------');
    for (const c of st.conditions) w.line(1, `${c.type} `, c.status, c.reason ?? '');
  }
  const rss = owned(sim, d);
  const newRS = rss.find((rs) => templateEqual(rs.spec.template, d.spec.template));
  const old = rss.filter((rs) => rs !== newRS && (rs.spec.replicas ?? 0) !== 0);
  w.line(0, 'OldReplicaSets:', old.length ? old.map(rsSummary).join(', ') : '<none>');
  w.line(0, 'NewReplicaSet:', newRS ? rsSummary(newRS) : '<none>');
  describeEvents(w, sim, sim.eventsFor(d));
  return w.toString();
}

/** describeReplicaSet follows kubectl's ReplicaSetDescriber. */
export function describeReplicaSet(sim: Sim, rs: ReplicaSet): string {
  return describeReplicas(sim, rs, formatSelector(rs.spec.selector), true);
}

/** describeReplicationController follows kubectl's ReplicationControllerDescriber: a ReplicaSet's, with a label-map selector and no Controlled By. */
export function describeReplicationController(sim: Sim, rc: ReplicaSet): string {
  return describeReplicas(sim, rc, formatSelector({ matchLabels: (rc.spec.selector as unknown as Record<string, string> | undefined) ?? {} }), false);
}

function describeReplicas(sim: Sim, rs: ReplicaSet, selector: string, controlledBy: boolean): string {
  const w = new PrefixWriter();
  w.line(0, 'Name:', rs.metadata.name);
  w.line(0, 'Namespace:', rs.metadata.namespace ?? '');
  w.line(0, 'Selector:', selector);
  labelsAndAnnotations(w, rs);
  const ref = controlledBy ? controllerRef(rs) : undefined;
  if (ref) w.line(0, 'Controlled By:', `${ref.kind}/${ref.name}`);
  w.line(0, 'Replicas:', `${rs.status?.replicas ?? 0} current / ${rs.spec.replicas ?? 0} desired`);
  w.line(0, 'Pods Status:', podsStatus(sim, rs));
  writePodTemplate(w, rs.spec.template);
  const conds = rs.status?.conditions ?? [];
  if (conds.length) {
    // Conditions (ReplicaFailure when pods cannot be created) follow the template, as in kubectl.
    w.write(0, 'Conditions:\n');
    w.line(1, 'Type', 'Status', 'Reason');
    w.line(1, '----', '------', '------');
    for (const c of conds) w.line(1, `${c.type} `, c.status, c.reason ?? '');
  }
  describeEvents(w, sim, sim.eventsFor(rs));
  return w.toString();
}
