import { expect, test } from 'vitest';
import type { Pod } from '../../engine/api/types.ts';
import { chipCenter, chipIndex, farBarCenter, serviceBottom, type FlowBox } from './dotPlaces.ts';
import { itemsFor, podView, type Item, type PodView } from './model.ts';
import { BOX_W, drawsFar } from './layout.ts';

function pod(name: string, hash: string, node = 'n1'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { 'pod-template-hash': hash }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `web-${hash}`, uid: `rs-${hash}`, controller: true }] },
    spec: { nodeName: node, containers: [{ name: 'web', image: 'web' }] },
    status: { phase: 'Running' },
  } as Pod;
}

const box = (data: Record<string, unknown>, width = BOX_W): FlowBox => ({ x: 100, y: 200, width, height: 300, data });

// Offsets measured in Chromium against the drawn boxes (0 px off, light and presenter mode): a node box's
// chips start under its 30 px head, its taints (22 px) and two 18 px bars and a 6 px margin, inside 10 px
// of padding and the border; the lane's chips start right under its head.
test.each([
  // [chip index, lane, tainted, border, want x, want y]
  [0, false, false, 1, 100 + 1 + 10 + 68, 200 + 1 + 10 + 30 + 36 + 6 + 21],
  [1, false, false, 1, 100 + 1 + 10 + 142 + 68, 200 + 1 + 10 + 30 + 36 + 6 + 21],
  [2, false, true, 2, 100 + 2 + 10 + 68, 200 + 2 + 10 + 30 + 22 + 36 + 6 + 48 + 21],
  [0, true, false, 1, 100 + 1 + 10 + 68, 200 + 1 + 10 + 30 + 21],
])('chip %i (lane %s, tainted %s, border %i) is centred at (%i, %i)', (i, lane, tainted, border, x, y) => {
  const data = lane ? {} : { node: { spec: tainted ? { taints: [{ key: 'k', effect: 'NoSchedule' }] } : {} } };
  expect(chipCenter(box(data), i, lane, border)).toEqual({ x, y });
});

test('a wide lane holds more chips a row', () => {
  expect(chipCenter(box({}, 1000), 5, true, 1)).toEqual({ x: 100 + 1 + 10 + 5 * 142 + 68, y: 200 + 1 + 10 + 30 + 21 });
});

test('chipIndex finds a pod in its own chip, else in its counted chip, else its revision', () => {
  const a = [pod('web-a-1', 'a'), pod('web-a-2', 'a'), pod('web-b-1', 'b')];
  const plain = itemsFor(a);
  expect(chipIndex(plain, a[2])).toBe(2);
  const dense = itemsFor(a, true);
  expect(dense.map((i) => i.type)).toEqual(['group', 'pod']);
  expect(chipIndex(dense, a[1])).toBe(0);
  expect(chipIndex(dense, a[2])).toBe(1);
  // Not drawn yet (its box still shows an older state): its revision's counted chip.
  expect(chipIndex(dense, pod('web-a-9', 'a'))).toBe(0);
  expect(chipIndex(dense, pod('web-c-1', 'c'))).toBe(-1);
});

test('serviceBottom is the middle of the card bottom edge', () => {
  expect(serviceBottom({ x: 10, y: -100, width: 236, height: 80, data: {} })).toEqual({ x: 128, y: -20 });
});

// The far view's bars (FarPods), measured the same way (0 px off, light and presenter mode): they start 8 px
// under the resource bars, are 64 px tall and 4 px apart, share the box's inner width by their pod counts,
// and are never narrower than 22 px.
test('farBarCenter places a far bar as CSS flex lays the bars out', () => {
  const [a, b, c] = [pod('web-a-1', 'a'), pod('web-a-2', 'a'), pod('web-b-1', 'b')];
  const items = itemsFor([a, b, c], true); // a group of 2, then a lone pod
  const y = 200 + 1 + 10 + 30 + 36 + 8 + 32;
  // 302 wide: 280 inside, 276 for the bars: 184 and 92.
  expect(farBarCenter(box({ node: { spec: {} } }), items, 0, 1)).toEqual({ x: 100 + 1 + 10 + 92, y });
  expect(farBarCenter(box({ node: { spec: {} } }), items, 1, 1)).toEqual({ x: 100 + 1 + 10 + 184 + 4 + 46, y });
  // A share under 22 px keeps 22 px and the rest is shared again: 1 pod beside 100 → 22 and 254.
  const many = [...itemsFor([c], true), { type: 'group', group: { key: 'b', owner: 'web', revision: 'b', pods: new Array<PodView>(100).fill(podView(c)), shown: '' } }] as Item[];
  expect(farBarCenter(box({ node: { spec: {} } }), many, 0, 1).x).toBe(100 + 1 + 10 + 11);
  expect(farBarCenter(box({ node: { spec: {} } }), many, 1, 1).x).toBe(100 + 1 + 10 + 22 + 4 + 127);
});

test('drawsFar: a dense box below 0.45x, unless ownership edges end on its chips', () => {
  expect(drawsFar(0.22, { dense: true })).toBe(true);
  expect(drawsFar(0.22, { dense: true, owners: 'box' })).toBe(true);
  expect(drawsFar(0.22, { dense: true, owners: 'chips' })).toBe(false);
  expect(drawsFar(0.22, {})).toBe(false);
  expect(drawsFar(0.5, { dense: true })).toBe(false);
});
