/**
 * Workload validation, as the API server's pkg/apis/apps/validation (Deployment, ReplicaSet) and core's
 * ReplicationController: replicas, selector and template, strategy. The pod template's spec is checked
 * by validation.ts's validatePodSpec, with the shared helpers and Kubeplay's LIMITS.
 */
import type { FieldError } from './errors.ts';
import { go } from './gofmt.ts';
import type { KubeObject, LabelSelector, PodTemplateSpec } from './types.ts';
import { compileSelector } from './selector.ts';
import {
  forbidden,
  inval,
  isInt,
  isObj,
  LIMIT_NOTE,
  LIMITS,
  nonNegative,
  notSupported,
  positive,
  required,
  validateAnnotations,
  validateLabels,
  validateLabelSelector,
  validatePodSpec,
  type Errs,
} from './validation.ts';

/**
 * selectorMismatch is the workloads' "`selector` does not match template `labels`" (an empty selector
 * selects everything).
 */
export function selectorMismatch(selector: LabelSelector, labels: Record<string, string> | undefined, p: string, message = '`selector` does not match template `labels`'): FieldError | undefined {
  const empty = !selector.matchLabels || Object.keys(selector.matchLabels).length === 0 ? !selector.matchExpressions?.length : false;
  if (empty || compileSelector(selector)(labels)) return undefined;
  return inval(`${p}.metadata.labels`, go.map(labels), message);
}

/** validatePodTemplate is ValidatePodTemplateSpec: the template's labels, annotations and pod spec. */
export function validatePodTemplate(tpl: unknown, p: string, claimVolumes: readonly string[] = []): Errs {
  if (!isObj(tpl)) return [required(p)];
  const t = tpl as PodTemplateSpec;
  const errs: Errs = [];
  if (t.metadata !== undefined) {
    if (!isObj(t.metadata)) errs.push(inval(`${p}.metadata`, t.metadata, 'must be an object'));
    else {
      errs.push(...validateLabels(t.metadata.labels, `${p}.metadata.labels`));
      errs.push(...validateAnnotations(t.metadata.annotations, `${p}.metadata.annotations`));
    }
  }
  errs.push(...validatePodSpec(t.spec, `${p}.spec`, claimVolumes));
  return errs;
}

/**
 * validatePodTemplateForReplicaSet is ValidatePodTemplateSpecForReplicaSet (apps validation), also the
 * StatefulSet's and DaemonSet's template rules (`kind` names the workload in the activeDeadlineSeconds message).
 */
export function validatePodTemplateForReplicaSet(tpl: unknown, selector: LabelSelector, p: string, kind = 'ReplicaSet', claimVolumes: readonly string[] = []): Errs {
  if (!isObj(tpl)) return [required(p)];
  const t = tpl as PodTemplateSpec;
  const errs: Errs = [];
  // ValidatePodTemplateSpecForRC words it its own way.
  const mismatch = selectorMismatch(selector, t.metadata?.labels, p, kind === 'ReplicationController' ? `selector does not match labels in ${p}` : undefined);
  if (mismatch) errs.push(mismatch);
  errs.push(...validatePodTemplate(t, p, claimVolumes));
  const rp = t.spec?.restartPolicy;
  if (isObj(t.spec) && rp !== undefined && rp !== 'Always') errs.push(notSupported(`${p}.spec.restartPolicy`, rp, ['Always']));
  if (isObj(t.spec) && t.spec.activeDeadlineSeconds !== undefined) errs.push(forbidden(`${p}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${kind} is not Supported`));
  return errs;
}

export function validateReplicas(v: unknown, errs: Errs): void {
  nonNegative(v, 'spec.replicas', errs);
  if (isInt(v) && v > LIMITS.replicas) errs.push(inval('spec.replicas', v, `must be less than or equal to ${LIMITS.replicas} ${LIMIT_NOTE}`));
}

/** validateSelectorAndTemplate: a workload's selector (required, not empty) and its pod template matching it. */
export function validateSelectorAndTemplate(spec: any, errs: Errs, kind = 'ReplicaSet'): void {
  const claims: string[] = kind === 'StatefulSet' && Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates.map((t: any) => (isObj(t) && isObj(t.metadata) && typeof t.metadata.name === 'string' ? t.metadata.name : '')) : [];
  if (spec.selector === undefined || spec.selector === null) {
    errs.push(required('spec.selector'));
    if (!isObj(spec.template)) errs.push(required('spec.template'));
    else errs.push(...validatePodSpec(spec.template.spec, 'spec.template.spec', claims));
    return;
  }
  const selErrs = validateLabelSelector(spec.selector, 'spec.selector');
  errs.push(...selErrs);
  if (isObj(spec.selector) && Object.keys(spec.selector.matchLabels ?? {}).length + (spec.selector.matchExpressions?.length ?? 0) === 0) {
    errs.push(inval('spec.selector', go.selector(spec.selector), `empty selector is invalid for ${kind === 'ReplicaSet' ? 'deployment' : kind.toLowerCase()}`));
  }
  if (selErrs.length === 0) errs.push(...validatePodTemplateForReplicaSet(spec.template, spec.selector, 'spec.template', kind, claims));
}

/** validateIntOrPercent is ValidatePositiveIntOrPercent. */
export function validateIntOrPercent(v: unknown, p: string, errs: Errs): void {
  if (v === undefined || v === null) return;
  if (typeof v === 'string') {
    if (!/^[0-9]+%$/.test(v)) errs.push(inval(p, go.intOrString(v), "must be an integer or percentage (e.g '5%')"));
  } else if (isInt(v)) {
    if (v < 0) errs.push(inval(p, v, 'must be greater than or equal to 0'));
  } else errs.push(inval(p, v, "must be an integer or percentage (e.g '5%')"));
}

export const intOrPercentValue = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && /^[0-9]+%$/.test(v) ? parseInt(v, 10) : -1);

/** validateDeploymentStrategy is ValidateDeploymentStrategy + ValidateRollingUpdateDeployment. */
function validateStrategy(strategy: any, errs: Errs): void {
  const p = 'spec.strategy';
  if (!isObj(strategy)) return;
  if (strategy.type === 'Recreate') {
    if (strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null) errs.push(forbidden(`${p}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'"));
  } else if (strategy.type === 'RollingUpdate') {
    const ru = strategy.rollingUpdate;
    if (!isObj(ru)) {
      errs.push(required(`${p}.rollingUpdate`, 'this should be defaulted and never be nil'));
      return;
    }
    validateIntOrPercent(ru.maxUnavailable, `${p}.rollingUpdate.maxUnavailable`, errs);
    validateIntOrPercent(ru.maxSurge, `${p}.rollingUpdate.maxSurge`, errs);
    if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
      errs.push(inval(`${p}.rollingUpdate.maxUnavailable`, go.intOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
    }
    // IsNotMoreThan100Percent: only maxUnavailable is bounded (a surge may exceed 100%).
    if (typeof ru.maxUnavailable === 'string' && intOrPercentValue(ru.maxUnavailable) > 100) {
      errs.push(inval(`${p}.rollingUpdate.maxUnavailable`, go.intOrString(ru.maxUnavailable), 'must not be greater than 100%'));
    }
  } else {
    errs.push(notSupported(`${p}.type`, strategy.type, ['Recreate', 'RollingUpdate']));
  }
}

/** validateDeployment is ValidateDeploymentSpec (after defaulting). */
export function validateDeployment(d: KubeObject): Errs {
  const errs: Errs = [];
  const spec = d.spec;
  if (!isObj(spec)) return [required('spec')];
  validateReplicas(spec.replicas, errs);
  validateSelectorAndTemplate(spec, errs);
  validateStrategy(spec.strategy, errs);
  nonNegative(spec.minReadySeconds, 'spec.minReadySeconds', errs);
  nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit', errs);
  if (spec.progressDeadlineSeconds !== undefined && spec.progressDeadlineSeconds !== null) {
    positive(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds', errs);
    if (isInt(spec.progressDeadlineSeconds) && spec.progressDeadlineSeconds <= (isInt(spec.minReadySeconds) ? spec.minReadySeconds : 0)) {
      errs.push(inval('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  if (spec.paused !== undefined && typeof spec.paused !== 'boolean') errs.push(inval('spec.paused', spec.paused, 'must be a boolean'));
  return errs;
}

/** validateReplicaSet is ValidateReplicaSetSpec. */
export function validateReplicaSet(rs: KubeObject): Errs {
  const errs: Errs = [];
  const spec = rs.spec;
  if (!isObj(spec)) return [required('spec')];
  validateReplicas(spec.replicas, errs);
  nonNegative(spec.minReadySeconds, 'spec.minReadySeconds', errs);
  validateSelectorAndTemplate(spec, errs);
  return errs;
}

/**
 * validateReplicationController is ValidateReplicationControllerSpec: the selector is a label map,
 * required (defaulting has copied the template's labels into an empty one), and the template is held
 * to ValidatePodTemplateSpecForRC, the ReplicaSet's rules.
 */
export function validateReplicationController(rc: KubeObject): Errs {
  const errs: Errs = [];
  const spec = rc.spec;
  if (!isObj(spec)) return [required('spec')];
  nonNegative(spec.minReadySeconds, 'spec.minReadySeconds', errs);
  const selector = isObj(spec.selector) ? (spec.selector as Record<string, string>) : {};
  if (Object.keys(selector).length === 0) errs.push(required('spec.selector'));
  validateReplicas(spec.replicas, errs);
  errs.push(...validatePodTemplateForReplicaSet(spec.template, { matchLabels: selector }, 'spec.template', 'ReplicationController'));
  return errs;
}
