import { describe, expect, test } from 'vitest';
import { canonicalJson, lastAppliedFor, LAST_APPLIED, threeWayMerge } from './apply.ts';

describe('threeWayMerge', () => {
  test.each([
    {
      name: 'local adds a field',
      last: { a: 1 },
      local: { a: 1, b: 2 },
      live: { a: 1, server: 'x' },
      want: { a: 1, b: 2, server: 'x' },
    },
    {
      name: 'a field dropped since last apply is removed; server fields stay',
      last: { a: 1, b: 2 },
      local: { a: 1 },
      live: { a: 1, b: 2, server: 'x' },
      want: { a: 1, server: 'x' },
    },
    {
      name: 'maps merge recursively',
      last: { spec: { replicas: 3, paused: true } },
      local: { spec: { replicas: 4 } },
      live: { spec: { replicas: 3, paused: true, revisionHistoryLimit: 10 } },
      want: { spec: { replicas: 4, revisionHistoryLimit: 10 } },
    },
    {
      name: 'null deletes',
      last: {},
      local: { a: null },
      live: { a: 1 },
      want: {},
    },
    {
      name: 'containers merge by name, keeping server defaults',
      last: { containers: [{ name: 'a', image: 'x:1' }] },
      local: { containers: [{ name: 'a', image: 'x:2' }] },
      live: { containers: [{ name: 'a', image: 'x:1', imagePullPolicy: 'IfNotPresent' }] },
      want: { containers: [{ name: 'a', image: 'x:2', imagePullPolicy: 'IfNotPresent' }] },
    },
    {
      name: 'service ports merge by port, keeping the allocated nodePort',
      last: { ports: [{ port: 80 }] },
      local: { ports: [{ port: 80 }, { port: 443 }] },
      live: { ports: [{ port: 80, nodePort: 31000, protocol: 'TCP' }] },
      want: { ports: [{ port: 80, nodePort: 31000, protocol: 'TCP' }, { port: 443 }] },
    },
    {
      name: 'a removed container goes',
      last: { containers: [{ name: 'a' }, { name: 'b' }] },
      local: { containers: [{ name: 'a' }] },
      live: { containers: [{ name: 'a', x: 1 }, { name: 'b', x: 1 }] },
      want: { containers: [{ name: 'a', x: 1 }] },
    },
    {
      name: 'an item the server added (the token volume) stays where it was, neither sent nor deleted',
      last: { volumes: [{ name: 'data', emptyDir: {} }] },
      local: { volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'c' } }] },
      live: { volumes: [{ name: 'data', emptyDir: {} }, { name: 'kube-api-access-x', projected: {} }] },
      want: { volumes: [{ name: 'data', emptyDir: {} }, { name: 'kube-api-access-x', projected: {} }, { name: 'cfg', configMap: { name: 'c' } }] },
    },
    {
      name: 'a server-added item first in the live list stays first',
      last: { volumeMounts: [{ mountPath: '/data', name: 'data' }] },
      local: { volumeMounts: [{ mountPath: '/data', name: 'data' }] },
      live: { volumeMounts: [{ mountPath: '/run/token', name: 't' }, { mountPath: '/data', name: 'data' }] },
      want: { volumeMounts: [{ mountPath: '/run/token', name: 't' }, { mountPath: '/data', name: 'data' }] },
    },
    {
      name: 'other lists are replaced',
      last: { args: ['a', 'b'] },
      local: { args: ['c'] },
      live: { args: ['a', 'b'] },
      want: { args: ['c'] },
    },
  ])('$name', ({ last, local, live, want }) => {
    expect(threeWayMerge(last, local, live)).toEqual(want);
  });
});

describe('last-applied-configuration', () => {
  test('sorted keys, no annotation of itself (an empty map left, as GetModifiedConfiguration leaves it), trailing newline', () => {
    const s = lastAppliedFor({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c', annotations: { [LAST_APPLIED]: 'old' } }, data: { b: '1', a: '2' } });
    expect(s).toBe('{"apiVersion":"v1","data":{"a":"2","b":"1"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"c"}}\n');
    expect(lastAppliedFor({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c', annotations: { team: 'a' } } })).toBe('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"annotations":{"team":"a"},"name":"c"}}\n');
  });
  test('canonicalJson', () => {
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: undefined })).toBe('{"b":[1,{"c":2,"d":1}]}');
  });
});
