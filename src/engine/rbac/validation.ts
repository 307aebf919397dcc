/**
 * validation: RBAC defaulting (rbac/v1 SetDefaults_*: roleRef and User/Group subjects get the
 * rbac.authorization.k8s.io apiGroup) and validation (pkg/apis/rbac/validation: ValidatePolicyRule,
 * ValidateRoleBindingSubject, roleRef kind and immutability), worded as the API server words it.
 */
import { GoValue, type FieldError } from '../api/errors.ts';
import type { KubeObject } from '../api/types.ts';
import { RBAC_GROUP } from './bootstrappolicy.ts';

export const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const len = (v: unknown) => (Array.isArray(v) ? v.length : 0);

/** defaultRbac applies the rbac/v1 defaults in place. */
export function defaultRbac(obj: KubeObject): void {
  if (obj.kind !== 'RoleBinding' && obj.kind !== 'ClusterRoleBinding') return;
  if (isObj(obj.roleRef) && !obj.roleRef.apiGroup) obj.roleRef.apiGroup = RBAC_GROUP;
  for (const s of Array.isArray(obj.subjects) ? obj.subjects : []) {
    if (isObj(s) && (s.kind === 'User' || s.kind === 'Group') && !s.apiGroup) s.apiGroup = RBAC_GROUP;
  }
}

/** validatePolicyRule is ValidatePolicyRule. */
function validatePolicyRule(r: any, namespaced: boolean, p: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(r)) return [{ field: p, type: 'Invalid value', value: r, detail: 'must be an object' }];
  if (len(r.verbs) === 0) errs.push({ field: `${p}.verbs`, type: 'Required value', detail: 'verbs must contain at least one value' });
  if (len(r.nonResourceURLs) > 0) {
    const urls = new GoValue(`[]string{${(r.nonResourceURLs as unknown[]).map((u) => JSON.stringify(String(u))).join(', ')}}`);
    if (namespaced) errs.push({ field: `${p}.nonResourceURLs`, type: 'Invalid value', value: urls, detail: 'namespaced rules cannot apply to non-resource URLs' });
    if (len(r.apiGroups) || len(r.resources) || len(r.resourceNames)) errs.push({ field: `${p}.nonResourceURLs`, type: 'Invalid value', value: urls, detail: 'rules cannot apply to both regular resources and non-resource URLs' });
    return errs;
  }
  if (len(r.apiGroups) === 0) errs.push({ field: `${p}.apiGroups`, type: 'Required value', detail: 'resource rules must supply at least one api group' });
  if (len(r.resources) === 0) errs.push({ field: `${p}.resources`, type: 'Required value', detail: 'resource rules must supply at least one resource' });
  return errs;
}

/** validateSubject is ValidateRoleBindingSubject. */
function validateSubject(s: any, namespaced: boolean, p: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(s)) return [{ field: p, type: 'Invalid value', value: s, detail: 'must be an object' }];
  if (!s.name) errs.push({ field: `${p}.name`, type: 'Required value' });
  switch (s.kind) {
    case 'ServiceAccount':
      if (s.apiGroup) errs.push({ field: `${p}.apiGroup`, type: 'Unsupported value', value: s.apiGroup, detail: 'supported values: ""' });
      if (!namespaced && !s.namespace) errs.push({ field: `${p}.namespace`, type: 'Required value' });
      break;
    case 'User':
    case 'Group':
      if (s.apiGroup !== RBAC_GROUP) errs.push({ field: `${p}.apiGroup`, type: 'Unsupported value', value: s.apiGroup ?? '', detail: `supported values: "${RBAC_GROUP}"` });
      break;
    default:
      errs.push({ field: `${p}.kind`, type: 'Unsupported value', value: s.kind ?? '', detail: 'supported values: "ServiceAccount", "User", "Group"' });
  }
  return errs;
}

/** validateRbac returns the field errors of a Role, ClusterRole, RoleBinding or ClusterRoleBinding. */
export function validateRbac(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const namespaced = obj.kind === 'Role' || obj.kind === 'RoleBinding';
  if (obj.kind === 'Role' || obj.kind === 'ClusterRole') {
    (Array.isArray(obj.rules) ? obj.rules : []).forEach((r: unknown, i: number) => errs.push(...validatePolicyRule(r, obj.kind === 'Role', `rules[${i}]`)));
    return errs;
  }
  const ref = isObj(obj.roleRef) ? obj.roleRef : {};
  if (ref.apiGroup !== RBAC_GROUP) errs.push({ field: 'roleRef.apiGroup', type: 'Unsupported value', value: ref.apiGroup ?? '', detail: `supported values: "${RBAC_GROUP}"` });
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind)) errs.push({ field: 'roleRef.kind', type: 'Unsupported value', value: ref.kind ?? '', detail: `supported values: ${kinds.map((k) => `"${k}"`).join(', ')}` });
  if (!ref.name) errs.push({ field: 'roleRef.name', type: 'Required value' });
  (Array.isArray(obj.subjects) ? obj.subjects : []).forEach((s: unknown, i: number) => errs.push(...validateSubject(s, namespaced, `subjects[${i}]`)));
  return errs;
}

/** validateRbacUpdate holds the update rule: a binding's roleRef cannot change. */
export function validateRbacUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  if (obj.kind !== 'RoleBinding' && obj.kind !== 'ClusterRoleBinding') return [];
  const a = obj.roleRef ?? {};
  const b = old.roleRef ?? {};
  if (a.apiGroup === b.apiGroup && a.kind === b.kind && a.name === b.name) return [];
  return [{ field: 'roleRef', type: 'Invalid value', value: new GoValue(`rbac.RoleRef{APIGroup:${JSON.stringify(a.apiGroup ?? '')}, Kind:${JSON.stringify(a.kind ?? '')}, Name:${JSON.stringify(a.name ?? '')}}`), detail: 'cannot change roleRef' }];
}
