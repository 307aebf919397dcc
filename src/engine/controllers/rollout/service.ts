/**
 * service.ts: selector injection into the Services a Rollout names (rollout/service.go): the
 * canary/stable/active/preview Service gets `rollouts-pod-template-hash: <hash>` added to its
 * selector, so it selects exactly one ReplicaSet's pods.
 */
import type { Service } from '../../api/types.ts';
import type { RolloutContext } from './context.ts';
import { COMPONENT, HASH_LABEL, MANAGED_BY_ANNOTATION } from './util.ts';

/** getService returns the named Service in the Rollout's namespace; missing ones are reported by the caller. */
export function getService(c: RolloutContext, name: string | undefined): Service | undefined {
  if (!name) return undefined;
  return c.sim.store.get<Service>('Service', c.ro.metadata.namespace, name);
}

/** selectorHash is the hash a managed Service currently selects ('' when none). */
export function selectorHash(svc: Service | undefined): string {
  return svc?.spec.selector?.[HASH_LABEL] ?? '';
}

/**
 * switchServiceSelector points a Service at a pod-template hash, recording SwitchService as Argo
 * does ("Switched selector for service 'preview' from '' to '6c5b4f9d8'"). Returns true if it changed.
 */
export function switchServiceSelector(c: RolloutContext, svc: Service, hash: string): boolean {
  const old = selectorHash(svc);
  const managed = svc.metadata.annotations?.[MANAGED_BY_ANNOTATION] === c.ro.metadata.name;
  if (old === hash && managed) return false;
  svc.spec.selector = { ...(svc.spec.selector ?? {}), [HASH_LABEL]: hash };
  svc.metadata.annotations = { ...(svc.metadata.annotations ?? {}), [MANAGED_BY_ANNOTATION]: c.ro.metadata.name };
  c.sim.store.update(svc, { specChanged: true });
  if (old !== hash) c.sim.recordEvent(c.ro, 'Normal', 'SwitchService', `Switched selector for service '${svc.metadata.name}' from '${old}' to '${hash}'`, COMPONENT);
  return old !== hash;
}

/** missingServices names the Services the strategy refers to that do not exist (an InvalidSpec upstream). */
export function missingServices(c: RolloutContext): string[] {
  const s = c.ro.spec.strategy ?? {};
  const names = s.blueGreen ? [s.blueGreen.activeService, s.blueGreen.previewService] : [s.canary?.canaryService, s.canary?.stableService];
  return names.filter((n): n is string => typeof n === 'string' && n !== '' && !getService(c, n));
}
