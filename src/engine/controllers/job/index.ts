/**
 * The Job controller (pkg/controller/job/job_controller.go) and the TTL-after-finished controller
 * (pkg/controller/ttlafterfinished), controller `job`.
 *
 * Counting. Upstream tracks finished pods with the batch.kubernetes.io/job-tracking finalizer so a
 * pod that is removed still counts. Here the module state keeps, per Job, the uids of the pods
 * already counted (dropped when the pod is removed), which is the same bookkeeping without a
 * finalizer on the pod. Conditions follow current upstream (JobManagedBy/PodReplacementPolicy on):
 * the interim SuccessCriteriaMet/FailureTarget condition first, the terminal Complete/Failed once
 * no pod of the Job is still terminating.
 */
import type { Sim } from '../../sim.ts';
import type { Condition, KubeObject, Pod, PodTemplateSpec } from '../../api/types.ts';
import { keyOf } from '../../api/store.ts';
import { controllerRef, getCondition, isPodActive, isPodReady, setCondition } from '../../api/podutil.ts';
import { compileSelector } from '../../api/selector.ts';
import { parseIsoTime } from '../../clock.ts';
import { defaultPodSpec } from '../../api/defaults.ts';
import { createPod, deleteObject, ensureOwnerIndex, isPodFinished, podFromTemplate, podsOwnedBy } from '../workloadutil.ts';
import { recordFailure, recordSuccess, remainingBackoffMs, type BackoffRecord } from './backoff.ts';
import { matchPodFailurePolicy, type PodFailurePolicy } from './podfailurepolicy.ts';
import { COMPLETION_INDEX_ANNOTATION, formatIndexes, getCompletionIndex, parseIndexes, podGenerateNameWithIndex } from './indexed.ts';
import { pushAll } from '../../arrays.ts';

export const JOB_CONTROLLER = 'job';
export const JOB_COMPONENT = 'job-controller';
export const JOB_SYNC_TIMER = 'job/sync';
export const JOB_TTL_TIMER = 'job/ttl';
/** MAX_POD_CREATE_DELETE_PER_SYNC is MaxPodCreateDeletePerSync. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';

export interface Job extends KubeObject {
  kind: 'Job';
  spec: {
    parallelism?: number;
    completions?: number | null;
    activeDeadlineSeconds?: number;
    backoffLimit?: number;
    selector?: any;
    manualSelector?: boolean;
    template: PodTemplateSpec;
    ttlSecondsAfterFinished?: number;
    completionMode?: 'NonIndexed' | 'Indexed';
    suspend?: boolean;
    podFailurePolicy?: PodFailurePolicy;
    podReplacementPolicy?: 'TerminatingOrFailed' | 'Failed';
  };
  status: {
    conditions?: Condition[];
    startTime?: string;
    completionTime?: string;
    active?: number;
    succeeded?: number;
    failed?: number;
    terminating?: number;
    ready?: number;
    completedIndexes?: string;
    uncountedTerminatedPods?: Record<string, never>;
  };
}

/** JobTrack is the per-Job bookkeeping (module state, JSON). */
interface JobTrack {
  uid: string;
  /** counted: pods already added to succeeded/failed (or ignored by the failure policy). */
  counted: Record<string, 'S' | 'F' | 'I'>;
  /** removing: pods the controller deleted itself (excess, suspend, finished): not failures. */
  removing: Record<string, true>;
  backoff: BackoffRecord;
  failJobMessage?: string;
  syncAt?: number;
}

interface JobState {
  jobs: Record<string, JobTrack>;
}

const st = (sim: Sim) => sim.moduleState<JobState>('job', () => ({ jobs: {} }));

/** jobDefaults is SetDefaults_Job (the API server does not default batch kinds yet). */
export function jobDefaults(job: Job): void {
  const s = job.spec;
  if (s.completions === undefined && s.parallelism === undefined) {
    s.completions = 1;
    s.parallelism = 1;
  }
  if (s.parallelism === undefined) s.parallelism = 1;
  if (s.backoffLimit === undefined) s.backoffLimit = 6;
  if (s.completionMode === undefined) s.completionMode = 'NonIndexed';
  if (s.suspend === undefined) s.suspend = false;
  if (s.manualSelector === undefined) s.manualSelector = false;
  if (s.podReplacementPolicy === undefined) s.podReplacementPolicy = s.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  // SetDefaults_PodFailurePolicyOnPodConditionsPattern: a pattern's status defaults to True.
  for (const rule of Array.isArray(s.podFailurePolicy?.rules) ? s.podFailurePolicy.rules : []) {
    for (const c of Array.isArray(rule?.onPodConditions) ? rule.onPodConditions : []) if (c && typeof c === 'object' && (c.status === undefined || c.status === '')) c.status = 'True';
  }
  defaultPodSpec(s.template.spec);
}

/**
 * prepareJob is the Job strategy's PrepareForCreate/generateSelector: the controller-uid selector
 * and the four job labels on the template (batch.kubernetes.io/* and the legacy ones).
 */
function prepareJob(job: Job): void {
  jobDefaults(job);
  const uid = job.metadata.uid!;
  const t = (job.spec.template.metadata ??= {});
  const labels = (t.labels ??= {});
  if (!job.spec.manualSelector) {
    labels[CONTROLLER_UID_LABEL] = uid;
    labels[JOB_NAME_LABEL] = job.metadata.name;
    labels[LEGACY_CONTROLLER_UID_LABEL] = uid;
    labels[LEGACY_JOB_NAME_LABEL] = job.metadata.name;
    job.spec.selector ??= { matchLabels: { [CONTROLLER_UID_LABEL]: uid } };
  }
  // SetDefaults_Job (run again as the stored Job is read): a Job without labels takes its template's.
  if (!job.metadata.labels || Object.keys(job.metadata.labels).length === 0) {
    if (Object.keys(labels).length) job.metadata.labels = { ...labels };
  }
  job.status ??= {};
}

/** installJobController adds the `job` controller (Job + TTL-after-finished) and its timers. */
export function installJobController(sim: Sim): void {
  ensureOwnerIndex(sim);
  sim.addController({ name: JOB_CONTROLLER, sync: (key) => syncJob(sim, key) });
  sim.store.watch('Job', (type, obj) => {
    const key = keyOf(obj);
    if (type === 'DELETED') {
      delete st(sim).jobs[key];
      return;
    }
    if (type === 'ADDED' && !obj.spec?.selector?.matchLabels?.[CONTROLLER_UID_LABEL] && !obj.spec?.manualSelector) {
      prepareJob(obj as Job);
      sim.store.update(obj);
      return;
    }
    sim.enqueue(JOB_CONTROLLER, key);
  });
  sim.store.watch('Pod', (type, obj) => {
    const ref = controllerRef(obj);
    if (!ref || ref.kind !== 'Job') return;
    const key = `${obj.metadata.namespace}/${ref.name}`;
    if (type === 'DELETED') {
      const tr = st(sim).jobs[key];
      if (tr && tr.uid === ref.uid) {
        const uid = obj.metadata.uid!;
        // A pod removed before it was counted: a success if it succeeded, else a failure unless
        // the controller deleted it itself. Upstream the kubelet moves a deleted pod to Failed
        // before it goes, so the failure policy still sees it (e.g. DisruptionTarget → Ignore).
        if (!tr.counted[uid] && !tr.removing[uid]) {
          const pod = obj as Pod;
          const job = sim.store.getByKey<Job>('Job', key);
          if (job && pod.status?.phase === 'Succeeded') countPod(sim, job, tr, pod);
          else if (job) countPod(sim, job, tr, pod, true);
        }
        delete tr.counted[uid];
        delete tr.removing[uid];
      }
    }
    sim.enqueue(JOB_CONTROLLER, key);
  });
  sim.onTimer(JOB_SYNC_TIMER, (key) => {
    const tr = st(sim).jobs[key];
    if (tr && tr.syncAt === sim.now()) delete tr.syncAt;
    if (sim.store.getByKey('Job', key)) sim.enqueue(JOB_CONTROLLER, key);
  });
  sim.onTimer(JOB_TTL_TIMER, (key) => {
    const job = sim.store.getByKey<Job>('Job', key);
    if (!job || job.metadata.deletionTimestamp) return;
    const expireAt = ttlExpireAt(job);
    if (expireAt === undefined || expireAt > sim.now()) return;
    // The TTL-after-finished controller deletes with foreground propagation.
    deleteObject(sim, job, { cascade: 'foreground' });
  });
}

function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec.podReplacementPolicy === 'Failed' || !!job.spec.podFailurePolicy;
}

/** podFinishedMs is getFinishedTime: the latest container finish, else the deletion time, else now. */
function podFinishedMs(sim: Sim, pod: Pod): number {
  let t: number | undefined;
  for (const cs of pod.status?.containerStatuses ?? []) {
    const f = cs.state?.terminated?.finishedAt;
    if (f) t = Math.max(t ?? -Infinity, parseIsoTime(f));
  }
  if (t === undefined && pod.metadata.deletionTimestamp) t = Math.min(sim.now(), parseIsoTime(pod.metadata.deletionTimestamp));
  return t ?? sim.now();
}

/** countPod adds a finished (or, with asFailed, a deleted) pod to the Job's status counters once. */
function countPod(sim: Sim, job: Job, tr: JobTrack, pod: Pod, asFailed = false): void {
  const uid = pod.metadata.uid!;
  if (tr.counted[uid]) return;
  const s = job.status;
  if (!asFailed && pod.status?.phase === 'Succeeded') {
    tr.counted[uid] = 'S';
    recordSuccess(tr.backoff, podFinishedMs(sim, pod));
    if (job.spec.completionMode === 'Indexed') {
      const idx = getCompletionIndex(pod);
      const completions = job.spec.completions ?? 0;
      if (idx < 0 || idx >= completions) return;
      const done = parseIndexes(s.completedIndexes, completions);
      if (done.includes(idx)) return;
      done.push(idx);
      s.completedIndexes = formatIndexes(done);
      s.succeeded = done.length;
    } else s.succeeded = (s.succeeded ?? 0) + 1;
    return;
  }
  const m = pod.status?.phase === 'Failed' || asFailed ? matchPodFailurePolicy(job.spec.podFailurePolicy, pod) : { countFailed: true, message: undefined };
  if (!m.countFailed) {
    tr.counted[uid] = 'I';
    return;
  }
  tr.counted[uid] = 'F';
  if (m.message && !tr.failJobMessage) tr.failJobMessage = m.message;
  s.failed = (s.failed ?? 0) + 1;
  recordFailure(tr.backoff, podFinishedMs(sim, pod));
}

function hasTrueCondition(job: Job, type: string): Condition | undefined {
  const c = getCondition(job.status?.conditions, type);
  return c?.status === 'True' ? c : undefined;
}

function isJobFinished(job: Job): boolean {
  return !!(hasTrueCondition(job, 'Complete') || hasTrueCondition(job, 'Failed'));
}

/** ttlExpireAt is the TTL controller's finishAt + ttlSecondsAfterFinished, for a finished Job with a TTL. */
function ttlExpireAt(job: Job): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null) return undefined;
  const c = hasTrueCondition(job, 'Complete') ?? hasTrueCondition(job, 'Failed');
  if (!c?.lastTransitionTime) return undefined;
  return parseIsoTime(c.lastTransitionTime) + ttl * 1000;
}

function requeueAt(sim: Sim, tr: JobTrack, key: string, at: number): void {
  if (tr.syncAt !== undefined && tr.syncAt >= sim.now() && tr.syncAt <= at) return;
  tr.syncAt = at;
  sim.at(at, JOB_SYNC_TIMER, key);
}

/** pastBackoffLimitOnFailure: with restartPolicy OnFailure, container restarts of running pods count as failures. */
function pastBackoffLimitOnFailure(job: Job, pods: Pod[]): boolean {
  if (job.spec.template.spec.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const cs of p.status.initContainerStatuses ?? []) restarts += cs.restartCount ?? 0;
    for (const cs of p.status.containerStatuses ?? []) restarts += cs.restartCount ?? 0;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** syncJob is syncJob: count finished pods, decide whether the Job is finished, manage active pods, write status. */
function syncJob(sim: Sim, key: string): void {
  const job = sim.store.getByKey<Job>('Job', key);
  if (!job || !job.spec?.template) return;
  if (!job.spec.selector && !job.spec.manualSelector) return; // prepared on ADDED
  jobDefaults(job);
  job.status ??= {};
  const state = st(sim);
  let tr = state.jobs[key];
  if (!tr || tr.uid !== job.metadata.uid) tr = state.jobs[key] = { uid: job.metadata.uid!, counted: {}, removing: {}, backoff: { failuresAfterLastSuccess: 0 } };
  const before = JSON.stringify(job.status);
  const now = sim.now();
  const nowIso = sim.nowIso();

  if (isJobFinished(job)) {
    scheduleTtl(sim, job, key);
    return;
  }
  const matches = compileSelector(job.spec.selector);
  const pods = podsOwnedBy(sim, job.metadata.uid!).filter((p) => matches(p.metadata.labels));
  for (const p of pods) {
    if (tr.counted[p.metadata.uid!]) continue;
    if (isPodFinished(p)) countPod(sim, job, tr, p);
    else if (p.metadata.deletionTimestamp && !tr.removing[p.metadata.uid!] && !onlyReplaceFailedPods(job)) countPod(sim, job, tr, p, true);
  }
  let activePods = pods.filter((p) => isPodActive(p) && !tr.counted[p.metadata.uid!]);
  const terminating = () => pods.filter((p) => p.metadata.deletionTimestamp && !isPodFinished(p) && sim.store.get('Pod', p.metadata.namespace, p.metadata.name)).length;
  const suspended = !!job.spec.suspend;
  const conds = (job.status.conditions ??= []);

  if (!job.status.startTime && !suspended) job.status.startTime = nowIso;

  // The finished condition, in upstream's order of precedence.
  let finished: Condition | undefined;
  const failureTarget = hasTrueCondition(job, 'FailureTarget');
  const successMet = hasTrueCondition(job, 'SuccessCriteriaMet');
  if (failureTarget) finished = { type: 'Failed', status: 'True', reason: failureTarget.reason, message: failureTarget.message };
  else if (successMet) finished = { type: 'Complete', status: 'True', reason: successMet.reason, message: successMet.message };
  else if (tr.failJobMessage) finished = { type: 'Failed', status: 'True', reason: 'PodFailurePolicy', message: tr.failJobMessage };
  else if ((job.status.failed ?? 0) > (job.spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, activePods)) {
    finished = { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
  } else if (job.spec.activeDeadlineSeconds !== undefined && !suspended && job.status.startTime) {
    const deadline = parseIsoTime(job.status.startTime) + job.spec.activeDeadlineSeconds * 1000;
    if (now >= deadline) finished = { type: 'Failed', status: 'True', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
    else requeueAt(sim, tr, key, deadline);
  }

  if (!finished) {
    manageJob(sim, job, tr, activePods, pods, key);
    activePods = podsOwnedBy(sim, job.metadata.uid!).filter((p) => matches(p.metadata.labels) && isPodActive(p) && !tr.counted[p.metadata.uid!]);
    const completions = job.spec.completions;
    const succeeded = job.status.succeeded ?? 0;
    const complete = completions === null || completions === undefined ? succeeded > 0 && activePods.length === 0 : succeeded >= completions && activePods.length === 0;
    if (complete) finished = { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };
  }

  // Suspended condition and events (a suspended Job keeps no active pods).
  if (!finished) {
    if (suspended) {
      if (setCondition(conds, { type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' }, nowIso)) {
        sim.recordEvent(job, 'Normal', 'Suspended', 'Job suspended', JOB_COMPONENT);
      }
    } else if (getCondition(conds, 'Suspended')?.status === 'True') {
      setCondition(conds, { type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed' }, nowIso);
      sim.recordEvent(job, 'Normal', 'Resumed', 'Job resumed', JOB_COMPONENT);
      // Resumed Jobs reset startTime, so activeDeadlineSeconds counts continuously active time.
      job.status.startTime = nowIso;
      if (job.spec.activeDeadlineSeconds !== undefined) requeueAt(sim, tr, key, now + job.spec.activeDeadlineSeconds * 1000);
    }
  }

  let terminalWritten = false;
  if (finished) {
    // A finishing Job deletes its remaining active pods.
    for (const p of activePods) {
      // Pods a failing Job removes count as failed (trackJobStatusAndRemoveFinalizers).
      if (finished.type === 'Failed') countPod(sim, job, tr, p, true);
      tr.removing[p.metadata.uid!] = true;
      deleteObject(sim, p);
    }
    activePods = [];
    const interim = finished.type === 'Complete' ? 'SuccessCriteriaMet' : 'FailureTarget';
    setCondition(conds, { type: interim, status: 'True', reason: finished.reason, message: finished.message }, nowIso);
    if (terminating() === 0) {
      setCondition(conds, finished, nowIso);
      if (finished.type === 'Complete') job.status.completionTime = nowIso;
      terminalWritten = true;
    }
  }

  // Status counters.
  const ready = activePods.filter((p) => isPodReady(p)).length;
  job.status.active = activePods.length;
  job.status.ready = ready;
  job.status.terminating = terminating();
  job.status.failed ??= 0;
  job.status.succeeded ??= 0;
  job.status.uncountedTerminatedPods = {};
  for (const f of ['active', 'failed', 'succeeded'] as const) if (job.status[f] === 0) delete job.status[f];
  if (!conds.length) delete job.status.conditions;
  if (JSON.stringify(job.status) !== before) sim.store.update(job);
  if (terminalWritten) {
    if (finished!.type === 'Complete') sim.recordEvent(job, 'Normal', 'Completed', 'Job completed', JOB_COMPONENT);
    else sim.recordEvent(job, 'Warning', finished!.reason!, finished!.message!, JOB_COMPONENT);
    scheduleTtl(sim, job, key);
  }
}

function scheduleTtl(sim: Sim, job: Job, key: string): void {
  const at = ttlExpireAt(job);
  if (at === undefined) return;
  const tr = st(sim).jobs[key];
  if (tr && tr.syncAt === at) return;
  if (tr) tr.syncAt = at;
  sim.at(at, JOB_TTL_TIMER, key);
}

/** activePodsForRemoval orders active pods as controller.ActivePods: unassigned, pending, not ready, newest first. */
function removalOrder(pods: Pod[]): Pod[] {
  const phase = (p: Pod) => (p.status?.phase === 'Pending' ? 0 : p.status?.phase === 'Unknown' ? 1 : 2);
  return [...pods].sort((a, b) => {
    if (!!a.spec.nodeName !== !!b.spec.nodeName) return a.spec.nodeName ? 1 : -1;
    if (phase(a) !== phase(b)) return phase(a) - phase(b);
    if (isPodReady(a) !== isPodReady(b)) return isPodReady(a) ? 1 : -1;
    const ta = a.metadata.creationTimestamp ?? '';
    const tb = b.metadata.creationTimestamp ?? '';
    if (ta !== tb) return ta > tb ? -1 : 1;
    return a.metadata.name < b.metadata.name ? 1 : -1;
  });
}

/**
 * manageJob is manageJob: a suspended Job deletes its active pods; otherwise want =
 * min(parallelism, completions − succeeded) (or parallelism until the first success when
 * completions is unset), delete the surplus, or create the shortfall once the failure back-off
 * has passed.
 */
function manageJob(sim: Sim, job: Job, tr: JobTrack, activePods: Pod[], allPods: Pod[], key: string): void {
  const active = activePods.length;
  const parallelism = job.spec.parallelism ?? 1;
  const indexed = job.spec.completionMode === 'Indexed';
  const toDelete: Pod[] = [];
  if (job.spec.suspend) pushAll(toDelete, activePods);
  else {
    const succeeded = job.status.succeeded ?? 0;
    let want: number;
    if (job.spec.completions === null || job.spec.completions === undefined) want = succeeded > 0 ? active : parallelism;
    else want = Math.max(0, Math.min(job.spec.completions - succeeded, parallelism));
    if (indexed) {
      // Pods with an index out of range, already succeeded, or duplicated are removed first.
      const done = new Set(parseIndexes(job.status.completedIndexes, job.spec.completions ?? 0));
      const seen = new Set<number>();
      for (const p of [...activePods].sort((a, b) => ((a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? -1 : 1))) {
        const idx = getCompletionIndex(p);
        if (idx < 0 || idx >= (job.spec.completions ?? 0) || done.has(idx) || seen.has(idx)) toDelete.push(p);
        else seen.add(idx);
      }
    }
    const remaining = activePods.filter((p) => !toDelete.includes(p));
    const rm = remaining.length - want;
    if (rm > 0) pushAll(toDelete, removalOrder(remaining).slice(0, rm));
    if (toDelete.length === 0 && active < want) {
      const terminating = onlyReplaceFailedPods(job) ? allPods.filter((p) => p.metadata.deletionTimestamp && !isPodFinished(p)).length : 0;
      if (active + terminating < want) {
        const wait = remainingBackoffMs(tr.backoff, sim.now());
        if (wait > 0) {
          requeueAt(sim, tr, key, sim.now() + wait);
          return;
        }
        let diff = Math.min(want - active - terminating, MAX_POD_CREATE_DELETE_PER_SYNC);
        let indexes: number[] | undefined;
        if (indexed) {
          indexes = firstPendingIndexes(job, activePods, allPods, diff);
          diff = indexes.length;
        }
        for (let i = 0; i < diff; i++) {
          const pod = podForJob(job, indexes?.[i]);
          if (!createPod(sim, pod)) break; // refused by admission: FailedCreate recorded, retried
          sim.recordEvent(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, JOB_COMPONENT);
        }
      }
    }
  }
  for (const p of toDelete.slice(0, MAX_POD_CREATE_DELETE_PER_SYNC)) {
    tr.removing[p.metadata.uid!] = true;
    deleteObject(sim, p);
    sim.recordEvent(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, JOB_COMPONENT);
  }
}

/** firstPendingIndexes: the lowest indexes neither succeeded nor held by an active (or, with Failed replacement, terminating) pod. */
function firstPendingIndexes(job: Job, activePods: Pod[], allPods: Pod[], count: number): number[] {
  const completions = job.spec.completions ?? 0;
  const taken = new Set(parseIndexes(job.status.completedIndexes, completions));
  for (const p of activePods) taken.add(getCompletionIndex(p));
  if (onlyReplaceFailedPods(job)) for (const p of allPods) if (p.metadata.deletionTimestamp && !isPodFinished(p)) taken.add(getCompletionIndex(p));
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!taken.has(i)) out.push(i);
  return out;
}

/** podForJob builds a Job's pod: `<job>-<suffix>`, or `<job>-<index>-<suffix>` with the index annotation, label, hostname and env. */
function podForJob(job: Job, index?: number): Pod {
  const name = index === undefined ? `${job.metadata.name}-` : podGenerateNameWithIndex(job.metadata.name, index);
  const pod = podFromTemplate(job, job.spec.template, { generateName: name });
  if (index !== undefined) {
    const v = String(index);
    pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [COMPLETION_INDEX_ANNOTATION]: v };
    pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [COMPLETION_INDEX_ANNOTATION]: v };
    pod.spec.hostname ||= `${job.metadata.name}-${index}`;
    const env = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX_ANNOTATION}']` } } };
    for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
      if (!(c.env ?? []).some((e) => e.name === 'JOB_COMPLETION_INDEX')) c.env = [...(c.env ?? []), env];
    }
  }
  return pod;
}
