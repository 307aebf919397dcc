import type { KubeObject } from '../../api/types.ts';
import { F, flag, namespace, type Command } from '../context.ts';
import { dryRunSuffix, qualifiedName } from '../output.ts';
import { getObject, parseResourceArgs } from '../resources.ts';
import { api, CmdError } from '../services.ts';
import { parseOutput, printObjects } from './get.ts';

/** SCALE_SUBRESOURCE: the kinds whose API has a scale subresource (what the HPA can scale). */
const SCALE_SUBRESOURCE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController', 'Rollout']);

/** int32Flag reads an int32 flag as cobra does (default when absent). */
function int32Flag(value: string | undefined, name: string, dflt: number): number {
  if (value === undefined) return dflt;
  if (!/^[+-]?\d+$/.test(value) || Math.abs(Number(value)) > 2 ** 31) {
    throw new CmdError(`error: invalid argument "${value}" for "--${name}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`);
  }
  return Number(value);
}

/** asV2 converts an autoscaling/v1 HPA spec to v2 (Convert_v1_HorizontalPodAutoscaler…): targetCPU → a cpu Utilization metric. */
function asV2(hpa: KubeObject): KubeObject {
  const { scaleTargetRef, minReplicas, maxReplicas, targetCPUUtilizationPercentage: pct } = hpa.spec as Record<string, unknown>;
  // In the v2 type's field order, as the API server writes it.
  const spec: Record<string, unknown> = { scaleTargetRef };
  if (minReplicas !== undefined) spec.minReplicas = minReplicas;
  spec.maxReplicas = maxReplicas;
  if (typeof pct === 'number') spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: pct } } }];
  return { ...hpa, apiVersion: 'autoscaling/v2', spec };
}

/**
 * autoscaleCommand is kubectl autoscale as kubectl v1.32 runs it (pkg/cmd/autoscale): an autoscaling/v1
 * HorizontalPodAutoscaler named after the target (or --name) with maxReplicas, minReplicas when --min > 0
 * and targetCPUUtilizationPercentage when --cpu-percent >= 0 (else the controller's 80 %), which the API
 * server stores as autoscaling/v2 (asV2). Prints
 * `horizontalpodautoscaler.autoscaling/web autoscaled`, as the Kubernetes docs' HPA walkthrough shows.
 */
export const autoscaleCommand: Command = {
  name: 'autoscale',
  short: 'Auto-scale a deployment, replica set, stateful set, or replication controller',
  flags: [F.output, F.dryRun, F.filename, { name: 'min' }, { name: 'max' }, { name: 'cpu-percent' }, { name: 'name' }, F.record, { name: 'save-config', bool: true }],
  run(ctx) {
    if (flag(ctx, 'max') === undefined) throw new CmdError('error: required flag(s) "max" not set');
    const min = int32Flag(flag(ctx, 'min'), 'min', -1);
    const max = int32Flag(flag(ctx, 'max'), 'max', -1);
    const cpu = int32Flag(flag(ctx, 'cpu-percent'), 'cpu-percent', -1);
    if (max < 1) throw new CmdError(`error: --max=MAXPODS is required and must be at least 1, max: ${max}`);
    if (max < min) throw new CmdError(`error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: ${max}, min: ${min}`);
    const refs = parseResourceArgs(ctx.args, 'autoscale');
    if (!refs.length) throw new CmdError('error: You must provide one or more resources by argument or filename.');
    const ns = namespace(ctx);
    const dry = flag(ctx, 'dry-run');
    const fmt = parseOutput(flag(ctx, 'output'), ['json', 'yaml', 'name']);
    let out = '';
    for (const ref of refs) {
      if (!ref.names.length) throw new CmdError('error: resource(s) were provided, but no name was specified');
      for (const name of ref.names) {
        const target = getObject(ctx.sim, ref.info, ns, name);
        if (!SCALE_SUBRESOURCE.has(ref.info.kind)) {
          const gv = ref.info.group ? `${ref.info.group}/${ref.info.versions[0]}` : `/${ref.info.versions[0]}`;
          throw new CmdError(`${out}error: cannot autoscale a ${ref.info.kind}: could not find scale subresource for ${gv}, Resource=${ref.info.plural} in discovery information`);
        }
        const spec: Record<string, unknown> = { scaleTargetRef: { apiVersion: target.apiVersion, kind: target.kind, name }, maxReplicas: max };
        if (min > 0) spec.minReplicas = min;
        if (cpu >= 0) spec.targetCPUUtilizationPercentage = cpu;
        const hpa: KubeObject = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: flag(ctx, 'name') || name, namespace: ns }, spec };
        // A client dry run prints what kubectl would send; otherwise the API server creates it (and says why
        // not). It stores and serves HPAs as autoscaling/v2 (kubectl get and describe show the v2 object, its
        // metrics and conditions), so the object created is the v1 request converted: the cpu target as a metric.
        const created = dry === 'client' ? hpa : api(ctx.sim).create(asV2(hpa), { dryRun: dry === 'server' });
        if (fmt.kind) out += printObjects([created], fmt, true);
        else out += `${qualifiedName(created)} ${dry === 'client' ? 'created' : 'autoscaled'}${dryRunSuffix(dry)}\n`;
      }
    }
    return out;
  },
};
