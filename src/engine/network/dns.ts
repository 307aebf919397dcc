/**
 * Cluster DNS as CoreDNS' kubernetes plugin answers it (the Kubernetes DNS spec,
 * cluster-domain cluster.local):
 *  - <svc>.<ns>.svc.cluster.local → the ClusterIP; for a headless Service, the ready endpoints' IPs
 *    (all of them with publishNotReadyAddresses); for ExternalName, a CNAME to spec.externalName.
 *  - <hostname>.<svc>.<ns>.svc.cluster.local → the endpoint with that hostname (StatefulSet pods:
 *    spec.hostname + spec.subdomain = the headless Service).
 *  - <a-b-c-d>.<ns>.pod.cluster.local → a.b.c.d.
 * A pod's resolv.conf has `search <ns>.svc.cluster.local svc.cluster.local cluster.local` and
 * `options ndots:5`: a name with fewer than 5 dots is tried with each search domain first.
 */
import type { KubeObject, Pod, Service } from '../api/types.ts';
import type { Sim } from '../sim.ts';
import { SLICE_INDEX } from './kubeproxy.ts';
import { allowed, CLUSTER_DNS_PEER, egressAllowed } from './netpol.ts';

export const CLUSTER_DOMAIN = 'cluster.local';
/** DNS_SERVICE_IP is the kube-dns Service address kubeadm uses for the 10.96.0.0/12 range. */
export const DNS_SERVICE_IP = '10.96.0.10';
/** DNS_TIMED_OUT is what nslookup prints when no server answers (the Kubernetes "Debugging DNS Resolution" page). */
export const DNS_TIMED_OUT = ';; connection timed out; no servers could be reached\n';

/**
 * dnsPath is what becomes of a pod's DNS queries (any lookup from outside a pod: from undefined). A
 * pod asks over UDP port 53 (resolvers use TCP only for truncated answers):
 *  - in a cluster with its control plane as pods (spec.cluster.controlPlane), its servers are the
 *    kube-dns Service's ready endpoints, the CoreDNS pods: with the Service deleted nothing is at
 *    10.96.0.10 ('no-service'); with CoreDNS scaled to 0 or not ready no name resolves ('no-servers');
 *    and a NetworkPolicy must let the pod reach one of them (its egress, and their ingress in
 *    kube-system; 'policy');
 *  - in a cluster without them the simulation answers as the cluster's DNS, and only the pod's egress
 *    policies can stop the query (CLUSTER_DNS_PEER, where kubeadm puts CoreDNS).
 */
function dnsPath(sim: Sim, from?: Pod): 'answered' | 'no-service' | 'no-servers' | 'policy' {
  const svc = sim.store.get<Service>('Service', 'kube-system', 'kube-dns');
  const policies = from ? sim.store.list<KubeObject>('NetworkPolicy') : [];
  if (!svc) {
    if ((sim.options as { controlPlane?: unknown }).controlPlane) return 'no-service';
    return !from || egressAllowed(sim, from, CLUSTER_DNS_PEER, 53, 'UDP', 'dns', policies) ? 'answered' : 'policy';
  }
  const servers = readyMembers(sim, svc).filter((m) => m.pod);
  if (servers.length === 0) return 'no-servers';
  return !from || servers.some((m) => allowed(sim, { kind: 'pod', pod: from }, m.pod!, 53, policies, 'UDP')) ? 'answered' : 'policy';
}

/** dnsAnswers says whether a pod's DNS queries (from undefined: any lookup) reach a server that answers (dnsPath). */
export function dnsAnswers(sim: Sim, from?: Pod): boolean {
  return dnsPath(sim, from) === 'answered';
}

/** dnsSilence says why dnsAnswers is false for a pod (from) or for every lookup (undefined). */
export function dnsSilence(sim: Sim, from?: Pod): string {
  const path = dnsPath(sim, from);
  if (path === 'no-service') return `no DNS server answers (there is no kube-dns Service in kube-system: nothing is at ${DNS_SERVICE_IP})`;
  if (path === 'no-servers') return 'no DNS server answers (the kube-dns Service in kube-system has no ready endpoints: no CoreDNS pod is ready)';
  const who = from ? `pod ${from.metadata.name}` : 'the pod';
  return `no DNS server answers: a NetworkPolicy stops ${who}'s DNS queries (UDP port 53 to the CoreDNS pods, k8s-app=kube-dns in kube-system)`;
}

export type DnsAnswer = { fqdn: string; type: 'A'; addresses: string[]; service?: Service; pod?: Pod } | { fqdn: string; type: 'CNAME'; target: string; service: Service };

/** searchList is the order names are tried from a pod in namespace ns. */
export function searchList(name: string, ns: string): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = (name.match(/\./g) ?? []).length;
  const searched = [`${ns}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN].map((d) => `${name}.${d}`);
  return dots >= 5 ? [name, ...searched] : [...searched, name];
}

/** resolve looks a name up as a pod in namespace ns would; undefined is NXDOMAIN. */
export function resolve(sim: Sim, name: string, ns = 'default'): DnsAnswer | undefined {
  const n = name.trim().toLowerCase();
  if (!n) return undefined;
  for (const fqdn of searchList(n, ns)) {
    const a = lookup(sim, fqdn);
    if (a) return a;
  }
  return undefined;
}

/** lookup answers one fully-qualified name (without the trailing dot). */
export function lookup(sim: Sim, fqdn: string): DnsAnswer | undefined {
  const svcSuffix = `.svc.${CLUSTER_DOMAIN}`;
  const podSuffix = `.pod.${CLUSTER_DOMAIN}`;
  if (fqdn.endsWith(svcSuffix)) {
    const parts = fqdn.slice(0, -svcSuffix.length).split('.');
    if (parts.length === 2) {
      const [svcName, ns] = parts;
      const svc = sim.store.get<Service>('Service', ns, svcName);
      if (!svc) return undefined;
      if (svc.spec.type === 'ExternalName') return { fqdn, type: 'CNAME', target: svc.spec.externalName ?? '', service: svc };
      if (svc.spec.clusterIP && svc.spec.clusterIP !== 'None') return { fqdn, type: 'A', addresses: [svc.spec.clusterIP], service: svc };
      const addrs = headlessMembers(sim, svc).map((m) => m.ip);
      return addrs.length ? { fqdn, type: 'A', addresses: addrs, service: svc } : undefined;
    }
    if (parts.length === 3) {
      const [host, svcName, ns] = parts;
      const svc = sim.store.get<Service>('Service', ns, svcName);
      if (!svc || (svc.spec.clusterIP && svc.spec.clusterIP !== 'None')) return undefined;
      const m = headlessMembers(sim, svc).find((x) => x.hostname === host);
      return m ? { fqdn, type: 'A', addresses: [m.ip], service: svc, pod: m.pod } : undefined;
    }
    return undefined;
  }
  if (fqdn.endsWith(podSuffix)) {
    const parts = fqdn.slice(0, -podSuffix.length).split('.');
    if (parts.length !== 2 || !/^\d+-\d+-\d+-\d+$/.test(parts[0])) return undefined;
    if (!sim.store.get('Namespace', undefined, parts[1]) && sim.store.count('Namespace') > 0) return undefined;
    return { fqdn, type: 'A', addresses: [parts[0].replace(/-/g, '.')] };
  }
  return undefined;
}

/**
 * followCname is CoreDNS answering a CNAME whose target lies in its own zone (plugin/backend_lookup.go A):
 * it looks the target up too and answers with both, so an ExternalName Service that names another
 * Service (web.other.svc.cluster.local) resolves to that Service. A target outside the zone is left to
 * an upstream resolver the cluster does not have. Returns the final A answer, or undefined.
 */
export function followCname(sim: Sim, a: DnsAnswer): (DnsAnswer & { type: 'A' }) | undefined {
  let cur: DnsAnswer | undefined = a;
  for (let hops = 0; cur && cur.type === 'CNAME' && hops < 8; hops++) {
    const target: string = cur.target.replace(/\.$/, '').toLowerCase();
    cur = target.endsWith(`.${CLUSTER_DOMAIN}`) ? lookup(sim, target) : undefined;
  }
  return cur && cur.type === 'A' ? cur : undefined;
}

interface Member {
  ip: string;
  hostname?: string;
  pod?: Pod;
}

/** headlessMembers are a headless Service's endpoints that DNS publishes (ready unless publishNotReadyAddresses). */
export function headlessMembers(sim: Sim, svc: Service): Member[] {
  return readyMembers(sim, svc, svc.spec.publishNotReadyAddresses === true);
}

/** readyMembers are a Service's ready endpoints (and the not-ready ones too with all), by address. */
function readyMembers(sim: Sim, svc: Service, all = false): Member[] {
  const ns = svc.metadata.namespace ?? 'default';
  const out: Member[] = [];
  const seen = new Set<string>();
  const add = (ip: string, ref: any, hostname: string | undefined) => {
    if (!ip || seen.has(ip)) return;
    seen.add(ip);
    const pod = ref?.kind === 'Pod' ? sim.store.get<Pod>('Pod', ref.namespace ?? ns, ref.name) : undefined;
    const h = hostname ?? (pod?.spec.subdomain === svc.metadata.name ? pod?.spec.hostname : undefined);
    out.push({ ip, hostname: h, pod });
  };
  // CoreDNS's kubernetes plugin reads EndpointSlices, as kube-proxy does: a selector-less Service's Endpoints
  // through the mirroring controller's slices.
  for (const sl of sim.store.byIndex('EndpointSlice', SLICE_INDEX, `${ns}/${svc.metadata.name}`)) {
    for (const e of sl.endpoints ?? []) if (all || e.conditions?.ready !== false) add(e.addresses?.[0], e.targetRef, e.hostname);
  }
  return out.sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
}

/**
 * formatNslookup prints what `nslookup NAME` (bind9 dnsutils, as in the Kubernetes "Debugging DNS
 * Resolution" page) prints in a pod of namespace ns (in that pod, from, when given: its NetworkPolicies apply).
 */
export function formatNslookup(sim: Sim, name: string, ns = 'default', from?: Pod): { exit: number; out: string } {
  const head = `Server:\t\t${DNS_SERVICE_IP}\nAddress:\t${DNS_SERVICE_IP}#53\n\n`;
  if (!dnsAnswers(sim, from)) return { exit: 1, out: `${DNS_TIMED_OUT}\n` };
  const a = resolve(sim, name, ns);
  if (!a) return { exit: 1, out: `${head}** server can't find ${name.replace(/\.$/, '')}: NXDOMAIN\n` };
  if (a.type === 'CNAME') {
    const target = a.target.replace(/\.$/, '');
    const followed = followCname(sim, a);
    if (followed) return { exit: 0, out: `${head}${a.fqdn}\tcanonical name = ${target}.\n${followed.addresses.map((ip) => `Name:\t${followed.fqdn}\nAddress: ${ip}\n`).join('')}` };
    return { exit: 1, out: `${head}${a.fqdn}\tcanonical name = ${target}.\n** server can't find ${target}: NXDOMAIN\n` };
  }
  const lines = a.addresses.map((ip) => `Name:\t${a.fqdn}\nAddress: ${ip}\n`).join('');
  return { exit: 0, out: head + lines };
}
