import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types.ts';
import { eventsOf, kubeletSim, runPod } from './testutil.ts';

const images = {
  'app:1': { startupSeconds: 2, pullSeconds: 1 },
  'proxy:1': { startupSeconds: 3, pullSeconds: 1, shutdownSeconds: 2 },
  'log:1': { startupSeconds: 1, pullSeconds: 1 },
  'migrate:1': { startupSeconds: 1, pullSeconds: 1, runSeconds: 4 },
  'batch:1': { startupSeconds: 1, pullSeconds: 1, runSeconds: 10 },
  'flaky:1': { startupSeconds: 1, pullSeconds: 1, crashAfterSeconds: 5 },
};

function sidecarPod(sim: ReturnType<typeof kubeletSim>, name: string, extra: Partial<Pod['spec']> = {}, app = 'app:1') {
  return runPod(sim, name, [{ name: 'app', image: app }], {
    initContainers: [
      { name: 'proxy', image: 'proxy:1', restartPolicy: 'Always', startupProbe: { exec: { command: ['true'] }, periodSeconds: 1, failureThreshold: 30 } },
      { name: 'migrate', image: 'migrate:1' },
      { name: 'log', image: 'log:1', restartPolicy: 'Always', readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 } },
    ] as any,
    ...extra,
  });
}

describe('sidecar containers (init containers with restartPolicy: Always)', () => {
  it('start in order, each next one after the sidecar is Started; all keep running with the app; count toward Ready', () => {
    const sim = kubeletSim(images);
    sidecarPod(sim, 'p');
    sim.runFor(4_000);
    let pod = sim.store.get<Pod>('Pod', 'default', 'p')!;
    // proxy started at ~1.5 s, up after 3 s: the startup probe has not passed yet, migrate waits.
    expect(pod.status.initContainerStatuses?.map((s) => Object.keys(s.state)[0])).toEqual(['running', 'waiting', 'waiting']);
    sim.runFor(30_000);
    pod = sim.store.get<Pod>('Pod', 'default', 'p')!;
    expect(pod.status.phase).toBe('Running');
    // A completed init container is ready (terminated with exit code 0) and no longer started.
    expect(pod.status.initContainerStatuses?.map((s) => `${s.name}:${Object.keys(s.state)[0]}:${s.ready}:${s.started}`)).toEqual(['proxy:running:true:true', 'migrate:terminated:true:false', 'log:running:true:true']);
    expect(pod.status.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(pod.status.conditions?.find((c) => c.type === 'Initialized')?.status).toBe('True');
    const order = sim.store.list('Event').filter((e: any) => e.involvedObject.name === 'p' && e.reason === 'Started').map((e: any) => e.message);
    expect(order).toEqual(['Started container proxy', 'Started container migrate', 'Started container log', 'Started container app']);
  });

  it('a sidecar that exits is restarted even when the pod restartPolicy is Never', () => {
    const sim = kubeletSim(images);
    runPod(sim, 'p', [{ name: 'app', image: 'app:1' }], { restartPolicy: 'Never', initContainers: [{ name: 'side', image: 'flaky:1', restartPolicy: 'Always' }] as any });
    sim.runFor(20_000);
    const pod = sim.store.get<Pod>('Pod', 'default', 'p')!;
    expect(pod.status.initContainerStatuses?.[0].restartCount).toBeGreaterThanOrEqual(1);
    expect(pod.status.phase).toBe('Running');
  });

  it('on deletion the app stops first, then the sidecars from the last one declared', () => {
    const sim = kubeletSim(images);
    sidecarPod(sim, 'p');
    sim.runFor(30_000);
    const pod = sim.store.get<Pod>('Pod', 'default', 'p')!;
    pod.metadata.deletionTimestamp = sim.nowIso();
    pod.metadata.deletionGracePeriodSeconds = 30;
    sim.store.update(pod);
    const t0 = sim.now();
    const kills: string[] = [];
    sim.store.watch('Event', (_t, e: any) => {
      if (e.involvedObject.name === 'p' && e.reason === 'Killing') kills.push(`${(sim.now() - t0) / 1000}s ${e.message}`);
    });
    sim.runFor(20_000);
    // app: default 1 s shutdown; log: 1 s; proxy: 2 s.
    expect(kills).toEqual(['0s Stopping container app', '1s Stopping container log', '2s Stopping container proxy']);
    expect(sim.store.get('Pod', 'default', 'p')).toBeUndefined();
  });

  it('a finished pod (restartPolicy Never) is Succeeded while its sidecars are stopped', () => {
    const sim = kubeletSim(images);
    sidecarPod(sim, 'p', { restartPolicy: 'Never' }, 'batch:1');
    sim.runFor(60_000);
    const pod = sim.store.get<Pod>('Pod', 'default', 'p')!;
    expect(pod.status.phase).toBe('Succeeded');
    expect(pod.status.initContainerStatuses?.map((s) => `${s.name}:${Object.keys(s.state)[0]}`)).toEqual(['proxy:terminated', 'migrate:terminated', 'log:terminated']);
    expect(eventsOf(sim, 'p').filter((e) => e.startsWith('Killing'))).toEqual(['Killing: Stopping container log', 'Killing: Stopping container proxy']);
  });
});
