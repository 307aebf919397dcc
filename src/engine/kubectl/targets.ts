import type { KubeObject } from '../api/types.ts';
import { flag, namespace, type Ctx } from './context.ts';
import { checkManifest, readManifests } from './manifests.ts';
import { resolveKind, getObject, listObjects, parseResourceArgs, selectorPredicate } from './resources.ts';
import { CmdError } from './services.ts';

export const NO_RESOURCES = `error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'`;

/** PATHS_AND_ARGS is the resource builder's refusal of paths together with resource arguments (visitByPaths). */
export const PATHS_AND_ARGS = 'error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well';

/** Target is one object a command acts on, or the error kubectl prints for it (NotFound) while it goes on with the rest. */
export type Target = { obj: KubeObject; source?: string } | { error: string };

/**
 * resolveTargets reads what patch, wait and similar verbs act on — `TYPE NAME…`, `TYPE/NAME…`, `TYPE -l sel`,
 * `TYPE --all` or `-f FILE` (the live object named by each manifest) — as kubectl's resource builder does
 * with ResourceTypeOrNameArgs. `requireNames` is false where a bare TYPE means every object of the type.
 */
export function resolveTargets(ctx: Ctx, verb: string, requireNames: boolean): Target[] {
  const ns = namespace(ctx);
  const out: Target[] = [];
  if (ctx.flags.has('filename')) {
    if (ctx.args.length) throw new CmdError(PATHS_AND_ARGS);
    for (const m of readManifests(ctx)) {
      checkManifest(m, ns, flag(ctx, 'namespace'));
      const info = resolveKind(m.obj.kind.toLowerCase());
      try {
        out.push({ obj: getObject(ctx.sim, info, m.obj.metadata.namespace ?? ns, m.obj.metadata.name), source: m.source });
      } catch (e) {
        if (e instanceof CmdError) out.push({ error: e.message });
        else throw e;
      }
    }
    return out;
  }
  const refs = parseResourceArgs(ctx.args, verb);
  if (refs.length === 0) throw new CmdError(NO_RESOURCES);
  for (const ref of refs) {
    if (ref.names.length) {
      for (const n of ref.names) {
        try {
          out.push({ obj: getObject(ctx.sim, ref.info, ns, n) });
        } catch (e) {
          if (e instanceof CmdError) out.push({ error: e.message });
          else throw e;
        }
      }
    } else if (!requireNames || flag(ctx, 'selector') !== undefined || ctx.flags.has('all')) {
      const all = flag(ctx, 'all-namespaces') !== undefined && flag(ctx, 'all-namespaces') !== 'false';
      for (const o of listObjects(ctx.sim, ref.info, all ? undefined : ns).filter(selectorPredicate(flag(ctx, 'selector'), ref.info))) out.push({ obj: o });
    } else throw new CmdError(`error: resource(s) were provided, but no name was specified`);
  }
  return out;
}
