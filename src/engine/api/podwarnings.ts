/**
 * The API server's warnings for pods and pod templates, as a 1.32 kube-apiserver returns them and
 * kubectl prints them (`Warning: <text>` before `pod/x created`): legal but wrong or deprecated
 * things. The rules are pkg/api/pod/warnings.go (GetWarningsForPod, GetWarningsForPodTemplate →
 * warningsForPodSpecAndMeta), with pkg/api/node's deprecated node labels and pkg/api/persistentvolumeclaim's
 * fractional storage sizes; when they run is each kind's registry strategy (WarningsOnCreate,
 * WarningsOnUpdate) and, for a Pod's AppArmor annotations, its PrepareForCreate.
 *
 * Only a client's request asks for them (CreateOptions.warn): the server computes nothing for a
 * controller's own writes. Upstream ranges over Go maps (nodeSelector) in random order; here the
 * manifest's key order is kept, so the output is the same on every run.
 */
import { canonicalQuantity } from './canonical.ts';
import { QUANTITY_RE } from './quantity.ts';
import type { KubeObject } from './types.ts';

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
/** q is Go's %q for the strings these messages quote. */
const q = (s: unknown) => JSON.stringify(typeof s === 'string' ? s : '');
/** child is field.Path's Child: "" is the nil path of a Pod (GetWarningsForPod passes none). */
const child = (path: string, name: string) => (path ? `${path}.${name}` : name);

/** DEPRECATED_NODE_LABELS is pkg/api/node's deprecatedNodeLabels (GetNodeLabelDeprecatedMessage). */
export const DEPRECATED_NODE_LABELS: Readonly<Record<string, string>> = {
  'beta.kubernetes.io/arch': 'deprecated since v1.14; use "kubernetes.io/arch" instead',
  'beta.kubernetes.io/os': 'deprecated since v1.14; use "kubernetes.io/os" instead',
  'failure-domain.beta.kubernetes.io/region': 'deprecated since v1.17; use "topology.kubernetes.io/region" instead',
  'failure-domain.beta.kubernetes.io/zone': 'deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
  'beta.kubernetes.io/instance-type': 'deprecated since v1.17; use "node.kubernetes.io/instance-type" instead',
  'app.kubernetes.io/created-by': 'deprecated since v1.9',
  'scheduler.alpha.kubernetes.io/preferAvoidPods': 'deprecated since v1.22; use Taints and Tolerations instead',
  'node-role.kubernetes.io/master': 'use "node-role.kubernetes.io/control-plane" instead',
};

const deprecatedNodeLabel = (key: unknown): string | undefined => (typeof key === 'string' && Object.hasOwn(DEPRECATED_NODE_LABELS, key) ? DEPRECATED_NODE_LABELS[key] : undefined);

/** The annotations warnings.go's deprecatedAnnotations names, in its order. */
const DEPRECATED_ANNOTATIONS: [string, string][] = [
  ['scheduler.alpha.kubernetes.io/critical-pod', 'non-functional in v1.16+; use the "priorityClassName" field instead'],
  ['security.alpha.kubernetes.io/sysctls', 'non-functional in v1.11+; use the "sysctls" field instead'],
  ['security.alpha.kubernetes.io/unsafe-sysctls', 'non-functional in v1.11+; use the "sysctls" field instead'],
];

/** Volume plugins that are deprecated or gone, in the order warnings.go checks them, with the path element it names. */
const DEPRECATED_VOLUMES: [field: string, pathName: string, message: string][] = [
  ['photonPersistentDisk', 'photonPersistentDisk', 'deprecated in v1.11, non-functional in v1.16+'],
  ['gitRepo', 'gitRepo', 'deprecated in v1.11'],
  ['scaleIO', 'scaleIO', 'deprecated in v1.16, non-functional in v1.22+'],
  ['flocker', 'flocker', 'deprecated in v1.22, non-functional in v1.25+'],
  // The JSON field is "storageos"; the warning names the Go field, storageOS.
  ['storageos', 'storageOS', 'deprecated in v1.22, non-functional in v1.25+'],
  ['quobyte', 'quobyte', 'deprecated in v1.22, non-functional in v1.25+'],
  ['glusterfs', 'glusterfs', 'deprecated in v1.25, non-functional in v1.26+'],
];
const REMOVED_CEPH: [string, string][] = [
  ['cephfs', 'deprecated in v1.28, non-functional in v1.31+'],
  ['rbd', 'deprecated in v1.28, non-functional in v1.31+'],
];

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
const APPARMOR_CONTAINER_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const SECCOMP_MESSAGE = 'non-functional in v1.27+; use the "seccompProfile" field instead';
const APPARMOR_MESSAGE = 'deprecated since v1.30; use the "appArmorProfile" field instead';

const BINARY_POWER: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_POWER: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/**
 * fractionalBytes is warnings.go's `value.MilliValue()%1000 != 0` for a memory or storage size: the
 * value in milli-units (rounded up, as MilliValue rounds) is not whole bytes. It answers the quantity's
 * String() for the message, or undefined for whole bytes, an absent value (the zero Quantity) or no
 * quantity at all (validation refused it before warnings run). Exact (BigInt): "1e20" has no float error.
 */
export function fractionalBytes(v: unknown): string | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const m = QUANTITY_RE.exec(typeof v === 'number' ? String(v) : v.trim());
  if (!m) return undefined;
  const [ip, fp = ''] = m[1].replace(/^[+-]/, '').split('.');
  let num = BigInt((ip || '0') + fp);
  // The value in milli-units is num × 10^exp.
  let exp = 3 - fp.length;
  if (m[2]) exp += parseInt(m[2].slice(1), 10);
  else if (m[3] !== undefined && BINARY_POWER[m[3]] !== undefined) num *= 1024n ** BigInt(BINARY_POWER[m[3]]);
  else exp += DECIMAL_POWER[m[3] ?? ''];
  // Zero, or a whole number of thousands of milli-units (exp ≥ 3), is whole bytes; a value below one
  // milli-unit rounds up to 1 (no 10^huge for "1e-999999").
  if (num === 0n || exp >= 3) return undefined;
  let milli: bigint;
  if (exp >= 0) milli = num * 10n ** BigInt(exp);
  else if (-exp > num.toString().length) milli = 1n;
  else {
    const den = 10n ** BigInt(-exp);
    milli = num / den + (num % den === 0n ? 0n : 1n);
  }
  if (milli % 1000n === 0n) return undefined;
  return canonicalQuantity(v) ?? String(v);
}

/** podSpecWarnings is warningsForPodSpecAndMeta: path is the template's field path ("" for a Pod itself). */
export function podSpecWarnings(path: string, spec: unknown, meta: unknown): string[] {
  const w: string[] = [];
  if (!isObj(spec)) return w;
  const annotations: Record<string, unknown> = isObj(meta) && isObj(meta.annotations) ? meta.annotations : {};
  const has = (key: string) => Object.hasOwn(annotations, key);
  const specPath = child(path, 'spec');
  const annotationPath = (key: string) => `${child(path, 'metadata.annotations')}[${key}]`;

  // Deprecated node labels in the node selector, node affinity and topology spread constraints.
  if (isObj(spec.nodeSelector)) {
    for (const k of Object.keys(spec.nodeSelector)) {
      const msg = deprecatedNodeLabel(k);
      if (msg) w.push(`${specPath}.nodeSelector[${k}]: ${msg}`);
    }
  }
  const nodeAffinity = isObj(spec.affinity) && isObj(spec.affinity.nodeAffinity) ? spec.affinity.nodeAffinity : undefined;
  if (nodeAffinity) {
    const required = nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
    if (isObj(required)) {
      arr(required.nodeSelectorTerms).forEach((term, i) => w.push(...nodeSelectorTermWarnings(term, `${specPath}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}]`)));
    }
    arr(nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution).forEach((term, i) => {
      w.push(...nodeSelectorTermWarnings(isObj(term) ? term.preference : undefined, `${specPath}.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}].preference`));
    });
  }
  arr(spec.topologySpreadConstraints).forEach((t, i) => {
    if (!isObj(t)) return;
    const at = `${specPath}.topologySpreadConstraints[${i}]`;
    const msg = deprecatedNodeLabel(t.topologyKey);
    if (msg) w.push(`${at}.topologyKey: ${t.topologyKey} is ${msg}`);
    if (t.labelSelector === undefined || t.labelSelector === null) w.push(`${at}.labelSelector: a null labelSelector results in matching no pod`);
  });

  for (const [key, message] of DEPRECATED_ANNOTATIONS) if (has(key)) w.push(`${annotationPath(key)}: ${message}`);

  // Deprecated and removed volume plugins (a generic ephemeral volume's claim: fractional sizes).
  const volumes = arr(spec.volumes);
  volumes.forEach((v, i) => {
    if (!isObj(v)) return;
    const at = `${specPath}.volumes[${i}]`;
    for (const [field, pathName, message] of DEPRECATED_VOLUMES) if (present(v[field])) w.push(`${at}.${pathName}: ${message}`);
    const claim = isObj(v.ephemeral) && isObj(v.ephemeral.volumeClaimTemplate) ? v.ephemeral.volumeClaimTemplate : undefined;
    if (claim) w.push(...claimSpecWarnings(`${at}.ephemeral.volumeClaimTemplate.spec`, claim.spec));
    for (const [field, message] of REMOVED_CEPH) if (present(v[field])) w.push(`${at}.${field}: ${message}`);
  });
  w.push(...overlappingPathWarnings(volumes));

  // Duplicate hostAliases IPs and imagePullSecrets, and pull secrets without a name.
  const aliases = arr(spec.hostAliases);
  if (aliases.length > 1) {
    const seen = new Set<unknown>();
    aliases.forEach((a, i) => {
      const ip = isObj(a) ? (a.ip ?? '') : '';
      if (seen.has(ip)) w.push(`${specPath}.hostAliases[${i}].ip: duplicate ip ${q(ip)}`);
      else seen.add(ip);
    });
  }
  const pullSecrets = arr(spec.imagePullSecrets);
  if (pullSecrets.length > 1) {
    const seen = new Set<unknown>();
    pullSecrets.forEach((s, i) => {
      const name = isObj(s) ? (s.name ?? '') : '';
      if (seen.has(name)) w.push(`${specPath}.imagePullSecrets[${i}].name: duplicate name ${q(name)}`);
      else seen.add(name);
    });
  }
  pullSecrets.forEach((s, i) => {
    const name = isObj(s) ? (s.name ?? '') : '';
    if (name === '') w.push(`${specPath}.imagePullSecrets[${i}].name: invalid empty name ""`);
  });

  // Fractional memory and ephemeral-storage (#79950): the overhead, then each container's (below).
  if (isObj(spec.overhead)) {
    for (const res of ['memory', 'ephemeral-storage']) {
      const value = fractionalBytes(spec.overhead[res]);
      if (value !== undefined) w.push(`${specPath}.overhead[${res}]: fractional byte value ${q(value)} is invalid, must be an integer`);
    }
  }

  const podSecurity = isObj(spec.securityContext) ? spec.securityContext : undefined;
  if (!isObj(podSecurity?.seccompProfile) && has(SECCOMP_POD_ANNOTATION)) w.push(`${annotationPath(SECCOMP_POD_ANNOTATION)}: ${SECCOMP_MESSAGE}`);
  const podAppArmor = isObj(podSecurity?.appArmorProfile);
  const containers = visitContainers(spec, specPath);
  for (const [c, at] of containers) {
    const security = isObj(c.securityContext) ? c.securityContext : undefined;
    const name = typeof c.name === 'string' ? c.name : '';
    if (!isObj(security?.seccompProfile) && has(SECCOMP_CONTAINER_PREFIX + name)) w.push(`${annotationPath(SECCOMP_CONTAINER_PREFIX + name)}: ${SECCOMP_MESSAGE}`);
    // A template's AppArmor annotation without a field; a Pod's is warned of by its PrepareForCreate
    // (appArmorSkewWarnings), which also copies it to the field ("isPodTemplate := fieldPath != nil").
    if (path !== '' && !podAppArmor && !isObj(security?.appArmorProfile) && has(APPARMOR_CONTAINER_PREFIX + name)) {
      w.push(`${annotationPath(APPARMOR_CONTAINER_PREFIX + name)}: ${APPARMOR_MESSAGE}`);
    }
    const resources = isObj(c.resources) ? c.resources : {};
    for (const [res, list] of [['memory', 'limits'], ['memory', 'requests'], ['ephemeral-storage', 'limits'], ['ephemeral-storage', 'requests']] as const) {
      const value = isObj(resources[list]) ? fractionalBytes(resources[list][res]) : undefined;
      if (value !== undefined) w.push(`${at}.resources.${list}[${res}]: fractional byte value ${q(value)} is invalid, must be an integer`);
    }
    // A later env entry of the same name replaces the earlier one, and apply's merge keeps only one (#86163):
    // fine only when it builds on the earlier value ("$(X)" inside, not all of it).
    const env = arr(c.env);
    if (env.length > 1) {
      const seen = new Set<string>();
      env.forEach((e, i) => {
        const envName = isObj(e) && typeof e.name === 'string' ? e.name : '';
        if (!seen.has(envName)) {
          seen.add(envName);
          return;
        }
        const value = isObj(e) && typeof e.value === 'string' ? e.value : '';
        const ref = `$(${envName})`;
        if ((isObj(e) && present(e.valueFrom)) || value === ref || !value.includes(ref)) {
          w.push(`${at}.env[${i}]: hides previous definition of ${q(envName)}, which may be dropped when using apply`);
        }
      });
    }
  }

  // Container ports, across all the containers: a hostIP without a hostPort, and the same
  // containerPort/protocol twice (duplicate, overlapping, or ambiguous as to the host side).
  const seenPorts = new Map<string, { at: string; hostIP: string; hostPort: number }[]>();
  for (const [c, at] of containers) {
    arr(c.ports).forEach((p, i) => {
      if (!isObj(p)) return;
      const field = `${at}.ports[${i}]`;
      const hostIP = typeof p.hostIP === 'string' ? p.hostIP : '';
      const hostPort = typeof p.hostPort === 'number' ? p.hostPort : 0;
      const containerPort = typeof p.containerPort === 'number' ? p.containerPort : 0;
      const protocol = typeof p.protocol === 'string' ? p.protocol : '';
      // %+v of the (internal) api.ContainerPort.
      if (hostIP !== '' && hostPort === 0) w.push(`${field}: hostIP set without hostPort: {Name:${typeof p.name === 'string' ? p.name : ''} HostPort:${hostPort} ContainerPort:${containerPort} Protocol:${protocol} HostIP:${hostIP}}`);
      const key = `${containerPort}/${protocol}`;
      const others = seenPorts.get(key);
      const mine = { at: field, hostIP, hostPort };
      if (!others) {
        seenPorts.set(key, [mine]);
        return;
      }
      for (const o of others) {
        if (hostIP === o.hostIP && hostPort === o.hostPort) w.push(`${field}: duplicate port definition with ${o.at}`);
        else if (hostPort === 0 || o.hostPort === 0) w.push(`${field}: overlapping port definition with ${o.at}`);
        else if (hostPort === o.hostPort && (hostIP === '') !== (o.hostIP === '')) w.push(`${field}: dangerously ambiguous port definition with ${o.at}`);
      }
      others.push(mine);
    });
  }

  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
    w.push(`${specPath}.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1`);
  }

  // Pod (anti-)affinity terms with no labelSelector match no pod.
  const affinity = isObj(spec.affinity) ? spec.affinity : undefined;
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const a = affinity?.[kind];
    if (!isObj(a)) continue;
    const at = `${specPath}.affinity.${kind}`;
    arr(a.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      if (!isObj(t) || t.labelSelector === undefined || t.labelSelector === null) w.push(`${at}.requiredDuringSchedulingIgnoredDuringExecution[${i}].labelSelector: a null labelSelector results in matching no pod`);
    });
    arr(a.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      const term = isObj(t) ? t.podAffinityTerm : undefined;
      if (!isObj(term) || term.labelSelector === undefined || term.labelSelector === null) {
        w.push(`${at}.preferredDuringSchedulingIgnoredDuringExecution[${i}].podAffinityTerm.labelSelector: a null labelSelector results in matching no pod`);
      }
    });
  }
  return w;
}

/** present: a Go pointer field that is set (a JSON null decodes to nil). */
const present = (v: unknown) => v !== undefined && v !== null;

/** nodeSelectorTermWarnings is GetWarningsForNodeSelectorTerm (1.32: deprecated keys of matchExpressions). */
function nodeSelectorTermWarnings(term: unknown, at: string): string[] {
  if (!isObj(term)) return [];
  const w: string[] = [];
  arr(term.matchExpressions).forEach((e, i) => {
    const key = isObj(e) ? e.key : undefined;
    const msg = deprecatedNodeLabel(key);
    if (msg) w.push(`${at}.matchExpressions[${i}].key: ${key} is ${msg}`);
  });
  return w;
}

/** claimSpecWarnings is GetWarningsForPersistentVolumeClaimSpec: a fractional storage request or limit. */
export function claimSpecWarnings(at: string, spec: unknown): string[] {
  const resources = isObj(spec) && isObj(spec.resources) ? spec.resources : {};
  const w: string[] = [];
  for (const list of ['requests', 'limits']) {
    const value = isObj(resources[list]) ? fractionalBytes(resources[list].storage) : undefined;
    if (value !== undefined) w.push(`${at}.resources.${list}[storage]: fractional byte value ${q(value)} is invalid, must be an integer`);
  }
  return w;
}

/** visitContainers is pods.VisitContainersWithPath: init containers, containers, then ephemeral containers. */
function visitContainers(spec: Record<string, any>, specPath: string): [Record<string, any>, string][] {
  const out: [Record<string, any>, string][] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    arr(spec[list]).forEach((c, i) => {
      if (isObj(c)) out.push([c, `${specPath}.${list}[${i}]`]);
    });
  }
  return out;
}

/** A path in a volume, and where it came from (warnings.go's pathAndSource), printed `"p" (source)`. */
interface PathAndSource {
  path: string;
  source: string;
}
const showPath = (ps: PathAndSource) => (ps.source ? `${q(ps.path)} (${ps.source})` : q(ps.path));
const itemPaths = (items: unknown, source: string): PathAndSource[] => arr(items).map((it) => ({ path: isObj(it) && typeof it.path === 'string' ? it.path : '', source }));

/** overlapsWith is checkForOverlap: the earlier paths this one equals, lies under, or holds. */
function overlapsWith(earlier: PathAndSource[], ps: PathAndSource): PathAndSource[] {
  if (ps.path === '') return [];
  return earlier.filter((o) => o.path !== '' && ((o.path === ps.path && o.source === ps.source) || `${o.path}/`.startsWith(`${ps.path}/`) || `${ps.path}/`.startsWith(`${o.path}/`)));
}

/** mappingOverlaps is checkVolumeMappingForOverlap over one volume's items (trailing slashes trimmed). */
function mappingOverlaps(paths: PathAndSource[]): string[] {
  const w: string[] = [];
  const earlier: PathAndSource[] = [];
  for (const p of paths) {
    const ps = { ...p, path: p.path.replace(/\/+$/, '') };
    for (const o of overlapsWith(earlier, ps)) w.push(`${showPath(ps)} with ${showPath(o)}`);
    earlier.push(ps);
  }
  return w;
}

/**
 * overlappingPathWarnings is warningsForOverlappingVirtualPaths (#121968, new in 1.32): items of one
 * ConfigMap, Secret or downward API volume, or of a projected volume's sources, that write the same
 * file or a file where another needs a directory; and projected sources with nothing set.
 */
function overlappingPathWarnings(volumes: any[]): string[] {
  const w: string[] = [];
  const warn = (name: unknown, desc: string, body: string) => w.push(`volume ${q(name)} (${desc}): overlapping paths: ${body}`);
  for (const v of volumes) {
    if (!isObj(v)) continue;
    if (isObj(v.configMap) && present(v.configMap.items)) for (const o of mappingOverlaps(itemPaths(v.configMap.items, ''))) warn(v.name, `ConfigMap ${q(v.configMap.name ?? '')}`, o);
    if (isObj(v.secret) && present(v.secret.items)) for (const o of mappingOverlaps(itemPaths(v.secret.items, ''))) warn(v.name, `Secret ${q(v.secret.secretName ?? '')}`, o);
    if (isObj(v.downwardAPI) && present(v.downwardAPI.items)) for (const o of mappingOverlaps(itemPaths(v.downwardAPI.items, ''))) warn(v.name, 'DownwardAPI', o);
    if (!isObj(v.projected)) continue;
    const all: PathAndSource[] = [];
    // Upstream declares sourcePaths outside the loop over sources, so a source none of the cases
    // below matches (a configMap or secret without items) checks the previous source's paths again.
    let sourcePaths: PathAndSource[] = [];
    for (const s of arr(v.projected.sources)) {
      if (!isObj(s) || !PROJECTIONS.some((k) => present(s[k]))) {
        w.push(`volume ${q(v.name)} (Projected) has no sources provided`);
        continue;
      }
      if (isObj(s.configMap) && present(s.configMap.items)) sourcePaths = itemPaths(s.configMap.items, `ConfigMap ${q(s.configMap.name ?? '')}`);
      else if (isObj(s.secret) && present(s.secret.items)) sourcePaths = itemPaths(s.secret.items, `Secret ${q(s.secret.name ?? '')}`);
      else if (isObj(s.downwardAPI) && present(s.downwardAPI.items)) sourcePaths = itemPaths(s.downwardAPI.items, 'DownwardAPI');
      else if (present(s.serviceAccountToken)) sourcePaths = [{ path: isObj(s.serviceAccountToken) && typeof s.serviceAccountToken.path === 'string' ? s.serviceAccountToken.path : '', source: 'ServiceAccountToken' }];
      else if (isObj(s.clusterTrustBundle)) {
        const b = s.clusterTrustBundle;
        sourcePaths = [{ path: typeof b.path === 'string' ? b.path : '', source: `ClusterTrustBundle ${q(b.name ?? b.signerName ?? '')}` }];
      }
      for (const p of sourcePaths) {
        const ps = { ...p, path: p.path.replace(/\/+$/, '') };
        for (const o of overlapsWith(all, ps)) warn(v.name, 'Projected', `${showPath(ps)} with ${showPath(o)}`);
        all.push(ps);
      }
    }
  }
  return w;
}

/** The sources a VolumeProjection can have (1.32); one with none of them is the empty projection. */
const PROJECTIONS = ['secret', 'downwardAPI', 'configMap', 'serviceAccountToken', 'clusterTrustBundle'];

/** The kinds whose registry strategies warn of their pod template, and where each keeps it (its field path). */
function templateOf(obj: KubeObject): { path: string; template: unknown } | undefined {
  switch (obj.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicationController':
    case 'Job':
      return { path: 'spec.template', template: obj.spec?.template };
    case 'CronJob':
      return { path: 'spec.jobTemplate.spec.template', template: obj.spec?.jobTemplate?.spec?.template };
    case 'PodTemplate':
      return { path: 'template', template: (obj as { template?: unknown }).template };
  }
  return undefined;
}

/** templateWarnings is GetWarningsForPodTemplate for the object's template (none without one). */
function templateWarnings(obj: KubeObject): string[] {
  const t = templateOf(obj);
  if (!t || !isObj(t.template)) return [];
  return podSpecWarnings(t.path, t.template.spec, t.template.metadata);
}

/**
 * warningsOnCreate is the strategies' WarningsOnCreate, for the parts in pkg/api/pod: a Pod's
 * (GetWarningsForPod) or a workload's template's, after defaulting, admission and validation.
 */
export function warningsOnCreate(obj: KubeObject): string[] {
  if (!isObj(obj)) return [];
  return unique(obj.kind === 'Pod' ? podSpecWarnings('', obj.spec, obj.metadata) : templateWarnings(obj));
}

/**
 * warningsOnUpdate is WarningsOnUpdate: a Pod's update gets none ("humans don't typically interact
 * directly with pods"); a workload's template is checked when the update changes its generation (its
 * spec; a PodTemplate's template). The ReplicationController strategy passes the old controller's
 * template where the new one belongs (registry/core/replicationcontroller), so it warns of what was.
 */
export function warningsOnUpdate(obj: KubeObject, old: KubeObject, generationChanged: boolean): string[] {
  if (!isObj(obj) || obj.kind === 'Pod' || !generationChanged) return [];
  return unique(templateWarnings(obj.kind === 'ReplicationController' ? old : obj));
}

/**
 * appArmorSkewWarnings is the warning half of the pod strategy's applyAppArmorVersionSkew (PrepareForCreate,
 * so before validation and the other warnings): a container's deprecated AppArmor annotation without its
 * own appArmorProfile field warns when the annotation names no valid profile, or one the pod's profile
 * does not already give (the one upstream then copies into the field, which Kubeplay leaves as written).
 */
export function appArmorSkewWarnings(pod: KubeObject): string[] {
  const spec = pod.spec;
  const annotations = pod.metadata?.annotations;
  if (!isObj(spec) || !isObj(annotations)) return [];
  if (isObj(spec.os) && spec.os.name === 'windows') return [];
  const podProfile = isObj(spec.securityContext) && isObj(spec.securityContext.appArmorProfile) ? spec.securityContext.appArmorProfile : undefined;
  const w: string[] = [];
  for (const [c] of visitContainers(spec, 'spec')) {
    const key = APPARMOR_CONTAINER_PREFIX + (typeof c.name === 'string' ? c.name : '');
    if (!Object.hasOwn(annotations, key) || (isObj(c.securityContext) && isObj(c.securityContext.appArmorProfile))) continue;
    const field = appArmorFieldFor(annotations[key]);
    const samePod = field !== undefined && podProfile !== undefined && podProfile.type === field.type && podProfile.localhostProfile === field.localhostProfile;
    if (!samePod) w.push(`metadata.annotations[${key}]: ${APPARMOR_MESSAGE}`);
  }
  return unique(w);
}

/** appArmorFieldFor is apparmorFieldForAnnotation, then ValidateAppArmorProfileField: undefined when no valid profile. */
function appArmorFieldFor(annotation: unknown): { type: string; localhostProfile?: string } | undefined {
  if (annotation === 'unconfined') return { type: 'Unconfined' };
  if (annotation === 'runtime/default') return { type: 'RuntimeDefault' };
  if (typeof annotation !== 'string' || !annotation.startsWith('localhost/')) return undefined;
  const profile = annotation.slice('localhost/'.length);
  // Not empty, not padded with whitespace, at most PATH_MAX - 1 bytes.
  if (profile === '' || profile.trim() !== profile || new TextEncoder().encode(profile).length > 4095) return undefined;
  return { type: 'Localhost', localhostProfile: profile };
}

/** unique: the API server's warning recorder drops a warning it already has for the request. */
function unique(w: string[]): string[] {
  return w.length < 2 ? w : [...new Set(w)];
}
