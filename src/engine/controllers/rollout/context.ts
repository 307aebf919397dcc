/**
 * context.ts: the rolloutContext of one reconcile pass (rollout/context.go): the Rollout, its
 * ReplicaSets sorted into new / stable / other, and the status being built. Also the ReplicaSet
 * writes every strategy uses (createDesiredReplicaSet, scaleReplicaSetAndRecordEvent).
 */
import type { Sim } from '../../sim.ts';
import type { LabelSelector, PodTemplateSpec, ReplicaSet } from '../../api/types.ts';
import { computeHash, canonicalJson } from '../deployment/hash.ts';
import { defaultPodSpec } from '../../api/defaults.ts';
import { newControllerRef } from '../../api/podutil.ts';
import { isoTime } from '../../clock.ts';
import {
  COMPONENT, DESIRED_REPLICAS_ANNOTATION, HASH_LABEL, REQUEUE_TIMER, REVISION_ANNOTATION, SCALE_DOWN_DEADLINE_ANNOTATION,
  isObj, podHash, replicaSetsOf, revisionOf, type Rollout,
} from './util.ts';

export interface RolloutContext {
  sim: Sim;
  ro: Rollout;
  template: PodTemplateSpec;
  /** selector: spec.selector, or for a workloadRef Rollout without one the referenced workload's (templateref.go Resolve). */
  selector: LabelSelector | undefined;
  /** newHash: the pod-template-hash of the current spec.template. */
  newHash: string;
  allRSs: ReplicaSet[];
  newRS?: ReplicaSet;
  stableRS?: ReplicaSet;
  otherRSs: ReplicaSet[];
  /** status: the status this pass writes (a copy of the live one, mutated). */
  status: any;
  now: number;
  /** created: the new RS was created in this pass (Progressing reason NewReplicaSetCreated). */
  created?: boolean;
  /** completedBlueGreenPause: this pass removed the BlueGreenPause as its autoPromotionSeconds ran out (pauseContext.CompletedBlueGreenPause). */
  completedBlueGreenPause?: boolean;
}

/** templateKey is the template's canonical JSON without our hash label (PodTemplateEqualIgnoreHash). */
function templateKey(t: unknown): string {
  if (!isObj(t)) return canonicalJson(t);
  const labels = { ...(t.metadata?.labels ?? {}) };
  delete labels[HASH_LABEL];
  return canonicalJson({ ...t, metadata: { ...(t.metadata ?? {}), labels } });
}

/** newContext sorts the Rollout's ReplicaSets into new, stable and other. */
export function newContext(sim: Sim, ro: Rollout, template: PodTemplateSpec, selector: LabelSelector | undefined = ro.spec.selector): RolloutContext {
  const newHash = computeHash(template, ro.status?.collisionCount);
  const allRSs = replicaSetsOf(sim, ro);
  let newRS = allRSs.find((rs) => podHash(rs) === newHash);
  if (!newRS) {
    const key = templateKey(normalizedTemplate(template));
    newRS = allRSs.find((rs) => templateKey(rs.spec.template) === key);
  }
  const stableHash = ro.status?.stableRS;
  const stableRS = stableHash ? allRSs.find((rs) => podHash(rs) === stableHash) : undefined;
  const otherRSs = allRSs.filter((rs) => rs !== newRS && rs !== stableRS);
  const status = structuredClone(ro.status ?? {});
  return { sim, ro, template, selector, newHash: newRS ? podHash(newRS) || newHash : newHash, allRSs, newRS, stableRS, otherRSs, status, now: sim.now() };
}

/** normalizedTemplate is the template as a created ReplicaSet carries it: pod spec defaults applied. */
function normalizedTemplate(t: PodTemplateSpec): PodTemplateSpec {
  const copy = structuredClone(t);
  if (isObj(copy.spec)) defaultPodSpec(copy.spec);
  return copy;
}

/**
 * createDesiredReplicaSet creates `<rollout>-<hash>` at 0 replicas with the next revision, the hash
 * label in its selector and template, and a controller reference to the Rollout.
 */
export function createDesiredReplicaSet(c: RolloutContext): ReplicaSet {
  const { ro, sim } = c;
  const hash = c.newHash;
  const revision = c.allRSs.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0) + 1;
  const template = normalizedTemplate(c.template);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash } };
  const sel = c.selector ?? {};
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${ro.metadata.name}-${hash}`,
      namespace: ro.metadata.namespace,
      labels: { ...(template.metadata.labels ?? {}) },
      annotations: { [REVISION_ANNOTATION]: String(revision), [DESIRED_REPLICAS_ANNOTATION]: String(ro.spec.replicas ?? 1) },
      ownerReferences: [newControllerRef(ro)],
    },
    spec: {
      replicas: 0,
      minReadySeconds: ro.spec.minReadySeconds ?? 0,
      selector: { ...sel, matchLabels: { ...(sel.matchLabels ?? {}), [HASH_LABEL]: hash } },
      template,
    },
    status: { replicas: 0 },
  };
  const existing = sim.store.get<ReplicaSet>('ReplicaSet', ro.metadata.namespace, rs.metadata.name);
  if (existing) {
    // A hash collision: another template produced this name. Bump collisionCount and retry (as upstream).
    c.status.collisionCount = (c.status.collisionCount ?? 0) + 1;
    return existing;
  }
  sim.store.create(rs);
  sim.recordEvent(ro, 'Normal', 'NewReplicaSetCreated', `Created ReplicaSet ${rs.metadata.name} (revision ${revision})`, COMPONENT);
  c.allRSs.push(rs);
  c.newRS = rs;
  c.created = true;
  return rs;
}

/** scaleReplicaSet is scaleReplicaSetAndRecordEvent: sets spec.replicas, records ScalingReplicaSet. Returns true if it changed. */
export function scaleReplicaSet(c: RolloutContext, rs: ReplicaSet, replicas: number): boolean {
  const old = rs.spec.replicas ?? 0;
  const desired = String(c.ro.spec.replicas ?? 1);
  const annOk = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION] === desired;
  if (old === replicas && annOk) return false;
  rs.metadata.annotations = { ...(rs.metadata.annotations ?? {}), [DESIRED_REPLICAS_ANNOTATION]: desired };
  // A full scale-down drops the scale-down deadline, unless an abort delays it (scaleReplicaSet's
  // fullScaleDown && !shouldDelayScaleDownOnAbort): the old ReplicaSet no longer shows delay:passed.
  if (replicas === 0 && old !== 0 && !c.status.abort) delete rs.metadata.annotations[SCALE_DOWN_DEADLINE_ANNOTATION];
  rs.spec.replicas = replicas;
  c.sim.store.update(rs, { specChanged: old !== replicas });
  if (old !== replicas) {
    const dir = replicas > old ? 'up' : 'down';
    c.sim.recordEvent(c.ro, 'Normal', 'ScalingReplicaSet', `Scaled ${dir} ReplicaSet ${rs.metadata.name} (revision ${revisionOf(rs)}) from ${old} to ${replicas}`, COMPONENT);
  }
  return old !== replicas;
}

/** requeueAt asks for another pass at timeMs (a pause ending, a scale-down deadline). */
export function requeueAt(c: RolloutContext, timeMs: number): void {
  if (!Number.isFinite(timeMs)) return;
  c.sim.at(Math.max(timeMs, c.now), REQUEUE_TIMER, `${c.ro.metadata.namespace}/${c.ro.metadata.name}`);
}

export const nowIso = (c: RolloutContext): string => isoTime(c.now);

// ---- pause conditions (rollout/pause.go pauseContext) ----

/** addPauseCondition adds a pause condition (once) and marks controllerPause. */
export function addPauseCondition(c: RolloutContext, reason: string): void {
  const list: any[] = (c.status.pauseConditions ??= []);
  if (!list.some((p) => p.reason === reason)) {
    list.push({ reason, startTime: nowIso(c) });
    c.sim.recordEvent(c.ro, 'Normal', 'RolloutPaused', `Rollout is paused (${reason})`, COMPONENT);
  }
  c.status.controllerPause = true;
}

export function getPauseCondition(c: RolloutContext, reason: string): any | undefined {
  return (c.status.pauseConditions ?? []).find((p: any) => p.reason === reason);
}

export function removePauseCondition(c: RolloutContext, reason: string): void {
  const list: any[] = c.status.pauseConditions ?? [];
  c.status.pauseConditions = list.filter((p) => p.reason !== reason);
  if (c.status.pauseConditions.length === 0) {
    delete c.status.pauseConditions;
    delete c.status.controllerPause;
  }
}

export function clearPauseConditions(c: RolloutContext): void {
  delete c.status.pauseConditions;
  delete c.status.controllerPause;
}

/** isUnpausing: the controller paused, and the user (promote) removed the pause conditions. */
export function isUnpausing(c: RolloutContext): boolean {
  return !!c.status.controllerPause && !(c.status.pauseConditions?.length > 0);
}

/** removeScaleDownDeadline is removeScaleDownDeadlines for one RS: an RS in use again loses its scale-down-deadline. */
export function removeScaleDownDeadline(c: RolloutContext, rs: ReplicaSet | undefined): void {
  if (!rs || rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION] === undefined) return;
  const { [SCALE_DOWN_DEADLINE_ANNOTATION]: _drop, ...rest } = rs.metadata.annotations;
  rs.metadata.annotations = rest;
  c.sim.store.update(rs);
}
