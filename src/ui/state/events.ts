/**
 * useEvents is the cluster's Events for a component that shows them (the Events tab, the Inspector). The
 * worker sends Events only while one is mounted: during a 1,000-pod rolling update they were about half of
 * what the page read from the worker, most of it while the Terminal was the open tab. When the first one
 * mounts, the worker sends the newest Events at once (Diff.eventsReset); until they arrive (a frame or
 * two) it returns none.
 */
import { useEffect } from 'react';
import type { KubeObject } from '../../engine/api/types.ts';
import { useCluster, useKind } from './cluster.ts';
import { getClient } from './client.ts';

let viewers = 0;
const NONE: ReadonlyMap<string, KubeObject> = new Map();

export function useEvents(): ReadonlyMap<string, KubeObject> {
  useEffect(() => {
    if (viewers++ === 0) getClient().showEvents(true);
    return () => {
      if (--viewers === 0) getClient().showEvents(false);
    };
  }, []);
  const events = useKind('Event');
  // Until the worker has sent them again, the Events held are an old moment's: none rather than stale ones.
  return useCluster((s) => s.eventsLive) ? events : NONE;
}
