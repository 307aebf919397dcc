import { formatSelector } from '../../api/selector.ts';
import type { KubeObject, PodTemplateSpec } from '../../api/types.ts';
import { labelsString, objAge, type TablePrinter } from './types.ts';
import { controllerRef } from '../../api/podutil.ts';
import { qualifiedKind } from '../output.ts';

function containersAndImages(t: PodTemplateSpec | undefined): [string, string] {
  const cs = t?.spec?.containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image).join(',')];
}

/** daemonSetPrinter is printDaemonSet; NODE SELECTOR is the template's nodeSelector (labels.FormatLabels). */
export const daemonSetPrinter: TablePrinter = {
  columns: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
  wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row(ds: KubeObject, ctx) {
    const s = ds.status ?? {};
    return [
      ds.metadata.name,
      String(s.desiredNumberScheduled ?? 0),
      String(s.currentNumberScheduled ?? 0),
      String(s.numberReady ?? 0),
      String(s.updatedNumberScheduled ?? 0),
      String(s.numberAvailable ?? 0),
      labelsString(ds.spec?.template?.spec?.nodeSelector),
      objAge(ds, ctx.now),
    ];
  },
  wideRow(ds: KubeObject) {
    return [...containersAndImages(ds.spec?.template), formatSelector(ds.spec?.selector)];
  },
};

/** statefulSetPrinter is printStatefulSet: READY is readyReplicas/spec.replicas. */
export const statefulSetPrinter: TablePrinter = {
  columns: ['NAME', 'READY', 'AGE'],
  wide: ['CONTAINERS', 'IMAGES'],
  row(sts: KubeObject, ctx) {
    return [sts.metadata.name, `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? 0}`, objAge(sts, ctx.now)];
  },
  wideRow(sts: KubeObject) {
    return containersAndImages(sts.spec?.template);
  },
};

/** podDisruptionBudgetPrinter is printPodDisruptionBudget: N/A for an unset bound. */
export const podDisruptionBudgetPrinter: TablePrinter = {
  columns: ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE'],
  row(pdb: KubeObject, ctx) {
    const b = (v: unknown) => (v === undefined || v === null ? 'N/A' : String(v));
    return [pdb.metadata.name, b(pdb.spec?.minAvailable), b(pdb.spec?.maxUnavailable), String(pdb.status?.disruptionsAllowed ?? 0), objAge(pdb, ctx.now)];
  },
};

/** controllerRevisionPrinter is printControllerRevision: CONTROLLER is the owner as kind.group/name. */
export const controllerRevisionPrinter: TablePrinter = {
  columns: ['NAME', 'CONTROLLER', 'REVISION', 'AGE'],
  row(cr: KubeObject, ctx) {
    const ref = controllerRef(cr);
    return [cr.metadata.name, ref ? `${qualifiedKind(ref.kind)}/${ref.name}` : '<none>', String(cr.revision ?? 0), objAge(cr, ctx.now)];
  },
};
