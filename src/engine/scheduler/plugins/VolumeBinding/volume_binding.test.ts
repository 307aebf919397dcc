import { describe, expect, it } from 'vitest';
import { Sim } from '../../../sim.ts';
import type { Pod } from '../../../api/types.ts';
import { staticHandle } from '../../testutil.ts';
import { ErrUnboundImmediate, newVolumeBinding } from './index.ts';

function pod(claims: string[]): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'i' }], volumes: claims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } })) }, status: {} } as Pod;
}

describe('VolumeBinding PreFilter', () => {
  const sim = new Sim();
  sim.store.create({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'unbound', namespace: 'default' }, spec: {} });
  sim.store.create({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'bound', namespace: 'default' }, spec: { volumeName: 'pv' } });
  sim.store.create({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'wffc', namespace: 'default' }, spec: { storageClassName: 'local' } });
  sim.store.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' });
  const plugin = newVolumeBinding({ store: sim.store }, staticHandle([]));
  const table: { name: string; claims: string[]; code: string | undefined; reason?: string }[] = [
    { name: 'no claims: Skip', claims: [], code: 'Skip' },
    { name: 'missing claim', claims: ['nope'], code: 'UnschedulableAndUnresolvable', reason: 'persistentvolumeclaim "nope" not found' },
    { name: 'unbound Immediate claim', claims: ['bound', 'unbound'], code: 'UnschedulableAndUnresolvable', reason: ErrUnboundImmediate },
    { name: 'bound and WaitForFirstConsumer claims go on to Filter', claims: ['bound', 'wffc'], code: undefined },
  ];
  it.each(table)('$name', ({ claims, code, reason }) => {
    const s = plugin.preFilter!(new Map(), pod(claims));
    expect(s?.code).toBe(code);
    if (reason) expect(s?.reasons).toEqual([reason]);
  });
});
