import type { Sim } from '../sim.ts';
import type { KubeObject, Pod, Service } from '../api/types.ts';
import { compileMapSelector, type LabelPredicate } from '../api/selector.ts';
import { isPodReady } from '../api/podutil.ts';

/**
 * ServiceTracker is the derived index both endpoint controllers share: which pods each Service
 * selects, kept up to date from watches so a pod change costs O(services in its namespace), not
 * O(pods). Each consumer (endpoints, endpointslice) gets the set of pods that changed per service
 * since its last sync. It is a cache: after a snapshot restore it is rebuilt from the store.
 */
export interface Consumer {
  controller: string;
  /** dirty: per service key, the pod keys whose endpoint-relevant fields changed. */
  dirty: Map<string, Set<string>>;
  /** full: services to rebuild from scratch (created, changed, or after a restore). */
  full: Set<string>;
}

interface Tracked {
  match: LabelPredicate;
  selectorSig: string;
}

export class ServiceTracker {
  private services = new Map<string, Map<string, Tracked>>();
  private podServices = new Map<string, string[]>();
  readonly members = new Map<string, Set<string>>();
  private podSig = new Map<string, string>();
  private consumers: Consumer[] = [];
  private lastRv = 0;
  /** lastState: sim.state is replaced by restore(), which is how a restore is noticed. */
  private lastState: object;

  constructor(private readonly sim: Sim) {
    this.lastState = sim.state;
    sim.store.watch('Service', (type, obj) => {
      this.ensureFresh();
      this.onService(type, obj as Service);
      this.lastRv = sim.store.resourceVersion;
    });
    sim.store.watch('Pod', (type, obj) => {
      this.ensureFresh();
      this.onPod(type, obj as Pod);
      this.lastRv = sim.store.resourceVersion;
    });
    // Services that exist already (installed after the API server made some).
    for (const svc of sim.store.list<Service>('Service')) this.onService('ADDED', svc);
    this.lastRv = sim.store.resourceVersion;
  }

  /** resync marks every tracked service for a full sync by one consumer (once its controller is added). */
  resync(c: Consumer): void {
    for (const [ns, byName] of this.services) {
      for (const name of byName.keys()) {
        c.full.add(`${ns}/${name}`);
        this.sim.enqueue(c.controller, `${ns}/${name}`);
      }
    }
  }

  consumer(controller: string): Consumer {
    const c: Consumer = { controller, dirty: new Map(), full: new Set() };
    this.consumers.push(c);
    return c;
  }

  /** ensureFresh rebuilds everything when the store went back in time (a snapshot restore). */
  ensureFresh(): void {
    if (this.sim.store.resourceVersion >= this.lastRv && this.sim.state === this.lastState) return;
    this.lastState = this.sim.state;
    this.services.clear();
    this.podServices.clear();
    this.members.clear();
    this.podSig.clear();
    for (const svc of this.sim.store.list<Service>('Service')) this.onService('ADDED', svc);
    for (const c of this.consumers) c.dirty.clear();
    this.lastRv = this.sim.store.resourceVersion;
  }

  private markFull(svcKey: string): void {
    for (const c of this.consumers) {
      c.full.add(svcKey);
      c.dirty.delete(svcKey);
      this.sim.enqueue(c.controller, svcKey);
    }
  }

  private markDirty(svcKey: string, podKey: string): void {
    for (const c of this.consumers) {
      if (c.full.has(svcKey)) continue;
      let s = c.dirty.get(svcKey);
      if (!s) c.dirty.set(svcKey, (s = new Set()));
      s.add(podKey);
      this.sim.enqueue(c.controller, svcKey);
    }
  }

  private onService(type: string, svc: Service): void {
    const ns = svc.metadata.namespace ?? 'default';
    const name = svc.metadata.name;
    const key = `${ns}/${name}`;
    let byName = this.services.get(ns);
    const sel = svc.spec?.selector;
    const selectorSig = sel ? JSON.stringify(Object.entries(sel).sort()) : '';
    const prev = byName?.get(name);
    if (type !== 'DELETED' && sel && prev?.selectorSig === selectorSig) {
      this.markFull(key); // ports or other spec fields may have changed
      return;
    }
    // Drop the old membership.
    for (const podKey of this.members.get(key) ?? []) {
      const list = this.podServices.get(podKey);
      if (list) this.podServices.set(podKey, list.filter((k) => k !== key));
    }
    this.members.delete(key);
    byName?.delete(name);
    if (type !== 'DELETED' && sel) {
      const match = compileMapSelector(sel);
      if (!byName) this.services.set(ns, (byName = new Map()));
      byName.set(name, { match, selectorSig });
      const set = new Set<string>();
      for (const pod of this.sim.store.list<Pod>('Pod', ns)) {
        if (!match(pod.metadata.labels)) continue;
        const podKey = `${ns}/${pod.metadata.name}`;
        set.add(podKey);
        const list = this.podServices.get(podKey) ?? [];
        list.push(key);
        this.podServices.set(podKey, list);
        this.podSig.set(podKey, signature(pod));
      }
      this.members.set(key, set);
    }
    this.markFull(key);
  }

  private onPod(type: string, pod: Pod): void {
    const ns = pod.metadata.namespace ?? 'default';
    // No Service selects pods in the namespace and no pod is a member of one: nothing to track, and
    // no key to build and hash for each pod write.
    if (this.podServices.size === 0 && this.podSig.size === 0 && !this.services.get(ns)?.size) return;
    const podKey = `${ns}/${pod.metadata.name}`;
    const old = this.podServices.get(podKey) ?? [];
    if (type === 'DELETED') {
      for (const s of old) {
        this.members.get(s)?.delete(podKey);
        this.markDirty(s, podKey);
      }
      this.podServices.delete(podKey);
      this.podSig.delete(podKey);
      return;
    }
    const now: string[] = [];
    for (const [name, t] of this.services.get(ns) ?? []) if (t.match(pod.metadata.labels)) now.push(`${ns}/${name}`);
    // In no service before or after: nothing to tell (a joining pod is marked dirty whatever its
    // signature, so a signature is kept only for members; 10,000 selector-less pods skip this).
    if (!now.length && !old.length) {
      this.podSig.delete(podKey);
      return;
    }
    const sig = signature(pod);
    const changed = this.podSig.get(podKey) !== sig;
    this.podSig.set(podKey, sig);
    for (const s of old) {
      if (!now.includes(s)) {
        this.members.get(s)?.delete(podKey);
        this.markDirty(s, podKey);
      }
    }
    for (const s of now) {
      if (!old.includes(s)) {
        this.members.get(s)?.add(podKey);
        this.markDirty(s, podKey);
      } else if (changed) this.markDirty(s, podKey);
    }
    if (now.length) this.podServices.set(podKey, now);
    else this.podServices.delete(podKey);
  }
}

/** signature: the fields of a pod that endpoints depend on. */
function signature(pod: Pod): string {
  return `${pod.metadata.uid}|${pod.status?.podIP ?? ''}|${isPodReady(pod)}|${pod.metadata.deletionTimestamp ? 1 : 0}|${pod.spec?.nodeName ?? ''}|${pod.status?.phase ?? ''}`;
}

/** EndpointPortSpec is a resolved port: the service port's name and protocol, the pod's port number. */
export interface ResolvedPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/**
 * resolvePorts is FindPort for each service port: a number targetPort as is, a named one looked up
 * in the pod's container ports (a pod without it is left out of that port), no targetPort = port.
 */
export function resolvePorts(svc: Service, pod: Pod): ResolvedPort[] {
  const out: ResolvedPort[] = [];
  for (const sp of svc.spec.ports ?? []) {
    const tp = sp.targetPort ?? sp.port;
    let port: number | undefined;
    if (typeof tp === 'number') port = tp;
    else if (/^\d+$/.test(tp)) port = parseInt(tp, 10);
    else {
      for (const c of pod.spec.containers ?? []) {
        const p = c.ports?.find((x) => x.name === tp && (x.protocol ?? 'TCP') === (sp.protocol ?? 'TCP'));
        if (p) {
          port = p.containerPort;
          break;
        }
      }
    }
    if (port === undefined) continue;
    const r: ResolvedPort = { port, protocol: sp.protocol ?? 'TCP' };
    if (sp.name) r.name = sp.name;
    if (sp.appProtocol) r.appProtocol = sp.appProtocol;
    out.push(r);
  }
  return out;
}

export function serviceOwnerRef(svc: KubeObject) {
  return { apiVersion: 'v1', kind: 'Service', name: svc.metadata.name, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/**
 * TRACKER_SERVICE names the Sim's one ServiceTracker (a derived cache, not state) in sim.services.
 * Not a WeakMap keyed by the Sim: V8 marks a WeakMap value only once its key is marked, so the
 * tracker's whole graph was traced in the final, main-thread pause of each full GC (~300-650 ms
 * for a 10,000-pod rollout).
 */
const TRACKER_SERVICE = 'endpointtracker/tracker';

export function serviceTracker(sim: Sim): ServiceTracker {
  let t = sim.services.get(TRACKER_SERVICE) as ServiceTracker | undefined;
  if (!t) sim.services.set(TRACKER_SERVICE, (t = new ServiceTracker(sim)));
  return t;
}

/**
 * shouldSetHostname is endpointutil.ShouldSetHostname: a pod whose hostname is set and whose subdomain is
 * this Service (a StatefulSet's pod under its headless Service) is listed with its hostname.
 */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  return !!pod.spec.hostname && pod.spec.subdomain === svc.metadata.name && (pod.metadata.namespace ?? 'default') === (svc.metadata.namespace ?? 'default');
}
