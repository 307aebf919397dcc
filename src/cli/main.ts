/**
 * main is the headless runner behind `npx kubeplay` (DESIGN.md, "The headless runner"):
 *
 *   kubeplay run FILE [--until 300s] [--json]
 *   kubeplay compare FILE [--image IMG] [--strategies rolling,recreate,canary,bluegreen] [--json]
 *   kubeplay version
 *   kubeplay --help
 *
 * Exit codes: 0 the scenario ran; 1 the scenario has errors (YAML, validation, a manifest the API
 * server refused) or the command line is wrong; 2 an internal error (a bug in Kubeplay). A timeline
 * step whose command fails does not change the exit code: its exit is part of the output.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseDuration } from '../engine/clock.ts';
import { LIMITS, formatBytes } from '../engine/scenario/limits.ts';
import type { RunOptions } from '../engine/scenario/run.ts';
import { parseScenario } from '../engine/scenario/parse.ts';
import { formatErrors, formatStepJson, formatStepText } from '../engine/scenario/format.ts';
import { stillWatching } from '../engine/kubectl/watching.ts';

export interface CliIo {
  out(s: string): void;
  err(s: string): void;
  readFile(path: string): string;
  /** fileSize is the size in bytes, so a huge file is refused before it is read. */
  fileSize(path: string): number;
}

export const nodeIo: CliIo = {
  out: (s) => void process.stdout.write(s),
  err: (s) => void process.stderr.write(s),
  readFile: (p) => readFileSync(p, 'utf8'),
  fileSize: (p) => {
    const st = statSync(p);
    if (st.isDirectory()) throw Object.assign(new Error(`${p} is a directory`), { code: 'EISDIR' });
    return st.size;
  },
};

export const USAGE = `kubeplay runs Kubeplay scenarios in Node: a simulated Kubernetes cluster, no browser needed.

Usage:
  kubeplay run FILE [--until 300s] [--json]   run a scenario and print each timeline step's output
  kubeplay compare FILE [--image IMG] [--strategies rolling,recreate,canary,bluegreen] [--json]
                                              roll the scenario's workload out once per strategy and
                                              compare peak pods, time, failed requests, pod-seconds
                                              (kubeplay compare --help for more)
  kubeplay version                            print the version
  kubeplay --help                             print this help

Options for run:
  --until DURATION   run the simulated clock to this time (default: the last step's time);
                     steps after it are not run (30s, 5m, 1h30m; at most 720h)
  --json             one JSON object per step: {"t":<seconds>,"cmd":"…","exit":<code>,"out":"…"}

Exit status: 0 ran; 1 the scenario has errors (file:line: field: message on stderr); 2 internal error.
The scenario format: docs/scenario.md.
`;

/** internalErrorExit is the exit code of a Kubeplay bug, as distinct from a user's mistake (1). */
export const INTERNAL_ERROR_EXIT = 2;

/**
 * main runs one command line and returns the exit code. Everything it prints goes through io. The
 * cluster is loaded only to run a valid scenario, so `version`, `--help` and syntax errors never need it.
 */
export async function main(argv: readonly string[], io: CliIo = nodeIo, runOptions: Pick<RunOptions, 'runCommand' | 'createCluster'> = {}): Promise<number> {
  try {
    return await dispatch(argv, io, runOptions);
  } catch (e) {
    const err = e as Error;
    io.err(`kubeplay: internal error: ${err?.message ?? String(e)}\n`);
    if (process.env.KUBEPLAY_DEBUG) io.err(`${err?.stack ?? ''}\n`);
    else io.err('(this is a bug in Kubeplay; set KUBEPLAY_DEBUG=1 to see the stack trace)\n');
    return INTERNAL_ERROR_EXIT;
  }
}

function usageError(io: CliIo, message: string): number {
  io.err(`kubeplay: ${message}\nSee 'kubeplay --help' for usage.\n`);
  return 1;
}

async function dispatch(argv: readonly string[], io: CliIo, runOptions: Pick<RunOptions, 'runCommand' | 'createCluster'>): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    io.out(USAGE);
    return cmd === undefined ? 1 : 0;
  }
  if (cmd === 'version' || cmd === '--version') {
    io.out(`kubeplay ${version()}\n`);
    return 0;
  }
  if (cmd === 'compare') {
    await import('../engine/kubectl/index.ts'); // installs the command-line check the scenario parser uses
    const { runCompare } = await import('./compare.ts');
    return runCompare(rest, io, (file) => readScenarioFile(io, file));
  }
  if (cmd !== 'run') return usageError(io, `unknown command ${JSON.stringify(cmd)}`);

  let file: string | undefined;
  let json = false;
  let until: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--help' || a === '-h') {
      io.out(USAGE);
      return 0;
    }
    if (a === '--json') json = true;
    else if (a === '--until' || a.startsWith('--until=')) {
      const v = a === '--until' ? rest[++i] : a.slice('--until='.length);
      if (v === undefined) return usageError(io, 'flag needs an argument: --until');
      const ms = parseDuration(v);
      if (ms === undefined) return usageError(io, `--until: invalid duration ${JSON.stringify(v)}: must be a duration like 30s, 2m or 1h30m`);
      if (ms > LIMITS.timeMs) return usageError(io, `--until: ${v} is too long: the limit is 720h (30 days) of simulated time`);
      until = ms;
    } else if (a.startsWith('-') && a !== '-') return usageError(io, `unknown flag: ${a}`);
    else if (file === undefined) file = a;
    else return usageError(io, `run takes one FILE, got ${JSON.stringify(file)} and ${JSON.stringify(a)}`);
  }
  if (file === undefined) return usageError(io, 'run needs a scenario FILE');

  const text = readScenarioFile(io, file);
  if (typeof text === 'number') return text;

  // kubectl checks the timeline's command lines as the file loads (it installs the check when imported).
  await import('../engine/kubectl/index.ts');
  const parsed = parseScenario(text, file);
  if (parsed.errors.length > 0) {
    io.err(formatErrors(parsed.errors));
    return 1;
  }
  if (!parsed.hasScenarioDocument && parsed.manifests.length === 0) {
    io.err(`${file}: no Scenario document and no manifests: a scenario is a kubeplay.dev/v1alpha1 Scenario document and the Kubernetes manifests to apply at 0s\n`);
    return 1;
  }
  // The cluster (controllers, kubectl) loads only now: a scenario's mistakes are reported even if it cannot.
  const { runScenario } = await import('../engine/scenario/run.ts');
  let index = 0;
  const failed: { t: number; cmd: string; exit: number }[] = [];
  const watching: { t: number; cmd: string }[] = [];
  const result = runScenario(parsed, {
    ...runOptions,
    until,
    onStep: (s) => {
      if (s.exit !== 0) (stillWatching(s.cmd, s) ? watching : failed).push(s);
      io.out(json ? formatStepJson(s) : formatStepText(s, index++));
    },
    onError: (d) => io.err(formatErrors([d])),
  });
  for (const w of result.warnings) io.err(`kubeplay: warning: ${w}\n`);
  // Manifests alone run in the default cluster with no timeline: say so, or the run prints nothing at all.
  if (!parsed.hasScenarioDocument && index === 0) io.err(`kubeplay: ${file} has no Scenario document: its ${parsed.manifests.length === 1 ? 'manifest was' : `${parsed.manifests.length} manifests were`} applied at 0s to the default cluster, and there is no timeline step to print\n`);
  // The transcript does not show exit codes (--json does): name the steps that failed, which may be on purpose.
  if (!json && failed.length > 0) {
    const list = failed.slice(0, 5).map((s) => `${s.t}s ${s.cmd} (exit ${s.exit})`).join('; ');
    io.err(`kubeplay: ${failed.length} of ${index} steps exited non-zero (the run goes on; a step may fail on purpose): ${list}${failed.length > 5 ? '; …' : ''}\n`);
  }
  // A status command whose rollout was not done yet: kubectl would go on waiting; the step ran once, as in the page.
  if (!json && watching.length > 0) {
    const list = watching.slice(0, 5).map((s) => `${s.t}s ${s.cmd}`).join('; ');
    io.err(`kubeplay: ${watching.length === 1 ? '1 step was' : `${watching.length} steps were`} still watching when ${watching.length === 1 ? 'it' : 'they'} printed (a timeline step runs once; kubectl would go on waiting): ${list}${watching.length > 5 ? '; …' : ''}\n`);
  }
  return result.errors.length ? 1 : 0;
}

/** readScenarioFile reads a scenario, refusing one over the size limit; an exit code when it cannot (the reason printed). */
function readScenarioFile(io: CliIo, file: string): string | number {
  try {
    const size = io.fileSize(file);
    if (size > LIMITS.bytes) {
      io.err(`${file}: the scenario is ${size} bytes; the limit is ${formatBytes(LIMITS.bytes)} per scenario\n`);
      return 1;
    }
    return io.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    io.err(`kubeplay: cannot read ${file}: ${why}\n`);
    return 1;
  }
}

function version(): string {
  try {
    return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
