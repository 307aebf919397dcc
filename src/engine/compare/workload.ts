/**
 * workload.ts finds what a comparison rolls out: the scenario's one Deployment or Argo Rollout, the
 * container to change, and the image to change it to (the --image flag, else the scenario's own
 * `set image` step for that workload, else another tag of the same repository in spec.images).
 */
import type { KubeObject } from '../api/types.ts';
import { compileSelector } from '../api/selector.ts';
import type { ParsedScenario } from '../scenario/types.ts';

/** Workload is the object a comparison rolls out, as written in the scenario's manifests. */
export interface Workload {
  kind: 'Deployment' | 'Rollout';
  namespace: string;
  name: string;
  /** object is the manifest (never mutated). */
  object: KubeObject;
  /** index is the manifest's position in parsed.manifests. */
  index: number;
  replicas: number;
  /** container is the container whose image changes; image is its image before the change. */
  container: string;
  image: string;
}

/** Target is the change rolled out: container `container` moves to `image`. */
export interface Target {
  container: string;
  image: string;
}

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

const nsOf = (o: KubeObject) => o.metadata?.namespace || 'default';

/** what names a manifest for messages: `Deployment "web"`. */
export const what = (o: KubeObject) => `${o.kind} ${JSON.stringify(o.metadata?.name ?? '')}`;

/**
 * findWorkload returns the scenario's Deployment or Rollout (the one named `name`, when given), or a
 * message saying why there is none to compare. A Rollout with workloadRef is refused: its pod template
 * lives in another object and converting it would not be the same workload.
 */
export function findWorkload(parsed: ParsedScenario, name?: string): Workload | string {
  const all = candidates(parsed);
  const found = name === undefined ? all : all.filter(({ o }) => o.metadata?.name === name);
  if (found.length === 0) {
    return name === undefined
      ? `${parsed.file}: compare needs a Deployment or an Argo Rollout to roll out; the scenario has none`
      : `${parsed.file}: no Deployment or Rollout named ${JSON.stringify(name)} (found: ${all.map(({ o }) => what(o)).join(', ') || 'none'})`;
  }
  if (found.length > 1) {
    return `${parsed.file}: compare rolls out one workload; the scenario has ${found.length} (${found.map(({ o }) => what(o)).join(', ')}): choose one with --workload NAME`;
  }
  const { o, index } = found[0];
  const spec = o.spec;
  if (!isObj(spec)) return `${what(o)}: spec is missing`;
  if (o.kind === 'Rollout' && spec.workloadRef) return `${what(o)}: a Rollout with workloadRef cannot be compared (its pod template is in another object); inline spec.template`;
  const containers = spec.template?.spec?.containers;
  if (!isObj(spec.template) || !Array.isArray(containers) || containers.length === 0 || !isObj(containers[0])) return `${what(o)}: spec.template.spec.containers: Required value`;
  if (!isObj(spec.selector)) return `${what(o)}: spec.selector: Required value`;
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  return {
    kind: o.kind as Workload['kind'],
    namespace: nsOf(o),
    name: String(o.metadata.name),
    object: o,
    index,
    replicas,
    container: String(containers[0].name),
    image: String(containers[0].image ?? ''),
  };
}

function candidates(parsed: ParsedScenario): { o: KubeObject; index: number }[] {
  return parsed.manifests
    .map((m, index) => ({ o: m.object, index }))
    .filter(({ o }) => (o.kind === 'Deployment' && String(o.apiVersion).startsWith('apps/')) || (o.kind === 'Rollout' && String(o.apiVersion).startsWith('argoproj.io/')));
}

/** listWorkloads names the scenario's Deployments and Rollouts, in file order (what --workload can choose). */
export function listWorkloads(parsed: ParsedScenario): string[] {
  return candidates(parsed).map(({ o }) => String(o.metadata?.name ?? ''));
}

/** containerImage is the image of container `name` in the workload's template ('' when there is no such container). */
export function containerImage(w: Workload, name: string): string | undefined {
  const c = (w.object.spec.template.spec.containers as any[]).find((x) => isObj(x) && x.name === name);
  return c ? String(c.image ?? '') : undefined;
}

/**
 * parseImageArg reads `--image`: `IMAGE` (the workload's first container) or `CONTAINER=IMAGE`, as
 * `kubectl set image` takes it.
 */
export function parseImageArg(w: Workload, arg: string): Target | string {
  const s = arg.trim();
  if (!s) return '--image: an image is required';
  const eq = s.indexOf('=');
  if (eq > 0) {
    const container = s.slice(0, eq);
    const image = s.slice(eq + 1);
    if (!image) return `--image ${JSON.stringify(arg)}: the image is empty`;
    if (containerImage(w, container) === undefined) return `--image ${JSON.stringify(arg)}: ${what(w.object)} has no container ${JSON.stringify(container)}`;
    return { container, image };
  }
  return { container: w.container, image: s };
}

// `kubectl set image deployment/web c=img`, `kubectl set image deploy web c=img`, `kubectl argo rollouts set image web c=img`.
const SET_IMAGE = /^(?:kubectl|k)\s+(?:argo\s+rollouts\s+set\s+image\s+(?:rollouts?\/)?(\S+)|set\s+image\s+(?:(?:deployments?|deploy)(?:\.apps)?\/(\S+)|(?:deployments?|deploy)(?:\.apps)?\s+(\S+)))\s+(.*)$/;

/**
 * defaultTarget is the change the scenario itself makes: its first timeline step that sets an image
 * of this workload (with the step's time); else another tag of the same repository declared in spec.images (shop:v1 → shop:v2).
 */
export function defaultTarget(parsed: ParsedScenario, w: Workload): (Target & { at?: number }) | undefined {
  for (const step of parsed.spec.timeline) {
    const m = step.run ? SET_IMAGE.exec(step.run.trim()) : null;
    if (!m) continue;
    const target = m[1] ?? m[2] ?? m[3];
    const isRollout = m[1] !== undefined;
    if (target !== w.name || isRollout !== (w.kind === 'Rollout')) continue;
    for (const pair of m[4].split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq <= 0 || pair.startsWith('-')) continue;
      const container = pair.slice(0, eq);
      const image = pair.slice(eq + 1);
      const current = container === '*' ? w.image : containerImage(w, container);
      if (current !== undefined && image && image !== current) return { container: container === '*' ? w.container : container, image, at: step.at };
    }
  }
  const repo = repoOf(w.image);
  const other = Object.keys(parsed.spec.images).find((img) => img !== w.image && repoOf(img) === repo);
  return other ? { container: w.container, image: other } : undefined;
}

/** repoOf is an image reference without its tag or digest: `ghcr.io/a/shop:v1` → `ghcr.io/a/shop`. */
export function repoOf(image: string): string {
  const at = image.indexOf('@');
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** selectsPods tells whether a Service manifest selects the workload's pods (a non-empty selector the template labels satisfy). */
export function selectsPods(svc: KubeObject, w: Workload): boolean {
  const sel = svc.spec?.selector;
  if (!isObj(sel) || Object.keys(sel).length === 0) return false;
  if (nsOf(svc) !== w.namespace) return false;
  const labels = w.object.spec.template.metadata?.labels ?? {};
  return Object.entries(sel).every(([k, v]) => labels[k] === v);
}

/** podSelector compiles the workload's selector, to tell its pods from others. */
export function podSelector(w: Workload): (labels: Record<string, string>) => boolean {
  return compileSelector(w.object.spec.selector);
}
