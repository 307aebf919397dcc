/**
 * recommender.ts: the VPA recommender loop (pkg/recommender/routines/recommender.go RunOnce),
 * every minute (--recommender-interval): read each target's pods from metrics-server, add the
 * readings to the history (aggregate.ts), estimate each container (estimator.ts), cap by the
 * resource policy (capping.ts) and write status.recommendation and the conditions.
 *
 * Quantities are written as the recommender does (model.ResourcesAsResourceList): CPU as a
 * milli-quantity ("587m", "1"), memory as a plain decimal quantity of bytes ("262144k" = 250 Mi).
 */
import type { Sim } from '../../sim.ts';
import type { Condition, Pod } from '../../api/types.ts';
import { compileMapSelector, compileSelector } from '../../api/selector.ts';
import { KINDS } from '../../api/kinds.ts';
import { keyOf } from '../../api/store.ts';
import { formatMilli } from '../../admission/resources.ts';
import { addCPUSample, addMemorySample, newAggregate, type AggregateState, type ContainerWindow } from './aggregate.ts';
import { applyPolicy, type CappedEstimate } from './capping.ts';
import { estimateContainerResources } from './estimator.ts';
import { controlledResourcesOf, containerPolicyFor, VPA_KIND, type RecommendedContainerResources, type VerticalPodAutoscaler } from './types.ts';
import { toAmount } from './capping.ts';

/** VpaState is the add-on's module state: histories by VPA key and container, memory windows by pod uid/container. */
export interface VpaState {
  aggregates: Record<string, Record<string, AggregateState>>;
  windows: Record<string, Record<string, ContainerWindow>>;
  /** enabled: the add-on is installed (its CRD exists and its components run). */
  enabled: boolean;
  recommendAt?: number;
  updateAt?: number;
}

export function vpaState(sim: Sim): VpaState {
  return sim.moduleState<VpaState>('vpa', () => ({ aggregates: {}, windows: {}, enabled: false }));
}

interface MetricsLike {
  podMetrics(pods: Pod[]): { name: string; namespace: string; timestampMs: number; containers: { name: string; usage: { cpuMilli: number; memoryBytes: number } }[] }[];
}

/** TargetInfo is what the VPA's targetRef resolves to: the workload and a matcher for its pods. */
export interface TargetInfo {
  target: { spec?: any; metadata: { name: string; uid?: string } };
  matches: (labels: Record<string, string> | undefined) => boolean;
  replicas: number;
}

/** resolveTarget finds the targetRef's workload and its selector (the scale subresource's selector). */
export function resolveTarget(sim: Sim, vpa: VerticalPodAutoscaler): TargetInfo | undefined {
  const ref = vpa.spec?.targetRef;
  if (!ref?.kind || !ref.name) return undefined;
  const group = (ref.apiVersion ?? '').includes('/') ? ref.apiVersion!.split('/')[0] : '';
  const info = KINDS.find((k) => k.kind === ref.kind && k.group === group);
  if (!info) return undefined;
  const target = sim.store.get(info.kind, vpa.metadata.namespace, ref.name);
  if (!target?.spec?.selector) return undefined;
  const matches = info.kind === 'ReplicationController' ? compileMapSelector(target.spec.selector) : compileSelector(target.spec.selector);
  const replicas = typeof target.spec.replicas === 'number' ? target.spec.replicas : info.kind === 'DaemonSet' ? (target.status?.desiredNumberScheduled ?? 0) : 1;
  return { target, matches, replicas };
}

/** targetPods lists the live pods a VPA controls, by name. */
export function targetPods(sim: Sim, vpa: VerticalPodAutoscaler, t: TargetInfo): Pod[] {
  return sim.store
    .list<Pod>('Pod', vpa.metadata.namespace)
    .filter((p) => !p.metadata.deletionTimestamp && t.matches(p.metadata.labels))
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
}

/** formatRecommendation is ResourcesAsResourceList for the controlled resources. */
export function formatRecommendation(e: CappedEstimate, resources: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (resources.includes('cpu')) out.cpu = e.literal?.cpu ?? formatMilli(e.cpu, false);
  if (resources.includes('memory')) out.memory = e.literal?.memory ?? formatMilli(e.memory * 1000, false);
  return out;
}

function requestMilli(pod: Pod, container: string): number {
  const c = pod.spec.containers.find((x) => x.name === container);
  return toAmount('cpu', c?.resources?.requests?.cpu) ?? 0;
}

/** feedSamples adds one metrics-server reading of every pod to the VPA's history. */
function feedSamples(sim: Sim, st: VpaState, key: string, pods: Pod[]): void {
  const metrics = sim.services.get('metrics') as MetricsLike | undefined;
  if (!metrics) return;
  const aggs = (st.aggregates[key] ??= {});
  for (const pm of metrics.podMetrics(pods)) {
    const pod = pods.find((p) => p.metadata.name === pm.name)!;
    const windows = (st.windows[pod.metadata.uid!] ??= {});
    for (const c of pm.containers) {
      const agg = (aggs[c.name] ??= newAggregate());
      const w = (windows[c.name] ??= { windowEnd: 0, peak: 0, lastSampleStart: -1 });
      if (w.lastSampleStart >= pm.timestampMs) continue; // this reading was already taken
      addCPUSample(agg, c.usage.cpuMilli, requestMilli(pod, c.name), pm.timestampMs);
      addMemorySample(agg, w, c.usage.memoryBytes, pm.timestampMs);
    }
  }
}

function setCondition(conds: Condition[], type: string, status: 'True' | 'False', nowIso: string, reason?: string, message?: string): Condition[] {
  const prev = conds.find((c) => c.type === type);
  const c: Condition = { type, status, lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : nowIso };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return [...conds.filter((x) => x.type !== type), c];
}

/**
 * recommendOnce is one recommender pass over one VPA: feed, estimate, cap, write status with the
 * conditions of Vpa.UpdateConditions (NoPodsMatched when no pod matches; RecommendationProvided).
 */
export function recommendOnce(sim: Sim, vpa: VerticalPodAutoscaler): void {
  const st = vpaState(sim);
  const key = keyOf(vpa);
  const t = resolveTarget(sim, vpa);
  const pods = t ? targetPods(sim, vpa, t) : [];
  if (pods.length) feedSamples(sim, st, key, pods);
  const aggs = st.aggregates[key] ?? {};
  const template = (t?.target.spec?.template?.spec?.containers ?? pods[0]?.spec.containers ?? []) as { name: string }[];
  const containersPerPod = Math.max(1, template.length);
  const recs: RecommendedContainerResources[] = [];
  for (const name of Object.keys(aggs).sort()) {
    const agg = aggs[name];
    if (agg.totalSamplesCount === 0) continue;
    if (template.length && !template.some((c) => c.name === name)) continue; // a container the workload no longer has
    const policy = containerPolicyFor(vpa, name);
    const raw = estimateContainerResources(agg, containersPerPod);
    const capped = applyPolicy(raw, policy);
    if (!capped) continue;
    const res = controlledResourcesOf(policy);
    recs.push({
      containerName: name,
      target: formatRecommendation(capped.target, res),
      lowerBound: formatRecommendation(capped.lowerBound, res),
      upperBound: formatRecommendation(capped.upperBound, res),
      uncappedTarget: formatRecommendation(raw.target, res),
    });
  }
  const nowIso = sim.nowIso();
  let conds = vpa.status?.conditions ?? [];
  const matched = pods.length > 0;
  if (matched) conds = conds.filter((c) => c.type !== 'NoPodsMatched');
  else conds = setCondition(conds, 'NoPodsMatched', 'True', nowIso, 'NoPodsMatched', 'No pods match this VPA object');
  conds = recs.length ? setCondition(conds, 'RecommendationProvided', 'True', nowIso) : setCondition(conds, 'RecommendationProvided', 'False', nowIso, matched ? undefined : 'NoPodsMatched', matched ? undefined : 'No pods match this VPA object');
  const status: VerticalPodAutoscaler['status'] = { ...(recs.length ? { recommendation: { containerRecommendations: recs } } : {}), conditions: conds };
  if (JSON.stringify(status) !== JSON.stringify(vpa.status ?? {})) {
    vpa.status = status;
    sim.store.update(vpa, { specChanged: false });
  }
}

/** pruneHistory drops the histories of deleted VPAs and the memory windows of pods that are gone. */
export function pruneHistory(sim: Sim): void {
  const st = vpaState(sim);
  const live = new Set(sim.store.list(VPA_KIND).map((v) => keyOf(v)));
  for (const k of Object.keys(st.aggregates)) if (!live.has(k)) delete st.aggregates[k];
  const uids = new Set(sim.store.list<Pod>('Pod').map((p) => p.metadata.uid));
  for (const uid of Object.keys(st.windows)) if (!uids.has(uid)) delete st.windows[uid];
}

/** recommendationFor returns the capped target of one container, as the admission controller reads it. */
export function recommendationFor(vpa: VerticalPodAutoscaler, container: string): RecommendedContainerResources | undefined {
  return vpa.status?.recommendation?.containerRecommendations?.find((r) => r.containerName === container);
}
