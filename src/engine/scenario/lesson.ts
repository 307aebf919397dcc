/**
 * Lessons: a Scenario whose spec has `lesson.steps` — short markdown text, optional commands to run,
 * and a check that must pass before Continue (docs/lessons.md; format in the README).
 *
 * ```yaml
 * spec:
 *   lesson:
 *     steps:
 *       - title: Delete a pod
 *         text: The Deployment wants **3** pods. Delete one and watch.
 *         run: [kubectl delete pod -l app=web --wait=false]
 *         check:
 *           kubectl: kubectl get deployment web -o json
 *           expect: {jsonpath: '{.status.readyReplicas}', op: '>=', value: 3}
 *         hint: Try `kubectl get pods -w`.
 *       - title: Traffic moved
 *         check: {promql: 'sum(rate(http_requests_total{version="v2"}[1m])) / sum(rate(http_requests_total[1m]))', op: '>=', value: 0.4}
 * ```
 *
 * The scenario validator (validate.ts) does not know `spec.lesson` yet: until it calls checkLesson,
 * parseLessonScenario (lessonparse.ts) wraps parseScenario (see its doc comment for the two-line hook).
 */
import type { Checker } from './checker.ts';
import type { PathSegment } from './positions.ts';
import { commandProblem, jsonpathProblem } from './commandcheck.ts';

/** COMPARISON_OPS compare a number from a check with the expected value. */
export const COMPARISON_OPS = ['==', '!=', '>', '>=', '<', '<='] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

/** KubectlExpect: every condition given must hold. Without `exit`, the command must succeed (exit 0). */
export interface KubectlExpect {
  exit?: number;
  contains?: string;
  notContains?: string;
  /** jsonpath is a kubectl -o jsonpath template evaluated on the command's JSON output (the command needs `-o json`). */
  jsonpath?: string;
  /** equals compares the jsonpath result as text. */
  equals?: string;
  /** op and value compare the jsonpath result as a number. */
  op?: ComparisonOp;
  value?: number;
}

export type LessonCheck =
  | { type: 'kubectl'; command: string; expect: KubectlExpect }
  | { type: 'promql'; query: string; op: ComparisonOp; value: number };

/** LessonStep is one screen of a lesson. */
export interface LessonStep {
  title: string;
  /** text is markdown (the safe subset the lesson panel renders: headings, emphasis, code, lists, links). */
  text: string;
  /** run are command lines the step offers to run ("Do it for me"), in order. */
  run: string[];
  check?: LessonCheck;
  hint?: string;
  /** line is the step's line in the file, for messages. */
  line?: number;
}

export interface Lesson {
  steps: LessonStep[];
}

/** LESSON_LIMITS bound a lesson (lessons come by link from strangers, as scenarios do). */
export const LESSON_LIMITS = {
  steps: 200,
  title: 200,
  text: 20_000,
  hint: 5_000,
  runLines: 20,
  line: 10_000,
} as const;

/** checkLesson validates `spec.lesson` strictly (unknown fields are errors) and returns the lesson. */
export function checkLesson(v: unknown, c: Checker, base: PathSegment[] = ['spec', 'lesson']): Lesson | undefined {
  const m = c.mapping(v, base, ['steps']);
  if (!m) return undefined;
  const list = c.list(m.steps, [...base, 'steps'], LESSON_LIMITS.steps, 'steps');
  if (!list) {
    if (m.steps === undefined || m.steps === null) c.required([...base, 'steps'], 'a lesson has at least one step');
    return undefined;
  }
  if (list.length === 0) c.required([...base, 'steps'], 'a lesson has at least one step');
  const steps: LessonStep[] = [];
  list.forEach((entry, i) => {
    const p = [...base, 'steps', i];
    const s = c.mapping(entry, p, ['title', 'text', 'run', 'check', 'hint']);
    if (!s) {
      if (entry === null || entry === undefined) c.required(p, 'a step needs a title');
      return;
    }
    const title = c.string(s.title, [...p, 'title'], LESSON_LIMITS.title);
    if (title === undefined && (s.title === undefined || s.title === null)) c.required([...p, 'title']);
    const step: LessonStep = { title: title ?? '', text: c.string(s.text, [...p, 'text'], LESSON_LIMITS.text) ?? '', run: [], line: c.line(p) };
    step.run = checkRun(s.run, [...p, 'run'], c);
    const hint = c.string(s.hint, [...p, 'hint'], LESSON_LIMITS.hint);
    if (hint !== undefined) step.hint = hint;
    if (s.check !== undefined && s.check !== null) {
      const check = checkCheck(s.check, [...p, 'check'], c);
      if (check) step.check = check;
    }
    steps.push(step);
  });
  return { steps };
}

function checkRun(v: unknown, p: PathSegment[], c: Checker): string[] {
  if (v === undefined || v === null) return [];
  const list = typeof v === 'string' ? [v] : c.list(v, p, LESSON_LIMITS.runLines, 'commands');
  if (!list) return [];
  const out: string[] = [];
  list.forEach((x, i) => {
    const q = typeof v === 'string' ? p : [...p, i];
    const line = checkLine(x, q, c);
    if (line !== undefined) out.push(line);
  });
  return out;
}

function checkLine(v: unknown, p: PathSegment[], c: Checker): string | undefined {
  const s = c.string(v, p, LESSON_LIMITS.line);
  if (s === undefined) {
    if (v === undefined || v === null) c.required(p, 'a command like kubectl get pods');
    return undefined;
  }
  const line = s.replace(/\n+$/, '').trim();
  if (line.includes('\n')) return void c.invalid(p, line, 'must be one command line');
  if (!line) return void c.required(p, 'a command like kubectl get pods');
  if (!/^(kubectl|kubeplay|k)\s/.test(line + ' ')) return void c.invalid(p, line, 'must be a kubectl or kubeplay command');
  // Found when the lesson loads, not when a student presses Check on a step that can then never pass.
  const problem = commandProblem(line);
  if (problem) return void c.invalid(p, line, problem);
  return line;
}

function checkOp(v: unknown, p: PathSegment[], c: Checker): ComparisonOp | undefined {
  if (v === undefined || v === null) return undefined;
  if ((COMPARISON_OPS as readonly unknown[]).includes(v)) return v as ComparisonOp;
  c.unsupported(p, v, COMPARISON_OPS);
  return undefined;
}

function checkCheck(v: unknown, p: PathSegment[], c: Checker): LessonCheck | undefined {
  const m = c.mapping(v, p, ['kubectl', 'expect', 'promql', 'op', 'value']);
  if (!m) return undefined;
  const hasK = m.kubectl !== undefined && m.kubectl !== null;
  const hasP = m.promql !== undefined && m.promql !== null;
  if (hasK === hasP) {
    c.add(p, { type: hasK ? 'Forbidden' : 'Required value', detail: 'a check has exactly one of kubectl (a command and what to expect) or promql (a query, op and value)' });
    return undefined;
  }
  if (hasK) {
    for (const k of ['op', 'value'] as const) if (m[k] !== undefined) c.add([...p, k], { type: 'Forbidden', detail: 'op and value go inside expect for a kubectl check' });
    const command = checkLine(m.kubectl, [...p, 'kubectl'], c);
    const e = c.mapping(m.expect, [...p, 'expect'], ['exit', 'contains', 'notContains', 'jsonpath', 'equals', 'op', 'value']) ?? {};
    const expect: KubectlExpect = {};
    const exit = c.number(e.exit, [...p, 'expect', 'exit'], 0, 255, true);
    if (exit !== undefined) expect.exit = exit;
    for (const k of ['contains', 'notContains', 'jsonpath', 'equals'] as const) {
      const s = c.string(e[k], [...p, 'expect', k], LESSON_LIMITS.line);
      if (s !== undefined) expect[k] = s;
    }
    const op = checkOp(e.op, [...p, 'expect', 'op'], c);
    const value = c.number(e.value, [...p, 'expect', 'value'], -Number.MAX_VALUE, Number.MAX_VALUE);
    if (op !== undefined) expect.op = op;
    if (value !== undefined) expect.value = value;
    if ((op === undefined) !== (value === undefined)) c.required([...p, 'expect', op === undefined ? 'op' : 'value'], 'op and value go together');
    const jpProblem = expect.jsonpath !== undefined ? jsonpathProblem(expect.jsonpath) : undefined;
    if (jpProblem) c.invalid([...p, 'expect', 'jsonpath'], expect.jsonpath, `not a jsonpath kubectl reads: ${jpProblem}`);
    if ((expect.equals !== undefined || expect.op !== undefined) && expect.jsonpath === undefined) c.required([...p, 'expect', 'jsonpath'], 'equals, op and value compare the result of a jsonpath');
    if (expect.jsonpath !== undefined && command !== undefined && !/(^|\s)(-o|--output)[= ]?json(\s|$)/.test(command)) {
      c.invalid([...p, 'kubectl'], command, 'a check with a jsonpath needs the command\'s JSON output: add -o json');
    }
    return command === undefined ? undefined : { type: 'kubectl', command, expect };
  }
  if (m.expect !== undefined) c.add([...p, 'expect'], { type: 'Forbidden', detail: 'a promql check uses op and value, not expect' });
  const query = c.string(m.promql, [...p, 'promql'], LESSON_LIMITS.line);
  const op = checkOp(m.op, [...p, 'op'], c);
  if (m.op === undefined || m.op === null) c.required([...p, 'op'], `one of ${COMPARISON_OPS.join(' ')}`);
  const value = c.number(m.value, [...p, 'value'], -Number.MAX_VALUE, Number.MAX_VALUE);
  if (m.value === undefined || m.value === null) c.required([...p, 'value'], 'the number to compare the query\'s result with');
  if (query === undefined || op === undefined || value === undefined) return undefined;
  if (!query.trim()) return void c.required([...p, 'promql'], 'a PromQL query');
  return { type: 'promql', query: query.trim(), op, value };
}
