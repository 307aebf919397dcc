import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';

describe("each node's Lease in kube-node-lease", () => {
  const cluster = () => createCluster({ seed: 1, nodes: [{ name: 'worker-1' }, { name: 'worker-2' }] });
  const renewTime = (sim: ReturnType<typeof cluster>, node: string) => runCommand(sim, `kubectl get lease ${node} -n kube-node-lease -o jsonpath={.spec.renewTime}`).out;

  it('is held by its node, owned by the Node, and renewed every 10 s while the kubelet is up', () => {
    const sim = cluster();
    expect(runCommand(sim, 'kubectl get leases -n kube-node-lease').out).toBe('NAME       HOLDER     AGE\nworker-1   worker-1   0s\nworker-2   worker-2   0s\n');
    sim.runUntil(25_000);
    expect(renewTime(sim, 'worker-1')).toBe('2025-01-01T00:00:20.000000Z');
    expect(runCommand(sim, 'kubectl get lease worker-1 -n kube-node-lease -o jsonpath={.spec.leaseDurationSeconds}/{.metadata.ownerReferences[0].kind}').out).toBe('40/Node');
  });

  it('stops being renewed while the kubelet is down, and is renewed again when it recovers', () => {
    const sim = cluster();
    sim.runUntil(12_000);
    runCommand(sim, 'kubeplay node fail worker-2');
    sim.runUntil(60_000);
    expect(renewTime(sim, 'worker-2')).toBe('2025-01-01T00:00:10.000000Z');
    expect(renewTime(sim, 'worker-1')).toBe('2025-01-01T00:01:00.000000Z');
    runCommand(sim, 'kubeplay node recover worker-2');
    sim.runUntil(75_000);
    expect(renewTime(sim, 'worker-2')).toBe('2025-01-01T00:01:10.000000Z');
  });

  it('goes with its Node (garbage collection by owner)', () => {
    const sim = cluster();
    runCommand(sim, 'kubectl delete node worker-2');
    sim.runUntil(5_000);
    expect(runCommand(sim, 'kubectl get leases -n kube-node-lease -o name').out).toBe('lease.coordination.k8s.io/worker-1\n');
  });
});
