import type { Pod } from '../api/types.ts';
import { CLUSTER_DOMAIN, DNS_SERVICE_IP } from '../network/dns.ts';

/**
 * The files the kubelet puts in every container besides its volumes: /etc/hostname, the managed /etc/hosts
 * (kubelet_pods.go managedHostsFileContent, with the pod's hostAliases), /etc/resolv.conf for
 * dnsPolicy ClusterFirst, and the service account's namespace file. undefined for any other path.
 */
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

/** resolvConf: ClusterFirst's search path and ndots; Default (the node's) and None are not the cluster's. */
function resolvConf(pod: Pod, ns: string): string | undefined {
  const policy = pod.spec.dnsPolicy ?? 'ClusterFirst';
  if (policy !== 'ClusterFirst' && policy !== 'ClusterFirstWithHostNet') return undefined;
  return `search ${ns}.svc.${CLUSTER_DOMAIN} svc.${CLUSTER_DOMAIN} ${CLUSTER_DOMAIN}\nnameserver ${DNS_SERVICE_IP}\noptions ndots:5\n`;
}
