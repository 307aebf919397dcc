import { describe, expect, it } from 'vitest';
import { createCluster } from './cluster.ts';
import { runCommand } from './kubectl/index.ts';
import type { Pod } from './api/types.ts';

/**
 * What the engine keeps on the objects it holds (the store's slot, the scheduler's and the
 * ReplicaSet controller's pod info) is kept under symbols shared by every cluster: with a symbol per
 * cluster, each new cluster's pods (a scenario reloaded in the tab) had hidden classes of their own,
 * and code optimized for the first cluster's pods deoptimized and went polymorphic on the next.
 */
describe('two clusters in one process', () => {
  const podOf = (seed: number): Pod => {
    const sim = createCluster({ seed, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl create deployment web --image=nginx:1.25');
    sim.runUntil(10_000);
    return sim.store.list<Pod>('Pod').find((p) => p.metadata.name.startsWith('web-'))!;
  };

  it("keep their bookkeeping on their pods under the same keys, none of them enumerable", () => {
    const a = podOf(1);
    const b = podOf(2);
    const hiddenOf = (p: Pod) => Object.getOwnPropertySymbols(p);
    expect(hiddenOf(a).map(String)).toEqual(['Symbol(Store.slot)', 'Symbol(replicaset.podInfo)', 'Symbol(SchedulerCache.podInfo)']);
    expect(hiddenOf(b)).toEqual(hiddenOf(a));
    expect(Reflect.ownKeys(b)).toEqual(Reflect.ownKeys(a));
    expect(Object.keys({ ...a })).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  });
});
