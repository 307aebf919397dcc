import type { Container, Pod } from '../api/types.ts';
import { isServiceAccountVolume, ROOT_CA_CRT, TOKEN_EXPIRATION_SECONDS } from '../admission/serviceaccount.ts';
import { EPOCH_MS } from '../clock.ts';
import { CLUSTER_DOMAIN, DNS_SERVICE_IP } from '../network/dns.ts';

/**
 * The files the kubelet puts in every container besides its volumes: /etc/hostname, the managed /etc/hosts
 * (kubelet_pods.go managedHostsFileContent, with the pod's hostAliases), /etc/resolv.conf for
 * dnsPolicy ClusterFirst, and the files of the service account's token volume (kube-api-access-…, which
 * the ServiceAccount admission plugin adds): ca.crt, namespace and token. undefined for any other path.
 *
 * The token volume's files are worked out when read rather than written at each pod's start: they are
 * the same for the pod's whole life here (the root-ca-cert-publisher puts back any change to the CA's
 * ConfigMap, and the token is not rotated), and a 10,000-pod rollout reads none of them.
 */
/** SA_DIR is where the service account's projected volume (kube-api-access-…) is mounted, read-only. */
export const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const SA_FILES = ['ca.crt', 'namespace', 'token'];

/** tokenVolumeMounted: the container mounts the pod's service account token volume at SA_DIR. */
function tokenVolumeMounted(pod: Pod, spec: Container | undefined): boolean {
  const mounts = Array.isArray(spec?.volumeMounts) ? (spec!.volumeMounts as { name?: string; mountPath?: string }[]) : [];
  const m = mounts.find((x) => x?.mountPath === SA_DIR || x?.mountPath === SA_DIR + '/');
  if (!m) return false;
  const volumes = Array.isArray(pod.spec.volumes) ? (pod.spec.volumes as { name?: string; projected?: unknown }[]) : [];
  return isServiceAccountVolume(volumes.find((v) => v?.name === m.name));
}

/** systemDir lists a directory the kubelet provides (the service account's: ca.crt, namespace, token), or undefined. */
export function systemDir(pod: Pod, spec: Container | undefined, path: string): string[] | undefined {
  return path.replace(/\/+$/, '') === SA_DIR && tokenVolumeMounted(pod, spec) ? SA_FILES : undefined;
}

export function systemFile(pod: Pod, spec: Container | undefined, podIP: string | undefined, path: string): string | undefined {
  const ns = pod.metadata.namespace ?? 'default';
  const file = path.startsWith(SA_DIR + '/') ? path.slice(SA_DIR.length + 1) : undefined;
  if (file !== undefined && SA_FILES.includes(file)) {
    if (!tokenVolumeMounted(pod, spec)) return undefined;
    return file === 'namespace' ? ns : file === 'ca.crt' ? ROOT_CA_CRT : serviceAccountToken(pod);
  }
  switch (path) {
    case '/etc/hosts':
      return hostsFile(pod, podIP);
    case '/etc/hostname':
      return `${pod.spec.hostname ?? pod.metadata.name}\n`;
    case '/etc/resolv.conf':
      return resolvConf(pod, ns);
    default:
      return undefined;
  }
}

function hostsFile(pod: Pod, podIP: string | undefined): string {
  const hostname = pod.spec.hostname ?? pod.metadata.name;
  const sub = pod.spec.subdomain;
  const names = sub ? `${hostname}.${sub}.${pod.metadata.namespace ?? 'default'}.svc.${CLUSTER_DOMAIN}\t${hostname}` : hostname;
  let out =
    '# Kubernetes-managed hosts file.\n' +
    '127.0.0.1\tlocalhost\n' +
    '::1\tlocalhost ip6-localhost ip6-loopback\n' +
    'fe00::0\tip6-localnet\n' +
    'fe00::0\tip6-mcastprefix\n' +
    'fe00::1\tip6-allnodes\n' +
    'fe00::2\tip6-allrouters\n';
  if (podIP) out += `${podIP}\t${names}\n`;
  const aliases = Array.isArray(pod.spec.hostAliases) ? (pod.spec.hostAliases as { ip?: string; hostnames?: string[] }[]) : [];
  if (aliases.length) {
    out += '\n# Entries added by HostAliases.\n';
    for (const a of aliases) out += `${a.ip ?? ''}\t${(a.hostnames ?? []).join('\t')}\n`;
  }
  return out;
}

/**
 * resolvConf is the kubelet's GetPodDNS: ClusterFirst's search path, the cluster DNS and ndots:5, or for
 * dnsPolicy None nothing but the pod's dnsConfig; then appendDNSConfig adds dnsConfig's nameservers and
 * searches (no repeats) and merges its options (a named option's value replaces the cluster's). Default
 * (the node's own resolv.conf) is not the cluster's to know.
 */
function resolvConf(pod: Pod, ns: string): string | undefined {
  const policy = pod.spec.dnsPolicy ?? 'ClusterFirst';
  let searches: string[] = [];
  let servers: string[] = [];
  let options: [string, string][] = [];
  if (policy === 'ClusterFirst' || policy === 'ClusterFirstWithHostNet') {
    searches = [`${ns}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
    servers = [DNS_SERVICE_IP];
    options = [['ndots', '5']];
  } else if (policy !== 'None') return undefined;
  const dc = pod.spec.dnsConfig as { nameservers?: string[]; searches?: string[]; options?: { name?: string; value?: string }[] } | undefined;
  if (dc) {
    servers = [...new Set([...servers, ...(dc.nameservers ?? [])])];
    searches = [...new Set([...searches, ...(dc.searches ?? [])])];
    for (const o of dc.options ?? []) {
      if (!o?.name) continue;
      const at = options.findIndex(([n]) => n === o.name);
      if (at >= 0) options[at] = [o.name, o.value ?? ''];
      else options.push([o.name, o.value ?? '']);
    }
  }
  let out = searches.length ? `search ${searches.join(' ')}\n` : '';
  for (const s of servers) out += `nameserver ${s}\n`;
  if (options.length) out += `options ${options.map(([n, v]) => (v ? `${n}:${v}` : n)).join(' ')}\n`;
  return out;
}

/** EXTENDED_EXPIRATION_SECONDS is ExpirationExtensionSeconds: a token asked for 3607 s is issued for a year (warnafter marks the 3607 s). */
const EXTENDED_EXPIRATION_SECONDS = 365 * 24 * 60 * 60;
const ISSUER = `https://kubernetes.default.svc.${CLUSTER_DOMAIN}`;

/**
 * serviceAccountToken is the token file: a JWT with the bound-token claims the API server's TokenRequest
 * issues for the pod (audience and issuer the cluster's, the pod, its node and its account, issued when
 * the pod started). Its signature is not a real one: Kubeplay has no keys.
 */
function serviceAccountToken(pod: Pod): string {
  const ns = pod.metadata.namespace ?? 'default';
  const sa = typeof pod.spec.serviceAccountName === 'string' && pod.spec.serviceAccountName ? pod.spec.serviceAccountName : 'default';
  const started = Date.parse(String(pod.status?.startTime ?? pod.metadata.creationTimestamp ?? ''));
  const iat = Math.floor((Number.isFinite(started) ? started : EPOCH_MS) / 1000);
  const claims = {
    aud: [ISSUER],
    exp: iat + EXTENDED_EXPIRATION_SECONDS,
    iat,
    iss: ISSUER,
    'kubernetes.io': {
      namespace: ns,
      ...(pod.spec.nodeName ? { node: { name: pod.spec.nodeName } } : {}),
      pod: { name: pod.metadata.name, uid: pod.metadata.uid },
      serviceaccount: { name: sa },
      warnafter: iat + TOKEN_EXPIRATION_SECONDS,
    },
    nbf: iat,
    sub: `system:serviceaccount:${ns}:${sa}`,
  };
  const part = (v: unknown) => base64url(typeof v === 'string' ? v : JSON.stringify(v));
  return `${part({ alg: 'RS256', kid: 'kubeplay' })}.${part(claims)}.${part('simulated signature: Kubeplay has no keys')}`;
}

/** base64url encodes UTF-8 text without padding, as a JWT's parts are. */
function base64url(text: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
