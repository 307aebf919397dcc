import { describe, expect, it } from 'vitest';
import { makePod, nodeInfo, staticHandle } from '../testutil.ts';
import { buildProfile } from './registry.ts';

describe('scoreAll gives every feasible node the score that score gives it', () => {
  const H = 'kubernetes.io/hostname';
  const nodes = [
    nodeInfo({ name: 'a', allocatable: { cpu: '4', memory: '8Gi' }, labels: { [H]: 'a', 'topology.kubernetes.io/zone': 'z1' } }, [makePod({ containers: [{ cpu: '1', memory: '1Gi' }], labels: { app: 'web' } })]),
    nodeInfo({ name: 'b', allocatable: { cpu: '8', memory: '4Gi' }, labels: { [H]: 'b' }, taints: [{ key: 'k', value: 'v', effect: 'PreferNoSchedule' }] }),
    nodeInfo({ name: 'c', allocatable: { cpu: '2', memory: '16Gi' }, labels: { [H]: 'c', 'topology.kubernetes.io/zone': 'z2' } }, [makePod({ containers: [{ cpu: '500m' }], labels: { app: 'web' } })]),
  ];
  const profile = buildProfile(staticHandle(nodes));
  it.each([
    ['requests', makePod({ containers: [{ cpu: '250m', memory: '512Mi' }], labels: { app: 'web' } })],
    ['no requests', makePod({ containers: [{}] })],
    [
      'own spreading',
      makePod({
        containers: [{ cpu: '100m' }],
        labels: { app: 'web' },
        spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: H, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } }] },
      }),
    ],
  ])('%s', (_n, pod) => {
    for (const { plugin } of profile.scores) {
      if (!plugin.scoreAll) continue;
      const state = new Map<string, unknown>();
      if (plugin.preScore?.(state, pod, nodes)?.code === 'Skip') continue;
      const all = new Float64Array(nodes.length);
      plugin.scoreAll(state, pod, nodes, all);
      expect([...all], plugin.name).toEqual(nodes.map((n) => plugin.score!(state, pod, n)));
    }
  });
});
