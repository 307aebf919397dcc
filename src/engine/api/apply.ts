/**
 * Client-side `kubectl apply` semantics: the last-applied-configuration annotation and a
 * three-way merge of (last applied, new manifest, live object) in the manner of a strategic merge
 * patch. Fields the manifest dropped since the last apply are removed; fields the server or a
 * controller set (status, uid, allocated IPs and node ports, defaults) stay; lists of containers,
 * ports, env and volumes merge element-wise by their patch merge key so server-filled fields in
 * them survive; other lists are replaced.
 */
import type { KubeObject } from './types.ts';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** canonicalJson is JSON with object keys sorted (Go's json.Marshal of a map), for annotations and comparisons. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  if (isObj(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * lastAppliedFor renders the annotation kubectl writes: the manifest as sent (without this
 * annotation), as compact JSON with sorted keys and a trailing newline. GetModifiedConfiguration sets
 * the annotations it took this one out of back on the object, an empty map when there were no
 * others, so the annotation always holds "annotations":{} at least.
 */
export function lastAppliedFor(manifest: KubeObject): string {
  const copy = structuredClone(manifest);
  if (isObj(copy.metadata)) {
    const annotations = isObj(copy.metadata.annotations) ? copy.metadata.annotations : {};
    delete annotations[LAST_APPLIED];
    copy.metadata.annotations = annotations;
  }
  return `${canonicalJson(copy)}\n`;
}

/** MERGE_KEYS are the strategic-merge patchMergeKeys of the list fields Kubeplay merges element-wise. */
const MERGE_KEYS: Record<string, string[]> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  imagePullSecrets: ['name'],
  ports: ['containerPort', 'port'],
  conditions: ['type'],
};

function mergeKeyOf(field: string, items: unknown[]): string | undefined {
  const keys = MERGE_KEYS[field];
  if (!keys) return undefined;
  return keys.find((k) => items.every((i) => isObj(i) && i[k] !== undefined));
}

function mergeList(field: string, last: unknown, local: unknown[], live: unknown): unknown[] {
  const key = Array.isArray(live) ? mergeKeyOf(field, [...local, ...live]) : undefined;
  if (!key || !Array.isArray(live)) return structuredClone(local);
  const lastArr = Array.isArray(last) ? last : [];
  const merged = local.map((item) => {
    const k = (item as any)[key];
    const liveItem = live.find((x: any) => x[key] === k);
    const lastItem = lastArr.find((x: any) => isObj(x) && x[key] === k);
    return liveItem ? threeWayMerge(lastItem, item, liveItem) : structuredClone(item);
  });
  // Items the server or a controller added (the service account's token volume and its mounts): the
  // patch neither sends nor deletes them (only what the last apply had and the manifest dropped goes),
  // and each stays after the applied item it followed, as strategic merge orders a merged list.
  const localKeys = new Set(local.map((i: any) => i[key]));
  const lastKeys = new Set(lastArr.filter(isObj).map((x: any) => x[key]));
  let out = merged;
  let after = -1;
  for (const x of live) {
    const k = (x as any)?.[key];
    if (localKeys.has(k)) after = out.findIndex((m: any) => m[key] === k);
    else if (isObj(x) && !lastKeys.has(k)) {
      if (out === merged) out = [...merged];
      out.splice(++after, 0, structuredClone(x));
    }
  }
  return out;
}

/**
 * threeWayMerge returns the new live object: live, minus what `last` had and `local` dropped,
 * plus everything in `local`. Maps merge recursively; null in local deletes the field.
 */
export function threeWayMerge(last: unknown, local: unknown, live: unknown): any {
  if (!isObj(local) || !isObj(live)) return structuredClone(local);
  const out: Record<string, any> = { ...live };
  if (isObj(last)) for (const k of Object.keys(last)) if (!(k in local)) delete out[k];
  for (const [k, v] of Object.entries(local)) {
    if (v === null || v === undefined) delete out[k];
    else if (isObj(v) && isObj(live[k])) out[k] = threeWayMerge(isObj(last) ? last[k] : undefined, v, live[k]);
    else if (Array.isArray(v)) out[k] = mergeList(k, isObj(last) ? last[k] : undefined, v, live[k]);
    else out[k] = structuredClone(v);
  }
  return out;
}

/** parseLastApplied reads the annotation back (undefined when absent or malformed). */
export function parseLastApplied(obj: KubeObject): KubeObject | undefined {
  const raw = obj.metadata.annotations?.[LAST_APPLIED];
  if (typeof raw !== 'string') return undefined;
  try {
    const v = JSON.parse(raw);
    return isObj(v) ? (v as KubeObject) : undefined;
  } catch {
    return undefined;
  }
}
