import { parseDocument } from 'yaml';
import { ApiError } from '../../api/errors.ts';
import { apiVersionOf, kindInfo, resourceName } from '../../api/kinds.ts';
import type { KubeObject } from '../../api/types.ts';
import { boolFlag, F, flag, type Command, type Ctx } from '../context.ts';
import { goYamlWords, readManifests } from '../manifests.ts';
import { apiErrorMessage } from '../errors.ts';
import { dryRunStrategy, dryRunSuffix, qualifiedName, sortKeys } from '../output.ts';
import { applyJsonPatch, decodeJsonPatch, JsonPatchDecodeError, JsonPatchError, mergePatch } from '../patch/jsonpatch.ts';
import { strategicMergePatch, StrategicPatchError } from '../patch/strategic.ts';
import { api, CmdError } from '../services.ts';
import { resolveTargets, type Target } from '../targets.ts';
import { parseOutput, printObjects } from './get.ts';

export type PatchType = 'strategic' | 'merge' | 'json';
const PATCH_TYPES = ['json', 'merge', 'strategic'];

/** The API groups compiled into kubectl's scheme; anything else (argoproj.io …) is a custom resource. */
const BUILTIN_GROUPS = new Set(['', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'discovery.k8s.io', 'scheduling.k8s.io', 'storage.k8s.io', 'rbac.authorization.k8s.io', 'apiextensions.k8s.io']);

const MEDIA_TYPE: Record<PatchType, string> = { strategic: 'application/strategic-merge-patch+json', merge: 'application/merge-patch+json', json: 'application/json-patch+json' };

/** gvkString is schema.GroupVersionKind's String(): "argoproj.io/v1alpha1, Kind=Rollout" ("/v1, Kind=Pod" for core). */
function gvkString(kind: string): string {
  const info = kindInfo(kind)!;
  return `${info.group}/${info.versions[0]}, Kind=${kind}`;
}

/** BadJson is a patch that starts with "{" but is not JSON: kubectl sends it as is and the decoder on the other side fails. */
export class BadJson {
  constructor(readonly message: string) {}
}

/** goJsonError words a JSON syntax error as Go's encoding/json does (the character, or the end of input). */
export function goJsonError(text: string, e: unknown): string {
  const msg = String((e as Error).message);
  const token = /Unexpected token '(.)'/.exec(msg)?.[1];
  const m = /position (\d+)/.exec(msg);
  const ch = token ?? (m ? text[parseInt(m[1], 10)] : undefined);
  if (ch === undefined || /Unexpected end/.test(msg)) return 'unexpected end of JSON input';
  return `invalid character '${ch}' looking for beginning of value`;
}

/**
 * readPatch is -p or --patch-file converted as yaml.ToJSON does: text starting with "{" is taken as JSON
 * (a syntax error surfaces where the patch is decoded), anything else is read as YAML.
 */
function readPatch(ctx: Ctx): unknown {
  const p = flag(ctx, 'patch');
  const file = flag(ctx, 'patch-file');
  let text = p ?? '';
  if (file) {
    const t = ctx.opts.files?.[file];
    if (t === undefined) throw new CmdError(`error: unable to read patch file: open ${file}: no such file or directory`);
    text = t;
  }
  if (text.trimStart().startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch (e) {
      return new BadJson(goJsonError(text, e));
    }
  }
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line;
    const what = goYamlWords(e.code, e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''));
    throw new CmdError(`error: unable to parse ${JSON.stringify(text)}: yaml: ${line ? `line ${line}: ` : ''}${what}`);
  }
  return doc.toJS();
}

/**
 * patchObject applies one patch to a copy of `live` on the client side (kubectl --dry-run=client /
 * --local) or as the API server's patch handler does, and returns the patched object. Errors are
 * thrown as kubectl prints them.
 */
export function patchObject(live: KubeObject, patch: unknown, type: PatchType, where: 'client' | 'server'): KubeObject {
  const info = kindInfo(live.kind);
  const custom = !info || !BUILTIN_GROUPS.has(info.group);
  if (patch instanceof BadJson && !(type === 'strategic' && custom)) {
    // The server answers 400 with the decoder's message (a merge patch: json-patch's ErrBadJSONPatch).
    const msg = type === 'merge' && where === 'server' ? 'Invalid JSON Patch' : patch.message;
    throw new CmdError(where === 'client' ? `error: ${msg}` : `Error from server (BadRequest): ${msg}`);
  }
  switch (type) {
    case 'strategic':
      if (custom) {
        // kubectl's getPatchedJSON cannot find a Go type for the kind; the server answers 415 (CRDs have no SMP schema).
        if (where === 'client') throw new CmdError(`error: strategic merge patch is not supported for ${gvkString(live.kind)} locally, try --type merge`);
        throw new CmdError(
          `error: ${MEDIA_TYPE.strategic} is not supported by ${gvkString(live.kind)}: the body of the request was in an unknown format - accepted media types include: ${MEDIA_TYPE.json}, ${MEDIA_TYPE.merge}, application/apply-patch+yaml`,
        );
      }
      try {
        return strategicMergePatch(live, patch, live.kind);
      } catch (e) {
        if (e instanceof StrategicPatchError) {
          if (where === 'client') throw new CmdError(`error: ${e.message}`);
          // A body that is not a JSON object fails the handler's decode, a 400 (strategicPatchObject's NewBadRequest);
          // a failure while merging comes back without a status reason.
          throw new CmdError(`Error from server${e.message.startsWith('json: cannot unmarshal') ? ' (BadRequest)' : ''}: ${e.message}`);
        }
        throw e;
      }
    case 'merge':
      if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
        throw new CmdError(where === 'client' ? `error: Invalid JSON Patch` : `Error from server (BadRequest): Invalid JSON Patch`);
      }
      return mergePatch(live, patch) as KubeObject;
    case 'json':
      try {
        return applyJsonPatch(live, decodeJsonPatch(patch));
      } catch (e) {
        if (e instanceof JsonPatchDecodeError) throw new CmdError(where === 'client' ? `error: ${e.message}` : `Error from server (BadRequest): ${e.message}`);
        // The server wraps the failure in a 422 without kind or name, whose single cause has no field:
        // kubectl's checkErr prints "The request is invalid: " + ": <message>" (statusCausesToAggrError).
        if (e instanceof JsonPatchError) throw new CmdError(where === 'client' ? `error: ${e.message}` : `The request is invalid: : ${e.message}`);
        throw e;
      }
  }
}

/**
 * checkIdentity is the API server's check that a patch did not rename or move the object
 * (the body's name must match the URL's).
 */
function checkIdentity(live: KubeObject, patched: KubeObject): void {
  const name = patched?.metadata?.name;
  if (name !== live.metadata.name) throw new CmdError(`Error from server (BadRequest): the name of the object (${name ?? ''}) does not match the name on the URL (${live.metadata.name})`);
  if (patched.kind !== live.kind || patched.apiVersion !== live.apiVersion) {
    throw new CmdError(`Error from server (BadRequest): the API version in the data (${patched.apiVersion ?? ''}) does not match the expected API version (${apiVersionOf(kindInfo(live.kind)!)})`);
  }
  const ns = patched.metadata.namespace;
  if (live.metadata.namespace !== undefined && ns !== live.metadata.namespace) {
    throw new CmdError(`Error from server (BadRequest): the namespace of the provided object does not match the namespace sent on the request`);
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));

/** SUBRESOURCES: what --subresource accepts (cmdutil's supportedSubresources). */
const SUBRESOURCES = ['status', 'scale'];

/** SCALE_KINDS: the kinds that serve /scale (and where their replicas and selector are). */
const SCALE_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'Rollout']);

/**
 * patchSubresource patches live's status or scale subresource as the API server does: the patch is
 * applied to the subresource's object (the object itself for status, an autoscaling/v1 Scale for
 * scale) and only that part is written back. Prints as the server answers: the object for status,
 * the Scale (`scale.autoscaling/web patched`) for scale. `copy` is a copy of live to patch.
 */
function patchSubresource(ctx: Ctx, live: KubeObject, copy: KubeObject, subresource: string, patch: unknown, type: PatchType, dryRun: boolean): KubeObject {
  const info = kindInfo(live.kind)!;
  const notFound = () => new CmdError(`Error from server (NotFound): the server could not find the requested resource (patch ${resourceName(info)} ${live.metadata.name})`);
  const server = api(ctx.sim);
  if (subresource === 'status') {
    if (!server.hasStatusSubresource(live.kind)) throw notFound();
    const patched = patchObject(copy, patch, type, 'server');
    checkIdentity(live, patched);
    return server.updateStatus(patched, { dryRun });
  }
  if (!SCALE_KINDS.has(live.kind)) throw notFound();
  const scale = scaleOf(live);
  // A Scale is a built-in type: a strategic merge patch of its two scalar fields is a merge patch.
  const patched = patchObject(scale, patch, type === 'strategic' ? 'merge' : type, 'server');
  const replicas = (patched.spec as { replicas?: unknown } | undefined)?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw new CmdError(`The Scale "${live.metadata.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`);
  }
  if (replicas === scale.spec.replicas) return scale;
  copy.spec.replicas = replicas;
  return scaleOf(server.update(copy, { dryRun }));
}

/** scaleOf is the object's autoscaling/v1 Scale: its replicas wanted and seen, and its selector as text. */
function scaleOf(obj: KubeObject): KubeObject & { spec: { replicas: number } } {
  const sel = obj.spec?.selector as { matchLabels?: Record<string, string> } | undefined;
  const selector = Object.entries(sel?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion, creationTimestamp: obj.metadata.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 1 },
    status: { replicas: obj.status?.replicas ?? 0, selector },
  };
}

/**
 * patchCommand is `kubectl patch (TYPE NAME | TYPE/NAME | -f FILE) -p PATCH [--type strategic|merge|json]`:
 * the patch is applied to the live object and the result goes through the API server's update, so
 * defaults, validation and immutable-field rules apply. Prints `deployment.apps/web patched`, or
 * `… patched (no change)` when the object came back unchanged.
 */
function run(ctx: Ctx): { exit: number; out: string } {
  const typeFlag = flag(ctx, 'type') ?? 'strategic';
  const dry = dryRunStrategy(flag(ctx, 'dry-run'));
  // PatchOptions.Validate, in its order.
  if (flag(ctx, 'patch') && flag(ctx, 'patch-file')) throw new CmdError(`error: cannot specify --patch and --patch-file together`);
  if (!flag(ctx, 'patch') && !flag(ctx, 'patch-file')) throw new CmdError(`error: must specify --patch or --patch-file containing the contents of the patch`);
  const local = boolFlag(ctx, 'local');
  if (local && ctx.args.length) throw new CmdError(`error: cannot specify --local and server resources`);
  if (local && dry === 'server') throw new CmdError(`error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?`);
  if (!PATCH_TYPES.includes(typeFlag.toLowerCase())) throw new CmdError(`error: --type must be one of [${PATCH_TYPES.join(' ')}], not ${JSON.stringify(typeFlag)}`);
  const subresource = flag(ctx, 'subresource') ?? '';
  if (subresource && !SUBRESOURCES.includes(subresource)) throw new CmdError(`error: invalid subresource value: ${JSON.stringify(subresource)}. Must be one of [${SUBRESOURCES.join(' ')}]`);
  const type = typeFlag.toLowerCase() as PatchType;
  const fmt = parseOutput(flag(ctx, 'output'), ['json', 'yaml', 'name', 'jsonpath']);
  const patch = readPatch(ctx);
  const targets: Target[] = local ? readManifests(ctx).map((m) => ({ obj: m.obj, source: m.source })) : resolveTargets(ctx, 'patch', true);
  let out = '';
  let errs = '';
  for (const t of targets) {
    if ('error' in t) {
      errs += t.error + '\n';
      continue;
    }
    try {
      const live = t.obj;
      const before = JSON.parse(JSON.stringify(live)) as KubeObject;
      let result: KubeObject;
      if (subresource && !local) result = patchSubresource(ctx, live, JSON.parse(JSON.stringify(live)) as KubeObject, subresource, patch, type, dry !== 'none');
      else if (dry === 'client' || local) result = patchObject(before, patch, type, 'client');
      else {
        const patched = patchObject(before, patch, type, 'server');
        checkIdentity(live, patched);
        // kubectl patch does not ask for field validation: the server's default, Warn, drops unknown fields with a warning.
        result = api(ctx.sim).update(patched, { dryRun: dry === 'server', fieldValidation: 'Warn', warn: (w) => (out += `Warning: ${w}\n`) });
      }
      const scaled = result.kind === 'Scale';
      const op = (scaled ? same(scaleOf(before), result) : same(before, result)) ? 'patched (no change)' : 'patched';
      // A Scale is no kind of the kubectl's own table: its name is scale.autoscaling/NAME.
      const name = scaled ? `scale.autoscaling/${result.metadata.name}` : qualifiedName(result);
      if (fmt.kind === 'name') out += name + '\n';
      else if (fmt.kind) out += printObjects([result], fmt, true);
      else out += `${name} ${op}${dryRunSuffix(dry)}\n`;
    } catch (e) {
      if (e instanceof CmdError) errs += e.message + '\n';
      else if (e instanceof ApiError) errs += apiErrorMessage(e) + '\n';
      else throw e;
    }
  }
  return { exit: errs ? 1 : 0, out: out + errs };
}

export const patchCommand: Command = {
  name: 'patch',
  short: 'Update fields of a resource',
  flags: [{ name: 'patch', short: 'p' }, { name: 'patch-file' }, { name: 'type' }, F.filename, F.output, F.dryRun, F.recursive, F.record, { name: 'local', bool: true }, { name: 'subresource' }, { name: 'field-manager' }, { name: 'allow-missing-template-keys', bool: true }],
  run,
};
