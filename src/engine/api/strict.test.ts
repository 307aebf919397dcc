import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';
import { ApiError } from './errors.ts';
import { base64ErrorAt } from './names.ts';
import { strictDecode, typeDecode, unknownFields } from './strict.ts';
import type { KubeObject } from './types.ts';

const deployment = (spec: Record<string, unknown>, container: Record<string, unknown> = {}): KubeObject =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', ...container }] } }, ...spec },
  }) as KubeObject;

describe('strict decoding (fieldValidation=Strict)', () => {
  it.each<[string, KubeObject, string[]]>([
    ['a well-formed Deployment', deployment({ replicas: 3 }), []],
    ['a typo at the top of spec', deployment({ replica: 3 }), ['spec.replica']],
    ['a typo inside a list item', deployment({}, { imagePullPolcy: 'Always' }), ['spec.template.spec.containers[0].imagePullPolcy']],
    ['two, in document order', deployment({ replica: 3, strategy: { type: 'RollingUpdate', rollingupdate: {} } }), ['spec.replica', 'spec.strategy.rollingupdate']],
    ['a field removed upstream (Service spec.ipFamily, 1.20)', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ipFamily: 'IPv6', ports: [{ port: 80 }] } } as KubeObject, ['spec.ipFamily']],
    ['labels and annotations are maps: any key', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { anything: 'x' }, annotations: { 'a/b': 'c' } }, data: { k: 'v' } } as KubeObject, []],
    ['affinity is checked field by field', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }], affinity: { podAfinity: {}, nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecutio: {} } } } } as KubeObject, ['spec.affinity.podAfinity', 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecutio']],
    ['so are security contexts', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { securityContext: { runAsUsr: 1 }, containers: [{ name: 'c', image: 'x', securityContext: { capabilities: { ad: ['NET_ADMIN'] } } }] } } as KubeObject, ['spec.securityContext.runAsUsr', 'spec.containers[0].securityContext.capabilities.ad']],
    ['an open structure (a CSI volume source) is not checked', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'v', csi: { made: { up: 1 } } }] } } as KubeObject, []],
    ['status is the server’s: not checked', { ...deployment({}), status: { whatever: 1 } } as KubeObject, []],
    ['a kind without a schema (a custom resource) is not checked', { apiVersion: 'example.com/v1', kind: 'Backup', metadata: { name: 'b' }, spec: { anything: 1 } } as KubeObject, []],
    [
      'a canary’s background analysis may start at a step (analysis.md’s startingStep); a step’s analysis may not',
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r' }, spec: { strategy: { canary: { analysis: { templates: [{ templateName: 't' }], startingStep: 2 }, steps: [{ analysis: { templates: [{ templateName: 't' }], startingStep: 1 } }] } } } } as KubeObject,
      ['spec.strategy.canary.steps[0].analysis.startingStep'],
    ],
    ['the HPA’s apiVersion picks its schema', { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3, metrics: [] } } as KubeObject, ['spec.metrics']],
  ])('%s', (_, obj, want) => {
    expect(unknownFields(obj)).toEqual(want);
  });

  it('throws the API server’s BadRequest, naming every unknown field', () => {
    try {
      strictDecode(deployment({ replica: 3 }, { imagePullPolcy: 'Always' }), 'v1');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).message).toBe(
        // Document order: this manifest's spec lists template before replica.
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolcy", unknown field "spec.replica"',
      );
    }
  });

  it('kubectl apply and create ask for it; --validate=warn warns and stores, ignore stores silently', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'n1', capacity: { cpu: '4', memory: '8Gi', pods: '110' } }] });
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\nbinaryDate: {}\n';
    const strict = 'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "binaryDate"\n';
    expect(runCommand(sim, 'kubectl apply -f -', { stdin: yaml })).toEqual({ exit: 1, out: strict });
    expect(runCommand(sim, 'kubectl create -f -', { stdin: yaml })).toEqual({ exit: 1, out: strict });
    expect(runCommand(sim, 'kubectl apply --validate=warn -f -', { stdin: yaml }).out).toBe('Warning: unknown field "binaryDate"\nconfigmap/c created\n');
    expect(runCommand(sim, 'kubectl create --validate=false -f -', { stdin: yaml.replace('name: c', 'name: d') }).out).toBe('configmap/d created\n');
    expect(runCommand(sim, 'kubectl apply --validate=sometimes -f -', { stdin: yaml })).toEqual({ exit: 1, out: 'error: invalid - validate option "sometimes"; must be one of: strict (or true), warn, ignore (or false)\n' });
    // replace decodes before it looks the object up, as the API server's update does.
    expect(runCommand(sim, 'kubectl replace -f -', { stdin: yaml.replace('name: c', 'name: d') })).toEqual({
      exit: 1,
      out: 'Error from server (BadRequest): error when replacing "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "binaryDate"\n',
    });
    expect(runCommand(sim, 'kubectl replace --validate=ignore -f -', { stdin: yaml.replace('name: c', 'name: d') }).out).toBe('configmap/d replaced\n');
  });
});

describe('decoding into the Go types: a value of the wrong JSON type (encoding/json UnmarshalTypeError)', () => {
  const decode = (obj: KubeObject) => {
    try {
      typeDecode(obj, obj.apiVersion.slice(obj.apiVersion.lastIndexOf('/') + 1));
      return '';
    } catch (e) {
      return (e as ApiError).message;
    }
  };
  const pod = (container: Record<string, unknown>, spec: Record<string, unknown> = {}): KubeObject =>
    ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox', ...container }], ...spec } }) as KubeObject;
  const podErr = (rest: string) => `Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal ${rest}`;
  const depErr = (rest: string) => `Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal ${rest}`;
  it.each<[string, KubeObject, string]>([
    ['well typed', deployment({ replicas: 3 }, { env: [{ name: 'PORT', value: '8080' }], resources: { limits: { cpu: 1, memory: '64Mi' } } }), ''],
    ['a command written as one string', pod({ command: 'sleep 3600' }), podErr('string into Go struct field Container.spec.containers.command of type []string')],
    ['replicas quoted', deployment({ replicas: '3' }), depErr('string into Go struct field DeploymentSpec.spec.replicas of type int32')],
    ['an env value as a number', deployment({}, { env: [{ name: 'PORT', value: 8080 }] }), depErr('number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string')],
    ['a containerPort quoted', pod({ ports: [{ containerPort: '80' }] }), podErr('string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32')],
    ['containers as a map', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: { name: 'c', image: 'x' } } } as KubeObject, podErr('object into Go struct field PodSpec.spec.containers of type []v1.Container')],
    ['a fraction where an integer goes', pod({}, { terminationGracePeriodSeconds: 1.5 }), podErr('number 1.5 into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64')],
    ['a label value as a number', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { version: 2 } } } as unknown as KubeObject, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'],
    ['ConfigMap data values are strings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { port: 8080 } } as KubeObject, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string'],
    ['a Service port quoted', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: '80' }] } } as KubeObject, 'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32'],
    ['a boolean quoted', pod({ stdin: 'true' }), podErr('string into Go struct field Container.spec.containers.stdin of type bool')],
    ['quantities and int-or-strings take both', deployment({ strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } } }, { resources: { requests: { cpu: 0.5 } } }), ''],
    // Quantity.UnmarshalJSON parses as it decodes: ParseQuantity's three refusals.
    ['a quantity of the wrong shape', pod({ resources: { requests: { memory: '1Gb' } } }), "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ['a quantity with no number in front', pod({ resources: { limits: { cpu: '1.2.3' } } }), 'Pod in version "v1" cannot be handled as a Pod: unable to parse numeric part of quantity'],
    ['a quantity with an unknown suffix', pod({ resources: { limits: { memory: '32MMi' } } }), "Pod in version \"v1\" cannot be handled as a Pod: unable to parse quantity's suffix"],
    // A custom resource is checked against its CRD's structural schema instead, with the validator's words.
    ['a Rollout (v1alpha1) with replicas quoted', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r' }, spec: { replicas: '3' } } as KubeObject, 'The Rollout.argoproj.io "r" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"'],
    [
      'a Rollout image as a number',
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r' }, spec: { template: { spec: { containers: [{ name: 'c', image: 1.25 }] } } } } as KubeObject,
      'The Rollout.argoproj.io "r" is invalid: spec.template.spec.containers[0].image: Invalid value: "number": spec.template.spec.containers[0].image in body must be of type string: "number"',
    ],
    // Inline structs are checked too (the probe's exec action), and the multi-type ones refuse an object.
    ['a probe command as one string', pod({ livenessProbe: { exec: { command: 'cat /tmp/healthy' } } }), podErr('string into Go struct field ExecAction.spec.containers.livenessProbe.exec.command of type []string')],
    ['a probe handler as a string', pod({ readinessProbe: { httpGet: '-1' } }), podErr('string into Go struct field Probe.spec.containers.readinessProbe.httpGet of type v1.HTTPGetAction')],
    ['a targetPort as a map', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: { a: null } }] } } as KubeObject, 'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal object into Go struct field ServicePort.spec.ports.targetPort of type intstr.IntOrString'],
    [
      'an autoscaling/v2 HPA target apiVersion as a number',
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { scaleTargetRef: { apiVersion: 2, kind: 'Deployment', name: 'web' }, maxReplicas: 3 } } as KubeObject,
      'HorizontalPodAutoscaler in version "v2" cannot be handled as a HorizontalPodAutoscaler: json: cannot unmarshal number into Go struct field CrossVersionObjectReference.spec.scaleTargetRef.apiVersion of type string',
    ],
  ])('%s', (_, obj, want) => expect(decode(obj)).toBe(want));

  it('null list items decode as Go decodes them: "" in a list of strings, the zero struct in a list of structs', () => {
    const p = pod({ command: ['sh', '-c', null], volumeMounts: [null] });
    expect(decode(p)).toBe('');
    expect(p.spec.containers[0].command).toEqual(['sh', '-c', '']);
    expect(p.spec.containers[0].volumeMounts).toEqual([{}]);
  });

  it('kubectl apply prints it as the server sends it, whatever --validate says', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    const yaml = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: sleep 3600\n';
    const want = 'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field Container.spec.containers.command of type []string\n';
    expect(runCommand(sim, 'kubectl apply -f -', { stdin: yaml }).out).toBe(want);
    expect(runCommand(sim, 'kubectl apply --validate=false -f -', { stdin: yaml }).out).toBe(want);
  });
});

describe("a Secret's data is base64, decoded as encoding/json decodes []byte", () => {
  it.each([
    ['aGVsbG8=', undefined],
    ['aGVs\nbG8=', undefined],
    ['', undefined],
    ['REPLACE_WITH_BASE64_CERT', 7],
    ['aGVsbG8', 4],
    ['aGVsbA=', 7],
    ['YQ==x', 4],
    ['a', 0],
    ['a===', 1],
  ])('%j → CorruptInputError %j', (s, want) => expect(base64ErrorAt(s)).toBe(want));

  it('a value it refuses fails the decoding, as the API server refuses it', () => {
    expect(() => typeDecode({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'REPLACE_WITH_BASE64_CERT' } } as KubeObject, 'v1')).toThrow(
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 7',
    );
  });
});

describe('null values decode as Go decodes them', () => {
  it('a Secret value spread over lines, or null, and a null quantity are accepted', async () => {
    const { createCluster } = await import('../cluster.ts');
    const sim = createCluster({ seed: 1, nodes: [] });
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  crt: |\n    LS0tLS1CRUdJTiBDRVJUSUZJ\n    Q0FURS0tLS0t\n  none: null\n';
    expect(runCommand(sim, 'kubectl apply -f -', { stdin: secret })).toEqual({ exit: 0, out: 'secret/s created\n' });
    expect(runCommand(sim, 'kubectl get secret s -o jsonpath={.data.none}').out).toBe('');
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx, resources: {limits: {cpu: null, memory: 128Mi}}}]}\n';
    expect(runCommand(sim, 'kubectl apply -f -', { stdin: pod })).toEqual({ exit: 0, out: 'pod/p created\n' });
    expect(runCommand(sim, 'kubectl get pod p -o jsonpath={.spec.containers[0].resources.limits.cpu}').out).toBe('0');
  });
});
