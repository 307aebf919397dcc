/**
 * commandcheck: how a scenario's and a lesson's command lines are checked when the file loads (what
 * kubectl would refuse before running: an unknown command, a bad flag, a pipe). The check belongs to
 * kubectl (kubectl/index.ts registers it), and the file parser must not import kubectl: the page
 * parses scenarios on its main thread, where the engine and its commands are not loaded (the worker
 * checks again when it loads the scenario, so nothing is missed).
 */
export type CommandChecker = (line: string) => string | undefined;

let checker: CommandChecker | undefined;
let jsonpathChecker: CommandChecker | undefined;

/** setCommandChecker installs the checks of a command line and of a jsonpath template (kubectl/index.ts does when it loads). */
export function setCommandChecker(f: CommandChecker, jsonpath?: CommandChecker): void {
  checker = f;
  jsonpathChecker = jsonpath;
}

/** jsonpathProblem is why kubectl could not parse the jsonpath template, or undefined (also when no check is installed). */
export function jsonpathProblem(template: string): string | undefined {
  return jsonpathChecker?.(template);
}

/** commandProblem is what kubectl would refuse in the line, or undefined (also when no check is installed). */
export function commandProblem(line: string): string | undefined {
  return checker?.(line);
}
