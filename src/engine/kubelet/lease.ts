/**
 * The node's Lease (coordination.k8s.io/v1, namespace kube-node-lease): the kubelet's heartbeat as an object.
 * Created when the kubelet registers, owned by its Node (the garbage collector removes it with the Node),
 * renewed every 10 s (renewInterval = 0.25 × leaseDurationSeconds 40) on the same grid as lastHeartbeat,
 * and left to age while the kubelet is down (`kubeplay node fail`), which is how the node lifecycle
 * controller tells a silent node.
 */
import type { Sim } from '../sim.ts';
import type { KubeObject, Node } from '../api/types.ts';
import { microTime } from '../clock.ts';
import { hashString } from '../rng.ts';
import { lastHeartbeat, NODE_LEASE_RENEW_MS, nodesState } from './node.ts';

const TIMER = 'kubelet/lease';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const LEASE_DURATION_SECONDS = 40;

/** next: each node's one pending renewal (a timer whose time is not this one is stale: the node failed and recovered). */
const leases = (sim: Sim) => sim.moduleState('kubelet.leases', () => ({ next: {} as Record<string, number> }));

function schedule(sim: Sim, name: string, at: number): void {
  leases(sim).next[name] = at;
  sim.at(at, TIMER, `${name}|${at}`);
}

export function installNodeLeases(sim: Sim): void {
  sim.onTimer(TIMER, (key) => {
    const i = key.lastIndexOf('|');
    const name = key.slice(0, i);
    if (leases(sim).next[name] === Number(key.slice(i + 1))) renewNodeLease(sim, name);
  });
}

/** leaseUid is derived from the Node's uid (the kubelet's lease is the Node's companion), not drawn. */
function leaseUid(node: Node): string {
  const h = hashString(`lease/${node.metadata.uid ?? node.metadata.name}`).toString(16).padStart(8, '0').slice(0, 8);
  return h + (node.metadata.uid ?? '00000000-0000-4000-8000-000000000000').slice(8);
}

/** createNodeLease is the kubelet's first renewal: the Lease, owned by its Node, then a renewal every 10 s. */
export function createNodeLease(sim: Sim, node: Node): void {
  const name = node.metadata.name;
  const existing = sim.store.get('Lease', NODE_LEASE_NAMESPACE, name);
  const now = sim.now();
  const lease: KubeObject = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace: NODE_LEASE_NAMESPACE,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid ?? '' }],
    },
    spec: { holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(now) },
  };
  if (existing) {
    existing.spec = lease.spec;
    existing.metadata.ownerReferences = lease.metadata.ownerReferences;
    sim.store.update(existing);
  } else sim.store.create(lease, leaseUid(node));
  schedule(sim, name, now + NODE_LEASE_RENEW_MS);
}

/** renewNodeLease sets renewTime while the kubelet is up; a failed kubelet stops (recoverNode calls it to start again). */
export function renewNodeLease(sim: Sim, name: string): void {
  const rec = nodesState(sim).nodes[name];
  if (!rec || rec.failedAt !== undefined) {
    delete leases(sim).next[name];
    return;
  }
  const lease = sim.store.get('Lease', NODE_LEASE_NAMESPACE, name);
  if (!lease) return;
  const at = lastHeartbeat(sim, name) ?? sim.now();
  lease.spec = { ...lease.spec, renewTime: microTime(at) };
  sim.store.update(lease);
  schedule(sim, name, at + NODE_LEASE_RENEW_MS);
}
