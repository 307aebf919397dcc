/**
 * Service types beyond ClusterIP. The API server allocates ClusterIPs and NodePorts; this module is
 * the simulated cloud: a `service-controller` that gives each type: LoadBalancer Service an external
 * IP after a short provisioning delay and writes status.loadBalancer.ingress, with upstream's
 * EnsuringLoadBalancer / EnsuredLoadBalancer events, and clears it when the type changes away.
 *
 * External IPs come from 203.0.113.0/24 (TEST-NET-3, RFC 5737: reserved for documentation, never
 * routed on the Internet), .10 to .254, lowest free first; spec.loadBalancerIP is honoured when it
 * lies in that range and is free.
 */
import type { Container, Pod, Service, ServicePort } from '../api/types.ts';
import type { Sim } from '../sim.ts';
import { keyOf } from '../api/store.ts';

export const LB_CONTROLLER = 'service-lb';
export const LB_TIMER = 'network/lb-provision';
export const LB_POOL_PREFIX = '203.0.113.';
export const LB_POOL_FIRST = 10;
export const LB_POOL_LAST = 254;
/** LB_PROVISION_MS is how long the simulated cloud takes to provision a load balancer (EXTERNAL-IP <pending> meanwhile). */
export const LB_PROVISION_MS = 2000;

function takenIPs(sim: Sim, except: Service): Set<string> {
  const taken = new Set<string>();
  for (const s of sim.store.list<Service>('Service')) {
    if (s === except) continue;
    for (const i of s.status?.loadBalancer?.ingress ?? []) if (i.ip) taken.add(i.ip);
  }
  return taken;
}

/** allocateLoadBalancerIP picks the Service's external IP (undefined when the pool is exhausted). */
export function allocateLoadBalancerIP(sim: Sim, svc: Service): string | undefined {
  const taken = takenIPs(sim, svc);
  const want = svc.spec.loadBalancerIP;
  if (typeof want === 'string' && want.startsWith(LB_POOL_PREFIX) && !taken.has(want)) {
    const last = Number(want.slice(LB_POOL_PREFIX.length));
    if (last >= LB_POOL_FIRST && last <= LB_POOL_LAST) return want;
  }
  for (let i = LB_POOL_FIRST; i <= LB_POOL_LAST; i++) {
    const ip = LB_POOL_PREFIX + i;
    if (!taken.has(ip)) return ip;
  }
  return undefined;
}

/** installLoadBalancerController adds the `service-lb` controller and its provisioning timer. */
export function installLoadBalancerController(sim: Sim): void {
  sim.addController({
    name: LB_CONTROLLER,
    sync(key) {
      const [ns, name] = key.split('/');
      const svc = sim.store.get<Service>('Service', ns, name);
      if (!svc) return;
      const hasLb = (svc.status?.loadBalancer?.ingress ?? []).length > 0;
      if (svc.spec.type === 'LoadBalancer') {
        if (hasLb) return;
        const pending = sim.moduleState<{ lbPending: Record<string, string> }>('network-lb', () => ({ lbPending: {} })).lbPending;
        if (pending[key] === svc.metadata.uid) return;
        pending[key] = svc.metadata.uid!;
        sim.recordEvent(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer', 'service-controller');
        sim.after(LB_PROVISION_MS, LB_TIMER, key);
        return;
      }
      if (hasLb) {
        svc.status = { ...(svc.status ?? {}), loadBalancer: {} };
        sim.store.update(svc);
        sim.recordEvent(svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer', 'service-controller');
      }
    },
  });
  sim.onTimer(LB_TIMER, (key) => {
    const pending = sim.moduleState<{ lbPending: Record<string, string> }>('network-lb', () => ({ lbPending: {} })).lbPending;
    const uid = pending[key];
    delete pending[key];
    const [ns, name] = key.split('/');
    const svc = sim.store.get<Service>('Service', ns, name);
    if (!svc || svc.metadata.uid !== uid || svc.spec.type !== 'LoadBalancer') return;
    if ((svc.status?.loadBalancer?.ingress ?? []).length > 0) return;
    const ip = allocateLoadBalancerIP(sim, svc);
    if (!ip) {
      sim.recordEvent(svc, 'Warning', 'SyncLoadBalancerFailed', `Error syncing load balancer: failed to ensure load balancer: no free address in ${LB_POOL_PREFIX}0/24`, 'service-controller');
      return;
    }
    svc.status = { ...(svc.status ?? {}), loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } };
    sim.store.update(svc);
    sim.recordEvent(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer', 'service-controller');
  });
  sim.store.watch('Service', (type, obj) => {
    if (type !== 'DELETED') sim.enqueue(LB_CONTROLLER, keyOf(obj));
  });
}

/**
 * resolveTargetPort is podutil.FindPort: a number is used as is; a name is the container port of that
 * name (protocol TCP unless the service port says otherwise). undefined when the pod has no such port
 * (the endpoint is left out).
 */
export function resolveTargetPort(sp: ServicePort, pod: Pod): number | undefined {
  const tp = sp.targetPort ?? sp.port;
  if (typeof tp === 'number') return tp;
  if (/^\d+$/.test(tp)) return Number(tp);
  const proto = sp.protocol ?? 'TCP';
  const all: Container[] = [...(pod.spec.containers ?? [])];
  for (const c of all) for (const p of c.ports ?? []) if (p.name === tp && (p.protocol ?? 'TCP') === proto) return p.containerPort;
  return undefined;
}
