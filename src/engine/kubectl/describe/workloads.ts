/**
 * Describers for the workloads besides Deployments and ReplicaSets (kubectl's StatefulSetDescriber,
 * DaemonSetDescriber, JobDescriber, CronJobDescriber): the same sections, labels and words.
 */
import { formatSelector } from '../../api/selector.ts';
import type { KubeObject, Pod } from '../../api/types.ts';
import { controllerRef } from '../../api/podutil.ts';
import { humanDuration, parseIsoTime } from '../../clock.ts';
import type { Sim } from '../../sim.ts';
import { writePodTemplate } from './podtemplate.ts';
import { describeEvents, labelsAndAnnotations, multiline, PrefixWriter, rfc1123z } from './writer.ts';
import { labelsString } from '../printers/types.ts';

function header(w: PrefixWriter, o: KubeObject): void {
  w.line(0, 'Name:', o.metadata.name);
  w.line(0, 'Namespace:', o.metadata.namespace ?? '');
}

/** podsStatus is getPodStatusForController: the owner's pods by phase ("Waiting" counts Pending). */
export function podsStatus(sim: Sim, owner: KubeObject): string {
  const n = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 } as Record<string, number>;
  for (const p of sim.store.list<Pod>('Pod', owner.metadata.namespace)) {
    if (controllerRef(p)?.uid !== owner.metadata.uid) continue;
    const phase = p.status?.phase ?? 'Pending';
    n[phase] = (n[phase] ?? 0) + 1;
  }
  return `${n.Running} Running / ${n.Pending} Waiting / ${n.Succeeded} Succeeded / ${n.Failed} Failed`;
}


/** claimClass is GetPersistentVolumeClaimClass: spec.storageClassName, else the beta annotation, else "". */
export function claimClass(pvc: KubeObject): string {
  return pvc.spec?.storageClassName ?? pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '';
}

/** describeStatefulSet follows kubectl's StatefulSetDescriber, volume claim templates included. */
export function describeStatefulSet(sim: Sim, sts: KubeObject): string {
  const w = new PrefixWriter();
  header(w, sts);
  w.line(0, 'CreationTimestamp:', rfc1123z(sts.metadata.creationTimestamp));
  w.line(0, 'Selector:', formatSelector(sts.spec?.selector));
  labelsAndAnnotations(w, sts);
  w.line(0, 'Replicas:', `${sts.spec?.replicas ?? 1} desired | ${sts.status?.replicas ?? 0} total`);
  const us = sts.spec?.updateStrategy ?? {};
  w.line(0, 'Update Strategy:', us.type ?? '');
  if (us.rollingUpdate?.partition !== undefined) {
    w.line(1, 'Partition:', String(us.rollingUpdate.partition));
    if (us.rollingUpdate.maxUnavailable !== undefined) w.line(1, 'MaxUnavailable:', String(us.rollingUpdate.maxUnavailable));
  }
  w.line(0, 'Pods Status:', podsStatus(sim, sts));
  writePodTemplate(w, sts.spec?.template ?? {});
  const claims = (sts.spec?.volumeClaimTemplates ?? []) as KubeObject[];
  if (claims.length === 0) w.line(0, 'Volume Claims:', '<none>');
  else {
    w.write(0, 'Volume Claims:\n');
    for (const c of claims) {
      w.line(1, 'Name:', c.metadata?.name ?? '');
      w.line(1, 'StorageClass:', claimClass(c));
      multiline(w, 1, 'Labels', c.metadata?.labels, '=');
      multiline(w, 1, 'Annotations', c.metadata?.annotations, '=');
      const storage = c.spec?.resources?.requests?.storage;
      w.line(1, 'Capacity:', storage !== undefined ? String(storage) : '<default>');
      w.line(1, 'Access Modes:', `[${(c.spec?.accessModes ?? []).join(' ')}]`);
    }
  }
  describeEvents(w, sim, sim.eventsFor(sts));
  return w.toString();
}

/** describeDaemonSet follows kubectl's DaemonSetDescriber (its node counts are written without a tab, as kubectl does). */
export function describeDaemonSet(sim: Sim, ds: KubeObject): string {
  const w = new PrefixWriter();
  const st = ds.status ?? {};
  header(w, ds);
  w.line(0, 'Selector:', formatSelector(ds.spec?.selector));
  w.line(0, 'Node-Selector:', labelsString(ds.spec?.template?.spec?.nodeSelector));
  labelsAndAnnotations(w, ds);
  w.write(0, `Desired Number of Nodes Scheduled: ${st.desiredNumberScheduled ?? 0}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${st.currentNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${st.updatedNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${st.numberAvailable ?? 0}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${st.numberMisscheduled ?? 0}\n`);
  w.line(0, 'Pods Status:', podsStatus(sim, ds));
  writePodTemplate(w, ds.spec?.template ?? {});
  describeEvents(w, sim, sim.eventsFor(ds));
  return w.toString();
}

/** describeJob follows kubectl's JobDescriber. */
export function describeJob(sim: Sim, job: KubeObject): string {
  const w = new PrefixWriter();
  const spec = job.spec ?? {};
  const st = job.status ?? {};
  header(w, job);
  w.line(0, 'Selector:', formatSelector(spec.selector));
  labelsAndAnnotations(w, job);
  const ref = controllerRef(job);
  if (ref) w.line(0, 'Controlled By:', `${ref.kind}/${ref.name}`);
  if (spec.parallelism !== undefined) w.line(0, 'Parallelism:', String(spec.parallelism));
  w.line(0, 'Completions:', spec.completions !== undefined && spec.completions !== null ? String(spec.completions) : '<unset>');
  if (spec.completionMode !== undefined) w.line(0, 'Completion Mode:', spec.completionMode);
  if (spec.suspend !== undefined) w.line(0, 'Suspend:', String(spec.suspend));
  if (spec.backoffLimit !== undefined) w.line(0, 'Backoff Limit:', String(spec.backoffLimit));
  if (spec.ttlSecondsAfterFinished !== undefined) w.line(0, 'TTL Seconds After Finished:', String(spec.ttlSecondsAfterFinished));
  if (st.startTime) w.line(0, 'Start Time:', rfc1123z(st.startTime));
  if (st.completionTime) w.line(0, 'Completed At:', rfc1123z(st.completionTime));
  if (st.startTime && st.completionTime) w.line(0, 'Duration:', humanDuration(parseIsoTime(st.completionTime) - parseIsoTime(st.startTime)));
  if (spec.activeDeadlineSeconds !== undefined) w.line(0, 'Active Deadline Seconds:', `${spec.activeDeadlineSeconds}s`);
  const active = st.active ?? 0;
  w.line(0, 'Pods Statuses:', st.ready === undefined ? `${active} Active / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed` : `${active} Active (${st.ready} Ready) / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed`);
  if (spec.completionMode === 'Indexed') w.line(0, 'Completed Indexes:', capIndexes(st.completedIndexes ?? '', 50));
  writePodTemplate(w, spec.template ?? {});
  describeEvents(w, sim, sim.eventsFor(job));
  return w.toString();
}

/** capIndexes is capIndexesListOrNone: the list cut after the first comma past the soft limit, with "...". */
function capIndexes(indexes: string, softLimit: number): string {
  if (!indexes) return '<none>';
  const ix = indexes.indexOf(',', softLimit);
  return ix < 0 ? indexes : `${indexes.slice(0, ix + 1)}...`;
}

/** describeCronJob follows kubectl's CronJobDescriber, the job template written as describeJobTemplate does. */
export function describeCronJob(sim: Sim, cj: KubeObject): string {
  const w = new PrefixWriter();
  const spec = cj.spec ?? {};
  const unset = (v: unknown, suffix = '') => (v === undefined || v === null ? '<unset>' : `${v}${suffix}`);
  header(w, cj);
  labelsAndAnnotations(w, cj);
  w.line(0, 'Schedule:', spec.schedule ?? '');
  w.line(0, 'Concurrency Policy:', spec.concurrencyPolicy ?? '');
  w.line(0, 'Suspend:', spec.suspend === undefined ? '<unset>' : spec.suspend ? 'True' : 'False');
  w.line(0, 'Successful Job History Limit:', unset(spec.successfulJobsHistoryLimit));
  w.line(0, 'Failed Job History Limit:', unset(spec.failedJobsHistoryLimit));
  w.line(0, 'Starting Deadline Seconds:', unset(spec.startingDeadlineSeconds, 's'));
  const jt = spec.jobTemplate?.spec ?? {};
  w.line(0, 'Selector:', jt.selector ? formatSelector(jt.selector) : '<unset>');
  w.line(0, 'Parallelism:', unset(jt.parallelism));
  w.line(0, 'Completions:', unset(jt.completions));
  if (jt.activeDeadlineSeconds !== undefined) w.line(0, 'Active Deadline Seconds:', `${jt.activeDeadlineSeconds}s`);
  writePodTemplate(w, jt.template ?? {});
  w.line(0, 'Last Schedule Time:', cj.status?.lastScheduleTime ? rfc1123z(cj.status.lastScheduleTime) : '<unset>');
  const active = (cj.status?.active ?? []) as { name: string }[];
  w.line(0, 'Active Jobs:', active.length ? active.map((j) => j.name).join(', ') : '<none>');
  describeEvents(w, sim, sim.eventsFor(cj));
  return w.toString();
}
