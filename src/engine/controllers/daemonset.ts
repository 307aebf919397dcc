/**
 * daemonset.ts: the DaemonSet controller (pkg/controller/daemon/daemon_controller.go, update.go,
 * util/daemonset_util.go), controller `daemonset`.
 *
 * One pod per node the DaemonSet should run on (nodeSelector, required node affinity, NoSchedule
 * and NoExecute taints against the pod's tolerations plus the ones every daemon pod gets). The pod
 * is not bound here: as upstream, it carries a required node affinity `matchFields metadata.name
 * In [node]` and the scheduler binds it. RollingUpdate replaces pods within maxUnavailable (or
 * surges a new pod beside the old within maxSurge); OnDelete replaces only pods the user deletes.
 */
import type { Sim } from '../sim.ts';
import type { Condition, KubeObject, LabelSelector, Node, Pod, PodTemplateSpec, Taint, Toleration } from '../api/types.ts';
import { keyOf } from '../api/store.ts';
import { compileSelector } from '../api/selector.ts';
import { scaledValue } from '../api/quantity.ts';
import { controllerRef, getCondition, isPodAvailable, isPodReady } from '../api/podutil.ts';
import { parseIsoTime } from '../clock.ts';
import { requiredNodeAffinityMatches, requiredNodeAffinityOf } from '../scheduler/plugins/NodeAffinity/nodeselector.ts';
import { tolerationsTolerateTaint } from '../scheduler/plugins/TaintToleration/index.ts';
import { CONTROLLER_REVISION_HASH_LABEL, ensureRevision } from './history.ts';
import { createPod, deleteObject, ensureOwnerIndex, podFromTemplate, podsOwnedBy } from './workloadutil.ts';
import { defaultPodSpec } from '../api/defaults.ts';
import { pushAll } from '../arrays.ts';

export const DS_CONTROLLER = 'daemonset';
export const DS_COMPONENT = 'daemonset-controller';
export const DS_TIMER = 'daemonset/available';
/** DEPRECATED_TEMPLATE_GENERATION_LABEL is extensions.DaemonSetTemplateGenerationKey, still set on pods. */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** DS_TEMPLATE_GENERATION is apps/v1's annotation for spec.templateGeneration (set by the API server). */
export const DS_TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

export interface DaemonSet extends KubeObject {
  kind: 'DaemonSet';
  spec: {
    selector: LabelSelector;
    template: PodTemplateSpec;
    updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } };
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
  };
  status: {
    currentNumberScheduled: number;
    numberMisscheduled: number;
    desiredNumberScheduled: number;
    numberReady: number;
    observedGeneration?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
    numberUnavailable?: number;
    collisionCount?: number;
    conditions?: Condition[];
  };
}

/** daemonSetDefaults is SetDefaults_DaemonSet. */
export function daemonSetDefaults(ds: DaemonSet): void {
  const us = (ds.spec.updateStrategy ??= {});
  us.type ??= 'RollingUpdate';
  if (us.type === 'RollingUpdate') {
    const ru = (us.rollingUpdate ??= {});
    ru.maxUnavailable ??= 1;
    ru.maxSurge ??= 0;
  }
  ds.spec.revisionHistoryLimit ??= 10;
  if (ds.spec.template?.spec) defaultPodSpec(ds.spec.template.spec);
}

/** daemonTolerations is AddOrUpdateDaemonPodTolerations: what every daemon pod tolerates. */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const t: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) t.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return t;
}

/** withDaemonTolerations adds the daemon tolerations the list lacks (same key and effect). */
function withDaemonTolerations(list: Toleration[] | undefined, hostNetwork: boolean): Toleration[] {
  const out = [...(list ?? [])];
  for (const t of daemonTolerations(hostNetwork)) {
    const i = out.findIndex((x) => x.key === t.key && x.effect === t.effect);
    if (i >= 0) out[i] = t;
    else out.push(t);
  }
  return out;
}

/**
 * nodeShouldRunDaemonPod returns [shouldRun, shouldContinueRunning]: node affinity/selector must
 * match; untolerated NoSchedule/NoExecute taints stop new pods, only untolerated NoExecute ones
 * evict running pods.
 */
export function nodeShouldRunDaemonPod(node: Node, template: PodTemplateSpec): [boolean, boolean] {
  const spec = template.spec;
  if (!requiredNodeAffinityMatches(requiredNodeAffinityOf(spec), node.metadata.labels ?? {}, node.metadata.name)) return [false, false];
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return [false, false];
  const tolerations = withDaemonTolerations(spec.tolerations, !!spec.hostNetwork);
  const taints: Taint[] = node.spec?.taints ?? [];
  let fits = true;
  let continues = true;
  for (const taint of taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (tolerationsTolerateTaint(tolerations, taint)) continue;
    fits = false;
    if (taint.effect === 'NoExecute') continues = false;
  }
  return [fits, continues];
}

/** daemonPodNode is the node a daemon pod is for: its nodeName, or the matchFields target while unbound. */
function daemonPodNode(pod: Pod): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) for (const f of t.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  return undefined;
}

/** installDaemonSetController adds the `daemonset` controller with its DaemonSet, Pod and Node watches. */
export function installDaemonSetController(sim: Sim): void {
  ensureOwnerIndex(sim);
  sim.addController({ name: DS_CONTROLLER, sync: (key) => syncDaemonSet(sim, key) });
  sim.store.watch('DaemonSet', (type, obj) => {
    if (type !== 'DELETED') sim.enqueue(DS_CONTROLLER, keyOf(obj));
  });
  sim.store.watch('Pod', (_type, obj) => {
    const ref = controllerRef(obj);
    if (ref?.kind === 'DaemonSet') sim.enqueue(DS_CONTROLLER, `${obj.metadata.namespace}/${ref.name}`);
  });
  // Nodes: only a change in what decides placement (labels, taints, readiness, existence) requeues
  // every DaemonSet. `sigs` is a derived cache, dropped when the module state changes identity (a restore).
  const sigs = new Map<string, string>();
  let stateRef: object | undefined;
  sim.store.watch('Node', (type, obj) => {
    if (sim.store.count('DaemonSet') === 0) return; // a new DaemonSet looks at every node anyway
    const st = sim.moduleState('daemonset', () => ({}));
    if (st !== stateRef) {
      stateRef = st;
      sigs.clear();
    }
    const sig = type === 'DELETED' ? '' : JSON.stringify([obj.metadata.labels ?? {}, obj.spec?.taints ?? [], getCondition(obj.status?.conditions, 'Ready')?.status]);
    if (sigs.get(obj.metadata.name) === sig) return;
    if (type === 'DELETED') sigs.delete(obj.metadata.name);
    else sigs.set(obj.metadata.name, sig);
    for (const ds of sim.store.list('DaemonSet')) sim.enqueue(DS_CONTROLLER, keyOf(ds));
  });
  sim.onTimer(DS_TIMER, (key) => {
    if (sim.store.getByKey('DaemonSet', key)) sim.enqueue(DS_CONTROLLER, key);
  });
}

function byCreation(a: Pod, b: Pod): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** syncDaemonSet is syncDaemonSet: revision, manage (create/delete per node), rolling update, status. */
function syncDaemonSet(sim: Sim, key: string): void {
  const ds = sim.store.getByKey<DaemonSet>('DaemonSet', key);
  if (!ds || !ds.spec?.template || ds.metadata.deletionTimestamp) return;
  daemonSetDefaults(ds);
  const matches = compileSelector(ds.spec.selector);
  const pods = podsOwnedBy(sim, ds.metadata.uid!).filter((p) => matches(p.metadata.labels));
  const rev = ensureRevision(sim, ds, (h) => pods.some((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === h));
  const hash = rev.metadata.labels![CONTROLLER_REVISION_HASH_LABEL];
  const nodes = sim.store.list<Node>('Node').sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  const nodeNames = new Set(nodes.map((n) => n.metadata.name));
  const byNode = new Map<string, Pod[]>();
  for (const p of pods) {
    const n = daemonPodNode(p) ?? '';
    if (!byNode.has(n)) byNode.set(n, []);
    byNode.get(n)!.push(p);
  }
  const now = sim.now();
  const minReady = ds.spec.minReadySeconds ?? 0;
  const available = (p: Pod) => isPodAvailable(p, minReady, now);
  const isNew = (p: Pod) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash;
  const maxSurgeAllowed = ds.spec.updateStrategy?.type === 'RollingUpdate';

  const toCreate: string[] = [];
  const toDelete: Pod[] = [];
  const shouldRunOn = new Map<string, boolean>();
  for (const node of nodes) {
    const name = node.metadata.name;
    const [shouldRun, shouldContinue] = nodeShouldRunDaemonPod(node, ds.spec.template);
    shouldRunOn.set(name, shouldRun);
    const onNode = (byNode.get(name) ?? []).filter((p) => !p.metadata.deletionTimestamp);
    if (shouldRun) {
      const live: Pod[] = [];
      for (const p of onNode) {
        if (p.status?.phase === 'Failed') {
          sim.recordEvent(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${p.metadata.namespace}/${p.metadata.name} on node ${name}, will try to kill it`, DS_COMPONENT);
          toDelete.push(p);
        } else live.push(p);
      }
      if (live.length === 0) {
        // A node that only has pods still terminating gets its new pod after they are gone.
        if (!(byNode.get(name) ?? []).some((p) => p.metadata.deletionTimestamp)) toCreate.push(name);
      } else if (live.length > 1) {
        live.sort(byCreation);
        // Keep the oldest pod; during a surge keep the oldest old and the oldest new pod.
        const keep = new Set<Pod>([live[0]]);
        if (maxSurgeAllowed) {
          const oldest = live.find((p) => !isNew(p));
          const newest = live.find(isNew);
          if (oldest && newest) keep.add(oldest).add(newest);
        }
        for (const p of live) if (!keep.has(p)) toDelete.push(p);
      }
    } else if (!shouldContinue) pushAll(toDelete, onNode);
  }
  // Pods for nodes that no longer exist.
  for (const [n, list] of byNode) if (!nodeNames.has(n)) pushAll(toDelete, list.filter((p) => !p.metadata.deletionTimestamp));

  if (toCreate.length === 0 && toDelete.length === 0 && ds.spec.updateStrategy?.type === 'RollingUpdate') {
    const desired = [...shouldRunOn.values()].filter(Boolean).length;
    const r = rollingUpdate(ds, nodes.filter((n) => shouldRunOn.get(n.metadata.name)).map((n) => n.metadata.name), byNode, isNew, available, desired);
    pushAll(toDelete, r.del);
    pushAll(toCreate, r.create);
  }
  for (const n of toCreate) {
    const pod = newDaemonPod(ds, n, hash);
    if (!createPod(sim, pod)) break; // refused by admission: FailedCreate recorded, retried
    sim.recordEvent(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, DS_COMPONENT);
  }
  for (const p of toDelete) {
    deleteObject(sim, p);
    sim.recordEvent(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, DS_COMPONENT);
  }
  updateStatus(sim, ds, nodes, shouldRunOn, key, isNew, minReady);
}

/**
 * rollingUpdate is update.go rollingUpdate. Without surge: delete old pods that are unavailable,
 * plus available ones while fewer than maxUnavailable nodes are unavailable. With surge: create a
 * new pod beside an old one on up to maxSurge nodes, and delete the old pod once the new one is available.
 * Both limits scale against desiredNumberScheduled, rounded up; both zero means maxUnavailable 1.
 */
export function rollingUpdate(
  ds: DaemonSet,
  nodes: string[],
  byNode: Map<string, Pod[]>,
  isNew: (p: Pod) => boolean,
  available: (p: Pod) => boolean,
  desired: number,
): { del: Pod[]; create: string[] } {
  const ru = ds.spec.updateStrategy?.rollingUpdate ?? {};
  const maxSurge = scaledValue(ru.maxSurge ?? 0, desired, true) ?? 0;
  let maxUnavailable = scaledValue(ru.maxUnavailable ?? 1, desired, true) ?? 0;
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  if (maxSurge > 0) maxUnavailable = 0;
  const find = (node: string): { ok: boolean; newPod?: Pod; oldPod?: Pod } => {
    let newPod: Pod | undefined;
    let oldPod: Pod | undefined;
    for (const p of byNode.get(node) ?? []) {
      if (p.metadata.deletionTimestamp) continue;
      if (isNew(p)) {
        if (newPod) return { ok: false };
        newPod = p;
      } else {
        if (oldPod) return { ok: false };
        oldPod = p;
      }
    }
    return { ok: true, newPod, oldPod };
  };
  if (maxSurge === 0) {
    let numUnavailable = 0;
    const allowed: Pod[] = [];
    const candidates: Pod[] = [];
    for (const n of nodes) {
      const { ok, newPod, oldPod } = find(n);
      if (!ok) {
        numUnavailable++;
        continue;
      }
      if ((!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
      else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (!available(oldPod!)) allowed.push(oldPod!);
      else if (numUnavailable < maxUnavailable) candidates.push(oldPod!);
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length);
    return { del: [...allowed, ...candidates.slice(0, remaining)], create: [] };
  }
  let numSurge = 0;
  const allowedNew: string[] = [];
  const candidateNew: string[] = [];
  const del: Pod[] = [];
  for (const n of nodes) {
    const { ok, newPod, oldPod } = find(n);
    if (!ok) {
      numSurge++;
      continue;
    }
    if (!oldPod) continue;
    if (!newPod) {
      if (!available(oldPod)) allowedNew.push(n);
      else if (numSurge < maxSurge) candidateNew.push(n);
    } else if (!available(newPod)) numSurge++;
    else del.push(oldPod);
  }
  const remaining = Math.min(Math.max(0, maxSurge - numSurge), candidateNew.length);
  return { del, create: [...allowedNew, ...candidateNew.slice(0, remaining)] };
}

/** newDaemonPod is the template with the revision labels, daemon tolerations and the node's matchFields affinity. */
function newDaemonPod(ds: DaemonSet, node: string, hash: string): Pod {
  const pod = podFromTemplate(ds, ds.spec.template, { generateName: `${ds.metadata.name}-` });
  pod.metadata.labels = { ...pod.metadata.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash, [TEMPLATE_GENERATION_LABEL]: ds.metadata.annotations?.[DS_TEMPLATE_GENERATION] ?? String(ds.metadata.generation ?? 1) };
  pod.spec.tolerations = withDaemonTolerations(pod.spec.tolerations, !!pod.spec.hostNetwork);
  // ReplaceDaemonSetPodNodeNameNodeAffinity: the required terms become "this node, by name".
  const affinity = (pod.spec.affinity ??= {});
  const na = (affinity.nodeAffinity ??= {});
  na.requiredDuringSchedulingIgnoredDuringExecution = {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
  };
  return pod;
}

function updateStatus(sim: Sim, ds: DaemonSet, nodes: Node[], shouldRunOn: Map<string, boolean>, key: string, isNew: (p: Pod) => boolean, minReady: number): void {
  const now = sim.now();
  const pods = podsOwnedBy(sim, ds.metadata.uid!);
  const byNode = new Map<string, Pod[]>();
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) continue;
    const n = daemonPodNode(p) ?? '';
    if (!byNode.has(n)) byNode.set(n, []);
    byNode.get(n)!.push(p);
  }
  let desired = 0;
  let current = 0;
  let mis = 0;
  let ready = 0;
  let avail = 0;
  let updated = 0;
  let nextAvail = Infinity;
  for (const node of nodes) {
    const name = node.metadata.name;
    const list = (byNode.get(name) ?? []).sort(byCreation);
    const run = shouldRunOn.get(name);
    if (run) desired++;
    if (list.length === 0) continue;
    if (!run) {
      mis++;
      continue;
    }
    // Only bound pods count as scheduled (upstream lists pods by spec.nodeName).
    const bound = list.filter((p) => p.spec.nodeName === name);
    if (bound.length === 0) continue;
    current++;
    const pod = bound.find(isNew) ?? bound[0];
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, now)) avail++;
      else {
        const lt = getCondition(pod.status?.conditions, 'Ready')?.lastTransitionTime;
        if (lt) nextAvail = Math.min(nextAvail, parseIsoTime(lt) + minReady * 1000);
      }
    }
    if (bound.some(isNew)) updated++;
  }
  if (nextAvail !== Infinity) sim.at(nextAvail, DS_TIMER, key);
  const s: DaemonSet['status'] = {
    currentNumberScheduled: current,
    numberMisscheduled: mis,
    desiredNumberScheduled: desired,
    numberReady: ready,
    observedGeneration: ds.metadata.generation,
    updatedNumberScheduled: updated,
    numberAvailable: avail,
    numberUnavailable: desired - avail,
  };
  if (!s.updatedNumberScheduled) delete s.updatedNumberScheduled;
  if (!s.numberAvailable) delete s.numberAvailable;
  if (!s.numberUnavailable) delete s.numberUnavailable;
  if (ds.status?.collisionCount !== undefined) s.collisionCount = ds.status.collisionCount;
  if (ds.status?.conditions) s.conditions = ds.status.conditions;
  if (JSON.stringify(s) !== JSON.stringify(ds.status ?? {})) {
    ds.status = s;
    sim.store.update(ds);
  }
}
