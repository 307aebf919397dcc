/**
 * summary: what the worker sends the page of the bulky kinds (SUMMARY_KINDS). The graph, the rollout panel
 * and the traffic view read a handful of a pod's fields, but the page received every pod whole (~2.5 KB as
 * JSON), and a 1,000-pod rolling update at 5× sent ~9 MB of pods in 2.5 s, plus an Endpoints object of
 * 150 KB (1,000 addresses) and 20 KB EndpointSlices whenever one changed: reading them took the page's
 * thread 5-90 ms a message, and collecting the garbage up to 90 ms more. A summary keeps the object's shape
 * (apiVersion, kind, metadata and the fields below, in their places), so everything that reads them works
 * unchanged; the whole object comes only for the one object the page watches (the Inspector's), in the
 * same diff as its summary (Diff.watched).
 *
 * Kept of a Pod: metadata (name, namespace, uid, resourceVersion, labels, ownerReferences, creation and
 * deletion timestamps), spec.nodeName, the containers' and init containers' names, restartPolicy and
 * resource requests, spec.overhead, and status.phase/reason, the conditions' type/status/reason and the
 * container statuses' name/ready/started/restartCount/state and lastState.terminated.finishedAt: what
 * kubectl's STATUS, READY and RESTARTS (podColumns), the requests the node boxes add up (podRequests),
 * the Deployment explainer and the owner and revision of a chip read.
 *
 * The summaries of one message share their equal parts (Interner): a ReplicaSet's pods one labels object,
 * a node's pods of one template one spec. bench/diff.bench.ts measures it.
 */
import type { Container, ContainerStatus, KubeObject, Pod } from '../engine/api/types.ts';

/** SUMMARY_KINDS: the kinds the page holds as summaries; the Inspector asks for the whole object (watch). */
export const SUMMARY_KINDS: ReadonlySet<string> = new Set(['Pod', 'Endpoints', 'EndpointSlice']);

function meta(m: KubeObject['metadata']): KubeObject['metadata'] {
  const out: KubeObject['metadata'] = { name: m.name };
  if (m.namespace !== undefined) out.namespace = m.namespace;
  if (m.uid !== undefined) out.uid = m.uid;
  if (m.resourceVersion !== undefined) out.resourceVersion = m.resourceVersion;
  if (m.labels) out.labels = m.labels;
  if (m.ownerReferences) out.ownerReferences = m.ownerReferences;
  if (m.creationTimestamp !== undefined) out.creationTimestamp = m.creationTimestamp;
  if (m.deletionTimestamp !== undefined) out.deletionTimestamp = m.deletionTimestamp;
  return out;
}

function container(c: Container): Container {
  const out = { name: c.name } as Container;
  if (c.restartPolicy !== undefined) out.restartPolicy = c.restartPolicy;
  if (c.resources?.requests) out.resources = { requests: c.resources.requests };
  return out;
}

function containerStatus(cs: ContainerStatus): ContainerStatus {
  const out = { name: cs.name, ready: cs.ready, restartCount: cs.restartCount } as ContainerStatus;
  if (cs.started !== undefined) out.started = cs.started;
  if (cs.state) out.state = cs.state;
  const finishedAt = cs.lastState?.terminated?.finishedAt;
  if (finishedAt) out.lastState = { terminated: { finishedAt } } as ContainerStatus['lastState'];
  return out;
}

/**
 * Interner hands out one object for equal values within a message. Structured cloning keeps identity inside
 * one postMessage, so pods that share a value (the labels and owner of a ReplicaSet's pods, the spec of its
 * pods on one node, the status of pods that became ready at the same instant) cost the page one object to
 * read, keep and collect instead of one each: in a 1,000-pod rolling update at 5× a frame's diff can carry
 * hundreds of pods, and reading them (~20 objects each) and scavenging them afterwards took the page's
 * thread 10-30 ms in the frames that went over 50 ms. The page treats received objects as read-only.
 */
export class Interner {
  private readonly seen = new Map<string, unknown>();

  /** intern returns the first value seen equal (as JSON) to v. */
  intern<T>(v: T): T {
    const key = JSON.stringify(v);
    const had = this.seen.get(key);
    if (had !== undefined) return had as T;
    this.seen.set(key, v);
    return v;
  }
}

/**
 * podSummary is a Pod with only the fields the page reads besides the Inspector (see the file's comment).
 * With an Interner its parts are shared with the message's other summaries; without, nothing is made JSON.
 */
export function podSummary(p: Pod, into?: Interner): Pod {
  const spec: Pod['spec'] = { containers: (p.spec?.containers ?? []).map(container) };
  if (p.spec?.initContainers) spec.initContainers = p.spec.initContainers.map(container);
  if (p.spec?.nodeName !== undefined) spec.nodeName = p.spec.nodeName;
  if (p.spec?.overhead) spec.overhead = p.spec.overhead;
  const s = p.status;
  const status: NonNullable<Pod['status']> = {};
  if (s?.phase !== undefined) status.phase = s.phase;
  if (s?.reason !== undefined) status.reason = s.reason;
  if (s?.conditions) status.conditions = s.conditions.map((c) => (c.reason !== undefined ? { type: c.type, status: c.status, reason: c.reason } : { type: c.type, status: c.status }));
  if (s?.containerStatuses) status.containerStatuses = s.containerStatuses.map(containerStatus);
  if (s?.initContainerStatuses) status.initContainerStatuses = s.initContainerStatuses.map(containerStatus);
  const metadata = meta(p.metadata);
  if (!into) return { apiVersion: p.apiVersion, kind: p.kind, metadata, spec, status } as Pod;
  if (metadata.labels) metadata.labels = into.intern(metadata.labels);
  if (metadata.ownerReferences) metadata.ownerReferences = into.intern(metadata.ownerReferences);
  return { apiVersion: p.apiVersion, kind: p.kind, metadata, spec: into.intern(spec), status: into.intern(status) } as Pod;
}

/**
 * endpointsSummary keeps how many addresses an Endpoints object has, ready and not: the Service card counts
 * the ready ones, and nothing else on the page reads them (the Inspector watches the whole object). Each
 * list is an array of its length with no elements, which the structured clone copies as a length: during a
 * 1,000-pod rollout the Endpoints change every frame, and 1,000 addresses each time were 1,000 objects for
 * the page to read and collect.
 */
function endpointsSummary(o: KubeObject): KubeObject {
  const subsets = (o.subsets ?? []) as { addresses?: unknown[]; notReadyAddresses?: unknown[] }[];
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: meta(o.metadata),
    subsets: subsets.map((ss) => {
      const out: { addresses?: unknown[]; notReadyAddresses?: unknown[] } = {};
      if (ss.addresses) out.addresses = new Array<unknown>(ss.addresses.length);
      if (ss.notReadyAddresses) out.notReadyAddresses = new Array<unknown>(ss.notReadyAddresses.length);
      return out;
    }),
  };
}

/**
 * summarize is the object as the page holds it: a summary for SUMMARY_KINDS, else the object itself. The
 * summaries of one message share an Interner.
 */
export function summarize(o: KubeObject, into?: Interner): KubeObject {
  switch (o.kind) {
    case 'Pod':
      return podSummary(o as Pod, into);
    case 'Endpoints':
      return endpointsSummary(o);
    case 'EndpointSlice':
      // Nothing on the page reads a slice's endpoints (the Inspector watches the whole object).
      return { apiVersion: o.apiVersion, kind: o.kind, metadata: meta(o.metadata), addressType: o.addressType };
    default:
      return o;
  }
}

/** summarizeAll summarizes the objects of one message, pods sharing equal parts (see Interner). */
export function summarizeAll(objs: readonly KubeObject[]): KubeObject[] {
  const into = new Interner();
  return objs.map((o) => summarize(o, into));
}
