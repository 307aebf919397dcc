/**
 * variants.ts builds the scenarios a comparison runs: the base scenario's cluster, seed, images,
 * traffic and manifests, with the workload rewritten as a Deployment (RollingUpdate, Recreate) or an
 * Argo Rollout (canary, blue/green). The pod template and selector are kept as written, and the
 * Services that select the pods keep selecting them: a Rollout is given the Services its strategy
 * needs (stable/canary, active/preview), copying the main Service when the scenario has no second one.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../api/types.ts';
import { parseScenario } from '../scenario/parse.ts';
import type { ParsedScenario } from '../scenario/types.ts';
import { selectsPods, type Target, type Workload } from './workload.ts';

/** STRATEGIES are the strategies a comparison can run, in display order. */
export const STRATEGIES = ['rolling', 'recreate', 'canary', 'bluegreen'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** STRATEGY_LABELS are the names shown in tables. */
export const STRATEGY_LABELS: Record<Strategy, string> = {
  rolling: 'RollingUpdate',
  recreate: 'Recreate',
  canary: 'Canary',
  bluegreen: 'Blue/green',
};

/**
 * CANARY_STEPS are the canary's steps: 20% for 30 s, 50% for 30 s, then the last step's end promotes
 * to 100%. The pauses have durations so the rollout finishes without a `promote`.
 */
export const CANARY_STEPS = [{ setWeight: 20 }, { pause: { duration: '30s' } }, { setWeight: 50 }, { pause: { duration: '30s' } }];
/** AUTO_PROMOTION_SECONDS is how long blue/green lets the preview run before switching the active Service. */
export const AUTO_PROMOTION_SECONDS = 30;

/** Variant is one strategy's scenario, ready to run, and the command a user would type to start the rollout. */
export interface Variant {
  strategy: Strategy;
  kind: 'Deployment' | 'Rollout';
  /** description says how the strategy is configured (fenceposts, steps, Services). */
  description: string;
  parsed: ParsedScenario;
  /** manifests is the YAML of the objects added or rewritten (the workload, new Services), for the curious. */
  manifests: string;
  /** command changes the image: `kubectl set image …` or `kubectl argo rollouts set image …`. */
  command: string;
}

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nsOf = (o: KubeObject) => o.metadata?.namespace || 'default';

/** ingressBackends lists the Service names an Ingress manifest routes to. */
function ingressBackends(ing: KubeObject): string[] {
  const out: string[] = [];
  const spec = ing.spec ?? {};
  if (isObj(spec.defaultBackend?.service)) out.push(String(spec.defaultBackend.service.name));
  for (const r of Array.isArray(spec.rules) ? spec.rules : []) {
    for (const p of Array.isArray(r?.http?.paths) ? r.http.paths : []) if (isObj(p?.backend?.service)) out.push(String(p.backend.service.name));
  }
  return out;
}

/** Roles are the Services around the workload the strategies use. */
interface Roles {
  /** main is the Service clients reach (the one an Ingress routes to, else the first selecting the pods). */
  main?: KubeObject;
  /** second is the scenario's own canary/preview Service, when the base is a Rollout that names one. */
  second?: string;
  /** ingress routes to main (for nginx traffic routing). */
  ingress?: string;
  /** names are every Service name in the workload's namespace (to pick names that are free). */
  names: Set<string>;
}

function findRoles(parsed: ParsedScenario, w: Workload): Roles {
  const objs = parsed.manifests.map((m) => m.object);
  const services = objs.filter((o) => o.kind === 'Service' && nsOf(o) === w.namespace);
  const ingresses = objs.filter((o) => o.kind === 'Ingress' && nsOf(o) === w.namespace);
  const names = new Set(services.map((s) => String(s.metadata.name)));
  const byName = (n: unknown) => services.find((s) => s.metadata.name === n);
  const st = w.kind === 'Rollout' ? w.object.spec.strategy ?? {} : {};
  const routed = (s: KubeObject) => ingresses.some((i) => ingressBackends(i).includes(String(s.metadata.name)));
  const selecting = services.filter((s) => selectsPods(s, w));
  const main = byName(st.canary?.stableService) ?? byName(st.blueGreen?.activeService) ?? selecting.find(routed) ?? selecting[0];
  const second = (st.canary?.canaryService as string | undefined) ?? (st.blueGreen?.previewService as string | undefined);
  const ingress = main ? ingresses.find((i) => ingressBackends(i).includes(String(main.metadata.name))) : undefined;
  return { main, second: second && byName(second) ? second : undefined, ingress: ingress ? String(ingress.metadata.name) : undefined, names };
}

/** freeName returns base, or base-2, base-3 … if a Service of that name exists. */
function freeName(base: string, names: Set<string>): string {
  let n = base;
  for (let i = 2; names.has(n); i++) n = `${base}-${i}`;
  names.add(n);
  return n;
}

/** copyService is a ClusterIP copy of a Service under a new name (same selector and ports; no allocated IPs or node ports). */
function copyService(svc: KubeObject, name: string): KubeObject {
  const ports = (Array.isArray(svc.spec?.ports) ? svc.spec.ports : []).map((p: any) => {
    const q = { ...p };
    delete q.nodePort;
    return q;
  });
  const meta: Record<string, unknown> = { name };
  if (svc.metadata.namespace) meta.namespace = svc.metadata.namespace;
  if (svc.metadata.labels) meta.labels = { ...svc.metadata.labels };
  return { apiVersion: 'v1', kind: 'Service', metadata: meta as KubeObject['metadata'], spec: { selector: { ...svc.spec.selector }, ports } };
}

/** newService makes a Service for the pods when the scenario has none (port 80 to the first container port). */
function newService(w: Workload, name: string): KubeObject {
  const labels = w.object.spec.template.metadata?.labels ?? {};
  const match = w.object.spec.selector.matchLabels ?? labels;
  const port = w.object.spec.template.spec.containers[0]?.ports?.[0]?.containerPort ?? 80;
  const meta: Record<string, unknown> = { name };
  if (w.object.metadata.namespace) meta.namespace = w.object.metadata.namespace;
  return { apiVersion: 'v1', kind: 'Service', metadata: meta as KubeObject['metadata'], spec: { selector: { ...match }, ports: [{ port: 80, targetPort: port }] } };
}

/** rollingParams are the fenceposts RollingUpdate (and the canary's scaling) use: the workload's own, else 25%/25%. */
export function rollingParams(w: Workload): { maxSurge: number | string; maxUnavailable: number | string } {
  const s = w.object.spec.strategy ?? {};
  const src = w.kind === 'Deployment' ? (s.type === 'Recreate' ? {} : s.rollingUpdate ?? {}) : s.canary ?? {};
  return { maxSurge: src.maxSurge ?? '25%', maxUnavailable: src.maxUnavailable ?? '25%' };
}

function baseSpec(w: Workload): Record<string, unknown> {
  const s = w.object.spec;
  const out: Record<string, unknown> = { replicas: w.replicas };
  for (const k of ['minReadySeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds']) if (s[k] !== undefined) out[k] = s[k];
  out.selector = structuredClone(s.selector);
  out.template = structuredClone(s.template);
  return out;
}

function baseMeta(w: Workload): KubeObject['metadata'] {
  const m = w.object.metadata;
  const out: Record<string, unknown> = { name: m.name };
  if (m.namespace) out.namespace = m.namespace;
  if (m.labels) out.labels = { ...m.labels };
  return out as KubeObject['metadata'];
}

const fmt = (v: number | string) => String(v);

/**
 * buildVariant returns the scenario for one strategy. The workload keeps its name, namespace, labels,
 * replicas, selector and template; only the kind and strategy change, plus the Services a Rollout's
 * strategy needs. The base timeline is not played: a comparison starts the rollout itself.
 */
export function buildVariant(parsed: ParsedScenario, w: Workload, strategy: Strategy, target: Target): Variant {
  const roles = findRoles(parsed, w);
  const added: KubeObject[] = [];
  const serviceFor = (suffix: string): string => {
    const base = roles.main ? String(roles.main.metadata.name) : w.name;
    const name = freeName(`${base}-${suffix}`, roles.names);
    added.push(roles.main ? copyService(roles.main, name) : newService(w, name));
    return name;
  };
  const ns = w.namespace === 'default' ? '' : ` -n ${w.namespace}`;
  let workload: KubeObject;
  let description: string;
  let command: string;
  if (strategy === 'rolling' || strategy === 'recreate') {
    const spec = baseSpec(w);
    if (strategy === 'rolling') {
      const p = rollingParams(w);
      spec.strategy = { type: 'RollingUpdate', rollingUpdate: p };
      description = `RollingUpdate, maxSurge ${fmt(p.maxSurge)}, maxUnavailable ${fmt(p.maxUnavailable)}`;
    } else {
      spec.strategy = { type: 'Recreate' };
      description = 'Recreate: every old pod is gone before new ones are created';
    }
    workload = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: baseMeta(w), spec };
    command = `kubectl set image deployment/${w.name} ${target.container}=${target.image}${ns}`;
  } else {
    const spec = baseSpec(w);
    const old = w.kind === 'Rollout' ? w.object.spec.strategy ?? {} : {};
    if (strategy === 'canary') {
      const p = rollingParams(w);
      const canary: Record<string, unknown> = { maxSurge: p.maxSurge, maxUnavailable: p.maxUnavailable };
      let how: string;
      if (isObj(old.canary) && old.canary.trafficRouting) {
        // The scenario's own traffic routing, with its Services.
        canary.canaryService = old.canary.canaryService;
        canary.stableService = old.canary.stableService;
        canary.trafficRouting = structuredClone(old.canary.trafficRouting);
        how = 'traffic split by the Rollout\'s own trafficRouting';
      } else if (roles.main && roles.ingress) {
        canary.stableService = roles.main.metadata.name;
        canary.canaryService = roles.second ?? serviceFor('canary');
        canary.trafficRouting = { nginx: { stableIngress: roles.ingress } };
        how = `traffic split by ingress-nginx (Ingress "${roles.ingress}", canary Service "${String(canary.canaryService)}")`;
      } else {
        how = 'replica-based: the traffic split follows the pod ratio';
      }
      canary.steps = structuredClone(CANARY_STEPS);
      spec.strategy = { canary };
      description = `Argo canary 20% → pause 30s → 50% → pause 30s → 100%, ${how}`;
    } else {
      const bg: Record<string, unknown> = {};
      if (isObj(old.blueGreen)) Object.assign(bg, structuredClone(old.blueGreen));
      if (typeof bg.activeService !== 'string' || !bg.activeService) bg.activeService = roles.main ? roles.main.metadata.name : serviceFor('active');
      if (typeof bg.previewService !== 'string' || !bg.previewService) bg.previewService = roles.second && roles.second !== bg.activeService ? roles.second : serviceFor('preview');
      // Auto-promotion, so the rollout finishes without a `promote` (the base may have it disabled).
      bg.autoPromotionEnabled = true;
      bg.autoPromotionSeconds = AUTO_PROMOTION_SECONDS;
      delete bg.prePromotionAnalysis;
      delete bg.postPromotionAnalysis;
      spec.strategy = { blueGreen: bg };
      const delay = typeof bg.scaleDownDelaySeconds === 'number' ? bg.scaleDownDelaySeconds : 30;
      description = `Argo blue/green: preview Service "${String(bg.previewService)}", promoted to "${String(bg.activeService)}" ${AUTO_PROMOTION_SECONDS}s after the preview is ready; old pods kept ${delay}s`;
    }
    workload = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: baseMeta(w), spec };
    command = `kubectl argo rollouts set image ${w.name} ${target.container}=${target.image}${ns}`;
  }
  // The workload takes the base workload's place in file order; new Services come just before it.
  const text = [...added, workload].map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
  const file = `${parsed.file} (${strategy})`;
  const generated = parseScenario(text, file);
  if (generated.errors.length) throw new Error(`compare: generated manifests do not parse: ${generated.errors[0].message}`);
  const manifests = [...parsed.manifests];
  manifests.splice(w.index, 1, ...generated.manifests);
  return {
    strategy,
    kind: workload.kind as Variant['kind'],
    description,
    parsed: { ...parsed, file, manifests, errors: [] },
    manifests: text,
    command,
  };
}
