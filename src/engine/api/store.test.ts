import { describe, expect, it } from 'vitest';
import { Clock } from '../clock.ts';
import { Rng } from '../rng.ts';
import { Store } from './store.ts';
import type { KubeObject } from './types.ts';

const event = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'default' } });

/** store holds three Events made as the recorder makes them (createFresh), and what the watch saw. */
function store() {
  const s = new Store(new Clock(), new Rng(1));
  const seen: string[] = [];
  s.watch('Event', (type, o) => seen.push(`${type} ${o.metadata.name} ${o.metadata.resourceVersion}`));
  const made = ['a', 'b', 'c'].map((n) => s.createFresh(event(n)));
  return { s, seen, made };
}

/**
 * Objects createFresh stores are filed under their keys only when something reads or changes their
 * kind (Store.unfiled): until then, and after, every reader sees them as if filed at once.
 */
describe('Store: objects made fresh and filed later', () => {
  it.each([
    { how: 'get', read: (s: Store) => s.get('Event', 'default', 'b')?.metadata.name, want: 'b' },
    { how: 'getByKey', read: (s: Store) => s.getByKey('Event', 'default/c')?.metadata.name, want: 'c' },
    { how: 'list, in creation order', read: (s: Store) => s.list('Event').map((o) => o.metadata.name).join(','), want: 'a,b,c' },
    { how: 'count', read: (s: Store) => s.count('Event'), want: 3 },
    { how: 'dump', read: (s: Store) => s.dump().objects.map((o) => o.metadata.name).join(','), want: 'a,b,c' },
  ])('$how sees them', ({ read, want }) => {
    const { s } = store();
    expect(read(s)).toEqual(want);
  });

  it('they are announced, versioned and uid-ed when made, not when filed', () => {
    const { seen, made } = store();
    expect(seen).toEqual(['ADDED a 1', 'ADDED b 2', 'ADDED c 3']);
    expect(made.every((o) => o.metadata.uid && o.metadata.creationTimestamp)).toBe(true);
  });

  it('an object made another way files them first: the order and the name check hold', () => {
    const { s } = store();
    s.create(event('d'));
    expect(() => s.create(event('b'))).toThrow(/already exists/);
    s.createFresh(event('e'));
    expect(s.list('Event').map((o) => o.metadata.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('remove and update find an unfiled object', () => {
    const { s, seen } = store();
    expect(s.remove('Event', 'default', 'a')?.metadata.name).toBe('a');
    const b = s.get('Event', 'default', 'b')!;
    s.update(b);
    expect(seen.slice(3)).toEqual(['DELETED a 1', 'MODIFIED b 5']);
    expect(s.count('Event')).toBe(2);
  });

  it('stillStored: until removed or replaced; an update with { stored: true } leaves the kind unfiled', () => {
    const { s, seen, made } = store();
    const [a, b, c] = made;
    s.update(c, { stored: true });
    expect(seen.at(-1)).toBe('MODIFIED c 4');
    expect(made.map((o) => s.stillStored(o))).toEqual([true, true, true]);
    s.remove('Event', 'default', 'a');
    s.update({ ...b, metadata: { ...b.metadata } });
    expect([s.stillStored(a), s.stillStored(b), s.stillStored(c)]).toEqual([false, false, true]);
  });

  it('load replaces everything, unfiled objects included', () => {
    const { s } = store();
    const other = new Store(new Clock(), new Rng(2));
    other.create(event('x'));
    s.load(other.dump());
    expect(s.list('Event').map((o) => o.metadata.name)).toEqual(['x']);
  });
});

describe('Store: updates of the object it holds', () => {
  const pod = (name: string, node?: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: node } });
  const indexed = () => {
    const s = new Store(new Clock(), new Rng(1));
    s.addIndex('Pod', 'node', (o) => (o.spec as { nodeName?: string }).nodeName ?? []);
    return s;
  };

  it('refiles an object changed in place under its new index values', () => {
    const s = indexed();
    const p = s.create(pod('a', 'n1'));
    (p.spec as { nodeName?: string }).nodeName = 'n2';
    s.update(p);
    expect(s.byIndex('Pod', 'node', 'n1')).toEqual([]);
    expect(s.byIndex('Pod', 'node', 'n2')).toEqual([p]);
    expect(p.metadata.resourceVersion).toBe('2');
  });

  it('an object removed, or replaced by another, is no longer taken for the one it holds', () => {
    const s = indexed();
    const a = s.create(pod('a', 'n1'));
    s.remove('Pod', 'default', 'a');
    expect(() => s.update(a)).toThrow(/not found/);
    const b = s.create(pod('b', 'n1'));
    const b2 = { ...b, spec: { nodeName: 'n2' } };
    s.update(b2);
    expect(s.get('Pod', 'default', 'b')).toBe(b2);
    // The replaced original, written again, takes its key back (as before: a full update).
    s.update(b);
    expect(s.get('Pod', 'default', 'b')).toBe(b);
    expect(s.byIndex('Pod', 'node', 'n1')).toEqual([b]);
    expect(s.byIndex('Pod', 'node', 'n2')).toEqual([]);
  });

  it('after a load, objects from before it are not the ones it holds', () => {
    const s = indexed();
    const a = s.create(pod('a', 'n1'));
    s.load(s.dump());
    const loaded = s.get('Pod', 'default', 'a')!;
    expect(loaded).not.toBe(a);
    s.update(a);
    expect(s.get('Pod', 'default', 'a')).toBe(a);
    expect(s.byIndex('Pod', 'node', 'n1')).toEqual([a]);
    expect(Object.getOwnPropertySymbols({ ...a })).toEqual([]);
    expect(JSON.stringify(a)).not.toContain('slot');
  });

  it('holding: the same token while it holds the object itself, another after a replacement, none once removed', () => {
    const s = indexed();
    const a = s.create(pod('a', 'n1'));
    const t = s.holding(a);
    expect(t).toBeDefined();
    s.update(a);
    expect(s.holding(a)).toBe(t);
    const copy = { ...a, metadata: { ...a.metadata } };
    s.update(copy);
    expect(s.holding(a)).toBeUndefined();
    s.update(a);
    expect(s.holding(a)).toBeDefined();
    expect(s.holding(a)).not.toBe(t);
    s.remove('Pod', 'default', 'a');
    expect(s.holding(a)).toBeUndefined();
  });
  it('keyFor: the key the object is filed under, the same string while the store holds it, one made anew otherwise', () => {
    const s = indexed();
    const a = s.create(pod('a', 'n1'));
    expect(s.keyFor(a)).toBe('default/a');
    expect(s.keyFor(a)).toBe(s.keyFor(a));
    s.remove('Pod', 'default', 'a');
    expect(s.keyFor(a)).toBe('default/a');
    const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } };
    expect(s.keyFor(s.create(node))).toBe('n1');
  });

  it('one object in two stores: each store trusts only what it kept itself (every store keeps it under one symbol)', () => {
    const s = indexed();
    const t = indexed();
    const a = s.create(pod('a', 'n1'));
    const held = s.holding(a);
    t.create(a);
    // t's slot replaced s's on the object: s finds it by its key again, and the token is another.
    expect(s.holding(a)).not.toBe(held);
    expect(s.holding(a)).toBeUndefined();
    (a.spec as { nodeName?: string }).nodeName = 'n2';
    s.update(a);
    expect(s.byIndex('Pod', 'node', 'n2')).toEqual([a]);
    expect(s.byIndex('Pod', 'node', 'n1')).toEqual([]);
    expect(t.holding(a)).toBeDefined();
    t.update(a);
    expect(t.byIndex('Pod', 'node', 'n2')).toEqual([a]);
    expect(t.byIndex('Pod', 'node', 'n1')).toEqual([]);
    expect(s.keyFor(a)).toBe('default/a');
  });
});
