import type { Store } from './store.ts';
import type { KubeObject } from './types.ts';

/**
 * releaseFinalizer is a controller's update that removes its finalizer from an object being deleted:
 * the object goes with its last finalizer (the API server deletes it on that update), else it stays
 * with the others.
 */
export function releaseFinalizer(store: Store, obj: KubeObject, finalizer: string): void {
  const rest = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  if (rest.length === 0) {
    store.remove(obj.kind, obj.metadata.namespace, obj.metadata.name);
    return;
  }
  obj.metadata.finalizers = rest;
  store.update(obj);
}
