import { ApiError, methodNotAllowed } from '../../api/errors.ts';
import { kindInfo, resolveApiVersion, serves, type KindInfo } from '../../api/kinds.ts';
import { notSimulatedWrite } from '../../api/server.ts';
import type { KubeObject } from '../../api/types.ts';
import { F, flag, namespace, type Command, type Ctx } from '../context.ts';
import { failureLines, type Failure } from '../errors.ts';
import { checkManifest, readManifests } from '../manifests.ts';
import { qualifiedName, dryRunSuffix } from '../output.ts';
import { api, CmdError } from '../services.ts';
import { parseOutput, printObjects } from './get.ts';

/**
 * infoString is resource.Info's String(), as kubectl's errors quote an object: the mapping's
 * GroupVersionResource and GroupVersionKind, then name and namespace.
 */
function infoString(obj: KubeObject, info: KindInfo): string {
  const version = obj.apiVersion.slice(obj.apiVersion.lastIndexOf('/') + 1);
  return `Resource: "${info.group}/${version}, Resource=${info.plural}", GroupVersionKind: "${info.group}/${version}, Kind=${info.kind}"\nName: "${obj.metadata.name ?? ''}", Namespace: "${obj.metadata.namespace ?? ''}"`;
}

/**
 * unnamedApplyError is kubectl apply's own refusal of an object without a name: a generateName cannot
 * be applied, and without either its Get of the live object fails before anything is sent.
 */
function unnamedApplyError(obj: KubeObject, info: KindInfo, source: string): string {
  if (obj.metadata.generateName) return `error: from ${obj.metadata.generateName}: cannot use generate name with apply`;
  return `error: error when retrieving current configuration of:\n${infoString(obj, info)}\nfrom server for: "${source}": resource name may not be empty`;
}

/**
 * unservedApplyError is kubectl apply's Get of the live object failing on a resource that serves no get
 * (bindings, the reviews): the server's 405, wrapped by AddSourceToErr.
 */
function unservedApplyError(obj: KubeObject, info: KindInfo, source: string): string {
  return `Error from server (MethodNotAllowed): error when retrieving current configuration of:\n${infoString(obj, info)}\nfrom server for: "${source}": ${methodNotAllowed().message}`;
}

/** applyOrCreate runs each manifest through the API server, printing one line per object and collecting errors. */
function applyOrCreate(ctx: Ctx, verb: 'apply' | 'create'): { exit: number; out: string } {
  const validation = fieldValidation(flag(ctx, 'validate'));
  const manifests = readManifests(ctx);
  const dryRun = flag(ctx, 'dry-run');
  const fmt = parseOutput(flag(ctx, 'output'), ['json', 'yaml', 'name']);
  let out = '';
  const failures: Failure[] = [];
  const opts = validationOptions(validation, (w) => (out += `Warning: ${w}\n`));
  for (const m of manifests) {
    let verbing = 'creating';
    try {
      checkManifest(m, namespace(ctx), flag(ctx, 'namespace'));
      const r = resolveApiVersion(m.obj.apiVersion, m.obj.kind);
      const info = 'info' in r ? r.info : kindInfo(m.obj.kind)!;
      if (verb === 'apply' && !m.obj.metadata.name) throw new CmdError(unnamedApplyError(m.obj, info, m.source));
      if (verb === 'apply' && !serves(info, 'get')) throw new CmdError(unservedApplyError(m.obj, info, m.source));
      // A write the API server would take but Kubeplay does not simulate (a review's create, events.k8s.io).
      const why = serves(info, 'create') ? notSimulatedWrite(info) : undefined;
      if (why) throw new CmdError(`error: ${why}`);
      let obj = m.obj;
      const patching = verb === 'apply' && !!ctx.sim.store.get(obj.kind, obj.metadata.namespace, obj.metadata.name);
      verbing = patching ? 'applying patch' : 'creating';
      // kubectl prints the object as it would send it; apply skips the patch of an existing object and
      // says "configured" (applyOneObject), whatever the patch would have been.
      let result: string = patching && dryRun === 'client' ? 'configured' : 'created';
      if (dryRun === 'client') {
        /* nothing is sent */
      } else if (verb === 'apply') {
        const r = api(ctx.sim).apply(m.obj, { ...opts, dryRun: dryRun === 'server' });
        obj = r.obj;
        result = r.result;
        if (r.warning) out += `Warning: ${r.warning}\n`;
      } else obj = api(ctx.sim).create(m.obj, { ...opts, dryRun: dryRun === 'server' });
      if (fmt.kind === 'name') out += qualifiedName(obj) + '\n';
      else if (fmt.kind) out += printObjects([obj], fmt, true);
      else out += `${qualifiedName(obj)} ${result}${dryRunSuffix(dryRun)}\n`;
    } catch (e) {
      if (e instanceof CmdError) failures.push(e.message);
      else if (e instanceof ApiError) failures.push({ e, obj: m.obj, verb: verbing, source: m.source });
      else throw e;
    }
  }
  return { exit: failures.length ? 1 : 0, out: out + failureLines(failures) };
}

/**
 * fieldValidation reads --validate as kubectl does (GetValidationDirective): strict or true (the
 * default, and a bare --validate), warn, ignore or false.
 */
export function fieldValidation(v: string | undefined): 'Strict' | 'Warn' | 'Ignore' {
  const s = (v ?? 'strict').toLowerCase();
  if (s === 'strict' || s === 'true' || s === '') return 'Strict';
  if (s === 'warn') return 'Warn';
  if (s === 'ignore' || s === 'false') return 'Ignore';
  throw new CmdError(`error: invalid - validate option "${v}"; must be one of: strict (or true), warn, ignore (or false)`);
}

/**
 * validationOptions are the API request options for a --validate mode: with Warn the server drops each
 * unknown field and warns of it (warn prints the warning as kubectl does); with Ignore it drops them quietly.
 */
export function validationOptions(mode: 'Strict' | 'Warn' | 'Ignore', warn: (w: string) => void): { fieldValidation: 'Strict' | 'Warn' | 'Ignore'; warn: (w: string) => void } {
  return { fieldValidation: mode, warn };
}

export const applyCommand: Command = {
  name: 'apply',
  short: 'Apply a configuration to a resource by file name or stdin',
  flags: [F.filename, F.output, F.dryRun, F.recursive, F.validate, { name: 'server-side', bool: true }, { name: 'force-conflicts', bool: true }, { name: 'prune', bool: true }, F.selector, F.record],
  run: (ctx) => applyOrCreate(ctx, 'apply'),
};

export { applyOrCreate };
