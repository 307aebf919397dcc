/**
 * statefulset.ts: the StatefulSet controller (pkg/controller/statefulset/stateful_set_control.go,
 * stateful_set_utils.go), controller `statefulset`.
 *
 * Pods are `<set>-<ordinal>` with hostname = pod name and subdomain = serviceName, and carry the
 * statefulset.kubernetes.io/pod-name, apps.kubernetes.io/pod-index and controller-revision-hash
 * (`<set>-<hash>`) labels. OrderedReady creates ordinals 0..n−1 one at a time, each Running and
 * Ready before the next, and removes from the highest ordinal down, one at a time; Parallel creates
 * and removes all at once. RollingUpdate deletes, from the highest ordinal down to `partition`, the
 * first pod not at the update revision, waiting for each to come back healthy; OnDelete replaces
 * only pods the user deletes. volumeClaimTemplates make one PersistentVolumeClaim per pod,
 * `<claim>-<set>-<ordinal>`, kept on scale-down (the default Retain policy). Claims go through the
 * API server's admission (the default StorageClass, ResourceQuota) and start Pending; the volume
 * controllers bind or provision them, and the scheduler's VolumeBinding plugin holds the pod until
 * they can bind, as for any claim. Pods and claims refused by admission become FailedCreate events
 * worded as stateful_pod_control.go's recordPodEvent/recordClaimEvent.
 */
import type { Sim } from '../sim.ts';
import type { Condition, KubeObject, LabelSelector, Pod, PodTemplateSpec } from '../api/types.ts';
import { keyOf } from '../api/store.ts';
import { compileSelector } from '../api/selector.ts';
import { controllerRef, getCondition, isPodAvailable, isPodReady } from '../api/podutil.ts';
import { defaultPodSpec } from '../api/defaults.ts';
import { parseIsoTime } from '../clock.ts';
import { CONTROLLER_REVISION_HASH_LABEL, ensureRevision, ownedRevisions } from './history.ts';
import { createPod, deepCopy, deleteObject, ensureOwnerIndex, podFromTemplate, podsOwnedBy, requeueAfterFailure } from './workloadutil.ts';
import { runMutatingAdmission, runValidatingAdmission } from '../admission/index.ts';
import { ApiError } from '../api/errors.ts';

export const STS_CONTROLLER = 'statefulset';
export const STS_COMPONENT = 'statefulset-controller';
export const STS_TIMER = 'statefulset/available';
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

export interface StatefulSet extends KubeObject {
  kind: 'StatefulSet';
  spec: {
    replicas?: number;
    selector: LabelSelector;
    template: PodTemplateSpec;
    serviceName?: string;
    podManagementPolicy?: 'OrderedReady' | 'Parallel';
    updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { partition?: number; maxUnavailable?: number | string } };
    volumeClaimTemplates?: KubeObject[];
    revisionHistoryLimit?: number;
    minReadySeconds?: number;
    persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string; whenScaled?: string };
    ordinals?: { start?: number };
  };
  status: {
    observedGeneration?: number;
    replicas: number;
    readyReplicas?: number;
    currentReplicas?: number;
    updatedReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
    collisionCount?: number;
    availableReplicas: number;
    conditions?: Condition[];
  };
}

/** statefulSetDefaults is SetDefaults_StatefulSet. */
export function statefulSetDefaults(sts: StatefulSet): void {
  const s = sts.spec;
  s.replicas ??= 1;
  s.podManagementPolicy ??= 'OrderedReady';
  const us = (s.updateStrategy ??= {});
  us.type ??= 'RollingUpdate';
  if (us.type === 'RollingUpdate') (us.rollingUpdate ??= {}).partition ??= 0;
  s.revisionHistoryLimit ??= 10;
  s.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
  if (s.template?.spec) defaultPodSpec(s.template.spec);
  // Each claim template is a v1 PersistentVolumeClaim, defaulted as one (SetDefaults_PersistentVolumeClaim:
  // volumeMode Filesystem, status.phase Pending), which is why `kubectl get sts -o yaml` shows a Pending
  // status on templates whose claims are long Bound.
  s.volumeClaimTemplates = s.volumeClaimTemplates?.map((t) => {
    if (typeof t !== 'object' || t === null) return t;
    const { apiVersion, kind, ...rest } = t;
    const c: KubeObject = { apiVersion: apiVersion ?? 'v1', kind: kind ?? 'PersistentVolumeClaim', ...rest };
    if (typeof c.spec === 'object' && c.spec !== null) c.spec.volumeMode ??= 'Filesystem';
    c.status ??= { phase: 'Pending' };
    return c;
  });
}

/** getOrdinal parses `<set>-<n>` (−1 when the name is not one of the set's). */
export function getOrdinal(setName: string, podName: string): number {
  if (!podName.startsWith(setName + '-')) return -1;
  const rest = podName.slice(setName.length + 1);
  return /^(0|[1-9]\d*)$/.test(rest) ? parseInt(rest, 10) : -1;
}

/** claimName is getPersistentVolumeClaimName: `<claim>-<set>-<ordinal>`. */
export function claimName(sts: StatefulSet, claim: KubeObject, ordinal: number): string {
  return `${claim.metadata.name}-${sts.metadata.name}-${ordinal}`;
}

/** installStatefulSetController adds the `statefulset` controller with its StatefulSet and Pod watches. */
export function installStatefulSetController(sim: Sim): void {
  ensureOwnerIndex(sim);
  sim.addController({ name: STS_CONTROLLER, sync: (key) => syncStatefulSet(sim, key) });
  sim.store.watch('StatefulSet', (type, obj) => {
    if (type !== 'DELETED') sim.enqueue(STS_CONTROLLER, keyOf(obj));
  });
  sim.store.watch('Pod', (_type, obj) => {
    const ref = controllerRef(obj);
    if (ref?.kind === 'StatefulSet') sim.enqueue(STS_CONTROLLER, `${obj.metadata.namespace}/${ref.name}`);
  });
  sim.onTimer(STS_TIMER, (key) => {
    if (sim.store.getByKey('StatefulSet', key)) sim.enqueue(STS_CONTROLLER, key);
  });
}

const isCreated = (p: Pod | undefined): p is Pod => !!p;
const isTerminating = (p: Pod) => !!p.metadata.deletionTimestamp;
const isRunningAndReady = (p: Pod) => p.status?.phase === 'Running' && isPodReady(p);
const podRevision = (p: Pod) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';

/** newStatefulSetPod is newVersionedStatefulSetPod's pod: identity, revision label and claim volumes. */
function newStatefulSetPod(sts: StatefulSet, template: PodTemplateSpec, ordinal: number, revision: string): Pod {
  const name = `${sts.metadata.name}-${ordinal}`;
  const pod = podFromTemplate(sts, template, { name });
  pod.metadata.labels = { ...pod.metadata.labels, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [CONTROLLER_REVISION_HASH_LABEL]: revision };
  pod.spec.hostname = name;
  if (sts.spec.serviceName) pod.spec.subdomain = sts.spec.serviceName;
  // updateStorage: each claim template becomes a volume naming this ordinal's claim.
  const claims = sts.spec.volumeClaimTemplates ?? [];
  if (claims.length) {
    const vols = (pod.spec.volumes ?? []).filter((v: { name: string }) => !claims.some((c) => c.metadata.name === v.name));
    for (const c of claims) vols.push({ name: c.metadata.name, persistentVolumeClaim: { claimName: claimName(sts, c, ordinal) } });
    pod.spec.volumes = vols;
  }
  return pod;
}

/**
 * createPersistentVolumeClaims creates this ordinal's missing claims through admission, Pending for
 * the volume controllers. Returns false when one was refused (the pod is then not created).
 */
function createClaims(sim: Sim, sts: StatefulSet, pod: Pod, ordinal: number): boolean {
  for (const c of sts.spec.volumeClaimTemplates ?? []) {
    const name = claimName(sts, c, ordinal);
    if (sim.store.get('PersistentVolumeClaim', sts.metadata.namespace, name)) continue;
    const labels = { ...(c.metadata.labels ?? {}), ...(sts.spec.selector?.matchLabels ?? {}) };
    const spec = deepCopy(c.spec ?? {});
    const pvc: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: sts.metadata.namespace, labels, ...(c.metadata.annotations ? { annotations: { ...c.metadata.annotations } } : {}) },
      spec,
    };
    try {
      runMutatingAdmission(sim, pvc); // status Pending, volumeMode, the default StorageClass
      runValidatingAdmission(sim, pvc);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      sim.recordEvent(sts, 'Warning', 'FailedCreate', `create Claim ${name} for Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} failed error: ${e.message}`, STS_COMPONENT);
      requeueAfterFailure(sim, sts);
      return false;
    }
    sim.store.create(pvc);
    sim.recordEvent(sts, 'Normal', 'SuccessfulCreate', `create Claim ${name} Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} success`, STS_COMPONENT);
  }
  return true;
}

/** syncStatefulSet is updateStatefulSet: revisions, replicas and condemned pods, the update, then status. */
function syncStatefulSet(sim: Sim, key: string): void {
  const sts = sim.store.getByKey<StatefulSet>('StatefulSet', key);
  if (!sts || !sts.spec?.template || sts.metadata.deletionTimestamp) return;
  statefulSetDefaults(sts);
  sts.status ??= { replicas: 0, availableReplicas: 0 };
  const matches = compileSelector(sts.spec.selector);
  const pods = podsOwnedBy(sim, sts.metadata.uid!).filter((p) => matches(p.metadata.labels) && getOrdinal(sts.metadata.name, p.metadata.name) >= 0);
  const updateRev = ensureRevision(sim, sts, (h) => pods.some((p) => podRevision(p) === `${sts.metadata.name}-${h}`) || `${sts.metadata.name}-${h}` === sts.status.currentRevision);
  const updateRevision = updateRev.metadata.name;
  const currentRevision = sts.status.currentRevision && ownedRevisions(sim, sts).some((r) => r.metadata.name === sts.status.currentRevision) ? sts.status.currentRevision : updateRevision;
  const currentRev = ownedRevisions(sim, sts).find((r) => r.metadata.name === currentRevision) ?? updateRev;
  const currentTemplate = currentRev.data.spec.template;

  const replicaCount = sts.spec.replicas ?? 1;
  const start = sts.spec.ordinals?.start ?? 0;
  const replicas: (Pod | undefined)[] = new Array(replicaCount).fill(undefined);
  const condemned: Pod[] = [];
  for (const p of pods) {
    const ord = getOrdinal(sts.metadata.name, p.metadata.name);
    if (ord >= start && ord < start + replicaCount) replicas[ord - start] = p;
    else condemned.push(p);
  }
  condemned.sort((a, b) => getOrdinal(sts.metadata.name, b.metadata.name) - getOrdinal(sts.metadata.name, a.metadata.name));
  const monotonic = sts.spec.podManagementPolicy !== 'Parallel';
  const minReady = sts.spec.minReadySeconds ?? 0;
  const now = sim.now();
  const isHealthy = (p: Pod) => isRunningAndReady(p) && !isTerminating(p) && isPodAvailable(p, minReady, now);
  const partition = sts.spec.updateStrategy?.type === 'RollingUpdate' ? (sts.spec.updateStrategy.rollingUpdate?.partition ?? 0) : undefined;

  const act = (): void => {
    // Failed or succeeded pods are deleted and recreated (an ordinal must keep running).
    for (let i = 0; i < replicas.length; i++) {
      const p = replicas[i];
      if (p && !isTerminating(p) && (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded')) {
        sim.recordEvent(sts, 'Warning', 'RecreatingFailedPod', `StatefulSet ${sts.metadata.namespace}/${sts.metadata.name} is recreating failed Pod ${p.metadata.name}`, STS_COMPONENT);
        deleteObject(sim, p);
        sim.recordEvent(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${p.metadata.name} in StatefulSet ${sts.metadata.name} successful`, STS_COMPONENT);
        if (monotonic) return;
        replicas[i] = sim.store.get<Pod>('Pod', p.metadata.namespace, p.metadata.name);
      }
    }
    // Replicas: create missing ordinals in order; OrderedReady waits for each.
    for (let i = 0; i < replicas.length; i++) {
      const ord = start + i;
      let p = replicas[i];
      if (!isCreated(p)) {
        const useCurrent = partition !== undefined ? ord < partition : false;
        const pod = useCurrent ? newStatefulSetPod(sts, currentTemplate, ord, currentRevision) : newStatefulSetPod(sts, sts.spec.template, ord, updateRevision);
        if (!createClaims(sim, sts, pod, ord)) return;
        p = createPod(sim, pod, { failedMessage: (err) => `create Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} failed error: ${err}` });
        if (!p) return;
        replicas[i] = p;
        sim.recordEvent(sts, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`, STS_COMPONENT);
        if (monotonic) return;
        continue;
      }
      if (monotonic && (isTerminating(p) || !isHealthy(p))) return;
    }
    // Condemned: from the highest ordinal; OrderedReady one at a time and only when all others are healthy.
    for (const p of condemned) {
      if (isTerminating(p)) {
        if (monotonic) return;
        continue;
      }
      if (monotonic && [...replicas, ...condemned].some((o) => o && o !== p && !isTerminating(o) && !isHealthy(o))) return;
      deleteObject(sim, p);
      sim.recordEvent(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${p.metadata.name} in StatefulSet ${sts.metadata.name} successful`, STS_COMPONENT);
      if (monotonic) return;
    }
    if (partition === undefined) return; // OnDelete
    if (monotonic && condemned.length) return;
    // RollingUpdate: the highest ordinal not at the update revision goes; wait for unhealthy pods.
    for (let i = replicas.length - 1; i >= Math.max(0, partition - start); i--) {
      const p = replicas[i]!;
      if (podRevision(p) !== updateRevision && !isTerminating(p)) {
        deleteObject(sim, p);
        sim.recordEvent(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${p.metadata.name} in StatefulSet ${sts.metadata.name} successful`, STS_COMPONENT);
        return;
      }
      if (!isHealthy(p)) return;
    }
  };
  act();
  writeStatus(sim, sts, key, currentRevision, updateRevision, minReady);
}

function writeStatus(sim: Sim, sts: StatefulSet, key: string, currentRevision: string, updateRevision: string, minReady: number): void {
  const now = sim.now();
  const pods = podsOwnedBy(sim, sts.metadata.uid!).filter((p) => getOrdinal(sts.metadata.name, p.metadata.name) >= 0);
  let replicas = 0;
  let ready = 0;
  let available = 0;
  let current = 0;
  let updated = 0;
  let nextAvail = Infinity;
  for (const p of pods) {
    replicas++;
    if (isRunningAndReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, now)) available++;
      else {
        const lt = getCondition(p.status?.conditions, 'Ready')?.lastTransitionTime;
        if (lt) nextAvail = Math.min(nextAvail, parseIsoTime(lt) + minReady * 1000);
      }
    }
    if (!isTerminating(p)) {
      if (podRevision(p) === currentRevision) current++;
      if (podRevision(p) === updateRevision) updated++;
    }
  }
  if (nextAvail !== Infinity) sim.at(nextAvail, STS_TIMER, key);
  const want = sts.spec.replicas ?? 1;
  // completeRollingUpdate: every pod updated and ready makes the update revision current.
  if (sts.spec.updateStrategy?.type === 'RollingUpdate' && updated === want && ready === want && replicas === want) {
    currentRevision = updateRevision;
    current = updated;
  }
  const s: StatefulSet['status'] = {
    observedGeneration: sts.metadata.generation,
    replicas,
    readyReplicas: ready,
    currentReplicas: current,
    updatedReplicas: updated,
    currentRevision,
    updateRevision,
    collisionCount: sts.status.collisionCount ?? 0,
    availableReplicas: available,
  };
  for (const f of ['readyReplicas', 'currentReplicas', 'updatedReplicas'] as const) if (!s[f]) delete s[f];
  if (sts.status.conditions) s.conditions = sts.status.conditions;
  if (JSON.stringify(s) !== JSON.stringify(sts.status)) {
    sts.status = s;
    sim.store.update(sts);
  }
}

