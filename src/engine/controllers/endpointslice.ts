import type { Sim } from '../sim.ts';
import type { KubeObject, Node, Pod, Service } from '../api/types.ts';
import { isPodReady } from '../api/podutil.ts';
import { resolvePorts, serviceOwnerRef, shouldSetHostname, type Consumer, type ServiceTracker } from './endpointtracker.ts';
import { semanticEqual } from '../api/equality.ts';

/**
 * The EndpointSlice controller (pkg/controller/endpointslice): slices named <service>-<5 chars>,
 * labelled kubernetes.io/service-name and managed-by endpointslice-controller.k8s.io, owned by
 * the Service, addressType IPv4, at most 100 endpoints each (maxEndpointsPerSlice), one port set
 * per slice. Unlike Endpoints, terminating pods stay, with conditions ready=false,
 * serving=<pod ready>, terminating=true. A Service that selects nothing keeps one empty
 * placeholder slice. As upstream's reconciler, changes fill existing slices before new ones are made.
 */
export const MAX_ENDPOINTS_PER_SLICE = 100;
export const MANAGED_BY = 'endpointslice-controller.k8s.io';

interface SliceState {
  /** slices: names in creation order; podSlice: which slice holds a pod's endpoint. */
  slices: string[];
  podSlice: Map<string, string>;
  /** open: slices with room (fewer than 100 endpoints), so a new endpoint finds one without a scan. */
  open: Set<string>;
}

export function installEndpointSliceController(sim: Sim, tracker: ServiceTracker): void {
  const consumer = tracker.consumer('endpointslice');
  const states = new Map<string, SliceState>();
  sim.addController({
    name: 'endpointslice',
    sync: (key) => {
      tracker.ensureFresh();
      syncSlices(sim, key, consumer, states, tracker.members.get(key));
    },
  });
  tracker.resync(consumer);
}

function endpointFor(sim: Sim, svc: Service, pod: Pod | undefined): { ep: any; portsKey: string; ports: any[] } | undefined {
  if (!pod || !pod.status?.podIP) return undefined;
  if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') return undefined;
  const ports = resolvePorts(svc, pod).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
  if ((svc.spec.ports?.length ?? 0) > 0 && ports.length === 0) return undefined;
  const podReady = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ready = (svc.spec.publishNotReadyAddresses || podReady) && !terminating;
  const ep: any = {
    addresses: [pod.status.podIP],
    conditions: { ready, serving: !!svc.spec.publishNotReadyAddresses || podReady, terminating },
  };
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec.hostname;
  if (pod.spec.nodeName) {
    ep.nodeName = pod.spec.nodeName;
    const zone = sim.store.get<Node>('Node', undefined, pod.spec.nodeName)?.metadata.labels?.['topology.kubernetes.io/zone'];
    if (zone) ep.zone = zone;
  }
  ep.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name, uid: pod.metadata.uid };
  return { ep, portsKey: ports.map((p) => `${p.name}/${p.port}/${p.protocol}`).join(','), ports };
}

/** portsKeyOf memoizes a slice's port-set key by its ports array (replaced, never mutated, when ports change). */
const portsKeys = new WeakMap<object, string>();
function portsKeyOf(slice: KubeObject): string {
  const ports = (slice.ports ?? []) as any[];
  let k = portsKeys.get(ports);
  if (k === undefined) {
    k = ports.map((p) => `${p.name}/${p.port}/${p.protocol}`).join(',');
    portsKeys.set(ports, k);
  }
  return k;
}

function newSlice(svc: Service, ports: any[] | null): KubeObject {
  const ns = svc.metadata.namespace ?? 'default';
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: '',
      generateName: `${svc.metadata.name}-`,
      namespace: ns,
      labels: {
        ...(svc.metadata.labels ?? {}),
        'endpointslice.kubernetes.io/managed-by': MANAGED_BY,
        'kubernetes.io/service-name': svc.metadata.name,
        // The reconciler marks a headless Service's slices, as the Endpoints controller marks its Endpoints.
        ...(svc.spec.clusterIP === 'None' ? { 'service.kubernetes.io/headless': '' } : {}),
      },
      ownerReferences: [serviceOwnerRef(svc)],
    },
    addressType: 'IPv4',
    endpoints: [],
    ports,
  };
}

function syncSlices(sim: Sim, key: string, consumer: Consumer, states: Map<string, SliceState>, members: Set<string> | undefined): void {
  const [ns, name] = key.split('/');
  const svc = sim.store.get<Service>('Service', ns, name);
  const full = consumer.full.delete(key);
  const dirty = consumer.dirty.get(key);
  consumer.dirty.delete(key);
  let st = states.get(key);
  if (!svc || !svc.spec?.selector) {
    // The Service is gone (or unmanaged): remove the slices it owned.
    const names = st?.slices ?? sim.store.list('EndpointSlice', ns).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name && s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === MANAGED_BY).map((s) => s.metadata.name);
    for (const n of names) if (sim.store.get('EndpointSlice', ns, n)) sim.store.remove('EndpointSlice', ns, n);
    states.delete(key);
    return;
  }
  const touched = new Set<string>();
  // before: each slice's content ahead of a rebuild, so a rebuild that refills it the same is no write.
  const before = new Map<string, { endpoints: unknown; ports: unknown }>();
  let pods: Iterable<string>;
  if (full || !st) {
    // Rebuild: keep the existing slice objects (names stay), empty them and refill.
    const existing = st?.slices ?? sim.store.list('EndpointSlice', ns).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name && s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === MANAGED_BY).map((s) => s.metadata.name);
    st = { slices: existing.filter((n) => sim.store.get('EndpointSlice', ns, n)), podSlice: new Map(), open: new Set() };
    states.set(key, st);
    for (const n of st.slices) {
      const s = sim.store.get('EndpointSlice', ns, n)!;
      before.set(n, { endpoints: s.endpoints, ports: s.ports });
      s.endpoints = [];
      s.ports = null;
      st.open.add(n);
      touched.add(n);
    }
    pods = members ?? [];
  } else pods = dirty ?? [];
  for (const podKey of pods) {
    const pod = members?.has(podKey) ? sim.store.getByKey<Pod>('Pod', podKey) : undefined;
    const want = endpointFor(sim, svc, pod);
    const cur = st.podSlice.get(podKey);
    if (cur) {
      const s = sim.store.get('EndpointSlice', ns, cur)!;
      const podName = podKey.slice(ns.length + 1);
      const i = (s.endpoints as any[]).findIndex((e) => e.targetRef.name === podName);
      if (want && portsKeyOf(s) === want.portsKey && i >= 0) {
        // An unchanged endpoint is not a write (upstream's reconciler skips slices that would not change).
        if (!semanticEqual(s.endpoints[i], want.ep)) {
          s.endpoints[i] = want.ep;
          touched.add(cur);
        }
        continue;
      }
      if (i >= 0) s.endpoints.splice(i, 1);
      st.open.add(cur);
      st.podSlice.delete(podKey);
      touched.add(cur);
    }
    if (!want) continue;
    // Fill the first slice with room and the same ports; else make a new one.
    let target: KubeObject | undefined;
    for (const n of st.open) {
      const s = sim.store.get('EndpointSlice', ns, n);
      if (!s || s.endpoints.length >= MAX_ENDPOINTS_PER_SLICE) {
        st.open.delete(n);
        continue;
      }
      if (s.endpoints.length === 0 || portsKeyOf(s) === want.portsKey) {
        target = s;
        break;
      }
    }
    if (!target) {
      target = sim.store.create(newSlice(svc, want.ports));
      st.slices.push(target.metadata.name);
      st.open.add(target.metadata.name);
    }
    if (portsKeyOf(target) !== want.portsKey) target.ports = want.ports;
    target.endpoints.push(want.ep);
    if (target.endpoints.length >= MAX_ENDPOINTS_PER_SLICE) st.open.delete(target.metadata.name);
    st.podSlice.set(podKey, target.metadata.name);
    touched.add(target.metadata.name);
  }
  // Drop emptied slices, but keep one (the placeholder) when the service has no endpoints.
  const emptied = st.slices.length !== 1 && [...touched].some((n) => sim.store.get('EndpointSlice', ns, n)?.endpoints.length === 0);
  const nonEmpty = emptied || st.slices.length <= 1 ? st.slices.filter((n) => sim.store.get('EndpointSlice', ns, n)!.endpoints.length > 0) : st.slices;
  const keep = nonEmpty.length ? nonEmpty : st.slices.slice(0, 1);
  for (const n of st.slices) {
    if (keep.includes(n)) continue;
    sim.store.remove('EndpointSlice', ns, n);
    st.open.delete(n);
    touched.delete(n);
  }
  st.slices = keep;
  if (st.slices.length === 0) {
    const created = sim.store.create(newSlice(svc, null));
    st.slices.push(created.metadata.name);
    st.open.add(created.metadata.name);
  } else if (!nonEmpty.length) {
    const ph = sim.store.get('EndpointSlice', ns, st.slices[0])!;
    if (ph.ports !== null) {
      ph.ports = null;
      touched.add(st.slices[0]);
    }
  }
  for (const n of touched) {
    const s = sim.store.get('EndpointSlice', ns, n);
    const was = before.get(n);
    if (was && s && semanticEqual(was.endpoints, s.endpoints) && semanticEqual(was.ports, s.ports)) continue;
    if (s) sim.store.update(s);
  }
}
