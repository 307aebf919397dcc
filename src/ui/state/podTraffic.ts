/**
 * podTraffic hands each pod chip its own rate and error share. A chip that selected them from the cluster
 * store ran two selectors on every worker message (30 a second, clock-only ones included): 2,000 calls a
 * message with 1,000 pods. Here one store subscriber compares the pods' numbers when a new traffic view
 * arrives (once per simulated second) and wakes only the chips whose numbers changed.
 */
import { useCallback, useSyncExternalStore } from 'react';
import type { PodTraffic, TrafficView } from '../../worker/protocol.ts';
import { useCluster } from './cluster.ts';

type Pods = TrafficView['pods'] | undefined;

const listeners = new Map<string, Set<() => void>>();
let current: Pods = useCluster.getState().traffic?.pods;

/** changed tells whether a pod's shown numbers differ between two traffic views. */
function changed(a: PodTraffic | undefined, b: PodTraffic | undefined): boolean {
  return (a?.rps ?? 0) !== (b?.rps ?? 0) || (a?.errors ?? 0) !== (b?.errors ?? 0);
}

/** notifyPodTraffic moves to a new view's pods and wakes the listeners of the pods whose numbers changed. */
export function notifyPodTraffic(next: Pods): void {
  const old = current;
  if (next === old) return;
  current = next;
  for (const [key, set] of listeners) {
    if (!changed(old?.[key], next?.[key])) continue;
    for (const l of set) l();
  }
}

useCluster.subscribe((s, prev) => {
  if (s.traffic !== prev.traffic) notifyPodTraffic(s.traffic?.pods);
});

/** subscribePod adds a listener for one pod ("namespace/name"); returns the unsubscribe. */
export function subscribePod(key: string, fn: () => void): () => void {
  let set = listeners.get(key);
  if (!set) listeners.set(key, (set = new Set()));
  set.add(fn);
  return () => {
    set.delete(fn);
    if (set.size === 0 && listeners.get(key) === set) listeners.delete(key);
  };
}

/** usePodTraffic is one pod's requests/s and error share (0..1); the caller re-renders only when they change. */
export function usePodTraffic(key: string): { rps: number; errors: number } {
  const subscribe = useCallback((fn: () => void) => subscribePod(key, fn), [key]);
  const rps = useSyncExternalStore(subscribe, () => current?.[key]?.rps ?? 0);
  const errors = useSyncExternalStore(subscribe, () => current?.[key]?.errors ?? 0);
  return { rps, errors };
}
