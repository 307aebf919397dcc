import { describe, expect, it } from 'vitest';
import type { KubeObject, Pod } from '../api/types.ts';
import { eventsOf, kubeletSim, runPod } from './testutil.ts';
import { KubeletService } from './index.ts';
import { decodeBase64, lookupPath, volumeFiles, type MountState } from './volumes.ts';
import type { Sim } from '../sim.ts';
import { createCluster } from '../cluster.ts';
import { runCommand } from '../kubectl/index.ts';

const cm = (name: string, data: Record<string, string>, extra: Partial<KubeObject> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data, ...extra });
const secret = (name: string, data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default' }, type: 'Opaque', data });
const podWith = (volumes: any[]): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u1', labels: { b: '2', a: '1' } }, spec: { containers: [] as any, volumes }, status: {} }) as Pod;

describe('volumeFiles (configmap/secret/projected/downwardAPI SetUp)', () => {
  const sim = kubeletSim();
  sim.store.create(cm('cfg', { 'app.conf': 'x=1\n', 'b.txt': 'b' }, { binaryData: { 'bin.dat': 'aGk=' } }));
  sim.store.create(secret('creds', { password: btoa('s3cret') }));
  const cases: [string, any, Record<string, string> | string][] = [
    ['configMap: every key, binaryData decoded', { name: 'v', configMap: { name: 'cfg' } }, { 'app.conf': 'x=1\n', 'b.txt': 'b', 'bin.dat': 'hi' }],
    ['configMap items pick keys and paths', { name: 'v', configMap: { name: 'cfg', items: [{ key: 'b.txt', path: 'sub/b' }] } }, { 'sub/b': 'b' }],
    ['configMap missing', { name: 'v', configMap: { name: 'nope' } }, 'configmap "nope" not found'],
    ['configMap missing but optional', { name: 'v', configMap: { name: 'nope', optional: true } }, {}],
    ['configMap item with a missing key', { name: 'v', configMap: { name: 'cfg', items: [{ key: 'zz', path: 'z' }] } }, 'configmap references non-existent config key: zz'],
    ['secret decoded', { name: 'v', secret: { secretName: 'creds' } }, { password: 's3cret' }],
    ['secret missing', { name: 'v', secret: { secretName: 'gone' } }, 'secret "gone" not found'],
    ['secret item with a missing key', { name: 'v', secret: { secretName: 'creds', items: [{ key: 'user', path: 'u' }] } }, 'secret references non-existent secret key: user'],
    [
      'projected: configMap + secret + downwardAPI',
      { name: 'v', projected: { sources: [{ configMap: { name: 'cfg', items: [{ key: 'b.txt', path: 'b' }] } }, { secret: { name: 'creds' } }, { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } }] } },
      { b: 'b', password: 's3cret', labels: 'a="1"\nb="2"' },
    ],
    ['projected with a missing source', { name: 'v', projected: { sources: [{ configMap: { name: 'nope' } }] } }, 'configmap "nope" not found'],
  ];
  it.each(cases)('%s', (_n, vol, want) => {
    const r = volumeFiles(sim.store, podWith([vol]), vol);
    if (typeof want === 'string') expect(r).toEqual({ error: want });
    else expect('files' in r && Object.fromEntries(Object.entries(r.files).map(([k, f]) => [k, f.data]))).toEqual(want);
  });

  it('items keep their mode, others the defaultMode (0644)', () => {
    const r = volumeFiles(sim.store, podWith([]), { name: 'v', configMap: { name: 'cfg', defaultMode: 0o400, items: [{ key: 'b.txt', path: 'b', mode: 0o755 }, { key: 'app.conf', path: 'a' }] } });
    expect('files' in r && [r.files.b.mode, r.files.a.mode]).toEqual([0o755, 0o400]);
  });

  it("downwardAPI resourceFieldRef: the named container's limit or request in the divisor's units, rounded up", () => {
    const pod = podWith([]);
    pod.spec.containers = [{ name: 'app', image: 'i', resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '250m' } } }];
    const items = [
      { path: 'cpu_limit', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu' } },
      { path: 'cpu_request_m', resourceFieldRef: { containerName: 'app', resource: 'requests.cpu', divisor: '1m' } },
      { path: 'mem_limit', resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } },
    ];
    const r = volumeFiles(sim.store, pod, { name: 'v', downwardAPI: { items } });
    expect('files' in r && Object.fromEntries(Object.entries(r.files).map(([k, f]) => [k, f.data]))).toEqual({ cpu_limit: '1', cpu_request_m: '250', mem_limit: '64' });
  });

  it('decodeBase64 reads UTF-8', () => expect(decodeBase64('w6k=')).toBe('é'));
});

describe('lookupPath', () => {
  const st: MountState = { mounted: true, files: { cfg: { 'a.conf': { data: 'A', mode: 0o644 }, 'd/b': { data: 'B', mode: 0o644 } } } };
  const spec = { name: 'c', image: 'i', volumeMounts: [{ name: 'cfg', mountPath: '/etc/app' }, { name: 'cfg', mountPath: '/etc/one.conf', subPath: 'a.conf' }] };
  const frozen = { '/etc/one.conf': { '': { data: 'OLD', mode: 0o644 } } };
  it.each([
    ['/etc/app/a.conf', { kind: 'file', data: 'A', mode: 0o644 }],
    ['/etc/app/d/b', { kind: 'file', data: 'B', mode: 0o644 }],
    ['/etc/app', { kind: 'dir', entries: ['a.conf', 'd'] }],
    ['/etc/app/', { kind: 'dir', entries: ['a.conf', 'd'] }],
    ['/etc/app/nope', { kind: 'missing' }],
    ['/etc/one.conf', { kind: 'file', data: 'OLD', mode: 0o644 }],
    ['/var/x', { kind: 'missing' }],
  ])('%s', (path, want) => expect(lookupPath(spec, st, frozen, path)).toEqual(want));
});

function kubelet(sim: Sim): KubeletService {
  return sim.service<KubeletService>('kubelet');
}

const cat = (sim: Sim, pod: string, path: string) => {
  const f = kubelet(sim).execFile(pod, undefined, path);
  return f.kind === 'file' ? f.data : f.kind;
};

describe('kubelet: configMap volumes', () => {
  const volPod = (sim: Sim, name = 'app') =>
    runPod(sim, name, [{ name: 'web', volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg' }, { name: 'cfg', mountPath: '/etc/pinned.conf', subPath: 'app.conf' }], env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } }] }], {
      volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }],
    });

  it('a missing ConfigMap holds the pod in ContainerCreating with FailedMount, retried with back-off, until it exists', () => {
    const sim = kubeletSim({ 'nginx:1.25': { startupSeconds: 1, pullSeconds: 1 } });
    volPod(sim);
    sim.runFor(10_000);
    const pod = sim.store.get<Pod>('Pod', 'default', 'app')!;
    expect(pod.status.phase).toBe('Pending');
    expect(pod.status.containerStatuses?.[0].state.waiting?.reason).toBe('ContainerCreating');
    expect(pod.status.conditions?.find((c) => c.type === 'PodReadyToStartContainers')?.status).toBe('False');
    // 500 ms doubling: tries at 0, 0.5, 1.5, 3.5, 7.5 s.
    expect(eventsOf(sim, 'app')).toEqual(['FailedMount: MountVolume.SetUp failed for volume "cfg" : configmap "cfg" not found (x5)']);
    sim.store.create(cm('cfg', { 'app.conf': 'v1', mode: 'blue' }));
    sim.runFor(30_000);
    expect(sim.store.get<Pod>('Pod', 'default', 'app')!.status.phase).toBe('Running');
  });

  it.each([
    ['a missing ConfigMap', { name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } }, 'configmap "cfg" not found'],
    ['a missing key', { name: 'X', valueFrom: { configMapKeyRef: { name: 'other', key: 'mode' } } }, "couldn't find key mode in ConfigMap default/other"],
    ['a missing Secret', { name: 'X', valueFrom: { secretKeyRef: { name: 'pw', key: 'p' } } }, 'secret "pw" not found'],
    ['a missing envFrom Secret', undefined, 'secret "pw" not found'],
  ])('env from %s: CreateContainerConfigError, retried until it is there', (_what, envVar, msg) => {
    const sim = kubeletSim({ 'nginx:1.25': { startupSeconds: 1, pullSeconds: 1 } });
    sim.store.create(cm('other', { a: '1' }));
    runPod(sim, 'app', [{ name: 'web', image: 'nginx:1.25', ...(envVar ? { env: [envVar] } : { envFrom: [{ secretRef: { name: 'pw' } }] }) }]);
    sim.runFor(15_000);
    const st = sim.store.get<Pod>('Pod', 'default', 'app')!.status.containerStatuses![0];
    expect(st.state.waiting).toEqual({ reason: 'CreateContainerConfigError', message: msg });
    expect(eventsOf(sim, 'app').filter((e) => e.startsWith('Failed'))).toEqual([`Failed: Error: ${msg} (x2)`]);
    sim.store.create(cm('cfg', { mode: 'blue' }));
    const o = sim.store.get<KubeObject>('ConfigMap', 'default', 'other')!;
    sim.store.update({ ...o, data: { a: '1', mode: 'green' } });
    sim.store.create(secret('pw', { p: btoa('x') }));
    sim.runFor(15_000);
    expect(sim.store.get<Pod>('Pod', 'default', 'app')!.status.phase).toBe('Running');
  });

  it('an optional reference to something missing sets no variable', () => {
    const sim = kubeletSim({ 'nginx:1.25': { startupSeconds: 1, pullSeconds: 1 } });
    runPod(sim, 'app', [{ name: 'web', image: 'nginx:1.25', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k', optional: true } } }], envFrom: [{ configMapRef: { name: 'cfg', optional: true } }] }]);
    sim.runFor(5_000);
    expect(sim.store.get<Pod>('Pod', 'default', 'app')!.status.phase).toBe('Running');
    const env = sim.service<KubeletService>('kubelet').execEnv('app', 'web');
    expect(env.map(([k]) => k)).not.toContain('X');
  });

  it('files follow an edit at the next periodic sync (60 s); subPath and env keep the start-time value', () => {
    const sim = kubeletSim({ 'nginx:1.25': { startupSeconds: 1, pullSeconds: 1 } });
    sim.store.create(cm('cfg', { 'app.conf': 'v1', mode: 'blue' }));
    sim.settle();
    volPod(sim);
    sim.runFor(5_000);
    expect(cat(sim, 'app', '/etc/cfg/app.conf')).toBe('v1');
    const c = sim.store.get<KubeObject>('ConfigMap', 'default', 'cfg')!;
    c.data = { 'app.conf': 'v2', mode: 'green' };
    sim.store.update(c);
    sim.runFor(10_000);
    expect(cat(sim, 'app', '/etc/cfg/app.conf')).toBe('v1'); // 15 s: the 60 s sync has not come
    sim.runFor(50_000);
    expect(cat(sim, 'app', '/etc/cfg/app.conf')).toBe('v2');
    expect(cat(sim, 'app', '/etc/pinned.conf')).toBe('v1');
    expect(kubelet(sim).execEnv('app').find(([k]) => k === 'MODE')).toEqual(['MODE', 'blue']);
  });

  it("a loop's log keeps what it read before an edit: only lines after the sync show the new value (the ConfigMap page's sport example)", () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl create configmap sport --from-literal=sport=football');
    runCommand(sim, 'kubectl apply -f -', {
      stdin: 'apiVersion: v1\nkind: Pod\nmetadata: {name: sport}\nspec:\n  volumes: [{name: config-volume, configMap: {name: sport}}]\n  containers:\n  - name: alpine\n    image: alpine:3\n    command: [/bin/sh, -c, \'while true; do echo "$(date) My preferred sport is $(cat /etc/config/sport)"; sleep 10; done;\']\n    volumeMounts: [{name: config-volume, mountPath: /etc/config}]\n',
    });
    sim.runUntil(30_000);
    runCommand(sim, `kubectl patch configmap sport -p '{"data":{"sport":"cricket"}}'`);
    sim.runUntil(120_000);
    const lines = runCommand(sim, 'kubectl logs sport').out.trim().split('\n');
    const sport = lines.map((l) => l.split(' ').pop());
    // Printed every 10 s from ~3 s; the kubelet's sync at 60 s writes the new file.
    expect(sport.slice(0, 6)).toEqual(Array(6).fill('football'));
    expect(sport.slice(6)).toEqual(Array(lines.length - 6).fill('cricket'));
    expect(lines.length).toBeGreaterThanOrEqual(11);
  });

  it('a loop that ends reads the same back whenever asked, and after a restored snapshot', () => {
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl create configmap cfg --from-literal=sport=football');
    runCommand(sim, 'kubectl apply -f -', {
      stdin: 'apiVersion: v1\nkind: Pod\nmetadata: {name: reader}\nspec:\n  restartPolicy: Never\n  volumes: [{name: cm, configMap: {name: cfg}}]\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sh, -c, \'for i in 1 2 3 4 5 6 7 8 9 10; do echo "$i $(cat /etc/cm/sport)"; sleep 10; done\']\n    volumeMounts: [{name: cm, mountPath: /etc/cm}]\n',
    });
    sim.runUntil(15_000);
    runCommand(sim, `kubectl patch configmap cfg -p '{"data":{"sport":"cricket"}}'`);
    sim.runUntil(80_000);
    const early = runCommand(sim, 'kubectl logs reader').out;
    const snap = structuredClone(sim.snapshot());
    sim.runUntil(120_000);
    const live = runCommand(sim, 'kubectl logs reader').out;
    // Lines before the 60 s sync read football, after it cricket; what was printed by 80 s stays printed.
    expect(live.split('\n').filter(Boolean).map((l) => l.split(' ')[1])).toEqual([...Array(6).fill('football'), ...Array(4).fill('cricket')]);
    expect(live.startsWith(early)).toBe(true);
    sim.restore(snap);
    sim.runUntil(120_000);
    expect(runCommand(sim, 'kubectl logs reader').out).toBe(live);
  });
});
