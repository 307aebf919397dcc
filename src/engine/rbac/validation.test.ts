import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { ApiError } from '../api/errors.ts';
import type { KubeObject } from '../api/types.ts';
import { RBAC_V1 } from './bootstrappolicy.ts';

const sim = createCluster({ seed: 1 });
const api = sim.service<{ create(o: KubeObject): KubeObject; update(o: KubeObject): KubeObject; get(k: string, ns: string | undefined, n: string): KubeObject }>('api');
const attempt = (o: KubeObject): string => {
  try {
    api.create(o);
    return 'ok';
  } catch (e) {
    if (e instanceof ApiError) return e.message;
    throw e;
  }
};
const rb = (name: string, roleRef: Record<string, string>, subjects: unknown[], kind = 'RoleBinding'): KubeObject => ({
  apiVersion: RBAC_V1,
  kind,
  metadata: { name, ...(kind === 'RoleBinding' ? { namespace: 'default' } : {}) },
  roleRef,
  subjects,
});

describe('RBAC validation (pkg/apis/rbac/validation)', () => {
  it.each([
    ['Role without verbs', { apiVersion: RBAC_V1, kind: 'Role', metadata: { name: 'r1' }, rules: [{ apiGroups: [''], resources: ['pods'] }] }, 'The Role "r1" is invalid: rules[0].verbs: Required value: verbs must contain at least one value'],
    ['Role without apiGroups', { apiVersion: RBAC_V1, kind: 'Role', metadata: { name: 'r2' }, rules: [{ resources: ['pods'], verbs: ['get'] }] }, 'The Role "r2" is invalid: rules[0].apiGroups: Required value: resource rules must supply at least one api group'],
    ['Role with nonResourceURLs', { apiVersion: RBAC_V1, kind: 'Role', metadata: { name: 'r3' }, rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }] }, 'The Role "r3" is invalid: rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs'],
    ['ClusterRole with nonResourceURLs', { apiVersion: RBAC_V1, kind: 'ClusterRole', metadata: { name: 'cr' }, rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }] }, 'ok'],
    ['RoleBinding with a bad roleRef kind', rb('b1', { kind: 'Pod', name: 'x' }, []), 'The RoleBinding "b1" is invalid: roleRef.kind: Unsupported value: "Pod": supported values: "Role", "ClusterRole"'],
    ['ClusterRoleBinding to a Role', rb('b2', { kind: 'Role', name: 'x' }, [], 'ClusterRoleBinding'), 'The ClusterRoleBinding "b2" is invalid: roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"'],
    ['subject kind', rb('b3', { kind: 'ClusterRole', name: 'view' }, [{ kind: 'Robot', name: 'x' }]), 'The RoleBinding "b3" is invalid: subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"'],
    ['SA subject of a ClusterRoleBinding needs a namespace', rb('b4', { kind: 'ClusterRole', name: 'view' }, [{ kind: 'ServiceAccount', name: 'x' }], 'ClusterRoleBinding'), 'The ClusterRoleBinding "b4" is invalid: subjects[0].namespace: Required value'],
    ['User subject gets the rbac apiGroup by default', rb('b5', { kind: 'ClusterRole', name: 'view' }, [{ kind: 'User', name: 'jane' }]), 'ok'],
  ] as [string, KubeObject, string][])('%s', (_n, obj, want) => {
    expect(attempt(obj)).toBe(want);
  });

  it('defaults fill roleRef.apiGroup and subject apiGroup', () => {
    const b = api.get('RoleBinding', 'default', 'b5');
    expect(b.roleRef.apiGroup).toBe('rbac.authorization.k8s.io');
    expect(b.subjects[0].apiGroup).toBe('rbac.authorization.k8s.io');
  });

  it('roleRef cannot change', () => {
    const b = api.get('RoleBinding', 'default', 'b5');
    b.roleRef.name = 'edit';
    expect(() => api.update(b)).toThrow('The RoleBinding "b5" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef');
  });
});
