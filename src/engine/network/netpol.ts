/**
 * NetworkPolicy enforcement (networking.k8s.io/v1) on simulated connections. A pod is isolated for
 * ingress (egress) when some policy in its namespace selects it and lists Ingress (Egress) in
 * policyTypes (Ingress is implied; Egress when the policy has egress rules). An isolated pod accepts a
 * connection only if some rule of some selecting policy allows both the peer and the port; policies are
 * additive. Both ends must allow: the source pod's egress and the destination pod's ingress. A
 * denied connection is silently dropped (the client times out), as CNI plugins do.
 *
 * Peers that are not pods in the store: ingress-nginx's controller (namespace ingress-nginx, labels
 * app.kubernetes.io/name=ingress-nginx, component=controller), and clients outside the cluster (only
 * ipBlock rules can match them).
 */
import type { KubeObject, Pod } from '../api/types.ts';
import type { Sim } from '../sim.ts';
import { compileSelector } from '../api/selector.ts';
import { ipNum } from './kubeproxy.ts';

export type Peer =
  | { kind: 'pod'; pod: Pod }
  | { kind: 'virtual'; namespace: string; labels: Record<string, string>; nsLabels: Record<string, string>; ip: string }
  | { kind: 'external'; ip: string };

export const INGRESS_NGINX_NAMESPACE = 'ingress-nginx';
/** ingressNginxPeer is the ingress-nginx controller pod as NetworkPolicies see it. */
export const INGRESS_NGINX_PEER: Peer = {
  kind: 'virtual',
  namespace: INGRESS_NGINX_NAMESPACE,
  labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
  nsLabels: { 'kubernetes.io/metadata.name': INGRESS_NGINX_NAMESPACE },
  ip: '10.244.0.2',
};

/**
 * CLUSTER_DNS_PEER is the cluster DNS server as NetworkPolicies see it in a cluster without CoreDNS
 * pods (no kube-dns Service: the simulation answers DNS itself). It stands where kubeadm puts CoreDNS,
 * in kube-system labelled k8s-app=kube-dns, so the documented "allow DNS" egress rules match it.
 */
export const CLUSTER_DNS_PEER: Peer = {
  kind: 'virtual',
  namespace: 'kube-system',
  labels: { 'k8s-app': 'kube-dns' },
  nsLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
  ip: '10.244.0.3',
};

function nsLabels(sim: Sim, ns: string): Record<string, string> {
  const obj = sim.store.get<KubeObject>('Namespace', undefined, ns);
  // kubernetes.io/metadata.name is set on every namespace by the API server (1.22+).
  return { ...(obj?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns };
}

function peerInfo(sim: Sim, p: Peer): { ns?: string; labels?: Record<string, string>; nsLabels?: Record<string, string>; ip: string } {
  if (p.kind === 'pod') {
    const ns = p.pod.metadata.namespace ?? 'default';
    return { ns, labels: p.pod.metadata.labels ?? {}, nsLabels: nsLabels(sim, ns), ip: p.pod.status?.podIP ?? '' };
  }
  if (p.kind === 'virtual') return { ns: p.namespace, labels: p.labels, nsLabels: p.nsLabels, ip: p.ip };
  return { ip: p.ip };
}

function policyTypes(np: KubeObject): string[] {
  const t = np.spec?.policyTypes;
  if (Array.isArray(t) && t.length) return t;
  return np.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsStr] = cidr.split('/');
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip) || !/^\d+\.\d+\.\d+\.\d+$/.test(base)) return false;
  const bits = bitsStr === undefined ? 32 : Number(bitsStr);
  if (!(bits >= 0 && bits <= 32)) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((ipNum(ip) & mask) >>> 0) === ((ipNum(base) & mask) >>> 0);
}

function peerMatches(sim: Sim, rulePeer: any, policyNs: string, who: ReturnType<typeof peerInfo>): boolean {
  if (rulePeer.ipBlock) {
    const b = rulePeer.ipBlock;
    if (!who.ip || !inCidr(who.ip, b.cidr ?? '')) return false;
    return !(b.except ?? []).some((c: string) => inCidr(who.ip, c));
  }
  if (who.ns === undefined) return false; // outside the cluster: only ipBlock can match
  if (rulePeer.namespaceSelector) {
    if (!compileSelector(rulePeer.namespaceSelector)(who.nsLabels)) return false;
  } else if (who.ns !== policyNs) return false;
  if (rulePeer.podSelector) return compileSelector(rulePeer.podSelector)(who.labels);
  return true;
}

function portMatches(rulePorts: any[] | undefined, port: number, portName: string | undefined, protocol: string): boolean {
  if (!rulePorts || rulePorts.length === 0) return true;
  return rulePorts.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') return p.port === portName;
    if (typeof p.endPort === 'number') return port >= p.port && port <= p.endPort;
    return p.port === port;
  });
}

function containerPortName(pod: Pod, port: number, protocol: string): string | undefined {
  for (const c of pod.spec.containers) for (const p of c.ports ?? []) if (p.containerPort === port && (p.protocol ?? 'TCP') === protocol) return p.name;
  return undefined;
}

type PeerInfo = ReturnType<typeof peerInfo>;

/**
 * admits says whether the policies of one side of a connection let it through: side Ingress for the
 * destination (subject) admitting `other` as a source, Egress for the source (subject) reaching
 * `other`. A subject no policy of that type selects is not isolated and admits everything.
 */
function admits(sim: Sim, side: 'Ingress' | 'Egress', subject: PeerInfo, other: PeerInfo, port: number, portName: string | undefined, protocol: string, policies: KubeObject[]): boolean {
  const ns = subject.ns!;
  let isolated = false;
  for (const np of policies) {
    if ((np.metadata.namespace ?? 'default') !== ns) continue;
    if (!policyTypes(np).includes(side)) continue;
    if (!compileSelector(np.spec?.podSelector ?? {})(subject.labels)) continue;
    isolated = true;
    for (const rule of (side === 'Ingress' ? np.spec?.ingress : np.spec?.egress) ?? []) {
      const peers = side === 'Ingress' ? rule?.from : rule?.to;
      const peerOk = !peers || peers.length === 0 || peers.some((p: any) => peerMatches(sim, p, ns, other));
      if (peerOk && portMatches(rule?.ports, port, portName, protocol)) return true;
    }
  }
  return !isolated;
}

/**
 * allowed says whether a connection from peer to dst's port passes every NetworkPolicy (TCP unless
 * protocol says otherwise). dstPort is the pod port (after targetPort resolution).
 */
export function allowed(sim: Sim, from: Peer, dst: Pod, dstPort: number, policies = sim.store.list<KubeObject>('NetworkPolicy'), protocol = 'TCP'): boolean {
  if (policies.length === 0) return true;
  const src = peerInfo(sim, from);
  const dstInfo = peerInfo(sim, { kind: 'pod', pod: dst });
  const portName = containerPortName(dst, dstPort, protocol);
  if (!admits(sim, 'Ingress', dstInfo, src, dstPort, portName, protocol, policies)) return false;
  return from.kind !== 'pod' || admits(sim, 'Egress', src, dstInfo, dstPort, portName, protocol, policies);
}

/**
 * egressAllowed says whether a pod's egress policies let it reach a peer that is not a pod in the
 * store (the cluster DNS a cluster without CoreDNS pods answers itself) on port and protocol.
 */
export function egressAllowed(sim: Sim, from: Pod, to: Peer, port: number, protocol: string, portName?: string, policies = sim.store.list<KubeObject>('NetworkPolicy')): boolean {
  if (policies.length === 0) return true;
  return admits(sim, 'Egress', peerInfo(sim, { kind: 'pod', pod: from }), peerInfo(sim, to), port, portName, protocol, policies);
}
