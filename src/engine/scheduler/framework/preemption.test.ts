import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types.ts';
import { isoTime } from '../../clock.ts';
import { Rng } from '../../rng.ts';
import { makePod, nodeInfo } from '../testutil.ts';
import { buildProfile } from './registry.ts';
import { runFilters } from '../schedule_one.ts';
import type { NodeInfo } from './nodeinfo.ts';
import {
  calculateNumCandidates,
  filterPodsWithPDBViolation,
  pdbInfo,
  pickOneNodeForPreemption,
  preempt,
  selectVictimsOnNode,
  type Candidate,
  type PdbInfo,
} from './preemption.ts';

/** p makes a bound pod: cpu request in millicores, priority, start second, labels. */
function p(name: string, cpu: number, prio: number, start = 0, labels?: Record<string, string>): Pod {
  const pod = makePod({ name, containers: [{ cpu: `${cpu}m` }], labels, spec: { priority: prio } });
  pod.status = { phase: 'Running', startTime: isoTime(start * 1000) };
  return pod;
}

const node = (name: string, cpu: number, pods: Pod[]) => nodeInfo({ name, allocatable: { cpu: `${cpu}m`, memory: '8Gi' } }, pods);
const handle = { nodeInfos: () => [], namespaceLabels: () => undefined, havePodsWithAffinity: () => false, havePodsWithRequiredAntiAffinity: () => false, imageNumNodes: () => 0 };
const profile = buildProfile(handle);
const fits = (pod: Pod, ni: NodeInfo) => runFilters(profile, pod, ni);
const names = (pods: Pod[]) => pods.map((x) => x.metadata.name);
const pdb = (app: string, allowed: number, disrupted: string[] = []): PdbInfo =>
  pdbInfo({ metadata: { name: `pdb-${app}`, namespace: 'default' }, spec: { selector: { matchLabels: { app } } }, status: { disruptionsAllowed: allowed, disruptedPods: Object.fromEntries(disrupted.map((d) => [d, 'x'])) } })!;

describe('selectVictimsOnNode', () => {
  const cases: { name: string; node: () => NodeInfo; preemptor: Pod; pdbs?: PdbInfo[]; victims?: string[]; violations?: number; status?: string }[] = [
    {
      name: 'only lower-priority pods are victims; the most important are reprieved first',
      node: () => node('n1', 1000, [p('low-a', 300, 1, 10), p('low-b', 300, 2, 10), p('high', 300, 100)]),
      preemptor: p('pre', 500, 50),
      // Removing low-a and low-b leaves 300m; reprieve low-b (priority 2) first: 600m + 500m > 1000m, so it is a victim; low-a too.
      victims: ['low-b', 'low-a'],
      violations: 0,
    },
    {
      name: 'reprieves what fits back: one of two victims suffices',
      node: () => node('n1', 1000, [p('a', 400, 1, 5), p('b', 400, 1, 1)]),
      preemptor: p('pre', 500, 10),
      // Same priority: b started earlier, so it is more important and reprieved; a is the victim.
      victims: ['a'],
      violations: 0,
    },
    {
      name: 'no lower-priority pod: unresolvable, no victims',
      node: () => node('n1', 1000, [p('x', 900, 10)]),
      preemptor: p('pre', 500, 10),
      status: 'UnschedulableAndUnresolvable: No preemption victims found for incoming pod',
    },
    {
      name: 'still does not fit with every lower pod gone: the filter says why',
      node: () => node('n1', 1000, [p('low', 200, 1), p('high', 700, 100)]),
      preemptor: p('pre', 500, 10),
      status: 'Unschedulable: Insufficient cpu',
    },
    {
      name: 'PDB: a pod whose eviction violates its budget is reprieved before one that does not',
      node: () => node('n1', 1000, [p('guarded', 500, 1, 1, { app: 'db' }), p('free', 500, 1, 2, { app: 'web' })]),
      preemptor: p('pre', 500, 10),
      pdbs: [pdb('db', 0)],
      victims: ['free'],
      violations: 0,
    },
    {
      name: 'PDB: when only the guarded pods can make room, the violation is counted',
      node: () => node('n1', 1000, [p('g1', 500, 1, 1, { app: 'db' }), p('g2', 500, 1, 2, { app: 'db' })]),
      preemptor: p('pre', 1000, 10),
      pdbs: [pdb('db', 1)],
      // Sorted g1, g2; the budget allows 1: g1 non-violating, g2 violating. Both must go: 1 violation.
      victims: ['g1', 'g2'],
      violations: 1,
    },
    {
      name: 'PDB: a pod already in disruptedPods costs no budget',
      node: () => node('n1', 1000, [p('g1', 500, 1, 1, { app: 'db' }), p('g2', 500, 1, 2, { app: 'db' })]),
      preemptor: p('pre', 1000, 10),
      pdbs: [pdb('db', 1, ['g1'])],
      victims: ['g1', 'g2'],
      violations: 0,
    },
  ];
  it.each(cases)('$name', (c) => {
    const ni = c.node();
    const before = [...ni.pods.keys()];
    const cpuBefore = ni.requested.milliCPU;
    const r = selectVictimsOnNode(fits, c.preemptor, ni, c.pdbs ?? [], 100_000);
    if (c.status) {
      expect('status' in r && `${r.status.code}: ${r.status.reasons.join(', ')}`).toBe(c.status);
    } else {
      expect('victims' in r && names(r.victims)).toEqual(c.victims);
      expect('victims' in r && r.numPDBViolations).toBe(c.violations);
    }
    // The node is left exactly as it was (pods, order and totals).
    expect([...ni.pods.keys()]).toEqual(before);
    expect(ni.requested.milliCPU).toBe(cpuBefore);
  });
});

describe('filterPodsWithPDBViolation', () => {
  it('spends each budget in order and ignores other namespaces and unlabeled pods', () => {
    const pods = [p('a', 1, 1, 0, { app: 'db' }), p('b', 1, 1, 0, { app: 'db' }), p('c', 1, 1, 0), p('d', 1, 1, 0, { app: 'db' })];
    pods[3].metadata.namespace = 'other';
    const r = filterPodsWithPDBViolation(pods, [pdb('db', 1)]);
    expect(names(r.nonViolating)).toEqual(['a', 'c', 'd']);
    expect(names(r.violating)).toEqual(['b']);
  });
  it('a PDB with an empty selector matches nothing', () => {
    expect(pdbInfo({ metadata: { name: 'x' }, spec: { selector: {} } })).toBeUndefined();
  });
});

describe('pickOneNodeForPreemption', () => {
  const c = (node: string, victims: Pod[], numPDBViolations = 0): Candidate => ({ node, victims, numPDBViolations });
  it.each([
    ['fewest PDB violations', [c('n1', [p('a', 1, 1)], 1), c('n2', [p('b', 1, 5), p('c', 1, 5)], 0)], 'n2'],
    ['lowest highest-victim priority', [c('n1', [p('a', 1, 5)]), c('n2', [p('b', 1, 3), p('c', 1, 3)])], 'n2'],
    ['smallest sum of priorities', [c('n1', [p('a', 1, 3), p('b', 1, 3)]), c('n2', [p('c', 1, 3), p('d', 1, 1)])], 'n2'],
    ['sum counts each victim (+2^31): fewer negative victims win', [c('n1', [p('a', 1, -10), p('b', 1, -10)]), c('n2', [p('c', 1, -10)])], 'n2'],
    ['fewest victims', [c('n1', [p('a', 1, 0), p('b', 1, 0)]), c('n2', [p('c', 1, 0)])], 'n2'],
    ['latest start of the highest-priority victims', [c('n1', [p('a', 1, 2, 10)]), c('n2', [p('b', 1, 2, 50)])], 'n2'],
    ['the first candidate on a full tie', [c('n1', [p('a', 1, 2, 10)]), c('n2', [p('b', 1, 2, 10)])], 'n1'],
  ])('%s', (_name, candidates, want) => {
    expect(pickOneNodeForPreemption(candidates as Candidate[], 100_000)?.node).toBe(want);
  });
  it('one victim fits back: only the lower one goes', () => {
    const ni = node('n1', 1000, [p('low-a', 300, 1, 10), p('low-b', 300, 2, 10), p('high', 300, 100)]);
    const r = selectVictimsOnNode(fits, p('pre', 400, 50), ni, [], 100_000);
    expect('victims' in r && names(r.victims)).toEqual(['low-a']);
  });
  it('no candidates: none', () => expect(pickOneNodeForPreemption([], 0)).toBeUndefined());
});

describe('calculateNumCandidates (10%, at least 100, at most all)', () => {
  it.each([
    [3, 3],
    [150, 100],
    [5000, 500],
  ])('%d nodes → %d', (n, want) => expect(calculateNumCandidates(n)).toBe(want));
});

describe('preempt', () => {
  const base = (nodes: NodeInfo[], preemptor: Pod, extra: Partial<Parameters<typeof preempt>[0]> = {}) =>
    preempt({
      pod: preemptor,
      numAllNodes: nodes.length,
      failedNodes: nodes,
      failedStatuses: nodes.map((ni) => fits(preemptor, ni)!),
      pdbs: [],
      fits,
      rng: new Rng(1),
      now: 100_000,
      lowerPriorityExists: true,
      ...extra,
    });

  it('picks the node whose victims matter least', () => {
    const nodes = [node('n1', 1000, [p('mid', 800, 5)]), node('n2', 1000, [p('low', 800, 1)]), node('n3', 1000, [p('top', 800, 100)])];
    const r = base(nodes, p('pre', 500, 50));
    expect(r.candidate?.node).toBe('n2');
    expect(names(r.candidate!.victims)).toEqual(['low']);
    expect(r.candidates).toBe(2);
  });

  it('preemptionPolicy Never: not eligible', () => {
    const pre = p('pre', 500, 50);
    pre.spec.preemptionPolicy = 'Never';
    const r = base([node('n1', 1000, [p('low', 800, 1)])], pre);
    expect(r.candidate).toBeUndefined();
    expect(r.message).toBe('preemption: not eligible due to preemptionPolicy=Never');
  });

  it('a terminating lower-priority pod on the nominated node: wait, do not preempt again', () => {
    const victim = p('low', 800, 1);
    victim.metadata.deletionTimestamp = isoTime(0);
    const n1 = node('n1', 1000, [victim]);
    const pre = p('pre', 500, 50);
    pre.status.nominatedNodeName = 'n1';
    const r = base([n1], pre, { nominatedNode: n1 });
    expect(r.message).toBe('preemption: not eligible due to a terminating pod on the nominated node');
  });

  it('unresolvable nodes are skipped; per-node reasons when nothing helps', () => {
    const tainted = nodeInfo({ name: 'n0', allocatable: { cpu: '1', memory: '8Gi' }, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] });
    const nodes = [tainted, node('n1', 1000, [p('x', 800, 100)]), node('n2', 1000, [p('low', 100, 1), p('y', 800, 100)])];
    const r = base(nodes, p('pre', 500, 50));
    expect(r.message).toBe(
      'preemption: 0/3 nodes are available: 1 Insufficient cpu, 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
    );
    expect(r.clearNomination).toBe(true);
  });

  it('no lower-priority pod anywhere: every resolvable node has no victims, without a dry run', () => {
    const r = base([node('n1', 1000, [p('x', 800, 0)])], p('pre', 500, 0), { lowerPriorityExists: false });
    expect(r.message).toBe('preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
  });
});
