/**
 * indexed.ts: Indexed completion mode helpers (pkg/controller/job/indexed_job_utils.go).
 */
import type { Pod } from '../../api/types.ts';

export const COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';

/** getCompletionIndex reads the pod's completion index annotation (−1 when absent or invalid). */
export function getCompletionIndex(pod: Pod): number {
  const v = pod.metadata.annotations?.[COMPLETION_INDEX_ANNOTATION] ?? pod.metadata.labels?.[COMPLETION_INDEX_ANNOTATION];
  if (v === undefined || !/^\d+$/.test(v)) return -1;
  return parseInt(v, 10);
}

/** formatIndexes is orderedIntervals.String: sorted indexes as "1,3-5,7". */
export function formatIndexes(indexes: number[]): string {
  const s = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) j++;
    parts.push(i === j ? String(s[i]) : `${s[i]}-${s[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** parseIndexes reads a completedIndexes string back (invalid parts ignored, bounded by completions). */
export function parseIndexes(s: string | undefined, completions: number): number[] {
  const out: number[] = [];
  for (const part of (s ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const a = parseInt(m[1], 10);
    const b = m[2] ? parseInt(m[2], 10) : a;
    for (let i = a; i <= b && i < completions; i++) out.push(i);
  }
  return out;
}

/** podGenerateNameWithIndex is `<job>-<index>-`, the job name cut so the prefix fits 58 characters. */
export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const appendix = `-${index}-`;
  const max = 58; // MaxGeneratedNameLength: 63 − 5 random characters
  const prefix = jobName + appendix;
  return prefix.length > max ? jobName.slice(0, max - appendix.length) + appendix : prefix;
}
