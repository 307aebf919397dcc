import type { KubeObject, Node, Pod, Service } from '../../api/types.ts';
import { formatCpu, formatMemory, parseQuantity } from '../../api/quantity.ts';
import { canonicalQuantity } from '../../api/canonical.ts';
import type { Sim } from '../../sim.ts';
import { formatEndpoints, nodeRoles } from '../printers/core.ts';
import { age } from '../printers/types.ts';
import { podsOnNode } from '../resources.ts';
import { decodeBase64 } from '../../kubelet/volumes.ts';
import { lastHeartbeat } from '../../kubelet/node.ts';
import { isoTime } from '../../clock.ts';
import { describeEvents, labelsAndAnnotations, PrefixWriter, rfc1123z } from './writer.ts';

/** describeService follows kubectl's ServiceDescriber (1.31: endpoints from the Endpoints object). */
export function describeService(sim: Sim, svc: Service): string {
  const w = new PrefixWriter();
  w.line(0, 'Name:', svc.metadata.name);
  w.line(0, 'Namespace:', svc.metadata.namespace ?? '');
  labelsAndAnnotations(w, svc);
  const sel = svc.spec.selector ?? {};
  const keys = Object.keys(sel).sort();
  w.line(0, 'Selector:', keys.length ? keys.map((k) => `${k}=${sel[k]}`).join(',') : '<none>');
  const type = svc.spec.type ?? 'ClusterIP';
  w.line(0, 'Type:', type);
  if (type !== 'ExternalName') {
    w.line(0, 'IP Family Policy:', svc.spec.ipFamilyPolicy ?? 'SingleStack');
    w.line(0, 'IP Families:', (svc.spec.ipFamilies ?? ['IPv4']).join(','));
    w.line(0, 'IP:', svc.spec.clusterIP ?? '');
    w.line(0, 'IPs:', (svc.spec.clusterIPs ?? (svc.spec.clusterIP ? [svc.spec.clusterIP] : [])).join(',') || '<none>');
  } else w.line(0, 'External Name:', svc.spec.externalName ?? '');
  const lb = (svc.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip || i.hostname);
  if (lb.length) w.line(0, 'LoadBalancer Ingress:', lb.join(', '));
  const ep = sim.store.get<KubeObject>('Endpoints', svc.metadata.namespace, svc.metadata.name);
  for (const p of svc.spec.ports ?? []) {
    const proto = p.protocol ?? 'TCP';
    w.line(0, 'Port:', p.name || '<unset>', `${p.port}/${proto}`);
    w.line(0, 'TargetPort:', `${p.targetPort ?? p.port}/${proto}`);
    if (p.nodePort) w.line(0, 'NodePort:', p.name || '<unset>', `${p.nodePort}/${proto}`);
    if (type !== 'ExternalName') w.line(0, 'Endpoints:', ep ? endpointsForPort(ep, p.name) : '');
  }
  w.line(0, 'Session Affinity:', svc.spec.sessionAffinity ?? 'None');
  if (type === 'NodePort' || type === 'LoadBalancer') w.line(0, 'External Traffic Policy:', svc.spec.externalTrafficPolicy ?? 'Cluster');
  if (svc.spec.healthCheckNodePort) w.line(0, 'HealthCheck NodePort:', String(svc.spec.healthCheckNodePort));
  if (type !== 'ExternalName') w.line(0, 'Internal Traffic Policy:', svc.spec.internalTrafficPolicy ?? 'Cluster');
  describeEvents(w, sim, sim.eventsFor(svc));
  return w.toString();
}

function endpointsForPort(ep: KubeObject, portName: string | undefined): string {
  const s = formatEndpoints(ep, portName ?? '');
  return s === '<none>' ? '' : s;
}

function pct(used: number, total: number): string {
  return total > 0 ? `${Math.floor((used * 100) / total)}%` : '0%';
}

/** Sum is a sum of quantities: its value in milli-units, and the first quantity added (whose format the sum keeps). */
interface Sum {
  milli: number;
  first?: string;
}

function sumResources(pods: Pod[], kind: 'requests' | 'limits', res: string): Sum {
  const sum: Sum = { milli: 0 };
  for (const p of pods) {
    for (const c of p.spec.containers ?? []) {
      const q = c.resources?.[kind]?.[res] as string | undefined;
      if (q === undefined) continue;
      sum.first ??= String(q);
      sum.milli += parseQuantity(q) ?? 0;
    }
  }
  return sum;
}

/**
 * fmt prints a sum as resource.Quantity does: Add keeps the first quantity's format, so memory given in
 * bytes or decimal units ("1G") sums to decimal units and "64Mi" to binary ones.
 */
function fmt(res: string, sum: Sum): string {
  if (res === 'cpu') return formatCpu(sum.milli);
  const bytes = Math.round(sum.milli / 1000);
  if (sum.first !== undefined && !/[KMGTPE]i$/.test(sum.first)) return canonicalQuantity(String(bytes)) ?? String(bytes);
  return formatMemory(bytes);
}

/** STANDARD: the resources kubectl's Allocated resources table never lists as extended (IsStandardContainerResourceName, and pods). */
const STANDARD = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods', 'storage']);

/** describeNode follows kubectl's NodeDescriber (the parts the simulation has). */
export function describeNode(sim: Sim, node: Node): string {
  const w = new PrefixWriter();
  const now = sim.now();
  w.line(0, 'Name:', node.metadata.name);
  w.line(0, 'Roles:', nodeRoles(node));
  labelsAndAnnotations(w, node);
  w.line(0, 'CreationTimestamp:', rfc1123z(node.metadata.creationTimestamp));
  const taints = node.spec?.taints ?? [];
  if (taints.length) taints.forEach((t, i) => w.line(0, i === 0 ? 'Taints:' : '', `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`));
  else w.line(0, 'Taints:', '<none>');
  w.line(0, 'Unschedulable:', String(!!node.spec?.unschedulable));
  // describeNodeLease: the node's Lease in kube-node-lease, held and renewed every 10 s by its kubelet
  // (which never sets acquireTime); a failed node's renewals stop.
  const renewed = lastHeartbeat(sim, node.metadata.name);
  w.write(0, 'Lease:\n');
  w.line(1, 'HolderIdentity:', renewed === undefined ? '<unset>' : node.metadata.name);
  w.line(1, 'AcquireTime:', '<unset>');
  w.line(1, 'RenewTime:', renewed === undefined ? '<unset>' : rfc1123z(isoTime(renewed)));
  const conds = node.status?.conditions ?? [];
  if (conds.length) {
    w.write(0, 'Conditions:\n');
    w.line(1, 'Type', 'Status', 'LastHeartbeatTime', 'LastTransitionTime', 'Reason', 'Message');
    w.line(1, '----', '------', '-----------------', '------------------', '------', '-------');
    for (const c of conds) w.line(1, `${c.type} `, `${c.status} `, `${rfc1123z(c.lastHeartbeatTime)} `, `${rfc1123z(c.lastTransitionTime)} `, `${c.reason ?? ''} `, c.message ?? '');
  }
  w.write(0, 'Addresses:\n');
  for (const a of node.status?.addresses ?? []) w.line(1, `${a.type}:`, a.address);
  for (const [title, m] of [['Capacity', node.status?.capacity], ['Allocatable', node.status?.allocatable]] as const) {
    w.write(0, `${title}:\n`);
    for (const k of Object.keys(m ?? {}).sort()) w.line(1, `${k}:`, String(m![k]));
  }
  const info = node.status?.nodeInfo ?? {};
  w.write(0, 'System Info:\n');
  for (const [label, key] of [['Machine ID', 'machineID'], ['System UUID', 'systemUUID'], ['Boot ID', 'bootID'], ['Kernel Version', 'kernelVersion'], ['OS Image', 'osImage'], ['Operating System', 'operatingSystem'], ['Architecture', 'architecture'], ['Container Runtime Version', 'containerRuntimeVersion'], ['Kubelet Version', 'kubeletVersion'], ['Kube-Proxy Version', 'kubeProxyVersion']]) {
    w.line(1, `${label}:`, info[key] ?? '');
  }
  if (node.spec?.podCIDR) w.line(0, 'PodCIDR:', node.spec.podCIDR);
  if (node.spec?.podCIDRs?.length) w.line(0, 'PodCIDRs:', node.spec.podCIDRs.join(','));
  const pods = (podsOnNode(sim, node.metadata.name) as Pod[])
    .filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed')
    .sort((a, b) => (`${a.metadata.namespace}/${a.metadata.name}` < `${b.metadata.namespace}/${b.metadata.name}` ? -1 : 1));
  const alloc = node.status?.allocatable ?? {};
  const cpuA = parseQuantity(alloc.cpu) ?? 0;
  const memA = parseQuantity(alloc.memory) ?? 0;
  w.line(0, 'Non-terminated Pods:', `(${pods.length} in total)`);
  // kubectl's header and rows carry an empty column after Name (describeNodeResource's "Name\t\t").
  w.line(1, 'Namespace', 'Name', '', 'CPU Requests', 'CPU Limits', 'Memory Requests', 'Memory Limits', 'Age');
  w.line(1, '---------', '----', '', '------------', '----------', '---------------', '-------------', '---');
  for (const p of pods) {
    const cr = sumResources([p], 'requests', 'cpu');
    const cl = sumResources([p], 'limits', 'cpu');
    const mr = sumResources([p], 'requests', 'memory');
    const ml = sumResources([p], 'limits', 'memory');
    w.line(1, p.metadata.namespace ?? '', p.metadata.name, '', `${fmt('cpu', cr)} (${pct(cr.milli, cpuA)})`, `${fmt('cpu', cl)} (${pct(cl.milli, cpuA)})`, `${fmt('memory', mr)} (${pct(mr.milli, memA)})`, `${fmt('memory', ml)} (${pct(ml.milli, memA)})`, age(p.metadata.creationTimestamp, now));
  }
  w.write(0, 'Allocated resources:\n');
  w.write(1, '(Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.line(1, 'Resource', 'Requests', 'Limits');
  w.line(1, '--------', '--------', '------');
  // cpu, memory and ephemeral-storage always, then each huge page size the node has; then extended
  // resources (a GPU …), whose requests and limits kubectl prints without a percentage.
  const huge = Object.keys(alloc).filter((k) => k.startsWith('hugepages-')).sort();
  for (const res of ['cpu', 'memory', 'ephemeral-storage', ...huge]) {
    const total = parseQuantity(alloc[res]) ?? 0;
    const r = sumResources(pods, 'requests', res);
    const l = sumResources(pods, 'limits', res);
    w.line(1, res, `${fmt(res, r)} (${pct(r.milli, total)})`, `${fmt(res, l)} (${pct(l.milli, total)})`);
  }
  for (const res of Object.keys(alloc).filter((k) => !STANDARD.has(k) && !k.startsWith('hugepages-') && !k.startsWith('requests.') && !k.startsWith('limits.')).sort()) {
    w.line(1, res, String(Math.round(sumResources(pods, 'requests', res).milli / 1000)), String(Math.round(sumResources(pods, 'limits', res).milli / 1000)));
  }
  describeEvents(w, sim, sim.eventsFor(node));
  return w.toString();
}

/** base64Length is the number of bytes a base64 string decodes to. */
function base64Length(v: string): number {
  const s = String(v).replace(/\s/g, '');
  return Math.floor((s.length * 3) / 4) - (s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0);
}

/** describeGeneric is the fallback: metadata, then the object's remaining fields as indented YAML-like lines. */
export function describeGeneric(sim: Sim, obj: KubeObject): string {
  const w = new PrefixWriter();
  w.line(0, 'Name:', obj.metadata.name);
  if (obj.metadata.namespace) w.line(0, 'Namespace:', obj.metadata.namespace);
  labelsAndAnnotations(w, obj);
  if (obj.kind === 'ConfigMap') {
    // describeConfigMap: each value as it is, then a blank line before BinaryData; then the events.
    w.write(0, '\nData\n====\n');
    for (const [k, v] of Object.entries<string>(obj.data ?? {})) w.write(0, `${k}:\n----\n${v}\n`);
    w.write(0, '\nBinaryData\n====\n');
    for (const [k, v] of Object.entries<string>(obj.binaryData ?? {})) w.write(0, `${k}: ${base64Length(v)} bytes\n`);
    w.write(0, '\n');
  } else if (obj.kind === 'Secret') {
    // describeSecret: the type, then each key's size (a service account token's own value), and no events.
    w.write(0, '\n');
    w.line(0, 'Type:', obj.type ?? 'Opaque');
    w.write(0, '\nData\n====\n');
    // kubectl lists the keys sorted.
    for (const [k, v] of Object.entries<string>(obj.data ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (k === 'token' && obj.type === 'kubernetes.io/service-account-token') w.line(0, `${k}:`, decodeBase64(v));
      else w.line(0, `${k}:`, `${base64Length(v)} bytes`);
    }
    return w.toString();
  }
  describeEvents(w, sim, sim.eventsFor(obj));
  return w.toString();
}
