import { describe, expect, test } from 'vitest';
import type { Node, Pod } from '../api/types.ts';
import type { KubeletService } from '../kubelet/index.ts';
import { eventsOf, kubeletSim, runPod } from '../kubelet/testutil.ts';
import { minTolerationSeconds, notReadyAt, NODE_MONITOR_GRACE_MS } from './nodelifecycle.ts';

const S = 1000;

describe('node lifecycle', () => {
  test('notReadyAt: first 5 s monitor tick strictly after heartbeat + 50 s', () => {
    expect(NODE_MONITOR_GRACE_MS).toBe(50 * S);
    expect(notReadyAt(100 * S)).toBe(155 * S);
    expect(notReadyAt(103 * S)).toBe(155 * S);
  });

  test.each([
    { name: 'default 300 s toleration', tols: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }], want: 300 },
    { name: 'no toleration: evict now', tols: [], want: undefined },
    { name: 'tolerate forever', tols: [{ operator: 'Exists' }], want: Infinity },
    { name: 'min of several', tols: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 60 }, { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }], want: 30 },
    { name: 'other key does not tolerate', tols: [{ key: 'x', operator: 'Exists', tolerationSeconds: 1 }], want: undefined },
  ])('minTolerationSeconds: $name', ({ tols, want }) => {
    expect(minTolerationSeconds(tols as any, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' })).toBe(want);
  });

  test('node failure -> NotReady at the right time -> eviction 300 s later -> Terminating until recovery', () => {
    const sim = kubeletSim({}, [{ name: 'node-1' }, { name: 'node-2' }]);
    runPod(sim, 'web', [{ image: 'nginx:1.25' }], { node: 'node-2' });
    sim.runUntil(33 * S);
    expect(sim.store.get<Pod>('Pod', 'default', 'web')!.status.phase).toBe('Running');
    const kubelet = sim.service<KubeletService>('kubelet');
    kubelet.failNode('node-2');
    // Last lease renewal at 30 s; NotReady at the first monitor tick after 80 s: 85 s.
    sim.runUntil(84 * S);
    const node = () => sim.store.get<Node>('Node', undefined, 'node-2')!;
    expect(node().status.conditions.find((c) => c.type === 'Ready')!.status).toBe('True');
    sim.runUntil(85 * S);
    const ready = node().status.conditions.find((c) => c.type === 'Ready')!;
    expect(ready).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: '2025-01-01T00:00:30Z', lastTransitionTime: '2025-01-01T00:01:25Z' });
    expect(node().spec.taints).toEqual([
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2025-01-01T00:01:25Z' },
    ]);
    expect(eventsOf(sim, 'node-2')).toContain('NodeNotReady: Node node-2 status is now: NodeNotReady');
    const p = sim.store.get<Pod>('Pod', 'default', 'web')!;
    expect(p.status.conditions!.find((c) => c.type === 'Ready')!.status).toBe('False');
    expect(eventsOf(sim, 'web')).toContain('NodeNotReady: Node is not ready');
    // Eviction at 85 + 300 s.
    sim.runUntil(384 * S);
    expect(sim.store.get<Pod>('Pod', 'default', 'web')!.metadata.deletionTimestamp).toBeUndefined();
    sim.runUntil(385 * S);
    expect(sim.store.get<Pod>('Pod', 'default', 'web')!.metadata.deletionTimestamp).toBeDefined();
    expect(eventsOf(sim, 'web')).toContain('TaintManagerEviction: Marking for deletion Pod default/web');
    // The kubelet is down: the pod stays Terminating.
    sim.runUntil(1000 * S);
    expect(sim.store.get<Pod>('Pod', 'default', 'web')).toBeDefined();
    kubelet.recoverNode('node-2');
    sim.settle();
    expect(node().status.conditions.find((c) => c.type === 'Ready')!.status).toBe('True');
    expect(node().spec.taints).toBeUndefined();
    sim.runUntil(1002 * S);
    expect(sim.store.get<Pod>('Pod', 'default', 'web')).toBeUndefined();
  });

  test('recovering before the eviction cancels it and the kubelet re-posts Ready', () => {
    const sim = kubeletSim({}, [{ name: 'node-1' }]);
    runPod(sim, 'web', [{ image: 'nginx:1.25' }]);
    sim.runUntil(10 * S);
    const kubelet = sim.service<KubeletService>('kubelet');
    kubelet.failNode('node-1');
    sim.runUntil(100 * S);
    expect(sim.store.get<Pod>('Pod', 'default', 'web')!.status.conditions!.find((c) => c.type === 'Ready')!.status).toBe('False');
    kubelet.recoverNode('node-1');
    sim.runUntil(1000 * S);
    const p = sim.store.get<Pod>('Pod', 'default', 'web')!;
    expect(p.metadata.deletionTimestamp).toBeUndefined();
    expect(p.status.conditions!.find((c) => c.type === 'Ready')!.status).toBe('True');
  });
});

describe('removeNode and snapshots', () => {
  test('removeNode force-deletes the node pods', async () => {
    const { removeNode } = await import('../kubelet/index.ts');
    const sim = kubeletSim({}, [{ name: 'node-1' }, { name: 'node-2' }]);
    runPod(sim, 'a', [{ image: 'nginx:1.25' }], { node: 'node-2' });
    sim.runUntil(5 * S);
    removeNode(sim, 'node-2');
    sim.settle();
    expect(sim.store.get('Node', undefined, 'node-2')).toBeUndefined();
    expect(sim.store.get('Pod', 'default', 'a')).toBeUndefined();
    expect(sim.store.get('Endpoints', 'default', 'a')).toBeUndefined();
  });

  test('a restored snapshot replays the same pod lifecycle', () => {
    const sim = kubeletSim({ 'crash:1': { crashAfterSeconds: 3 } });
    runPod(sim, 'p', [{ image: 'crash:1' }]);
    sim.runUntil(5 * S);
    const snap = sim.snapshot();
    sim.runUntil(120 * S);
    const want = JSON.stringify(sim.store.get<Pod>('Pod', 'default', 'p')!.status);
    sim.restore(snap);
    sim.runUntil(120 * S);
    expect(JSON.stringify(sim.store.get<Pod>('Pod', 'default', 'p')!.status)).toBe(want);
  });
});
