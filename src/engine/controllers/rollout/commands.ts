/**
 * commands.ts: the `kubectl argo rollouts` plugin (pkg/kubectl-argo-rollouts/cmd/…): get rollout,
 * promote [--full], abort, retry rollout, undo [--to-revision], pause, restart, set image, status,
 * list rollouts. Spec changes go through the API server; status changes (promote, abort, retry)
 * patch the status subresource as the plugin does. Messages are the plugin's.
 */
import type { Sim } from '../../sim.ts';
import type { CommandResult } from '../../kubectl/index.ts';
import type { ApiServer } from '../../api/server.ts';
import { parseFlags, parseGoDuration, FlagError, type FlagDef } from '../../kubectl/tokenize.ts';
import { contextNamespace } from '../../kubectl/kubeconfig.ts';
import { isoTime } from '../../clock.ts';
import { tabwrite } from '../../kubectl/tabwriter.ts';
import { ApiError } from '../../api/errors.ts';
import { printRollout } from './get.ts';
import { currentSetWeight, rolloutReplicas } from './replicaset.ts';
import { rolloutPhase } from './status.ts';
import { HASH_LABEL, replicaSetsOf, revisionOf, type Rollout } from './util.ts';

/** FLAGS: the plugin's flags (kubectl/argoauth.ts parses the same words to know what a command will request). */
export const FLAGS: FlagDef[] = [
  { name: 'namespace', short: 'n' },
  { name: 'full', bool: true },
  { name: 'watch', short: 'w', bool: true },
  { name: 'no-color', bool: true },
  { name: 'to-revision' },
  { name: 'all-namespaces', short: 'A', bool: true },
  { name: 'timeout', short: 't' },
  { name: 'timeout-seconds' },
  { name: 'skip-current-step', short: 'c', bool: true },
  { name: 'skip-all-steps', short: 'a', bool: true },
  { name: 'help', short: 'h', bool: true },
  { name: 'name' },
  { name: 'in', short: 'i' },
  { name: 'short', bool: true },
];

/** VERSION is the plugin's version (the same release as the controller Kubeplay simulates). */
const VERSION = 'v1.7.2';

/** SHORT: each command's one-line description, as its cobra command's Short says (for --help). */
const SHORT: Record<string, [string, string]> = {
  abort: ['Abort a rollout', 'abort ROLLOUT_NAME'],
  get: ['Get details about rollouts and experiments', 'get <rollout|experiment> RESOURCE_NAME'],
  list: ['List rollouts or experiments', 'list <rollout|experiment>'],
  pause: ['Pause a rollout', 'pause ROLLOUT_NAME'],
  promote: ['Promote a rollout', 'promote ROLLOUT_NAME'],
  restart: ['Restart the pods of a rollout', 'restart ROLLOUT_NAME'],
  retry: ['Retry a rollout or experiment', 'retry <rollout|experiment> RESOURCE_NAME'],
  set: ['Update various values on resources', 'set image ROLLOUT_NAME CONTAINER=IMAGE'],
  status: ['Show the status of a rollout', 'status ROLLOUT_NAME'],
  undo: ['Undo a rollout', 'undo ROLLOUT_NAME [flags]'],
  version: ['Print version', 'version'],
};

/**
 * NOT_SIMULATED: plugin commands with no counterpart here, and what to use instead. The plugin's
 * dashboard serves a web UI; lint checks a manifest file.
 */
const NOT_SIMULATED: Record<string, string> = {
  dashboard: "the Rollout tab beside the terminal shows the rollout's steps, weights and ReplicaSets",
  lint: 'the Editor checks a Rollout against its schema as you type, and kubectl apply --dry-run=server -f … asks the API server',
  create: 'apply the Rollout or Experiment manifest with kubectl apply (the Editor takes several documents at once)',
  completion: 'the terminal completes commands and names with Tab',
};

const USAGE = `Manage argo rollouts

Usage:
  kubectl argo rollouts COMMAND [flags]

Available Commands:
  abort        Abort a rollout
  get          Get details about rollouts and experiments
  list         List rollouts or experiments
  pause        Pause a rollout
  promote      Promote a rollout
  restart      Restart the pods of a rollout
  retry        Retry a rollout or experiment
  set          Update various values on resources
  status       Show the status of a rollout
  undo         Undo a rollout
  version      Print version
`;

const fail = (msg: string): CommandResult => ({ exit: 1, out: `Error: ${msg}\n` });

/** runArgoRolloutsCommand handles `kubectl argo rollouts …` (args after "rollouts"). */
export function runArgoRolloutsCommand(sim: Sim, words: string[]): CommandResult {
  let parsed;
  try {
    parsed = parseFlags(words, FLAGS);
  } catch (e) {
    if (e instanceof FlagError) return fail(e.message);
    throw e;
  }
  const flag = (n: string) => parsed.flags.get(n)?.[0];
  // o.Namespace(): --namespace, else the kubeconfig context's namespace (kubectl config set-context --namespace).
  const ns = flag('namespace') || contextNamespace(sim);
  const [cmd, ...args] = parsed.args;
  if (flag('help') === 'true' || (cmd === 'help' && args.length > 0)) {
    const short = SHORT[(cmd === 'help' ? args[0] : cmd) ?? ''];
    return { exit: 0, out: short ? `${short[0]}\n\nUsage:\n  kubectl argo rollouts ${short[1]} [flags]\n` : USAGE };
  }
  const why = cmd ? NOT_SIMULATED[cmd] : undefined;
  if (why) return { exit: 1, out: `Error: kubectl argo rollouts ${cmd} is not simulated in Kubeplay: ${why}\n` };
  try {
    switch (cmd) {
      case undefined:
      case 'help':
        return { exit: 0, out: USAGE };
      case 'version':
        return { exit: 0, out: flag('short') === 'true' ? `kubectl-argo-rollouts: ${VERSION}\n` : `kubectl-argo-rollouts: ${VERSION}\n  Platform: js/wasm\n` };
      case 'get':
        if (!['rollout', 'rollouts', 'ro'].includes(args[0] ?? '')) return fail(args[0] === 'experiment' ? 'experiments are not supported by Kubeplay yet' : 'unknown command "' + (args[0] ?? '') + '" for "kubectl-argo-rollouts get"');
        if (args.length !== 2) return fail('accepts 1 arg(s), received ' + (args.length - 1));
        return { exit: 0, out: printRollout(sim, live(sim, ns, args[1])) };
      case 'list':
        if (!['rollouts', 'rollout', 'ro'].includes(args[0] ?? '')) return fail('unknown command "' + (args[0] ?? '') + '" for "kubectl-argo-rollouts list"');
        return listRollouts(sim, flag('all-namespaces') === 'true' ? undefined : ns, flag('name'));
      case 'promote':
        return promote(sim, live(sim, ns, one(args)), flag('full') === 'true', promoteSkip(words, flag));
      case 'abort':
        return patchStatus(sim, live(sim, ns, one(args)), (st) => {
          st.abort = true;
          st.abortedAt = sim.nowIso();
        }, 'aborted');
      case 'retry':
        if (args[0] !== 'rollout') return fail(args[0] === 'experiment' ? 'experiments are not supported by Kubeplay yet' : 'unknown command "' + (args[0] ?? '') + '" for "kubectl-argo-rollouts retry"');
        return retry(sim, live(sim, ns, one(args.slice(1))));
      case 'pause':
        return patchSpec(sim, ns, one(args), (ro) => (ro.spec.paused = true), `rollout '${args[0]}' paused`);
      case 'restart': {
        // restart.go: restartAt is now plus --in (a DurationString: seconds, or a Go duration), and it
        // echoes --in as given ("0s" without one).
        const given = flag('in') || undefined;
        const inMs = given === undefined ? 0 : /^\d+$/.test(given) ? Number(given) * 1000 : parseGoDuration(given);
        if (typeof inMs !== 'number') return fail(`invalid argument "${given}" for "-i, --in" flag: ${inMs.problem}`);
        return patchSpec(sim, ns, one(args), (ro) => (ro.spec.restartAt = isoTime(sim.now() + inMs)), `rollout '${args[0]}' restarts in ${given ?? '0s'}`);
      }
      case 'undo':
        return undo(sim, ns, one(args), flag('to-revision'));
      case 'set':
        if (args[0] !== 'image') return fail('unknown command "' + (args[0] ?? '') + '" for "kubectl-argo-rollouts set"');
        return setImage(sim, ns, args.slice(1));
      case 'status':
        return status(live(sim, ns, one(args)), flag('watch') !== 'false', flag('timeout'));
    }
    return fail(`unknown command "${cmd}" for "kubectl-argo-rollouts"`);
  } catch (e) {
    if (e instanceof ApiError || e instanceof UsageError) return fail(e.message);
    throw e;
  }
}

class UsageError extends Error {}

function one(args: string[]): string {
  if (args.length !== 1) throw new UsageError(`accepts 1 arg(s), received ${args.length}`);
  return args[0];
}

function live(sim: Sim, ns: string, name: string): Rollout {
  const ro = sim.store.get<Rollout>('Rollout', ns, name);
  if (!ro) throw new UsageError(`rollouts.argoproj.io "${name}" not found`);
  return ro;
}

/** patchStatus edits the live status as a status-subresource patch and wakes the controller. */
function patchStatus(sim: Sim, ro: Rollout, f: (st: any) => void, verb: string): CommandResult {
  ro.status ??= {};
  f(ro.status);
  sim.store.update(ro);
  sim.settle();
  return { exit: 0, out: `rollout '${ro.metadata.name}' ${verb}\n` };
}

function patchSpec(sim: Sim, ns: string, name: string, f: (ro: Rollout) => void, out: string): CommandResult {
  const api = sim.service<ApiServer>('api');
  const ro = api.get<Rollout>('Rollout', ns, name);
  f(ro);
  api.update(ro);
  sim.settle();
  return { exit: 0, out: out + '\n' };
}

/**
 * promote is PromoteRollout: unpause; then clear the pause conditions if there are any, else skip
 * the current canary step. --full sets status.promoteFull (skip every step, analysis and pause).
 */
/**
 * promoteSkip reads promote's deprecated flags (-c/--skip-current-step, -a/--skip-all-steps): which was
 * given, and cobra's deprecation notices for them, in the order given.
 */
function promoteSkip(words: string[], flag: (n: string) => string | undefined): { current: boolean; all: boolean; notices: string } {
  const CURRENT = 'Flag --skip-current-step has been deprecated, use without the flag instead ex: promote ROLLOUT_NAME\n';
  const ALL = 'Flag --skip-all-steps has been deprecated, use --full instead\n';
  let notices = '';
  for (const w of words) {
    const name = w.split('=')[0];
    if (name === '--skip-current-step') notices += CURRENT;
    else if (name === '--skip-all-steps') notices += ALL;
    else if (/^-[a-zA-Z]+$/.test(name)) {
      // pflag names a deprecated shorthand, then its flag's own deprecation (in a group too: -ca).
      for (const ch of name.slice(1)) {
        if (ch === 'c') notices += `Flag shorthand -c has been deprecated, use without the flag instead ex: promote ROLLOUT_NAME\n${CURRENT}`;
        else if (ch === 'a') notices += `Flag shorthand -a has been deprecated, use --full instead\n${ALL}`;
      }
    }
  }
  return { current: flag('skip-current-step') === 'true', all: flag('skip-all-steps') === 'true', notices };
}

function promote(sim: Sim, ro: Rollout, full: boolean, skip: { current: boolean; all: boolean; notices: string } = { current: false, all: false, notices: '' }): CommandResult {
  const name = ro.metadata.name;
  const ns = ro.metadata.namespace!;
  const steps = ro.spec?.strategy?.canary?.steps;
  if (skip.current || skip.all) {
    // getPatches: a skip sets currentStepIndex only (no unpause), past one step or to the end.
    const fail = (msg: string): CommandResult => ({ exit: 1, out: `${skip.notices}Error: ${msg}\n` });
    if (skip.current && skip.all) return fail('Cannot use skip-current-step and skip-all-steps flags at the same time');
    if (ro.spec?.strategy?.blueGreen) return fail('Cannot skip steps of a bluegreen rollout. Run without a flags');
    if (!Array.isArray(steps) || steps.length === 0) return fail('Cannot skip steps of a rollout without steps');
    const r = patchStatus(sim, ro, (s) => {
      const index = s.currentStepIndex ?? 0;
      s.currentStepIndex = skip.all ? steps.length : Math.min(index + 1, steps.length);
    }, 'promoted');
    return { ...r, out: skip.notices + r.out };
  }
  // --full on a rollout whose current pods are already stable sends no patch (getPatches).
  if (full && ro.status?.currentPodHash !== undefined && ro.status.currentPodHash === ro.status.stableRS) return { exit: 0, out: `rollout '${name}' fully promoted\n` };
  if (ro.spec.paused) {
    patchSpec(sim, ns, name, (r) => (r.spec.paused = false), '');
    ro = live(sim, ns, name); // the update replaced the live object
  }
  if (full) {
    // An aborted rollout may be promoted fully: the controller clears the abort (syncRolloutStatusCanary).
    return patchStatus(sim, ro, (s) => {
      s.promoteFull = true;
      delete s.pauseConditions;
    }, 'fully promoted');
  }
  return patchStatus(sim, ro, (s) => {
    // An inconclusive step analysis is accepted by promote: the step is skipped.
    const inconclusive = s.pauseConditions?.some((p: any) => p.reason === 'InconclusiveAnalysisRun');
    if (inconclusive && Array.isArray(steps) && steps[s.currentStepIndex ?? 0]?.analysis) s.currentStepIndex = (s.currentStepIndex ?? 0) + 1;
    if (s.pauseConditions?.length || s.controllerPause) delete s.pauseConditions;
    else if (Array.isArray(steps) && (s.currentStepIndex ?? 0) < steps.length && !s.abort) s.currentStepIndex = (s.currentStepIndex ?? 0) + 1;
  }, 'promoted');
}

/** retry clears the abort (and the finished analysis runs it references) so the update starts over. */
function retry(sim: Sim, ro: Rollout): CommandResult {
  return patchStatus(sim, ro, (s) => {
    delete s.abort;
    delete s.abortedAt;
    if (s.canary) {
      delete s.canary.currentStepAnalysisRunStatus;
      delete s.canary.currentBackgroundAnalysisRunStatus;
    }
    if (s.blueGreen) {
      delete s.blueGreen.prePromotionAnalysisRunStatus;
      delete s.blueGreen.postPromotionAnalysisRunStatus;
    }
  }, 'retried');
}

/** undo puts the template of an earlier revision (default: the previous one) back into spec.template. */
function undo(sim: Sim, ns: string, name: string, toRevision: string | undefined): CommandResult {
  const ro = live(sim, ns, name);
  const rss = replicaSetsOf(sim, ro).sort((a, b) => revisionOf(b) - revisionOf(a));
  let target;
  if (toRevision !== undefined && toRevision !== '0') {
    const n = parseInt(toRevision, 10);
    target = rss.find((rs) => revisionOf(rs) === n);
    if (!target) throw new UsageError(`unable to find specified revision ${toRevision} in history`);
  } else {
    target = rss[1];
    if (!target) throw new UsageError(`no revision found for rollout "${name}"`);
  }
  const tpl = structuredClone(target.spec.template);
  if (tpl.metadata?.labels) delete tpl.metadata.labels[HASH_LABEL];
  // equalIgnoreHash: nothing to do, said with the revision as asked for (0 when none was), and no newline.
  const current = structuredClone(ro.spec.template);
  if (current.metadata?.labels) delete current.metadata.labels[HASH_LABEL];
  if (deepDerivative(current, tpl)) return { exit: 0, out: `skipped rollback (current template already matches revision ${parseInt(toRevision ?? '0', 10) || 0})` };
  return patchSpec(sim, ns, name, (r) => (r.spec.template = tpl), `rollout '${name}' undo`);
}

/**
 * deepDerivative is apiequality.Semantic.DeepDerivative: every field `a` sets is equal in `b` (fields `a`
 * leaves unset are ignored), as the rollout's own template is compared with a ReplicaSet's defaulted one.
 */
function deepDerivative(a: unknown, b: unknown): boolean {
  if (a === undefined || a === null) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepDerivative(x, b[i]));
  if (typeof a === 'object') {
    if (typeof b !== 'object' || b === null || Array.isArray(b)) return false;
    return Object.entries(a as Record<string, unknown>).every(([k, v]) => deepDerivative(v, (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

/** setImage is `set image ROLLOUT CONTAINER=IMAGE` ("*" matches every container). */
function setImage(sim: Sim, ns: string, args: string[]): CommandResult {
  if (args.length !== 2) throw new UsageError(`accepts 2 arg(s), received ${args.length}`);
  const [name, pair] = args;
  const eq = pair.indexOf('=');
  if (eq <= 0) throw new UsageError(`invalid format of image, use 'container=image'`);
  const container = pair.slice(0, eq);
  const image = pair.slice(eq + 1);
  let found = false;
  const out = patchSpec(sim, ns, name, (ro) => {
    const t = ro.spec.template?.spec ?? {};
    for (const c of [...(t.containers ?? []), ...(t.initContainers ?? []), ...(t.ephemeralContainers ?? [])]) {
      if (container === '*' || c.name === container) {
        c.image = image;
        found = true;
      }
    }
    if (!found) throw new UsageError(`unable to find container named "${container}"`);
  }, `rollout "${name}" image updated`);
  return out;
}

/** STATUS_TIMED_OUT is the plugin's error when a status watch's --timeout passes. */
export const STATUS_TIMED_OUT = 'Error: Rollout status watch exceeded timeout\n';

/**
 * status is the plugin's `status` (cmd/status/status.go). It watches by default, printing "Phase - Message"
 * until the rollout is Healthy or Degraded (an error); the engine answers at one instant, so an unfinished
 * watch exits 1 with its line (with --timeout, the timeout's error too) and the terminal keeps watching.
 * --watch=false prints the bare phase when Healthy or Degraded, else "Phase - Message", and exits 0 unless
 * Degraded.
 */
function status(ro: Rollout, watch: boolean, timeout: string | undefined): CommandResult {
  const { phase, message } = rolloutPhase(ro);
  const done = phase === 'Healthy' || phase === 'Degraded';
  const line = (watch || !done) && message ? `${phase} - ${message}` : phase;
  if (phase === 'Degraded') return { exit: 1, out: `${line}\nError: The rollout is in a degraded state with message: ${message}\n` };
  if (done || !watch) return { exit: 0, out: line + '\n' };
  const limited = !!timeout && !/^0+(s|ms|m|h)?$/.test(timeout);
  return { exit: 1, out: line + '\n' + (limited ? STATUS_TIMED_OUT : '') };
}

/** listRollouts is `list rollouts` (cmd/list/rollloutinfo.go columns, tabwriter padding 2). */
function listRollouts(sim: Sim, ns: string | undefined, name?: string): CommandResult {
  // --name: only the rollout of that name (list_rollouts.go filters the list by it).
  const ros = sim.store.list<Rollout>('Rollout', ns).filter((r) => !name || r.metadata.name === name);
  if (ros.length === 0) return { exit: 0, out: 'No resources found.\n' }; // list_rollouts.go, to stderr
  const pad = (s: string | number, n: number) => String(s).padEnd(n, ' ');
  let t = (ns ? '' : 'NAMESPACE\t') + 'NAME\tSTRATEGY\tSTATUS\tSTEP\tSET-WEIGHT\tREADY\tDESIRED\tUP-TO-DATE\tAVAILABLE\n';
  for (const ro of ros) {
    const st = ro.status ?? {};
    const canary = ro.spec?.strategy?.canary;
    const steps = Array.isArray(canary?.steps) ? canary.steps.length : 0;
    const step = canary && st.currentStepIndex !== undefined && steps > 0 ? `${st.currentStepIndex}/${steps}` : '-';
    const weight = canary ? String(currentSetWeight(ro)) : '-';
    const strategy = canary ? 'Canary' : ro.spec?.strategy?.blueGreen ? 'BlueGreen' : 'unknown';
    const cols = [pad(ro.metadata.name, 10), pad(strategy, 9), pad(st.phase ?? '', 12), pad(step, 4), pad(weight, 10), pad(`${st.readyReplicas ?? 0}/${st.replicas ?? 0}`, 5), pad(rolloutReplicas(ro), 7), pad(st.updatedReplicas ?? 0, 10), pad(st.availableReplicas ?? 0, 9)];
    t += (ns ? '' : pad(ro.metadata.namespace ?? '', 9) + '\t') + cols.join('\t') + '\n';
  }
  return { exit: 0, out: tabwrite(t, 0, 2) };
}
