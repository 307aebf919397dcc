import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { addReplicaSet, addRollout, addService, harnessSim, hashOf, passes, rolloutOf, rsOf, T0 } from './harness.ts';
import { isoTime } from '../../clock.ts';
import { DEFAULT_SCALE_DOWN_DELAY_SECONDS, newRSReplicas } from './bluegreen.ts';
import { abortScaleDownDelaySeconds } from './replicaset.ts';
import { DESIRED_REPLICAS_ANNOTATION, HASH_LABEL, SCALE_DOWN_DEADLINE_ANNOTATION } from './util.ts';
import type { RolloutContext } from './context.ts';
import { api, rollout, rolloutCluster, run, service } from './testutil.ts';

const oracle = JSON.parse(readFileSync(new URL('../../../../test/fixtures/oracles/bluegreen.json', import.meta.url), 'utf8'));
const img = (rs: string) => `demo:${rs}`;
const svcHash = (sim: any, name: string) => sim.store.get('Service', 'default', name)?.spec.selector?.[HASH_LABEL];

function newRSNewReplicasCase(c: any): void {
  const { replicas, previewReplicaCount } = c.input;
  const ctx = (status: any): RolloutContext => ({ ro: { spec: { replicas, strategy: { blueGreen: { previewReplicaCount } } } }, newHash: 'new', status } as any);
  const got = [
    newRSReplicas(ctx({ blueGreen: { activeSelector: 'old' }, currentPodHash: 'new' })),
    newRSReplicas(ctx({ blueGreen: { activeSelector: 'old' }, pauseConditions: [{ reason: 'BlueGreenPause' }] })),
    newRSReplicas(ctx({ blueGreen: { activeSelector: 'old', scaleUpPreviewCheckPoint: true } })),
    newRSReplicas(ctx({ blueGreen: { activeSelector: 'old' }, promoteFull: true })),
    newRSReplicas(ctx({ blueGreen: { activeSelector: 'new' } })),
  ];
  expect(got).toEqual(c.expect.desiredReplicas);
}

/** documentedSequence runs a blue-green update in a full cluster and checks the documented order. */
function documentedSequence(): void {
  const sim = rolloutCluster({ 'demo:rs2': { startupSeconds: 5 } });
  api(sim).create(service('active', 'demo'));
  api(sim).create(service('preview', 'demo'));
  api(sim).create(rollout('demo', 4, { blueGreen: { activeService: 'active', previewService: 'preview', autoPromotionEnabled: false, previewReplicaCount: 1 } }, 'demo:rs1'));
  sim.runFor(20_000);
  const h1 = svcHash(sim, 'active');
  expect(svcHash(sim, 'preview')).toBe(h1);
  expect(run(sim, 'kubectl argo rollouts set image demo app=demo:rs2').exit).toBe(0);
  sim.runFor(20_000);
  const h2 = rolloutOf2(sim).status.currentPodHash;
  expect(svcHash(sim, 'preview')).toBe(h2);
  expect(svcHash(sim, 'active')).toBe(h1);
  expect(sim.store.get('ReplicaSet', 'default', `demo-${h2}`)!.spec.replicas).toBe(1);
  expect(rolloutOf2(sim).status.phase).toBe('Paused');
  expect(run(sim, 'kubectl argo rollouts promote demo').exit).toBe(0);
  expect(sim.store.get('ReplicaSet', 'default', `demo-${h2}`)!.spec.replicas).toBe(4);
  expect(svcHash(sim, 'active')).toBe(h1);
  sim.runFor(20_000);
  expect(svcHash(sim, 'active')).toBe(h2);
  expect(rolloutOf2(sim).status.stableRS).toBe(h2);
  expect(sim.store.get('ReplicaSet', 'default', `demo-${h1}`)!.spec.replicas).toBe(4);
  sim.runFor(31_000);
  expect(sim.store.get('ReplicaSet', 'default', `demo-${h1}`)!.spec.replicas).toBe(0);
}
const rolloutOf2 = (sim: any) => sim.store.get('Rollout', 'default', 'demo');

describe('blue-green (bluegreen.json)', () => {
  for (const c of oracle.cases) {
    it(c.name, () => {
      const i = c.input;
      const e = c.expect;
      if (i.fn === 'newRSNewReplicas') return newRSNewReplicasCase(c);
      if (i.fromDocs && e.steps) return documentedSequence();
      if (i.fromDocs) {
        const ro: any = { spec: { strategy: { blueGreen: {} } } };
        expect([DEFAULT_SCALE_DOWN_DELAY_SECONDS, abortScaleDownDelaySeconds(ro)]).toEqual([e.scaleDownDelaySeconds, e.abortScaleDownDelaySeconds]);
        return;
      }
      const sim = harnessSim();
      const keys = ['autoPromotionEnabled', 'autoPromotionSeconds', 'scaleDownDelaySeconds', 'previewReplicaCount', 'scaleDownDelayRevisionLimit', 'abortScaleDownDelaySeconds'];
      const bg: any = { activeService: i.activeService };
      if (i.previewService) bg.previewService = i.previewService;
      for (const k of keys) if (i[k] !== undefined) bg[k] = i[k];
      const desired = i.desired ?? i.stable ?? i.active ?? 'rs1';
      const h = (rs: string | null | undefined) => (rs ? hashOf(img(rs)) : undefined);
      let n = 1;
      if (i.brandNew) {
        addService(sim, i.activeService);
        if (i.previewService) addService(sim, i.previewService);
        addRollout(sim, i.replicas, { blueGreen: bg }, img('rs1'), {});
        n = 4;
      } else {
        addService(sim, i.activeService, h(i.active));
        if (i.previewService) addService(sim, i.previewService, h(i.preview ?? undefined));
        const paused = i.paused ? [{ reason: 'BlueGreenPause', startTime: isoTime(T0 - (i.pauseStartedSecondsAgo ?? 0) * 1000) }] : i.pauseConditions;
        const status: any = {
          stableRS: h(i.stable ?? i.active),
          currentPodHash: h(desired),
          blueGreen: { activeSelector: h(i.active), ...(i.scaleUpPreviewCheckPoint ? { scaleUpPreviewCheckPoint: true } : {}) },
          ...(paused ? { pauseConditions: paused } : {}),
          ...(i.paused || i.controllerPause ? { controllerPause: true } : {}),
          ...(i.aborted ? { abort: true, abortedAt: isoTime(T0) } : {}),
        };
        const ro = addRollout(sim, i.replicas, { blueGreen: bg }, img(desired), status, !!i.specPaused);
        const rss = i.rs ?? { [desired]: { spec: i.replicas, available: i.replicas } };
        for (const [name, st] of Object.entries(rss) as [string, any][]) addReplicaSet(sim, ro, img(name), parseInt(name.slice(2), 10), st);
      }
      passes(sim, n);
      const st = rolloutOf(sim).status;
      const newHash = st.currentPodHash;
      if (e.replicaSetCreated) expect(sim.store.list('ReplicaSet')).toHaveLength(1);
      if ('previewSelector' in e) expect(svcHash(sim, i.previewService)).toBe(e.previewSelector.startsWith('<') ? newHash : h(e.previewSelector));
      if ('activeSelector' in e) expect(svcHash(sim, i.activeService)).toBe(h(e.activeSelector));
      if ('stableRS' in e) expect(st.stableRS).toBe(e.stableRS.startsWith('<') ? newHash : h(e.stableRS));
      if ('phase' in e) expect(st.phase).toBe(e.phase);
      if ('message' in e) expect(st.message).toBe(e.message);
      if ('paused' in e) expect((st.pauseConditions?.length ?? 0) > 0).toBe(e.paused);
      if ('pauseConditions' in e) expect(st.pauseConditions?.length ? st.pauseConditions.map((p: any) => ({ reason: p.reason })) : null).toEqual(e.pauseConditions);
      if ('controllerPause' in e) expect(st.controllerPause ?? null).toBe(e.controllerPause);
      if (e.completionStatus === 'Promoted') expect(st.stableRS).toBe(st.currentPodHash);
      if ('rs1ScaleDownDeadlineInSeconds' in e) expect(rsOf(sim, img('rs1'))!.metadata.annotations![SCALE_DOWN_DEADLINE_ANNOTATION]).toBe(isoTime(T0 + e.rs1ScaleDownDeadlineInSeconds * 1000));
      for (const name of ['rs1', 'rs2', 'rs3']) {
        const x = e[name];
        if (!x) continue;
        const rs = rsOf(sim, img(name))!;
        if ('spec' in x) expect(rs.spec.replicas).toBe(x.spec);
        if (x.scaleDownDeadlineAnnotation === '') expect(rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION]).toBeUndefined();
        if ('desiredReplicasAnnotation' in x) expect(rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION]).toBe(x.desiredReplicasAnnotation);
      }
      if ('scaleUpPreviewCheckPoint' in e) expect(st.blueGreen?.scaleUpPreviewCheckPoint ?? null).toBe(e.scaleUpPreviewCheckPoint);
    });
  }
});

describe('blue-green with previewReplicaCount and autoPromotionSeconds', () => {
  it('pauses once with the preview at its count; when the pause runs out the preview scales up and is promoted (not paused again)', () => {
    const sim = rolloutCluster({ 'demo:rs1': { startupSeconds: 1 }, 'demo:rs2': { startupSeconds: 1 } });
    api(sim).create(service('active', 'demo'));
    api(sim).create(service('preview', 'demo'));
    api(sim).create(rollout('demo', 3, { blueGreen: { activeService: 'active', previewService: 'preview', previewReplicaCount: 1, autoPromotionSeconds: 20 } }, 'demo:rs1'));
    sim.runFor(20_000);
    expect(run(sim, 'kubectl argo rollouts set image demo app=demo:rs2').exit).toBe(0);
    sim.runFor(10_000);
    const h2 = rolloutOf2(sim).status.currentPodHash;
    const pause = rolloutOf2(sim).status.pauseConditions;
    expect(pause).toHaveLength(1);
    expect(sim.store.get('ReplicaSet', 'default', `demo-${h2}`)!.spec.replicas).toBe(1);
    // The 20 s run out: the checkpoint is passed, the preview grows to 3, the active Service switches.
    sim.runFor(30_000);
    expect(rolloutOf2(sim).status.pauseConditions).toBeUndefined();
    expect(sim.store.get('ReplicaSet', 'default', `demo-${h2}`)!.spec.replicas).toBe(3);
    expect(svcHash(sim, 'active')).toBe(h2);
    expect(rolloutOf2(sim).status.stableRS).toBe(h2);
  });
});
