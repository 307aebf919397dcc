import { it } from 'vitest';
import { rolloutCluster, api, service, rollout, setImage, live } from '/work/main/src/engine/controllers/rollout/testutil.ts';
it('smoke', () => {
  const sim = rolloutCluster();
  api(sim).create(rollout('shop', 5, { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: { duration: 10 } }] } }));
  sim.runFor(20000);
  const p = () => { const r = live(sim, 'shop'); console.log(sim.now()/1000, r.status.phase, r.status.message, r.status.currentStepIndex, sim.store.list('ReplicaSet').map((x) => `${x.metadata.name}:${x.spec.replicas}/${x.status.availableReplicas}`).join(' ')); };
  p();
  setImage(sim, 'shop', 'shop:v2');
  sim.runFor(20000); p();
  api(sim); 
  const r = live(sim, 'shop'); r.status.pauseConditions = []; sim.store.update(r);
  sim.runFor(5000); p();
  sim.runFor(20000); p();
  console.log(sim.store.list('Event').filter(e=>e.involvedObject.kind==='Rollout').map(e=>e.reason+': '+e.message).join('\n'));
  console.log(sim.warnings);
});
