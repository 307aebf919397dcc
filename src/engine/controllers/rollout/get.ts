/**
 * get.ts: `kubectl argo rollouts get rollout NAME` (pkg/kubectl-argo-rollouts/cmd/get/get_rollout.go
 * and the info package). Printed as the plugin prints with --no-color: the summary block
 * ("%-17s%v" lines), then the tree in a tabwriter (minwidth 0, padding 2) with the plugin's
 * icons: ⟳ rollout, # revision, ⧉ ReplicaSet, □ pod, α AnalysisRun; ✔ ◌ ॥ ✖ ⚠ • status icons.
 */
import type { Sim } from '../../sim.ts';
import type { KubeObject, Pod, ReplicaSet } from '../../api/types.ts';
import { humanDuration } from '../../clock.ts';
import { tabwrite } from '../../kubectl/tabwriter.ts';
import { podColumns } from '../../kubectl/podstatus.ts';
import { podsOwnedBy } from '../workloadutil.ts';
import { OWNER_INDEX } from '../gc.ts';
import { currentCanaryStep, currentSetWeight, rolloutReplicas } from './replicaset.ts';
import { SCALE_DOWN_DEADLINE_ANNOTATION, podHash, replicaSetsOf, revisionOf, timeMs, type Rollout } from './util.ts';
import { rolloutPhase } from './status.ts';

export const ICON = { ok: '✔', progressing: '◌', paused: '॥', bad: '✖', warning: '⚠', unknown: '?', neutral: '•', waiting: '◷' };

const row = (f: string) => f.padEnd(17, ' ');
const age = (sim: Sim, o: KubeObject) => humanDuration(sim.now() - timeMs(o.metadata.creationTimestamp));

/** rolloutStatusString is the STATUS the plugin prints: GetRolloutPhase's phase (rollout_info.go). */
export function rolloutStatusString(ro: Rollout): string {
  return rolloutPhase(ro).phase;
}

function statusIcon(s: string): string {
  switch (s) {
    case 'Progressing': return ICON.progressing;
    case 'Error': case 'InvalidSpec': return ICON.warning;
    case 'Paused': return ICON.paused;
    case 'Healthy': return ICON.ok;
    case 'Degraded': case 'ReplicaFailure': return ICON.bad;
    case 'Unknown': return ICON.unknown;
    case 'ScaledDown': return ICON.neutral;
  }
  return ' ';
}

/** replicaSetHealth is getReplicaSetHealth. */
function replicaSetHealth(rs: ReplicaSet): string {
  if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) return 'Progressing';
  if (rs.status?.conditions?.some((c) => c.type === 'ReplicaFailure' && c.status === 'True')) return 'ReplicaFailure';
  if ((rs.status?.availableReplicas ?? 0) < (rs.spec.replicas ?? 0)) return 'Progressing';
  return (rs.spec.replicas ?? 0) === 0 ? 'ScaledDown' : 'Healthy';
}

/** podIcon is info.podIcon for kubectl's pod STATUS words. */
function podIcon(status: string): string {
  if (status.startsWith('Init:')) return ICON.progressing;
  if (status.startsWith('Signal:') || status.startsWith('ExitCode:')) return ICON.bad;
  if (status.endsWith('Error') || status.startsWith('Err')) return ICON.warning;
  switch (status) {
    case 'Pending': case 'Terminating': case 'ContainerCreating': return ICON.progressing;
    case 'Running': case 'Completed': return ICON.ok;
    case 'Failed': case 'InvalidImageName': case 'CrashLoopBackOff': return ICON.bad;
    case 'ImagePullBackOff': case 'RegistryUnavailable': return ICON.warning;
    case 'Unknown': return ICON.unknown;
  }
  return ' ';
}

function analysisIcon(phase: string): string {
  switch (phase) {
    case 'Successful': return ICON.ok;
    case 'Inconclusive': return ICON.unknown;
    case 'Pending': return ICON.waiting;
    case 'Running': return ICON.progressing;
    case 'Failed': return ICON.bad;
    case 'Error': return ICON.warning;
  }
  return ' ';
}

interface RSInfo {
  rs: ReplicaSet;
  revision: number;
  stable: boolean;
  canary: boolean;
  active: boolean;
  preview: boolean;
}

function rsInfos(sim: Sim, ro: Rollout): RSInfo[] {
  const st = ro.status ?? {};
  const infos = replicaSetsOf(sim, ro).map((rs) => {
    const h = podHash(rs);
    const canaryStrategy = !!ro.spec?.strategy?.canary;
    const bg = !!ro.spec?.strategy?.blueGreen;
    const stable = st.stableRS === h;
    return {
      rs,
      revision: revisionOf(rs),
      stable,
      canary: canaryStrategy && !stable && st.currentPodHash === h,
      active: bg && st.blueGreen?.activeSelector === h,
      preview: bg && st.blueGreen?.activeSelector !== h && st.blueGreen?.previewSelector === h,
    };
  });
  return infos.sort((a, b) => b.revision - a.revision || a.rs.metadata.name.localeCompare(b.rs.metadata.name));
}

/** images is RolloutInfo.Images: each image of an RS with replicas, with its tags, sorted by image. */
function images(infos: RSInfo[]): string[] {
  const byImage = new Map<string, Set<string>>();
  for (const i of infos) {
    if ((i.rs.status?.replicas ?? 0) <= 0) continue;
    for (const c of i.rs.spec.template.spec.containers ?? []) {
      const tags = byImage.get(c.image) ?? new Set<string>();
      if (i.canary) tags.add('canary');
      if (i.stable) tags.add('stable');
      if (i.active) tags.add('active');
      if (i.preview) tags.add('preview');
      byImage.set(c.image, tags);
    }
  }
  return [...byImage.keys()].sort().map((img) => {
    const tags = [...byImage.get(img)!].sort();
    return tags.length ? `${img} (${tags.join(', ')})` : img;
  });
}

const prefixes = (isLast: boolean, sub: string): [string, string] => (isLast ? [sub + '└──', sub + '   '] : [sub + '├──', sub + '│  ']);

/** printRollout renders `kubectl argo rollouts get rollout NAME`. */
export function printRollout(sim: Sim, ro: Rollout): string {
  const st = ro.status ?? {};
  const infos = rsInfos(sim, ro);
  const { phase: status, message } = rolloutPhase(ro);
  const icon = statusIcon(status);
  let out = '';
  out += `${row('Name:')}${ro.metadata.name}\n${row('Namespace:')}${ro.metadata.namespace}\n${row('Status:')}${icon} ${status}\n`;
  if (message) out += `${row('Message:')}${message}\n`;
  const canary = ro.spec?.strategy?.canary;
  out += `${row('Strategy:')}${canary ? 'Canary' : ro.spec?.strategy?.blueGreen ? 'BlueGreen' : ''}\n`;
  if (canary) {
    const steps = Array.isArray(canary.steps) ? canary.steps.length : 0;
    const step = st.currentStepIndex !== undefined && steps > 0 ? `${st.currentStepIndex}/${steps}` : '';
    const setWeight = String(currentSetWeight(ro));
    let actual = '0';
    const cur = currentCanaryStep(ro);
    // rollout_info.go: past the steps the router's whole weight; with traffic routing the weight the router
    // was last given (status.canary.weights), which trails SetWeight while the canary scales.
    if (!cur || cur.step === undefined) actual = String(canary.trafficRouting?.maxTrafficWeight ?? 100);
    else if ((st.availableReplicas ?? 0) > 0) {
      if (!canary.trafficRouting) {
        for (const i of infos) if (i.canary) actual = String(Math.floor(((i.rs.status?.availableReplicas ?? 0) * 100) / st.availableReplicas));
      } else actual = typeof st.canary?.weights?.canary?.weight === 'number' ? String(st.canary.weights.canary.weight) : setWeight;
    }
    out += `${row('  Step:')}${step}\n${row('  SetWeight:')}${setWeight}\n${row('  ActualWeight:')}${actual}\n`;
  }
  const imgs = images(infos);
  imgs.forEach((img, i) => (out += `${row(i === 0 ? 'Images:' : '')}${img}\n`));
  out += 'Replicas:\n';
  out += `${row('  Desired:')}${rolloutReplicas(ro)}\n${row('  Current:')}${st.replicas ?? 0}\n${row('  Updated:')}${st.updatedReplicas ?? 0}\n`;
  out += `${row('  Ready:')}${st.readyReplicas ?? 0}\n${row('  Available:')}${st.availableReplicas ?? 0}\n\n`;
  return out + tabwrite(tree(sim, ro, infos, icon, status), 0, 2);
}

function tree(sim: Sim, ro: Rollout, infos: RSInfo[], icon: string, status: string): string {
  let t = 'NAME\tKIND\tSTATUS\tAGE\tINFO\n';
  t += `⟳ ${ro.metadata.name}\tRollout\t${icon} ${status}\t${age(sim, ro)}\t\n`;
  const runs = sim.store.byIndex('AnalysisRun', OWNER_INDEX, ro.metadata.uid!);
  const revs = [...new Set([...infos.map((i) => i.revision), ...runs.map((r) => revisionOf(r))])].sort((a, b) => b - a);
  revs.forEach((rev, ri) => {
    const [prefix, sub] = prefixes(ri === revs.length - 1, '');
    t += `${prefix}# revision:${rev}\t\t \t\t\n`;
    const rss = infos.filter((i) => i.revision === rev);
    const ars = runs.filter((r) => revisionOf(r) === rev).sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name));
    const total = rss.length + ars.length;
    let n = 0;
    for (const i of rss) {
      const [p, s] = prefixes(++n === total, sub);
      t += replicaSetLines(sim, i, p, s);
    }
    for (const ar of ars) {
      const [p, s] = prefixes(++n === total, sub);
      t += analysisRunLine(sim, ar, p, s);
    }
  });
  return t;
}

function replicaSetLines(sim: Sim, i: RSInfo, prefix: string, sub: string): string {
  const cols: string[] = [];
  if (i.stable) cols.push('stable');
  if (i.canary) cols.push('canary');
  else if (i.active) cols.push('active');
  else if (i.preview) cols.push('preview');
  const deadline = i.rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION];
  if (deadline) {
    const ms = timeMs(deadline);
    if (!Number.isNaN(ms)) cols.push(`delay:${ms < sim.now() ? 'passed' : humanDuration(ms - sim.now())}`);
  }
  const health = replicaSetHealth(i.rs);
  let t = `${prefix}⧉ ${i.rs.metadata.name}\tReplicaSet\t${statusIcon(health)} ${health}\t${age(sim, i.rs)}\t${cols.join(',')}\n`;
  const pods = podsOwnedBy(sim, i.rs.metadata.uid!).slice().sort((a: Pod, b: Pod) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name));
  pods.forEach((p, k) => {
    const [pp] = prefixes(k === pods.length - 1, sub);
    const c = podColumns(p, sim.now());
    const restarts = parseInt(c.restarts, 10) || 0;
    const info = [`ready:${c.ready}`, ...(restarts > 0 ? [`restarts:${restarts}`] : [])].join(',');
    t += `${pp}□ ${p.metadata.name}\tPod\t${podIcon(c.status)} ${c.status}\t${age(sim, p)}\t${info}\n`;
  });
  return t;
}

/**
 * analysisRunLine is PrintAnalysisRunInfo: the run, then a row for each Job its measurements ran (each
 * measurement's job-name metadata, its phase, aged from when it started), in metric order.
 */
function analysisRunLine(sim: Sim, ar: KubeObject, prefix: string, sub: string): string {
  const phase = ar.status?.phase ?? 'Pending';
  const sum = (k: string) => (ar.status?.metricResults ?? []).reduce((s: number, r: any) => s + (r[k] ?? 0), 0);
  const cols: string[] = [];
  if (sum('successful') > 0) cols.push(`${ICON.ok} ${sum('successful')}`);
  if (sum('failed') > 0) cols.push(`${ICON.bad} ${sum('failed')}`);
  if (sum('inconclusive') > 0) cols.push(`${ICON.unknown} ${sum('inconclusive')}`);
  if (sum('error') > 0) cols.push(`${ICON.warning} ${sum('error')}`);
  let t = `${prefix}α ${ar.metadata.name}\tAnalysisRun\t${analysisIcon(phase)} ${phase}\t${age(sim, ar)}\t${cols.join(',')}\n`;
  const jobs: { name: string; phase: string; startedAt?: string }[] = [];
  for (const r of ar.status?.metricResults ?? []) {
    for (const m of r.measurements ?? []) {
      const name = m.metadata?.['job-name'];
      if (typeof name === 'string') jobs.push({ name, phase: m.phase ?? 'Pending', startedAt: m.startedAt });
    }
  }
  jobs.forEach((j, k) => {
    const [p] = prefixes(k === jobs.length - 1, sub);
    const started = j.startedAt ? humanDuration(sim.now() - timeMs(j.startedAt)) : '<unknown>';
    t += `${p}⊞ ${j.name}\tJob\t${analysisIcon(j.phase)} ${j.phase}\t${started}\t\n`;
  });
  return t;
}
