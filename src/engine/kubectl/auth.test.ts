import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import type { Sim } from '../sim.ts';
import { runCommand } from './index.ts';

const SETUP = `apiVersion: v1
kind: Namespace
metadata: {name: dev}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: ci, namespace: dev}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pods, namespace: dev}
rules:
- {apiGroups: [""], resources: [pods, pods/log], verbs: [get, list]}
- {apiGroups: [apps], resources: [deployments], verbs: [get]}
- {apiGroups: [""], resources: [configmaps], resourceNames: [app-config], verbs: [get, delete]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ci-pods, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pods}
subjects: [{kind: ServiceAccount, name: ci, namespace: dev}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-edit, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: User, name: jane}]
`;

function setup(): Sim {
  const sim = createCluster({ seed: 3, nodes: [{ name: 'node-1' }] });
  const r = runCommand(sim, 'kubectl apply -f -', { stdin: SETUP });
  expect(r.exit).toBe(0);
  for (const l of ['kubectl create deployment web --image=nginx -n dev', 'kubectl create configmap app-config -n dev --from-literal=a=b', 'kubectl create configmap other -n dev --from-literal=a=b']) {
    expect(runCommand(sim, l).exit).toBe(0);
  }
  sim.settle();
  return sim;
}

const sim = setup();
const SA = '--as system:serviceaccount:dev:ci';

describe('kubectl auth can-i', () => {
  it.each([
    ['kubectl auth can-i list pods', 0, 'yes\n'],
    ['kubectl auth can-i delete nodes', 0, "Warning: resource 'nodes' is not namespace scoped\n\nyes\n"],
    ['kubectl auth can-i list pods --as jane', 1, 'no\n'],
    ['kubectl auth can-i list pods -n dev --as jane', 0, 'yes\n'],
    ['kubectl auth can-i create deployments.apps -n dev --as jane', 0, 'yes\n'],
    ['kubectl auth can-i create rolebindings -n dev --as jane', 1, 'no\n'],
    ['kubectl auth can-i list pods -A --as jane', 1, 'no\n'],
    [`kubectl auth can-i list pods -n dev ${SA}`, 0, 'yes\n'],
    [`kubectl auth can-i get pods/log -n dev ${SA}`, 0, 'yes\n'],
    [`kubectl auth can-i get pods -n dev --subresource=log ${SA}`, 0, 'yes\n'],
    [`kubectl auth can-i delete pods -n dev ${SA}`, 1, 'no\n'],
    [`kubectl auth can-i get configmaps/app-config -n dev ${SA}`, 0, 'yes\n'],
    [`kubectl auth can-i get configmaps/other -n dev ${SA}`, 1, 'no\n'],
    [`kubectl auth can-i list configmaps -n dev ${SA}`, 1, 'no\n'],
    [`kubectl auth can-i list pods -n default ${SA}`, 1, 'no\n'],
    // A ServiceAccount subject matches the user name: --as-group replacing its groups does not matter here.
    [`kubectl auth can-i list pods -n dev --as system:serviceaccount:dev:ci --as-group other`, 0, 'yes\n'],
    ['kubectl auth can-i list widgets --as jane', 1, "Warning: the server doesn't have a resource type 'widgets'\nno\n"],
    ['kubectl auth can-i get /healthz --as jane', 0, 'yes\n'],
    ['kubectl auth can-i get /metrics --as jane', 1, 'no\n'],
    ['kubectl auth can-i list pods -q --as jane', 1, ''],
    ['kubectl auth can-i list', 1, "error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.\n"],
  ] as [string, number, string][])('%s', (line, exit, out) => {
    expect(runCommand(sim, line)).toEqual({ exit, out });
  });

  it('--list prints the rules table, sorted as kubectl sorts them', () => {
    const r = runCommand(sim, `kubectl auth can-i --list -n dev ${SA}`);
    expect(r.exit).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^Resources +Non-Resource URLs +Resource Names +Verbs$/);
    expect(r.out).toMatch(/\nconfigmaps +\[\] +\[app-config\] +\[get delete\]\n/);
    expect(r.out).toMatch(/\npods +\[\] +\[\] +\[get list\]\n/);
    expect(r.out).toMatch(/\ndeployments\.apps +\[\] +\[\] +\[get\]\n/);
    expect(r.out).toMatch(/\nselfsubjectaccessreviews\.authorization\.k8s\.io +\[\] +\[\] +\[create\]\n/);
    // PolicyRule.String() order: "[create]" rules before "[get …]" ones.
    expect(lines.findIndex((l) => l.startsWith('selfsubjectaccessreviews'))).toBeLessThan(lines.findIndex((l) => l.startsWith('pods ')));
    expect(runCommand(sim, 'kubectl auth can-i --list pods').out).toBe('error: list option must be specified with no arguments\n');
  });
});

describe('--as on every command', () => {
  it.each([
    ['kubectl get pods --as jane', 'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"\n'],
    ['kubectl --as jane get pods', 'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"\n'],
    ['kubectl get pod web-1 --as=jane', 'Error from server (Forbidden): pods "web-1" is forbidden: User "jane" cannot get resource "pods" in API group "" in the namespace "default"\n'],
    ['kubectl get nodes --as jane', 'Error from server (Forbidden): nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope\n'],
    ['kubectl get pods -A --as jane', 'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" at the cluster scope\n'],
    ['kubectl create namespace x --as jane', 'Error from server (Forbidden): namespaces is forbidden: User "jane" cannot create resource "namespaces" in API group "" at the cluster scope\n'],
    [`kubectl delete deployment web -n dev ${SA}`, 'Error from server (Forbidden): deployments.apps "web" is forbidden: User "system:serviceaccount:dev:ci" cannot delete resource "deployments" in API group "apps" in the namespace "dev"\n'],
    [`kubectl scale deployment web -n dev --replicas=3 ${SA}`, 'Error from server (Forbidden): deployments.apps "web" is forbidden: User "system:serviceaccount:dev:ci" cannot patch resource "deployments/scale" in API group "apps" in the namespace "dev"\n'],
    [`kubectl create configmap c -n dev --from-literal=a=b ${SA}`, 'Error from server (Forbidden): configmaps is forbidden: User "system:serviceaccount:dev:ci" cannot create resource "configmaps" in API group "" in the namespace "dev"\n'],
    [`kubectl delete configmap other -n dev ${SA}`, 'Error from server (Forbidden): configmaps "other" is forbidden: User "system:serviceaccount:dev:ci" cannot delete resource "configmaps" in API group "" in the namespace "dev"\n'],
    ['kubectl get pods --as-group dev', 'error: requesting uid, groups or user-extra for  without impersonating a user\n'],
  ])('%s', (line, out) => {
    expect(runCommand(sim, line)).toEqual({ exit: 1, out });
  });

  it('allowed commands run as usual', () => {
    expect(runCommand(sim, `kubectl get deployments -n dev ${SA}`).exit).toBe(1); // list is not granted, only get
    expect(runCommand(sim, `kubectl get deployment web -n dev ${SA}`).out).toMatch(/^NAME +READY/);
    expect(runCommand(sim, `kubectl get pods -n dev ${SA}`).exit).toBe(0);
    expect(runCommand(sim, 'kubectl scale deployment web -n dev --replicas=2 --as jane').out).toBe('deployment.apps/web scaled\n');
    expect(runCommand(sim, `kubectl delete configmap app-config -n dev ${SA}`).out).toBe('configmap "app-config" deleted\n');
  });

  it('without --as nothing is checked (kubernetes-admin in system:masters)', () => {
    const s = createCluster({ seed: 1 });
    s.store.remove('ClusterRoleBinding', undefined, 'cluster-admin');
    expect(runCommand(s, 'kubectl get pods -A').exit).toBe(0);
  });
});

describe('kubectl auth whoami', () => {
  it.each([
    ['kubectl auth whoami', 'ATTRIBUTE   VALUE\nUsername    kubernetes-admin\nGroups      [system:masters system:authenticated]\n'],
    ['kubectl auth whoami --as system:serviceaccount:dev:ci', 'ATTRIBUTE   VALUE\nUsername    system:serviceaccount:dev:ci\nGroups      [system:serviceaccounts system:serviceaccounts:dev system:authenticated]\n'],
  ])('%s', (line, out) => {
    expect(runCommand(sim, line)).toEqual({ exit: 0, out });
  });
});
