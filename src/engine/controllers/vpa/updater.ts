/**
 * updater.ts: the VPA updater (pkg/updater/logic/updater.go RunOnce), every minute
 * (--updater-interval). For each VPA in Recreate or Auto mode with a recommendation it evicts,
 * through the eviction API (so PodDisruptionBudgets hold), the pods whose requests fall outside
 * [lowerBound, upperBound] — the most-off first (UpdatePriorityCalculator's resourceDiff) — as
 * far as the eviction restriction allows (pods_eviction_restriction.go CanEvict):
 *   - a workload with fewer than --min-replicas (2) live pods is left alone;
 *   - tolerance = floor(replicas × --eviction-tolerance 0.5); a pod may go while
 *     running − evicted > replicas − tolerance, or, when tolerance is 0 and all run, one pod:
 *     2 or 3 replicas → one eviction per pass, 4 → two.
 * The recreated pod gets the recommendation from the admission controller (admission.ts).
 */
import type { Sim } from '../../sim.ts';
import type { Pod } from '../../api/types.ts';
import { ApiError } from '../../api/errors.ts';
import { toAmount } from './capping.ts';
import { recommendationFor, resolveTarget, targetPods } from './recommender.ts';
import { controlledResourcesOf, containerPolicyFor, EVICTION_TOLERANCE, updateModeOf, UPDATER_MIN_REPLICAS, VPA_KIND, type VerticalPodAutoscaler } from './types.ts';

export const UPDATER_COMPONENT = 'vpa-updater';

interface EvictionLike {
  evict(namespace: string | undefined, name: string, opts?: Record<string, unknown>): unknown;
}

/** PodPriority is the updater's view of one pod: outside the recommended range, and how far off. */
export interface PodPriority {
  outsideRecommendedRange: boolean;
  resourceDiff: number;
}

/**
 * podPriority is UpdatePriorityCalculator.getUpdatePriority: per resource, the summed requests
 * against the summed targets (resourceDiff = Σ |target − request| / request), and whether any
 * container's request lies outside its [lowerBound, upperBound].
 */
export function podPriority(vpa: VerticalPodAutoscaler, pod: Pod): PodPriority {
  let outside = false;
  const totalReq: Record<string, number> = {};
  const totalRec: Record<string, number> = {};
  for (const c of pod.spec.containers) {
    const rec = recommendationFor(vpa, c.name);
    if (!rec) continue;
    for (const r of controlledResourcesOf(containerPolicyFor(vpa, c.name))) {
      const target = toAmount(r, rec.target[r]);
      if (target === undefined) continue;
      const req = toAmount(r, c.resources?.requests?.[r]) ?? 0;
      totalReq[r] = (totalReq[r] ?? 0) + req;
      totalRec[r] = (totalRec[r] ?? 0) + target;
      const lo = toAmount(r, rec.lowerBound[r]);
      const hi = toAmount(r, rec.upperBound[r]);
      if ((lo !== undefined && req < lo) || (hi !== undefined && req > hi)) outside = true;
    }
  }
  let diff = 0;
  for (const r of Object.keys(totalRec)) {
    const req = totalReq[r];
    diff += req === 0 ? 1 : Math.abs(totalRec[r] - req) / req; // a missing request counts as fully off
  }
  return { outsideRecommendedRange: outside, resourceDiff: diff };
}

/** updateOnce is one updater pass over one VPA; returns the names of the pods it evicted. */
export function updateOnce(sim: Sim, vpa: VerticalPodAutoscaler): string[] {
  const mode = updateModeOf(vpa);
  if ((mode !== 'Recreate' && mode !== 'Auto') || !vpa.status?.recommendation) return [];
  const t = resolveTarget(sim, vpa);
  if (!t) return [];
  const pods = targetPods(sim, vpa, t);
  const minReplicas = vpa.spec.updatePolicy?.minReplicas ?? UPDATER_MIN_REPLICAS;
  if (pods.length < minReplicas) return [];
  const configured = t.replicas;
  const tolerance = Math.floor(configured * EVICTION_TOLERANCE);
  const running = pods.filter((p) => p.status?.phase === 'Running').length;
  const candidates = pods
    .map((p) => ({ p, pr: podPriority(vpa, p) }))
    .filter((x) => x.pr.outsideRecommendedRange)
    .sort((a, b) => b.pr.resourceDiff - a.pr.resourceDiff || (a.p.metadata.name < b.p.metadata.name ? -1 : 1));
  const eviction = sim.services.get('eviction') as EvictionLike | undefined;
  const evicted: string[] = [];
  for (const { p } of candidates) {
    const pending = p.status?.phase === 'Pending';
    const can = pending || running - evicted.length > configured - tolerance || (running === configured && tolerance === 0 && evicted.length === 0);
    if (!can) continue;
    try {
      if (eviction) eviction.evict(p.metadata.namespace, p.metadata.name);
      else continue;
    } catch (e) {
      if (e instanceof ApiError) continue; // refused (a PodDisruptionBudget): try the next pod
      throw e;
    }
    sim.recordEvent(p, 'Normal', 'EvictedByVPA', 'Pod was evicted by VPA Updater to apply resource recommendation.', UPDATER_COMPONENT);
    sim.recordEvent(vpa, 'Normal', 'EvictedPod', `VPA Updater evicted Pod ${p.metadata.name} to apply resource recommendation.`, UPDATER_COMPONENT);
    evicted.push(p.metadata.name);
  }
  return evicted;
}

/** updateAll runs the updater over every VPA in name order. */
export function updateAll(sim: Sim): void {
  const vpas = [...sim.store.list<VerticalPodAutoscaler>(VPA_KIND)].sort((a, b) => ((a.metadata.namespace ?? '') + '/' + a.metadata.name < (b.metadata.namespace ?? '') + '/' + b.metadata.name ? -1 : 1));
  for (const v of vpas) updateOnce(sim, v);
}
