import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Node as FlowNode } from '@xyflow/react';
import type { KubeObject } from '../../engine/api/types.ts';
import { Session } from '../../worker/session.ts';
import { applyDiff, type ObjectsByKind } from '../state/cluster.ts';
import { buildGraph } from './useGraphNodes.ts';
import { clip, crdSummary, customKindNames, OBJECT_CARD_H, placeObjectCards, placeStorageCards, specSummary, STORAGE_CARD_H, storageSummary, valueText, type CustomObjects } from './objectModel.ts';
import { CARD_W } from './layout.ts';

const CRD_YAML = readFileSync(new URL('../../../scenarios/crd.yaml', import.meta.url), 'utf8');
const EMPTY = new Map();

const obj = (kind: string, name: string, extra: Record<string, unknown> = {}, ns: string | null = 'default'): KubeObject =>
  ({ apiVersion: 'example.com/v1', kind, metadata: { name, ...(ns ? { namespace: ns } : {}), uid: `${kind}-${name}` }, ...extra }) as KubeObject;

const crd = (plural: string, kind: string, extra: Record<string, unknown> = {}): KubeObject =>
  ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.example.com`, uid: `crd-${plural}` },
    spec: { group: 'example.com', names: { kind, plural }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true }] },
    status: { conditions: [{ type: 'Established', status: 'True' }] },
    ...extra,
  }) as KubeObject;

const byKey = (...os: KubeObject[]) => new Map(os.map((o) => [`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));

describe('clip and valueText: one safe line of text', () => {
  test.each([
    ['short', 10, 'short'],
    ['exactly10!', 10, 'exactly10!'],
    ['eleven chars', 10, 'eleven ch…'],
    // A surrogate pair counts as one character and is never cut in half.
    ['😀😀😀😀', 3, '😀😀…'],
    // Newlines, tabs and bidi overrides become one space (a value cannot fake another line or reverse text).
    ['a\nb\tc', 10, 'a b c'],
    ['evil\u202Etxt.exe', 20, 'evil txt.exe'],
    ['<img src=x onerror=alert(1)>', 40, '<img src=x onerror=alert(1)>'],
  ])('clip(%j, %i) = %j', (s, max, want) => {
    expect(clip(s, max)).toBe(want);
  });

  test.each([
    ['0 3 * * *', '0 3 * * *'],
    ['', '""'],
    [7, '7'],
    [false, 'false'],
    [null, 'null'],
    [[], '[]'],
    [[1], '[1 item]'],
    [[1, 2], '[2 items]'],
    [{}, '{}'],
    [{ a: 1, b: 2 }, '{a, b}'],
    [{ a: 1, b: 2, c: 3, d: 4 }, '{a, b, c, …}'],
  ])('valueText(%j) = %j', (v, want) => {
    expect(valueText(v)).toBe(want);
  });
});

describe('specSummary', () => {
  test('the first three spec fields in stored order, and how many more', () => {
    const b = obj('Backup', 'nightly', { spec: { schedule: '0 3 * * *', retentionDays: 7, storage: 'disk', targets: ['a', 'b'], extra: { x: 1 } } });
    expect(specSummary(b)).toEqual({
      lines: [
        { key: 'schedule', value: '0 3 * * *' },
        { key: 'retentionDays', value: '7' },
        { key: 'storage', value: 'disk' },
      ],
      more: 2,
    });
  });
  test('no spec: the top-level fields other than apiVersion, kind, metadata and status', () => {
    expect(specSummary(obj('Widget', 'w', { data: { k: 'v' }, status: { ok: true } }))).toEqual({ lines: [{ key: 'data', value: '{k}' }], more: 0 });
    expect(specSummary(obj('Widget', 'w'))).toEqual({ lines: [], more: 0 });
  });
  test('long and hostile values are cut and cleaned', () => {
    const s = specSummary(obj('Backup', 'x', { spec: { ['k'.repeat(40)]: 'v'.repeat(100) + '\n' } }));
    expect(s.lines[0].key).toBe(`${'k'.repeat(23)}…`);
    expect(Array.from(s.lines[0].value)).toHaveLength(48);
    expect(s.lines[0].value).not.toMatch(/\n/);
  });
  test('a CRD card: group, served versions, object count; not established is said', () => {
    expect(crdSummary(crd('backups', 'Backup'), 2).lines.map((l) => `${l.key}: ${l.value}`)).toEqual(['group: example.com', 'versions: v1', 'objects: 2']);
    expect(crdSummary(crd('backups', 'Backup', { status: {} }), 0).lines[2].value).toBe('0 · not established');
  });
});

describe('placeObjectCards', () => {
  test('nothing without a CRD', () => {
    expect(placeObjectCards(undefined, 100, 304)).toEqual({ nodes: [], width: 0, height: 0 });
    expect(placeObjectCards({ crds: EMPTY, byKind: [] }, 100, 304)).toEqual({ nodes: [], width: 0, height: 0 });
  });

  test('one row per CRD: its card, then its objects in creation order, wrapping; the lane first', () => {
    const crds = byKey(crd('backups', 'Backup'), crd('widgets', 'Widget'));
    const custom: CustomObjects = {
      crds,
      byKind: [
        ['Backup', byKey(obj('Backup', 'a'), obj('Backup', 'b'), obj('Backup', 'c'))],
        ['Widget', byKey(obj('Widget', 'w', {}, null))],
      ],
    };
    // 304 wide (one node box) still holds two cards a row (MIN_PER_ROW): the lane widens.
    const placed = placeObjectCards(custom, 500, 304);
    expect(placed.nodes.map((n) => n.id)).toEqual([
      'lane/custom',
      'obj/CustomResourceDefinition//backups.example.com',
      'obj/Backup/default/a',
      'obj/Backup/default/b',
      'obj/Backup/default/c',
      'obj/CustomResourceDefinition//widgets.example.com',
      'obj/Widget//w',
    ]);
    const ys = placed.nodes.slice(1).map((n) => n.pos.y);
    const xs = placed.nodes.slice(1).map((n) => n.pos.x);
    // Backups: [crd a] [b c]; Widgets: [crd w].
    expect(new Set(ys).size).toBe(3);
    expect(ys[0]).toBe(ys[1]);
    expect(ys[2]).toBe(ys[3]);
    expect(ys[4]).toBe(ys[5]);
    expect(ys[2]).toBeGreaterThan(ys[0]);
    expect(ys[4]).toBeGreaterThan(ys[2]);
    expect(xs[0]).toBe(xs[2]);
    expect(xs[1]).toBeGreaterThanOrEqual(xs[0] + CARD_W);
    expect(placed.width).toBeGreaterThan(2 * CARD_W);
    expect(placed.nodes[0].data).toEqual({ lane: 'custom', what: '2 definitions, 4 objects' });
    expect(placed.nodes[1].data).toEqual({ obj: crds.get('/backups.example.com'), objects: 3 });
    // Every card sits inside the lane.
    const lane = placed.nodes[0];
    for (const n of placed.nodes.slice(1)) {
      expect(n.size.height).toBe(OBJECT_CARD_H);
      expect(n.pos.y + n.size.height).toBeLessThanOrEqual(lane.pos.y + lane.size.height);
      expect(n.pos.x + n.size.width).toBeLessThanOrEqual(lane.pos.x + lane.size.width);
    }
  });

  test('the Storage lane: a row of claims, then a row of volumes, each card saying its phase, binding, size and class', () => {
    const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default', uid: 'c1' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard', volumeName: 'pvc-123' }, status: { phase: 'Bound', capacity: { storage: '1Gi' } } };
    const pending = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'wait', namespace: 'default', uid: 'c2' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } }, storageClassName: '' }, status: { phase: 'Pending' } };
    const pv = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-small', uid: 'v1' }, spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], persistentVolumeReclaimPolicy: 'Retain', claimRef: { namespace: 'default', name: 'old' } }, status: { phase: 'Released' } };
    const bound = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pvc-123', uid: 'v2' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'standard', claimRef: { namespace: 'default', name: 'data' } }, status: { phase: 'Bound' } };
    const placed = placeStorageCards(byKey(pvc, pending), byKey(pv, bound), 800, 304);
    // The volume bound to "data" is named on its card; the Released one has a card of its own, a row below.
    expect(placed.nodes.map((n) => n.id)).toEqual(['lane/storage', 'obj/PersistentVolumeClaim/default/data', 'obj/PersistentVolumeClaim/default/wait', 'obj/PersistentVolume//pv-small']);
    expect(placed.nodes[0].data).toEqual({ lane: 'storage', what: '2 claims, 2 volumes' });
    expect(placed.nodes[3].pos.y).toBeGreaterThan(placed.nodes[1].pos.y);
    expect(placed.nodes[1].size.height).toBe(STORAGE_CARD_H);
    expect(storageSummary(pvc)).toEqual({ sub: 'Bound · pvc-123', lines: [{ key: 'size', value: '1Gi RWO · class standard' }], more: 0 });
    expect(storageSummary(pending)!.lines).toEqual([{ key: 'asks', value: '5Gi RWO · class <none>' }]);
    expect(storageSummary(pv)).toEqual({ sub: 'Released · default/old', lines: [{ key: 'size', value: '5Gi RWO,ROX · Retain' }], more: 0 });
    const many = byKey(...Array.from({ length: 30 }, (_, i) => ({ ...pending, metadata: { name: `c${i}`, namespace: 'default', uid: `u${i}` } })));
    const capped = placeStorageCards(many, undefined, 0, 304);
    expect(capped.nodes).toHaveLength(1 + 12);
    expect(capped.nodes[0].data).toEqual({ lane: 'storage', what: '30 claims, 0 volumes (18 not drawn)' });
    expect(placeStorageCards(EMPTY, undefined, 0, 304)).toEqual({ nodes: [], width: 0, height: 0 });
  });

  test('built-in kinds are never custom (a CRD claiming kind Rollout does not draw Rollouts twice)', () => {
    expect(customKindNames(byKey(crd('rollouts', 'Rollout'), crd('backups', 'Backup'), crd('backups2', 'Backup')))).toEqual(['Backup']);
  });
});

describe('the worker sends custom objects and the graph draws them', () => {
  function graph(o: ObjectsByKind, cache: { m: Map<string, FlowNode> }) {
    const crds = o.CustomResourceDefinition ?? EMPTY;
    const custom: CustomObjects = { crds, byKind: customKindNames(crds).map((k) => [k, o[k] ?? EMPTY] as const) };
    return buildGraph(
      { nodes: o.Node ?? EMPTY, pods: o.Pod ?? EMPTY, deployments: o.Deployment ?? EMPTY, replicaSets: o.ReplicaSet ?? EMPTY, services: o.Service ?? EMPTY, endpoints: o.Endpoints ?? EMPTY, custom },
      cache.m,
      (next) => (cache.m = next),
    );
  }

  test('crd scenario: the CRD and its Backups have cards below the Unscheduled lane; deleting the CRD removes them', () => {
    const s = new Session();
    expect(s.load('crd.yaml', CRD_YAML)).toEqual([]);
    s.advance(10_000);
    let objects = applyDiff({}, structuredClone(s.takeDiff()!));
    // "broken" and "unscheduled" were refused by the schema: one Backup.
    expect([...(objects.Backup?.keys() ?? [])]).toEqual(['default/nightly']);
    const cache = { m: new Map<string, FlowNode>() };
    const g = graph(objects, cache);
    const ids = g.nodes.map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining(['lane/custom', 'obj/CustomResourceDefinition//backups.example.com', 'obj/Backup/default/nightly']));
    const lane = g.nodes.find((n) => n.id === 'lane/unscheduled')!;
    const custom = g.nodes.find((n) => n.id === 'lane/custom')!;
    expect(custom.position.y).toBeGreaterThanOrEqual(lane.position.y + lane.height!);
    // The bounds hold the custom lane.
    expect(g.bounds.top + g.bounds.height).toBeGreaterThanOrEqual(custom.position.y + custom.height!);
    const nightly = g.nodes.find((n) => n.id === 'obj/Backup/default/nightly')!;
    // Pruned (colour) and defaulted (storage) as the API server stored it.
    expect(specSummary(nightly.data.obj as KubeObject).lines.map((l) => l.key)).toEqual(['schedule', 'retentionDays', 'storage']);

    // A patch reaches the page as a diff; only that card is a new object.
    expect(s.run(`kubectl patch backup nightly --type=merge -p '{"spec":{"retentionDays":14}}'`).exit).toBe(0);
    objects = applyDiff(objects, structuredClone(s.takeDiff()!));
    const g2 = graph(objects, cache);
    const changed = g2.nodes.filter((n) => !g.nodes.includes(n)).map((n) => n.id);
    expect(changed).toEqual(['obj/Backup/default/nightly']);

    s.advance(4_000); // 12 s: kubectl delete crd backups.example.com
    objects = applyDiff(objects, structuredClone(s.takeDiff()!));
    expect(graph(objects, cache).nodes.some((n) => n.id.startsWith('obj/') || n.id === 'lane/custom')).toBe(false);
  });
});
