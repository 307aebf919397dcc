import type { Diagnostic, StepResult } from './types.ts';
import { formatDiagnostic } from './types.ts';
import { stillWatching } from '../kubectl/watching.ts';

/**
 * formatStepText renders a step for people, as a terminal transcript: a header with the simulated
 * time and the command, then the output exactly as the terminal shows it. Steps after the first are
 * separated by a blank line.
 *
 *   [  30.0s] $ kubectl set image deployment/web web=nginx:1.26
 *   deployment.apps/web image updated
 */
export function formatStepText(step: StepResult, index: number): string {
  const header = `[${step.t.toFixed(1).padStart(6)}s] $ ${step.cmd}\n`;
  const out = step.out === '' || step.out.endsWith('\n') ? step.out : `${step.out}\n`;
  return `${index > 0 ? '\n' : ''}${header}${out}`;
}

/** formatStepJson renders a step as one JSON line: {"t":30,"cmd":"…","exit":0,"out":"…"}. */
export function formatStepJson(step: StepResult): string {
  // A status command still watching when its step ran says so (its exit is kubectl waiting, not a failure).
  const watching = stillWatching(step.cmd, step) ? { watching: true } : {};
  return `${JSON.stringify({ t: step.t, cmd: step.cmd, exit: step.exit, out: step.out, ...watching })}\n`;
}

/** formatErrors renders diagnostics one per line, for standard error. */
export function formatErrors(errors: readonly Diagnostic[]): string {
  return errors.map((d) => `${formatDiagnostic(d)}\n`).join('');
}
