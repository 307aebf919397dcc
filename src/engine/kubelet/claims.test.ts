import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';

/** A claim the default StorageClass provisions (an empty volume), and a pod mounting it beside an emptyDir. */
const manifests = (command: string, grace = 30) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  terminationGracePeriodSeconds: ${grace}
  containers:
  - name: app
    image: busybox:1.36
    command: [sh, -c, ${JSON.stringify(command)}]
    volumeMounts:
    - {name: data, mountPath: /data}
    - {name: scratch, mountPath: /scratch}
  volumes:
  - name: data
    persistentVolumeClaim: {claimName: data}
  - name: scratch
    emptyDir: {}
`;

function cluster(command: string, grace?: number) {
  const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
  const run = (line: string) => runCommand(sim, line, { files: { 'app.yaml': manifests(command, grace) } });
  const after = (s: number) => sim.runUntil(sim.now() + s * 1000);
  /** replace deletes the pod, waits for it to go, and creates it again. */
  const replace = () => {
    expect(run('kubectl delete pod app').exit).toBe(0);
    after(40);
    expect(run('kubectl apply -f app.yaml').exit).toBe(0);
    after(20);
  };
  expect(run('kubectl apply -f app.yaml').exit).toBe(0);
  after(20);
  return { sim, run, after, replace };
}

describe("what pods write on a claim's volume outlives them; an emptyDir's does not", () => {
  it('keeps what kubectl exec wrote for the next pod that mounts the claim', () => {
    const { run, replace } = cluster('sleep 3600');
    expect(run(`kubectl exec app -- sh -c 'echo hello > /data/greeting; mkdir /data/logs; echo temp > /scratch/t'`).exit).toBe(0);
    replace();
    expect(run('kubectl exec app -- cat /data/greeting')).toEqual({ exit: 0, out: 'hello\n' });
    expect(run('kubectl exec app -- ls /data')).toEqual({ exit: 0, out: 'greeting\nlogs\n' });
    // The volume started empty: what nobody wrote is not there.
    expect(run('kubectl exec app -- cat /data/other')).toEqual({ exit: 1, out: 'cat: /data/other: No such file or directory\ncommand terminated with exit code 1\n' });
    expect(run('kubectl exec app -- cat /scratch/t')).toEqual({ exit: 1, out: 'cat: /scratch/t: No such file or directory\ncommand terminated with exit code 1\n' });
  });

  it("a process reads what the last pod left and adds to it", () => {
    const { run, replace } = cluster('echo started >> /data/log; sleep 3600');
    replace();
    replace();
    expect(run('kubectl exec app -- cat /data/log')).toEqual({ exit: 0, out: 'started\nstarted\nstarted\n' });
  });

  it('drops what a process had planned to write after it was stopped', () => {
    // busybox sh ignores SIGTERM: with a 1 s grace period it is killed before its write, 5 s after it started.
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    const run = (line: string) => runCommand(sim, line, { files: { 'app.yaml': manifests('sleep 5; echo late > /data/late; sleep 3600', 1) } });
    expect(run('kubectl apply -f app.yaml').exit).toBe(0);
    // The claim is provisioned for the pod first (WaitForFirstConsumer): wait for the container to start.
    for (let i = 0; i < 60 && run('kubectl get pod app -o jsonpath={.status.phase}').out !== 'Running'; i++) sim.runUntil(sim.now() + 500);
    expect(run('kubectl get pod app -o jsonpath={.status.phase}').out).toBe('Running');
    expect(run('kubectl delete pod app --wait=false').exit).toBe(0);
    sim.runUntil(sim.now() + 10_000);
    expect(run('kubectl get pod app').exit).toBe(1);
    expect(run('kubectl apply -f app.yaml').exit).toBe(0);
    for (let i = 0; i < 60 && run('kubectl get pod app -o jsonpath={.status.phase}').out !== 'Running'; i++) sim.runUntil(sim.now() + 500);
    expect(run('kubectl exec app -- cat /data/late').out).toBe('cat: /data/late: No such file or directory\ncommand terminated with exit code 1\n');
    // Left to run, the new pod writes it.
    sim.runUntil(sim.now() + 10_000);
    expect(run('kubectl exec app -- cat /data/late').out).toBe('late\n');
  });

  it("a volume someone made had files before: only what pods wrote is known", () => {
    const { sim, after } = cluster('sleep 3600');
    const pv = [
      'apiVersion: v1',
      'kind: PersistentVolume',
      'metadata: {name: manual}',
      'spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], storageClassName: manual, hostPath: {path: /mnt/data}}',
      '---',
      'apiVersion: v1',
      'kind: PersistentVolumeClaim',
      'metadata: {name: manual}',
      'spec: {storageClassName: manual, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: reader}',
      'spec:',
      '  containers: [{name: app, image: "busybox:1.36", command: [sh, -c, sleep 3600], volumeMounts: [{name: v, mountPath: /data}]}]',
      '  volumes: [{name: v, persistentVolumeClaim: {claimName: manual}}]',
    ].join('\n');
    const run = (line: string) => runCommand(sim, line, { files: { 'pv.yaml': pv } });
    expect(run('kubectl apply -f pv.yaml').exit).toBe(0);
    after(20);
    expect(run(`kubectl exec reader -- sh -c 'echo mine > /data/mine'`).exit).toBe(0);
    expect(run('kubectl exec reader -- cat /data/mine').out).toBe('mine\n');
    expect(run('kubectl exec reader -- cat /data/index.html').out).toMatch(/not cat \/data\/index\.html \(on a persistentVolumeClaim volume, whose contents are not known\)/);
  });

  it('a read-only mount refuses writes, as the kernel does (EROFS), and nothing reaches the volume', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    const ro = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: cm}',
      'data: {a: "1"}',
      '---',
      'apiVersion: v1',
      'kind: PersistentVolumeClaim',
      'metadata: {name: data}',
      'spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: r}',
      'spec:',
      '  containers: [{name: app, image: "busybox:1.36", command: [sh, -c, sleep 3600], volumeMounts: [{name: data, mountPath: /data}, {name: cm, mountPath: /cm}]}]',
      '  volumes: [{name: data, persistentVolumeClaim: {claimName: data, readOnly: true}}, {name: cm, configMap: {name: cm}}]',
    ].join('\n');
    const run = (line: string) => runCommand(sim, line, { files: { 'ro.yaml': ro } });
    expect(run('kubectl apply -f ro.yaml').exit).toBe(0);
    sim.runUntil(sim.now() + 30_000);
    expect(run(`kubectl exec r -- sh -c 'echo x > /data/ro'`)).toEqual({ exit: 1, out: "sh: can't create /data/ro: Read-only file system\ncommand terminated with exit code 1\n" });
    expect(run(`kubectl exec r -- sh -c 'touch /cm/c; mkdir /cm/d; rm /cm/a'`)).toEqual({
      exit: 1,
      out: "touch: /cm/c: Read-only file system\nmkdir: can't create directory '/cm/d': Read-only file system\nrm: can't remove '/cm/a': Read-only file system\ncommand terminated with exit code 1\n",
    });
    expect(run('kubectl exec r -- ls /data')).toEqual({ exit: 0, out: '' });
    expect(run('kubectl exec r -- cat /cm/a')).toEqual({ exit: 0, out: '1' });
    // The service account's token volume: read-only, with its three files.
    const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
    expect(run(`kubectl exec r -- sh -c 'echo x > ${sa}/token'`).out).toBe(`sh: can't create ${sa}/token: Read-only file system\ncommand terminated with exit code 1\n`);
    expect(run(`kubectl exec r -- ls ${sa}`)).toEqual({ exit: 0, out: 'ca.crt\nnamespace\ntoken\n' });
  });
});
