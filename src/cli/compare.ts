/**
 * compare is `kubeplay compare FILE [--image IMG] [--strategies rolling,recreate,canary,bluegreen]
 * [--workload NAME] [--at 30s] [--limit 30m] [--json]`: the scenario's workload rolled out once per
 * strategy on the same seed and traffic (src/engine/compare), printed as a table or as JSON.
 */
import { parseDuration } from '../engine/clock.ts';
import { parseScenario } from '../engine/scenario/parse.ts';
import { formatErrors } from '../engine/scenario/format.ts';
import { LIMITS } from '../engine/scenario/limits.ts';
import type { CompareOptions } from '../engine/compare/index.ts';
import type { Strategy } from '../engine/compare/variants.ts';
import type { CliIo } from './main.ts';

export const COMPARE_USAGE = `Usage:
  kubeplay compare FILE [--image IMG] [--strategies rolling,recreate,canary,bluegreen] [--json]

Rolls the scenario's Deployment or Argo Rollout out to a new image once per strategy, each on the
same cluster, seed, images and traffic (the timeline is not played), and measures each rollout:
PEAK PODS (most non-terminated pods at once, Terminating ones included), TIME (until the rollout is
complete and the last old pod is gone), FAILED and REQUESTS (client requests answered 5xx or not at
all, and all requests, while it ran), POD-SECONDS (pods × seconds: the cost), MIN READY (fewest
ready pods).

Options:
  --image IMG        the image to roll out to (IMAGE or CONTAINER=IMAGE); default: the scenario's own
                     \`set image\` step, else another tag of the same image in spec.images
  --strategies LIST  which strategies, comma-separated (default: rolling,recreate,canary,bluegreen)
  --workload NAME    the Deployment or Rollout to roll out, when the scenario has several
  --at DURATION      when the image changes (default: the scenario's set image step, else 30s)
  --limit DURATION   the longest a rollout may take (default 30m)
  --json             the result as one JSON object
`;

type ReadScenario = (file: string) => string | number;

/**
 * runCompare runs `kubeplay compare` with the arguments after `compare`. readScenario returns the
 * file's text or an exit code (it has printed why). Returns the exit code.
 */
export async function runCompare(args: readonly string[], io: CliIo, readScenario: ReadScenario): Promise<number> {
  const usageError = (m: string) => {
    io.err(`kubeplay compare: ${m}\nSee 'kubeplay compare --help' for usage.\n`);
    return 1;
  };
  const { parseStrategies } = await import('../engine/compare/index.ts');
  let file: string | undefined;
  let json = false;
  const opts: CompareOptions = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--help' || a === '-h') {
      io.out(COMPARE_USAGE);
      return 0;
    }
    if (a === '--json') {
      json = true;
      continue;
    }
    const flag = /^--(image|strategies|workload|at|limit)(?:=(.*))?$/.exec(a);
    if (flag) {
      const v = flag[2] ?? args[++i];
      if (v === undefined) return usageError(`flag needs an argument: --${flag[1]}`);
      if (flag[1] === 'image') opts.image = v;
      else if (flag[1] === 'workload') opts.workload = v;
      else if (flag[1] === 'strategies') {
        const s = parseStrategies(v);
        if (typeof s === 'string') return usageError(`--strategies: ${s}`);
        opts.strategies = s as Strategy[];
      } else {
        const ms = parseDuration(v);
        if (ms === undefined) return usageError(`--${flag[1]}: invalid duration ${JSON.stringify(v)}: must be a duration like 30s, 2m or 1h30m`);
        if (ms > LIMITS.timeMs) return usageError(`--${flag[1]}: ${v} is too long: the limit is 720h (30 days) of simulated time`);
        if (flag[1] === 'at') opts.atMs = ms;
        else {
          if (ms <= 0) return usageError('--limit must be more than 0s');
          opts.limitMs = ms;
        }
      }
      continue;
    }
    if (a.startsWith('-') && a !== '-') return usageError(`unknown flag: ${a}`);
    if (file !== undefined) return usageError(`compare takes one FILE, got ${JSON.stringify(file)} and ${JSON.stringify(a)}`);
    file = a;
  }
  if (file === undefined) return usageError('compare needs a scenario FILE');
  const text = readScenario(file);
  if (typeof text === 'number') return text;
  const parsed = parseScenario(text, file);
  if (parsed.errors.length > 0) {
    io.err(formatErrors(parsed.errors));
    return 1;
  }
  const { compareStrategies, formatCompareTable } = await import('../engine/compare/index.ts');
  const r = compareStrategies(parsed, opts);
  if ('error' in r) {
    io.err(`kubeplay compare: ${r.error}\n`);
    return 1;
  }
  io.out(json ? `${JSON.stringify(r)}\n` : formatCompareTable(r));
  return r.results.some((x) => x.error) ? 1 : 0;
}
