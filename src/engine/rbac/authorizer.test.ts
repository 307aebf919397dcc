import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import type { Sim } from '../sim.ts';
import type { KubeObject } from '../api/types.ts';
import { ADMIN, authorize, forbidden, impersonate, ruleAllows, type Attributes } from './authorizer.ts';
import { RBAC_V1 } from './bootstrappolicy.ts';

function cluster(...objs: KubeObject[]): Sim {
  const sim = createCluster({ seed: 1 });
  const api = sim.service<{ create(o: KubeObject): KubeObject }>('api');
  for (const o of objs) api.create(o);
  sim.settle();
  return sim;
}

const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const binding = (name: string, namespace: string | undefined, role: [string, string], subject: Record<string, string>): KubeObject => ({
  apiVersion: RBAC_V1,
  kind: namespace ? 'RoleBinding' : 'ClusterRoleBinding',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: role[0], name: role[1] },
  subjects: [subject],
});
const role = (name: string, namespace: string, rules: unknown[]): KubeObject => ({ apiVersion: RBAC_V1, kind: 'Role', metadata: { name, namespace }, rules });

type Req = [verb: string, group: string, resource: string, namespace: string, name?: string, sub?: string];
const attrs = (user: string, r: Req, groups?: string[]): Attributes => ({
  user: impersonate(user, groups),
  verb: r[0],
  apiGroup: r[1],
  resource: r[2],
  namespace: r[3],
  ...(r[4] ? { name: r[4] } : {}),
  ...(r[5] ? { subresource: r[5] } : {}),
});

describe('bootstrap ClusterRoles (aggregated view, edit, admin)', () => {
  const sim = cluster(
    ns('dev'),
    binding('v', 'dev', ['ClusterRole', 'view'], { kind: 'User', name: 'viewer' }),
    binding('e', 'dev', ['ClusterRole', 'edit'], { kind: 'User', name: 'editor' }),
    binding('a', 'dev', ['ClusterRole', 'admin'], { kind: 'User', name: 'boss' }),
    binding('ca', undefined, ['ClusterRole', 'cluster-admin'], { kind: 'User', name: 'root' }),
  );
  const table: [user: string, req: Req, allowed: boolean][] = [
    ['viewer', ['list', '', 'pods', 'dev'], true],
    ['viewer', ['get', '', 'pods', 'dev', 'web', 'log'], true],
    ['viewer', ['get', 'apps', 'deployments', 'dev', 'web', 'scale'], true],
    ['viewer', ['list', '', 'secrets', 'dev'], false],
    ['viewer', ['delete', '', 'pods', 'dev', 'web'], false],
    ['viewer', ['list', '', 'pods', 'default'], false],
    ['viewer', ['list', 'rbac.authorization.k8s.io', 'roles', 'dev'], false],
    ['editor', ['list', '', 'secrets', 'dev'], true],
    ['editor', ['patch', 'apps', 'deployments', 'dev', 'web', 'scale'], true],
    ['editor', ['create', '', 'pods', 'dev', 'web', 'exec'], true],
    ['editor', ['delete', 'batch', 'jobs', 'dev', 'j'], true],
    ['editor', ['list', '', 'pods', 'dev'], true], // view is aggregated into edit
    ['editor', ['create', 'rbac.authorization.k8s.io', 'rolebindings', 'dev'], false],
    ['boss', ['create', 'rbac.authorization.k8s.io', 'rolebindings', 'dev'], true],
    ['boss', ['delete', '', 'secrets', 'dev', 's'], true],
    ['boss', ['list', '', 'nodes', ''], false],
    ['root', ['list', '', 'nodes', ''], true],
    ['root', ['delete', 'example.com', 'widgets', 'x', 'w'], true],
    ['nobody', ['list', '', 'pods', 'dev'], false],
    ['nobody', ['create', 'authorization.k8s.io', 'selfsubjectaccessreviews', ''], true], // system:basic-user
  ];
  it.each(table)('%s %j → %s', (user, req, allowed) => {
    expect(authorize(sim, attrs(user, req)).allowed).toBe(allowed);
  });

  it('view, edit and admin are filled by the aggregation controller', () => {
    const rules = (n: string) => sim.store.get('ClusterRole', undefined, n)!.rules.length;
    expect(rules('view')).toBe(10);
    expect(rules('edit')).toBe(13 + 10);
    expect(rules('admin')).toBe(23 + 2);
  });

  it('a ClusterRole labelled aggregate-to-view extends view', () => {
    const s = cluster(ns('dev'), binding('v', 'dev', ['ClusterRole', 'view'], { kind: 'User', name: 'viewer' }), {
      apiVersion: RBAC_V1,
      kind: 'ClusterRole',
      metadata: { name: 'widgets-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list'] }],
    });
    expect(authorize(s, attrs('viewer', ['list', 'example.com', 'widgets', 'dev'])).allowed).toBe(true);
    expect(authorize(s, attrs('viewer', ['list', 'example.com', 'widgets', 'dev'])).allowed).toBe(true);
  });
});

describe('ClusterRole aggregation (ClusterRoleAggregationController.syncClusterRole)', () => {
  const cr = (name: string, labels: Record<string, string>, rules: unknown[], aggregationRule?: unknown): KubeObject => ({
    apiVersion: RBAC_V1,
    kind: 'ClusterRole',
    metadata: { name, labels },
    rules,
    ...(aggregationRule ? { aggregationRule } : {}),
  });
  const rulesOf = (sim: Sim, name: string) => sim.store.get('ClusterRole', undefined, name)!.rules;

  it('visits the roles every selector matches in name order, and keeps the first of equal rules (an empty list equals a missing one)', () => {
    const sim = cluster(
      cr('b-role', { team: 'b' }, [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]),
      cr('a-role', { team: 'a' }, [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: [] }]),
      cr('c-role', { team: 'a' }, [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['list'] },
      ]),
      cr('agg', {}, [], { clusterRoleSelectors: [{ matchLabels: { team: 'b' } }, { matchLabels: { team: 'a' } }] }),
    );
    expect(rulesOf(sim, 'agg')).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: [] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['list'] },
    ]);
  });
});

describe('RBAC rule semantics', () => {
  const table: [name: string, rule: Record<string, string[]>, req: Req, allowed: boolean][] = [
    ['verb *', { verbs: ['*'], apiGroups: [''], resources: ['pods'] }, ['delete', '', 'pods', 'd'], true],
    ['group *', { verbs: ['get'], apiGroups: ['*'], resources: ['deployments'] }, ['get', 'apps', 'deployments', 'd', 'x'], true],
    ['resource *', { verbs: ['get'], apiGroups: [''], resources: ['*'] }, ['get', '', 'pods', 'd', 'x', 'log'], true],
    ['*/scale', { verbs: ['patch'], apiGroups: ['apps'], resources: ['*/scale'] }, ['patch', 'apps', 'deployments', 'd', 'x', 'scale'], true],
    ['*/scale not the main resource', { verbs: ['patch'], apiGroups: ['apps'], resources: ['*/scale'] }, ['patch', 'apps', 'deployments', 'd', 'x'], false],
    ['pods does not cover pods/log', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, ['get', '', 'pods', 'd', 'x', 'log'], false],
    ['wrong group', { verbs: ['get'], apiGroups: [''], resources: ['deployments'] }, ['get', 'apps', 'deployments', 'd', 'x'], false],
    ['resourceNames match', { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['app'] }, ['get', '', 'configmaps', 'd', 'app'], true],
    ['resourceNames other', { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['app'] }, ['get', '', 'configmaps', 'd', 'other'], false],
    ['resourceNames never allow list', { verbs: ['list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['app'] }, ['list', '', 'configmaps', 'd'], false],
  ];
  it.each(table)('%s', (_n, rule, req, allowed) => {
    expect(ruleAllows(attrs('u', req), rule as never)).toBe(allowed);
  });
});

describe('bindings and subjects', () => {
  const sim = cluster(
    ns('a'),
    ns('b'),
    role('reader', 'a', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]),
    binding('sa', 'a', ['Role', 'reader'], { kind: 'ServiceAccount', name: 'bot', namespace: 'a' }),
    binding('sa-default-ns', 'a', ['Role', 'reader'], { kind: 'ServiceAccount', name: 'bot2' }),
    binding('all-sas', 'b', ['ClusterRole', 'view'], { kind: 'Group', name: 'system:serviceaccounts:a', apiGroup: 'rbac.authorization.k8s.io' }),
    binding('group', undefined, ['ClusterRole', 'view'], { kind: 'Group', name: 'auditors' }),
    binding('dangling', 'a', ['Role', 'missing'], { kind: 'User', name: 'lost' }),
  );
  const table: [user: string, groups: string[] | undefined, req: Req, allowed: boolean][] = [
    ['system:serviceaccount:a:bot', undefined, ['list', '', 'pods', 'a'], true],
    ['system:serviceaccount:a:bot', undefined, ['list', '', 'pods', 'b'], true], // via system:serviceaccounts:a
    ['system:serviceaccount:a:bot', undefined, ['list', '', 'pods', 'c'], false],
    ['system:serviceaccount:a:bot2', undefined, ['get', '', 'pods', 'a', 'x'], true], // subject namespace defaults to the binding's
    ['system:serviceaccount:b:bot', undefined, ['list', '', 'pods', 'a'], false],
    ['system:serviceaccount:b:bot', undefined, ['list', '', 'pods', 'b'], false],
    ['system:serviceaccount:a:bot', ['other'], ['list', '', 'pods', 'b'], false], // --as-group replaces the SA groups
    ['carol', ['auditors'], ['list', '', 'pods', 'anywhere'], true], // ClusterRoleBinding: every namespace
    ['carol', ['auditors'], ['list', '', 'pods', ''], true], // and all namespaces at once
    ['carol', ['auditors'], ['list', '', 'secrets', 'a'], false],
    ['kubernetes-admin', ['system:masters'], ['delete', '', 'nodes', '', 'n1'], true],
  ];
  it.each(table)('%s %j %j → %s', (user, groups, req, allowed) => {
    expect(authorize(sim, attrs(user, req, groups)).allowed).toBe(allowed);
  });

  it('a binding to a missing role is RBAC: … not found in the reason', () => {
    expect(authorize(sim, attrs('lost', ['list', '', 'pods', 'a']))).toEqual({ allowed: false, reason: 'RBAC: role.rbac.authorization.k8s.io "missing" not found' });
  });

  it('the admin is allowed without any binding (system:masters)', () => {
    sim.store.remove('ClusterRoleBinding', undefined, 'cluster-admin');
    expect(authorize(sim, { user: ADMIN, verb: 'delete', apiGroup: '', resource: 'namespaces', namespace: '', name: 'a' }).allowed).toBe(true);
  });
});

describe('impersonate', () => {
  it.each([
    ['jane', [], ['system:authenticated']],
    ['jane', ['dev'], ['dev', 'system:authenticated']],
    ['system:serviceaccount:ns1:bot', [], ['system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated']],
    ['system:anonymous', [], []],
    ['jane', ['system:unauthenticated'], ['system:unauthenticated']],
  ] as [string, string[], string[]][])('%s %j', (user, groups, want) => {
    expect(impersonate(user, groups).groups).toEqual(want);
  });
});

describe('forbidden wording (responsewriters.forbiddenMessage)', () => {
  const u = impersonate('jane');
  it.each([
    [{ verb: 'list', apiGroup: '', resource: 'pods', namespace: 'default' }, 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"'],
    [{ verb: 'get', apiGroup: '', resource: 'pods', namespace: 'default', name: 'web' }, 'pods "web" is forbidden: User "jane" cannot get resource "pods" in API group "" in the namespace "default"'],
    [{ verb: 'create', apiGroup: 'apps', resource: 'deployments', namespace: 'dev' }, 'deployments.apps is forbidden: User "jane" cannot create resource "deployments" in API group "apps" in the namespace "dev"'],
    [{ verb: 'patch', apiGroup: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'dev', name: 'web' }, 'deployments.apps "web" is forbidden: User "jane" cannot patch resource "deployments/scale" in API group "apps" in the namespace "dev"'],
    [{ verb: 'list', apiGroup: '', resource: 'nodes', namespace: '' }, 'nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope'],
    [{ verb: 'delete', apiGroup: '', resource: 'namespaces', namespace: 'dev', name: 'dev' }, 'namespaces "dev" is forbidden: User "jane" cannot delete resource "namespaces" in API group "" in the namespace "dev"'],
  ] as [Omit<Attributes, 'user'>, string][])('%j', (a, want) => {
    const e = forbidden({ ...a, user: u });
    expect(e.reason).toBe('Forbidden');
    expect(e.message).toBe(want);
  });
});
