/**
 * The graph's view model, derived from the cluster's objects by pure functions: which pods sit on
 * which node (in a stable order), their chips' text, and each node's requested resources.
 */
import type { Node as KNode, Pod, KubeObject } from '../../engine/api/types.ts';
import { parseQuantity } from '../../engine/api/quantity.ts';
import { controllerRef, getCondition } from '../../engine/api/podutil.ts';
import { podColumns } from '../../engine/kubectl/podstatus.ts';
import { seenOrder } from '../state/cluster.ts';

/** GROUP_THRESHOLD: more pods than this of one owner on one node collapse into a counted chip. */
export const GROUP_THRESHOLD = 24;
/**
 * NODE_CHIP_CAP: past this many pods on one node, every owner-revision with more than GROUP_MIN pods is
 * grouped too (a rollout of 48 pods a node is two revisions of 24: two counted chips, not 48 chips).
 */
export const NODE_CHIP_CAP = 32;
/** GROUP_MIN: an owner-revision with this many pods or fewer on a node always keeps its own chips. */
export const GROUP_MIN = 3;
/**
 * DENSE_PODS: a graph with more pods than this is dense: on every node, each owner-revision with more than
 * one pod is one counted chip (a lone pod keeps its own). 1,000 pods on 50 nodes (20 a node) then draw 50
 * chips, at most 100 while they roll over (old revision, new revision), instead of 1,000-1,250, and every
 * box keeps one row of chips, so nothing moves: at the zoom that fits 50 boxes in 1280×720 single chips
 * cannot be read anyway, and creating and removing 2,000 of them during a rolling update held the page at 4 fps.
 */
export const DENSE_PODS = 200;

/** PodView is what a pod chip draws. */
export interface PodView {
  pod: Pod;
  short: string;
  owner: string;
  revision: string | undefined;
  status: string;
  ready: boolean;
  restarts: number;
}

export interface GroupView {
  key: string;
  owner: string;
  revision: string | undefined;
  pods: PodView[];
  /** shown: what the chip shows of its pods (each one's STATUS and readiness, in order), to tell a change that shows */
  shown: string;
}

export type Item = { type: 'pod'; view: PodView } | { type: 'group'; group: GroupView };

/** podCount is how many pods a box's items draw (a counted chip stands for its group's pods). */
export function podCount(items: readonly Item[]): number {
  let n = 0;
  for (const it of items) n += it.type === 'pod' ? 1 : it.group.pods.length;
  return n;
}

const viewCache = new WeakMap<Pod, PodView>();

/** podView builds (once per pod object version) the chip's text from kubectl's STATUS rules. */
export function podView(pod: Pod): PodView {
  const cached = viewCache.get(pod);
  if (cached) return cached;
  const cols = podColumns(pod, 0);
  const ref = controllerRef(pod);
  // Deployments label pods pod-template-hash, Argo Rollouts rollouts-pod-template-hash: the same key
  // colours the ReplicaSet's swatch on its workload card. StatefulSets and DaemonSets label them with
  // their ControllerRevision's name (controller-revision-hash), numbered by the revision's `revision`.
  const labels = pod.metadata.labels;
  const hash = labels?.['pod-template-hash'] ?? labels?.['rollouts-pod-template-hash'];
  let owner = ref?.name ?? '';
  let short = pod.metadata.name;
  if (ref && short.startsWith(`${ref.name}-`)) short = short.slice(ref.name.length + 1);
  // A static pod's mirror is named COMPONENT-NODE and owned by its node: on that node's box, the component.
  else if (ref?.kind === 'Node' && short.endsWith(`-${ref.name}`)) {
    short = short.slice(0, -ref.name.length - 1);
    owner = 'static pod';
  }
  if (ref?.kind === 'ReplicaSet' && hash && owner.endsWith(`-${hash}`)) owner = owner.slice(0, -hash.length - 1);
  const view: PodView = {
    pod,
    short,
    owner,
    revision: hash ?? labels?.['controller-revision-hash'] ?? ref?.name,
    status: cols.status,
    ready: getCondition(pod.status?.conditions, 'Ready')?.status === 'True',
    restarts: parseInt(cols.restarts, 10) || 0,
  };
  viewCache.set(pod, view);
  return view;
}

/** REVISION_ANNOTATIONS: the revision number a Deployment's (or an Argo Rollout's) ReplicaSet carries. */
const REVISION_ANNOTATIONS = ['deployment.kubernetes.io/revision', 'rollout.argoproj.io/revision'];

/**
 * REVISION_HISTORY_ANNOTATION: the revisions a Deployment's ReplicaSet had before a rollback re-numbered it
 * ("1" after `rollout undo` made revision 1 into 3; the deployment controller's SetNewReplicaSetAnnotations).
 */
const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';

/**
 * revisionNumbers maps each ReplicaSet's revision keys — its pod-template-hash (Deployments) or
 * rollouts-pod-template-hash (Argo Rollouts), and its name — to the number it is coloured by: the order
 * of the revision within its owner (1 = first template). A Deployment's rollback re-numbers the old
 * ReplicaSet as the newest revision, and keeps the old number in revision-history: the first number
 * counts, so the old pods come back in the colour they left in (a rollback is the old ReplicaSet scaled
 * up again, not a new version), read from the object, the same for every viewer. An Argo Rollout's
 * ReplicaSet keeps no such history: its colour follows its current revision.
 * Pods carry the same hash, so pods, ReplicaSet rows, traffic and charts all find the same number.
 */
export function revisionNumbers(replicaSets: Iterable<KubeObject>): Map<string, number> {
  const out = new Map<string, number>();
  for (const rs of replicaSets) {
    const ann = rs.metadata.annotations ?? {};
    // A ControllerRevision (a StatefulSet's or DaemonSet's) carries its number as `revision`.
    const raw = rs.kind === 'ControllerRevision' ? String(rs.revision) : (ann[REVISION_ANNOTATIONS[0]] ?? ann[REVISION_ANNOTATIONS[1]]);
    const current = raw !== undefined ? parseInt(raw, 10) : NaN;
    if (!(current > 0)) continue;
    const earlier = (ann[REVISION_HISTORY_ANNOTATION] ?? '').split(',').map((r) => parseInt(r, 10)).filter((r) => r > 0);
    const n = Math.min(current, ...earlier);
    for (const k of revisionKeys(rs)) out.set(k, n);
  }
  return out;
}

/**
 * revisionKeys are the keys a ReplicaSet's revision is found by: its pod-template-hash (or
 * rollouts-pod-template-hash), then its name. A ControllerRevision is found by its name (a StatefulSet's
 * pods carry it as controller-revision-hash) and by its hash (a DaemonSet's pods carry that).
 */
export function revisionKeys(rs: KubeObject): string[] {
  const labels = rs.metadata.labels ?? {};
  if (rs.kind === 'ControllerRevision') return labels['controller-revision-hash'] ? [rs.metadata.name, labels['controller-revision-hash']] : [rs.metadata.name];
  const hash = labels['pod-template-hash'] ?? labels['rollouts-pod-template-hash'];
  return hash ? [hash, rs.metadata.name] : [rs.metadata.name];
}

/** byCreation orders objects as the page first saw them (creation order), so chips keep their places. */
export function byCreation(a: KubeObject, b: KubeObject): number {
  return seenOrder(a.metadata.uid) - seenOrder(b.metadata.uid) || (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);
}

/**
 * itemsFor turns a node's pods into chips, grouping an owner-revision's pods past GROUP_THRESHOLD, past
 * GROUP_MIN on a node with more than NODE_CHIP_CAP pods, and past one in a dense graph (see DENSE_PODS).
 */
export function itemsFor(pods: Pod[], dense = false): Item[] {
  const sorted = [...pods].sort(byCreation);
  const perOwner = new Map<string, PodView[]>();
  for (const p of sorted) {
    const v = podView(p);
    const k = `${v.owner}|${v.revision ?? ''}`;
    let list = perOwner.get(k);
    if (!list) perOwner.set(k, (list = []));
    list.push(v);
  }
  const items: Item[] = [];
  const emitted = new Set<string>();
  const min = dense ? 1 : GROUP_MIN;
  for (const p of sorted) {
    const v = podView(p);
    const k = `${v.owner}|${v.revision ?? ''}`;
    const list = perOwner.get(k)!;
    const crowded = (dense || sorted.length > NODE_CHIP_CAP) && list.length > min;
    if (list.length <= GROUP_THRESHOLD && !crowded) {
      items.push({ type: 'pod', view: v });
    } else if (!emitted.has(k)) {
      emitted.add(k);
      let shown = '';
      for (const p of list) shown += `${p.status}${p.ready ? '+' : '-'};`;
      items.push({ type: 'group', group: { key: k, owner: v.owner || '(none)', revision: v.revision, pods: list, shown } });
    }
  }
  return items;
}

/** Usage is requested vs allocatable for one resource, in milli-units. */
export interface Usage {
  requested: number;
  allocatable: number;
}

/**
 * podRequests is the scheduler's computePodResourceRequest: the larger of the sum of the app
 * containers' requests and the largest init container's, plus overhead (e.g. app 100m+200m, init 500m → 500m).
 */
export function podRequests(pod: Pod, resource: string): number {
  let sum = 0;
  for (const c of pod.spec?.containers ?? []) sum += parseQuantity(c.resources?.requests?.[resource] as string) ?? 0;
  let init = 0;
  for (const c of pod.spec?.initContainers ?? []) init = Math.max(init, parseQuantity(c.resources?.requests?.[resource] as string) ?? 0);
  const overhead = parseQuantity(pod.spec?.overhead?.[resource]) ?? 0;
  return Math.max(sum, init) + overhead;
}

/**
 * requestsByUid remembers podRequests per pod uid and resource: a pod's requests are immutable (the API
 * server rejects a spec change other than image, tolerations or activeDeadlineSeconds; the engine has no
 * in-place resize), while its object arrives anew with every status change: a 1,000-pod rollout re-added
 * the same quantities ~20,000 times a second, parsing each. Bounded: cleared when it outgrows REQUESTS_MAX.
 */
const requestsByUid = new Map<string, Record<string, number>>();
const REQUESTS_MAX = 20_000;

function cachedRequests(pod: Pod, resource: string): number {
  const uid = pod.metadata.uid;
  if (!uid) return podRequests(pod, resource);
  let byResource = requestsByUid.get(uid);
  if (!byResource) {
    if (requestsByUid.size >= REQUESTS_MAX) requestsByUid.clear();
    requestsByUid.set(uid, (byResource = {}));
  }
  return (byResource[resource] ??= podRequests(pod, resource));
}

/** nodeUsage adds up the requests of a node's non-terminal pods against its allocatable. */
export function nodeUsage(node: KNode, pods: Pod[], resource: string): Usage {
  let requested = 0;
  for (const p of pods) {
    if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
    requested += cachedRequests(p, resource);
  }
  const alloc = node.status?.allocatable?.[resource] ?? node.status?.capacity?.[resource];
  return { requested, allocatable: parseQuantity(alloc) ?? 0 };
}

/**
 * nodeReady is kubectl's node STATUS: "Ready" when the Ready condition is True, "NotReady" when it is
 * False or Unknown (printNode), "Unknown" when the node reports no Ready condition at all.
 */
export function nodeReady(node: KNode): string {
  const c = getCondition(node.status?.conditions, 'Ready');
  if (!c) return 'Unknown';
  return c.status === 'True' ? 'Ready' : 'NotReady';
}
