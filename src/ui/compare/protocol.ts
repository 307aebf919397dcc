/**
 * protocol: the messages between the Compare dialog and its worker (compare.worker.ts). The worker
 * runs the engine's comparison (src/engine/compare) off the page's thread and off the cluster's
 * worker, so the playground keeps running while the strategies are measured.
 */
import type { CompareResult, Strategy } from '../../engine/compare/index.ts';

/** ComparePlan is what the dialog shows before a run: the workload and the change it defaults to. */
export interface ComparePlan {
  /** workloads are every Deployment and Rollout of the scenario; name is the one planned. */
  workloads: string[];
  kind: 'Deployment' | 'Rollout';
  name: string;
  replicas: number;
  container: string;
  fromImage: string;
  /** toImage is the default new image ('' when the scenario does not suggest one). */
  toImage: string;
  at: number;
  rps: number;
  seed: number;
}

export type CompareRequest =
  | { type: 'plan'; id: number; file: string; text: string; workload?: string }
  | { type: 'run'; id: number; file: string; text: string; workload?: string; image: string; strategies: Strategy[] };

export type CompareReply =
  | { type: 'plan'; id: number; plan?: ComparePlan; error?: string }
  | { type: 'progress'; id: number; strategy: Strategy; i: number; n: number }
  | { type: 'result'; id: number; result: CompareResult }
  | { type: 'error'; id: number; error: string };
