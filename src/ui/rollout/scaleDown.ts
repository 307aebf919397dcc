/**
 * scaleDownNote: an old ReplicaSet an Argo Rollout keeps for its scaleDownDelaySeconds ("scale-down in
 * 25s", then "scaling down"), for the Rollout tab and the graph's Rollout card alike. Small on purpose:
 * the graph is in the page's first load, the Rollout tab is not.
 */
import type { ReplicaSet } from '../../engine/api/types.ts';
import { SCALE_DOWN_DEADLINE_ANNOTATION } from '../../engine/controllers/rollout/util.ts';
import { humanDuration, parseIsoTime } from '../../engine/clock.ts';

/** scaleDownNote is what waits to happen to rs at now (ms), or undefined when it does not wait. */
export function scaleDownNote(rs: ReplicaSet, now: number): string | undefined {
  const deadline = rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION];
  const at = deadline ? parseIsoTime(deadline) : NaN;
  if (Number.isNaN(at) || (rs.spec?.replicas ?? 0) === 0) return undefined;
  return at > now ? `scale-down in ${humanDuration(at - now)}` : 'scaling down';
}
