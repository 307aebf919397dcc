/** runPipeline runs a terminal line with pipes (see pipeline.ts). */
import { runScript } from '../kubelet/shell/run.ts';
import type { ShellHost } from '../kubelet/shell/proc.ts';
import { FILTERS, pipelineProblem } from './pipeline.ts';
import { quoteArg } from './tokenize.ts';

/**
 * runPipeline runs the first command with run, and the filters on its output. A command that fails
 * printed its error on stderr, which no pipe carries: it shows, and the filters read nothing (as do
 * kubectl's "No resources found" lines, stderr too). The pipeline's status is the last filter's.
 */
export function runPipeline(stages: string[], run: (line: string) => { exit: number; out: string }, startMs: number): { exit: number; out: string } {
  const problem = pipelineProblem(stages);
  if (problem) return { exit: problem.startsWith('kubeplay: syntax') ? 2 : 127, out: problem + '\n' };
  const first = run(stages[0].trim());
  let stderr = '';
  let stdin = first.out;
  if (first.exit !== 0) {
    stderr = first.out;
    stdin = '';
  } else if (/^No resources found/.test(stdin)) {
    stderr = stdin.match(/^No resources found.*\n?/)![0];
    stdin = stdin.slice(stderr.length);
  }
  const host: ShellHost = {
    env: [],
    startMs,
    hostname: 'kubeplay',
    has: (program) => FILTERS.includes(program),
    // xargs runs kubectl lines as if they were typed: `… -o name | xargs kubectl delete` is `kubectl delete pod/a pod/b`.
    kubectl: (argv) => run(argv.map(quoteArg).join(' ')),
  };
  const outcome = runScript(stages.slice(1).join('|'), host, { stdin });
  const out = outcome.lines.map((l) => `${l.text}\n`).join('');
  if (outcome.kind === 'unknown') return { exit: 1, out: `${stderr}${out}kubeplay: "${outcome.program}" is not simulated\n` };
  if (outcome.kind !== 'exited') return { exit: 1, out: `${stderr}${out}kubeplay: the pipeline did not finish\n` };
  return { exit: outcome.code, out: stderr + out };
}
