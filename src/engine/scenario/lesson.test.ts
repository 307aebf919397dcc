import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../kubectl/index.ts';
import { formatDiagnostic } from './types.ts';
import { startScenario } from './run.ts';
import { parseLessonScenario } from './lessonparse.ts';
import { checkAgainstSim, judgeKubectl, judgePromql, quoteArg, runLessonCheck } from './lessoncheck.ts';

const head = `apiVersion: kubeplay.dev/v1alpha1
kind: Scenario
metadata:
  name: l
spec:
  lesson:
`;

const parse = (lesson: string) => parseLessonScenario(head + lesson, 'l.yaml');
const messages = (lesson: string) => parse(lesson).errors.map(formatDiagnostic);

describe('checkLesson', () => {
  it('reads a full step', () => {
    const r = parse(`    steps:
      - title: Scale
        text: "**Scale** it"
        run: [kubectl scale deployment web --replicas=5]
        check:
          kubectl: kubectl get deployment web -o json
          expect: {jsonpath: '{.status.readyReplicas}', op: '>=', value: 5}
        hint: use kubectl scale
      - title: Traffic
        run: kubectl get pods
        check: {promql: 'sum(rate(http_requests_total[1m]))', op: '>', value: 0}
`);
    expect(r.errors).toEqual([]);
    expect(r.lesson).toEqual({
      steps: [
        { title: 'Scale', text: '**Scale** it', run: ['kubectl scale deployment web --replicas=5'], hint: 'use kubectl scale', line: 8, check: { type: 'kubectl', command: 'kubectl get deployment web -o json', expect: { jsonpath: '{.status.readyReplicas}', op: '>=', value: 5 } } },
        { title: 'Traffic', text: '', run: ['kubectl get pods'], line: 15, check: { type: 'promql', query: 'sum(rate(http_requests_total[1m]))', op: '>', value: 0 } },
      ],
    });
  });

  const bad: [string, string, string][] = [
    ['no steps', '    {}\n', 'l.yaml:7: spec.lesson.steps: Required value: a lesson has at least one step'],
    ['unknown step field with suggestion', '    steps:\n      - title: a\n        hnit: x\n', 'l.yaml:9: unknown field "spec.lesson.steps[0].hnit"; did you mean "hint"?'],
    ['missing title', '    steps:\n      - text: a\n', 'l.yaml:8: spec.lesson.steps[0].title: Required value'],
    ['both kinds of check', '    steps:\n      - title: a\n        check: {kubectl: kubectl get pods, promql: up, op: ">", value: 1}\n', 'l.yaml:9: spec.lesson.steps[0].check: Forbidden: a check has exactly one of kubectl (a command and what to expect) or promql (a query, op and value)'],
    ['neither kind of check', '    steps:\n      - title: a\n        check: {}\n', 'l.yaml:9: spec.lesson.steps[0].check: Required value: a check has exactly one of kubectl (a command and what to expect) or promql (a query, op and value)'],
    ['jsonpath without -o json', '    steps:\n      - title: a\n        check: {kubectl: kubectl get pods, expect: {jsonpath: "{.items}", equals: "x"}}\n', "l.yaml:9: spec.lesson.steps[0].check.kubectl: Invalid value: \"kubectl get pods\": a check with a jsonpath needs the command's JSON output: add -o json"],
    ['bad op', '    steps:\n      - title: a\n        check: {promql: up, op: "=>", value: 1}\n', 'l.yaml:9: spec.lesson.steps[0].check.op: Unsupported value: "=>": supported values: "==", "!=", ">", ">=", "<", "<="'],
    ['not a command', '    steps:\n      - title: a\n        run: [rm -rf /]\n', 'l.yaml:9: spec.lesson.steps[0].run[0]: Invalid value: "rm -rf /": must be a kubectl or kubeplay command'],
    // What would make a step impossible to pass is found when the lesson loads, not by a student.
    ['a check command with a typo', '    steps:\n      - title: a\n        check: {kubectl: kubectl gett deploy web -o json, expect: {exit: 0}}\n', 'l.yaml:9: spec.lesson.steps[0].check.kubectl: Invalid value: "kubectl gett deploy web -o json": unknown command "gett" for "kubectl" (did you mean get or set?)'],
    ['a jsonpath that does not parse', '    steps:\n      - title: a\n        check: {kubectl: kubectl get deploy web -o json, expect: {jsonpath: "{.status.readyReplicas", op: ">=", value: 3}}\n', 'l.yaml:9: spec.lesson.steps[0].check.expect.jsonpath: Invalid value: "{.status.readyReplicas": not a jsonpath kubectl reads: unclosed action'],
    ['a run line with a pipe into sh', '    steps:\n      - title: a\n        run: [kubectl get pods | sh]\n', 'l.yaml:9: spec.lesson.steps[0].run[0]: Invalid value: "kubectl get pods | sh": kubeplay: the terminal pipes a command\'s output only into grep, egrep, fgrep, wc, head, tail, sort, uniq, cut, awk, sed, tr, base64, cat and xargs, not "sh" (kubectl filters its own output with -l, --field-selector and -o jsonpath=… or custom-columns=…)'],
    ['op without value', '    steps:\n      - title: a\n        check: {kubectl: kubectl get deploy -o json, expect: {jsonpath: "{.x}", op: ">"}}\n', 'l.yaml:9: spec.lesson.steps[0].check.expect.value: Required value: op and value go together'],
  ];
  it.each(bad)('%s', (_, lesson, message) => {
    expect(messages(lesson)).toContain(message);
  });

  it('a plain scenario has no lesson and no new errors', () => {
    const r = parseLessonScenario(head.replace('  lesson:\n', '  seed: 3\n'), 'l.yaml');
    expect(r.errors).toEqual([]);
    expect(r.lesson).toBeUndefined();
  });
  it('keeps the scenario\'s own errors', () => {
    expect(messages('    steps: [{title: a}]\n  seed: -1\n')).toEqual(['l.yaml:8: spec.seed: Invalid value: -1: must be between 0 and 4294967295, inclusive']);
  });
});

describe('judging checks', () => {
  const cases: [string, Parameters<typeof judgeKubectl>[0], { exit: number; out: string }, boolean, string | RegExp][] = [
    ['exit 0 by default', {}, { exit: 1, out: 'Error from server (NotFound): deployments.apps "web" not found' }, false, 'Not yet: `kubectl get deploy web -o json` fails (exit 1, the step waits for 0): Error from server (NotFound): deployments.apps "web" not found'],
    ['explicit exit', { exit: 1, contains: 'NotFound' }, { exit: 1, out: 'Error from server (NotFound)' }, true, 'check passed'],
    ['contains', { contains: 'Running' }, { exit: 0, out: 'Pending' }, false, 'Not yet: `kubectl get deploy web -o json` does not show "Running"'],
    ['notContains', { notContains: 'ImagePull' }, { exit: 0, out: 'ImagePullBackOff' }, false, 'Not yet: `kubectl get deploy web -o json` still shows "ImagePull"'],
    ['jsonpath equals', { jsonpath: '{.a.b}', equals: 'x' }, { exit: 0, out: '{"a":{"b":"y"}}' }, false, 'Not yet: .a.b is "y"; the step waits for "x" (from `kubectl get deploy web -o json`)'],
    ['jsonpath equals, not there', { jsonpath: '{.a.c}', equals: 'x' }, { exit: 0, out: '{"a":{"b":"y"}}' }, false, 'Not yet: .a.c is not set yet; the step waits for "x" (from `kubectl get deploy web -o json`)'],
    ['jsonpath op', { jsonpath: '.status.readyReplicas', op: '>=', value: 5 }, { exit: 0, out: '{"status":{"readyReplicas":5}}' }, true, 'check passed'],
    ['jsonpath op fails', { jsonpath: '.status.readyReplicas', op: '>=', value: 5 }, { exit: 0, out: '{"status":{"readyReplicas":2}}' }, false, 'Not yet: .status.readyReplicas is 2; the step waits for at least 5 (from `kubectl get deploy web -o json`)'],
    ['missing number counts as 0', { jsonpath: '{.status.readyReplicas}', op: '==', value: 0 }, { exit: 0, out: '{"status":{}}' }, true, 'check passed'],
    // At 00:00 nothing is ready yet: the learner reads what the count is and what the step waits for.
    ['missing number, failing', { jsonpath: '{.status.readyReplicas}', op: '==', value: 3 }, { exit: 0, out: '{"status":{}}' }, false, 'Not yet: .status.readyReplicas is 0 (a count of 0 is left out of the object); the step waits for 3 (from `kubectl get deploy web -o json`)'],
    ['not JSON', { jsonpath: '{.a}', equals: '1' }, { exit: 0, out: 'NAME READY' }, false, /did not print JSON/],
  ];
  it.each(cases)('%s', (_, expectation, result, pass, message) => {
    const r = judgeKubectl(expectation, result, 'kubectl get deploy web -o json');
    expect(r.pass).toBe(pass);
    if (typeof message === 'string') expect(r.message).toBe(message);
    else expect(r.message).toMatch(message);
  });

  it('promql: vector, scalar, empty and missing command', () => {
    const c = { type: 'promql' as const, query: 'q', op: '>=' as const, value: 0.4 };
    expect(judgePromql(c, { exit: 0, out: '{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"0.45"]}]}}' }).pass).toBe(true);
    expect(judgePromql(c, { exit: 0, out: '{"status":"success","data":{"resultType":"scalar","result":[1,"0.2"]}}' }).message).toBe('Not yet: q is 0.2; the step waits for at least 0.4');
    expect(judgePromql(c, { exit: 0, out: '{"status":"success","data":{"resultType":"vector","result":[]}}' }).message).toBe('Not yet: q has no value (no samples yet)');
    expect(judgePromql(c, { exit: 1, out: 'error: unknown command "promql" for "kubeplay"' }).message).toMatch(/this build does not have yet/);
  });

  it('quotes a query for the terminal', async () => {
    expect(quoteArg(`a{b="it's"}`)).toBe(`'a{b="it'"'"'s"}'`);
    const seen: string[] = [];
    await runLessonCheck({ type: 'promql', query: 'up', op: '>', value: 0 }, (line) => (seen.push(line), { exit: 1, out: '' }));
    expect(seen).toEqual([`kubeplay promql 'up' -o json`]);
  });
});

/** MUTATING: steps whose commands change the cluster must not pass their check before they run. */
const MUTATING = /\b(delete|scale|set image|expose|rollout (undo|restart)|run|apply)\b/;

describe('built-in lessons can be completed by doing what their steps say', () => {
  const dir = new URL('../../../scenarios/lessons/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  it('there are lessons', () => expect(files.length).toBeGreaterThanOrEqual(3));

  it.each(files)('%s', (f) => {
    const r = parseLessonScenario(readFileSync(new URL(f, dir), 'utf8'), `scenarios/lessons/${f}`);
    expect(r.errors.map(formatDiagnostic)).toEqual([]);
    expect(r.lesson?.steps.length).toBeGreaterThanOrEqual(3);
    const { sim, errors } = startScenario(r.parsed);
    expect(errors).toEqual([]);
    for (const [i, step] of r.lesson!.steps.entries()) {
      const where = `${f} step ${i + 1} (${step.title})`;
      expect(step.check, where).toBeDefined();
      if (step.run.some((l) => MUTATING.test(l))) expect(checkAgainstSim(sim, step.check!).pass, `${where} passes before its commands`).toBe(false);
      for (const line of step.run) {
        const out = runCommand(sim, line);
        sim.settle();
        // A rollout status the rollout has not finished for: the page's terminal goes on watching it.
        const watching = /\brollout status\b/.test(line) && out.out.startsWith('Waiting for ');
        expect(watching ? 0 : out.exit, `${where}: ${line}\n${out.out}`).toBe(0);
      }
      let outcome = checkAgainstSim(sim, step.check!);
      for (let s = 0; s < 180 && !outcome.pass; s++) {
        sim.runFor(1000);
        outcome = checkAgainstSim(sim, step.check!);
      }
      expect(outcome, where).toEqual({ pass: true, message: 'check passed' });
    }
  });
});
