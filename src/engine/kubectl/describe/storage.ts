/**
 * Describers for claims and volumes (kubectl's PersistentVolumeClaimDescriber and PersistentVolumeDescriber).
 */
import type { KubeObject, Pod } from '../../api/types.ts';
import { humanDuration, parseIsoTime } from '../../clock.ts';
import type { Sim } from '../../sim.ts';
import { nestedPairs, volumeSource } from './podtemplate.ts';
import { claimClass } from './workloads.ts';
import { accessModesString } from '../printers/storage.ts';
import { describeEvents, labelsAndAnnotations, PrefixWriter } from './writer.ts';

/** goList is Go's %v of a string slice: "[a b]". */
const goList = (l: string[] | undefined) => `[${(l ?? []).join(' ')}]`;

function status(sim: Sim, o: KubeObject): string {
  const del = o.metadata.deletionTimestamp;
  return del ? `Terminating (lasts ${humanDuration(Math.max(0, sim.now() - parseIsoTime(del)))})` : String(o.status?.phase ?? '');
}

/** describePersistentVolumeClaim follows kubectl: the claim, the pods that use it, its conditions and events. */
export function describePersistentVolumeClaim(sim: Sim, pvc: KubeObject): string {
  const w = new PrefixWriter();
  const spec = pvc.spec ?? {};
  w.line(0, 'Name:', pvc.metadata.name);
  w.line(0, 'Namespace:', pvc.metadata.namespace ?? '');
  w.line(0, 'StorageClass:', claimClass(pvc));
  w.line(0, 'Status:', status(sim, pvc));
  w.line(0, 'Volume:', spec.volumeName ?? '');
  labelsAndAnnotations(w, pvc);
  w.line(0, 'Finalizers:', goList(pvc.metadata.finalizers));
  // Capacity and access modes are the bound volume's (status), blank until the claim is bound.
  const bound = !!spec.volumeName;
  w.line(0, 'Capacity:', bound ? String(pvc.status?.capacity?.storage ?? '') : '');
  w.line(0, 'Access Modes:', bound ? accessModesString(pvc.status?.accessModes) : '');
  if (spec.volumeMode) w.line(0, 'VolumeMode:', spec.volumeMode);
  if (spec.dataSource) {
    w.write(0, 'DataSource:\n');
    if (spec.dataSource.apiGroup) w.line(1, 'APIGroup:', spec.dataSource.apiGroup);
    w.line(1, 'Kind:', spec.dataSource.kind ?? '');
    w.line(1, 'Name:', spec.dataSource.name ?? '');
  }
  const users = sim.store
    .list<Pod>('Pod', pvc.metadata.namespace)
    .filter((p) => (p.spec.volumes ?? []).some((v: any) => v?.persistentVolumeClaim?.claimName === pvc.metadata.name) || pvc.metadata.ownerReferences?.some((r) => r.kind === 'Pod' && r.uid === p.metadata.uid))
    .map((p) => p.metadata.name)
    .sort();
  if (users.length === 0) w.line(0, 'Used By:', '<none>');
  else users.forEach((n, i) => w.line(0, i === 0 ? 'Used By:' : '', n));
  const conds = (pvc.status?.conditions ?? []) as any[];
  if (conds.length) {
    w.write(0, 'Conditions:\n');
    w.line(1, 'Type', 'Status', 'LastProbeTime', 'LastTransitionTime', 'Reason', 'Message');
    w.line(1, '----', '------', '-----------------', '------------------', '------', '-------');
    for (const c of conds) w.line(1, `${c.type} `, `${c.status} `, `${c.lastProbeTime ?? ''} `, `${c.lastTransitionTime ?? ''} `, `${c.reason ?? ''} `, c.message ?? '');
  }
  describeEvents(w, sim, sim.eventsFor(pvc));
  return w.toString();
}

/** describePersistentVolume follows kubectl: the volume, its claim, node affinity and source. */
export function describePersistentVolume(sim: Sim, pv: KubeObject): string {
  const w = new PrefixWriter();
  const spec = pv.spec ?? {};
  w.line(0, 'Name:', pv.metadata.name);
  labelsAndAnnotations(w, pv);
  w.line(0, 'Finalizers:', goList(pv.metadata.finalizers));
  w.line(0, 'StorageClass:', spec.storageClassName ?? pv.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '');
  w.line(0, 'Status:', status(sim, pv));
  w.line(0, 'Claim:', spec.claimRef ? `${spec.claimRef.namespace}/${spec.claimRef.name}` : '');
  w.line(0, 'Reclaim Policy:', spec.persistentVolumeReclaimPolicy ?? '');
  w.line(0, 'Access Modes:', accessModesString(spec.accessModes));
  if (spec.volumeMode) w.line(0, 'VolumeMode:', spec.volumeMode);
  w.line(0, 'Capacity:', String(spec.capacity?.storage ?? '0'));
  const terms = (spec.nodeAffinity?.required?.nodeSelectorTerms ?? []) as { matchExpressions?: { key: string; operator: string; values?: string[] }[] }[];
  if (!spec.nodeAffinity?.required) w.line(0, 'Node Affinity:', '<none>');
  else {
    w.line(0, 'Node Affinity:', '');
    if (terms.length === 0) w.line(1, 'Required Terms:', '<none>');
    else {
      w.line(1, 'Required Terms:', '');
      terms.forEach((t, i) => {
        const reqs = t.matchExpressions ?? [];
        if (reqs.length === 0) w.line(2, `Term ${i}:`, '<none>');
        // printNodeSelectorTermsMultilineWithIndent: "key op [values]", one per line under the term.
        reqs.forEach((r, j) => w.line(2, j === 0 ? `Term ${i}:` : '', `${r.key} ${r.operator.toLowerCase()}${r.values?.length ? ` [${r.values.join(', ')}]` : ''}`));
      });
    }
  }
  w.line(0, 'Message:', pv.status?.message ?? '');
  w.write(0, 'Source:\n');
  if (spec.local) {
    w.line(2, 'Type:', 'LocalVolume (a persistent volume backed by local storage on a node)');
    w.line(2, 'Path:', String(spec.local.path ?? ''));
  } else if (spec.csi) {
    w.line(2, 'Type:', 'CSI (a Container Storage Interface (CSI) volume source)');
    w.line(2, 'Driver:', String(spec.csi.driver ?? ''));
    w.line(2, 'FSType:', String(spec.csi.fsType ?? ''));
    w.line(2, 'VolumeHandle:', String(spec.csi.volumeHandle ?? ''));
    w.line(2, 'ReadOnly:', String(spec.csi.readOnly === true));
    nestedPairs(w, 'VolumeAttributes', spec.csi.volumeAttributes, '=', true);
  } else volumeSource(w, spec);
  describeEvents(w, sim, sim.eventsFor(pv));
  return w.toString();
}
