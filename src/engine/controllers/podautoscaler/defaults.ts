/**
 * defaults is pkg/apis/autoscaling/v2/defaults.go for the HorizontalPodAutoscaler, plus the reading of
 * an autoscaling/v1 object as v2 (targetCPUUtilizationPercentage → one cpu Utilization metric).
 * The API server does not default HPAs yet, so the controller reads every spec through hpaSpec();
 * defaultHorizontalPodAutoscaler is the SetDefaults_ function for api/defaults.ts to call.
 */
import type { KubeObject } from '../../api/types.ts';
import type { HPAScalingRules } from './normalize.ts';

/** DEFAULT_CPU_UTILIZATION is the metric an HPA without metrics gets: cpu at 80 % of requests. */
export const DEFAULT_CPU_UTILIZATION = 80;
/** DOWNSCALE_STABILIZATION_SECONDS is --horizontal-pod-autoscaler-downscale-stabilization (5 min). */
export const DOWNSCALE_STABILIZATION_SECONDS = 300;

/** MetricTarget is autoscaling/v2 MetricTarget (quantities as written). */
export interface MetricTarget {
  type?: 'Utilization' | 'Value' | 'AverageValue' | string;
  averageUtilization?: number;
  averageValue?: string | number;
  value?: string | number;
}

/** MetricSpec is autoscaling/v2 MetricSpec. */
export interface MetricSpec {
  type: 'Resource' | 'ContainerResource' | 'Pods' | 'Object' | 'External' | string;
  resource?: { name: string; target: MetricTarget };
  containerResource?: { name: string; container: string; target: MetricTarget };
  pods?: { metric: { name: string; selector?: unknown }; target: MetricTarget };
  object?: { describedObject: { kind: string; name: string; apiVersion?: string }; metric: { name: string; selector?: unknown }; target: MetricTarget };
  external?: { metric: { name: string; selector?: unknown }; target: MetricTarget };
}

export interface HPASpec {
  scaleTargetRef: { apiVersion?: string; kind: string; name: string };
  minReplicas: number;
  maxReplicas: number;
  metrics: MetricSpec[];
  behavior?: { scaleUp: HPAScalingRules; scaleDown: HPAScalingRules };
}

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** defaultScaleUpRules is GenerateHPAScaleUpRules: window 0, Max of 4 pods or 100 % per 15 s. */
export function defaultScaleUpRules(r: any): HPAScalingRules {
  const given = isObj(r) ? r : {};
  return {
    stabilizationWindowSeconds: typeof given.stabilizationWindowSeconds === 'number' ? given.stabilizationWindowSeconds : 0,
    selectPolicy: given.selectPolicy ?? 'Max',
    policies: Array.isArray(given.policies) && given.policies.length > 0 ? given.policies : [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

/** defaultScaleDownRules is GenerateHPAScaleDownRules: Max of 100 % per 15 s; the window stays unset (the controller's 300 s). */
export function defaultScaleDownRules(r: any): HPAScalingRules {
  const given = isObj(r) ? r : {};
  const out: HPAScalingRules = {
    selectPolicy: given.selectPolicy ?? 'Max',
    policies: Array.isArray(given.policies) && given.policies.length > 0 ? given.policies : [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  };
  if (typeof given.stabilizationWindowSeconds === 'number') out.stabilizationWindowSeconds = given.stabilizationWindowSeconds;
  return out;
}

/** defaultHorizontalPodAutoscaler is SetDefaults_HorizontalPodAutoscaler (v2): minReplicas 1, cpu 80 %, behavior rules. */
export function defaultHorizontalPodAutoscaler(obj: KubeObject): void {
  if (!isObj(obj.spec) || obj.apiVersion !== 'autoscaling/v2') return;
  const s = obj.spec;
  if (s.minReplicas === undefined) s.minReplicas = 1;
  if (!Array.isArray(s.metrics) || s.metrics.length === 0) {
    s.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  if (isObj(s.behavior)) {
    s.behavior.scaleUp = defaultScaleUpRules(s.behavior.scaleUp);
    s.behavior.scaleDown = defaultScaleDownRules(s.behavior.scaleDown);
  }
}

/** cleanMetric drops target fields of the wrong type (the API server does not validate HPAs yet). */
function cleanMetric(m: Record<string, any>): MetricSpec {
  const out = { ...m } as MetricSpec;
  for (const k of ['resource', 'containerResource', 'pods', 'object', 'external'] as const) {
    const src = m[k];
    if (!isObj(src)) continue;
    const t = isObj(src.target) ? { ...src.target } : {};
    if (typeof t.averageUtilization !== 'number' || !(t.averageUtilization > 0)) delete t.averageUtilization;
    (out as any)[k] = { ...src, target: t };
  }
  return out;
}

/** hpaSpec reads an HPA (v2, or v1 converted) with defaults applied, without touching the object. */
export function hpaSpec(hpa: KubeObject): HPASpec {
  const s = isObj(hpa.spec) ? hpa.spec : {};
  const ref = isObj(s.scaleTargetRef) ? s.scaleTargetRef : { kind: '', name: '' };
  const minReplicas = typeof s.minReplicas === 'number' ? s.minReplicas : 1;
  const maxReplicas = typeof s.maxReplicas === 'number' ? s.maxReplicas : 0;
  let metrics: MetricSpec[];
  if (hpa.apiVersion === 'autoscaling/v1') {
    const pct = typeof s.targetCPUUtilizationPercentage === 'number' ? s.targetCPUUtilizationPercentage : DEFAULT_CPU_UTILIZATION;
    metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: pct } } }];
  } else {
    metrics = Array.isArray(s.metrics) && s.metrics.length > 0 ? s.metrics.filter(isObj).map(cleanMetric) : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  const out: HPASpec = { scaleTargetRef: ref as HPASpec['scaleTargetRef'], minReplicas, maxReplicas, metrics };
  if (hpa.apiVersion !== 'autoscaling/v1' && isObj(s.behavior)) {
    out.behavior = { scaleUp: defaultScaleUpRules(s.behavior.scaleUp), scaleDown: defaultScaleDownRules(s.behavior.scaleDown) };
  }
  return out;
}
