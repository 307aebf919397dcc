/**
 * createrbac: the imperative RBAC generators (kubectl create serviceaccount, role, clusterrole,
 * rolebinding, clusterrolebinding) as kubectl's create_role.go / create_rolebinding.go build them:
 * --resource is mapped through discovery to its group ("deployments" → apps), one rule per group in
 * group order, subjects listed users, then groups, then service accounts.
 */
import type { KubeObject } from '../api/types.ts';
import { resolveResource } from '../api/kinds.ts';
import { RBAC_GROUP, RBAC_V1, type PolicyRule } from '../rbac/bootstrappolicy.ts';
import { F, flag, listFlag, namespace, type Command, type Ctx } from './context.ts';
import { dryRunSuffix, qualifiedName } from './output.ts';
import { parseOutput, printObjects } from './commands/get.ts';
import { api, CmdError } from './services.ts';

const FLAGS = [F.output, F.dryRun];
/** VALID_VERBS are create role's accepted verbs (validResourceVerbs). */
const VALID_VERBS = ['*', 'get', 'delete', 'list', 'create', 'update', 'patch', 'watch', 'proxy', 'deletecollection', 'use', 'bind', 'escalate', 'impersonate'];

function finish(ctx: Ctx, obj: KubeObject): string {
  const dry = flag(ctx, 'dry-run');
  const fmt = parseOutput(flag(ctx, 'output'), ['json', 'yaml', 'name']);
  const created = dry === 'client' ? obj : api(ctx.sim).create(obj, { dryRun: dry === 'server' });
  if (fmt.kind === 'name') return qualifiedName(created) + '\n';
  if (fmt.kind) return printObjects([created], fmt, true);
  return `${qualifiedName(created)} created${dryRunSuffix(dry)}\n`;
}

function oneName(ctx: Ctx, what: string): string {
  if (ctx.args.length !== 1) throw new CmdError(`error: exactly one NAME is required, got ${ctx.args.length}\nSee 'kubectl create ${what} -h' for help and examples`);
  return ctx.args[0];
}


/** rules builds create role's rules: resources grouped by API group (sorted), each rule with every verb and resource name. */
function rules(ctx: Ctx, clusterScoped: boolean): PolicyRule[] {
  const verbs = listFlag(ctx, 'verb');
  const resources = listFlag(ctx, 'resource');
  const urls = clusterScoped ? listFlag(ctx, 'non-resource-url') : [];
  if (verbs.length === 0) throw new CmdError('error: at least one verb must be specified');
  if (resources.length === 0 && urls.length === 0) throw new CmdError('error: at least one resource must be specified');
  for (const v of verbs) if (!VALID_VERBS.includes(v) && !(clusterScoped && urls.length)) throw new CmdError(`error: invalid verb: '${v}'`);
  const byGroup = new Map<string, string[]>();
  for (const r of resources) {
    const [res, sub] = r.split(/\/(.*)/s, 2);
    let group: string;
    let plural: string;
    if (res === '*') {
      group = '';
      plural = '*';
    } else {
      const info = resolveResource(res);
      if (!info) throw new CmdError(`error: the server doesn't have a resource type "${res}"`);
      group = info.group;
      plural = info.plural;
    }
    const inGroup = byGroup.get(group) ?? [];
    inGroup.push(sub ? `${plural}/${sub}` : plural);
    byGroup.set(group, inGroup);
  }
  const names = listFlag(ctx, 'resource-name');
  const out: PolicyRule[] = [...byGroup.keys()].sort().map((g) => ({ verbs, apiGroups: [g], resources: byGroup.get(g)!, ...(names.length ? { resourceNames: names } : {}) }));
  if (urls.length) out.push({ verbs, nonResourceURLs: urls });
  return out;
}

/** subjects builds a binding's subjects from --user, --group and --serviceaccount ns:name. */
function subjects(ctx: Ctx): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const u of listFlag(ctx, 'user')) out.push({ apiGroup: RBAC_GROUP, kind: 'User', name: u });
  for (const g of listFlag(ctx, 'group')) out.push({ apiGroup: RBAC_GROUP, kind: 'Group', name: g });
  for (const sa of listFlag(ctx, 'serviceaccount')) {
    const parts = sa.split(':');
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new CmdError(`error: serviceaccount must be <namespace>:<name>`);
    out.push({ kind: 'ServiceAccount', name: parts[1], namespace: parts[0] });
  }
  return out;
}

export const createServiceAccountCommand: Command = {
  name: 'create serviceaccount',
  aliases: ['create sa'],
  short: 'Create a service account with the specified name',
  flags: FLAGS,
  run: (ctx) => finish(ctx, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: oneName(ctx, 'serviceaccount'), namespace: namespace(ctx) } }),
};

const ROLE_FLAGS = [...FLAGS, { name: 'verb', repeat: true }, { name: 'resource', repeat: true }, { name: 'resource-name', repeat: true }];

export const createRoleCommand: Command = {
  name: 'create role',
  short: 'Create a role with single rule',
  flags: ROLE_FLAGS,
  run: (ctx) => finish(ctx, { apiVersion: RBAC_V1, kind: 'Role', metadata: { name: oneName(ctx, 'role'), namespace: namespace(ctx) }, rules: rules(ctx, false) }),
};

export const createClusterRoleCommand: Command = {
  name: 'create clusterrole',
  short: 'Create a cluster role',
  flags: [...ROLE_FLAGS, { name: 'non-resource-url', repeat: true }],
  run: (ctx) => finish(ctx, { apiVersion: RBAC_V1, kind: 'ClusterRole', metadata: { name: oneName(ctx, 'clusterrole') }, rules: rules(ctx, true) }),
};

const BINDING_FLAGS = [...FLAGS, { name: 'user', repeat: true }, { name: 'group', repeat: true }, { name: 'serviceaccount', repeat: true }];

export const createRoleBindingCommand: Command = {
  name: 'create rolebinding',
  short: 'Create a role binding for a particular role or cluster role',
  flags: [...BINDING_FLAGS, { name: 'role' }, { name: 'clusterrole' }],
  run(ctx) {
    const name = oneName(ctx, 'rolebinding');
    const role = flag(ctx, 'role');
    const clusterRole = flag(ctx, 'clusterrole');
    if (!!role === !!clusterRole) throw new CmdError('error: exactly one of clusterrole or role must be specified');
    const roleRef = { apiGroup: RBAC_GROUP, kind: role ? 'Role' : 'ClusterRole', name: (role ?? clusterRole)! };
    return finish(ctx, { apiVersion: RBAC_V1, kind: 'RoleBinding', metadata: { name, namespace: namespace(ctx) }, roleRef, subjects: subjects(ctx) });
  },
};

export const createClusterRoleBindingCommand: Command = {
  name: 'create clusterrolebinding',
  short: 'Create a cluster role binding for a particular cluster role',
  flags: [...BINDING_FLAGS, { name: 'clusterrole' }],
  run(ctx) {
    const name = oneName(ctx, 'clusterrolebinding');
    const clusterRole = flag(ctx, 'clusterrole');
    if (!clusterRole) throw new CmdError('error: required flag(s) "clusterrole" not set');
    return finish(ctx, { apiVersion: RBAC_V1, kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: clusterRole }, subjects: subjects(ctx) });
  },
};

export const RBAC_CREATE_COMMANDS: Command[] = [createServiceAccountCommand, createRoleCommand, createClusterRoleCommand, createRoleBindingCommand, createClusterRoleBindingCommand];
