/**
 * The active lesson and the learner's progress. Progress (the step reached and the steps whose
 * check passed) is saved in localStorage per lesson, so a reload or a later visit continues there.
 */
import { create } from 'zustand';
import type { Lesson } from '../../engine/scenario/lesson.ts';

export interface LessonProgress {
  step: number;
  passed: number[];
}

export interface LessonState {
  /** file is the lesson's scenario file name (`pods-self-healing.yaml`); undefined: no lesson loaded. */
  file?: string;
  lesson?: Lesson;
  progress: LessonProgress;
}

export const useLesson = create<LessonState>(() => ({ progress: { step: 0, passed: [] } }));

const key = (file: string) => `kubeplay.lesson.${file}`;

function readProgress(file: string, steps: number): LessonProgress {
  try {
    const raw = localStorage.getItem(key(file));
    const p = raw ? (JSON.parse(raw) as LessonProgress) : undefined;
    if (p && Number.isInteger(p.step) && Array.isArray(p.passed)) {
      return { step: Math.min(Math.max(0, p.step), steps - 1), passed: p.passed.filter((n) => Number.isInteger(n) && n >= 0 && n < steps) };
    }
  } catch {
    /* unreadable progress starts over */
  }
  return { step: 0, passed: [] };
}

/** saveProgress stores progress; returns an error message when storage refuses (shown by the panel). */
export function saveProgress(file: string, p: LessonProgress): string | undefined {
  try {
    localStorage.setItem(key(file), JSON.stringify(p));
    return undefined;
  } catch (e) {
    return `lesson progress was not saved: ${(e as Error).name === 'QuotaExceededError' ? 'browser storage is full' : (e as Error).message}`;
  }
}

/** setActiveLesson is called whenever a scenario loads: a lesson opens its panel; anything else closes it. */
export function setActiveLesson(file: string, lesson: Lesson | undefined): void {
  if (!lesson || lesson.steps.length === 0) {
    useLesson.setState({ file: undefined, lesson: undefined, progress: { step: 0, passed: [] } });
    return;
  }
  useLesson.setState({ file, lesson, progress: readProgress(file, lesson.steps.length) });
}

/** restartLesson sends the active lesson back to its first step (it was loaded afresh, with a new cluster). */
export function restartLesson(): string | undefined {
  return updateProgress(() => ({ step: 0, passed: [] }));
}

/** updateProgress changes and saves the progress of the active lesson. */
export function updateProgress(fn: (p: LessonProgress) => LessonProgress): string | undefined {
  const s = useLesson.getState();
  if (!s.file || !s.lesson) return undefined;
  const progress = fn(s.progress);
  useLesson.setState({ progress });
  return saveProgress(s.file, progress);
}
