/**
 * sync.ts: one reconcile of a Rollout (rollout/controller.go syncHandler and rollout/sync.go):
 * resolve the pod template (spec.template or workloadRef), refuse what Kubeplay cannot run with an
 * InvalidSpec condition that names the field, run the strategy, then write the status.
 */
import type { Sim } from '../../sim.ts';
import type { Deployment, LabelSelector, PodTemplateSpec } from '../../api/types.ts';
import type { ApiServer } from '../../api/server.ts';
import { compileSelector, formatSelector } from '../../api/selector.ts';
import { LIMITS } from '../../api/validation.ts';
import { goIntOrString } from '../../api/gofmt.ts';
import { canonicalJson } from '../deployment/hash.ts';
import { clearPauseConditions, newContext, type RolloutContext } from './context.ts';
import { rolloutCanary } from './canary.ts';
import { rolloutBlueGreen } from './bluegreen.ts';
import { calculateStatus } from './status.ts';
import { missingServices } from './service.ts';
import { unsupportedTrafficRouting } from './trafficrouting/nginx.ts';
import { reconcileRestart } from './restart.ts';
import { COMPONENT, INVALID_SPEC, REVISION_ANNOTATION, isObj, revisionOf, setRolloutCondition, type Rollout } from './util.ts';

/** resolveTemplate returns the pod template, or the InvalidSpec message when there is none. */
export function resolveTemplate(sim: Sim, ro: Rollout): PodTemplateSpec | string {
  const ref = ro.spec?.workloadRef;
  if (isObj(ref)) {
    if (ref.kind !== 'Deployment') return `workloadRef.kind "${String(ref.kind)}" is not supported (only Deployment)`;
    const d = sim.store.get<Deployment>('Deployment', ro.metadata.namespace, String(ref.name));
    if (!d) return `workloadRef: Deployment "${String(ref.name)}" not found`;
    return d.spec.template;
  }
  const t = ro.spec?.template;
  if (!isObj(t) || !isObj(t.spec) || !Array.isArray(t.spec.containers) || t.spec.containers.length === 0) {
    return 'The Rollout "' + ro.metadata.name + '" is invalid: spec.template.spec.containers: Required value';
  }
  return t as PodTemplateSpec;
}

/**
 * resolvedSelector is the Rollout's selector: spec.selector, or when a workloadRef Rollout has none the
 * referenced Deployment's, as templateref.go's Resolve sets it (in the controller's copy, not the spec).
 */
function resolvedSelector(sim: Sim, ro: Rollout): LabelSelector | undefined {
  if (ro.spec.selector != null) return ro.spec.selector;
  const ref = ro.spec.workloadRef;
  if (!isObj(ref) || ref.kind !== 'Deployment') return undefined;
  return sim.store.get<Deployment>('Deployment', ro.metadata.namespace, String(ref.name))?.spec.selector;
}

/** invalidSpec names the first part of the spec Kubeplay cannot simulate, or ''. */
function invalidSpec(c: RolloutContext): string {
  const s = c.ro.spec.strategy;
  const bad = (field: string, detail: string) => `The Rollout "${c.ro.metadata.name}" is invalid: ${field}: ${detail}`;
  const r = c.ro.spec.replicas;
  if (r !== undefined && (typeof r !== 'number' || !Number.isInteger(r) || r < 0)) return bad('spec.replicas', `Invalid value: ${JSON.stringify(r)}: must be greater than or equal to 0`);
  if (typeof r === 'number' && r > LIMITS.replicas) return bad('spec.replicas', `Invalid value: ${r}: must be less than or equal to ${LIMITS.replicas} (Kubeplay's simulation limit)`);
  if (!isObj(c.selector)) return bad('spec.selector', 'Required value');
  if (!compileSelector(c.selector)(c.template.metadata?.labels ?? {})) return bad('spec.selector', 'Invalid value: selector does not match template labels');
  if (!isObj(s) || (!isObj(s.canary) && !isObj(s.blueGreen))) return "Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'";
  if (isObj(s.canary) && isObj(s.blueGreen)) return 'Rollout cannot have both .spec.strategy.canary and .spec.strategy.blueGreen';
  if (isObj(s.blueGreen) && !s.blueGreen.activeService) return 'spec.strategy.blueGreen.activeService: Required value';
  if (isObj(s.canary)) {
    const tr = unsupportedTrafficRouting(c);
    if (tr) return tr;
    // ValidateRolloutStrategyCanary (whose fldPath is spec.strategy): the fenceposts as written, before resolving.
    const raw = (v: unknown, def: number) => (v === undefined || v === null ? def : typeof v === 'string' && /^\d+%$/.test(v) ? parseInt(v, 10) : Number(v));
    if (raw(s.canary.maxSurge, 25) === 0 && raw(s.canary.maxUnavailable, 25) === 0) {
      return bad('spec.strategy.maxSurge', `Invalid value: ${goIntOrString(s.canary.maxSurge)}: MaxSurge and MaxUnavailable both can not be zero`);
    }
    const steps = s.canary.steps ?? [];
    if (!Array.isArray(steps)) return 'spec.strategy.canary.steps: must be a list';
    for (let i = 0; i < steps.length; i++) {
      const st = steps[i];
      if (!isObj(st)) return `spec.strategy.canary.steps[${i}]: must be an object`;
      if (st.experiment) return `spec.strategy.canary.steps[${i}].experiment is not supported by Kubeplay yet`;
      if (st.plugin) return `spec.strategy.canary.steps[${i}].plugin is not supported by Kubeplay`;
      if (typeof st.setWeight === 'number' && (st.setWeight < 0 || st.setWeight > 100)) return `spec.strategy.canary.steps[${i}].setWeight: Invalid value: ${st.setWeight}: must be between 0 and 100`;
      // Without a traffic router the canary's scale is its weight: setCanaryScale has nothing to act on.
      if (st.setCanaryScale != null && !s.canary.trafficRouting) {
        return bad(`spec.strategy.steps[${i}].setCanaryScale`, `Invalid value: &v1alpha1.SetCanaryScale{...}: ${SET_CANARY_SCALE_POLICY}`);
      }
      const route = routeStepError(s.canary, st, i);
      if (route) return bad(route.field, route.detail);
    }
  }
  const missing = missingServices(c);
  if (missing.length) return `service "${missing[0]}" not found`;
  return '';
}

/** SET_CANARY_SCALE_POLICY is validation.go's InvalidSetCanaryScaleTrafficPolicy. */
export const SET_CANARY_SCALE_POLICY = 'SetCanaryScale requires TrafficRouting to be set';

/** SET_HEADER_ROUTE_POLICY and SET_MIRROR_ROUTE_POLICY are validation.go's InvalidSet{Header,Mirror}RouteTrafficPolicy. */
export const SET_HEADER_ROUTE_POLICY = 'SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix';
export const SET_MIRROR_ROUTE_POLICY = 'SetMirrorRoute requires TrafficRouting, supports Istio only';

/**
 * routeStepError is ValidateRolloutStrategyCanary's check of setHeaderRoute / setMirrorRoute steps:
 * they need a traffic router that manages routes (header: Istio, ALB, Apisix; mirror: Istio only),
 * so with trafficRouting.nginx — the only router Kubeplay runs — or none they are an InvalidSpec. For
 * nginx, header-based routing is the canary Ingress' canary-by-header annotations, set through
 * trafficRouting.nginx.additionalIngressAnnotations; shadowing is the mirror-target annotation on an
 * Ingress. Upstream names the field without "canary" (fldPath is spec.strategy) and prints the step
 * with Go's %#v, whose pointer addresses differ per run; Kubeplay prints the type and route name.
 */
export function routeStepError(canary: any, st: any, i: number): { field: string; detail: string } | undefined {
  const tr = canary.trafficRouting;
  const supports = (names: string[]) => isObj(tr) && names.some((n) => tr[n] != null);
  const value = (type: string, v: any) => `&v1alpha1.${type}{Name:${JSON.stringify(String(v?.name ?? ''))}, ...}`;
  if (st.setHeaderRoute != null && !supports(['istio', 'alb', 'apisix'])) {
    return { field: `spec.strategy.steps[${i}].setHeaderRoute`, detail: `Invalid value: ${value('SetHeaderRoute', st.setHeaderRoute)}: ${SET_HEADER_ROUTE_POLICY}` };
  }
  if (st.setMirrorRoute != null && !supports(['istio'])) {
    return { field: `spec.strategy.steps[${i}].setMirrorRoute`, detail: `Invalid value: ${value('SetMirrorRoute', st.setMirrorRoute)}: ${SET_MIRROR_ROUTE_POLICY}` };
  }
  return undefined;
}

/** syncRollout reconciles one Rollout (key "ns/name"). */
export function syncRollout(sim: Sim, key: string): void {
  const [ns, name] = key.split('/');
  const ro = sim.store.get<Rollout>('Rollout', ns, name);
  if (!ro || ro.metadata.deletionTimestamp || !isObj(ro.spec)) return;
  const template = resolveTemplate(sim, ro);
  if (typeof template === 'string') return persistInvalid(sim, ro, template);
  const c = newContext(sim, ro, template, resolvedSelector(sim, ro));
  const bad = invalidSpec(c);
  if (bad) return persistInvalid(sim, ro, bad);
  if (c.status.conditions) c.status.conditions = c.status.conditions.filter((x: any) => x.type !== INVALID_SPEC);
  reconcileRevisionHistoryLimit(c);
  if (!reconcileRestart(c)) {
    if (isObj(ro.spec.strategy.blueGreen)) rolloutBlueGreen(c);
    else rolloutCanary(c);
  }
  persistStatus(c);
}

function persistInvalid(sim: Sim, ro: Rollout, message: string): void {
  const status = structuredClone(ro.status ?? {});
  setRolloutCondition(status, { type: INVALID_SPEC, status: 'True', reason: INVALID_SPEC, message }, sim.nowIso());
  status.phase = 'Degraded';
  status.message = `${INVALID_SPEC}: ${message}`;
  if (canonicalJson(status) === canonicalJson(ro.status ?? {})) return;
  if (getInvalid(ro) !== message) sim.recordEvent(ro, 'Warning', INVALID_SPEC, message, COMPONENT);
  ro.status = status;
  sim.store.update(ro);
}

const getInvalid = (ro: Rollout) => ro.status?.conditions?.find((x: any) => x.type === INVALID_SPEC)?.message;

/**
 * reconcileRevisionHistoryLimit deletes the oldest scaled-down ReplicaSets beyond
 * spec.revisionHistoryLimit (default 10), never the stable or the current one.
 */
function reconcileRevisionHistoryLimit(c: RolloutContext): void {
  const limit = typeof c.ro.spec.revisionHistoryLimit === 'number' ? Math.max(0, c.ro.spec.revisionHistoryLimit) : 10;
  const idle = c.otherRSs.filter((rs) => (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0).sort((a, b) => revisionOf(a) - revisionOf(b));
  const api = c.sim.service<ApiServer>('api');
  for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
    api.delete('ReplicaSet', rs.metadata.namespace, rs.metadata.name);
    c.allRSs = c.allRSs.filter((x) => x !== rs);
    c.otherRSs = c.otherRSs.filter((x) => x !== rs);
  }
}

/** syncRevision gives the new RS the highest revision (a rollback to an old template re-promotes its RS). */
export function syncRevision(c: RolloutContext): void {
  const rs = c.newRS;
  if (!rs) return;
  const max = c.allRSs.reduce((m, x) => (x === rs ? m : Math.max(m, revisionOf(x))), 0);
  if (revisionOf(rs) <= max) {
    rs.metadata.annotations = { ...(rs.metadata.annotations ?? {}), [REVISION_ANNOTATION]: String(max + 1) };
    c.sim.store.update(rs);
  }
}

/** promoteStable is promoteStable: the current RS becomes stable, with a RolloutCompleted event. */
export function promoteStable(c: RolloutContext, reason: string): void {
  delete c.status.pauseConditions;
  delete c.status.controllerPause;
  delete c.status.abort;
  delete c.status.abortedAt;
  delete c.status.promoteFull;
  if (c.status.stableRS !== c.status.currentPodHash) {
    c.status.stableRS = c.status.currentPodHash;
    c.sim.recordEvent(c.ro, 'Normal', 'RolloutCompleted', `Rollout completed update to revision ${revisionOf(c.newRS)} (${c.status.currentPodHash}): ${reason}`, COMPONENT);
  }
}

/** persistStatus computes counts, phase and conditions and writes the status if it changed. */
function persistStatus(c: RolloutContext): void {
  const { ro, sim } = c;
  // pauseContext.CalculatePauseStatus: an aborted rollout's new status carries abort and abortedAt, and no
  // pause conditions (nor controllerPause), so a retry starts from a rollout that is not paused.
  if (c.status.abort) clearPauseConditions(c);
  calculateStatus(c);
  c.status.selector = formatSelector(c.selector);
  c.status.observedGeneration = String(ro.metadata.generation ?? 1);
  const rev = c.newRS ? String(revisionOf(c.newRS)) : undefined;
  const annChanged = rev !== undefined && ro.metadata.annotations?.[REVISION_ANNOTATION] !== rev;
  if (!annChanged && canonicalJson(c.status) === canonicalJson(ro.status ?? {})) return;
  if (annChanged) {
    ro.metadata.annotations = { ...(ro.metadata.annotations ?? {}), [REVISION_ANNOTATION]: rev! };
    if (Number(rev) > 1) sim.recordEvent(ro, 'Normal', 'RolloutUpdated', `Rollout updated to revision ${rev}`, COMPONENT);
  }
  ro.status = c.status;
  sim.store.update(ro);
}
