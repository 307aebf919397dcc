import { describe, expect, it } from 'vitest';
import { makePod, nodeInfo, runFilter, runScore, staticHandle } from '../../testutil.ts';
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
