/**
 * serviceaccount.ts: the ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount) for a
 * new Pod, after defaulting has named its account ("default" when the pod names none, admitPod):
 *
 * - the account must exist, else the pod is Forbidden: `error looking up service account
 *   default/robot: serviceaccount "robot" not found` (a controller reports it as FailedCreate);
 * - unless the pod or else the account sets automountServiceAccountToken false, every container and
 *   init container without a mount at /var/run/secrets/kubernetes.io/serviceaccount gets one, read-only,
 *   of a projected volume `kube-api-access-<5 random characters>` (TokenVolumeSource: a bound token,
 *   the cluster CA from the kube-root-ca.crt ConfigMap, the namespace from the downward API);
 * - a pod without imagePullSecrets gets the account's.
 *
 * A static pod's mirror pod is left alone. The volume's random suffix comes from a stream of its own,
 * seeded from the scenario's seed, so that giving every pod its volume shifts no other draw (pod names,
 * uids, start-up jitter stay what they were).
 */
import type { Sim } from '../sim.ts';
import { Rng } from '../rng.ts';
import type { Container, KubeObject, Pod } from '../api/types.ts';
import { forbidden } from './limitranger.ts';
import { appended } from '../arrays.ts';

/** SERVICE_ACCOUNT_VOLUME is ServiceAccountVolumeName, the generated volume name's prefix. */
export const SERVICE_ACCOUNT_VOLUME = 'kube-api-access';
/** DEFAULT_API_TOKEN_MOUNT_PATH is where each container sees the token, the CA and the namespace. */
export const DEFAULT_API_TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** TOKEN_EXPIRATION_SECONDS is WarnOnlyBoundTokenExpirationSeconds, the token source's expirationSeconds. */
export const TOKEN_EXPIRATION_SECONDS = 3607;
/** ROOT_CA_CONFIGMAP is the ConfigMap the root-ca-cert-publisher keeps in every namespace; ROOT_CA_CRT its ca.crt. */
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
export const ROOT_CA_CRT = '-----BEGIN CERTIFICATE-----\n(simulated cluster CA: Kubeplay has no real certificates)\n-----END CERTIFICATE-----\n';

/**
 * TOKEN_VOLUME_SOURCE is TokenVolumeSource(): the projected volume every pod's token is mounted from
 * (defaultMode 0644). Pods share this one object, read-only like the rest of a stored pod's spec (which
 * is immutable; a changed pod is a copy): 10,000 pods would otherwise hold 10,000 copies of it.
 */
export const TOKEN_VOLUME_SOURCE: Readonly<Record<string, unknown>> = tokenVolumeSource();

function tokenVolumeSource(): Record<string, unknown> {
  return {
    defaultMode: 0o644,
    sources: [
      { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: 'token' } },
      { configMap: { name: ROOT_CA_CONFIGMAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  };
}

/** isServiceAccountVolume: the volume is the one this plugin adds (by its name's prefix, as the plugin finds it again). */
export function isServiceAccountVolume(v: { name?: unknown; projected?: unknown } | undefined): boolean {
  return !!v?.projected && typeof v.name === 'string' && v.name.startsWith(SERVICE_ACCOUNT_VOLUME + '-');
}

/** admitServiceAccount runs the plugin on a new pod; throws the Forbidden the API server returns. */
export function admitServiceAccount(sim: Sim, pod: Pod): void {
  const spec = pod.spec;
  if (typeof spec !== 'object' || spec === null || pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) return;
  const ns = pod.metadata.namespace ?? 'default';
  const name = typeof spec.serviceAccountName === 'string' && spec.serviceAccountName ? spec.serviceAccountName : 'default';
  const sa = sim.store.get<KubeObject>('ServiceAccount', ns, name);
  if (!sa) throw forbidden('pods', pod, `error looking up service account ${ns}/${name}: serviceaccount "${name}" not found`);
  // shouldAutomount: the pod's preference wins, then the account's, else true.
  const automount = typeof spec.automountServiceAccountToken === 'boolean' ? spec.automountServiceAccountToken : sa.automountServiceAccountToken !== false;
  if (automount) mountServiceAccountToken(sim, spec);
  const pullSecrets = (sa as { imagePullSecrets?: unknown }).imagePullSecrets;
  if (!(Array.isArray(spec.imagePullSecrets) && spec.imagePullSecrets.length) && Array.isArray(pullSecrets) && pullSecrets.length) {
    spec.imagePullSecrets = structuredClone(pullSecrets);
  }
}

/**
 * mountServiceAccountToken mounts the token volume in every container that has nothing at the token
 * path, reusing a kube-api-access-… volume the pod already has (a pod copied from another's spec).
 */
function mountServiceAccountToken(sim: Sim, spec: Pod['spec']): void {
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : undefined;
  const existing = volumes?.find((v: { name?: unknown; projected?: unknown } | undefined) => isServiceAccountVolume(v));
  let volumeName = typeof existing?.name === 'string' ? existing.name : undefined;
  let needsVolume = false;
  for (const list of [spec.initContainers, spec.containers]) {
    if (!Array.isArray(list)) continue;
    for (const c of list as Container[]) {
      if (typeof c !== 'object' || c === null) continue;
      if (c.volumeMounts !== undefined && !Array.isArray(c.volumeMounts)) continue; // validation reports it
      if (c.volumeMounts?.some((m: { mountPath?: unknown } | null) => m?.mountPath === DEFAULT_API_TOKEN_MOUNT_PATH)) continue;
      volumeName ??= [SERVICE_ACCOUNT_VOLUME, '-', nameSuffix(sim)].join(''); // one flat string, kept by every pod
      c.volumeMounts = appended(c.volumeMounts, { name: volumeName, readOnly: true, mountPath: DEFAULT_API_TOKEN_MOUNT_PATH });
      needsVolume = true;
    }
  }
  if (existing || !needsVolume || (spec.volumes !== undefined && !volumes)) return;
  spec.volumes = appended(spec.volumes, { name: volumeName!, projected: TOKEN_VOLUME_SOURCE });
}

/** nameSuffix is SimpleNameGenerator's 5 random characters, from the plugin's own stream (kept in the sim's state). */
function nameSuffix(sim: Sim): string {
  const st = sim.moduleState('serviceaccount', () => ({ rng: new Rng(`${sim.options.seed ?? 1}/${SERVICE_ACCOUNT_VOLUME}`).getState() }));
  const rng = new Rng(0, st.rng);
  const out = rng.suffix(5);
  st.rng = rng.getState();
  return out;
}
