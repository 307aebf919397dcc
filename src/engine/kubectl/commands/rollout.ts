import { compileSelector } from '../../api/selector.ts';
import type { Deployment, KubeObject, ReplicaSet } from '../../api/types.ts';
import { getCondition } from '../../api/podutil.ts';
import { F, flag, namespace, type Command, type Ctx } from '../context.ts';
import { describePodTemplate } from '../describe/podtemplate.ts';
import { mutate } from '../mutate.ts';
import { qualifiedName } from '../output.ts';
import { getObject, parseResourceArgs } from '../resources.ts';
import { CmdError } from '../services.ts';
import { tabwrite } from '../tabwriter.ts';

const REVISION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';

/** target resolves the single deployment a rollout subcommand works on. */
function target(ctx: Ctx): Deployment {
  const refs = parseResourceArgs(ctx.args, `rollout ${ctx.path.split(' ')[1]}`);
  if (!refs.length || !refs[0].names.length) {
    throw new CmdError(`error: required resource not specified`);
  }
  const ref = refs[0];
  if (ref.info.kind !== 'Deployment') throw new CmdError(`error: no ${ctx.path.split(' ')[1] === 'status' ? 'status viewer' : 'history viewer'} has been implemented for {"${ref.info.group}" "${ref.info.kind}"}`);
  return getObject(ctx.sim, ref.info, namespace(ctx), ref.names[0]) as Deployment;
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

export const rolloutStatusCommand: Command = {
  name: 'rollout status',
  short: 'Show the status of the rollout',
  flags: [F.watch, F.timeout, F.filename, F.selector, { name: 'revision' }],
  run(ctx) {
    const { done, line } = rolloutStatus(target(ctx));
    return { exit: done ? 0 : 1, out: line + '\n' };
  },
};

/** stripHash drops the pod-template-hash label, as the history viewer does before printing a template. */
function templateOf(rs: ReplicaSet): any {
  const t = JSON.parse(JSON.stringify(rs.spec.template));
  if (t.metadata?.labels) delete t.metadata.labels['pod-template-hash'];
  return t;
}

export const rolloutHistoryCommand: Command = {
  name: 'rollout history',
  short: 'View rollout history',
  flags: [F.filename, F.selector, F.output, { name: 'revision' }],
  run(ctx) {
    const d = target(ctx);
    const byRev = new Map<number, ReplicaSet>();
    for (const rs of ownedReplicaSets(ctx, d)) byRev.set(revisionOf(rs), rs);
    const revStr = flag(ctx, 'revision');
    if (revStr !== undefined && revStr !== '0') {
      const rev = parseInt(revStr, 10);
      const rs = byRev.get(rev);
      if (!rs) throw new CmdError(`error: unable to find the specified revision`);
      return `${qualifiedName(d)} with revision #${rev}\n${describePodTemplate(templateOf(rs))}\n`;
    }
    const revs = [...byRev.keys()].sort((a, b) => a - b);
    let body = 'REVISION\tCHANGE-CAUSE\n';
    for (const r of revs) body += `${r}\t${byRev.get(r)!.metadata.annotations?.[CHANGE_CAUSE] || '<none>'}\n`;
    return `${qualifiedName(d)} \n${tabwrite(body, 0, 2)}\n`;
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
 * target revision (default: the previous one) into the deployment, without its pod-template-hash label.
 */
export const rolloutUndoCommand: Command = {
  name: 'rollout undo',
  short: 'Undo a previous rollout',
  flags: [F.filename, F.selector, F.output, F.dryRun, { name: 'to-revision' }],
  run(ctx) {
    const d = target(ctx);
    if (d.spec?.paused) throw new CmdError(`error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again`);
    const toRevision = parseInt(flag(ctx, 'to-revision') ?? '0', 10);
    const byRev = new Map<number, ReplicaSet>();
    for (const rs of ownedReplicaSets(ctx, d)) byRev.set(revisionOf(rs), rs);
    let rs: ReplicaSet | undefined;
    if (toRevision === 0) {
      const revs = [...byRev.keys()].sort((a, b) => b - a);
      if (revs.length < 2) throw new CmdError(`error: no rollout history found for deployment "${d.metadata.name}"`);
      rs = byRev.get(revs[1]);
    } else {
      rs = byRev.get(toRevision);
      if (!rs) throw new CmdError(`error: unable to find specified revision ${toRevision} in history`);
    }
    const tpl = templateOf(rs!);
    if (sameTemplate(tpl, d.spec.template)) return `${qualifiedName(d)} skipped rollback (current template already matches revision ${revisionOf(rs!)})\n`;
    mutate(ctx.sim, d, (c) => {
      c.spec.template = tpl;
    });
    return `${qualifiedName(d)} rolled back\n`;
  },
};

function pauser(paused: boolean): Command {
  const verb = paused ? 'pause' : 'resume';
  return {
    name: `rollout ${verb}`,
    short: paused ? 'Mark the provided resource as paused' : 'Resume a paused resource',
    flags: [F.filename, F.selector, F.output],
    run(ctx) {
      const d = target(ctx);
      if (!!d.spec?.paused === paused) throw new CmdError(`error: deployments.apps "${d.metadata.name}" is ${paused ? 'already paused' : 'not paused'}`);
      mutate(ctx.sim, d, (c) => {
        c.spec.paused = paused;
      });
      return `${qualifiedName(d)} ${paused ? 'paused' : 'resumed'}\n`;
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
    if (d.spec?.paused) throw new CmdError(`error: deployments.apps "${d.metadata.name}" can't restart paused deployment (run rollout resume first)`);
    const now = ctx.sim.nowIso();
    mutate(ctx.sim, d, (c) => {
      const meta = (c.spec.template.metadata ??= {});
      meta.annotations = { ...(meta.annotations ?? {}), 'kubectl.kubernetes.io/restartedAt': now };
    });
    return `${qualifiedName(d)} restarted\n`;
  },
};
