/**
 * installNetworking wires the data plane into a Sim: the `network` service (requests, PromQL,
 * traffic), the LoadBalancer controller, the ingress-nginx status/events controller, the traffic
 * timer, and the watches that invalidate the compiled routing tables.
 */
import type { Pod } from '../api/types.ts';
import type { Sim, TrafficSpec } from '../sim.ts';
import { installSliceIndex } from './kubeproxy.ts';
import { NetworkService } from './service.ts';
import type { HttpRequest, RequestResult, TrafficSummary, TrafficSource } from './model.ts';
import { addSource, onTrafficTick, removeSources, scheduleTick, TRAFFIC_TIMER, validateTrafficSpec } from './traffic.ts';
import { installLoadBalancerController } from './servicetypes.ts';
import { installIngressController } from './ingresscontroller.ts';
import type { Value } from './promql/eval.ts';

export { NetworkService } from './service.ts';
export type { HttpRequest, RequestResult, TrafficSummary } from './model.ts';

/** NetworkApi is the contract other modules use through sim.service<NetworkApi>('network'). */
export interface NetworkApi {
  request(req: HttpRequest): RequestResult;
  query(expr: string, timeMs?: number): Value;
  trafficSummary(sinceMs: number): TrafficSummary;
  setTraffic(spec: TrafficSpec, name?: string): TrafficSource;
  stopTraffic(name?: string): string[];
  listTraffic(): TrafficSource[];
}

/** NetworkModule is the registered service: NetworkService plus the traffic controls. */
export class NetworkModule extends NetworkService implements NetworkApi {
  /** setTraffic starts (or replaces by name) a traffic source; throws on an invalid spec. */
  setTraffic(spec: TrafficSpec, name?: string): TrafficSource {
    const err = validateTrafficSpec(spec);
    if (err) throw new Error(`invalid traffic: ${err}`);
    return addSource(this, spec, name);
  }

  stopTraffic(name?: string): string[] {
    return removeSources(this, name);
  }

  listTraffic(): TrafficSource[] {
    return [...this.state.sources];
  }
}

const INVALIDATING_KINDS = ['Service', 'EndpointSlice', 'Endpoints', 'Ingress', 'IngressClass', 'NetworkPolicy', 'Namespace', 'Node', 'Pod'];

export function installNetworking(sim: Sim): void {
  const net = new NetworkModule(sim);
  sim.services.set('network', net);
  installSliceIndex(sim);
  for (const kind of INVALIDATING_KINDS) sim.store.watch(kind, () => net.invalidate());
  sim.store.watch('Pod', (type, obj) => net.onPod(type, obj as Pod));
  sim.onTimer(TRAFFIC_TIMER, () => onTrafficTick(net));
  installLoadBalancerController(sim);
  installIngressController(sim, net);
  const st = net.state;
  if (!(st as { initialized?: boolean }).initialized) {
    (st as { initialized?: boolean }).initialized = true;
    (sim.options.traffic ?? []).forEach((spec, i) => {
      const err = validateTrafficSpec(spec);
      if (err) sim.warnings.push(`spec.traffic[${i}]: ${err}`);
      else addSource(net, spec);
    });
    scheduleTick(net);
  }
}
