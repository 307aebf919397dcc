/**
 * record.ts: the deprecated --record flag (genericclioptions' RecordFlags). With --record the objects a
 * command writes get the kubernetes.io/change-cause annotation set to the command line, which the
 * Deployment controller copies to the new ReplicaSet, so `rollout history` shows it as CHANGE-CAUSE.
 * Without the flag an annotation that is already there is brought up to date (ChangeCauseUpdateRecorder);
 * --record=false leaves it alone.
 */
import type { KubeObject } from '../api/types.ts';
import type { Sim } from '../sim.ts';
import type { Command, CommandResult } from './context.ts';
import { api } from './services.ts';
import type { ParsedArgs } from './tokenize.ts';

export const CHANGE_CAUSE = 'kubernetes.io/change-cause';

/** RECORD_DEPRECATED is cobra's notice for the deprecated flag, printed when it is given. */
export const RECORD_DEPRECATED = 'Flag --record has been deprecated, --record will be removed in the future\n';

/**
 * changeCause is parseCommandArguments: "kubectl", the words that are not flags (the command's own
 * included), then every flag given as --name=value in the order typed.
 */
export function changeCause(cmd: Command, parsed: ParsedArgs): string {
  const words = [...cmd.name.split(' '), ...parsed.args, ...(parsed.afterDash ?? [])];
  let flags = '';
  for (const [name, values] of parsed.flags) for (const v of values) flags += ` --${name}=${v}`;
  return `kubectl ${words.join(' ')}${flags}`;
}

/**
 * withRecorder runs a command that takes --record and records the change cause on what it wrote: set
 * with --record, updated where already set without it (after the command: the same object, written once more).
 */
export function withRecorder(sim: Sim, cmd: Command, parsed: ParsedArgs, run: () => CommandResult): CommandResult {
  if (!cmd.flags.some((f) => f.name === 'record')) return run();
  const given = parsed.flags.get('record');
  const mode = given === undefined ? 'update' : given.at(-1) === 'false' ? 'off' : 'set';
  const notice = given === undefined ? '' : RECORD_DEPRECATED;
  if (mode === 'off') return prefixed(notice, run());
  const written = new Map<string, KubeObject>();
  const stop = sim.store.watchAll((type, obj) => {
    if (obj.kind === 'Event') return;
    const key = `${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
    if (type === 'DELETED') written.delete(key);
    else written.set(key, obj);
  });
  let r: CommandResult;
  try {
    r = run();
  } finally {
    stop();
  }
  if (r.exit === 0 && written.size > 0) {
    const cause = changeCause(cmd, parsed);
    // kubectl annotate records before it applies the annotations asked for: an explicit change-cause wins.
    const explicit = cmd.name === 'annotate' && parsed.args.some((a) => a.startsWith(`${CHANGE_CAUSE}=`));
    for (const obj of written.values()) {
      const live = sim.store.get<KubeObject>(obj.kind, obj.metadata.namespace, obj.metadata.name);
      if (!live || explicit) continue;
      const had = live.metadata.annotations?.[CHANGE_CAUSE];
      if ((mode === 'update' && had === undefined) || had === cause) continue;
      const copy = structuredClone(live);
      copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [CHANGE_CAUSE]: cause };
      api(sim).update(copy);
    }
  }
  return prefixed(notice, r);
}

const prefixed = (notice: string, r: CommandResult): CommandResult => (notice ? { ...r, out: notice + r.out } : r);
