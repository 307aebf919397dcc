/**
 * historyTypes: the per-second history the worker records (history.ts) and the page's charts draw,
 * as sent in the protocol's `history` message. Types and the bound only, so the page's main chunk
 * does not pull in the recorder (or the engine modules it reads).
 */

/** HISTORY_CAPACITY bounds the points kept (worker and page): the last hour of simulated seconds. */
export const HISTORY_CAPACITY = 3600;

/** VersionPoint is one version's (image's) traffic in one second. */
export interface VersionPoint {
  /** n: requests the version's pods answered or refused in the second; err: of them failed (5xx, refused) */
  n: number;
  err: number;
  /** p95: 95th percentile latency (ms) of the requests the version's pods answered, null when none */
  p95: number | null;
  /** rev: the revision key serving this version (most ready pods), for its colour */
  rev?: string;
}

/** HistoryPoint is one simulated second. */
export interface HistoryPoint {
  /** t: the second (ms, a multiple of 1000): traffic counted in the network module's bucket t, pods as of the end of the second */
  t: number;
  /** requests: client requests in the second; errors: of them answered 5xx or not at all */
  requests: number;
  errors: number;
  /** p95: 95th percentile latency (ms) of all requests pods answered, null when none */
  p95: number | null;
  versions: Record<string, VersionPoint>;
  /** ready: ready pods by revision key ("namespace/replicaset-name") */
  ready: Record<string, number>;
}

/** RevisionInfo describes a revision key: its workload, ReplicaSet (or other owner), hash and image. */
export interface RevisionInfo {
  namespace: string;
  /** owner: the workload ("Deployment/web", "Rollout/demo") or the pods' controller when it has none */
  owner: string;
  /** name: the pods' controller (ReplicaSet name) */
  name: string;
  /** hash: pod-template-hash / rollouts-pod-template-hash / controller-revision-hash */
  hash: string;
  image: string;
}

/** HistoryMessage is what the worker sends: new points, and what to drop first. */
export interface HistoryMessage {
  points: HistoryPoint[];
  /** reset: drop every point held (a scenario was loaded) */
  reset?: boolean;
  /** after: drop the points after this time (ms) first (the clock moved back) */
  after?: number;
  /** revisions: revision keys first seen (or changed) since the last message */
  revisions?: Record<string, RevisionInfo>;
}
