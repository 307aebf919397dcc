import { describe, expect, it } from 'vitest';
import { createCluster } from '../../cluster.ts';
import { runCommand } from '../index.ts';
import { accessModesString, quotaColumns } from './storage.ts';


describe('accessModesString', () => {
  it.each([
    [['ReadWriteMany', 'ReadWriteOnce'], 'RWO,RWX'],
    [['ReadWriteOncePod'], 'RWOP'],
    [['ReadOnlyMany', 'ReadOnlyMany'], 'ROX'],
    [[], ''],
  ])('%j → %s', (modes, want) => expect(accessModesString(modes)).toBe(want));
});

describe('quotaColumns (printResourceQuota)', () => {
  it('splits limits.* into LIMIT, sorted, 0 for missing used', () => {
    const q = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, status: { hard: { 'limits.cpu': '4', pods: '10', 'requests.cpu': '2', 'limits.memory': '4Gi' }, used: { pods: '3', 'requests.cpu': '1500m', 'limits.memory': '1024Mi' } } };
    expect(quotaColumns(q)).toEqual(['pods: 3/10, requests.cpu: 1500m/2', 'limits.cpu: 0/4, limits.memory: 1Gi/4Gi']);
  });
});

describe('kubectl get for storage and policy kinds', () => {
  it('prints pv, pvc, sc, quota and limitrange tables', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'node-1' }] } as any);
    // minikube's class in place of kind's, which a new cluster comes with.
    sim.store.remove('StorageClass', undefined, 'standard');
    const manifest = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: k8s.io/minikube-hostpath
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv-manual
spec:
  capacity:
    storage: 5Gi
  accessModes: [ReadWriteOnce, ReadWriteMany]
  persistentVolumeReclaimPolicy: Retain
  hostPath:
    path: /data/manual
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: manual
spec:
  storageClassName: ""
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: v1
kind: ResourceQuota
metadata:
  name: compute
spec:
  hard:
    requests.cpu: "2"
    limits.memory: 2Gi
    persistentvolumeclaims: "5"
---
apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
spec:
  limits:
  - type: Container
    default:
      memory: 256Mi
`;
    expect(runCommand(sim, 'kubectl apply -f -', { stdin: manifest }).exit).toBe(0);
    sim.runFor(10_000);
    expect(runCommand(sim, 'kubectl get sc').out).toBe(
      'NAME                 PROVISIONER                RECLAIMPOLICY   VOLUMEBINDINGMODE   ALLOWVOLUMEEXPANSION   AGE\nstandard (default)   k8s.io/minikube-hostpath   Delete          Immediate           false                  10s\n',
    );
    expect(runCommand(sim, 'kubectl get pv').out).toBe(
      'NAME        CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM            STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE\npv-manual   5Gi        RWO,RWX        Retain           Bound    default/manual                  <unset>                          10s\n',
    );
    expect(runCommand(sim, 'kubectl get pvc').out).toBe(
      'NAME     STATUS   VOLUME      CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\nmanual   Bound    pv-manual   5Gi        RWO,RWX                       <unset>                 10s\n',
    );
    expect(runCommand(sim, 'kubectl get quota').out).toBe(
      'NAME      AGE   REQUEST                                          LIMIT\ncompute   10s   persistentvolumeclaims: 1/5, requests.cpu: 0/2   limits.memory: 0/2Gi\n',
    );
    expect(runCommand(sim, 'kubectl get limits').out).toBe('NAME       CREATED AT\ndefaults   ' + sim.store.get('LimitRange', 'default', 'defaults')!.metadata.creationTimestamp + '\n');
  });
});
