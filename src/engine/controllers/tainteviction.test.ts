import { describe, expect, test } from 'vitest';
import type { Pod, Toleration } from '../api/types.ts';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';

const S = 1000;

/** cluster: two nodes, and on worker-1 one pod per toleration of dedicated=db:NoExecute (none, 60 s, forever). */
function cluster() {
  const sim = createCluster({ seed: 3, nodes: [{ name: 'worker-1' }, { name: 'worker-2' }] });
  const api = sim.service<{ create(o: unknown): unknown }>('api');
  const pod = (name: string, tolerations: Toleration[]) =>
    api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'worker-1', tolerations, containers: [{ name: 'app', image: 'nginx:1.25' }] } });
  pod('plain', []);
  pod('for-a-minute', [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoExecute', tolerationSeconds: 60 }]);
  pod('forever', [{ key: 'dedicated', operator: 'Exists' }]);
  sim.runUntil(20 * S);
  return sim;
}

const deleting = (sim: ReturnType<typeof cluster>) =>
  sim.store
    .list<Pod>('Pod', 'default')
    .filter((p) => p.metadata.deletionTimestamp)
    .map((p) => p.metadata.name)
    .sort();

describe('taint eviction controller: NoExecute taints put on a node', () => {
  test('evicts at once what does not tolerate, after tolerationSeconds what does for a while, never what does for good', () => {
    const sim = cluster();
    expect(sim.store.list<Pod>('Pod', 'default').map((p) => p.status?.phase)).toEqual(['Running', 'Running', 'Running']);
    expect(runCommand(sim, 'kubectl taint nodes worker-1 dedicated=db:NoExecute').out).toBe('node/worker-1 tainted\n');
    sim.settle();
    expect(deleting(sim)).toEqual(['plain']);
    expect(runCommand(sim, 'kubectl get events --field-selector involvedObject.name=plain -o jsonpath={.items[*].reason}').out).toContain('TaintManagerEviction');
    expect(sim.store.get<Pod>('Pod', 'default', 'plain')!.status.conditions).toContainEqual(expect.objectContaining({ type: 'DisruptionTarget', reason: 'DeletionByTaintManager' }));
    sim.runUntil(79 * S);
    expect(deleting(sim)).not.toContain('for-a-minute');
    sim.runUntil(80 * S);
    expect(deleting(sim)).toContain('for-a-minute');
    sim.runUntil(400 * S);
    expect(sim.store.get<Pod>('Pod', 'default', 'forever')!.metadata.deletionTimestamp).toBeUndefined();
  });

  test('removing the taint before the toleration runs out keeps the pod; a new taint starts the count again', () => {
    const sim = cluster();
    runCommand(sim, 'kubectl taint nodes worker-1 dedicated=db:NoExecute');
    sim.runUntil(50 * S);
    expect(runCommand(sim, 'kubectl taint nodes worker-1 dedicated:NoExecute-').out).toBe('node/worker-1 untainted\n');
    sim.runUntil(200 * S);
    expect(sim.store.get<Pod>('Pod', 'default', 'for-a-minute')!.metadata.deletionTimestamp).toBeUndefined();
    runCommand(sim, 'kubectl taint nodes worker-1 dedicated=db:NoExecute');
    sim.runUntil(259 * S);
    expect(deleting(sim)).not.toContain('for-a-minute');
    sim.runUntil(260 * S);
    expect(deleting(sim)).toContain('for-a-minute');
  });

  test('NoSchedule taints evict nothing, and the scheduler keeps new pods off the node', () => {
    const sim = cluster();
    runCommand(sim, 'kubectl taint nodes worker-1 dedicated=db:NoSchedule');
    sim.runUntil(100 * S);
    expect(deleting(sim)).toEqual([]);
    runCommand(sim, 'kubectl create deployment web --image=nginx:1.25 --replicas=4');
    sim.runUntil(130 * S);
    const web = sim.store.list<Pod>('Pod', 'default').filter((p) => p.metadata.name.startsWith('web-'));
    expect(web).toHaveLength(4);
    expect(new Set(web.map((p) => p.spec.nodeName))).toEqual(new Set(['worker-2']));
  });
});
