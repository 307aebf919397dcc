/**
 * restart.ts: `spec.restartAt` (rollout/restart.go RolloutPodRestarter). Pods created before
 * restartAt are deleted a few at a time (maxUnavailable, at least 1), only while every pod of the
 * Rollout is available, so a restart never costs more availability than a rollout would; when none
 * is left, status.restartedAt records the restart.
 */
import type { ApiServer } from '../../api/server.ts';
import type { Pod } from '../../api/types.ts';
import { podsOwnedBy } from '../workloadutil.ts';
import type { RolloutContext } from './context.ts';
import { fenceposts } from './replicaset.ts';
import { COMPONENT, availableOf, specOf, timeMs } from './util.ts';

/** reconcileRestart deletes pods older than spec.restartAt; returns true when it deleted some this pass. */
export function reconcileRestart(c: RolloutContext): boolean {
  const at = c.ro.spec.restartAt;
  if (!at || c.status.restartedAt === at) return false;
  const atMs = timeMs(at);
  if (Number.isNaN(atMs) || atMs > c.now) return false;
  const old: Pod[] = [];
  for (const rs of c.allRSs) for (const p of podsOwnedBy(c.sim, rs.metadata.uid!)) {
    if (!p.metadata.deletionTimestamp && timeMs(p.metadata.creationTimestamp) < atMs) old.push(p);
  }
  if (old.length === 0) {
    c.status.restartedAt = at;
    return false;
  }
  const unavailable = c.allRSs.reduce((s, rs) => s + Math.max(0, specOf(rs) - availableOf(rs)), 0);
  const budget = Math.max(1, fenceposts(c.ro).maxUnavailable) - unavailable;
  if (budget <= 0) return false;
  const api = c.sim.service<ApiServer>('api');
  for (const p of old.slice(0, budget)) {
    try {
      api.delete('Pod', p.metadata.namespace, p.metadata.name);
      c.sim.recordEvent(c.ro, 'Normal', 'RestartingPod', `Restarting pod ${p.metadata.name}`, COMPONENT);
    } catch {
      /* already gone */
    }
  }
  return true;
}
