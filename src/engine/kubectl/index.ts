import { setCommandChecker } from '../scenario/commandcheck.ts';
import { jsonpathProblem } from './jsonpath.ts';
import { ApiError } from '../api/errors.ts';
import type { Sim } from '../sim.ts';
import { COMMANDS } from './commands/registry.ts';
import { runKubeplay } from './commands/kubeplay.ts';
import { runAddonsCommand } from '../controllers/vpa/commands.ts';
import { GLOBAL_FLAGS, type Command, type CommandResult, type RunOptions } from './context.ts';
import { kubectlHelp } from './help.ts';
import { argoAvailable, argoRollouts, networkCommand } from './plugins.ts';
import { CmdError, unknownSubcommand } from './services.ts';
import { apiErrorMessage } from './errors.ts';
import { pipelineProblem, splitPipeline } from './pipeline.ts';
import { runPipeline } from './runpipeline.ts';
import { FlagError, parseFlags, tokenize } from './tokenize.ts';
// --- RBAC/CRD/context plumbing (owner: rbac+crd helper) ---
import { withKinds } from '../api/kinds.ts';
import { withRecorder } from './record.ts';
import { customKinds } from '../apiextensions/index.ts';
import { AUTH_FLAGS, authorizeCommand, canICommand, userFromFlags, whoamiCommand, type AuthRunOptions } from './auth.ts';
import { splitImpersonation } from './argoauth.ts';
/** VALUE_FLAGS are global flags that take a value, so `kubectl --as jane get pods` finds the command after them. */
const VALUE_FLAGS = new Set(['-n', '--namespace', '--as', '--as-group', '--as-uid']);
// --- end plumbing ---

export type { CommandResult, RunOptions } from './context.ts';

/**
 * KUBEPLAY_AS: kubeplay commands are the playground's hands on the simulated machines, images and
 * clients (a node's kubelet stops, a container crashes, a client sends requests), not API requests,
 * so there is no user to impersonate and no RBAC rule that could allow them; --as is refused rather
 * than ignored, so nothing runs as the admin when a learner meant to act as someone else.
 */
export const KUBEPLAY_AS = `error: --as, --as-group and --as-uid are kubectl flags: kubeplay commands act on the simulated machines, not through the API server, so no user is impersonated (use kubectl --as=USER … to act as someone)\n`;

/**
 * runCommand runs one line of the terminal/scenario language — `kubectl …` (or `k …`) and `kubeplay …` —
 * against the cluster and returns what the terminal shows (stdout and stderr together) and the exit code.
 * It never advances the clock and never throws: errors become exit 1 with kubectl's message.
 */
export function runCommand(sim: Sim, line: string, opts: RunOptions = {}): CommandResult {
  // The sim's CustomResourceDefinition kinds are visible to discovery for this command (kinds.ts withKinds).
  return withKinds(customKinds(sim), () => runLine(sim, line, opts));
}

function runLine(sim: Sim, line: string, opts: RunOptions): CommandResult {
  const stages = splitPipeline(line);
  if (stages.length > 1) return runPipeline(stages, (first) => runLine(sim, first, opts), sim.clock.now());
  try {
    const words = tokenize(line.trim());
    if ('error' in words) return { exit: 1, out: words.error + '\n' };
    if (words.length === 0) return { exit: 0, out: '' };
    const [prog, ...rest] = words;
    if (prog === 'kubectl' || prog === 'k') return runKubectl(sim, rest, opts);
    // The plugin binary may be run directly, as `kubectl argo rollouts` runs it.
    if (prog === 'kubectl-argo-rollouts') return argoRollouts(sim, rest);
    if (prog === 'kubeplay' && splitImpersonation(rest).flags.size > 0) return { exit: 1, out: KUBEPLAY_AS };
    if (prog === 'kubeplay' && rest[0] === 'addons') return runAddonsCommand(sim, rest.slice(1));
    if (prog === 'kubeplay') return networkCommand(sim, rest) ?? runKubeplay(sim, rest);
    const outside = OUTSIDE_TOOLS[prog];
    if (outside) return { exit: 127, out: `${prog}: command not found: ${outside}\n` };
    return { exit: 127, out: `${prog}: command not found (try "kubectl help" or "kubeplay help")\n` };
  } catch (e) {
    return toResult(e);
  }
}

/**
 * OUTSIDE_TOOLS: tools a course uses beside kubectl that the playground does not have, and what to do
 * instead. Kubeplay is a cluster and its kubectl; images are not built or stored here (any image name
 * pulls, with what `images:` in a scenario or `kubeplay image set` says it does).
 */
const OUTSIDE_TOOLS: Record<string, string> = {
  docker: 'Kubeplay simulates a cluster, not a container engine; images are not built here, and any image name pulls (describe what it does with `kubeplay image set IMAGE key=value`)',
  podman: 'Kubeplay simulates a cluster, not a container engine; images are not built here, and any image name pulls (describe what it does with `kubeplay image set IMAGE key=value`)',
  buildah: 'Kubeplay simulates a cluster, not a container engine; images are not built here, and any image name pulls',
  helm: 'Helm charts are not installed here; apply their rendered manifests with kubectl apply -f',
  minikube: 'this playground is already a running cluster; its nodes come from the scenario (kubeplay node add, kubeplay node fail)',
  kind: 'this playground is already a running cluster; its nodes come from the scenario (kubeplay node add, kubeplay node fail)',
  kubeadm: 'this playground is already a running cluster (a scenario may ask for a kubeadm control plane: spec.cluster.controlPlane)',
  // A course's shell around kubectl: the terminal runs kubectl and kubeplay only, one command at a time.
  curl: 'kubeplay curl URL sends the request instead (a Service by name, a NodePort at http://NODE-IP:PORT, an Ingress host); kubectl exec POD -- curl URL sends it from inside a pod',
  wget: 'kubeplay curl URL sends the request instead (a Service by name, a NodePort at http://NODE-IP:PORT, an Ingress host); kubectl exec POD -- wget -qO- URL fetches it from inside a pod',
  export: 'the terminal has no shell, so no variables to set or use: type the value itself where a tutorial writes $POD_NAME (Tab completes object names)',
  echo: 'the terminal has no shell: kubectl exec POD -- sh -c "echo …" runs echo in a container',
  alias: 'the terminal has no shell to keep aliases; k is already kubectl (k get pods)',
  watch: 'kubectl get -w (--watch) lists the objects and then each change, until Ctrl+C or the next command',
  base64: "the terminal has no shell programs or pipes: kubectl get secret NAME -o yaml shows a Secret's values base64-encoded, and a pod that uses the Secret sees them decoded (kubectl exec POD -- env, or cat the mounted file)",
};

function toResult(e: unknown): CommandResult {
  if (e instanceof CmdError) return { exit: 1, out: withNewline(e.message) };
  if (e instanceof ApiError) return { exit: 1, out: withNewline(apiErrorMessage(e)) };
  return { exit: 1, out: `error: internal: ${e instanceof Error ? e.message : String(e)}\n` };
}

function withNewline(s: string): string {
  return s.endsWith('\n') ? s : s + '\n';
}

/**
 * NOT_SIMULATED: real kubectl commands Kubeplay has no counterpart for, and what to use instead (kubectl
 * would say "unknown command" only for a word it does not know; these it knows).
 */
const NOT_SIMULATED: Record<string, string> = {
  explain: "the Editor shows each field's documentation when you hover it",
  'port-forward': 'nothing outside the simulation can connect to it; kubeplay curl sends requests from inside',
  proxy: 'nothing outside the simulation can connect to it; kubeplay curl sends requests from inside',
  attach: 'containers are simulated; kubectl logs shows their output',
  cp: 'containers are simulated and have no files to copy',
  debug: 'containers are simulated; kubectl describe, logs and kubeplay trace show why a pod misbehaves',
  kustomize: 'apply plain manifests (the Editor takes several documents at once)',
  certificate: 'the simulated cluster has no certificate signing requests',
  plugin: 'the Argo Rollouts plugin is built in (kubectl argo rollouts)',
  completion: 'the terminal completes commands, kinds and names with Tab',
  alpha: 'no alpha commands are simulated',
};

/** levenshtein is cobra's ld: the edit distance between two words, case-insensitive. */
function levenshtein(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/**
 * suggestedCommands is cobra's SuggestionsFor over kubectl's top-level commands: those within an edit
 * distance of 2 of the typed word, or starting with it, in name order ("gett" → get, set).
 */
function suggestedCommands(typed: string): string[] {
  if (!typed) return [];
  const names = [...new Set(COMMANDS.map((c) => c.name.split(' ')[0]))].sort();
  return names.filter((n) => levenshtein(typed, n) <= 2 || n.toLowerCase().startsWith(typed.toLowerCase()));
}

/** suggestionsFor is cobra's findSuggestions: the "Did you mean this?" part of an unknown command's error. */
function suggestionsFor(typed: string): string {
  const found = suggestedCommands(typed);
  return found.length ? `\n\nDid you mean this?\n${found.map((n) => `\t${n}\n`).join('')}` : '';
}

/**
 * commandLineProblem is what kubectl would refuse in a command line before running it (a shell operator,
 * an unknown command, an unknown or malformed flag), or undefined: lessons and scenarios check their
 * command lines with it when they load, not when a student first presses Check.
 */
export function commandLineProblem(line: string): string | undefined {
  // A pipeline's filters are checked as the terminal checks them; its first command as any line is.
  const stages = splitPipeline(line);
  if (stages.length > 1) return pipelineProblem(stages) ?? commandLineProblem(stages[0]);
  const words = tokenize(line.trim());
  if ('error' in words) return words.error;
  const [prog, ...args] = words;
  if (prog !== 'kubectl' && prog !== 'k') return undefined;
  const { lead } = splitLeadFlags(args); // (takes them off args)
  if (args.length === 0 || args[0] === 'help' || (args[0] === 'argo' && args[1] === 'rollouts')) return undefined;
  const found = findCommand(args);
  if (!found) {
    const subs = COMMANDS.filter((c) => c.name.startsWith(args[0] + ' ')).map((c) => c.name.slice(args[0].length + 1).split(' ')[0]);
    if (subs.length) return args[1] && !args[1].startsWith('-') ? `unknown command "${args[1]}" for "kubectl ${args[0]}" (it has ${[...new Set(subs)].join(', ')})` : undefined;
    if (NOT_SIMULATED[args[0]]) return undefined;
    const near = suggestedCommands(args[0]);
    return `unknown command "${args[0]}" for "kubectl"${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}`;
  }
  try {
    parseFlags([...lead, ...args.slice(found.used)], [...GLOBAL_FLAGS, ...AUTH_FLAGS, ...found.cmd.flags]);
  } catch (e) {
    if (e instanceof FlagError) return e.message;
    throw e;
  }
  return undefined;
}

// Scenario and lesson files check their command lines with this when they load (scenario/commandcheck.ts).
setCommandChecker(commandLineProblem, jsonpathProblem);

/** findCommand matches the longest command path ("create service clusterip", "rollout status", then "get"). */
function findCommand(words: string[]): { cmd: Command; used: number } | undefined {
  const positional: string[] = [];
  for (const w of words) {
    if (w.startsWith('-')) break;
    positional.push(w);
    if (positional.length === 3) break;
  }
  for (let n = positional.length; n >= 1; n--) {
    const path = positional.slice(0, n).join(' ');
    const cmd = COMMANDS.find((c) => c.name === path || c.aliases?.includes(path));
    if (cmd) return { cmd, used: n };
  }
  return undefined;
}

/**
 * splitLeadFlags takes the global flags before the command (with the values of those that have one)
 * off the front of words; missing names one whose value is not there.
 */
function splitLeadFlags(words: string[]): { lead: string[]; missing?: string } {
  const lead: string[] = [];
  while (words.length && words[0].startsWith('-')) {
    const w = words.shift()!;
    lead.push(w);
    if (VALUE_FLAGS.has(w)) {
      if (!words.length) return { lead, missing: w };
      lead.push(words.shift()!);
    }
  }
  return { lead };
}

/** positionals are words without their flags (a command group takes only the global ones, VALUE_FLAGS with their values). */
function positionals(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (VALUE_FLAGS.has(words[i])) i++;
    else if (!words[i].startsWith('-')) out.push(words[i]);
  }
  return out;
}

function runKubectl(sim: Sim, words: string[], opts: RunOptions): CommandResult {
  if (words.length === 0 || words[0] === 'help' || words[0] === '--help' || words[0] === '-h') return { exit: 0, out: kubectlHelp(COMMANDS, argoAvailable(sim)) };
  // Global flags may come before the command: kubectl -n kube-system get pods.
  const { lead, missing } = splitLeadFlags(words);
  // cobra parses the global flags first: one without its value is refused before any command is looked for.
  if (missing) return { exit: 1, out: `error: flag needs an argument: ${missing}\nSee 'kubectl --help' for usage.\n` };
  // kubectl finds plugins by the longest kubectl-<a>-<b> binary name: `kubectl argo rollouts …`.
  if (words[0] === 'argo' && words[1] === 'rollouts') {
    // HandlePluginCommand takes the plugin name from the leading words, so a flag first is refused.
    if (lead.length) return { exit: 1, out: `Error: flags cannot be placed before plugin name: ${lead[0]}\n` };
    return argoRollouts(sim, words.slice(2));
  }
  const found = findCommand(words);
  if (!found) {
    const first = words[0] ?? '';
    const subs = COMMANDS.filter((c) => c.name.startsWith(first + ' ') && !c.name.slice(first.length + 1).includes(' '));
    if (subs.length) {
      // A command group (rollout, set, top) runs cobra's DefaultSubCommandRun: words it has no subcommand
      // for are a usage error; none at all print its help, and it exits 1 all the same (CheckErr(ErrExit)).
      const args = positionals(words.slice(1));
      if (args.length) return { exit: 1, out: `${unknownSubcommand(`kubectl ${first}`, args)}\n` };
      // cobra's `{{rpad .Name .NamePadding}} {{.Short}}`: names padded to the longest, at least 11 (minNamePadding).
      const width = Math.max(11, ...subs.map((c) => c.name.length - first.length - 1));
      const list = subs.map((c) => `  ${c.name.slice(first.length + 1).padEnd(width)} ${c.short}`.trimEnd()).sort();
      return {
        exit: 1,
        out: `Available Commands:\n${list.join('\n')}\n\nUsage:\n  kubectl ${first} SUBCOMMAND [options]\n\nUse "kubectl ${first} <command> --help" for more information about a given command.\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n`,
      };
    }
    const why = NOT_SIMULATED[first];
    if (why) return { exit: 1, out: `error: kubectl ${first} is not simulated in Kubeplay: ${why}\n` };
    return { exit: 1, out: `error: unknown command "${first}" for "kubectl"${suggestionsFor(first)}\nRun 'kubectl --help' for usage.\n` };
  }
  const { cmd, used } = found;
  const rest = [...lead, ...words.slice(used)];
  let parsed;
  try {
    parsed = parseFlags(rest, [...GLOBAL_FLAGS, ...AUTH_FLAGS, ...cmd.flags]);
  } catch (e) {
    // -k / --kustomize (apply, create, delete, get …) builds objects with Kustomize, which Kubeplay does not run.
    if (e instanceof FlagError && /(?:^|\s)(?:-k|--kustomize)(?=$|[\s=])/.test(rest.join(' '))) {
      return { exit: 1, out: `error: kubectl ${cmd.name} -k is not simulated in Kubeplay: ${NOT_SIMULATED.kustomize}\n` };
    }
    // kubectl diff's SetFlagErrorFunc: a usage error (UsageErrorf) through CheckDiffErr, whose exit is 2
    // (1 would mean differences found).
    if (e instanceof FlagError && cmd.name === 'diff') return { exit: 2, out: `error: ${e.message}\nSee 'kubectl diff -h' for help and examples\n` };
    if (e instanceof FlagError) return { exit: 1, out: `error: ${e.message}\nSee 'kubectl ${cmd.name} --help' for usage.\n` };
    throw e;
  }
  if (parsed.flags.has('help')) return { exit: 0, out: `${cmd.short}\n\nUsage:\n  kubectl ${cmd.name} [options]\n` };
  // --as: the request is authorized as that user before the command runs (auth.ts).
  const user = userFromFlags(parsed.flags);
  const ctx = { sim, path: cmd.name, args: parsed.args, afterDash: parsed.afterDash, flags: parsed.flags, opts: { ...opts, user } as AuthRunOptions };
  if (user && cmd !== canICommand && cmd !== whoamiCommand) authorizeCommand(ctx, user);
  return withRecorder(sim, cmd, parsed, () => {
    const r = cmd.run(ctx);
    return typeof r === 'string' ? { exit: 0, out: r } : r;
  });
}
