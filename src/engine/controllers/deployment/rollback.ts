/**
 * rollback.ts: what kubectl does for `rollout undo`, `rollout history` and `rollout restart`
 * (k8s.io/kubectl/pkg/polymorphichelpers: rollback.go, history.go, objectrestarter.go). Upstream's
 * controller-side rollback (spec.rollbackTo) was removed with extensions/v1beta1; kubectl now
 * copies the chosen ReplicaSet's template into the Deployment itself.
 */
import type { Sim } from '../../sim.ts';
import type { Deployment, PodTemplateSpec, ReplicaSet } from '../../api/types.ts';
import { controllerRef } from '../../api/podutil.ts';
import {
  CHANGE_CAUSE_ANNOTATION,
  DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY,
  DESIRED_REPLICAS_ANNOTATION,
  LAST_APPLIED_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  equalIgnoreHash,
  findNewReplicaSet,
} from './util.ts';

/** annotationsToSkip are the Deployment annotations a rollback keeps instead of taking the RS's. */
const ANNOTATIONS_TO_SKIP = new Set([
  LAST_APPLIED_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

export type RolloutResult = { ok: string } | { error: string };

/** replicaSetsOf lists the RSs a Deployment controls (controller ownerReference uid), oldest first. */
export function replicaSetsOf(sim: Sim, d: Deployment): ReplicaSet[] {
  return sim.store
    .list<ReplicaSet>('ReplicaSet', d.metadata.namespace)
    .filter((rs) => controllerRef(rs)?.uid === d.metadata.uid);
}

/** revisionOf is deploymentutil.Revision: a missing annotation is revision 0, a malformed one an error (skipped). */
function revisionOf(rs: ReplicaSet): number | undefined {
  const v = rs.metadata.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  return /^\d+$/.test(v) ? parseInt(v, 10) : undefined;
}

function ref(d: Deployment): string {
  return `deployment.apps/${d.metadata.name}`;
}

/**
 * deploymentRevision is kubectl's deploymentRevision: toRevision 0 picks the second-highest
 * revision (the previous one), otherwise the RS with exactly that revision.
 */
function deploymentRevision(sim: Sim, d: Deployment, toRevision: number): ReplicaSet | { error: string } {
  let latest: ReplicaSet | undefined;
  let latestRevision = -1;
  let previous: ReplicaSet | undefined;
  let previousRevision = -1;
  for (const rs of replicaSetsOf(sim, d)) {
    const rev = revisionOf(rs);
    if (rev === undefined) continue;
    if (toRevision === 0) {
      if (latestRevision < rev) {
        previousRevision = latestRevision;
        previous = latest;
        latestRevision = rev;
        latest = rs;
      } else if (previousRevision < rev) {
        previousRevision = rev;
        previous = rs;
      }
    } else if (toRevision === rev) return rs;
  }
  if (toRevision > 0) return { error: `unable to find specified revision ${toRevision} in history` };
  if (!previous) return { error: `no rollout history found for deployment "${d.metadata.name}"` };
  return previous;
}

interface ApiLike {
  update(obj: Deployment): unknown;
}

/** writeDeployment saves a user-side change through the API server (validation), or the store when it is absent. */
function writeDeployment(sim: Sim, copy: Deployment): void {
  const api = sim.services.get('api') as ApiLike | undefined;
  if (api && typeof api.update === 'function') api.update(copy);
  else sim.store.update(copy, { specChanged: true });
}

/**
 * rollbackDeployment is `kubectl rollout undo` (toRevision 0 = previous). Results are kubectl's
 * printed lines: "deployment.apps/web rolled back",
 * "deployment.apps/web skipped rollback (current template already matches revision 2)",
 * "error: unable to find specified revision 5 in history".
 */
export function rollbackDeployment(sim: Sim, d: Deployment, toRevision: number): RolloutResult {
  if (d.spec.paused) {
    return { error: `error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again` };
  }
  const rs = deploymentRevision(sim, d, toRevision);
  if ('error' in rs) return { error: `error: ${rs.error}` };
  if (equalIgnoreHash(rs.spec.template, d.spec.template)) {
    return { ok: `${ref(d)} skipped rollback (current template already matches revision ${toRevision})` };
  }
  const template = structuredClone(rs.spec.template) as PodTemplateSpec;
  if (template.metadata?.labels) delete template.metadata.labels[DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY];
  const annotations: Record<string, string> = {};
  for (const k of ANNOTATIONS_TO_SKIP) {
    const v = d.metadata.annotations?.[k];
    if (v !== undefined) annotations[k] = v;
  }
  for (const [k, v] of Object.entries(rs.metadata.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
  const copy = structuredClone(d);
  copy.spec.template = template;
  copy.metadata.annotations = annotations;
  try {
    writeDeployment(sim, copy);
  } catch (e) {
    return { error: `error: ${(e as Error).message}` };
  }
  return { ok: `${ref(d)} rolled back` };
}

export interface RevisionEntry {
  revision: number;
  changeCause?: string;
  replicaSet: string;
  template: PodTemplateSpec;
}

/**
 * deploymentHistory is what `kubectl rollout history` reads: one entry per RS revision, lowest
 * first, with its kubernetes.io/change-cause annotation and its template.
 */
export function deploymentHistory(sim: Sim, d: Deployment): RevisionEntry[] {
  const out: RevisionEntry[] = [];
  for (const rs of replicaSetsOf(sim, d)) {
    const rev = revisionOf(rs);
    if (rev === undefined) continue;
    out.push({
      revision: rev,
      changeCause: rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION],
      replicaSet: rs.metadata.name,
      template: rs.spec.template,
    });
  }
  return out.sort((a, b) => a.revision - b.revision);
}

/** restartDeployment is `kubectl rollout restart`: stamp the template with kubectl.kubernetes.io/restartedAt. */
export function restartDeployment(sim: Sim, d: Deployment): RolloutResult {
  // restart.go prints patch errors as `error: <resource>.<group> "<name>" <err>`.
  if (d.spec.paused) return { error: `error: deployments.apps "${d.metadata.name}" can't restart paused deployment (run rollout resume first)` };
  const copy = structuredClone(d);
  copy.spec.template.metadata ??= {};
  copy.spec.template.metadata.annotations = { ...(copy.spec.template.metadata.annotations ?? {}), [RESTARTED_AT_ANNOTATION]: sim.nowIso() };
  try {
    writeDeployment(sim, copy);
  } catch (e) {
    return { error: `error: ${(e as Error).message}` };
  }
  return { ok: `${ref(d)} restarted` };
}

/** currentReplicaSet is the Deployment's new RS (template equal to its own), for describe's NewReplicaSet. */
export function currentReplicaSet(sim: Sim, d: Deployment): ReplicaSet | undefined {
  return findNewReplicaSet(d, replicaSetsOf(sim, d));
}
