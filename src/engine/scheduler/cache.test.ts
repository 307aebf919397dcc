import { describe, expect, it } from 'vitest';
import { Sim } from '../sim.ts';
import type { Pod } from '../api/types.ts';
import { SchedulerCache } from './cache.ts';
import { makeNode, makePod } from './testutil.ts';

/** filed: the node each pod is filed under, by pod name, and the node's requested CPU. */
function filed(cache: SchedulerCache): Record<string, string[] | number> {
  const out: Record<string, string[] | number> = {};
  for (const ni of cache.nodeInfos()) {
    out[ni.name] = [...ni.pods.values()].map((pi) => pi.pod.metadata.name);
    out[`${ni.name} cpu`] = ni.requested.milliCPU;
  }
  return out;
}

describe('SchedulerCache.updatePod', () => {
  const setup = () => {
    const sim = new Sim({ seed: 1 });
    const cache = new SchedulerCache(sim.store);
    for (const name of ['n1', 'n2']) {
      const node = sim.store.create(makeNode({ name, allocatable: { cpu: '4', memory: '8Gi', pods: '110' } }));
      cache.addNode(node);
    }
    const pod = sim.store.create(makePod({ name: 'web', containers: [{ cpu: '1' }], labels: { app: 'web' } }));
    return { sim, cache, pod };
  };

  it('files a bound pod once, keeps it through status writes, moves it with its node and drops it when it ends', () => {
    const { cache, pod } = setup();
    expect(cache.updatePod(pod)).toBe('absent');
    pod.spec.nodeName = 'n1';
    expect(cache.updatePod(pod)).toBe('added');
    pod.status = { phase: 'Running' };
    expect(cache.updatePod(pod)).toBe('kept');
    expect(filed(cache)).toEqual({ n1: ['web'], 'n1 cpu': 1000, n2: [], 'n2 cpu': 0 });
    // A new object for the same pod (an API update) is filed again, in place of the old one.
    const copy: Pod = { ...pod, metadata: { ...pod.metadata }, spec: { ...pod.spec, nodeName: 'n2' } };
    expect(cache.updatePod(copy)).toBe('kept');
    expect(filed(cache)).toEqual({ n1: [], 'n1 cpu': 0, n2: ['web'], 'n2 cpu': 1000 });
    // The old object, written again, is not taken for the pod the cache holds.
    expect(cache.updatePod(pod)).toBe('kept');
    expect(filed(cache)).toEqual({ n1: ['web'], 'n1 cpu': 1000, n2: [], 'n2 cpu': 0 });
    pod.status = { phase: 'Succeeded' };
    expect(cache.updatePod(pod)).toBe('dropped');
    expect(filed(cache)).toEqual({ n1: [], 'n1 cpu': 0, n2: [], 'n2 cpu': 0 });
  });

  it('files the same pod objects again after a rebuild', () => {
    const { sim, cache, pod } = setup();
    pod.spec.nodeName = 'n1';
    sim.store.update(pod);
    cache.updatePod(pod);
    cache.rebuild();
    expect(filed(cache)).toEqual({ n1: ['web'], 'n1 cpu': 1000, n2: [], 'n2 cpu': 0 });
    expect(cache.updatePod(pod)).toBe('kept');
    expect(filed(cache)).toEqual({ n1: ['web'], 'n1 cpu': 1000, n2: [], 'n2 cpu': 0 });
  });

  it('two caches over one pod object: each files it in its own nodes (every cache keeps its PodInfo under one symbol)', () => {
    const { sim, cache, pod } = setup();
    const other = new SchedulerCache(sim.store);
    for (const ni of cache.nodeInfos()) other.addNode(ni.node!);
    pod.spec.nodeName = 'n1';
    expect(cache.updatePod(pod)).toBe('added');
    expect(other.updatePod(pod)).toBe('added');
    expect(filed(other)).toEqual({ n1: ['web'], 'n1 cpu': 1000, n2: [], 'n2 cpu': 0 });
    // The PodInfo on the pod is now other's: cache files the pod again, in its own node, not twice.
    expect(cache.updatePod(pod)).toBe('kept');
    expect(filed(cache)).toEqual({ n1: ['web'], 'n1 cpu': 1000, n2: [], 'n2 cpu': 0 });
    pod.spec.nodeName = 'n2';
    expect(cache.updatePod(pod)).toBe('kept');
    expect(filed(cache)).toEqual({ n1: [], 'n1 cpu': 0, n2: ['web'], 'n2 cpu': 1000 });
    expect(filed(other)).toEqual({ n1: ['web'], 'n1 cpu': 1000, n2: [], 'n2 cpu': 0 });
  });

  it('leaves no trace of its bookkeeping in the pod as JSON, a copy or a snapshot sees it', () => {
    const { cache, pod } = setup();
    pod.spec.nodeName = 'n1';
    cache.updatePod(pod);
    expect(Object.getOwnPropertySymbols({ ...pod })).toEqual([]);
    expect(JSON.stringify(pod)).not.toContain('PodInfo');
    expect(Object.getOwnPropertySymbols(structuredClone(pod))).toEqual([]);
  });
});
