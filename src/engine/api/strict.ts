/**
 * Strict decoding: the API server's fieldValidation=Strict, which kubectl asks for by default
 * (--validate=strict since 1.27) on create, apply and replace. A field the kind's type does not have is
 * an error instead of being dropped silently (a typo such as `replica: 3` would otherwise leave the
 * Deployment at 1 replica):
 *
 *   Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field
 *   "spec.replica", unknown field "spec.template.spec.containers[0].imagePullPolcy"
 *
 * The fields come from the same schemas the editor checks with (schema.ts): closed objects there are
 * Go structs here; open ones (affinity, securityContext, traffic routers, CRD schemas) are not checked.
 */
import { ApiError, type FieldError } from './errors.ts';
import { definitions, type JSONSchema } from './schema.ts';
import type { KubeObject } from './types.ts';

/** kindSchema is the schema strict decoding checks a kind against (the HPA's apiVersion picks v1 or v2). */
function kindSchema(obj: KubeObject): JSONSchema | undefined {
  if (obj.kind === 'HorizontalPodAutoscaler' && obj.apiVersion === 'autoscaling/v1') return definitions.HorizontalPodAutoscalerV1;
  return Object.hasOwn(definitions, obj.kind) ? definitions[obj.kind] : undefined;
}

function resolve(s: JSONSchema): JSONSchema {
  let cur = s;
  for (let i = 0; i < 8 && cur.$ref; i++) cur = definitions[cur.$ref.slice('#/definitions/'.length)] ?? {};
  return cur;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** unknownFields lists the paths of the fields obj's kind does not have, in document order. */
export function unknownFields(obj: KubeObject): string[] {
  return collect(obj, false);
}

/**
 * dropUnknownFields removes the fields obj's kind does not have, as decoding into the Go type does when
 * validation is Warn or Ignore (the field has nowhere to go), and returns their paths.
 */
export function dropUnknownFields(obj: KubeObject): string[] {
  return collect(obj, true);
}

function collect(obj: KubeObject, drop: boolean): string[] {
  const schema = kindSchema(obj);
  if (!schema) return [];
  const out: string[] = [];
  walk(obj, schema, '', out, drop);
  return out;
}

function walk(v: unknown, schema: JSONSchema, path: string, out: string[], drop: boolean): void {
  const s = resolve(schema);
  if (Array.isArray(v)) {
    if (s.items) v.forEach((x, i) => walk(x, s.items!, `${path}[${i}]`, out, drop));
    return;
  }
  if (!isObj(v)) return;
  const props = s.properties;
  for (const k of Object.keys(v)) {
    const p = props && Object.hasOwn(props, k) ? props[k] : undefined;
    const here = path ? `${path}.${k}` : k;
    if (p) walk(v[k], p, here, out, drop);
    else if (s.additionalProperties === false) {
      out.push(here);
      if (drop) delete v[k];
    } else if (isObj(s.additionalProperties)) walk(v[k], s.additionalProperties, here, out, drop);
  }
}

/** strictDecode throws the API server's BadRequest when obj has fields its kind does not. */
export function strictDecode(obj: KubeObject, version: string): void {
  const unknown = unknownFields(obj);
  if (unknown.length === 0) return;
  const causes: FieldError[] = unknown.map((field) => ({ field, type: 'FieldValueInvalid', detail: `unknown field "${field}"` }));
  throw new ApiError(
    'BadRequest',
    `${obj.kind} in version "${version}" cannot be handled as a ${obj.kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`,
    causes,
  );
}
