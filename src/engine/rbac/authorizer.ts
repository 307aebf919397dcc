/**
 * authorizer: the RBAC authorizer (plugin/pkg/auth/authorizer/rbac/rbac.go and rule.go) over the
 * Roles, ClusterRoles, RoleBindings and ClusterRoleBindings in the store, behind the privileged
 * system:masters group (kube-apiserver's authorizer chain allows it before RBAC is asked).
 * Non-resource URLs are not modelled: every request here is a resource request.
 */
import type { Sim } from '../sim.ts';
import { ApiError } from '../api/errors.ts';
import type { KubeObject } from '../api/types.ts';
import type { PolicyRule } from './bootstrappolicy.ts';

export interface UserInfo {
  name: string;
  groups: string[];
}

/** Attributes of one request, as the apiserver's RequestInfo makes them. namespace '' is cluster scope (or all namespaces). */
export interface Attributes {
  user: UserInfo;
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  namespace: string;
  name?: string;
}

export interface Decision {
  allowed: boolean;
  /** reason: "" when no rule allows; RBAC's aggregated errors (a binding's missing role) when there were some. */
  reason: string;
}

export const SYSTEM_MASTERS = 'system:masters';
export const ALL_AUTHENTICATED = 'system:authenticated';
export const ANONYMOUS = 'system:anonymous';
export const UNAUTHENTICATED = 'system:unauthenticated';
const SA_PREFIX = 'system:serviceaccount:';

/** ADMIN is who kubectl is without --as: kind's kubeconfig user, a client certificate for kubernetes-admin in system:masters. */
export const ADMIN: UserInfo = { name: 'kubernetes-admin', groups: [SYSTEM_MASTERS, ALL_AUTHENTICATED] };

/** splitServiceAccount parses "system:serviceaccount:NS:NAME" (serviceaccount.SplitUsername). */
export function splitServiceAccount(user: string): { namespace: string; name: string } | undefined {
  if (!user.startsWith(SA_PREFIX)) return undefined;
  const parts = user.slice(SA_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

/**
 * impersonate is the user the impersonation filter builds for `--as USER [--as-group G]…`: a service
 * account name gets system:serviceaccounts and system:serviceaccounts:NS when no group is given,
 * and every non-anonymous user gets system:authenticated unless it named it or system:unauthenticated.
 */
export function impersonate(as: string, asGroups: readonly string[] = []): UserInfo {
  const groups = [...asGroups];
  const sa = splitServiceAccount(as);
  if (sa && groups.length === 0) groups.push('system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`);
  if (as !== ANONYMOUS && !groups.includes(ALL_AUTHENTICATED) && !groups.includes(UNAUTHENTICATED)) groups.push(ALL_AUTHENTICATED);
  return { name: as, groups };
}

const arr = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** ruleAllows is rbac.RuleAllows for a resource request (rule.go VerbMatches, APIGroupMatches, ResourceMatches, ResourceNameMatches). */
export function ruleAllows(a: Omit<Attributes, 'user' | 'namespace'>, r: PolicyRule): boolean {
  const verbs = arr(r.verbs);
  if (!verbs.includes('*') && !verbs.includes(a.verb)) return false;
  const groups = arr(r.apiGroups);
  if (!groups.includes('*') && !groups.includes(a.apiGroup)) return false;
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resources = arr(r.resources);
  // "*" matches any resource or subresource; "*/scale" any resource's scale subresource.
  const resOk = resources.some((x) => x === '*' || x === combined || (!!a.subresource && x === `*/${a.subresource}`));
  if (!resOk) return false;
  const names = arr(r.resourceNames);
  // resourceNames restricts to named requests: a list or create (no name) never matches such a rule.
  return names.length === 0 || (!!a.name && names.includes(a.name));
}

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

/** appliesTo is rbac.appliesToUser: namespace is the RoleBinding's ("" for a ClusterRoleBinding). */
function appliesTo(user: UserInfo, s: Subject, namespace: string): boolean {
  switch (s.kind) {
    case 'User':
      return user.name === s.name;
    case 'Group':
      return !!s.name && user.groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || namespace;
      if (!ns) return false;
      return user.name === `${SA_PREFIX}${ns}:${s.name}`;
    }
  }
  return false;
}

/** bindingRules returns the rules a binding grants, or the error text RBAC collects when its role is missing. */
function bindingRules(sim: Sim, b: KubeObject, namespace: string): { rules: PolicyRule[] } | { error: string } {
  const ref = b.roleRef ?? {};
  if (ref.kind === 'ClusterRole') {
    const role = sim.store.get('ClusterRole', undefined, String(ref.name));
    if (!role) return { error: `clusterrole.rbac.authorization.k8s.io "${ref.name}" not found` };
    return { rules: Array.isArray(role.rules) ? role.rules : [] };
  }
  if (ref.kind === 'Role' && namespace) {
    const role = sim.store.get('Role', namespace, String(ref.name));
    if (!role) return { error: `role.rbac.authorization.k8s.io "${ref.name}" not found` };
    return { rules: Array.isArray(role.rules) ? role.rules : [] };
  }
  return { rules: [] };
}

/**
 * visitRules walks what applies to user in namespace as RBAC's VisitRulesFor does: every
 * ClusterRoleBinding, then (for a namespaced request) the namespace's RoleBindings. visit returns
 * true to stop. Bindings are read in creation order.
 */
export function visitRules(sim: Sim, user: UserInfo, namespace: string, visit: (source: string, r: PolicyRule) => boolean, errors: string[]): void {
  const walk = (kind: 'ClusterRoleBinding' | 'RoleBinding', ns: string | undefined): boolean => {
    for (const b of sim.store.list(kind, ns)) {
      const subjects: Subject[] = Array.isArray(b.subjects) ? b.subjects : [];
      if (!subjects.some((s) => s && appliesTo(user, s, ns ?? ''))) continue;
      const got = bindingRules(sim, b, ns ?? '');
      if ('error' in got) {
        errors.push(got.error);
        continue;
      }
      const source = `${kind} "${b.metadata.name}"${ns ? ` of ${b.roleRef?.kind} "${b.roleRef?.name}"` : ` of ClusterRole "${b.roleRef?.name}"`}`;
      for (const r of got.rules) if (r && visit(source, r)) return true;
    }
    return false;
  };
  if (walk('ClusterRoleBinding', undefined)) return;
  if (namespace) walk('RoleBinding', namespace);
}

/** authorize decides one request: system:masters first (the privileged-group authorizer), then RBAC. */
export function authorize(sim: Sim, a: Attributes): Decision {
  if (a.user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, reason: '' };
  let allowed = false;
  const errors: string[] = [];
  visitRules(sim, a.user, a.namespace, (_s, r) => (allowed = ruleAllows(a, r)), errors);
  if (allowed) return { allowed, reason: '' };
  // utilerrors.NewAggregate: one error prints bare, several as "[a, b]".
  const agg = errors.length === 0 ? '' : errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
  return { allowed: false, reason: agg ? `RBAC: ${agg}` : '' };
}

/** forbiddenMessage is responsewriters.forbiddenMessage for a resource request. */
export function forbiddenMessage(a: Attributes): string {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `User "${a.user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" ${where}`;
}

/**
 * forbidden is the 403 the apiserver returns (apierrors.NewForbidden over the group-resource, with the
 * object's name when the request has one): `pods "web" is forbidden: User "jane" cannot get …`.
 */
export function forbidden(a: Attributes, reason = ''): ApiError {
  const gr = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  const msg = forbiddenMessage(a) + (reason ? `: ${reason}` : '');
  return new ApiError('Forbidden', a.name ? `${gr} "${a.name}" is forbidden: ${msg}` : `${gr} is forbidden: ${msg}`);
}

/** check throws the Forbidden error when a request is denied. */
export function check(sim: Sim, a: Attributes): void {
  const d = authorize(sim, a);
  if (!d.allowed) throw forbidden(a, d.reason);
}
