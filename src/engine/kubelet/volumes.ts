/**
 * volumes.ts: the kubelet's volume manager for the volumes whose content comes from the API
 * (pkg/volume/configmap, secret, projected, downwardapi; pkg/kubelet/volumemanager).
 *
 * Before a pod's sandbox is created the kubelet mounts its volumes (WaitForAttachAndMount). A
 * configMap/secret volume whose object is missing (and not `optional`) fails SetUp: the pod stays
 * ContainerCreating with `Warning FailedMount: MountVolume.SetUp failed for volume "v" : configmap
 * "c" not found` (the watch-based manager's NotFound names the singular resource), retried with
 * the operation executor's exponential back-off (500 ms doubling, capped at 2m2s:
 * nestedpendingoperations' initialDurationBeforeRetry / maxDurationBeforeRetry); repeats of the
 * same message aggregate into one Event with a count, as `kubectl describe` shows "(x6 over 18s)".
 *
 * Mounted content is refreshed by the pod's periodic sync: the docs say the delay is "the kubelet
 * sync period + cache propagation delay", with syncFrequency 1m and the default Watch change
 * detection strategy (propagation ≈ 0), so files follow an edit within 60 s. subPath mounts are
 * bind mounts of one file taken at container start and never update; env vars are resolved at
 * container start and never change (both as upstream).
 */
import type { Container, KubeObject, Node, Pod } from '../api/types.ts';
import { containerResourceValue, withNodeLimits } from '../api/resourcefield.ts';
import type { Store } from '../api/store.ts';
import { isServiceAccountVolume } from '../admission/serviceaccount.ts';

/** SYNC_FREQUENCY_MS is the kubelet's --sync-frequency default (1m): the periodic pod sync that refreshes volumes. */
export const SYNC_FREQUENCY_MS = 60_000;
/** MOUNT_RETRY_INITIAL_MS / MOUNT_RETRY_MAX_MS: exponentialbackoff's 500 ms initial and 2m2s cap. */
export const MOUNT_RETRY_INITIAL_MS = 500;
export const MOUNT_RETRY_MAX_MS = 122_000;
/** DEFAULT_MODE is the configMap/secret/projected defaultMode (0644). */
export const DEFAULT_MODE = 0o644;

/** MountedFile is one file of a volume: its content and mode. */
export interface MountedFile {
  data: string;
  mode: number;
}

/** VolumeFiles maps a path relative to the volume's root to its file. */
export type VolumeFiles = Record<string, MountedFile>;

/**
 * isApiVolume: the volume's content comes from API objects (so it is mounted, checked and refreshed).
 * Not the service account's token volume, whose files the kubelet gives when read (systemfiles.ts).
 */
export function isApiVolume(v: any): boolean {
  return !!(v?.configMap || v?.secret || v?.projected || v?.downwardAPI || v?.emptyDir) && !isServiceAccountVolume(v);
}

/** needsRefresh: the pod has volumes whose content can change (configMap, secret, projected, downwardAPI). */
export function needsRefresh(pod: Pod): boolean {
  return (pod.spec.volumes ?? []).some((v: any) => (v?.configMap || v?.secret || v?.projected || v?.downwardAPI) && !isServiceAccountVolume(v));
}

/** decodeBase64 decodes a Secret's data value into its UTF-8 text (the bytes the file holds). */
export function decodeBase64(v: string): string {
  try {
    const bin = atob(v);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new TextDecoder('utf-8').decode(bytes);
  } catch {
    return v;
  }
}

class MountError extends Error {}

interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

/**
 * makePayload is configmap.MakePayload / secret.MakePayload: every key as a file, or only the
 * listed items (a missing key fails the mount unless the source is optional).
 */
function makePayload(out: VolumeFiles, prefix: string, data: Record<string, string>, items: KeyToPath[] | undefined, defaultMode: number, optional: boolean, what: string): void {
  if (!items?.length) {
    for (const k of Object.keys(data).sort()) out[prefix + k] = { data: data[k], mode: defaultMode };
    return;
  }
  for (const it of items) {
    const v = data[it.key];
    if (v === undefined) {
      if (optional) continue;
      throw new MountError(`${what} references non-existent ${what === 'configmap' ? 'config' : 'secret'} key: ${it.key}`);
    }
    out[prefix + it.path] = { data: v, mode: it.mode ?? defaultMode };
  }
}

function configMapData(cm: KubeObject): Record<string, string> {
  const data: Record<string, string> = { ...(cm.data ?? {}) };
  for (const [k, v] of Object.entries((cm.binaryData ?? {}) as Record<string, string>)) data[k] = decodeBase64(v);
  return data;
}

function secretData(s: KubeObject): Record<string, string> {
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries((s.data ?? {}) as Record<string, string>)) data[k] = decodeBase64(v);
  return data;
}

function configMapSource(store: Store, ns: string, src: any, out: VolumeFiles, prefix: string, defaultMode: number): void {
  const cm = store.get('ConfigMap', ns, src.name);
  const optional = src.optional === true;
  if (!cm) {
    if (optional) return;
    throw new MountError(`configmap "${src.name}" not found`);
  }
  makePayload(out, prefix, configMapData(cm), src.items, src.defaultMode ?? defaultMode, optional, 'configmap');
}

function secretSource(store: Store, ns: string, name: string, src: any, out: VolumeFiles, prefix: string, defaultMode: number): void {
  const s = store.get('Secret', ns, name);
  const optional = src.optional === true;
  if (!s) {
    if (optional) return;
    throw new MountError(`secret "${name}" not found`);
  }
  makePayload(out, prefix, secretData(s), src.items, src.defaultMode ?? defaultMode, optional, 'secret');
}

/** fieldValue is the downward API's fieldRef (labels/annotations as `key="value"` lines, sorted). */
function fieldValue(pod: Pod, path: string): string {
  const kv = (m: Record<string, string> | undefined) =>
    Object.keys(m ?? {})
      .sort()
      .map((k) => `${k}=${JSON.stringify(m![k])}`)
      .join('\n');
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace ?? 'default';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'metadata.labels':
      return kv(pod.metadata.labels);
    case 'metadata.annotations':
      return kv(pod.metadata.annotations);
  }
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (pod.metadata[m[1]] as Record<string, string> | undefined)?.[m[2]] ?? '';
  return '';
}

function downwardSource(store: Store, pod: Pod, src: any, out: VolumeFiles, prefix: string, defaultMode: number): void {
  for (const it of src.items ?? []) {
    if (!it?.path) continue;
    const v = it.fieldRef?.fieldPath ? fieldValue(pod, it.fieldRef.fieldPath) : it.resourceFieldRef?.resource ? resourceFieldValue(store, pod, it.resourceFieldRef) : '';
    out[prefix + it.path] = { data: v, mode: it.mode ?? src.defaultMode ?? defaultMode };
  }
}

/**
 * resourceFieldValue is a volume item's resourceFieldRef: the named container's limit or request in units of
 * the divisor (rounded up), an unset limit being the node's allocatable, as for an environment variable.
 */
function resourceFieldValue(store: Store, pod: Pod, ref: { containerName?: string; resource: string; divisor?: string | number }): string {
  const c = [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])].find((x) => x.name === ref.containerName);
  if (!c) return '';
  const node = pod.spec.nodeName ? store.get<Node>('Node', undefined, pod.spec.nodeName) : undefined;
  return containerResourceValue(withNodeLimits(c.resources, node?.status?.allocatable), ref.resource, ref.divisor) ?? '';
}

/**
 * volumeFiles computes one volume's files as its plugin's SetUp writes them. Returns the files, or
 * the SetUp error message (`configmap "c" not found`) the FailedMount event carries.
 */
export function volumeFiles(store: Store, pod: Pod, v: any): { files: VolumeFiles } | { error: string } {
  const ns = pod.metadata.namespace ?? 'default';
  const out: VolumeFiles = {};
  try {
    if (v.configMap) configMapSource(store, ns, v.configMap, out, '', DEFAULT_MODE);
    else if (v.secret) secretSource(store, ns, v.secret.secretName, v.secret, out, '', DEFAULT_MODE);
    else if (v.downwardAPI) downwardSource(store, pod, v.downwardAPI, out, '', DEFAULT_MODE);
    else if (v.projected) {
      // projected.collectData gathers every source's error into one aggregate.
      const errs: string[] = [];
      const mode = v.projected.defaultMode ?? DEFAULT_MODE;
      for (const s of v.projected.sources ?? []) {
        try {
          if (s?.configMap) configMapSource(store, ns, s.configMap, out, '', mode);
          else if (s?.secret) secretSource(store, ns, s.secret.name, s.secret, out, '', mode);
          else if (s?.downwardAPI) downwardSource(store, pod, s.downwardAPI, out, '', mode);
        } catch (e) {
          if (!(e instanceof MountError)) throw e;
          errs.push(e.message);
        }
      }
      if (errs.length) throw new MountError(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
    }
  } catch (e) {
    if (e instanceof MountError) return { error: e.message };
    throw e;
  }
  return { files: out };
}

/** MountState is a pod's mounted API volumes (in the kubelet's PodRun). */
export interface MountState {
  /** files by volume name, as last written by SetUp or a periodic sync. */
  files: Record<string, VolumeFiles>;
  /** mounted: every volume is set up (containers may start). */
  mounted: boolean;
  /** firstTryAt / retryMs / retryAt: the back-off while a mount fails. */
  firstTryAt?: number;
  retryMs?: number;
  retryAt?: number;
  /** refreshAt: the next periodic sync that refreshes the files. */
  refreshAt?: number;
  /**
   * past: the files as they were before each refresh that changed them, oldest first, each with the
   * time it was replaced (at most PAST_FILES): a process reads a file as it was when it read it, so a
   * log line printed before a ConfigMap changed keeps the old value.
   */
  past?: { until: number; files: Record<string, VolumeFiles> }[];
}

/**
 * PAST_FILES bounds the earlier versions of a pod's volumes kept: a log line read back from before the
 * oldest kept version sees that version (after 32 edits of a ConfigMap under one running loop).
 */
const PAST_FILES = 32;

/**
 * mountAll tries SetUp for every API volume of the pod. Returns the failures ([volume, message]),
 * writing the files of those that succeeded.
 */
export function mountAll(store: Store, pod: Pod, st: MountState): [string, string][] {
  const failed: [string, string][] = [];
  for (const v of pod.spec.volumes ?? []) {
    if (!v?.name || !isApiVolume(v)) continue;
    if (v.emptyDir) {
      st.files[v.name] ??= {};
      continue;
    }
    const r = volumeFiles(store, pod, v);
    if ('error' in r) failed.push([v.name, r.error]);
    else st.files[v.name] = r.files;
  }
  return failed;
}

/**
 * refreshAll rewrites, at `now`, the files of volumes whose source still resolves (a failed refresh keeps
 * the old files, as AtomicWriter does); when any changed, the files before it are kept in `past`, for a pod
 * whose processes the shell runs (keepPast: an image's own program reads nothing the simulation replays).
 */
export function refreshAll(store: Store, pod: Pod, st: MountState, now: number, keepPast = true): void {
  const before = st.files;
  let next: Record<string, VolumeFiles> | undefined;
  for (const v of pod.spec.volumes ?? []) {
    if (!v?.name || v.emptyDir || !isApiVolume(v)) continue;
    const r = volumeFiles(store, pod, v);
    if (!('files' in r) || sameFiles(before[v.name], r.files)) continue;
    next ??= { ...before };
    next[v.name] = r.files;
  }
  if (!next) return;
  if (keepPast) st.past = [...(st.past ?? []), { until: now, files: before }].slice(-PAST_FILES);
  st.files = next;
}

function sameFiles(a: VolumeFiles | undefined, b: VolumeFiles): boolean {
  if (!a) return false;
  const keys = Object.keys(b);
  if (keys.length !== Object.keys(a).length) return false;
  return keys.every((k) => a[k] !== undefined && a[k].data === b[k].data && a[k].mode === b[k].mode);
}

/** filesAt: the pod's volume files as they were at time t (the current ones when t is undefined or after every change). */
function filesAt(st: MountState | undefined, t: number | undefined): Record<string, VolumeFiles> | undefined {
  if (t === undefined || !st?.past) return st?.files;
  for (const e of st.past) if (t < e.until) return e.files;
  return st.files;
}

/** VolumeMount is a container's volumeMounts entry. */
interface VolumeMount {
  name: string;
  mountPath: string;
  subPath?: string;
  readOnly?: boolean;
}

function mountsOf(spec: Container | undefined): VolumeMount[] {
  return (Array.isArray(spec?.volumeMounts) ? spec!.volumeMounts : []).filter((m: any) => m && typeof m.mountPath === 'string' && typeof m.name === 'string');
}

/** trimSlash drops a trailing "/" (but keeps "/"). */
function trimSlash(p: string): string {
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

/**
 * frozenSubPaths is what a container's subPath mounts hold: the file (or directory) at the
 * subPath when the container started. Kept in the container's runtime record, never refreshed.
 */
export function frozenSubPaths(spec: Container | undefined, st: MountState | undefined): Record<string, VolumeFiles> {
  const out: Record<string, VolumeFiles> = {};
  for (const m of mountsOf(spec)) {
    if (!m.subPath) continue;
    const files = st?.files[m.name];
    if (!files) continue;
    const sub = trimSlash(m.subPath);
    const picked: VolumeFiles = {};
    if (files[sub]) picked[''] = { ...files[sub] };
    else for (const [p, f] of Object.entries(files)) if (p.startsWith(sub + '/')) picked[p.slice(sub.length + 1)] = { ...f };
    out[trimSlash(m.mountPath)] = picked;
  }
  return out;
}

/** FileLookup is what a path inside a container resolves to. */
export type FileLookup = { kind: 'file'; data: string; mode: number } | { kind: 'dir'; entries: string[] } | { kind: 'missing' };

/**
 * lookupPath resolves an absolute path in a container against its volume mounts (the longest
 * mountPath prefix wins, as mounts shadow each other): a file, a directory listing, or nothing; with
 * `at`, as the volumes were at that time (a subPath mount never changes).
 */
export function lookupPath(spec: Container | undefined, st: MountState | undefined, frozen: Record<string, VolumeFiles> | undefined, path: string, at?: number): FileLookup {
  const p = trimSlash(path.replace(/\/+/g, '/'));
  const volumes = filesAt(st, at);
  let best: { root: string; files: VolumeFiles } | undefined;
  for (const m of mountsOf(spec)) {
    const root = trimSlash(m.mountPath);
    if (!(p === root || p.startsWith(root === '/' ? '/' : root + '/'))) continue;
    const files = m.subPath ? frozen?.[root] : volumes?.[m.name];
    if (!files) continue;
    if (!best || root.length > best.root.length) best = { root, files };
  }
  if (!best) return { kind: 'missing' };
  const rel = p === best.root ? '' : p.slice(best.root === '/' ? 1 : best.root.length + 1);
  const f = Object.hasOwn(best.files, rel) ? best.files[rel] : undefined;
  if (f) return { kind: 'file', data: f.data, mode: f.mode };
  const prefix = rel ? rel + '/' : '';
  const entries = new Set<string>();
  for (const k of Object.keys(best.files)) if (k && k.startsWith(prefix)) entries.add(k.slice(prefix.length).split('/')[0]);
  if (entries.size || rel === '') return { kind: 'dir', entries: [...entries].sort() };
  return { kind: 'missing' };
}

/** volumeAt is the mount a path is under in a container (the deepest, as mounts shadow each other) and the pod's volume it mounts. */
function volumeAt(pod: Pod, spec: Container | undefined, path: string): { mount: VolumeMount; volume: Record<string, any> | undefined } | undefined {
  const p = trimSlash(path.replace(/\/+/g, '/'));
  let best: VolumeMount | undefined;
  for (const m of mountsOf(spec)) {
    const root = trimSlash(m.mountPath);
    if (!(p === root || p.startsWith(root === '/' ? '/' : root + '/'))) continue;
    if (!best || root.length > trimSlash(best.mountPath).length) best = m;
  }
  if (!best) return undefined;
  return { mount: best, volume: (pod.spec.volumes ?? []).find((x: { name?: string }) => x?.name === best!.name) as Record<string, any> | undefined };
}

/** apiDataVolume: a ConfigMap, Secret, downward API or projected volume: the kubelet writes exactly its files, read-only. */
function apiDataVolume(v: Record<string, any> | undefined): boolean {
  return !!v && !!(v.configMap || v.secret || v.downwardAPI || v.projected);
}

/**
 * readOnlyAt: path is on a read-only mount of the container — mounted readOnly, a claim the pod
 * mounts readOnly, or a ConfigMap, Secret, downward API or projected volume (the kubelet always
 * mounts those read-only).
 */
export function readOnlyAt(pod: Pod, spec: Container | undefined, path: string): boolean {
  const at = volumeAt(pod, spec, path);
  if (!at) return false;
  return at.mount.readOnly === true || apiDataVolume(at.volume) || at.volume?.persistentVolumeClaim?.readOnly === true;
}

/** apiDataAt: path is on a ConfigMap's, Secret's, downward API or projected volume, whose files are all known. */
export function apiDataAt(pod: Pod, spec: Container | undefined, path: string): boolean {
  return apiDataVolume(volumeAt(pod, spec, path)?.volume);
}

/**
 * opaqueVolume names the kind of volume whose contents the simulation does not know at path — an
 * emptyDir (other containers of the pod write it), a hostPath (the node's files), a claim — or
 * undefined when path is not under such a mount. A process reading there is not simulated.
 */
export function opaqueVolume(pod: Pod, spec: Container | undefined, path: string): string | undefined {
  const at = volumeAt(pod, spec, path);
  if (!at?.volume || apiDataVolume(at.volume)) return undefined;
  return Object.keys(at.volume).find((k) => k !== 'name') ?? 'unknown';
}
