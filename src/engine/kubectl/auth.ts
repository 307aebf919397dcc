/**
 * auth: `kubectl auth can-i` and the global `--as` / `--as-group` impersonation flags. Without --as
 * kubectl is kind's admin (kubernetes-admin in system:masters) and nothing is checked. With --as,
 * authorizeCommand works out the API requests the command would make (requestsFor, from kubectl's
 * source: which verbs, resources and subresources each command calls) and asks the RBAC authorizer
 * before the command runs; the first denied request is the Forbidden error kubectl prints.
 */
import type { Sim } from '../sim.ts';
import { ApiError } from '../api/errors.ts';
import { resolveResource, type KindInfo } from '../api/kinds.ts';
import type { KubeObject } from '../api/types.ts';
import { ADMIN, SYSTEM_MASTERS, authorize, forbidden, impersonate, visitRules, type Attributes, type UserInfo } from '../rbac/authorizer.ts';
import type { PolicyRule } from '../rbac/bootstrappolicy.ts';
import { boolFlag, flag, namespace, type Command, type Ctx, type RunOptions } from './context.ts';
import { readManifests } from './manifests.ts';
import { listObjects, parseResourceArgs, selectorPredicate } from './resources.ts';
import { CmdError } from './services.ts';
import { tabwrite } from './tabwriter.ts';
import type { FlagDef } from './tokenize.ts';

/** AUTH_FLAGS are kubectl's impersonation flags, accepted by every command. */
export const AUTH_FLAGS: FlagDef[] = [{ name: 'as' }, { name: 'as-group', repeat: true }, { name: 'as-uid' }];

/** AuthRunOptions carries the impersonated user from the router to the commands that need it (can-i). */
export interface AuthRunOptions extends RunOptions {
  user?: UserInfo;
}

/** userFromFlags is the impersonated user of --as/--as-group, or undefined (the admin) without --as. */
export function userFromFlags(flags: Map<string, string[]>): UserInfo | undefined {
  const as = flags.get('as')?.at(-1);
  const groups = flags.get('as-group') ?? [];
  if (as === undefined || as === '') {
    if (groups.length) throw new CmdError(`error: requesting uid, groups or user-extra for  without impersonating a user`);
    return undefined;
  }
  return impersonate(as, groups);
}

type Request = Omit<Attributes, 'user'>;

const req = (verb: string, info: KindInfo, ns: string, name?: string, subresource?: string): Request => ({
  verb,
  apiGroup: info.group,
  resource: info.plural,
  ...(subresource ? { subresource } : {}),
  namespace: info.namespaced ? ns : '',
  ...(name ? { name } : {}),
});

const kind = (name: string): KindInfo => resolveResource(name)!;

/** refsOf reads TYPE NAME… / TYPE/NAME… arguments; args that are not resources (k=v, key-) are dropped first. */
function refsOf(args: string[], verb: string) {
  return parseResourceArgs(
    args.filter((a) => !a.includes('=') && !a.endsWith('-')),
    verb,
  );
}

/** podRef is the pod a logs/exec/port-forward argument names: "web-1" or "pod/web-1" (a TYPE/NAME of a workload is checked as a get of it). */
function podRef(arg: string | undefined): { info: KindInfo; name: string } | undefined {
  if (!arg) return undefined;
  if (arg.includes('/')) {
    const [t, n] = arg.split('/', 2);
    const info = resolveResource(t);
    return info ? { info, name: n } : undefined;
  }
  return { info: kind('pods'), name: arg };
}

/** GENERATED: the resource each object-generating command creates. */
const GENERATED: Record<string, string> = {
  'create deployment': 'deployments.apps',
  'create namespace': 'namespaces',
  'create configmap': 'configmaps',
  'create secret': 'secrets',
  'create ingress': 'ingresses.networking.k8s.io',
  'create quota': 'resourcequotas',
  'create poddisruptionbudget': 'poddisruptionbudgets.policy',
  'create priorityclass': 'priorityclasses.scheduling.k8s.io',
  run: 'pods',
  'create serviceaccount': 'serviceaccounts',
};

/**
 * requestsFor lists the requests a command makes, in order, as kubectl's code makes them:
 * get TYPE → list (get with a name), apply → get then create or patch, scale → get then patch of
 * the scale subresource, logs → get pods then get pods/log, exec → get pods then create pods/exec,
 * delete → delete (no get first: RequireObject(false)), cordon/drain → get and patch nodes.
 */
export function requestsFor(ctx: Ctx): Request[] {
  const ns = namespace(ctx);
  const all = boolFlag(ctx, 'all-namespaces');
  const listNs = all ? '' : ns;
  const out: Request[] = [];
  const fromManifests = (verbs: (m: KubeObject, exists: boolean) => string[]) => {
    for (const m of readManifests(ctx)) {
      const info = m.obj?.kind ? resolveResource(m.obj.kind) : undefined;
      if (!info) continue;
      const objNs = m.obj.metadata?.namespace ?? ns;
      const exists = !!m.obj.metadata?.name && !!ctx.sim.store.get(info.kind, info.namespaced ? objNs : undefined, m.obj.metadata.name);
      for (const v of verbs(m.obj, exists)) out.push(req(v, info, objNs, v === 'create' ? undefined : m.obj.metadata?.name));
    }
  };
  const getThen = (verb: string, sub?: string) => {
    for (const r of refsOf(ctx.args, ctx.path)) {
      for (const n of r.names) out.push(req('get', r.info, ns, n), req(verb, r.info, ns, n, sub));
    }
  };
  // The generators (create deployment, kubectl run …): one create of their kind; a cluster-scoped kind has no namespace.
  const generated = Object.hasOwn(GENERATED, ctx.path) ? GENERATED[ctx.path] : undefined;
  if (generated) {
    const info = kind(generated);
    out.push(req('create', info, info.namespaced ? ns : ''));
    return out;
  }
  switch (ctx.path) {
    case 'get':
    case 'describe':
      if (ctx.flags.has('filename')) fromManifests(() => ['get']);
      else for (const r of refsOf(ctx.args, ctx.path)) {
        if (r.names.length) for (const n of r.names) out.push(req('get', r.info, ns, n));
        else out.push(req('list', r.info, listNs));
      }
      break;
    case 'delete':
      if (ctx.flags.has('filename')) fromManifests(() => ['delete']);
      else for (const r of refsOf(ctx.args, ctx.path)) {
        if (r.names.length) for (const n of r.names) out.push(req('delete', r.info, ns, n));
        else {
          // -l / --all: kubectl lists, then deletes each object it found by name.
          out.push(req('list', r.info, listNs));
          for (const o of listObjects(ctx.sim, r.info, r.info.namespaced && !all ? ns : undefined).filter(selectorPredicate(flag(ctx, 'selector'), r.info))) {
            out.push(req('delete', r.info, o.metadata.namespace ?? '', o.metadata.name));
          }
        }
      }
      break;
    case 'apply':
      fromManifests((_m, exists) => (exists ? ['get', 'patch'] : ['get', 'create']));
      break;
    case 'create':
      fromManifests(() => ['create']);
      break;
    case 'replace':
      fromManifests(() => ['update']);
      break;
    case 'create role':
    case 'create clusterrole':
    case 'create rolebinding':
    case 'create clusterrolebinding':
      out.push(req('create', kind(`${ctx.path.slice('create '.length)}s.rbac.authorization.k8s.io`), ns));
      break;
    case 'expose':
      for (const r of refsOf(ctx.args, ctx.path)) for (const n of r.names) out.push(req('get', r.info, ns, n));
      out.push(req('create', kind('services'), ns));
      break;
    case 'scale':
      // kubectl scale reads the object, then patches its scale subresource (ScaleClient.Patch).
      getThen('patch', 'scale');
      break;
    case 'logs': {
      const p = podRef(ctx.args[0]);
      if (p) out.push(req('get', p.info, ns, p.name), ...(p.info.kind === 'Pod' ? [req('get', p.info, ns, p.name, 'log')] : []));
      break;
    }
    case 'exec': {
      const p = podRef(ctx.args[0]);
      if (p) out.push(req('get', p.info, ns, p.name), ...(p.info.kind === 'Pod' ? [req('create', p.info, ns, p.name, 'exec')] : []));
      break;
    }
    case 'rollout status':
    case 'rollout history':
      for (const r of refsOf(ctx.args, ctx.path)) for (const n of r.names) out.push(req('get', r.info, ns, n));
      break;
    case 'rollout undo':
    case 'rollout pause':
    case 'rollout resume':
    case 'rollout restart':
    case 'set image':
    case 'label':
    case 'annotate':
      getThen('patch');
      break;
    case 'patch':
      for (const r of refsOf(ctx.args, ctx.path)) for (const n of r.names) out.push(req('patch', r.info, ns, n));
      break;
    case 'cordon':
    case 'uncordon':
    case 'drain':
      for (const n of ctx.args) out.push(req('get', kind('nodes'), '', n), req('patch', kind('nodes'), '', n));
      break;
    case 'top pod':
      out.push({ verb: 'list', apiGroup: 'metrics.k8s.io', resource: 'pods', namespace: listNs });
      break;
    case 'top node':
      out.push({ verb: 'list', apiGroup: 'metrics.k8s.io', resource: 'nodes', namespace: '' });
      break;
    case 'wait':
      for (const r of refsOf(ctx.args, ctx.path)) {
        if (r.names.length) for (const n of r.names) out.push(req('get', r.info, ns, n));
        else out.push(req('list', r.info, listNs));
      }
      break;
  }
  return out;
}

/**
 * authorizeCommand throws kubectl's Forbidden error for the first request of the command that user
 * may not make. Commands whose arguments do not parse are left to report their own error.
 */
export function authorizeCommand(ctx: Ctx, user: UserInfo): void {
  let requests: Request[];
  try {
    requests = requestsFor(ctx);
  } catch (e) {
    if (e instanceof CmdError || e instanceof ApiError) return;
    throw e;
  }
  for (const r of requests) {
    const a = { ...r, user };
    const d = authorize(ctx.sim, a);
    if (!d.allowed) throw forbidden(a, d.reason);
  }
}

// ---- kubectl auth can-i ----

const CAN_I_USAGE = `error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.`;

/** policyRuleString is the generated PolicyRule.String() (gogo protobuf), which SortableRuleSlice sorts by. */
function policyRuleString(r: PolicyRule): string {
  const l = (v: string[] | undefined) => `[${(v ?? []).join(' ')}]`;
  return `&PolicyRule{Verbs:${l(r.verbs)},APIGroups:${l(r.apiGroups)},Resources:${l(r.resources)},ResourceNames:${l(r.resourceNames)},NonResourceURLs:${l(r.nonResourceURLs)},}`;
}

/**
 * breakdownRule is kubectl's rbac.BreakdownRule, which splits a rule into one rule per group × resource ×
 * verb × name, and CompactRules merges a resource's verbs back in their declared order: so the verbs of a
 * resource rule stay together here. A non-resource URL is never merged back, so it gets one rule per verb.
 */
function breakdownRule(r: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const g of r.apiGroups ?? []) {
    for (const res of r.resources ?? []) {
      if (r.resourceNames?.length) for (const n of r.resourceNames) out.push({ verbs: [...r.verbs], apiGroups: [g], resources: [res], resourceNames: [n] });
      else out.push({ verbs: [...r.verbs], apiGroups: [g], resources: [res] });
    }
  }
  for (const u of r.nonResourceURLs ?? []) for (const v of r.verbs) out.push({ verbs: [v], nonResourceURLs: [u] });
  return out;
}

/** compactRules is rbacutil.CompactRules: simple rules (one group, one resource, at most one name) of the same target merge their verbs, duplicates kept. */
function compactRules(rules: PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules) {
    const isSimple = (r.resourceNames?.length ?? 0) <= 1 && !r.nonResourceURLs?.length && r.apiGroups?.length === 1 && r.resources?.length === 1;
    if (!isSimple) {
      out.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups![0], r.resources![0], r.resourceNames?.[0] ?? null]);
    const prev = simple.get(key);
    if (prev) prev.verbs.push(...r.verbs);
    else simple.set(key, { ...r, verbs: [...r.verbs] });
  }
  return [...out, ...simple.values()];
}

/** combineResourceGroup is describe.CombineResourceGroup: "deployments.apps/scale", "pods". */
function combineResourceGroup(resources: string[] | undefined, groups: string[] | undefined): string {
  if (!resources?.length) return '';
  const [res, sub] = resources[0].split(/\/(.*)/s, 2);
  let s = res;
  if (groups?.length && groups[0] !== '') s += `.${groups[0]}`;
  if (sub !== undefined) s += `/${sub}`;
  return s;
}

/**
 * policyRuleRows are a list of rules as kubectl prints them (auth can-i --list, describe role): broken
 * down, compacted, sorted by PolicyRule.String(), one tab-separated row each (Resources, Non-Resource URLs,
 * Resource Names, Verbs).
 */
export function policyRuleRows(rules: PolicyRule[]): string[] {
  const broken = rules.flatMap((r) => breakdownRule({ ...r, verbs: Array.isArray(r.verbs) ? r.verbs : [] }));
  const compact = compactRules(broken)
    .map((r) => ({ r, s: policyRuleString(r) }))
    .sort((a, b) => (a.s < b.s ? -1 : a.s > b.s ? 1 : 0))
    .map((x) => x.r);
  const l = (v: string[] | undefined) => `[${(v ?? []).join(' ')}]`;
  return compact.map((r) => `${combineResourceGroup(r.resources, r.apiGroups)}\t${l(r.nonResourceURLs)}\t${l(r.resourceNames)}\t${l(r.verbs)}`);
}

/** canIList is `kubectl auth can-i --list`: the SelfSubjectRulesReview's rules, broken down, compacted and sorted as kubectl prints them. */
export function canIList(sim: Sim, user: UserInfo, ns: string, noHeaders: boolean): string {
  const rules: PolicyRule[] = [];
  visitRules(sim, user, ns, (_s, r) => (rules.push(r), false), []);
  let text = noHeaders ? '' : 'Resources\tNon-Resource URLs\tResource Names\tVerbs\n';
  for (const row of policyRuleRows(rules)) text += `${row}\n`;
  return tabwrite(text, 0, 3);
}

export const canICommand: Command = {
  name: 'auth can-i',
  short: 'Check whether an action is allowed',
  flags: [{ name: 'all-namespaces', short: 'A', bool: true }, { name: 'list', bool: true }, { name: 'no-headers', bool: true }, { name: 'quiet', short: 'q', bool: true }, { name: 'subresource' }],
  run(ctx) {
    const user = (ctx.opts as AuthRunOptions).user ?? ADMIN;
    const all = boolFlag(ctx, 'all-namespaces');
    const ns = all ? '' : namespace(ctx);
    if (boolFlag(ctx, 'list')) {
      if (ctx.args.length) throw new CmdError(`error: list option must be specified with no arguments`);
      return canIList(ctx.sim, user, ns, boolFlag(ctx, 'no-headers'));
    }
    if (ctx.args.length !== 2) throw new CmdError(CAN_I_USAGE);
    const [verb, target] = ctx.args;
    let warn = '';
    let a: Attributes;
    if (target.startsWith('/')) {
      // Non-resource URLs: only the bootstrap discovery rules grant them; Kubeplay answers from RBAC alike.
      return nonResource(ctx.sim, user, verb, target, boolFlag(ctx, 'quiet'));
    }
    const [res, name] = target.split(/\/(.*)/s, 2);
    const info = res === '*' ? undefined : resolveResource(res);
    const sub = flag(ctx, 'subresource');
    if (res === '*') a = { user, verb, apiGroup: '', resource: '*', namespace: ns, ...(name ? { name } : {}) };
    else if (!info) {
      const [r0, ...g] = res.toLowerCase().split('.');
      warn = g.length ? `Warning: the server doesn't have a resource type '${r0}' in group '${g.join('.')}'\n` : `Warning: the server doesn't have a resource type '${r0}'\n`;
      a = { user, verb, apiGroup: '', resource: res, namespace: ns, ...(name ? { name } : {}) };
    } else {
      a = { user, verb, apiGroup: info.group, resource: info.plural, namespace: ns, ...(sub ? { subresource: sub } : {}), ...(name ? { name } : {}) };
      if (!info.namespaced && !all) warn = info.group ? `Warning: resource '${info.plural}' is not namespace scoped in group '${info.group}'\n\n` : `Warning: resource '${info.plural}' is not namespace scoped\n\n`;
    }
    const d = authorize(ctx.sim, a);
    if (boolFlag(ctx, 'quiet')) return { exit: d.allowed ? 0 : 1, out: '' };
    if (d.allowed) return { exit: 0, out: `${warn}yes\n` };
    return { exit: 1, out: `${warn}no${d.reason ? ` - ${d.reason}` : ''}\n` };
  },
};

/** nonResource answers can-i for a URL from the rules' nonResourceURLs ("*" or a "/prefix/*" match, rbac.NonResourceURLMatches). */
function nonResource(sim: Sim, user: UserInfo, verb: string, url: string, quiet: boolean) {
  let allowed = user.groups.includes(SYSTEM_MASTERS);
  if (!allowed) {
    visitRules(sim, user, '', (_s, r) => {
      const verbs = Array.isArray(r.verbs) ? r.verbs : [];
      const urls = Array.isArray(r.nonResourceURLs) ? r.nonResourceURLs : [];
      const urlOk = urls.some((u) => u === '*' || u === url || (u.endsWith('*') && url.startsWith(u.slice(0, -1))));
      return (allowed = urlOk && (verbs.includes('*') || verbs.includes(verb)));
    }, []);
  }
  if (quiet) return { exit: allowed ? 0 : 1, out: '' };
  return { exit: allowed ? 0 : 1, out: allowed ? 'yes\n' : 'no\n' };
}

/** whoamiCommand is `kubectl auth whoami`: the SelfSubjectReview's user, as its table printer prints it. */
export const whoamiCommand: Command = {
  name: 'auth whoami',
  short: 'Experimental: Check self subject attributes',
  flags: [{ name: 'output', short: 'o' }],
  run(ctx) {
    const user = (ctx.opts as AuthRunOptions).user ?? ADMIN;
    const o = flag(ctx, 'output');
    const review = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: { creationTimestamp: null }, status: { userInfo: { groups: user.groups, username: user.name } } };
    if (o === 'json') return JSON.stringify(review, null, 4) + '\n';
    if (o) throw new CmdError(`error: unable to match a printer suitable for the output format "${o}", allowed formats are: json`);
    return tabwrite(`ATTRIBUTE\tVALUE\nUsername\t${user.name}\nGroups\t[${user.groups.join(' ')}]\n`, 0, 3);
  },
};
