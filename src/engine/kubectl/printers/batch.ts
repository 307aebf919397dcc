import { humanDuration, parseIsoTime } from '../../clock.ts';
import { formatSelector } from '../../api/selector.ts';
import type { KubeObject, PodTemplateSpec } from '../../api/types.ts';
import { age, objAge, type TablePrinter } from './types.ts';

function containersAndImages(t: PodTemplateSpec | undefined): [string, string] {
  const cs = t?.spec?.containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image).join(',')];
}

const hasCondition = (obj: KubeObject, type: string) => (obj.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === type && c.status === 'True');

/** jobStatus is printJob's STATUS: Complete, Failed, Terminating, Suspended, FailureTarget, SuccessCriteriaMet, Running. */
export function jobStatus(job: KubeObject): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

/** jobCompletions is printJob's COMPLETIONS: succeeded/completions, or "/1 of <parallelism>" for a work queue. */
export function jobCompletions(job: KubeObject): string {
  const succeeded = job.status?.succeeded ?? 0;
  const spec = job.spec ?? {};
  if (spec.completions !== undefined && spec.completions !== null) return `${succeeded}/${spec.completions}`;
  if (typeof spec.parallelism === 'number' && spec.parallelism > 1) return `${succeeded}/1 of ${spec.parallelism}`;
  return `${succeeded}/1`;
}

/** jobPrinter is printJob: COMPLETIONS (jobCompletions), DURATION start→completion (or now). */
export const jobPrinter: TablePrinter = {
  columns: ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'],
  wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row(job: KubeObject, ctx) {
    const s = job.status ?? {};
    let duration = '';
    if (s.startTime) duration = humanDuration((s.completionTime ? parseIsoTime(s.completionTime) : ctx.now) - parseIsoTime(s.startTime));
    return [job.metadata.name, jobStatus(job), jobCompletions(job), duration, objAge(job, ctx.now)];
  },
  wideRow(job: KubeObject) {
    return [...containersAndImages(job.spec?.template), formatSelector(job.spec?.selector)];
  },
};

/** cronJobPrinter is printCronJob. */
export const cronJobPrinter: TablePrinter = {
  columns: ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'],
  wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row(cj: KubeObject, ctx) {
    const spec = cj.spec ?? {};
    const suspend = spec.suspend === undefined || spec.suspend === null ? '<unset>' : spec.suspend ? 'True' : 'False';
    const last = cj.status?.lastScheduleTime ? age(cj.status.lastScheduleTime, ctx.now) : '<none>';
    return [cj.metadata.name, String(spec.schedule ?? ''), spec.timeZone ?? '<none>', suspend, String(cj.status?.active?.length ?? 0), last, objAge(cj, ctx.now)];
  },
  wideRow(cj: KubeObject) {
    return [...containersAndImages(cj.spec?.jobTemplate?.spec?.template), formatSelector(cj.spec?.jobTemplate?.spec?.selector)];
  },
};
