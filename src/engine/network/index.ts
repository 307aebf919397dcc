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
import { addSource, MAX_RPS, onTrafficTick, removeSources, scheduleTick, TRAFFIC_TIMER, validateTrafficSpec } from './traffic.ts';
import { parseUrl } from './http.ts';
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
  podLoop(from: PodSource, req: { url: string; method: string; headers: Record<string, string> }, gapMs: number, firstAt: number): TrafficSource;
}

/** PodSource names the pod container a loop of requests comes from. */
export type PodSource = NonNullable<TrafficSource['from']>;

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

  /**
   * podLoop starts (or starts again, after a restart) the requests a pod container's shell loop sends
   * (`while sleep 0.01; do wget -q -O- http://php-apache; done`, the HPA walkthrough's load generator):
   * one at a time from the pod's address, the first at firstAt, each next gapMs after the last answer,
   * for as long as the container runs. Named pod/[NAMESPACE/]POD[/CONTAINER] in `kubeplay traffic list`
   * (the namespace unless default, the container unless named as the pod, as `kubectl run` names it).
   */
  podLoop(from: PodSource, req: { url: string; method: string; headers: Record<string, string> }, gapMs: number, firstAt: number): TrafficSource {
    const u = parseUrl({ url: req.url });
    const defaultPort = u.scheme === 'https' ? 443 : 80;
    const spec: TrafficSpec = { host: u.port === defaultPort ? u.host : `${u.host}:${u.port}`, path: u.path, rps: Math.min(MAX_RPS, 1000 / Math.max(1, gapMs)), method: req.method, clients: 1, scheme: u.scheme };
    if (Object.keys(req.headers).length) spec.headers = req.headers;
    const name = `pod/${from.namespace === 'default' ? '' : `${from.namespace}/`}${from.pod}${from.container === from.pod ? '' : `/${from.container}`}`;
    const src: TrafficSource = { name, spec, nextArrival: firstAt, from, loop: { gapMs } };
    const st = this.state;
    const i = st.sources.findIndex((x) => x.name === src.name);
    if (i >= 0) st.sources[i] = src;
    else st.sources.push(src);
    scheduleTick(this);
    return src;
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
