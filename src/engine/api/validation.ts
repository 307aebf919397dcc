/**
 * Validation as the API server's pkg/apis/core/validation: object metadata, labels and selectors, the
 * pod spec, ConfigMaps and Secrets, and the helpers the other validate_*.ts files share (workloads in
 * validate_apps.ts, Services in validate_service.ts, networking, endpoints). Each validator returns
 * FieldError[] with upstream's field paths and wording; the API server throws them with errors.ts
 * invalid(). Input is untrusted, so every check also guards types (a string where a number belongs is
 * an Invalid value, never a crash) and enforces Kubeplay's LIMITS.
 */
import { GoValue, type FieldError } from './errors.ts';
import {
  base64ErrorAt,
  ENV_VAR_NAME_MSG,
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isIPv4,
  isIPv6,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
} from './names.ts';
import { formatCpu, parseQuantity } from './quantity.ts';
import type { Container, KubeObject, PodSpec } from './types.ts';

/** LIMITS are Kubeplay's own bounds on untrusted input (the simulation must stay responsive). */
export const LIMITS = {
  replicas: 100_000,
  /** pods: the most pods one cluster holds (checked at admission: a controller past it gets FailedCreate) */
  pods: 30_000,
  containers: 50,
  portsPerContainer: 100,
  envPerContainer: 1000,
  servicePorts: 100,
  labels: 1000,
  tolerations: 100,
};
export const LIMIT_NOTE = "(Kubeplay's simulation limit)";

/** TOTAL_ANNOTATION_SIZE is ValidateAnnotations' 256 KiB bound. */
const TOTAL_ANNOTATION_SIZE = 256 * 1024;
/** MAX_SECRET_SIZE is core.MaxSecretSize (1 MiB), also the ConfigMap bound. */
const MAX_SECRET_SIZE = 1024 * 1024;

export type Errs = FieldError[];
export const required = (field: string, detail = ''): FieldError => ({ field, type: 'Required value', detail });
export const inval = (field: string, value: unknown, detail: string): FieldError => ({ field, type: 'Invalid value', value, detail });
export const forbidden = (field: string, detail: string): FieldError => ({ field, type: 'Forbidden', detail });
export const duplicate = (field: string, value: unknown): FieldError => ({ field, type: 'Duplicate value', value });
const notFoundField = (field: string, value: unknown): FieldError => ({ field, type: 'Not found', value });
export const tooMany = (field: string, n: number, max: number): FieldError => ({ field, type: 'Too many', detail: `${n}: must have at most ${max} items ${LIMIT_NOTE}` });
const tooLong = (field: string, max: number): FieldError => ({ field, type: 'Too long', detail: `must have at most ${max} bytes` });
/** notSupported is field.NotSupported: `Unsupported value: "x": supported values: "a", "b"`. */
export const notSupported = (field: string, value: unknown, valid: string[]): FieldError => ({
  field,
  type: 'Unsupported value',
  value,
  detail: `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}`,
});

export const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** nonNegative is ValidateNonnegativeField (`must be greater than or equal to 0`), plus a type guard. */
export function nonNegative(v: unknown, field: string, errs: Errs): void {
  if (v === undefined || v === null) return;
  if (!isInt(v)) errs.push(inval(field, v, 'must be an integer'));
  else if (v < 0) errs.push(inval(field, v, 'must be greater than or equal to 0'));
}

/** positive is ValidatePositiveField (`must be greater than zero`). */
export function positive(v: unknown, field: string, errs: Errs): void {
  if (v === undefined || v === null) return;
  if (!isInt(v)) errs.push(inval(field, v, 'must be an integer'));
  else if (v <= 0) errs.push(inval(field, v, 'must be greater than zero'));
}

function stringMap(v: unknown, field: string, errs: Errs): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) {
    errs.push(inval(field, v, 'must be a map of string keys to string values'));
    return undefined;
  }
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') errs.push(inval(`${field}[${k}]`, val, 'must be a string'));
  }
  return v as Record<string, string>;
}

/** validateLabels is ValidateLabels: keys are qualified names, values label values; path without the key. */
export function validateLabels(labels: unknown, field: string): Errs {
  const errs: Errs = [];
  const m = stringMap(labels, field, errs);
  if (!m) return errs;
  const keys = Object.keys(m);
  if (keys.length > LIMITS.labels) errs.push(tooMany(field, keys.length, LIMITS.labels));
  for (const k of keys) {
    for (const msg of isQualifiedName(k)) errs.push(inval(field, k, msg));
    if (typeof m[k] === 'string') for (const msg of isValidLabelValue(m[k])) errs.push(inval(field, m[k], msg));
  }
  return errs;
}

export function validateAnnotations(ann: unknown, field: string): Errs {
  const errs: Errs = [];
  const m = stringMap(ann, field, errs);
  if (!m) return errs;
  let total = 0;
  for (const [k, v] of Object.entries(m)) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(inval(field, k, msg));
    total += k.length + (typeof v === 'string' ? v.length : 0);
  }
  if (total > TOTAL_ANNOTATION_SIZE) errs.push(tooLong(field, TOTAL_ANNOTATION_SIZE));
  return errs;
}

export type NameValidator = (name: string) => string[];

/**
 * validateObjectMeta is ValidateObjectMeta: name (or generateName) by the kind's rule, namespace
 * as a DNS-1123 label when namespaced, labels and annotations.
 */
export function validateObjectMeta(obj: KubeObject, namespaced: boolean, nameFn: NameValidator): Errs {
  const errs: Errs = [];
  const meta = obj.metadata as any;
  if (!isObj(meta)) return [required('metadata')];
  if (meta.generateName !== undefined && typeof meta.generateName === 'string' && meta.generateName) {
    // ValidateObjectMeta checks generateName with its trailing dash masked (maskTrailingDash).
    const masked = meta.generateName.length > 1 && meta.generateName.endsWith('-') ? meta.generateName.slice(0, -1) : meta.generateName;
    for (const msg of nameFn(masked)) errs.push(inval('metadata.generateName', meta.generateName, msg));
  }
  if (meta.name === undefined || meta.name === '' || meta.name === null) {
    if (!meta.generateName) errs.push(required('metadata.name', 'name or generateName is required'));
  } else if (typeof meta.name !== 'string') {
    errs.push(inval('metadata.name', meta.name, 'must be a string'));
  } else {
    for (const msg of nameFn(meta.name)) errs.push(inval('metadata.name', meta.name, msg));
  }
  if (namespaced) {
    if (typeof meta.namespace !== 'string' || !meta.namespace) errs.push(required('metadata.namespace'));
    else for (const msg of isDNS1123Label(meta.namespace)) errs.push(inval('metadata.namespace', meta.namespace, msg));
  } else if (meta.namespace) {
    errs.push(forbidden('metadata.namespace', 'not allowed on this type'));
  }
  errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  if (Array.isArray(meta.ownerReferences)) errs.push(...validateOwnerReferences(meta.ownerReferences));
  return errs;
}

/**
 * validateOwnerReferences is apimachinery's ValidateOwnerReferences: each reference needs an
 * apiVersion with a version, a kind, a name and a uid, an Event cannot own anything, and at most one
 * reference is the controller. The field path names the list, not an item, as upstream's does.
 */
function validateOwnerReferences(refs: unknown[]): Errs {
  const p = 'metadata.ownerReferences';
  const errs: Errs = [];
  let firstController = '';
  for (const ref of refs) {
    if (!isObj(ref)) continue; // the decoder refused a non-object already
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    const apiVersion = str(ref.apiVersion);
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    if (!version) errs.push(inval(`${p}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!str(ref.kind)) errs.push(inval(`${p}.kind`, str(ref.kind), 'must not be empty'));
    if (!str(ref.name)) errs.push(inval(`${p}.name`, str(ref.name), 'must not be empty'));
    if (!str(ref.uid)) errs.push(inval(`${p}.uid`, str(ref.uid), 'must not be empty'));
    // BannedOwners: Events of core/v1 and events.k8s.io/v1.
    if (ref.kind === 'Event' && version && (group === '' || group === 'events.k8s.io')) {
      errs.push(inval(p, ref, `${group ? `${group}/${version}` : `/${version}`}, Kind=Event is disallowed from being an owner`));
    }
    if (ref.controller === true) {
      const name = `${str(ref.kind)}/${str(ref.name)}`;
      if (firstController) errs.push(inval(p, refs, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${name}`));
      else firstController = name;
    }
  }
  return errs;
}

/** validateLabelSelector is ValidateLabelSelector (matchLabels + matchExpressions). */
export function validateLabelSelector(sel: unknown, field: string): Errs {
  if (!isObj(sel)) return [inval(field, sel, 'must be a label selector')];
  const errs: Errs = [...validateLabels(sel.matchLabels, `${field}.matchLabels`)];
  const exprs = sel.matchExpressions;
  if (exprs === undefined || exprs === null) return errs;
  if (!Array.isArray(exprs)) return [...errs, inval(`${field}.matchExpressions`, exprs, 'must be a list')];
  exprs.forEach((r: any, i: number) => {
    const p = `${field}.matchExpressions[${i}]`;
    if (!isObj(r)) {
      errs.push(inval(p, r, 'must be a label selector requirement'));
      return;
    }
    switch (r.operator) {
      case 'In':
      case 'NotIn':
        if (!Array.isArray(r.values) || r.values.length === 0) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (Array.isArray(r.values) && r.values.length > 0) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(inval(`${p}.operator`, r.operator, 'not a valid selector operator'));
    }
    if (typeof r.key !== 'string') errs.push(required(`${p}.key`));
    else for (const msg of isQualifiedName(r.key)) errs.push(inval(`${p}.key`, r.key, msg));
    if (Array.isArray(r.values)) for (const v of r.values) for (const msg of isValidLabelValue(String(v))) errs.push(inval(`${p}.values`, v, msg));
  });
  return errs;
}

// ---- Pod ----

const QUANTITY_RE_TEXT = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

function validateResources(res: unknown, p: string, errs: Errs): void {
  if (res === undefined || res === null) return;
  if (!isObj(res)) {
    errs.push(inval(p, res, 'must be an object'));
    return;
  }
  const parsed: Record<'limits' | 'requests', Record<string, number>> = { limits: {}, requests: {} };
  for (const part of ['limits', 'requests'] as const) {
    const m = res[part];
    if (m === undefined || m === null) continue;
    if (!isObj(m)) {
      errs.push(inval(`${p}.${part}`, m, 'must be a map of resource names to quantities'));
      continue;
    }
    for (const [name, q] of Object.entries(m)) {
      const f = `${p}.${part}[${name}]`;
      // validateContainerResourceName: a name without a domain must be one of the standard container resources.
      if (!name.includes('/') && name !== 'cpu' && name !== 'memory' && name !== 'ephemeral-storage' && !name.startsWith('hugepages-')) {
        errs.push(inval(f, name, 'must be a standard resource for containers'));
        continue;
      }
      const v = typeof q === 'string' || typeof q === 'number' ? parseQuantity(q) : undefined;
      if (v === undefined) errs.push(inval(f, q, `quantities must match the regular expression '${QUANTITY_RE_TEXT}'`));
      else if (v < 0) errs.push(inval(f, q, 'must be greater than or equal to 0'));
      else parsed[part][name] = v;
    }
  }
  // ValidateResourceRequirements: a request above its limit is reported on the requests map.
  for (const [name, req] of Object.entries(parsed.requests)) {
    const lim = parsed.limits[name];
    if (lim !== undefined && req > lim) {
      // quantity.String() is canonical: cpu "0.6" prints as "600m".
      const show = (milli: number, raw: unknown) => (name === 'cpu' ? formatCpu(milli) : String(raw));
      errs.push(inval(`${p}.requests`, show(req, (res as any).requests[name]), `must be less than or equal to ${name} limit of ${show(lim, (res as any).limits[name])}`));
    }
  }
}

function validateProbe(probe: unknown, p: string, errs: Errs, mustSucceedOnce: boolean): void {
  if (probe === undefined || probe === null) return;
  if (!isObj(probe)) {
    errs.push(inval(p, probe, 'must be an object'));
    return;
  }
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => probe[h] !== undefined && probe[h] !== null);
  if (handlers.length === 0) errs.push(required(p, 'must specify a handler type'));
  else if (handlers.length > 1) errs.push(forbidden(`${p}.${handlers[1]}`, 'may not specify more than 1 handler type'));
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) nonNegative(probe[f], `${p}.${f}`, errs);
  if (mustSucceedOnce && probe.successThreshold !== undefined && probe.successThreshold !== 1) errs.push(inval(`${p}.successThreshold`, probe.successThreshold, 'must be 1'));
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
  if (port !== undefined) {
    const f = `${p}.${probe.httpGet ? 'httpGet' : 'tcpSocket'}.port`;
    if (typeof port === 'number') for (const msg of isValidPortNum(port)) errs.push(inval(f, port, msg));
    else if (typeof port === 'string') for (const msg of isValidPortName(port)) errs.push(inval(f, port, msg));
  }
}

/** optionalList is a list field's items: undefined when absent, or (with the error) when not a list. */
function optionalList(v: unknown, p: string, errs: Errs): unknown[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v;
  errs.push(inval(p, v, 'must be a list'));
  return undefined;
}

/**
 * validateVolumes is validateVolumes: each volume named (a DNS label), once, with exactly one source;
 * it returns the names, for the containers' mounts.
 */
function validateVolumes(volumes: unknown, p: string, errs: Errs): Set<string> {
  const names = new Set<string>();
  optionalList(volumes, p, errs)?.forEach((v: unknown, i: number) => {
    const vp = `${p}[${i}]`;
    if (!isObj(v)) return errs.push(inval(vp, v, 'must be a volume'));
    if (v.name === undefined || v.name === '') errs.push(required(`${vp}.name`));
    else if (typeof v.name === 'string') {
      for (const msg of isDNS1123Label(v.name)) errs.push(inval(`${vp}.name`, v.name, msg));
      if (names.has(v.name)) errs.push(duplicate(`${vp}.name`, v.name));
      names.add(v.name);
    }
    const sources = Object.keys(v).filter((k) => k !== 'name' && v[k] !== undefined && v[k] !== null);
    if (sources.length === 0) errs.push(required(vp, 'must specify a volume type'));
    else if (sources.length > 1) errs.push(forbidden(`${vp}.${sources[1]}`, 'may not specify more than 1 volume type'));
  });
  return names;
}

/** validateVolumeMounts is ValidateVolumeMounts: each mount names a volume of the pod and a path, no path twice. */
function validateVolumeMounts(mounts: unknown, p: string, volumes: Set<string>, errs: Errs): void {
  const paths = new Set<string>();
  optionalList(mounts, p, errs)?.forEach((m: unknown, i: number) => {
    const mp = `${p}[${i}]`;
    if (!isObj(m)) return errs.push(inval(mp, m, 'must be a volume mount'));
    const name = typeof m.name === 'string' ? m.name : '';
    if (name === '') errs.push(required(`${mp}.name`));
    if (!volumes.has(name)) errs.push(notFoundField(`${mp}.name`, name));
    const path = typeof m.mountPath === 'string' ? m.mountPath : '';
    if (path === '') errs.push(required(`${mp}.mountPath`));
    if (paths.has(path)) errs.push(inval(`${mp}.mountPath`, path, 'must be unique'));
    paths.add(path);
  });
}

function validateContainer(c: any, p: string, errs: Errs, isInit: boolean, volumes: Set<string> = new Set()): void {
  if (!isObj(c)) {
    errs.push(inval(p, c, 'must be a container'));
    return;
  }
  if (c.name === undefined || c.name === '') errs.push(required(`${p}.name`));
  else if (typeof c.name !== 'string') errs.push(inval(`${p}.name`, c.name, 'must be a string'));
  else for (const msg of isDNS1123Label(c.name)) errs.push(inval(`${p}.name`, c.name, msg));
  if (c.image === undefined || c.image === '' || c.image === null) errs.push(required(`${p}.image`));
  else if (typeof c.image !== 'string') errs.push(inval(`${p}.image`, c.image, 'must be a string'));
  else if (c.image.trim() !== c.image) errs.push(inval(`${p}.image`, c.image, 'must not have leading or trailing whitespace'));
  if (isObj(c.securityContext)) {
    // ValidateSecurityContext: the ids in range, the seccomp and AppArmor profiles, procMount.
    const sc = c.securityContext;
    const sp = `${p}.securityContext`;
    for (const f of ['runAsUser', 'runAsGroup']) if (sc[f] !== undefined && sc[f] !== null && !isId(sc[f])) errs.push(inval(`${sp}.${f}`, sc[f], ID_RANGE));
    validateProfile(sc.seccompProfile, `${sp}.seccompProfile`, 'seccomp', errs);
    validateProfile(sc.appArmorProfile, `${sp}.appArmorProfile`, 'AppArmor', errs);
    if (sc.procMount !== undefined && sc.procMount !== null && !['Default', 'Unmasked'].includes(sc.procMount)) errs.push(notSupported(`${sp}.procMount`, sc.procMount, ['Default', 'Unmasked']));
  }
  if (c.imagePullPolicy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(c.imagePullPolicy)) {
    errs.push(notSupported(`${p}.imagePullPolicy`, c.imagePullPolicy, ['Always', 'IfNotPresent', 'Never']));
  }
  if (c.ports !== undefined && c.ports !== null) {
    if (!Array.isArray(c.ports)) errs.push(inval(`${p}.ports`, c.ports, 'must be a list'));
    else {
      if (c.ports.length > LIMITS.portsPerContainer) errs.push(tooMany(`${p}.ports`, c.ports.length, LIMITS.portsPerContainer));
      const names = new Set<string>();
      c.ports.forEach((port: any, i: number) => {
        const pp = `${p}.ports[${i}]`;
        if (!isObj(port)) return errs.push(inval(pp, port, 'must be a container port'));
        if (port.name !== undefined && port.name !== '') {
          for (const msg of isValidPortName(String(port.name))) errs.push(inval(`${pp}.name`, port.name, msg));
          if (names.has(port.name)) errs.push(duplicate(`${pp}.name`, port.name));
          names.add(port.name);
        }
        if (port.containerPort === undefined || port.containerPort === 0) errs.push(required(`${pp}.containerPort`));
        else for (const msg of isValidPortNum(port.containerPort)) errs.push(inval(`${pp}.containerPort`, port.containerPort, msg));
        if (port.hostPort !== undefined && port.hostPort !== 0) for (const msg of isValidPortNum(port.hostPort)) errs.push(inval(`${pp}.hostPort`, port.hostPort, msg));
        if (port.protocol === undefined || port.protocol === '') errs.push(required(`${pp}.protocol`));
        else if (!['SCTP', 'TCP', 'UDP'].includes(port.protocol)) errs.push(notSupported(`${pp}.protocol`, port.protocol, ['SCTP', 'TCP', 'UDP']));
      });
    }
  }
  if (c.env !== undefined && c.env !== null) {
    if (!Array.isArray(c.env)) errs.push(inval(`${p}.env`, c.env, 'must be a list'));
    else {
      if (c.env.length > LIMITS.envPerContainer) errs.push(tooMany(`${p}.env`, c.env.length, LIMITS.envPerContainer));
      c.env.forEach((e: any, i: number) => {
        if (!isObj(e) || typeof e.name !== 'string' || e.name === '') errs.push(required(`${p}.env[${i}].name`));
        else if (isEnvVarName(e.name).length) errs.push(inval(`${p}.env[${i}].name`, e.name, ENV_VAR_NAME_MSG));
        if (isObj(e) && isObj(e.valueFrom)) validateEnvVarValueFrom(e, `${p}.env[${i}].valueFrom`, errs);
      });
    }
  }
  if (Array.isArray(c.envFrom)) validateEnvFrom(c.envFrom, `${p}.envFrom`, errs);
  validateVolumeMounts(c.volumeMounts, `${p}.volumeMounts`, volumes, errs);
  validateResources(c.resources, `${p}.resources`, errs);
  if (isInit) {
    for (const f of ['readinessProbe', 'livenessProbe', 'startupProbe']) if (c[f] && c.restartPolicy !== 'Always') errs.push(forbidden(`${p}.${f}`, `may not be set for init containers without restartPolicy=Always`));
  } else {
    validateProbe(c.readinessProbe, `${p}.readinessProbe`, errs, false);
    validateProbe(c.livenessProbe, `${p}.livenessProbe`, errs, true);
    validateProbe(c.startupProbe, `${p}.startupProbe`, errs, true);
  }
}

/**
 * validateEnvVarValueFrom is core validation's check of an env var's valueFrom: exactly one source, and
 * no value beside it (each source's own fields are the kubelet's to resolve).
 */
function validateEnvVarValueFrom(e: Record<string, any>, p: string, errs: Errs): void {
  const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'].filter((k) => e.valueFrom[k] !== undefined && e.valueFrom[k] !== null).length;
  if (sources === 0) errs.push(inval(p, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if (typeof e.value === 'string' && e.value !== '') errs.push(inval(p, '', 'may not be specified when `value` is not empty'));
  else if (sources > 1) errs.push(inval(p, '', 'may not have more than one field specified at a time'));
}

/** validateEnvFrom is ValidateEnvFrom: a prefix that is a variable name, and one ConfigMap or Secret named as a DNS subdomain. */
function validateEnvFrom(list: unknown[], p: string, errs: Errs): void {
  list.forEach((ev, i) => {
    if (!isObj(ev)) return;
    const ip = `${p}[${i}]`;
    if (typeof ev.prefix === 'string' && ev.prefix && isEnvVarName(ev.prefix).length) errs.push(inval(`${ip}.prefix`, ev.prefix, ENV_VAR_NAME_MSG));
    let sources = 0;
    for (const ref of ['configMapRef', 'secretRef']) {
      const src = ev[ref];
      if (!isObj(src)) continue;
      sources++;
      if (typeof src.name !== 'string' || src.name === '') errs.push(required(`${ip}.${ref}.name`));
      else for (const msg of isDNS1123Subdomain(src.name)) errs.push(inval(`${ip}.${ref}.name`, src.name, msg));
    }
    if (sources === 0) errs.push(inval(p, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources > 1) errs.push(inval(p, '', 'may not have more than one field specified at a time'));
  });
}

/**
 * validateTopologySpreadConstraints is core validation's: maxSkew above zero, a topologyKey,
 * whenUnsatisfiable one of the two actions, no {topologyKey, whenUnsatisfiable} pair twice, and
 * minDomains above zero and only with DoNotSchedule.
 */
function validateTopologySpreadConstraints(list: unknown, p: string, errs: Errs): void {
  if (!Array.isArray(list)) return;
  const actions = ['DoNotSchedule', 'ScheduleAnyway'];
  list.forEach((c, i) => {
    if (!isObj(c)) return;
    const cp = `${p}[${i}]`;
    if (!(typeof c.maxSkew === 'number' && c.maxSkew > 0)) errs.push(inval(`${cp}.maxSkew`, c.maxSkew ?? 0, 'must be greater than zero'));
    if (typeof c.topologyKey !== 'string' || c.topologyKey === '') errs.push(required(`${cp}.topologyKey`, 'can not be empty'));
    if (!actions.includes(c.whenUnsatisfiable)) errs.push(notSupported(`${cp}.whenUnsatisfiable`, c.whenUnsatisfiable ?? '', actions));
    const repeated = list.slice(i + 1).some((o) => isObj(o) && o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable);
    if (repeated) errs.push(duplicate(`${cp}.{topologyKey, whenUnsatisfiable}`, `{${c.topologyKey ?? ''}, ${c.whenUnsatisfiable ?? ''}}`));
    if (c.minDomains !== undefined && c.minDomains !== null) {
      if (!(typeof c.minDomains === 'number' && c.minDomains > 0)) errs.push(inval(`${cp}.minDomains`, c.minDomains, 'must be greater than zero'));
      if (c.whenUnsatisfiable !== 'DoNotSchedule') errs.push(inval(`${cp}.minDomains`, c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${c.whenUnsatisfiable ?? ''}`));
    }
  });
}

/** validatePodSpec is ValidatePodSpec for the fields the simulation reads; p is "spec" or "spec.template.spec". */
export function validatePodSpec(spec: unknown, p: string, claimVolumes: readonly string[] = []): Errs {
  const errs: Errs = [];
  if (!isObj(spec)) return [required(p)];
  const s = spec as PodSpec;
  const volumes = validateVolumes(s.volumes, `${p}.volumes`, errs);
  // A StatefulSet's pods also get a volume per claim template (its controller adds them).
  for (const v of claimVolumes) volumes.add(v);
  const names = new Set<string>();
  const lists: [string, Container[] | undefined, boolean][] = [
    ['initContainers', s.initContainers, true],
    ['containers', s.containers, false],
  ];
  for (const [field, list, isInit] of lists) {
    if (list === undefined || list === null) {
      if (!isInit) errs.push(required(`${p}.containers`));
      continue;
    }
    if (!Array.isArray(list)) {
      errs.push(inval(`${p}.${field}`, list, 'must be a list'));
      continue;
    }
    if (!isInit && list.length === 0) errs.push(required(`${p}.containers`));
    if (list.length > LIMITS.containers) {
      errs.push(tooMany(`${p}.${field}`, list.length, LIMITS.containers));
      continue;
    }
    list.forEach((c, i) => {
      validateContainer(c, `${p}.${field}[${i}]`, errs, isInit, volumes);
      if (isObj(c) && typeof c.name === 'string' && c.name) {
        if (names.has(c.name)) errs.push(duplicate(`${p}.${field}[${i}].name`, c.name));
        names.add(c.name);
      }
    });
  }
  if (s.restartPolicy === undefined || (s.restartPolicy as string) === '') errs.push(required(`${p}.restartPolicy`));
  else if (!['Always', 'OnFailure', 'Never'].includes(s.restartPolicy)) errs.push(notSupported(`${p}.restartPolicy`, s.restartPolicy, ['Always', 'OnFailure', 'Never']));
  if (s.dnsPolicy !== undefined && !['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'].includes(s.dnsPolicy)) {
    errs.push(notSupported(`${p}.dnsPolicy`, s.dnsPolicy, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']));
  }
  // A negative terminationGracePeriodSeconds is not refused (objects that have one must stay writable): a
  // Pod's becomes 1 as it is read (defaults.ts), a template's stays and draws a warning (podwarnings.ts).
  const grace = s.terminationGracePeriodSeconds;
  if (grace !== undefined && grace !== null && !isInt(grace)) errs.push(inval(`${p}.terminationGracePeriodSeconds`, grace, 'must be an integer'));
  if (s.activeDeadlineSeconds !== undefined) positive(s.activeDeadlineSeconds, `${p}.activeDeadlineSeconds`, errs);
  errs.push(...validateLabels(s.nodeSelector, `${p}.nodeSelector`));
  if (s.nodeName !== undefined && s.nodeName !== '') {
    if (typeof s.nodeName !== 'string') errs.push(inval(`${p}.nodeName`, s.nodeName, 'must be a string'));
    else for (const msg of isDNS1123Subdomain(s.nodeName)) errs.push(inval(`${p}.nodeName`, s.nodeName, msg));
  }
  validateSchedulingGates(s.schedulingGates, `${p}.schedulingGates`, errs);
  validateTopologySpreadConstraints(s.topologySpreadConstraints, `${p}.topologySpreadConstraints`, errs);
  if (isObj(s.affinity)) validateAffinity(s.affinity, `${p}.affinity`, errs);
  validatePodSecurityContext(s.securityContext, `${p}.securityContext`, errs);
  validatePodDNSConfig(s, p, errs);
  if (s.tolerations !== undefined && s.tolerations !== null) {
    if (!Array.isArray(s.tolerations)) errs.push(inval(`${p}.tolerations`, s.tolerations, 'must be a list'));
    else {
      if (s.tolerations.length > LIMITS.tolerations) errs.push(tooMany(`${p}.tolerations`, s.tolerations.length, LIMITS.tolerations));
      s.tolerations.forEach((t: any, i: number) => {
        const tp = `${p}.tolerations[${i}]`;
        if (!isObj(t)) return errs.push(inval(tp, t, 'must be a toleration'));
        if (t.key) for (const msg of isQualifiedName(t.key)) errs.push(inval(`${tp}.key`, t.key, msg));
        if (!t.key && t.operator !== 'Exists') errs.push(inval(`${tp}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
        if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') errs.push(inval(`${tp}.effect`, t.effect ?? '', 'effect must be \'NoExecute\' when `tolerationSeconds` is set'));
        if (t.operator !== undefined && t.operator !== '' && !['Equal', 'Exists'].includes(t.operator)) errs.push(notSupported(`${tp}.operator`, t.operator, ['Equal', 'Exists']));
        if (t.operator === 'Exists' && t.value) errs.push(inval(`${tp}.operator`, t.value, 'value must be empty when `operator` is \'Exists\''));
        if (t.effect !== undefined && t.effect !== '' && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) errs.push(notSupported(`${tp}.effect`, t.effect, ['NoExecute', 'NoSchedule', 'PreferNoSchedule']));
      });
    }
  }
  return errs;
}

/**
 * validateAffinity is core validation's validateAffinity: node selector terms and their operators,
 * weights 1-100, and pod affinity terms' selectors, namespaces and topology keys (the types were checked
 * at decoding, so a list where a NodeSelector goes never gets here).
 */
function validateAffinity(a: Record<string, any>, p: string, errs: Errs): void {
  const na = a.nodeAffinity;
  if (isObj(na)) {
    const req = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (isObj(req)) {
      const tp = `${p}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
      const terms = req.nodeSelectorTerms;
      if (!Array.isArray(terms) || terms.length === 0) errs.push(required(tp, 'must have at least one node selector term'));
      else terms.forEach((t: unknown, i: number) => validateNodeSelectorTerm(t, `${tp}[${i}]`, errs));
    }
    optionalList(na.preferredDuringSchedulingIgnoredDuringExecution, `${p}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution`, errs)?.forEach((t: any, i: number) => {
      const tp = `${p}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      validateWeight(t?.weight, `${tp}.weight`, errs);
      validateNodeSelectorTerm(t?.preference, `${tp}.preference`, errs);
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const pa = a[kind];
    if (!isObj(pa)) continue;
    const rp = `${p}.${kind}.requiredDuringSchedulingIgnoredDuringExecution`;
    optionalList(pa.requiredDuringSchedulingIgnoredDuringExecution, rp, errs)?.forEach((t: unknown, i: number) => validatePodAffinityTerm(t, `${rp}[${i}]`, errs));
    const wp = `${p}.${kind}.preferredDuringSchedulingIgnoredDuringExecution`;
    optionalList(pa.preferredDuringSchedulingIgnoredDuringExecution, wp, errs)?.forEach((t: any, i: number) => {
      validateWeight(t?.weight, `${wp}[${i}].weight`, errs);
      // A missing term is the zero PodAffinityTerm, validated as such (its topology key is empty).
      validatePodAffinityTerm(t?.podAffinityTerm ?? {}, `${wp}[${i}].podAffinityTerm`, errs);
    });
  }
}

const ID_RANGE = 'must be between 0 and 2147483647, inclusive';
const isId = (v: unknown) => isInt(v) && v >= 0 && v <= 2147483647;

/**
 * validatePodSecurityContext is validatePodSpecSecurityContext's checks of the fields a learner writes: user
 * and group ids in range (IsValidUserID, IsValidGroupID), fsGroupChangePolicy, sysctl names, and the
 * seccomp and AppArmor profiles (a Localhost profile needs its file).
 */
function validatePodSecurityContext(sc: unknown, p: string, errs: Errs): void {
  if (!isObj(sc)) return;
  for (const f of ['runAsUser', 'runAsGroup', 'fsGroup']) if (sc[f] !== undefined && sc[f] !== null && !isId(sc[f])) errs.push(inval(`${p}.${f}`, sc[f], ID_RANGE));
  if (Array.isArray(sc.supplementalGroups)) sc.supplementalGroups.forEach((g: unknown, i: number) => !isId(g) && errs.push(inval(`${p}.supplementalGroups[${i}]`, g, ID_RANGE)));
  if (sc.fsGroupChangePolicy !== undefined && sc.fsGroupChangePolicy !== null && !['Always', 'OnRootMismatch'].includes(sc.fsGroupChangePolicy)) {
    errs.push(notSupported(`${p}.fsGroupChangePolicy`, sc.fsGroupChangePolicy, ['Always', 'OnRootMismatch']));
  }
  if (Array.isArray(sc.sysctls)) {
    const seen = new Set<string>();
    sc.sysctls.forEach((x: any, i: number) => {
      const name = typeof x?.name === 'string' ? x.name : '';
      if (!name) errs.push(required(`${p}.sysctls[${i}].name`));
      else if (name.length > 253 || !/^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/.test(name)) {
        errs.push(inval(`${p}.sysctls[${i}].name`, name, 'must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$'));
      }
      if (name && seen.has(name)) errs.push(duplicate(`${p}.sysctls[${i}].name`, name));
      seen.add(name);
    });
  }
  validateProfile(sc.seccompProfile, `${p}.seccompProfile`, 'seccomp', errs);
  validateProfile(sc.appArmorProfile, `${p}.appArmorProfile`, 'AppArmor', errs);
}

/** validateProfile is validateSeccompProfileField / validateAppArmorProfileField. */
function validateProfile(sp: unknown, p: string, what: 'seccomp' | 'AppArmor', errs: Errs): void {
  if (!isObj(sp)) return;
  if (sp.type === 'Localhost') {
    if (sp.localhostProfile === undefined || sp.localhostProfile === null || sp.localhostProfile === '') errs.push(required(`${p}.localhostProfile`, `must be set when ${what} type is Localhost`));
  } else if (sp.type !== 'RuntimeDefault' && sp.type !== 'Unconfined') errs.push(notSupported(`${p}.type`, sp.type ?? '', ['Localhost', 'RuntimeDefault', 'Unconfined']));
  else if (sp.localhostProfile !== undefined && sp.localhostProfile !== null) errs.push(inval(`${p}.localhostProfile`, sp.localhostProfile, `can only be set when ${what} type is Localhost`));
}

/** validatePodDNSConfig is validatePodDNSConfig: dnsPolicy None needs nameservers; at most 3 valid ones, 32 search domains, named options. */
function validatePodDNSConfig(s: Record<string, any>, p: string, errs: Errs): void {
  const dc = s.dnsConfig;
  const cp = `${p}.dnsConfig`;
  if (s.dnsPolicy === 'None') {
    if (!isObj(dc)) return void errs.push(required(cp, 'must provide `dnsConfig` when `dnsPolicy` is None'));
    if (!Array.isArray(dc.nameservers) || dc.nameservers.length === 0) return void errs.push(required(`${cp}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
  }
  if (!isObj(dc)) return;
  const goList = (xs: unknown[]) => new GoValue(`[]string{${xs.map((x) => JSON.stringify(String(x))).join(', ')}}`);
  const ns: unknown[] = Array.isArray(dc.nameservers) ? dc.nameservers : [];
  if (ns.length > 3) errs.push(inval(`${cp}.nameservers`, goList(ns), 'must not have more than 3 nameservers'));
  ns.forEach((n, i) => {
    if (typeof n !== 'string' || !(isIPv4(n) || isIPv6(n))) errs.push(inval(`${cp}.nameservers[${i}]`, n, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  const searches: unknown[] = Array.isArray(dc.searches) ? dc.searches : [];
  if (searches.length > 32) errs.push(inval(`${cp}.searches`, goList(searches), 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) errs.push(inval(`${cp}.searches`, goList(searches), 'must not have more than 2048 characters (including spaces) in the search list'));
  searches.forEach((d, i) => {
    const domain = String(d).replace(/\.$/, '');
    for (const msg of isDNS1123Subdomain(domain)) errs.push(inval(`${cp}.searches[${i}]`, domain, msg));
  });
  if (Array.isArray(dc.options)) dc.options.forEach((o: any, i: number) => (typeof o?.name !== 'string' || o.name === '') && errs.push(required(`${cp}.options[${i}]`, 'must not be empty')));
}

function validateWeight(w: unknown, p: string, errs: Errs): void {
  if (!isInt(w) || w <= 0 || w > 100) errs.push(inval(p, w ?? 0, 'must be in the range 1-100'));
}

/** validateNodeSelectorTerm is ValidateNodeSelectorTerm: label requirements, then field requirements (metadata.name only). */
function validateNodeSelectorTerm(term: unknown, p: string, errs: Errs): void {
  if (!isObj(term)) return;
  optionalList(term.matchExpressions, `${p}.matchExpressions`, errs)?.forEach((r: any, j: number) => {
    const rp = `${p}.matchExpressions[${j}]`;
    const values = Array.isArray(r?.values) ? r.values : [];
    switch (r?.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(required(`${rp}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(forbidden(`${rp}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      case 'Gt':
      case 'Lt':
        if (values.length !== 1) errs.push(required(`${rp}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
        break;
      default:
        errs.push(inval(`${rp}.operator`, r?.operator ?? '', 'not a valid selector operator'));
    }
    const key = typeof r?.key === 'string' ? r.key : '';
    for (const msg of isQualifiedName(key)) errs.push(inval(`${rp}.key`, key, msg));
  });
  optionalList(term.matchFields, `${p}.matchFields`, errs)?.forEach((r: any, j: number) => {
    const rp = `${p}.matchFields[${j}]`;
    const values = Array.isArray(r?.values) ? r.values : [];
    if (r?.operator === 'In' || r?.operator === 'NotIn') {
      if (values.length !== 1) errs.push(required(`${rp}.values`, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
    } else errs.push(inval(`${rp}.operator`, r?.operator ?? '', 'not a valid selector operator'));
    if (r?.key !== 'metadata.name') errs.push(inval(`${rp}.key`, r?.key ?? '', 'not a valid field selector key'));
    else values.forEach((v: unknown, i: number) => {
      for (const msg of isDNS1123Subdomain(String(v))) errs.push(inval(`${rp}.values[${i}]`, v, msg));
    });
  });
}

/** validatePodAffinityTerm is validatePodAffinityTerm: its selectors, namespace names and a topology key. */
function validatePodAffinityTerm(term: unknown, p: string, errs: Errs): void {
  if (!isObj(term)) return;
  if (term.labelSelector !== undefined && term.labelSelector !== null) errs.push(...validateLabelSelector(term.labelSelector, `${p}.labelSelector`));
  if (term.namespaceSelector !== undefined && term.namespaceSelector !== null) errs.push(...validateLabelSelector(term.namespaceSelector, `${p}.namespaceSelector`));
  if (Array.isArray(term.namespaces)) for (const ns of term.namespaces) for (const msg of isDNS1123Label(String(ns))) errs.push(inval(`${p}.namespace`, ns, msg));
  const key = typeof term.topologyKey === 'string' ? term.topologyKey : '';
  if (!key) errs.push(required(`${p}.topologyKey`, 'can not be empty'));
  for (const msg of isQualifiedName(key)) errs.push(inval(`${p}.topologyKey`, key, msg));
}

/** validateSchedulingGates is validateSchedulingGates: qualified names, no duplicates (errors on the item). */
function validateSchedulingGates(gates: unknown, p: string, errs: Errs): void {
  const seen = new Set<string>();
  optionalList(gates, p, errs)?.forEach((g: unknown, i: number) => {
    const name = isObj(g) && typeof g.name === 'string' ? g.name : '';
    for (const msg of isQualifiedName(name)) errs.push(inval(`${p}[${i}]`, name, msg));
    if (seen.has(name)) errs.push(duplicate(`${p}[${i}]`, name));
    seen.add(name);
  });
}

export function validatePod(pod: KubeObject): Errs {
  const errs = validatePodSpec(pod.spec, 'spec');
  // ValidatePodCreate: a gated pod cannot be bound already.
  if (isObj(pod.spec) && Array.isArray(pod.spec.schedulingGates) && pod.spec.schedulingGates.length > 0 && pod.spec.nodeName) {
    errs.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}

// ---- ConfigMap, Secret ----

function validateDataKeys(obj: KubeObject, fields: string[]): Errs {
  const errs: Errs = [];
  let total = 0;
  const seen = new Set<string>();
  for (const f of fields) {
    const data = obj[f];
    if (data === undefined || data === null) continue;
    if (!isObj(data)) {
      errs.push(inval(f, data, 'must be a map'));
      continue;
    }
    for (const [k, v] of Object.entries(data)) {
      for (const msg of isConfigMapKey(k)) errs.push(inval(`${f}[${k}]`, k, msg));
      if (seen.has(k)) errs.push(inval(`${f}[${k}]`, k, `duplicate of key present in ${fields.find((x) => x !== f)}`));
      seen.add(k);
      if (typeof v !== 'string') errs.push(inval(`${f}[${k}]`, v, 'must be a string'));
      else total += v.length;
    }
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong('data', MAX_SECRET_SIZE));
  return errs;
}

export function validateConfigMap(cm: KubeObject): Errs {
  return validateDataKeys(cm, ['data', 'binaryData']);
}

export function validateSecret(s: KubeObject): Errs {
  const errs = validateDataKeys(s, ['data']);
  if (isObj(s.data)) {
    for (const [k, v] of Object.entries(s.data)) {
      if (typeof v === 'string' && base64ErrorAt(v) !== undefined) errs.push(inval(`data[${k}]`, v, 'illegal base64 data'));
    }
  }
  return errs;
}

/** NAME_RULES: the name validator per kind (ValidateXName); DNS-1123 subdomain otherwise. */
const NAME_RULES: Record<string, NameValidator> = {
  Service: isDNS1035Label,
  Namespace: isDNS1123Label,
};

export const nameRule = (kind: string): NameValidator => NAME_RULES[kind] ?? isDNS1123Subdomain;

/** validateImmutable is ValidateImmutableField: `field: Invalid value: <new>: field is immutable`. */
export function immutable(field: string, value: unknown): FieldError {
  return inval(field, value, 'field is immutable');
}
