import { ApiError } from '../../api/errors.ts';
import { kindInfo } from '../../api/kinds.ts';
import { boolFlag, F, flag, namespace, type Command, type Ctx } from '../context.ts';
import { failureLines, type Failure } from '../errors.ts';
import { checkManifest, readManifests } from '../manifests.ts';
import { dryRunStrategy, dryRunSuffix, qualifiedKind, qualifiedName } from '../output.ts';
import { api, CmdError } from '../services.ts';
import { parseOutput, printObjects } from './get.ts';
import { fieldValidation, validationOptions } from './apply.ts';

/**
 * replaceCommand is `kubectl replace -f FILE`: each manifest replaces the live object through the API
 * server's update (an unconditional update when the manifest has no resourceVersion; server-set
 * fields such as a Service's clusterIP are kept, status is the live one). `--force` deletes and
 * creates instead. Prints `deployment.apps/web replaced`; a missing object is the server's NotFound
 * with the file named, as kubectl prints it.
 */
function run(ctx: Ctx): { exit: number; out: string } {
  if (!ctx.flags.has('filename')) throw new CmdError(`error: must specify --filename to replace`);
  const dry = dryRunStrategy(flag(ctx, 'dry-run'));
  const force = boolFlag(ctx, 'force');
  const fmt = parseOutput(flag(ctx, 'output'), ['json', 'yaml', 'name', 'jsonpath']);
  const validation = fieldValidation(flag(ctx, 'validate'));
  let out = '';
  const failures: Failure[] = [];
  const opts = validationOptions(validation, (w) => (out += `Warning: ${w}\n`));
  for (const m of readManifests(ctx)) {
    try {
      checkManifest(m, namespace(ctx), flag(ctx, 'namespace'));
      let obj = m.obj;
      if (force) {
        const info = kindInfo(obj.kind)!;
        if (ctx.sim.store.get(obj.kind, info.namespaced ? obj.metadata.namespace : undefined, obj.metadata.name)) {
          if (dry === 'none') api(ctx.sim).delete(obj.kind, obj.metadata.namespace, obj.metadata.name);
          out += `${qualifiedKind(obj.kind)} "${obj.metadata.name}" deleted${dryRunSuffix(dry)}\n`;
        }
        if (dry === 'none') obj = api(ctx.sim).create(obj, opts);
      } else if (dry !== 'client') obj = api(ctx.sim).update(obj, { ...opts, dryRun: dry === 'server' });
      if (fmt.kind === 'name') out += qualifiedName(obj) + '\n';
      else if (fmt.kind) out += printObjects([obj], fmt, true);
      else out += `${qualifiedName(obj)} replaced${dryRunSuffix(dry)}\n`;
    } catch (e) {
      if (e instanceof CmdError) failures.push(e.message);
      else if (e instanceof ApiError) failures.push({ e, obj: m.obj, verb: 'replacing', source: m.source });
      else throw e;
    }
  }
  return { exit: failures.length ? 1 : 0, out: out + failureLines(failures) };
}

export const replaceCommand: Command = {
  name: 'replace',
  short: 'Replace a resource by file name or stdin',
  flags: [F.filename, F.output, F.dryRun, F.force, F.recursive, F.record, F.timeout, { name: 'grace-period', int: true }, { name: 'cascade' }, { name: 'wait', bool: true }, { name: 'save-config', bool: true }, { name: 'validate' }, { name: 'subresource' }, { name: 'field-manager' }],
  run,
};

/**
 * editCommand is kubectl edit where there is no editor to open (the runner, scenarios, the page's automation handle):
 * it says so. In the playground's terminal the Editor tab is the editor (ui/terminal/run.ts).
 */
export const editCommand: Command = {
  name: 'edit',
  short: 'Edit a resource on the server (in the playground: in the Editor tab)',
  flags: [F.output, F.filename, F.selector, { name: 'validate' }, { name: 'save-config', bool: true }, { name: 'subresource' }],
  run() {
    throw new CmdError('error: kubectl edit opens an editor, and there is none here: type it in the playground\'s terminal (it opens the Editor tab), or change the object with kubectl apply, patch, set or scale');
  },
};
