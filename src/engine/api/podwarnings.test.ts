/**
 * The API server's warnings for pods and pod templates (podwarnings.ts): each rule of a 1.32
 * kube-apiserver's pkg/api/pod/warnings.go with its exact text and path, for a Pod, a Deployment's
 * template and a CronJob's, through the API server as kubectl's requests reach it; then when they are
 * asked for (create, update, apply) and printed (kubectl).
 */
import { describe, expect, test, vi } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';
import type { ApiServer } from './server.ts';
import type { KubeObject } from './types.ts';
import { appArmorSkewWarnings, fractionalBytes, warningsOnCreate, warningsOnUpdate } from './podwarnings.ts';

// The rules as they are, counted: a write without warn must not call them.
vi.mock('./podwarnings.ts', async (importOriginal) => {
  const mod = await importOriginal<typeof import('./podwarnings.ts')>();
  return { ...mod, warningsOnCreate: vi.fn(mod.warningsOnCreate), warningsOnUpdate: vi.fn(mod.warningsOnUpdate), appArmorSkewWarnings: vi.fn(mod.appArmorSkewWarnings) };
});

const cluster = () => createCluster({ seed: 1, nodes: [{ name: 'worker-1', capacity: { cpu: '8', memory: '16Gi', pods: '110' } }] });
const apiOf = (sim: ReturnType<typeof cluster>) => sim.service<ApiServer>('api');

type Spec = Record<string, unknown>;
interface Case {
  name: string;
  /** the pod spec (merged over one container "app" running nginx) and the pod (template) annotations */
  spec?: Spec;
  app?: Spec;
  annotations?: Record<string, string>;
  /** the warnings, `P` standing for the template's path ("" for a Pod, "spec.template." …) */
  want: string[];
}

const containerOf = (app: Spec = {}) => ({ name: 'app', image: 'nginx:1.27', ...app });

/** The three places a pod spec is warned of: a Pod, a Deployment's template, a CronJob's job's template. */
const HOLDERS: { kind: string; prefix: string; make: (spec: Spec, annotations?: Record<string, string>) => KubeObject }[] = [
  {
    kind: 'Pod',
    prefix: '',
    make: (spec, annotations) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', ...(annotations ? { annotations } : {}) }, spec }),
  },
  {
    kind: 'Deployment',
    prefix: 'spec.template.',
    make: (spec, annotations) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' }, ...(annotations ? { annotations } : {}) }, spec } },
    }),
  },
  {
    kind: 'CronJob',
    prefix: 'spec.jobTemplate.spec.template.',
    make: (spec, annotations) => ({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'web' },
      spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { metadata: annotations ? { annotations } : {}, spec: { restartPolicy: 'OnFailure', ...spec } } } } },
    }),
  },
];

/** createWarnings creates obj as kubectl create sends it (strict field validation) and returns the server's warnings. */
function createWarnings(obj: KubeObject): string[] {
  const sim = cluster();
  const warnings: string[] = [];
  apiOf(sim).create(obj, { fieldValidation: 'Strict', warn: (w) => warnings.push(w) });
  return warnings;
}

const CASES: Case[] = [
  { name: 'nothing to warn of', want: [] },
  {
    name: 'deprecated node labels in nodeSelector',
    spec: { nodeSelector: { 'kubernetes.io/os': 'linux', 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64', 'failure-domain.beta.kubernetes.io/zone': 'a', 'node-role.kubernetes.io/master': '' } },
    want: [
      'Pspec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead',
      'Pspec.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; use "kubernetes.io/arch" instead',
      'Pspec.nodeSelector[failure-domain.beta.kubernetes.io/zone]: deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
      'Pspec.nodeSelector[node-role.kubernetes.io/master]: use "node-role.kubernetes.io/control-plane" instead',
    ],
  },
  {
    name: 'deprecated node labels in node affinity, required and preferred',
    spec: {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }, { matchExpressions: [{ key: 'zone', operator: 'Exists' }, { key: 'failure-domain.beta.kubernetes.io/region', operator: 'In', values: ['eu'] }] }],
          },
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'beta.kubernetes.io/instance-type', operator: 'In', values: ['m5.large'] }] } }],
        },
      },
    },
    want: [
      'Pspec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[1].matchExpressions[1].key: failure-domain.beta.kubernetes.io/region is deprecated since v1.17; use "topology.kubernetes.io/region" instead',
      'Pspec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].key: beta.kubernetes.io/instance-type is deprecated since v1.17; use "node.kubernetes.io/instance-type" instead',
    ],
  },
  {
    name: 'topology spread: a deprecated key, and no labelSelector',
    spec: {
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'failure-domain.beta.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } },
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
      ],
    },
    want: [
      'Pspec.topologySpreadConstraints[0].topologyKey: failure-domain.beta.kubernetes.io/zone is deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
      'Pspec.topologySpreadConstraints[1].labelSelector: a null labelSelector results in matching no pod',
    ],
  },
  {
    name: 'deprecated annotations',
    annotations: { 'scheduler.alpha.kubernetes.io/critical-pod': '', 'security.alpha.kubernetes.io/sysctls': 'kernel.shm_rmid_forced=1', 'security.alpha.kubernetes.io/unsafe-sysctls': 'net.core.somaxconn=1024' },
    want: [
      'Pmetadata.annotations[scheduler.alpha.kubernetes.io/critical-pod]: non-functional in v1.16+; use the "priorityClassName" field instead',
      'Pmetadata.annotations[security.alpha.kubernetes.io/sysctls]: non-functional in v1.11+; use the "sysctls" field instead',
      'Pmetadata.annotations[security.alpha.kubernetes.io/unsafe-sysctls]: non-functional in v1.11+; use the "sysctls" field instead',
    ],
  },
  {
    name: 'seccomp annotations without the field (pod and container); one with the field is quiet',
    annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default', 'container.seccomp.security.alpha.kubernetes.io/app': 'runtime/default', 'container.seccomp.security.alpha.kubernetes.io/init': 'runtime/default' },
    spec: { initContainers: [{ name: 'init', image: 'busybox:1.36', securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }] },
    want: [
      'Pmetadata.annotations[seccomp.security.alpha.kubernetes.io/pod]: non-functional in v1.27+; use the "seccompProfile" field instead',
      'Pmetadata.annotations[container.seccomp.security.alpha.kubernetes.io/app]: non-functional in v1.27+; use the "seccompProfile" field instead',
    ],
  },
  {
    name: 'deprecated and removed volume plugins',
    spec: {
      volumes: [
        { name: 'git', gitRepo: { repository: 'https://github.com/kubernetes/kubernetes.git' } },
        { name: 'gluster', glusterfs: { endpoints: 'glusterfs-cluster', path: 'kube_vol' } },
        { name: 'ceph', cephfs: { monitors: ['10.16.154.78:6789'] } },
        { name: 'rbd', rbd: { monitors: ['10.16.154.78:6789'], image: 'foo' } },
        { name: 'flocker', flocker: { datasetName: 'd' } },
        { name: 'quobyte', quobyte: { registry: 'r:7861', volume: 'v' } },
        { name: 'scaleio', scaleIO: { gateway: 'https://localhost:443/api', system: 's', secretRef: { name: 'x' } } },
        { name: 'storageos', storageos: { volumeName: 'v' } },
        { name: 'photon', photonPersistentDisk: { pdID: 'p' } },
        { name: 'scratch', emptyDir: {} },
      ],
    },
    want: [
      'Pspec.volumes[0].gitRepo: deprecated in v1.11',
      'Pspec.volumes[1].glusterfs: deprecated in v1.25, non-functional in v1.26+',
      'Pspec.volumes[2].cephfs: deprecated in v1.28, non-functional in v1.31+',
      'Pspec.volumes[3].rbd: deprecated in v1.28, non-functional in v1.31+',
      'Pspec.volumes[4].flocker: deprecated in v1.22, non-functional in v1.25+',
      'Pspec.volumes[5].quobyte: deprecated in v1.22, non-functional in v1.25+',
      'Pspec.volumes[6].scaleIO: deprecated in v1.16, non-functional in v1.22+',
      'Pspec.volumes[7].storageOS: deprecated in v1.22, non-functional in v1.25+',
      'Pspec.volumes[8].photonPersistentDisk: deprecated in v1.11, non-functional in v1.16+',
    ],
  },
  {
    name: 'a generic ephemeral volume asking for fractional bytes',
    spec: { volumes: [{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1.5' }, limits: { storage: '2' } } } } } }] },
    want: ['Pspec.volumes[0].ephemeral.volumeClaimTemplate.spec.resources.requests[storage]: fractional byte value "1500m" is invalid, must be an integer'],
  },
  {
    name: 'overlapping paths in ConfigMap, Secret and downward API volumes',
    spec: {
      volumes: [
        { name: 'cfg', configMap: { name: 'settings', items: [{ key: 'a', path: 'conf' }, { key: 'b', path: 'conf/app.ini' }, { key: 'c', path: 'other' }] } },
        { name: 'creds', secret: { secretName: 'db', items: [{ key: 'user', path: 'login/' }, { key: 'pass', path: 'login' }] } },
        { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'labels', fieldRef: { fieldPath: 'metadata.annotations' } }] } },
      ],
    },
    want: [
      'volume "cfg" (ConfigMap "settings"): overlapping paths: "conf/app.ini" with "conf"',
      'volume "creds" (Secret "db"): overlapping paths: "login" with "login"',
      'volume "info" (DownwardAPI): overlapping paths: "labels" with "labels"',
    ],
  },
  {
    name: 'overlapping paths across a projected volume’s sources',
    spec: {
      volumes: [
        {
          name: 'all',
          projected: {
            sources: [
              { serviceAccountToken: { path: 'token' } },
              { configMap: { name: 'ca', items: [{ key: 'ca.crt', path: 'token/ca.crt' }] } },
              { secret: { name: 'tls', items: [{ key: 'tls.crt', path: 'tls.crt' }] } },
              { downwardAPI: { items: [{ path: 'tls.crt', fieldRef: { fieldPath: 'metadata.name' } }] } },
            ],
          },
        },
      ],
    },
    want: ['volume "all" (Projected): overlapping paths: "token/ca.crt" (ConfigMap "ca") with "token" (ServiceAccountToken)', 'volume "all" (Projected): overlapping paths: "tls.crt" (DownwardAPI) with "tls.crt" (Secret "tls")'],
  },
  {
    name: 'a projected source without items reads the previous one’s again (upstream keeps sourcePaths across sources)',
    spec: { volumes: [{ name: 'p', projected: { sources: [{ secret: { name: 's', items: [{ key: 'k', path: 'k' }] } }, { configMap: { name: 'whole' } }] } }] },
    want: ['volume "p" (Projected): overlapping paths: "k" (Secret "s") with "k" (Secret "s")'],
  },
  {
    name: 'duplicate hostAliases IPs and imagePullSecrets, and a pull secret with no name',
    spec: {
      hostAliases: [{ ip: '10.1.2.3', hostnames: ['a'] }, { ip: '10.1.2.4', hostnames: ['b'] }, { ip: '10.1.2.3', hostnames: ['c'] }],
      imagePullSecrets: [{ name: 'regcred' }, { name: 'regcred' }, { name: '' }],
    },
    want: ['Pspec.hostAliases[2].ip: duplicate ip "10.1.2.3"', 'Pspec.imagePullSecrets[1].name: duplicate name "regcred"', 'Pspec.imagePullSecrets[2].name: invalid empty name ""'],
  },
  {
    name: 'fractional memory and ephemeral-storage (an init container’s too)',
    app: { resources: { requests: { memory: '128.5', cpu: '0.5', 'ephemeral-storage': '100m' }, limits: { memory: '1.5Gi', 'ephemeral-storage': '0.5Ki' } } },
    spec: { initContainers: [{ name: 'init', image: 'busybox:1.36', resources: { requests: { memory: '1e-1', 'ephemeral-storage': '1.0001k' }, limits: { memory: '1e-1', 'ephemeral-storage': '1.0001k' } } }] },
    want: [
      'Pspec.initContainers[0].resources.limits[memory]: fractional byte value "100e-3" is invalid, must be an integer',
      'Pspec.initContainers[0].resources.requests[memory]: fractional byte value "100e-3" is invalid, must be an integer',
      'Pspec.initContainers[0].resources.limits[ephemeral-storage]: fractional byte value "1000100m" is invalid, must be an integer',
      'Pspec.initContainers[0].resources.requests[ephemeral-storage]: fractional byte value "1000100m" is invalid, must be an integer',
      'Pspec.containers[0].resources.requests[memory]: fractional byte value "128500m" is invalid, must be an integer',
      'Pspec.containers[0].resources.requests[ephemeral-storage]: fractional byte value "100m" is invalid, must be an integer',
    ],
  },
  {
    name: 'an env var defined twice (one that builds on the earlier value is fine)',
    app: {
      env: [
        { name: 'MODE', value: 'a' },
        { name: 'PATH_EXTRA', value: '/bin' },
        { name: 'MODE', value: 'b' },
        { name: 'PATH_EXTRA', value: '$(PATH_EXTRA):/sbin' },
        { name: 'PATH_EXTRA', value: '$(PATH_EXTRA)' },
        { name: 'MODE', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ],
    },
    want: [
      'Pspec.containers[0].env[2]: hides previous definition of "MODE", which may be dropped when using apply',
      'Pspec.containers[0].env[4]: hides previous definition of "PATH_EXTRA", which may be dropped when using apply',
      'Pspec.containers[0].env[5]: hides previous definition of "MODE", which may be dropped when using apply',
    ],
  },
  {
    name: 'container ports: duplicate, overlapping, dangerously ambiguous, hostIP without hostPort',
    spec: {
      containers: [
        // (A CronJob's template gets no protocol default in Kubeplay yet, so these say TCP.)
        containerOf({ ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 80, protocol: 'TCP', name: 'http' }, { containerPort: 443, protocol: 'TCP', hostPort: 8443 }, { containerPort: 443, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP', hostPort: 53 }, { containerPort: 9090, protocol: 'TCP', hostIP: '10.0.0.1' }] }),
        { name: 'sidecar', image: 'busybox:1.36', ports: [{ containerPort: 53, protocol: 'UDP', hostPort: 53, hostIP: '127.0.0.1' }, { containerPort: 53, protocol: 'TCP' }] },
      ],
    },
    want: [
      'Pspec.containers[0].ports[1]: duplicate port definition with Pspec.containers[0].ports[0]',
      'Pspec.containers[0].ports[3]: overlapping port definition with Pspec.containers[0].ports[2]',
      'Pspec.containers[0].ports[5]: hostIP set without hostPort: {Name: HostPort:0 ContainerPort:9090 Protocol:TCP HostIP:10.0.0.1}',
      'Pspec.containers[1].ports[0]: dangerously ambiguous port definition with Pspec.containers[0].ports[4]',
    ],
  },
  {
    name: 'pod affinity and anti-affinity terms with no labelSelector',
    spec: {
      affinity: {
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname' }, { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }] },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname' } }] },
      },
    },
    want: [
      'Pspec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector: a null labelSelector results in matching no pod',
      'Pspec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector: a null labelSelector results in matching no pod',
    ],
  },
];

describe.each(HOLDERS)('warnings for a $kind', ({ prefix, make }) => {
  test.each(CASES)('$name', ({ spec, app, annotations, want }) => {
    const podSpec: Spec = { containers: [containerOf(app)], ...spec };
    // Paths start with the template's ("P", also where a message names a second path); the volume messages name none.
    const expected = want.map((w) => w.replaceAll('Pspec.', `${prefix}spec.`).replaceAll('Pmetadata.', `${prefix}metadata.`));
    expect(createWarnings(make(podSpec, annotations))).toEqual(expected);
  });
});

describe('where a Pod and a template differ', () => {
  test('a negative terminationGracePeriodSeconds: a template keeps it and warns; a Pod reads it as 1', () => {
    const spec = { containers: [containerOf()], terminationGracePeriodSeconds: -5 };
    expect(createWarnings(HOLDERS[1].make(spec))).toEqual(['spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1']);
    expect(createWarnings(HOLDERS[2].make(spec))).toEqual(['spec.jobTemplate.spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1']);
    const sim = cluster();
    const warnings: string[] = [];
    const pod = apiOf(sim).create(HOLDERS[0].make(spec), { warn: (w) => warnings.push(w) });
    expect([warnings, pod.spec.terminationGracePeriodSeconds]).toEqual([[], 1]);
    // The Deployment's pods are created with 1 as well.
    const d = apiOf(sim).create(HOLDERS[1].make(spec));
    sim.settle();
    const pods = apiOf(sim).list('Pod').filter((p) => p.metadata.name.startsWith(`${d.metadata.name}-`));
    expect(pods.map((p) => p.spec.terminationGracePeriodSeconds)).toEqual([1]);
  });

  test('a Pod’s memory limit is its request too (SetDefaults_Pod), so a fractional one is warned of twice; a template’s once', () => {
    const spec = { containers: [containerOf({ resources: { limits: { memory: '0.5' } } })] };
    expect(createWarnings(HOLDERS[0].make(spec))).toEqual([
      'spec.containers[0].resources.limits[memory]: fractional byte value "500m" is invalid, must be an integer',
      'spec.containers[0].resources.requests[memory]: fractional byte value "500m" is invalid, must be an integer',
    ]);
    expect(createWarnings(HOLDERS[1].make(spec))).toEqual(['spec.template.spec.containers[0].resources.limits[memory]: fractional byte value "500m" is invalid, must be an integer']);
  });

  test.each([
    ['no field', {}, {}, true, true],
    ['the container’s field', { securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } }, {}, false, false],
    ['the same profile at the pod level', {}, { securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } }, false, false],
    ['another profile at the pod level', {}, { securityContext: { appArmorProfile: { type: 'Unconfined' } } }, true, false],
  ])('an AppArmor annotation with %s: the Pod warns %s, the template %s', (_, app, spec, podWarns, templateWarns) => {
    const annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' };
    const podSpec = { containers: [containerOf(app)], ...spec };
    const text = 'metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]: deprecated since v1.30; use the "appArmorProfile" field instead';
    expect(createWarnings(HOLDERS[0].make(podSpec, annotations))).toEqual(podWarns ? [text] : []);
    expect(createWarnings(HOLDERS[1].make(podSpec, annotations))).toEqual(templateWarns ? [`spec.template.${text}`] : []);
  });

  test('a Pod’s AppArmor warning comes first (PrepareForCreate), even when validation then refuses the pod', () => {
    const sim = cluster();
    const warnings: string[] = [];
    const pod = HOLDERS[0].make({ containers: [containerOf()], nodeSelector: { 'beta.kubernetes.io/os': 'linux' }, restartPolicy: 'Sometimes' }, { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' });
    expect(() => apiOf(sim).create(pod, { warn: (w) => warnings.push(w) })).toThrow(/restartPolicy/);
    expect(warnings).toEqual(['metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]: deprecated since v1.30; use the "appArmorProfile" field instead']);
  });
});

describe('when the server warns', () => {
  const deprecated = (name = 'web') => {
    const d = HOLDERS[1].make({ containers: [containerOf()], nodeSelector: { 'beta.kubernetes.io/os': 'linux' } });
    d.metadata.name = name;
    return d;
  };
  const text = 'spec.template.spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead';

  test('only for a request that asks: controllers’ writes (no warn) compute nothing', () => {
    const sim = cluster();
    const calls = () => vi.mocked(warningsOnCreate).mock.calls.length + vi.mocked(warningsOnUpdate).mock.calls.length + vi.mocked(appArmorSkewWarnings).mock.calls.length;
    const before = calls();
    // A Deployment written without warn, then its controllers' ReplicaSet, pods and status updates.
    apiOf(sim).create(deprecated());
    sim.settle();
    sim.runUntil(30_000);
    expect(apiOf(sim).list('Pod')).toHaveLength(1);
    expect(calls()).toBe(before);
    const got: string[] = [];
    apiOf(sim).create(deprecated('asked'), { warn: (w) => got.push(w) });
    expect([calls() - before, got]).toEqual([1, [text]]);
  });

  test('an update warns of a template when it bumps the generation, not for a metadata change; a Pod’s update never', () => {
    const sim = cluster();
    const api = apiOf(sim);
    api.create(deprecated());
    const got: string[] = [];
    const warn = (w: string) => got.push(w);
    const labelled = api.get('Deployment', 'default', 'web');
    labelled.metadata.labels = { team: 'a' };
    api.update(labelled, { warn });
    expect(got).toEqual([]);
    const scaled = api.get('Deployment', 'default', 'web');
    scaled.spec.replicas = 3;
    api.update(scaled, { warn });
    expect(got).toEqual([text]);

    const pod = api.create(HOLDERS[0].make({ containers: [containerOf()], nodeSelector: { 'beta.kubernetes.io/os': 'linux' } }), { warn });
    expect(got).toHaveLength(2);
    const changed = api.get('Pod', 'default', pod.metadata.name);
    changed.spec.containers[0].image = 'nginx:1.28';
    api.update(changed, { warn });
    expect(got).toHaveLength(2);
  });

  test('a ReplicationController’s update warns of its old template, as upstream’s strategy passes it', () => {
    const sim = cluster();
    const api = apiOf(sim);
    const rc = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { replicas: 1, selector: { app: 'rc' }, template: { metadata: { labels: { app: 'rc' } }, spec: { containers: [containerOf()], nodeSelector: { 'beta.kubernetes.io/os': 'linux' } } } } } as KubeObject;
    const got: string[] = [];
    api.create(rc, { warn: (w) => got.push(w) });
    expect(got).toEqual(['spec.template.spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead']);
    const fixed = api.get('ReplicationController', 'default', 'rc');
    fixed.spec.template.spec.nodeSelector = { 'kubernetes.io/os': 'linux' };
    api.update(fixed, { warn: (w) => got.push(w) });
    expect(got).toEqual([got[0], got[0]]);
    const again = api.get('ReplicationController', 'default', 'rc');
    again.spec.replicas = 2;
    api.update(again, { warn: (w) => got.push(w) });
    expect(got).toHaveLength(2);
  });

  test('apply: created and configured objects warn; the missing last-applied note comes first, the unknown-field ones next', () => {
    const sim = cluster();
    const api = apiOf(sim);
    const got: string[] = [];
    const warn = (w: string) => got.push(w);
    expect(api.apply(deprecated(), { warn }).result).toBe('created');
    expect(got).toEqual([text]);
    got.length = 0;
    // Made with create (no last-applied annotation), then applied with a change and an unknown field.
    api.create(deprecated('made'));
    const manifest = deprecated('made');
    Object.assign(manifest.spec as Record<string, unknown>, { replicas: 2, replica: 3 });
    const r = api.apply(manifest, { fieldValidation: 'Warn', warn });
    expect([r.result, r.warning]).toEqual(['configured', undefined]);
    expect(got).toEqual([expect.stringMatching(/^resource deployments\/made is missing the kubectl.kubernetes.io\/last-applied-configuration annotation/), 'unknown field "spec.replica"', text]);
  });
});

describe('kubectl prints them', () => {
  test('kubectl apply and create: a Warning line each, before the object’s line', () => {
    const sim = cluster();
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: legacy
spec:
  nodeSelector:
    beta.kubernetes.io/os: linux
  containers:
  - name: app
    image: nginx:1.27
    ports:
    - containerPort: 80
    - containerPort: 80
  volumes:
  - name: src
    gitRepo:
      repository: https://github.com/kubernetes/examples.git
`;
    expect(runCommand(sim, 'kubectl apply -f -', { stdin: pod })).toEqual({
      exit: 0,
      out:
        'Warning: spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead\n' +
        'Warning: spec.volumes[0].gitRepo: deprecated in v1.11\n' +
        'Warning: spec.containers[0].ports[1]: duplicate port definition with spec.containers[0].ports[0]\n' +
        'pod/legacy created\n',
    });
    // A Pod's update gets none: a new image through kubectl set image.
    expect(runCommand(sim, 'kubectl set image pod/legacy app=nginx:1.28').out).toBe('pod/legacy image updated\n');
    // kubectl create: the same warnings, then its line.
    expect(runCommand(sim, 'kubectl create -f -', { stdin: pod.replace('name: legacy', 'name: legacy2') }).out).toMatch(/^Warning: spec\.nodeSelector.*\nWarning: spec\.volumes\[0\]\.gitRepo: deprecated in v1\.11\nWarning: .*\npod\/legacy2 created\n$/);
  });

  test('kubectl run, create, scale, set image and rollout restart', () => {
    const sim = cluster();
    const zone = 'Warning: spec.template.spec.nodeSelector[failure-domain.beta.kubernetes.io/zone]: deprecated since v1.17; use "topology.kubernetes.io/zone" instead\n';
    expect(runCommand(sim, `kubectl run p --image=nginx:1.27 --overrides='{"spec":{"nodeSelector":{"beta.kubernetes.io/arch":"amd64"}}}'`).out).toBe(
      'Warning: spec.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; use "kubernetes.io/arch" instead\npod/p created\n',
    );
    expect(runCommand(sim, 'kubectl create deployment d --image=nginx:1.27').out).toBe('deployment.apps/d created\n');
    expect(runCommand(sim, `kubectl patch deployment d -p '{"spec":{"template":{"spec":{"nodeSelector":{"failure-domain.beta.kubernetes.io/zone":"a"}}}}}'`).out).toBe(`${zone}deployment.apps/d patched\n`);
    expect(runCommand(sim, 'kubectl scale deployment d --replicas=2').out).toBe(`${zone}deployment.apps/d scaled\n`);
    expect(runCommand(sim, 'kubectl set image deployment/d nginx=nginx:1.28').out).toBe(`${zone}deployment.apps/d image updated\n`);
    expect(runCommand(sim, 'kubectl rollout restart deployment d').out).toBe(`${zone}deployment.apps/d restarted\n`);
    expect(runCommand(sim, 'kubectl label deployment d tier=web').out).toBe('deployment.apps/d labeled\n');
  });
});

describe('fractionalBytes (MilliValue() % 1000 != 0, and String())', () => {
  test.each([
    ['128Mi', undefined],
    ['1.5Gi', undefined],
    ['0.5Ki', undefined],
    ['1e3', undefined],
    ['1e20', undefined],
    [2, undefined],
    ['', undefined],
    ['0.5', '500m'],
    [0.5, '500m'],
    ['100m', '100m'],
    ['1.5', '1500m'],
    ['1.0001k', '1000100m'],
    ['0.0001', '100u'],
    ['1e-7', '100e-9'],
    ['2.5e-1', '250e-3'],
    ['1e-999999', '1e-9'],
  ] as const)('%j → %j', (v, want) => expect(fractionalBytes(v)).toBe(want));
});
