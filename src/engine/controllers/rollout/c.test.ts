import { it } from 'vitest';
import { api, rollout, rolloutCluster, run, service } from './testutil.ts';
it('x', () => {
  const sim = rolloutCluster({ 'shop:v1': { startupSeconds: 1, pullSeconds: 1 }, 'shop:v2': { startupSeconds: 1, pullSeconds: 1 } });
  api(sim).create(service('shop', 'shop'));
  api(sim).create(rollout('shop', 4, { canary: { canaryService: 'shop', steps: [{ setWeight: 25 }, { pause: {} }, { setWeight: 75 }, { pause: { duration: '30s' } }] } }));
  sim.runFor(30_000);
  for (const l of ['kubectl argo rollouts set image shop app=shop:v2']) console.log(JSON.stringify(run(sim, l)));
  sim.runFor(30_000);
  for (const l of ['kubectl argo rollouts get rollout shop', 'kubectl argo rollouts status shop', 'kubectl argo rollouts list rollouts', 'kubectl argo rollouts abort shop', 'kubectl argo rollouts get rollout shop']) console.log(JSON.stringify(run(sim, l)));
  sim.runFor(30_000);
  for (const l of ['kubectl argo rollouts get rollout shop', 'kubectl argo rollouts status shop', 'kubectl argo rollouts retry rollout shop']) console.log(JSON.stringify(run(sim, l)));
  sim.runFor(30_000);
  for (const l of ['kubectl argo rollouts get rollout shop', 'kubectl argo rollouts promote shop --full']) console.log(JSON.stringify(run(sim, l)));
  sim.runFor(30_000);
  for (const l of ['kubectl argo rollouts get rollout shop', 'kubectl argo rollouts undo shop', 'kubectl argo rollouts pause shop', 'kubectl argo rollouts get rollout shop', 'kubectl argo rollouts promote shop', 'kubectl argo rollouts get rollout nope', 'kubectl argo rollouts frob', 'kubectl argo rollouts restart shop']) console.log(JSON.stringify(run(sim, l)));
  sim.runFor(60_000);
  for (const l of ['kubectl argo rollouts get rollout shop']) console.log(JSON.stringify(run(sim, l)));
});
