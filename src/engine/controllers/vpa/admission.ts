/**
 * admission.ts: the VPA admission controller (pkg/admission-controller: a mutating webhook on pod
 * CREATE). For a new pod matched by a VPA whose updateMode is Initial, Recreate or Auto and which
 * has a recommendation, each container's controlled requests become the recommendation's target;
 * with controlledValues RequestsAndLimits (the default) a limit keeps its ratio to the request
 * (getProportionalResourceLimit: 100m/200m becoming 250m requests gives a 500m limit). The pod is
 * annotated `vpaUpdates: Pod resources updated by <vpa>: container 0: cpu request, memory request`
 * and `vpaObservedContainers: <names>`.
 *
 * It runs with the API server's mutating admission (after LimitRanger, as webhooks follow the
 * built-in plugins), so the quota check that follows sees the new requests.
 */
import type { Sim } from '../../sim.ts';
import type { Container, Pod } from '../../api/types.ts';
import { podQOSClass } from '../../api/qos.ts';
import { formatMilli } from '../../admission/resources.ts';
import { recommendationFor, resolveTarget, vpaState } from './recommender.ts';
import { toAmount } from './capping.ts';
import { containerPolicyFor, controlledResourcesOf, updateModeOf, VPA_KIND, type VerticalPodAutoscaler } from './types.ts';

/** matchingVpa is the VPA controlling a pod (the first by name when several match, as GetControllingVPAForPod picks one). */
export function matchingVpa(sim: Sim, pod: Pod): VerticalPodAutoscaler | undefined {
  const vpas = sim.store.list<VerticalPodAutoscaler>(VPA_KIND, pod.metadata.namespace ?? 'default');
  if (!vpas.length) return undefined;
  const sorted = [...vpas].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  for (const v of sorted) {
    const t = resolveTarget(sim, v);
    if (t?.matches(pod.metadata.labels)) return v;
  }
  return undefined;
}

function quantity(resource: string, amount: number): string {
  return resource === 'cpu' ? formatMilli(amount, false) : formatMilli(amount * 1000, false);
}

/** applyToContainer sets one container's requests (and proportional limits); returns the annotation parts. */
function applyToContainer(vpa: VerticalPodAutoscaler, c: Container): string[] {
  const rec = recommendationFor(vpa, c.name);
  if (!rec) return [];
  const policy = containerPolicyFor(vpa, c.name);
  if (policy?.mode === 'Off') return [];
  const parts: string[] = [];
  const res = (c.resources ??= {});
  for (const r of controlledResourcesOf(policy)) {
    const target = toAmount(r, rec.target[r]);
    if (target === undefined) continue;
    const oldReq = toAmount(r, res.requests?.[r]);
    const oldLim = toAmount(r, res.limits?.[r]);
    (res.requests ??= {})[r] = quantity(r, target);
    parts.push(`${r} request`);
    if ((policy?.controlledValues ?? 'RequestsAndLimits') === 'RequestsAndLimits' && oldLim !== undefined && oldReq) {
      res.limits![r] = quantity(r, Math.ceil((oldLim * target) / oldReq));
      parts.push(`${r} limit`);
    }
  }
  return parts;
}

/**
 * admitPod is the webhook's mutation of a new pod. No-op unless the add-on is enabled and a VPA
 * in Initial/Recreate/Auto mode with a recommendation controls the pod.
 */
export function admitPod(sim: Sim, pod: Pod): void {
  if (!vpaState(sim).enabled || !Array.isArray(pod.spec?.containers)) return;
  const vpa = matchingVpa(sim, pod);
  if (!vpa || updateModeOf(vpa) === 'Off' || !vpa.status?.recommendation) return;
  const updates: string[] = [];
  pod.spec.containers.forEach((c, i) => {
    const parts = applyToContainer(vpa, c);
    if (parts.length) updates.push(`container ${i}: ${parts.join(', ')}`);
  });
  const ann = (pod.metadata.annotations ??= {});
  ann.vpaObservedContainers = pod.spec.containers.map((c) => c.name).join(', ');
  if (updates.length) ann.vpaUpdates = `Pod resources updated by ${vpa.metadata.name}: ${updates.join('; ')}`;
  if (pod.status) pod.status.qosClass = podQOSClass(pod.spec);
}
