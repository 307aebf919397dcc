import { describe, expect, it } from 'vitest';
import { WorkspaceStore, type StorageLike } from './storage.ts';

/** FakeStorage is localStorage with a quota in UTF-16 code units, failing as browsers do. */
class FakeStorage implements StorageLike {
  map = new Map<string, string>();
  constructor(
    private quota = Infinity,
    private disabled = false,
  ) {}
  private used() {
    let n = 0;
    for (const [k, v] of this.map) n += k.length + v.length;
    return n;
  }
  getItem(k: string) {
    if (this.disabled) throw Object.assign(new Error('The operation is insecure.'), { name: 'SecurityError' });
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    if (this.disabled) throw Object.assign(new Error('The operation is insecure.'), { name: 'SecurityError' });
    const before = this.map.get(k);
    const next = this.used() - (before ? k.length + before.length : 0) + k.length + v.length;
    if (next > this.quota) throw Object.assign(new Error("Failed to execute 'setItem' on 'Storage': exceeded the quota."), { name: 'QuotaExceededError', code: 22 });
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

const base = { scenario: { name: 'a.yaml', text: 'kind: X\n' }, editor: 'ed', history: ['kubectl get pods'], actions: [{ t: 5, kind: 'run' as const, text: 'kubectl get pods' }], t: 10 };

function store(storage: StorageLike = new FakeStorage()) {
  let now = 1000;
  return new WorkspaceStore(storage, () => (now += 1000));
}

describe('WorkspaceStore', () => {
  it('saves, lists newest first, loads', () => {
    const s = store();
    const a = s.save({ ...base, name: 'first' });
    const b = s.save({ ...base, name: 'second', editor: 'two' });
    expect(a.ok && b.ok).toBe(true);
    const list = s.list();
    expect(list.ok && list.value.map((m) => m.name)).toEqual(['second', 'first']);
    const loaded = b.ok ? s.load(b.value.id) : undefined;
    expect(loaded?.ok && loaded.value).toMatchObject({ name: 'second', editor: 'two', history: ['kubectl get pods'], actions: base.actions, t: 10 });
  });

  it('saving again updates in place and moves it first', () => {
    const s = store();
    const a = s.save({ ...base, name: 'a' });
    s.save({ ...base, name: 'b' });
    if (!a.ok) throw new Error();
    s.save({ ...a.value, editor: 'changed' });
    const list = s.list();
    expect(list.ok && list.value.map((m) => m.name)).toEqual(['a', 'b']);
    const l = s.load(a.value.id);
    expect(l.ok && l.value.editor).toBe('changed');
  });

  it('renames, duplicates and deletes', () => {
    const s = store();
    const a = s.save({ ...base, name: 'demo' });
    if (!a.ok) throw new Error();
    expect(s.rename(a.value.id, '  canary demo  ')).toMatchObject({ ok: true, value: { name: 'canary demo' } });
    const d = s.duplicate(a.value.id);
    expect(d).toMatchObject({ ok: true, value: { name: 'canary demo copy', editor: 'ed' } });
    expect(d.ok && d.value.id).not.toBe(a.value.id);
    s.setCurrent(a.value.id);
    expect(s.delete(a.value.id).ok).toBe(true);
    expect(s.current()).toBeUndefined();
    expect(s.load(a.value.id)).toEqual({ ok: false, message: `no saved workspace with id "${a.value.id}"` });
    const list = s.list();
    expect(list.ok && list.value.map((m) => m.name)).toEqual(['canary demo copy']);
  });

  it('reports a full quota instead of swallowing it, and keeps the older copy', () => {
    const storage = new FakeStorage(3000);
    const s = store(storage);
    const a = s.save({ ...base, name: 'small' });
    expect(a.ok).toBe(true);
    const big = s.save({ ...base, name: 'big', editor: 'x'.repeat(5000) });
    expect(big).toEqual({ ok: false, message: expect.stringMatching(/^browser storage is full: the workspace "big" \(\d+ KB\) was not saved\. Delete or export workspaces/) });
    if (!a.ok) throw new Error();
    const again = s.save({ ...a.value, editor: 'y'.repeat(5000) });
    expect(again.ok).toBe(false);
    const kept = s.load(a.value.id);
    expect(kept.ok && kept.value.editor).toBe('ed');
  });

  it('reports disabled storage', () => {
    const s = store(new FakeStorage(Infinity, true));
    expect(s.save({ ...base, name: 'x' })).toEqual({ ok: false, message: 'browser storage is disabled for this site (private mode or settings): the workspace "x" was not saved' });
    expect(s.list().ok).toBe(false);
  });

  it('reports damaged entries', () => {
    const storage = new FakeStorage();
    storage.setItem('kubeplay.ws.index', '{broken');
    storage.setItem('kubeplay.ws.zz', '{"v":99}');
    const s = store(storage);
    expect(s.list()).toMatchObject({ ok: false });
    expect(s.load('zz')).toEqual({ ok: false, message: 'the saved workspace "zz" is damaged or from a newer Kubeplay' });
    // Saving rebuilds a damaged index.
    expect(s.save({ ...base, name: 'n' }).ok).toBe(true);
    expect(s.list()).toMatchObject({ ok: true, value: [{ name: 'n' }] });
  });
});
