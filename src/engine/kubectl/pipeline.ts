/**
 * A terminal line with pipes: `kubectl get pods | grep web | wc -l`, `kubectl logs web | tail -n 5`,
 * `kubectl get secret db -o jsonpath={.data.password} | base64 -d`. The first command runs as any line
 * does; its output is the standard input of the rest, which the simulated shell runs with busybox's
 * text filters (kubelet/shell/text.ts, sed.ts, tr.ts) and xargs, which runs kubectl lines as if typed
 * (`kubectl get pods -o name | xargs kubectl delete`). The terminal has no shell of its own: these are the
 * only commands a pipe may lead to, and `;`, `&&`, `||` and redirections stay refused (tokenize.ts). This file
 * splits and checks a line (the page's real-cluster export reads pipelines with it too); runpipeline.ts runs one.
 */
import { tokenize } from './tokenize.ts';
import { xargsOptions } from '../kubelet/shell/xargs.ts';

/** FILTERS: what a pipe in the terminal may lead to. */
export const FILTERS = ['grep', 'egrep', 'fgrep', 'wc', 'head', 'tail', 'sort', 'uniq', 'cut', 'awk', 'sed', 'tr', 'base64', 'cat', 'xargs'];

/**
 * splitPipeline splits a line at its pipes (`|` outside quotes, not `||`), or returns it whole. Quotes
 * and backslashes are only skipped over here: tokenize reads each part.
 */
export function splitPipeline(line: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\') i++;
    else if (ch === "'" || ch === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== ch) j += ch === '"' && line[j] === '\\' ? 2 : 1;
      i = j;
    } else if (ch === '|') {
      if (line[i + 1] === '|') return [line];
      parts.push(line.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(line.slice(start));
  return parts;
}

/** pipelineProblem is what the terminal refuses in a pipeline's filters (a word it cannot read, another command, an empty part). */
export function pipelineProblem(stages: string[]): string | undefined {
  for (const [i, stage] of stages.entries()) {
    const words = tokenize(stage.trim());
    if ('error' in words) return words.error;
    if (words.length === 0) return "kubeplay: syntax error near unexpected token `|'";
    if (i > 0 && !FILTERS.includes(words[0])) {
      return `kubeplay: the terminal pipes a command's output only into ${FILTERS.slice(0, -1).join(', ')} and ${FILTERS[FILTERS.length - 1]}, not "${words[0]}" (kubectl filters its own output with -l, --field-selector and -o jsonpath=… or custom-columns=…)`;
    }
  }
  return undefined;
}

/** XARGS_INPUT stands for the words xargs adds to the command it runs, in commandLines. */
export const XARGS_INPUT = '…';

/**
 * commandLines lists the command lines a terminal line runs: the line itself, or a pipeline's first command
 * and, for each xargs in it, the command xargs runs with XARGS_INPUT where its input goes (after the
 * command's words, or in place of each word holding -I's string). `kubectl get pods -o name | xargs
 * kubectl delete` runs `kubectl get pods -o name` and `kubectl delete …`: read-only share links and the
 * history ask whether each of them changes the cluster.
 */
export function commandLines(line: string): string[] {
  const stages = splitPipeline(line);
  const out = [stages[0]];
  for (const stage of stages.slice(1)) {
    const words = tokenize(stage.trim());
    if ('error' in words || words[0] !== 'xargs') continue;
    let o;
    try {
      o = xargsOptions(words.slice(1));
    } catch {
      continue; // an option the shell does not simulate: xargs runs nothing
    }
    // echo (xargs's default) prints the words: it runs nothing on the cluster.
    if (typeof o === 'string' || o.argv[0] === 'echo') continue;
    const rep = o.replace;
    out.push(rep !== undefined ? o.argv.map((w) => (rep && w.includes(rep) ? XARGS_INPUT : w)).join(' ') : [...o.argv, XARGS_INPUT].join(' '));
  }
  return out;
}
