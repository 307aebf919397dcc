/**
 * analysis.ts: the Rollout side of analysis (rollout/analysis.go reconcileAnalysisRuns). It makes
 * AnalysisRuns from AnalysisTemplates/ClusterAnalysisTemplates with the Rollout's args resolved,
 * names them as Argo does (`<rollout>-<hash>-<revision>` for background analysis, `-<step>` for an
 * inline step, `-pre`/`-post` for blue-green), records their status, aborts the Rollout when one
 * fails (or errors), pauses it when one is inconclusive, and terminates runs that are no longer needed.
 */
import type { KubeObject } from '../../api/types.ts';
import { newControllerRef } from '../../api/podutil.ts';
import { OWNER_INDEX } from '../gc.ts';
import { addPauseCondition, nowIso, type RolloutContext } from './context.ts';
import { currentCanaryStep } from './replicaset.ts';
import { isCompleted } from './analysisrun.ts';
import {
  ARGO_API_VERSION, COMPONENT, HASH_LABEL, PROGRESSING, ROLLOUT_ABORTED_REASON, ROLLOUT_TYPE_LABEL,
  isObj, revisionOf, setRolloutCondition,
} from './util.ts';

export const INCONCLUSIVE_PAUSE = 'InconclusiveAnalysisRun';

/** resolveRunArgs merges template args with the Rollout's (valueFrom podTemplateHashValue / fieldRef). */
function resolveRunArgs(c: RolloutContext, templates: KubeObject[], refArgs: unknown): { args: { name: string; value: string }[]; error?: string } {
  const values = new Map<string, string | undefined>();
  for (const t of templates) for (const a of t.spec?.args ?? []) if (isObj(a) && typeof a.name === 'string') {
    if (!values.has(a.name) || a.value !== undefined) values.set(a.name, a.value === undefined ? undefined : String(a.value));
  }
  for (const a of Array.isArray(refArgs) ? refArgs : []) {
    if (!isObj(a) || typeof a.name !== 'string') continue;
    if (a.value !== undefined) values.set(a.name, String(a.value));
    else if (isObj(a.valueFrom)) {
      const hv = a.valueFrom.podTemplateHashValue;
      if (hv === 'Stable') values.set(a.name, c.status.stableRS ?? '');
      else if (hv === 'Latest') values.set(a.name, c.newHash);
      else if (isObj(a.valueFrom.fieldRef)) values.set(a.name, fieldRef(c.ro, String(a.valueFrom.fieldRef.fieldPath ?? '')));
    }
  }
  const args: { name: string; value: string }[] = [];
  for (const [name, value] of values) {
    if (value === undefined) return { args, error: `args.${name} was not resolved` };
    args.push({ name, value });
  }
  return { args };
}

function fieldRef(ro: KubeObject, path: string): string | undefined {
  const m = /^metadata\.(name|namespace|uid)$/.exec(path);
  if (m) return String(ro.metadata[m[1]] ?? '');
  const lab = /^metadata\.(labels|annotations)\['([^']+)'\]$/.exec(path);
  if (lab) return (ro.metadata as any)[lab[1]]?.[lab[2]];
  return undefined;
}

/** runName picks the AnalysisRun's name, adding ".1", ".2" … when a past attempt holds it. */
function runName(c: RolloutContext, base: string): string {
  let name = base;
  for (let i = 1; c.sim.store.get('AnalysisRun', c.ro.metadata.namespace, name); i++) name = `${base}.${i}`;
  return name;
}

/** createAnalysisRun creates the run for an analysis reference (templates + args) of the given type. */
function createAnalysisRun(c: RolloutContext, ref: any, baseName: string, type: string, extraLabels: Record<string, string> = {}): KubeObject {
  const ns = c.ro.metadata.namespace;
  const templates: KubeObject[] = [];
  let error = '';
  for (const t of Array.isArray(ref?.templates) ? ref.templates : []) {
    const name = String(t?.templateName ?? '');
    const tpl = t?.clusterScope ? c.sim.store.get('ClusterAnalysisTemplate', undefined, name) : c.sim.store.get('AnalysisTemplate', ns, name);
    if (!tpl) {
      error ||= t?.clusterScope ? `clusteranalysistemplate.argoproj.io "${name}" not found` : `analysistemplate.argoproj.io "${name}" not found`;
      continue;
    }
    templates.push(tpl);
  }
  if (templates.length === 0 && !error) error = 'analysis has no templates';
  const { args, error: argErr } = resolveRunArgs(c, templates, ref?.args);
  error ||= argErr ?? '';
  const metrics = templates.flatMap((t) => (Array.isArray(t.spec?.metrics) ? structuredClone(t.spec.metrics) : []));
  const run: KubeObject = {
    apiVersion: ARGO_API_VERSION,
    kind: 'AnalysisRun',
    metadata: {
      name: runName(c, baseName),
      namespace: ns,
      labels: { [HASH_LABEL]: c.newHash, [ROLLOUT_TYPE_LABEL]: type, ...extraLabels },
      annotations: { 'rollout.argoproj.io/revision': String(revisionOf(c.newRS)) },
      ownerReferences: [newControllerRef(c.ro)],
    },
    spec: { metrics, args },
    status: error ? { phase: 'Error', message: error, startedAt: nowIso(c) } : { phase: 'Pending' },
  };
  c.sim.store.create(run);
  return run;
}

const runStatus = (run: KubeObject | undefined) => (run ? { name: run.metadata.name, status: run.status?.phase ?? 'Pending', ...(run.status?.message ? { message: run.status.message } : {}) } : undefined);

/** reconcileRun keeps one status slot (e.g. canary.currentStepAnalysisRunStatus) in step with its run; returns the run. */
function reconcileRun(c: RolloutContext, holder: any, slot: string, make: () => KubeObject): KubeObject {
  const name = holder[slot]?.name;
  let run = name ? c.sim.store.get('AnalysisRun', c.ro.metadata.namespace, name) : undefined;
  if (!run) run = make();
  holder[slot] = runStatus(run);
  if (run.status?.phase === 'Failed' || run.status?.phase === 'Error') abortForAnalysis(c, run);
  else if (run.status?.phase === 'Inconclusive' && !c.status.pauseConditions?.some((p: any) => p.reason === INCONCLUSIVE_PAUSE) && !c.status.controllerPause) addPauseCondition(c, INCONCLUSIVE_PAUSE);
  return run;
}

/** abortForAnalysis is what a failed AnalysisRun does to its Rollout: abort, with the run's message. */
function abortForAnalysis(c: RolloutContext, run: KubeObject): void {
  if (c.status.abort) return;
  c.status.abort = true;
  c.status.abortedAt = nowIso(c);
  const why = run.status?.message ? `: ${run.status.message}` : '';
  const msg = `Rollout aborted update to revision ${revisionOf(c.newRS)}${why}`;
  setRolloutCondition(c.status, { type: PROGRESSING, status: 'False', reason: ROLLOUT_ABORTED_REASON, message: msg }, nowIso(c));
  c.sim.recordEvent(c.ro, 'Warning', 'AnalysisRunFailed', `Analysis Run '${run.metadata.name}' Status New: '${run.status?.phase}' Previous: 'Running'`, COMPONENT);
  c.sim.recordEvent(c.ro, 'Warning', ROLLOUT_ABORTED_REASON, msg, COMPONENT);
}

/** terminateOthers sets spec.terminate on this Rollout's running AnalysisRuns not in keep. */
function terminateOthers(c: RolloutContext, keep: Set<string>): void {
  for (const run of c.sim.store.byIndex('AnalysisRun', OWNER_INDEX, c.ro.metadata.uid!)) {
    if (keep.has(run.metadata.name) || isCompleted(run.status?.phase) || run.spec?.terminate) continue;
    run.spec.terminate = true;
    c.sim.store.update(run, { specChanged: true });
  }
}

/** reconcileCanaryAnalysis runs background analysis and the current step's inline analysis. */
export function reconcileCanaryAnalysis(c: RolloutContext): void {
  const canary = c.ro.spec.strategy.canary;
  const keep = new Set<string>();
  const progressing = !!c.status.stableRS && c.status.stableRS !== c.newHash && !c.status.abort && !!c.newRS;
  const cs = (c.status.canary ??= {});
  const rev = revisionOf(c.newRS);
  const base = `${c.ro.metadata.name}-${c.newHash}-${rev}`;
  if (progressing && isObj(canary.analysis)) {
    const start = typeof canary.analysis.startingStep === 'number' ? canary.analysis.startingStep : 0;
    if ((c.status.currentStepIndex ?? 0) >= start) {
      const run = reconcileRun(c, cs, 'currentBackgroundAnalysisRunStatus', () => createAnalysisRun(c, canary.analysis, base, 'Background'));
      keep.add(run.metadata.name);
    }
  }
  const cur = currentCanaryStep(c.ro);
  if (progressing && cur?.step?.analysis) {
    const run = reconcileRun(c, cs, 'currentStepAnalysisRunStatus', () => createAnalysisRun(c, cur.step.analysis, `${base}-${cur.index}`, 'Step', { 'step-index': String(cur.index) }));
    keep.add(run.metadata.name);
  }
  if (!progressing && !c.status.abort) {
    delete cs.currentBackgroundAnalysisRunStatus;
    delete cs.currentStepAnalysisRunStatus;
  }
  if (Object.keys(cs).length === 0) delete c.status.canary;
  terminateOthers(c, keep);
}

/** prePromotionPassed: no prePromotionAnalysis, or its run succeeded (the active switch may happen). */
export function prePromotionPassed(c: RolloutContext): boolean {
  if (!isObj(c.ro.spec.strategy.blueGreen.prePromotionAnalysis)) return true;
  return c.status.blueGreen?.prePromotionAnalysisRunStatus?.status === 'Successful';
}

/** postPromotionPassed: no postPromotionAnalysis, or its run succeeded (the new RS may become stable). */
export function postPromotionPassed(c: RolloutContext): boolean {
  if (!isObj(c.ro.spec.strategy.blueGreen.postPromotionAnalysis)) return true;
  return c.status.blueGreen?.postPromotionAnalysisRunStatus?.status === 'Successful';
}

/** reconcileBlueGreenAnalysis runs pre-promotion analysis before the switch and post-promotion after it. */
export function reconcileBlueGreenAnalysis(c: RolloutContext): void {
  const bg = c.ro.spec.strategy.blueGreen;
  const st = (c.status.blueGreen ??= {});
  const keep = new Set<string>();
  const base = `${c.ro.metadata.name}-${c.newHash}-${revisionOf(c.newRS)}`;
  const updating = !!c.status.stableRS && c.status.stableRS !== c.newHash && !c.status.abort && !!c.newRS;
  const fullyUp = !!c.newRS && (c.newRS.status?.availableReplicas ?? 0) >= (c.newRS.spec.replicas ?? 0) && (c.newRS.spec.replicas ?? 0) > 0;
  if (updating && isObj(bg.prePromotionAnalysis) && fullyUp && st.activeSelector !== c.newHash) {
    keep.add(reconcileRun(c, st, 'prePromotionAnalysisRunStatus', () => createAnalysisRun(c, bg.prePromotionAnalysis, `${base}-pre`, 'PrePromotion')).metadata.name);
  }
  if (updating && isObj(bg.postPromotionAnalysis) && st.activeSelector === c.newHash) {
    keep.add(reconcileRun(c, st, 'postPromotionAnalysisRunStatus', () => createAnalysisRun(c, bg.postPromotionAnalysis, `${base}-post`, 'PostPromotion')).metadata.name);
  }
  terminateOthers(c, keep);
}
