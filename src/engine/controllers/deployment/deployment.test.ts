import { describe, expect, it } from 'vitest';
import type { Deployment, Pod } from '../../api/types.ts';
import { isPodReady } from '../../api/podutil.ts';
import { computeHash } from './hash.ts';
import { deploymentHistory, restartDeployment, rollbackDeployment } from './index.ts';
import { events, newDeployment, podsOf, readyAll, replicaSets, setImage, testSim } from './testcluster.ts';
import { REVISION_ANNOTATION } from './util.ts';

function livePods(sim: ReturnType<typeof testSim>): Pod[] {
  return sim.store.list<Pod>('Pod').filter((p) => !p.metadata.deletionTimestamp);
}

function conditions(d: Deployment): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of d.status.conditions ?? []) out[c.type] = `${c.status} ${c.reason}: ${c.message}`;
  return out;
}

describe('computeHash', () => {
  it('is stable, in the safe alphabet, and changes with collisionCount', () => {
    const t = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.0' }] } };
    const h = computeHash(t);
    expect(h).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(computeHash(structuredClone(t))).toBe(h);
    expect(computeHash({ spec: t.spec, metadata: t.metadata })).toBe(h);
    expect(computeHash(t, 1)).not.toBe(h);
  });
});

describe('Deployment controller (integration, kubelet played by hand)', () => {
  it('creates the RS and pods, and reports availability', () => {
    const sim = testSim();
    const d = sim.store.create(newDeployment('web', 3));
    sim.settle();
    const [rs] = replicaSets(sim, d);
    const hash = computeHash(d.spec.template);
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.metadata.annotations).toMatchObject({
      [REVISION_ANNOTATION]: '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    const pods = podsOf(sim, rs);
    expect(pods).toHaveLength(3);
    for (const p of pods) expect(p.metadata.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    expect(events(sim, d, 'ScalingReplicaSet')).toEqual([`Scaled up replica set web-${hash} from 0 to 3`]);
    expect(events(sim, rs, 'SuccessfulCreate')).toEqual(pods.map((p) => `Created pod: ${p.metadata.name}`));
    expect(d.metadata.annotations?.[REVISION_ANNOTATION]).toBe('1');
    expect(conditions(d).Progressing).toBe(`True ReplicaSetUpdated: ReplicaSet "web-${hash}" is progressing.`);
    // maxUnavailable 0 (25% of 3 rounds down): 0 available < 3 → unavailable.
    expect(conditions(d).Available).toBe('False MinimumReplicasUnavailable: Deployment does not have minimum availability.');
    readyAll(sim);
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    expect(d.status.unavailableReplicas).toBeUndefined();
    expect(conditions(d)).toEqual({
      Available: 'True MinimumReplicasAvailable: Deployment has minimum availability.',
      Progressing: `True NewReplicaSetAvailable: ReplicaSet "web-${hash}" has successfully progressed.`,
    });
    expect(rs.status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
  });

  it('rolls out a new image one pod at a time within maxSurge/maxUnavailable (graceful deletes)', () => {
    const sim = testSim({ gracefulApi: true, graceSeconds: 5 });
    const d = sim.store.create(newDeployment('web', 3));
    sim.settle();
    readyAll(sim);
    const [oldRS] = replicaSets(sim, d);
    setImage(sim, d, 'nginx:2.0');
    const newRS = replicaSets(sim, d).find((r) => r !== oldRS)!;
    expect(newRS.metadata.annotations?.[REVISION_ANNOTATION]).toBe('2');
    // 25%/25% of 3 → maxSurge 1, maxUnavailable 0: at most 4 live pods, at least 3 ready.
    for (let step = 0; step < 50; step++) {
      const live = livePods(sim);
      expect(live.length).toBeLessThanOrEqual(4);
      expect(live.filter(isPodReady).length).toBeGreaterThanOrEqual(3);
      if ((oldRS.spec.replicas ?? 0) === 0 && livePods(sim).every(isPodReady) && newRS.status.availableReplicas === 3) break;
      sim.runFor(1000);
      readyAll(sim, 1);
    }
    sim.runFor(10_000); // let terminating pods go
    expect(oldRS.spec.replicas).toBe(0);
    expect(newRS.spec.replicas).toBe(3);
    expect(podsOf(sim, oldRS)).toHaveLength(0);
    expect(podsOf(sim, newRS)).toHaveLength(3);
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 2 });
    expect(conditions(d).Progressing).toBe(`True NewReplicaSetAvailable: ReplicaSet "${newRS.metadata.name}" has successfully progressed.`);
    const o = oldRS.metadata.name;
    const n = newRS.metadata.name;
    expect(events(sim, d, 'ScalingReplicaSet')).toEqual([
      `Scaled up replica set ${o} from 0 to 3`,
      `Scaled up replica set ${n} from 0 to 1`,
      `Scaled down replica set ${o} from 3 to 2`,
      `Scaled up replica set ${n} from 1 to 2`,
      `Scaled down replica set ${o} from 2 to 1`,
      `Scaled up replica set ${n} from 2 to 3`,
      `Scaled down replica set ${o} from 1 to 0`,
    ]);
  });

  it('Recreate scales old to 0, waits for old pods to be gone, then scales up new', () => {
    const sim = testSim({ gracefulApi: true, graceSeconds: 10 });
    const d = sim.store.create(newDeployment('db', 2, { strategy: { type: 'Recreate' } }));
    sim.settle();
    readyAll(sim);
    const [oldRS] = replicaSets(sim, d);
    setImage(sim, d, 'postgres:16');
    expect(oldRS.spec.replicas).toBe(0);
    // Old pods are terminating (grace 10s): no new RS yet.
    expect(replicaSets(sim, d)).toHaveLength(1);
    sim.runFor(5000);
    expect(replicaSets(sim, d)).toHaveLength(1);
    sim.runFor(6000);
    const rss = replicaSets(sim, d);
    expect(rss).toHaveLength(2);
    const newRS = rss.find((r) => r !== oldRS)!;
    expect(newRS.spec.replicas).toBe(2);
    readyAll(sim);
    expect(d.status).toMatchObject({ replicas: 2, updatedReplicas: 2, availableReplicas: 2 });
    expect(events(sim, d, 'ScalingReplicaSet')).toEqual([
      `Scaled up replica set ${oldRS.metadata.name} from 0 to 2`,
      `Scaled down replica set ${oldRS.metadata.name} from 2 to 0`,
      `Scaled up replica set ${newRS.metadata.name} from 0 to 2`,
    ]);
  });

  it('rollback, history and restart follow kubectl', () => {
    const sim = testSim({ gracefulApi: true, graceSeconds: 1 });
    const d = sim.store.create(newDeployment('web', 2, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }));
    d.metadata.annotations = { 'kubernetes.io/change-cause': 'create v1' };
    sim.store.update(d);
    sim.settle();
    readyAll(sim);
    d.metadata.annotations = { ...d.metadata.annotations, 'kubernetes.io/change-cause': 'set image v2' };
    setImage(sim, d, 'nginx:2.0');
    for (let i = 0; i < 10; i++) {
      sim.runFor(2000);
      readyAll(sim);
    }
    const h = deploymentHistory(sim, d);
    expect(h.map((e) => [e.revision, e.changeCause])).toEqual([
      [1, 'create v1'],
      [2, 'set image v2'],
    ]);
    expect(rollbackDeployment(sim, d, 5)).toEqual({ error: 'error: unable to find specified revision 5 in history' });
    expect(rollbackDeployment(sim, d, 2)).toEqual({ ok: 'deployment.apps/web skipped rollback (current template already matches revision 2)' });
    const cur = sim.store.get<Deployment>('Deployment', 'default', 'web')!;
    expect(rollbackDeployment(sim, cur, 0)).toEqual({ ok: 'deployment.apps/web rolled back' });
    sim.settle();
    const back = sim.store.get<Deployment>('Deployment', 'default', 'web')!;
    expect(back.spec.template.spec.containers[0].image).toBe('nginx:1.0');
    expect(back.spec.template.metadata?.labels).toEqual({ app: 'web' });
    expect(back.metadata.annotations?.['kubernetes.io/change-cause']).toBe('create v1');
    for (let i = 0; i < 10; i++) {
      sim.runFor(2000);
      readyAll(sim);
    }
    // Revision 1's RS became revision 3 (history "1"); no new RS.
    expect(deploymentHistory(sim, back).map((e) => e.revision)).toEqual([2, 3]);
    expect(replicaSets(sim, back)).toHaveLength(2);
    const rs1 = replicaSets(sim, back).find((r) => r.metadata.annotations?.[REVISION_ANNOTATION] === '3')!;
    expect(rs1.metadata.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(rs1.spec.replicas).toBe(2);
    expect(back.metadata.annotations?.[REVISION_ANNOTATION]).toBe('3');

    sim.runFor(7000);
    expect(restartDeployment(sim, back)).toEqual({ ok: 'deployment.apps/web restarted' });
    sim.settle();
    const restarted = sim.store.get<Deployment>('Deployment', 'default', 'web')!;
    expect(restarted.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBe(sim.nowIso());
    expect(replicaSets(sim, restarted)).toHaveLength(3);
    restarted.spec.paused = true;
    sim.store.update(restarted, { specChanged: true });
    expect(rollbackDeployment(sim, restarted, 0)).toEqual({
      error: "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    });
    expect(restartDeployment(sim, restarted)).toEqual({ error: 'error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)' });
  });

  it('pause: template changes wait, scaling still happens; resume rolls out', () => {
    const sim = testSim();
    const d = sim.store.create(newDeployment('web', 2));
    sim.settle();
    readyAll(sim);
    d.spec.paused = true;
    sim.store.update(d, { specChanged: true });
    sim.settle();
    expect(conditions(d).Progressing).toBe('Unknown DeploymentPaused: Deployment is paused');
    setImage(sim, d, 'nginx:2.0');
    expect(replicaSets(sim, d)).toHaveLength(1);
    d.spec.replicas = 4;
    sim.store.update(d, { specChanged: true });
    sim.settle();
    const [rs] = replicaSets(sim, d);
    expect(rs.spec.replicas).toBe(4);
    expect(events(sim, d, 'ScalingReplicaSet').at(-1)).toBe(`Scaled up replica set ${rs.metadata.name} from 2 to 4`);
    d.spec.paused = false;
    sim.store.update(d, { specChanged: true });
    sim.settle();
    expect(replicaSets(sim, d)).toHaveLength(2);
    expect(d.status.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe('ReplicaSetUpdated');
  });

  it('proportional scaling mid-rollout spreads the change over both RSs', () => {
    const sim = testSim();
    const d = sim.store.create(newDeployment('web', 10, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
    sim.settle();
    readyAll(sim);
    const [oldRS] = replicaSets(sim, d);
    setImage(sim, d, 'nginx:broken'); // new pods never become ready
    const newRS = replicaSets(sim, d).find((r) => r !== oldRS)!;
    expect([oldRS.spec.replicas, newRS.spec.replicas]).toEqual([8, 5]);
    d.spec.replicas = 20;
    sim.store.update(d, { specChanged: true });
    sim.settle();
    // allowed 23, current 13 → +10: old 8*23/13=14.15 → +6, new 5*23/13=8.8 → +4.
    expect([oldRS.spec.replicas, newRS.spec.replicas]).toEqual([14, 9]);
  });

  it('revisionHistoryLimit deletes the oldest scaled-down RSs', () => {
    const sim = testSim();
    const d = sim.store.create(newDeployment('web', 1, { revisionHistoryLimit: 1 }));
    sim.settle();
    readyAll(sim);
    for (const img of ['a:1', 'a:2', 'a:3']) {
      setImage(sim, d, img);
      for (let i = 0; i < 5; i++) {
        sim.runFor(1000);
        readyAll(sim);
      }
    }
    const rss = replicaSets(sim, d);
    expect(rss.map((r) => r.metadata.annotations?.[REVISION_ANNOTATION]).sort()).toEqual(['3', '4']);
    expect(rss.find((r) => r.spec.template.spec.containers[0].image === 'a:3')?.spec.replicas).toBe(1);
  });

  it('ProgressDeadlineExceeded is noticed on time by a timer', () => {
    const sim = testSim();
    const d = sim.store.create(newDeployment('web', 1, { progressDeadlineSeconds: 30 }));
    sim.settle();
    const [rs] = replicaSets(sim, d);
    sim.runUntil(30_000);
    expect(d.status.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe('ReplicaSetUpdated');
    sim.runUntil(31_000);
    expect(conditions(d).Progressing).toBe(`False ProgressDeadlineExceeded: ReplicaSet "${rs.metadata.name}" has timed out progressing.`);
  });

  it('minReadySeconds: available only after the pod has been ready that long', () => {
    const sim = testSim();
    const d = sim.store.create(newDeployment('web', 2, { minReadySeconds: 10 }));
    sim.settle();
    readyAll(sim);
    const [rs] = replicaSets(sim, d);
    expect(rs.status).toMatchObject({ replicas: 2, readyReplicas: 2 });
    expect(rs.status.availableReplicas).toBeUndefined();
    sim.runUntil(9_999);
    expect(rs.status.availableReplicas).toBeUndefined();
    sim.runUntil(10_000);
    expect(rs.status.availableReplicas).toBe(2);
    expect(d.status.availableReplicas).toBe(2);
  });
});
