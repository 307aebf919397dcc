import type { KubeObject } from '../../api/types.ts';
import { objAge, type TablePrinter } from './types.ts';

/** rolloutPrinter is the Rollout CRD's additionalPrinterColumns (argo-rollouts manifests/crds/rollout-crd.yaml). */
export const rolloutPrinter: TablePrinter = {
  columns: ['NAME', 'DESIRED', 'CURRENT', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
  row(ro: KubeObject, ctx) {
    const s = ro.status ?? {};
    const cell = (v: unknown) => (v === undefined || v === null ? '' : String(v));
    return [ro.metadata.name, cell(ro.spec?.replicas ?? 1), cell(s.replicas), cell(s.updatedReplicas), cell(s.availableReplicas), objAge(ro, ctx.now)];
  },
};

/** analysisRunPrinter is the AnalysisRun CRD's columns: NAME STATUS AGE. */
export const analysisRunPrinter: TablePrinter = {
  columns: ['NAME', 'STATUS', 'AGE'],
  row(ar: KubeObject, ctx) {
    return [ar.metadata.name, ar.status?.phase ?? '', objAge(ar, ctx.now)];
  },
};
