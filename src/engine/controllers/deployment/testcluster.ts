/**
 * testcluster.ts: a Sim with only the deployment and replicaset controllers, and a tiny stand-in
 * for the kubelet (flip pods Ready by hand) and, optionally, for the API server's graceful pod
 * deletion. Used only by *.test.ts.
 */
import { Sim } from '../../sim.ts';
import type { Deployment, Pod, ReplicaSet } from '../../api/types.ts';
import { installDeploymentController } from './index.ts';
import { podsOwnedBy } from '../workloadutil.ts';
import { installReplicaSetController } from '../replicaset.ts';
import { controllerRef, isPodReady } from '../../api/podutil.ts';
import { bootstrapUid } from '../../rng.ts';

/**
 * defaultServiceAccount is the `default` namespace's ServiceAccount, which the API server's namespace
 * set-up makes and pods' admission needs (a uid of its own, so the sim's draws are as before).
 */
export function defaultServiceAccount(sim: Sim): void {
  sim.store.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'default' } }, bootstrapUid('ServiceAccount', 'default/default'));
}

export function testSim(opts: { gracefulApi?: boolean; graceSeconds?: number } = {}): Sim {
  const sim = new Sim({ seed: 7 });
  defaultServiceAccount(sim);
  if (opts.gracefulApi) {
    // Plays the API server: pods are marked for deletion and removed graceSeconds later.
    const grace = opts.graceSeconds ?? 30;
    sim.onTimer('test/remove', (key) => {
      const [ns, name] = key.split('/');
      sim.store.remove('Pod', ns, name);
    });
    sim.services.set('api', {
      delete(kind: string, ns: string, name: string) {
        const o = sim.store.get(kind, ns, name);
        if (!o) return;
        if (kind !== 'Pod') return sim.store.remove(kind, ns, name);
        if (o.metadata.deletionTimestamp) return;
        o.metadata.deletionTimestamp = sim.nowIso();
        o.metadata.deletionGracePeriodSeconds = grace;
        sim.store.update(o);
        sim.after(grace * 1000, 'test/remove', `${ns}/${name}`);
      },
      update(obj: Deployment) {
        return sim.store.update(obj, { specChanged: true });
      },
    });
  }
  installDeploymentController(sim);
  installReplicaSetController(sim);
  return sim;
}

export function newDeployment(name: string, replicas: number, extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: name, image: 'nginx:1.0' }], restartPolicy: 'Always', terminationGracePeriodSeconds: 30 },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      ...extra,
    },
    status: {},
  } as Deployment;
}

/** setReady plays kubelet: the pod is bound, Running and Ready as of now. */
export function setReady(sim: Sim, pod: Pod, node = 'node-1'): void {
  pod.spec.nodeName ??= node;
  pod.status = {
    ...pod.status,
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: sim.nowIso() }],
  };
  sim.store.update(pod);
}

/** readyAll makes every live, not-yet-ready pod ready; returns how many it flipped. */
export function readyAll(sim: Sim, max = Infinity): number {
  let n = 0;
  for (const p of sim.store.list<Pod>('Pod')) {
    if (n >= max) break;
    if (p.metadata.deletionTimestamp || isPodReady(p)) continue;
    setReady(sim, p);
    n++;
  }
  sim.settle();
  return n;
}

export function replicaSets(sim: Sim, d: Deployment): ReplicaSet[] {
  return sim.store.list<ReplicaSet>('ReplicaSet', 'default').filter((rs) => controllerRef(rs)?.uid === d.metadata.uid);
}

export function podsOf(sim: Sim, rs: ReplicaSet): Pod[] {
  return podsOwnedBy(sim, rs.metadata.uid!);
}

export function events(sim: Sim, obj: { metadata: { uid?: string } }, reason?: string): string[] {
  return sim.store
    .list<any>('Event')
    .filter((e) => e.involvedObject.uid === obj.metadata.uid && (!reason || e.reason === reason))
    .map((e) => e.message);
}

export function setImage(sim: Sim, d: Deployment, image: string): void {
  d.spec.template.spec.containers[0].image = image;
  sim.store.update(d, { specChanged: true });
  sim.settle();
}
