import type { KubeObject, LabelSelector, LabelSelectorRequirement, Pod } from '../../../api/types.ts';
import { controllerRef } from '../../../api/podutil.ts';
import type { Handle } from '../../framework/types.ts';

/**
 * defaultSelector is the scheduler's helper.DefaultSelector: the selector that the system default
 * spreading constraints count pods with, made from what selects the pod. The selectors of the
 * Services whose selector matches it are merged into one label set; then its controller's selector
 * is added: a ReplicationController's label map merged in, a ReplicaSet's or StatefulSet's
 * requirements ANDed on. Undefined when that leaves nothing to select by (a bare pod without a
 * Service gets no default spreading).
 */
export function defaultSelector(pod: Pod, handle: Handle): LabelSelector | undefined {
  if (!handle.listObjects || !handle.getObject) return undefined;
  const ns = pod.metadata.namespace ?? 'default';
  const labels = pod.metadata.labels ?? {};
  let labelSet: Record<string, string> = {};
  for (const svc of handle.listObjects('Service', ns)) {
    const sel = svc.spec?.selector as Record<string, string> | undefined;
    // GetPodServices: a Service without a selector selects nothing.
    if (!sel || Object.keys(sel).length === 0) continue;
    if (Object.entries(sel).every(([k, v]) => labels[k] === v)) labelSet = { ...labelSet, ...sel };
  }
  const extra: LabelSelectorRequirement[] = [];
  const owner = controllerRef(pod);
  if (owner) {
    const kind = `${owner.apiVersion}/${owner.kind}`;
    const obj: KubeObject | undefined =
      kind === 'v1/ReplicationController' || kind === 'apps/v1/ReplicaSet' || kind === 'apps/v1/StatefulSet' ? handle.getObject(owner.kind, ns, owner.name) : undefined;
    if (obj && owner.kind === 'ReplicationController') labelSet = { ...labelSet, ...((obj.spec?.selector as Record<string, string> | undefined) ?? {}) };
    else if (obj) {
      const sel = obj.spec?.selector as LabelSelector | undefined;
      for (const [key, value] of Object.entries(sel?.matchLabels ?? {})) extra.push({ key, operator: 'In', values: [value] });
      for (const r of sel?.matchExpressions ?? []) extra.push(r);
    }
  }
  if (Object.keys(labelSet).length === 0 && extra.length === 0) return undefined;
  return { matchLabels: labelSet, matchExpressions: extra };
}

/** selectorKey is a canonical text of a selector, for counts memoized per node. */
export function selectorKey(sel: LabelSelector | undefined, ns: string): string {
  return JSON.stringify([ns, sel ?? null]);
}


interface MemoEntry<T> {
  owner: KubeObject | undefined;
  ownerGeneration: number;
  services: KubeObject[];
  serviceVersions: (string | undefined)[];
  labels: Record<string, string>;
  value: T;
}

/**
 * DefaultSelectorMemo keeps, per controller, what was made from defaultSelector for its last pod: a
 * ReplicaSet's pods come one after another with the same labels, Services and owner, and each would
 * otherwise merge the Services' selectors and compile the same selector again (20,000 times in a
 * 10,000-replica rollout). It is reused only while the pod's labels are equal, the namespace's
 * Services are the same objects at the same resourceVersions, and the owner is the same object at
 * the same generation: everything defaultSelector reads.
 */
export class DefaultSelectorMemo<T> {
  private byOwner = new Map<string, MemoEntry<T>>();

  get(pod: Pod, handle: Handle, make: (sel: LabelSelector | undefined) => T): T {
    const ref = controllerRef(pod);
    if (!ref || !handle.listObjects || !handle.getObject) return make(defaultSelector(pod, handle));
    const ns = pod.metadata.namespace ?? 'default';
    const labels = pod.metadata.labels ?? {};
    const services = handle.listObjects('Service', ns);
    const owner = handle.getObject(ref.kind, ns, ref.name);
    const ownerGeneration = owner?.metadata.generation ?? 0;
    const e = this.byOwner.get(ref.uid);
    if (e && e.owner === owner && e.ownerGeneration === ownerGeneration && sameServices(e, services) && sameLabels(e.labels, labels)) return e.value;
    const value = make(defaultSelector(pod, handle));
    if (this.byOwner.size >= 256) this.byOwner.clear();
    this.byOwner.set(ref.uid, { owner, ownerGeneration, services, serviceVersions: services.map((svc) => svc.metadata.resourceVersion), labels: { ...labels }, value });
    return value;
  }
}

function sameServices(e: MemoEntry<unknown>, services: KubeObject[]): boolean {
  if (e.services.length !== services.length) return false;
  for (let i = 0; i < services.length; i++) {
    if (e.services[i] !== services[i] || e.serviceVersions[i] !== services[i].metadata.resourceVersion) return false;
  }
  return true;
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  let n = 0;
  for (const k in b) {
    if (a[k] !== b[k]) return false;
    n++;
  }
  return n === Object.keys(a).length;
}
