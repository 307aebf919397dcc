import { ApiError } from '../../api/errors.ts';
import type { Node, Pod } from '../../api/types.ts';
import { controllerRef } from '../../api/podutil.ts';
import { kindInfo } from '../../api/kinds.ts';
import { boolFlag, F, flag, type Command, type Ctx } from '../context.ts';
import { apiErrorMessage } from '../errors.ts';
import { mutate } from '../mutate.ts';
import { getObject, listObjects, podsOnNode, selectorPredicate } from '../resources.ts';
import { api, CmdError } from '../services.ts';

function nodesOf(ctx: Ctx, verb: string): Node[] {
  const info = kindInfo('Node')!;
  const sel = flag(ctx, 'selector');
  if (sel) return listObjects(ctx.sim, info, undefined).filter(selectorPredicate(sel)) as Node[];
  const names = ctx.args.map((a) => (a.startsWith('node/') || a.startsWith('nodes/') ? a.slice(a.indexOf('/') + 1) : a));
  if (names.length === 0) throw new CmdError(`error: USAGE: ${verb} NODE [flags]\nSee 'kubectl ${verb} -h' for help and examples`);
  return names.map((n) => getObject(ctx.sim, info, '', n) as Node);
}

/** setUnschedulable is cordon/uncordon: `node/x cordoned`, or `node/x already cordoned` when nothing changes. */
function setUnschedulable(ctx: Ctx, node: Node, value: boolean): string {
  const verb = value ? 'cordoned' : 'uncordoned';
  if (!!node.spec?.unschedulable === value) return `node/${node.metadata.name} already ${verb}\n`;
  mutate(ctx.sim, node, (c) => {
    c.spec ??= {};
    if (value) c.spec.unschedulable = true;
    else delete c.spec.unschedulable;
  });
  return `node/${node.metadata.name} ${verb}\n`;
}

const cordonFlags = [F.selector, F.dryRun];

export const cordonCommand: Command = {
  name: 'cordon',
  short: 'Mark node as unschedulable',
  flags: cordonFlags,
  run: (ctx) => nodesOf(ctx, 'cordon').map((n) => setUnschedulable(ctx, n, true)).join(''),
};

export const uncordonCommand: Command = {
  name: 'uncordon',
  short: 'Mark node as schedulable',
  flags: cordonFlags,
  run: (ctx) => nodesOf(ctx, 'uncordon').map((n) => setUnschedulable(ctx, n, false)).join(''),
};

const podRef = (p: Pod) => `${p.metadata.namespace}/${p.metadata.name}`;

/**
 * drainCommand cordons the node, then evicts its pods through the API server as kubectl drain's filters
 * decide: DaemonSet pods need --ignore-daemonsets, pods without a controller need --force, emptyDir pods
 * need --delete-emptydir-data; mirror pods and finished pods are skipped. The runner is not interactive,
 * so eviction lines print at once and kubectl does not wait for the pods to be gone.
 */
export const drainCommand: Command = {
  name: 'drain',
  short: 'Drain node in preparation for maintenance',
  flags: [F.selector, F.force, F.dryRun, F.timeout, { name: 'ignore-daemonsets', bool: true }, { name: 'delete-emptydir-data', bool: true }, { name: 'delete-local-data', bool: true }, { name: 'grace-period' }, { name: 'disable-eviction', bool: true }, { name: 'pod-selector' }, { name: 'skip-wait-for-delete-timeout' }],
  run(ctx) {
    let out = '';
    const grace = flag(ctx, 'grace-period');
    let exit = 0;
    for (const node of nodesOf(ctx, 'drain')) {
      out += setUnschedulable(ctx, node, true);
      // kubectl lists the node's pods from the API server: sorted by namespace, then name.
      const pods = (podsOnNode(ctx.sim, node.metadata.name) as Pod[])
        .slice()
        .sort((a, b) => (podRef(a) < podRef(b) ? -1 : podRef(a) > podRef(b) ? 1 : 0));
      const podSel = flag(ctx, 'pod-selector') ? selectorPredicate(flag(ctx, 'pod-selector')) : () => true;
      const evict: Pod[] = [];
      const dsIgnored: Pod[] = [];
      const errs: Record<string, Pod[]> = {};
      const fail = (msg: string, p: Pod) => (errs[msg] ??= []).push(p);
      for (const p of pods.filter(podSel)) {
        if (p.metadata.annotations?.['kubernetes.io/config.mirror']) continue;
        if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') {
          evict.push(p);
          continue;
        }
        const ref = controllerRef(p);
        if (ref?.kind === 'DaemonSet') {
          if (boolFlag(ctx, 'ignore-daemonsets')) dsIgnored.push(p);
          else fail('cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)', p);
          continue;
        }
        if (!ref && !boolFlag(ctx, 'force')) {
          fail('cannot delete Pods that declare no controller (use --force to override)', p);
          continue;
        }
        if ((p.spec.volumes ?? []).some((v: any) => v.emptyDir) && !boolFlag(ctx, 'delete-emptydir-data') && !boolFlag(ctx, 'delete-local-data')) {
          fail('cannot delete Pods with local storage (use --delete-emptydir-data to override)', p);
          continue;
        }
        evict.push(p);
      }
      const errMsgs = Object.entries(errs).map(([m, ps]) => `${m}: ${ps.map(podRef).join(', ')}`);
      if (errMsgs.length) {
        out += `error: unable to drain node "${node.metadata.name}" due to error: ${errMsgs.join(', ')}, continuing command...\nThere are pending nodes to be drained:\n ${node.metadata.name}\n${errMsgs.join('\n')}\n`;
        exit = 1;
        continue;
      }
      if (dsIgnored.length) out += `Warning: ignoring DaemonSet-managed Pods: ${dsIgnored.map(podRef).join(', ')}\n`;
      const server = api(ctx.sim) as any;
      // The Eviction subresource checks PodDisruptionBudgets; without the disruption controller,
      // drain falls back to deleting (as kubectl drain --disable-eviction does).
      const eviction = ctx.sim.services.get('eviction') as { evict(ns: string | undefined, name: string, opts: object): unknown } | undefined;
      const disableEviction = boolFlag(ctx, 'disable-eviction');
      const evicted: Pod[] = [];
      for (const p of evict) {
        out += `evicting pod ${podRef(p)}\n`;
        try {
          const opts = grace !== undefined && Number(grace) >= 0 ? { gracePeriodSeconds: Number(grace) } : {};
          if (eviction && !disableEviction) eviction.evict(p.metadata.namespace, p.metadata.name, opts);
          else server.delete('Pod', p.metadata.namespace, p.metadata.name, opts);
          evicted.push(p);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          out += `error when evicting pods/"${p.metadata.name}" -n "${p.metadata.namespace}" (will retry after 5s): ${apiErrorMessage(e).replace(/^Error from server \(\w+\): /, '')}\n`;
          exit = 1;
        }
      }
      for (const p of evicted) out += `pod/${p.metadata.name} evicted\n`;
      if (exit === 0) out += `node/${node.metadata.name} drained\n`;
    }
    return { exit, out };
  },
};
