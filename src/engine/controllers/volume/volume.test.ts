import { describe, expect, it } from 'vitest';
import { createCluster } from '../../cluster.ts';
import type { ApiServer } from '../../api/server.ts';
import type { KubeObject, Pod } from '../../api/types.ts';
import { findMatchingVolume, type PersistentVolume, type PersistentVolumeClaim } from './util.ts';
import { PROVISION_DELAY_MS } from './provisioner.ts';
import { BIND_TIMEOUT_MS, PREBIND_POLL_MS } from '../../scheduler/plugins/VolumeBinding/prebind.ts';
import type { SchedulerService } from '../../scheduler/index.ts';
import { bootstrapUid } from '../../rng.ts';
import { runCommand } from '../../kubectl/index.ts';


/** cluster: two nodes, without the default class a new cluster comes with (each test makes the classes it needs). */
function cluster() {
  const sim = createCluster({ seed: 3, nodes: [{ name: 'node-a', labels: { zone: 'a' } }, { name: 'node-b', labels: { zone: 'b' } }] } as any);
  const api = sim.service<ApiServer>('api');
  api.delete('StorageClass', undefined, 'standard');
  return { sim, api };
}

function pv(name: string, size: string, o: Partial<PersistentVolume['spec']> & { labels?: Record<string, string> } = {}): PersistentVolume {
  const { labels, ...spec } = o;
  return { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name, ...(labels ? { labels } : {}) }, spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: `/data/${name}` }, ...spec } };
}

function pvc(name: string, size: string, spec: Partial<PersistentVolumeClaim['spec']> = {}): PersistentVolumeClaim {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, ...spec } };
}

function sc(name: string, o: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner: 'example.com/disk', ...o };
}

function podWith(name: string, claim: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }] }, status: {} } as Pod;
}

const get = (sim: any, kind: string, name: string, ns?: string) => sim.store.get(kind, ns ?? (kind === 'PersistentVolume' || kind === 'StorageClass' ? undefined : 'default'), name);

describe('findMatchingVolume', () => {
  const claim = pvc('c', '5Gi', { storageClassName: 'manual' });
  const vols = (list: PersistentVolume[]) => list.map((v, i) => ({ ...v, metadata: { ...v.metadata, uid: `u${i}` }, status: { phase: 'Available' as const } }));
  const table: { name: string; claim: PersistentVolumeClaim; volumes: PersistentVolume[]; want: string | undefined }[] = [
    { name: 'smallest fitting wins', claim, volumes: vols([pv('big', '20Gi', { storageClassName: 'manual' }), pv('fit', '5Gi', { storageClassName: 'manual' }), pv('mid', '10Gi', { storageClassName: 'manual' })]), want: 'fit' },
    { name: 'too small never', claim, volumes: vols([pv('small', '1Gi', { storageClassName: 'manual' })]), want: undefined },
    { name: 'class must match', claim, volumes: vols([pv('other', '5Gi', { storageClassName: 'fast' }), pv('none', '5Gi')]), want: undefined },
    { name: 'empty class matches class-less', claim: pvc('c', '1Gi', { storageClassName: '' }), volumes: vols([pv('cls', '1Gi', { storageClassName: 'manual' }), pv('none', '2Gi')]), want: 'none' },
    { name: 'access modes must be offered', claim: pvc('c', '1Gi', { accessModes: ['ReadWriteMany'] }), volumes: vols([pv('rwo', '1Gi'), pv('rwx', '3Gi', { accessModes: ['ReadWriteOnce', 'ReadWriteMany'] })]), want: 'rwx' },
    { name: 'volume mode must match', claim: pvc('c', '1Gi', { volumeMode: 'Block' }), volumes: vols([pv('fs', '1Gi'), pv('blk', '2Gi', { volumeMode: 'Block' })]), want: 'blk' },
    { name: 'selector filters by label', claim: pvc('c', '1Gi', { selector: { matchLabels: { tier: 'gold' } } }), volumes: vols([pv('plain', '1Gi'), pv('gold', '4Gi', { labels: { tier: 'gold' } })]), want: 'gold' },
    { name: 'claimed volumes are skipped', claim: pvc('c', '1Gi'), volumes: vols([pv('taken', '1Gi', { claimRef: { namespace: 'default', name: 'other' } })]), want: undefined },
    { name: 'pre-bound to this claim wins', claim: pvc('c', '1Gi'), volumes: vols([pv('fit', '1Gi'), pv('mine', '9Gi', { claimRef: { namespace: 'default', name: 'c' } })]), want: 'mine' },
  ];
  it.each(table)('$name', ({ claim: c, volumes, want }) => {
    expect(findMatchingVolume({ ...c, metadata: { ...c.metadata, uid: 'claim-uid' } }, volumes)?.metadata.name).toBe(want);
  });
});

describe('PersistentVolume binder', () => {
  it('binds statically, smallest first, with upstream annotations; Retain leaves the volume Released', () => {
    const { sim, api } = cluster();
    api.create(pv('pv-10', '10Gi'));
    api.create(pv('pv-5', '5Gi'));
    sim.settle();
    expect(get(sim, 'PersistentVolume', 'pv-5').status.phase).toBe('Available');
    api.create(pvc('data', '3Gi', { storageClassName: '' }));
    sim.settle();
    const c = get(sim, 'PersistentVolumeClaim', 'data');
    expect(c.spec.volumeName).toBe('pv-5');
    expect(c.status).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '5Gi' } });
    expect(c.metadata.annotations).toMatchObject({ 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' });
    const v = get(sim, 'PersistentVolume', 'pv-5');
    expect(v.status.phase).toBe('Bound');
    expect(v.spec.claimRef).toMatchObject({ kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: c.metadata.uid });
    api.delete('PersistentVolumeClaim', 'default', 'data');
    sim.settle();
    expect(get(sim, 'PersistentVolume', 'pv-5').status.phase).toBe('Released');
    // A Released volume is not reused until an admin clears its claimRef.
    api.create(pvc('again', '3Gi', { storageClassName: '' }));
    sim.settle();
    expect(get(sim, 'PersistentVolumeClaim', 'again').spec.volumeName).toBe('pv-10');
    const released = api.get<PersistentVolume>('PersistentVolume', undefined, 'pv-5');
    delete released.spec.claimRef;
    api.update(released);
    sim.settle();
    expect(get(sim, 'PersistentVolume', 'pv-5').status.phase).toBe('Available');
  });

  it('waits with FailedBinding when nothing fits and no class is set', () => {
    const { sim, api } = cluster();
    api.create(pvc('data', '3Gi', { storageClassName: '' }));
    sim.settle();
    expect(get(sim, 'PersistentVolumeClaim', 'data').status.phase).toBe('Pending');
    const ev = sim.eventsFor(get(sim, 'PersistentVolumeClaim', 'data'));
    expect(ev.map((e) => [e.type, e.reason, e.message, e.source.component])).toEqual([['Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set', 'persistentvolume-controller']]);
    api.create(pv('late', '3Gi'));
    sim.settle();
    expect(get(sim, 'PersistentVolumeClaim', 'data').status.phase).toBe('Bound');
  });

  it('provisions dynamically for the default class (Immediate), Delete removes the volume with its claim', () => {
    const { sim, api } = cluster();
    api.create(sc('standard', { metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } }));
    const claim = api.create(pvc('data', '2Gi'));
    expect(claim.spec.storageClassName).toBe('standard');
    sim.settle();
    expect(get(sim, 'PersistentVolumeClaim', 'data').status.phase).toBe('Pending');
    sim.runFor(PROVISION_DELAY_MS);
    const c = get(sim, 'PersistentVolumeClaim', 'data');
    expect(c.status.phase).toBe('Bound');
    expect(c.spec.volumeName).toBe(`pvc-${c.metadata.uid}`);
    const v = get(sim, 'PersistentVolume', c.spec.volumeName);
    expect(v.spec).toMatchObject({ capacity: { storage: '2Gi' }, persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'standard' });
    expect(sim.eventsFor(c).map((e) => e.reason)).toEqual(['ExternalProvisioning', 'Provisioning', 'ProvisioningSucceeded']);
    api.delete('PersistentVolumeClaim', 'default', 'data');
    sim.settle();
    expect(get(sim, 'PersistentVolume', c.spec.volumeName)).toBeUndefined();
  });

  it('reports an unknown class and no-provisioner classes', () => {
    const { sim, api } = cluster();
    api.create(pvc('a', '1Gi', { storageClassName: 'missing' }));
    api.create(sc('local', { provisioner: 'kubernetes.io/no-provisioner' }));
    api.create(pvc('b', '1Gi', { storageClassName: 'local' }));
    sim.settle();
    expect(sim.eventsFor(get(sim, 'PersistentVolumeClaim', 'a'))[0].message).toBe('storageclass.storage.k8s.io "missing" not found');
    expect(sim.eventsFor(get(sim, 'PersistentVolumeClaim', 'b'))[0].message).toBe('no volume plugin matched name: kubernetes.io/no-provisioner');
  });
});

describe('pods and claims (VolumeBinding)', () => {
  it('a pod stays Pending until its Immediate claim binds', () => {
    const { sim, api } = cluster();
    api.create(pvc('data', '1Gi', { storageClassName: '' }));
    api.create(podWith('app', 'data'));
    sim.settle();
    const p = get(sim, 'Pod', 'app');
    expect(p.spec.nodeName).toBeUndefined();
    const fs = sim.eventsFor(p).find((e) => e.reason === 'FailedScheduling')!;
    expect(fs.message).toBe('0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling..');
    api.create(pv('vol', '1Gi'));
    sim.runFor(6 * 60_000); // the scheduler retries at its 5-minute unschedulable flush (no PVC event hook yet)
    expect(get(sim, 'Pod', 'app').spec.nodeName).toBeDefined();
  });

  it('a missing claim is reported by name', () => {
    const { sim, api } = cluster();
    api.create(podWith('app', 'nope'));
    sim.settle();
    expect(sim.eventsFor(get(sim, 'Pod', 'app')).find((e) => e.reason === 'FailedScheduling')!.message).toContain('persistentvolumeclaim "nope" not found');
  });

  it('WaitForFirstConsumer with a local volume: the pod goes to the volume\'s node and the claim binds there', () => {
    const { sim, api } = cluster();
    api.create(sc('local', { provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' }));
    const affinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-b'] }] }] } };
    api.create(pv('local-b', '5Gi', { storageClassName: 'local', local: { path: '/mnt/disks/1' }, hostPath: undefined, nodeAffinity: affinity }));
    api.create(pvc('data', '1Gi', { storageClassName: 'local' }));
    sim.settle();
    expect(get(sim, 'PersistentVolumeClaim', 'data').status.phase).toBe('Pending');
    expect(sim.eventsFor(get(sim, 'PersistentVolumeClaim', 'data'))[0]).toMatchObject({ reason: 'WaitForFirstConsumer', message: 'waiting for first consumer to be created before binding' });
    api.create(podWith('app', 'data'));
    sim.settle();
    // PreBind has bound the claim for node-b; the pod is bound at its first check, a second later.
    expect(get(sim, 'PersistentVolumeClaim', 'data').spec.volumeName).toBe('local-b');
    expect(get(sim, 'Pod', 'app').spec.nodeName).toBeUndefined();
    const placedAt = sim.now();
    sim.runFor(PREBIND_POLL_MS);
    expect(get(sim, 'Pod', 'app').spec.nodeName).toBe('node-b');
    // The trace keeps when the attempt placed the pod and says when PreBind let it be bound.
    const trace = sim.service<{ trace(uid: string): { at: number; boundAt?: number } | undefined }>('scheduler').trace(get(sim, 'Pod', 'app').metadata.uid);
    expect(trace).toMatchObject({ at: placedAt, boundAt: placedAt + PREBIND_POLL_MS });
    // A second consumer of another claim finds no volume left on any node.
    api.create(pvc('more', '1Gi', { storageClassName: 'local' }));
    api.create(podWith('app2', 'more'));
    sim.settle();
    expect(sim.eventsFor(get(sim, 'Pod', 'app2')).find((e) => e.reason === 'FailedScheduling')!.message).toBe(
      "0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling..",
    );
  });

  it('a bound local volume pins later pods to its node (volume node affinity conflict elsewhere)', () => {
    const { sim, api } = cluster();
    const affinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-a'] }] }] } };
    api.create(pv('local-a', '5Gi', { local: { path: '/mnt/disks/1' }, hostPath: undefined, nodeAffinity: affinity }));
    api.create(pvc('data', '1Gi', { storageClassName: '' }));
    sim.settle();
    const p = podWith('app', 'data');
    p.spec.nodeSelector = { zone: 'b' };
    api.create(p);
    sim.settle();
    expect(sim.eventsFor(get(sim, 'Pod', 'app')).find((e) => e.reason === 'FailedScheduling')!.message).toBe(
      "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had volume node affinity conflict. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling..",
    );
  });

  it('WaitForFirstConsumer with a provisioner: provisioned on the selected node', () => {
    const { sim, api } = cluster();
    api.create(sc('topo', { volumeBindingMode: 'WaitForFirstConsumer' }));
    api.create(pvc('data', '1Gi', { storageClassName: 'topo' }));
    sim.settle();
    api.create(podWith('app', 'data'));
    sim.settle();
    // The scheduler chose a node and annotated the claim (PreBind); the pod stays Pending, with no node
    // and no Scheduled event, while the volume is provisioned, then is bound at the next check.
    const node = get(sim, 'PersistentVolumeClaim', 'data').metadata.annotations['volume.kubernetes.io/selected-node'];
    expect(node).toMatch(/^node-/);
    expect(get(sim, 'Pod', 'app').spec.nodeName).toBeUndefined();
    expect(sim.eventsFor(get(sim, 'Pod', 'app'))).toEqual([]);
    const trace = () => sim.service<SchedulerService>('scheduler').trace(get(sim, 'Pod', 'app').metadata.uid);
    expect(trace()).toMatchObject({ result: 'Scheduled', node, binding: { node } });
    sim.runFor(PROVISION_DELAY_MS);
    const c = get(sim, 'PersistentVolumeClaim', 'data');
    expect(c.status.phase).toBe('Bound');
    expect(get(sim, 'PersistentVolume', c.spec.volumeName).spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values).toEqual([node]);
    sim.runFor(PREBIND_POLL_MS);
    expect(get(sim, 'Pod', 'app').spec.nodeName).toBe(node);
    expect(sim.eventsFor(get(sim, 'Pod', 'app')).map((e) => e.reason)).toContain('Scheduled');
    expect(trace()?.binding).toBeUndefined();
    expect(sim.eventsFor(c).map((e) => e.reason)).toEqual(['WaitForFirstConsumer', 'ExternalProvisioning', 'Provisioning', 'ProvisioningSucceeded']);
  });

  /** waitingPod: pod "app" placed on a node, waiting in PreBind for claim "data" of a WaitForFirstConsumer class. */
  const waitingPod = () => {
    const { sim, api } = cluster();
    api.create(sc('wait', { volumeBindingMode: 'WaitForFirstConsumer' }));
    api.create(pvc('data', '1Gi', { storageClassName: 'wait' }));
    api.create(podWith('app', 'data'));
    sim.settle();
    return { sim, api };
  };

  it('a pod deleted while its volume is provisioned leaves the queue and the room it held', () => {
    const { sim, api } = waitingPod();
    const scheduler = sim.service<SchedulerService>('scheduler');
    expect(scheduler.pendingCount()).toBe(1);
    api.delete('Pod', 'default', 'app');
    sim.runFor(PROVISION_DELAY_MS + PREBIND_POLL_MS);
    expect(scheduler.pendingCount()).toBe(0);
    expect(sim.store.get('Pod', 'default', 'app')).toBeUndefined();
    // The claim was provisioned for the node all the same (the API updates were made), as upstream.
    expect(get(sim, 'PersistentVolumeClaim', 'data').status.phase).toBe('Bound');
  });

  it('a pod whose volume never comes is sent back to the queue after bindTimeoutSeconds', () => {
    const { sim, api } = waitingPod();
    // The claim was handed to example.com/disk; with its class gone, no volume is ever provisioned.
    api.delete('StorageClass', undefined, 'wait');
    const node = get(sim, 'PersistentVolumeClaim', 'data').metadata.annotations['volume.kubernetes.io/selected-node'];
    expect(node).toMatch(/^node-/);
    sim.runFor(BIND_TIMEOUT_MS - PREBIND_POLL_MS);
    expect(get(sim, 'Pod', 'app').spec.nodeName).toBeUndefined();
    expect(sim.eventsFor(get(sim, 'Pod', 'app'))).toEqual([]);
    sim.runFor(2 * PREBIND_POLL_MS);
    const pod = get(sim, 'Pod', 'app');
    // Failed with a SchedulerError, the pod is tried again after its back-off (and now finds no class for its claim).
    expect(sim.eventsFor(pod).map((e) => `${e.reason}: ${e.message}`)[0]).toBe('FailedScheduling: running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded');
    expect(sim.eventsFor(pod)[1].message).toContain('pod has unbound immediate PersistentVolumeClaims');
  });
});

describe('Storage Object in Use Protection', () => {
  it('a claim a running pod uses stays Terminating until the pod goes; a Bound volume stays until its claim goes', () => {
    const { sim, api } = cluster();
    api.create(pv('pv-5', '5Gi'));
    api.create(pvc('data', '3Gi', { storageClassName: '' }));
    api.create({ ...podWith('app', 'data'), spec: { ...podWith('app', 'data').spec, nodeName: 'node-a' } } as Pod);
    sim.runFor(10_000);
    expect(get(sim, 'PersistentVolumeClaim', 'data').metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    expect(get(sim, 'PersistentVolume', 'pv-5').metadata.finalizers).toEqual(['kubernetes.io/pv-protection']);
    // The volume is Bound: deleting it only marks it.
    api.delete('PersistentVolume', undefined, 'pv-5');
    api.delete('PersistentVolumeClaim', 'default', 'data');
    sim.runFor(10_000);
    expect(get(sim, 'PersistentVolumeClaim', 'data').metadata.deletionTimestamp).toBeDefined();
    expect(get(sim, 'PersistentVolume', 'pv-5').status.phase).toBe('Bound');
    // The pod goes: the claim goes, the volume is Released and its protection lets it go too.
    api.delete('Pod', 'default', 'app', { gracePeriodSeconds: 0 });
    sim.runFor(1_000);
    expect(sim.store.get('PersistentVolumeClaim', 'default', 'data')).toBeUndefined();
    expect(sim.store.get('PersistentVolume', undefined, 'pv-5')).toBeUndefined();
  });

  it('an unused claim goes at once', () => {
    const { sim, api } = cluster();
    api.create(pvc('idle', '1Gi', { storageClassName: '' }));
    sim.settle();
    api.delete('PersistentVolumeClaim', 'default', 'idle');
    sim.settle();
    expect(sim.store.get('PersistentVolumeClaim', 'default', 'idle')).toBeUndefined();
  });
});

describe("a new cluster's default StorageClass", () => {
  it("is kind's: a claim without a class gets it, and a pod that uses the claim gets a provisioned volume", () => {
    const sim = createCluster({ seed: 3, nodes: [{ name: 'node-a' }] });
    const api = sim.service<ApiServer>('api');
    const sc = sim.store.get('StorageClass', undefined, 'standard')!;
    expect(sc).toMatchObject({ provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' });
    expect(sc.metadata.annotations).toEqual({ 'storageclass.kubernetes.io/is-default-class': 'true' });
    // Made outside the scenario's random stream: the same cluster without it draws the same names.
    expect(sc.metadata.uid).toBe(bootstrapUid('StorageClass', 'standard'));
    expect(api.create(pvc('data', '1Gi')).spec.storageClassName).toBe('standard');
    api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] }, status: {} } as Pod);
    sim.runFor(PROVISION_DELAY_MS + 1000);
    const c = get(sim, 'PersistentVolumeClaim', 'data');
    expect(c.status.phase).toBe('Bound');
    expect(get(sim, 'PersistentVolume', c.spec.volumeName).spec.storageClassName).toBe('standard');
  });

  it('is kept as it is: what a class provisions cannot change (ValidateStorageClassUpdate)', () => {
    const sim = createCluster({ seed: 3, nodes: [{ name: 'node-a' }] });
    const out = runCommand(sim, 'kubectl apply -f -', {
      stdin: 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: standard\nprovisioner: k8s.io/minikube-hostpath\nvolumeBindingMode: Immediate\n',
    });
    // The cluster made the class without kubectl apply: kubectl says so before it sends the patch the server refuses.
    expect(out).toEqual({
      exit: 1,
      out:
        'Warning: resource storageclasses/standard is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n' +
        'The StorageClass "standard" is invalid: \n* provisioner: Forbidden: updates to provisioner are forbidden.\n* volumeBindingMode: Invalid value: "Immediate": field is immutable\n',
    });
  });
});

describe('PersistentVolume defaults (SetDefaults_PersistentVolume)', () => {
  it('Retain, Filesystem, and an unset hostPath type', () => {
    const { sim, api } = cluster();
    api.create({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'plain' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } } });
    expect(get(sim, 'PersistentVolume', 'plain').spec).toMatchObject({ persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem', hostPath: { path: '/data', type: '' } });
  });
});
