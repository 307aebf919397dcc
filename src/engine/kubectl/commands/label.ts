import type { KubeObject } from '../../api/types.ts';
import { boolFlag, F, flag, namespace, type Command, type Ctx } from '../context.ts';
import { mutate } from '../mutate.ts';
import { qualifiedName } from '../output.ts';
import { getObject, listObjects, parseResourceArgs, selectorPredicate } from '../resources.ts';
import { CmdError } from '../services.ts';
import { PATHS_AND_ARGS, resolveTargets } from '../targets.ts';
import { operationResult } from './get.ts';
import { pushAll } from '../../arrays.ts';
import { kindInfo } from '../../api/kinds.ts';

/** CHANGE_CAUSE is kubernetes.io/change-cause, which annotate overwrites without --overwrite. */
const CHANGE_CAUSE = 'kubernetes.io/change-cause';

/**
 * resourcesAndPairs is cmdutil.GetResourcesAndPairs: the arguments up to the first key=value or key-
 * name resources, the rest are the changes, and a resource after a change is refused.
 */
function resourcesAndPairs(args: string[], noun: string): { resArgs: string[]; changes: string[] } {
  const resArgs: string[] = [];
  const changes: string[] = [];
  for (const a of args) {
    const pair = (a.includes('=') && a[0] !== '=') || (a.endsWith('-') && a !== '-');
    if (pair) changes.push(a);
    else if (changes.length) throw new CmdError(`error: all resources must be specified before ${noun} changes: ${a}`);
    else resArgs.push(a);
  }
  return { resArgs, changes };
}

/**
 * labelOrAnnotate is kubectl label / annotate: `key=value` sets, `key-` removes; an existing key
 * with another value needs --overwrite. Prints `pod/x labeled` (`unlabeled`, `label(s) changed`, `not labeled`:
 * labelChangeMsg).
 */
function labelOrAnnotate(ctx: Ctx, field: 'labels' | 'annotations'): string {
  const noun = field === 'labels' ? 'label' : 'annotation';
  const { resArgs, changes } = resourcesAndPairs(ctx.args, noun);
  const list = boolFlag(ctx, 'list');
  // Validate: the resources first, then the updates.
  if (!resArgs.length && !ctx.flags.has('filename')) throw new CmdError(`error: one or more resources must be specified as <resource> <name> or <resource>/<name>`);
  if (changes.length === 0 && !list) throw new CmdError(`error: at least one ${noun} update is required`);
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const c of changes) {
    if (c.endsWith('-') && !c.includes('=')) remove.push(c.slice(0, -1));
    else {
      const i = c.indexOf('=');
      const k = c.slice(0, i);
      const v = c.slice(i + 1);
      if (field === 'labels' && !/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(v)) {
        throw new CmdError(`error: invalid label value: "${c}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`);
      }
      set[k] = v;
    }
  }
  if (field === 'labels' && remove.some((k) => k in set)) throw new CmdError('error: can not both modify and remove a label in the same command');
  const ns = namespace(ctx);
  const verb = field === 'labels' ? 'label' : 'annotate';
  const objs: KubeObject[] = [];
  // -f: the objects the files name (paths or resource arguments, not both, as the resource builder has it).
  const fromFiles = ctx.flags.has('filename');
  if (fromFiles) {
    if (resArgs.length) throw new CmdError(PATHS_AND_ARGS);
    for (const t of resolveTargets({ ...ctx, args: [] }, verb, true)) {
      if ('error' in t) throw new CmdError(t.error);
      objs.push(t.obj);
    }
  }
  const refs = fromFiles ? [] : parseResourceArgs(resArgs, verb);
  for (const ref of refs) {
    if (ref.names.length) for (const n of ref.names) objs.push(getObject(ctx.sim, ref.info, ns, n));
    else if (flag(ctx, 'selector') || boolFlag(ctx, 'all')) pushAll(objs, listObjects(ctx.sim, ref.info, ns).filter(selectorPredicate(flag(ctx, 'selector'), ref.info)));
    else throw new CmdError(`error: resource(s) were provided, but no name was specified`);
  }
  const overwrite = boolFlag(ctx, 'overwrite');
  let out = '';
  if (list) {
    // --list prints the keys (sorted here; Go's map order is random), under a heading unless one object was named.
    const one = objs.length === 1 && (fromFiles || (refs.length === 1 && refs[0].names.length === 1));
    for (const o of objs) {
      const info = kindInfo(o.kind);
      if (!one) out += `Listing ${field} for ${o.kind}.${info?.group ?? ''}/${o.metadata.name}:\n`;
      const cur = o.metadata[field] ?? {};
      for (const k of Object.keys(cur).sort()) out += `${one ? '' : ' '}${k}=${cur[k]}\n`;
    }
    return out;
  }
  for (const o of objs) {
    const cur = o.metadata[field] ?? {};
    if (field === 'labels') {
      for (const [k, v] of Object.entries(set)) {
        if (!overwrite && k in cur && cur[k] !== v) throw new CmdError(`error: '${k}' already has a value (${cur[k]}), and --overwrite is false`);
      }
    } else if (!overwrite) {
      // validateNoAnnotationOverwrites: every clash in one message; the change-cause may always be overwritten.
      const clashes = Object.entries(set).filter(([k, v]) => k !== CHANGE_CAUSE && k in cur && cur[k] !== v);
      if (clashes.length) throw new CmdError(`error: --overwrite is false but found the following declared annotation(s): ${clashes.map(([k]) => `'${k}' already has a value (${cur[k]})`).join('; ')}`);
    }
    const changed = Object.entries(set).some(([k, v]) => cur[k] !== v) || remove.some((k) => k in cur);
    let verb: string;
    if (field === 'labels') {
      // RunLabel: a label to remove that the object does not have is named, then the change is worded
      // by updateDataChangeMsg (labeled, unlabeled, label(s) changed or not labeled).
      if (!flag(ctx, 'dry-run')) for (const k of remove) if (!(k in cur)) out += `label "${k}" not found.\n`;
      verb = labelChangeMsg(cur, set, remove);
    } else verb = 'annotated'; // annotate's PrintFlags say "annotated", whatever changed
    if (!changed) {
      out += `${qualifiedName(o)} ${verb}\n`;
      continue;
    }
    const updated = mutate(
      ctx.sim,
      o,
      (c) => {
        const m = (c.metadata[field] ??= {}) as Record<string, string>;
        for (const k of remove) delete m[k];
        Object.assign(m, set);
      },
      flag(ctx, 'dry-run'),
    );
    out += operationResult(ctx, updated, verb);
  }
  return out;
}

/** labelChangeMsg is label.go's updateDataChangeMsg: what the new labels changed against the old. */
function labelChangeMsg(cur: Record<string, string>, set: Record<string, string>, remove: string[]): string {
  const next: Record<string, string> = { ...cur };
  for (const k of remove) delete next[k];
  Object.assign(next, set);
  let labeled = false;
  let unlabeled = false;
  for (const [k, v] of Object.entries(cur)) {
    if (!(k in next)) unlabeled = true;
    else if (next[k] !== v) labeled = true;
  }
  for (const k of Object.keys(next)) if (!(k in cur)) labeled = true;
  if (labeled && unlabeled) return 'label(s) changed';
  if (labeled) return 'labeled';
  return unlabeled ? 'unlabeled' : 'not labeled';
}

const FLAGS = [F.overwrite, F.record, F.selector, F.all, F.output, F.dryRun, F.filename, F.allNamespaces, { name: 'resource-version' }, { name: 'list', bool: true }];

export const labelCommand: Command = { name: 'label', short: 'Update the labels on a resource', flags: FLAGS, run: (ctx) => labelOrAnnotate(ctx, 'labels') };
export const annotateCommand: Command = { name: 'annotate', short: 'Update the annotations on a resource', flags: FLAGS, run: (ctx) => labelOrAnnotate(ctx, 'annotations') };
