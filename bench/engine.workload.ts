/**
 * The engine benchmark's workload (issue #2), shared by the Node run and the Chromium run of
 * engine.bench.ts: 500 nodes, a Deployment of N replicas until every pod is Ready, then `set image`
 * until the rollout completes.
 */
import { createCluster } from '../src/engine/cluster.ts';
import type { Sim } from '../src/engine/sim.ts';
import type { Deployment, EventObject } from '../src/engine/api/types.ts';
import type { NodeSpec } from '../src/engine/kubelet/index.ts';

interface Api {
  create(obj: unknown): unknown;
  update(obj: unknown): unknown;
}

export const NODES = 500;

/** benchSizes are the replica counts to run: BENCH_SIZES (e.g. 10000, one size only, for profiling), else 1,000 and 10,000. */
export function benchSizes(): number[] {
  return (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
}

function nodes(): NodeSpec[] {
  return Array.from({ length: NODES }, (_, i) => ({
    name: `worker-${i + 1}`,
    capacity: { cpu: '32', memory: '128Gi', pods: '110' },
    labels: { 'topology.kubernetes.io/zone': `zone-${'abc'[i % 3]}` },
  }));
}

function deployment(replicas: number, image: string): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image, resources: { requests: { cpu: '50m', memory: '64Mi' } } }] },
      },
    },
    status: {},
  };
}

function done(sim: Sim, replicas: number): boolean {
  const d = sim.store.get<Deployment>('Deployment', 'default', 'web');
  const s = d?.status;
  return !!d && !!s && s.observedGeneration === d.metadata.generation && s.updatedReplicas === replicas && s.availableReplicas === replicas && s.replicas === replicas;
}

function runUntilDone(sim: Sim, replicas: number, sample: () => void): void {
  const limit = sim.now() + 3_600_000;
  while (!done(sim, replicas)) {
    if (!sim.step(limit)) throw new Error(`cluster went idle before the rollout finished (t=${sim.now() / 1000}s)`);
    sample();
  }
}

/**
 * rollout runs the workload at one size. sample is called between steps and every 1,024 pod writes
 * (a whole rollout is a handful of steps, thousands of pods changing at each instant, so sampling
 * between steps alone would miss a peak inside one); atEnd when the rollout is done, with the cluster
 * still alive (the caller stops its clock there). Returns the simulated seconds and how many pods
 * were bound to a node, counted after atEnd from the scheduler's Scheduled events (one per bind; the
 * scheduler's events are not dropped, and a repeat makes a series): a set of bound uids filled by a watch
 * was ~1% of the measured time.
 */
export function rollout(replicas: number, sample: () => void = () => {}, atEnd: () => void = () => {}): { simS: number; scheduled: number } {
  const sim = createCluster({ seed: 1, nodes: nodes() });
  const api = sim.service<Api>('api');
  let writes = 0;
  sim.store.watch('Pod', () => {
    if ((++writes & 1023) === 0) sample();
  });
  api.create(deployment(replicas, 'nginx:1.25'));
  runUntilDone(sim, replicas, sample);
  const d = sim.store.get<Deployment>('Deployment', 'default', 'web')!;
  d.spec.template.spec.containers[0].image = 'nginx:1.26';
  api.update(d);
  runUntilDone(sim, replicas, sample);
  sample();
  atEnd();
  let scheduled = 0;
  for (const e of sim.store.list<EventObject>('Event')) if (e.reason === 'Scheduled' && e.reportingComponent === 'default-scheduler') scheduled += e.series?.count ?? 1;
  return { simS: sim.now() / 1000, scheduled };
}
