/**
 * The Ingress describer (kubectl's IngressDescriber for networking.k8s.io/v1): class, default backend,
 * TLS, each rule's paths with the backend Service's endpoints, annotations and events.
 */
import type { KubeObject } from '../../api/types.ts';
import type { Sim } from '../../sim.ts';
import { ingressAddress } from '../printers/networking.ts';
import { formatSelector } from '../../api/selector.ts';
import { describeEvents, labelsAndAnnotations, LAST_APPLIED, multiline, PrefixWriter } from './writer.ts';

/** serviceBackend is serviceBackendStringer: "name:port" (the port's number, else its name). */
function serviceBackend(svc: { name: string; port?: { number?: number; name?: string } }): string {
  return `${svc.name}:${svc.port?.number ? svc.port.number : (svc.port?.name ?? '')}`;
}

/**
 * endpointsOf is formatEndpointSlices over the Service's EndpointSlices: each endpoint's address with the
 * slice port named as the Service port the backend picks, at most three, then "+ N more...".
 */
function endpointsOf(sim: Sim, ns: string, svcName: string, portName: string): string {
  const slices = sim.store.list('EndpointSlice', ns).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svcName);
  if (slices.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const s of slices) {
    // Only ready endpoints are backends (an unset ready counts as ready, as the API documents it).
    const eps = ((s.endpoints ?? []) as { addresses: string[]; conditions?: { ready?: boolean } }[]).filter((e) => e.conditions?.ready !== false);
    const ports = (s.ports ?? []) as { name?: string; port?: number }[];
    if (ports.length === 0) {
      for (const e of eps) {
        if (list.length < 3) list.push(e.addresses[0]);
        count++;
      }
      continue;
    }
    for (const p of ports) {
      if ((p.name ?? '') !== portName) continue;
      for (const e of eps) {
        if (list.length < 3) list.push(`${e.addresses[0]}:${p.port}`);
        count++;
      }
    }
  }
  const s = list.join(',');
  return count > 3 ? `${s} + ${count - 3} more...` : s;
}

/** backend is describeBackendV1: a Service backend with its endpoints, or a resource backend. */
function backend(sim: Sim, ns: string, b: any): string {
  if (b?.service) {
    const sb = serviceBackend(b.service);
    const svc = sim.store.get('Service', ns, b.service.name);
    if (!svc) return `${sb} (<error: services "${b.service.name}" not found>)`;
    let portName = '';
    for (const sp of (svc.spec?.ports ?? []) as { name?: string; port: number }[]) {
      if ((b.service.port?.number && b.service.port.number === sp.port) || (b.service.port?.name && b.service.port.name === sp.name)) portName = sp.name ?? '';
    }
    return `${sb} (${endpointsOf(sim, ns, b.service.name, portName)})`;
  }
  if (b?.resource) return `APIGroup: ${b.resource.apiGroup ?? '<none>'}, Kind: ${b.resource.kind}, Name: ${b.resource.name}`;
  return '';
}

export function describeIngress(sim: Sim, ing: KubeObject): string {
  const w = new PrefixWriter();
  const ns = ing.metadata.namespace ?? 'default';
  const spec = ing.spec ?? {};
  w.line(0, 'Name:', ing.metadata.name);
  multiline(w, 0, 'Labels', ing.metadata.labels, '=');
  w.line(0, 'Namespace:', ns);
  w.line(0, 'Address:', ingressAddress(ing, true));
  w.line(0, 'Ingress Class:', spec.ingressClassName ?? '<none>');
  const def = spec.defaultBackend ? backend(sim, ns, spec.defaultBackend) : '<default>';
  w.line(0, 'Default backend:', def);
  if (spec.tls?.length) {
    w.write(0, 'TLS:\n');
    for (const t of spec.tls as { secretName?: string; hosts?: string[] }[]) {
      if (!t.secretName) w.write(1, `SNI routes ${(t.hosts ?? []).join(',')}\n`);
      else w.write(1, `${t.secretName} terminates ${(t.hosts ?? []).join(',')}\n`);
    }
  }
  w.write(0, 'Rules:\n');
  w.line(1, 'Host', 'Path', 'Backends');
  w.line(1, '----', '----', '--------');
  let count = 0;
  for (const r of (spec.rules ?? []) as any[]) {
    if (!r?.http) continue;
    count++;
    w.line(1, r.host || '*', '');
    for (const p of r.http.paths ?? []) w.write(2, `\t${p.path ?? ''} \t${backend(sim, ns, p.backend)}\n`);
  }
  if (count === 0) w.line(1, '*', '*', def);
  multiline(w, 0, 'Annotations', ing.metadata.annotations, ': ', [LAST_APPLIED]);
  describeEvents(w, sim, sim.eventsFor(ing));
  return w.toString();
}

/** goTime is Go's time.Time String for a UTC timestamp ("2025-01-01 00:00:00 +0000 UTC"), as "Created on:" prints it. */
function goTime(iso: string | undefined): string {
  return iso ? `${iso.replace('T', ' ').replace('Z', '')} +0000 UTC` : '0001-01-01 00:00:00 +0000 UTC';
}

/** peers writes a rule's From/To list as printNetworkPolicySpecIngressFrom / EgressTo do. */
function peers(w: PrefixWriter, list: any[] | undefined, word: 'From' | 'To', indent: string): void {
  if (!list?.length) {
    w.write(0, `${indent}${word}: <any> (traffic not restricted by ${word === 'From' ? 'source' : 'destination'})\n`);
    return;
  }
  for (const p of list) {
    w.write(0, `${indent}${word}:\n`);
    if (p?.podSelector && p?.namespaceSelector) {
      w.write(1, `${indent}NamespaceSelector: ${formatSelector(p.namespaceSelector)}\n`);
      w.write(1, `${indent}PodSelector: ${formatSelector(p.podSelector)}\n`);
    } else if (p?.podSelector) w.write(1, `${indent}PodSelector: ${formatSelector(p.podSelector)}\n`);
    else if (p?.namespaceSelector) w.write(1, `${indent}NamespaceSelector: ${formatSelector(p.namespaceSelector)}\n`);
    else if (p?.ipBlock) {
      w.write(1, `${indent}IPBlock:\n`);
      w.write(2, `${indent}CIDR: ${p.ipBlock.cidr}\n`);
      w.write(2, `${indent}Except: ${(p.ipBlock.except ?? []).join(', ')}\n`);
    }
  }
}

function rules(w: PrefixWriter, list: any[] | undefined, dir: 'ingress' | 'egress', indent: string): void {
  if (!list?.length) {
    w.write(0, `${indent}<none> (Selected pods are isolated for ${dir} connectivity)\n`);
    return;
  }
  list.forEach((r, i) => {
    if (!r?.ports?.length) w.write(0, `${indent}To Port: <any> (traffic allowed to all ports)\n`);
    else for (const p of r.ports) w.write(0, `${indent}To Port: ${p?.port ?? '<nil>'}/${p?.protocol ?? 'TCP'}\n`);
    peers(w, dir === 'ingress' ? r?.from : r?.to, dir === 'ingress' ? 'From' : 'To', indent);
    if (i !== list.length - 1) w.write(0, `${indent}----------\n`);
  });
}

/** describeNetworkPolicy follows kubectl's NetworkPolicyDescriber: the selected pods and what each direction allows. */
export function describeNetworkPolicy(sim: Sim, np: KubeObject): string {
  const w = new PrefixWriter();
  const spec = np.spec ?? {};
  w.line(0, 'Name:', np.metadata.name);
  w.line(0, 'Namespace:', np.metadata.namespace ?? '');
  w.line(0, 'Created on:', goTime(np.metadata.creationTimestamp));
  labelsAndAnnotations(w, np);
  w.write(0, 'Spec:\n');
  const sel = spec.podSelector ?? {};
  const anySel = Object.keys(sel.matchLabels ?? {}).length === 0 && !(sel.matchExpressions ?? []).length;
  // "PodSelector: " and the selector are two writes on one line, the second indented again (as kubectl writes them).
  w.write(1, 'PodSelector: ');
  w.write(2, anySel ? '<none> (Allowing the specific traffic to all pods in this namespace)\n' : `${formatSelector(sel)}\n`);
  const types: string[] = spec.policyTypes ?? [];
  const ingress = types.length ? types.includes('Ingress') : true;
  const egress = types.length ? types.includes('Egress') : (spec.egress ?? []).length > 0;
  if (ingress) {
    w.write(1, 'Allowing ingress traffic:\n');
    rules(w, spec.ingress, 'ingress', '    ');
  } else w.write(1, 'Not affecting ingress traffic\n');
  if (egress) {
    w.write(1, 'Allowing egress traffic:\n');
    rules(w, spec.egress, 'egress', '    ');
  } else w.write(1, 'Not affecting egress traffic\n');
  w.write(1, `Policy Types: ${types.join(', ')}\n`);
  describeEvents(w, sim, sim.eventsFor(np));
  return w.toString();
}

/** describeIngressClass follows kubectl's IngressClassDescriber. */
export function describeIngressClass(sim: Sim, ic: KubeObject): string {
  const w = new PrefixWriter();
  w.line(0, 'Name:', ic.metadata.name);
  labelsAndAnnotations(w, ic);
  w.line(0, 'Controller:', ic.spec?.controller ?? '');
  const p = ic.spec?.parameters;
  if (p) {
    w.write(0, 'Parameters:\n');
    if (p.apiGroup !== undefined) w.line(1, 'APIGroup:', p.apiGroup);
    w.line(1, 'Kind:', p.kind ?? '');
    w.line(1, 'Name:', p.name ?? '');
  }
  describeEvents(w, sim, sim.eventsFor(ic));
  return w.toString();
}

/** describeEndpointSlice follows kubectl's EndpointSliceDescriber (discovery/v1): its ports and each endpoint. */
export function describeEndpointSlice(sim: Sim, eps: KubeObject): string {
  const w = new PrefixWriter();
  const unset = (v: unknown) => (v === undefined || v === null || v === '' ? '<unset>' : String(v));
  w.line(0, 'Name:', eps.metadata.name);
  w.line(0, 'Namespace:', eps.metadata.namespace ?? '');
  labelsAndAnnotations(w, eps);
  w.line(0, 'AddressType:', eps.addressType ?? '');
  const ports = (eps.ports ?? []) as { name?: string; port?: number; protocol?: string }[];
  if (ports.length === 0) w.write(0, 'Ports: <unset>\n');
  else {
    w.write(0, 'Ports:\n');
    w.line(1, 'Name', 'Port', 'Protocol');
    w.line(1, '----', '----', '--------');
    for (const p of ports) w.line(1, unset(p.name), unset(p.port), p.protocol ?? 'TCP');
  }
  const eps2 = (eps.endpoints ?? []) as any[];
  if (eps2.length === 0) w.write(0, 'Endpoints: <none>\n');
  else {
    w.write(0, 'Endpoints:\n');
    for (const e of eps2) {
      w.line(1, '- Addresses:', (e.addresses ?? []).join(', '));
      w.write(2, 'Conditions:\n');
      w.line(3, 'Ready:', unset(e.conditions?.ready));
      w.line(2, 'Hostname:', unset(e.hostname));
      if (e.targetRef) w.line(2, 'TargetRef:', `${e.targetRef.kind}/${e.targetRef.name}`);
      w.line(2, 'NodeName:', unset(e.nodeName));
      w.line(2, 'Zone:', unset(e.zone));
    }
  }
  describeEvents(w, sim, sim.eventsFor(eps));
  return w.toString();
}
