/**
 * schema: what the apiextensions-apiserver does with a custom object and its version's
 * openAPIV3Schema, in its order: prune unknown fields (structural schemas: pruning.Prune), apply
 * `default`s (structural defaulting), then validate (kube-openapi's validator, its errors converted
 * by apiserver/validation.kubeOpenAPIResultToFieldErrors). The subset: type (with nullable and
 * x-kubernetes-int-or-string), required, enum, minimum/maximum (+exclusive), minLength/maxLength,
 * pattern, minItems/maxItems, maxProperties, items, properties, additionalProperties and
 * x-kubernetes-preserve-unknown-fields. CEL rules (x-kubernetes-validations) are not evaluated.
 */
import { compileGo, type GoRegexp } from '../regexp.ts';
import type { FieldError } from '../api/errors.ts';
import { notSupported } from '../api/validation.ts';
import { pushAll } from '../arrays.ts';

export interface JSONSchemaProps {
  type?: string;
  nullable?: boolean;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps;
  required?: string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  maxProperties?: number;
  default?: unknown;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  [k: string]: unknown;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** ROOT_KEYS are never pruned at the top level: the apiserver owns apiVersion, kind and metadata. */
const ROOT_KEYS = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * prune removes, in place, every field the schema does not specify (pruning.Prune): an object keeps
 * only its `properties` (all keys under `additionalProperties` or x-kubernetes-preserve-unknown-fields),
 * recursively; items of arrays are pruned by `items`. Returns the dropped paths (for warnings and tests).
 */
export function prune(obj: unknown, schema: JSONSchemaProps | undefined, root = true, path = ''): string[] {
  const dropped: string[] = [];
  if (!schema) return dropped;
  if (Array.isArray(obj)) {
    obj.forEach((x, i) => pushAll(dropped, prune(x, schema.items, false, `${path}[${i}]`)));
    return dropped;
  }
  if (!isObj(obj)) return dropped;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const add = schema.additionalProperties;
  for (const key of Object.keys(obj)) {
    const p = path ? `${path}.${key}` : key;
    if (root && ROOT_KEYS.has(key)) continue;
    const sub = schema.properties?.[key] ?? (isObj(add) ? (add as JSONSchemaProps) : undefined);
    if (sub) pushAll(dropped, prune(obj[key], sub, false, p));
    else if (!preserve && add !== true) {
      delete obj[key];
      dropped.push(p);
    }
  }
  return dropped;
}

/** applyDefaults sets every absent property that has a `default` (structural defaulting), recursively. */
export function applyDefaults(obj: unknown, schema: JSONSchemaProps | undefined): void {
  if (!schema) return;
  if (Array.isArray(obj)) {
    for (const x of obj) applyDefaults(x, schema.items);
    return;
  }
  if (!isObj(obj)) return;
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    if (obj[key] === undefined && sub.default !== undefined) obj[key] = structuredClone(sub.default);
    applyDefaults(obj[key], sub);
  }
  if (isObj(schema.additionalProperties)) for (const key of Object.keys(obj)) if (!schema.properties?.[key]) applyDefaults(obj[key], schema.additionalProperties);
}

/** typeOf is the JSON type kube-openapi reports for a value: integer for whole numbers. */
function typeOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  return 'object';
}

/** enumValue renders an allowed value as the converter does: strings as is, others as JSON. */
const enumValue = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** goNumber prints a number as Go's %v does for the float64 JSON decodes into (1e+06 style kept simple: integers plain). */
const goNumber = (n: number) => String(n);

/**
 * validate checks obj against schema and returns the field errors with upstream's wording, e.g.
 * `spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"`.
 * path is the field path so far ("" at the root).
 */
export function validate(obj: unknown, schema: JSONSchemaProps | undefined, path = ''): FieldError[] {
  const errs: FieldError[] = [];
  if (!schema) return errs;
  const f = path || '<nil>';
  const t = typeOf(obj);
  if (obj === null && schema.nullable) return errs;
  if (schema['x-kubernetes-int-or-string']) {
    if (t !== 'integer' && t !== 'string') errs.push({ field: f, type: 'Invalid value', value: t, detail: `${path} in body must be of type integer,string: "${t}"` });
  } else if (schema.type) {
    const ok = schema.type === t || (schema.type === 'number' && t === 'integer');
    if (!ok) errs.push({ field: f, type: 'Invalid value', value: t, detail: `${path} in body must be of type ${schema.type}: "${t}"` });
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(obj))) {
    errs.push({ field: f, type: 'Unsupported value', value: obj, detail: `supported values: ${schema.enum.map((e) => JSON.stringify(enumValue(e))).join(', ')}` });
  }
  // The remaining keywords apply only to values of their type (kube-openapi skips them otherwise).
  if (typeof obj === 'number') {
    if (schema.maximum !== undefined && (schema.exclusiveMaximum ? obj >= schema.maximum : obj > schema.maximum)) {
      errs.push({ field: f, type: 'Invalid value', value: obj, detail: `${path} in body should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${goNumber(schema.maximum)}` });
    }
    if (schema.minimum !== undefined && (schema.exclusiveMinimum ? obj <= schema.minimum : obj < schema.minimum)) {
      errs.push({ field: f, type: 'Invalid value', value: obj, detail: `${path} in body should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${goNumber(schema.minimum)}` });
    }
  }
  if (typeof obj === 'string') {
    // Lengths count characters (runes) for minLength, as kube-openapi's utf8.RuneCountInString.
    const len = [...obj].length;
    if (schema.maxLength !== undefined && len > schema.maxLength) errs.push({ field: f, type: 'Too long', detail: `may not be more than ${schema.maxLength} bytes` });
    if (schema.minLength !== undefined && len < schema.minLength) errs.push({ field: f, type: 'Invalid value', value: obj, detail: `${path} in body should be at least ${schema.minLength} chars long` });
    if (schema.pattern !== undefined) {
      // kube-openapi matches with Go's regexp (RE2), linear in the value whatever the CRD's author wrote.
      let re: GoRegexp | undefined;
      try {
        re = compileGo(schema.pattern);
      } catch {
        re = undefined;
      }
      if (re && !re.test(obj)) errs.push({ field: f, type: 'Invalid value', value: obj, detail: `${path} in body should match '${schema.pattern}'` });
    }
  }
  if (Array.isArray(obj)) {
    if (schema.maxItems !== undefined && obj.length > schema.maxItems) errs.push({ field: f, type: `Too many: ${obj.length}`, detail: `must have at most ${schema.maxItems} items` });
    if (schema.minItems !== undefined && obj.length < schema.minItems) errs.push({ field: f, type: 'Invalid value', value: obj.length, detail: `${path} in body should have at least ${schema.minItems} items` });
    obj.forEach((x, i) => pushAll(errs, validate(x, schema.items, `${path}[${i}]`)));
  }
  if (isObj(obj)) {
    const keys = Object.keys(obj);
    if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) errs.push({ field: f, type: `Too many: ${keys.length}`, detail: `must have at most ${schema.maxProperties} items` });
    for (const r of schema.required ?? []) if (obj[r] === undefined) errs.push({ field: path ? `${path}.${r}` : r, type: 'Required value' });
    for (const key of keys.sort()) {
      if (!path && ROOT_KEYS.has(key)) continue;
      const sub = schema.properties?.[key] ?? (isObj(schema.additionalProperties) ? (schema.additionalProperties as JSONSchemaProps) : undefined);
      if (sub) pushAll(errs, validate(obj[key], sub, path ? `${path}.${key}` : key));
    }
  }
  return errs;
}

/** SUBSCHEMAS are the keywords whose value is one schema, and those whose value is a list of them. */
const SUBSCHEMA = ['items', 'additionalProperties', 'not'];
const SUBSCHEMAS = ['allOf', 'anyOf', 'oneOf'];

/**
 * patternErrors refuses a pattern Go's regexp does not compile, at its path, as ValidateCustomResourceDefinitionOpenAPISchema
 * does ("must be a valid regular expression, but isn't: error parsing regexp: …"): a look-around or a
 * back-reference, which JavaScript knows and RE2 does not, included. It lives here, beside the schema
 * validation that compiles the same patterns, not in crd.ts: the page's own chunk imports crd.ts, and
 * RE2 (48 KB gzipped) belongs to the worker's.
 */
export function patternErrors(schema: unknown, path: string, errs: FieldError[], depth = 0): void {
  if (!isObj(schema) || depth > 64) return;
  if (typeof schema.pattern === 'string') {
    try {
      compileGo(schema.pattern);
    } catch (e) {
      errs.push({ field: `${path}.pattern`, type: 'Invalid value', value: schema.pattern, detail: `must be a valid regular expression, but isn't: ${(e as Error).message}` });
    }
  }
  if (isObj(schema.properties)) for (const [k, sub] of Object.entries(schema.properties)) patternErrors(sub, `${path}.properties[${k}]`, errs, depth + 1);
  for (const k of SUBSCHEMA) patternErrors(schema[k], `${path}.${k}`, errs, depth + 1);
  for (const k of SUBSCHEMAS) if (Array.isArray(schema[k])) schema[k].forEach((sub: unknown, i: number) => patternErrors(sub, `${path}.${k}[${i}]`, errs, depth + 1));
}


/** OPENAPI_TYPES: the types a CRD schema may name (openapiV3Types in the apiextensions validation). */
const OPENAPI_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];

/** TYPE_REQUIRED: what ValidateStructural says of a schema without a type, by where it is. */
const TYPE_REQUIRED = { root: 'must not be empty at the root', item: 'must not be empty for specified array items', field: 'must not be empty for specified object fields' };

/**
 * structuralErrors are the rules of a structural schema that a hand-written one meets, at their paths
 * and in the words of apiextensions' ValidateStructural (and the type check of
 * ValidateCustomResourceDefinitionOpenAPISchema): a type at every level unless the value is left open
 * (x-kubernetes-int-or-string, x-kubernetes-preserve-unknown-fields), `object` at the root, a known
 * type, items (one schema, not a list) for every array, no additionalProperties at the root. Upstream
 * sorts its list by message; these come in the schema's order.
 */
export function structuralErrors(schema: unknown, path: string, errs: FieldError[], level: keyof typeof TYPE_REQUIRED = 'root', depth = 0): void {
  if (!isObj(schema) || depth > 64) return;
  const t = schema.type;
  if (typeof t === 'string' && t !== '' && !OPENAPI_TYPES.includes(t)) errs.push(notSupported(`${path}.type`, t, OPENAPI_TYPES));
  if (!t && schema['x-kubernetes-int-or-string'] !== true && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
    errs.push({ field: `${path}.type`, type: 'Required value', detail: TYPE_REQUIRED[level] });
  }
  if (level === 'root' && t && t !== 'object') errs.push({ field: `${path}.type`, type: 'Invalid value', value: t, detail: 'must be object at the root' });
  if (Array.isArray(schema.items)) errs.push({ field: `${path}.items`, type: 'Forbidden', detail: 'items must be a schema object and not an array' });
  else if (t === 'array' && !isObj(schema.items)) errs.push({ field: `${path}.items`, type: 'Required value', detail: 'must be specified' });
  structuralErrors(schema.items, `${path}.items`, errs, 'item', depth + 1);
  if (isObj(schema.properties)) for (const [k, sub] of Object.entries(schema.properties)) structuralErrors(sub, `${path}.properties[${k}]`, errs, 'field', depth + 1);
  if (isObj(schema.additionalProperties)) {
    if (level === 'root') errs.push({ field: `${path}.additionalProperties`, type: 'Forbidden', detail: 'must not be used at the root' });
    structuralErrors(schema.additionalProperties, `${path}.additionalProperties`, errs, 'field', depth + 1);
  }
}
