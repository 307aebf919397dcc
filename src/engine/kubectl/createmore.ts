/**
 * createmore: the `kubectl create` generators for Ingress, ResourceQuota, PodDisruptionBudget and
 * PriorityClass, as kubectl's create_ingress.go, create_quota.go, create_pdb.go and
 * create_priorityclass.go build them (their flags, their validation messages, their objects).
 */
import type { KubeObject } from '../api/types.ts';
import { isQuantity } from '../api/quantity.ts';
import { parseSelectorString } from '../api/labelparse.ts';
import { boolFlag, F, flag, flags, namespace, type Command, type Ctx } from './context.ts';
import { finish } from './commands/create.ts';
import { CmdError } from './services.ts';

const CREATE_FLAGS = [F.output, F.dryRun];

function nameOf(ctx: Ctx, what: string): string {
  if (ctx.args.length !== 1) throw new CmdError(`error: exactly one NAME is required, got ${ctx.args.length}\nSee 'kubectl create ${what} -h' for help and examples`);
  return ctx.args[0];
}

/** RULE is create_ingress.go's ruleRegex: host/path=svcname:svcport[,tls[=secret]]. */
const RULE = /^([\w*\-.]*)(\/.*)=([\w-]+):([\w-]+)(,(tls)=?([\w-]+)?)?$/;

/** backend is buildIngressBackendSvc: a port that parses as a number is a number, else a port name. */
function backend(svc: string): Record<string, unknown> {
  const [name, port] = svc.split(':');
  return { service: { name, port: /^[+-]?\d+$/.test(port) ? { number: Number(port) } : { name: port } } };
}

/** ingressPath is buildHTTPIngressPath: a trailing `*` makes the path a Prefix (without the star), else Exact. */
function ingressPath(pathsvc: string): Record<string, unknown> {
  const [p, svc] = pathsvc.split('=');
  let path = '/' + p;
  let pathType = 'Exact';
  if (path.endsWith('*')) {
    pathType = 'Prefix';
    path = path.slice(0, -1);
  }
  return { path, pathType, backend: backend(svc) };
}

export const createIngressCommand: Command = {
  name: 'create ingress',
  aliases: ['create ing'],
  short: 'Create an ingress with the specified name',
  flags: [...CREATE_FLAGS, { name: 'rule', repeat: true }, { name: 'class' }, { name: 'default-backend' }, { name: 'annotation', repeat: true }],
  run(ctx) {
    const name = nameOf(ctx, 'ingress');
    const rules = flags(ctx, 'rule');
    const def = flag(ctx, 'default-backend');
    const annotations = flags(ctx, 'annotation');
    // CreateIngressOptions.Validate, in its order.
    if (!def && !rules.length) {
      throw new CmdError('error: not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)');
    }
    for (const r of rules) if (!RULE.test(r)) throw new CmdError(`error: rule ${r} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]`);
    for (const a of annotations) if (!a.includes('=')) throw new CmdError(`error: annotation ${a} is invalid and should be in format key=[value]`);
    if (def && def.split(':').length !== 2) throw new CmdError('error: default-backend should be in format servicename:serviceport');

    const spec: Record<string, unknown> = {};
    const cls = flag(ctx, 'class');
    if (cls) spec.ingressClassName = cls;
    if (def) spec.defaultBackend = backend(def);
    // buildTLSRules: each host once; hosts with the same secret share an entry.
    const tls: { hosts?: string[]; secretName?: string }[] = [];
    const seen = new Set<string>();
    for (const r of rules) {
      const parts = r.split(',');
      if (parts.length !== 2) continue;
      const host = r.split('/')[0];
      const secret = parts[1].split('=')[1] ?? '';
      if (seen.has(host)) continue;
      seen.add(host);
      const same = tls.find((t) => (t.secretName ?? '') === secret);
      if (same) {
        (same.hosts ??= []).push(host);
        continue;
      }
      const entry: { hosts?: string[]; secretName?: string } = {};
      if (host) entry.hosts = [host];
      if (secret) entry.secretName = secret;
      if (entry.hosts || entry.secretName) tls.push(entry);
    }
    if (tls.length) spec.tls = tls;
    // buildIngressRules: paths of one host share its rule.
    const out: { host?: string; http: { paths: Record<string, unknown>[] } }[] = [];
    for (const r of rules) {
      const [host, rest] = [r.split(',')[0].slice(0, r.indexOf('/')), r.split(',')[0].slice(r.indexOf('/') + 1)];
      const path = ingressPath(rest);
      const rule = out.find((x) => (x.host ?? '') === host);
      if (rule) rule.http.paths.push(path);
      else out.push({ ...(host ? { host } : {}), http: { paths: [path] } });
    }
    if (out.length) spec.rules = out;
    const metadata: KubeObject['metadata'] = { name, namespace: namespace(ctx) };
    if (annotations.length) metadata.annotations = Object.fromEntries(annotations.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
    return finish(ctx, { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata, spec, status: { loadBalancer: {} } });
  },
};

export const createQuotaCommand: Command = {
  name: 'create quota',
  aliases: ['create resourcequota'],
  short: 'Create a quota with the specified name',
  flags: [...CREATE_FLAGS, { name: 'hard' }, { name: 'scopes' }],
  run(ctx) {
    const name = nameOf(ctx, 'quota');
    // populateResourceListV1: resource=quantity pairs, comma-separated.
    const hard: Record<string, string> = {};
    for (const kv of (flag(ctx, 'hard') ?? '').split(',').filter((x) => x.trim())) {
      const parts = kv.split('=');
      if (parts.length !== 2) throw new CmdError(`error: invalid argument syntax ${kv}, expected <resource>=<value>`);
      if (!isQuantity(parts[1])) throw new CmdError(`error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
      hard[parts[0].trim()] = parts[1];
    }
    const scopes = (flag(ctx, 'scopes') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const spec: Record<string, unknown> = {};
    if (Object.keys(hard).length) spec.hard = hard;
    if (scopes.length) spec.scopes = scopes;
    return finish(ctx, { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: namespace(ctx) }, spec, status: {} });
  },
};

/** INT_OR_PERCENT is create_pdb.go's check: a number or a percentage (not 10Gb). */
const INT_OR_PERCENT = /^[0-9]+%?$/;

export const createPdbCommand: Command = {
  name: 'create poddisruptionbudget',
  aliases: ['create pdb'],
  short: 'Create a pod disruption budget with the specified name',
  flags: [...CREATE_FLAGS, F.selector, { name: 'min-available' }, { name: 'max-unavailable' }],
  run(ctx) {
    const name = nameOf(ctx, 'poddisruptionbudget');
    const selector = flag(ctx, 'selector') ?? '';
    const min = flag(ctx, 'min-available') ?? '';
    const max = flag(ctx, 'max-unavailable') ?? '';
    // PodDisruptionBudgetOpts.Validate, in its order.
    if (!selector) throw new CmdError('error: a selector must be specified');
    if (!min && !max) throw new CmdError('error: one of min-available or max-unavailable must be specified');
    if (min && max) throw new CmdError('error: min-available and max-unavailable cannot be both specified');
    if (min && !INT_OR_PERCENT.test(min)) throw new CmdError('error: invalid format specified for min-available');
    if (max && !INT_OR_PERCENT.test(max)) throw new CmdError('error: invalid format specified for max-unavailable');
    const sel = parseSelectorString(selector);
    if ('error' in sel) throw new CmdError(`error: ${sel.error}`);
    const intOrString = (v: string) => (/^\d+$/.test(v) ? Number(v) : v);
    // metav1.ParseToLabelSelector, serialized with omitempty.
    const selectorOut: Record<string, unknown> = {};
    if (Object.keys(sel.matchLabels ?? {}).length) selectorOut.matchLabels = sel.matchLabels;
    if (sel.matchExpressions?.length) selectorOut.matchExpressions = sel.matchExpressions;
    const spec: Record<string, unknown> = { selector: selectorOut };
    if (min) spec.minAvailable = intOrString(min);
    if (max) spec.maxUnavailable = intOrString(max);
    return finish(ctx, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: namespace(ctx) }, spec, status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 } });
  },
};

export const createPriorityClassCommand: Command = {
  name: 'create priorityclass',
  aliases: ['create pc'],
  short: 'Create a priority class with the specified name',
  flags: [...CREATE_FLAGS, { name: 'value' }, { name: 'global-default', bool: true }, { name: 'description' }, { name: 'preemption-policy' }],
  run(ctx) {
    const name = nameOf(ctx, 'priorityclass');
    const v = flag(ctx, 'value') ?? '0';
    if (!/^[+-]?\d+$/.test(v) || Math.abs(Number(v)) > 2 ** 31) throw new CmdError(`error: invalid argument "${v}" for "--value" flag: strconv.ParseInt: parsing "${v}": ${/^[+-]?\d+$/.test(v) ? 'value out of range' : 'invalid syntax'}`);
    return finish(ctx, {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name },
      value: Number(v),
      globalDefault: boolFlag(ctx, 'global-default'),
      description: flag(ctx, 'description') ?? '',
      preemptionPolicy: flag(ctx, 'preemption-policy') ?? 'PreemptLowerPriority',
    } as unknown as KubeObject);
  },
};

export const MORE_CREATE_COMMANDS: Command[] = [createIngressCommand, createQuotaCommand, createPdbCommand, createPriorityClassCommand];
