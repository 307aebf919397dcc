/**
 * metrics is the HPA controller's metrics client (upstream podautoscaler/metrics): resource metrics
 * from the `metrics` service (metrics-server), summed per pod in milli-units, plus the pod facts the
 * replica calculator needs. There is no custom or external metrics API in Kubeplay: those metric
 * types fail as they do on a cluster without an adapter.
 */
import { parseIsoTime } from '../../clock.ts';
import { getCondition } from '../../api/podutil.ts';
import { parseQuantity } from '../../api/quantity.ts';
import type { Pod } from '../../api/types.ts';
import type { PodMetrics } from '../../metrics/index.ts';
import type { CalcPod, PodMetricsInfo } from './replica_calculator.ts';

interface MetricsService {
  podMetrics(pods: Pod[]): PodMetrics[];
}

/**
 * getResourceMetric is RESTMetricsClient.GetResourceMetric: a pod's value is the sum over its
 * containers (or the one named container); a pod lacking it is left out (a missing pod).
 */
export function getResourceMetric(service: unknown, resource: string, pods: Pod[], container = ''): { metrics: PodMetricsInfo } | { error: string } {
  const svc = service as MetricsService | undefined;
  if (!svc) return { error: 'unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)' };
  const items = svc.podMetrics(pods);
  if (items.length === 0) return { error: 'no metrics returned from resource metrics API' };
  const metrics: PodMetricsInfo = new Map();
  for (const m of items) {
    let sum = 0;
    let found = false;
    let missing = m.containers.length === 0;
    for (const c of m.containers) {
      if (container && c.name !== container) continue;
      const v = resource === 'cpu' ? c.usage.cpuMilli : resource === 'memory' ? c.usage.memoryBytes * 1000 : undefined;
      if (v === undefined) {
        missing = true;
        break;
      }
      sum += v;
      found = true;
    }
    if (container && !found) missing = true;
    if (!missing) metrics.set(m.name, { value: sum, timestampMs: m.timestampMs, windowMs: m.windowMs });
  }
  return { metrics };
}

/**
 * calcPods describes pods for the replica calculator: phase, deletion, the Ready condition, start
 * time and the request of the resource (containers plus restartable init containers, as
 * calculatePodRequestsFromContainers; one container when named).
 */
export function calcPods(pods: Pod[], resource: string, container = ''): CalcPod[] {
  return pods.map((p) => {
    const ready = getCondition(p.status?.conditions, 'Ready');
    const out: CalcPod = {
      name: p.metadata.name,
      phase: p.status?.phase,
      deleting: !!p.metadata.deletionTimestamp,
    };
    if (ready) out.ready = { status: ready.status, lastTransitionMs: ready.lastTransitionTime ? parseIsoTime(ready.lastTransitionTime) : 0 };
    if (p.status?.startTime) out.startTimeMs = parseIsoTime(p.status.startTime);
    const cs = [...(p.spec?.containers ?? []), ...(p.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
    let request = 0;
    let seen = false;
    for (const c of cs) {
      if (container && c.name !== container) continue;
      const q = parseQuantity(c.resources?.requests?.[resource] as string | undefined);
      if (q === undefined) {
        out.missingRequestError = `missing request for ${resource} in container ${c.name} of Pod ${p.metadata.name}`;
        return out;
      }
      request += q;
      seen = true;
      if (container) break;
    }
    if (container && !seen) {
      out.missingRequestError = `container ${container} not found in Pod ${p.metadata.name}`;
      return out;
    }
    out.requestMilli = request;
    return out;
  });
}
