import { describe, expect, test } from 'vitest';
import { admitPod, base64Utf8, imagePullPolicyFor, setDefaults } from './defaults.ts';
import { podQOSClass } from './qos.ts';
import type { KubeObject, Pod } from './types.ts';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';

describe('imagePullPolicyFor (SetDefaults_Container)', () => {
  test.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['registry:5000/app', 'Always'],
    ['registry:5000/app:v2', 'IfNotPresent'],
    ['app@sha256:abc', 'IfNotPresent'],
  ])('%s -> %s', (image, want) => expect(imagePullPolicyFor(image)).toBe(want));
});

describe('Pod defaults and admission', () => {
  const pod = (): Pod =>
    ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [
          {
            name: 'a',
            image: 'shop:v1',
            ports: [{ containerPort: 80 }],
            resources: { limits: { cpu: '500m', memory: '128Mi' } },
            readinessProbe: { httpGet: { port: 80 } },
          },
        ],
      },
      status: {},
    }) as Pod;

  test('SetDefaults_PodSpec, container, probe and resource defaults', () => {
    const p = pod();
    setDefaults(p);
    const s = p.spec;
    expect([s.restartPolicy, s.terminationGracePeriodSeconds, s.dnsPolicy, s.schedulerName, s.enableServiceLinks]).toEqual(['Always', 30, 'ClusterFirst', 'default-scheduler', true]);
    const c = s.containers[0];
    expect([c.imagePullPolicy, c.terminationMessagePath, c.terminationMessagePolicy, c.ports![0].protocol]).toEqual(['IfNotPresent', '/dev/termination-log', 'File', 'TCP']);
    expect(c.resources!.requests).toEqual({ cpu: '500m', memory: '128Mi' });
    expect(c.readinessProbe).toEqual({ httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  });

  test("a template's limits are not copied to its requests (SetDefaults_Pod is for pods only); its pods' are", () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl create deployment web --image=nginx');
    expect(runCommand(sim, 'kubectl set resources deployment web --limits=cpu=500m,memory=256Mi').exit).toBe(0);
    sim.runUntil(10_000);
    expect(runCommand(sim, "kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].resources}'").out).toBe('{"limits":{"cpu":"500m","memory":"256Mi"}}');
    expect(runCommand(sim, "kubectl get pods -o jsonpath='{.items[0].spec.containers[0].resources.requests}'").out).toBe('{"cpu":"500m","memory":"256Mi"}');
    expect(runCommand(sim, "kubectl get pods -o jsonpath='{.items[0].status.qosClass}'").out).toBe('Guaranteed');
  });

  test('user values are kept', () => {
    const p = pod();
    Object.assign(p.spec, { restartPolicy: 'Never', terminationGracePeriodSeconds: 5 });
    p.spec.containers[0].resources = { requests: { cpu: '100m' }, limits: { cpu: '500m' } };
    setDefaults(p);
    expect(p.spec.restartPolicy).toBe('Never');
    expect(p.spec.terminationGracePeriodSeconds).toBe(5);
    expect(p.spec.containers[0].resources!.requests).toEqual({ cpu: '100m' });
  });

  test('admission: service account, priority, DefaultTolerationSeconds', () => {
    const p = pod();
    admitPod(p);
    expect(p.spec.serviceAccountName).toBe('default');
    expect(p.spec.priority).toBe(0);
    expect(p.spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  });

  test('admission keeps a toleration the pod already has', () => {
    const p = pod();
    p.spec.tolerations = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }];
    admitPod(p);
    expect(p.spec.tolerations.map((t) => `${t.key}=${t.tolerationSeconds}`)).toEqual(['node.kubernetes.io/unreachable=10', 'node.kubernetes.io/not-ready=300']);
  });

  test.each([
    [{ limits: { cpu: '1', memory: '1Gi' } }, 'Guaranteed'],
    [{ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }, 'Guaranteed'],
    [{ requests: { cpu: '100m' } }, 'Burstable'],
    [{ limits: { cpu: '1' } }, 'Burstable'],
    [{}, 'BestEffort'],
  ])('qos %j -> %s', (resources, want) => {
    const p = pod();
    p.spec.containers[0].resources = structuredClone(resources);
    setDefaults(p);
    expect(podQOSClass(p.spec)).toBe(want);
  });
});

describe('other kinds', () => {
  test('Deployment (apps/v1)', () => {
    const d: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'a', image: 'x' }] } } } };
    setDefaults(d);
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    expect([d.spec.revisionHistoryLimit, d.spec.progressDeadlineSeconds]).toEqual([10, 600]);
    expect(d.spec.template.spec.restartPolicy).toBe('Always');
    expect(d.spec.template.spec.tolerations).toBeUndefined(); // admission is for pods, not templates
  });

  test("CronJob (batch/v1): its job template's pod spec is defaulted too", () => {
    const cj: KubeObject = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80 }] }] } } } } } };
    setDefaults(cj);
    expect([cj.spec.concurrencyPolicy, cj.spec.suspend, cj.spec.successfulJobsHistoryLimit, cj.spec.failedJobsHistoryLimit]).toEqual(['Allow', false, 3, 1]);
    const pod = cj.spec.jobTemplate.spec.template.spec;
    expect([pod.containers[0].ports[0].protocol, pod.dnsPolicy, pod.restartPolicy]).toEqual(['TCP', 'ClusterFirst', 'OnFailure']);
  });

  test('Recreate gets no rollingUpdate', () => {
    const d: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { strategy: { type: 'Recreate' } } };
    setDefaults(d);
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
  });

  test('ReplicaSet replicas 1', () => {
    const rs: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' }, spec: {} };
    setDefaults(rs);
    expect(rs.spec.replicas).toBe(1);
  });

  test('Service', () => {
    const s: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }, { port: 443, targetPort: 'https' }] } };
    setDefaults(s);
    expect(s.spec).toEqual({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ports: [
        { port: 80, protocol: 'TCP', targetPort: 80 },
        { port: 443, protocol: 'TCP', targetPort: 'https' },
      ],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    });
  });

  test('NodePort gets externalTrafficPolicy', () => {
    const s: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } };
    setDefaults(s);
    expect(s.spec.externalTrafficPolicy).toBe('Cluster');
  });

  test('ClientIP affinity gets its 3-hour timeout (DefaultClientIPServiceAffinitySeconds)', () => {
    const s: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { sessionAffinity: 'ClientIP', ports: [{ port: 80 }] } };
    setDefaults(s);
    expect(s.spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
  });

  test('Namespace', () => {
    const n: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } };
    setDefaults(n);
    expect(n.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(n.status).toEqual({ phase: 'Active' });
    expect(n.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team' });
  });

  test('Secret: Opaque, stringData into base64 data', () => {
    const s: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'eA==' }, stringData: { b: 'hello', a: 'y' } };
    setDefaults(s);
    expect(s.type).toBe('Opaque');
    expect(s.data).toEqual({ a: 'eQ==', b: 'aGVsbG8=' });
    expect(s.stringData).toBeUndefined();
  });

  test.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['é', 'w6k='],
  ])('base64Utf8(%j) = %j', (s, want) => expect(base64Utf8(s)).toBe(want));

  test('Node allocatable defaults to capacity', () => {
    const n: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status: { capacity: { cpu: '4' } } };
    setDefaults(n);
    expect(n.status.allocatable).toEqual({ cpu: '4' });
  });
});

describe('SetDefaults_NetworkPolicy', () => {
  test.each([
    ['no policyTypes, no egress: Ingress', { podSelector: {}, ingress: [{}] }, ['Ingress']],
    ['egress rules add Egress', { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] }, ['Ingress', 'Egress']],
    ['given policyTypes stay', { podSelector: {}, policyTypes: ['Egress'] }, ['Egress']],
  ])('%s', (_name, spec, types) => {
    const np = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p' }, spec } as KubeObject;
    setDefaults(np);
    expect(np.spec.policyTypes).toEqual(types);
  });
  test('a port without a protocol is TCP', () => {
    const np = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p' }, spec: { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] } } as KubeObject;
    setDefaults(np);
    expect(np.spec.ingress[0].ports[0]).toEqual({ port: 80, protocol: 'TCP' });
  });
});

describe('a headless, selectorless Service is dual-stack by default (initIPFamilyFields special case)', () => {
  test('gets RequireDualStack and both families, even on a single-stack cluster', async () => {
    const { createCluster } = await import('../cluster.ts');
    const { runCommand } = await import('../kubectl/index.ts');
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    expect(runCommand(sim, 'kubectl apply -f -', { stdin: 'apiVersion: v1\nkind: Service\nmetadata: {name: h}\nspec: {clusterIP: None, ports: [{port: 80}]}\n' }).exit).toBe(0);
    expect(runCommand(sim, 'kubectl get svc h -o jsonpath={.spec.ipFamilyPolicy}/{.spec.ipFamilies}').out).toBe('RequireDualStack/["IPv4","IPv6"]');
    // With a selector it is an ordinary single-stack Service.
    runCommand(sim, 'kubectl apply -f -', { stdin: 'apiVersion: v1\nkind: Service\nmetadata: {name: hs}\nspec: {clusterIP: None, selector: {app: web}, ports: [{port: 80}]}\n' });
    expect(runCommand(sim, 'kubectl get svc hs -o jsonpath={.spec.ipFamilyPolicy}/{.spec.ipFamilies}').out).toBe('SingleStack/["IPv4"]');
  });
});
