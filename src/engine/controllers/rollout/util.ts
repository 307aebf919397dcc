/**
 * util.ts: names and small helpers shared by the Rollout controller's files (Argo's
 * pkg/apis/rollouts/v1alpha1 constants, utils/conditions and utils/annotations).
 */
import type { Sim } from '../../sim.ts';
import type { Condition, KubeObject, ReplicaSet } from '../../api/types.ts';
import { OWNER_INDEX } from '../gc.ts';
import { parseIsoTime } from '../../clock.ts';

export const ROLLOUT_CONTROLLER = 'rollout';
export const ANALYSIS_CONTROLLER = 'analysisrun';
export const COMPONENT = 'rollouts-controller';
export const REQUEUE_TIMER = 'rollout/requeue';
export const MEASURE_TIMER = 'analysisrun/measure';

/** DEFAULT_ROLLOUT_UNIQUE_LABEL_KEY is v1alpha1.DefaultRolloutUniqueLabelKey. */
export const HASH_LABEL = 'rollouts-pod-template-hash';
export const REVISION_ANNOTATION = 'rollout.argoproj.io/revision';
export const DESIRED_REPLICAS_ANNOTATION = 'rollout.argoproj.io/desired-replicas';
/** SCALE_DOWN_DEADLINE_ANNOTATION is v1alpha1.DefaultReplicaSetScaleDownDeadlineAnnotationKey. */
export const SCALE_DOWN_DEADLINE_ANNOTATION = 'scale-down-deadline';
export const MANAGED_BY_ANNOTATION = 'argo-rollouts.argoproj.io/managed-by-rollouts';
export const ROLLOUT_TYPE_LABEL = 'rollout-type';
export const ARGO_API_VERSION = 'argoproj.io/v1alpha1';

// Condition types and reasons (utils/conditions/conditions.go).
export const PROGRESSING = 'Progressing';
export const AVAILABLE = 'Available';
export const COMPLETED = 'Completed';
export const PAUSED = 'Paused';
export const INVALID_SPEC = 'InvalidSpec';
export const ROLLOUT_ABORTED_REASON = 'RolloutAborted';
export const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';

/** Rollout is an argoproj.io/v1alpha1 Rollout as stored (spec/status typed loosely: input from strangers). */
export type Rollout = KubeObject & { spec: any; status: any };

export const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** replicaSetsOf lists the ReplicaSets a Rollout controls (ownerReference uid), oldest first. */
export function replicaSetsOf(sim: Sim, ro: Rollout): ReplicaSet[] {
  return sim.store
    .byIndex<ReplicaSet>('ReplicaSet', OWNER_INDEX, ro.metadata.uid!)
    .filter((rs) => rs.metadata.ownerReferences?.some((r) => r.uid === ro.metadata.uid && r.controller) && !rs.metadata.deletionTimestamp)
    .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name));
}

export const podHash = (rs: ReplicaSet | undefined): string => rs?.metadata.labels?.[HASH_LABEL] ?? '';
export const specOf = (rs: ReplicaSet | undefined): number => rs?.spec.replicas ?? 0;
export const availableOf = (rs: ReplicaSet | undefined): number => rs?.status?.availableReplicas ?? 0;

/** revisionOf reads rollout.argoproj.io/revision (0 when absent or unreadable). */
export function revisionOf(o: KubeObject | undefined): number {
  const n = parseInt(o?.metadata.annotations?.[REVISION_ANNOTATION] ?? '', 10);
  return Number.isFinite(n) ? n : 0;
}

/** setCondition puts a Rollout condition, keeping lastTransitionTime when the status did not change. */
export function setRolloutCondition(status: { conditions?: Condition[] }, c: Omit<Condition, 'lastTransitionTime' | 'lastUpdateTime'>, nowIso: string): void {
  const list = (status.conditions ??= []);
  const i = list.findIndex((x) => x.type === c.type);
  if (i < 0) {
    list.push({ ...c, lastTransitionTime: nowIso, lastUpdateTime: nowIso });
    return;
  }
  const old = list[i];
  if (old.status === c.status && old.reason === c.reason && old.message === c.message) return;
  list[i] = { ...c, lastTransitionTime: old.status === c.status ? old.lastTransitionTime : nowIso, lastUpdateTime: nowIso };
}

export function getRolloutCondition(status: { conditions?: Condition[] } | undefined, type: string): Condition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** durationSeconds reads a pause duration: a bare number is seconds; "10s", "10m", "10h" (Argo's DurationString). */
export function durationSeconds(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+)(s|m|h)?$/.exec(v.trim());
  if (!m) return undefined;
  const n = parseInt(m[1], 10);
  return m[2] === 'h' ? n * 3600 : m[2] === 'm' ? n * 60 : n;
}

/** timeMs parses an RFC 3339 time (NaN when unreadable). */
export function timeMs(s: unknown): number {
  if (typeof s !== 'string') return NaN;
  try {
    return parseIsoTime(s);
  } catch {
    return NaN;
  }
}

/** canaryStepString is rolloututil.CanaryStepString, used in step events. */
export function canaryStepString(step: any): string {
  if (!isObj(step)) return 'invalid';
  if (typeof step.setWeight === 'number') return `setWeight: ${step.setWeight}`;
  if (isObj(step.pause)) {
    if (step.pause.duration === undefined) return 'pause';
    const s = durationSeconds(step.pause.duration);
    return `pause: ${s === undefined ? String(step.pause.duration) : goDuration(s)}`;
  }
  if (step.experiment) return 'experiment';
  if (step.analysis) return 'analysis';
  if (isObj(step.setCanaryScale)) {
    const s = step.setCanaryScale;
    if (typeof s.weight === 'number') return `setCanaryScale{weight: ${s.weight}}`;
    if (s.matchTrafficWeight) return 'setCanaryScale{matchTrafficWeight: true}';
    if (typeof s.replicas === 'number') return `setCanaryScale{replicas: ${s.replicas}}`;
  }
  return 'invalid';
}

/** goDuration prints seconds as Go's time.Duration.String: 90 → "1m30s", 3600 → "1h0m0s". */
export function goDuration(sec: number): string {
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = sec % 60;
  if (h) return `${h}h${m}m${s}s`;
  if (m) return `${m}m${s}s`;
  return `${s}s`;
}
