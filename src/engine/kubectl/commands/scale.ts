import type { KubeObject } from '../../api/types.ts';
import { F, flag, intFlag, namespace, type Command } from '../context.ts';
import { mutate } from '../mutate.ts';
import { parseResourceArgs, selectorPredicate, listObjects } from '../resources.ts';
import { resourceName } from '../../api/kinds.ts';
import { CmdError } from '../services.ts';
import { operationResult } from './get.ts';
import { pushAll } from '../../arrays.ts';

const SCALABLE = ['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'];

/** scaleCommand sets spec.replicas (`deployment.apps/web scaled`), honouring --current-replicas as a precondition. */
export const scaleCommand: Command = {
  name: 'scale',
  short: 'Set a new size for a deployment, replica set, or replication controller',
  flags: [F.filename, F.selector, F.all, F.output, F.dryRun, F.timeout, F.record, { name: 'replicas', int: true }, { name: 'current-replicas', int: true }, { name: 'resource-version' }],
  run(ctx) {
    const replicas = intFlag(ctx, 'replicas');
    if (replicas === undefined) throw new CmdError(`error: required flag(s) "replicas" not set`);
    if (replicas < 0) throw new CmdError(`error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0`);
    const ns = namespace(ctx);
    const refs = parseResourceArgs(ctx.args, 'scale');
    if (!refs.length) throw new CmdError(`error: You must provide one or more resources by argument or filename.`);
    const objs: KubeObject[] = [];
    const missing: string[] = [];
    for (const ref of refs) {
      if (!SCALABLE.includes(ref.info.kind)) throw new CmdError(`error: no scaler has been implemented for {"${ref.info.group}" "${ref.info.kind}"}`);
      if (ref.names.length) {
        for (const n of ref.names) {
          const o = ctx.sim.store.get(ref.info.kind, ns, n);
          if (o) objs.push(o);
          else missing.push(`${resourceName(ref.info)} "${n}" not found`);
        }
      } else if (flag(ctx, 'selector') || ctx.flags.has('all')) pushAll(objs, listObjects(ctx.sim, ref.info, ns).filter(selectorPredicate(flag(ctx, 'selector'), ref.info)));
      else throw new CmdError(`error: resource(s) were provided, but no name was specified`);
    }
    // scale.go (v1.32): the builder's errors are kept, and with nothing to scale they follow its own
    // message, glued on (`no objects passed to scale deployments.apps "x" not found`, kubectl#1770);
    // a selector that matches nothing has no error to add.
    if (objs.length === 0) throw new CmdError(`error: no objects passed to scale${missing.length ? ` ${missing.length === 1 ? missing[0] : `[${missing.join(', ')}]`}` : ''}`);
    if (missing.length) throw new CmdError(`Error from server (NotFound): ${missing[0]}`);
    const current = intFlag(ctx, 'current-replicas');
    let out = '';
    for (const o of objs) {
      if (current !== undefined && current !== -1 && (o.spec?.replicas ?? 1) !== current) {
        throw new CmdError(`error: Expected replicas to be ${current}, was ${o.spec?.replicas ?? 1}`);
      }
      const updated = mutate(
        ctx.sim,
        o,
        (c) => {
          c.spec.replicas = replicas;
        },
        flag(ctx, 'dry-run'),
        (w) => (out += `Warning: ${w}\n`),
      );
      out += operationResult(ctx, updated, 'scaled');
    }
    return out;
  },
};
