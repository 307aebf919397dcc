import { it, expect } from 'vitest';
import type { Pod } from '../../api/types.ts';
import { isPodReady } from '../../api/podutil.ts';
import { newDeployment, setReady, setImage, testSim, replicaSets } from './testcluster.ts';

// Opt-in (DEPLOY_PERF_N=10000 npx vitest run …perf.test.ts): the worst case, every pod ready at its own instant.
const N = Number(process.env.DEPLOY_PERF_N ?? 0);

it.skipIf(!process.env.DEPLOY_PERF_N)(`rolls out ${N} replicas, pods becoming ready one at a time, without quadratic work`, () => {
  const t0 = performance.now();
  const sim = testSim();
  sim.onTimer('perf/ready', (key) => {
    const [ns, name] = key.split('/');
    const p = sim.store.get<Pod>('Pod', ns, name);
    if (p && !p.metadata.deletionTimestamp && !isPodReady(p)) setReady(sim, p, `node-${name.length % 50}`);
  });
  // Every new pod becomes ready 1-2 s after creation, each at its own millisecond.
  sim.store.watch('Pod', (type, obj) => {
    if (type === 'ADDED') sim.after(1000 + sim.rng.int(1000), 'perf/ready', `${obj.metadata.namespace}/${obj.metadata.name}`);
  });
  const d = sim.store.create(newDeployment('web', N));
  sim.runFor(5000);
  const t1 = performance.now();
  expect(d.status.availableReplicas).toBe(N);
  setImage(sim, d, 'nginx:2');
  sim.runFor(120_000);
  const t2 = performance.now();
  const rss = replicaSets(sim, d);
  expect(rss.map((r) => r.spec.replicas).sort()).toEqual([0, N]);
  expect(d.status.updatedReplicas).toBe(N);
  console.log(`N=${N}: create+ready ${(t1 - t0).toFixed(0)} ms, rollout ${(t2 - t1).toFixed(0)} ms`);
}, 120_000);
