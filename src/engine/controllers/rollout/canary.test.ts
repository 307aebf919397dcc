import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { addReplicaSet, addRollout, events, firstScale, harnessSim, hashOf, passes, rolloutOf, rsOf, T0 } from './harness.ts';
import { isoTime } from '../../clock.ts';
import { DEFAULT_MAX_SURGE, DEFAULT_MAX_UNAVAILABLE, currentSetWeight } from './replicaset.ts';
import { durationSeconds, REVISION_ANNOTATION } from './util.ts';

const oracle = JSON.parse(readFileSync(new URL('../../../../test/fixtures/oracles/canary-steps.json', import.meta.url), 'utf8'));

const V1 = 'demo:v1';
const V2 = 'demo:v2';

/** fromDocs checks documented facts against the code's constants and helpers. */
function docsCase(c: any): void {
  const e = c.expect;
  if (e.maxSurge) {
    expect([DEFAULT_MAX_SURGE, DEFAULT_MAX_UNAVAILABLE]).toEqual([e.maxSurge, e.maxUnavailable]);
    return;
  }
  if (e.seconds) {
    const got = c.input.durations.map((d: string | null) => (d === null ? 'indefinite' : durationSeconds(d)));
    expect(got).toEqual(e.seconds);
    return;
  }
  if ('setCanaryScaleUsed' in e) {
    // Without trafficRouting the replica split follows setWeight; setCanaryScale is ignored.
    const sim = harnessSim();
    addReplicaSet(sim, { metadata: { uid: 'x' }, spec: { replicas: 10 } } as any, V1, 1, { spec: 10, available: 10 });
    const ro = addRollout(sim, 10, { canary: { steps: c.input.steps } }, V2, { stableRS: hashOf(V1), currentPodHash: hashOf(V2), currentStepIndex: 0 });
    expect(currentSetWeight(ro)).toBe(0);
    const stable = rsOf(sim, V1)!;
    stable.metadata.ownerReferences = [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'demo', uid: ro.metadata.uid!, controller: true }];
    sim.store.update(stable);
    passes(sim, 2);
    expect(rsOf(sim, V2)?.spec.replicas ?? 0).toBe(0);
    return;
  }
  throw new Error('unhandled docs case');
}

describe('canary steps (canary-steps.json)', () => {
  for (const c of oracle.cases) {
    it(c.name, () => {
      const i = c.input;
      if (i.fromDocs) return docsCase(c);
      const e = c.expect;
      const sim = harnessSim();
      const strategy = { canary: { steps: i.steps, ...(i.maxSurge !== undefined ? { maxSurge: i.maxSurge } : {}), ...(i.maxUnavailable !== undefined ? { maxUnavailable: i.maxUnavailable } : {}) } };
      const h1 = hashOf(V1);
      const h2 = hashOf(V2);
      const pauseConditions = i.pauseConditions?.map((p: any) => ({ reason: p.reason, startTime: isoTime(T0 - (p.startedSecondsAgo ?? 0) * 1000) }));
      const base: any = {
        ...(i.currentStepIndex !== undefined ? { currentStepIndex: i.currentStepIndex } : {}),
        ...(pauseConditions ? { pauseConditions } : {}),
        ...(i.controllerPause ? { controllerPause: true } : {}),
        ...(i.aborted ? { abort: true, abortedAt: isoTime(T0) } : {}),
      };
      let n = 1;
      if (i.brandNew) {
        addRollout(sim, i.replicas, strategy, V2, {});
        n = 4;
      } else if (i.stableIsCurrent) {
        const ro = addRollout(sim, i.replicas, strategy, V2, { ...base, stableRS: h2, currentPodHash: h2 });
        (i.olderReplicaSets ?? []).forEach((o: any, k: number) => addReplicaSet(sim, ro, `demo:${o.name}`, k + 1, o));
        addReplicaSet(sim, ro, V2, (i.olderReplicaSets?.length ?? 0) + 1, i.current);
      } else {
        const stable = i.stable ?? { spec: 1, available: 1 };
        const canary = i.canary === undefined ? { spec: 1, available: 1 } : i.canary;
        const image = i.templateNowEqualsStable ? V1 : V2;
        const ro = addRollout(sim, i.replicas, strategy, image, { ...base, stableRS: h1, currentPodHash: canary ? h2 : h1 }, !!(i.specPaused || i.paused));
        addReplicaSet(sim, ro, V1, 1, stable);
        const older = i.olderReplicaSets ?? [];
        older.forEach((o: any, k: number) => addReplicaSet(sim, ro, `demo:${o.name ?? 'old' + k}`, k + 2, o));
        if (canary) addReplicaSet(sim, ro, V2, older.length + 2, canary);
        if (!canary || i.templateNowEqualsStable) n = 2;
      }
      passes(sim, n);
      const st = rolloutOf(sim).status;
      if ('currentStepIndex' in e) expect(st.currentStepIndex ?? null).toBe(e.currentStepIndex);
      if ('pauseConditions' in e) expect(st.pauseConditions?.length ? st.pauseConditions.map((p: any) => ({ reason: p.reason })) : null).toEqual(e.pauseConditions);
      if ('controllerPause' in e) expect(st.controllerPause ?? null).toBe(e.controllerPause);
      if ('phase' in e) expect(st.phase).toBe(e.phase);
      if ('message' in e) expect(st.message).toBe(e.message);
      if ('stableRS' in e) expect(st.stableRS).toBe(h2);
      if (e.completionStatus === 'Promoted') expect(st.stableRS).toBe(st.currentPodHash);
      if (e.completionStatus === 'FastRolledBack') expect(events(sim)).toContain('SkipSteps: Rollback to stable');
      if (e.newReplicaSetCreated) expect(rsOf(sim, V2)).toBeDefined();
      if ('canaryCreatedWithReplicas' in e) expect(events(sim).some((x) => x.startsWith('NewReplicaSetCreated') && x.includes(`demo-${h2}`))).toBe(true);
      if ('canaryCreatedWithReplicas' in e) expect(events(sim)).toContain(`ScalingReplicaSet: Scaled up ReplicaSet demo-${h2} (revision 2) from ${e.canaryCreatedWithReplicas} to ${e.canaryScaledTo}`);
      else if ('canaryScaledTo' in e) expect(firstScale(sim, `demo-${h2}`)).toBe(e.canaryScaledTo);
      if ('stableScaledTo' in e) expect(firstScale(sim, `demo-${h1}`)).toBe(e.stableScaledTo);
      if ('intermediateScaledTo' in e) expect(firstScale(sim, `demo-${hashOf('demo:intermediate')}`)).toBe(e.intermediateScaledTo);
      if (e.scaledTo) for (const [name, v] of Object.entries(e.scaledTo)) expect(firstScale(sim, `demo-${hashOf('demo:' + name)}`)).toBe(v);
      if ('progressingReason' in e) expect(st.conditions.find((x: any) => x.type === 'Progressing')?.reason).toBe(e.progressingReason);
      if ('abort' in e) expect(st.abort ?? null).toBe(e.abort);
      if ('abortedAt' in e) expect(st.abortedAt ?? null).toBe(e.abortedAt);
      if ('currentPodHash' in e) expect(st.currentPodHash).toBe(h1);
      if ('stableRevisionBumpedTo' in e) expect(rsOf(sim, V1)!.metadata.annotations![REVISION_ANNOTATION]).toBe(e.stableRevisionBumpedTo);
      if (e.canaryUpdated === false) expect(firstScale(sim, `demo-${h2}`)).toBeUndefined();
    });
  }
});
