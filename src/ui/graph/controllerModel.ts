/**
 * controllerModel: the Cluster view's cards for the workloads that are not Deployments or Rollouts, by pure
 * functions. A StatefulSet or a DaemonSet owns its pods itself and versions them by ControllerRevision (the
 * pods' controller-revision-hash label), so its card has a row per revision that has pods (and the revision
 * it is updating to), with that revision's ready/total pods, in the colour its pods are drawn in. A CronJob's
 * card has a row per Job it still keeps; a Job not owned by a CronJob has a card of its own. Ownership edges
 * leave each row (or a Job card's bottom) for the pods it stands for. A HorizontalPodAutoscaler has a card
 * too: kubectl's TARGETS and REFERENCE, and its replicas within their bounds.
 */
import type { KubeObject, Pod } from '../../engine/api/types.ts';
import { controllerRef } from '../../engine/api/podutil.ts';
import { jobCompletions, jobStatus } from '../../engine/kubectl/printers/batch.ts';
import { formatHPAMetrics } from '../../engine/kubectl/printers/autoscaling.ts';
import { byCreation, podView } from './model.ts';
import { cardHeight } from './layout.ts';

export const CONTROLLER_KINDS = ['StatefulSet', 'DaemonSet', 'CronJob', 'Job', 'HorizontalPodAutoscaler'] as const;
export type ControllerKind = (typeof CONTROLLER_KINDS)[number];

/** SHORT: the card's kind tag, kubectl's short name for the kind. */
export const SHORT: Record<ControllerKind, string> = { StatefulSet: 'sts', DaemonSet: 'ds', CronJob: 'cronjob', Job: 'job', HorizontalPodAutoscaler: 'hpa' };

/** MAX_ROWS: a card lists at most this many revisions or Jobs (the newest), so it stays a card. */
export const MAX_ROWS = 4;

export interface ControllerCardData extends Record<string, unknown> {
  object: KubeObject;
  /** rows: a StatefulSet's or DaemonSet's ControllerRevisions, or a CronJob's Jobs, oldest first */
  rows: KubeObject[];
  /** ready[i] / total[i]: the pods (not terminating) of revision rows[i]; empty for a CronJob's Jobs */
  ready: number[];
  total: number[];
}

/** ControllerCard is one card to place: its flow node id, type, height and data. */
export interface ControllerCardSpec {
  id: string;
  type: 'controller';
  h: number;
  data: ControllerCardData;
}

/** OwnerSource is where ownership edges to some pods start: a card's row handle (or a Job card's bottom). */
export interface OwnerSource {
  /** handle: the source handle's id on the card */
  handle: string;
  /** colorKey: the revision key the pods are coloured by (revisionColor) */
  colorKey: string;
  /** what: the owner as the edge's aria-label names it */
  what: string;
}

/** sourceKey: how a pod finds its ownership source, by its controller's uid (and revision, for StatefulSets and DaemonSets). */
export function sourceKey(ownerUid: string, revision?: string): string {
  return revision ? `${ownerUid}/${revision}` : ownerUid;
}

/** podSourceKeys: the keys a pod's source may be filed under: its controller's uid, then with its revision. */
export function podSourceKeys(pod: Pod): string[] {
  const ref = controllerRef(pod);
  if (!ref) return [];
  const rev = pod.metadata.labels?.['controller-revision-hash'];
  return rev ? [ref.uid, sourceKey(ref.uid, rev)] : [ref.uid];
}

export interface ControllerInput {
  statefulSets?: ReadonlyMap<string, KubeObject>;
  daemonSets?: ReadonlyMap<string, KubeObject>;
  cronJobs?: ReadonlyMap<string, KubeObject>;
  jobs?: ReadonlyMap<string, KubeObject>;
  revisions?: ReadonlyMap<string, KubeObject>;
  hpas?: ReadonlyMap<string, KubeObject>;
  pods: ReadonlyMap<string, KubeObject>;
}

const NONE: ReadonlyMap<string, KubeObject> = new Map();

/** controllerCards builds the cards: StatefulSets, DaemonSets, CronJobs, then Jobs no CronJob owns, each in creation order. */
export function controllerCards(input: ControllerInput): ControllerCardSpec[] {
  const sts = [...(input.statefulSets ?? NONE).values()];
  const ds = [...(input.daemonSets ?? NONE).values()];
  const cjs = [...(input.cronJobs ?? NONE).values()];
  const jobs = [...(input.jobs ?? NONE).values()];
  const hpas = [...(input.hpas ?? NONE).values()];
  if (sts.length + ds.length + cjs.length + jobs.length + hpas.length === 0) return [];
  const cards: ControllerCardSpec[] = [];
  const card = (o: KubeObject, rows: KubeObject[], ready: number[], total: number[]) =>
    cards.push({ id: `${SHORT[o.kind as ControllerKind]}/${o.metadata.namespace}/${o.metadata.name}`, type: 'controller', h: cardHeight(Math.max(rows.length, 0), true), data: { object: o, rows, ready, total } });

  if (sts.length + ds.length > 0) {
    const counts = revisionPodCounts(input.pods);
    const byOwner = childrenByOwner(input.revisions ?? NONE);
    for (const o of [...sts.sort(byCreation), ...ds.sort(byCreation)]) {
      const uid = o.metadata.uid ?? '';
      const owned = (byOwner.get(uid) ?? []).sort((a, b) => Number(a.revision ?? 0) - Number(b.revision ?? 0));
      // The revision being rolled out to: a StatefulSet names it; a DaemonSet's is its newest revision.
      const update = o.kind === 'StatefulSet' ? o.status?.updateRevision : owned[owned.length - 1]?.metadata.name;
      const shown = owned.filter((r) => r.metadata.name === update || (counts.get(sourceKey(uid, podRevisionLabel(o, r)))?.total ?? 0) > 0).slice(-MAX_ROWS);
      const c = shown.map((r) => counts.get(sourceKey(uid, podRevisionLabel(o, r))));
      card(
        o,
        shown,
        c.map((x) => x?.ready ?? 0),
        c.map((x) => x?.total ?? 0),
      );
    }
  }
  const jobsByOwner = childrenByOwner(input.jobs ?? NONE);
  for (const cj of cjs.sort(byCreation)) card(cj, (jobsByOwner.get(cj.metadata.uid ?? '') ?? []).sort(byCreation).slice(-MAX_ROWS), [], []);
  const cronUids = new Set(cjs.map((c) => c.metadata.uid));
  for (const j of jobs.sort(byCreation)) {
    const ref = controllerRef(j);
    if (ref?.kind === 'CronJob' && cronUids.has(ref.uid)) continue;
    card(j, [], [], []);
  }
  // An autoscaler after the workloads: what it measures against its target, and the replicas it keeps.
  for (const h of hpas.sort(byCreation)) card(h, [], [], []);
  return cards;
}

/** childrenByOwner files objects by their controller's uid. */
function childrenByOwner(objs: ReadonlyMap<string, KubeObject>): Map<string, KubeObject[]> {
  const out = new Map<string, KubeObject[]>();
  for (const o of objs.values()) {
    const ref = controllerRef(o);
    if (!ref) continue;
    let list = out.get(ref.uid);
    if (!list) out.set(ref.uid, (list = []));
    list.push(o);
  }
  return out;
}

/** revisionPodCounts counts, per controller uid and controller-revision-hash, the pods not terminating and the ready ones. */
function revisionPodCounts(pods: ReadonlyMap<string, KubeObject>): Map<string, { ready: number; total: number }> {
  const out = new Map<string, { ready: number; total: number }>();
  for (const p of pods.values() as Iterable<Pod>) {
    const rev = p.metadata.labels?.['controller-revision-hash'];
    if (!rev || p.metadata.deletionTimestamp) continue;
    const ref = controllerRef(p);
    if (!ref) continue;
    const k = sourceKey(ref.uid, rev);
    let c = out.get(k);
    if (!c) out.set(k, (c = { ready: 0, total: 0 }));
    c.total++;
    if (podView(p).ready) c.ready++;
  }
  return out;
}

/** controllerSources: a card's ownership sources by the key its pods find them under (see podSourceKeys). */
export function controllerSources(data: ControllerCardData): [string, OwnerSource][] {
  const o = data.object;
  const uid = o.metadata.uid ?? '';
  if (o.kind === 'HorizontalPodAutoscaler') return [];
  if (o.kind === 'Job') return [[uid, { handle: 'pods', colorKey: o.metadata.name, what: `Job ${o.metadata.name}` }]];
  if (o.kind === 'CronJob') return data.rows.map((j) => [j.metadata.uid ?? '', { handle: rowHandle(j), colorKey: j.metadata.name, what: `Job ${j.metadata.name}` }]);
  return data.rows.map((r) => [sourceKey(uid, podRevisionLabel(o, r)), { handle: rowHandle(r), colorKey: podRevisionLabel(o, r), what: `${o.kind} ${o.metadata.name} (revision ${r.revision ?? '?'})` }]);
}

/**
 * podRevisionLabel is the controller-revision-hash a revision's pods carry: a StatefulSet's pods the
 * ControllerRevision's name (statefulset: getPodRevision), a DaemonSet's the hash alone (the revision's own
 * controller-revision-hash label; its name is `<daemonset>-<hash>`).
 */
export function podRevisionLabel(owner: KubeObject, rev: KubeObject): string {
  if (owner.kind === 'StatefulSet') return rev.metadata.name;
  return rev.metadata.labels?.['controller-revision-hash'] ?? rev.metadata.name;
}

/** rowHandle is the id of a row's ownership-edge handle. */
export function rowHandle(row: KubeObject): string {
  return `${row.kind === 'Job' ? 'job' : 'rev'}/${row.metadata.name}`;
}

/**
 * revisionRole marks a StatefulSet's revisions while it rolls from one to the other, as its status names
 * them: "current" (the pods below the partition, or not yet replaced) and "update" (the revision it rolls to).
 */
export function revisionRole(owner: KubeObject, name: string): 'current' | 'update' | undefined {
  const s = owner.status ?? {};
  if (owner.kind !== 'StatefulSet' || s.currentRevision === s.updateRevision) return undefined;
  if (s.currentRevision === name) return 'current';
  if (s.updateRevision === name) return 'update';
  return undefined;
}

/** headStat: the figure in the card's head, as kubectl's READY or COMPLETIONS column shows it (a CronJob: its schedule). */
export function headStat(o: KubeObject): string {
  const s = o.status ?? {};
  switch (o.kind) {
    case 'StatefulSet':
      return `${s.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`;
    case 'DaemonSet':
      return `${s.numberReady ?? 0}/${s.desiredNumberScheduled ?? 0}`;
    case 'Job':
      return jobCompletions(o);
    case 'HorizontalPodAutoscaler':
      // REPLICAS, with MINPODS–MAXPODS
      return `${s.currentReplicas ?? 0} (${o.spec?.minReplicas ?? 1}–${o.spec?.maxReplicas ?? '?'})`;
    default:
      return String(o.spec?.schedule ?? '');
  }
}

/** subLine: the card's one line of state, in kubectl's words (strategy, partition, Job STATUS, suspend …). */
export function subLine(o: KubeObject): string {
  const s = o.status ?? {};
  const spec = o.spec ?? {};
  const parts: string[] = [];
  switch (o.kind) {
    case 'StatefulSet': {
      // A partition implies RollingUpdate (the card is too narrow for both).
      const strategy = spec.updateStrategy?.type ?? 'RollingUpdate';
      const partition = spec.updateStrategy?.rollingUpdate?.partition;
      parts.push(`${s.updatedReplicas ?? 0}/${spec.replicas ?? 0} updated`, strategy === 'RollingUpdate' && partition ? `partition ${partition}` : strategy);
      break;
    }
    case 'DaemonSet':
      parts.push(`${s.updatedNumberScheduled ?? 0}/${s.desiredNumberScheduled ?? 0} updated`, spec.updateStrategy?.type ?? 'RollingUpdate');
      break;
    case 'HorizontalPodAutoscaler': {
      // kubectl get hpa's TARGETS, then its REFERENCE
      const ref = o.spec?.scaleTargetRef;
      parts.push(formatHPAMetrics(o), `${ref?.kind ?? '?'}/${ref?.name ?? '?'}`);
      break;
    }
    case 'Job':
      parts.push(jobStatus(o));
      if (s.active) parts.push(`${s.active} active`);
      if (s.failed) parts.push(`${s.failed} failed`);
      break;
    default:
      parts.push(`${s.active?.length ?? 0} active`);
      if (spec.suspend) parts.push('suspended');
      parts.push(spec.concurrencyPolicy ?? 'Allow');
  }
  return parts.join(' · ');
}
