/**
 * validateObject, the API server's validation entry: metadata, then the kind's spec rules. The core
 * and apps rules for Pods, Deployments, ReplicaSets, Services, ConfigMaps and Secrets are in
 * validation.ts; here are StatefulSet and DaemonSet (pkg/apis/apps/validation), Job and CronJob
 * (pkg/apis/batch/validation) and PersistentVolume and PersistentVolumeClaim
 * (pkg/apis/core/validation), with upstream's field paths and wording; Ingress and NetworkPolicy are in
 * validate_networking.ts, Endpoints in validate_endpoints.ts. A workload whose selector
 * does not select its own pods would make its controller create pods without end.
 */
import { canonicalJson } from './apply.ts';
import { GoValue, type FieldError } from './errors.ts';
import { go } from './gofmt.ts';
import { isDNS1123Subdomain, isQualifiedName } from './names.ts';
import { parseQuantity } from './quantity.ts';
import type { KubeObject, LabelSelector } from './types.ts';
import {
  duplicate,
  forbidden,
  inval,
  isInt,
  isObj,
  nameRule,
  nonNegative,
  notSupported,
  required,
  immutable,
  validateConfigMap,
  validateLabelSelector,
  validateObjectMeta,
  validatePod,
  validateSecret,
  type Errs,
  LIMITS,
  LIMIT_NOTE,
} from './validation.ts';
import {
  intOrPercentValue,
  selectorMismatch,
  validateDeployment,
  validateIntOrPercent,
  validatePodTemplate,
  validateReplicas,
  validateReplicaSet,
  validateReplicationController,
  validateSelectorAndTemplate,
} from './validate_apps.ts';
import { validateService } from './validate_service.ts';
import { parseSchedule } from '../controllers/cronjob/schedule.ts';
import { validateIngress, validateNetworkPolicy } from './validate_networking.ts';
import { validateEndpoints } from './validate_endpoints.ts';

// ---- apps: StatefulSet, DaemonSet ----

/** validateStatefulSet is ValidateStatefulSetSpec (after defaulting). */
export function validateStatefulSet(sts: KubeObject): Errs {
  const errs: Errs = [];
  const spec = sts.spec;
  if (!isObj(spec)) return [required('spec')];
  const policy = spec.podManagementPolicy;
  if (policy !== 'OrderedReady' && policy !== 'Parallel') errs.push(notSupported('spec.podManagementPolicy', policy, ['OrderedReady', 'Parallel']));
  const us = spec.updateStrategy;
  if (isObj(us)) {
    if (us.type === 'RollingUpdate') {
      if (isObj(us.rollingUpdate)) {
        nonNegative(us.rollingUpdate.partition, 'spec.updateStrategy.rollingUpdate.partition', errs);
        if (us.rollingUpdate.maxUnavailable !== undefined) validateIntOrPercent(us.rollingUpdate.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable', errs);
      }
    } else if (us.type === 'OnDelete') {
      if (isObj(us.rollingUpdate)) {
        const partition = isInt(us.rollingUpdate.partition) ? us.rollingUpdate.partition : 0;
        const value = new GoValue(`apps.RollingUpdateStatefulSetStrategy{Partition:${partition}, MaxUnavailable:(*intstr.IntOrString)(nil)}`);
        errs.push(inval('spec.updateStrategy.rollingUpdate', value, "only allowed for updateStrategy 'RollingUpdate'"));
      }
    } else errs.push(notSupported('spec.updateStrategy.type', us.type, ['OnDelete', 'RollingUpdate']));
  }
  validateReplicas(spec.replicas, errs);
  nonNegative(spec.minReadySeconds, 'spec.minReadySeconds', errs);
  validateSelectorAndTemplate(spec, errs, 'StatefulSet');
  return errs;
}

/** validateDaemonSet is ValidateDaemonSetSpec (after defaulting). */
export function validateDaemonSet(ds: KubeObject): Errs {
  const errs: Errs = [];
  const spec = ds.spec;
  if (!isObj(spec)) return [required('spec')];
  validateSelectorAndTemplate(spec, errs, 'DaemonSet');
  nonNegative(spec.minReadySeconds, 'spec.minReadySeconds', errs);
  const us = spec.updateStrategy;
  if (isObj(us)) {
    if (us.type === 'RollingUpdate') {
      const ru = us.rollingUpdate;
      if (isObj(ru)) {
        validateIntOrPercent(ru.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable', errs);
        validateIntOrPercent(ru.maxSurge, 'spec.updateStrategy.rollingUpdate.maxSurge', errs);
        if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
          errs.push(inval('spec.updateStrategy.rollingUpdate.maxUnavailable', go.intOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
        }
      }
    } else if (us.type !== 'OnDelete') errs.push(notSupported('spec.updateStrategy.type', us.type, ['OnDelete', 'RollingUpdate']));
  }
  return errs;
}

// ---- batch: Job, CronJob ----

const JOB_COUNTS = ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes'];

/**
 * validateJobSpec is validateJobSpec (the Job's and a CronJob's jobTemplate's), plus ValidateJobSpec's
 * selector rules for a Job whose selector the user chose (manualSelector); a generated selector
 * matches its template by construction.
 */
function validateJobSpec(spec: unknown, p: string, withSelector: boolean): Errs {
  if (!isObj(spec)) return [required(p)];
  const errs: Errs = [];
  for (const f of JOB_COUNTS) nonNegative(spec[f], `${p}.${f}`, errs);
  const mode = spec.completionMode;
  // An Indexed Job has at most 100,000 completions and parallelism (maxCompletionsForIndexedJob …);
  // any Job's parallelism is bounded as a workload's replicas are (the simulation's own limit).
  for (const f of ['completions', 'parallelism'] as const) {
    if (mode === 'Indexed' && isInt(spec[f]) && spec[f] > 100_000) errs.push(inval(`${p}.${f}`, spec[f], 'must be less than or equal to 100000 when completion mode is Indexed'));
  }
  if (mode !== 'Indexed' && isInt(spec.parallelism) && spec.parallelism > LIMITS.replicas) errs.push(inval(`${p}.parallelism`, spec.parallelism, `must be less than or equal to ${LIMITS.replicas} ${LIMIT_NOTE}`));
  if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(notSupported(`${p}.completionMode`, mode, ['NonIndexed', 'Indexed']));
  if (mode === 'Indexed' && (spec.completions === undefined || spec.completions === null)) errs.push(required(`${p}.completions`, 'when completion mode is Indexed'));
  if (mode !== 'Indexed') {
    if (isInt(spec.backoffLimitPerIndex)) errs.push(inval(`${p}.backoffLimitPerIndex`, spec.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (isInt(spec.maxFailedIndexes)) errs.push(inval(`${p}.maxFailedIndexes`, spec.maxFailedIndexes, 'requires indexed completion mode'));
  }
  errs.push(...validatePodTemplate(spec.template, `${p}.template`));
  // The pod template's restartPolicy defaults to Always, which a Job's pods may not have.
  const rp = isObj(spec.template) && isObj(spec.template.spec) ? spec.template.spec.restartPolicy : undefined;
  if (rp === 'Always' || rp === '' || rp === undefined) errs.push(required(`${p}.template.spec.restartPolicy`, 'valid values: "OnFailure", "Never"'));
  else if (rp !== 'OnFailure' && rp !== 'Never') errs.push(notSupported(`${p}.template.spec.restartPolicy`, rp, ['OnFailure', 'Never']));
  else if (spec.podFailurePolicy && rp !== 'Never') errs.push(inval(`${p}.template.spec.restartPolicy`, rp, 'only "Never" is supported when podFailurePolicy is specified'));
  if (isObj(spec.podFailurePolicy)) validatePodFailurePolicy(spec, `${p}.podFailurePolicy`, errs);
  if (withSelector) {
    if (spec.selector === undefined || spec.selector === null) errs.push(required(`${p}.selector`));
    else {
      const selErrs = validateLabelSelector(spec.selector, `${p}.selector`);
      errs.push(...selErrs);
      const labels = isObj(spec.template) && isObj(spec.template.metadata) ? spec.template.metadata.labels : undefined;
      const mismatch = selErrs.length === 0 ? selectorMismatch(spec.selector as LabelSelector, labels, `${p}.template`) : undefined;
      if (mismatch) errs.push(mismatch);
    }
  }
  return errs;
}

const FAILURE_ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const EXIT_CODE_OPERATORS = ['In', 'NotIn'];
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];
/** maxPodFailurePolicyRules, maxPodFailurePolicyOnExitCodesValues, maxPodFailurePolicyOnPodConditionsPatterns. */
const MAX_FAILURE_RULES = 20;
const MAX_EXIT_CODES = 255;
const MAX_CONDITION_PATTERNS = 20;
const goStrings = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;
const upstreamTooMany = (field: string, n: number, max: number): FieldError => ({ field, type: 'Too many', detail: `${n}: must have at most ${max} items` });

/**
 * validatePodFailurePolicy is the batch API's validatePodFailurePolicy: each rule an action, exactly one of
 * onExitCodes (an operator, a container of the template, 1–255 distinct ordered codes, no 0 for In) and
 * onPodConditions (qualified condition types, a status).
 */
function validatePodFailurePolicy(spec: Record<string, any>, p: string, errs: Errs): void {
  const rules = spec.podFailurePolicy.rules;
  if (!Array.isArray(rules)) return;
  if (rules.length > MAX_FAILURE_RULES) errs.push(upstreamTooMany(`${p}.rules`, rules.length, MAX_FAILURE_RULES));
  const tspec = isObj(spec.template) && isObj(spec.template.spec) ? spec.template.spec : {};
  const names = new Set([...(tspec.containers ?? []), ...(tspec.initContainers ?? [])].map((c: { name?: string }) => c?.name));
  rules.forEach((rule: any, i: number) => {
    const rp = `${p}.rules[${i}]`;
    if (!isObj(rule)) return;
    const action = rule.action;
    if (action === undefined || action === '') errs.push(required(`${rp}.action`, `valid values: ${goStrings(FAILURE_ACTIONS)}`));
    else if (action === 'FailIndex') {
      if (spec.backoffLimitPerIndex === undefined || spec.backoffLimitPerIndex === null) errs.push(inval(`${rp}.action`, action, 'requires the backoffLimitPerIndex to be set'));
    } else if (!FAILURE_ACTIONS.includes(action)) errs.push(notSupported(`${rp}.action`, action, FAILURE_ACTIONS));
    const oe = rule.onExitCodes;
    const conds = Array.isArray(rule.onPodConditions) ? rule.onPodConditions : [];
    if (isObj(oe)) {
      const op = `${rp}.onExitCodes`;
      if (oe.operator === undefined || oe.operator === '') errs.push(required(`${op}.operator`, `valid values: ${goStrings(EXIT_CODE_OPERATORS)}`));
      else if (!EXIT_CODE_OPERATORS.includes(oe.operator)) errs.push(notSupported(`${op}.operator`, oe.operator, EXIT_CODE_OPERATORS));
      if (typeof oe.containerName === 'string' && !names.has(oe.containerName)) errs.push(inval(`${op}.containerName`, oe.containerName, 'must be one of the container or initContainer names in the pod template'));
      const values: unknown[] = Array.isArray(oe.values) ? oe.values : [];
      const asGo = new GoValue(`[]int32{${values.join(', ')}}`);
      if (values.length === 0) errs.push(inval(`${op}.values`, new GoValue('[]int32{}'), 'at least one value is required'));
      else if (values.length > MAX_EXIT_CODES) errs.push(upstreamTooMany(`${op}.values`, values.length, MAX_EXIT_CODES));
      const seen = new Set<unknown>();
      let ordered = true;
      values.forEach((v, j) => {
        if (oe.operator === 'In' && v === 0) errs.push(inval(`${op}.values[${j}]`, 0, 'must not be 0 for the In operator'));
        if (seen.has(v)) errs.push(duplicate(`${op}.values[${j}]`, v));
        seen.add(v);
        if (j > 0 && (values[j - 1] as number) > (v as number)) ordered = false;
      });
      if (!ordered) errs.push(inval(`${op}.values`, asGo, 'must be ordered'));
    }
    if (conds.length > MAX_CONDITION_PATTERNS) errs.push(upstreamTooMany(`${rp}.onPodConditions`, conds.length, MAX_CONDITION_PATTERNS));
    conds.forEach((c: any, j: number) => {
      const cp = `${rp}.onPodConditions[${j}]`;
      const type = typeof c?.type === 'string' ? c.type : '';
      for (const msg of isQualifiedName(type)) errs.push(inval(`${cp}.type`, type, msg));
      if (c?.status === undefined || c?.status === '') errs.push(required(`${cp}.status`, `valid values: ${goStrings(CONDITION_STATUSES)}`));
      else if (!CONDITION_STATUSES.includes(c.status)) errs.push(notSupported(`${cp}.status`, c.status, CONDITION_STATUSES));
    });
    // field.OmitValueType: the message has no value.
    if (isObj(oe) && conds.length > 0) errs.push({ field: rp, type: 'Invalid value', omitValue: true, detail: 'specifying both OnExitCodes and OnPodConditions is not supported' });
    if (!isObj(oe) && conds.length === 0) errs.push({ field: rp, type: 'Invalid value', omitValue: true, detail: 'specifying one of OnExitCodes and OnPodConditions is required' });
  });
}

export function validateJob(job: KubeObject): Errs {
  return validateJobSpec(job.spec, 'spec', isObj(job.spec) && job.spec.manualSelector === true);
}

/** validateCronJob is ValidateCronJobCreate's spec rules: the schedule parses, the time zone, the job template. */
export function validateCronJob(cj: KubeObject): Errs {
  const errs: Errs = [];
  const name = cj.metadata?.name;
  // The Job names it creates add 11 characters (-<minutes since the epoch>) within 63.
  if (typeof name === 'string' && name.length > 52) errs.push(inval('metadata.name', name, 'must be no more than 52 characters'));
  const spec = cj.spec;
  if (!isObj(spec)) return [...errs, required('spec')];
  if (typeof spec.schedule !== 'string' || spec.schedule === '') errs.push(required('spec.schedule'));
  else {
    try {
      parseSchedule(spec.schedule);
    } catch (e) {
      errs.push(inval('spec.schedule', spec.schedule, (e as Error).message));
    }
  }
  const cp = spec.concurrencyPolicy;
  if (cp !== undefined && cp !== 'Allow' && cp !== 'Forbid' && cp !== 'Replace') errs.push(notSupported('spec.concurrencyPolicy', cp, ['Allow', 'Forbid', 'Replace']));
  nonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds', errs);
  nonNegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit', errs);
  nonNegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit', errs);
  const jt = spec.jobTemplate;
  if (!isObj(jt)) errs.push(required('spec.jobTemplate'));
  else errs.push(...validateJobSpec(jt.spec, 'spec.jobTemplate.spec', false));
  return errs;
}

// ---- core: PersistentVolumeClaim, PersistentVolume ----

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];

function validateAccessModes(modes: unknown, p: string, errs: Errs, detail: string): void {
  if (!Array.isArray(modes) || modes.length === 0) {
    errs.push(required(p, detail));
    return;
  }
  for (const m of modes) if (!ACCESS_MODES.includes(m)) errs.push(notSupported(p, m, ACCESS_MODES));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) errs.push(forbidden(p, 'may not use ReadWriteOncePod with other access modes'));
}

/** validateStorageQuantity: a storage size that is required and greater than zero. */
function validateStorage(v: unknown, p: string, errs: Errs): void {
  if (v === undefined || v === null || v === '') {
    errs.push(required(p));
    return;
  }
  const q = parseQuantity(String(v));
  if (q === undefined || Number.isNaN(q)) errs.push(inval(p, v, 'must be a valid quantity'));
  else if (q <= 0) errs.push(inval(p, String(v), 'must be greater than zero'));
}

function validateClassName(name: unknown, p: string, errs: Errs): void {
  if (typeof name === 'string' && name !== '') for (const msg of isDNS1123Subdomain(name)) errs.push(inval(p, name, msg));
}

/** validatePersistentVolumeClaim is ValidatePersistentVolumeClaimSpec. */
export function validatePersistentVolumeClaim(pvc: KubeObject): Errs {
  const errs: Errs = [];
  const spec = pvc.spec;
  if (!isObj(spec)) return [required('spec')];
  validateAccessModes(spec.accessModes, 'spec.accessModes', errs, 'at least 1 access mode is required');
  if (spec.selector !== undefined && spec.selector !== null) errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const requests = isObj(spec.resources) && isObj(spec.resources.requests) ? spec.resources.requests : {};
  validateStorage(requests.storage, 'spec.resources[storage]', errs);
  validateClassName(spec.storageClassName, 'spec.storageClassName', errs);
  if (spec.volumeMode !== undefined && !VOLUME_MODES.includes(spec.volumeMode)) errs.push(notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  return errs;
}

/** VOLUME_SOURCES: the PersistentVolumeSource types, one of which a volume names. */
const VOLUME_SOURCES = [
  'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'csi', 'fc', 'flexVolume', 'flocker', 'gcePersistentDisk',
  'glusterfs', 'hostPath', 'iscsi', 'local', 'nfs', 'photonPersistentDisk', 'portworxVolume', 'quobyte', 'rbd', 'scaleIO', 'storageos', 'vsphereVolume',
];
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];

/** validatePersistentVolume is ValidatePersistentVolumeSpec for what the simulation reads. */
export function validatePersistentVolume(pv: KubeObject): Errs {
  const errs: Errs = [];
  const spec = pv.spec;
  if (!isObj(spec)) return [required('spec')];
  validateAccessModes(spec.accessModes, 'spec.accessModes', errs, '');
  if (!isObj(spec.capacity) || Object.keys(spec.capacity).length === 0) errs.push(required('spec.capacity'));
  else {
    for (const k of Object.keys(spec.capacity)) if (k !== 'storage') errs.push(notSupported('spec.capacity', k, ['storage']));
    validateStorage(spec.capacity.storage, 'spec.capacity[storage]', errs);
  }
  const sources = VOLUME_SOURCES.filter((k) => spec[k] !== undefined && spec[k] !== null);
  if (sources.length === 0) errs.push(required('spec', 'must specify a volume type'));
  else if (sources.length > 1) errs.push(forbidden(`spec.${sources[1]}`, 'may not specify more than 1 volume type'));
  const policy = spec.persistentVolumeReclaimPolicy;
  if (policy !== undefined && !RECLAIM_POLICIES.includes(policy)) errs.push(notSupported('spec.persistentVolumeReclaimPolicy', policy, RECLAIM_POLICIES));
  validateClassName(spec.storageClassName, 'spec.storageClassName', errs);
  if (spec.volumeMode !== undefined && !VOLUME_MODES.includes(spec.volumeMode)) errs.push(notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  return errs;
}

// ---- ResourceQuota (ValidateResourceQuotaSpec) ----

const QUOTA_SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'];
const POD_COMPUTE = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];
/** STANDARD_QUOTA: the quota resource names the API server knows; others must be fully qualified (count/…, a domain). */
const STANDARD_QUOTA = [
  ...POD_COMPUTE,
  'ephemeral-storage', 'requests.ephemeral-storage', 'limits.ephemeral-storage', 'requests.storage',
  'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers',
];
/** INTEGER_QUOTA: resources counted in whole objects. */
const INTEGER_QUOTA = ['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers'];

/** scopeFits is IsResourceQuotaScopeValidForResource: BestEffort counts only pods; the others pods and their compute. */
function scopeFits(scope: string, resource: string): boolean {
  if (scope === 'BestEffort') return resource === 'pods';
  if (QUOTA_SCOPES.includes(scope)) return resource === 'pods' || POD_COMPUTE.includes(resource);
  return true;
}

export function validateResourceQuota(q: KubeObject): Errs {
  const errs: Errs = [];
  const spec = q.spec;
  if (spec === undefined || spec === null) return errs;
  if (!isObj(spec)) return [inval('spec', spec, 'must be an object')];
  const hard = isObj(spec.hard) ? spec.hard : {};
  for (const [k, v] of Object.entries(hard)) {
    const p = `spec.hard[${k}]`;
    if (!STANDARD_QUOTA.includes(k) && !k.includes('/') && !k.includes('.')) errs.push(inval(p, k, 'must be a standard resource type or fully qualified'));
    const n = parseQuantity(String(v));
    if (n === undefined) errs.push(inval(p, v, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"));
    else if (n < 0) errs.push(inval(p, String(v), 'must be greater than or equal to 0'));
    // parseQuantity counts in milli-units: a whole number of objects is a multiple of 1000.
    else if ((INTEGER_QUOTA.includes(k) || k.startsWith('count/')) && n % 1000 !== 0) errs.push(inval(p, String(v), 'must be an integer'));
  }
  const scopes: unknown[] = Array.isArray(spec.scopes) ? spec.scopes : [];
  const shown = new GoValue(`[]core.ResourceQuotaScope{${scopes.map((s) => JSON.stringify(String(s))).join(', ')}}`);
  for (const s of scopes.map(String)) {
    if (!QUOTA_SCOPES.includes(s)) errs.push(inval('spec.scopes', shown, 'unsupported scope'));
    for (const k of Object.keys(hard).sort()) if (STANDARD_QUOTA.includes(k) && !scopeFits(s, k)) errs.push(inval('spec.scopes', shown, 'unsupported scope applied to resource'));
  }
  const set = new Set(scopes.map(String));
  for (const [a, b] of [['BestEffort', 'NotBestEffort'], ['Terminating', 'NotTerminating']]) if (set.has(a) && set.has(b)) errs.push(inval('spec.scopes', shown, 'conflicting scopes'));
  return errs;
}

// ---- updates ----

/** STS_MUTABLE: what ValidateStatefulSetUpdate lets change in a StatefulSet's spec. */
const STS_MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

const differs = (a: unknown, b: unknown): boolean => canonicalJson(a) !== canonicalJson(b);
const without = (spec: unknown, keys: string[]): Record<string, unknown> => Object.fromEntries(Object.entries(isObj(spec) ? spec : {}).filter(([k]) => !keys.includes(k)));

/**
 * jobTemplateAllowing is validatePodTemplateUpdate's old template to compare with: a suspended Job that
 * has never started (AllowMutableSchedulingDirectives) may change its pods' node selector, tolerations,
 * node affinity, scheduling gates, labels and annotations, so those are taken from the new template.
 */
function jobTemplateAllowing(next: unknown, old: unknown, mutableScheduling: boolean): unknown {
  if (!mutableScheduling || !isObj(next) || !isObj(old)) return old;
  const t = structuredClone(old) as Record<string, any>;
  const n = next as Record<string, any>;
  t.metadata = { ...(t.metadata ?? {}) };
  for (const k of ['labels', 'annotations']) {
    if (n.metadata?.[k] === undefined) delete t.metadata[k];
    else t.metadata[k] = n.metadata[k];
  }
  t.spec = { ...(t.spec ?? {}) };
  for (const k of ['nodeSelector', 'tolerations', 'schedulingGates']) {
    if (n.spec?.[k] === undefined) delete t.spec[k];
    else t.spec[k] = n.spec[k];
  }
  const na = n.spec?.affinity;
  const oa = t.spec.affinity;
  if (!na && oa) {
    // cleared: allowed when the old affinity held nothing but node affinity
    const rest = { ...oa };
    delete rest.nodeAffinity;
    if (Object.keys(rest).length === 0) delete t.spec.affinity;
    else t.spec.affinity = rest;
  } else if (na && !oa) t.spec.affinity = na.nodeAffinity === undefined ? {} : { nodeAffinity: na.nodeAffinity };
  else if (na && oa) {
    t.spec.affinity = { ...oa };
    if (na.nodeAffinity === undefined) delete t.spec.affinity.nodeAffinity;
    else t.spec.affinity.nodeAffinity = na.nodeAffinity;
  }
  return t;
}

/**
 * validateWorkloadUpdate holds ValidateStatefulSetUpdate, ValidateJobSpecUpdate (for what the simulation
 * reads) and ValidatePersistentVolumeClaimUpdate's field rules.
 */
export function validateWorkloadUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  switch (obj.kind) {
    case 'StatefulSet':
      if (differs(without(obj.spec, STS_MUTABLE), without(old.spec, STS_MUTABLE))) {
        errs.push(forbidden('spec', `updates to statefulset spec for fields other than ${STS_MUTABLE.slice(0, -1).map((f) => `'${f}'`).join(', ')} and '${STS_MUTABLE.at(-1)}' are forbidden`));
      }
      break;
    case 'Job': {
      const s = isObj(obj.spec) ? obj.spec : {};
      const o = isObj(old.spec) ? old.spec : {};
      if (differs(s.selector, o.selector)) errs.push(immutable('spec.selector', go.selector(s.selector)));
      if (s.completionMode !== o.completionMode) errs.push(immutable('spec.completionMode', s.completionMode));
      // An Indexed Job may change completions together with parallelism (elastic Indexed Jobs).
      if (s.completions !== o.completions && !(s.completionMode === 'Indexed' && s.completions === s.parallelism)) errs.push(immutable('spec.completions', s.completions));
      if (differs(s.template, jobTemplateAllowing(s.template, o.template, o.suspend === true && !old.status?.startTime))) {
        // Upstream prints the whole core.PodTemplateSpec with %#v, pointer addresses (0xc0…) included, a
        // value that differs on every call; the struct is elided here, the rest of the message is the API server's.
        errs.push(immutable('spec.template', new GoValue('core.PodTemplateSpec{…}')));
      }
      break;
    }
    case 'PersistentVolumeClaim': {
      const s = isObj(obj.spec) ? obj.spec : {};
      const o = isObj(old.spec) ? old.spec : {};
      const bound = old.status?.phase === 'Bound';
      const keep = (spec: Record<string, unknown>, from: Record<string, unknown>) => {
        const c = structuredClone(spec) as Record<string, any>;
        delete c.volumeAttributesClassName;
        if (!from.volumeName) delete c.volumeName; // a claim's volumeName may be set once
        if (bound && isObj(c.resources) && isObj(c.resources.requests)) delete c.resources.requests.storage;
        return c;
      };
      if (differs(keep(s, o), keep(o, o))) errs.push(forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
      const size = (spec: Record<string, any>) => parseQuantity(spec.resources?.requests?.storage);
      const capacity = parseQuantity(old.status?.capacity?.storage);
      const now = size(s);
      if (bound && now !== undefined && capacity !== undefined && now < (size(o) ?? 0) && now <= capacity) {
        errs.push(forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
      }
      break;
    }
  }
  return errs;
}

// ---- the entry ----

const SPEC_RULES: Record<string, (o: KubeObject) => Errs> = {
  Pod: validatePod,
  Deployment: validateDeployment,
  ReplicaSet: validateReplicaSet,
  ReplicationController: validateReplicationController,
  StatefulSet: validateStatefulSet,
  DaemonSet: validateDaemonSet,
  Job: validateJob,
  CronJob: validateCronJob,
  Service: validateService,
  ConfigMap: validateConfigMap,
  Secret: validateSecret,
  PersistentVolumeClaim: validatePersistentVolumeClaim,
  PersistentVolume: validatePersistentVolume,
  Ingress: validateIngress,
  NetworkPolicy: validateNetworkPolicy,
  ResourceQuota: validateResourceQuota,
  Endpoints: validateEndpoints,
};

/** validateObject validates metadata and, for kinds with rules, the spec (and data). */
export function validateObject(obj: KubeObject, namespaced: boolean): FieldError[] {
  const errs = validateObjectMeta(obj, namespaced, nameRule(obj.kind));
  const rule = SPEC_RULES[obj.kind];
  if (rule) errs.push(...rule(obj));
  return errs;
}
