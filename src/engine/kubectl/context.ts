import type { Sim } from '../sim.ts';
import { parseGoDuration, parseGoInt, type FlagDef } from './tokenize.ts';
import { contextNamespace } from './kubeconfig.ts';

export interface RunOptions {
  /** files: contents of manifests named by `-f NAME`. */
  files?: Record<string, string>;
  /** stdin: the text `-f -` reads. */
  stdin?: string;
}

export interface CommandResult {
  exit: number;
  out: string;
}

/** Ctx is one parsed invocation handed to a command. */
export interface Ctx {
  sim: Sim;
  /** path is the command words as kubectl names them in help hints: "get", "rollout status". */
  path: string;
  args: string[];
  afterDash: string[] | undefined;
  flags: Map<string, string[]>;
  opts: RunOptions;
}

export interface Command {
  /** name is the command path: "get", "rollout status", "create deployment". */
  name: string;
  aliases?: string[];
  short: string;
  flags: FlagDef[];
  run(ctx: Ctx): CommandResult | string;
}

export function flag(ctx: Ctx, name: string): string | undefined {
  const v = ctx.flags.get(name);
  return v ? v[v.length - 1] : undefined;
}

/** intFlag is an int flag's value (parseFlags has refused one strconv.ParseInt refuses), or undefined when not given. */
export function intFlag(ctx: Ctx, name: string): number | undefined {
  const v = flag(ctx, name);
  if (v === undefined) return undefined;
  const n = parseGoInt(v);
  return typeof n === 'number' ? n : undefined;
}

/** durationFlag is a duration flag's value in milliseconds (parseFlags has refused a bad one), or undefined when not given. */
export function durationFlag(ctx: Ctx, name: string): number | undefined {
  const v = flag(ctx, name);
  if (v === undefined) return undefined;
  const ms = parseGoDuration(v);
  return typeof ms === 'number' ? ms : undefined;
}

export function flags(ctx: Ctx, name: string): string[] {
  return ctx.flags.get(name) ?? [];
}

/** listFlag reads a repeatable comma-separated flag, as cobra's StringSlice (--verb=get,list --verb=watch). */
export function listFlag(ctx: Ctx, name: string): string[] {
  return flags(ctx, name)
    .flatMap((v) => v.split(','))
    .filter((v) => v !== '');
}

export function boolFlag(ctx: Ctx, name: string): boolean {
  const v = flag(ctx, name);
  return v !== undefined && v !== 'false';
}

/** namespace is -n, or the current context's namespace (kubectl config set-context --current --namespace), else "default". */
export function namespace(ctx: Ctx): string {
  return flag(ctx, 'namespace') || contextNamespace(ctx.sim);
}

export const F = {
  namespace: { name: 'namespace', short: 'n' },
  allNamespaces: { name: 'all-namespaces', short: 'A', bool: true },
  output: { name: 'output', short: 'o' },
  selector: { name: 'selector', short: 'l' },
  filename: { name: 'filename', short: 'f', repeat: true },
  showLabels: { name: 'show-labels', bool: true },
  watch: { name: 'watch', short: 'w', bool: true },
  all: { name: 'all', bool: true },
  force: { name: 'force', bool: true },
  dryRun: { name: 'dry-run' },
  container: { name: 'container', short: 'c' },
  overwrite: { name: 'overwrite', bool: true },
  help: { name: 'help', short: 'h', bool: true },
  recursive: { name: 'recursive', short: 'R', bool: true },
  labelColumns: { name: 'label-columns', short: 'L', repeat: true },
  noHeaders: { name: 'no-headers', bool: true },
  sortBy: { name: 'sort-by' },
  timeout: { name: 'timeout', duration: true },
  fieldSelector: { name: 'field-selector' },
  record: { name: 'record', bool: true, deprecated: true },
  /** validate: strict (or true, the default), warn, ignore (or false): the field validation kubectl asks of the server */
  validate: { name: 'validate' },
} satisfies Record<string, FlagDef>;

/** GLOBAL_FLAGS are accepted by every command (kubectl's persistent flags). */
export const GLOBAL_FLAGS: FlagDef[] = [F.namespace, F.help, { name: 'context' }, { name: 'kubeconfig' }, { name: 'v', short: 'v' }, { name: 'request-timeout' }];
