/**
 * markers: the ticks on the scrubber (TimeMarker) for one branch of a session's history: user actions
 * and timeline steps (always), and the important events (a rollout starting or finishing, a node
 * failing, a workload's first FailedScheduling or CrashLoopBackOff …) as the clock first reaches them.
 * Replays after a rewind find theirs already there; the page gets only what changed (take).
 */
import type { Deployment, EventObject } from '../engine/api/types.ts';
import { APPLY_STEP_COMMAND } from '../engine/scenario/index.ts';
import type { TimeMarker } from './protocol.ts';

/** MAX_MARKERS bounds the event markers (user actions and timeline steps are always marked). */
export const MAX_MARKERS = 400;
/** REMARK_MS: the same kind of event on the same workload is marked again only after a quiet minute. */
const REMARK_MS = 60_000;
/** MARKED_REASONS are the Event reasons that earn a marker on the scrubber. */
const MARKED_REASONS = new Set(['NodeNotReady', 'FailedScheduling', 'BackOff', 'FailedCreate', 'RolloutUpdated', 'RolloutCompleted', 'RolloutPaused', 'RolloutAborted', 'AnalysisRunFailed', 'SuccessfulRescale', 'TaintManagerEviction']);

type MarkerWithKey = TimeMarker & { key: string };

function revisionOf(d: Deployment): number {
  return Number(d.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0) || 0;
}

function progressingReason(d: Deployment): string | undefined {
  return d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason;
}

/** rolling: a Deployment past its first revision whose rollout has not completed. */
function rolling(d: Deployment): boolean {
  const r = progressingReason(d);
  return revisionOf(d) > 1 && r !== 'NewReplicaSetAvailable' && r !== 'ProgressDeadlineExceeded';
}

/** applySummary is an applied manifest's marker text: `kubectl apply -f -` and what it holds. */
export function applySummary(text: string): string {
  const kinds = [...text.matchAll(/^kind:\s*(\S+)/gm)].map((m) => m[1]);
  const names = [...text.matchAll(/^ {2}name:\s*(\S+)/gm)].map((m) => m[1]);
  const parts = kinds.slice(0, 3).map((k, i) => `${k.toLowerCase()}${names[i] ? `/${names[i]}` : ''}`);
  return `${APPLY_STEP_COMMAND}${parts.length ? ` (${parts.join(', ')}${kinds.length > 3 ? ', …' : ''})` : ''}`;
}

/** ScrubberMarkers holds a branch's markers, in time order, and what the page has of them. */
export class ScrubberMarkers {
  private markers: TimeMarker[] = [];
  private markerKeys = new Set<string>();
  private markerLast = new Map<string, number>();
  /** markersKeep: how many markers the page still holds correctly; markersSent: how many it holds */
  private markersKeep = 0;
  private markersSent = -1;
  /** deployments: each Deployment's revision and whether a rollout is under way (for markers) */
  private deployments = new Map<string, { rev: number; rolling: boolean }>();

  /** clear drops every marker (a new history): the page's are replaced by the next take. */
  clear(): void {
    this.markers = [];
    this.markerKeys.clear();
    this.markerLast.clear();
    this.markersKeep = 0;
    this.markersSent = -1;
  }

  /** trackDeployments starts from these Deployments' revisions and rollouts (a cluster just attached). */
  trackDeployments(deployments: readonly Deployment[]): void {
    this.deployments.clear();
    for (const d of deployments) this.deployments.set(d.metadata.uid ?? '', { rev: revisionOf(d), rolling: rolling(d) });
  }

  /** truncateAfter drops the markers after t (a new branch from t). */
  truncateAfter(t: number): void {
    let n = this.markers.length;
    while (n > 0 && this.markers[n - 1].t > t) n--;
    if (n < this.markers.length) {
      this.markers.length = n;
      this.markersKeep = Math.min(this.markersKeep, n);
      // The dedup keys are rebuilt from what is left (markers are few).
      this.markerKeys.clear();
      this.markerLast.clear();
      for (const m of this.markers) {
        const key = (m as MarkerWithKey).key;
        this.markerKeys.add(`${m.t}|${key}`);
        this.markerLast.set(key, m.t);
      }
    }
  }

  /** take returns the marker update for the page, or undefined when nothing changed. */
  take(): { keep: number; add: TimeMarker[] } | undefined {
    if (this.markersKeep === this.markers.length && this.markersSent === this.markers.length) return undefined;
    const keep = Math.max(0, this.markersKeep);
    const add = this.markers.slice(keep).map(({ t, kind, text, warning, note }): TimeMarker => ({ t, kind, text, ...(warning ? { warning } : {}), ...(note ? { note } : {}) }));
    this.markersKeep = this.markersSent = this.markers.length;
    return { keep, add };
  }

  /**
   * add adds a marker while the clock extends the branch (replays after a rewind find theirs
   * already there: the same time and key). Event markers repeat only after REMARK_MS of quiet.
   */
  add(m: TimeMarker, key: string): void {
    const k = `${m.t}|${key}`;
    if (this.markerKeys.has(k)) return;
    if (m.kind === 'event') {
      const last = this.markerLast.get(key);
      if (last !== undefined && m.t >= last && m.t - last < REMARK_MS) return;
      if (this.markers.length >= MAX_MARKERS) return;
    }
    this.markerKeys.add(k);
    this.markerLast.set(key, m.t);
    this.markers.push(Object.assign(m, { key }) as MarkerWithKey);
  }

  /** event marks an Event recorded at now with one of MARKED_REASONS, unless the branch already reached now (end). */
  event(ev: EventObject, now: number, end: number): void {
    if (!MARKED_REASONS.has(ev.reason ?? '') || now < end) return;
    const io = ev.involvedObject;
    // Pods of one ReplicaSet share a marker: their names are "<replicaset>-<5 chars>".
    const group = io.kind === 'Pod' ? io.name.replace(/-[a-z0-9]{5}$/, '') : io.name;
    const reason = ev.reason === 'BackOff' && ev.message?.startsWith('Back-off restarting') ? 'CrashLoopBackOff' : ev.reason;
    const text = `${reason}: ${io.kind.toLowerCase()}/${io.name}${ev.message ? ` — ${ev.message.length > 120 ? `${ev.message.slice(0, 117)}…` : ev.message}` : ''}`;
    this.add({ t: now, kind: 'event', text, ...(ev.type === 'Warning' ? { warning: true } : {}) }, `${reason}|${io.kind}|${io.namespace ?? ''}/${group}`);
  }

  /** deployment marks a Deployment's rollout starting (a new revision) and finishing (or stalling), written at now. */
  deployment(d: Deployment, now: number, end: number): void {
    const uid = d.metadata.uid ?? '';
    const rev = revisionOf(d);
    const prev = this.deployments.get(uid);
    const name = `deployment/${d.metadata.name}`;
    const st = prev ?? { rev, rolling: false };
    if (prev && rev > prev.rev && rev > 1) {
      st.rolling = true;
      if (now >= end) this.add({ t: now, kind: 'event', text: `Rollout started: ${name} (revision ${rev})` }, `rollout|${uid}|${rev}`);
    }
    st.rev = rev;
    const reason = progressingReason(d);
    if (st.rolling && (reason === 'NewReplicaSetAvailable' || reason === 'ProgressDeadlineExceeded')) {
      st.rolling = false;
      const done = reason === 'NewReplicaSetAvailable';
      if (now >= end) {
        this.add({ t: now, kind: 'event', text: done ? `Rollout finished: ${name} (revision ${rev})` : `Rollout stalled: ${name} (ProgressDeadlineExceeded)`, ...(done ? {} : { warning: true }) }, `rollout-end|${uid}|${rev}`);
      }
    }
    this.deployments.set(uid, st);
  }
}
