/**
 * strategic.ts: strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch) for the built-in
 * kinds. Maps merge and null deletes, as in a JSON merge patch; lists whose Go field carries
 * `patchStrategy:"merge"` merge item by item on their `patchMergeKey` (containers by name, ports by
 * containerPort, volumeMounts by mountPath …) and every other list is replaced (tolerations, args).
 * Directives: `$patch: replace|delete` in maps and list items, `$retainKeys`,
 * `$deleteFromPrimitiveList/<field>`; `$setElementOrder/<field>` is accepted and ignored.
 */
import { clone } from './jsonpatch.ts';

/** StrategicPatchError is a patch the server rejects; `message` is apimachinery's text. */
export class StrategicPatchError extends Error {}

type Json = unknown;
type JsonMap = Record<string, Json>;
const isObj = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

/** PatchMeta is a list field's strategy: merge on `mergeKey` (none for lists of scalars), else replace. */
export interface PatchMeta {
  merge: boolean;
  mergeKey?: string;
}

/** Merge strategies of k8s.io/api's Container fields (the `patchMergeKey` struct tags). */
const CONTAINER_LISTS: Record<string, string> = { ports: 'containerPort', env: 'name', volumeMounts: 'mountPath', volumeDevices: 'devicePath' };
/** …of PodSpec. tolerations, envFrom, args and command have no strategy: they are replaced. */
const POD_SPEC_LISTS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  schedulingGates: 'name',
  resourceClaims: 'name',
};
/** …of ObjectMeta: finalizers merge as a set of strings, ownerReferences by uid. */
const META_LISTS: Record<string, string> = { finalizers: '', ownerReferences: 'uid' };

/** podSpecPath is where each workload kind keeps its PodSpec. */
const POD_SPEC_PATH: Record<string, string> = {
  Pod: 'spec',
  PodTemplate: 'template.spec',
  Deployment: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec',
  ReplicationController: 'spec.template.spec',
  StatefulSet: 'spec.template.spec',
  DaemonSet: 'spec.template.spec',
  Job: 'spec.template.spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
};

/** Other merge lists by kind and path (ServiceSpec.ports by port; status conditions by type). */
const KIND_LISTS: Record<string, Record<string, string>> = {
  Service: { 'spec.ports': 'port' },
  Node: { 'status.addresses': 'type', 'status.conditions': 'type', 'spec.podCIDRs': '' },
  Pod: { 'status.conditions': 'type' },
  Deployment: { 'status.conditions': 'type' },
  ReplicaSet: { 'status.conditions': 'type' },
  StatefulSet: { 'status.conditions': 'type' },
  DaemonSet: { 'status.conditions': 'type' },
  Namespace: { 'status.conditions': 'type' },
  PersistentVolumeClaim: { 'status.conditions': 'type' },
};

/** patchMetaFor returns the list strategy of a field path (field names from the object's root, no indices). */
export function patchMetaFor(kind: string, path: string[]): PatchMeta {
  const p = path.join('.');
  const field = path[path.length - 1];
  const pick = (key: string | undefined): PatchMeta => (key === undefined ? { merge: false } : key === '' ? { merge: true } : { merge: true, mergeKey: key });
  const kindList = KIND_LISTS[kind]?.[p];
  if (kindList !== undefined) return pick(kindList);
  // metadata (of the object, or of its pod template)
  const podSpec = POD_SPEC_PATH[kind];
  // The object's metadata, and its pod template's ("spec.template.spec" → "spec.template.metadata").
  const metaPaths = ['metadata', podSpec ? podSpec.replace(/spec$/, 'metadata') : 'metadata'];
  if (field in META_LISTS && metaPaths.some((m) => p === `${m}.${field}`)) return pick(META_LISTS[field]);
  if (podSpec && p.startsWith(podSpec + '.')) {
    const rest = path.slice(podSpec.split('.').length);
    if (rest.length === 1) return pick(POD_SPEC_LISTS[rest[0]]);
    if (rest.length === 2 && ['containers', 'initContainers', 'ephemeralContainers'].includes(rest[0])) return pick(CONTAINER_LISTS[rest[1]]);
  }
  return { merge: false };
}

/** goString formats a value as Go's %v does for the decoded JSON in apimachinery's messages: map[k:v …] with sorted keys. */
function goString(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(goString).join(' ')}]`;
  if (isObj(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goString(v[k])}`).join(' ')}]`;
  if (v === null || v === undefined) return '<nil>';
  return String(v);
}

/** stripDirectives removes $-directives from a value taken whole from the patch (the typed decode drops them upstream). */
function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.filter((x) => !(isObj(x) && x[DIRECTIVE] === 'delete')).map(stripDirectives);
  if (!isObj(v)) return v;
  const out: JsonMap = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) out[k] = stripDirectives(x);
  return out;
}

/**
 * strategicMergePatch applies a strategic merge patch to a copy of `original` (a built-in kind).
 * Throws StrategicPatchError for a malformed patch (a list item without its merge key, an unknown $patch).
 */
export function strategicMergePatch<T>(original: T, patch: Json, kind: string): T {
  if (!isObj(patch)) throw new StrategicPatchError(`json: cannot unmarshal ${Array.isArray(patch) ? 'array' : typeof patch} into Go value of type map[string]interface {}`);
  return mergeMap(clone(original) as unknown as JsonMap, patch, kind, []) as unknown as T;
}

function mergeMap(original: JsonMap, patch: JsonMap, kind: string, path: string[]): JsonMap {
  const directive = patch[DIRECTIVE];
  if (directive !== undefined) {
    // handleDirectiveInMergeMap: replace → the patch is the new map; delete → an empty map.
    if (directive === 'replace') return stripDirectives(patch) as JsonMap;
    if (directive === 'delete') return {};
    throw new StrategicPatchError(`Unknown patch type: ${goString(directive)} in map: ${goString(patch)}`);
  }
  const retain = patch[RETAIN_KEYS];
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw new StrategicPatchError('invalid patch format of retainKeys');
    for (const k of Object.keys(original)) if (!retain.includes(k)) delete original[k];
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith(DELETE_PRIMITIVE)) {
      const field = k.slice(DELETE_PRIMITIVE.length);
      const cur = original[field];
      if (Array.isArray(cur) && Array.isArray(v)) original[field] = cur.filter((x) => !v.some((d) => d === x));
      continue;
    }
    if (k.startsWith('$')) continue; // $setElementOrder/…, $retainKeys, $patch
    if (v === null) {
      delete original[k];
      continue;
    }
    const cur = original[k];
    if (cur === undefined) {
      original[k] = stripDirectives(v);
      continue;
    }
    if (isObj(cur) && isObj(v)) original[k] = mergeMap(cur, v, kind, [...path, k]);
    else if (Array.isArray(cur) && Array.isArray(v)) original[k] = mergeList(cur, v, kind, [...path, k]);
    else original[k] = stripDirectives(v);
  }
  return original;
}

const keyOf = (item: Json, mergeKey: string) => (isObj(item) ? JSON.stringify(item[mergeKey]) : undefined);

/** mergeList is mergeSlice: replace unless the field's strategy is merge; then merge by key and restore order. */
function mergeList(original: Json[], patch: Json[], kind: string, path: string[]): Json[] {
  const meta = patchMetaFor(kind, path);
  if (!meta.merge) return stripDirectives(patch) as Json[];
  if (original.length === 0 && patch.length === 0) return original;
  const allScalars = [...original, ...patch].every((x) => !isObj(x) && !Array.isArray(x));
  if (allScalars) {
    // Lists of scalars merge as a set, first occurrence kept (deduplicateScalars).
    const merged: Json[] = [];
    for (const x of [...original, ...patch]) if (!merged.includes(x)) merged.push(x);
    return order(merged, patch, original, (x) => JSON.stringify(x));
  }
  const mergeKey = meta.mergeKey;
  if (!mergeKey) return stripDirectives(patch) as Json[];
  // mergeSliceWithSpecialElements: `$patch: delete` items remove their match, `$patch: replace` replaces the list.
  let base = original;
  const items: JsonMap[] = [];
  let replace = false;
  for (const v of patch) {
    if (!isObj(v)) throw new StrategicPatchError(`unable to merge a ${goString(v)} into a list of maps`);
    const d = v[DIRECTIVE];
    if (d === undefined) items.push(v);
    else if (d === 'delete') {
      if (!(mergeKey in v)) throw new StrategicPatchError(`map: ${goString(v)} does not contain declared merge key: ${mergeKey}`);
      base = base.filter((o) => keyOf(o, mergeKey) !== keyOf(v, mergeKey));
    } else if (d === 'replace') replace = true;
    else if (d === 'merge') throw new StrategicPatchError('merging lists cannot yet be specified in the patch');
    else throw new StrategicPatchError(`Unknown patch type: ${goString(d)} in map: ${goString(v)}`);
  }
  if (replace) return stripDirectives(items) as Json[];
  // mergeSliceWithoutSpecialElements: merge each patch item into its match, or append it.
  const merged = [...base];
  for (const v of items) {
    if (!(mergeKey in v)) throw new StrategicPatchError(`map: ${goString(v)} does not contain declared merge key: ${mergeKey}`);
    const i = merged.findIndex((o) => keyOf(o, mergeKey) === keyOf(v, mergeKey));
    if (i >= 0 && isObj(merged[i])) merged[i] = mergeMap(merged[i] as JsonMap, v, kind, path);
    else merged.push(stripDirectives(v));
  }
  return order(merged, items, original, (x) => keyOf(x, mergeKey));
}

/**
 * order is normalizeElementOrder + mergeSortedSlice: the items named in the patch keep the patch's
 * order, the server-only items the live order, and the two are interleaved by live position — so a
 * new item lands after the live items that precede the next patched one.
 */
function order(merged: Json[], patch: Json[], original: Json[], key: (x: Json) => string | undefined): Json[] {
  const patchKeys = patch.map(key);
  const serverKeys = original.map(key);
  const inPatch = (x: Json) => patchKeys.includes(key(x));
  const left = merged.filter(inPatch).sort((a, b) => patchKeys.indexOf(key(a)) - patchKeys.indexOf(key(b)));
  const right = merged.filter((x) => !inPatch(x)).sort((a, b) => serverKeys.indexOf(key(a)) - serverKeys.indexOf(key(b)));
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = serverKeys.indexOf(key(left[i]));
      const ri = serverKeys.indexOf(key(right[j]));
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}
