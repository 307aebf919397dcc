import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster.ts';
import type { ApiServer } from '../api/server.ts';
import type { KubeObject, Pod } from '../api/types.ts';

const quota = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute', namespace: 'default' }, spec: { hard: { pods: '1' } } };
const limits = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace: 'default' }, spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '100m' }, default: { cpu: '200m' } }] } };
const template = { metadata: { labels: { app: 'w' } }, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } };

/** Workloads whose controllers create pods through workloadutil.createPod, as kubectl-created pods are admitted. */
const owners: [string, KubeObject, string][] = [
  ['Job', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', namespace: 'default' }, spec: { completions: 3, parallelism: 3, template: { ...template, spec: { ...template.spec, restartPolicy: 'Never' } } } }, 'Error creating: pods "pi-'],
  ['DaemonSet', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'w' } }, template } }, 'Error creating: pods "agent-'],
  ['StatefulSet', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default' }, spec: { replicas: 2, podManagementPolicy: 'Parallel', selector: { matchLabels: { app: 'w' } }, template } }, 'create Pod db-1 in StatefulSet db failed error: pods "db-1" is forbidden: exceeded quota: compute'],
];

function cluster() {
  const sim = createCluster({ seed: 4, images: { 'busybox:1': { startupSeconds: 1, runSeconds: 600 } }, nodes: [{ name: 'node-1' }, { name: 'node-2' }] });
  return { sim, api: sim.service<ApiServer>('api') };
}

describe('controller-created pods go through admission (workloadutil.createPod)', () => {
  it.each(owners)('%s: LimitRange defaults are applied', (_k, owner) => {
    const { sim, api } = cluster();
    api.create(structuredClone(limits) as KubeObject);
    api.create(structuredClone(owner));
    sim.runFor(2_000);
    const pods = sim.store.list<Pod>('Pod', 'default');
    expect(pods.length).toBeGreaterThan(0);
    for (const p of pods) expect(p.spec.containers[0].resources).toEqual({ requests: { cpu: '100m' }, limits: { cpu: '200m' } });
  });

  it.each(owners)('%s: a quota refusal is a FailedCreate event on the owner, retried', (kind, owner, message) => {
    const { sim, api } = cluster();
    api.create(structuredClone(quota) as KubeObject);
    api.create(structuredClone(owner));
    sim.runFor(2_000);
    expect(sim.store.list<Pod>('Pod', 'default')).toHaveLength(1);
    const failed = sim.store.list('Event', 'default').filter((e) => e.reason === 'FailedCreate' && e.involvedObject.kind === kind);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0].message.startsWith(message)).toBe(true);
    expect(failed[0].message).toContain('is forbidden: exceeded quota: compute, requested: pods=1, used: pods=1, limited: pods=1');
    // Raising the quota lets the retry create the rest.
    const q = api.get('ResourceQuota', 'default', 'compute');
    q.spec.hard.pods = '10';
    api.update(q);
    sim.runFor(30_000);
    expect(sim.store.list<Pod>('Pod', 'default').length).toBeGreaterThan(1);
  });
});
