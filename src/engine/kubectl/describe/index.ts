import type { KubeObject } from '../../api/types.ts';
import { F, flag, namespace, type Command } from '../context.ts';
import { getObject, listObjects, parseResourceArgs, selectorPredicate } from '../resources.ts';
import { resolveTargets } from '../targets.ts';
import { CmdError } from '../services.ts';
import { describeDeployment, describeReplicaSet, describeReplicationController } from './apps.ts';
import { describeGeneric, describeNode, describeService } from './core.ts';
import { describePod } from './pod.ts';
import { describeCronJob, describeDaemonSet, describeJob, describeStatefulSet } from './workloads.ts';
import { describePersistentVolume, describePersistentVolumeClaim } from './storage.ts';
import { describeEndpointSlice, describeIngress, describeIngressClass, describeNetworkPolicy } from './networking.ts';
import { describeHorizontalPodAutoscaler } from './autoscaling.ts';
import { describeEndpoints, describePodDisruptionBudget, describePriorityClass, describeRole, describeRoleBinding, describeServiceAccount, describeStorageClass } from './access.ts';
import { describeLimitRange, describeNamespace, describeResourceQuota } from './quota.ts';
import { describeUnstructured } from './unstructured.ts';
import type { Sim } from '../../sim.ts';
import { pushAll } from '../../arrays.ts';

/** NOT_YET_DESCRIBED: built-in kinds with a kubectl describer of their own that Kubeplay does not follow yet. */
const NOT_YET_DESCRIBED = new Set(['PodTemplate']);

/** describeObject dispatches to the kind's describer. */
export function describeObject(sim: Sim, obj: KubeObject): string {
  switch (obj.kind) {
    case 'Pod':
      return describePod(sim, obj as any);
    case 'Deployment':
      return describeDeployment(sim, obj as any);
    case 'ReplicaSet':
      return describeReplicaSet(sim, obj as any);
    case 'ReplicationController':
      return describeReplicationController(sim, obj as any);
    case 'Service':
      return describeService(sim, obj as any);
    case 'Node':
      return describeNode(sim, obj as any);
    case 'StatefulSet':
      return describeStatefulSet(sim, obj);
    case 'DaemonSet':
      return describeDaemonSet(sim, obj);
    case 'Job':
      return describeJob(sim, obj);
    case 'CronJob':
      return describeCronJob(sim, obj);
    case 'PersistentVolumeClaim':
      return describePersistentVolumeClaim(sim, obj);
    case 'PersistentVolume':
      return describePersistentVolume(sim, obj);
    case 'Ingress':
      return describeIngress(sim, obj);
    case 'NetworkPolicy':
      return describeNetworkPolicy(sim, obj);
    case 'IngressClass':
      return describeIngressClass(sim, obj);
    case 'EndpointSlice':
      return describeEndpointSlice(sim, obj);
    case 'Namespace':
      return describeNamespace(sim, obj);
    case 'ResourceQuota':
      return describeResourceQuota(obj);
    case 'LimitRange':
      return describeLimitRange(obj);
    case 'Role':
    case 'ClusterRole':
      return describeRole(obj);
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      return describeRoleBinding(obj);
    case 'ServiceAccount':
      return describeServiceAccount(sim, obj);
    case 'Endpoints':
      return describeEndpoints(sim, obj);
    case 'PodDisruptionBudget':
      return describePodDisruptionBudget(sim, obj);
    case 'StorageClass':
      return describeStorageClass(sim, obj);
    case 'PriorityClass':
      return describePriorityClass(sim, obj);
    case 'HorizontalPodAutoscaler':
      return describeHorizontalPodAutoscaler(sim, obj);
    case 'ConfigMap':
    case 'Secret':
      return describeGeneric(sim, obj);
    default:
      // Kinds kubectl has a describer for that is not simulated here: their metadata and events.
      // Everything else (custom resources such as Rollouts, ControllerRevisions, Events) gets kubectl's
      // generic describer, which prints the whole object.
      return NOT_YET_DESCRIBED.has(obj.kind) ? describeGeneric(sim, obj) : describeUnstructured(sim, obj);
  }
}

/**
 * describeCommand is kubectl describe TYPE [NAME_PREFIX…] | TYPE/NAME. A name that matches no object
 * exactly falls back to a prefix match, as kubectl does; several objects are separated by a blank line.
 */
export const describeCommand: Command = {
  name: 'describe',
  short: 'Show details of a specific resource or group of resources',
  flags: [F.selector, F.allNamespaces, F.filename, { name: 'show-events', bool: true }],
  run(ctx) {
    if (ctx.flags.has('filename')) {
      // describe -f FILE: the live object each manifest names.
      const targets = resolveTargets(ctx, 'describe', true);
      const found = targets.flatMap((t) => ('obj' in t ? [t.obj] : []));
      const missing = targets.flatMap((t) => ('error' in t ? [t.error] : []));
      return { exit: missing.length ? 1 : 0, out: found.map((o) => describeObject(ctx.sim, o)).join('\n\n') + missing.map((e) => e + '\n').join('') };
    }
    if (ctx.args.length === 0) throw new CmdError(`error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.`);
    const ns = namespace(ctx);
    const refs = parseResourceArgs(ctx.args, 'describe');
    const objs: KubeObject[] = [];
    const errors: string[] = [];
    for (const ref of refs) {
      if (!ref.names.length) {
        pushAll(objs, listObjects(ctx.sim, ref.info, ctx.flags.has('all-namespaces') ? undefined : ns).filter(selectorPredicate(flag(ctx, 'selector'), ref.info)));
        continue;
      }
      for (const n of ref.names) {
        try {
          objs.push(getObject(ctx.sim, ref.info, ns, n));
        } catch (e) {
          const prefixed = listObjects(ctx.sim, ref.info, ns).filter((o) => o.metadata.name.startsWith(n));
          if (prefixed.length) pushAll(objs, prefixed);
          else if (e instanceof CmdError) errors.push(e.message);
          else throw e;
        }
      }
    }
    if (!objs.length && !errors.length) return { exit: 0, out: `No resources found in ${ns} namespace.\n` };
    const out = objs.map((o) => describeObject(ctx.sim, o)).join('\n\n') + (objs.length ? '' : '') + errors.map((e) => e + '\n').join('');
    return { exit: errors.length ? 1 : 0, out };
  },
};
