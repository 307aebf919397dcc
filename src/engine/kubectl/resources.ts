import { getComponentStatus, listComponentStatuses } from '../api/componentstatus.ts';
import { ApiError, methodNotAllowed } from '../api/errors.ts';
import { KINDS, kindInfo, resolveResource, resourceName, serves, type KindInfo } from '../api/kinds.ts';
import { compileRequirements, parseLabelSelector } from '../api/labelparse.ts';
import type { KubeObject } from '../api/types.ts';
import type { Sim } from '../sim.ts';
import { CmdError } from './services.ts';

/** ResourceRef is one kind with the names asked for (none = all of that kind). */
export interface ResourceRef {
  info: KindInfo;
  names: string[];
}

/** ALL_KINDS is what `kubectl get all` expands to (the "all" category), in kubectl's order. */
const ALL_KINDS = ['Pod', 'ReplicationController', 'Service', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet', 'HorizontalPodAutoscaler', 'CronJob', 'Job'];

export function resolveKind(arg: string): KindInfo {
  const info = resolveResource(arg);
  if (!info) throw new CmdError(`error: the server doesn't have a resource type "${arg}"`);
  return info;
}

/**
 * parseResourceArgs reads `TYPE [NAME…]`, `TYPE1,TYPE2`, `TYPE/NAME …` and `all`, as kubectl's resource builder.
 */
export function parseResourceArgs(args: string[], verb: string): ResourceRef[] {
  if (args.length === 0) return [];
  if (args.some((a) => a.includes('/'))) {
    if (!args.every((a) => a.includes('/'))) {
      throw new CmdError(
        `error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl ${verb} resource/<resource_name>' instead of 'kubectl ${verb} resource resource/<resource_name>'`,
      );
    }
    const refs: ResourceRef[] = [];
    for (const a of args) {
      const [type, name] = a.split('/', 2);
      if (!name) throw new CmdError(`error: arguments in resource/name form must have a single resource and name`);
      const info = resolveKind(type);
      const last = refs[refs.length - 1];
      if (last && last.info === info) last.names.push(name);
      else refs.push({ info, names: [name] });
    }
    return refs;
  }
  const [types, ...names] = args;
  const refs: ResourceRef[] = [];
  for (const t of types.split(',')) {
    if (t === 'all') {
      for (const k of ALL_KINDS) {
        const info = kindInfo(k);
        if (info) refs.push({ info, names: [] });
      }
      continue;
    }
    refs.push({ info: resolveKind(t), names: [] });
  }
  // TYPE1,TYPE2 NAME… names each type's object of those names (kubectl get deploy,svc web); only a watch
  // takes a single type (get's SingleResourceType, checked there).
  if (names.length) for (const r of refs) r.names = [...names];
  return refs;
}

export function isAllArg(args: string[]): boolean {
  return args.length > 0 && !args[0].includes('/') && args[0].split(',').includes('all');
}

/**
 * selectorPredicate compiles -l (undefined = match all). The API server parses it when kubectl lists
 * info's kind, and a bad selector is its BadRequest as kubectl shows it (EnhanceListError); without
 * info (top, drain's node list) it is kubectl's own labels.Parse error.
 */
export function selectorPredicate(sel: string | undefined, info?: KindInfo, fieldSelector = ''): (o: KubeObject) => boolean {
  if (!sel) return () => true;
  const parsed = parseLabelSelector(sel);
  if ('error' in parsed) {
    if (!info) throw new CmdError(`error: ${parsed.error}`);
    throw new CmdError(`Error from server (BadRequest): Unable to find "${gvrString(info)}" that match label selector "${sel}", field selector "${fieldSelector}": ${parsed.error}`);
  }
  const pred = compileRequirements(parsed.reqs);
  return (o) => pred(o.metadata.labels);
}

/** gvrString is schema.GroupVersionResource's String(): "apps/v1, Resource=deployments". */
function gvrString(info: KindInfo): string {
  return `${info.group}/${info.versions[0]}, Resource=${info.plural}`;
}

/**
 * listObjects lists a kind in a namespace (undefined = all namespaces), sorted as the API server lists: by
 * namespace, then name. componentstatuses are computed, in their REST's order; a resource that serves no
 * list (bindings, the reviews) is the server's 405.
 */
export function listObjects(sim: Sim, info: KindInfo, ns: string | undefined): KubeObject[] {
  if (!serves(info, 'list')) throw new CmdError(methodNotAllowed().kubectlMessage());
  if (info.kind === 'ComponentStatus') return listComponentStatuses();
  const list = sim.store.list(info.kind, info.namespaced ? ns : undefined);
  return [...list].sort((a, b) => compareStrings(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || compareStrings(a.metadata.name, b.metadata.name));
}

/** compareStrings orders strings as Go's < does (by code unit), for sort. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** getObject is a GET of one object as kubectl prints its failure: NotFound, the 405 of a resource without get, componentstatus's own error. */
export function getObject(sim: Sim, info: KindInfo, ns: string, name: string): KubeObject {
  const obj = findObject(sim, info, ns, name);
  if (typeof obj === 'string') throw new CmdError(obj);
  return obj;
}

/** findObject is getObject returning the error line instead of throwing it (kubectl get goes on after one). */
export function findObject(sim: Sim, info: KindInfo, ns: string, name: string): KubeObject | string {
  if (!serves(info, 'get')) return methodNotAllowed().kubectlMessage();
  if (info.kind === 'ComponentStatus') {
    try {
      return getComponentStatus(name);
    } catch (e) {
      if (e instanceof ApiError) return e.kubectlMessage();
      throw e;
    }
  }
  return sim.store.get(info.kind, info.namespaced ? ns : undefined, name) ?? notFoundMessage(info, name);
}

export function notFoundMessage(info: KindInfo, name: string): string {
  return `Error from server (NotFound): ${resourceName(info)} "${name}" not found`;
}

export { KINDS };

/** podsOnNode lists a node's pods through the API server's `node` index (a scan if the index is missing). */
export function podsOnNode(sim: Sim, nodeName: string): KubeObject[] {
  try {
    return sim.store.byIndex('Pod', 'node', nodeName);
  } catch {
    return sim.store.list('Pod').filter((p) => p.spec?.nodeName === nodeName);
  }
}

type FieldValue = (o: KubeObject) => string;

const NAME_FIELDS: Record<string, FieldValue> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/**
 * SELECTABLE_FIELDS are the fields the API server can select each kind by (the registries'
 * ToSelectableFields and the field label conversions of core/v1, apps/v1 and batch/v1), with the value
 * the server compares (its field set: false for an unset bool, 0 for an unset count). Kinds not listed
 * select by metadata.name and metadata.namespace only (DefaultMetaV1FieldSelectorConversion).
 */
const SELECTABLE_FIELDS: Record<string, Record<string, FieldValue>> = {
  Pod: {
    ...NAME_FIELDS,
    'spec.nodeName': (o) => str(o.spec?.nodeName),
    'spec.host': (o) => str(o.spec?.nodeName),
    'spec.restartPolicy': (o) => str(o.spec?.restartPolicy),
    'spec.schedulerName': (o) => str(o.spec?.schedulerName),
    'spec.serviceAccountName': (o) => str(o.spec?.serviceAccountName),
    'spec.hostNetwork': (o) => String(!!o.spec?.hostNetwork),
    'status.phase': (o) => str(o.status?.phase),
    'status.podIP': (o) => str(o.status?.podIP),
    'status.podIPs': (o) => str(o.status?.podIP),
    'status.nominatedNodeName': (o) => str(o.status?.nominatedNodeName),
  },
  Node: { 'metadata.name': (o) => o.metadata.name, 'spec.unschedulable': (o) => String(!!o.spec?.unschedulable) },
  ReplicationController: { ...NAME_FIELDS, 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
  ReplicaSet: { ...NAME_FIELDS, 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
  Job: { ...NAME_FIELDS, 'status.successful': (o) => String(o.status?.succeeded ?? 0) },
  Event: {
    ...NAME_FIELDS,
    ...Object.fromEntries(['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'].map((k) => [`involvedObject.${k}`, (o: KubeObject) => str((o as any).involvedObject?.[k])])),
    reason: (o) => str((o as any).reason),
    source: (o) => str((o as any).source?.component),
    reportingComponent: (o) => str((o as any).reportingComponent),
    type: (o) => str((o as any).type),
  },
  Namespace: { 'metadata.name': (o) => o.metadata.name, 'status.phase': (o) => str(o.status?.phase) },
  Secret: { ...NAME_FIELDS, type: (o) => str((o as any).type) },
  CertificateSigningRequest: { ...NAME_FIELDS, 'spec.signerName': (o) => str(o.spec?.signerName) },
};

/**
 * fieldSelectorPredicate is --field-selector for one kind: comma-separated `field=value`, `field==value`,
 * `field!=value` on the fields the API server selects that kind by. Another field is refused with the
 * server's error, as kubectl shows it (EnhanceListError); labelSelector (-l) is only quoted in it.
 */
export function fieldSelectorPredicate(sel: string | undefined, info?: KindInfo, labelSelector = ''): (o: KubeObject) => boolean {
  if (!sel) return () => true;
  const fields = (info && SELECTABLE_FIELDS[info.kind]) ?? NAME_FIELDS;
  const reqs = sel.split(',').map((r) => {
    const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(r.trim());
    if (!m) throw new CmdError(`error: invalid selector: '${sel}'; can't understand '${r}'`);
    const get = fields[m[1]];
    if (!get) {
      const why = info && SELECTABLE_FIELDS[info.kind] ? `field label not supported: ${m[1]}` : `"${m[1]}" is not a known field selector: only "metadata.name", "metadata.namespace"`;
      const gvr = info ? gvrString(info) : '';
      throw new CmdError(`Error from server (BadRequest): Unable to find "${gvr}" that match label selector "${labelSelector}", field selector "${sel}": ${why}`);
    }
    return { get, neg: m[2] === '!=', value: m[3] };
  });
  return (o) => reqs.every((r) => (r.get(o) === r.value) !== r.neg);
}
