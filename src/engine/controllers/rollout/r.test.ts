import { it, expect } from 'vitest';
import { runCommand } from '../../kubectl/index.ts';
import { api, rollout, rolloutCluster } from './testutil.ts';
it('routed', () => {
  const sim = rolloutCluster();
  api(sim).create(rollout('shop', 2, { canary: {} }));
  sim.runFor(10000);
  const r = runCommand(sim, 'kubectl argo rollouts get rollout shop');
  console.log(r.out);
  console.log(runCommand(sim, 'kubectl get rollouts').out);
  console.log(runCommand(sim, 'kubectl argo rollouts').out);
  expect(r.exit).toBe(0);
});
