import { ApiError } from '../../api/errors.ts';
import type { Node, Pod, Taint } from '../../api/types.ts';
import { isQualifiedName, isValidLabelValue } from '../../api/names.ts';
import { controllerRef } from '../../api/podutil.ts';
import { kindInfo } from '../../api/kinds.ts';
import { parseLabelSelector } from '../../api/labelparse.ts';
import { boolFlag, F, flag, type Command, type Ctx } from '../context.ts';
import { apiErrorMessage } from '../errors.ts';
import { mutate } from '../mutate.ts';
import { getObject, listObjects, podsOnNode, resolveKind, selectorPredicate } from '../resources.ts';
import { dryRunSuffix } from '../output.ts';
import { api, CmdError } from '../services.ts';

/** podSelector is drain's --pod-selector, checked as DrainCmdOptions.Complete checks it. */
function podSelector(sel: string | undefined): (p: Pod) => boolean {
  if (!sel) return () => true;
  if ('error' in parseLabelSelector(sel)) throw new CmdError('error: --pod-selector=<pod_selector> must be a valid label selector');
  return selectorPredicate(sel);
}

function nodesOf(ctx: Ctx, verb: string): Node[] {
  const info = kindInfo('Node')!;
  const sel = flag(ctx, 'selector');
  if (sel) return listObjects(ctx.sim, info, undefined).filter(selectorPredicate(sel, info)) as Node[];
  const names = ctx.args.map((a) => (a.startsWith('node/') || a.startsWith('nodes/') ? a.slice(a.indexOf('/') + 1) : a));
  if (names.length === 0) throw new CmdError(`error: USAGE: ${verb} NODE [flags]\nSee 'kubectl ${verb} -h' for help and examples`);
  return names.map((n) => getObject(ctx.sim, info, '', n) as Node);
}

/** setUnschedulable is cordon/uncordon: `node/x cordoned`, or `node/x already cordoned` when nothing changes. */
function setUnschedulable(ctx: Ctx, node: Node, value: boolean): string {
  const verb = value ? 'cordoned' : 'uncordoned';
  const dry = flag(ctx, 'dry-run');
  if (!!node.spec?.unschedulable === value) return `node/${node.metadata.name} already ${verb}\n`;
  mutate(
    ctx.sim,
    node,
    (c) => {
      c.spec ??= {};
      if (value) c.spec.unschedulable = true;
      else delete c.spec.unschedulable;
    },
    dry,
  );
  return `node/${node.metadata.name} ${verb}${dryRunSuffix(dry)}\n`;
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
/** DrainStatus is drain's PodDeleteStatus: whether the pod is evicted, and the error or warning it is listed under. */
interface DrainStatus {
  del: boolean;
  err?: string;
  warn?: string;
}

const OKAY: DrainStatus = { del: true };
const finished = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** drainFilters are drain's filters.go, in makeFilters' order: DaemonSet, mirror pod, local storage, unreplicated. */
const drainFilters: ((ctx: Ctx, p: Pod) => DrainStatus)[] = [
  (ctx, p) => {
    const ref = controllerRef(p);
    if (ref?.kind !== 'DaemonSet' || finished(p)) return OKAY;
    if (!ctx.sim.store.get('DaemonSet', p.metadata.namespace, ref.name)) {
      // An orphan whose DaemonSet is gone: deleted with a warning under --force.
      const notFound = `daemonsets.apps "${ref.name}" not found`;
      return boolFlag(ctx, 'force') ? { del: true, warn: notFound } : { del: false, err: notFound };
    }
    if (!boolFlag(ctx, 'ignore-daemonsets')) return { del: false, err: 'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)' };
    return { del: false, warn: 'ignoring DaemonSet-managed Pods' };
  },
  (_ctx, p) => (p.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined ? { del: false } : OKAY),
  (ctx, p) => {
    if (!(p.spec.volumes ?? []).some((v: any) => v.emptyDir) || finished(p)) return OKAY;
    if (!boolFlag(ctx, 'delete-emptydir-data') && !boolFlag(ctx, 'delete-local-data')) return { del: false, err: 'cannot delete Pods with local storage (use --delete-emptydir-data to override)' };
    return { del: true, warn: 'deleting Pods with local storage' };
  },
  (ctx, p) => {
    if (finished(p) || controllerRef(p)) return OKAY;
    return boolFlag(ctx, 'force') ? { del: true, warn: 'deleting Pods that declare no controller' } : { del: false, err: 'cannot delete Pods that declare no controller (use --force to override)' };
  },
];

export const drainCommand: Command = {
  name: 'drain',
  short: 'Drain node in preparation for maintenance',
  flags: [F.selector, F.force, F.dryRun, F.timeout, { name: 'ignore-daemonsets', bool: true }, { name: 'delete-emptydir-data', bool: true }, { name: 'delete-local-data', bool: true }, { name: 'grace-period', int: true }, { name: 'disable-eviction', bool: true }, { name: 'pod-selector' }, { name: 'skip-wait-for-delete-timeout' }],
  run(ctx) {
    let out = '';
    const grace = flag(ctx, 'grace-period');
    let exit = 0;
    const podSel = podSelector(flag(ctx, 'pod-selector'));
    for (const node of nodesOf(ctx, 'drain')) {
      out += setUnschedulable(ctx, node, true);
      // kubectl lists the node's pods from the API server: sorted by namespace, then name.
      const pods = (podsOnNode(ctx.sim, node.metadata.name) as Pod[])
        .slice()
        .sort((a, b) => (podRef(a) < podRef(b) ? -1 : podRef(a) > podRef(b) ? 1 : 0));
      const evict: Pod[] = [];
      const errs: Record<string, Pod[]> = {};
      const warns: Record<string, Pod[]> = {};
      for (const p of pods.filter(podSel)) {
        // GetPodsForDeletion: the filters in order, each pod stopping at the first that keeps it; only the
        // last filter's status counts (a bare pod with an emptyDir is named under "no controller" alone).
        let st: DrainStatus = OKAY;
        for (const f of drainFilters) {
          st = f(ctx, p);
          if (!st.del) break;
        }
        if (st.err) (errs[st.err] ??= []).push(p);
        if (st.warn) (warns[st.warn] ??= []).push(p);
        if (st.del) evict.push(p);
      }
      const errMsgs = Object.entries(errs).map(([m, ps]) => `${m}: ${ps.map(podRef).join(', ')}`);
      if (errMsgs.length) {
        out += `error: unable to drain node "${node.metadata.name}" due to error: ${errMsgs.join(', ')}, continuing command...\nThere are pending nodes to be drained:\n ${node.metadata.name}\n${errMsgs.join('\n')}\n`;
        exit = 1;
        continue;
      }
      const warnMsgs = Object.entries(warns).map(([m, ps]) => `${m}: ${ps.map(podRef).join(', ')}`);
      if (warnMsgs.length) out += `Warning: ${warnMsgs.join('; ')}\n`;
      const dry = flag(ctx, 'dry-run');
      if (dry && dry !== 'none') {
        // deleteOrEvictPodsSimple under --dry-run: the pods it would evict, nothing evicted.
        for (const p of evict) out += `evicting pod ${podRef(p)}${dryRunSuffix(dry)}\n`;
        out += `node/${node.metadata.name} drained${dryRunSuffix(dry)}\n`;
        continue;
      }
      const server = api(ctx.sim) as any;
      // The Eviction subresource checks PodDisruptionBudgets; without the disruption controller,
      // drain falls back to deleting (as kubectl drain --disable-eviction does).
      const eviction = ctx.sim.services.get('eviction') as { evict(ns: string | undefined, name: string, opts: object): unknown } | undefined;
      const disableEviction = boolFlag(ctx, 'disable-eviction');
      const evicted: Pod[] = [];
      const blocked: Pod[] = [];
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
          blocked.push(p);
          exit = 1;
        }
      }
      for (const p of evicted) out += `pod/${p.metadata.name} evicted\n`;
      if (blocked.length) {
        // kubectl retries a refused eviction every 5 s until --timeout (forever without one); the terminal's
        // clock does not move while a command runs, so the retries end here, as at a reached timeout.
        const timeout = flag(ctx, 'timeout');
        if (timeout && timeout !== '0' && timeout !== '0s') {
          const errs = blocked.map((p) => `error when evicting pods/"${p.metadata.name}" -n "${p.metadata.namespace}": global timeout reached: ${timeout}`);
          out += `error: unable to drain node "${node.metadata.name}" due to error: ${errs.join(', ')}, continuing command...\nThere are pending nodes to be drained:\n ${node.metadata.name}\n${errs.join('\n')}\n`;
        } else {
          out += `kubeplay: kubectl would go on retrying every 5s (add --timeout to give up); the terminal does not wait, so node/${node.metadata.name} is cordoned but not drained: run the drain again once the disruption budget allows\n`;
        }
      }
      if (exit === 0) out += `node/${node.metadata.name} drained\n`;
    }
    return { exit, out };
  },
};

/** taintString is corev1.Taint.ToString: key=value:effect, key:effect or key. */
function taintString(t: Taint): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}${t.effect ? `:${t.effect}` : ''}`;
}

/** parseTaint is kubectl's parseTaint: `key=value:effect`, `key:effect` or `key` (the last only to remove). */
function parseTaint(spec: string): Taint {
  const parts = spec.split(':');
  let key: string;
  let value = '';
  let effect = '';
  if (parts.length === 1) key = parts[0];
  else if (parts.length === 2) {
    effect = parts[1];
    if (effect !== 'NoSchedule' && effect !== 'PreferNoSchedule' && effect !== 'NoExecute') throw new Error(`invalid taint effect: ${effect}, unsupported taint effect`);
    const kv = parts[0].split('=');
    if (kv.length > 2) throw new Error(`invalid taint spec: ${spec}`);
    key = kv[0];
    if (kv.length === 2) {
      value = kv[1];
      const errs = isValidLabelValue(value);
      if (errs.length) throw new Error(`invalid taint spec: ${spec}, ${errs.join('; ')}`);
    }
  } else throw new Error(`invalid taint spec: ${spec}`);
  const errs = isQualifiedName(key);
  if (errs.length) throw new Error(`invalid taint spec: ${spec}, ${errs.join('; ')}`);
  return { key, ...(value ? { value } : {}), effect: effect as Taint['effect'] };
}

const sameTaint = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;

/**
 * taintCommand is kubectl taint (pkg/cmd/taint): `key=value:effect` adds or (with --overwrite) updates a
 * node's taint, `key:effect-` removes that taint, `key-` every taint of the key. Prints `node/x tainted`,
 * `untainted`, or `modified` when it both added and removed, or with --overwrite.
 */
export const taintCommand: Command = {
  name: 'taint',
  short: 'Update the taints on one or more nodes',
  flags: [F.selector, F.all, F.overwrite, F.dryRun],
  run(ctx) {
    const usage = (msg: string) => new CmdError(`error: ${msg}\nSee 'kubectl taint -h' for help and examples`);
    // Resources first, then taint changes (anything with '=' or ':' or a trailing '-').
    const resources: string[] = [];
    const specs: string[] = [];
    for (const a of ctx.args) {
      const isTaint = a.includes('=') || a.includes(':') || a.endsWith('-');
      if (isTaint) specs.push(a);
      else if (specs.length) throw new CmdError(`error: all resources must be specified before taint changes: ${a}`);
      else resources.push(a);
    }
    if (resources.length < 1) throw new CmdError('error: one or more resources must be specified as <resource> <name>');
    if (specs.length < 1) throw new CmdError('error: at least one taint update is required');
    const add: Taint[] = [];
    const remove: Taint[] = [];
    try {
      for (const s of specs) {
        if (s.endsWith('-')) {
          const t = parseTaint(s.slice(0, -1));
          remove.push({ key: t.key, effect: t.effect });
          continue;
        }
        const t = parseTaint(s);
        if (!t.effect) throw new Error(`invalid taint spec: ${s}`);
        if (add.some((x) => sameTaint(x, t))) throw new Error(`duplicated taints with the same key and effect: ${JSON.stringify(t)}`);
        add.push(t);
      }
    } catch (e) {
      throw usage((e as Error).message);
    }
    const type = resources[0].toLowerCase();
    if (resolveKind(type).kind !== 'Node') throw new CmdError(`error: invalid resource type ${type}, only node types are supported`);
    const conflicts = add.flatMap((a) => remove.filter((r) => r.key === a.key && (!r.effect || r.effect === a.effect)).map((r) => `{"${r.key}":"${r.effect ?? ''}"}`));
    if (conflicts.length) throw new CmdError(`error: can not both modify and remove the following taint(s) in the same command: ${conflicts.join(', ')}`);
    const all = boolFlag(ctx, 'all');
    const sel = flag(ctx, 'selector');
    if (all && sel) throw new CmdError("error: setting 'all' parameter with a non empty selector is prohibited");
    if (!all && !sel && resources.length < 2) throw new CmdError("error: at least one resource name must be specified since 'all' parameter is not set");
    const info = kindInfo('Node')!;
    const nodes = all || sel ? (listObjects(ctx.sim, info, undefined).filter(selectorPredicate(sel, info)) as Node[]) : resources.slice(1).map((n) => getObject(ctx.sim, info, '', n) as Node);
    const overwrite = boolFlag(ctx, 'overwrite');
    const dry = flag(ctx, 'dry-run');
    let out = '';
    for (const node of nodes) {
      const old = node.spec?.taints ?? [];
      if (!overwrite) {
        const exists = add.filter((a) => old.some((o) => sameTaint(a, o))).map((a) => a.key);
        if (exists.length) throw new CmdError(`${out}error: node ${node.metadata.name} already has ${exists.join(',')} taint(s) with same effect(s) and --overwrite is false`);
      }
      // reorganizeTaints: the new taints, then the old ones they do not replace, less the removed ones.
      let taints = [...add, ...old.filter((o) => !add.some((a) => sameTaint(a, o)))];
      const added = taints.length !== old.length;
      const errs: string[] = [];
      let removed = false;
      for (const r of remove) {
        const kept = taints.filter((t) => (r.effect ? !sameTaint(r, t) : t.key !== r.key));
        removed = kept.length !== taints.length;
        if (!removed) errs.push(`taint "${taintString(r)}" not found`);
        taints = kept;
      }
      if (errs.length) throw new CmdError(`${out}error: ${errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`}`);
      const op = (added && removed) || overwrite ? 'modified' : added ? 'tainted' : 'untainted';
      mutate(
        ctx.sim,
        node,
        (c) => {
          c.spec ??= {} as Node['spec'];
          if (taints.length) c.spec.taints = taints;
          else delete c.spec.taints;
        },
        dry,
      );
      out += `node/${node.metadata.name} ${op}${dryRunSuffix(dry)}\n`;
    }
    return out;
  },
};
