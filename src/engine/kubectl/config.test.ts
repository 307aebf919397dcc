import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from './index.ts';

describe('kubectl config', () => {
  it('set-context --current --namespace makes the namespace the default of every command', () => {
    const sim = createCluster({ seed: 1 });
    const run = (l: string) => runCommand(sim, l);
    expect(run('kubectl config current-context')).toEqual({ exit: 0, out: 'kubeplay\n' });
    expect(run("kubectl config view --minify -o jsonpath='{..namespace}'")).toEqual({ exit: 0, out: '' });
    expect(run('kubectl create namespace dev').exit).toBe(0);
    expect(run('kubectl config set-context --current --namespace=dev')).toEqual({ exit: 0, out: 'Context "kubeplay" modified.\n' });
    expect(run("kubectl config view --minify -o jsonpath='{..namespace}'")).toEqual({ exit: 0, out: 'dev' });
    expect(run('kubectl config get-contexts').out).toBe('CURRENT   NAME       CLUSTER    AUTHINFO         NAMESPACE\n*         kubeplay   kubeplay   kubeplay-admin   dev\n');
    expect(run('kubectl get pods').out).toBe('No resources found in dev namespace.\n');
    expect(run('kubectl create configmap c --from-literal=a=b').exit).toBe(0);
    expect(sim.store.get('ConfigMap', 'dev', 'c')).toBeDefined();
    // -n still wins; cluster-scoped kinds ignore the context namespace.
    expect(run('kubectl get configmap c -n default').out).toBe('Error from server (NotFound): configmaps "c" not found\n');
    expect(run('kubectl get ns dev').exit).toBe(0);
    // A manifest's own namespace wins over the context's (only -n makes a mismatch an error).
    expect(run('kubectl apply -f -').exit).toBe(1);
    expect(runCommand(sim, 'kubectl apply -f -', { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d, namespace: default}\n' }).exit).toBe(0);
    expect(sim.store.get('ConfigMap', 'default', 'd')).toBeDefined();
    // The context is part of the snapshot: a restore takes it back.
    const snap = sim.snapshot();
    expect(run('kubectl config set-context --current --namespace=')).toEqual({ exit: 0, out: 'Context "kubeplay" modified.\n' });
    expect(run('kubectl get pods').out).toBe('No resources found in default namespace.\n');
    sim.restore(snap);
    expect(run('kubectl get pods').out).toBe('No resources found in dev namespace.\n');
  });

  it('view prints the kubeconfig with the namespace in the context', () => {
    const sim = createCluster({ seed: 1 });
    runCommand(sim, 'kubectl config set-context kubeplay --namespace=kube-system');
    expect(runCommand(sim, 'kubectl config view').out).toBe(`apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: DATA+OMITTED
    server: https://kubeplay.local:6443
  name: kubeplay
contexts:
- context:
    cluster: kubeplay
    namespace: kube-system
    user: kubeplay-admin
  name: kubeplay
current-context: kubeplay
kind: Config
preferences: {}
users:
- name: kubeplay-admin
  user:
    client-certificate-data: DATA+OMITTED
    client-key-data: DATA+OMITTED
`);
  });

  it.each([
    ['kubectl config set-context --namespace=x', 'error: you must specify a non-empty context name or --current\n'],
    ['kubectl config set-context other --current', 'error: you cannot specify both a context name and --current\n'],
    ['kubectl config use-context nope', 'error: no context exists with the name: "nope"\n'],
    ['kubectl config', 'error: kubectl config requires a subcommand: view, current-context, get-contexts, use-context, set-context\n'],
  ])('%s', (line, out) => {
    expect(runCommand(createCluster({ seed: 1 }), line)).toEqual({ exit: 1, out });
  });
});
