/**
 * limitranger.ts: the LimitRanger admission plugin (plugin/pkg/admission/limitranger/admission.go).
 *
 * Admit (mutating) fills each container's missing requests and limits from the namespace's
 * LimitRanges of type Container (`defaultRequest`, `default`) and notes what it set in the
 * `kubernetes.io/limit-ranger` annotation. Validate checks min, max and maxLimitRequestRatio per
 * Container, per Pod (sums) and per PersistentVolumeClaim, refusing with upstream's messages:
 * `pods "web" is forbidden: maximum cpu usage per Container is 1, but limit is 2`.
 */
import type { Sim } from '../sim.ts';
import { ApiError } from '../api/errors.ts';
import { parseQuantity } from '../api/quantity.ts';
import type { Container, KubeObject, Pod } from '../api/types.ts';
import { canonical, formatUsage, limitsOf, podTotals, requestsOf, type ResourceList } from './resources.ts';

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

export interface LimitRangeItem {
  type: 'Container' | 'Pod' | 'PersistentVolumeClaim' | string;
  max?: ResourceList;
  min?: ResourceList;
  default?: ResourceList;
  defaultRequest?: ResourceList;
  maxLimitRequestRatio?: ResourceList;
}

export interface LimitRange extends KubeObject {
  kind: 'LimitRange';
  spec: { limits: LimitRangeItem[] };
}

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const sortedKeys = (l: ResourceList | undefined): string[] => (isObj(l) ? Object.keys(l).sort() : []);

/**
 * setLimitRangeDefaults is SetDefaults_LimitRangeItem for Container items: default ← max,
 * defaultRequest ← default, then defaultRequest ← min (each only where unset).
 */
export function setLimitRangeDefaults(lr: KubeObject): void {
  for (const item of (lr.spec?.limits ?? []) as LimitRangeItem[]) {
    if (!isObj(item) || item.type !== 'Container') continue;
    item.default = isObj(item.default) ? item.default : {};
    item.defaultRequest = isObj(item.defaultRequest) ? item.defaultRequest : {};
    for (const [k, v] of Object.entries(item.max ?? {})) item.default[k] ??= v;
    for (const [k, v] of Object.entries(item.default)) item.defaultRequest[k] ??= v;
    for (const [k, v] of Object.entries(item.min ?? {})) item.defaultRequest[k] ??= v;
  }
}

function limitRanges(sim: Sim, ns: string | undefined): LimitRange[] {
  if (!ns) return [];
  return sim.store.list<LimitRange>('LimitRange', ns).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
}

/** defaultContainerResourceRequirements merges every Container item's defaults (later ranges win, as upstream's map writes). */
function containerDefaults(lr: LimitRange): { requests: ResourceList; limits: ResourceList } {
  const requests: ResourceList = {};
  const limits: ResourceList = {};
  for (const item of lr.spec?.limits ?? []) {
    if (item?.type !== 'Container') continue;
    Object.assign(requests, item.defaultRequest ?? {});
    Object.assign(limits, item.default ?? {});
  }
  return { requests, limits };
}

/** mergeContainerResources sets the missing defaults and returns the annotation fragment ("cpu request for container web"). */
function mergeContainer(c: Container, def: { requests: ResourceList; limits: ResourceList }, kind: string): string[] {
  const setReq: string[] = [];
  const setLim: string[] = [];
  const hasDefaults = Object.keys(def.requests).length || Object.keys(def.limits).length;
  if (!hasDefaults) return [];
  c.resources = isObj(c.resources) ? c.resources : {};
  const res = c.resources!;
  for (const k of Object.keys(def.limits).sort()) {
    res.limits = isObj(res.limits) ? res.limits : {};
    if (res.limits[k] === undefined) {
      res.limits[k] = def.limits[k];
      setLim.push(k);
    }
  }
  for (const k of Object.keys(def.requests).sort()) {
    res.requests = isObj(res.requests) ? res.requests : {};
    if (res.requests[k] === undefined) {
      res.requests[k] = def.requests[k];
      setReq.push(k);
    }
  }
  const out: string[] = [];
  if (setReq.length) out.push(`${setReq.join(', ')} request for ${kind} ${c.name}`);
  if (setLim.length) out.push(`${setLim.join(', ')} limit for ${kind} ${c.name}`);
  return out;
}

/**
 * admitLimitRanger is the mutating half for a new Pod: each LimitRange's Container defaults go
 * into containers and init containers that lack them; the annotation reads
 * `LimitRanger plugin set: cpu request for container web; cpu limit for container web`.
 */
export function admitLimitRanger(sim: Sim, obj: KubeObject): void {
  if (obj.kind !== 'Pod' || !isObj(obj.spec)) return;
  const pod = obj as Pod;
  for (const lr of limitRanges(sim, pod.metadata.namespace)) {
    const def = containerDefaults(lr);
    const notes: string[] = [];
    for (const c of pod.spec.containers ?? []) if (isObj(c)) notes.push(...mergeContainer(c, def, 'container'));
    for (const c of pod.spec.initContainers ?? []) if (isObj(c)) notes.push(...mergeContainer(c, def, 'init container'));
    if (notes.length) {
      pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
    }
  }
}

type Reader = (name: string) => { raw?: string | number; milli?: number };

function reader(list: ResourceList): Reader {
  return (name) => {
    const raw = list[name];
    return { raw, milli: raw === undefined ? undefined : parseQuantity(raw) };
  };
}

function readerFromUsage(u: Record<string, number>): Reader {
  return (name) => (u[name] === undefined ? {} : { raw: formatUsage(name, u[name]), milli: u[name] });
}

/** minConstraint: request must exist and be ≥ min; a limit, if set, must be ≥ min too. */
export function minConstraint(limitType: string, name: string, enforced: string | number, req: Reader, lim: Reader): string | undefined {
  const e = parseQuantity(enforced) ?? 0;
  const r = req(name);
  const l = lim(name);
  if (r.milli === undefined) return `minimum ${name} usage per ${limitType} is ${canonical(enforced)}.  No request is specified`;
  if (r.milli < e) return `minimum ${name} usage per ${limitType} is ${canonical(enforced)}, but request is ${canonical(r.raw)}`;
  if (l.milli !== undefined && l.milli < e) return `minimum ${name} usage per ${limitType} is ${canonical(enforced)}, but limit is ${canonical(l.raw)}`;
  return undefined;
}

/** maxConstraint: limit must exist and be ≤ max; a request, if set, must be ≤ max too. */
export function maxConstraint(limitType: string, name: string, enforced: string | number, req: Reader, lim: Reader): string | undefined {
  const e = parseQuantity(enforced) ?? 0;
  const r = req(name);
  const l = lim(name);
  if (l.milli === undefined) return `maximum ${name} usage per ${limitType} is ${canonical(enforced)}.  No limit is specified`;
  if (l.milli > e) return `maximum ${name} usage per ${limitType} is ${canonical(enforced)}, but limit is ${canonical(l.raw)}`;
  if (r.milli !== undefined && r.milli > e) return `maximum ${name} usage per ${limitType} is ${canonical(enforced)}, but request is ${canonical(r.raw)}`;
  return undefined;
}

/** maxRequestConstraint is the PVC form of max: only the request is user input. */
function maxRequestConstraint(limitType: string, name: string, enforced: string | number, req: Reader): string | undefined {
  const e = parseQuantity(enforced) ?? 0;
  const r = req(name);
  if (r.milli === undefined) return `maximum ${name} usage per ${limitType} is ${canonical(enforced)}.  No request is specified`;
  if (r.milli > e) return `maximum ${name} usage per ${limitType} is ${canonical(enforced)}, but request is ${canonical(r.raw)}`;
  return undefined;
}

/** limitRequestRatioConstraint: limit/request ≤ maxLimitRequestRatio, compared in milli-units; the ratio prints as Go's %f. */
export function limitRequestRatioConstraint(limitType: string, name: string, enforced: string | number, req: Reader, lim: Reader): string | undefined {
  const e = parseQuantity(enforced) ?? 0;
  const r = req(name);
  const l = lim(name);
  if (r.milli === undefined || r.milli === 0) return `${name} max limit to request ratio per ${limitType} is ${canonical(enforced)}, but no request is specified or request is 0`;
  if (l.milli === undefined || l.milli === 0) return `${name} max limit to request ratio per ${limitType} is ${canonical(enforced)}, but no limit is specified or limit is 0`;
  // Upstream compares observed*1000 with enforced.MilliValue(): with milli-units on both sides this is l/r*1000 vs e.
  const ratio = l.milli / r.milli;
  if (ratio * 1000 > e) return `${name} max limit to request ratio per ${limitType} is ${canonical(enforced)}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

function checkItem(item: LimitRangeItem, limitType: string, req: Reader, lim: Reader, errs: string[], pvc = false): void {
  const push = (e: string | undefined): void => {
    if (e) errs.push(e);
  };
  for (const k of sortedKeys(item.min)) push(minConstraint(limitType, k, item.min![k], req, pvc ? () => ({}) : lim));
  for (const k of sortedKeys(item.max)) push(pvc ? maxRequestConstraint(limitType, k, item.max![k], req) : maxConstraint(limitType, k, item.max![k], req, lim));
  if (!pvc) for (const k of sortedKeys(item.maxLimitRequestRatio)) push(limitRequestRatioConstraint(limitType, k, item.maxLimitRequestRatio![k], req, lim));
}

/** limitRangeErrors lists every violated constraint of one object against the namespace's LimitRanges. */
export function limitRangeErrors(sim: Sim, obj: KubeObject): string[] {
  const errs: string[] = [];
  if (!isObj(obj.spec)) return errs;
  for (const lr of limitRanges(sim, obj.metadata.namespace)) {
    for (const item of lr.spec?.limits ?? []) {
      if (!isObj(item)) continue;
      if (obj.kind === 'Pod') {
        const pod = obj as Pod;
        if (item.type === 'Container') {
          // Init containers are checked as containers too (upstream validates both lists).
          for (const c of [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])]) {
            if (isObj(c)) checkItem(item, 'Container', reader(requestsOf(c)), reader(limitsOf(c)), errs);
          }
        } else if (item.type === 'Pod') {
          checkItem(item, 'Pod', readerFromUsage(podTotals(pod, 'requests')), readerFromUsage(podTotals(pod, 'limits')), errs);
        }
      } else if (obj.kind === 'PersistentVolumeClaim' && item.type === 'PersistentVolumeClaim') {
        const requests = isObj(obj.spec.resources?.requests) ? obj.spec.resources.requests : {};
        checkItem(item, 'PersistentVolumeClaim', reader(requests), () => ({}), errs, true);
      }
    }
  }
  return errs;
}

/** forbidden builds admission.NewForbidden: `pods "web" is forbidden: …` (generateName when the name is not chosen yet). */
export function forbidden(resource: string, obj: KubeObject, err: string): ApiError {
  const name = obj.metadata?.name || obj.metadata?.generateName || 'Unknown';
  return new ApiError('Forbidden', `${resource} "${name}" is forbidden: ${err}`);
}

/** validateLimitRanger is the validating half: throws Forbidden with utilerrors.Aggregate's `[a, b]` form for several. */
export function validateLimitRanger(sim: Sim, obj: KubeObject, resource: string): void {
  if (obj.kind !== 'Pod' && obj.kind !== 'PersistentVolumeClaim') return;
  const errs = limitRangeErrors(sim, obj);
  if (errs.length === 0) return;
  throw forbidden(resource, obj, errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
}
