/**
 * argo.ts: what the Rollout tab shows for an Argo Rollout, computed from the page's objects: the
 * strategy, the canary steps (done, current, to come), the set weight against the weight measured
 * from the traffic the pods served, the ReplicaSets by revision with their stable/canary/active/preview
 * tags, the AnalysisRuns with their measurements, and the plugin commands the buttons send.
 */
import type { KubeObject, Pod, ReplicaSet } from '../../engine/api/types.ts';
import { canaryStepString, durationSeconds, HASH_LABEL, revisionOf } from '../../engine/controllers/rollout/util.ts';
import { humanDuration, parseIsoTime } from '../../engine/clock.ts';
import { currentSetWeight } from '../../engine/controllers/rollout/replicaset.ts';
import type { TrafficView } from '../../worker/protocol.ts';
import { action, type Action } from './actions.ts';
import { scaleDownNote } from './scaleDown.ts';

export type StepState = 'done' | 'current' | 'pending';

export interface StepRow {
  index: number;
  text: string;
  state: StepState;
  /** left: for the current timed pause, how long until it ends on its own ("12s") */
  left?: string;
}

export interface RSRow {
  name: string;
  hash: string;
  revision: number;
  tags: string[];
  images: string[];
  replicas: number;
  ready: number;
  available: number;
  /** note: an old ReplicaSet kept for its scaleDownDelaySeconds: "scale-down in 25s" */
  note?: string;
}

export interface MeasurementRow {
  /** value: as measured (the title); short: numbers rounded to 3 decimals for the chip */
  value: string;
  short: string;
  phase: string;
  at?: string;
  message?: string;
}

export interface MetricRow {
  name: string;
  phase: string;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
  message?: string;
  measurements: MeasurementRow[];
}

export interface RunRow {
  name: string;
  phase: string;
  revision: number;
  message?: string;
  metrics: MetricRow[];
}

export interface Weights {
  /** set: the weight the current step sets (Argo's SetWeight) */
  set: number;
  /** routed: the weight the traffic router was told (status.canary.weights), traffic routing only */
  routed?: number;
  /** measured: the canary's share (percent) of the requests the canary and stable pods served */
  measured?: number;
  /** rps served by canary and stable pods */
  canaryRps: number;
  stableRps: number;
  /** the canary's and the stable's pod-template-hash (their revision colours) */
  canaryHash?: string;
  stableHash?: string;
  /** settled: no canary in progress (the current revision is the stable one); stableRps is then all of it */
  settled?: boolean;
}

export interface RolloutView {
  name: string;
  namespace: string;
  strategy: 'Canary' | 'BlueGreen' | 'unknown';
  /** router: the traffic router in use (nginx, istio …) or undefined for a replica-count canary */
  router?: string;
  phase: string;
  message: string;
  paused: boolean;
  aborted: boolean;
  steps: StepRow[];
  /** stepLabel: "1/4" as the plugin prints Step */
  stepLabel?: string;
  /**
   * firstRevision: the Rollout's first revision, whose canary steps were skipped: with no stable version
   * yet, Argo Rollouts scales it straight to 100% (the steps run from the next update on).
   */
  firstRevision: boolean;
  weights?: Weights;
  replicaSets: RSRow[];
  runs: RunRow[];
  actions: Action[];
}

const MAX_MEASUREMENTS = 8;
const MAX_RUNS = 6;

const round3 = (x: number) => String(Math.round(x * 1000) / 1000);

/** shortValue rounds a measurement's numbers to 3 decimals: "[0.7258982279304178]" → "[0.726]"; other text as is. */
export function shortValue(v: string): string {
  const t = v.trim();
  if (t !== '' && Number.isFinite(Number(t))) return round3(Number(t));
  if (/^\[[-+0-9.eE,\s]*\]$/.test(t)) {
    const parts = t.slice(1, -1).split(',').map((p) => p.trim()).filter((p) => p !== '');
    if (parts.every((p) => Number.isFinite(Number(p)))) return `[${parts.map((p) => round3(Number(p))).join(', ')}]`;
  }
  return v;
}

/** measuredWeights sums the rps the canary's and the stable's pods served (TrafficView.pods). */
export function measuredWeights(pods: readonly Pod[], canaryHash: string | undefined, stableHash: string | undefined, traffic: TrafficView | undefined): { canaryRps: number; stableRps: number; measured?: number; settled: boolean } {
  let canaryRps = 0;
  let stableRps = 0;
  // Between updates the current revision is the stable one: there is no canary share to measure.
  const settled = !canaryHash || canaryHash === stableHash;
  if (traffic) {
    for (const p of pods) {
      const h = p.metadata.labels?.[HASH_LABEL];
      if (!h || (h !== canaryHash && h !== stableHash)) continue;
      const rps = traffic.pods[`${p.metadata.namespace ?? 'default'}/${p.metadata.name}`]?.rps ?? 0;
      if (!settled && h === canaryHash) canaryRps += rps;
      else stableRps += rps;
    }
  }
  const total = canaryRps + stableRps;
  return { canaryRps, stableRps, measured: !settled && total > 0 ? Math.round((canaryRps * 1000) / total) / 10 : undefined, settled };
}

/** rolloutView builds the tab's model. replicaSets, runs and pods may include others' objects: they are filtered by owner. */
export function rolloutView(ro: KubeObject, replicaSets: readonly ReplicaSet[], runs: readonly KubeObject[], pods: readonly Pod[], traffic: TrafficView | undefined, now?: number): RolloutView {
  const uid = ro.metadata.uid;
  const ns = ro.metadata.namespace ?? 'default';
  const name = ro.metadata.name;
  const st = ro.status ?? {};
  const spec = ro.spec ?? {};
  const canary = spec.strategy?.canary;
  const bg = spec.strategy?.blueGreen;
  const strategy = canary ? 'Canary' : bg ? 'BlueGreen' : 'unknown';
  const owned = (o: KubeObject) => !!o.metadata.ownerReferences?.some((r) => r.controller && r.uid === uid);
  const rss = replicaSets.filter((rs) => owned(rs) && !rs.metadata.deletionTimestamp);

  // Steps: steps before currentStepIndex are done; the one at it is current (all done past the end).
  const stepsSpec: unknown[] = Array.isArray(canary?.steps) ? canary.steps : [];
  const idx: number = typeof st.currentStepIndex === 'number' ? st.currentStepIndex : 0;
  const updating = !!st.currentPodHash && st.currentPodHash !== st.stableRS;
  const steps: StepRow[] = stepsSpec.map((s, i) => ({
    index: i,
    text: canaryStepString(s),
    state: i < idx ? 'done' : i === idx && updating && !st.abort ? 'current' : 'pending',
  }));
  // A timed pause ends on its own: how long is left of it (its pause condition's start + the duration).
  const cur = steps[idx];
  const pauseCond = Array.isArray(st.pauseConditions) ? st.pauseConditions.find((c: { reason?: string }) => c.reason === 'CanaryPauseStep') : undefined;
  const secs = durationSeconds((stepsSpec[idx] as { pause?: { duration?: unknown } } | undefined)?.pause?.duration);
  if (cur?.state === 'current' && now !== undefined && secs !== undefined && pauseCond?.startTime && !spec.paused) {
    cur.left = humanDuration(Math.max(0, parseIsoTime(pauseCond.startTime) + secs * 1000 - now));
  }

  const stableHash: string | undefined = st.stableRS;
  const canaryHash: string | undefined = st.currentPodHash;
  let weights: Weights | undefined;
  let router: string | undefined;
  if (canary) {
    const tr = canary.trafficRouting;
    router = tr && typeof tr === 'object' ? Object.keys(tr).filter((k) => k !== 'managedRoutes')[0] : undefined;
    const m = measuredWeights(pods, canaryHash, stableHash, traffic);
    const routed = st.canary?.weights?.canary?.weight;
    weights = { set: currentSetWeight(ro), routed: typeof routed === 'number' ? routed : undefined, ...m, canaryHash, stableHash };
  }

  const rows: RSRow[] = rss.map((rs) => {
    const h = rs.metadata.labels?.[HASH_LABEL] ?? '';
    const tags: string[] = [];
    if (h && h === stableHash) tags.push('stable');
    if (canary && h && h === canaryHash && h !== stableHash) tags.push('canary');
    if (bg && h && st.blueGreen?.activeSelector === h) tags.push('active');
    else if (bg && h && st.blueGreen?.previewSelector === h) tags.push('preview');
    // An old ReplicaSet waits out its scaleDownDelaySeconds before it is scaled down (the plugin's delay:30s).
    const note = now !== undefined ? scaleDownNote(rs, now) : undefined;
    return {
      ...(note ? { note } : {}),
      name: rs.metadata.name,
      hash: h,
      revision: revisionOf(rs),
      tags,
      images: (rs.spec.template?.spec?.containers ?? []).map((c) => c.image),
      replicas: rs.spec.replicas ?? 0,
      ready: rs.status?.readyReplicas ?? 0,
      available: rs.status?.availableReplicas ?? 0,
    };
  });
  rows.sort((a, b) => b.revision - a.revision || a.name.localeCompare(b.name));

  const runRows: RunRow[] = runs
    .filter(owned)
    .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || b.metadata.name.localeCompare(a.metadata.name))
    .slice(0, MAX_RUNS)
    .map((r) => ({
      name: r.metadata.name,
      phase: r.status?.phase ?? 'Pending',
      revision: revisionOf(r),
      message: r.status?.message,
      metrics: (Array.isArray(r.status?.metricResults) ? r.status.metricResults : []).map((m: any) => ({
        name: String(m.name ?? ''),
        phase: String(m.phase ?? ''),
        successful: m.successful ?? 0,
        failed: m.failed ?? 0,
        inconclusive: m.inconclusive ?? 0,
        error: m.error ?? 0,
        message: m.message,
        measurements: (Array.isArray(m.measurements) ? m.measurements : []).slice(-MAX_MEASUREMENTS).map((x: any) => ({
          value: x.value === undefined ? '' : String(x.value),
          short: shortValue(x.value === undefined ? '' : String(x.value)),
          phase: String(x.phase ?? ''),
          at: x.finishedAt ?? x.startedAt,
          message: x.message,
        })),
      })),
    }));

  const paused = !!spec.paused || (Array.isArray(st.pauseConditions) && st.pauseConditions.length > 0);
  return {
    name,
    namespace: ns,
    strategy,
    router,
    phase: st.phase ?? 'Progressing',
    message: st.message ?? '',
    paused,
    aborted: !!st.abort,
    steps,
    stepLabel: canary && stepsSpec.length > 0 && st.currentStepIndex !== undefined ? `${Math.min(idx, stepsSpec.length)}/${stepsSpec.length}` : undefined,
    firstRevision: !!canary && stepsSpec.length > 0 && !updating && idx >= stepsSpec.length && ro.metadata.annotations?.['rollout.argoproj.io/revision'] === '1',
    weights,
    replicaSets: rows,
    runs: runRows,
    actions: rolloutActions(ro, rows),
  };
}

/**
 * rolloutActions are the buttons: the `kubectl argo rollouts` commands (the plugin has no resume;
 * Resume clears spec.paused with kubectl patch, as Argo CD's resume action does), each enabled only
 * when it would do something, with the reason when not.
 */
export function rolloutActions(ro: KubeObject, rows: readonly RSRow[]): Action[] {
  const name = ro.metadata.name;
  const ns = ro.metadata.namespace ?? 'default';
  const st = ro.status ?? {};
  const spec = ro.spec ?? {};
  const canary = spec.strategy?.canary;
  const bg = spec.strategy?.blueGreen;
  const steps: unknown[] = Array.isArray(canary?.steps) ? canary.steps : [];
  const idx: number = typeof st.currentStepIndex === 'number' ? st.currentStepIndex : 0;
  const aborted = !!st.abort;
  const userPaused = !!spec.paused;
  const controllerPaused = Array.isArray(st.pauseConditions) && st.pauseConditions.length > 0;
  const updating = bg
    ? !!st.currentPodHash && st.blueGreen?.activeSelector !== st.currentPodHash
    : !!st.currentPodHash && st.currentPodHash !== st.stableRS;
  const stepLeft = !!canary && updating && idx < steps.length;
  const plugin = (verb: string, extra = '') => `kubectl argo rollouts ${verb} ${name} -n ${ns}${extra}`;
  const stableText = 'no update in progress: the current revision is the stable one';
  const abortedText = 'the rollout is aborted: Retry it first';

  const revisions = new Set(rows.map((r) => r.revision));
  const why = {
    promote: aborted ? abortedText : !(userPaused || controllerPaused || stepLeft) ? (updating ? 'not paused and no canary step left to skip' : stableText) : undefined,
    full: aborted ? abortedText : !updating ? stableText : undefined,
    abort: aborted ? 'already aborted' : !updating ? stableText : undefined,
    retry: aborted ? undefined : 'only an aborted rollout can be retried',
    pause: userPaused ? 'already paused (spec.paused is true)' : undefined,
    resume: userPaused ? undefined : controllerPaused ? 'paused by the controller at a pause step, not by a user: use Promote' : 'not paused',
    undo: revisions.size < 2 ? 'no earlier revision to go back to' : undefined,
  };
  return [
    action('promote', 'Promote', plugin('promote'), why.promote, controllerPaused ? 'clear the pause and go on to the next step' : 'skip the current step'),
    action('promote-full', 'Promote full', plugin('promote', ' --full'), why.full, 'skip every remaining step, analysis and pause'),
    action('abort', 'Abort', plugin('abort'), why.abort, 'send all traffic back to the stable ReplicaSet and scale the canary down'),
    action('retry', 'Retry', `kubectl argo rollouts retry rollout ${name} -n ${ns}`, why.retry, 'clear the abort and start the update over'),
    action('pause', 'Pause', plugin('pause'), why.pause, 'set spec.paused: the controller stops at the current step'),
    action('resume', 'Resume', `kubectl patch rollout ${name} -n ${ns} --type merge -p '{"spec":{"paused":false}}'`, why.resume, 'clear spec.paused (the plugin has no resume)'),
    action('undo', 'Undo', plugin('undo'), why.undo, 'roll back to the previous revision’s template'),
  ];
}
