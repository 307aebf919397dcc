import { describe, expect, it } from 'vitest';
import { applyJsonPatch, decodeJsonPatch, JsonPatchDecodeError, JsonPatchError, mergePatch, type JsonPatchOp } from './jsonpatch.ts';

const doc = () => ({ spec: { replicas: 3, list: ['a', 'b', 'c'], 'a/b': 1, 'm~n': 2, template: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } });

describe('applyJsonPatch (RFC 6902, json-patch v4 semantics)', () => {
  const ok: [string, JsonPatchOp[], unknown][] = [
    ['replace', [{ op: 'replace', path: '/spec/replicas', value: 5 }], { ...doc().spec, replicas: 5 }],
    ['add a key', [{ op: 'add', path: '/spec/paused', value: true }], { ...doc().spec, paused: true }],
    ['add replaces an existing key', [{ op: 'add', path: '/spec/replicas', value: 1 }], { ...doc().spec, replicas: 1 }],
    ['add into a list at an index', [{ op: 'add', path: '/spec/list/1', value: 'x' }], { ...doc().spec, list: ['a', 'x', 'b', 'c'] }],
    ['add at the end with -', [{ op: 'add', path: '/spec/list/-', value: 'z' }], { ...doc().spec, list: ['a', 'b', 'c', 'z'] }],
    ['add at index == length appends', [{ op: 'add', path: '/spec/list/3', value: 'z' }], { ...doc().spec, list: ['a', 'b', 'c', 'z'] }],
    ['remove a list item', [{ op: 'remove', path: '/spec/list/0' }], { ...doc().spec, list: ['b', 'c'] }],
    ['remove a key', [{ op: 'remove', path: '/spec/replicas' }], (({ replicas: _r, ...rest }) => rest)(doc().spec)],
    ['~1 and ~0 escapes', [{ op: 'replace', path: '/spec/a~1b', value: 9 }, { op: 'replace', path: '/spec/m~0n', value: 8 }], { ...doc().spec, 'a/b': 9, 'm~n': 8 }],
    ['move', [{ op: 'move', from: '/spec/replicas', path: '/spec/count' }], (({ replicas, ...rest }) => ({ ...rest, count: replicas }))(doc().spec)],
    ['copy', [{ op: 'copy', from: '/spec/list/2', path: '/spec/list/0' }], { ...doc().spec, list: ['c', 'a', 'b', 'c'] }],
    ['test then replace', [{ op: 'test', path: '/spec/replicas', value: 3 }, { op: 'replace', path: '/spec/replicas', value: 4 }], { ...doc().spec, replicas: 4 }],
    ['nested list path', [{ op: 'replace', path: '/spec/template/containers/0/image', value: 'nginx:1.26' }], { ...doc().spec, template: { containers: [{ name: 'web', image: 'nginx:1.26' }] } }],
  ];
  for (const [name, ops, spec] of ok) it(name, () => expect(applyJsonPatch(doc(), ops)).toEqual({ spec }));

  const errors: [string, JsonPatchOp[], string][] = [
    ['replace of a missing key', [{ op: 'replace', path: '/spec/nope', value: 1 }], 'replace operation does not apply: doc is missing key: /spec/nope: missing value'],
    ['replace under a missing parent', [{ op: 'replace', path: '/nope/x', value: 1 }], 'replace operation does not apply: doc is missing path: /nope/x: missing value'],
    ['remove of a missing key', [{ op: 'remove', path: '/spec/nope' }], "error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value"],
    ['remove under a missing parent', [{ op: 'remove', path: '/a/b/c' }], 'remove operation does not apply: doc is missing path: "/a/b/c": missing value'],
    ['add under a missing parent', [{ op: 'add', path: '/spec/x/y', value: 1 }], 'add operation does not apply: doc is missing path: "/spec/x/y": missing value'],
    ['add past the end', [{ op: 'add', path: '/spec/list/7', value: 1 }], "error in add for path: '/spec/list/7': Unable to access invalid index: 7: invalid index referenced"],
    ['remove past the end', [{ op: 'remove', path: '/spec/list/3' }], "error in remove for path: '/spec/list/3': Unable to access invalid index: 3: invalid index referenced"],
    ['test that fails', [{ op: 'test', path: '/spec/replicas', value: 2 }], 'testing value /spec/replicas failed: test failed'],
    ['move from a missing path', [{ op: 'move', from: '/spec/nope', path: '/spec/x' }], 'move operation does not apply: doc is missing from path: /spec/nope: missing value'],
    ['an unknown op', [{ op: 'frob', path: '/spec' }], 'Unexpected kind: frob'],
    ['a missing path', [{ op: 'remove' }], 'remove operation failed to decode path: missing value'],
  ];
  for (const [name, ops, msg] of errors) {
    it(`error: ${name}`, () => {
      expect(() => applyJsonPatch(doc(), ops)).toThrow(JsonPatchError);
      expect(() => applyJsonPatch(doc(), ops)).toThrow(msg);
    });
  }

  it('does not modify its input, even when a later operation fails', () => {
    const d = doc();
    expect(() => applyJsonPatch(d, [{ op: 'replace', path: '/spec/replicas', value: 9 }, { op: 'remove', path: '/spec/nope' }])).toThrow();
    expect(d.spec.replicas).toBe(3);
  });

  it('decodeJsonPatch wants a list of operations, as json.Unmarshal into jsonpatch.Patch', () => {
    expect(() => decodeJsonPatch({ op: 'add' })).toThrow(new JsonPatchDecodeError('json: cannot unmarshal object into Go value of type jsonpatch.Patch'));
    expect(() => decodeJsonPatch(['x'])).toThrow('json: cannot unmarshal string into Go value of type jsonpatch.Operation');
    expect(decodeJsonPatch([])).toEqual([]);
  });
});

describe('mergePatch (RFC 7386)', () => {
  // The RFC's appendix A examples.
  const cases: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, want] of cases) it(`${JSON.stringify(target)} + ${JSON.stringify(patch)}`, () => expect(mergePatch(target, patch)).toEqual(want));
});
