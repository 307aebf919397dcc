/**
 * Service ClusterIP and NodePort allocation (pkg/registry/core/service/ipallocator and
 * portallocator). The service CIDR is 10.96.0.0/12 and the node-port range 30000-32767, as a
 * kubeadm/minikube cluster. Upstream picks dynamic values at random from the upper part of each
 * range (the lower "static" band is left for values users ask for); Kubeplay does the same with
 * a hash of the scenario seed and a counter, so addresses are realistic, the same on every run,
 * and do not disturb the PRNG stream that names pods. State lives in sim.moduleState('api').
 * allocateService is what the Service registry does with them on a create or an update
 * (pkg/registry/core/service/storage/alloc.go).
 */
import type { Sim } from '../sim.ts';
import type { FieldError } from './errors.ts';
import { hashString } from '../rng.ts';
import { isIPv4 } from './names.ts';
import { GoValue, invalid } from './errors.ts';
import { keyOf } from './store.ts';
import type { Service } from './types.ts';

/** clusterIPsValue renders service.Spec.ClusterIPs as the allocation error prints it ([]string{"…"}). */
const clusterIPsValue = (ip: string) => new GoValue(`[]string{${JSON.stringify(ip)}}`);

export const SERVICE_CIDR = '10.96.0.0/12';
const CIDR_BASE = (10 << 24) | (96 << 16); // 10.96.0.0
const CIDR_SIZE = 1 << 20; // a /12 holds 2^20 addresses
/** KUBERNETES_SERVICE_IP is the first address of the range, reserved for the `kubernetes` Service. */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
/** The static band: min(max(16, size/16), 256) low addresses are preferred for requested IPs (KEP-3070). */
const IP_STATIC_BAND = 256;

export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;
/** The node-port static band: min(max(16, 2768/32), 128) = 86 ports (KEP-3668). */
const PORT_STATIC_BAND = 86;

export interface AllocatorState {
  /** ips maps an allocated ClusterIP to the owning Service's "ns/name". */
  ips: Record<string, string>;
  /** nodePorts maps an allocated node port to "ns/name". */
  nodePorts: Record<string, string>;
  ipSeq: number;
  portSeq: number;
}

export function allocatorState(sim: Sim): AllocatorState {
  return sim.moduleState<{ alloc?: AllocatorState }>('api', () => ({})).alloc ??= { ips: {}, nodePorts: {}, ipSeq: 0, portSeq: 0 };
}

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((a, p) => a * 256 + Number(p), 0);
}

export function intToIp(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function seedText(sim: Sim): string {
  return String(sim.options.seed ?? 1);
}

/** inServiceRange: the address lies in 10.96.0.0/12, excluding the network and broadcast addresses. */
export function inServiceRange(ip: string): boolean {
  if (!isIPv4(ip)) return false;
  const off = ipToInt(ip) - CIDR_BASE;
  return off >= 1 && off <= CIDR_SIZE - 2;
}

/** allocateClusterIP reserves a requested IP or picks the next seeded free one; returns errors in upstream words. */
export function allocateClusterIP(sim: Sim, owner: string, requested: string | undefined, dryRun = false): { ip?: string; errors: FieldError[] } {
  const st = allocatorState(sim);
  if (requested) {
    if (!inServiceRange(requested)) {
      return {
        errors: [{ field: 'spec.clusterIPs', type: 'Invalid value', value: clusterIPsValue(requested), detail: `failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}` }],
      };
    }
    const holder = st.ips[requested];
    if (holder !== undefined && holder !== owner) {
      return { errors: [{ field: 'spec.clusterIPs', type: 'Invalid value', value: clusterIPsValue(requested), detail: `failed to allocate IP ${requested}: provided IP is already allocated` }] };
    }
    if (!dryRun) st.ips[requested] = owner;
    return { ip: requested, errors: [] };
  }
  const dynamic = CIDR_SIZE - 2 - IP_STATIC_BAND;
  for (let attempt = 0; attempt < 64; attempt++) {
    const off = IP_STATIC_BAND + 1 + (hashString(`${seedText(sim)}/clusterip/${st.ipSeq + attempt}`) % dynamic);
    const ip = intToIp(CIDR_BASE + off);
    if (st.ips[ip] === undefined) {
      if (!dryRun) {
        st.ipSeq += attempt + 1;
        st.ips[ip] = owner;
      }
      return { ip, errors: [] };
    }
  }
  // The range is practically never this full; fall back to the first free address.
  for (let off = 1; off <= CIDR_SIZE - 2; off++) {
    const ip = intToIp(CIDR_BASE + off);
    if (st.ips[ip] === undefined) {
      if (!dryRun) st.ips[ip] = owner;
      return { ip, errors: [] };
    }
  }
  return { errors: [{ field: 'spec.clusterIPs', type: 'Internal error', detail: 'range is full' }] };
}

/** allocateNodePort reserves a requested node port or picks a seeded free one. */
export function allocateNodePort(sim: Sim, owner: string, requested: number | undefined, field: string, dryRun = false): { port?: number; errors: FieldError[] } {
  const st = allocatorState(sim);
  if (requested) {
    if (requested < NODE_PORT_MIN || requested > NODE_PORT_MAX) {
      return { errors: [{ field, type: 'Invalid value', value: requested, detail: `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}` }] };
    }
    const holder = st.nodePorts[requested];
    if (holder !== undefined && holder !== owner) return { errors: [{ field, type: 'Invalid value', value: requested, detail: 'provided port is already allocated' }] };
    if (!dryRun) st.nodePorts[requested] = owner;
    return { port: requested, errors: [] };
  }
  const size = NODE_PORT_MAX - NODE_PORT_MIN + 1;
  const dynamic = size - PORT_STATIC_BAND;
  for (let attempt = 0; attempt < 64; attempt++) {
    const port = NODE_PORT_MIN + PORT_STATIC_BAND + (hashString(`${seedText(sim)}/nodeport/${st.portSeq + attempt}`) % dynamic);
    if (st.nodePorts[port] === undefined) {
      if (!dryRun) {
        st.portSeq += attempt + 1;
        st.nodePorts[port] = owner;
      }
      return { port, errors: [] };
    }
  }
  for (let port = NODE_PORT_MIN; port <= NODE_PORT_MAX; port++) {
    if (st.nodePorts[port] === undefined) {
      if (!dryRun) st.nodePorts[port] = owner;
      return { port, errors: [] };
    }
  }
  return { errors: [{ field, type: 'Invalid value', value: 0, detail: `range is full` }] };
}

/** releaseService frees every IP and node port held by a Service ("ns/name"). */
export function releaseService(sim: Sim, owner: string, keep: { ips?: string[]; ports?: number[] } = {}): void {
  const st = allocatorState(sim);
  for (const [ip, o] of Object.entries(st.ips)) if (o === owner && !keep.ips?.includes(ip)) delete st.ips[ip];
  for (const [p, o] of Object.entries(st.nodePorts)) if (o === owner && !keep.ports?.includes(Number(p))) delete st.nodePorts[p];
}

/**
 * allocateService assigns the Service's ClusterIP and NodePorts (keeping what `old` had, as
 * patchAllocatedValues does on update), releases what it no longer holds, and throws the
 * allocator's field errors (all-or-nothing).
 */
export function allocateService(sim: Sim, svc: Service, old: Service | undefined, dryRun: boolean): void {
  const owner = keyOf(svc);
  const st = allocatorState(sim);
  const saved = { ips: { ...st.ips }, nodePorts: { ...st.nodePorts }, ipSeq: st.ipSeq, portSeq: st.portSeq };
  const errs: FieldError[] = [];
  const spec = svc.spec;
  const keepIps: string[] = [];
  const keepPorts: number[] = [];
  if (spec.type === 'ExternalName') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  } else if (spec.clusterIP === 'None') {
    spec.clusterIPs = ['None'];
  } else {
    const r = allocateClusterIP(sim, owner, spec.clusterIP || undefined, dryRun);
    errs.push(...r.errors);
    if (r.ip) {
      spec.clusterIP = r.ip;
      spec.clusterIPs = [r.ip];
      keepIps.push(r.ip);
    }
  }
  const needsNodePorts = spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
  (spec.ports ?? []).forEach((p, i) => {
    if (!needsNodePorts) {
      // dropTypeDependentFields: a service that no longer needs node ports loses them.
      if (old && spec.type !== 'LoadBalancer') delete p.nodePort;
      return;
    }
    const prev = old?.spec.ports?.find((o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'))?.nodePort;
    const r = allocateNodePort(sim, owner, p.nodePort || prev || undefined, `spec.ports[${i}].nodePort`, dryRun);
    errs.push(...r.errors);
    if (r.port) {
      p.nodePort = r.port;
      keepPorts.push(r.port);
    }
  });
  // A LoadBalancer keeping traffic on its nodes (externalTrafficPolicy Local) gets a health-check node port,
  // which the cloud's balancer probes to find the nodes with endpoints (allocHealthCheckNodePort).
  if (spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local') {
    const r = allocateNodePort(sim, owner, spec.healthCheckNodePort || old?.spec.healthCheckNodePort || undefined, 'spec.healthCheckNodePort', dryRun);
    errs.push(...r.errors);
    if (r.port) {
      spec.healthCheckNodePort = r.port;
      keepPorts.push(r.port);
    }
  } else if (spec.healthCheckNodePort !== undefined) delete spec.healthCheckNodePort;
  if (errs.length || dryRun) {
    Object.assign(st, saved);
    if (errs.length) throw invalid('Service', svc.metadata.name, errs);
    return;
  }
  if (old) releaseService(sim, owner, { ips: keepIps, ports: keepPorts });
}
