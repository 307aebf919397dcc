import type { Sim } from '../sim.ts';
import type { Node, Taint } from '../api/types.ts';
import { hashString } from '../rng.ts';
import type { PodRun } from './runtime.ts';

/** NodeSpec is a node as a scenario describes it (DESIGN.md, cluster.nodes). */
export interface NodeSpec {
  name: string;
  capacity?: { cpu?: string; memory?: string; pods?: string; [resource: string]: string | undefined };
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }[];
  unschedulable?: boolean;
}

/** KUBELET_VERSION is what nodes report (1.32: "Created container: x" wording, 50 s node grace). */
export const KUBELET_VERSION = 'v1.32.0';
export const CONTAINER_RUNTIME_VERSION = 'containerd://1.7.24';
/** NODE_LEASE_RENEW_MS: the kubelet renews its Lease every 10 s (0.25 × the 40 s lease duration). */
export const NODE_LEASE_RENEW_MS = 10_000;

/** NodeRecord is the kubelet's own state about a node (module state, JSON). */
export interface NodeRecord {
  index: number;
  registeredAt: number;
  /** failedAt: when the kubelet stopped heartbeating (failNode), absent while healthy. */
  failedAt?: number;
  /** nextHost: the next host number to try in the pod CIDR; used: the host numbers in use (an IP's last octet). */
  nextHost: number;
  used: Record<number, true>;
}

export interface NodesState {
  nextIndex: number;
  nodes: Record<string, NodeRecord>;
}

const NODES_DICTS = ['nodes'] as const;

export function nodesState(sim: Sim): NodesState {
  return sim.moduleState('kubelet.nodes', () => ({ nextIndex: 0, nodes: {} as Record<string, NodeRecord> }), NODES_DICTS);
}

/**
 * lastHeartbeat is when the node's kubelet last renewed its lease: every 10 s from registration
 * while it is up, frozen at the last renewal before failNode. Computed, so 500 idle nodes cost nothing.
 */
export function lastHeartbeat(sim: Sim, name: string): number | undefined {
  const r = nodesState(sim).nodes[name];
  if (!r) return undefined;
  const until = r.failedAt ?? sim.now();
  return r.registeredAt + Math.floor((until - r.registeredAt) / NODE_LEASE_RENEW_MS) * NODE_LEASE_RENEW_MS;
}

/**
 * buildNode returns the Node object a kubelet registers: capacity (defaults cpu 4, memory 8Gi,
 * pods 110), the well-known labels, conditions, addresses in minikube's 192.168.49.0/24 range
 * (.2 is the first node) and a pod CIDR 10.244.<i>.0/24 as kube-controller-manager allocates.
 */
export function buildNode(spec: NodeSpec, index: number, nowIso: string): Node {
  const capacity: Record<string, string> = {
    cpu: spec.capacity?.cpu ?? '4',
    'ephemeral-storage': '102400Mi',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: spec.capacity?.memory ?? '8Gi',
    pods: spec.capacity?.pods ?? '110',
  };
  for (const [k, v] of Object.entries(spec.capacity ?? {})) if (v !== undefined) capacity[k] = v;
  const taints: Taint[] = (spec.taints ?? []).map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect }));
  const cond = (type: string, status: 'True' | 'False', reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: nowIso,
    lastTransitionTime: nowIso,
    reason,
    message,
  });
  const machine = hashString(spec.name).toString(16).padStart(8, '0').repeat(4);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': spec.name,
        'kubernetes.io/os': 'linux',
        ...(spec.labels ?? {}),
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: `10.244.${index}.0/24`,
      podCIDRs: [`10.244.${index}.0/24`],
      ...(taints.length ? { taints } : {}),
      ...(spec.unschedulable ? { unschedulable: true } : {}),
    },
    status: {
      capacity,
      allocatable: { ...capacity },
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: nodeInternalIP(index) },
        { type: 'Hostname', address: spec.name },
      ],
      nodeInfo: {
        architecture: 'amd64',
        bootID: `${machine.slice(0, 8)}-${machine.slice(8, 12)}-${machine.slice(12, 16)}-${machine.slice(16, 20)}-${machine.slice(20, 32)}`,
        containerRuntimeVersion: CONTAINER_RUNTIME_VERSION,
        kernelVersion: '6.8.0-49-generic',
        kubeProxyVersion: KUBELET_VERSION,
        kubeletVersion: KUBELET_VERSION,
        machineID: machine,
        operatingSystem: 'linux',
        osImage: 'Ubuntu 22.04.5 LTS',
        systemUUID: machine,
      },
      images: [],
    },
  };
}

/** nodeInternalIP: 192.168.49.2 for the first node, .3 for the second … then 192.168.50.x. */
export function nodeInternalIP(index: number): string {
  return `192.168.${49 + Math.floor(index / 253)}.${2 + (index % 253)}`;
}

/** allocateIP takes the lowest free host address of the node's 10.244.<i>.0/24 (from .2 up, as host-local IPAM walks). */
export function allocateIP(rec: NodeRecord): string {
  for (let i = 0; i < 253; i++) {
    const host = 2 + ((rec.nextHost - 2 + i + 253) % 253);
    if (!rec.used[host]) {
      rec.used[host] = true;
      rec.nextHost = host + 1 > 254 ? 2 : host + 1;
      return `10.244.${rec.index}.${host}`;
    }
  }
  return `10.244.${rec.index}.255`;
}

/** releaseIP frees the pod's address on its node (its run is gone). */
export function releaseIP(sim: Sim, run: PodRun): void {
  const rec = nodesState(sim).nodes[run.node];
  if (rec && run.ip) delete rec.used[Number(run.ip.slice(run.ip.lastIndexOf('.') + 1))];
}
