/**
 * The CronJob controller (pkg/controller/cronjob/cronjob_controllerv2.go, utils.go), controller
 * `cronjob`. It wakes at each schedule time (+100 ms, as upstream's nextScheduleDelta) on the
 * virtual clock, creates `<cronjob>-<scheduled time in minutes since the Unix epoch>` Jobs under
 * the concurrency policy, tracks them in status.active, and prunes finished Jobs beyond the
 * history limits.
 */
import type { Sim } from '../../sim.ts';
import type { Condition, KubeObject } from '../../api/types.ts';
import { keyOf } from '../../api/store.ts';
import { controllerRef, getCondition, newControllerRef } from '../../api/podutil.ts';
import { EPOCH_MS, isoTime, parseIsoTime } from '../../clock.ts';
import { deepCopy, deleteObject } from '../workloadutil.ts';
import { nextActivation, parseSchedule, type Schedule } from './schedule.ts';

export const CRONJOB_CONTROLLER = 'cronjob';
export const CRONJOB_COMPONENT = 'cronjob-controller';
export const CRONJOB_TIMER = 'cronjob/schedule';
export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** NEXT_SCHEDULE_DELTA_MS is nextScheduleDelta: wake 100 ms after the schedule time. */
export const NEXT_SCHEDULE_DELTA_MS = 100;

export interface CronJob extends KubeObject {
  kind: 'CronJob';
  spec: {
    schedule: string;
    timeZone?: string;
    startingDeadlineSeconds?: number;
    concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
    suspend?: boolean;
    jobTemplate: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: any };
    successfulJobsHistoryLimit?: number;
    failedJobsHistoryLimit?: number;
  };
  status: {
    active?: { apiVersion: string; kind: string; name: string; namespace?: string; uid?: string; resourceVersion?: string }[];
    lastScheduleTime?: string;
    lastSuccessfulTime?: string;
  };
}

interface CronState {
  /** nextAt: the pending wake-up timer per CronJob key (one at a time). */
  nextAt: Record<string, number>;
}

/** cronJobDefaults is SetDefaults_CronJob. */
export function cronJobDefaults(cj: CronJob): void {
  cj.spec.concurrencyPolicy ??= 'Allow';
  cj.spec.suspend ??= false;
  cj.spec.successfulJobsHistoryLimit ??= 3;
  cj.spec.failedJobsHistoryLimit ??= 1;
}

/** jobName is getJobName: `<cronjob>-<scheduled Unix time in minutes>`. */
export function jobName(cjName: string, scheduledSimMs: number): string {
  return `${cjName}-${Math.floor((scheduledSimMs + EPOCH_MS) / 60_000)}`;
}

/** rfc1123z formats a time as Go's time.RFC1123Z in UTC: "Mon, 02 Jan 2006 15:04:05 +0000". */
export function rfc1123z(simMs: number): string {
  const d = new Date(EPOCH_MS + simMs);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/**
 * mostRecentScheduleTime is mostRecentScheduleTime: from the last schedule time (or creation, or
 * now − startingDeadlineSeconds if later), the latest activation not after now, and how many were
 * missed ('none' | 'few' | 'many' — more than 100).
 */
export function mostRecentScheduleTime(cj: CronJob, sched: Schedule, now: number): { time?: number; missed: 'none' | 'few' | 'many' } {
  let earliest = cj.status?.lastScheduleTime ? parseIsoTime(cj.status.lastScheduleTime) : parseIsoTime(cj.metadata.creationTimestamp!);
  if (cj.spec.startingDeadlineSeconds !== undefined && cj.spec.startingDeadlineSeconds !== null) {
    const deadline = now - cj.spec.startingDeadlineSeconds * 1000;
    if (deadline > earliest) earliest = deadline;
  }
  const t1 = nextActivation(sched, earliest);
  if (t1 === undefined || now < t1) return { missed: 'none' };
  const t2 = nextActivation(sched, t1);
  if (t2 === undefined || now < t2) return { time: t1, missed: 'few' };
  let count = 1;
  let t = t1;
  for (;;) {
    const n = nextActivation(sched, t);
    if (n === undefined || n > now) break;
    t = n;
    count++;
    if (count > 100_000) break;
  }
  return { time: t, missed: count > 100 ? 'many' : 'few' };
}

function finishedCondition(job: KubeObject): Condition | undefined {
  for (const type of ['Complete', 'Failed']) {
    const c = getCondition(job.status?.conditions, type);
    if (c?.status === 'True') return c;
  }
  return undefined;
}

/** installCronJobController adds the `cronjob` controller, its Job watch and its schedule timer. */
export function installCronJobController(sim: Sim): void {
  const st = () => sim.moduleState<CronState>('cronjob', () => ({ nextAt: {} }));
  sim.addController({ name: CRONJOB_CONTROLLER, sync: (key) => syncCronJob(sim, key, st()) });
  sim.store.watch('CronJob', (type, obj) => {
    if (type === 'DELETED') delete st().nextAt[keyOf(obj)];
    else sim.enqueue(CRONJOB_CONTROLLER, keyOf(obj));
  });
  sim.store.watch('Job', (_type, obj) => {
    const ref = controllerRef(obj);
    if (ref?.kind === 'CronJob') sim.enqueue(CRONJOB_CONTROLLER, `${obj.metadata.namespace}/${ref.name}`);
  });
  sim.onTimer(CRONJOB_TIMER, (key) => {
    const s = st();
    if (s.nextAt[key] !== sim.now()) return; // superseded
    delete s.nextAt[key];
    if (sim.store.getByKey('CronJob', key)) sim.enqueue(CRONJOB_CONTROLLER, key);
  });
}

function requeueAt(sim: Sim, s: CronState, key: string, at: number): void {
  if (s.nextAt[key] === at) return;
  s.nextAt[key] = at;
  sim.at(at, CRONJOB_TIMER, key);
}

function syncCronJob(sim: Sim, key: string, s: CronState): void {
  const cj = sim.store.getByKey<CronJob>('CronJob', key);
  if (!cj || !cj.spec) return;
  cronJobDefaults(cj);
  cj.status ??= {};
  const before = JSON.stringify(cj.status);
  const now = sim.now();
  const ns = cj.metadata.namespace;
  const jobs = sim.store.list('Job', ns).filter((j) => controllerRef(j)?.uid === cj.metadata.uid);
  const events: [('Normal' | 'Warning'), string, string][] = [];

  // Reconcile status.active with the Jobs that exist and have not finished.
  const active = [...(cj.status.active ?? [])];
  for (const j of jobs) {
    const i = active.findIndex((a) => a.uid === j.metadata.uid);
    const done = finishedCondition(j);
    if (i >= 0 && done) {
      active.splice(i, 1);
      events.push(['Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${done.type}`]);
      if (done.type === 'Complete' && j.status?.completionTime) {
        if (!cj.status.lastSuccessfulTime || parseIsoTime(j.status.completionTime) > parseIsoTime(cj.status.lastSuccessfulTime)) cj.status.lastSuccessfulTime = j.status.completionTime;
      }
    }
  }
  for (let i = active.length - 1; i >= 0; i--) {
    if (!jobs.some((j) => j.metadata.uid === active[i].uid)) {
      events.push(['Normal', 'MissingJob', `Active job went missing: ${active[i].name}`]);
      active.splice(i, 1);
    }
  }
  cj.status.active = active;

  const flush = () => {
    if (!cj.status.active?.length) delete cj.status.active;
    if (JSON.stringify(cj.status) !== before) sim.store.update(cj);
    for (const [t, r, m] of events) sim.recordEvent(cj, t, r, m, CRONJOB_COMPONENT);
    events.length = 0;
  };

  if (cj.metadata.deletionTimestamp) return flush();
  cleanupFinishedJobs(sim, cj, jobs, events);
  if (cj.spec.timeZone !== undefined && cj.spec.timeZone !== null && cj.spec.timeZone !== 'UTC' && cj.spec.timeZone !== 'Etc/UTC') {
    events.push(['Warning', 'UnknownTimeZone', `invalid timeZone: "${cj.spec.timeZone}": Kubeplay schedules in UTC only`]);
    return flush();
  }
  let sched: Schedule;
  try {
    sched = parseSchedule(cj.spec.schedule);
  } catch (e) {
    events.push(['Warning', 'UnparseableSchedule', `unparseable schedule: "${cj.spec.schedule}" : ${(e as Error).message}`]);
    return flush();
  }
  if (cj.spec.suspend) return flush();
  const wake = () => {
    const n = nextActivation(sched, now);
    if (n !== undefined) requeueAt(sim, s, key, n + NEXT_SCHEDULE_DELTA_MS);
  };
  const recent = mostRecentScheduleTime(cj, sched, now);
  if (recent.missed === 'many') events.push(['Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew']);
  const scheduled = recent.time;
  if (scheduled === undefined) {
    wake();
    return flush();
  }
  if (cj.spec.startingDeadlineSeconds !== undefined && scheduled + cj.spec.startingDeadlineSeconds * 1000 < now) {
    events.push(['Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`]);
    wake();
    return flush();
  }
  const name = jobName(cj.metadata.name, scheduled);
  if (active.some((a) => a.name === name) || (cj.status.lastScheduleTime && parseIsoTime(cj.status.lastScheduleTime) === Math.floor(scheduled / 1000) * 1000)) {
    wake();
    return flush();
  }
  if (cj.spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
    events.push(['Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid']);
    wake();
    return flush();
  }
  if (cj.spec.concurrencyPolicy === 'Replace') {
    for (const a of [...active]) {
      const j = sim.store.get('Job', ns, a.name);
      if (j) {
        deleteObject(sim, j, { cascade: 'background' });
        events.push(['Normal', 'SuccessfulDelete', `Deleted job ${a.name}`]);
      }
      active.splice(active.indexOf(a), 1);
    }
  }
  if (sim.store.get('Job', ns, name)) {
    // Already created (e.g. before a restart): treat it as handled.
    cj.status.lastScheduleTime = isoTime(scheduled);
    wake();
    return flush();
  }
  const tmpl = cj.spec.jobTemplate ?? { spec: {} };
  const job = sim.store.create<KubeObject>({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: ns,
      labels: { ...(tmpl.metadata?.labels ?? {}) },
      annotations: { ...(tmpl.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP_ANNOTATION]: isoTime(scheduled) },
      ownerReferences: [newControllerRef(cj)],
    },
    spec: deepCopy(tmpl.spec),
    status: {},
  });
  events.push(['Normal', 'SuccessfulCreate', `Created job ${name}`]);
  active.push({ apiVersion: 'batch/v1', kind: 'Job', name, namespace: ns, uid: job.metadata.uid, resourceVersion: job.metadata.resourceVersion });
  cj.status.active = active;
  cj.status.lastScheduleTime = isoTime(scheduled);
  wake();
  flush();
}

/** cleanupFinishedJobs keeps the newest successfulJobsHistoryLimit complete and failedJobsHistoryLimit failed Jobs. */
function cleanupFinishedJobs(sim: Sim, cj: CronJob, jobs: KubeObject[], events: [('Normal' | 'Warning'), string, string][]): void {
  const startMs = (j: KubeObject) => (j.status?.startTime ? parseIsoTime(j.status.startTime) : Infinity);
  for (const [type, limit] of [
    ['Complete', cj.spec.successfulJobsHistoryLimit ?? 3],
    ['Failed', cj.spec.failedJobsHistoryLimit ?? 1],
  ] as const) {
    const list = jobs.filter((j) => !j.metadata.deletionTimestamp && finishedCondition(j)?.type === type && sim.store.get('Job', j.metadata.namespace, j.metadata.name));
    if (list.length <= limit) continue;
    list.sort((a, b) => startMs(a) - startMs(b) || (a.metadata.name < b.metadata.name ? -1 : 1));
    for (const j of list.slice(0, list.length - limit)) {
      deleteObject(sim, j, { cascade: 'background' });
      events.push(['Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`]);
    }
  }
}
