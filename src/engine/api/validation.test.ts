import { describe, expect, test } from 'vitest';
import { Sim } from '../sim.ts';
import { installApiServer } from './server.ts';
import type { KubeObject } from './types.ts';
import { createError as apiCreateError } from './testutil.ts';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

function deployment(name = 'web', mut: (spec: any) => void = () => {}): KubeObject {
  const spec: any = {
    selector: { matchLabels: { app: 'x' } },
    template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
  };
  mut(spec);
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec };
}

function replicaSet(mut: (spec: any) => void = () => {}): KubeObject {
  const d = deployment('rs', mut);
  return { ...d, kind: 'ReplicaSet' };
}

function pod(mut: (spec: any) => void = () => {}, name = 'p'): KubeObject {
  const spec: any = { containers: [{ name: 'app', image: 'nginx:1.27' }] };
  mut(spec);
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec };
}

function service(mut: (spec: any) => void = () => {}, name = 'web'): KubeObject {
  const spec: any = { selector: { app: 'x' }, ports: [{ port: 80 }] };
  mut(spec);
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec };
}

function createError(obj: KubeObject): string {
  return apiCreateError(installApiServer(new Sim({ seed: 1 })), obj);
}

const cases: { name: string; obj: KubeObject; want: string }[] = [
  // ---- ownerReferences (apimachinery ValidateOwnerReferences) ----
  {
    name: 'an owner reference without a uid',
    obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'b' }] } } as KubeObject,
    want: 'The ConfigMap "c" is invalid: metadata.ownerReferences.uid: Invalid value: "": must not be empty',
  },
  {
    name: 'two controller references',
    obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'a', uid: 'u1', controller: true }, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'b', uid: 'u2', controller: true }] } } as KubeObject,
    want: 'The ConfigMap "c" is invalid: metadata.ownerReferences: Invalid value: [{"apiVersion":"v1","kind":"ConfigMap","name":"a","uid":"u1","controller":true},{"apiVersion":"apps/v1","kind":"Deployment","name":"b","uid":"u2","controller":true}]: Only one reference can have Controller set to true. Found "true" in references for ConfigMap/a and Deployment/b',
  },
  {
    name: 'an Event as an owner',
    obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' }] } } as KubeObject,
    want: 'The ConfigMap "c" is invalid: metadata.ownerReferences: Invalid value: {"apiVersion":"v1","kind":"Event","name":"e","uid":"u"}: /v1, Kind=Event is disallowed from being an owner',
  },
  // ---- env, envFrom and topology spread constraints (core validation) ----
  {
    name: 'env valueFrom beside a value',
    obj: pod((s) => (s.containers[0].env = [{ name: 'Y', value: 'z', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }])),
    want: 'The Pod "p" is invalid: spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
  },
  {
    name: 'env valueFrom with two sources',
    obj: pod((s) => (s.containers[0].env = [{ name: 'Y', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' }, secretKeyRef: { name: 's', key: 'k' } } }])),
    want: 'The Pod "p" is invalid: spec.containers[0].env[0].valueFrom: Invalid value: "": may not have more than one field specified at a time',
  },
  {
    name: 'envFrom with a ConfigMap name that is not a DNS subdomain',
    obj: pod((s) => (s.containers[0].envFrom = [{ configMapRef: { name: 'BAD NAME' } }])),
    want: `The Pod "p" is invalid: spec.containers[0].envFrom[0].configMapRef.name: Invalid value: "BAD NAME": ${SUBDOMAIN_MSG}`,
  },
  {
    name: 'topology spread constraint fields',
    obj: pod((s) => (s.topologySpreadConstraints = [{ maxSkew: 0, topologyKey: '', whenUnsatisfiable: 'Maybe', labelSelector: { matchLabels: { a: 'b' } } }])),
    want: 'The Pod "p" is invalid: [spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero, spec.topologySpreadConstraints[0].topologyKey: Required value: can not be empty, spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "Maybe": supported values: "DoNotSchedule", "ScheduleAnyway"]',
  },
  {
    name: 'topology spread constraints repeating a key and action; minDomains with ScheduleAnyway',
    obj: pod((s) => (s.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', minDomains: 2 }, { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }])),
    want: 'The Pod "p" is invalid: [spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: "{zone, ScheduleAnyway}", spec.topologySpreadConstraints[0].minDomains: Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway]',
  },
  // ---- names ----
  { name: 'uppercase deployment name', obj: deployment('Web'), want: `The Deployment "Web" is invalid: metadata.name: Invalid value: "Web": ${SUBDOMAIN_MSG}` },
  {
    name: 'name longer than 253',
    obj: deployment('a'.repeat(254)),
    want: `The Deployment "${'a'.repeat(254)}" is invalid: metadata.name: Invalid value: "${'a'.repeat(254)}": must be no more than 253 characters`,
  },
  { name: 'service name is a DNS-1035 label', obj: service(() => {}, '1web'), want: `The Service "1web" is invalid: metadata.name: Invalid value: "1web": ${DNS1035_MSG}` },
  { name: 'missing name', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} as any }, want: 'The ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required' },
  {
    name: 'label value',
    obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { app: 'a b' } } },
    want: `The ConfigMap "c" is invalid: metadata.labels: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
  },
  {
    name: 'label key',
    obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { '-app': 'a' } } },
    want: `The ConfigMap "c" is invalid: metadata.labels: Invalid value: "-app": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
  },
  // ---- pods ----
  { name: 'no containers', obj: pod((s) => (s.containers = [])), want: 'The Pod "p" is invalid: spec.containers: Required value' },
  { name: 'container name', obj: pod((s) => (s.containers[0].name = 'App')), want: `The Pod "p" is invalid: spec.containers[0].name: Invalid value: "App": ${DNS1123_LABEL_MSG}` },
  {
    name: 'duplicate container names',
    obj: pod((s) => s.containers.push({ name: 'app', image: 'busybox' })),
    want: 'The Pod "p" is invalid: spec.containers[1].name: Duplicate value: "app"',
  },
  { name: 'image required', obj: pod((s) => delete s.containers[0].image), want: 'The Pod "p" is invalid: spec.containers[0].image: Required value' },
  // ValidateVolumeMounts / validateVolumes: a mount names one of the pod's volumes (a typo is a classic).
  {
    name: 'a mount of a volume the pod does not have',
    obj: pod((s) => {
      s.volumes = [{ name: 'config', configMap: { name: 'app' } }];
      s.containers[0].volumeMounts = [{ name: 'confg', mountPath: '/etc/app' }];
    }),
    want: 'The Pod "p" is invalid: spec.containers[0].volumeMounts[0].name: Not found: "confg"',
  },
  {
    name: 'a mount without a path, and a path twice',
    obj: pod((s) => {
      s.volumes = [{ name: 'a', emptyDir: {} }, { name: 'b', emptyDir: {} }];
      s.containers[0].volumeMounts = [{ name: 'a', mountPath: '/data' }, { name: 'b', mountPath: '/data' }, { name: 'a' }];
    }),
    want: 'The Pod "p" is invalid: [spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique, spec.containers[0].volumeMounts[2].mountPath: Required value]',
  },
  {
    name: 'volumes named twice, or with no source',
    obj: pod((s) => (s.volumes = [{ name: 'a', emptyDir: {} }, { name: 'a', emptyDir: {} }, { name: 'b' }])),
    want: 'The Pod "p" is invalid: [spec.volumes[1].name: Duplicate value: "a", spec.volumes[2]: Required value: must specify a volume type]',
  },
  {
    name: 'container port range',
    obj: pod((s) => (s.containers[0].ports = [{ containerPort: 70000 }])),
    want: 'The Pod "p" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
  },
  {
    name: 'request above limit',
    obj: pod((s) => (s.containers[0].resources = { requests: { cpu: '600m' }, limits: { cpu: '500m' } })),
    want: 'The Pod "p" is invalid: spec.containers[0].resources.requests: Invalid value: "600m": must be less than or equal to cpu limit of 500m',
  },
  {
    name: 'malformed quantity',
    obj: pod((s) => (s.containers[0].resources = { limits: { memory: 'lots' } })),
    want: `The Pod "p" is invalid: spec.containers[0].resources.limits[memory]: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
  },
  {
    name: 'a resource name that is neither standard nor qualified (validateContainerResourceName)',
    obj: pod((s) => (s.containers[0].resources = { requests: { gpu: '1', 'nvidia.com/gpu': '1', 'hugepages-2Mi': '2Mi' } })),
    want: 'The Pod "p" is invalid: spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
  },
  {
    name: 'restartPolicy values',
    obj: pod((s) => (s.restartPolicy = 'Sometimes')),
    want: 'The Pod "p" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
  },
  {
    name: 'too many containers',
    obj: pod((s) => (s.containers = Array.from({ length: 51 }, (_, i) => ({ name: `c${i}`, image: 'x' })))),
    want: "The Pod \"p\" is invalid: spec.containers: Too many: 51: must have at most 50 items (Kubeplay's simulation limit)",
  },
  {
    name: 'probe without a handler',
    obj: pod((s) => (s.containers[0].readinessProbe = { periodSeconds: 5 })),
    want: 'The Pod "p" is invalid: spec.containers[0].readinessProbe: Required value: must specify a handler type',
  },
  {
    name: 'liveness successThreshold must be 1',
    obj: pod((s) => (s.containers[0].livenessProbe = { tcpSocket: { port: 80 }, successThreshold: 2 })),
    want: 'The Pod "p" is invalid: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
  },
  {
    name: 'negative probe period',
    obj: pod((s) => (s.containers[0].readinessProbe = { exec: { command: ['true'] }, periodSeconds: -1 })),
    want: 'The Pod "p" is invalid: spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0',
  },
  {
    name: 'container port protocol',
    obj: pod((s) => (s.containers[0].ports = [{ containerPort: 80, protocol: 'HTTP' }])),
    want: 'The Pod "p" is invalid: spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
  },
  {
    name: 'imagePullPolicy values',
    obj: pod((s) => (s.containers[0].imagePullPolicy = 'Sometimes')),
    want: 'The Pod "p" is invalid: spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
  },
  {
    name: 'toleration effect',
    obj: pod((s) => (s.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoRun' }])),
    want: 'The Pod "p" is invalid: spec.tolerations[0].effect: Unsupported value: "NoRun": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"',
  },
  // validateAffinity (pkg/apis/core/validation): operators, terms, weights and topology keys.
  {
    name: 'node affinity operator is case-sensitive',
    obj: pod((s) => (s.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'in', values: ['a'] }] }] } } })),
    want: 'The Pod "p" is invalid: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: Invalid value: "in": not a valid selector operator',
  },
  {
    name: 'node affinity needs a term',
    obj: pod((s) => (s.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } })),
    want: 'The Pod "p" is invalid: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term',
  },
  {
    name: 'Gt takes one value',
    obj: pod((s) => (s.affinity = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['2', '4'] }] } }] } })),
    want: "The Pod \"p\" is invalid: spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
  },
  {
    name: 'matchFields select metadata.name only',
    obj: pod((s) => (s.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.labels', operator: 'In', values: ['a'] }] }] } } })),
    want: 'The Pod "p" is invalid: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key: Invalid value: "metadata.labels": not a valid field selector key',
  },
  {
    name: 'pod anti-affinity weight and topology key',
    obj: pod((s) => (s.affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 101, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' } }] } })),
    want: 'The Pod "p" is invalid: spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 101: must be in the range 1-100',
  },
  {
    name: 'a weighted pod affinity term without its term is the zero term',
    obj: pod((s) => (s.affinity = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10 }] } })),
    want: `The Pod "p" is invalid: [spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey: Required value: can not be empty, spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey: Invalid value: "": name part must be non-empty, spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')]`,
  },
  {
    name: 'pod affinity label selector operator',
    obj: pod((s) => (s.affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['x'] }] }, topologyKey: 'zone' }] } })),
    want: 'The Pod "p" is invalid: spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator',
  },
  // validatePodSpecSecurityContext, validatePodDNSConfig.
  {
    name: 'a user id out of range',
    obj: pod((s) => (s.securityContext = { runAsUser: -1 })),
    want: 'The Pod "p" is invalid: spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive',
  },
  {
    name: 'a Localhost seccomp profile without its file',
    obj: pod((s) => (s.containers[0].securityContext = { seccompProfile: { type: 'Localhost' } })),
    want: 'The Pod "p" is invalid: spec.containers[0].securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost',
  },
  {
    name: 'dnsPolicy None without dnsConfig',
    obj: pod((s) => (s.dnsPolicy = 'None')),
    want: 'The Pod "p" is invalid: spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
  },
  {
    name: 'four nameservers',
    obj: pod((s) => (s.dnsConfig = { nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9', '2001:db8::1'] })),
    want: 'The Pod "p" is invalid: spec.dnsConfig.nameservers: Invalid value: []string{"1.1.1.1", "8.8.8.8", "9.9.9.9", "2001:db8::1"}: must not have more than 3 nameservers',
  },
  {
    name: 'negative request',
    obj: pod((s) => (s.containers[0].resources = { requests: { cpu: '-1' } })),
    want: 'The Pod "p" is invalid: spec.containers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0',
  },
  {
    name: 'canonical quantities in the request/limit message',
    obj: pod((s) => (s.containers[0].resources = { requests: { cpu: '0.6' }, limits: { cpu: 0.5 } })),
    want: 'The Pod "p" is invalid: spec.containers[0].resources.requests: Invalid value: "600m": must be less than or equal to cpu limit of 500m',
  },
  // ---- services: the IP allocator's initIPFamilyFields on a single-stack IPv4 cluster ----
  {
    name: 'an IPv6 service',
    obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { ipFamilies: ['IPv6'], ports: [{ port: 80 }] } } as KubeObject,
    want: 'The Service "s" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster',
  },
  {
    name: 'a service that requires dual-stack',
    obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { ipFamilyPolicy: 'RequireDualStack', ports: [{ port: 80 }] } } as KubeObject,
    want: 'The Service "s" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
  },
  {
    name: 'two families under the default single-stack policy',
    obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { ipFamilies: ['IPv4', 'IPv6'], ports: [{ port: 80 }] } } as KubeObject,
    want: 'The Service "s" is invalid: spec.ipFamilyPolicy: Invalid value: "SingleStack": must be \'RequireDualStack\' or \'PreferDualStack\' when multiple IP families are specified',
  },
  {
    name: 'an IPv6 cluster IP',
    obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { clusterIP: 'fd00::10', ports: [{ port: 80 }] } } as KubeObject,
    want: 'The Service "s" is invalid: spec.clusterIPs[0]: Invalid value: []string{"fd00::10"}: IPv6 is not configured on this cluster',
  },
  {
    name: 'an unknown IP family',
    obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { ipFamilies: ['IPv5'], ports: [{ port: 80 }] } } as KubeObject,
    want: 'The Service "s" is invalid: spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"',
  },
  // ---- deployments ----
  { name: 'negative replicas', obj: deployment('web', (s) => (s.replicas = -1)), want: 'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0' },
  {
    name: 'replicas above the simulation limit',
    obj: deployment('web', (s) => (s.replicas = 1_000_000_000)),
    want: "The Deployment \"web\" is invalid: spec.replicas: Invalid value: 1000000000: must be less than or equal to 100000 (Kubeplay's simulation limit)",
  },
  { name: 'selector required', obj: deployment('web', (s) => delete s.selector), want: 'The Deployment "web" is invalid: spec.selector: Required value' },
  {
    name: 'selector does not match template',
    obj: deployment('web', (s) => (s.template.metadata.labels = { app: 'y' })),
    want: 'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"y"}: `selector` does not match template `labels`',
  },
  {
    name: 'maxSurge and maxUnavailable both 0',
    obj: deployment('web', (s) => (s.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } })),
    want: 'The Deployment "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0',
  },
  {
    name: 'maxUnavailable over 100%',
    obj: deployment('web', (s) => (s.strategy = { rollingUpdate: { maxUnavailable: '120%' } })),
    want: 'The Deployment "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%',
  },
  {
    name: 'maxSurge not a percent',
    obj: deployment('web', (s) => (s.strategy = { rollingUpdate: { maxSurge: 'lots' } })),
    want: `The Deployment "web" is invalid: spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"lots"}: must be an integer or percentage (e.g '5%')`,
  },
  {
    name: 'Recreate with rollingUpdate',
    obj: deployment('web', (s) => (s.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } })),
    want: "The Deployment \"web\" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
  },
  {
    name: 'unknown strategy type',
    obj: deployment('web', (s) => (s.strategy = { type: 'BlueGreen' })),
    want: 'The Deployment "web" is invalid: spec.strategy.type: Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"',
  },
  {
    name: 'negative revisionHistoryLimit',
    obj: deployment('web', (s) => (s.revisionHistoryLimit = -1)),
    want: 'The Deployment "web" is invalid: spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0',
  },
  {
    name: 'negative minReadySeconds',
    obj: deployment('web', (s) => (s.minReadySeconds = -5)),
    want: 'The Deployment "web" is invalid: spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0',
  },
  {
    name: 'progressDeadlineSeconds zero',
    obj: deployment('web', (s) => (s.progressDeadlineSeconds = 0)),
    want: 'The Deployment "web" is invalid: [spec.progressDeadlineSeconds: Invalid value: 0: must be greater than zero, spec.progressDeadlineSeconds: Invalid value: 0: must be greater than minReadySeconds]',
  },
  {
    name: 'progressDeadlineSeconds not above minReadySeconds',
    obj: deployment('web', (s) => Object.assign(s, { minReadySeconds: 30, progressDeadlineSeconds: 30 })),
    want: 'The Deployment "web" is invalid: spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds',
  },
  {
    name: 'template restartPolicy must be Always',
    obj: deployment('web', (s) => (s.template.spec.restartPolicy = 'OnFailure')),
    want: 'The Deployment "web" is invalid: spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
  },
  {
    name: 'template image required',
    obj: deployment('web', (s) => (s.template.spec.containers[0].image = '')),
    want: 'The Deployment "web" is invalid: spec.template.spec.containers[0].image: Required value',
  },
  {
    name: 'several errors are bracketed',
    obj: deployment('web', (s) => Object.assign(s, { replicas: -1, revisionHistoryLimit: -1 })),
    want: 'The Deployment "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0]',
  },
  {
    name: 'selector expression operator',
    obj: deployment('web', (s) => (s.selector = { matchExpressions: [{ key: 'app', operator: 'Like', values: ['x'] }] })),
    want: 'The Deployment "web" is invalid: spec.selector.matchExpressions[0].operator: Invalid value: "Like": not a valid selector operator',
  },
  {
    name: 'In needs values',
    obj: deployment('web', (s) => (s.selector = { matchExpressions: [{ key: 'app', operator: 'In' }] })),
    want: "The Deployment \"web\" is invalid: spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
  },
  {
    name: 'empty selector',
    obj: deployment('web', (s) => (s.selector = {})),
    want: 'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
  },
  // ---- replicasets ----
  { name: 'replicaset negative replicas', obj: replicaSet((s) => (s.replicas = -2)), want: 'The ReplicaSet "rs" is invalid: spec.replicas: Invalid value: -2: must be greater than or equal to 0' },
  {
    name: 'replicaset selector mismatch',
    obj: replicaSet((s) => (s.template.metadata.labels = { app: 'z', tier: 'web' })),
    want: 'The ReplicaSet "rs" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"z", "tier":"web"}: `selector` does not match template `labels`',
  },
  // ---- services ----
  { name: 'ports required', obj: service((s) => (s.ports = [])), want: 'The Service "web" is invalid: spec.ports: Required value' },
  { name: 'port range', obj: service((s) => (s.ports = [{ port: 0 }])), // targetPort defaults to port (0 here), so upstream reports both.
    want: 'The Service "web" is invalid: [spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive]' },
  {
    name: 'duplicate port names',
    obj: service((s) => (s.ports = [{ name: 'http', port: 80 }, { name: 'http', port: 81 }])),
    want: 'The Service "web" is invalid: spec.ports[1].name: Duplicate value: "http"',
  },
  { name: 'port name required with several ports', obj: service((s) => (s.ports = [{ name: 'a', port: 80 }, { port: 81 }])), want: 'The Service "web" is invalid: spec.ports[1].name: Required value' },
  {
    name: 'service type',
    obj: service((s) => (s.type = 'Magic')),
    want: 'The Service "web" is invalid: spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
  },
  {
    name: 'nodePort out of range',
    obj: service((s) => Object.assign(s, { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] })),
    want: 'The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
  },
  {
    name: 'nodePort on ClusterIP',
    obj: service((s) => (s.ports = [{ port: 80, nodePort: 30080 }])),
    want: "The Service \"web\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
  },
  {
    name: 'one nodePort for two ports',
    obj: service((s) => Object.assign(s, { type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 31001 }, { name: 'b', port: 81, nodePort: 31001 }] })),
    want: 'The Service "web" is invalid: spec.ports[1].nodePort: Duplicate value: 31001',
  },
  {
    name: 'a headless NodePort',
    obj: service((s) => Object.assign(s, { type: 'NodePort', clusterIP: 'None' })),
    want: `The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services`,
  },
  {
    name: 'a ClientIP affinity of no time',
    obj: service((s) => Object.assign(s, { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } })),
    want: 'The Service "web" is invalid: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400',
  },
  {
    name: 'an affinity config without ClientIP affinity',
    obj: service((s) => Object.assign(s, { sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } })),
    want: 'The Service "web" is invalid: spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None',
  },
  {
    name: 'clusterIP format',
    obj: service((s) => (s.clusterIP = '10.96.0.300')),
    want: 'The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
  },
  {
    name: 'clusterIP outside the range',
    obj: service((s) => (s.clusterIP = '10.0.0.5')),
    want: 'The Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
  },
  {
    name: 'clusterIP of the kubernetes service',
    obj: service((s) => (s.clusterIP = '10.96.0.1')),
    want: 'The Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: provided IP is already allocated',
  },
  { name: 'externalName required', obj: service((s) => Object.assign(s, { type: 'ExternalName', ports: [] })), want: 'The Service "web" is invalid: spec.externalName: Required value' },
  // ---- namespaces, configmaps, secrets ----
  { name: 'namespace name is a DNS-1123 label', obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } }, want: `The Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": ${DNS1123_LABEL_MSG}` },
  {
    name: 'configmap key',
    obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'a b': 'x' } },
    want: `The ConfigMap "c" is invalid: data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
  },
  {
    name: 'secret key',
    obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { '../x': 'y' } },
    want: `The Secret "s" is invalid: [data[../x]: Invalid value: "../x": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+'), data[../x]: Invalid value: "../x": must not start with '..']`,
  },
];

describe('validation messages (create)', () => {
  test.each(cases)('$name', ({ obj, want }) => {
    expect(createError(obj)).toBe(want);
  });

  test('valid objects pass', () => {
    for (const o of [deployment(), replicaSet(), pod(), service()]) expect(createError(o)).toBe('no error');
  });
});

describe('envelope errors', () => {
  test('unknown kind uses the mapping error', () => {
    expect(createError({ apiVersion: 'apps/v1', kind: 'Deploymnt', metadata: { name: 'x' } })).toBe(
      'resource mapping not found for kind "Deploymnt" in version "apps/v1": no matches for kind "Deploymnt" in version "apps/v1"\nensure CRDs are installed first',
    );
  });
  test('wrong version', () => {
    expect(createError({ ...deployment(), apiVersion: 'apps/v1beta1' })).toContain('no matches for kind "Deployment" in version "apps/v1beta1"');
  });
  test('strings where numbers belong are Invalid, not a crash', () => {
    expect(createError(deployment('web', (s) => (s.replicas = '3')))).toBe('The Deployment "web" is invalid: spec.replicas: Invalid value: "3": must be an integer');
    expect(createError(pod((s) => (s.containers = 'nginx')))).toBe('The Pod "p" is invalid: spec.containers: Invalid value: "nginx": must be a list');
  });
});
