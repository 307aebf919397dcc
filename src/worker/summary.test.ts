import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { Session } from './session.ts';
import { summarize, summarizeAll, SUMMARY_KINDS } from './summary.ts';
import { podColumns } from '../engine/kubectl/podstatus.ts';
import { controllerRef } from '../engine/api/podutil.ts';
import { explainDeployment } from '../engine/controllers/deployment/explain.ts';
import { podRequests } from '../ui/graph/model.ts';
import type { Deployment, KubeObject, Pod, ReplicaSet } from '../engine/api/types.ts';

const scenario = (name: string) => readFileSync(new URL(`../../scenarios/${name}.yaml`, import.meta.url), 'utf8');

/**
 * Every pod state a few scenarios go through (creating, init containers and sidecars, crash loops,
 * terminating, evicted, unschedulable …), sampled each simulated second: a summary must read the same as
 * the whole pod for everything the page computes from pods besides the Inspector.
 */
function podsOver(name: string, seconds: number, command?: string): Pod[] {
  const s = new Session();
  expect(s.load(`${name}.yaml`, scenario(name))).toEqual([]);
  const out: Pod[] = [];
  for (let i = 0; i < seconds; i++) {
    if (command && i === 5) s.run(command);
    s.advance(1000);
    out.push(...structuredClone(s.sim.store.list<Pod>('Pod')));
  }
  return out;
}

test.each([
  ['default', 30, 'kubectl set image deployment/web web=nginx:1.28'],
  ['pod-lifecycle', 60, undefined],
  ['sidecars', 40, undefined],
  ['node-failure', 90, undefined],
  ['unschedulable', 20, undefined],
])('%s: a pod summary gives the same STATUS, READY, RESTARTS, requests, owner and revision', (name, seconds, command) => {
  const pods = podsOver(name, seconds, command);
  expect(pods.length).toBeGreaterThan(0);
  for (const p of pods) {
    const sum = summarize(p) as Pod;
    expect(podColumns(sum, 3_600_000)).toEqual(podColumns(p, 3_600_000));
    for (const r of ['cpu', 'memory']) expect(podRequests(sum, r)).toBe(podRequests(p, r));
    expect(controllerRef(sum)).toEqual(controllerRef(p));
    expect(sum.metadata.labels).toEqual(p.metadata.labels);
    expect(sum.spec?.nodeName).toBe(p.spec?.nodeName);
    expect(sum.status?.phase).toBe(p.status?.phase);
    expect(sum.metadata.deletionTimestamp).toBe(p.metadata.deletionTimestamp);
    expect(sum.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe(p.status?.conditions?.find((c) => c.type === 'Ready')?.status);
  }
});

test('a summary is much smaller than the pod, and the Deployment explainer reads the same from summaries', () => {
  const s = new Session();
  s.load('default.yaml', scenario('default'));
  s.advance(20_000);
  s.run('kubectl set image deployment/web web=nginx:1.28');
  s.advance(1500);
  const pods = s.sim.store.list<Pod>('Pod');
  const full = JSON.stringify(pods).length;
  const slim = JSON.stringify(pods.map((p) => summarize(p))).length;
  expect(slim).toBeLessThan(full / 2.5);
  const d = s.sim.store.list<Deployment>('Deployment')[0];
  const rss = s.sim.store.list<ReplicaSet>('ReplicaSet');
  expect(explainDeployment(d, rss, pods.map((p) => summarize(p) as Pod))).toEqual(explainDeployment(d, rss, pods));
});

test('Endpoints keep how many addresses they have (a length, cloned without elements), slices their metadata; other kinds are sent whole', () => {
  const s = new Session();
  s.load('default.yaml', scenario('default'));
  s.advance(20_000);
  const ep = s.sim.store.list('Endpoints').find((e) => e.metadata.name === 'web')!;
  const sum = summarize(ep);
  const counts = (o: KubeObject) => ((o.subsets ?? []) as { addresses?: unknown[]; notReadyAddresses?: unknown[] }[]).map((ss) => [ss.addresses?.length, ss.notReadyAddresses?.length]);
  expect(counts(sum)).toEqual(counts(ep));
  expect(counts(sum)[0][0]).toBeGreaterThan(0);
  // What the page receives: the lengths survive the structured clone, with nothing in them.
  const cloned = structuredClone(sum);
  expect(counts(cloned)).toEqual(counts(ep));
  expect(Object.keys((cloned.subsets as { addresses: unknown[] }[])[0].addresses)).toEqual([]);
  const slice = s.sim.store.list('EndpointSlice')[0];
  expect(summarize(slice)).toEqual({ apiVersion: slice.apiVersion, kind: 'EndpointSlice', metadata: expect.objectContaining({ name: slice.metadata.name, labels: slice.metadata.labels }), addressType: slice.addressType });
  for (const kind of ['Deployment', 'ReplicaSet', 'Service', 'Node', 'Event']) {
    expect(SUMMARY_KINDS.has(kind)).toBe(false);
    const o = s.sim.store.list(kind)[0];
    if (o) expect(summarize(o)).toBe(o);
  }
});

test("one message's pod summaries share equal labels, owners, specs and statuses, and read the same as unshared ones", () => {
  const s = new Session();
  s.load('default.yaml', scenario('default'));
  s.run('kubectl scale deployment/web --replicas=12');
  s.advance(30_000);
  const pods = s.sim.store.list<Pod>('Pod').filter((p) => p.metadata.labels?.app === 'web');
  expect(pods.length).toBe(12);
  const shared = summarizeAll(pods) as Pod[];
  expect(shared).toEqual(pods.map((p) => summarize(p)));
  // Every pod of the ReplicaSet has one labels and one ownerReferences object; the ready pods that share a
  // node and a start time share a spec and a status.
  expect(new Set(shared.map((p) => p.metadata.labels)).size).toBe(1);
  expect(new Set(shared.map((p) => p.metadata.ownerReferences)).size).toBe(1);
  expect(new Set(shared.map((p) => p.spec)).size).toBe(new Set(pods.map((p) => p.spec?.nodeName)).size);
  expect(new Set(shared.map((p) => p.status)).size).toBeLessThan(pods.length);
  // Structured cloning (postMessage) keeps the sharing: the page reads and keeps one copy.
  const cloned = structuredClone(shared);
  expect(cloned[0].metadata.labels).toBe(cloned[1].metadata.labels);
  // Nothing of the engine's pods is changed by summarizing them.
  expect(pods.every((p) => p.spec?.containers?.[0]?.image !== undefined)).toBe(true);
});
