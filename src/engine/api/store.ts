import type { Clock } from '../clock.ts';
import { isoTime } from '../clock.ts';
import type { Rng } from '../rng.ts';
import { alreadyExists, notFound } from './errors.ts';
import { kindInfo, resourceName } from './kinds.ts';
import type { KubeObject } from './types.ts';
import { hidden, keepHidden } from '../memo.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** Watcher is called synchronously after each change, in registration order. */
export type Watcher = (type: WatchEventType, obj: KubeObject) => void;

/**
 * IndexFunc returns the index values an object is filed under (e.g. a pod's node name): one string,
 * or a list (NO_VALUES for none). Index functions run on every write of their kind (~100,000 pod
 * writes in a 10,000-pod rollout), so the common cases need no array.
 */
export type IndexFunc = (obj: KubeObject) => string | readonly string[];

/** NO_VALUES is an index function's "not filed under anything" (shared; never mutated). */
export const NO_VALUES: readonly string[] = Object.freeze([]);

type IndexValues = string | readonly string[];

interface Index {
  fn: IndexFunc;
  byValue: Map<string, Map<string, KubeObject>>;
  /** at: this index's place in its kind's IndexGroup (in valuesOf's lists) */
  at: number;
}

/**
 * IndexGroup is a kind's indexes, and for each stored key the values it is filed under in each of
 * them (in index order): one lookup per write for all of a kind's indexes (Pods have three, and a
 * 10,000-pod rollout writes pods ~100,000 times).
 */
interface IndexGroup {
  byName: Map<string, Index>;
  list: Index[];
  valuesOf: Map<string, IndexValues[]>;
}

/**
 * Slot is what the store keeps on an object it holds (under SLOT, not enumerable): its key, where
 * its index values are filed, and the store's epoch (no other store's, and a load starts a new one). An
 * update of the object itself, most writes (kubelet status writes), then needs neither a key built
 * and hashed nor a lookup. remove and replacement take the slot back.
 */
interface Slot {
  key: string;
  filed: IndexValues[] | undefined;
  epoch: number;
}

/**
 * epochs numbers every store's epochs (Store.epoch): a slot made by another store, or by this one
 * before a load, names an epoch that is not this store's now. (A number, not the store: an object
 * kept after its cluster is gone must not keep the whole cluster alive.)
 */
let epochs = 0;

/**
 * SLOT names the Slot on an object, for every Store: a symbol made per store would give the objects
 * of each new cluster (a scenario reloaded, the bench's second size) hidden classes of their own,
 * and code optimized for the first cluster's pods would deoptimize, then go polymorphic, on the next.
 */
const SLOT = Symbol('Store.slot');

/**
 * NO_GENERATION: kinds with a spec whose registry strategies never set metadata.generation (a 1.32 API
 * server's Pods, Services, Namespaces, Nodes, volumes and quotas show none). Workloads, Ingresses,
 * NetworkPolicies, PodDisruptionBudgets, EndpointSlices and custom resources do.
 */
const NO_GENERATION = new Set(['Pod', 'Service', 'Namespace', 'Node', 'PersistentVolume', 'PersistentVolumeClaim', 'ResourceQuota', 'LimitRange']);

/** tracksGeneration: the API server counts this object's spec changes in metadata.generation. */
export function tracksGeneration(obj: KubeObject): boolean {
  return obj.spec !== undefined && obj.kind !== 'Event' && !NO_GENERATION.has(obj.kind);
}

/** objectKey is the store's key for an object: "namespace/name", or "name" for cluster-scoped kinds. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** KEY_PARTS is flatKey's one parts array (a literal per created object was garbage for each). */
const KEY_PARTS = ['', '/', ''];

/** flatKey is objectKey made as one flat string (join), not a cons of its parts: for a key kept as long as its object. */
function flatKey(namespace: string, name: string): string {
  KEY_PARTS[0] = namespace;
  KEY_PARTS[2] = name;
  return KEY_PARTS.join('');
}

export function keyOf(obj: KubeObject): string {
  return objectKey(obj.metadata.namespace, obj.metadata.name);
}

function sameValues(a: IndexValues, b: IndexValues): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** valueList is an index function's result as a list. */
function valueList(v: IndexValues): readonly string[] {
  return typeof v === 'string' ? [v] : v;
}

/**
 * Store is the cluster's etcd and the API server's storage layer in one: objects by kind and key,
 * a global resourceVersion, uid and creationTimestamp assignment, watches and secondary indexes.
 *
 * Objects are mutated in place by their owners and then passed to update(), which bumps the
 * resourceVersion and tells watchers; this keeps a 10,000-pod cluster cheap to simulate. Callers
 * outside the engine must treat objects as read-only.
 */
export class Store {
  private objects = new Map<string, Map<string, KubeObject>>();
  private watchers = new Map<string, Watcher[]>();
  private anyWatchers: Watcher[] = [];
  private indexes = new Map<string, IndexGroup>();
  private rv = 0;
  /** epoch is this store's now (a new one at each load; see epochs): slots of other epochs are void. */
  private epoch = ++epochs;

  private setSlot(obj: KubeObject, key: string, filed: IndexValues[] | undefined): void {
    keepHidden(obj, SLOT, { key, filed, epoch: this.epoch } satisfies Slot);
  }

  /** slot is obj's Slot when this store holds obj now. */
  private slot(obj: KubeObject): Slot | undefined {
    const s = hidden<Slot>(obj, SLOT);
    return s !== undefined && s.epoch === this.epoch ? s : undefined;
  }

  /**
   * holding is an opaque token that stays the same while this store holds obj itself, and is another
   * once obj was replaced, removed or the store reloaded (undefined while it does not hold obj): a
   * watcher that keeps something on an object can tell it is still about the object the store holds.
   */
  holding(obj: KubeObject): object | undefined {
    return this.slot(obj);
  }

  /**
   * keyFor is obj's key ("namespace/name"): while the store holds obj, the very string it files obj
   * under, whose hash is already known, so a work queue keyed by it and a lookup by it compare
   * pointers; else one made anew (keyOf). A template literal makes a new string to flatten and hash
   * for each of a rollout's ~100,000 kubelet and scheduler enqueues and lookups.
   */
  keyFor(obj: KubeObject): string {
    return this.slot(obj)?.key ?? keyOf(obj);
  }

  private clearSlot(obj: KubeObject): void {
    if (this.slot(obj)) keepHidden(obj, SLOT, undefined);
  }

  constructor(
    private readonly clock: Clock,
    private readonly rng: Rng,
  ) {}

  /** resourceVersion is the store's latest resourceVersion. */
  get resourceVersion(): number {
    return this.rv;
  }

  private bucket(kind: string): Map<string, KubeObject> {
    let b = this.objects.get(kind);
    if (!b) {
      b = new Map();
      this.objects.set(kind, b);
    }
    return b;
  }

  /**
   * filed is a kind's bucket with every object in it: the objects createFresh stored are filed under
   * their keys only when something reads or changes the kind (see unfiled).
   */
  private filed(kind: string): Map<string, KubeObject> | undefined {
    const b = this.objects.get(kind);
    if (b && this.unfiled.size !== 0) this.file(b);
    return b;
  }

  private file(b: Map<string, KubeObject>): void {
    const list = this.unfiled.get(b);
    if (!list) return;
    this.unfiled.delete(b);
    for (const o of list) b.set(keyOf(o), o);
  }

  get<T extends KubeObject = KubeObject>(kind: string, namespace: string | undefined, name: string): T | undefined {
    return this.filed(kind)?.get(objectKey(namespace, name)) as T | undefined;
  }

  getByKey<T extends KubeObject = KubeObject>(kind: string, key: string): T | undefined {
    return this.filed(kind)?.get(key) as T | undefined;
  }

  /** list returns objects of a kind in creation order, optionally only one namespace's. */
  list<T extends KubeObject = KubeObject>(kind: string, namespace?: string): T[] {
    const b = this.filed(kind);
    if (!b) return [];
    const all = [...b.values()] as T[];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  count(kind: string): number {
    return this.filed(kind)?.size ?? 0;
  }

  kinds(): string[] {
    return [...this.objects.keys()];
  }

  /** create assigns uid, resourceVersion, creationTimestamp, generation (and a name from generateName). */
  /**
   * create stores a new object with a uid drawn from the seeded PRNG; `uid` gives one instead, for an
   * object the system makes beside another (a node's Lease) whose creation must not shift every later draw.
   */
  create<T extends KubeObject>(obj: T, uid?: string): T {
    const b = this.bucket(obj.kind);
    if (this.unfiled.size !== 0) this.file(b);
    // An object made another way: createFresh's names may now meet it, so they are looked up again.
    if (this.freshOnly.size !== 0) this.freshOnly.delete(b);
    return this.store(b, obj, uid);
  }

  /**
   * createFresh is create for an object whose maker guarantees its name is new among the names it
   * makes (the event recorder: the object's name and the time in nanoseconds). While every object of
   * the kind was made that way the name is not looked up first: that lookup, in a table of ~100,000
   * Events, was a few percent of a 10,000-pod rollout. An object of the kind made any other way
   * (kubectl create of an Event) turns the lookup back on.
   */
  createFresh<T extends KubeObject>(obj: T): T {
    const b = this.bucket(obj.kind);
    if (b.size === 0 && !this.unfiled.has(b)) this.freshOnly.add(b);
    if (this.freshOnly.has(b)) return this.store(b, obj, undefined, true);
    this.file(b);
    return this.store(b, obj);
  }

  /**
   * unfiled holds, by bucket, the objects createFresh stored and nothing has looked up since: a kind
   * without indexes whose names are new by construction (the recorder's ~100,000 Events of a
   * 10,000-pod rollout) is filed under its keys in one go when first read or changed, not one insertion
   * into a table of ~100,000 at a time (a tenth of a rollout's time in Chromium, mostly cache misses).
   */
  private unfiled = new Map<Map<string, KubeObject>, KubeObject[]>();

  /** gone: objects removed, or replaced by another under their key (for stillStored). */
  private gone = new WeakSet<KubeObject>();

  /**
   * stillStored: obj, an object this store stored since its last load, is still the one stored under
   * its key (not removed, not replaced): a caller that kept it may update it with { stored: true }.
   */
  stillStored(obj: KubeObject): boolean {
    return !this.gone.has(obj);
  }

  /** freshOnly: the buckets whose every object came through createFresh (load forgets them all). */
  private freshOnly = new Set<Map<string, KubeObject>>();

  private store<T extends KubeObject>(b: Map<string, KubeObject>, obj: T, uid?: string, fresh = false): T {
    const meta = obj.metadata;
    if (!meta.name && meta.generateName) {
      do meta.name = meta.generateName + this.rng.suffix(5);
      while (b.has(objectKey(meta.namespace, meta.name)));
    }
    if (fresh && !this.indexes.has(obj.kind)) {
      // Filed under its key when the kind is next read (unfiled).
      this.stamp(obj, uid);
      const list = this.unfiled.get(b);
      if (list) list.push(obj);
      else this.unfiled.set(b, [obj]);
      this.notify('ADDED', obj);
      return obj;
    }
    // The key stays in the bucket (and the indexes) as long as the object: a flat string, not a
    // cons of namespace, '/' and name (a 10,000-pod rollout keeps ~150,000 of them).
    const key = meta.namespace ? flatKey(meta.namespace, meta.name) : meta.name;
    if (!fresh && b.has(key)) throw alreadyExists(this.resource(obj.kind), meta.name);
    this.stamp(obj, uid);
    b.set(key, obj);
    this.setSlot(obj, key, this.reindex(obj, key));
    this.notify('ADDED', obj);
    return obj;
  }

  /** stamp sets what the store gives a new object: uid, resourceVersion, creationTimestamp, generation. */
  private stamp(obj: KubeObject, uid: string | undefined): void {
    const meta = obj.metadata;
    meta.uid = uid ?? this.rng.uuid();
    meta.resourceVersion = String(++this.rv);
    meta.creationTimestamp = isoTime(this.clock.now());
    if (tracksGeneration(obj)) meta.generation = 1;
  }

  /**
   * update records an in-place change: a new resourceVersion, and a new generation when the spec
   * changed (the caller says so), then tells watchers.
   */
  update<T extends KubeObject>(obj: T, opts: { specChanged?: boolean; stored?: boolean } = {}): T {
    if (opts.stored) {
      // The caller knows obj is the stored object (stillStored): no lookup, so an unfiled kind stays unfiled.
      this.newVersion(obj, opts.specChanged);
      if (this.indexes.has(obj.kind)) this.reindex(obj, keyOf(obj), false);
      this.notify('MODIFIED', obj);
      return obj;
    }
    // Most updates are in-place changes of the stored object itself (kubelet status writes): its slot says where it is.
    const slot = this.slot(obj);
    if (slot !== undefined) {
      this.newVersion(obj, opts.specChanged);
      this.reindex(obj, slot.key, false, slot.filed);
      this.notify('MODIFIED', obj);
      return obj;
    }
    const key = keyOf(obj);
    const b = this.filed(obj.kind);
    const stored = b?.get(key);
    if (!b || !stored) throw notFound(this.resource(obj.kind), obj.metadata.name);
    const replaced = stored !== obj;
    if (replaced) {
      b.set(key, obj);
      this.gone.add(stored);
      this.clearSlot(stored);
    }
    this.newVersion(obj, opts.specChanged);
    const filed = this.reindex(obj, key, replaced);
    if (replaced) this.setSlot(obj, key, filed);
    this.notify('MODIFIED', obj);
    return obj;
  }

  /** newVersion gives an updated object its next resourceVersion, and a new generation when its spec changed. */
  private newVersion(obj: KubeObject, specChanged: boolean | undefined): void {
    obj.metadata.resourceVersion = String(++this.rv);
    if (specChanged && tracksGeneration(obj)) obj.metadata.generation = (obj.metadata.generation ?? 0) + 1;
  }

  /** remove deletes an object from storage now (graceful deletion and finalizers live in the API server). */
  remove(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const key = objectKey(namespace, name);
    const b = this.filed(kind);
    const obj = b?.get(key);
    if (!b || !obj) return undefined;
    b.delete(key);
    this.gone.add(obj);
    this.clearSlot(obj);
    ++this.rv;
    this.unindex(kind, key);
    this.notify('DELETED', obj);
    return obj;
  }

  watch(kind: string, fn: Watcher): void {
    let list = this.watchers.get(kind);
    if (!list) {
      list = [];
      this.watchers.set(kind, list);
    }
    list.push(fn);
  }

  /** watchAll sees every change of every kind (the worker uses it to send diffs). */
  watchAll(fn: Watcher): () => void {
    this.anyWatchers.push(fn);
    return () => {
      this.anyWatchers = this.anyWatchers.filter((w) => w !== fn);
    };
  }

  private notify(type: WatchEventType, obj: KubeObject): void {
    const list = this.watchers.get(obj.kind);
    if (list) for (const w of list) w(type, obj);
    for (const w of this.anyWatchers) w(type, obj);
  }

  /** addIndex files objects of a kind under the values fn returns; byIndex looks them up. */
  addIndex(kind: string, name: string, fn: IndexFunc): void {
    let group = this.indexes.get(kind);
    if (!group) {
      group = { byName: new Map(), list: [], valuesOf: new Map() };
      this.indexes.set(kind, group);
    }
    const idx: Index = { fn, byValue: new Map(), at: group.list.length };
    group.byName.set(name, idx);
    group.list.push(idx);
    for (const [key, obj] of this.filed(kind) ?? []) {
      let values = group.valuesOf.get(key);
      if (!values) group.valuesOf.set(key, (values = []));
      this.fileUnder(idx, values, obj, key, fn(obj));
    }
  }

  byIndex<T extends KubeObject = KubeObject>(kind: string, name: string, value: string): T[] {
    const idx = this.indexes.get(kind)?.byName.get(name);
    if (!idx) throw new Error(`no index ${name} on ${kind}`);
    const m = idx.byValue.get(value);
    return m ? ([...m.values()] as T[]) : [];
  }

  private fileUnder(idx: Index, valuesOf: IndexValues[], obj: KubeObject, key: string, values: IndexValues): void {
    valuesOf[idx.at] = values;
    if (typeof values === 'string') this.fileOne(idx, values, key, obj);
    else for (const v of values) this.fileOne(idx, v, key, obj);
  }

  private fileOne(idx: Index, value: string, key: string, obj: KubeObject): void {
    let m = idx.byValue.get(value);
    if (!m) {
      m = new Map();
      idx.byValue.set(value, m);
    }
    m.set(key, obj);
  }

  /** reindex files obj under its index values (filed: where its key's values are, when known); returns where. */
  private reindex(obj: KubeObject, key: string, replaced = true, filed?: IndexValues[]): IndexValues[] | undefined {
    const group = this.indexes.get(obj.kind);
    if (!group) return undefined;
    filed ??= group.valuesOf.get(key);
    const list = group.list;
    // At its length: an object's filed values live as long as it does (from [], ~130 bytes of empty slots each).
    if (!filed) group.valuesOf.set(key, (filed = new Array<IndexValues>(list.length)));
    for (let i = 0; i < list.length; i++) {
      const idx = list[i];
      const old = filed[i];
      const now = idx.fn(obj);
      if (old !== undefined && sameValues(old, now)) {
        // Unchanged values: the entries need refreshing only when a different object took the key.
        if (replaced) for (const v of valueList(now)) idx.byValue.get(v)?.set(key, obj);
        continue;
      }
      if (old !== undefined) for (const v of valueList(old)) idx.byValue.get(v)?.delete(key);
      this.fileUnder(idx, filed, obj, key, now);
    }
    return filed;
  }

  private unindex(kind: string, key: string): void {
    const group = this.indexes.get(kind);
    if (!group) return;
    const filed = group.valuesOf.get(key);
    if (!filed) return;
    for (const idx of group.list) {
      const values = filed[idx.at];
      if (values !== undefined) for (const v of valueList(values)) idx.byValue.get(v)?.delete(key);
    }
    group.valuesOf.delete(key);
  }

  private resource(kind: string): string {
    const info = kindInfo(kind);
    return info ? resourceName(info) : kind.toLowerCase();
  }

  /** dump returns every object (for snapshots), kinds in first-seen order, objects in creation order. */
  dump(): { rv: number; objects: KubeObject[] } {
    const objects: KubeObject[] = [];
    for (const b of this.objects.values()) {
      this.file(b);
      for (const o of b.values()) objects.push(o);
    }
    return { rv: this.rv, objects: structuredClone(objects) };
  }

  /** load replaces the contents with a dump, without telling watchers (callers rebuild their caches). */
  load(d: { rv: number; objects: KubeObject[] }): void {
    this.objects.clear();
    this.unfiled.clear();
    this.gone = new WeakSet();
    this.freshOnly.clear();
    for (const group of this.indexes.values()) {
      group.valuesOf.clear();
      for (const idx of group.list) idx.byValue.clear();
    }
    this.epoch = ++epochs;
    for (const o of structuredClone(d.objects)) {
      const key = keyOf(o);
      this.bucket(o.kind).set(key, o);
      this.setSlot(o, key, this.reindex(o, key));
    }
    this.rv = d.rv;
  }
}
