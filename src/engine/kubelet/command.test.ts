import { describe, expect, it, test } from 'vitest';
import type { Container, Pod } from '../api/types.ts';
import { commandLine, imageRepo } from './command.ts';
import type { KubeletService } from './index.ts';
import { eventsOf, kubeletSim, runPod } from './testutil.ts';
import { deletePod } from '../controllers/nodelifecycle.ts';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';

const S = 1000;

describe('commandLine: command replaces ENTRYPOINT, args replaces CMD', () => {
  const env: [string, string][] = [['MSG', 'hi']];
  const cases: [image: string, spec: Pick<Container, 'command' | 'args'>, want: string[] | undefined][] = [
    ['busybox:1.36', {}, ['sh']],
    ['docker.io/library/alpine:3.20', {}, ['/bin/sh']],
    ['busybox', { command: ['sleep', '3600'] }, ['sleep', '3600']],
    ['busybox', { command: ['/bin/sh'], args: ['-c', 'echo hi'] }, ['/bin/sh', '-c', 'echo hi']],
    ['busybox', { args: ['echo', 'hi'] }, ['echo', 'hi']],
    ['node:20', { args: ['node', 'app.js'] }, ['docker-entrypoint.sh', 'node', 'app.js']],
    ['node:20', { command: ['node', '-e', '1'] }, ['node', '-e', '1']],
    // An image the simulation does not know: its ENTRYPOINT and CMD are unknown too.
    ['nginx:1.25', {}, undefined],
    ['registry.example.com/team/app:v2', { args: ['--port=8080'] }, undefined],
    ['registry.example.com/team/app:v2', { command: ['/app', '--port=8080'] }, ['/app', '--port=8080']],
    // $(VAR) from the container's environment; $$(VAR) is a literal; an undefined one stays as written.
    ['busybox', { command: ['echo', '$(MSG)', '$$(MSG)', '$(NOPE)'] }, ['echo', 'hi', '$(MSG)', '$(NOPE)']],
    // An image named like an Object property is just an unknown image.
    ['constructor:1.0', {}, undefined],
    ['toString', { args: ['x'] }, undefined],
  ];
  for (const [image, spec, want] of cases) it(`${image} ${JSON.stringify(spec)}`, () => expect(commandLine(spec, image, env)).toEqual(want));

  it.each([
    ['busybox', 'busybox'],
    ['busybox:1.36', 'busybox'],
    ['registry.k8s.io/e2e-test-images/busybox:1.29-4', 'busybox'],
    ['docker.io/library/alpine@sha256:abc', 'alpine'],
    ['localhost:5000/alpine:3', 'alpine'],
  ])('imageRepo(%s) = %s', (image, want) => expect(imageRepo(image)).toBe(want));
});

const status = (sim: ReturnType<typeof kubeletSim>, name: string) => {
  const st = sim.store.get<Pod>('Pod', 'default', name)!.status.containerStatuses![0];
  return `${Object.keys(st.state)[0]}/${st.state.waiting?.reason ?? st.state.terminated?.reason ?? ''}#${st.restartCount}`;
};

describe('the kubelet runs what the command line does', () => {
  test('a bare busybox container: the shell has no stdin, exits 0, and the pod crash-loops (restartPolicy Always)', () => {
    const sim = kubeletSim({ busybox: { pullSeconds: 1, startupSeconds: 1 } });
    runPod(sim, 'bb', [{ image: 'busybox' }]);
    sim.runUntil(60 * S);
    expect(status(sim, 'bb')).toMatch(/^waiting\/CrashLoopBackOff#[34]$/);
    const last = sim.store.get<Pod>('Pod', 'default', 'bb')!.status.containerStatuses![0].lastState!.terminated!;
    expect([last.reason, last.exitCode]).toEqual(['Completed', 0]);
    expect(eventsOf(sim, 'bb').some((e) => e.startsWith('BackOff: Back-off restarting failed container web'))).toBe(true);
  });

  test('sleep 30 with restartPolicy Never: Running, then Completed at 30 s after the start', () => {
    const sim = kubeletSim({ busybox: { pullSeconds: 1, startupSeconds: 1 } });
    runPod(sim, 'nap', [{ image: 'busybox', command: ['sleep', '30'] }], { restartPolicy: 'Never' });
    sim.runUntil(30 * S);
    expect(status(sim, 'nap')).toBe('running/#0');
    sim.runUntil(32 * S);
    expect(status(sim, 'nap')).toBe('terminated/Completed#0');
    const t = sim.store.get<Pod>('Pod', 'default', 'nap')!.status.containerStatuses![0].state.terminated!;
    expect([t.startedAt, t.finishedAt]).toEqual(['2025-01-01T00:00:01Z', '2025-01-01T00:00:31Z']);
  });

  test('a failing script exits with its code and reason Error', () => {
    const sim = kubeletSim({ busybox: { pullSeconds: 1, startupSeconds: 1 } });
    runPod(sim, 'bug', [{ image: 'busybox', command: ['sh', '-c', 'echo "Hello world!" && sleep 5 && exit 42'] }], { restartPolicy: 'Never' });
    sim.runUntil(10 * S);
    const t = sim.store.get<Pod>('Pod', 'default', 'bug')!.status.containerStatuses![0].state.terminated!;
    expect([t.reason, t.exitCode]).toEqual(['Error', 42]);
    expect(sim.service<KubeletService>('kubelet').logs('bug')).toBe('Hello world!\n');
  });

  test('an init container that sleeps holds the app container back; one that exits 0 lets it go at once', () => {
    const sim = kubeletSim({ busybox: { pullSeconds: 1, startupSeconds: 5 } });
    runPod(sim, 'slow', [{ image: 'nginx:1.25' }], { initContainers: [{ name: 'wait', image: 'busybox', command: ['sleep', '20'] }] });
    runPod(sim, 'fast', [{ image: 'nginx:1.25' }], { initContainers: [{ name: 'hi', image: 'busybox', command: ['echo', 'init done'] }] });
    sim.runUntil(15 * S);
    expect(sim.store.get<Pod>('Pod', 'default', 'slow')!.status.initContainerStatuses![0].state.running).toBeDefined();
    expect(status(sim, 'fast')).toBe('running/#0');
    sim.runUntil(30 * S);
    expect(status(sim, 'slow')).toBe('running/#0');
    expect(sim.service<KubeletService>('kubelet').logs('fast', 'hi')).toBe('init done\n');
  });

  test('the scenario\'s image behaviour wins over the command line', () => {
    const sim = kubeletSim({ busybox: { pullSeconds: 1, startupSeconds: 1, runSeconds: 4, exitCode: 3, logs: ['scripted'] } });
    runPod(sim, 'p', [{ image: 'busybox', command: ['sleep', 'infinity'] }], { restartPolicy: 'Never' });
    sim.runUntil(10 * S);
    expect(status(sim, 'p')).toBe('terminated/Error#0');
    expect(sim.service<KubeletService>('kubelet').logs('p')).toBe('scripted\n');
  });

  test('logs of a loop grow with the clock, each line stamped when it was printed', () => {
    const sim = kubeletSim({ busybox: { pullSeconds: 1, startupSeconds: 1 } });
    runPod(sim, 'tick', [{ image: 'busybox', command: ['sh', '-c', 'while true; do echo "tick $(date +%T)"; sleep 10; done'] }]);
    sim.runUntil(25 * S);
    const k = sim.service<KubeletService>('kubelet');
    expect(k.logs('tick')).toBe('tick 00:00:01\ntick 00:00:11\ntick 00:00:21\n');
    expect(k.logLines('tick').map((l) => l.at)).toEqual([1.5 * S, 11.5 * S, 21.5 * S]); // sandbox 0.5 s + pull 1 s
    sim.runUntil(32 * S);
    expect(k.logs('tick').split('\n')).toHaveLength(5);
  });
  test.each([
    ['a file the loop never wrote', ''],
    ['a file the loop wrote first', 'echo one > /data/f; '],
  ])('a loop reads what kubectl exec wrote from then on, earlier lines unchanged: %s', (_name, first) => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl apply -f -', {
      stdin: `apiVersion: v1\nkind: Pod\nmetadata: {name: reader}\nspec:\n  volumes: [{name: data, emptyDir: {}}]\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sh, -c, '${first}while true; do echo "read $(cat /data/f 2>/dev/null)"; sleep 10; done']\n    volumeMounts: [{name: data, mountPath: /data}]\n`,
    });
    sim.runUntil(25 * S);
    expect(runCommand(sim, `kubectl exec reader -- sh -c 'echo two > /data/f'`).exit).toBe(0);
    sim.runUntil(60 * S);
    const before = first ? 'read one' : 'read ';
    expect(runCommand(sim, 'kubectl logs reader').out.split('\n').filter(Boolean)).toEqual([before, before, before, 'read two', 'read two', 'read two']);
  });
});

describe('a one-shot client pod: the network tools its process calls at its start', () => {
  const client = () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl create deployment web --image=nginx --replicas=2');
    runCommand(sim, 'kubectl expose deployment web --port=80');
    sim.runUntil(20 * S);
    return sim;
  };
  const at = (sim: ReturnType<typeof client>, s: number, line: string) => {
    sim.runUntil(s * S);
    return runCommand(sim, line).out;
  };

  test('wget, curl (busybox, curlimages/curl) and nslookup run, print to the log and exit: the pod is Completed', () => {
    const sim = client();
    runCommand(sim, 'kubectl run w --image=busybox:1.36 --restart=Never -- wget -qO- web');
    runCommand(sim, 'kubectl run c --image=curlimages/curl:8.5.0 --restart=Never -- curl -s web');
    runCommand(sim, 'kubectl run f --image=curlimages/curl:8.5.0 --restart=Never -- -s http://web.default.svc.cluster.local');
    runCommand(sim, `kubectl run s --image=busybox:1.36 --restart=Never -- sh -c 'wget -qO- web && echo done'`);
    runCommand(sim, 'kubectl run n --image=busybox:1.36 --restart=Never -- nslookup web');
    for (const name of ['w', 'c', 'f', 's', 'n']) expect(at(sim, 40, `kubectl get pod ${name} -o jsonpath={.status.phase}`), name).toBe('Succeeded');
    expect(at(sim, 40, 'kubectl logs w')).toMatch(/^GET \/ served by web-[a-z0-9]+-[a-z0-9]{5} \(nginx\) for web\n$/);
    expect(at(sim, 40, 'kubectl logs c')).toMatch(/^GET \/ served by web-/);
    expect(at(sim, 40, 'kubectl logs f')).toMatch(/^GET \/ served by web-/);
    expect(at(sim, 40, 'kubectl logs s')).toMatch(/served by web-.*\ndone\n$/);
    expect(at(sim, 40, 'kubectl logs n')).toContain('Name:\tweb.default.svc.cluster.local\n');
  });

  test('a failing request exits 1 and a Never pod ends in Error; a later request (after a sleep) is not known', () => {
    const sim = client();
    runCommand(sim, 'kubectl run bad --image=busybox:1.36 --restart=Never -- wget -qO- nope');
    runCommand(sim, `kubectl run later --image=busybox:1.36 --restart=Never -- sh -c 'echo before; sleep 5; wget -qO- web'`);
    runCommand(sim, 'kubectl run form --image=curlimages/curl:8.5.0 --restart=Never -- curl -sS -o /dev/null web');
    expect(at(sim, 40, 'kubectl get pod bad')).toMatch(/\nbad +0\/1 +Error +0 /);
    expect(at(sim, 40, 'kubectl logs bad')).toBe("wget: bad address 'nope'\n");
    // What a Service answers later is not known when the process is planned: the image's behaviour applies.
    expect(at(sim, 40, 'kubectl get pod later -o jsonpath={.status.phase}')).toBe('Running');
    // Its log says where the simulation stopped following the command line, after what it printed before.
    const traffic = ' (to send steady requests to a Service, run kubeplay traffic set NAME --rps N --host SERVICE)';
    expect(at(sim, 40, 'kubectl logs later')).toBe(`before\nkubeplay: not simulated from here: wget -qO- web (a network call 5s after the container started); the container keeps running and prints nothing more${traffic}\n`);
    expect(at(sim, 40, 'kubectl logs form')).toBe(`kubeplay: not simulated from here: curl -sS -o /dev/null web (this form); the container keeps running and prints nothing more${traffic}\n`);
  });

  test('a restored snapshot works the process out again from the answers kept at its start', () => {
    const a = client();
    runCommand(a, 'kubectl run w --image=busybox:1.36 --restart=Never -- wget -qO- web');
    a.runUntil(30 * S);
    expect(a.store.get<Pod>('Pod', 'default', 'w')!.status.phase).toBe('Succeeded');
    const snap = a.snapshot();
    const b = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    b.restore(snap);
    // Between the snapshot and the logs the Service loses its pods: the log is still what was answered at the start.
    runCommand(b, 'kubectl scale deployment web --replicas=0');
    expect(at(b, 40, 'kubectl logs w')).toBe(at(a, 40, 'kubectl logs w'));
  });
});

describe('exec probes beside a process the shell runs', () => {
  test("the docs' liveness example: healthy for 30 s, then cat fails three times and the kubelet restarts the container", () => {
    const sim = kubeletSim({ busybox: { pullSeconds: 1, startupSeconds: 1 } });
    runPod(sim, 'liveness-exec', [
      {
        name: 'liveness',
        image: 'busybox',
        imagePullPolicy: 'IfNotPresent',
        args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'],
        livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 5, periodSeconds: 5 },
      },
    ]);
    sim.runUntil(34 * S);
    expect(eventsOf(sim, 'liveness-exec').filter((e) => e.startsWith('Unhealthy'))).toEqual([]);
    sim.runUntil(60 * S);
    const events = eventsOf(sim, 'liveness-exec');
    expect(events.filter((e) => e.startsWith('Unhealthy'))).toEqual(["Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory (x3)"]);
    expect(events).toContain('Killing: Container liveness failed liveness probe, will be restarted');
    // sh is PID 1 and has no SIGTERM handler: the kernel ignores the signal, SIGKILL comes at the 30 s grace period.
    expect(sim.store.get<Pod>('Pod', 'default', 'liveness-exec')!.status.containerStatuses![0].restartCount).toBe(0);
    sim.runUntil(80 * S);
    const cs = sim.store.get<Pod>('Pod', 'default', 'liveness-exec')!.status.containerStatuses![0];
    expect([cs.restartCount, cs.lastState?.terminated?.exitCode, cs.lastState?.terminated?.reason]).toEqual([1, 137, 'Error']);
  });

  test('a snapshot restored mid-run replays the same probe results and restarts', () => {
    const liveness = (sim: ReturnType<typeof kubeletSim>) =>
      runPod(sim, 'lv', [{ image: 'busybox', command: ['sh', '-c', 'touch /tmp/ok; sleep 20; rm /tmp/ok; sleep 600'], livenessProbe: { exec: { command: ['cat', '/tmp/ok'] }, periodSeconds: 5 } }]);
    const a = kubeletSim({ busybox: { pullSeconds: 1, startupSeconds: 1 } });
    liveness(a);
    a.runUntil(15 * S);
    const snap = a.snapshot();
    a.runUntil(120 * S);
    const b = kubeletSim({ busybox: { pullSeconds: 1, startupSeconds: 1 } });
    b.restore(snap);
    b.runUntil(120 * S);
    expect(eventsOf(b, 'lv')).toEqual(eventsOf(a, 'lv'));
    expect(eventsOf(a, 'lv').filter((e) => e.startsWith("Unhealthy: Liveness probe failed: cat: can't open '/tmp/ok'")).length).toBeGreaterThan(0);
    expect(eventsOf(a, 'lv').some((e) => e.startsWith('Killing: Container web failed liveness probe, will be restarted'))).toBe(true);
  });

  test('a readiness exec probe passes once the script has written its file', () => {
    const sim = kubeletSim({ busybox: { pullSeconds: 1, startupSeconds: 1 } });
    runPod(sim, 'warm', [
      {
        image: 'busybox',
        command: ['sh', '-c', 'sleep 12; touch /tmp/ready; sleep infinity'],
        readinessProbe: { exec: { command: ['test', '-f', '/tmp/ready'] }, periodSeconds: 2 },
      },
    ]);
    const ready = () => sim.store.get<Pod>('Pod', 'default', 'warm')!.status.containerStatuses![0].ready;
    sim.runUntil(13 * S);
    expect(ready()).toBe(false);
    sim.runUntil(16 * S);
    expect(ready()).toBe(true);
  });

  test('an exec probe that outlives timeoutSeconds fails as timed out', () => {
    const sim = kubeletSim({ busybox: { pullSeconds: 1, startupSeconds: 1 } });
    runPod(sim, 'slow', [{ image: 'busybox', command: ['sleep', 'infinity'], readinessProbe: { exec: { command: ['sleep', '5'] }, timeoutSeconds: 2, periodSeconds: 10 } }]);
    sim.runUntil(15 * S);
    expect(eventsOf(sim, 'slow')).toContain('Unhealthy: Readiness probe failed: command "sleep 5" timed out');
  });
});

describe('lifecycle hooks', () => {
  // killContainer: preStop first (at most the grace period), the whole seconds it took come off the
  // grace period, at least 2 s are left for SIGTERM, then SIGKILL.
  test.each([
    { name: 'no hook', preStop: undefined, shutdownSeconds: 4, grace: 30, gone: 4, code: 0 },
    { name: 'sleep action', preStop: { sleep: { seconds: 10 } }, shutdownSeconds: 4, grace: 30, gone: 14, code: 0 },
    { name: 'exec sleep within the grace period', preStop: { exec: { command: ['sh', '-c', 'sleep 25'] } }, shutdownSeconds: 4, grace: 30, gone: 29, code: 0 },
    { name: 'SIGTERM gets what is left: killed at the grace period', preStop: { exec: { command: ['sleep', '25'] } }, shutdownSeconds: 10, grace: 30, gone: 30, code: 137 },
    { name: 'hook past the grace period: abandoned, 2 s more for SIGTERM', preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 180'] } }, shutdownSeconds: 1, grace: 120, gone: 121, code: 0 },
    { name: 'hook past the grace period, slow to stop: SIGKILL 2 s after', preStop: { exec: { command: ['sleep', '180'] } }, shutdownSeconds: 5, grace: 120, gone: 122, code: 137 },
    { name: 'httpGet hook answers at once', preStop: { httpGet: { path: '/drain', port: 80 } }, shutdownSeconds: 4, grace: 30, gone: 4, code: 0 },
    { name: 'a program the shell cannot run counts as done', preStop: { exec: { command: ['/usr/sbin/nginx', '-s', 'quit'] } }, shutdownSeconds: 4, grace: 30, gone: 4, code: 0 },
  ])('preStop: $name', ({ preStop, shutdownSeconds, grace, gone, code }) => {
    const sim = kubeletSim({ 'svc:1': { shutdownSeconds, startupSeconds: 0, pullSeconds: 1 } });
    let final: { at: number; code?: number } | undefined;
    sim.store.watch('Pod', (t, o) => {
      if (t === 'DELETED') final = { at: sim.now(), code: (o as Pod).status.containerStatuses![0].state.terminated?.exitCode };
    });
    runPod(sim, 'p', [{ image: 'svc:1', lifecycle: preStop ? { preStop } : undefined }], { terminationGracePeriodSeconds: grace });
    sim.runUntil(5 * S);
    deletePod(sim, sim.store.get<Pod>('Pod', 'default', 'p')!);
    sim.runUntil(300 * S);
    expect(final).toEqual({ at: (5 + gone) * S, code });
  });

  test('a failing preStop hook is a FailedPreStopHook event without its output; the container still stops', () => {
    const sim = kubeletSim({ 'svc:1': { shutdownSeconds: 1, startupSeconds: 0, pullSeconds: 1 } });
    runPod(sim, 'p', [{ image: 'svc:1', lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo secret; exit 3'] } } } }]);
    sim.runUntil(5 * S);
    deletePod(sim, sim.store.get<Pod>('Pod', 'default', 'p')!);
    sim.runUntil(20 * S);
    expect(eventsOf(sim, 'p')).toContain('FailedPreStopHook: PreStopHook failed');
    expect(sim.store.get('Pod', 'default', 'p')).toBeUndefined();
  });

  test("postStart writes what exec reads (the docs' lifecycle-demo); a failing one kills the container, which restarts", () => {
    const sim = kubeletSim({ 'nginx:1.25': { startupSeconds: 1, pullSeconds: 1 } });
    runPod(sim, 'demo', [{ image: 'nginx:1.25', lifecycle: { postStart: { exec: { command: ['/bin/sh', '-c', 'echo Hello from the postStart handler > /usr/share/message'] } } } }]);
    runPod(sim, 'bad', [{ image: 'nginx:1.25', lifecycle: { postStart: { exec: { command: ['sh', '-c', 'exit 1'] } } } }]);
    sim.runUntil(20 * S);
    const k = sim.service<KubeletService>('kubelet');
    expect(k.fileChanges('demo').get('/usr/share/message')).toBe('Hello from the postStart handler\n');
    const bad = eventsOf(sim, 'bad');
    expect(bad).toEqual(expect.arrayContaining([expect.stringMatching(/^FailedPostStartHook: PostStartHook failed/), expect.stringMatching(/^Killing: FailedPostStartHook/)]));
    expect(sim.store.get<Pod>('Pod', 'default', 'bad')!.status.containerStatuses![0].restartCount).toBeGreaterThan(0);
  });
});

describe('replicas share a run of the same command line when it read nothing that differs', () => {
  test('a loop that prints a constant runs once for every pod; one that prints $HOSTNAME runs per pod', () => {
    const sim = kubeletSim({ busybox: { pullSeconds: 1, startupSeconds: 1 } });
    const loop = ['sh', '-c', 'while true; do echo "hello"; sleep 10; done'];
    const own = ['sh', '-c', 'while true; do echo "I am $HOSTNAME"; sleep 10; done'];
    for (const n of ['a', 'b']) runPod(sim, `loop-${n}`, [{ image: 'busybox', command: loop }]);
    for (const n of ['a', 'b']) runPod(sim, `own-${n}`, [{ image: 'busybox', command: own }]);
    sim.runUntil(15 * S);
    const k = sim.service<KubeletService>('kubelet');
    expect(k.logs('loop-a')).toBe('hello\nhello\n');
    expect(k.logs('loop-b')).toBe('hello\nhello\n');
    expect(k.logs('own-a')).toBe('I am own-a\nI am own-a\n');
    expect(k.logs('own-b')).toBe('I am own-b\nI am own-b\n');
  });
});

describe('SIGTERM and PID 1', () => {
  test.each([
    // A shell or sleep as PID 1 has no SIGTERM handler: stopped by SIGKILL at the grace period (exit 137).
    { name: 'sleep as PID 1', command: ['sleep', 'infinity'], gone: 30, code: 137 },
    { name: 'a shell loop', command: ['sh', '-c', 'while true; do sleep 1; done'], gone: 30, code: 137 },
    // A script that traps TERM ends on the signal; an image the shell does not run keeps its own shutdown.
    { name: 'a script that traps TERM', command: ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 1; done"], gone: 1, code: 0 },
    { name: 'a server image', command: undefined, gone: 1, code: 0 },
  ])('$name: deleted at 5 s, gone after $gone s with $code', ({ command, gone, code }) => {
    const sim = kubeletSim({ busybox: { pullSeconds: 1, startupSeconds: 0 }, 'svc:1': { pullSeconds: 1, startupSeconds: 0 } });
    let final: { at: number; code?: number } | undefined;
    sim.store.watch('Pod', (t, o) => {
      if (t === 'DELETED') final = { at: sim.now(), code: (o as Pod).status.containerStatuses![0].state.terminated?.exitCode };
    });
    runPod(sim, 'p', [{ image: command ? 'busybox' : 'svc:1', command }]);
    sim.runUntil(5 * S);
    deletePod(sim, sim.store.get<Pod>('Pod', 'default', 'p')!);
    sim.runUntil(60 * S);
    expect(final).toEqual({ at: (5 + gone) * S, code });
  });
});

describe('files the simulation knows and does not know', () => {
  test('exec on a hostPath volume says its contents are not known, rather than that the path is missing', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    sim.service<{ create(o: unknown): unknown }>('api').create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'vols', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'host', mountPath: '/host-log' }] }], volumes: [{ name: 'host', hostPath: { path: '/var/log' } }] },
    });
    sim.runUntil(20 * S);
    const r = runCommand(sim, 'kubectl exec vols -- ls /host-log');
    expect(r.exit).toBe(126);
    expect(r.out).toContain('but not ls /host-log (on a hostPath volume, whose contents are not known)\ncommand terminated with exit code 126\n');
    expect(runCommand(sim, 'kubectl exec vols -- ls /nope').out).toBe("ls: cannot access '/nope': No such file or directory\ncommand terminated with exit code 1\n");
  });

  test("the docs' hostAliases pod prints the kubelet-managed /etc/hosts with its aliases", () => {
    const sim = kubeletSim({ busybox: { pullSeconds: 1, startupSeconds: 1 } });
    runPod(sim, 'hostaliases-pod', [{ name: 'cat-hosts', image: 'busybox', command: ['cat'], args: ['/etc/hosts'] }], {
      restartPolicy: 'Never',
      hostAliases: [
        { ip: '127.0.0.1', hostnames: ['foo.local', 'bar.local'] },
        { ip: '10.1.2.3', hostnames: ['foo.remote', 'bar.remote'] },
      ],
    });
    sim.runUntil(10 * S);
    const ip = sim.store.get<Pod>('Pod', 'default', 'hostaliases-pod')!.status.podIP;
    expect(sim.service<KubeletService>('kubelet').logs('hostaliases-pod')).toBe(
      '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n' +
        `${ip}\thostaliases-pod\n\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n10.1.2.3\tfoo.remote\tbar.remote\n`,
    );
    expect(status(sim, 'hostaliases-pod')).toBe('terminated/Completed#0');
  });

  test('hostname -f is the name /etc/hosts gives: with a subdomain, <host>.<subdomain>.<namespace>.svc.cluster.local', () => {
    const sim = kubeletSim({ busybox: { pullSeconds: 1, startupSeconds: 1 } });
    runPod(sim, 'web-0', [{ name: 'c', image: 'busybox', command: ['hostname', '-f'] }], { restartPolicy: 'Never', hostname: 'web-0', subdomain: 'web' });
    runPod(sim, 'plain', [{ name: 'c', image: 'busybox', command: ['hostname', '-f'] }], { restartPolicy: 'Never' });
    sim.runUntil(10 * S);
    expect(sim.service<KubeletService>('kubelet').logs('web-0')).toBe('web-0.web.default.svc.cluster.local\n');
    expect(sim.service<KubeletService>('kubelet').logs('plain')).toBe('plain\n');
  });

  test("a read from a hostPath or emptyDir volume is not simulated: the image's behaviour applies (the init container completes)", () => {
    const sim = kubeletSim({ busybox: { pullSeconds: 1, startupSeconds: 1 } });
    runPod(sim, 'ds', [{ image: 'nginx:1.25' }], {
      initContainers: [{ name: 'log-machine-id', image: 'busybox', command: ['sh', '-c', 'cat /etc/machine-id > /var/log/machine-id.log'], volumeMounts: [{ name: 'machine-id', mountPath: '/etc/machine-id', readOnly: true }] }],
      volumes: [{ name: 'machine-id', hostPath: { path: '/etc/machine-id', type: 'File' } }],
    });
    sim.runUntil(20 * S);
    expect(status(sim, 'ds')).toBe('running/#0');
  });
});

describe('an emptyDir volume is one directory the pod\'s containers share', () => {
  /** shared: an init container fills the volume, one container appends to it, another reads it. */
  function shared(readerCommand = 'sleep 3600') {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    const api = sim.service<{ create(o: unknown): unknown }>('api');
    api.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'two', namespace: 'default' },
      spec: {
        initContainers: [{ name: 'fetch', image: 'busybox:1.36', command: ['sh', '-c', 'echo fetched > /work/index.html'], volumeMounts: [{ name: 'shared', mountPath: '/work' }] }],
        containers: [
          { name: 'writer', image: 'busybox:1.36', command: ['sh', '-c', 'cat /shared/index.html; while true; do date >> /shared/out.txt; sleep 5; done'], volumeMounts: [{ name: 'shared', mountPath: '/shared' }] },
          { name: 'reader', image: 'busybox:1.36', command: ['sh', '-c', readerCommand], volumeMounts: [{ name: 'shared', mountPath: '/data' }] },
        ],
        volumes: [{ name: 'shared', emptyDir: {} }],
      },
    });
    sim.runUntil(20 * S);
    return sim;
  }
  const run = (sim: ReturnType<typeof createCluster>, line: string) => runCommand(sim, line).out;

  test('kubectl exec in one container reads what the others wrote, at its own mount path', () => {
    const sim = shared();
    // Without -c, kubectl names the container it chose and every other, init containers marked (podcmd.AllContainerNames).
    expect(run(sim, 'kubectl exec two -- cat /shared/index.html')).toBe('Defaulted container "writer" out of: writer, reader, fetch (init)\nfetched\n');
    expect(run(sim, 'kubectl exec two -c reader -- cat /data/index.html')).toBe('fetched\n');
    expect(run(sim, 'kubectl exec two -c reader -- ls /data')).toBe('index.html\nout.txt\n');
    // The writer's loop ran on the cluster's clock (2025), a line every 5 s from its start.
    expect(run(sim, 'kubectl exec two -c reader -- cat /data/out.txt')).toMatch(/^(Wed Jan {2}1 00:00:\d\d UTC 2025\n){4}$/);
    run(sim, 'kubectl exec two -c reader -- sh -c "echo hello > /data/note; rm /data/index.html"');
    expect(run(sim, 'kubectl exec two -c writer -- ls /shared')).toBe('note\nout.txt\n');
    expect(run(sim, 'kubectl exec two -c writer -- cat /shared/note')).toBe('hello\n');
  });

  test("a container's own program finds the init container's files; one that may be written while it runs is not simulated", () => {
    // The reader writes nothing there: the writer starts from what the init container left.
    expect(run(shared(), 'kubectl logs two -c writer')).toBe('fetched\n');
    // A reader that also writes into the volume: what the writer finds there is no longer known, so its
    // program is not simulated from that read on (its log says so) and out.txt is not invented.
    const busy = shared('while true; do echo x >> /data/mine.txt; sleep 5; done');
    expect(run(busy, 'kubectl logs two -c writer')).toBe('kubeplay: not simulated from here: reading /shared/index.html (on an emptyDir volume, whose contents are not known); the container keeps running and prints nothing more\n');
    expect(run(busy, 'kubectl exec two -c writer -- cat /shared/out.txt')).toMatch(/No such file or directory/);
  });
});

describe("a web server's own process only reads the volume it serves", () => {
  test('a sidecar appending to the html directory nginx serves is simulated (the docs\' shared-volume example)', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl apply -f -', {
      stdin: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  volumes: [{name: html, emptyDir: {}}]
  containers:
  - {name: nginx, image: nginx:1.25, volumeMounts: [{name: html, mountPath: /usr/share/nginx/html}]}
  - {name: writer, image: busybox:1.36, command: [sh, -c, 'while true; do date >> /html/index.html; sleep 5; done'], volumeMounts: [{name: html, mountPath: /html}]}
`,
    });
    sim.runUntil(20 * S);
    expect(runCommand(sim, 'kubectl exec web -c nginx -- cat /usr/share/nginx/html/index.html').out).toMatch(/^(Wed Jan {2}1 00:00:\d\d UTC 2025\n){3,4}$/);
    expect(runCommand(sim, 'kubectl logs web -c writer').out).toBe('');
  });
  test('nginx with its logs on the volume may write there: the neighbour\'s reads are not known', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl apply -f -', {
      stdin: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  volumes: [{name: logs, emptyDir: {}}]
  containers:
  - {name: nginx, image: nginx:1.25, volumeMounts: [{name: logs, mountPath: /var/log/nginx}]}
  - {name: reader, image: busybox:1.36, command: [sh, -c, 'cat /logs/access.log; sleep 3600'], volumeMounts: [{name: logs, mountPath: /logs}]}
`,
    });
    sim.runUntil(20 * S);
    expect(runCommand(sim, 'kubectl logs web -c reader').out).toMatch(/^kubeplay: not simulated from here: reading \/logs\/access.log/);
  });
});

describe('what a container listens on', () => {
  test('a program the shell runs opens no port: localhost reaches the sidecar on its port, and any other port is refused', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    sim.service<{ create(o: unknown): unknown }>('api').create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'two', namespace: 'default' },
      spec: {
        containers: [
          { name: 'main', image: 'curlimages/curl:8.5.0', command: ['sh', '-c', 'sleep 3600'] },
          { name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] },
        ],
      },
    });
    sim.runUntil(20 * S);
    expect(runCommand(sim, 'kubectl exec two -c main -- wget -qO- http://localhost/').out).toBe('GET / served by two (nginx:1.25) for localhost\n');
    expect(runCommand(sim, 'kubectl exec two -c main -- curl -sS http://localhost:9999/')).toEqual({
      exit: 7,
      out: "curl: (7) Failed to connect to localhost port 9999 after 0 ms: Couldn't connect to server\ncommand terminated with exit code 7\n",
    });
  });
});

describe("an init container whose work is not simulated", () => {
  test('its log says it is taken to complete, as its status shows', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl apply -f -', {
      stdin: `apiVersion: v1
kind: Pod
metadata: {name: init-demo}
spec:
  volumes: [{name: workdir, emptyDir: {}}]
  initContainers:
  - {name: install, image: busybox:1.28, command: [wget, -O, /work-dir/index.html, 'http://info.cern.ch'], volumeMounts: [{name: workdir, mountPath: /work-dir}]}
  containers:
  - {name: nginx, image: nginx, volumeMounts: [{name: workdir, mountPath: /usr/share/nginx/html}]}
`,
    });
    sim.runUntil(30 * S);
    expect(runCommand(sim, 'kubectl get pod init-demo -o jsonpath={.status.initContainerStatuses[0].state.terminated.reason}').out).toBe('Completed');
    expect(runCommand(sim, 'kubectl logs init-demo -c install').out).toBe(
      'kubeplay: not simulated from here: wget -O /work-dir/index.html http://info.cern.ch (this form); the init container is taken to complete (exit 0) without printing more\n',
    );
  });
});

describe('a busybox container runs only what busybox has', () => {
  const cluster = () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    return { sim, run: (line: string) => runCommand(sim, line) };
  };

  test("a script's unknown command: sh says it is not found (127) and goes on", () => {
    const { sim, run } = cluster();
    run(`kubectl run b --image=busybox:1.36 --restart=Never -- sh -c 'ech hi; echo after'`);
    sim.runUntil(30 * S);
    expect(run('kubectl logs b').out).toBe('sh: ech: not found\nafter\n');
  });

  test.each([
    [': builtin', `: ignored; echo after`, 'after\n'],
    ['a quiet loop', `i=0; while [ $i -lt 3 ]; do :; i=$((i+1)); done; echo $i`, '3\n'],
    ['a builtin the simulation does not run', `type ls`, /^kubeplay: not simulated from here: type;/],
  ])("a busybox shell's builtins are not looked up on PATH: %s", (_, script, want) => {
    const { sim, run } = cluster();
    run(`kubectl run b --image=busybox:1.36 --restart=Never -- sh -c '${script}'`);
    sim.runUntil(30 * S);
    if (typeof want === 'string') expect(run('kubectl logs b').out).toBe(want);
    else expect(run('kubectl logs b').out).toMatch(want);
  });

  test('a command busybox does not have cannot start: StartError, exit 128, back-off', () => {
    const { sim, run } = cluster();
    run('kubectl run a --image=busybox:1.36 -- sleeep 3600');
    sim.runUntil(4 * S);
    const err = 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "sleeep": executable file not found in $PATH: unknown';
    expect(run('kubectl get pod a --no-headers').out).toMatch(/^a\s+0\/1\s+(StartError|CrashLoopBackOff)\s+/);
    const last = JSON.parse(run('kubectl get pod a -o jsonpath={.status.containerStatuses[0].lastState.terminated}').out || run('kubectl get pod a -o jsonpath={.status.containerStatuses[0].state.terminated}').out);
    expect(last).toMatchObject({ exitCode: 128, reason: 'StartError', message: err, startedAt: '1970-01-01T00:00:00Z' });
    expect(run('kubectl get events --field-selector reason=Failed -o custom-columns=MSG:.message --no-headers').out).toBe(`Error: ${err}\n`);
    expect(run('kubectl logs a').out).toBe('');
    // A path outside the image: stat fails instead.
    run('kubectl run c --image=busybox:1.36 --command -- /bin/bash');
    sim.runUntil(8 * S);
    expect(run('kubectl describe pod c').out).toContain('exec: "/bin/bash": stat /bin/bash: no such file or directory: unknown');
  });
});
