/**
 * Array helpers safe for any length. `a.push(...b)` and `Math.max(...b)` pass b's elements as call
 * arguments, and engines cap those (about 65,000 in V8): a cluster of 100,000 pods overflowed the
 * stack ("Maximum call stack size exceeded") in code that was fine at 1,000.
 */

/** pushAll appends items to target, one by one, and returns target. */
export function pushAll<T>(target: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) target.push(items[i]);
  return target;
}

/** maxOf is the largest of values (-Infinity for none), as Math.max(...values) without the argument limit. */
export function maxOf(values: readonly number[]): number {
  let m = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > m || Number.isNaN(values[i])) m = values[i];
  return m;
}

/** minOf is the smallest of values (Infinity for none), as Math.min(...values) without the argument limit. */
export function minOf(values: readonly number[]): number {
  let m = Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] < m || Number.isNaN(values[i])) m = values[i];
  return m;
}

/**
 * appended is a new array of list's items and item, made at its length. An array a pod keeps for its
 * whole life (a container's volumeMounts, the pod's tolerations) grown from [] by push holds room for
 * 17 items; 10,000 pods with a handful of such arrays each kept ~10 MB of empty slots.
 */
export function appended<T>(list: readonly T[] | undefined, item: T): T[] {
  const n = list?.length ?? 0;
  const out = new Array<T>(n + 1);
  for (let i = 0; i < n; i++) out[i] = list![i];
  out[n] = item;
  return out;
}
