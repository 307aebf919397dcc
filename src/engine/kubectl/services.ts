import type { KubeObject, Pod } from '../api/types.ts';
import type { Sim } from '../sim.ts';

/**
 * The other modules kubectl calls, typed locally so kubectl builds while they are written
 * (contracts in src/engine/README.md). A missing module is a clear error, not a crash.
 */
export interface ApiServerLike {
  create(obj: KubeObject, opts?: { dryRun?: boolean; fieldValidation?: 'Strict' | 'Warn' | 'Ignore'; warn?: (message: string) => void }): KubeObject;
  apply(obj: KubeObject, opts?: { fieldValidation?: 'Strict' | 'Warn' | 'Ignore'; warn?: (message: string) => void; dryRun?: boolean; annotate?: boolean }): { obj: KubeObject; result: 'created' | 'configured' | 'unchanged'; warning?: string };
  update(obj: KubeObject, opts?: { dryRun?: boolean; fieldValidation?: 'Strict' | 'Warn' | 'Ignore'; warn?: (message: string) => void }): KubeObject;
  delete(kind: string, ns: string | undefined, name: string, opts?: { cascade?: 'background' | 'foreground' | 'orphan'; gracePeriodSeconds?: number; dryRun?: boolean }): unknown;
  /** hasStatusSubresource / updateStatus: the status subresource (kubectl patch --subresource=status). */
  hasStatusSubresource(kind: string): boolean;
  updateStatus(obj: KubeObject, opts?: { dryRun?: boolean }): KubeObject;
}

export interface KubeletLike {
  failNode(name: string): void;
  recoverNode(name: string): void;
  logs(pod: Pod, container?: string, opts?: { previous?: boolean; namespace?: string }): string | string[];
  /** logLines: the log line by line with the virtual time each was printed (--timestamps, --since). */
  logLines?(pod: Pod, container?: string, opts?: { previous?: boolean; namespace?: string }): { at: number; text: string }[];
  /** execEnv: EnvPair tuples (network/envvars.ts); objects and maps are accepted too. */
  execEnv(pod: Pod, container?: string): Record<string, string> | ([string, string] | { name: string; value: string })[];
  /** execFile resolves a path in a container's mounted volumes (kubectl exec … -- cat/ls). */
  execFile(pod: Pod, container: string | undefined, path: string, opts?: { namespace?: string }): { kind: 'file'; data: string } | { kind: 'dir'; entries: string[] } | { kind: 'missing' };
  /** claimKnown: what is at path, on one of the container's PersistentVolumeClaims, is known (pods wrote it, or the volume started empty). */
  claimKnown?(pod: Pod, container: string, path: string): boolean;
  /** fileChanges: what the container's simulated processes have written by now (exec reads them first). */
  fileChanges?(pod: Pod, container?: string): Map<string, string | null | undefined>;
  /** execWrote: keep what an exec wrote in the container (later execs and exec probes see it). */
  execWrote?(pod: Pod, container: string | undefined, fs: readonly { at: number; path: string; data: string | null | undefined }[]): void;
  /** killContainer makes a container crash once (kubeplay pod kill); optional in the contract. */
  killContainer?(pod: Pod, container?: string): void;
}

export interface SchedulerLike {
  trace(podUid: string): unknown;
}

/** CmdError is an error whose message kubectl prints as is (exit 1). */
export class CmdError extends Error {}

/**
 * unknownSubcommand is cobra's DefaultSubCommandRun for a command group (rollout, set, create secret, config)
 * given words it has no subcommand for: RequireNoArguments' usage error, naming all its arguments (not its flags).
 */
export function unknownSubcommand(path: string, args: readonly string[]): string {
  return `error: unknown command ${JSON.stringify(args.join(' '))}\nSee '${path} -h' for help and examples`;
}

export function service<T>(sim: Sim, name: string, what: string): T {
  const s = sim.services.get(name);
  if (!s) throw new CmdError(`error: ${what} is not available: the engine module '${name}' is not installed`);
  return s as T;
}

export const api = (sim: Sim) => service<ApiServerLike>(sim, 'api', 'the API server');
export const kubelet = (sim: Sim) => service<KubeletLike>(sim, 'kubelet', 'the kubelet');
export const scheduler = (sim: Sim) => service<SchedulerLike>(sim, 'scheduler', 'the scheduler');
