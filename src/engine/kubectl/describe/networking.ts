/**
 * The Ingress describer (kubectl's IngressDescriber for networking.k8s.io/v1): class, default backend,
 * TLS, each rule's paths with the backend Service's endpoints, annotations and events.
 */
import type { KubeObject } from '../../api/types.ts';
import type { Sim } from '../../sim.ts';
import { ingressAddress } from '../printers/networking.ts';
import { describeEvents, LAST_APPLIED, multiline, PrefixWriter } from './writer.ts';

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
    const eps = (s.endpoints ?? []) as { addresses: string[] }[];
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
