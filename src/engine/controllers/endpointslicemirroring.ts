import type { Sim } from '../sim.ts';
import type { KubeObject, Service } from '../api/types.ts';
import { semanticEqual } from '../api/equality.ts';
import { SERVICE_NAME_LABEL, SLICE_INDEX } from '../network/kubeproxy.ts';
import { parseIPSloppy, repackSubsets, type EndpointAddress, type EndpointPort } from './endpointsubsets.ts';

/**
 * The EndpointSlice mirroring controller (pkg/controller/endpointslicemirroring): the Endpoints of a
 * Service without a selector — the "Services without selectors" pattern, written by hand — are
 * mirrored into EndpointSlices, which is all kube-proxy and CoreDNS read. It mirrors an Endpoints
 * object only while a Service of the same name exists with no selector (a Service with one has its
 * slices from the EndpointSlice controller), and not when the Endpoints are labelled
 * endpointslice.kubernetes.io/skip-mirror=true (the API server's own `kubernetes` Endpoints are) or
 * carry the leader-election annotation.
 *
 * As the reconciler does: the subsets are first repacked into canonical form (RepackSubsets), then
 * each distinct set of ports, per address family, is one slice named <endpoints>-<5 chars>, labelled
 * with the Endpoints' labels plus kubernetes.io/service-name and managed-by
 * endpointslicemirroring-controller.k8s.io, carrying the Endpoints' annotations but
 * last-change-trigger-time and last-applied-configuration, owned by the Endpoints. Addresses become
 * endpoints with ready true, notReadyAddresses ready false. At most 1000 addresses of a subset are
 * mirrored (maxEndpointsPerSubset); the rest are skipped with a TooManyAddressesToMirror event on
 * the Endpoints, and an address that is no IP with InvalidIPAddress.
 */
export const MIRRORING_MANAGED_BY = 'endpointslicemirroring-controller.k8s.io';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';
/** MAX_ENDPOINTS_PER_SUBSET is kube-controller-manager's --mirroring-max-endpoints-per-subset default. */
export const MAX_ENDPOINTS_PER_SUBSET = 1000;
export const MIRRORING_CONTROLLER = 'endpointslicemirroring';
const COMPONENT = 'endpoint-slice-mirroring-controller';
/** LEADER_ANNOTATION is resourcelock.LeaderElectionRecordAnnotationKey: such Endpoints are a lock, not a backend. */
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';
/** NOT_COPIED are the annotations a slice does not take from its Endpoints (newEndpointSlice). */
const NOT_COPIED = ['endpoints.kubernetes.io/last-change-trigger-time', 'kubectl.kubernetes.io/last-applied-configuration'];

export function installEndpointSliceMirroringController(sim: Sim): void {
  // writing: the controller's own slice writes, which its EndpointSlice watch ignores (upstream's
  // endpointSliceTracker knows the resourceVersions it wrote for the same purpose).
  const ctl = { writing: false };
  const enqueue = (ns: string | undefined, name: string) => sim.enqueue(MIRRORING_CONTROLLER, `${ns ?? 'default'}/${name}`);
  sim.addController({ name: MIRRORING_CONTROLLER, sync: (key) => syncEndpoints(sim, key, ctl) });
  sim.store.watch('Endpoints', (_type, ep) => {
    // The Endpoints of a Service with a selector are the endpoints controller's: one lookup, no work.
    // (Slices mirrored before the Service had its selector went when it got one: see the Service watch.)
    const svc = sim.store.get<Service>('Service', ep.metadata.namespace, ep.metadata.name);
    if (!svc?.spec?.selector) enqueue(ep.metadata.namespace, ep.metadata.name);
  });
  sim.store.watch('Service', (_type, svc) => {
    // onServiceAdd/Update/Delete: a Service without a selector, or one that has just gained one while
    // slices are still mirrored for it (they must go).
    const ns = svc.metadata.namespace ?? 'default';
    if (!svc.spec?.selector || mirroredSlices(sim, ns, svc.metadata.name).length > 0) enqueue(ns, svc.metadata.name);
  });
  sim.store.watch('EndpointSlice', (_type, slice) => {
    // A mirrored slice someone else changed or deleted is put right by the next sync.
    if (ctl.writing || slice.metadata.labels?.[MANAGED_BY_LABEL] !== MIRRORING_MANAGED_BY) return;
    const svc = slice.metadata.labels[SERVICE_NAME_LABEL];
    if (svc) enqueue(slice.metadata.namespace, svc);
  });
}

/** mirroredSlices are the slices this controller made for a Service (endpointSlicesMirroredForService). */
function mirroredSlices(sim: Sim, ns: string, name: string): KubeObject[] {
  return sim.store.byIndex('EndpointSlice', SLICE_INDEX, `${ns}/${name}`).filter((s) => s.metadata.labels?.[MANAGED_BY_LABEL] === MIRRORING_MANAGED_BY);
}

/** shouldMirror: not skip-mirror=true, not a leader-election lock. */
export function shouldMirror(ep: KubeObject): boolean {
  return ep.metadata.labels?.[SKIP_MIRROR_LABEL] !== 'true' && ep.metadata.annotations?.[LEADER_ANNOTATION] === undefined;
}

function syncEndpoints(sim: Sim, key: string, ctl: { writing: boolean }): void {
  const [ns, name] = key.split('/');
  const existing = mirroredSlices(sim, ns, name);
  const ep = sim.store.get('Endpoints', ns, name);
  const svc = sim.store.get<Service>('Service', ns, name);
  // No Endpoints, Endpoints not to mirror, no Service, or a Service with a selector: no mirrored slices.
  const desired = ep && shouldMirror(ep) && svc && !svc.spec?.selector ? desiredSlices(sim, ep) : [];
  finalize(sim, ep, reconcile(ep, existing, desired), ctl);
}

/** Desired is one slice's worth: an address family and port set, and the endpoints to list. */
interface Desired {
  key: string;
  addressType: 'IPv4' | 'IPv6';
  ports: { name: string; port: number; protocol: string; appProtocol?: string }[];
  endpoints: Map<string, any>;
}

/**
 * desiredSlices is the reconciler's desiredCalc over the repacked subsets: each subset's ports under
 * both families (so a family that lost its addresses has its slices removed), the first 1000 valid
 * addresses of the subset (ready ones first) as endpoints keyed by address and hostname (a repeat
 * replaces the earlier one, as EndpointSet.Insert does). Records the events for skipped addresses.
 */
function desiredSlices(sim: Sim, ep: KubeObject): Desired[] {
  const byKey = new Map<string, Desired>();
  let invalid = 0;
  let skipped = 0;
  for (const subset of repackSubsets(ep.subsets ?? [])) {
    const ports = subset.ports.map(toSlicePort);
    const family = {} as Record<'IPv4' | 'IPv6', Desired>;
    for (const addressType of ['IPv4', 'IPv6'] as const) {
      const key = `${addressType}-${portsKey(ports)}`;
      let d = byKey.get(key);
      if (!d) byKey.set(key, (d = { key, addressType, ports, endpoints: new Map() }));
      family[addressType] = d;
    }
    const total = subset.addresses.length + subset.notReadyAddresses.length;
    let added = 0;
    for (const [list, ready] of [
      [subset.addresses, true],
      [subset.notReadyAddresses, false],
    ] as [EndpointAddress[], boolean][]) {
      for (const a of list) {
        // "Break if we've reached the max number of addresses to mirror per EndpointSubset."
        if (added >= MAX_ENDPOINTS_PER_SUBSET) break;
        const ip = parseIPSloppy(a.ip);
        if (!ip) {
          invalid++;
          continue;
        }
        const e = toEndpoint(a, ip.ip, ready);
        family[ip.family].endpoints.set(`${ip.ip}|${a.hostname ?? ''}`, e);
        added++;
      }
    }
    skipped += total - added;
  }
  if (invalid > 0) sim.recordEvent(ep, 'Warning', 'InvalidIPAddress', `Skipped ${invalid} invalid IP addresses when mirroring to EndpointSlices`, COMPONENT);
  // Skipped counts the invalid ones too: the event is for those past the limit.
  if (skipped > invalid) {
    sim.recordEvent(ep, 'Warning', 'TooManyAddressesToMirror', `A max of ${MAX_ENDPOINTS_PER_SUBSET} addresses can be mirrored to EndpointSlices per Endpoints subset. ${skipped} addresses were skipped`, COMPONENT);
  }
  return [...byKey.values()];
}

/** toSlicePort is epPortsToEpsPorts for one port: the name is always set, "" when the Endpoints gave none. */
function toSlicePort(p: EndpointPort): Desired['ports'][number] {
  return { name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) };
}

function portsKey(ports: readonly { name?: string; port?: number; protocol?: string; appProtocol?: string }[] | null | undefined): string {
  return (ports ?? [])
    .map((p) => `${p.name ?? ''}/${p.port}/${p.protocol ?? 'TCP'}/${p.appProtocol ?? ''}`)
    .sort()
    .join(',');
}

/** toEndpoint is addressToEndpoint: the address as parsed and printed again, its ready condition, targetRef, nodeName, hostname. */
function toEndpoint(a: EndpointAddress, ip: string, ready: boolean): any {
  const e: any = { addresses: [ip], conditions: { ready } };
  if (a.hostname) e.hostname = a.hostname;
  // Copied: the slice must not share the Endpoints' objects.
  if (a.targetRef) e.targetRef = { ...a.targetRef };
  if (a.nodeName) e.nodeName = a.nodeName;
  return e;
}

interface Changes {
  create: KubeObject[];
  update: { slice: KubeObject; want: KubeObject }[];
  remove: KubeObject[];
}

/**
 * reconcile is reconcileByPortMapping for each desired slice: with no endpoints wanted, the existing
 * slices go; else the first existing slice of that family and port set is kept (rewritten only when its
 * endpoints, labels or annotations differ) and any others go. Slices of port sets no longer wanted go
 * too, but one to go is rewritten, under its own name, in place of one to create (recycleSlices): Endpoints
 * whose port moves from 9376 to 8080 keep their slice's name.
 */
function reconcile(ep: KubeObject | undefined, existing: KubeObject[], desired: Desired[]): Changes {
  const out: Changes = { create: [], update: [], remove: [] };
  const byKey = new Map<string, KubeObject[]>();
  for (const s of existing) {
    const k = `${s.addressType}-${portsKey(s.ports)}`;
    const list = byKey.get(k);
    if (list) list.push(s);
    else byKey.set(k, [s]);
  }
  for (const d of desired) {
    const have = byKey.get(d.key) ?? [];
    byKey.delete(d.key);
    if (d.endpoints.size === 0) {
      out.remove.push(...have);
      continue;
    }
    const want = newSlice(ep!, d);
    if (have.length === 0) {
      out.create.push(want);
      continue;
    }
    out.remove.push(...have.slice(1));
    if (!unchanged(have[0], want, d)) out.update.push({ slice: have[0], want });
  }
  for (const rest of byKey.values()) out.remove.push(...rest);
  // recycleSlices: a create paired with a delete of the same address type becomes an update.
  for (let i = 0; i < out.create.length; i++) {
    const j = out.remove.findIndex((s) => s.addressType === out.create[i].addressType);
    if (j < 0) continue;
    out.update.push({ slice: out.remove[j], want: out.create[i] });
    out.remove.splice(j, 1);
    out.create.splice(i--, 1);
  }
  return out;
}

/** newSlice is newEndpointSlice: the slice a desired set of endpoints should be (named by the store). */
function newSlice(ep: KubeObject, d: Desired): KubeObject {
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(ep.metadata.annotations ?? {})) if (!NOT_COPIED.includes(k)) annotations[k] = v;
  const slice: KubeObject = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: '',
      generateName: `${ep.metadata.name}-`,
      namespace: ep.metadata.namespace ?? 'default',
      labels: { ...(ep.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: ep.metadata.name, [MANAGED_BY_LABEL]: MIRRORING_MANAGED_BY },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Endpoints', name: ep.metadata.name, uid: ep.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    addressType: d.addressType,
    endpoints: [...d.endpoints.values()].slice(0, MAX_ENDPOINTS_PER_SUBSET),
    ports: d.ports.map((p) => ({ ...p })),
  };
  if (Object.keys(annotations).length) slice.metadata.annotations = annotations;
  return slice;
}

/**
 * unchanged: the slice lists the desired endpoints (compared as a set, by address and hostname, then
 * field by field), and its labels (but the two the controller sets) and annotations are the Endpoints'.
 */
function unchanged(have: KubeObject, want: KubeObject, d: Desired): boolean {
  const eps = (have.endpoints ?? []) as any[];
  if (eps.length !== Math.min(d.endpoints.size, MAX_ENDPOINTS_PER_SUBSET)) return false;
  for (const e of eps) {
    const w = d.endpoints.get(`${e.addresses?.[0]}|${e.hostname ?? ''}`);
    if (!w || !semanticEqual(w, e)) return false;
  }
  return semanticEqual(have.metadata.labels ?? {}, want.metadata.labels) && semanticEqual(have.metadata.annotations ?? {}, want.metadata.annotations ?? {});
}

/** finalize writes the changes: creates (none while the Endpoints are being deleted or the namespace terminates), updates, deletes. */
function finalize(sim: Sim, ep: KubeObject | undefined, c: Changes, ctl: { writing: boolean }): void {
  if (!c.create.length && !c.update.length && !c.remove.length) return;
  ctl.writing = true;
  try {
    const ns = ep?.metadata.namespace ?? 'default';
    const terminating = sim.store.get('Namespace', undefined, ns)?.status?.phase === 'Terminating';
    if (ep && !ep.metadata.deletionTimestamp && !terminating) for (const s of c.create) sim.store.create(s);
    for (const { slice, want } of c.update) {
      // An update replaces what the controller owns: labels, annotations, owner, family, ports, endpoints.
      slice.metadata.labels = want.metadata.labels;
      if (want.metadata.annotations) slice.metadata.annotations = want.metadata.annotations;
      else delete slice.metadata.annotations;
      slice.metadata.ownerReferences = want.metadata.ownerReferences;
      slice.addressType = want.addressType;
      slice.ports = want.ports;
      slice.endpoints = want.endpoints;
      sim.store.update(slice);
    }
    for (const s of c.remove) if (sim.store.get('EndpointSlice', s.metadata.namespace, s.metadata.name)) sim.store.remove('EndpointSlice', s.metadata.namespace, s.metadata.name);
  } finally {
    ctl.writing = false;
  }
}
