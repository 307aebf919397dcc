/**
 * types.ts: the VerticalPodAutoscaler object (autoscaling.k8s.io/v1, the add-on's CRD) as the
 * engine reads it, and the recommender's defaults with their upstream flag names.
 */
import type { Condition, KubeObject } from '../../api/types.ts';

export const VPA_KIND = 'VerticalPodAutoscaler';
export const VPA_GROUP = 'autoscaling.k8s.io';
export const VPA_API_VERSION = 'autoscaling.k8s.io/v1';

export type UpdateMode = 'Off' | 'Initial' | 'Recreate' | 'Auto';

export interface ContainerResourcePolicy {
  containerName?: string;
  mode?: 'Auto' | 'Off';
  minAllowed?: Record<string, string | number>;
  maxAllowed?: Record<string, string | number>;
  controlledResources?: string[];
  controlledValues?: 'RequestsAndLimits' | 'RequestsOnly';
}

export interface RecommendedContainerResources {
  containerName: string;
  target: Record<string, string>;
  lowerBound: Record<string, string>;
  upperBound: Record<string, string>;
  uncappedTarget: Record<string, string>;
}

export interface VerticalPodAutoscaler extends KubeObject {
  kind: 'VerticalPodAutoscaler';
  spec: {
    targetRef: { apiVersion?: string; kind: string; name: string };
    updatePolicy?: { updateMode?: UpdateMode; minReplicas?: number };
    resourcePolicy?: { containerPolicies?: ContainerResourcePolicy[] };
  };
  status?: {
    recommendation?: { containerRecommendations?: RecommendedContainerResources[] };
    conditions?: Condition[];
  };
}

/** Recommender flags (pkg/recommender/logic/recommender.go) and their defaults. */
export const RECOMMENDER_DEFAULTS = {
  /** --recommendation-margin-fraction: 15% added to every estimate. */
  safetyMarginFraction: 0.15,
  /** --pod-recommendation-min-cpu-millicores / --pod-recommendation-min-memory-mb, split evenly among a pod's containers. */
  podMinCPUMillicores: 25,
  podMinMemoryMb: 250,
  /** --target-cpu-percentile, --recommendation-lower/upper-bound-cpu-percentile. */
  targetCPUPercentile: 0.9,
  lowerBoundCPUPercentile: 0.5,
  upperBoundCPUPercentile: 0.95,
  /** The same percentiles over memory peaks. */
  targetMemoryPercentile: 0.9,
  lowerBoundMemoryPercentile: 0.5,
  upperBoundMemoryPercentile: 0.95,
} as const;

/** RECOMMENDER_INTERVAL_MS is --recommender-interval (1m); UPDATER_INTERVAL_MS is --updater-interval (1m). */
export const RECOMMENDER_INTERVAL_MS = 60_000;
export const UPDATER_INTERVAL_MS = 60_000;
/** MEMORY_AGGREGATION_INTERVAL_MS is --memory-aggregation-interval (24h): one memory peak per container per interval. */
export const MEMORY_AGGREGATION_INTERVAL_MS = 24 * 3600_000;
/** MIN_SAMPLE_WEIGHT is aggregate_container_state.go's minSampleWeight (0.1 core). */
export const MIN_SAMPLE_WEIGHT = 0.1;
/** Updater flags: --min-replicas (2) and --eviction-tolerance (0.5). */
export const UPDATER_MIN_REPLICAS = 2;
export const EVICTION_TOLERANCE = 0.5;

/** updateModeOf is the VPA's update mode (default Auto, as the API defaults it). */
export function updateModeOf(vpa: VerticalPodAutoscaler): UpdateMode {
  return vpa.spec?.updatePolicy?.updateMode ?? 'Auto';
}

/** containerPolicyFor is the policy naming the container, else the "*" default policy (vpa_api_util.GetContainerResourcePolicy). */
export function containerPolicyFor(vpa: VerticalPodAutoscaler, container: string): ContainerResourcePolicy | undefined {
  const policies = vpa.spec?.resourcePolicy?.containerPolicies ?? [];
  return policies.find((p) => p.containerName === container) ?? policies.find((p) => p.containerName === '*');
}

/** controlledResourcesOf is the policy's controlledResources (default cpu and memory). */
export function controlledResourcesOf(policy: ContainerResourcePolicy | undefined): string[] {
  return policy?.controlledResources ?? ['cpu', 'memory'];
}
