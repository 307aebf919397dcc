import { parseIsoTime } from '../clock.ts';
import type { Condition, KubeObject, OwnerReference, Pod } from './types.ts';

/** getCondition returns the condition of a type, if present. */
export function getCondition(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/**
 * setCondition updates or adds a condition; lastTransitionTime changes only when the status does,
 * as upstream's SetCondition helpers do. An update replaces the condition (UpdatePodCondition): a
 * reason or message the new one lacks does not linger (a pod bound after Unschedulable or
 * SchedulingGated). Returns true if anything changed.
 *
 * The copies are made with Object.assign, not a spread: Node 20's V8 gives an object spread and then
 * given a key its source lacks a map of its own, so every pod's PodScheduled condition had one, and
 * every read of a pod's conditions (isPodReady on each write) went megamorphic.
 */
export function setCondition(list: Condition[], cond: Condition, nowIso: string): boolean {
  const i = list.findIndex((c) => c.type === cond.type);
  if (i < 0) {
    list.push(Object.assign({}, cond, { lastTransitionTime: cond.lastTransitionTime ?? nowIso }));
    return true;
  }
  const old = list[i];
  const sameStatus = old.status === cond.status;
  if (sameStatus && old.reason === cond.reason && old.message === cond.message) return false;
  list[i] = Object.assign({}, cond, { lastTransitionTime: sameStatus ? old.lastTransitionTime : (cond.lastTransitionTime ?? nowIso) });
  return true;
}

/** isPodReady: the pod's Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return getCondition(pod.status?.conditions, 'Ready')?.status === 'True';
}

/** isPodTerminating: the pod has a deletionTimestamp. */
export function isPodTerminating(pod: Pod): boolean {
  return !!pod.metadata.deletionTimestamp;
}

/** isPodActive is controller.IsPodActive: not Succeeded, not Failed, not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/**
 * isPodAvailable is podutil.IsPodAvailable: Ready, and Ready for at least minReadySeconds
 * (measured from the Ready condition's lastTransitionTime).
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  const c = getCondition(pod.status?.conditions, 'Ready');
  if (!c || c.status !== 'True') return false;
  if (!minReadySeconds) return true;
  if (!c.lastTransitionTime) return false;
  return parseIsoTime(c.lastTransitionTime) + minReadySeconds * 1000 <= nowMs;
}

/** controllerRef returns the ownerReference with controller: true. */
export function controllerRef(obj: KubeObject): OwnerReference | undefined {
  const refs = obj.metadata.ownerReferences;
  if (refs) for (const r of refs) if (r.controller) return r;
  return undefined;
}

/** newControllerRef builds the ownerReference a controller puts on what it creates. */
export function newControllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}
