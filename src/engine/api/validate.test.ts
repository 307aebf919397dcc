import { expect, test } from 'vitest';
import { createCluster } from '../cluster.ts';
import { ApiError } from './errors.ts';
import type { ApiServer } from './server.ts';
import type { KubeObject } from './types.ts';
import { createError as apiCreateError } from './testutil.ts';

const template = (labels: Record<string, string>, spec: Record<string, unknown> = {}) => ({ metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } });

function workload(kind: string, mut: (spec: any) => void = () => {}, name = 'w'): KubeObject {
  const spec: any = { selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a' }) };
  mut(spec);
  return { apiVersion: 'apps/v1', kind, metadata: { name }, spec };
}

function job(mut: (spec: any) => void = () => {}): KubeObject {
  const spec: any = { template: template({}, { restartPolicy: 'Never' }) };
  mut(spec);
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec };
}

function cronJob(schedule: string, name = 'cj'): KubeObject {
  return { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name }, spec: { schedule, jobTemplate: { spec: { template: template({}, { restartPolicy: 'OnFailure' }) } } } };
}

function pvc(mut: (spec: any) => void = () => {}): KubeObject {
  const spec: any = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } };
  mut(spec);
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec };
}

function pv(mut: (spec: any) => void = () => {}): KubeObject {
  const spec: any = { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, hostPath: { path: '/data' } };
  mut(spec);
  return { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'v' }, spec };
}

function createError(obj: KubeObject): string {
  return apiCreateError(createCluster({ seed: 1, nodes: [] } as never).service<ApiServer>('api'), obj);
}

const MISMATCH = '`selector` does not match template `labels`';

test.each<[string, KubeObject, string]>([
  ['a StatefulSet selecting other pods', workload('StatefulSet', (s) => (s.template.metadata.labels = { app: 'b' })), `The StatefulSet "w" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: ${MISMATCH}`],
  ['a StatefulSet without a selector', workload('StatefulSet', (s) => delete s.selector), 'The StatefulSet "w" is invalid: spec.selector: Required value'],
  ['a StatefulSet with an empty selector', workload('StatefulSet', (s) => (s.selector = {})), 'The StatefulSet "w" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset'],
  ['a StatefulSet of pods that never restart', workload('StatefulSet', (s) => (s.template.spec.restartPolicy = 'Never')), 'The StatefulSet "w" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
  ['an unknown podManagementPolicy', workload('StatefulSet', (s) => (s.podManagementPolicy = 'Fast')), 'The StatefulSet "w" is invalid: spec.podManagementPolicy: Unsupported value: "Fast": supported values: "OrderedReady", "Parallel"'],
  ['a negative partition', workload('StatefulSet', (s) => (s.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: -1 } })), 'The StatefulSet "w" is invalid: spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0'],
  ['a DaemonSet selecting other pods', workload('DaemonSet', (s) => (s.template.metadata.labels = { app: 'b' })), `The DaemonSet "w" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: ${MISMATCH}`],
  ['a DaemonSet with an empty selector', workload('DaemonSet', (s) => (s.selector = {})), 'The DaemonSet "w" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset'],
  ['a DaemonSet rolling nothing', workload('DaemonSet', (s) => (s.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } })), 'The DaemonSet "w" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0'],
  ['a Job without a restartPolicy (defaulted to Always)', job((s) => delete s.template.spec.restartPolicy), 'The Job "j" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
  ['a Job with podFailurePolicy restarting on failure', job((s) => { s.template.spec.restartPolicy = 'OnFailure'; s.podFailurePolicy = { rules: [] }; }), 'The Job "j" is invalid: spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified'],
  // validatePodFailurePolicy (pkg/apis/batch/validation), its test table's messages.
  ['a failure rule with an unknown action', job((s) => { s.template.spec.restartPolicy = 'Never'; s.podFailurePolicy = { rules: [{ action: 'Fail', onExitCodes: { operator: 'In', values: [42] } }] }; }), 'The Job "j" is invalid: spec.podFailurePolicy.rules[0].action: Unsupported value: "Fail": supported values: "Count", "FailIndex", "FailJob", "Ignore"'],
  ['a failure rule matching nothing', job((s) => { s.template.spec.restartPolicy = 'Never'; s.podFailurePolicy = { rules: [{ action: 'FailJob' }] }; }), 'The Job "j" is invalid: spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required'],
  ['exit code 0 for In', job((s) => { s.template.spec.restartPolicy = 'Never'; s.podFailurePolicy = { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [0, 1] } }] }; }), 'The Job "j" is invalid: spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator'],
  ['exit codes out of order', job((s) => { s.template.spec.restartPolicy = 'Never'; s.podFailurePolicy = { rules: [{ action: 'Ignore', onExitCodes: { operator: 'NotIn', values: [3, 2] } }] }; }), 'The Job "j" is invalid: spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{3, 2}: must be ordered'],
  ['a container the template lacks', job((s) => { s.template.spec.restartPolicy = 'Never'; s.podFailurePolicy = { rules: [{ action: 'Ignore', onExitCodes: { containerName: 'xyz', operator: 'In', values: [1] } }] }; }), 'The Job "j" is invalid: spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "xyz": must be one of the container or initContainer names in the pod template'],
  ['an Indexed Job without completions', job((s) => { s.completionMode = 'Indexed'; s.parallelism = 2; }), 'The Job "j" is invalid: spec.completions: Required value: when completion mode is Indexed'],
  ['an Indexed Job of a million completions', job((s) => { s.completionMode = 'Indexed'; s.completions = 1_000_000; }), 'The Job "j" is invalid: spec.completions: Invalid value: 1000000: must be less than or equal to 100000 when completion mode is Indexed'],
  ['a Job a million wide', job((s) => (s.parallelism = 1_000_000)), `The Job "j" is invalid: spec.parallelism: Invalid value: 1000000: must be less than or equal to 100000 (Kubeplay's simulation limit)`],
  ['a negative backoffLimit', job((s) => (s.backoffLimit = -1)), 'The Job "j" is invalid: spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0'],
  ['a manual selector missing the pods', job((s) => { s.manualSelector = true; s.selector = { matchLabels: { a: 'b' } }; }), `The Job "j" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{}: ${MISMATCH}`],
  ['a minute past 59', cronJob('61 * * * *'), 'The CronJob "cj" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'],
  ['four fields', cronJob('* * * *'), 'The CronJob "cj" is invalid: spec.schedule: Invalid value: "* * * *": expected exactly 5 fields, found 4: * * * *'],
  ['a CronJob name over 52 characters', cronJob('@hourly', 'c'.repeat(53)), `The CronJob "${'c'.repeat(53)}" is invalid: metadata.name: Invalid value: "${'c'.repeat(53)}": must be no more than 52 characters`],
  ['a claim without a size', pvc((s) => delete s.resources), 'The PersistentVolumeClaim "c" is invalid: spec.resources[storage]: Required value'],
  ['a claim of 0 bytes', pvc((s) => (s.resources.requests.storage = '0')), 'The PersistentVolumeClaim "c" is invalid: spec.resources[storage]: Invalid value: "0": must be greater than zero'],
  ['a claim without access modes', pvc((s) => delete s.accessModes), 'The PersistentVolumeClaim "c" is invalid: spec.accessModes: Required value: at least 1 access mode is required'],
  ['an unknown access mode', pvc((s) => (s.accessModes = ['ReadWriteSome'])), 'The PersistentVolumeClaim "c" is invalid: spec.accessModes: Unsupported value: "ReadWriteSome": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"'],
  ['a volume without capacity', pv((s) => delete s.capacity), 'The PersistentVolume "v" is invalid: spec.capacity: Required value'],
  ['a volume of no type', pv((s) => delete s.hostPath), 'The PersistentVolume "v" is invalid: spec: Required value: must specify a volume type'],
  ['a volume of two types', pv((s) => (s.nfs = { server: 'n', path: '/' })), 'The PersistentVolume "v" is invalid: spec.nfs: Forbidden: may not specify more than 1 volume type'],
])('%s is refused', (_name, obj, want) => {
  expect(createError(obj)).toBe(want);
});

test.each<[string, KubeObject]>([
  ['a StatefulSet', workload('StatefulSet')],
  ['a DaemonSet', workload('DaemonSet')],
  ['a Job', job()],
  ['an Indexed Job', job((s) => { s.completionMode = 'Indexed'; s.completions = 3; })],
  ['a CronJob', cronJob('*/5 * * * *')],
  ['a claim', pvc()],
  ['a volume', pv()],
])('%s that is valid is created', (_name, obj) => {
  expect(createError(obj)).toBe('no error');
});

function updateError(obj: KubeObject, change: (o: any) => void, settle?: (sim: ReturnType<typeof createCluster>) => void): string {
  const sim = createCluster({ seed: 1, nodes: [{ name: 'node-1' }] } as never);
  const api = sim.service<ApiServer>('api');
  api.create(obj);
  settle?.(sim);
  const live = structuredClone(api.get(obj.kind, 'default', obj.metadata.name)) as any;
  change(live);
  try {
    api.update(live);
  } catch (e) {
    if (e instanceof ApiError) return e.reason === 'Invalid' ? e.message : e.kubectlMessage();
    throw e;
  }
  return 'no error';
}

const STS_FORBIDDEN = "The StatefulSet \"w\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";
const JOB_TEMPLATE_IMMUTABLE = 'The Job "j" is invalid: spec.template: Invalid value: core.PodTemplateSpec{…}: field is immutable';
const boundClaim = (sim: ReturnType<typeof createCluster>) => {
  sim.service<ApiServer>('api').create({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/d' }, storageClassName: '' } });
  sim.settle();
};
const manualClaim = () => pvc((s) => (s.storageClassName = ''));

test.each<[string, KubeObject, (o: any) => void, string, ((sim: ReturnType<typeof createCluster>) => void)?]>([
  // Each row: what changes, the object, the change, what the API server answers, what runs before (a volume to bind to).
  ['a StatefulSet scaled', workload('StatefulSet'), (o) => (o.spec.replicas = 3), 'no error'],
  ['a StatefulSet given a new image', workload('StatefulSet'), (o) => (o.spec.template.spec.containers[0].image = 'nginx:2'), 'no error'],
  ['a StatefulSet given new claim templates', workload('StatefulSet'), (o) => (o.spec.volumeClaimTemplates = [{ metadata: { name: 'd' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }]), STS_FORBIDDEN],
  ['a StatefulSet given another service', workload('StatefulSet'), (o) => (o.spec.serviceName = 'other'), STS_FORBIDDEN],
  ['a Job given more completions', job(), (o) => (o.spec.completions = 9), 'The Job "j" is invalid: spec.completions: Invalid value: 9: field is immutable'],
  ['a Job given more parallelism', job(), (o) => (o.spec.parallelism = 3), 'no error'],
  ['a Job given a new image', job(), (o) => (o.spec.template.spec.containers[0].image = 'nginx:2'), JOB_TEMPLATE_IMMUTABLE],
  ['a running Job given a node selector', job(), (o) => (o.spec.template.spec.nodeSelector = { disk: 'ssd' }), JOB_TEMPLATE_IMMUTABLE],
  ['a suspended, never started Job given a node selector, tolerations and a label', job((s) => (s.suspend = true)), (o) => {
    o.spec.template.spec.nodeSelector = { disk: 'ssd' };
    o.spec.template.spec.tolerations = [{ key: 'gpu', operator: 'Exists' }];
    o.spec.template.metadata.labels.tier = 'batch';
  }, 'no error'],
  ['a suspended Job given a new image', job((s) => (s.suspend = true)), (o) => (o.spec.template.spec.containers[0].image = 'nginx:2'), JOB_TEMPLATE_IMMUTABLE],
  ['a bound claim grown in a class without expansion', manualClaim(), (o) => (o.spec.resources.requests.storage = '2Gi'), 'Error from server (Forbidden): persistentvolumeclaims "c" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize', boundClaim],
  ['an unbound claim grown', pvc((s) => (s.storageClassName = 'none')), (o) => (o.spec.resources.requests.storage = '2Gi'), 'The PersistentVolumeClaim "c" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'],
  ['a bound claim shrunk', manualClaim(), (o) => (o.spec.resources.requests.storage = '500Mi'), 'The PersistentVolumeClaim "c" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than status.capacity', boundClaim],
  ['a bound claim given another access mode', manualClaim(), (o) => (o.spec.accessModes = ['ReadWriteMany']), 'The PersistentVolumeClaim "c" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims', boundClaim],
  ['a bound claim labelled', manualClaim(), (o) => (o.metadata.labels = { a: 'b' }), 'no error', boundClaim],
])('%s', (_name, obj, change, want, settle) => {
  expect(updateError(obj, change, settle)).toBe(want);
});
