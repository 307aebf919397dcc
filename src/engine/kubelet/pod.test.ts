import { describe, expect, test } from 'vitest';
import type { Pod } from '../api/types.ts';
import { parseIsoTime } from '../clock.ts';
import { deletePod } from '../controllers/nodelifecycle.ts';
import type { KubeletService } from './index.ts';
import { eventsOf, kubeletSim, makeService, runPod, watchPod } from './testutil.ts';
import { servingContainer } from '../network/backend.ts';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';
import { imageReferenceError } from './images.ts';

const servingPort = (p: Pod, port: number) => servingContainer(p, port)?.name;

const S = 1000;
const pod = (sim: ReturnType<typeof kubeletSim>, name: string) => sim.store.get<Pod>('Pod', 'default', name)!;
const cond = (p: Pod, type: string) => p.status.conditions?.find((c) => c.type === type);

describe('pod lifecycle', () => {
  test('full timeline: ContainerCreating -> pull -> Running, events in upstream wording', () => {
    const sim = kubeletSim({ 'nginx:1.25': { pullSeconds: 2.3, startupSeconds: 1 } });
    const tl = watchPod(sim, 'web');
    runPod(sim, 'web', [{ image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent' }]);
    sim.runUntil(10 * S);
    expect(tl).toEqual([
      '0 ADDED Pending ',
      '0 MODIFIED Pending web:waiting/ContainerCreating#0',
      '0.5 MODIFIED Pending web:waiting/ContainerCreating#0',
      '2.8 MODIFIED Running web:running+ready#0',
    ]);
    expect(eventsOf(sim, 'web')).toEqual([
      'Pulling: Pulling image "nginx:1.25"',
      'Pulled: Successfully pulled image "nginx:1.25" in 2.3s (2.3s including waiting). Image size: ' + /Image size: (\d+)/.exec(eventsOf(sim, 'web')[1])![1] + ' bytes.',
      'Created: Created container: web',
      'Started: Started container web',
    ]);
    const p = pod(sim, 'web');
    expect(p.status.podIP).toBe('10.244.0.2');
    expect(p.status.hostIP).toBe('192.168.49.2');
    expect(p.status.startTime).toBe('2025-01-01T00:00:00Z');
    expect(p.status.conditions!.map((c) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True',
    ]);
    expect(cond(p, 'Ready')!.lastTransitionTime).toBe('2025-01-01T00:00:02Z');
    expect(p.status.qosClass).toBe('BestEffort');
    // A second pod on the node finds the image present.
    runPod(sim, 'web2', [{ image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent' }]);
    sim.runFor(2 * S);
    expect(eventsOf(sim, 'web2')[0]).toBe('Pulled: Container image "nginx:1.25" already present on machine');
    expect(pod(sim, 'web2').status.podIP).toBe('10.244.0.3');
    // imagePullPolicy Always pulls every time.
    runPod(sim, 'web3', [{ image: 'nginx:1.25', imagePullPolicy: 'Always' }]);
    sim.runFor(2 * S);
    expect(eventsOf(sim, 'web3')[0]).toBe('Pulling: Pulling image "nginx:1.25"');
  });

  test('pull error: ErrImagePull then ImagePullBackOff with events', () => {
    const sim = kubeletSim({ 'shop:v3': { pullError: true, pullSeconds: 1 } });
    runPod(sim, 'p', [{ image: 'shop:v3' }]);
    sim.runUntil(1.6 * S);
    expect(pod(sim, 'p').status.containerStatuses![0].state.waiting!.reason).toBe('ErrImagePull');
    sim.runUntil(3 * S);
    const w = pod(sim, 'p').status.containerStatuses![0].state.waiting!;
    expect(w).toEqual({ reason: 'ImagePullBackOff', message: 'Back-off pulling image "shop:v3"' });
    expect(eventsOf(sim, 'p')).toContain('Failed: Failed to pull image "shop:v3": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/shop:v3": failed to resolve reference "docker.io/library/shop:v3": docker.io/library/shop:v3: not found');
    expect(eventsOf(sim, 'p')).toContain('Failed: Error: ErrImagePull');
    expect(eventsOf(sim, 'p')).toContain('Failed: Error: ImagePullBackOff');
    expect(pod(sim, 'p').status.phase).toBe('Pending');
  });

  test('OOMKilled: memory over limits.memory exits 137 and restarts', () => {
    const sim = kubeletSim({ 'hog:1': { memory: '300Mi', startupSeconds: 2, pullSeconds: 1 } });
    runPod(sim, 'p', [{ image: 'hog:1', resources: { limits: { memory: '256Mi', cpu: '500m' }, requests: { memory: '256Mi', cpu: '500m' } } }]);
    sim.runUntil(4 * S);
    const cs = pod(sim, 'p').status.containerStatuses![0];
    expect(cs.state.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(pod(sim, 'p').status.qosClass).toBe('Guaranteed');
    sim.runUntil(5 * S);
    expect(pod(sim, 'p').status.containerStatuses![0].lastState!.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(pod(sim, 'p').status.containerStatuses![0].restartCount).toBe(1);
  });

  // A pod the API server did not class (made here straight in the store): the kubelet classes it as
  // qos.GetPodQOS does, which counts cpu and memory only, and only above zero.
  test.each([
    ['ephemeral-storage only', { requests: { 'ephemeral-storage': '1Gi' } }, 'BestEffort'],
    ['a zero cpu request', { requests: { cpu: '0' } }, 'BestEffort'],
    ['limits equal to requests, written differently', { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1024Mi' } }, 'Guaranteed'],
  ])('status.qosClass when the API server set none: %s', (_name, resources, want) => {
    const sim = kubeletSim();
    runPod(sim, 'p', [{ image: 'nginx:1.25', resources }]);
    sim.runUntil(3 * S);
    expect(pod(sim, 'p').status.qosClass).toBe(want);
  });

  test('batch: runSeconds completes with exit 0 -> Succeeded (restartPolicy Never)', () => {
    const sim = kubeletSim({ 'job:1': { runSeconds: 5, pullSeconds: 1, startupSeconds: 0 } });
    runPod(sim, 'p', [{ image: 'job:1' }], { restartPolicy: 'Never' });
    sim.runUntil(10 * S);
    const p = pod(sim, 'p');
    expect(p.status.phase).toBe('Succeeded');
    expect(p.status.containerStatuses![0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(cond(p, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  test('init containers run first, in order (Init:0/2 -> Init:1/2 -> PodInitializing -> Running)', () => {
    const sim = kubeletSim({ 'init:1': { runSeconds: 3, pullSeconds: 1, startupSeconds: 0 }, 'app:1': { pullSeconds: 1, startupSeconds: 0 } });
    const tl: string[] = [];
    sim.store.watch('Pod', (_t, o) => {
      const p = o as Pod;
      tl.push(`${sim.clock.seconds()} ${(p.status.initContainerStatuses ?? []).map((c) => Object.keys(c.state)[0] + (c.state.waiting ? '/' + c.state.waiting.reason : '')).join(',')} | ${(p.status.containerStatuses ?? []).map((c) => Object.keys(c.state)[0] + (c.state.waiting ? '/' + c.state.waiting.reason : '')).join(',')} | ${cond(p, 'Initialized')?.status}`);
    });
    runPod(sim, 'p', [{ image: 'app:1' }], { initContainers: [{ name: 'a', image: 'init:1' }, { name: 'b', image: 'init:1' }] });
    sim.runUntil(20 * S);
    expect(tl).toEqual([
      '0  |  | undefined',
      '0 waiting/PodInitializing,waiting/PodInitializing | waiting/PodInitializing | False',
      '0.5 waiting/PodInitializing,waiting/PodInitializing | waiting/PodInitializing | False',
      '1.5 running,waiting/PodInitializing | waiting/PodInitializing | False',
      '4.5 terminated,running | waiting/PodInitializing | False',
      '7.5 terminated,terminated | waiting/PodInitializing | True',
      '8.5 terminated,terminated | running | True',
    ]);
    expect(pod(sim, 'p').status.phase).toBe('Running');
  });
});

describe('probes', () => {
  test('readiness passes only after startupSeconds, on the probe period grid', () => {
    const sim = kubeletSim({ 'shop:v1': { startupSeconds: 3, pullSeconds: 1 } });
    runPod(sim, 'p', [{ image: 'shop:v1', readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 2, initialDelaySeconds: 1 } }]);
    sim.runUntil(4 * S);
    expect(pod(sim, 'p').status.containerStatuses![0].ready).toBe(false);
    sim.runUntil(10 * S);
    // Started at 1.5 s, up at 4.5 s; probes tick at 0, 2, 4, 6 … so the first success is at 6 s.
    expect(parseIsoTime(cond(pod(sim, 'p'), 'Ready')!.lastTransitionTime!)).toBe(6 * S);
    expect(eventsOf(sim, 'p')).toContain('Unhealthy: Readiness probe failed: Get "http://10.244.0.2:8080/healthz": dial tcp 10.244.0.2:8080: connect: connection refused');
  });

  test('successThreshold and readinessFailAfterSeconds/failureThreshold', () => {
    const sim = kubeletSim({ 'flaky:1': { startupSeconds: 0, pullSeconds: 0.5, readinessFailAfterSeconds: 30 } });
    const ready: string[] = [];
    sim.store.watch('Pod', (_t, o) => {
      const r = cond(o as Pod, 'Ready')?.status;
      if (r && ready[ready.length - 1]?.split(' ')[1] !== r) ready.push(`${sim.clock.seconds()} ${r}`);
    });
    runPod(sim, 'p', [{ image: 'flaky:1', readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5, successThreshold: 2, failureThreshold: 3 } }]);
    sim.runUntil(60 * S);
    // Started at 1 s: passing ticks 5, 10 -> ready at 10 s; failing from 31 s: ticks 35, 40, 45 -> unready at 45 s.
    expect(ready).toEqual(['0 False', '10 True', '45 False']);
    expect(eventsOf(sim, 'p')).toContain('Unhealthy: Readiness probe failed: dial tcp 10.244.0.2:80: connect: connection refused (x6)');
  });

  test('liveness failure kills and restarts the container', () => {
    const sim = kubeletSim({ 'sick:1': { startupSeconds: 0, pullSeconds: 0.5, livenessFailAfterSeconds: 20, shutdownSeconds: 2 } });
    runPod(sim, 'p', [{ image: 'sick:1', livenessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 10, failureThreshold: 3 } }]);
    sim.runUntil(60 * S);
    // Started at 1 s; fails from 21 s: ticks 30, 40, 50 -> killed at 50 s, exits at 52 s, restarted at 53 s.
    const ev = eventsOf(sim, 'p');
    expect(ev).toContain('Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500 (x3)');
    expect(ev).toContain('Killing: Container web failed liveness probe, will be restarted');
    const cs = pod(sim, 'p').status.containerStatuses![0];
    expect(cs.restartCount).toBe(1);
    expect(parseIsoTime(cs.lastState!.terminated!.finishedAt!)).toBe(52 * S);
    expect(parseIsoTime(cs.state.running!.startedAt!)).toBe(53 * S);
  });

  test('a probe of a port nothing in the pod listens on is refused for good; a named port resolves', () => {
    const sim = kubeletSim({ 'nginx:1.25': { startupSeconds: 0, pullSeconds: 0.5 } });
    const ports = [{ name: 'http', containerPort: 80 }];
    runPod(sim, 'wrong', [{ image: 'nginx:1.25', ports, readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 5 } }]);
    runPod(sim, 'named', [{ image: 'nginx:1.25', ports, readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 } }]);
    runPod(sim, 'nope', [{ image: 'nginx:1.25', ports, readinessProbe: { httpGet: { path: '/', port: 'nope' }, periodSeconds: 5 } }]);
    sim.runUntil(60 * S);
    expect(pod(sim, 'wrong').status.containerStatuses![0].ready).toBe(false);
    expect(eventsOf(sim, 'wrong')).toContain('Unhealthy: Readiness probe failed: Get "http://10.244.0.2:8080/": dial tcp 10.244.0.2:8080: connect: connection refused (x12)');
    expect(pod(sim, 'named').status.containerStatuses![0].ready).toBe(true);
    // A name the container does not declare: ResolveContainerPort falls back to Atoi, and the probe errors.
    expect(pod(sim, 'nope').status.containerStatuses![0].ready).toBe(false);
    expect(eventsOf(sim, 'nope')).toContain('Unhealthy: Readiness probe errored: strconv.Atoi: parsing "nope": invalid syntax (x12)');
    // A sidecar that declares no ports answers for the pod (one network namespace).
    const side = { spec: { containers: [{ name: 'web', image: 'nginx', ports }], initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] } } as unknown as Pod;
    expect(servingPort(side, 15000)).toBe('proxy');
    expect(servingPort(side, 80)).toBe('web');
  });

  test('startup probe gates readiness; started flips when it passes', () => {
    const sim = kubeletSim({ 'slow:1': { startupSeconds: 12, pullSeconds: 1 } });
    runPod(sim, 'p', [{ image: 'slow:1', startupProbe: { httpGet: { port: 80 }, periodSeconds: 5, failureThreshold: 10 }, readinessProbe: { httpGet: { port: 80 }, periodSeconds: 5 } }]);
    sim.runUntil(10 * S);
    expect(pod(sim, 'p').status.containerStatuses![0]).toMatchObject({ started: false, ready: false });
    sim.runUntil(30 * S);
    // Up at 13.5 s -> startup passes at 15 s, readiness at the next tick (20 s).
    expect(pod(sim, 'p').status.containerStatuses![0]).toMatchObject({ started: true, ready: true });
    expect(parseIsoTime(cond(pod(sim, 'p'), 'Ready')!.lastTransitionTime!)).toBe(20 * S);
  });
});

describe('graceful termination', () => {
  test.each([
    { name: 'exits after shutdownSeconds', shutdownSeconds: 4, grace: 30, gone: 4, code: 0 },
    { name: 'killed at the grace period', shutdownSeconds: 60, grace: 10, gone: 10, code: 137 },
  ])('$name', ({ shutdownSeconds, grace, gone, code }) => {
    const sim = kubeletSim({ 'svc:1': { shutdownSeconds, startupSeconds: 0, pullSeconds: 1 } });
    let final: any;
    sim.store.watch('Pod', (t, o) => {
      if (t === 'DELETED') final = { at: sim.now(), cs: (o as Pod).status.containerStatuses![0] };
    });
    runPod(sim, 'p', [{ image: 'svc:1' }], { terminationGracePeriodSeconds: grace });
    sim.runUntil(5 * S);
    deletePod(sim, pod(sim, 'p'));
    sim.settle();
    expect(eventsOf(sim, 'p')).toContain('Killing: Stopping container web');
    sim.runUntil(100 * S);
    expect(sim.store.get('Pod', 'default', 'p')).toBeUndefined();
    expect(final.at).toBe((5 + gone) * S);
    expect(final.cs.state.terminated.exitCode).toBe(code);
  });
});

describe('kubelet service: logs and exec env', () => {
  test('resourceFieldRef: the container\'s limit or request over the divisor, an unset limit as the node\'s allocatable', () => {
    const sim = kubeletSim();
    const ref = (resource: string, divisor?: string) => ({ resourceFieldRef: { resource, ...(divisor ? { divisor } : {}) } });
    runPod(sim, 'web', [
      {
        image: 'nginx:1.25',
        resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { memory: '128Mi' } },
        env: [
          { name: 'MEM_LIMIT', valueFrom: ref('limits.memory', '1Mi') },
          { name: 'MEM_LIMIT_BYTES', valueFrom: ref('limits.memory') },
          { name: 'CPU_REQUEST', valueFrom: ref('requests.cpu') },
          { name: 'CPU_REQUEST_MILLI', valueFrom: ref('requests.cpu', '1m') },
          { name: 'CPU_LIMIT', valueFrom: ref('limits.cpu') },
          { name: 'BAD', valueFrom: ref('limits.gpu') },
        ],
      },
    ]);
    sim.runUntil(10 * S);
    const alloc = sim.store.get<any>('Node', undefined, 'node-1')!.status.allocatable;
    const env = Object.fromEntries(sim.service<KubeletService>('kubelet').execEnv('web'));
    expect(env).toMatchObject({ MEM_LIMIT: '128', MEM_LIMIT_BYTES: String(128 * 2 ** 20), CPU_REQUEST: '1', CPU_REQUEST_MILLI: '250', CPU_LIMIT: String(Number(alloc.cpu)), BAD: '' });
  });

  test('env is the one at container start: a service created later does not appear', () => {
    const sim = kubeletSim();
    makeService(sim, 'kubernetes', undefined, [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], '10.96.0.1');
    makeService(sim, 'redis-primary', { app: 'redis' }, [{ port: 6379, protocol: 'TCP' }], '10.96.0.11');
    runPod(sim, 'web', [{ image: 'nginx:1.25', env: [{ name: 'MODE', value: 'prod' }, { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] }]);
    sim.runUntil(10 * S);
    makeService(sim, 'late', { app: 'late' }, [{ port: 80, protocol: 'TCP' }], '10.96.0.12');
    const kubelet = sim.service<KubeletService>('kubelet');
    const env = kubelet.execEnv('web');
    const names = env.map(([n]) => n);
    expect(env.slice(0, 5)).toEqual([
      ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ['HOSTNAME', 'web'],
      ['MODE', 'prod'],
      ['POD', 'web'],
      ['IP', '10.244.0.2'],
    ]);
    expect(names).toContain('REDIS_PRIMARY_SERVICE_HOST');
    expect(names).toContain('KUBERNETES_PORT_443_TCP');
    expect(names.some((n) => n.startsWith('LATE_'))).toBe(false);
    expect(env[env.length - 1]).toEqual(['HOME', '/root']);
    const logs = kubelet.logs('web');
    expect(logs).toContain('nginx/1.25.0');
    expect(kubelet.logs('web')).toBe(logs);
  });

  test('logs of a container still creating is an error in the API server words', () => {
    const sim = kubeletSim({ 'x:1': { pullSeconds: 100 } });
    runPod(sim, 'p', [{ image: 'x:1' }]);
    sim.runUntil(1 * S);
    expect(() => sim.service<KubeletService>('kubelet').logs('p')).toThrow('container "web" in pod "p" is waiting to start: ContainerCreating');
  });
});

describe('a changed image in a running pod (computePodActions: container definition changed)', () => {
  test('the container is killed and started again with the new image, whatever the restartPolicy', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl run rp --image=nginx:1.25');
    runCommand(sim, 'kubectl run n --image=busybox --restart=Never -- sleep 1000');
    sim.runUntil(20 * S);
    expect(runCommand(sim, 'kubectl set image pod/rp rp=nginx:1.26').out).toBe('pod/rp image updated\n');
    expect(runCommand(sim, 'kubectl set image pod/n n=busybox:1.36').out).toBe('pod/n image updated\n');
    sim.runUntil(60 * S);
    for (const [name, image] of [['rp', 'nginx:1.26'], ['n', 'busybox:1.36']]) {
      const cs = pod(sim, name).status.containerStatuses![0];
      expect(cs).toMatchObject({ image: `docker.io/library/${image}`, restartCount: 1, ready: true });
      expect(cs.state.running).toBeDefined();
      expect(eventsOf(sim, name)).toContain(`Killing: Container ${name} definition changed, will be restarted`);
      expect(eventsOf(sim, name)).toContain(`Pulling: Pulling image "${image}"`);
    }
    // Every change restarts it again, and the status never names an image that is not running.
    runCommand(sim, 'kubectl set image pod/rp rp=nginx:1.27');
    sim.runUntil(90 * S);
    expect(pod(sim, 'rp').status.containerStatuses![0]).toMatchObject({ image: 'docker.io/library/nginx:1.27', restartCount: 2, ready: true });
    runCommand(sim, 'kubectl set image pod/rp rp=Nginx');
    sim.runUntil(120 * S);
    // No new container was created, so the restarts stay at the two that were (the runtime counts containers).
    expect(runCommand(sim, 'kubectl get pod rp').out).toMatch(/\nrp +0\/1 +InvalidImageName +2 /);
  });

  test('a container waiting in ImagePullBackOff pulls the new image at once', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }], images: { 'nginx:typo': { pullError: true } } });
    runCommand(sim, 'kubectl run p --image=nginx:typo');
    sim.runUntil(60 * S);
    expect(pod(sim, 'p').status.containerStatuses![0].state.waiting?.reason).toBe('ImagePullBackOff');
    runCommand(sim, 'kubectl set image pod/p p=nginx:1.25');
    sim.runUntil(70 * S);
    expect(pod(sim, 'p').status.containerStatuses![0]).toMatchObject({ image: 'docker.io/library/nginx:1.25', ready: true, restartCount: 0 });
  });
});

describe('an image reference the runtime cannot parse (EnsureImageExists: InvalidImageName)', () => {
  test.each([
    ['nginx', undefined],
    ['registry.k8s.io/pause:3.9', undefined],
    ['localhost:5000/team/app@sha256:' + 'a'.repeat(64), undefined],
    ['nginx:Latest', undefined],
    ['Nginx', `couldn't parse image name "Nginx": invalid reference format: repository name (library/Nginx) must be lowercase`],
    ['quay.io/Foo/bar', `couldn't parse image name "quay.io/Foo/bar": invalid reference format: repository name (Foo/bar) must be lowercase`],
    ['<img src=x>', `couldn't parse image name "<img src=x>": invalid reference format`],
    ['nginx:', `couldn't parse image name "nginx:": invalid reference format`],
  ])('%s', (image, want) => expect(imageReferenceError(image)).toBe(want));

  test('the container waits as InvalidImageName with the kubelet\'s events, and a fixed image starts it', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, "kubectl run bad --image='Bad Image!!'");
    sim.runUntil(30 * S);
    expect(runCommand(sim, 'kubectl get pod bad').out).toMatch(/\nbad +0\/1 +InvalidImageName +0 /);
    expect(eventsOf(sim, 'bad')).toEqual([
      'Scheduled: Successfully assigned default/bad to worker-1',
      `InspectFailed: Failed to apply default image tag "Bad Image!!": couldn't parse image name "Bad Image!!": invalid reference format: repository name (library/Bad Image!!) must be lowercase`,
      'Failed: Error: InvalidImageName',
    ]);
    runCommand(sim, 'kubectl set image pod/bad bad=nginx');
    sim.runUntil(40 * S);
    expect(runCommand(sim, 'kubectl get pod bad').out).toMatch(/\nbad +1\/1 +Running +0 /);
  });
});

describe('the Kubernetes docs\' example images behave as the docs show', () => {
  const docsPod = (yaml: string, ms: number) => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl apply -f -', { stdin: yaml });
    sim.runUntil(ms);
    return sim;
  };
  test('the liveness image fails /healthz after 10 s, so the HTTP liveness pod restarts', () => {
    const sim = docsPod('apiVersion: v1\nkind: Pod\nmetadata: {name: liveness-http}\nspec:\n  containers:\n  - name: liveness\n    image: registry.k8s.io/liveness\n    args: [/server]\n    ports: [{containerPort: 8080}]\n    livenessProbe: {httpGet: {path: /healthz, port: 8080}, initialDelaySeconds: 3, periodSeconds: 3}\n', 40_000);
    const out = runCommand(sim, 'kubectl describe pod liveness-http').out;
    expect(out).toMatch(/Restart Count: {2}[1-9]/);
    expect(out).toContain('Liveness probe failed: HTTP probe failed with statuscode: 500');
  });
  test('the probes page\'s current example, agnhost liveness, fails /healthz after 10 s too; agnhost\'s other programs do not', () => {
    const pod = (name: string, args: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  containers:\n  - name: liveness\n    image: registry.k8s.io/e2e-test-images/agnhost:2.40\n    args: [${args}]\n    livenessProbe: {httpGet: {path: /healthz, port: 8080, httpHeaders: [{name: Custom-Header, value: Awesome}]}, initialDelaySeconds: 3, periodSeconds: 3}\n`;
    const sim = docsPod(`${pod('liveness-http', 'liveness')}---\n${pod('netexec', 'netexec, --http-port=8080')}`, 60_000);
    const out = runCommand(sim, 'kubectl describe pod liveness-http').out;
    expect(out).toMatch(/Restart Count: {2}[1-9]/);
    expect(out).toContain('Liveness probe failed: HTTP probe failed with statuscode: 500');
    expect(runCommand(sim, 'kubectl get pod netexec -o jsonpath={.status.containerStatuses[0].restartCount}').out).toBe('0');
  });
  test('stress holding more memory than its limit is OOM-killed', () => {
    const sim = docsPod('apiVersion: v1\nkind: Pod\nmetadata: {name: memory-demo-2}\nspec:\n  containers:\n  - name: memory-demo-2-ctr\n    image: polinux/stress\n    resources: {requests: {memory: 50Mi}, limits: {memory: 100Mi}}\n    command: [stress]\n    args: [--vm, "1", --vm-bytes, 250M, --vm-hang, "1"]\n', 10_000);
    expect(runCommand(sim, 'kubectl get pod memory-demo-2 -o jsonpath={.status.containerStatuses[0].lastState.terminated.reason}').out).toBe('OOMKilled');
  });
});

describe('a crash-looping container shows CrashLoopBackOff until its new run starts (the kubelet\'s reason cache)', () => {
  test('not ContainerCreating while the image is pulled again', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl run loop --image=busybox -- sh -c "echo starting; exit 1"');
    const seen = new Set<string>();
    for (let t = 5_000; t < 80_000; t += 100) {
      sim.runUntil(t);
      seen.add(runCommand(sim, 'kubectl get pod loop --no-headers -o custom-columns=S:.status.containerStatuses[0].state.waiting.reason').out.trim());
    }
    expect(seen).toContain('CrashLoopBackOff');
    expect(seen).not.toContain('ContainerCreating');
  });
});

describe("a pod's app containers start one after another (SyncPod's start loop)", () => {
  const at = (sim: ReturnType<typeof kubeletSim>, name: string) =>
    sim.store
      .list('Event')
      .filter((e: any) => e.involvedObject.name === name)
      .map((e: any) => `${parseIsoTime(e.firstTimestamp) / S} ${e.reason}: ${e.message}`);

  test('the second pulls once the first has started', () => {
    const sim = kubeletSim({ 'app:v1': { pullSeconds: 2, startupSeconds: 1 }, 'log:v1': { pullSeconds: 3, startupSeconds: 1 } });
    runPod(sim, 'two', [{ name: 'app', image: 'app:v1' }, { name: 'log', image: 'log:v1' }]);
    sim.runUntil(20 * S);
    expect(eventsOf(sim, 'two')).toEqual([
      'Pulling: Pulling image "app:v1"',
      expect.stringMatching(/^Pulled: Successfully pulled image "app:v1" in 2s \(2s including waiting\)\. Image size: \d+ bytes\.$/),
      'Created: Created container: app',
      'Started: Started container app',
      'Pulling: Pulling image "log:v1"',
      expect.stringMatching(/^Pulled: Successfully pulled image "log:v1" in 3s \(3s including waiting\)\. Image size: \d+ bytes\.$/),
      'Created: Created container: log',
      'Started: Started container log',
    ]);
    expect(pod(sim, 'two').status.phase).toBe('Running');
  });

  test("a postStart hook holds the next container back until it returns; a failed pull does not", () => {
    const sim = kubeletSim({ 'app:v1': { pullSeconds: 1, startupSeconds: 1 }, 'log:v1': { pullSeconds: 1, startupSeconds: 1 }, 'gone:v1': { pullSeconds: 1, pullError: true } });
    runPod(sim, 'hooked', [
      { name: 'app', image: 'app:v1', lifecycle: { postStart: { exec: { command: ['sh', '-c', 'sleep 5'] } } } },
      { name: 'log', image: 'log:v1' },
    ]);
    runPod(sim, 'broken', [{ name: 'gone', image: 'gone:v1' }, { name: 'log', image: 'log:v1' }]);
    sim.runUntil(20 * S);
    // Event times are whole seconds: the log container starts 5 s (the hook) after the app (its image is there).
    const hooked = at(sim, 'hooked');
    const seconds = (what: string) => parseFloat(hooked.find((e) => e.includes(what))!);
    expect(seconds('Started container log') - seconds('Started container app')).toBe(5);
    const broken = at(sim, 'broken');
    const failed = broken.findIndex((e) => e.includes('Error: ErrImagePull'));
    const log = broken.findIndex((e) => e.includes('Started container log'));
    expect(failed).toBeGreaterThan(-1);
    expect(log).toBeGreaterThan(failed);
  });

  test("a failed pull hands the turn on once: the retry in back-off does not start a second round", () => {
    const sim = kubeletSim({ 'gone:v1': { pullSeconds: 1, pullError: true }, 'b:v1': { pullSeconds: 3, startupSeconds: 1 }, 'c:v1': { pullSeconds: 2, startupSeconds: 1 } });
    runPod(sim, 'four', [{ name: 'a', image: 'gone:v1' }, { name: 'b', image: 'b:v1' }, { name: 'c', image: 'c:v1' }, { name: 'd', image: 'c:v1' }]);
    sim.runUntil(20 * S);
    const ev = eventsOf(sim, 'four').filter((e) => !e.includes('gone:v1') && !e.includes('ErrImagePull') && !e.includes('ImagePullBackOff'));
    expect(ev).toEqual([
      'Pulling: Pulling image "b:v1"',
      expect.stringMatching(/^Pulled: Successfully pulled image "b:v1" in 3s/),
      'Created: Created container: b',
      'Started: Started container b',
      'Pulling: Pulling image "c:v1"',
      expect.stringMatching(/^Pulled: Successfully pulled image "c:v1" in 2s/),
      'Created: Created container: c',
      'Started: Started container c',
      'Pulled: Container image "c:v1" already present on machine',
      'Created: Created container: d',
      'Started: Started container d',
    ]);
  });
});
