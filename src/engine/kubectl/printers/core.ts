import type { EventObject, KubeObject, Node, Service } from '../../api/types.ts';
import { eventCount, eventSeen, eventSource } from './eventtime.ts';
import { mapSelectorString, objAge, type TablePrinter } from './types.ts';

/** servicePorts is makePortString: "80/TCP", "80:30080/TCP", comma-joined. */
export function servicePorts(svc: Service): string {
  const ports = svc.spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

/** externalIP is getServiceExternalIP. */
function externalIP(svc: Service): string {
  const type = svc.spec?.type ?? 'ClusterIP';
  const ext: string[] = svc.spec?.externalIPs ?? [];
  const lb = ((svc.status?.loadBalancer?.ingress ?? []) as { ip?: string; hostname?: string }[]).map((i) => i.ip || i.hostname || '').filter(Boolean);
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const all = [...lb, ...ext];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return svc.spec.externalName ?? '<none>';
  }
  return '<unknown>';
}

export const servicePrinter: TablePrinter = {
  columns: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
  wide: ['SELECTOR'],
  row(svc: Service, ctx) {
    return [svc.metadata.name, svc.spec?.type ?? 'ClusterIP', svc.spec?.clusterIP || '<none>', externalIP(svc), servicePorts(svc), objAge(svc, ctx.now)];
  },
  wideRow(svc: Service) {
    return [mapSelectorString(svc.spec?.selector)];
  },
};

/**
 * nodeStatus is printNode's STATUS: "Ready" when the Ready condition is True, "NotReady" for False *and*
 * Unknown (a node whose kubelet stopped posting), "Unknown" only without a Ready condition; then
 * ",SchedulingDisabled" when cordoned.
 */
export function nodeStatus(n: Node): string {
  const ready = (n.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const parts = [!ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (n.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** nodeRoles is findNodeRoles: node-role.kubernetes.io/<role> labels and kubernetes.io/role. */
export function nodeRoles(n: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(n.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

function address(n: Node, type: string): string {
  return (n.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';
}

export const nodePrinter: TablePrinter = {
  columns: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
  wide: ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
  row(n: Node, ctx) {
    return [n.metadata.name, nodeStatus(n), nodeRoles(n), objAge(n, ctx.now), n.status?.nodeInfo?.kubeletVersion ?? ''];
  },
  wideRow(n: Node) {
    const info = n.status?.nodeInfo ?? {};
    return [address(n, 'InternalIP'), address(n, 'ExternalIP'), info.osImage || '<unknown>', info.kernelVersion || '<unknown>', info.containerRuntimeVersion || '<unknown>'];
  },
};

/**
 * formatEndpoints is formatEndpoints in printers.go: for each subset, port by port, each address as ip:port
 * (a portless subset's addresses as bare IPs), at most 3, then " + N more..."; "<none>" without subsets, and
 * blank when the subsets hold only not-ready addresses. portName (describe service's) counts only the
 * ports of that name: a subset whose ports all have other names adds nothing.
 */
export function formatEndpoints(ep: KubeObject, portName?: string): string {
  const subsets: any[] = Array.isArray(ep.subsets) ? ep.subsets : [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let count = 0;
  for (const ss of subsets) {
    const addrs: { ip: string }[] = Array.isArray(ss?.addresses) ? ss.addresses : [];
    const ports: { port: number }[] = Array.isArray(ss?.ports) ? ss.ports : [];
    if (ports.length === 0) {
      count += addrs.length;
      for (const a of addrs) if (list.length < max) list.push(a.ip);
      continue;
    }
    for (const p of ports) {
      if (portName !== undefined && ((p as { name?: string }).name ?? '') !== portName) continue;
      count += addrs.length;
      for (const a of addrs) if (list.length < max) list.push(`${a.ip}:${p.port}`);
    }
  }
  const s = list.join(',');
  return count > max ? `${s} + ${count - max} more...` : s;
}

export const endpointsPrinter: TablePrinter = {
  columns: ['NAME', 'ENDPOINTS', 'AGE'],
  row: (ep: KubeObject, ctx) => [ep.metadata.name, formatEndpoints(ep), objAge(ep, ctx.now)],
};

export const endpointSlicePrinter: TablePrinter = {
  columns: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
  row(es: KubeObject, ctx) {
    const ports: { port?: number }[] = es.ports ?? [];
    const portStr = ports.length ? ports.map((p) => (p.port === undefined ? '<unset>' : String(p.port))).join(',') : '<unset>';
    const addrs: string[] = [];
    let count = 0;
    for (const e of es.endpoints ?? []) for (const a of e.addresses ?? []) {
      count++;
      if (addrs.length < 3) addrs.push(a);
    }
    let epStr = count === 0 ? '<unset>' : addrs.join(',');
    if (count > addrs.length) epStr += ` + ${count - addrs.length} more...`;
    return [es.metadata.name, es.addressType ?? 'IPv4', portStr, epStr, objAge(es, ctx.now)];
  },
};

export const namespacePrinter: TablePrinter = {
  columns: ['NAME', 'STATUS', 'AGE'],
  row: (ns: KubeObject, ctx) => [ns.metadata.name, ns.status?.phase ?? 'Active', objAge(ns, ctx.now)],
};

export const configMapPrinter: TablePrinter = {
  columns: ['NAME', 'DATA', 'AGE'],
  row: (cm: KubeObject, ctx) => [cm.metadata.name, String(Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length), objAge(cm, ctx.now)],
};

export const secretPrinter: TablePrinter = {
  columns: ['NAME', 'TYPE', 'DATA', 'AGE'],
  row: (s: KubeObject, ctx) => [s.metadata.name, s.type ?? 'Opaque', String(Object.keys(s.data ?? {}).length), objAge(s, ctx.now)],
};

export const serviceAccountPrinter: TablePrinter = {
  columns: ['NAME', 'SECRETS', 'AGE'],
  row: (sa: KubeObject, ctx) => [sa.metadata.name, String((sa.secrets ?? []).length), objAge(sa, ctx.now)],
};

/**
 * eventPrinter is printEvent: LAST SEEN as an age alone (`kubectl events` and describe add the count),
 * OBJECT "kind/name" with the kind lower-cased; -o wide adds SUBOBJECT and SOURCE before MESSAGE and
 * FIRST SEEN, COUNT and NAME after it.
 */
export const eventPrinter: TablePrinter = {
  columns: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
  row(e: EventObject, ctx) {
    return [eventSeen(e, ctx.now).last, e.type, e.reason, eventTarget(e), (e.message ?? '').trim()];
  },
  wideTable: {
    columns: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME'],
    row(e: EventObject, ctx) {
      const seen = eventSeen(e, ctx.now);
      return [seen.last, e.type, e.reason, eventTarget(e), e.involvedObject.fieldPath ?? '', eventSource(e), (e.message ?? '').trim(), seen.first, String(eventCount(e)), e.metadata.name];
    },
  },
};

/** eventTarget is printEvent's OBJECT: "kind/name", the kind lower-cased (the kind alone without a name). */
function eventTarget(e: EventObject): string {
  const kind = e.involvedObject.kind.toLowerCase();
  return e.involvedObject.name ? `${kind}/${e.involvedObject.name}` : kind;
}

export const genericPrinter: TablePrinter = {
  columns: ['NAME', 'AGE'],
  row: (o: KubeObject, ctx) => [o.metadata.name, objAge(o, ctx.now)],
};

/**
 * componentStatusPrinter is printComponentStatus: the Healthy condition's status (True: Healthy, else
 * Unhealthy; none: Unknown), message and error.
 */
export const componentStatusPrinter: TablePrinter = {
  columns: ['NAME', 'STATUS', 'MESSAGE', 'ERROR'],
  row: (o: KubeObject & { conditions?: { type: string; status: string; message?: string; error?: string }[] }) => {
    const c = (o.conditions ?? []).find((x) => x.type === 'Healthy');
    const status = !c ? 'Unknown' : c.status === 'True' ? 'Healthy' : 'Unhealthy';
    return [o.metadata.name, status, c?.message ?? '', c?.error ?? ''];
  },
};
