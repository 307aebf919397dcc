/**
 * explain.ts: why a Deployment's rollout stands where it stands. explainDeployment reads a Deployment,
 * its ReplicaSets and their pods (plain objects, e.g. the page's copy of the store) and answers in
 * words and numbers what the deployment controller's next sync may do, by running the controller's
 * own functions (resolveFenceposts, maxSurge, maxUnavailable, reconcileNewReplicaSet,
 * reconcileOldReplicaSets, cleanupUnhealthyReplicas, scale, oldPodsRunning) on copies of the
 * ReplicaSets through a DeploymentIO that records instead of writing. Nothing here changes its input.
 *
 * Worked example (10 replicas, 25%/25%, 10 old pods, new RS at 3 with none available yet):
 * maxSurge 25% of 10 = 2.5 → 3, maxUnavailable 25% of 10 = 2.5 → 2; at most 13 pods, at least 8
 * available; 13 pods already: no room for new ones; 13 − 8 − 3 (new, unavailable) = 2 old may go.
 */
import type { Deployment, Pod, ReplicaSet } from '../../api/types.ts';
import { controllerRef } from '../../api/podutil.ts';
import type { DeploymentIO } from './io.ts';
import { cleanupUnhealthyReplicas, reconcileNewReplicaSet, reconcileOldReplicaSets } from './rolling.ts';
import { oldPodsRunning } from './recreate.ts';
import { scale } from './sync.ts';
import {
  TIMED_OUT_REASON,
  deploymentComplete,
  filterActiveReplicaSets,
  findNewReplicaSet,
  findOldReplicaSets,
  getAvailableReplicaCountForReplicaSets,
  getDeploymentCondition,
  getDesiredReplicasAnnotation,
  getReadyReplicaCountForReplicaSets,
  getReplicaCountForReplicaSets,
  intOrPercent,
  isRollingUpdate,
  maxSurge,
  maxUnavailable,
  minAvailable,
  newRSNewReplicas,
  resolveFenceposts,
  revision,
  rsReplicas,
  specReplicas,
} from './util.ts';

/** Fencepost is maxSurge or maxUnavailable: the spec value, the number it resolves to, and how. */
export interface Fencepost {
  spec: number | string;
  value: number;
  /** text: e.g. "25% of 10 = 2.5 → rounds up to 3" */
  text: string;
}

/** ScaleChange is one ReplicaSet resize the next sync would make. */
export interface ScaleChange {
  name: string;
  from: number;
  to: number;
}

export type ExplainState =
  | 'complete'
  | 'paused'
  | 'timedOut'
  | 'notObserved'
  | 'scaling'
  | 'rolling'
  | 'recreate';

/** Explanation is the answer: the fenceposts, the counts, what may start and stop now, and why. */
export interface Explanation {
  strategy: 'RollingUpdate' | 'Recreate';
  state: ExplainState;
  /** summary: one sentence on where the rollout stands */
  summary: string;
  desired: number;
  maxSurge?: Fencepost;
  maxUnavailable?: Fencepost;
  /** maxTotal = desired + maxSurge (RollingUpdate) */
  maxTotal?: number;
  /** minAvailable = desired − maxUnavailable (RollingUpdate) */
  minAvailable?: number;
  counts: {
    /** total: the sum of the ReplicaSets' spec.replicas (what the controller counts) */
    total: number;
    available: number;
    ready: number;
    newReplicas: number;
    newAvailable: number;
    oldReplicas: number;
    oldAvailable: number;
    /** pods: pods that exist and are not terminating; terminating: pods with a deletionTimestamp */
    pods: number;
    terminating: number;
  };
  newRS?: string;
  oldRSs: string[];
  /** scaleUp: how many new pods may be created now (the new RS's next size), and why */
  scaleUp?: { count: number; to: number; why: string };
  /** scaleDown: how many old pods may be removed now (unhealthy ones first), and why */
  scaleDown?: { count: number; unhealthy: number; healthy: number; why: string };
  /** next: what the next sync does (one decision per sync, as rolloutRolling) */
  next: string;
  /** changes: the ReplicaSet resizes the next sync would make */
  changes: ScaleChange[];
  /** lines: the whole explanation as readable lines */
  lines: string[];
}

/** recorder is a DeploymentIO that only remembers: the controller's algorithms run on copies. */
function recorder(): DeploymentIO & { changes: ScaleChange[] } {
  const changes: ScaleChange[] = [];
  return {
    changes,
    scaleReplicaSet(rs, newScale) {
      const from = rsReplicas(rs);
      if (from === newScale) return false;
      rs.spec.replicas = newScale;
      const prev = changes.find((c) => c.name === rs.metadata.name);
      if (prev) prev.to = newScale;
      else changes.push({ name: rs.metadata.name, from, to: newScale });
      return true;
    },
  };
}

/** copyRS copies what the algorithms may write (spec.replicas); the rest is shared read-only. */
function copyRS(rs: ReplicaSet): ReplicaSet {
  return { ...rs, spec: { ...rs.spec } };
}

const num = (x: number): string => (Number.isInteger(x) ? String(x) : String(Math.round(x * 100) / 100));

/** fencepostText words how an IntOrString resolves: "25% of 10 = 2.5 → rounds up to 3". */
function fencepostText(spec: number | string, desired: number, roundUp: boolean, resolved: number): string {
  if (typeof spec === 'number') return `${spec}`;
  const m = /^(-?\d+)%$/.exec(spec);
  if (!m) return `${spec} (not a number or a percentage)`;
  const exact = (parseInt(m[1], 10) * desired) / 100;
  if (Number.isInteger(exact)) return `${spec} of ${desired} = ${exact}`;
  return `${spec} of ${desired} = ${num(exact)} → rounds ${roundUp ? 'up' : 'down'} to ${resolved}`;
}

/** waitWord: what "available" means for this deployment. */
function availableWord(d: Deployment): string {
  const mrs = d.spec.minReadySeconds ?? 0;
  return mrs > 0 ? `available (Ready for ${mrs}s, minReadySeconds)` : 'Ready';
}

/**
 * explainDeployment explains the current step of a Deployment's rollout. replicaSets are the RSs it
 * controls (others are ignored); pods are their pods (used for the terminating count and, for
 * Recreate, oldPodsRunning).
 */
export function explainDeployment(d: Deployment, replicaSets: readonly ReplicaSet[], pods: readonly Pod[] = []): Explanation {
  const uid = d.metadata.uid;
  const owned = replicaSets.filter((rs) => !uid || controllerRef(rs)?.uid === uid);
  const newRSLive = findNewReplicaSet(d, owned);
  const { allRSs: oldLive } = findOldReplicaSets(d, owned);
  const rolling = isRollingUpdate(d);
  const desired = specReplicas(d);
  const all = [...oldLive, newRSLive];
  const oldAvailable = getAvailableReplicaCountForReplicaSets(oldLive);
  const newAvailable = newRSLive?.status?.availableReplicas ?? 0;
  let terminating = 0;
  let live = 0;
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) terminating++;
    else live++;
  }
  const counts = {
    total: getReplicaCountForReplicaSets(all),
    available: getAvailableReplicaCountForReplicaSets(all),
    ready: getReadyReplicaCountForReplicaSets(all),
    newReplicas: newRSLive ? rsReplicas(newRSLive) : 0,
    newAvailable,
    oldReplicas: getReplicaCountForReplicaSets(oldLive),
    oldAvailable,
    pods: live,
    terminating,
  };
  const ex: Explanation = {
    strategy: rolling ? 'RollingUpdate' : 'Recreate',
    state: rolling ? 'rolling' : 'recreate',
    summary: '',
    desired,
    counts,
    newRS: newRSLive?.metadata.name,
    oldRSs: [...oldLive].sort((a, b) => revision(a) - revision(b)).map((rs) => rs.metadata.name),
    next: '',
    changes: [],
    lines: [],
  };

  if (rolling) {
    const ru = d.spec.strategy?.rollingUpdate;
    const surgeSpec = ru?.maxSurge ?? '25%';
    const unavailSpec = ru?.maxUnavailable ?? '25%';
    const surge = maxSurge(d);
    const unavail = maxUnavailable(d);
    const rawSurge = intOrPercent(surgeSpec, desired, true);
    const rawUnavail = intOrPercent(unavailSpec, desired, false);
    const resolved = resolveFenceposts(surgeSpec, unavailSpec, desired);
    let unavailText = fencepostText(unavailSpec, desired, false, typeof rawUnavail === 'number' ? rawUnavail : unavail);
    // ResolveFenceposts: both 0 would let nothing move, so maxUnavailable becomes 1.
    if (!('error' in resolved) && rawSurge === 0 && rawUnavail === 0) unavailText += ' → 1 (maxSurge and maxUnavailable are both 0: one pod must be allowed to go)';
    else if (typeof rawUnavail === 'number' && rawUnavail > desired) unavailText += ` → capped at replicas ${desired}`;
    ex.maxSurge = { spec: surgeSpec, value: surge, text: fencepostText(surgeSpec, desired, true, surge) };
    ex.maxUnavailable = { spec: unavailSpec, value: unavail, text: unavailText };
    ex.maxTotal = desired + surge;
    ex.minAvailable = minAvailable(d);
    explainRolling(d, oldLive, newRSLive, ex);
  } else {
    explainRecreate(d, oldLive, newRSLive, pods, ex);
  }

  // States that override what the arithmetic says.
  const status = d.status ?? {};
  const progressing = getDeploymentCondition(status.conditions, 'Progressing');
  if (d.spec.paused) {
    ex.state = 'paused';
    ex.summary = 'Paused: while spec.paused is true the controller only resizes ReplicaSets for scaling events; it never rolls out. Resume to continue.';
    ex.next = 'nothing until resumed';
  } else if ((status.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
    ex.state = 'notObserved';
    ex.summary = `The controller has not yet observed generation ${d.metadata.generation} (it has seen ${status.observedGeneration ?? 0}).`;
  } else if (isScalingEvent(d, oldLive, newRSLive)) {
    explainScaling(d, oldLive, newRSLive, ex);
  } else if (deploymentComplete(d, status)) {
    ex.state = 'complete';
    ex.summary = `Complete: all ${desired} replicas are updated and available.`;
  } else if (progressing?.reason === TIMED_OUT_REASON) {
    ex.state = 'timedOut';
    ex.summary = `ProgressDeadlineExceeded: no progress for progressDeadlineSeconds (${d.spec.progressDeadlineSeconds}s). The controller reports it and keeps trying; it does not roll back.`;
  }
  ex.lines = render(ex, d);
  return ex;
}

/** isScalingEvent is sync.go's isScalingEvent: an active RS's desired-replicas annotation differs from spec.replicas. */
function isScalingEvent(d: Deployment, oldRSs: ReplicaSet[], newRS: ReplicaSet | undefined): boolean {
  for (const rs of filterActiveReplicaSets([...oldRSs, newRS])) {
    const desired = getDesiredReplicasAnnotation(rs);
    if (desired !== undefined && desired !== specReplicas(d)) return true;
  }
  return false;
}

/** explainScaling runs sync.go's scale on copies: the proportional resize of a mid-rollout replicas change. */
function explainScaling(d: Deployment, oldLive: ReplicaSet[], newLive: ReplicaSet | undefined, ex: Explanation): void {
  const io = recorder();
  scale(io, d, newLive && copyRS(newLive), oldLive.map(copyRS));
  ex.state = 'scaling';
  ex.changes = io.changes;
  ex.summary = `spec.replicas changed to ${specReplicas(d)}: the controller first resizes the ReplicaSets in proportion to their size (the new RS's max surge included), then rolls on.`;
  ex.next = io.changes.length ? io.changes.map((c) => `${c.name} ${c.from} → ${c.to}`).join(', ') : 'nothing to resize';
}

function explainRolling(d: Deployment, oldLive: ReplicaSet[], newLive: ReplicaSet | undefined, ex: Explanation): void {
  const desired = ex.desired;
  const surge = ex.maxSurge!.value;
  const minAvail = ex.minAvailable!;
  const maxTotal = ex.maxTotal!;
  const { total, newReplicas, newAvailable, oldReplicas, available } = ex.counts;
  const wait = availableWord(d);

  // Scale up: reconcileNewReplicaSet on copies (or the size a new RS would be created with).
  if (!newLive) {
    const probe = { metadata: { name: '(new)' }, spec: { replicas: 0 }, status: { replicas: 0 } } as unknown as ReplicaSet;
    const to = newRSNewReplicas(d, [...oldLive, probe], probe);
    ex.scaleUp = { count: to, to, why: `no ReplicaSet has the current template yet: it is created with min(${maxTotal} − ${total}, ${desired}) = ${to}` };
  } else {
    const oldCopies = oldLive.map(copyRS);
    const newCopy = copyRS(newLive);
    const io = recorder();
    reconcileNewReplicaSet(io, [...oldCopies, newCopy], newCopy, d);
    const to = rsReplicas(newCopy);
    let why: string;
    if (newReplicas === desired) why = `the new ReplicaSet already has all ${desired} replicas`;
    else if (newReplicas > desired) why = `the new ReplicaSet has ${newReplicas} > ${desired}: it is scaled down to ${desired}`;
    else if (total >= maxTotal) why = `total ${total} ${total === maxTotal ? '=' : '>'} ${desired} + ${surge} maxSurge: no room`;
    else why = `room: min(${maxTotal} max − ${total} total, ${desired} desired − ${newReplicas} new) = ${to - newReplicas}`;
    ex.scaleUp = { count: Math.max(0, to - newReplicas), to, why };
  }

  // Scale down: reconcileOldReplicaSets on copies; cleanupUnhealthyReplicas alone tells the unhealthy share.
  const newUnavailable = newLive ? rsReplicas(newLive) - newAvailable : 0;
  const maxScaledDown = total - minAvail - newUnavailable;
  let count = 0;
  let unhealthy = 0;
  if (newLive && oldReplicas > 0 && maxScaledDown > 0) {
    const oldCopies = oldLive.map(copyRS);
    const newCopy = copyRS(newLive);
    const io = recorder();
    reconcileOldReplicaSets(io, [...oldCopies, newCopy], filterActiveReplicaSets(oldCopies), newCopy, d);
    count = oldReplicas - getReplicaCountForReplicaSets(oldCopies);
    unhealthy = cleanupUnhealthyReplicas(recorder(), filterActiveReplicaSets(oldLive.map(copyRS)), d, maxScaledDown);
  }
  const healthy = count - unhealthy;
  let why: string;
  const budget = `${total} total − ${minAvail} minAvailable − ${newUnavailable} new not yet available = ${maxScaledDown}`;
  if (oldReplicas === 0) why = 'no old pods are left';
  else if (!newLive) why = 'the new ReplicaSet must exist first';
  else if (maxScaledDown <= 0) why = `${budget}: none may go${newUnavailable > 0 ? ` until new pods become ${wait}` : ''}`;
  else {
    const parts = [budget];
    if (unhealthy > 0) parts.push(`${unhealthy} unhealthy old pod${unhealthy === 1 ? '' : 's'} go first (they do not count as available)`);
    if (available <= minAvail) parts.push(`available ${available} ${available === minAvail ? '=' : '<'} minAvailable ${minAvail}: no healthy old pod may go; must wait for new pods to become ${wait}`);
    else parts.push(`available ${available} − minAvailable ${minAvail} = ${available - minAvail} healthy old pod${available - minAvail === 1 ? '' : 's'} may go`);
    why = parts.join('; ');
  }
  ex.scaleDown = { count, unhealthy, healthy, why };

  // One decision per sync: scale up if it can, else scale down, else wait.
  if (ex.scaleUp.count > 0 || (newLive && ex.scaleUp.to < newReplicas)) {
    ex.next = newLive ? `scale ${newLive.metadata.name} from ${newReplicas} to ${ex.scaleUp.to}` : `create the new ReplicaSet with ${ex.scaleUp.to} replicas`;
    ex.summary = `Rolling update: the next sync ${newLive ? 'scales the new ReplicaSet up' : 'creates the new ReplicaSet'}.`;
  } else if (count > 0) {
    ex.next = `remove ${count} old pod${count === 1 ? '' : 's'}`;
    ex.summary = 'Rolling update: the next sync scales old ReplicaSets down.';
  } else if (oldReplicas === 0 && newAvailable < desired) {
    ex.next = `wait for ${desired - newAvailable} new pod${desired - newAvailable === 1 ? '' : 's'} to become ${wait}`;
    ex.summary = `Rolling update: every old pod is gone; waiting for the new pods to become ${wait}.`;
  } else if (oldReplicas === 0) {
    ex.next = 'nothing: the rollout is done';
    ex.summary = 'Rolling update: every replica is updated.';
  } else {
    ex.next = `wait for new pods to become ${wait}`;
    ex.summary = `Rolling update: waiting — no room for more new pods and no old pod may go until new pods become ${wait}.`;
  }
}

function explainRecreate(d: Deployment, oldLive: ReplicaSet[], newLive: ReplicaSet | undefined, pods: readonly Pod[], ex: Explanation): void {
  const byRS = new Map<string, Pod[]>();
  for (const p of pods) {
    const ref = controllerRef(p);
    if (!ref) continue;
    const list = byRS.get(ref.uid) ?? [];
    list.push(p);
    byRS.set(ref.uid, list);
  }
  const podsOf = (rsUid: string) => byRS.get(rsUid) ?? [];
  const activeOld = filterActiveReplicaSets(oldLive);
  const desired = ex.desired;
  const wait = availableWord(d);
  if (activeOld.length > 0) {
    ex.changes = activeOld.map((rs) => ({ name: rs.metadata.name, from: rsReplicas(rs), to: 0 }));
    ex.next = `scale ${activeOld.map((rs) => rs.metadata.name).join(', ')} to 0`;
    ex.summary = 'Recreate: every old ReplicaSet is scaled to 0 first; no new pod starts while an old one runs.';
  } else if (oldPodsRunning(newLive, oldLive, podsOf)) {
    let running = 0;
    for (const rs of oldLive) for (const p of podsOf(rs.metadata.uid!)) if (p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded') running++;
    running = Math.max(running, oldLive.reduce((s, rs) => s + (rs.status?.replicas ?? 0), 0));
    ex.next = `wait for ${running} old pod${running === 1 ? '' : 's'} to terminate`;
    ex.summary = `Recreate: waiting for ${running} old pod${running === 1 ? '' : 's'} to finish terminating before the new ReplicaSet is scaled up (terminating pods count as running).`;
  } else if (!newLive || rsReplicas(newLive) !== desired) {
    ex.next = newLive ? `scale ${newLive.metadata.name} to ${desired}` : `create the new ReplicaSet with ${desired} replicas`;
    ex.summary = `Recreate: no old pod is left; the new ReplicaSet gets all ${desired} replicas at once.`;
  } else if (ex.counts.newAvailable < desired) {
    ex.next = `wait for ${desired - ex.counts.newAvailable} new pod${desired - ex.counts.newAvailable === 1 ? '' : 's'} to become ${wait}`;
    ex.summary = `Recreate: all ${desired} new pods were created; waiting for them to become ${wait} (the service has no old pods meanwhile).`;
  } else {
    ex.next = 'nothing: the rollout is done';
    ex.summary = 'Recreate: every replica is updated.';
  }
}

/** render turns an explanation into the readable block the Rollout panel shows. */
function render(ex: Explanation, d: Deployment): string[] {
  const c = ex.counts;
  const out: string[] = [ex.summary];
  out.push(`strategy ${ex.strategy}, desired ${ex.desired}${(d.spec.minReadySeconds ?? 0) > 0 ? `, minReadySeconds ${d.spec.minReadySeconds}` : ''}`);
  if (ex.maxSurge && ex.maxUnavailable) {
    out.push(`maxSurge ${ex.maxSurge.text}`);
    out.push(`maxUnavailable ${ex.maxUnavailable.text}`);
    out.push(`max total pods = ${ex.desired} + ${ex.maxSurge.value} = ${ex.maxTotal}`);
    out.push(`min available = ${ex.desired} − ${ex.maxUnavailable.value} = ${ex.minAvailable}`);
  }
  out.push(`now: total ${c.total} (new ${c.newReplicas}, old ${c.oldReplicas}), available ${c.available} (new ${c.newAvailable}, old ${c.oldAvailable}), ready ${c.ready}${c.terminating ? `, ${c.terminating} terminating` : ''}`);
  if (ex.state === 'scaling') {
    for (const ch of ex.changes) out.push(`scale ${ch.name}: ${ch.from} → ${ch.to}`);
    return out;
  }
  const when = ex.state === 'paused' ? ' once resumed' : '';
  if (ex.scaleUp) out.push(`new pods that may start${when}: ${ex.scaleUp.count} — ${ex.scaleUp.why}`);
  if (ex.scaleDown) out.push(`old pods that may stop${when}: ${ex.scaleDown.count} — ${ex.scaleDown.why}`);
  if (ex.next) out.push(`next sync: ${ex.next}`);
  return out;
}
