/**
 * types.ts: the simulated cluster autoscaler's configuration (the Scenario's
 * spec.cluster.autoscaler) with upstream's defaults, and its state in sim.moduleState.
 */

/** NodeGroupTemplate is what every node of a group looks like (the cloud's instance template). */
export interface NodeGroupTemplate {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }[];
}

/** NodeGroupSpec is one node group (an ASG / MIG / node pool): its size bounds and how long a new node takes to join. */
export interface NodeGroupSpec {
  name: string;
  min: number;
  max: number;
  template: NodeGroupTemplate;
  /** provisionDelayMs: from the scale-up decision until the node registers (default 60 s). */
  provisionDelayMs: number;
}

export type Expander = 'random' | 'least-waste' | 'most-pods';

/** AutoscalerSpec is the whole configuration; see DEFAULTS for the values flags default to upstream. */
export interface AutoscalerSpec {
  nodeGroups: NodeGroupSpec[];
  expander: Expander;
  scanIntervalMs: number;
  scaleDownUnneededTimeMs: number;
  scaleDownDelayAfterAddMs: number;
  scaleDownUtilizationThreshold: number;
  /** scaleDownEnabled is --scale-down-enabled (true). */
  scaleDownEnabled: boolean;
}

/**
 * AUTOSCALER_DEFAULTS are cluster-autoscaler's flag defaults: --scan-interval 10s,
 * --scale-down-unneeded-time 10m, --scale-down-delay-after-add 10m,
 * --scale-down-utilization-threshold 0.5, --expander random.
 */
export const AUTOSCALER_DEFAULTS = {
  expander: 'random' as Expander,
  scanIntervalMs: 10_000,
  scaleDownUnneededTimeMs: 10 * 60_000,
  scaleDownDelayAfterAddMs: 10 * 60_000,
  scaleDownUtilizationThreshold: 0.5,
  scaleDownEnabled: true,
};

/** DEFAULT_PROVISION_DELAY_MS is how long a simulated cloud takes to boot and register a node. */
export const DEFAULT_PROVISION_DELAY_MS = 60_000;

/** EXPENDABLE_PODS_PRIORITY_CUTOFF is --expendable-pods-priority-cutoff (-10): pods below it neither trigger scale-up nor block scale-down. */
export const EXPENDABLE_PODS_PRIORITY_CUTOFF = -10;

/** MAX_EMPTY_BULK_DELETE is --max-empty-bulk-delete (10): empty nodes removed per loop. */
export const MAX_EMPTY_BULK_DELETE = 10;

/** MAX_POD_EVICTION_TIME_MS is MaxPodEvictionTime (2 min): a drain that cannot finish is abandoned. */
export const MAX_POD_EVICTION_TIME_MS = 2 * 60_000;

/** NODE_GROUP_LABEL marks the nodes a group owns (the simulator's stand-in for the cloud provider ID). */
export const NODE_GROUP_LABEL = 'autoscaling.kubeplay.dev/node-group';

/** TO_BE_DELETED_TAINT is the taint the autoscaler puts on a node it drains (value: Unix seconds). */
export const TO_BE_DELETED_TAINT = 'ToBeDeletedByClusterAutoscaler';

export interface DrainState {
  startedAt: number;
  empty: boolean;
}

/** AutoscalerState is the module state: config, group membership, timers' bookkeeping. */
export interface AutoscalerState {
  spec: AutoscalerSpec;
  /** groups: node names by group, in creation order; next is the next node number. */
  groups: Record<string, { nodes: string[]; next: number }>;
  /** provisioning: nodes asked for and not yet registered, with when they join. */
  provisioning: Record<string, { group: string; at: number }>;
  /** unneededSince: when each node was first found unneeded (scale-down candidates). */
  unneededSince: Record<string, number>;
  /** draining: nodes being emptied for scale-down. */
  draining: Record<string, DrainState>;
  lastScaleUp: number;
  lastScaleDownFailure: number;
  /** status is the last cluster-autoscaler-status text written (to write only on change). */
  status?: string;
}
