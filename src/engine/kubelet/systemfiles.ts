import type { Pod } from '../api/types.ts';
import { CLUSTER_DOMAIN, DNS_SERVICE_IP } from '../network/dns.ts';

/**
 * The files the kubelet puts in every container besides its volumes: /etc/hostname, the managed /etc/hosts
 * (kubelet_pods.go managedHostsFileContent, with the pod's hostAliases), /etc/resolv.conf for
 * dnsPolicy ClusterFirst, and the service account's namespace file. undefined for any other path.
 */
/** SA_DIR is where the service account's projected volume (kube-api-access-…) is mounted, read-only. */
export const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** serviceAccountPath: path is in the service account's token directory, which the pod mounts (automountServiceAccountToken). */
export function serviceAccountPath(pod: Pod, path: string): boolean {
  return pod.spec.automountServiceAccountToken !== false && (path === SA_DIR || path.startsWith(SA_DIR + '/'));
}

/** systemDir lists a directory the kubelet provides (the service account's: ca.crt, namespace, token), or undefined. */
export function systemDir(pod: Pod, path: string): string[] | undefined {
  return path.replace(/\/+$/, '') === SA_DIR && serviceAccountPath(pod, SA_DIR) ? ['ca.crt', 'namespace', 'token'] : undefined;
}

export function systemFile(pod: Pod, podIP: string | undefined, path: string): string | undefined {
  const ns = pod.metadata.namespace ?? 'default';
  switch (path) {
    case '/etc/hosts':
      return hostsFile(pod, podIP);
    case '/etc/hostname':
      return `${pod.spec.hostname ?? pod.metadata.name}\n`;
    case '/etc/resolv.conf':
      return resolvConf(pod, ns);
    case '/var/run/secrets/kubernetes.io/serviceaccount/namespace':
      return pod.spec.automountServiceAccountToken === false ? undefined : ns;
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
