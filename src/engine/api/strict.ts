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
 * Go structs here; open ones (traffic routers, CRD schemas) are not checked.
 */
import { ApiError, invalid, type FieldError } from './errors.ts';
import { definitions, type JSONSchema } from './schema.ts';
import { canonicalQuantity, quantityProblem } from './canonical.ts';
import { base64ErrorAt } from './names.ts';
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

/**
 * Decoding into the Go types: a value of the wrong JSON type for its field is refused before anything
 * else, with encoding/json's UnmarshalTypeError as the API server returns it:
 *
 *   Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field
 *   Container.spec.containers.command of type []string
 *
 * (the innermost struct, then the field's path without list indices, then the Go type). Checked for the
 * kinds served as v1 (core, apps, batch, networking, policy, rbac …), whose Go types are v1.X; a field
 * whose Go type this table does not know is not checked (validation still sees it).
 */
const GO_INLINE: Record<string, string> = {
  'Container.ports': 'ContainerPort',
  'Container.volumeMounts': 'VolumeMount',
  'Container.envFrom': 'EnvFromSource',
  'Container.lifecycle': 'Lifecycle',
  'EnvVar.valueFrom': 'EnvVarSource',
  'DeploymentSpec.strategy': 'DeploymentStrategy',
  'DeploymentStrategy.rollingUpdate': 'RollingUpdateDeployment',
  'ServiceSpec.ports': 'ServicePort',
  'Probe.exec': 'ExecAction',
  'Probe.httpGet': 'HTTPGetAction',
  'Probe.tcpSocket': 'TCPSocketAction',
  'Probe.grpc': 'GRPCAction',
  'SecurityContext.capabilities': 'Capabilities',
  'PodSpec.dnsConfig': 'PodDNSConfig',
  'JobSpec.podFailurePolicy': 'PodFailurePolicy',
};

/** INT64: the integer fields that are int64 in the Go types (the others are int32). */
const INT64 = new Set(['supplementalGroups', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'tolerationSeconds', 'runAsUser', 'runAsGroup', 'fsGroup', 'deletionGracePeriodSeconds', 'generation', 'expirationSeconds', 'startingDeadlineSeconds']);

/** UNTYPED: definitions that take more than one JSON type (a Quantity is a string or a number). */
const UNTYPED = new Set(['Quantity', 'IntOrString', 'Time']);

/**
 * UNTYPED_GO: what each of those decodes from (its UnmarshalJSON): a Quantity and an IntOrString from a
 * string or a number, a Time from a string; anything else (an object, a list, a bool) is refused.
 */
const UNTYPED_GO: Record<string, { go: string; fits: (v: unknown) => boolean }> = {
  Quantity: { go: 'resource.Quantity', fits: (v) => typeof v === 'string' || typeof v === 'number' },
  IntOrString: { go: 'intstr.IntOrString', fits: (v) => typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)) },
  Time: { go: 'v1.Time', fits: (v) => typeof v === 'string' },
};

const refName = (s: JSONSchema) => (s.$ref ? s.$ref.slice('#/definitions/'.length) : undefined);

/** GO_NAMES: schema definitions whose Go type has another name. */
const GO_NAMES: Record<string, string> = { ScaleTargetRef: 'CrossVersionObjectReference' };

/** structName is the Go struct a field's value decodes into (its fields' errors name it), when known. */
function structName(s: JSONSchema, parent: string | undefined, key: string, kind: string): string | undefined {
  const r = refName(s);
  if (r) return UNTYPED.has(r) ? undefined : (GO_NAMES[r] ?? r);
  const t = s.type;
  if (t === 'array' && s.items) return structName(s.items, parent, key, kind);
  if (t !== 'object' || !s.properties) return undefined;
  if (parent === kind && key === 'spec') return `${kind}Spec`;
  return parent ? GO_INLINE[`${parent}.${key}`] : undefined;
}

/** goType is the field's Go type as UnmarshalTypeError prints it, or undefined when not known. */
function goType(s: JSONSchema, parent: string | undefined, key: string, kind: string): string | undefined {
  const r = refName(s);
  if (r) return UNTYPED.has(r) ? undefined : `v1.${GO_NAMES[r] ?? r}`;
  switch (s.type) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'integer':
      return INT64.has(key) ? 'int64' : 'int32';
    case 'array': {
      const item = s.items ? goType(s.items, parent, key, kind) : undefined;
      return item ? `[]${item}` : undefined;
    }
    case 'object': {
      const ap = s.additionalProperties;
      if (isObj(ap) && ap.type === 'string') return 'map[string]string';
      if (isObj(ap) && refName(ap as JSONSchema) === 'Quantity') return 'v1.ResourceList';
      const name = structName(s, parent, key, kind);
      return name ? `v1.${name}` : undefined;
    }
  }
  return undefined;
}

function fits(v: unknown, go: string): boolean {
  if (go === 'string') return typeof v === 'string';
  if (go === 'bool') return typeof v === 'boolean';
  if (go === 'int32' || go === 'int64') return typeof v === 'number' && Number.isInteger(v);
  if (go.startsWith('[]')) return Array.isArray(v);
  return isObj(v);
}

/** jsonKind names a value's JSON type as UnmarshalTypeError does ("number 1.5" for a fraction into an integer). */
function jsonKind(v: unknown, go: string): string {
  if (typeof v === 'number') return (go === 'int32' || go === 'int64') && !Number.isInteger(v) ? `number ${v}` : 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : 'string';
}

interface TypeError {
  message: string;
  /** field: the path with list indices, for the line it is on */
  field: string;
}

function typeWalk(v: unknown, schema: JSONSchema, goPath: string, field: string, parent: string | undefined, key: string, kind: string, pkg: string): TypeError | undefined {
  if (v === null || v === undefined) return undefined;
  const untyped = UNTYPED_GO[refName(schema) ?? ''];
  if (untyped && parent) {
    return untyped.fits(v) ? undefined : { message: `json: cannot unmarshal ${jsonKind(v, untyped.go)} into Go struct field ${parent}.${goPath} of type ${untyped.go}`, field };
  }
  // The kind's own package (v2 for autoscaling/v2); metav1's types stay v1.
  const go = parent ? goType(schema, parent, key, kind)?.replace(/\bv1\.(?!ObjectMeta|LabelSelector|Time)/g, `${pkg}.`) : undefined;
  if (go && !fits(v, go)) return { message: `json: cannot unmarshal ${jsonKind(v, go)} into Go struct field ${parent}.${goPath} of type ${go}`, field };
  const s = resolve(schema);
  if (Array.isArray(v)) {
    if (!s.items) return undefined;
    const items = resolve(s.items);
    for (let i = 0; i < v.length; i++) {
      // A null element of a list of structs decodes as the zero struct (validation then names what it lacks).
      if (v[i] === null && (items.type === 'object' || items.properties)) v[i] = {};
      // A null in a list of strings decodes as "" (sh -c null runs sh -c "").
      if (v[i] === null && items.type === 'string') v[i] = '';
      const e = typeWalk(v[i], s.items, goPath, `${field}[${i}]`, parent, key, kind, pkg);
      if (e) return e;
    }
    return undefined;
  }
  if (!isObj(v)) return undefined;
  // An inline struct this table has no Go name for is still checked, its errors named after the enclosing one.
  const here = structName(schema, parent, key, kind) ?? (s.properties ? parent : undefined);
  if (s.properties) {
    for (const k of Object.keys(v)) {
      if (!Object.hasOwn(s.properties, k)) continue;
      const e = typeWalk(v[k], s.properties[k], goPath ? `${goPath}.${k}` : k, field ? `${field}.${k}` : k, here, k, kind, pkg);
      if (e) return e;
    }
  } else if (isObj(s.additionalProperties) && (s.additionalProperties as JSONSchema).type === 'string' && parent) {
    // A map[string]string: each value must be a string (labels: {version: 1} is refused).
    for (const k of Object.keys(v)) {
      if (typeof v[k] !== 'string' && v[k] !== null) return { message: `json: cannot unmarshal ${jsonKind(v[k], 'string')} into Go struct field ${parent}.${goPath} of type string`, field: `${field}.${k}` };
    }
  }
  return undefined;
}

/** DATA_FIELDS: each kind's maps of strings ([field, false]) or of []byte ([field, true]). */
const DATA_FIELDS: Record<string, [string, boolean][]> = {
  Secret: [
    ['data', true],
    ['stringData', false],
  ],
  ConfigMap: [
    ['data', false],
    ['binaryData', true],
  ],
};

/**
 * SCHEMA_PROPS: the JSON type each field of apiextensions/v1's JSONSchemaProps decodes from, as its Go
 * type prints (a pointer's element type). The four fields with their own UnmarshalJSON (items,
 * additionalProperties, additionalItems, dependencies' values) and the JSON-valued ones (default,
 * example, enum's items) are read in schemaPropsDecode.
 */
const SCHEMA_PROPS: Record<string, string> = {
  id: 'string',
  $schema: 'v1.JSONSchemaURL',
  $ref: 'string',
  description: 'string',
  type: 'string',
  format: 'string',
  title: 'string',
  maximum: 'float64',
  exclusiveMaximum: 'bool',
  minimum: 'float64',
  exclusiveMinimum: 'bool',
  maxLength: 'int64',
  minLength: 'int64',
  pattern: 'string',
  maxItems: 'int64',
  minItems: 'int64',
  uniqueItems: 'bool',
  multipleOf: 'float64',
  enum: '[]v1.JSON',
  maxProperties: 'int64',
  minProperties: 'int64',
  required: '[]string',
  allOf: '[]v1.JSONSchemaProps',
  oneOf: '[]v1.JSONSchemaProps',
  anyOf: '[]v1.JSONSchemaProps',
  not: 'v1.JSONSchemaProps',
  properties: 'map[string]v1.JSONSchemaProps',
  patternProperties: 'map[string]v1.JSONSchemaProps',
  definitions: 'v1.JSONSchemaDefinitions',
  dependencies: 'v1.JSONSchemaDependencies',
  externalDocs: 'v1.ExternalDocumentation',
  nullable: 'bool',
  'x-kubernetes-preserve-unknown-fields': 'bool',
  'x-kubernetes-embedded-resource': 'bool',
  'x-kubernetes-int-or-string': 'bool',
  'x-kubernetes-list-map-keys': '[]string',
  'x-kubernetes-list-type': 'string',
  'x-kubernetes-map-type': 'string',
  'x-kubernetes-validations': 'v1.ValidationRules',
};

/** fitsGo: a value encoding/json decodes into a Go type of this name (float64 takes any number). */
function fitsGo(v: unknown, go: string): boolean {
  if (go === 'float64') return typeof v === 'number';
  if (go === 'string' || go === 'v1.JSONSchemaURL') return typeof v === 'string';
  if (go === 'v1.ValidationRules') return Array.isArray(v);
  return fits(v, go);
}

/** reportedAt: an error from a field's own UnmarshalJSON, as the outer decoder reports it (at that field). */
const reportedAt = (inner: string, at: string) => inner.replace(/Go struct field JSONSchemaProps\.\S+ of type/, `Go struct field JSONSchemaProps.${at} of type`);

/**
 * schemaPropsDecode decodes a CRD version's openAPIV3Schema into JSONSchemaProps as the API server does,
 * returning the first refusal. goPath is the path of JSON field names from the CRD (list indices and map
 * keys are not part of it, as in encoding/json's errors). The custom UnmarshalJSON of items (an object or
 * a list, anything else leaves it unset), additionalProperties and additionalItems (an object or a bool,
 * else "boolean or JSON schema expected") and a dependency (an object or a list of strings) decode their
 * value anew: a refusal inside one is reported at that field, with the inner value's types.
 */
function schemaPropsDecode(v: unknown, goPath: string, depth = 0): string | undefined {
  if (!isObj(v) || depth > 64) return undefined;
  const refuse = (x: unknown, go: string, at: string) => `json: cannot unmarshal ${jsonKind(x, go)} into Go struct field JSONSchemaProps.${at} of type ${go}`;
  for (const k of Object.keys(v)) {
    const x = v[k];
    if (x === null) continue;
    const at = `${goPath}.${k}`;
    if (k === 'items') {
      if (isObj(x)) {
        const inner = schemaPropsDecode(x, at, depth + 1);
        if (inner) return reportedAt(inner, at);
      } else if (Array.isArray(x)) {
        for (const el of x) {
          if (!isObj(el)) return refuse(el, 'v1.JSONSchemaProps', at);
          const inner = schemaPropsDecode(el, at, depth + 1);
          if (inner) return reportedAt(inner, at);
        }
      } else delete v[k]; // neither: JSONSchemaPropsOrArray stays empty
      continue;
    }
    if (k === 'additionalProperties' || k === 'additionalItems') {
      if (typeof x === 'boolean') continue;
      if (!isObj(x)) return 'boolean or JSON schema expected';
      const inner = schemaPropsDecode(x, at, depth + 1);
      if (inner) return reportedAt(inner, at);
      continue;
    }
    if (k === 'default' || k === 'example' || !Object.hasOwn(SCHEMA_PROPS, k)) continue;
    const go = SCHEMA_PROPS[k];
    if (!fitsGo(x, go)) return refuse(x, go, at);
    if (go === '[]string') {
      const bad = (x as unknown[]).find((el) => el !== null && typeof el !== 'string');
      if (bad !== undefined) return refuse(bad, 'string', at);
    } else if (go === 'v1.JSONSchemaProps') {
      const inner = schemaPropsDecode(x, at, depth + 1);
      if (inner) return inner;
    } else if (go === '[]v1.JSONSchemaProps') {
      for (const el of x as unknown[]) {
        if (el !== null && !isObj(el)) return refuse(el, 'v1.JSONSchemaProps', at);
        const inner = schemaPropsDecode(el, at, depth + 1);
        if (inner) return inner;
      }
    } else if (go === 'map[string]v1.JSONSchemaProps' || go === 'v1.JSONSchemaDefinitions') {
      for (const el of Object.values(x as Record<string, unknown>)) {
        if (el !== null && !isObj(el)) return refuse(el, 'v1.JSONSchemaProps', at);
        const inner = schemaPropsDecode(el, at, depth + 1);
        if (inner) return inner;
      }
    }
  }
  return undefined;
}

/** typeDecode throws the API server's BadRequest for the first value of the wrong JSON type (see above). */
export function typeDecode(obj: KubeObject, version: string): void {
  if (obj.apiVersion?.startsWith('argoproj.io/')) return crdTypes(obj);
  if (obj.kind === 'CustomResourceDefinition' && obj.apiVersion === 'apiextensions.k8s.io/v1' && Array.isArray(obj.spec?.versions)) {
    for (const ver of obj.spec.versions as { schema?: { openAPIV3Schema?: unknown } }[]) {
      const e = isObj(ver?.schema) ? schemaPropsDecode(ver.schema.openAPIV3Schema, 'spec.versions.schema.openAPIV3Schema') : undefined;
      if (e) throw new ApiError('BadRequest', `CustomResourceDefinition in version "v1" cannot be handled as a CustomResourceDefinition: ${e}`);
    }
  }
  // The v1 kinds' Go types are v1.X; autoscaling/v2's HPA is v2.X (its CrossVersionObjectReference, MetricSpec …).
  if (version !== 'v1' && !(version === 'v2' && obj.kind === 'HorizontalPodAutoscaler')) return;
  const schema = kindSchema(obj);
  if (!schema) return;
  const s = resolve(schema);
  for (const k of Object.keys(obj)) {
    if (!s.properties || !Object.hasOwn(s.properties, k)) continue;
    const e = typeWalk((obj as Record<string, unknown>)[k], s.properties[k], k, k, obj.kind, k, obj.kind, version);
    if (e) throw new ApiError('BadRequest', `${obj.kind} in version "${version}" cannot be handled as a ${obj.kind}: ${e.message}`, [{ field: e.field, type: 'FieldValueInvalid', detail: e.message }]);
  }
  // A null value decodes as the zero value: "" for a string, no bytes for a []byte. []byte fields
  // are base64 in JSON: a value encoding/base64 refuses fails the decoding.
  for (const [f, bytes] of DATA_FIELDS[obj.kind] ?? []) {
    const m = (obj as Record<string, unknown>)[f];
    if (!isObj(m)) continue;
    for (const k of Object.keys(m)) {
      if (m[k] === null) m[k] = '';
      const at = bytes && typeof m[k] === 'string' ? base64ErrorAt(m[k]) : undefined;
      if (at !== undefined) throw new ApiError('BadRequest', `${obj.kind} in version "${version}" cannot be handled as a ${obj.kind}: illegal base64 data at input byte ${at}`);
    }
  }
  // Quantity.UnmarshalJSON parses each quantity as it decodes: a malformed one fails the decoding.
  canonicalQuantities(obj, schema, (problem) => {
    throw new ApiError('BadRequest', `${obj.kind} in version "${version}" cannot be handled as a ${obj.kind}: ${problem}`);
  });
}

/**
 * canonicalQuantities rewrites every Quantity the kind's Go type has as resource.Quantity prints it
 * (canonicalQuantity): what the API server stores is what it decoded, re-encoded, so `cpu: "0.5"` is
 * read back as `500m` and `memory: 1Gi` stays `1Gi`. A malformed one goes to refuse, with
 * ParseQuantity's words.
 */
function canonicalQuantities(v: unknown, schema: JSONSchema, refuse: (problem: string) => never): unknown {
  if (refName(schema) === 'Quantity') {
    if (v === null) return '0'; // Quantity.UnmarshalJSON reads null as the zero quantity
    if (typeof v === 'string') {
      const canonical = canonicalQuantity(v);
      return canonical ?? refuse(quantityProblem(v) ?? 'unable to parse quantity');
    }
    return typeof v === 'number' ? (canonicalQuantity(v) ?? v) : v;
  }
  if (v === null || v === undefined) return v;
  const s = resolve(schema);
  if (Array.isArray(v)) {
    if (s.items) for (let i = 0; i < v.length; i++) v[i] = canonicalQuantities(v[i], s.items, refuse);
  } else if (isObj(v)) {
    for (const k of Object.keys(v)) {
      if (s.properties && Object.hasOwn(s.properties, k)) v[k] = canonicalQuantities(v[k], s.properties[k], refuse);
      else if (isObj(s.additionalProperties)) v[k] = canonicalQuantities(v[k], s.additionalProperties as JSONSchema, refuse);
    }
  }
  return v;
}

/** jsonType names a value's type as the OpenAPI validator does ("integer" for a whole number). */
function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/**
 * crdTypes checks an Argo Rollouts object's value types against its CRD's structural schema, as the API
 * server validates a custom resource (the Rollout's pod template is a PodTemplateSpec there too):
 *
 *   Rollout.argoproj.io "shop" is invalid: spec.template.spec.containers[0].image: Invalid value:
 *   "integer": spec.template.spec.containers[0].image in body must be of type string: "integer"
 */
function crdTypes(obj: KubeObject): void {
  const schema = kindSchema(obj);
  if (!schema) return;
  const causes: FieldError[] = [];
  const walk = (v: unknown, sch: JSONSchema, field: string): void => {
    if (v === null || v === undefined || causes.length >= 10) return;
    const ref = refName(sch);
    if (ref === 'Quantity' || ref === 'IntOrString') {
      if (typeof v !== 'string' && typeof v !== 'number') causes.push(typeCause(field, v, 'string or integer'));
      return;
    }
    const s = resolve(sch);
    const want = s.type;
    const got = jsonType(v);
    const ok = !want || want === got || (want === 'number' && got === 'integer');
    if (!ok) {
      causes.push(typeCause(field, v, String(want)));
      return;
    }
    if (Array.isArray(v)) {
      if (s.items) v.forEach((x, i) => walk(x, s.items!, `${field}[${i}]`));
    } else if (isObj(v)) {
      for (const k of Object.keys(v)) {
        if (s.properties && Object.hasOwn(s.properties, k)) walk(v[k], s.properties[k], field ? `${field}.${k}` : k);
        else if (isObj(s.additionalProperties)) walk(v[k], s.additionalProperties as JSONSchema, field ? `${field}.${k}` : k);
      }
    }
  };
  const s = resolve(schema);
  for (const k of Object.keys(obj)) if (k !== 'metadata' && s.properties && Object.hasOwn(s.properties, k)) walk((obj as Record<string, unknown>)[k], s.properties[k], k);
  if (causes.length) throw invalid(obj.kind, obj.metadata?.name ?? '', causes, `${obj.kind}.${obj.apiVersion.split('/')[0]}`);
}

function typeCause(field: string, v: unknown, want: string): FieldError {
  const got = jsonType(v);
  return { field, type: 'Invalid value', value: got, detail: `${field} in body must be of type ${want}: "${got}"` };
}
