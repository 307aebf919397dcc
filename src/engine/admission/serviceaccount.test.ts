import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';
import type { Pod } from '../api/types.ts';
import { DEFAULT_API_TOKEN_MOUNT_PATH as SA } from './serviceaccount.ts';

function cluster(files: Record<string, string> = {}) {
  const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
  const run = (line: string) => runCommand(sim, line, { files });
  const pod = (name: string, ns = 'default') => sim.store.get<Pod>('Pod', ns, name)!;
  return { sim, run, pod };
}

const TOKEN_VOLUME = {
  defaultMode: 420,
  sources: [
    { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
    { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
    { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
  ],
};

const twoContainers = (extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
${extra}  initContainers:
  - {name: init, image: busybox:1.36, command: [sh, -c, 'true']}
  containers:
  - name: app
    image: nginx
  - name: own
    image: nginx
    volumeMounts: [{name: mine, mountPath: ${SA}}]
  volumes:
  - name: mine
    emptyDir: {}
`;

describe('ServiceAccount admission', () => {
  it('mounts the token volume read-only in every container that has nothing at its path', () => {
    const { run, pod } = cluster({ 'two.yaml': twoContainers() });
    expect(run('kubectl apply -f two.yaml').exit).toBe(0);
    const p = pod('two');
    expect(p.spec.serviceAccountName).toBe('default');
    const token = p.spec.volumes!.find((v: { name: string }) => v.name.startsWith('kube-api-access-'));
    expect(token.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(token.projected).toEqual(TOKEN_VOLUME);
    const mount = { name: token.name, readOnly: true, mountPath: SA };
    expect(p.spec.initContainers![0].volumeMounts).toEqual([mount]);
    expect(p.spec.containers[0].volumeMounts).toEqual([mount]);
    // A container with its own mount at the token's path keeps it and gets no other.
    expect(p.spec.containers[1].volumeMounts).toEqual([{ name: 'mine', mountPath: SA }]);
    expect(p.spec.volumes!.map((v: { name: string }) => v.name)).toEqual(['mine', token.name]);
  });

  it('gives each pod a volume of its own name', () => {
    const { run, pod } = cluster();
    run('kubectl run a --image=nginx');
    run('kubectl run b --image=nginx');
    expect(pod('a').spec.volumes![0].name).not.toBe(pod('b').spec.volumes![0].name);
  });

  it.each([
    ['the pod says no', 'automountServiceAccountToken: false', undefined, false],
    ["the account says no", '', false, false],
    ["the pod's yes wins over the account's no", 'automountServiceAccountToken: true', false, true],
  ])('automountServiceAccountToken: %s', (_what, podField, saField, mounted) => {
    const { sim, run, pod } = cluster({ 'p.yaml': `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  ${podField}\n  containers: [{name: app, image: nginx}]\n` });
    if (saField !== undefined) {
      const sa = sim.store.get('ServiceAccount', 'default', 'default')!;
      sa.automountServiceAccountToken = saField;
      sim.store.update(sa);
    }
    expect(run('kubectl apply -f p.yaml').exit).toBe(0);
    expect(!!pod('p').spec.volumes?.length).toBe(mounted);
    expect(!!pod('p').spec.containers[0].volumeMounts?.length).toBe(mounted);
  });

  it("refuses a pod whose account does not exist, in the API server's words", () => {
    const { run } = cluster({ 'p.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  serviceAccountName: robot\n  containers: [{name: app, image: nginx}]\n' });
    expect(run('kubectl apply -f p.yaml')).toEqual({
      exit: 1,
      out: 'Error from server (Forbidden): error when creating "p.yaml": pods "p" is forbidden: error looking up service account default/robot: serviceaccount "robot" not found\n',
    });
  });

  it("has a Deployment's ReplicaSet report FailedCreate until the account exists", () => {
    const { sim, run } = cluster();
    run('kubectl create deployment web --image=nginx');
    run('kubectl set serviceaccount deployment web robot');
    sim.runUntil(20_000);
    const failed = run('kubectl get events --field-selector reason=FailedCreate -o custom-columns=MSG:.message --no-headers').out;
    expect(failed).toMatch(/^Error creating: pods "web-[a-z0-9]+-" is forbidden: error looking up service account default\/robot: serviceaccount "robot" not found$/m);
    run('kubectl create serviceaccount robot');
    sim.runUntil(120_000);
    expect(run('kubectl get pods -o custom-columns=SA:.spec.serviceAccountName,STATUS:.status.phase --no-headers').out).toBe('robot   Running\n');
  });

  it("copies the account's imagePullSecrets to a pod that has none", () => {
    const { sim, run, pod } = cluster();
    const sa = sim.store.get('ServiceAccount', 'default', 'default')!;
    sa.imagePullSecrets = [{ name: 'regcred' }];
    sim.store.update(sa);
    run('kubectl run p --image=nginx');
    expect(pod('p').spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
  });

  it("leaves a static pod's mirror pod alone", () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }], controlPlane: { name: 'control-plane' } });
    sim.runUntil(60_000);
    const etcd = sim.store.get<Pod>('Pod', 'kube-system', 'etcd-control-plane')!;
    expect(etcd.spec.volumes?.some((v: { name: string }) => v.name.startsWith('kube-api-access-'))).toBeFalsy();
  });
});

describe("the namespace's account and CA", () => {
  it('are put back when deleted, and the CA when edited', () => {
    const { sim, run } = cluster();
    run('kubectl create namespace dev');
    expect(run('kubectl get sa,cm -n dev -o name').out).toBe('serviceaccount/default\nconfigmap/kube-root-ca.crt\n');
    run('kubectl delete sa default -n dev');
    run('kubectl delete configmap kube-root-ca.crt -n dev');
    sim.runUntil(1_000);
    expect(run('kubectl get sa,cm -n dev -o name').out).toBe('serviceaccount/default\nconfigmap/kube-root-ca.crt\n');
    run(`kubectl patch configmap kube-root-ca.crt -n dev --type=merge -p '{"data":{"ca.crt":"mine","extra":"x"}}'`);
    sim.runUntil(2_000);
    expect(run(`kubectl get cm kube-root-ca.crt -n dev -o jsonpath='{.data}'`).out).toMatch(/^\{"ca\.crt":"-----BEGIN CERTIFICATE-----\\n\(simulated cluster CA/);
  });
});

describe("the token volume's files", () => {
  it('are the CA, the namespace and a bound token for the pod, read-only', () => {
    const { sim, run } = cluster();
    run('kubectl create namespace dev');
    run('kubectl run web -n dev --image=nginx');
    sim.runUntil(30_000);
    expect(run(`kubectl exec web -n dev -- ls ${SA}`).out).toBe('ca.crt\nnamespace\ntoken\n');
    expect(run(`kubectl exec web -n dev -- cat ${SA}/namespace`).out).toBe('dev');
    expect(run(`kubectl exec web -n dev -- cat ${SA}/ca.crt`).out).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const token = run(`kubectl exec web -n dev -- cat ${SA}/token`).out;
    const [header, payload] = token.split('.').slice(0, 2).map((p) => JSON.parse(atob(p.replace(/-/g, '+').replace(/_/g, '/'))));
    expect(header).toEqual({ alg: 'RS256', kid: 'kubeplay' });
    expect(payload.sub).toBe('system:serviceaccount:dev:default');
    expect(payload['kubernetes.io']).toMatchObject({ namespace: 'dev', node: { name: 'worker-1' }, pod: { name: 'web' }, serviceaccount: { name: 'default' } });
    expect(payload['kubernetes.io'].warnafter - payload.iat).toBe(3607);
    expect(run(`kubectl exec web -n dev -- sh -c 'echo x > ${SA}/token'`).out).toBe(`sh: can't create ${SA}/token: Read-only file system\ncommand terminated with exit code 1\n`);
  });

  it('are not there for a pod that does not mount the token', () => {
    const { sim, run } = cluster({ 'p.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  automountServiceAccountToken: false\n  containers: [{name: app, image: nginx}]\n' });
    run('kubectl apply -f p.yaml');
    sim.runUntil(30_000);
    expect(run(`kubectl exec p -- cat ${SA}/namespace`).out).toBe(`cat: ${SA}/namespace: No such file or directory\ncommand terminated with exit code 1\n`);
  });
});

describe('kubectl apply of a pod again', () => {
  it('leaves the token volume and its mount alone: unchanged, not a forbidden update', () => {
    const manifest = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    volumeMounts: [{name: data, mountPath: /data}]\n  volumes: [{name: data, emptyDir: {}}]\n';
    const { run, pod } = cluster({ 'p.yaml': manifest });
    expect(run('kubectl apply -f p.yaml').out).toBe('pod/p created\n');
    expect(run('kubectl apply -f p.yaml')).toEqual({ exit: 0, out: 'pod/p unchanged\n' });
    expect(pod('p').spec.volumes!.map((v: { name: string }) => v.name)).toEqual(['data', expect.stringMatching(/^kube-api-access-[a-z0-9]{5}$/)]);
    expect(pod('p').spec.containers[0].volumeMounts!.map((m: { mountPath: string }) => m.mountPath)).toEqual(['/data', SA]);
  });
});
