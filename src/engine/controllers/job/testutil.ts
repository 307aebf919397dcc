/**
 * testutil.ts: a full cluster (createCluster) with the Job controller installed, and a Job builder.
 * Used only by *.test.ts.
 */
import { createCluster } from '../../cluster.ts';
import type { ImageBehavior, Sim } from '../../sim.ts';
import type { ApiServer } from '../../api/server.ts';
import type { Pod } from '../../api/types.ts';
import { type Job } from './index.ts';

export function jobCluster(images: Record<string, ImageBehavior>, nodes = 2): Sim {
  const sim = createCluster({ seed: 3, images, nodes: Array.from({ length: nodes }, (_, i) => ({ name: `node-${i + 1}` })) });
  return sim;
}

export function newJob(name: string, image: string, spec: Partial<Job['spec']> = {}, restartPolicy: 'Never' | 'OnFailure' = 'Never'): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: { template: { spec: { containers: [{ name: 'main', image }], restartPolicy } }, ...spec },
    status: {},
  } as Job;
}

export function createJob(sim: Sim, job: Job): Job {
  const created = sim.service<ApiServer>('api').create(job);
  sim.settle();
  return sim.store.get<Job>('Job', 'default', created.metadata.name)!;
}

export function jobPods(sim: Sim, job: Job): Pod[] {
  return sim.store.list<Pod>('Pod', 'default').filter((p) => p.metadata.ownerReferences?.[0]?.uid === job.metadata.uid);
}

export function reasons(sim: Sim, job: Job): string[] {
  return sim.eventsFor(job).map((e) => e.reason);
}
