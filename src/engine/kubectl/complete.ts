/**
 * complete.ts: tab completion for the terminal language, as kubectl's cobra completion (`__complete`)
 * answers bash: commands and subcommands, resource types, object names in the namespace of -n, TYPE/NAME
 * forms, the verb's flags, -o formats and namespaces. It reads the same tables the router runs from
 * (COMMANDS, GLOBAL_FLAGS, allKinds(), the kubeplay and argo rollouts help), so it cannot drift from them.
 * Pure: it reads the store and never changes it.
 */
import type { Sim } from '../sim.ts';
import type { Pod } from '../api/types.ts';
import { listComponentStatuses } from '../api/componentstatus.ts';
import { allKinds, resolveResource, withKinds, type KindInfo } from '../api/kinds.ts';
import { customKinds } from '../apiextensions/index.ts';
import { COMMANDS as REGISTRY } from './commands/registry.ts';
import { kubeplayHelp } from './commands/kubeplay.ts';
import { AUTH_FLAGS } from './auth.ts';
import { contextNamespace } from './kubeconfig.ts';
import { GLOBAL_FLAGS as KUBECTL_GLOBAL_FLAGS, type Command } from './context.ts';
import { argoAvailable, argoRollouts } from './plugins.ts';
import type { FlagDef } from './tokenize.ts';

/** Completion: candidates replace line.slice(replaceFrom, cursor); sorted, unique. */
export interface Completion {
  replaceFrom: number;
  candidates: string[];
}

/** COMMANDS: the router's own table (index.ts matches the same one). */
const COMMANDS: Command[] = REGISTRY;
/** GLOBAL_FLAGS: kubectl's persistent flags and the impersonation flags (--as …) the router accepts. */
const GLOBAL_FLAGS: FlagDef[] = [...KUBECTL_GLOBAL_FLAGS, ...AUTH_FLAGS];

/** PROGRAMS are the first words the terminal understands (`clear` is the terminal's own). */
const PROGRAMS = ['clear', 'kubectl', 'kubeplay'];

/** OUTPUT_FORMATS are the -o values kubectl get accepts here (get.ts parseOutput). */
const OUTPUT_FORMATS = ['custom-columns=', 'json', 'jsonpath=', 'jsonpath-as-json=', 'name', 'wide', 'yaml'];

/** Flag values kubectl's own completion offers (cobra RegisterFlagCompletionFunc). */
const FLAG_VALUES: Record<string, string[]> = {
  output: OUTPUT_FORMATS,
  cascade: ['background', 'foreground', 'orphan'],
  'dry-run': ['client', 'none', 'server'],
  type: ['json', 'merge', 'strategic'],
};

/** ROLLOUT_KINDS: `kubectl rollout` works on these (polymorphichelpers' rollout viewers). */
const ROLLOUT_KINDS = ['deployments', 'daemonsets', 'statefulsets'];
/** Verbs whose positional argument is a resource type, restricted (undefined: any kind). */
const VERB_KINDS: Record<string, string[]> = {
  scale: ['deployments', 'replicasets', 'replicationcontrollers', 'statefulsets'],
  'set image': ['cronjobs', 'daemonsets', 'deployments', 'jobs', 'pods', 'replicasets', 'replicationcontrollers', 'statefulsets'],
  expose: ['deployments', 'pods', 'replicasets', 'replicationcontrollers', 'services'],
  taint: ['nodes'],
  autoscale: ['deployments', 'replicasets', 'replicationcontrollers', 'statefulsets'],
};
/** Verbs whose positional arguments are names of one kind (no TYPE first). */
const VERB_NAMES: Record<string, string> = {
  logs: 'Pod',
  exec: 'Pod',
  'top pod': 'Pod',
  'top node': 'Node',
  cordon: 'Node',
  uncordon: 'Node',
  drain: 'Node',
};
/** Verbs that take no object arguments (manifests, generators, info). */
const NO_OBJECTS = new Set(['apply', 'replace', 'run', 'version', 'api-resources', 'config', 'create', 'auth can-i']);

/** complete answers a Tab press at cursor in line. */
export function complete(sim: Sim, line: string, cursor: number = line.length): Completion {
  const head = line.slice(0, Math.max(0, Math.min(cursor, line.length)));
  const { words, partial } = splitWords(head);
  if (partial === OPEN_QUOTE) return { replaceFrom: head.length, candidates: [] };
  const at = head.length - partial.length;
  const none = { replaceFrom: at, candidates: [] };
  if (words.length === 0) return result(at, partial, PROGRAMS);
  const [prog, ...rest] = words;
  try {
    // The sim's custom resource kinds are visible for this call, as runCommand makes them.
    return withKinds(customKinds(sim), () => {
      if (prog === 'kubectl' || prog === 'k') return completeKubectl(sim, rest, partial, at);
      if (prog === 'kubectl-argo-rollouts') return completeArgo(sim, rest, partial, at, contextNamespace(sim));
      if (prog === 'kubeplay') return completeKubeplay(sim, rest, partial, at);
      return none;
    });
  } catch {
    return none;
  }
}

const OPEN_QUOTE = '\u0000';

/** splitWords splits the text before the cursor into finished words and the word being typed. */
function splitWords(head: string): { words: string[]; partial: string } {
  const words: string[] = [];
  let cur = '';
  let quote = '';
  for (const ch of head) {
    if (quote) {
      if (ch === quote) quote = '';
      else cur += ch;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === ' ' || ch === '\t') {
      if (cur) words.push(cur);
      cur = '';
    } else cur += ch;
  }
  // A word inside an open quote is not completed (a jsonpath or a patch body).
  if (quote) return { words: [...words, cur], partial: OPEN_QUOTE };
  return { words, partial: cur };
}

function result(replaceFrom: number, partial: string, all: Iterable<string>): Completion {
  const set = new Set<string>();
  for (const c of all) if (c.startsWith(partial)) set.add(c);
  return { replaceFrom, candidates: [...set].sort() };
}

// ---- kubectl ----

/** allFlagDefs: every flag any command knows, to tell "-x value" from "-x" before the verb is known. */
function flagDefs(cmd: Command | undefined): FlagDef[] {
  return cmd ? [...GLOBAL_FLAGS, ...cmd.flags] : [...GLOBAL_FLAGS, ...COMMANDS.flatMap((c) => c.flags)];
}

interface Scan {
  positional: string[];
  namespace: string | undefined;
  allNamespaces: boolean;
  /** pending: the flag whose value is being typed (the previous word was a flag that takes one) */
  pending: FlagDef | undefined;
}

/** scan walks finished words as parseFlags would: flags (with their values) and positional words. */
function scan(words: string[], defsFor: (positional: string[]) => FlagDef[]): Scan {
  const s: Scan = { positional: [], namespace: undefined, allNamespaces: false, pending: undefined };
  const setValue = (d: FlagDef, v: string) => {
    if (d.name === 'namespace') s.namespace = v;
  };
  for (const w of words) {
    if (s.pending) {
      setValue(s.pending, w);
      s.pending = undefined;
      continue;
    }
    const defs = defsFor(s.positional);
    if (w.startsWith('--') && w.length > 2) {
      const eq = w.indexOf('=');
      const name = eq >= 0 ? w.slice(2, eq) : w.slice(2);
      const d = defs.find((x) => x.name === name);
      if (name === 'all-namespaces') s.allNamespaces = eq < 0 || w.slice(eq + 1) !== 'false';
      if (d && eq >= 0) setValue(d, w.slice(eq + 1));
      else if (d && !d.bool) s.pending = d;
      continue;
    }
    if (w.startsWith('-') && w.length > 1 && !/^-\d/.test(w)) {
      for (let k = 1; k < w.length; k++) {
        const d = defs.find((x) => x.short === w[k]);
        if (!d) break;
        if (d.name === 'all-namespaces') s.allNamespaces = true;
        if (d.bool) continue;
        const v = w.slice(k + 1).replace(/^=/, '');
        if (v) setValue(d, v);
        else s.pending = d;
        break;
      }
      continue;
    }
    s.positional.push(w);
  }
  return s;
}

/** findCommand is the router's rule: the longest command path among the first two positional words. */
function findCommand(positional: string[]): { cmd: Command; used: number } | undefined {
  for (let n = Math.min(2, positional.length); n >= 1; n--) {
    const path = positional.slice(0, n).join(' ');
    const cmd = COMMANDS.find((c) => c.name === path || c.aliases?.includes(path));
    if (cmd) return { cmd, used: n };
  }
  return undefined;
}

function completeKubectl(sim: Sim, words: string[], partial: string, at: number): Completion {
  // After `--` come the words of exec's command, not kubectl's.
  if (words.includes('--')) return { replaceFrom: at, candidates: [] };
  // kubectl finds the argo plugin by its first two words, wherever the global flags are.
  const lead = scan(words, () => GLOBAL_FLAGS);
  if (lead.positional[0] === 'argo') {
    if (lead.positional.length === 1) return lead.pending ? flagValue(sim, lead.pending, partial, at) : result(at, partial, ['rollouts']);
    if (lead.positional[1] !== 'rollouts') return { replaceFrom: at, candidates: [] };
    const i = words.indexOf('rollouts');
    return completeArgo(sim, words.slice(i + 1), partial, at, lead.namespace ?? contextNamespace(sim), words.slice(0, i + 1));
  }
  const s = scan(words, (pos) => flagDefs(findCommand(pos)?.cmd));
  const found = findCommand(s.positional);
  const pod = { ns: s.namespace ?? contextNamespace(sim), name: found && VERB_NAMES[found.cmd.name] === 'Pod' ? s.positional[found.used] : undefined };
  if (s.pending) return flagValue(sim, s.pending, partial, at, pod);
  const flagEq = /^(--[\w-]+=)(.*)$/.exec(partial);
  if (flagEq) {
    const d = flagDefs(found?.cmd).find((x) => `--${x.name}=` === flagEq[1]);
    return d ? flagValue(sim, d, flagEq[2], at + flagEq[1].length, pod) : { replaceFrom: at, candidates: [] };
  }
  const shortEq = /^-([a-zA-Z])=?(.+)$/.exec(partial);
  if (shortEq && found) {
    const d = flagDefs(found.cmd).find((x) => x.short === shortEq[1] && !x.bool);
    if (d) return flagValue(sim, d, shortEq[2], at + partial.length - shortEq[2].length, pod);
  }
  if (partial.startsWith('-')) return result(at, partial, flagNames(flagDefs(found?.cmd)));
  const pos = s.positional;
  if (pos.length === 0) {
    const verbs = COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]).map((n) => n.split(' ')[0]);
    return result(at, partial, [...verbs, 'help', ...(argoAvailable(sim) ? ['argo'] : [])]);
  }
  // A command group (rollout, set, top, create …): its subcommands.
  if (pos.length === 1) {
    const subs = COMMANDS.filter((c) => c.name.startsWith(pos[0] + ' ')).flatMap((c) => [c.name, ...(c.aliases ?? [])].filter((n) => n.startsWith(pos[0] + ' ')).map((n) => n.split(' ')[1]));
    if (subs.length && (!found || found.cmd.name === pos[0])) {
      // `create` is itself a command (create -f) but its positional word is a subcommand.
      return result(at, partial, subs);
    }
  }
  if (!found) return { replaceFrom: at, candidates: [] };
  const verb = found.cmd.name;
  const args = pos.slice(found.used);
  const ns = s.namespace ?? contextNamespace(sim);
  if (NO_OBJECTS.has(verb) || verb.startsWith('create ')) return { replaceFrom: at, candidates: [] };
  const onlyKind = VERB_NAMES[verb];
  if (onlyKind) return names(sim, onlyKind, ns, s.allNamespaces, partial, at, args);
  const allowed = verb.startsWith('rollout ') ? ROLLOUT_KINDS : VERB_KINDS[verb];
  return objectArgs(sim, args, partial, at, ns, s.allNamespaces, allowed, verb === 'set image' ? 1 : Infinity);
}

/**
 * objectArgs completes the TYPE [NAME…] | TYPE/NAME… arguments of a resource verb: a type first, then
 * names of that type not typed yet; `type/` completes names after the slash.
 */
function objectArgs(sim: Sim, args: string[], partial: string, at: number, ns: string, allNs: boolean, allowed: string[] | undefined, maxNames: number): Completion {
  const slash = partial.indexOf('/');
  if (slash >= 0) {
    const info = resolveResource(partial.slice(0, slash));
    if (!info) return { replaceFrom: at, candidates: [] };
    const typed = args.filter((a) => a.includes('/')).map((a) => a.slice(a.indexOf('/') + 1));
    return names(sim, info.kind, ns, allNs, partial.slice(slash + 1), at + slash + 1, typed);
  }
  const typeArg = args[0];
  if (typeArg === undefined || args.every((a) => a.includes('/'))) {
    if (args.length > 0) {
      // After TYPE/NAME arguments, only more TYPE/NAME forms.
      return result(at, partial, kindWords(allowed).map((k) => k + '/'));
    }
    return kindCompletion(partial, at, allowed);
  }
  const info = resolveResource(typeArg.split(',')[0]);
  if (!info || args.length - 1 >= maxNames) return { replaceFrom: at, candidates: [] };
  return names(sim, info.kind, ns, allNs, partial, at, args.slice(1));
}

function kindWords(allowed: string[] | undefined): string[] {
  // A Set: events is both core/v1's and events.k8s.io/v1's plural.
  return [...new Set(allKinds().filter((k) => !allowed || allowed.includes(k.plural)).map((k) => k.plural))];
}

/**
 * kindCompletion offers plural resource names that start with what was typed, and the plural of a
 * singular or short name typed in full ("po" → pods, "deploy" → deployments), as kubectl accepts them all.
 */
function kindCompletion(partial: string, at: number, allowed: string[] | undefined): Completion {
  const lower = partial.toLowerCase();
  const out = new Set<string>();
  for (const info of allKinds() as KindInfo[]) {
    if (allowed && !allowed.includes(info.plural)) continue;
    if (info.plural.startsWith(lower)) out.add(info.plural);
    else if (lower && (info.singular === lower || info.shortNames.includes(lower))) out.add(info.plural);
  }
  return { replaceFrom: at, candidates: [...out].sort() };
}

/** names completes object names of a kind (in ns unless cluster-scoped or -A), minus those already typed. */
function names(sim: Sim, kind: string, ns: string, allNs: boolean, partial: string, at: number, typed: string[]): Completion {
  const info = allKinds().find((k) => k.kind === kind);
  // componentstatuses are computed, not stored (their names are the components the API server checks).
  const objs = kind === 'ComponentStatus' ? listComponentStatuses() : info && !info.namespaced ? sim.store.list(kind) : sim.store.list(kind, allNs ? undefined : ns);
  const skip = new Set(typed);
  const out = objs.map((o) => o.metadata.name).filter((n) => !skip.has(n));
  return result(at, partial, out);
}

function flagNames(defs: FlagDef[]): string[] {
  const out: string[] = [];
  for (const d of defs) {
    if (d.deprecated) continue;
    out.push(d.bool ? `--${d.name}` : `--${d.name}=`);
    if (d.short) out.push(`-${d.short}`);
  }
  return out;
}

/** PodRef: the pod a -c/--container value belongs to (logs, exec, kubeplay pod kill). */
interface PodRef {
  ns: string;
  name: string | undefined;
}

/** flagValue completes the value of a flag: namespaces for -n, formats for -o, a pod's containers for -c, fixed choices. */
function flagValue(sim: Sim, d: FlagDef, partial: string, at: number, pod?: PodRef): Completion {
  if (d.name === 'namespace') return names(sim, 'Namespace', '', false, partial, at, []);
  if (d.name === 'container' && pod?.name) {
    const p = sim.store.get<Pod>('Pod', pod.ns, pod.name.replace(/^(pods?|po)\//, ''));
    return result(at, partial, [...(p?.spec.initContainers ?? []), ...(p?.spec.containers ?? [])].map((c) => c.name));
  }
  const values = FLAG_VALUES[d.name];
  return values ? result(at, partial, values) : { replaceFrom: at, candidates: [] };
}

// ---- kubectl argo rollouts ----

/** helpCommands reads "Available Commands:" (cobra's help layout) from a plugin's help text. */
export function helpCommands(help: string): string[] {
  const i = help.indexOf('Available Commands:');
  if (i < 0) return [];
  const out: string[] = [];
  for (const l of help.slice(i).split('\n').slice(1)) {
    const m = /^ {2}([a-z][\w-]*)\s/.exec(l);
    if (m) out.push(m[1]);
    else if (l.trim() === '' && out.length) break;
  }
  return out;
}

const ARGO_FLAGS: FlagDef[] = [
  { name: 'namespace', short: 'n' },
  { name: 'all-namespaces', short: 'A', bool: true },
  { name: 'full', bool: true },
  { name: 'to-revision' },
  { name: 'watch', short: 'w', bool: true },
];
/** ARGO_TYPE: plugin subcommands whose first argument is the word `rollout(s)`. */
const ARGO_TYPE: Record<string, string[]> = { get: ['rollout'], list: ['rollouts'], retry: ['rollout'], set: ['image'] };

function completeArgo(sim: Sim, words: string[], partial: string, at: number, ns0: string, lead: string[] = []): Completion {
  const s = scan([...lead, ...words], () => ARGO_FLAGS);
  if (s.pending) return flagValue(sim, s.pending, partial, at);
  if (partial.startsWith('-')) return result(at, partial, flagNames(ARGO_FLAGS));
  const ns = s.namespace ?? ns0;
  const pos = s.positional.slice(s.positional[0] === 'argo' ? 2 : 0);
  if (pos.length === 0) return result(at, partial, helpCommands(argoRollouts(sim, ['help']).out));
  const [cmd, ...args] = pos;
  const type = ARGO_TYPE[cmd];
  if (type && args.length === 0) return result(at, partial, type);
  const objArgs = type ? args.slice(1) : args;
  if (cmd === 'list' || objArgs.length > 0) return { replaceFrom: at, candidates: [] };
  return names(sim, 'Rollout', ns, s.allNamespaces, partial, at, []);
}

// ---- kubeplay ----

/**
 * kubeplayWords reads the command words from `kubeplay help` ("  kubeplay node fail NAME …",
 * "traffic set … | stop … | list"): for each subcommand, its literal sub-words.
 */
export function kubeplayWords(help: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const l of help.split('\n')) {
    const m = /^ {2}kubeplay ([a-z]+)(.*)$/.exec(l);
    if (!m) continue;
    const subs = out.get(m[1]) ?? [];
    out.set(m[1], subs);
    // The usage ends where the description starts (two or more spaces).
    const usage = m[2].slice(1).split(/\s{2,}/)[0];
    for (const alt of usage.split(/\s\|\s/)) {
      const w = /^\s*([a-z][a-z-]*)(\s|$)/.exec(alt);
      if (w && !subs.includes(w[1])) subs.push(w[1]);
    }
  }
  return out;
}

/** KUBEPLAY_ARGS: which kind of object a kubeplay command's NAME argument is. */
const KUBEPLAY_ARGS: Record<string, string> = {
  'node fail': 'Node',
  'node recover': 'Node',
  'node remove': 'Node',
  'pod kill': 'Pod',
  trace: 'Pod',
  nslookup: 'Service',
  'traffic stop': '',
};

function completeKubeplay(sim: Sim, words: string[], partial: string, at: number): Completion {
  const s = scan(words, () => [{ name: 'namespace', short: 'n' }, { name: 'container', short: 'c' }]);
  if (s.pending) return flagValue(sim, s.pending, partial, at, { ns: s.namespace ?? contextNamespace(sim), name: s.positional[0] === 'pod' ? s.positional[2] : undefined });
  const table = kubeplayWords(kubeplayHelp(sim));
  const pos = s.positional;
  if (pos.length === 0) return result(at, partial, table.keys());
  const subs = table.get(pos[0]) ?? [];
  if (pos.length === 1 && subs.length > 0) return result(at, partial, subs);
  const path = subs.length > 0 ? `${pos[0]} ${pos[1]}` : pos[0];
  const kind = KUBEPLAY_ARGS[path];
  const argCount = pos.length - (subs.length > 0 ? 2 : 1);
  if (!kind || argCount > 0) return { replaceFrom: at, candidates: [] };
  return names(sim, kind, s.namespace ?? contextNamespace(sim), false, partial, at, []);
}
