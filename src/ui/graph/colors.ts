/**
 * Colours the graph uses for meaning: a revision colour per pod-template-hash (so old and new pods of a
 * rollout differ at a glance) and a tone per STATUS string.
 */
import { hashString } from '../../engine/rng.ts';

/** REVISION_COLORS are distinguishable in light and dark themes and by most colour-blind viewers. */
const REVISION_COLORS = ['#3b82f6', '#f59e0b', '#10b981', '#a855f7', '#ef4444', '#06b6d4', '#ec4899', '#84cc16'];

/** revisionColor picks a colour for a revision key (pod-template-hash, or the owner's name). */
export function revisionColor(key: string | undefined): string {
  if (!key) return '#94a3b8';
  return REVISION_COLORS[hashString(key) % REVISION_COLORS.length];
}

export type StatusTone = 'ok' | 'progress' | 'bad' | 'ending' | 'done';

const PROGRESS = new Set(['Pending', 'ContainerCreating', 'PodInitializing', 'NotReady']);
const DONE = new Set(['Completed', 'Succeeded']);

/** statusTone classifies a pod's STATUS string (as kubectl prints it) for colouring. */
export function statusTone(status: string, ready: boolean): StatusTone {
  if (status === 'Terminating') return 'ending';
  if (DONE.has(status)) return 'done';
  if (status === 'Running') return ready ? 'ok' : 'progress';
  if (PROGRESS.has(status) || status.startsWith('Init:') && /^Init:\d+\/\d+$/.test(status)) return 'progress';
  return 'bad';
}
