import type { Container, KubeObject } from '../../api/types.ts';
import { F, flag, namespace, type Command } from '../context.ts';
import { mutate } from '../mutate.ts';
import { qualifiedName } from '../output.ts';
import { getObject, listObjects, parseResourceArgs, selectorPredicate } from '../resources.ts';
import { CmdError } from '../services.ts';

/** podSpecOf returns the pod spec kubectl set image edits: a Pod's spec or a workload's template spec. */
function podSpecOf(o: KubeObject): { containers: Container[]; initContainers?: Container[] } | undefined {
  return o.kind === 'Pod' ? o.spec : o.spec?.template?.spec;
}

/** setImageCommand is `kubectl set image RES CONTAINER=IMAGE …` (`*` for every container). */
export const setImageCommand: Command = {
  name: 'set image',
  short: 'Update the image of a pod template',
  flags: [F.filename, F.selector, F.all, F.output, F.dryRun, F.record],
  run(ctx) {
    const resArgs = ctx.args.filter((a) => !a.includes('='));
    const pairs = ctx.args.filter((a) => a.includes('='));
    if (pairs.length === 0) throw new CmdError(`error: at least one image update is required`);
    const images = pairs.map((p) => {
      const i = p.indexOf('=');
      return { container: p.slice(0, i), image: p.slice(i + 1) };
    });
    const ns = namespace(ctx);
    const refs = parseResourceArgs(resArgs, 'set image');
    if (!refs.length) throw new CmdError(`error: one or more resources must be specified as <resource> <name> or <resource>/<name>`);
    const objs: KubeObject[] = [];
    for (const ref of refs) {
      if (ref.names.length) for (const n of ref.names) objs.push(getObject(ctx.sim, ref.info, ns, n));
      else objs.push(...listObjects(ctx.sim, ref.info, ns).filter(selectorPredicate(flag(ctx, 'selector'))));
    }
    let out = '';
    for (const o of objs) {
      const spec = podSpecOf(o);
      if (!spec) throw new CmdError(`error: ${qualifiedName(o)} has no pod template`);
      for (const { container } of images) {
        if (container !== '*' && ![...spec.containers, ...(spec.initContainers ?? [])].some((c) => c.name === container)) {
          throw new CmdError(`error: unable to find container named "${container}"`);
        }
      }
      const changed = [...spec.containers, ...(spec.initContainers ?? [])].some((c) => images.some((i) => (i.container === '*' || i.container === c.name) && c.image !== i.image));
      if (!changed) continue;
      mutate(ctx.sim, o, (copy) => {
        const s = podSpecOf(copy)!;
        for (const c of [...s.containers, ...(s.initContainers ?? [])]) {
          for (const i of images) if (i.container === '*' || i.container === c.name) c.image = i.image;
        }
      });
      out += `${qualifiedName(o)} image updated\n`;
    }
    return out;
  },
};
