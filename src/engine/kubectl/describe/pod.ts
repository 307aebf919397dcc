import type { Pod } from '../../api/types.ts';
import { controllerRef } from '../../api/podutil.ts';
import { podQOSClass } from '../../api/qos.ts';
import type { Sim } from '../../sim.ts';
import { humanDuration, parseIsoTime } from '../../clock.ts';
import { describeContainers, describeVolumes, nodeSelectors, tolerations } from './podtemplate.ts';
import { describeEvents, labelsAndAnnotations, PrefixWriter, rfc1123z } from './writer.ts';

/** describePod follows kubectl's PodDescriber layout. */
export function describePod(sim: Sim, pod: Pod): string {
  const w = new PrefixWriter();
  const st = pod.status ?? {};
  w.line(0, 'Name:', pod.metadata.name);
  w.line(0, 'Namespace:', pod.metadata.namespace ?? '');
  w.line(0, 'Priority:', String(pod.spec.priority ?? 0));
  if (pod.spec.priorityClassName) w.line(0, 'Priority Class Name:', pod.spec.priorityClassName);
  w.line(0, 'Service Account:', pod.spec.serviceAccountName ?? 'default');
  if (pod.spec.nodeName) {
    const node = sim.store.get<any>('Node', undefined, pod.spec.nodeName);
    const ip = st.hostIP ?? node?.status?.addresses?.find((a: any) => a.type === 'InternalIP')?.address;
    w.line(0, 'Node:', ip ? `${pod.spec.nodeName}/${ip}` : pod.spec.nodeName);
  } else w.line(0, 'Node:', '<none>');
  if (st.startTime) w.line(0, 'Start Time:', rfc1123z(st.startTime));
  labelsAndAnnotations(w, pod);
  if (pod.metadata.deletionTimestamp) {
    w.line(0, 'Status:', `Terminating (lasts ${ago(sim, pod.metadata.deletionTimestamp)})`);
    w.line(0, 'Termination Grace Period:', `${pod.metadata.deletionGracePeriodSeconds ?? 30}s`);
  } else w.line(0, 'Status:', st.phase ?? 'Pending');
  if (st.reason) w.line(0, 'Reason:', st.reason);
  if (st.message) w.line(0, 'Message:', st.message.trim());
  w.line(0, 'IP:', st.podIP ?? '');
  const ips = st.podIPs ?? (st.podIP ? [{ ip: st.podIP }] : []);
  if (ips.length) {
    w.write(0, 'IPs:\n');
    for (const ip of ips) w.line(1, 'IP:', ip.ip);
  } else w.line(0, 'IPs:', '<none>');
  const ref = controllerRef(pod);
  if (ref) w.line(0, 'Controlled By:', `${ref.kind}/${ref.name}`);
  if (st.nominatedNodeName) w.line(0, 'NominatedNodeName:', st.nominatedNodeName);
  if (pod.spec.initContainers?.length) describeContainers(w, 'Init Containers', pod.spec.initContainers, st.initContainerStatuses ?? [], false, pod);
  describeContainers(w, 'Containers', pod.spec.containers ?? [], st.containerStatuses ?? [], false, pod);
  const gates = (pod.spec.readinessGates ?? []) as { conditionType: string }[];
  if (gates.length) {
    // Each gate with its condition's status, <none> until something sets it.
    w.write(0, 'Readiness Gates:\n');
    w.line(1, 'Type', 'Status');
    for (const g of gates) w.line(1, `${g.conditionType} `, `${st.conditions?.find((c) => c.type === g.conditionType)?.status ?? '<none>'} `);
  }
  if (st.conditions?.length) {
    w.write(0, 'Conditions:\n');
    w.line(1, 'Type', 'Status');
    for (const c of st.conditions) w.line(1, `${c.type} `, `${c.status} `);
  }
  describeVolumes(w, pod.spec.volumes, false);
  w.line(0, 'QoS Class:', pod.status?.qosClass ?? podQOSClass(pod.spec));
  nodeSelectors(w, 0, pod.spec);
  tolerations(w, 0, pod.spec.tolerations);
  describeEvents(w, sim, sim.eventsFor(pod));
  return w.toString();
}

/** ago is the time left until the deletion deadline, as "Terminating (lasts 25s)". */
function ago(sim: Sim, iso: string): string {
  return humanDuration(Math.max(0, parseIsoTime(iso) - sim.now()));
}
