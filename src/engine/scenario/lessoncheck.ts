/**
 * runLessonCheck decides whether a lesson step's check passes, by running its command through a
 * `run` function: the engine's runCommand in Node (checkAgainstSim), the worker's command channel in
 * the page. Both see the same cluster, so a lesson that passes under test passes in the browser.
 * The result's message says what was expected and what was found, for the learner.
 */
import type { Sim } from '../sim.ts';
import { runCommand } from '../kubectl/index.ts';
import { jsonpath } from '../kubectl/jsonpath.ts';
import { quoteArg } from '../kubectl/tokenize.ts';
import type { ComparisonOp, KubectlExpect, LessonCheck } from './lesson.ts';

export interface CheckOutcome {
  pass: boolean;
  message: string;
}

export type LineRunner = (line: string) => { exit: number; out: string } | Promise<{ exit: number; out: string }>;

/** compare applies a ComparisonOp. */
export function compare(a: number, op: ComparisonOp, b: number): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
  }
}

export { quoteArg };

/** runLessonCheck evaluates a check with a command runner (sync or async). */
export async function runLessonCheck(check: LessonCheck, run: LineRunner): Promise<CheckOutcome> {
  if (check.type === 'kubectl') return judgeKubectl(check.expect, await run(check.command), check.command);
  return judgePromql(check, await run(`kubeplay promql ${quoteArg(check.query)} -o json`));
}

/** checkAgainstSim evaluates a check synchronously against a Sim (tests, the headless runner). */
export function checkAgainstSim(sim: Sim, check: LessonCheck): CheckOutcome {
  const run = (line: string) => runCommand(sim, line);
  if (check.type === 'kubectl') return judgeKubectl(check.expect, run(check.command), check.command);
  return judgePromql(check, run(`kubeplay promql ${quoteArg(check.query)} -o json`));
}

const clip = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** OP_WORDS says a comparison as a learner reads it ("at least 3"). */
const OP_WORDS: Record<ComparisonOp, string> = { '==': '', '!=': 'anything but ', '>': 'more than ', '>=': 'at least ', '<': 'fewer than ', '<=': 'at most ' };

/** field names a jsonpath as kubectl's users write it: `.status.readyReplicas`, without the braces. */
const field = (path: string) => (/^\{[^{}]*\}$/.test(path) ? path.slice(1, -1) : path);

/**
 * judgeKubectl checks a command's result against expect; every condition given must hold. A failure
 * says, for the learner, what the check's command shows and what the step waits for (`command` names it).
 */
export function judgeKubectl(expect: KubectlExpect, r: { exit: number; out: string }, command = 'the check\'s command'): CheckOutcome {
  const wantExit = expect.exit ?? 0;
  const cmd = command.startsWith('kubectl') ? `\`${command}\`` : command;
  if (r.exit !== wantExit) {
    const said = clip(r.out.trim());
    const how = wantExit === 0 ? 'fails' : 'succeeds';
    return { pass: false, message: `Not yet: ${cmd} ${how} (exit ${r.exit}, the step waits for ${wantExit})${said ? `: ${said}` : ''}` };
  }
  if (expect.contains !== undefined && !r.out.includes(expect.contains)) {
    return { pass: false, message: `Not yet: ${cmd} does not show ${JSON.stringify(expect.contains)}` };
  }
  if (expect.notContains !== undefined && r.out.includes(expect.notContains)) {
    return { pass: false, message: `Not yet: ${cmd} still shows ${JSON.stringify(expect.notContains)}` };
  }
  if (expect.jsonpath !== undefined) {
    let data: unknown;
    try {
      data = JSON.parse(r.out);
    } catch {
      return { pass: false, message: `${cmd} did not print JSON (the check needs -o json)` };
    }
    let got: string;
    try {
      const tpl = expect.jsonpath.includes('{') ? expect.jsonpath : `{${expect.jsonpath}}`;
      got = jsonpath(tpl, data);
    } catch (e) {
      return { pass: false, message: `jsonpath ${expect.jsonpath}: ${(e as Error).message}` };
    }
    const name = field(expect.jsonpath);
    if (expect.equals !== undefined && got !== expect.equals) {
      const is = got === '' ? 'is not set yet' : `is ${JSON.stringify(got)}`;
      return { pass: false, message: `Not yet: ${name} ${is}; the step waits for ${JSON.stringify(expect.equals)} (from ${cmd})` };
    }
    if (expect.op !== undefined && expect.value !== undefined) {
      const n = got.trim() === '' ? 0 : Number(got);
      if (!Number.isFinite(n)) return { pass: false, message: `${name} is ${JSON.stringify(got)}, not a number (from ${cmd})` };
      if (!compare(n, expect.op, expect.value)) {
        // Kubernetes leaves a count of 0 out of an object (readyReplicas), so nothing found counts as 0.
        const absent = got.trim() === '' ? ' (a count of 0 is left out of the object)' : '';
        return { pass: false, message: `Not yet: ${name} is ${n}${absent}; the step waits for ${OP_WORDS[expect.op]}${expect.value} (from ${cmd})` };
      }
    }
  }
  return { pass: true, message: 'check passed' };
}

/** judgePromql reads `kubeplay promql … -o json` (the Prometheus HTTP API's shape) and compares the value. */
export function judgePromql(check: Extract<LessonCheck, { type: 'promql' }>, r: { exit: number; out: string }): CheckOutcome {
  if (/unknown command "promql"|unknown command/.test(r.out) && r.exit !== 0) {
    return { pass: false, message: `PromQL checks need the network service's query (kubeplay promql), which this build does not have yet: ${clip(r.out.trim())}` };
  }
  let body: { status?: string; error?: string; data?: { resultType?: string; result?: unknown } };
  try {
    body = JSON.parse(r.out);
  } catch {
    return { pass: false, message: `the query failed: ${clip(r.out.trim())}` };
  }
  if (body.status !== 'success') return { pass: false, message: `the query failed: ${body.error ?? 'unknown error'}` };
  const n = scalarOf(body.data);
  if (n === undefined) return { pass: false, message: `Not yet: ${check.query} has no value (no samples yet)` };
  if (!compare(n, check.op, check.value)) return { pass: false, message: `Not yet: ${check.query} is ${round(n)}; the step waits for ${OP_WORDS[check.op]}${check.value}` };
  return { pass: true, message: 'check passed' };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** scalarOf takes a scalar, or the single sample of an instant vector. */
function scalarOf(data: { resultType?: string; result?: unknown } | undefined): number | undefined {
  if (!data) return undefined;
  const res = data.result as unknown;
  if (data.resultType === 'scalar' && Array.isArray(res)) return Number(res[1]);
  if (data.resultType === 'vector' && Array.isArray(res) && res.length >= 1) {
    const v = (res[0] as { value?: [number, string] }).value;
    return v ? Number(v[1]) : undefined;
  }
  return undefined;
}
