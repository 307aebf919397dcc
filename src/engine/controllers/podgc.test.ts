import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';
import type { Pod } from '../api/types.ts';

describe('PodGC: pods bound to a node that does not exist', () => {
  const cluster = () => createCluster({ seed: 1, nodes: [{ name: 'worker-1' }, { name: 'worker-2' }] });

  it('a pod whose nodeName names no node is Pending until the sweep after a 40 s quarantine fails and deletes it', () => {
    const sim = cluster();
    const seen: Pod[] = [];
    sim.store.watch('Pod', (_t, p) => seen.push(structuredClone(p as Pod)));
    // The docs' pod-nginx-specific-node.yaml, with a node that is not there.
    sim.service<{ create(o: unknown): unknown }>('api').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nginx', namespace: 'default' }, spec: { nodeName: 'foo-node', containers: [{ name: 'nginx', image: 'nginx' }] } });
    sim.runUntil(39_999);
    expect(runCommand(sim, 'kubectl get pod nginx').out).toMatch(/\nnginx +0\/1 +Pending +0 +39s\n/);
    sim.runUntil(40_000);
    expect(runCommand(sim, 'kubectl get pod nginx').out).toBe('Error from server (NotFound): pods "nginx" not found\n');
    // markFailedAndDeletePodWithCondition: Failed with the DisruptionTarget condition, then deleted at once.
    expect(seen.at(-2)?.status).toMatchObject({ phase: 'Failed', conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' }] });
  });

  it("after kubectl delete node, the node's pods go at the first sweep 40 s after one finds it missing, and their ReplicaSet replaces them", () => {
    const sim = cluster();
    runCommand(sim, 'kubectl create deployment web --image=nginx --replicas=4');
    sim.runUntil(30_000);
    const onTwo = () => sim.store.byIndex<Pod>('Pod', 'node', 'worker-2').length;
    expect(onTwo()).toBe(2);
    runCommand(sim, 'kubectl delete node worker-2');
    // Found missing at the 40 s sweep, checked again at 80 s.
    sim.runUntil(79_999);
    expect(onTwo()).toBe(2);
    sim.runUntil(80_000);
    expect(onTwo()).toBe(0);
    sim.runUntil(100_000);
    expect(runCommand(sim, 'kubectl get deploy web').out).toMatch(/\nweb +4\/4 +4 +4 /);
  });

  it('a node that comes back within the quarantine keeps its pods', () => {
    const sim = cluster();
    sim.service<{ create(o: unknown): unknown }>('api').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'early', namespace: 'default' }, spec: { nodeName: 'worker-3', containers: [{ name: 'c', image: 'nginx' }] } });
    sim.runUntil(10_000);
    runCommand(sim, 'kubeplay node add worker-3');
    sim.runUntil(60_000);
    expect(runCommand(sim, 'kubectl get pod early -o jsonpath={.status.phase}').out).toBe('Running');
  });
});
