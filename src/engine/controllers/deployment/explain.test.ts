import { describe, expect, it } from 'vitest';
import type { Deployment, Pod, ReplicaSet } from '../../api/types.ts';
import { isoTime } from '../../clock.ts';
import { explainDeployment } from './explain.ts';
import { deployment, loadOracle } from './testutil.ts';
import { DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, REVISION_ANNOTATION } from './util.ts';

/** mk builds a Deployment (observed, so the arithmetic is not hidden behind "not observed yet"). */
function mk(opts: Parameters<typeof deployment>[0] & { paused?: boolean; status?: Deployment['status'] }): Deployment {
  const d = deployment(opts);
  d.status = { observedGeneration: 1, ...(opts.status ?? {}) };
  if (opts.paused) d.spec.paused = true;
  return d;
}

/**
 * rsOf builds a ReplicaSet the Deployment controls: "new" has the Deployment's template, "old" an
 * older image. ageSeconds orders them (larger = older).
 */
function rsOf(d: Deployment, name: string, which: 'new' | 'old', replicas: number, available: number, ageSeconds: number, rev: number): ReplicaSet {
  const template = structuredClone(d.spec.template);
  template.metadata = { labels: { ...template.metadata?.labels, 'pod-template-hash': name } };
  if (which === 'old') template.spec.containers[0].image = 'img:old';
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      creationTimestamp: isoTime(1_000_000 - ageSeconds * 1000),
      annotations: { [REVISION_ANNOTATION]: String(rev), [DESIRED_REPLICAS_ANNOTATION]: String(d.spec.replicas), [MAX_REPLICAS_ANNOTATION]: '0' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, uid: d.metadata.uid!, controller: true }],
    },
    spec: { replicas, selector: d.spec.selector, template },
    status: { replicas, availableReplicas: available, readyReplicas: available },
  };
}

describe('explainDeployment against the rolling-update oracle', () => {
  const cases = loadOracle('rolling-update').filter((c) => c.input.fn === 'reconcileNewReplicaSet' || c.input.fn === 'reconcileOldReplicaSets');
  it('uses the 13 reconcile cases', () => expect(cases.length).toBe(13));
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const i = c.input;
    const d = mk({ replicas: i.replicas, maxSurge: i.maxSurge, maxUnavailable: i.maxUnavailable });
    const old = rsOf(d, 'old', 'old', i.oldReplicas, i.oldAvailable ?? i.oldReplicas, 10, 1);
    const nu = rsOf(d, 'new', 'new', i.newReplicas, i.newAvailable ?? 0, 0, 2);
    const ex = explainDeployment(d, [old, nu]);
    if (i.fn === 'reconcileNewReplicaSet') {
      expect(ex.scaleUp!.to).toBe(c.expect.scaled ? c.expect.newReplicasScaledTo : i.newReplicas);
    } else {
      expect(ex.scaleDown!.count).toBe(c.expect.scaled ? i.oldReplicas - c.expect.oldReplicasScaledTo : 0);
    }
    // The copies were scaled, never the input.
    expect(old.spec.replicas).toBe(i.oldReplicas);
    expect(nu.spec.replicas).toBe(i.newReplicas);
  });
});

describe('explainDeployment words', () => {
  const d10 = () => mk({ replicas: 10, maxSurge: '25%', maxUnavailable: '25%' });
  const table: { name: string; make: () => { d: Deployment; rss: ReplicaSet[]; pods?: Pod[] }; want: RegExp[]; state?: string }[] = [
    {
      name: 'fenceposts of 25%/25% of 10',
      make: () => {
        const d = d10();
        return { d, rss: [rsOf(d, 'old', 'old', 10, 10, 10, 1), rsOf(d, 'new', 'new', 3, 0, 0, 2)] };
      },
      want: [
        /^maxSurge 25% of 10 = 2\.5 → rounds up to 3$/,
        /^maxUnavailable 25% of 10 = 2\.5 → rounds down to 2$/,
        /^max total pods = 10 \+ 3 = 13$/,
        /^min available = 10 − 2 = 8$/,
        /^new pods that may start: 0 — total 13 = 10 \+ 3 maxSurge: no room$/,
        /^old pods that may stop: 2 — 13 total − 8 minAvailable − 3 new not yet available = 2; available 10 − minAvailable 8 = 2 healthy old pods may go$/,
        /^next sync: remove 2 old pods$/,
      ],
      state: 'rolling',
    },
    {
      name: 'waiting for new pods to become Ready',
      make: () => {
        const d = d10();
        return { d, rss: [rsOf(d, 'old', 'old', 8, 8, 10, 1), rsOf(d, 'new', 'new', 5, 0, 0, 2)] };
      },
      want: [/^new pods that may start: 0 — total 13 = 10 \+ 3 maxSurge: no room$/, /none may go until new pods become Ready$/, /^next sync: wait for new pods to become Ready$/],
    },
    {
      name: 'first sync creates room for 3',
      make: () => {
        const d = d10();
        return { d, rss: [rsOf(d, 'old', 'old', 10, 10, 10, 1), rsOf(d, 'new', 'new', 0, 0, 0, 2)] };
      },
      want: [/^new pods that may start: 3 — room: min\(13 max − 10 total, 10 desired − 0 new\) = 3$/, /^next sync: scale new from 0 to 3$/],
    },
    {
      name: 'both fenceposts 0 resolve maxUnavailable to 1',
      make: () => {
        const d = mk({ replicas: 3, maxSurge: 0, maxUnavailable: 0 });
        return { d, rss: [rsOf(d, 'old', 'old', 3, 3, 10, 1), rsOf(d, 'new', 'new', 0, 0, 0, 2)] };
      },
      want: [/^maxUnavailable 0 → 1 \(maxSurge and maxUnavailable are both 0/, /^min available = 3 − 1 = 2$/],
    },
    {
      name: 'minReadySeconds changes what "available" waits for',
      make: () => {
        const d = d10();
        d.spec.minReadySeconds = 10;
        return { d, rss: [rsOf(d, 'old', 'old', 8, 8, 10, 1), rsOf(d, 'new', 'new', 5, 0, 0, 2)] };
      },
      want: [/until new pods become available \(Ready for 10s, minReadySeconds\)$/],
    },
    {
      name: 'paused',
      make: () => {
        const d = mk({ replicas: 10, maxSurge: '25%', maxUnavailable: '25%', paused: true });
        return { d, rss: [rsOf(d, 'old', 'old', 10, 10, 10, 1), rsOf(d, 'new', 'new', 3, 3, 0, 2)] };
      },
      want: [/^Paused: /, /^old pods that may stop once resumed: 5 — /],
      state: 'paused',
    },
    {
      name: 'complete',
      make: () => {
        const d = mk({ replicas: 4, maxSurge: '25%', maxUnavailable: '25%', status: { observedGeneration: 1, replicas: 4, updatedReplicas: 4, availableReplicas: 4 } });
        return { d, rss: [rsOf(d, 'old', 'old', 0, 0, 10, 1), rsOf(d, 'new', 'new', 4, 4, 0, 2)] };
      },
      want: [/^Complete: all 4 replicas are updated and available\.$/, /^maxSurge 25% of 4 = 1$/, /no old pods are left$/],
      state: 'complete',
    },
    {
      name: 'ProgressDeadlineExceeded',
      make: () => {
        const cond = { type: 'Progressing', status: 'False' as const, reason: 'ProgressDeadlineExceeded', message: 'x' };
        const d = mk({ replicas: 4, maxSurge: 1, maxUnavailable: 0, status: { observedGeneration: 1, replicas: 5, updatedReplicas: 1, availableReplicas: 4, conditions: [cond] } });
        d.spec.progressDeadlineSeconds = 60;
        return { d, rss: [rsOf(d, 'old', 'old', 4, 4, 10, 1), rsOf(d, 'new', 'new', 1, 0, 0, 2)] };
      },
      want: [/^ProgressDeadlineExceeded: no progress for progressDeadlineSeconds \(60s\)/, /^maxSurge 1$/, /^new pods that may start: 0 — total 5 = 4 \+ 1 maxSurge: no room$/, /5 total − 4 minAvailable − 1 new not yet available = 0: none may go until new pods become Ready$/],
      state: 'timedOut',
    },
    {
      name: 'scaling event mid-rollout is proportional',
      make: () => {
        const d = mk({ replicas: 20, maxSurge: '25%', maxUnavailable: '25%' });
        const old = rsOf(d, 'old', 'old', 8, 8, 10, 1);
        const nu = rsOf(d, 'new', 'new', 5, 0, 0, 2);
        for (const rs of [old, nu]) rs.metadata.annotations = { ...rs.metadata.annotations, [DESIRED_REPLICAS_ANNOTATION]: '10', [MAX_REPLICAS_ANNOTATION]: '13' };
        return { d, rss: [old, nu] };
      },
      want: [/^spec\.replicas changed to 20/, /^scale old: 8 → 15$/, /^scale new: 5 → 10$/],
      state: 'scaling',
    },
  ];
  it.each(table.map((t) => [t.name, t] as const))('%s', (_n, t) => {
    const { d, rss, pods } = t.make();
    const ex = explainDeployment(d, rss, pods);
    for (const re of t.want) expect(ex.lines.some((l) => re.test(l)), `${re} in\n${ex.lines.join('\n')}`).toBe(true);
    if (t.state) expect(ex.state).toBe(t.state);
  });
});

describe('explainDeployment for Recreate', () => {
  const pod = (name: string, rs: ReplicaSet, opts: { terminating?: boolean; phase?: string } = {}): Pod =>
    ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: 'default',
        uid: `p-${name}`,
        ...(opts.terminating ? { deletionTimestamp: isoTime(0) } : {}),
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid!, controller: true }],
      },
      spec: { containers: [] },
      status: { phase: opts.phase ?? 'Running' },
    }) as unknown as Pod;

  it('scales the old ReplicaSet to 0 first', () => {
    const d = mk({ replicas: 3, strategy: 'Recreate' });
    const old = rsOf(d, 'old', 'old', 3, 3, 10, 1);
    const ex = explainDeployment(d, [old]);
    expect(ex.state).toBe('recreate');
    expect(ex.maxSurge).toBeUndefined();
    expect(ex.next).toBe('scale old to 0');
  });
  it('waits for terminating old pods', () => {
    const d = mk({ replicas: 3, strategy: 'Recreate' });
    const old = rsOf(d, 'old', 'old', 0, 0, 10, 1);
    old.status.replicas = 0;
    const pods = [pod('a', old, { terminating: true }), pod('b', old, { terminating: true })];
    const ex = explainDeployment(d, [old], pods);
    expect(ex.next).toBe('wait for 2 old pods to terminate');
    expect(ex.counts.terminating).toBe(2);
  });
  it('then scales the new ReplicaSet to all replicas at once', () => {
    const d = mk({ replicas: 3, strategy: 'Recreate' });
    const old = rsOf(d, 'old', 'old', 0, 0, 10, 1);
    old.status.replicas = 0;
    const nu = rsOf(d, 'new', 'new', 0, 0, 0, 2);
    expect(explainDeployment(d, [old, nu], [pod('a', old, { phase: 'Succeeded' })]).next).toBe('scale new to 3');
  });
});

describe('explainDeployment on a live cluster (scenarios/rolling-update.yaml)', () => {
  it('at every settled instant the controller has already done all the arithmetic allows', async () => {
    const { readFileSync } = await import('node:fs');
    const { parseScenario } = await import('../../scenario/parse.ts');
    const { runScenario } = await import('../../scenario/run.ts');
    const text = readFileSync(new URL('../../../../scenarios/rolling-update.yaml', import.meta.url), 'utf8');
    const sim = runScenario(parseScenario(text, 'scenarios/rolling-update.yaml'), { until: 30_500 }).sim!;
    const explain = () => {
      const d = sim.store.get<Deployment>('Deployment', 'default', 'web')!;
      const rss = sim.store.list<ReplicaSet>('ReplicaSet', 'default');
      const pods = sim.store.list<Pod>('Pod', 'default');
      return explainDeployment(d, rss, pods);
    };
    const first = explain();
    expect(first.lines).toContain('maxSurge 1');
    expect(first.lines).toContain('maxUnavailable 0');
    expect(first.lines).toContain('max total pods = 4 + 1 = 5');
    expect(first.lines).toContain('min available = 4 − 0 = 4');
    expect(first.lines).toContain('new pods that may start: 0 — total 5 = 4 + 1 maxSurge: no room');
    expect(first.lines).toContain('old pods that may stop: 0 — 5 total − 4 minAvailable − 1 new not yet available = 0: none may go until new pods become Ready');
    const seen = new Set<string>();
    for (let t = 31_000; t <= 90_000; t += 1000) {
      sim.runUntil(t);
      const ex = explain();
      seen.add(ex.state);
      expect(ex.scaleUp?.count ?? 0, `${t}: ${ex.lines.join('\n')}`).toBe(0);
      expect(ex.scaleDown?.count ?? 0, `${t}: ${ex.lines.join('\n')}`).toBe(0);
    }
    expect(explain().state).toBe('complete');
    expect(seen).toContain('rolling');
  });
});
