import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import type { ApiServer } from '../api/server.ts';
import type { Pod } from '../api/types.ts';
import { ApiError } from '../api/errors.ts';
import { computeDesired, type EvictionService, type PodDisruptionBudget } from './disruption.ts';

describe('computeDesired (getExpectedPodCount)', () => {
  const table: { name: string; spec: PodDisruptionBudget['spec']; pods: number; scale: number; want: { expected: number; desired: number } }[] = [
    { name: 'minAvailable int counts pods', spec: { minAvailable: 2 }, pods: 3, scale: 5, want: { expected: 3, desired: 2 } },
    { name: 'minAvailable percent rounds up on scale', spec: { minAvailable: '50%' }, pods: 3, scale: 5, want: { expected: 5, desired: 3 } },
    { name: 'maxUnavailable int', spec: { maxUnavailable: 1 }, pods: 3, scale: 3, want: { expected: 3, desired: 2 } },
    { name: 'maxUnavailable percent rounds up', spec: { maxUnavailable: '30%' }, pods: 3, scale: 5, want: { expected: 5, desired: 3 } },
    { name: 'maxUnavailable above scale', spec: { maxUnavailable: 10 }, pods: 3, scale: 3, want: { expected: 3, desired: 0 } },
  ];
  it.each(table)('$name', ({ spec, pods, scale, want }) => {
    expect(computeDesired(spec, pods, () => scale)).toEqual(want);
  });
});

function setup() {
  const sim = createCluster({ seed: 5, nodes: [{ name: 'node-1' }, { name: 'node-2' }], images: { 'nginx:1': { startupSeconds: 1 } } });
  const ev = sim.service<EvictionService>('eviction');
  const api = sim.service<ApiServer>('api');
  api.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } },
  });
  api.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web-pdb', namespace: 'default' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } });
  sim.runFor(30_000);
  return { sim, ev, api };
}

describe('disruption controller and eviction', () => {
  it('status and one allowed eviction, then 429', () => {
    const { sim, ev } = setup();
    const pdb = sim.store.get<PodDisruptionBudget>('PodDisruptionBudget', 'default', 'web-pdb')!;
    expect(pdb.status).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1, observedGeneration: 1 });
    expect(sim.service<EvictionService>('eviction')).toBe(ev);
    const pods = sim.store.list<Pod>('Pod', 'default');
    ev.evict('default', pods[0].metadata.name);
    expect(pods[0].status.conditions?.find((c) => c.type === 'DisruptionTarget')?.reason).toBe('EvictionByEvictionAPI');
    expect(pdb.status.disruptionsAllowed).toBe(0);
    let err: unknown;
    try {
      ev.evict('default', pods[1].metadata.name);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(429);
    expect((err as ApiError).message).toBe("Cannot evict pod as it would violate the pod's disruption budget.");
    expect((err as ApiError).causes[0].detail).toBe('The disruption budget web-pdb needs 2 healthy pods and has 3 currently');
    sim.settle();
    expect(pdb.status).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 0 });
    // The replacement becomes ready; the budget allows one more.
    sim.runFor(60_000);
    expect(pdb.status.disruptionsAllowed).toBe(1);
  });

  it('unknown pod is NotFound; pods without a budget are evicted', () => {
    const { ev, api, sim } = setup();
    expect(() => ev.evict('default', 'nope')).toThrow('pods "nope" not found');
    api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'solo', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } });
    sim.runFor(10_000);
    ev.evict('default', 'solo');
    expect(sim.store.get<Pod>('Pod', 'default', 'solo')?.metadata.deletionTimestamp).toBeDefined();
  });
});

describe('kubectl drain through the eviction service', () => {
  it('evicts what the budget allows and reports the rest as kubectl does', async () => {
    const { runCommand } = await import('../kubectl/index.ts');
    const { sim, api, ev } = setup();
    // The wiring the kubectl module will do: drain calls api.evict when present.
    (api as unknown as { evict: EvictionService['evict'] }).evict = (ns, name, opts) => ev.evict(ns, name, opts);
    const byNode = new Map<string, string[]>();
    for (const p of sim.store.list<Pod>('Pod', 'default')) byNode.set(p.spec.nodeName!, [...(byNode.get(p.spec.nodeName!) ?? []), p.metadata.name]);
    const [node, names] = [...byNode].sort((a, b) => b[1].length - a[1].length)[0];
    expect(names.length).toBeGreaterThanOrEqual(2);
    const r = runCommand(sim, `kubectl drain ${node}`);
    if (names.length >= 2) {
      expect(r.exit).toBe(1);
      expect(r.out).toContain(`error when evicting pods/"${names.sort()[1]}" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.\n`);
    }
    expect(r.out).toContain(`pod/${names.sort()[0]} evicted\n`);
    if (names.length >= 2) {
      // The terminal cannot wait for the budget: without --timeout it says so; with one, kubectl's timeout message.
      expect(r.out).toContain(`node/${node} is cordoned but not drained`);
      const t = runCommand(sim, `kubectl drain ${node} --timeout=5s`);
      expect(t.exit).toBe(1);
      expect(t.out).toContain(`error: unable to drain node "${node}" due to error: error when evicting pods/"${names.sort()[1]}" -n "default": global timeout reached: 5s, continuing command...\nThere are pending nodes to be drained:\n ${node}\n`);
    }
  });
});
