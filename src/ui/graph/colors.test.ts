import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../engine/api/types.ts';
import { applyDiff, useCluster } from '../state/cluster.ts';
import { colorForRevision, NO_REVISION, REVISION_COLORS, revisionColor, revisionNumber } from './colors.ts';
import { revisionNumbers } from './model.ts';

let uid = 0;
function rs(name: string, revision: string | undefined, hashLabel: 'pod-template-hash' | 'rollouts-pod-template-hash' = 'pod-template-hash'): KubeObject {
  const hash = name.slice(name.lastIndexOf('-') + 1);
  const annotation = hashLabel === 'pod-template-hash' ? 'deployment.kubernetes.io/revision' : 'rollout.argoproj.io/revision';
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default', uid: `rs${++uid}`, labels: { [hashLabel]: hash }, annotations: revision ? { [annotation]: revision } : {} },
    spec: {},
  };
}

function map(list: KubeObject[]): ReadonlyMap<string, KubeObject> {
  return new Map(list.map((o) => [`default/${o.metadata.name}`, o]));
}

describe('revisionNumbers', () => {
  it('maps hash and name to the revision annotation, Deployments and Argo Rollouts alike', () => {
    const n = revisionNumbers([rs('web-aaa', '1'), rs('web-bbb', '2'), rs('shop-ccc', '7', 'rollouts-pod-template-hash'), rs('bare-ddd', undefined), rs('odd-eee', 'x')]);
    expect([...n]).toEqual([
      ['aaa', 1],
      ['web-aaa', 1],
      ['bbb', 2],
      ['web-bbb', 2],
      ['ccc', 7],
      ['shop-ccc', 7],
    ]);
  });

  it("keeps a Deployment's ReplicaSet at its first revision after a rollback re-numbers it (revision-history)", () => {
    const old = rs('web-aaa', '3');
    old.metadata.annotations!['deployment.kubernetes.io/revision-history'] = '1';
    const twice = rs('web-ccc', '6');
    twice.metadata.annotations!['deployment.kubernetes.io/revision-history'] = '4,2';
    const n = revisionNumbers([old, rs('web-bbb', '2'), twice]);
    expect(n.get('aaa')).toBe(1);
    expect(n.get('bbb')).toBe(2);
    expect(n.get('ccc')).toBe(2);
  });
});

describe('colorForRevision', () => {
  it.each([
    [1, 0],
    [2, 1],
    [8, 7],
    [9, 0],
    [10, 1],
  ])('revision %i → palette[%i]', (n, i) => expect(colorForRevision(n)).toBe(REVISION_COLORS[i]));
  it('gives consecutive revisions different colours, none of them the error red', () => {
    for (let n = 1; n < 40; n++) expect(colorForRevision(n)).not.toBe(colorForRevision(n + 1));
    expect(REVISION_COLORS).not.toContain('#dc2626');
    expect(new Set(REVISION_COLORS).size).toBe(REVISION_COLORS.length);
  });
});

describe('revisionColor', () => {
  // The canary scenario's two hashes collided in the old hash-based palette (both lime).
  const stable = rs('shop-6f8b9c7d5', '1', 'rollouts-pod-template-hash');
  const canary = rs('shop-5d7c8b6f4', '2', 'rollouts-pod-template-hash');

  it('colours stable and canary by revision order, by hash or name', () => {
    const m = map([stable, canary]);
    expect(revisionColor('6f8b9c7d5', m)).toBe(REVISION_COLORS[0]);
    expect(revisionColor('shop-6f8b9c7d5', m)).toBe(REVISION_COLORS[0]);
    expect(revisionColor('5d7c8b6f4', m)).toBe(REVISION_COLORS[1]);
    expect(revisionColor(undefined, m)).toBe(NO_REVISION);
    expect(REVISION_COLORS).toContain(revisionColor('some-statefulset', m));
  });

  it('reads the page’s cluster store, follows a rollback, and remembers deleted ReplicaSets', () => {
    let objects = applyDiff({}, { t: 0, reset: true, upserted: [stable, canary], removed: [] });
    useCluster.setState({ objects });
    expect(revisionColor('6f8b9c7d5')).toBe(REVISION_COLORS[0]);
    expect(revisionNumber('5d7c8b6f4')).toBe(2);
    // Pods come and go: the ReplicaSets stay, so do the colours.
    objects = applyDiff(objects, { t: 1000, upserted: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'shop-5d7c8b6f4-x', namespace: 'default', uid: 'p1' } }], removed: [] });
    useCluster.setState({ objects });
    expect(revisionColor('5d7c8b6f4')).toBe(REVISION_COLORS[1]);
    // A rollback to the stable template makes it revision 3.
    const rolledBack = { ...stable, metadata: { ...stable.metadata, annotations: { 'rollout.argoproj.io/revision': '3' } } };
    objects = applyDiff(objects, { t: 2000, upserted: [rolledBack], removed: [] });
    useCluster.setState({ objects });
    expect(revisionColor('6f8b9c7d5')).toBe(REVISION_COLORS[2]);
    // The canary ReplicaSet is garbage-collected: its charts keep their colour.
    objects = applyDiff(objects, { t: 3000, upserted: [], removed: [{ kind: 'ReplicaSet', namespace: 'default', name: 'shop-5d7c8b6f4' }] });
    useCluster.setState({ objects });
    expect(revisionColor('5d7c8b6f4')).toBe(REVISION_COLORS[1]);
  });
});

describe('owners', () => {
  const owned = (name: string, revision: string, owner: string): KubeObject => {
    const o = rs(name, revision);
    o.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: owner, uid: `d-${owner}`, controller: true }];
    return o;
  };

  it("two owners' first revisions differ (canary-plain's two Deployments); one owner's revisions still follow its order", () => {
    useCluster.setState({ epoch: 100 });
    const stable = owned('web-aaa1', '1', 'web');
    const canary = owned('web-canary-bbb1', '1', 'web-canary');
    const stable2 = owned('web-ccc1', '2', 'web');
    const m = map([stable, canary, stable2]);
    expect(revisionColor('aaa1', m)).toBe(REVISION_COLORS[0]);
    expect(revisionColor('ccc1', m)).toBe(REVISION_COLORS[1]);
    expect(revisionColor('bbb1', m)).toBe(REVISION_COLORS[3]);
    // The first Deployment and its ReplicaSets are deleted: the other one keeps its colour.
    expect(revisionColor('bbb1', map([canary]))).toBe(REVISION_COLORS[3]);
  });

  it('a revision named for a blue/green slot is drawn in its colour; the others keep off those colours', () => {
    useCluster.setState({ epoch: 150 });
    const [blue, green] = [REVISION_COLORS[0], REVISION_COLORS[2]];
    // Two Deployments, web-blue and web-green (bluegreen-plain): the green one is green, not its owner's stride colour.
    const webBlue = owned('web-blue-aaa2', '1', 'web-blue');
    const webGreen = owned('web-green-bbb2', '1', 'web-green');
    expect([revisionColor('aaa2', map([webBlue, webGreen])), revisionColor('bbb2', map([webBlue, webGreen]))]).toEqual([blue, green]);
    // An update inside the blue slot: its newest revision is blue, the one it replaces another colour.
    const webBlue2 = owned('web-blue-ccc2', '2', 'web-blue');
    const m = map([webBlue, webGreen, webBlue2]);
    expect(revisionColor('ccc2', m)).toBe(blue);
    expect([blue, green]).not.toContain(revisionColor('aaa2', m));
    // One Rollout whose images are tagged :blue and :green (argo-bluegreen), then a third version.
    const tagged = (name: string, revision: string, image: string) => {
      const o = rs(name, revision, 'rollouts-pod-template-hash');
      o.spec = { template: { spec: { containers: [{ name: 'shop', image }] } } };
      return o;
    };
    const m2 = map([tagged('shop-ddd2', '1', 'shop:blue'), tagged('shop-eee2', '2', 'shop:green'), tagged('shop-fff2', '3', 'shop:v3'), tagged('shop-ggg2', '4', 'shop:v4')]);
    expect(['ddd2', 'eee2'].map((k) => revisionColor(k, m2))).toEqual([blue, green]);
    const [v3, v4] = ['fff2', 'ggg2'].map((k) => revisionColor(k, m2));
    expect([blue, green]).not.toContain(v3);
    expect([blue, green]).not.toContain(v4);
    expect(v3).not.toBe(v4);
  });

  it('a new cluster (a load or a rewind: a reset diff) counts its owners afresh', () => {
    // The previous scenario's owner was seen first: its objects are drawn until the reset arrives.
    useCluster.setState({ epoch: 200 });
    expect(revisionColor('eee1', map([owned('api-eee1', '1', 'api')]))).toBe(REVISION_COLORS[0]);
    expect(revisionColor('fff1', map([owned('api-eee1', '1', 'api'), owned('shop-fff1', '1', 'shop')]))).toBe(REVISION_COLORS[3]);
    // The next scenario's reset: its first owner is blue, before and after the page learns its name.
    useCluster.setState({ epoch: 201 });
    expect(revisionColor('fff1', map([owned('shop-fff1', '1', 'shop')]))).toBe(REVISION_COLORS[0]);
    useCluster.setState({ scenario: 'argo-canary.yaml' });
    expect(revisionColor('fff1', map([owned('shop-fff1', '1', 'shop')]))).toBe(REVISION_COLORS[0]);
  });
});


describe('StatefulSet and DaemonSet revisions', () => {
  it("number a ControllerRevision by its `revision`, found by the pods' controller-revision-hash", () => {
    const cr = (name: string, revision: number): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name, namespace: 'default', uid: `cr-${name}`, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'sts-db', controller: true }] },
      revision,
    });
    useCluster.setState({ epoch: 300 });
    const objects = applyDiff({}, { t: 0, reset: true, upserted: [cr('db-5d8f7c9b6', 1), cr('db-7b9c6d5f8', 2)], removed: [] });
    useCluster.setState({ objects });
    expect(revisionNumber('db-5d8f7c9b6')).toBe(1);
    expect(revisionNumber('db-7b9c6d5f8')).toBe(2);
    expect(revisionColor('db-5d8f7c9b6')).not.toBe(revisionColor('db-7b9c6d5f8'));
  });
});
