/**
 * LessonPanel shows the active lesson's current step: its text (safe markdown), the commands it
 * offers to run, a Check button that runs the step's check against the cluster, a hint, and
 * Continue once the check has passed. Progress is saved per lesson.
 */
import { useEffect, useRef, useState } from 'react';
import { runLessonCheck, type CheckOutcome } from '../../engine/scenario/lessoncheck.ts';
import { runLine } from '../terminal/run.ts';
import { READ_ONLY_TITLE, runUnrecorded, useMayRun } from '../share/pageShare.ts';
import { Markdown } from './Markdown.tsx';
import { useOverlayBox } from '../graph/useOverlayBox.ts';
import { parseMarkdown, runLinesIn, withRunBlocks } from './markdown.ts';
import { updateProgress, useLesson } from './lessonStore.ts';
import { useUi } from '../state/ui.ts';
import { useCluster } from '../state/cluster.ts';
import { releaseMouseFocus } from '../shortcuts.ts';
import { builtinCatalog, loadEntry } from '../library/ScenarioPicker.tsx';

/** RECHECK_MS: after a failed check, the check runs again each time this much simulated time has passed. */
const RECHECK_MS = 2000;

export function LessonPanel() {
  const { file, lesson, progress } = useLesson();
  const [outcome, setOutcome] = useState<CheckOutcome | undefined>();
  const [checking, setChecking] = useState(false);
  const [hint, setHint] = useState(false);
  const [storageError, setStorageError] = useState<string | undefined>();
  const mayRun = useMayRun();
  // Folded to one line, the card leaves the whole graph to the room (a teacher shows what it says).
  const [folded, setFolded] = useState(false);
  // The card's size, for the graph to fit beside or below it (ClusterGraph's AutoFit).
  const card = useRef<HTMLElement>(null);
  useOverlayBox(card, lesson);
  const check = async (quiet = false) => {
    const current = lesson?.steps[progress.step];
    if (!current?.check) return;
    const at = progress.step;
    if (!quiet) setChecking(true);
    try {
      const o = await runLessonCheck(current.check, (line) => runUnrecorded(line));
      // A check that finishes after the learner moved on says nothing about the new step.
      if (useLesson.getState().progress.step !== at) return;
      setOutcome(o);
      if (o.pass) setStorageError(updateProgress((p) => ({ ...p, passed: p.passed.includes(at) ? p.passed : [...p.passed, at] })));
    } finally {
      if (!quiet) setChecking(false);
    }
  };
  // After a failed check the step keeps checking as the cluster runs (every RECHECK_MS of simulated time),
  // so "✗ readyReplicas is 0" turns into ✓ when the pods come up, without another click.
  const tick = useCluster((s) => Math.floor(s.clock.t / RECHECK_MS));
  const failed = outcome !== undefined && !outcome.pass;
  useEffect(() => {
    if (failed && !checking) void check(true);
    // (check is recreated each render: the tick and the failed outcome are what start a recheck)
  }, [tick, failed]);
  if (!file || !lesson) return null;
  const i = progress.step;
  const step = lesson.steps[i];
  const passed = progress.passed.includes(i) || !step.check;
  const last = i === lesson.steps.length - 1;

  // The step's commands are buttons where its text shows them; any it does not show come after the text.
  const blocks = withRunBlocks(parseMarkdown(step.text), step.run);
  const inline = runLinesIn(blocks);
  const rest = step.run.filter((l) => !inline.has(l));
  const runButton = (line: string, key: number) => (
    <button key={key} type="button" className="btn" disabled={!mayRun(line)} onClick={() => {
        // The command's output is in the Terminal: show it there.
        useUi.getState().setTab('terminal');
        // On a projector's small screen the card leaves the graph too little room to watch what the
        // step's last command does: it folds to its title and the step's Check and Continue (see crowded).
        if (line === step.run[step.run.length - 1] && crowded(card.current)) setFolded(true);
        void runLine(line);
      }}
      title={mayRun(line) ? 'Run this command in the terminal' : READ_ONLY_TITLE} data-testid="lesson-run">
      ▶ <code>{line}</code>
    </button>
  );

  const go = (to: number) => {
    setOutcome(undefined);
    setHint(false);
    setFolded(false);
    setStorageError(updateProgress((p) => ({ ...p, step: to })));
  };

  const checkButton = step.check && (
    <button type="button" className="btn" onClick={() => void check()} disabled={checking} data-testid="lesson-check">
      {checking ? 'Checking…' : 'Check'}
    </button>
  );
  const continueButton =
    last && passed ? (
      <span className="kp-ok kp-lesson-done" role="status" data-testid="lesson-continue">
        Done ✓
      </span>
    ) : (
      <button type="button" className="btn btn-primary" disabled={!passed || last} onClick={() => go(i + 1)} data-testid="lesson-continue" title={passed ? undefined : 'Check the step first: Continue opens once the check passes'}>
        {last ? 'Last step' : 'Continue'}
      </button>
    );
  const outcomeLine = outcome && (
    <p className={outcome.pass ? 'kp-ok' : 'kp-fail'} role="status" data-testid="lesson-outcome">
      {outcome.pass ? '✓ ' : '✗ '}
      {outcome.message}
    </p>
  );

  return (
    <section ref={card} className={`kp-lesson${folded ? ' kp-lesson-folded' : ''}`} aria-label="Lesson" data-testid="lesson-panel" onClick={releaseMouseFocus}>
      <header>
        <span className="kp-lesson-progress" data-testid="lesson-progress">
          Step {i + 1} of {lesson.steps.length}
        </span>
        <button type="button" className="btn btn-ghost kp-lesson-fold" onClick={() => setFolded((f) => !f)} aria-expanded={!folded} title={folded ? 'Show the lesson step' : 'Fold the lesson to one line'}>
          {folded ? 'Show' : 'Fold'}
        </button>
        <h2>{step.title}</h2>
      </header>
      {folded && (
        <>
          <div className="kp-lesson-actions kp-lesson-bar">
            {checkButton}
            {continueButton}
          </div>
          {outcomeLine}
          {last && passed && <Finished file={file} steps={lesson.steps.length} />}
        </>
      )}
      {!folded && (
        <>
          <Markdown blocks={blocks} runButton={runButton} />
          {rest.length > 0 && <div className="kp-lesson-run">{rest.map(runButton)}</div>}
          <div className="kp-lesson-actions">
            <button type="button" className="btn" disabled={i === 0} onClick={() => go(i - 1)}>
              Back
            </button>
            {checkButton}
            {step.hint && (
              <button type="button" className="btn btn-ghost" onClick={() => setHint((h) => !h)} aria-expanded={hint}>
                Hint
              </button>
            )}
            {continueButton}
          </div>
          {!passed && !outcome && !checking && <p className="kp-lesson-next">Press Check when you have done it: Continue opens once the check passes.</p>}
          {last && passed && <Finished file={file} steps={lesson.steps.length} />}
          {outcomeLine}
          {hint && step.hint && (
            <div className="kp-lesson-hint">
              <Markdown text={step.hint} />
            </div>
          )}
          {storageError && <p className="kp-fail">{storageError}</p>}
        </>
      )}
    </section>
  );
}

/**
 * crowded: the card covers more than CROWDED of the graph in Presenter mode (a projector's 1024×768:
 * 640×330 px of a 740×550 px graph), where the drawing is fitted small beside or below it.
 */
const CROWDED = 0.3;
function crowded(card: HTMLElement | null): boolean {
  const graph = document.querySelector('[data-testid="graph"]')?.getBoundingClientRect();
  const c = card?.getBoundingClientRect();
  return useUi.getState().presenter && !!c && !!graph && c.width * c.height > CROWDED * graph.width * graph.height;
}

/**
 * Finished closes a lesson: it says so, and offers the library's next lesson (lessons in the library's
 * order: by level, then title), so a learner goes on without hunting for it.
 */
function Finished({ file, steps }: { file: string; steps: number }) {
  const lessons = builtinCatalog().filter((e) => e.lesson);
  const next = lessons[lessons.findIndex((e) => e.file === file) + 1];
  return (
    <div className="kp-lesson-finished" role="status" data-testid="lesson-finished">
      <p>
        <strong>Lesson complete.</strong> All {steps} steps are done; the cluster is yours to keep exploring.
      </p>
      {next && (
        <button type="button" className="btn btn-primary" onClick={() => void loadEntry(next)} data-testid="lesson-next">
          Next: {next.title}
        </button>
      )}
    </div>
  );
}
