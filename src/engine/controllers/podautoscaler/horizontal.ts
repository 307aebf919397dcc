/**
 * horizontal is upstream's HorizontalController (pkg/controller/podautoscaler/horizontal.go): every
 * 15 s (the resync period) each HPA reads its target's scale, computes a replica count per metric,
 * takes the largest, normalizes it (stabilization, rate limits, min/max) and writes the target's
 * spec.replicas through the API server, with upstream's conditions, events and status.
 */
import { formatCpu, formatMemory, parseQuantity } from '../../api/quantity.ts';
import { compileMapSelector, compileSelector } from '../../api/selector.ts';
import { KINDS, resourceName } from '../../api/kinds.ts';
import type { Condition, KubeObject, Pod } from '../../api/types.ts';
import type { ApiServer } from '../../api/server.ts';
import type { Sim } from '../../sim.ts';
import { DOWNSCALE_STABILIZATION_SECONDS, hpaSpec, type HPASpec, type MetricSpec } from './defaults.ts';
import { calcPods, getResourceMetric } from './metrics.ts';
import {
  convertDesiredReplicasWithBehaviorRate,
  convertDesiredReplicasWithRules,
  getLongestPolicyPeriod,
  stabilizeRecommendation,
  stabilizeRecommendationWithBehaviors,
  storeScaleEvent,
  type ScaleEvent,
  type TimestampedRecommendation,
} from './normalize.ts';
import { calcPlainMetricReplicas, getResourceReplicas } from './replica_calculator.ts';

export const CONTROLLER = 'horizontalpodautoscaler';
export const SYNC_TIMER = 'podautoscaler/sync';
/** SYNC_PERIOD_MS is --horizontal-pod-autoscaler-sync-period (15 s). */
export const SYNC_PERIOD_MS = 15_000;
export const COMPONENT = 'horizontal-pod-autoscaler';

/** The kinds with a scale subresource the HPA can drive. */
const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController', 'Rollout']);

interface HpaMemory {
  recs?: TimestampedRecommendation[];
  up: ScaleEvent[];
  down: ScaleEvent[];
  gen?: number;
  /** v1Conditions: an autoscaling/v1 object has no conditions field; they are kept here. */
  v1Conditions?: Condition[];
}

interface ModuleState {
  hpas: Record<string, HpaMemory>;
  /** next is when each HPA's next resync is due (the rate-limited requeue). */
  next: Record<string, number>;
}

const moduleState = (sim: Sim) => sim.moduleState<ModuleState>('podautoscaler', () => ({ hpas: {}, next: {} }));

type MetricStatus = Record<string, any>;

interface Working {
  hpa: KubeObject;
  key: string;
  conditions: Condition[];
  status: Record<string, any>;
}

/** setCondition is setConditionInList: reason and message always replaced, lastTransitionTime when the status changes. */
function setCondition(sim: Sim, w: Working, type: string, status: 'True' | 'False', reason: string, message: string): void {
  let c = w.conditions.find((x) => x.type === type);
  if (!c) {
    c = { type, status } as Condition;
    w.conditions.push(c);
    c.lastTransitionTime = sim.nowIso();
  } else if (c.status !== status) c.lastTransitionTime = sim.nowIso();
  c.status = status;
  c.reason = reason;
  c.message = message;
}

/** buildQuantity formats a milli-value as the controller does: DecimalSI for CPU, BinarySI for memory. */
export function buildQuantity(resource: string, milli: number): string {
  if (resource === 'memory' && milli % 1000 === 0) return formatMemory(milli / 1000);
  if (resource === 'memory') return `${milli}m`;
  return formatCpu(milli);
}

interface Scale {
  target: KubeObject;
  specReplicas: number;
  statusReplicas: number;
  /** pods lists the pods the scale's selector matches (undefined when the target has no selector). */
  selectorOk: boolean;
  matches: (labels: Record<string, string> | undefined) => boolean;
}

function getScale(sim: Sim, ns: string, ref: HPASpec['scaleTargetRef']): Scale | { error: string } {
  const apiVersion = ref.apiVersion ?? '';
  const parts = apiVersion.split('/');
  if (parts.length > 2) return { error: `unexpected GroupVersion string: ${apiVersion}` };
  const group = parts.length === 2 ? parts[0] : '';
  const info = KINDS.find((k) => k.kind === ref.kind && k.group === group);
  if (!info) return { error: `no matches for kind "${ref.kind}" in group "${group}"` };
  if (!SCALABLE.has(info.kind)) return { error: 'the server could not find the requested resource' };
  const target = sim.store.get(info.kind, ns, ref.name);
  if (!target) return { error: `${resourceName(info)} "${ref.name}" not found` };
  const sel = target.spec?.selector;
  const selectorOk = info.kind === 'ReplicationController' ? !!sel && Object.keys(sel).length > 0 : !!sel && (Object.keys(sel.matchLabels ?? {}).length > 0 || (sel.matchExpressions ?? []).length > 0);
  return {
    target,
    specReplicas: typeof target.spec?.replicas === 'number' ? target.spec.replicas : 1,
    statusReplicas: target.status?.replicas ?? 0,
    selectorOk,
    matches: info.kind === 'ReplicationController' ? compileMapSelector(sel) : compileSelector(sel),
  };
}

interface MetricResult {
  replicas: number;
  metric: string;
  status?: MetricStatus;
  condition?: { reason: string; message: string };
  error?: string;
}

/** unable is getUnableComputeReplicaCountCondition: a Warning event and a ScalingActive=False proposal. */
function unable(sim: Sim, w: Working, reason: string, err: string): { reason: string; message: string } {
  sim.recordEvent(w.hpa, 'Warning', reason, err, COMPONENT);
  return { reason, message: `the HPA was unable to compute the replica count: ${err}` };
}

const NO_CUSTOM_METRICS = 'unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered';
const NO_EXTERNAL_METRICS = 'unable to fetch metrics from external metrics API: no external metrics API (external.metrics.k8s.io) registered';

/** computeReplicasForMetric is one metric's proposal (computeStatusFor*Metric). */
function computeReplicasForMetric(sim: Sim, w: Working, spec: MetricSpec, specReplicas: number, pods: Pod[]): MetricResult {
  const ns = w.hpa.metadata.namespace ?? 'default';
  const fail = (reason: string, inner: string, outer: string): MetricResult => ({ replicas: 0, metric: '', condition: unable(sim, w, reason, inner), error: outer });
  switch (spec.type) {
    case 'Resource':
    case 'ContainerResource': {
      const src = spec.type === 'Resource' ? spec.resource : spec.containerResource;
      const res = src?.name ?? '';
      const container = spec.type === 'ContainerResource' ? (spec.containerResource?.container ?? '') : '';
      const reason = spec.type === 'Resource' ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric';
      const outer = (e: string) => (spec.type === 'Resource' ? `failed to get ${res} resource metric value: ${e}` : `failed to get ${container} container metric value: ${e}`);
      const target = src?.target ?? {};
      const now = sim.now();
      const got = getResourceMetric(sim.services.get('metrics'), res, pods, container);
      if (target.averageValue !== undefined) {
        const inner = (e: string) => `failed to get ${res} usage: ${e}`;
        if ('error' in got) return fail(reason, inner(`unable to get metrics for resource ${res}: ${got.error}`), outer(inner(`unable to get metrics for resource ${res}: ${got.error}`)));
        const r = calcPlainMetricReplicas(got.metrics, specReplicas, parseQuantity(target.averageValue) ?? 0, res, calcPods(pods, res, container), now);
        if ('error' in r) return fail(reason, inner(r.error), outer(inner(r.error)));
        const current = { averageValue: buildQuantity(res, r.usage) };
        return { replicas: r.replicas, metric: `${res} resource`, status: statusFor(spec, res, container, current) };
      }
      if (target.averageUtilization === undefined) {
        const e = 'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set';
        return fail(reason, e, outer(e));
      }
      const inner = (e: string) => `failed to get ${res} utilization: ${e}`;
      if ('error' in got) return fail(reason, inner(`unable to get metrics for resource ${res}: ${got.error}`), outer(inner(`unable to get metrics for resource ${res}: ${got.error}`)));
      const r = getResourceReplicas(specReplicas, target.averageUtilization, res, calcPods(pods, res, container), got.metrics, now);
      if ('error' in r) return fail(reason, inner(r.error), outer(inner(r.error)));
      const metric = spec.type === 'Resource' ? `${res} resource utilization (percentage of request)` : `${res} container resource utilization (percentage of request)`;
      const current = { averageUtilization: r.utilization, averageValue: buildQuantity(res, r.rawUtilization) };
      return { replicas: r.replicas, metric, status: statusFor(spec, res, container, current) };
    }
    case 'Pods': {
      const e = `unable to get metric ${spec.pods?.metric?.name ?? ''}: ${NO_CUSTOM_METRICS}`;
      return fail('FailedGetPodsMetric', e, `failed to get pods metric value: ${e}`);
    }
    case 'Object': {
      const o = spec.object;
      const e = `unable to get metric ${o?.metric?.name ?? ''} on ${o?.describedObject?.kind ?? ''} ${ns}/${o?.describedObject?.name ?? ''}: ${NO_CUSTOM_METRICS}`;
      return fail('FailedGetObjectMetric', e, `failed to get object metric value: ${e}`);
    }
    case 'External': {
      const name = spec.external?.metric?.name ?? '';
      const e = `unable to get external metric ${ns}/${name}/nil: ${NO_EXTERNAL_METRICS}`;
      return fail('FailedGetExternalMetric', e, `failed to get ${name} external metric value: ${e}`);
    }
    default: {
      const e = `unknown metric source type "${spec.type}"`;
      return fail('InvalidMetricSourceType', e, e);
    }
  }
}

function statusFor(spec: MetricSpec, res: string, container: string, current: Record<string, unknown>): MetricStatus {
  return spec.type === 'Resource' ? { type: 'Resource', resource: { name: res, current } } : { type: 'ContainerResource', containerResource: { name: res, container, current } };
}

/**
 * computeReplicasForMetrics takes the largest proposal; when every metric failed, or some failed and
 * the rest would scale down, it reports the first failure instead (-1).
 */
function computeReplicasForMetrics(sim: Sim, w: Working, spec: HPASpec, scale: Scale): { replicas: number; metric: string; statuses: MetricStatus[]; error?: string } {
  if (!scale.selectorOk) {
    const msg = 'selector is required';
    sim.recordEvent(w.hpa, 'Warning', 'SelectorRequired', msg, COMPONENT);
    setCondition(sim, w, 'ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector");
    return { replicas: -1, metric: '', statuses: [], error: msg };
  }
  const pods = sim.store.list<Pod>('Pod', w.hpa.metadata.namespace ?? 'default').filter((p) => scale.matches(p.metadata.labels));
  const statuses: MetricStatus[] = [];
  let replicas = 0;
  let metric = '';
  let invalid = 0;
  let firstErr = '';
  let firstCond: { reason: string; message: string } | undefined;
  for (const m of spec.metrics) {
    const r = computeReplicasForMetric(sim, w, m, scale.specReplicas, pods);
    statuses.push(r.status ?? { type: '' });
    if (r.error !== undefined) {
      if (invalid === 0) {
        firstErr = r.error;
        firstCond = r.condition;
      }
      invalid++;
      continue;
    }
    if (replicas === 0 || r.replicas > replicas) {
      replicas = r.replicas;
      metric = r.metric;
    }
  }
  const error = invalid > 0 ? `invalid metrics (${invalid} invalid out of ${spec.metrics.length}), first error is: ${firstErr}` : undefined;
  if (invalid >= spec.metrics.length || (invalid > 0 && replicas < scale.specReplicas)) {
    if (firstCond) setCondition(sim, w, 'ScalingActive', 'False', firstCond.reason, firstCond.message);
    return { replicas: -1, metric: '', statuses, error };
  }
  setCondition(sim, w, 'ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${metric}`);
  return { replicas, metric, statuses, error };
}

/** normalizeDesiredReplicas (no behavior): 300 s downscale stabilization, then max(2×current, 4) and min/max. */
function normalizeDesiredReplicas(sim: Sim, w: Working, mem: HpaMemory, spec: HPASpec, current: number, desired: number): number {
  const stabilized = stabilizeRecommendation(mem.recs!, desired, sim.now(), DOWNSCALE_STABILIZATION_SECONDS * 1000);
  if (stabilized !== desired) setCondition(sim, w, 'AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation');
  else setCondition(sim, w, 'AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
  const n = convertDesiredReplicasWithRules(current, stabilized, spec.minReplicas, spec.maxReplicas);
  setCondition(sim, w, 'ScalingLimited', n.replicas === stabilized ? 'False' : 'True', n.reason, n.message);
  return n.replicas;
}

/** normalizeDesiredReplicasWithBehaviors: the stabilization windows, then the rate policies and min/max. */
function normalizeDesiredReplicasWithBehaviors(sim: Sim, w: Working, mem: HpaMemory, spec: HPASpec, current: number, desired: number): number {
  const b = spec.behavior!;
  const downWindow = b.scaleDown.stabilizationWindowSeconds ?? DOWNSCALE_STABILIZATION_SECONDS;
  const s = stabilizeRecommendationWithBehaviors(mem.recs!, current, desired, b.scaleUp.stabilizationWindowSeconds ?? 0, downWindow, sim.now());
  if (s.replicas !== desired) setCondition(sim, w, 'AbleToScale', 'True', s.reason, s.message);
  else setCondition(sim, w, 'AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
  const n = convertDesiredReplicasWithBehaviorRate({
    currentReplicas: current,
    desiredReplicas: s.replicas,
    minReplicas: spec.minReplicas,
    maxReplicas: spec.maxReplicas,
    scaleUp: b.scaleUp,
    scaleDown: b.scaleDown,
    scaleUpEvents: mem.up,
    scaleDownEvents: mem.down,
    nowMs: sim.now(),
  });
  setCondition(sim, w, 'ScalingLimited', n.replicas === s.replicas ? 'False' : 'True', n.reason, n.message);
  return n.replicas;
}

/** setStatus rebuilds the status (v2 shape, or v1's fields for an autoscaling/v1 object). */
function setStatus(sim: Sim, w: Working, current: number, desired: number, statuses: MetricStatus[] | undefined, rescale: boolean): void {
  const st: Record<string, any> = {};
  if (statuses !== undefined) st.currentMetrics = statuses;
  st.currentReplicas = current;
  st.desiredReplicas = desired;
  const last = rescale ? sim.nowIso() : w.status.lastScaleTime;
  if (last) st.lastScaleTime = last;
  st.conditions = w.conditions;
  w.status = st;
}

function writeStatus(sim: Sim, w: Working, mem: HpaMemory): void {
  const live = sim.store.get('HorizontalPodAutoscaler', w.hpa.metadata.namespace, w.hpa.metadata.name);
  if (!live) return;
  let next: Record<string, any> = w.status;
  if (live.apiVersion === 'autoscaling/v1') {
    mem.v1Conditions = w.conditions;
    next = { currentReplicas: w.status.currentReplicas, desiredReplicas: w.status.desiredReplicas };
    if (w.status.lastScaleTime) next.lastScaleTime = w.status.lastScaleTime;
    const u = w.status.currentMetrics?.[0]?.resource?.current?.averageUtilization;
    if (typeof u === 'number') next.currentCPUUtilizationPercentage = u;
  }
  if (JSON.stringify(live.status ?? {}) === JSON.stringify(next)) return;
  live.status = next;
  sim.store.update(live);
}

/** reconcileAutoscaler is one sync of one HPA (reconcileAutoscaler in horizontal.go). */
export function reconcileAutoscaler(sim: Sim, hpa: KubeObject, key: string): void {
  const mem = (moduleState(sim).hpas[key] ??= { up: [], down: [] });
  const spec = hpaSpec(hpa);
  const v1 = hpa.apiVersion === 'autoscaling/v1';
  const w: Working = {
    hpa,
    key,
    conditions: structuredClone((v1 ? mem.v1Conditions : hpa.status?.conditions) ?? []),
    status: { ...(hpa.status ?? {}) },
  };
  const ns = hpa.metadata.namespace ?? 'default';
  // The API server refuses maxReplicas < 1 (and min > max); until it validates HPAs, such a spec does nothing.
  if (!Number.isInteger(spec.maxReplicas) || spec.maxReplicas < 1 || !Number.isInteger(spec.minReplicas) || spec.minReplicas > spec.maxReplicas) return;
  const scale = getScale(sim, ns, spec.scaleTargetRef);
  if ('error' in scale) {
    sim.recordEvent(hpa, 'Warning', 'FailedGetScale', scale.error, COMPONENT);
    setCondition(sim, w, 'AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${scale.error}`);
    w.status = { ...w.status, conditions: w.conditions };
    writeStatus(sim, w, mem);
    return;
  }
  setCondition(sim, w, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
  const current = scale.specReplicas;
  mem.recs ??= [{ replicas: current, t: sim.now() }];

  let desired = 0;
  let reason = '';
  let rescale = true;
  let statuses: MetricStatus[] | undefined;
  if (current === 0) {
    // HPAScaleToZero is alpha (off): a target scaled to zero by hand is left alone.
    desired = 0;
    rescale = false;
    setCondition(sim, w, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
  } else if (current > spec.maxReplicas) {
    reason = 'Current number of replicas above Spec.MaxReplicas';
    desired = spec.maxReplicas;
  } else if (current < spec.minReplicas) {
    reason = 'Current number of replicas below Spec.MinReplicas';
    desired = spec.minReplicas;
  } else {
    const m = computeReplicasForMetrics(sim, w, spec, scale);
    statuses = m.statuses;
    if (m.error !== undefined && m.replicas === -1) {
      setStatus(sim, w, current, w.status.desiredReplicas ?? 0, statuses, false);
      writeStatus(sim, w, mem);
      sim.recordEvent(hpa, 'Warning', 'FailedComputeMetricsReplicas', m.error, COMPONENT);
      return;
    }
    let rescaleMetric = '';
    if (m.replicas > desired) {
      desired = m.replicas;
      rescaleMetric = m.metric;
    }
    if (desired > current) reason = `${rescaleMetric} above target`;
    if (desired < current) reason = 'All metrics below target';
    desired = spec.behavior ? normalizeDesiredReplicasWithBehaviors(sim, w, mem, spec, current, desired) : normalizeDesiredReplicas(sim, w, mem, spec, current, desired);
    rescale = desired !== current;
  }

  if (rescale) {
    const api = sim.service<ApiServer>('api');
    try {
      const obj = api.get(scale.target.kind, ns, scale.target.metadata.name);
      obj.spec.replicas = desired;
      api.update(obj);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      sim.recordEvent(hpa, 'Warning', 'FailedRescale', `New size: ${desired}; reason: ${reason}; error: ${msg}`, COMPONENT);
      setCondition(sim, w, 'AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${msg}`);
      setStatus(sim, w, current, w.status.desiredReplicas ?? 0, statuses, false);
      writeStatus(sim, w, mem);
      return;
    }
    setCondition(sim, w, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`);
    sim.recordEvent(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`, COMPONENT);
    if (spec.behavior) {
      if (desired > current) storeScaleEvent(mem.up, desired - current, getLongestPolicyPeriod(spec.behavior.scaleUp), sim.now());
      else storeScaleEvent(mem.down, current - desired, getLongestPolicyPeriod(spec.behavior.scaleDown), sim.now());
    }
  } else desired = current;
  setStatus(sim, w, current, desired, statuses, rescale);
  writeStatus(sim, w, mem);
}

/** scheduleResync is AddRateLimited with the fixed 15 s interval: an earlier pending resync is kept. */
function scheduleResync(sim: Sim, key: string): void {
  const st = moduleState(sim);
  const at = sim.now() + SYNC_PERIOD_MS;
  const pending = st.next[key];
  if (pending !== undefined && pending > sim.now() && pending <= at) return;
  st.next[key] = at;
  sim.at(at, SYNC_TIMER, key);
}

/**
 * installHorizontalPodAutoscalerController adds the `horizontalpodautoscaler` controller: an HPA is
 * synced when created, when its spec changes (generation), and every 15 s after each sync.
 */
export function installHorizontalPodAutoscalerController(sim: Sim): void {
  sim.addController({
    name: CONTROLLER,
    sync(key) {
      const [ns, name] = key.split('/');
      const st = moduleState(sim);
      const hpa = sim.store.get('HorizontalPodAutoscaler', ns, name);
      if (!hpa) {
        delete st.hpas[key];
        delete st.next[key];
        return;
      }
      reconcileAutoscaler(sim, hpa, key);
      scheduleResync(sim, key);
    },
  });
  sim.store.watch('HorizontalPodAutoscaler', (type, obj) => {
    const key = `${obj.metadata.namespace ?? 'default'}/${obj.metadata.name}`;
    const st = moduleState(sim);
    if (type === 'MODIFIED') {
      const mem = st.hpas[key];
      if (mem && mem.gen === obj.metadata.generation) return;
    }
    if (type !== 'DELETED') (st.hpas[key] ??= { up: [], down: [] }).gen = obj.metadata.generation;
    sim.enqueue(CONTROLLER, key);
  });
  sim.onTimer(SYNC_TIMER, (key) => {
    const st = moduleState(sim);
    if (st.next[key] !== sim.now()) return;
    delete st.next[key];
    sim.enqueue(CONTROLLER, key);
  });
}
