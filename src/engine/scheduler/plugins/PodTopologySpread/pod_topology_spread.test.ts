import { describe, expect, it } from 'vitest';
import { makePod, nodeInfo, runFilter, runScore, staticHandle } from '../../testutil.ts';
import { newPodInfo, type NodeInfo } from '../../framework/nodeinfo.ts';
import type { Plugin } from '../../framework/types.ts';
import type { Pod } from '../../../api/types.ts';
import { ErrReasonConstraintsNotMatch, ErrReasonNodeLabelNotMatch, newPodTopologySpread } from './index.ts';

const zoneNode = (name: string, zone: string | undefined, podsWithFoo: number) =>
  nodeInfo(
    { name, labels: zone ? { zone, 'kubernetes.io/hostname': name } : { 'kubernetes.io/hostname': name } },
    Array.from({ length: podsWithFoo }, () => makePod({ labels: { foo: '' } })),
  );

const constraint = (when: string, key = 'zone', maxSkew = 1) => ({
  spec: { topologySpreadConstraints: [{ maxSkew, topologyKey: key, whenUnsatisfiable: when, labelSelector: { matchExpressions: [{ key: 'foo', operator: 'Exists' }] } }] },
  labels: { foo: '' },
});

describe('PodTopologySpread filter', () => {
  // zone1: 2 + 1 = 3 matching pods, zone2: 1 → placing into zone1 makes skew 4 - 1 = 3 > 1.
  const nodes = [zoneNode('a', 'zone1', 2), zoneNode('b', 'zone1', 1), zoneNode('c', 'zone2', 1), zoneNode('x', undefined, 0)];
  const pl = newPodTopologySpread({}, staticHandle(nodes));
  const pod = makePod(constraint('DoNotSchedule'));
  it.each([
    ['a', ErrReasonConstraintsNotMatch],
    ['b', ErrReasonConstraintsNotMatch],
    ['c', null],
    ['x', ErrReasonNodeLabelNotMatch],
  ])('node %s → %s', (name, want) => {
    const s = runFilter(pl, pod, nodes.find((n) => n.name === name)!);
    expect(s ? s.reasons[0] : null).toBe(want);
  });
  it('skips pods without DoNotSchedule constraints', () => {
    expect(runFilter(pl, makePod(constraint('ScheduleAnyway')), nodes[0])).toBeNull();
  });
});

describe('PodTopologySpread score (upstream TestPodTopologySpreadScore rows)', () => {
  const H = 'kubernetes.io/hostname';
  const node = (name: string, pods: string[][], zone?: string) =>
    nodeInfo({ name, labels: zone ? { zone, [H]: name } : { [H]: name } }, pods.map((ls) => makePod({ labels: Object.fromEntries(ls.map((l) => [l, ''])) })));
  const foo = (n: number) => Array.from({ length: n }, () => ['foo']);
  const spread = (...cs: [number, string, string][]) => ({
    labels: { foo: '', bar: '' },
    spec: { topologySpreadConstraints: cs.map(([maxSkew, topologyKey, key]) => ({ maxSkew, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchExpressions: [{ key, operator: 'Exists' }] } })) },
  });
  it.each([
    ['maxSkew=1, 2/1/0/3', spread([1, H, 'foo']), [node('a', foo(2)), node('b', foo(1)), node('c', []), node('d', foo(3))], [], { a: 20, b: 60, c: 100, d: 0 }],
    ['maxSkew=2, 2/1/0/3', spread([2, H, 'foo']), [node('a', foo(2)), node('b', foo(1)), node('c', []), node('d', foo(3))], [], { a: 33, b: 66, c: 100, d: 16 }],
    ['maxSkew=3, 4/3/2/1', spread([3, H, 'foo']), [node('a', foo(4)), node('b', foo(3)), node('c', foo(2)), node('d', foo(1))], [], { a: 44, b: 66, c: 77, d: 100 }],
    [
      'zone, 3 of 4 nodes candidates (the filtered-out node still counts in its zone)',
      spread([1, 'zone', 'foo']),
      [node('a', foo(4), 'zone1'), node('b', foo(2), 'zone1'), node('x', foo(1), 'zone2')],
      [node('y', foo(3), 'zone2')],
      { a: 75, b: 75, x: 100 },
    ],
    [
      'zone and node, 2 of 4 candidates',
      spread([1, 'zone', 'foo'], [1, H, 'foo']),
      [node('a', foo(2), 'zone1'), node('x', foo(2), 'zone2')],
      [node('b', foo(1), 'zone1'), node('y', foo(4), 'zone2')],
      { a: 100, x: 63 },
    ],
  ])('%s', (_n, p, nodes, failed, want) => {
    const pl = newPodTopologySpread({}, staticHandle([...nodes, ...failed]));
    expect(runScore(pl, makePod(p), nodes)).toEqual(want);
  });
});

/** runScoreAll is runScore through scoreAll (the scheduler's path), normalized the same way. */
function runScoreAll(plugin: Plugin, pod: Pod, nodes: NodeInfo[]): Record<string, number> | 'skipped' {
  const state = new Map<string, unknown>();
  if (plugin.preScore?.(state, pod, nodes)?.code === 'Skip') return 'skipped';
  const scores = new Float64Array(nodes.length);
  plugin.scoreAll!(state, pod, nodes, scores);
  plugin.normalizeScore?.(state, pod, scores, nodes);
  return Object.fromEntries(nodes.map((n, i) => [n.name, scores[i]]));
}

describe('PodTopologySpread system default constraints (hostname maxSkew 3, zone maxSkew 5, ScheduleAnyway)', () => {
  const H = 'kubernetes.io/hostname';
  const Z = 'topology.kubernetes.io/zone';
  const web = { app: 'web', 'pod-template-hash': '1' };
  const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', namespace: 'default' }, spec: { selector: { matchLabels: web } } };
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' } } };
  const owned = (labels: Record<string, string>) => {
    const p = makePod({ labels });
    p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'rs-1', controller: true }];
    return p;
  };
  const node = (name: string, matching: number, zone?: string, others = 0) =>
    nodeInfo({ name, labels: zone ? { [H]: name, [Z]: zone } : { [H]: name } }, [
      ...Array.from({ length: matching }, () => owned(web)),
      ...Array.from({ length: others }, () => owned({ app: 'web', 'pod-template-hash': '2' })),
    ]);
  const handle = (nodes: NodeInfo[], objs: any[]) => ({
    ...staticHandle(nodes),
    listObjects: (kind: string, ns: string) => objs.filter((o) => o.kind === kind && o.metadata.namespace === ns),
    getObject: (kind: string, ns: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.namespace === ns && o.metadata.name === name),
  });
  // Scores by hand from upstream's formulas: per constraint cnt * log(domains + 2) + (maxSkew - 1),
  // rounded; normalized as 100 * (max + min - s) / max.
  it.each([
    // Nodes without a zone label still spread by host (not ignored): 2·ln5+2 = 5, ln5+2 = 4, 2.
    ['owned by a ReplicaSet, no zones', () => owned(web), [node('a', 2), node('b', 1), node('c', 0)], [rs], { a: 40, b: 60, c: 100 }],
    // With zones: zone1 holds 3 matching pods, zone2 none (weight ln4): 13, 12, 6.
    ['owned by a ReplicaSet, two zones', () => owned(web), [node('a', 2, 'z1'), node('b', 1, 'z1'), node('c', 0, 'z2')], [rs], { a: 46, b: 53, c: 100 }],
    // The ReplicaSet's selector has pod-template-hash: another revision's pods do not count (2, 4, 2).
    ['another revision does not count', () => owned(web), [node('a', 0, undefined, 5), node('b', 1), node('c', 0)], [rs], { a: 100, b: 50, c: 100 }],
    // A bare pod that a Service selects spreads by the Service's selector (here both revisions count).
    ['a bare pod selected by a Service', () => makePod({ labels: { app: 'web' } }), [node('a', 1, undefined, 1), node('b', 1), node('c', 0)], [svc], { a: 40, b: 60, c: 100 }],
    ['a bare pod nothing selects', () => makePod({ labels: { app: 'web' } }), [node('a', 2), node('b', 0)], [rs], 'skipped'],
  ] as const)('%s', (_n, pod, nodes, objs, want) => {
    const pl = newPodTopologySpread({}, handle([...nodes], [...objs]));
    expect(runScore(pl, pod(), [...nodes])).toEqual(want);
    // scoreAll reads the kept totals by node (the scheduler's path): the same scores.
    expect(runScoreAll(pl, pod(), [...nodes])).toEqual(want);
  });

  it('List defaulting with no constraints turns the defaults off', () => {
    const nodes = [node('a', 2), node('b', 0)];
    const pl = newPodTopologySpread({ defaultingType: 'List' }, handle(nodes, [rs]));
    expect(runScore(pl, owned(web), nodes)).toBe('skipped');
  });

  it('recounts a node once its pods change (memoized counts)', () => {
    const nodes = [node('a', 2), node('b', 1), node('c', 0)];
    const pl = newPodTopologySpread({}, handle(nodes, [rs]));
    expect(runScore(pl, owned(web), nodes)).toEqual({ a: 40, b: 60, c: 100 });
    nodes[2].addPod(newPodInfo(owned(web)));
    nodes[2].addPod(newPodInfo(owned(web)));
    nodes[2].addPod(newPodInfo(owned(web)));
    // c now has 3 (3·ln5+2 = 7): a 5, b 4, c 7 → 100·(11−s)/7.
    expect(runScore(pl, owned(web), nodes)).toEqual({ a: 85, b: 100, c: 57 });
  });

  it('keeps the zone totals right as pods come and go', () => {
    const nodes = [node('a', 2, 'z1'), node('b', 1, 'z1'), node('c', 0, 'z2')];
    const pl = newPodTopologySpread({}, handle(nodes, [rs]));
    expect(runScore(pl, owned(web), nodes)).toEqual({ a: 46, b: 53, c: 100 });
    const added = [owned(web), owned(web), owned(web)].map(newPodInfo);
    for (const pi of added) nodes[2].addPod(pi);
    // Both zones hold 3 (3·ln4+4 each): a 13, b 12, c 3·ln5+2+8.16 = 15 → 100·(27−s)/15.
    expect(runScore(pl, owned(web), nodes)).toEqual({ a: 93, b: 100, c: 80 });
    for (const pi of added) nodes[2].removePod(pi.uid);
    expect(runScore(pl, owned(web), nodes)).toEqual({ a: 46, b: 53, c: 100 });
  });

  it('keeps the zone totals right through relabels and long runs of changes (the journal)', () => {
    const nodes = [node('a', 2, 'z1'), node('b', 1, 'z1'), node('c', 0, 'z2')];
    const objs = [rs];
    const kept = newPodTopologySpread({}, handle(nodes, objs));
    // A node moving to another zone: its pods move with it.
    nodes[1].setNode({ ...nodes[1].node, metadata: { ...nodes[1].node.metadata, labels: { [H]: 'b', [Z]: 'z2' } } });
    expect(runScore(kept, owned(web), nodes)).toEqual(runScore(newPodTopologySpread({}, handle(nodes, objs)), owned(web), nodes));
    // Thousands of changes between two scorings (past the journal's limit), and a few between others.
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const live: { node: number; uid: string }[] = [];
    for (const burst of [5000, 1, 3, 2000, 0, 7]) {
      for (let i = 0; i < burst; i++) {
        if (live.length > 0 && rand(3) === 0) {
          const [p] = live.splice(rand(live.length), 1);
          nodes[p.node].removePod(p.uid);
        } else {
          const pi = newPodInfo(owned(web));
          const n = rand(nodes.length);
          nodes[n].addPod(pi);
          live.push({ node: n, uid: pi.uid });
        }
      }
      const fresh = runScore(newPodTopologySpread({}, handle(nodes, objs)), owned(web), nodes);
      expect(runScore(kept, owned(web), nodes)).toEqual(fresh);
      expect(runScoreAll(kept, owned(web), nodes)).toEqual(fresh);
      // A subset of the nodes feasible: the domains among them set the zone weight.
      expect(runScoreAll(kept, owned(web), nodes.slice(1))).toEqual(runScore(newPodTopologySpread({}, handle(nodes, objs)), owned(web), nodes.slice(1)));
    }
  });
});
