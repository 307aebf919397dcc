import type { Sim } from '../sim.ts';
import type { KubeObject, Pod, Service } from '../api/types.ts';
import { isPodReady } from '../api/podutil.ts';
import { resolvePorts, serviceTracker, shouldSetHostname, type Consumer, type ResolvedPort } from './endpointtracker.ts';
import { installEndpointSliceController } from './endpointslice.ts';
import { semanticEqual } from '../api/equality.ts';

/**
 * The endpoints controller (pkg/controller/endpoint): for every Service with a selector, an
 * Endpoints object of the same name whose subsets list the selected pods that have an IP — ready
 * ones under addresses, the others under notReadyAddresses — with each service port resolved
 * against the pod (by number, or by the named container port). Terminating and finished pods are
 * left out (ShouldPodBeInEndpoints). Addresses are sorted by IP string then pod UID
 * (LessEndpointAddress). More than 1000 addresses are truncated, with the
 * endpoints.kubernetes.io/over-capacity annotation.
 *
 * Incremental: only the pods that changed since the last sync are moved, inserted or removed in
 * the sorted address lists (binary search), so 10,000 pods behind one Service stay cheap.
 */
export const MAX_ENDPOINT_ADDRESSES = 1000;

interface Address {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid: string };
}

interface Placed {
  ready: boolean;
  addr: Address;
  portsKey: string;
  ports: ResolvedPort[];
}

interface EpState {
  ready: Address[];
  notReady: Address[];
  placed: Map<string, Placed>;
  portsCount: Map<string, number>;
  ports: Map<string, ResolvedPort[]>;
}

/** installEndpointsControllers installs the 'endpoints' and 'endpointslice' controllers. */
export function installEndpointsControllers(sim: Sim): void {
  const tracker = serviceTracker(sim);
  const consumer = tracker.consumer('endpoints');
  const states = new Map<string, EpState>();
  sim.addController({
    name: 'endpoints',
    sync: (key) => {
      tracker.ensureFresh();
      syncEndpoints(sim, key, consumer, states, tracker.members.get(key));
    },
  });
  tracker.resync(consumer);
  installEndpointSliceController(sim, tracker);
}

function less(a: Address, b: Address): boolean {
  if (a.ip !== b.ip) return a.ip < b.ip;
  return a.targetRef.uid < b.targetRef.uid;
}

function indexOf(list: Address[], a: Address): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (less(list[mid], a)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function place(st: EpState, podKey: string, p: Placed | undefined): void {
  const old = st.placed.get(podKey);
  if (old) {
    const list = old.ready ? st.ready : st.notReady;
    const i = indexOf(list, old.addr);
    if (list[i] === old.addr) list.splice(i, 1);
    const n = (st.portsCount.get(old.portsKey) ?? 1) - 1;
    if (n <= 0) {
      st.portsCount.delete(old.portsKey);
      st.ports.delete(old.portsKey);
    } else st.portsCount.set(old.portsKey, n);
    st.placed.delete(podKey);
  }
  if (!p) return;
  const list = p.ready ? st.ready : st.notReady;
  list.splice(indexOf(list, p.addr), 0, p.addr);
  st.placed.set(podKey, p);
  // After the removal above: a pod re-placed with the same ports (its only pod turning Ready) keeps them.
  if (!st.ports.has(p.portsKey)) st.ports.set(p.portsKey, p.ports);
  st.portsCount.set(p.portsKey, (st.portsCount.get(p.portsKey) ?? 0) + 1);
}

/** entryFor: where a pod goes in the Endpoints, or undefined when it is left out. */
function entryFor(svc: Service, pod: Pod | undefined): Placed | undefined {
  if (!pod || !pod.status?.podIP) return undefined;
  const publishNotReady = !!svc.spec.publishNotReadyAddresses;
  if (pod.metadata.deletionTimestamp && !publishNotReady) return undefined;
  if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') return undefined;
  const ports = resolvePorts(svc, pod);
  if ((svc.spec.ports?.length ?? 0) > 0 && ports.length === 0) return undefined;
  const portsKey = ports.map((p) => `${p.name ?? ''}/${p.port}/${p.protocol}`).join(',');
  const addr: Address = {
    ip: pod.status.podIP,
    ...(shouldSetHostname(pod, svc) ? { hostname: pod.spec.hostname } : {}),
    ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name, uid: pod.metadata.uid! },
  };
  return { ready: publishNotReady || isPodReady(pod), addr, portsKey, ports };
}

function syncEndpoints(sim: Sim, key: string, consumer: Consumer, states: Map<string, EpState>, members: Set<string> | undefined): void {
  const [ns, name] = key.split('/');
  const svc = sim.store.get<Service>('Service', ns, name);
  const full = consumer.full.delete(key);
  const dirty = consumer.dirty.get(key);
  consumer.dirty.delete(key);
  if (!svc || !svc.spec?.selector) {
    states.delete(key);
    // A selector-less service's Endpoints belong to the user; a deleted service's go with it.
    if (!svc && sim.store.get('Endpoints', ns, name)) sim.store.remove('Endpoints', ns, name);
    return;
  }
  let st = states.get(key);
  if (full || !st) {
    st = { ready: [], notReady: [], placed: new Map(), portsCount: new Map(), ports: new Map() };
    states.set(key, st);
    for (const podKey of members ?? []) place(st, podKey, entryFor(svc, sim.store.getByKey<Pod>('Pod', podKey)));
  } else {
    for (const podKey of dirty ?? []) {
      const pod = members?.has(podKey) ? sim.store.getByKey<Pod>('Pod', podKey) : undefined;
      place(st, podKey, entryFor(svc, pod));
    }
  }
  writeEndpoints(sim, svc, st);
}

function buildSubsets(st: EpState): { subsets: any[]; truncated: boolean } {
  const total = st.ready.length + st.notReady.length;
  if (total === 0) return { subsets: [], truncated: false };
  const truncated = total > MAX_ENDPOINT_ADDRESSES;
  if (st.portsCount.size <= 1) {
    const portsKey = [...st.portsCount.keys()][0];
    const ports = (st.ports.get(portsKey) ?? []).map((p) => ({ ...p }));
    // Copies: the stored Endpoints must not share the controller's lists, which change in place (the next
    // sync would then find the stored subsets equal to the new ones and write nothing, leaving them stale
    // with no watch event and no new resourceVersion).
    const ready = st.ready.slice(0, MAX_ENDPOINT_ADDRESSES);
    const notReady = st.notReady.slice(0, MAX_ENDPOINT_ADDRESSES - ready.length);
    const subset: any = {};
    if (ready.length) subset.addresses = ready;
    if (notReady.length) subset.notReadyAddresses = notReady;
    if (ports.length) subset.ports = ports;
    return { subsets: [subset], truncated };
  }
  // Pods resolve the ports differently: one subset per port set (RepackSubsets).
  const groups = new Map<string, { addresses: Address[]; notReadyAddresses: Address[] }>();
  for (const [k] of st.portsCount) groups.set(k, { addresses: [], notReadyAddresses: [] });
  for (const a of st.ready) groups.get(findPlaced(st, a).portsKey)!.addresses.push(a);
  for (const a of st.notReady) groups.get(findPlaced(st, a).portsKey)!.notReadyAddresses.push(a);
  const subsets: any[] = [];
  let budget = MAX_ENDPOINT_ADDRESSES;
  for (const [k, g] of [...groups].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    const subset: any = {};
    const ready = g.addresses.slice(0, budget);
    budget -= ready.length;
    const notReady = g.notReadyAddresses.slice(0, budget);
    budget -= notReady.length;
    if (ready.length) subset.addresses = ready;
    if (notReady.length) subset.notReadyAddresses = notReady;
    const ports = st.ports.get(k) ?? [];
    if (ports.length) subset.ports = ports.map((p) => ({ ...p }));
    if (ready.length || notReady.length) subsets.push(subset);
  }
  return { subsets, truncated };
}

function findPlaced(st: EpState, a: Address): Placed {
  return st.placed.get(`${a.targetRef.namespace}/${a.targetRef.name}`)!;
}

function writeEndpoints(sim: Sim, svc: Service, st: EpState): void {
  const ns = svc.metadata.namespace ?? 'default';
  const name = svc.metadata.name;
  const { subsets, truncated } = buildSubsets(st);
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (svc.spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
  const existing = sim.store.get<KubeObject>('Endpoints', ns, name);
  const annotations: Record<string, string> = {};
  if (truncated) annotations['endpoints.kubernetes.io/over-capacity'] = 'truncated';
  if (!existing) {
    const ep: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: ns, labels } };
    if (Object.keys(annotations).length) ep.metadata.annotations = annotations;
    if (subsets.length) ep.subsets = subsets;
    sim.store.create(ep);
    return;
  }
  if (!subsets.length && !existing.subsets?.length && !truncated && !existing.metadata.annotations?.['endpoints.kubernetes.io/over-capacity']) return;
  // Upstream's syncService skips the update when subsets, labels and the over-capacity annotation are
  // semantically equal (a resync after a restore must not bump resourceVersions).
  const overCap = existing.metadata.annotations?.['endpoints.kubernetes.io/over-capacity'];
  if (semanticEqual(existing.subsets ?? [], subsets) && semanticEqual(existing.metadata.labels ?? {}, labels) && overCap === annotations['endpoints.kubernetes.io/over-capacity']) return;
  existing.metadata.labels = labels;
  if (Object.keys(annotations).length) existing.metadata.annotations = { ...(existing.metadata.annotations ?? {}), ...annotations };
  else if (existing.metadata.annotations) delete existing.metadata.annotations['endpoints.kubernetes.io/over-capacity'];
  if (subsets.length) existing.subsets = subsets;
  else delete existing.subsets;
  sim.store.update(existing);
}
