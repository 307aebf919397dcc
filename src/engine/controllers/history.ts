/**
 * history.ts: ControllerRevisions for DaemonSets and StatefulSets (pkg/controller/history).
 * A revision stores the pod template; its name is `<owner>-<hash>`, the hash being
 * controller.ComputeHash-style FNV-32a of the template (with the owner's collisionCount).
 */
import type { Sim } from '../sim.ts';
import type { KubeObject, PodTemplateSpec } from '../api/types.ts';
import { newControllerRef } from '../api/podutil.ts';
import { computeHash } from './deployment/hash.ts';
import { deepCopy } from './workloadutil.ts';

export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

export interface ControllerRevision extends KubeObject {
  kind: 'ControllerRevision';
  data: { spec: { template: PodTemplateSpec } };
  revision: number;
}

/** templateHash is the revision hash of an owner's current template. */
export function templateHash(owner: KubeObject): string {
  // The StatefulSet controller always hashes with a collisionCount (0 until a collision); DaemonSets start without one.
  return computeHash(owner.spec?.template, owner.status?.collisionCount ?? (owner.kind === 'StatefulSet' ? 0 : undefined));
}

/** ownedRevisions lists an owner's ControllerRevisions, oldest revision first. */
export function ownedRevisions(sim: Sim, owner: KubeObject): ControllerRevision[] {
  return sim.store
    .list<ControllerRevision>('ControllerRevision', owner.metadata.namespace)
    .filter((r) => r.metadata.ownerReferences?.some((o) => o.uid === owner.metadata.uid))
    .sort((a, b) => a.revision - b.revision);
}

/**
 * ensureRevision finds or creates the revision for the owner's current template (bumping its
 * number to the newest when an old template comes back, as a rollback does), and prunes history
 * beyond revisionHistoryLimit (default 10) among revisions no pod uses.
 */
export function ensureRevision(sim: Sim, owner: KubeObject, inUse: (hash: string) => boolean): ControllerRevision {
  const hash = templateHash(owner);
  const name = `${owner.metadata.name}-${hash}`;
  const revs = ownedRevisions(sim, owner);
  const max = revs.length ? revs[revs.length - 1].revision : 0;
  let cur = revs.find((r) => r.metadata.name === name);
  if (cur) {
    if (cur.revision !== max) {
      cur.revision = max + 1;
      sim.store.update(cur);
    }
  } else {
    const labels = { ...(owner.spec?.selector?.matchLabels ?? owner.spec?.template?.metadata?.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash };
    cur = sim.store.create<ControllerRevision>({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name, namespace: owner.metadata.namespace, labels, ownerReferences: [newControllerRef(owner)] },
      data: { spec: { template: { ...deepCopy(owner.spec.template), $patch: 'replace' } } },
      revision: max + 1,
    });
  }
  const limit = owner.spec?.revisionHistoryLimit ?? 10;
  const old = ownedRevisions(sim, owner).filter((r) => r !== cur && !inUse(r.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? ''));
  for (const r of old.slice(0, Math.max(0, old.length - limit))) sim.store.remove('ControllerRevision', r.metadata.namespace, r.metadata.name);
  return cur;
}
