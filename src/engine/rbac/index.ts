/**
 * rbac: Role, ClusterRole, RoleBinding and ClusterRoleBinding. installRbac stores the bootstrap
 * policy (bootstrappolicy.ts) and runs the clusterrole-aggregation controller, which keeps the
 * rules of every ClusterRole with an aggregationRule equal to the union of the ClusterRoles its
 * selectors match (that is how admin, edit and view get their rules, and how a CRD's
 * "aggregate-to-view" role extends view). kubectl asks authorizer.ts before it acts for `--as`.
 */
import type { Sim } from '../sim.ts';
import { bootstrapUid } from '../rng.ts';
import { compileSelector } from '../api/selector.ts';
import type { KubeObject } from '../api/types.ts';
import { clusterRoleBindings, clusterRoles, type PolicyRule } from './bootstrappolicy.ts';
import { invalid } from '../api/errors.ts';
import type { ApiServer } from '../api/server.ts';
import { defaultRbac, RBAC_KINDS, validateRbac, validateRbacUpdate } from './validation.ts';

export { authorize, check, forbidden, forbiddenMessage, impersonate, ADMIN, type Attributes, type UserInfo } from './authorizer.ts';

export const AGGREGATION_CONTROLLER = 'clusterrole-aggregation';

/** installRbac creates the bootstrap ClusterRoles and ClusterRoleBindings and the aggregation controller. */
export function installRbac(sim: Sim): void {
  const store = sim.store;
  const saved = sim.rng.getState();
  for (const obj of [...clusterRoles(), ...clusterRoleBindings()]) {
    if (store.get(obj.kind, undefined, obj.metadata.name)) continue;
    const created = store.create(obj);
    created.metadata.uid = bootstrapUid(obj.kind, obj.metadata.name);
  }
  sim.rng.setState(saved);

  sim.addController({ name: AGGREGATION_CONTROLLER, sync: (name) => syncAggregation(sim, name) });
  store.watch('ClusterRole', () => {
    for (const cr of store.list('ClusterRole')) if (cr.aggregationRule) sim.enqueue(AGGREGATION_CONTROLLER, cr.metadata.name);
  });
  for (const cr of store.list('ClusterRole')) if (cr.aggregationRule) sim.enqueue(AGGREGATION_CONTROLLER, cr.metadata.name);
  installRbacAdmission(sim);
}

/**
 * installRbacAdmission adds RBAC defaulting and validation to this sim's `api` service: its create
 * and its private replace (the step update and apply share) are wrapped on the instance, as
 * apiextensions/index.ts does for custom resources; other kinds pass straight through.
 */
function installRbacAdmission(sim: Sim): void {
  const api = sim.service<ApiServer>('api');
  const create = api.create.bind(api);
  const inner = api as unknown as { replace: (info: unknown, obj: KubeObject, live: KubeObject, opts: unknown) => unknown };
  const replace = inner.replace.bind(api);
  const admit = (obj: KubeObject, old?: KubeObject) => {
    defaultRbac(obj);
    const errs = [...validateRbac(obj), ...(old ? validateRbacUpdate(obj, old) : [])];
    if (errs.length) throw invalid(obj.kind, String(obj.metadata?.name ?? ''), errs);
  };
  api.create = <T extends KubeObject>(obj: T, opts?: Parameters<ApiServer['create']>[1]): T => {
    if (!obj || !RBAC_KINDS.has(obj.kind)) return create(obj, opts);
    const copy = structuredClone(obj);
    admit(copy);
    return create(copy, opts);
  };
  inner.replace = (info, obj, live, opts) => {
    if (obj && RBAC_KINDS.has(obj.kind) && obj !== live) admit(obj, live);
    return replace(info, obj, live, opts);
  };
}

/**
 * syncAggregation is ClusterRoleAggregationController.syncClusterRole: the matching roles in name
 * order (itself excluded), their rules appended unless an equal rule is already there.
 */
export function syncAggregation(sim: Sim, name: string): void {
  const cr = sim.store.get('ClusterRole', undefined, name);
  const selectors = cr?.aggregationRule?.clusterRoleSelectors;
  if (!cr || !Array.isArray(selectors)) return;
  // Each selector's matches are listed, then the lot is sorted by name (a role two selectors match
  // is visited twice; its rules are already there the second time).
  const all = sim.store.list('ClusterRole');
  const matched: KubeObject[] = [];
  for (const sel of selectors) {
    const match = compileSelector(sel);
    for (const r of all) if (match(r.metadata.labels ?? {})) matched.push(r);
  }
  matched.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  const picked: PolicyRule[] = [];
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const r of matched) {
    if (r.metadata.name === name) continue;
    for (const rule of Array.isArray(r.rules) ? (r.rules as PolicyRule[]) : []) {
      const key = ruleKey(rule);
      if (seen.has(key)) continue;
      seen.add(key);
      picked.push(rule);
      keys.push(key);
    }
  }
  const current = Array.isArray(cr.rules) ? (cr.rules as PolicyRule[]) : [];
  if (current.length === keys.length && current.every((rule, i) => ruleKey(rule) === keys[i])) return;
  cr.rules = picked.map((rule) => structuredClone(rule));
  sim.store.update(cr as KubeObject);
}

/**
 * ruleKey is a PolicyRule as text for equality: equality.Semantic.DeepEqual compares the five lists
 * in order and counts an empty list as equal to a missing one.
 */
function ruleKey(r: PolicyRule): string {
  const list = (v: string[] | undefined) => (v && v.length ? v : null);
  return JSON.stringify([list(r.apiGroups), list(r.resources), list(r.verbs), list(r.resourceNames), list(r.nonResourceURLs)]);
}
