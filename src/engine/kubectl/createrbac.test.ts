import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from './index.ts';

describe('kubectl create serviceaccount|role|clusterrole|rolebinding|clusterrolebinding', () => {
  const sim = createCluster({ seed: 1 });
  it.each([
    ['kubectl create sa ci', 0, 'serviceaccount/ci created\n'],
    ['kubectl create serviceaccount ci2 -o name', 0, 'serviceaccount/ci2\n'],
    ['kubectl create role r --verb=get,list --resource=pods,deployments,pods/log,rs.apps --resource-name=a', 0, 'role.rbac.authorization.k8s.io/r created\n'],
    ['kubectl create role r2 --verb=get', 1, 'error: at least one resource must be specified\n'],
    ['kubectl create role r2 --resource=pods', 1, 'error: at least one verb must be specified\n'],
    ['kubectl create role r3 --verb=fly --resource=pods', 1, "error: invalid verb: 'fly'\n"],
    ['kubectl create role r3 --verb=get --resource=foos', 1, 'error: the server doesn\'t have a resource type "foos"\n'],
    ['kubectl create clusterrole c --verb=get --non-resource-url=/logs', 0, 'clusterrole.rbac.authorization.k8s.io/c created\n'],
    ['kubectl create rolebinding rb --role=r --user=jane --serviceaccount=default:ci --group=devs', 0, 'rolebinding.rbac.authorization.k8s.io/rb created\n'],
    ['kubectl create rolebinding rb2 --user=x', 1, 'error: exactly one of clusterrole or role must be specified\n'],
    ['kubectl create rolebinding rb3 --clusterrole=view --serviceaccount=ci', 1, 'error: serviceaccount must be <namespace>:<name>\n'],
    ['kubectl create clusterrolebinding crb --clusterrole=view --serviceaccount=default:ci', 0, 'clusterrolebinding.rbac.authorization.k8s.io/crb created\n'],
    ['kubectl get rolebinding rb -o wide', 0, 'NAME   ROLE     AGE   USERS   GROUPS   SERVICEACCOUNTS\nrb     Role/r   0s    jane    devs     default/ci\n'],
    ['kubectl auth can-i list deployments -n kube-system --as system:serviceaccount:default:ci', 0, 'yes\n'],
    ['kubectl auth can-i get pods/log -n default --as jane', 1, 'no\n'], // resourceNames [a] only
    ['kubectl auth can-i get pods/a -n default --subresource=log --as jane', 0, 'yes\n'],
    ['kubectl create role x --verb=get --resource=pods --as jane', 1, 'Error from server (Forbidden): roles.rbac.authorization.k8s.io is forbidden: User "jane" cannot create resource "roles" in API group "rbac.authorization.k8s.io" in the namespace "default"\n'],
  ] as [string, number, string][])('%s', (line, exit, out) => {
    expect(runCommand(sim, line)).toEqual({ exit, out });
  });

  it('groups create role\'s resources by API group, one rule each', () => {
    expect(sim.store.get('Role', 'default', 'r')!.rules).toEqual([
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'pods/log'], resourceNames: ['a'] },
      { verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments', 'replicasets'], resourceNames: ['a'] },
    ]);
    expect(sim.store.get('RoleBinding', 'default', 'rb')!.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'jane' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', name: 'ci', namespace: 'default' },
    ]);
  });
});
