/**
 * The scheduling queue (pkg/scheduler/backend/queue) as plain JSON in sim.moduleState: activeQ is
 * a binary heap ordered by PrioritySort (higher spec.priority first, then the order the pods were
 * first seen); failed pods wait in unschedulablePods until a cluster event or the 5-minute flush,
 * then go to activeQ, or to backoff until their backoff (1 s doubling to 10 s) has passed.
 */
import { heapPop as popHeap, heapPush as pushHeap } from '../heap.ts';

/** INITIAL_BACKOFF_MS / MAX_BACKOFF_MS are podInitialBackoffSeconds (1) and podMaxBackoffSeconds (10). */
export const INITIAL_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 10_000;
/** UNSCHEDULABLE_FLUSH_MS is podMaxInUnschedulablePodsDuration: 5 minutes. */
export const UNSCHEDULABLE_FLUSH_MS = 5 * 60_000;

export interface QueueEntry {
  key: string;
  prio: number;
  seq: number;
  attempts: number;
  /**
   * where: 'gone' marks a deleted pod still in the activeQ heap (removed lazily when popped);
   * 'binding' a pod in its binding cycle, waiting for its volumes on `node`.
   */
  where: 'active' | 'backoff' | 'unschedulable' | 'binding' | 'gone';
  /** node: the node a pod in its binding cycle is assumed on */
  node?: string;
  backoffUntil: number;
  /** since: when the pod became unschedulable, or began its binding cycle */
  since: number;
  gen: number;
  /** podEvents: the pod has pod affinity or spread constraints, so a newly bound pod may help it. */
  podEvents: boolean;
}

export interface QueueState {
  seq: number;
  entries: Record<string, QueueEntry>;
  /** active is the activeQ heap of pod uids. */
  active: string[];
  unschedulable: Record<string, true>;
  nextStartNodeIndex: number;
  /**
   * nominated is the nominator (PodNominator): pods that preempted and wait for their victims to go,
   * by uid, with the node they were nominated to. Other pods of lower or equal priority see them as
   * already there when they are filtered, so the room made for a preemptor is kept for it.
   */
  nominated: Record<string, { node: string; key: string; prio: number }>;
}

/** QUEUE_DICTS: the queue's tables by pod uid, which every pod enters and leaves (Sim.moduleState keeps them dictionaries). */
export const QUEUE_DICTS = ['entries', 'unschedulable', 'nominated'] as const;

export function newQueueState(): QueueState {
  return { seq: 0, entries: {}, active: [], unschedulable: {}, nextStartNodeIndex: 0, nominated: {} };
}

/** backoffDuration is calculateBackoffDuration: 1 s, 2 s, 4 s, 8 s, then 10 s. */
export function backoffDuration(attempts: number): number {
  let d = INITIAL_BACKOFF_MS;
  for (let i = 1; i < attempts; i++) {
    d *= 2;
    if (d > MAX_BACKOFF_MS) return MAX_BACKOFF_MS;
  }
  return d;
}

function less(q: QueueState, a: string, b: string): boolean {
  const ea = q.entries[a];
  const eb = q.entries[b];
  if (ea.prio !== eb.prio) return ea.prio > eb.prio;
  return ea.seq < eb.seq;
}

export function heapPush(q: QueueState, uid: string): void {
  pushHeap(q.active, uid, (a, b) => less(q, a, b));
}

export function heapPop(q: QueueState): string | undefined {
  return popHeap(q.active, (a, b) => less(q, a, b));
}
