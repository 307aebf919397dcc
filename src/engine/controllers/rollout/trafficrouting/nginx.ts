/**
 * nginx.ts: the NGINX traffic router (rollout/trafficrouting/nginx/nginx.go). From the stable
 * Ingress the controller makes a canary Ingress `<rollout>-<stableIngress>-canary` whose backends
 * point at the canaryService, with `nginx.ingress.kubernetes.io/canary: "true"` and
 * `canary-weight: "<w>"`; the ingress controller (network/) splits traffic by that weight.
 */
import type { KubeObject } from '../../../api/types.ts';
import { newControllerRef } from '../../../api/podutil.ts';
import { canonicalJson } from '../../deployment/hash.ts';
import type { RolloutContext } from '../context.ts';
import { currentCanaryStep, currentSetWeight } from '../replicaset.ts';
import { COMPONENT, MANAGED_BY_ANNOTATION, availableOf, isObj, podHash } from '../util.ts';
import { atDesiredReplicaCounts } from '../canary.ts';

/** SUPPORTED lists the trafficRouting fields Kubeplay simulates (others get an InvalidSpec naming them). */
// managedRoutes only names the routes setHeaderRoute/setMirrorRoute steps manage; those steps are
// refused for nginx by the step validation (sync.ts routeStepError), as upstream does.
const SUPPORTED = new Set(['nginx', 'maxTrafficWeight', 'managedRoutes']);
const DEFAULT_PREFIX = 'nginx.ingress.kubernetes.io';

/** canaryIngressName is GetCanaryIngressName: `<rollout>-<stableIngress>-canary`, cut to 253 characters. */
export function canaryIngressName(rollout: string, stableIngress: string): string {
  const prefix = `${rollout}-${stableIngress}`.slice(0, 253 - '-canary'.length);
  return `${prefix}-canary`;
}

/** unsupportedTrafficRouting returns the message naming a trafficRouting field Kubeplay cannot run, or ''. */
export function unsupportedTrafficRouting(c: RolloutContext): string {
  const canary = c.ro.spec.strategy.canary;
  const tr = canary.trafficRouting;
  if (tr === undefined || tr === null) return '';
  if (!isObj(tr)) return 'spec.strategy.canary.trafficRouting: must be an object';
  // Name the traffic router first; managedRoutes (header/mirror routes) is reported after it.
  for (const k of Object.keys(tr).sort((a, b) => Number(a === 'managedRoutes') - Number(b === 'managedRoutes'))) {
    if (!SUPPORTED.has(k)) return `spec.strategy.canary.trafficRouting.${k} is not supported by Kubeplay (supported: nginx)`;
  }
  if (!isObj(tr.nginx)) return 'spec.strategy.canary.trafficRouting: one traffic router is required (Kubeplay supports nginx)';
  if (!canary.canaryService || !canary.stableService) return 'spec.strategy.canary.trafficRouting requires canaryService and stableService';
  const ings = stableIngresses(c);
  if (ings.length === 0) return 'spec.strategy.canary.trafficRouting.nginx.stableIngress: Required value';
  for (const name of ings) if (!c.sim.store.get('Ingress', c.ro.metadata.namespace, name)) return `ingress.networking.k8s.io "${name}" not found`;
  return '';
}

function stableIngresses(c: RolloutContext): string[] {
  const n = c.ro.spec.strategy.canary.trafficRouting?.nginx ?? {};
  const list: string[] = [];
  if (typeof n.stableIngress === 'string' && n.stableIngress) list.push(n.stableIngress);
  if (Array.isArray(n.stableIngresses)) for (const s of n.stableIngresses) if (typeof s === 'string') list.push(s);
  return list;
}

/**
 * desiredTrafficWeight is the canary weight reconcileTrafficRouting sets this pass, in its order: none once
 * fully promoted; on abort none at once (with dynamicStableScale, what the stable cannot serve yet, never
 * more than before); none while the canary has no available pod; on promote --full the weight it had (with
 * dynamicStableScale, the canary's available share); otherwise the step's setWeight once the ReplicaSets are
 * at their counts for it (AtDesiredReplicaCountsForCanary), the previous setWeight until then.
 */
export function desiredTrafficWeight(c: RolloutContext): number {
  const ro = c.ro;
  const canary = ro.spec.strategy.canary;
  const max = canary.trafficRouting?.maxTrafficWeight ?? 100;
  const replicas = Math.max(1, ro.spec.replicas ?? 1);
  const before: number | undefined = ro.status?.canary?.weights?.canary?.weight;
  if (!c.status.stableRS || c.status.stableRS === c.newHash) return 0;
  if (c.status.abort) {
    if (!canary.dynamicStableScale) return 0;
    const w = 100 - Math.trunc((100 * availableOf(c.stableRS)) / replicas);
    return before === undefined ? w : Math.min(w, before);
  }
  // Never send traffic to a canary without available pods.
  if (!c.newRS || availableOf(c.newRS) === 0) return 0;
  if (c.status.promoteFull) return canary.dynamicStableScale ? Math.trunc((100 * availableOf(c.newRS)) / replicas) : (before ?? 0);
  const cur = currentCanaryStep(ro);
  if (!cur) return 0;
  const steps: any[] = canary.steps;
  if (!atDesiredReplicaCounts(c)) {
    // The new ReplicaSet is not ready for a new weight: the previous setWeight holds.
    for (let i = cur.index - 1; i >= 0; i--) if (typeof steps[i]?.setWeight === 'number') return steps[i].setWeight;
    return 0;
  }
  if (cur.index !== steps.length) return currentSetWeight(ro);
  return max;
}

/** reconcileNginx creates/updates the canary Ingress and records status.canary.weights. */
export function reconcileNginx(c: RolloutContext): void {
  const canary = c.ro.spec.strategy.canary;
  const nginx = canary.trafficRouting?.nginx;
  if (!isObj(nginx)) return;
  const weight = desiredTrafficWeight(c);
  const max = canary.trafficRouting?.maxTrafficWeight ?? 100;
  const prefix = typeof nginx.annotationPrefix === 'string' && nginx.annotationPrefix ? nginx.annotationPrefix : DEFAULT_PREFIX;
  for (const name of stableIngresses(c)) {
    const stable = c.sim.store.get('Ingress', c.ro.metadata.namespace, name);
    if (stable) syncCanaryIngress(c, stable, weight, prefix, nginx.additionalIngressAnnotations);
  }
  const stableHash = c.status.stableRS ?? '';
  c.status.canary ??= {};
  c.status.canary.weights = {
    canary: { weight, podTemplateHash: c.newHash, serviceName: canary.canaryService },
    stable: { weight: max - weight, podTemplateHash: stableHash || podHash(c.stableRS), serviceName: canary.stableService },
  };
}

function syncCanaryIngress(c: RolloutContext, stable: KubeObject, weight: number, prefix: string, extra: unknown): void {
  const canary = c.ro.spec.strategy.canary;
  const name = canaryIngressName(c.ro.metadata.name, stable.metadata.name);
  const spec = structuredClone(stable.spec ?? {});
  // Point every backend that names the stable Service at the canary Service.
  for (const rule of spec.rules ?? []) for (const p of rule?.http?.paths ?? []) {
    if (p?.backend?.service?.name === canary.stableService) p.backend.service.name = canary.canaryService;
  }
  if (spec.defaultBackend?.service?.name === canary.stableService) spec.defaultBackend.service.name = canary.canaryService;
  delete spec.tls;
  const annotations: Record<string, string> = {};
  const cls = stable.metadata.annotations?.['kubernetes.io/ingress.class'];
  if (cls) annotations['kubernetes.io/ingress.class'] = cls;
  if (isObj(extra)) for (const [k, v] of Object.entries(extra)) annotations[`${prefix}/${k}`] = String(v);
  annotations[`${prefix}/canary`] = 'true';
  annotations[`${prefix}/canary-weight`] = String(weight);
  const max = canary.trafficRouting?.maxTrafficWeight;
  if (typeof max === 'number' && max !== 100) annotations[`${prefix}/canary-weight-total`] = String(max);
  annotations[MANAGED_BY_ANNOTATION] = c.ro.metadata.name;
  const live = c.sim.store.get('Ingress', c.ro.metadata.namespace, name);
  if (!live) {
    c.sim.store.create({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name, namespace: c.ro.metadata.namespace, annotations, ownerReferences: [newControllerRef(c.ro)] },
      spec,
      status: { loadBalancer: {} },
    });
    c.sim.recordEvent(c.ro, 'Normal', 'CreatingCanaryIngress', `Creating canary ingress \`${name}\` with weight \`${weight}\``, COMPONENT);
    return;
  }
  if (live.metadata.annotations?.[MANAGED_BY_ANNOTATION] !== c.ro.metadata.name && !live.metadata.ownerReferences?.some((r) => r.uid === c.ro.metadata.uid)) return;
  if (canonicalJson(live.spec) === canonicalJson(spec) && canonicalJson(live.metadata.annotations) === canonicalJson(annotations)) return;
  const oldWeight = live.metadata.annotations?.[`${prefix}/canary-weight`];
  live.spec = spec;
  live.metadata.annotations = annotations;
  c.sim.store.update(live, { specChanged: true });
  if (oldWeight !== String(weight)) c.sim.recordEvent(c.ro, 'Normal', 'PatchingCanaryIngress', `Updating Ingress \`${name}\` to desiredWeight '${weight}'`, COMPONENT);
}
