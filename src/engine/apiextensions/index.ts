/**
 * apiextensions: CustomResourceDefinitions. Applying a CRD registers its kind once the controller
 * marks it Established (the same settle, as the naming and establishing controllers do within
 * milliseconds); kubectl then finds the kind through kinds.ts's dynamic scope (customKinds, bound by
 * runCommand). Custom objects are pruned, defaulted and validated by their version's
 * openAPIV3Schema (schema.ts) on create, apply and update; deleting a CRD deletes its objects (the
 * customresourcecleanup finalizer's work), and so does deleting their namespace.
 *
 * The API server has no admission hook for these kinds yet, so installApiextensions wraps the `api`
 * service's create and (private) replace of this sim, and scopes apply/update to its kinds (own-property
 * overrides of that one instance; no global state). Calling customResourceAdmission from the API
 * server's create and replace would make it two lines there.
 */
import type { Sim } from '../sim.ts';
import { ApiError, invalid } from '../api/errors.ts';
import { KINDS, withKinds } from '../api/kinds.ts';
import type { ApiServer } from '../api/server.ts';
import type { ApplyResult, CreateOptions, UpdateOptions } from '../api/options.ts';
import type { KubeObject } from '../api/types.ts';
import { CRD_KIND, crdForKind, customKinds, defaultCrd, establish, isEstablished, schemaFor, validateCrd } from './crd.ts';
import { applyDefaults, patternErrors, prune, structuralErrors, validate } from './schema.ts';

export { customKinds } from './crd.ts';
export { customPrinterFor } from './printer.ts';

export const APIEXTENSIONS_CONTROLLER = 'apiextensions';
const builtin = new Set(KINDS.map((k) => k.kind));

/**
 * customResourceAdmission is what the apiextensions-apiserver does to a write before storing it:
 * CRDs are defaulted and validated; a custom object is pruned, defaulted and validated against its
 * version's schema (throws the 422 `The Widget "w" is invalid: …`). Other kinds pass untouched.
 */
export function customResourceAdmission(sim: Sim, obj: KubeObject): void {
  if (typeof obj !== 'object' || obj === null || typeof obj.kind !== 'string') return;
  if (obj.kind === CRD_KIND) {
    defaultCrd(obj);
    const errs = validateCrd(obj);
    (Array.isArray(obj.spec?.versions) ? obj.spec.versions : []).forEach((v: { schema?: { openAPIV3Schema?: unknown } }, i: number) => {
      const at = `spec.versions[${i}].schema.openAPIV3Schema`;
      structuralErrors(v?.schema?.openAPIV3Schema, at, errs);
      patternErrors(v?.schema?.openAPIV3Schema, at, errs);
    });
    if (errs.length) throw invalid(CRD_KIND, String(obj.metadata?.name ?? ''), errs);
    return;
  }
  if (builtin.has(obj.kind) || typeof obj.apiVersion !== 'string' || !obj.apiVersion.includes('/')) return;
  const [group, version] = obj.apiVersion.split('/', 2);
  const crd = crdForKind(sim, group, obj.kind);
  if (!crd || !isEstablished(crd)) return; // the API server refuses it as an unknown kind
  const schema = schemaFor(crd, version);
  prune(obj, schema);
  applyDefaults(obj, schema);
  const errs = validate(obj, schema);
  if (errs.length) throw invalid(obj.kind, String(obj.metadata?.name ?? ''), errs);
}

/**
 * customFieldValidation is the request's fieldValidation for a custom object: the fields its schema would
 * prune are an error under Strict (kubectl's default), a warning each under Warn, dropped silently under
 * Ignore, as for built-in kinds (strict.ts). Controllers' writes (no fieldValidation) are only pruned.
 */
function customFieldValidation(sim: Sim, obj: KubeObject, opts: CreateOptions | undefined): void {
  const mode = opts?.fieldValidation;
  if (!mode || mode === 'Ignore' || obj.kind === CRD_KIND || typeof obj.apiVersion !== 'string' || !obj.apiVersion.includes('/')) return;
  const [group, version] = obj.apiVersion.split('/', 2);
  const crd = crdForKind(sim, group, obj.kind);
  if (!crd || !isEstablished(crd)) return;
  const unknown = prune(structuredClone(obj), schemaFor(crd, version));
  if (unknown.length === 0) return;
  if (mode === 'Warn') {
    for (const f of unknown) opts?.warn?.(`unknown field "${f}"`);
    return;
  }
  const causes = unknown.map((field) => ({ field, type: 'FieldValueInvalid', detail: `unknown field "${field}"` }));
  throw new ApiError('BadRequest', `${obj.kind} in version "${version}" cannot be handled as a ${obj.kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`, causes);
}

/** installApiextensions adds the CRD controller and the custom-resource admission around the `api` service. */
export function installApiextensions(sim: Sim): void {
  const store = sim.store;
  sim.addController({ name: APIEXTENSIONS_CONTROLLER, sync: (key) => sync(sim, key) });
  store.watch(CRD_KIND, (type, obj) => {
    if (type === 'DELETED') sim.enqueue(APIEXTENSIONS_CONTROLLER, `cleanup|${obj.spec?.group ?? ''}|${obj.spec?.names?.kind ?? ''}`);
    else sim.enqueue(APIEXTENSIONS_CONTROLLER, `crd|${obj.metadata.name}`);
  });
  store.watch('Namespace', (type, obj) => {
    if (type !== 'DELETED' && obj.metadata.deletionTimestamp && store.list(CRD_KIND).length) sim.enqueue(APIEXTENSIONS_CONTROLLER, `ns|${obj.metadata.name}`);
  });

  const api = sim.service<ApiServer>('api');
  const create = api.create.bind(api);
  const apply = api.apply.bind(api);
  const update = api.update.bind(api);
  // replace is the private step apply and update share (the merged object, before validation):
  // admission there prunes what an apply adds while the last-applied annotation keeps the manifest.
  const inner = api as unknown as { replace: (info: unknown, obj: KubeObject, live: KubeObject, opts: unknown) => unknown };
  const replace = inner.replace.bind(api);
  // Writes of custom kinds run in this sim's kind scope, so callers that reach the API without
  // kubectl (controllers, scenario steps) find the CRDs' kinds too.
  const scoped = <T>(fn: () => T): T => withKinds(customKinds(sim), fn);
  // Built-in kinds pass straight through (no copy, no scan): controllers create pods this way.
  const mine = (o: KubeObject) => typeof o === 'object' && o !== null && (o.kind === CRD_KIND || !builtin.has(o.kind));
  api.create = <T extends KubeObject>(obj: T, opts?: CreateOptions): T => {
    if (!mine(obj)) return create(obj, opts);
    return scoped(() => {
      customFieldValidation(sim, obj, opts);
      const copy = structuredClone(obj);
      customResourceAdmission(sim, copy);
      return create(copy, opts);
    });
  };
  inner.replace = (info, obj, live, opts) => {
    if (mine(obj)) customResourceAdmission(sim, obj);
    return replace(info, obj, live, opts);
  };
  api.apply = (obj: KubeObject, opts?: CreateOptions): ApplyResult =>
    mine(obj)
      ? scoped(() => {
          customFieldValidation(sim, obj, opts);
          return apply(obj, opts);
        })
      : apply(obj, opts);
  api.update = <T extends KubeObject>(obj: T, opts?: UpdateOptions): T =>
    mine(obj)
      ? scoped(() => {
          customFieldValidation(sim, obj, opts);
          return update(obj, opts);
        })
      : update(obj, opts);
}

function sync(sim: Sim, key: string): void {
  const [what, a, b] = key.split('|');
  const store = sim.store;
  if (what === 'crd') {
    const crd = store.get(CRD_KIND, undefined, a);
    if (crd && !crd.metadata.deletionTimestamp && establish(crd, sim.nowIso())) store.update(crd);
    return;
  }
  if (what === 'cleanup') {
    // Another CRD may still serve the kind (same group and kind): then its objects stay.
    if (crdForKind(sim, a, b)) return;
    for (const o of store.list(b)) if (o.apiVersion.startsWith(`${a}/`)) store.remove(b, o.metadata.namespace, o.metadata.name);
    return;
  }
  if (what === 'ns') {
    for (const info of customKinds(sim)) if (info.namespaced) for (const o of store.list(info.kind, a)) store.remove(info.kind, a, o.metadata.name);
  }
}
