import type { KubeObject } from '../../api/types.ts';
import { F, flag, intFlag, namespace, type Command } from '../context.ts';
import { mutate } from '../mutate.ts';
import { getObject, parseResourceArgs, selectorPredicate, listObjects } from '../resources.ts';
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
    for (const ref of refs) {
      if (!SCALABLE.includes(ref.info.kind)) throw new CmdError(`error: no scaler has been implemented for {"${ref.info.group}" "${ref.info.kind}"}`);
      if (ref.names.length) for (const n of ref.names) objs.push(getObject(ctx.sim, ref.info, ns, n));
      else if (flag(ctx, 'selector') || ctx.flags.has('all')) pushAll(objs, listObjects(ctx.sim, ref.info, ns).filter(selectorPredicate(flag(ctx, 'selector'), ref.info)));
      else throw new CmdError(`error: resource(s) were provided, but no name was specified`);
    }
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
