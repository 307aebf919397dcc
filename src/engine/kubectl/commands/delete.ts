import { ApiError, methodNotAllowed } from '../../api/errors.ts';
import { kindInfo, serves } from '../../api/kinds.ts';
import type { KubeObject } from '../../api/types.ts';
import { boolFlag, F, flag, intFlag, namespace, type Command, type Ctx } from '../context.ts';
import { apiErrorMessage } from '../errors.ts';
import { checkManifest, readManifests } from '../manifests.ts';
import { dryRunSuffix, qualifiedKind } from '../output.ts';
import { fieldSelectorPredicate, listObjects, notFoundMessage, parseResourceArgs, selectorPredicate } from '../resources.ts';
import { api, CmdError } from '../services.ts';
import { NO_RESOURCES, PATHS_AND_ARGS } from '../targets.ts';

type Cascade = 'background' | 'foreground' | 'orphan';

function cascadeOf(v: string | undefined): Cascade {
  if (v === undefined || v === 'true' || v === 'background') return 'background';
  if (v === 'false' || v === 'orphan') return 'orphan';
  if (v === 'foreground') return 'foreground';
  throw new CmdError(`error: invalid cascade value (${v}). Must be "background", "foreground", or "orphan".`);
}

/**
 * deleteCommand is kubectl delete: by TYPE NAME…, TYPE/NAME, -f, -l or --all. It prints
 * `deployment.apps "web" deleted` per object (kubectl 1.31 wording), errors after.
 */
function run(ctx: Ctx): { exit: number; out: string } {
  const ns = namespace(ctx);
  const cascade = cascadeOf(flag(ctx, 'cascade'));
  let grace = intFlag(ctx, 'grace-period');
  const force = boolFlag(ctx, 'force');
  if (boolFlag(ctx, 'now')) {
    if (grace !== undefined && grace !== -1) throw new CmdError(`error: --now and --grace-period cannot be specified together`);
    grace = 1;
  }
  let out = '';
  if (force && grace === 0) {
    out += 'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n';
  } else if (force && grace === undefined) grace = 0;
  if (grace !== undefined && grace < 0) grace = undefined;
  const targets: { kind: string; ns?: string; name: string; display: string }[] = [];
  const errors: string[] = [];
  const allFlag = boolFlag(ctx, 'all');
  const selector = flag(ctx, 'selector');
  const fieldSelector = flag(ctx, 'field-selector');
  if (ctx.flags.has('filename')) {
    if (ctx.args.length) throw new CmdError(PATHS_AND_ARGS);
    for (const m of readManifests(ctx)) {
      checkManifest(m, ns, flag(ctx, 'namespace'));
      targets.push({ kind: m.obj.kind, ns: m.obj.metadata.namespace, name: m.obj.metadata.name, display: qualifiedKind(m.obj.kind) });
    }
  } else {
    if (ctx.args.length === 0) {
      throw new CmdError(NO_RESOURCES);
    }
    const refs = parseResourceArgs(ctx.args, 'delete');
    const named = refs.some((r) => r.names.length);
    if (!named && !allFlag && !selector && !fieldSelector) throw new CmdError(`error: resource(s) were provided, but no name was specified`);
    if (named && (allFlag || selector || fieldSelector)) throw new CmdError(`error: name cannot be provided when a selector is specified`);
    for (const ref of refs) {
      if (ref.names.length) {
        for (const n of ref.names) targets.push({ kind: ref.info.kind, ns: ref.info.namespaced ? ns : undefined, name: n, display: qualifiedKind(ref.info.kind) });
      } else {
        const labels = selectorPredicate(selector, ref.info, fieldSelector);
        const fields = fieldSelectorPredicate(fieldSelector, ref.info, selector);
        for (const o of listObjects(ctx.sim, ref.info, ns).filter((o) => labels(o) && fields(o))) {
          targets.push({ kind: o.kind, ns: o.metadata.namespace, name: o.metadata.name, display: qualifiedKind(o.kind) });
        }
      }
    }
    if (targets.length === 0) return { exit: 0, out: out + 'No resources found\n' };
  }
  const server = api(ctx.sim);
  const dry = flag(ctx, 'dry-run');
  const output = flag(ctx, 'output');
  if (output !== undefined && output !== 'name') throw new CmdError(`error: Unexpected -o output mode: ${output}. We only support '-o name'.\nSee 'kubectl delete -h' for help and examples`);
  const byName = output === 'name';
  // --ignore-not-found (true by default with --all) drops NotFound errors: a missing object is
  // passed over without a word (DeleteResult's r.IgnoreErrors(errors.IsNotFound)).
  const ignoreNotFound = ctx.flags.has('ignore-not-found') ? boolFlag(ctx, 'ignore-not-found') : allFlag;
  for (const t of targets) {
    // A resource without delete (componentstatuses, bindings, the reviews): the DELETE is the server's 405.
    const info = kindInfo(t.kind);
    if (info && !serves(info, 'delete')) {
      errors.push(methodNotAllowed().kubectlMessage());
      continue;
    }
    const obj: KubeObject | undefined = ctx.sim.store.get(t.kind, t.ns, t.name);
    if (!obj) {
      if (!ignoreNotFound) errors.push(notFoundMessage(kindInfo(t.kind)!, t.name));
      continue;
    }
    try {
      // --dry-run=client deletes nothing; =server lets the API server check the deletion, then keeps the object.
      if (dry !== 'client') server.delete(t.kind, t.ns, t.name, { cascade, dryRun: dry === 'server', ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}) });
      // -o name prints deployment.apps/web (the only output format delete has).
      out += byName ? `${t.display}/${t.name}\n` : `${t.display} "${t.name}" ${force && grace === 0 ? 'force deleted' : 'deleted'}${dryRunSuffix(dry)}\n`;
    } catch (e) {
      if (e instanceof ApiError) {
        if (!(ignoreNotFound && e.reason === 'NotFound')) errors.push(apiErrorMessage(e));
      } else throw e;
    }
  }
  for (const e of errors) out += e + '\n';
  return { exit: errors.length ? 1 : 0, out };
}

export const deleteCommand: Command = {
  name: 'delete',
  short: 'Delete resources by file names, stdin, resources and names, or by resources and label selector',
  flags: [F.filename, F.selector, F.all, F.allNamespaces, F.force, F.output, F.dryRun, F.recursive, F.fieldSelector, { name: 'cascade' }, { name: 'grace-period', int: true }, { name: 'now', bool: true }, { name: 'wait', bool: true }, { name: 'ignore-not-found', bool: true }, F.timeout],
  run,
};
