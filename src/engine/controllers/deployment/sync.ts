/**
 * sync.ts: pkg/controller/deployment/sync.go — finding or creating the new ReplicaSet, revisions,
 * proportional scaling, history cleanup and the status every sync ends with.
 */
import type { Sim } from '../../sim.ts';
import type { Deployment, DeploymentStatusShape, ReplicaSet } from './types.ts';
import { newControllerRef } from '../../api/podutil.ts';
import { computeHash, canonicalJson } from './hash.ts';
import { scaleReplicaSetAndRecordEvent, type DeploymentIO } from './io.ts';
import {
  DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY,
  FOUND_NEW_RS_REASON,
  MINIMUM_REPLICAS_AVAILABLE,
  MINIMUM_REPLICAS_UNAVAILABLE,
  NEW_RS_REASON,
  PAUSED_DEPLOY_REASON,
  RESUMED_DEPLOY_REASON,
  TIMED_OUT_REASON,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  equalIgnoreHash,
  filterActiveReplicaSets,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  getActualReplicaCountForReplicaSets,
  getAvailableReplicaCountForReplicaSets,
  getDeploymentCondition,
  getDesiredReplicasAnnotation,
  getProportion,
  getReadyReplicaCountForReplicaSets,
  getReplicaCountForReplicaSets,
  hasProgressDeadline,
  isRollingUpdate,
  isSaturated,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newDeploymentCondition,
  newRSNewReplicas,
  replicasAnnotationsNeedUpdate,
  rsReplicas,
  setDeploymentCondition,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  specReplicas,
} from './util.ts';

export const COMPONENT = 'deployment-controller';

/** storeIO writes scale changes to the store and records ScalingReplicaSet events on the Deployment. */
export function storeIO(sim: Sim): DeploymentIO {
  return {
    scaleReplicaSet(rs, newScale, d, op) {
      const sizeNeedsUpdate = rsReplicas(rs) !== newScale;
      const desired = specReplicas(d);
      const max = desired + maxSurge(d);
      if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return false;
      const oldScale = rsReplicas(rs);
      rs.spec.replicas = newScale;
      setReplicasAnnotations(rs, desired, max);
      sim.store.update(rs, { specChanged: sizeNeedsUpdate });
      if (!sizeNeedsUpdate) return false;
      sim.recordEvent(d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata.name} from ${oldScale} to ${newScale}`, COMPONENT);
      return true;
    },
  };
}

/** writeStatus stores a Deployment status change (the status subresource: no generation bump). */
export function writeStatus(sim: Sim, d: Deployment, status: DeploymentStatusShape): void {
  d.status = status;
  sim.store.update(d);
}

/**
 * getAllReplicaSetsAndSyncRevision is getAllReplicaSetsAndSyncRevision: the old RSs and the new one
 * (created when asked and missing). Returns undefined when the sync must stop (a hash collision
 * was recorded and the deployment requeued).
 */
export function getAllReplicaSetsAndSyncRevision(
  sim: Sim,
  d: Deployment,
  rsList: ReplicaSet[],
  createIfNotExisted: boolean,
): { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] } | undefined {
  const { allRSs: oldRSs } = findOldReplicaSets(d, rsList);
  const r = getNewReplicaSet(sim, d, rsList, oldRSs, createIfNotExisted);
  if (r === 'retry') return undefined;
  return { newRS: r, oldRSs };
}

/**
 * getNewReplicaSet is getNewReplicaSet: bring an existing new RS's annotations and revision up to
 * date, or create `<deployment>-<pod-template-hash>` sized by NewRSNewReplicas.
 */
function getNewReplicaSet(sim: Sim, d: Deployment, rsList: ReplicaSet[], oldRSs: ReplicaSet[], create: boolean): ReplicaSet | undefined | 'retry' {
  const existing = findNewReplicaSet(d, rsList);
  const newRevision = String(maxRevision(oldRSs) + 1);
  if (existing) {
    const annotationsUpdated = setNewReplicaSetAnnotations(d, existing, newRevision, true);
    const minReadySecondsNeedsUpdate = (existing.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0);
    if (annotationsUpdated || minReadySecondsNeedsUpdate) {
      // Upstream returns right after this update; the deployment's revision follows on the next sync.
      existing.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
      sim.store.update(existing, { specChanged: minReadySecondsNeedsUpdate });
      return existing;
    }
    let needsUpdate = setDeploymentRevision(d, existing.metadata.annotations![REVISION_KEY]);
    if (hasProgressDeadline(d) && !getDeploymentCondition(d.status?.conditions, 'Progressing')) {
      const msg = `Found new replica set "${existing.metadata.name}"`;
      d.status ??= {};
      setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'True', FOUND_NEW_RS_REASON, msg, sim.nowIso()));
      needsUpdate = true;
    }
    if (needsUpdate) sim.store.update(d);
    return existing;
  }
  if (!create) return undefined;

  const template = structuredClone(d.spec.template);
  const hash = computeHash(template, d.status?.collisionCount);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY]: hash } };
  const selector = structuredClone(d.spec.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY]: hash };
  const newRS: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...template.metadata.labels },
      annotations: {},
      ownerReferences: [newControllerRef(d)],
    },
    spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
    status: { replicas: 0 },
  };
  newRS.spec.replicas = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
  setNewReplicaSetAnnotations(d, newRS, newRevision, false);

  let created: ReplicaSet;
  let alreadyExists = false;
  const clash = sim.store.get<ReplicaSet>('ReplicaSet', d.metadata.namespace, newRS.metadata.name);
  if (clash) {
    // A hash collision or a stale cache. If it is ours with an equal template, use it; otherwise
    // bump collisionCount so the next hash differs, and retry.
    const ref = clash.metadata.ownerReferences?.find((r) => r.controller);
    if (ref?.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, clash.spec.template)) {
      created = clash;
      alreadyExists = true;
    } else {
      d.status ??= {};
      d.status.collisionCount = (d.status.collisionCount ?? 0) + 1;
      sim.store.update(d);
      sim.enqueue('deployment', `${d.metadata.namespace}/${d.metadata.name}`);
      return 'retry';
    }
  } else {
    created = sim.store.create(newRS);
    if (rsReplicas(created) > 0) {
      sim.recordEvent(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${rsReplicas(created)}`, COMPONENT);
    }
  }
  let needsUpdate = setDeploymentRevision(d, newRevision);
  if (!alreadyExists && hasProgressDeadline(d)) {
    const msg = `Created new replica set "${created.metadata.name}"`;
    d.status ??= {};
    setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'True', NEW_RS_REASON, msg, sim.nowIso()));
    needsUpdate = true;
  }
  if (needsUpdate) sim.store.update(d);
  return created;
}

const REVISION_KEY = 'deployment.kubernetes.io/revision';

/**
 * scale is scale(): when spec.replicas changes mid-rollout, spread the difference over the active
 * RSs in proportion to their size (larger first; newest first when adding, oldest first when
 * removing); the rounding leftover goes to the first. 5 → 10 with RSs of 3 and 2 gives 6 and 4.
 */
export function scale(io: DeploymentIO, d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): void {
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    if (rsReplicas(activeOrLatest) === specReplicas(d)) return;
    scaleReplicaSetAndRecordEvent(io, activeOrLatest, specReplicas(d), d);
    return;
  }
  // If the new RS is saturated, old RSs should be fully scaled down.
  if (isSaturated(d, newRS)) {
    for (const old of filterActiveReplicaSets(oldRSs)) scaleReplicaSetAndRecordEvent(io, old, 0, d);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const allRSs = filterActiveReplicaSets([...oldRSs, newRS]);
  const allRSsReplicas = getReplicaCountForReplicaSets(allRSs);
  const allowedSize = specReplicas(d) > 0 ? specReplicas(d) + maxSurge(d) : 0;
  const toAdd = allowedSize - allRSsReplicas;
  let op = '';
  if (toAdd > 0) {
    allRSs.sort(bySizeNewer);
    op = 'up';
  } else if (toAdd < 0) {
    allRSs.sort(bySizeOlder);
    op = 'down';
  }
  let added = 0;
  const nameToSize = new Map<string, number>();
  for (const rs of allRSs) {
    if (toAdd !== 0) {
      const proportion = getProportion(rs, d, toAdd, added);
      nameToSize.set(rs.metadata.name, rsReplicas(rs) + proportion);
      added += proportion;
    } else nameToSize.set(rs.metadata.name, rsReplicas(rs));
  }
  allRSs.forEach((rs, i) => {
    // Add or remove any leftover to or from the largest replica set.
    if (i === 0 && toAdd !== 0) {
      const leftover = toAdd - added;
      nameToSize.set(rs.metadata.name, Math.max(0, nameToSize.get(rs.metadata.name)! + leftover));
    }
    io.scaleReplicaSet(rs, nameToSize.get(rs.metadata.name)!, d, op);
  });
}

/** isScalingEvent is isScalingEvent: an active RS's desired-replicas annotation differs from spec.replicas. */
export function isScalingEvent(sim: Sim, d: Deployment, rsList: ReplicaSet[]): boolean {
  const got = getAllReplicaSetsAndSyncRevision(sim, d, rsList, false);
  if (!got) return false;
  for (const rs of filterActiveReplicaSets([...got.oldRSs, got.newRS])) {
    const desired = getDesiredReplicasAnnotation(rs);
    if (desired === undefined) continue;
    if (desired !== specReplicas(d)) return true;
  }
  return false;
}

/** sync is sync(): scaling events and paused deployments — scale, never roll out. */
export function sync(sim: Sim, d: Deployment, rsList: ReplicaSet[]): void {
  const got = getAllReplicaSetsAndSyncRevision(sim, d, rsList, false);
  if (!got) return;
  const { newRS, oldRSs } = got;
  scale(storeIO(sim), d, newRS, oldRSs);
  // Clean up the deployment when it is paused.
  if (d.spec.paused) cleanupDeployment(sim, oldRSs, d);
  syncDeploymentStatus(sim, [...oldRSs, newRS], newRS, d);
}

/**
 * checkPausedConditions is checkPausedConditions: Progressing Unknown DeploymentPaused while
 * paused, DeploymentResumed after; a ProgressDeadlineExceeded condition is never overwritten.
 */
export function checkPausedConditions(sim: Sim, d: Deployment): void {
  if (!hasProgressDeadline(d)) return;
  const cond = getDeploymentCondition(d.status?.conditions, 'Progressing');
  if (cond?.reason === TIMED_OUT_REASON) return;
  const pausedCondExists = cond?.reason === PAUSED_DEPLOY_REASON;
  d.status ??= {};
  if (d.spec.paused && !pausedCondExists) {
    setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'Unknown', PAUSED_DEPLOY_REASON, 'Deployment is paused', sim.nowIso()));
  } else if (!d.spec.paused && pausedCondExists) {
    setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'Unknown', RESUMED_DEPLOY_REASON, 'Deployment is resumed', sim.nowIso()));
  } else return;
  sim.store.update(d);
}

/**
 * cleanupDeployment is cleanupDeployment: delete the oldest old RSs beyond revisionHistoryLimit,
 * but only those fully scaled down and observed (no replicas in spec or status).
 */
export function cleanupDeployment(sim: Sim, oldRSs: ReplicaSet[], d: Deployment): void {
  const limit = d.spec.revisionHistoryLimit;
  if (limit === undefined || limit === null) return;
  const cleanable = oldRSs.filter((rs) => rs && !rs.metadata.deletionTimestamp);
  const diff = cleanable.length - limit;
  if (diff <= 0) return;
  cleanable.sort(byRevision);
  for (let i = 0; i < diff; i++) {
    const rs = cleanable[i];
    if ((rs.status?.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    deleteObject(sim, 'ReplicaSet', rs.metadata.namespace, rs.metadata.name);
  }
}

interface ApiLike {
  delete(kind: string, ns: string | undefined, name: string, opts?: { cascade?: 'background' | 'foreground' | 'orphan' }): unknown;
}

/** deleteObject deletes through the API server (so the garbage collector sees it), or the store when it is absent. */
export function deleteObject(sim: Sim, kind: string, ns: string | undefined, name: string): void {
  const api = sim.services.get('api') as ApiLike | undefined;
  if (api && typeof api.delete === 'function') {
    try {
      api.delete(kind, ns, name);
    } catch {
      /* already gone */
    }
  } else sim.store.remove(kind, ns, name);
}

/**
 * calculateStatus is calculateStatus: counts summed over the RSs (zero fields omitted, as the API
 * omits them) and the Available condition: True when available >= replicas - maxUnavailable.
 */
export function calculateStatus(sim: Sim, allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): DeploymentStatusShape {
  const available = getAvailableReplicaCountForReplicaSets(allRSs);
  const total = getReplicaCountForReplicaSets(allRSs);
  const unavailable = Math.max(0, total - available);
  const status: DeploymentStatusShape = { observedGeneration: d.metadata.generation };
  const put = (k: 'replicas' | 'updatedReplicas' | 'readyReplicas' | 'availableReplicas' | 'unavailableReplicas', v: number) => {
    if (v !== 0) status[k] = v;
  };
  put('replicas', getActualReplicaCountForReplicaSets(allRSs));
  put('updatedReplicas', getActualReplicaCountForReplicaSets([newRS]));
  put('readyReplicas', getReadyReplicaCountForReplicaSets(allRSs));
  put('availableReplicas', available);
  put('unavailableReplicas', unavailable);
  status.conditions = (d.status?.conditions ?? []).map((c) => ({ ...c }));
  if (available >= specReplicas(d) - maxUnavailable(d)) {
    setDeploymentCondition(status, newDeploymentCondition('Available', 'True', MINIMUM_REPLICAS_AVAILABLE, 'Deployment has minimum availability.', sim.nowIso()));
  } else {
    setDeploymentCondition(status, newDeploymentCondition('Available', 'False', MINIMUM_REPLICAS_UNAVAILABLE, 'Deployment does not have minimum availability.', sim.nowIso()));
  }
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  return status;
}

/** syncDeploymentStatus is syncDeploymentStatus: write the calculated status if it changed. */
export function syncDeploymentStatus(sim: Sim, allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): void {
  const status = calculateStatus(sim, allRSs, newRS, d);
  if (statusEqual(d.status, status)) return;
  writeStatus(sim, d, status);
}

const STATUS_FIELDS = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'terminatingReplicas', 'collisionCount'] as const;
const CONDITION_FIELDS = ['type', 'status', 'reason', 'message', 'lastUpdateTime', 'lastTransitionTime'] as const;

/** statusEqual is reflect.DeepEqual for Deployment statuses, field by field (it runs on every sync). */
export function statusEqual(a: DeploymentStatusShape | undefined, b: DeploymentStatusShape | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  for (const f of STATUS_FIELDS) if (x[f] !== y[f]) return false;
  const cx = x.conditions ?? [];
  const cy = y.conditions ?? [];
  if (cx.length !== cy.length) return false;
  for (let i = 0; i < cx.length; i++) for (const f of CONDITION_FIELDS) if (cx[i][f] !== cy[i][f]) return false;
  const known = new Set<string>([...STATUS_FIELDS, 'conditions']);
  for (const k of Object.keys(x)) if (!known.has(k) && canonicalJson((x as any)[k]) !== canonicalJson((y as any)[k])) return false;
  for (const k of Object.keys(y)) if (!known.has(k) && !(k in x)) return false;
  return true;
}
