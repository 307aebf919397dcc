import type { Deployment, KubeObject, PodTemplateSpec, ReplicaSet } from '../../api/types.ts';
import { formatSelector } from '../../api/selector.ts';
import { objAge, type TablePrinter } from './types.ts';

/** containersAndImages is layoutContainerCells: container names and images, comma-joined. */
function containersAndImages(t: PodTemplateSpec | undefined): [string, string] {
  const cs = t?.spec?.containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image).join(',')];
}

/** deploymentPrinter is printDeployment: READY is readyReplicas/spec.replicas. */
export const deploymentPrinter: TablePrinter = {
  columns: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
  wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row(d: Deployment, ctx) {
    const s = d.status ?? {};
    return [d.metadata.name, `${s.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`, String(s.updatedReplicas ?? 0), String(s.availableReplicas ?? 0), objAge(d, ctx.now)];
  },
  wideRow(d: Deployment) {
    return [...containersAndImages(d.spec?.template), formatSelector(d.spec?.selector)];
  },
};

/** replicaSetPrinter is printReplicaSet: DESIRED spec.replicas, CURRENT status.replicas, READY readyReplicas. */
export const replicaSetPrinter: TablePrinter = {
  columns: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
  wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row(rs: ReplicaSet, ctx) {
    const s = rs.status ?? ({} as ReplicaSet['status']);
    return [rs.metadata.name, String(rs.spec?.replicas ?? 0), String(s.replicas ?? 0), String(s.readyReplicas ?? 0), objAge(rs, ctx.now)];
  },
  wideRow(rs: ReplicaSet) {
    return [...containersAndImages(rs.spec?.template), formatSelector(rs.spec?.selector)];
  },
};

/** replicationControllerPrinter is printReplicationController: the ReplicaSet's columns; the selector is a label map. */
export const replicationControllerPrinter: TablePrinter = {
  ...replicaSetPrinter,
  wideRow(rc: KubeObject) {
    return [...containersAndImages(rc.spec?.template), formatSelector({ matchLabels: rc.spec?.selector ?? {} })];
  },
};
