/**
 * storeChanges: what changed in the attached cluster's store since the page last heard, as a Diff:
 * each object written (its latest version) or removed, or, after a reset (a load, a seek, a recovery),
 * every object. Objects are the store's own (the worker's postMessage copies them).
 */
import type { KubeObject } from '../engine/api/types.ts';
import type { Sim } from '../engine/sim.ts';
import { pushAll } from '../engine/arrays.ts';
import { PAGE_EVENTS, refKey, refOf, type Diff, type ObjectRef, type TrafficView } from './protocol.ts';
import { newestEvents } from './chunk.ts';

type Pending = { obj: KubeObject } | { removed: ObjectRef };

/** StoreChanges collects the store's writes between two diffs. */
export class StoreChanges {
  private pending = new Map<string, Pending>();
  private reset = false;

  /** write notes a watch event: obj was ADDED, MODIFIED or DELETED. */
  write(type: string, obj: KubeObject): void {
    const key = refKey(refOf(obj));
    this.pending.set(key, type === 'DELETED' ? { removed: refOf(obj) } : { obj });
  }

  /** startOver makes the next diff a reset diff with every object (the page starts over). */
  startOver(): void {
    this.pending.clear();
    this.reset = true;
  }

  /**
   * take returns what changed since the last call, with the traffic view when there is a new one, or
   * undefined if nothing did. After startOver it is a reset diff with every object.
   */
  take(sim: Sim, traffic: TrafficView | undefined): Diff | undefined {
    const t = sim.now();
    if (this.reset) {
      this.reset = false;
      this.pending.clear();
      let upserted: KubeObject[] = [];
      for (const kind of sim.store.kinds()) pushAll(upserted, sim.store.list(kind));
      upserted = newestEvents(upserted, PAGE_EVENTS);
      return traffic ? { t, reset: true, upserted, removed: [], traffic } : { t, reset: true, upserted, removed: [] };
    }
    if (this.pending.size === 0 && !traffic) return undefined;
    let upserted: KubeObject[] = [];
    const removed: ObjectRef[] = [];
    for (const p of this.pending.values()) {
      if ('obj' in p) upserted.push(p.obj);
      else removed.push(p.removed);
    }
    this.pending.clear();
    upserted = newestEvents(upserted, PAGE_EVENTS);
    return traffic ? { t, upserted, removed, traffic } : { t, upserted, removed };
  }
}
