/**
 * storage.ts: `kubectl get` columns for PersistentVolume, PersistentVolumeClaim and StorageClass
 * (pkg/printers/internalversion/printers.go printPersistentVolume, printPersistentVolumeClaim,
 * printStorageClass), and the policy kinds ResourceQuota (NAME AGE REQUEST LIMIT) and
 * LimitRange (NAME CREATED AT).
 */
import type { KubeObject } from '../../api/types.ts';
import { canonical } from '../../admission/resources.ts';
import { objAge, type TablePrinter } from './types.ts';

/** accessModesString is GetAccessModesAsString: RWO, ROX, RWX, RWOP in that fixed order. */
export function accessModesString(modes: string[] | undefined): string {
  const m = new Set(modes ?? []);
  const out: string[] = [];
  if (m.has('ReadWriteOnce')) out.push('RWO');
  if (m.has('ReadOnlyMany')) out.push('ROX');
  if (m.has('ReadWriteMany')) out.push('RWX');
  if (m.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

const quantityOrZero = (q: string | number | undefined): string => (q === undefined ? '0' : canonical(q));

export const persistentVolumePrinter: TablePrinter = {
  columns: ['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE'],
  wide: ['VOLUMEMODE'],
  row(pv: KubeObject, ctx) {
    const ref = pv.spec?.claimRef;
    return [
      pv.metadata.name,
      quantityOrZero(pv.spec?.capacity?.storage),
      accessModesString(pv.spec?.accessModes),
      String(pv.spec?.persistentVolumeReclaimPolicy ?? ''),
      pv.metadata.deletionTimestamp ? 'Terminating' : String(pv.status?.phase ?? ''),
      ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : '',
      String(pv.spec?.storageClassName ?? ''),
      pv.spec?.volumeAttributesClassName || '<unset>',
      String(pv.status?.reason ?? ''),
      objAge(pv, ctx.now),
    ];
  },
  wideRow(pv: KubeObject) {
    return [pv.spec?.volumeMode ?? '<unset>'];
  },
};

export const persistentVolumeClaimPrinter: TablePrinter = {
  columns: ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE'],
  wide: ['VOLUMEMODE'],
  row(pvc: KubeObject, ctx) {
    const phase = String(pvc.status?.phase ?? '');
    const bound = phase === 'Bound';
    return [
      pvc.metadata.name,
      pvc.metadata.deletionTimestamp ? 'Terminating' : phase,
      String(pvc.spec?.volumeName ?? ''),
      bound ? quantityOrZero(pvc.status?.capacity?.storage) : '',
      bound ? accessModesString(pvc.status?.accessModes) : '',
      String(pvc.spec?.storageClassName ?? ''),
      pvc.spec?.volumeAttributesClassName || '<unset>',
      objAge(pvc, ctx.now),
    ];
  },
  wideRow(pvc: KubeObject) {
    return [pvc.spec?.volumeMode ?? '<unset>'];
  },
};

export const storageClassPrinter: TablePrinter = {
  columns: ['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE'],
  row(sc: KubeObject, ctx) {
    const ann = sc.metadata.annotations ?? {};
    const isDefault = ann['storageclass.kubernetes.io/is-default-class'] === 'true' || ann['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
    return [
      isDefault ? `${sc.metadata.name} (default)` : sc.metadata.name,
      String(sc.provisioner ?? ''),
      String(sc.reclaimPolicy ?? 'Delete'),
      String(sc.volumeBindingMode ?? 'Immediate'),
      String(sc.allowVolumeExpansion === true),
      objAge(sc, ctx.now),
    ];
  },
};

/** quotaColumns is printResourceQuota's REQUEST and LIMIT cells: `name: used/hard` sorted, limits.* in LIMIT. */
export function quotaColumns(q: KubeObject): [string, string] {
  const hard: Record<string, string> = q.status?.hard ?? {};
  const used: Record<string, string> = q.status?.used ?? {};
  const req: string[] = [];
  const lim: string[] = [];
  for (const r of Object.keys(hard).sort()) {
    const pieces = r.split('.');
    const cell = `${r}: ${quantityOrZero(used[r])}/${quantityOrZero(hard[r])}`;
    (pieces.length > 1 && pieces[0] === 'limits' ? lim : req).push(cell);
  }
  return [req.join(', '), lim.join(', ')];
}

export const resourceQuotaPrinter: TablePrinter = {
  columns: ['NAME', 'AGE', 'REQUEST', 'LIMIT'],
  row(q: KubeObject, ctx) {
    return [q.metadata.name, objAge(q, ctx.now), ...quotaColumns(q)];
  },
};

export const limitRangePrinter: TablePrinter = {
  columns: ['NAME', 'CREATED AT'],
  row(lr: KubeObject) {
    return [lr.metadata.name, String(lr.metadata.creationTimestamp ?? '')];
  },
};

/** STORAGE_PRINTERS registers these printers by kind (spread into printers/index.ts). */
export const STORAGE_PRINTERS: Record<string, TablePrinter> = {
  PersistentVolume: persistentVolumePrinter,
  PersistentVolumeClaim: persistentVolumeClaimPrinter,
  StorageClass: storageClassPrinter,
  ResourceQuota: resourceQuotaPrinter,
  LimitRange: limitRangePrinter,
};
