import { compileGo } from '../../regexp.ts';
import type { Container, KubeObject } from '../../api/types.ts';
import { isEnvVarName } from '../../api/names.ts';
import { isQuantity } from '../../api/quantity.ts';
import { canonicalQuantity } from '../../api/canonical.ts';
import { ApiError } from '../../api/errors.ts';
import { kindInfo } from '../../api/kinds.ts';
import { boolFlag, F, flag, flags, namespace, type Command, type Ctx } from '../context.ts';
import { mutate } from '../mutate.ts';
import { qualifiedName } from '../output.ts';
import { getObject, listObjects, parseResourceArgs, selectorPredicate } from '../resources.ts';
import { CmdError } from '../services.ts';
import { operationResult } from './get.ts';
import { pushAll } from '../../arrays.ts';

/** podSpecOf returns the pod spec kubectl set image edits: a Pod's spec or a workload's template spec. */
function podSpecOf(o: KubeObject): { containers: Container[]; initContainers?: Container[] } | undefined {
  return o.kind === 'Pod' ? o.spec : o.spec?.template?.spec;
}

/** setImageCommand is `kubectl set image RES CONTAINER=IMAGE …` (`*` for every container). */
export const setImageCommand: Command = {
  name: 'set image',
  short: 'Update the image of a pod template',
  flags: [F.filename, F.selector, F.all, F.output, F.dryRun, F.record],
  run(ctx) {
    const resArgs = ctx.args.filter((a) => !a.includes('='));
    const pairs = ctx.args.filter((a) => a.includes('='));
    if (pairs.length === 0) throw new CmdError(`error: at least one image update is required`);
    const images = pairs.map((p) => {
      const i = p.indexOf('=');
      return { container: p.slice(0, i), image: p.slice(i + 1) };
    });
    let out = '';
    for (const o of workloads(ctx, resArgs, 'set image')) {
      const spec = podSpecOf(o);
      if (!spec) throw new CmdError(`error: ${qualifiedName(o)} has no pod template`);
      for (const { container } of images) {
        if (container !== '*' && ![...spec.containers, ...(spec.initContainers ?? [])].some((c) => c.name === container)) {
          throw new CmdError(`error: unable to find container named "${container}"`);
        }
      }
      const changed = [...spec.containers, ...(spec.initContainers ?? [])].some((c) => images.some((i) => (i.container === '*' || i.container === c.name) && c.image !== i.image));
      if (!changed) continue;
      const updated = mutate(
        ctx.sim,
        o,
        (copy) => {
          const s = podSpecOf(copy)!;
          for (const c of [...s.containers, ...(s.initContainers ?? [])]) {
            for (const i of images) if (i.container === '*' || i.container === c.name) c.image = i.image;
          }
        },
        flag(ctx, 'dry-run'),
        (w) => (out += `Warning: ${w}\n`),
      );
      out += operationResult(ctx, updated, 'image updated');
    }
    return out;
  },
};

/** EnvVar is a container's env entry. */
type EnvVar = NonNullable<Container['env']>[number];

/** workloads resolves set's resource arguments (and -l/--all) to the objects to change. */
function workloads(ctx: Ctx, args: string[], verb: string): KubeObject[] {
  const ns = namespace(ctx);
  const refs = parseResourceArgs(args, verb);
  if (!refs.length) throw new CmdError('error: one or more resources must be specified as <resource> <name> or <resource>/<name>');
  const objs: KubeObject[] = [];
  for (const ref of refs) {
    if (ref.names.length) for (const n of ref.names) objs.push(getObject(ctx.sim, ref.info, ns, n));
    else pushAll(objs, listObjects(ctx.sim, ref.info, ns).filter(selectorPredicate(flag(ctx, 'selector'), ref.info)));
  }
  return objs;
}

/** globMatch is filepath.Match for container names: `*` any run, `?` one character. */
function globMatch(pattern: string, name: string): boolean {
  // RE2, so a pattern of many stars is linear in the name (Go's filepath.Match does not backtrack either).
  return compileGo(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(name);
}

/** selected is selectContainers: the init and app containers whose names match -c (default every one). */
function selected(spec: { containers: Container[]; initContainers?: Container[] }, pattern: string): Container[] {
  return [...spec.containers, ...(spec.initContainers ?? [])].filter((c) => globMatch(pattern, c.name));
}

/**
 * patchTemplate writes the change through the API server; a refusal is reported as kubectl set does,
 * `failed to patch env update to pod template Deployment.apps "web" is invalid: …`.
 */
function patchTemplate(ctx: Ctx, o: KubeObject, what: string, change: (copy: KubeObject) => void, warn: (message: string) => void): KubeObject {
  try {
    return mutate(ctx.sim, o, change, flag(ctx, 'dry-run'), warn);
  } catch (e) {
    if (!(e instanceof ApiError) || e.reason !== 'Invalid') throw e;
    const group = kindInfo(o.kind)?.group;
    const message = e.message.replace(/^The \S+ "[^"]*" is invalid: /, `${group ? `${o.kind}.${group}` : o.kind} "${o.metadata.name}" is invalid: `);
    throw new CmdError(`error: failed to patch ${what} update to pod template ${message}`);
  }
}

const SET_FLAGS = [F.filename, F.selector, F.all, F.output, F.dryRun, F.record, { name: 'containers', short: 'c' }];

/**
 * setEnvCommand is `kubectl set env RES KEY=VALUE … KEY-` (pkg/cmd/set/set_env.go): every selected container's env
 * gets the new values in place of the old ones and loses the removed names (updateEnv); `--list` prints them;
 * `--overwrite=false` refuses to change a value. `deployment.apps/web env updated`, nothing when nothing changed.
 */
export const setEnvCommand: Command = {
  name: 'set env',
  short: 'Update environment variables on a pod template',
  flags: [...SET_FLAGS, { name: 'env', short: 'e', repeat: true }, { name: 'list', bool: true }, { name: 'overwrite' }],
  run(ctx) {
    // Resources first, then KEY=VALUE and KEY- arguments (SplitEnvironmentFromResources).
    const resources: string[] = [];
    const envArgs: string[] = [];
    for (const a of ctx.args) {
      const isEnv = /^.+=/s.test(a) || a.endsWith('-');
      if (isEnv) envArgs.push(a);
      else if (envArgs.length) throw new CmdError('error: all resources must be specified before environment changes: ' + a);
      else resources.push(a);
    }
    const env: { name: string; value: string }[] = [];
    const remove: string[] = [];
    for (const spec of [...flags(ctx, 'env'), ...envArgs]) {
      if (spec.includes('=')) {
        const i = spec.indexOf('=');
        const name = spec.slice(0, i);
        const errs = isEnvVarName(name);
        if (errs.length) throw new CmdError(`error: "${name}" is not a valid key name: ${errs.join(';')}`);
        env.push({ name, value: spec.slice(i + 1) });
      } else if (spec.endsWith('-')) remove.push(spec.slice(0, -1));
      else throw new CmdError(`error: unknown environment variable: ${spec}`);
    }
    if (remove.some((r) => env.some((e) => e.name === r))) throw new CmdError('error: can not both modify and remove the same environment variable in the same command');
    const list = boolFlag(ctx, 'list');
    if (list && flag(ctx, 'output')) throw new CmdError('error: --list and --output may not be specified together');
    const overwrite = flag(ctx, 'overwrite') !== 'false';
    const pattern = flag(ctx, 'containers') ?? '*';
    const updated = (existing: EnvVar[] | undefined): EnvVar[] => {
      // updateEnv: existing names keep their place (with the new value), new ones follow in order.
      const covered = new Set(remove);
      const next: EnvVar[] = [];
      for (const e of existing ?? []) {
        if (covered.has(e.name)) continue;
        const newer = env.find((x) => x.name === e.name);
        if (newer) covered.add(e.name);
        next.push(newer ?? e);
      }
      for (const e of env) {
        if (covered.has(e.name)) continue;
        covered.add(e.name);
        next.push(e);
      }
      return next;
    };
    let out = '';
    for (const o of workloads(ctx, resources, 'set env')) {
      const spec = podSpecOf(o);
      if (!spec) throw new CmdError(`${out}error: ${qualifiedName(o)} has no pod template`);
      const containers = selected(spec, pattern);
      if (containers.length === 0) {
        out += `warning: ${o.kind}/${o.metadata.name} does not have any containers matching "${pattern}"\n`;
        continue;
      }
      if (list) {
        for (const c of containers) {
          out += `# ${o.kind} ${o.metadata.name}, container ${c.name}\n`;
          for (const e of updated(c.env)) out += e.valueFrom ? `# ${e.name} from ${envRefString(e.valueFrom)}\n` : `${e.name}=${e.value ?? ''}\n`;
        }
        continue;
      }
      for (const c of containers) {
        if (overwrite) continue;
        for (const e of env) {
          const cur = c.env?.find((x) => x.name === e.name);
          if (cur && cur.value !== e.value) throw new CmdError(`${out}error: '${cur.name}' already has a value (${cur.value ?? ''}), and --overwrite is false`);
        }
      }
      const changed = containers.some((c) => JSON.stringify(updated(c.env)) !== JSON.stringify(c.env ?? []));
      if (!changed) continue;
      const result = patchTemplate(
        ctx,
        o,
        'env',
        (copy) => {
          for (const c of selected(podSpecOf(copy)!, pattern)) {
            const next = updated(c.env);
            if (next.length) c.env = next;
            else delete c.env;
          }
        },
        (w) => (out += `Warning: ${w}\n`),
      );
      out += operationResult(ctx, result, 'env updated');
    }
    return out;
  },
};

/** envRefString is envutil.GetEnvVarRefString: where a valueFrom reads. */
function envRefString(from: { configMapKeyRef?: { name: string; key: string }; secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string }; resourceFieldRef?: { resource: string } }): string {
  if (from.configMapKeyRef) return `configmap ${from.configMapKeyRef.name}, key ${from.configMapKeyRef.key}`;
  if (from.secretKeyRef) return `secret ${from.secretKeyRef.name}, key ${from.secretKeyRef.key}`;
  if (from.fieldRef) return `field path ${from.fieldRef.fieldPath}`;
  if (from.resourceFieldRef) return `resource ${from.resourceFieldRef.resource}`;
  return 'invalid valueFrom';
}

/** parseResourceList reads `cpu=100m,memory=64Mi` as kubectl's populateResourceListV1 does (the API server judges the names). */
function parseResourceList(spec: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!spec) return out;
  for (const part of spec.split(',')) {
    const kv = part.split('=');
    if (kv.length !== 2) throw new CmdError(`error: Invalid argument syntax ${part}, expected <resource>=<value>`);
    if (!isQuantity(kv[1])) throw new CmdError("error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    // resource.ParseQuantity, sent as the Quantity marshals: canonical ("0.1" → "100m").
    out[kv[0]] = canonicalQuantity(kv[1]) ?? kv[1];
  }
  return out;
}

/**
 * setResourcesCommand is `kubectl set resources RES [-c=NAME] --requests=cpu=…,memory=… --limits=…`
 * (pkg/cmd/set/set_resources.go): the selected containers' requests and limits are merged with the given
 * ones. `deployment.apps/web resource requirements updated`.
 */
export const setResourcesCommand: Command = {
  name: 'set resources',
  short: 'Update resource requests/limits on objects with pod templates',
  flags: [...SET_FLAGS, { name: 'requests' }, { name: 'limits' }],
  run(ctx) {
    const requests = parseResourceList(flag(ctx, 'requests'));
    const limits = parseResourceList(flag(ctx, 'limits'));
    if (!Object.keys(requests).length && !Object.keys(limits).length) {
      throw new CmdError('error: you must specify an update to requests or limits (in the form of --requests/--limits)');
    }
    const pattern = flag(ctx, 'containers') ?? '*';
    let out = '';
    for (const o of workloads(ctx, ctx.args, 'set resources')) {
      const spec = podSpecOf(o);
      if (!spec) throw new CmdError(`${out}error: ${qualifiedName(o)} has no pod template`);
      if (selected(spec, pattern).length === 0) {
        out += `warning: ${o.kind}/${o.metadata.name} does not have any containers matching "${pattern}"\n`;
        continue;
      }
      const apply = (c: Container) => {
        const r = (c.resources ??= {});
        if (Object.keys(requests).length) r.requests = { ...(r.requests ?? {}), ...requests };
        if (Object.keys(limits).length) r.limits = { ...(r.limits ?? {}), ...limits };
      };
      const before = JSON.stringify(spec);
      const probe = structuredClone(spec);
      for (const c of selected(probe, pattern)) apply(c);
      if (JSON.stringify(probe) === before) continue;
      const result = patchTemplate(
        ctx,
        o,
        'resources',
        (copy) => {
          for (const c of selected(podSpecOf(copy)!, pattern)) apply(c);
        },
        (w) => (out += `Warning: ${w}\n`),
      );
      out += operationResult(ctx, result, 'resource requirements updated');
    }
    return out;
  },
};

/**
 * setServiceAccountCommand is `kubectl set serviceaccount RES… NAME` (set_serviceaccount.go): the pod
 * template's serviceAccountName (a Pod's own, which the API server then refuses to change).
 */
export const setServiceAccountCommand: Command = {
  name: 'set serviceaccount',
  aliases: ['set sa'],
  short: 'Update the service account of a resource',
  flags: SET_FLAGS,
  run(ctx) {
    if (ctx.args.length < 2) throw new CmdError('error: serviceaccount is required');
    const sa = ctx.args[ctx.args.length - 1];
    let out = '';
    for (const o of workloads(ctx, ctx.args.slice(0, -1), 'set serviceaccount')) {
      if (!podSpecOf(o)) throw new CmdError(`${out}error: ${qualifiedName(o)} has no pod template`);
      let result: KubeObject;
      try {
        result = mutate(ctx.sim, o, (copy) => void ((podSpecOf(copy) as { serviceAccountName?: string }).serviceAccountName = sa), flag(ctx, 'dry-run'), (w) => (out += `Warning: ${w}\n`));
      } catch (e) {
        if (e instanceof ApiError) throw new CmdError(`${out}error: failed to patch ServiceAccountName ${e.message}`);
        throw e;
      }
      out += operationResult(ctx, result, 'serviceaccount updated');
    }
    return out;
  },
};

/**
 * setSelectorCommand is `kubectl set selector RES EXPRESSIONS` (set_selector.go): a Service's selector
 * becomes the given labels; another kind's spec.selector.matchLabels, which the API server refuses to
 * change for Deployments and ReplicaSets (it is immutable).
 */
export const setSelectorCommand: Command = {
  name: 'set selector',
  short: 'Set the selector on a resource',
  flags: [...SET_FLAGS, { name: 'resource-version' }],
  run(ctx) {
    if (ctx.args.length < 2) throw new CmdError('error: one or more resources must be specified as <resource> <name> or <resource>/<name>');
    const expr = ctx.args[ctx.args.length - 1];
    const selector: Record<string, string> = {};
    for (const part of expr.split(',').filter((p) => p !== '')) {
      const m = /^([^=!]+)==?(.*)$/.exec(part);
      if (!m) throw new CmdError(`error: unexpected selector: ${part}`);
      selector[m[1]] = m[2];
    }
    let out = '';
    for (const o of workloads(ctx, ctx.args.slice(0, -1), 'set selector')) {
      const result = mutate(
        ctx.sim,
        o,
        (copy) => {
          if (copy.kind === 'Service') copy.spec.selector = { ...selector };
          else copy.spec.selector = { ...(copy.spec.selector ?? {}), matchLabels: { ...selector } };
        },
        flag(ctx, 'dry-run'),
        (w) => (out += `Warning: ${w}\n`),
      );
      out += operationResult(ctx, result, 'selector updated');
    }
    return out;
  },
};

/**
 * setSubjectCommand is `kubectl set subject (rolebinding|clusterrolebinding) NAME --user/--group/--serviceaccount`
 * (set_subject.go): the subjects are added to the binding's, each once.
 */
export const setSubjectCommand: Command = {
  name: 'set subject',
  short: 'Update the user, group, or service account in a role binding or cluster role binding',
  flags: [...SET_FLAGS, { name: 'user', repeat: true }, { name: 'group', repeat: true }, { name: 'serviceaccount', repeat: true }],
  run(ctx) {
    const add: { kind: string; name: string; namespace?: string; apiGroup?: string }[] = [];
    for (const u of flags(ctx, 'user')) add.push({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: u });
    for (const g of flags(ctx, 'group')) add.push({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: g });
    for (const sa of flags(ctx, 'serviceaccount')) {
      const [ns, name] = sa.split(':');
      if (!ns || !name || sa.split(':').length !== 2) throw new CmdError(`error: serviceaccount must be <namespace>:<name>`);
      add.push({ kind: 'ServiceAccount', namespace: ns, name });
    }
    if (add.length === 0) throw new CmdError('error: at least one of --user, --group, or --serviceaccount must be provided');
    let out = '';
    for (const o of workloads(ctx, ctx.args, 'set subject')) {
      if (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') throw new CmdError(`${out}error: setting subjects is only supported for RoleBinding/ClusterRoleBinding`);
      const result = mutate(
        ctx.sim,
        o,
        (copy) => {
          const subjects = ((copy as { subjects?: typeof add }).subjects ??= []);
          for (const s of add) if (!subjects.some((x) => x.kind === s.kind && x.name === s.name && (x.namespace ?? '') === (s.namespace ?? ''))) subjects.push({ ...s });
        },
        flag(ctx, 'dry-run'),
      );
      out += operationResult(ctx, result, 'subjects updated');
    }
    return out;
  },
};
