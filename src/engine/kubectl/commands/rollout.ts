import { compileSelector } from '../../api/selector.ts';
import type { Deployment, KubeObject, ReplicaSet } from '../../api/types.ts';
import { getCondition } from '../../api/podutil.ts';
import { F, flag, intFlag, namespace, type Command, type Ctx } from '../context.ts';
import { describePodTemplate } from '../describe/podtemplate.ts';
import { mutate } from '../mutate.ts';
import { dryRunStrategy, dryRunSuffix, qualifiedName } from '../output.ts';
import { getObject, parseResourceArgs } from '../resources.ts';
import { resourceName, type KindInfo } from '../../api/kinds.ts';
import { CmdError } from '../services.ts';
import { tabwrite } from '../tabwriter.ts';
import { ownedRevisions, type ControllerRevision } from '../../controllers/history.ts';

const REVISION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';

type Workload = Deployment | KubeObject;

/** ROLLOUT_KINDS: the kinds kubectl's status and history viewers, rollbacker and restarter know. */
const ROLLOUT_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/**
 * target resolves the single workload a rollout subcommand works on; a kind kubectl has no viewer for is
 * refused in its words ("no status viewer has been implemented for ReplicaSet.apps"), and pause and
 * resume, which kubectl's ObjectPauser and ObjectResumer know only for Deployments, refuse any other
 * object once it is found.
 */
function target(ctx: Ctx): Workload {
  const sub = ctx.path.split(' ')[1];
  const refs = parseResourceArgs(ctx.args, `rollout ${sub}`);
  if (!refs.length || !refs[0].names.length) {
    throw new CmdError(`error: required resource not specified`);
  }
  const ref = refs[0];
  if (!ROLLOUT_KINDS.has(ref.info.kind)) {
    const gk = ref.info.group ? `${ref.info.kind}.${ref.info.group}` : ref.info.kind;
    // StatusViewerFor formats the GroupKind with %v, HistoryViewerFor and RollbackerFor with %q; the pauser,
    // resumer and restarter fail per object.
    if (sub === 'status') throw new CmdError(`error: no status viewer has been implemented for ${gk}`);
    if (sub === 'history') throw new CmdError(`error: no history viewer has been implemented for "${gk}"`);
    if (sub === 'undo') throw new CmdError(`error: no rollbacker has been implemented for "${gk}"`);
    throw notSupported(ref.info, ref.names[0], sub);
  }
  const obj = getObject(ctx.sim, ref.info, namespace(ctx), ref.names[0]) as Workload;
  if ((sub === 'pause' || sub === 'resume') && obj.kind !== 'Deployment') throw notSupported(ref.info, obj.metadata.name, sub);
  return obj;
}

/** notSupported is the pauser's, resumer's or restarter's per-object refusal: `statefulsets.apps "db" pausing is not supported`. */
function notSupported(info: KindInfo, name: string, sub: string): CmdError {
  return new CmdError(`error: ${resourceName(info)} "${name}" ${sub === 'pause' ? 'pausing' : sub === 'resume' ? 'resuming' : 'restarting'} is not supported`);
}

/** ownedReplicaSets lists the ReplicaSets a deployment controls (controller ownerReference), as kubectl's history viewer. */
export function ownedReplicaSets(ctx: Ctx, d: Deployment): ReplicaSet[] {
  const sel = compileSelector(d.spec?.selector);
  return ctx.sim.store
    .list<ReplicaSet>('ReplicaSet', d.metadata.namespace)
    .filter((rs) => rs.metadata.ownerReferences?.some((r) => r.controller && r.uid === d.metadata.uid) && sel(rs.metadata.labels));
}

function revisionOf(o: KubeObject): number {
  return parseInt(o.metadata.annotations?.[REVISION] ?? '0', 10) || 0;
}

/**
 * rolloutStatus is kubectl's DeploymentStatusViewer. kubeplay's runner is not interactive and kubectl never
 * advances the clock, so `rollout status` prints the line kubectl would print at this instant and exits 0 when
 * the rollout is complete, 1 otherwise (the waiting line is the output).
 */
export function rolloutStatus(d: Deployment): { done: boolean; line: string } {
  const name = d.metadata.name;
  const st = d.status ?? {};
  if ((d.metadata.generation ?? 0) <= (st.observedGeneration ?? 0)) {
    const cond = getCondition(st.conditions, 'Progressing');
    if (cond?.reason === 'ProgressDeadlineExceeded') throw new CmdError(`error: deployment "${name}" exceeded its progress deadline`);
    const replicas = d.spec?.replicas ?? 1;
    const updated = st.updatedReplicas ?? 0;
    if (updated < replicas) return { done: false, line: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...` };
    if ((st.replicas ?? 0) > updated) return { done: false, line: `Waiting for deployment "${name}" rollout to finish: ${(st.replicas ?? 0) - updated} old replicas are pending termination...` };
    if ((st.availableReplicas ?? 0) < updated) return { done: false, line: `Waiting for deployment "${name}" rollout to finish: ${st.availableReplicas ?? 0} of ${updated} updated replicas are available...` };
    return { done: true, line: `deployment "${name}" successfully rolled out` };
  }
  return { done: false, line: `Waiting for deployment spec update to be observed...` };
}

/** statefulSetStatus is kubectl's StatefulSetStatusViewer (RollingUpdate only; the partition counts). */
export function statefulSetStatus(sts: KubeObject): { done: boolean; line: string } {
  const spec = sts.spec ?? {};
  const st = sts.status ?? {};
  if (spec.updateStrategy?.type !== 'RollingUpdate') throw new CmdError('error: rollout status is only available for RollingUpdate strategy type');
  if (!st.observedGeneration || (sts.metadata.generation ?? 0) > st.observedGeneration) return { done: false, line: 'Waiting for statefulset spec update to be observed...' };
  const replicas: number | undefined = spec.replicas;
  if (replicas !== undefined && (st.readyReplicas ?? 0) < replicas) return { done: false, line: `Waiting for ${replicas - (st.readyReplicas ?? 0)} pods to be ready...` };
  const updated = st.updatedReplicas ?? 0;
  if (spec.updateStrategy.rollingUpdate) {
    const partition = spec.updateStrategy.rollingUpdate.partition;
    if (replicas !== undefined && partition !== undefined && updated < replicas - partition) {
      return { done: false, line: `Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...` };
    }
    return { done: true, line: `partitioned roll out complete: ${updated} new pods have been updated...` };
  }
  if (st.updateRevision !== st.currentRevision) return { done: false, line: `waiting for statefulset rolling update to complete ${updated} pods at revision ${st.updateRevision}...` };
  return { done: true, line: `statefulset rolling update complete ${st.currentReplicas ?? 0} pods at revision ${st.currentRevision}...` };
}

/** daemonSetStatus is kubectl's DaemonSetStatusViewer (RollingUpdate only). */
export function daemonSetStatus(ds: KubeObject): { done: boolean; line: string } {
  const name = ds.metadata.name;
  const st = ds.status ?? {};
  if (ds.spec?.updateStrategy?.type !== 'RollingUpdate') throw new CmdError('error: rollout status is only available for RollingUpdate strategy type');
  if ((ds.metadata.generation ?? 0) <= (st.observedGeneration ?? 0)) {
    const desired = st.desiredNumberScheduled ?? 0;
    if ((st.updatedNumberScheduled ?? 0) < desired) return { done: false, line: `Waiting for daemon set "${name}" rollout to finish: ${st.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...` };
    if ((st.numberAvailable ?? 0) < desired) return { done: false, line: `Waiting for daemon set "${name}" rollout to finish: ${st.numberAvailable ?? 0} of ${desired} updated pods are available...` };
    return { done: true, line: `daemon set "${name}" successfully rolled out` };
  }
  return { done: false, line: 'Waiting for daemon set spec update to be observed...' };
}

/** TIMED_OUT is what kubectl prints when a watch's --timeout passes. */
const TIMED_OUT = 'error: timed out waiting for the condition\n';

/** timeoutSet: a --timeout other than 0 (0, kubectl's default, waits for ever). */
function timeoutSet(v: string | undefined): boolean {
  return v !== undefined && !/^0+(?:\.0*)?(?:ms|s|m|h)?$/.test(v.trim());
}

export const rolloutStatusCommand: Command = {
  name: 'rollout status',
  short: 'Show the status of the rollout',
  flags: [F.watch, F.timeout, F.filename, F.selector, { name: 'revision', int: true }],
  run(ctx) {
    const o = target(ctx);
    const { done, line } = o.kind === 'StatefulSet' ? statefulSetStatus(o) : o.kind === 'DaemonSet' ? daemonSetStatus(o) : rolloutStatus(o as Deployment);
    // --watch=false prints where the rollout is and succeeds, as kubectl does; watching (the default), the
    // simulated terminal cannot wait for the clock, so an unfinished rollout is a failed wait (exit 1).
    const watching = flag(ctx, 'watch') !== 'false';
    // An explicit --timeout is a wait that gave up: kubectl's own words for it (the browser's terminal
    // watches the clock instead, see src/ui/terminal/run.ts).
    const gaveUp = !done && watching && timeoutSet(flag(ctx, 'timeout'));
    return { exit: done || !watching ? 0 : 1, out: line + '\n' + (gaveUp ? TIMED_OUT : '') };
  },
};

/**
 * withoutHash is a ReplicaSet's template without its pod-template-hash label, as the Deployment rollbacker
 * writes it back (the history viewer prints the template with the label).
 */
function withoutHash(template: any): any {
  const t = JSON.parse(JSON.stringify(template));
  if (t.metadata?.labels) delete t.metadata.labels['pod-template-hash'];
  return t;
}

/**
 * revisions are a workload's revisions by number with their pod templates: a Deployment's ReplicaSets (by
 * their revision annotation), a StatefulSet's or DaemonSet's ControllerRevisions (the template each stores).
 */
function revisions(ctx: Ctx, o: Workload): Map<number, { obj: KubeObject; template: any }> {
  const out = new Map<number, { obj: KubeObject; template: any }>();
  if (o.kind === 'Deployment') for (const rs of ownedReplicaSets(ctx, o as Deployment)) out.set(revisionOf(rs), { obj: rs, template: JSON.parse(JSON.stringify(rs.spec.template)) });
  else {
    for (const r of ownedRevisions(ctx.sim, o)) {
      const { $patch: _replace, ...template } = JSON.parse(JSON.stringify(r.data?.spec?.template ?? {}));
      out.set(r.revision, { obj: r, template });
    }
  }
  return out;
}

export const rolloutHistoryCommand: Command = {
  name: 'rollout history',
  short: 'View rollout history',
  flags: [F.filename, F.selector, F.output, { name: 'revision', int: true }],
  run(ctx) {
    const o = target(ctx);
    const byRev = revisions(ctx, o);
    const rev = intFlag(ctx, 'revision');
    if (byRev.size === 0 && o.kind !== 'Deployment') return `${qualifiedName(o)} \nNo rollout history found.\n`;
    if (rev !== undefined && rev !== 0) {
      const r = byRev.get(rev);
      if (!r) throw new CmdError(`error: unable to find the specified revision`);
      // The Deployment history viewer copies each ReplicaSet's change-cause into its template's annotations.
      const cause = o.kind === 'Deployment' ? r.obj.metadata.annotations?.[CHANGE_CAUSE] : undefined;
      if (cause) r.template.metadata = { ...r.template.metadata, annotations: { ...r.template.metadata?.annotations, [CHANGE_CAUSE]: cause } };
      return `${qualifiedName(o)} with revision #${rev}\n${describePodTemplate(r.template)}\n`;
    }
    const revs = [...byRev.keys()].sort((a, b) => a - b);
    let body = 'REVISION\tCHANGE-CAUSE\n';
    for (const r of revs) body += `${r}\t${byRev.get(r)!.obj.metadata.annotations?.[CHANGE_CAUSE] || '<none>'}\n`;
    return `${qualifiedName(o)} \n${tabwrite(body, 0, 2)}\n`;
  },
};

function sameTemplate(a: any, b: any): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: any): any {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

/**
 * rolloutUndo is kubectl's DeploymentRollbacker (client side): copy the template of the ReplicaSet with the
 * target revision (default: the previous one) into the deployment, without its pod-template-hash label, and
 * its annotations too (so a change-cause goes back to that revision's).
 */
export const rolloutUndoCommand: Command = {
  name: 'rollout undo',
  short: 'Undo a previous rollout',
  flags: [F.filename, F.selector, F.output, F.dryRun, { name: 'to-revision', int: true }],
  run(ctx) {
    const o = target(ctx);
    const deployment = o.kind === 'Deployment';
    const dryRun = dryRunStrategy(flag(ctx, 'dry-run'));
    const toRevision = intFlag(ctx, 'to-revision') ?? 0;
    if (toRevision < 0) throw new CmdError(`error: unable to find specified revision ${toRevision} in history`);
    const byRev = revisions(ctx, o);
    let to: { obj: KubeObject; template: any } | undefined;
    if (toRevision === 0) {
      const revs = [...byRev.keys()].sort((a, b) => b - a);
      // The Deployment rollbacker and the StatefulSet/DaemonSet one word "nothing to go back to" differently.
      if (revs.length < 2) throw new CmdError(deployment ? `error: no rollout history found for deployment "${o.metadata.name}"` : 'error: no last revision to roll back to');
      to = byRev.get(revs[1]);
    } else {
      to = byRev.get(toRevision);
      if (!to) throw new CmdError(`error: unable to find specified revision ${toRevision} in history`);
    }
    const tpl = deployment ? withoutHash(to!.template) : to!.template;
    // A client dry run prints the template it would go back to, and changes nothing (rollback.go: the
    // Deployment rollbacker prints the ReplicaSet's template, hash label and all, before it even looks
    // at paused; the StatefulSet and DaemonSet ones say "will roll back to" it).
    if (dryRun === 'client') return `${qualifiedName(o)} ${deployment ? '' : 'will roll back to '}${describePodTemplate(deployment ? to!.template : tpl)}${dryRunSuffix(dryRun)}\n`;
    if (deployment && o.spec?.paused) throw new CmdError(`error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again`);
    const rev = deployment ? revisionOf(to!.obj) : (to!.obj as ControllerRevision).revision;
    if (sameTemplate(tpl, o.spec.template)) return `${qualifiedName(o)} skipped rollback (current template already matches revision ${rev})${dryRunSuffix(dryRun)}\n`;
    let out = '';
    mutate(
      ctx.sim,
      o,
      (c) => {
        c.spec.template = tpl;
        if (deployment) c.metadata.annotations = rollbackAnnotations(o, to!.obj);
      },
      dryRun,
      (w) => (out += `Warning: ${w}\n`),
    );
    return `${out}${qualifiedName(o)} rolled back${dryRunSuffix(dryRun)}\n`;
  },
};

/** The annotations a Deployment keeps through a rollback; all its others are replaced by the ReplicaSet's (rollback.go annotationsToSkip). */
const ROLLBACK_KEEPS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

/** rollbackAnnotations: the Deployment's annotations in ROLLBACK_KEEPS, then the target ReplicaSet's others. */
function rollbackAnnotations(d: KubeObject, rs: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (ROLLBACK_KEEPS.has(k)) out[k] = v;
  for (const [k, v] of Object.entries(rs.metadata.annotations ?? {})) if (!ROLLBACK_KEEPS.has(k)) out[k] = v;
  return out;
}

function pauser(paused: boolean): Command {
  const verb = paused ? 'pause' : 'resume';
  return {
    name: `rollout ${verb}`,
    short: paused ? 'Mark the provided resource as paused' : 'Resume a paused resource',
    flags: [F.filename, F.selector, F.output],
    run(ctx) {
      const d = target(ctx);
      if (!!d.spec?.paused === paused) throw new CmdError(`error: deployments.apps "${d.metadata.name}" is ${paused ? 'already paused' : 'not paused'}`);
      let out = '';
      mutate(
        ctx.sim,
        d,
        (c) => {
          c.spec.paused = paused;
        },
        undefined,
        (w) => (out += `Warning: ${w}\n`),
      );
      return `${out}${qualifiedName(d)} ${paused ? 'paused' : 'resumed'}\n`;
    },
  };
}

export const rolloutPauseCommand = pauser(true);
export const rolloutResumeCommand = pauser(false);

/** rolloutRestart sets the template annotation kubectl.kubernetes.io/restartedAt to now (RFC 3339), which rolls the pods. */
export const rolloutRestartCommand: Command = {
  name: 'rollout restart',
  short: 'Restart a resource',
  flags: [F.filename, F.selector, F.output],
  run(ctx) {
    const d = target(ctx);
    if (d.kind === 'Deployment' && d.spec?.paused) throw new CmdError(`error: deployments.apps "${d.metadata.name}" can't restart paused deployment (run rollout resume first)`);
    const now = ctx.sim.nowIso();
    let out = '';
    mutate(
      ctx.sim,
      d,
      (c) => {
        const meta = (c.spec.template.metadata ??= {});
        meta.annotations = { ...(meta.annotations ?? {}), 'kubectl.kubernetes.io/restartedAt': now };
      },
      undefined,
      (w) => (out += `Warning: ${w}\n`),
    );
    return `${out}${qualifiedName(d)} restarted\n`;
  },
};
