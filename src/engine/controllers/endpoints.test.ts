import { describe, expect, test } from 'vitest';
import type { KubeObject, Pod } from '../api/types.ts';
import { kubeletSim, makeService, runPod } from '../kubelet/testutil.ts';
import { deletePod } from './nodelifecycle.ts';

const S = 1000;

function slices(sim: ReturnType<typeof kubeletSim>, svc: string): KubeObject[] {
  return sim.store.list('EndpointSlice', 'default').filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc);
}

describe('endpoints and endpointslices', () => {
  test("a Service's only pod keeps its ports when it turns Ready (the address moves lists, the ports stay)", () => {
    const sim = kubeletSim({ 'one:v1': { startupSeconds: 3, pullSeconds: 1 } });
    makeService(sim, 'one', { app: 'one' }, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
    runPod(sim, 'a', [{ image: 'one:v1', ports: [{ containerPort: 80 }] }], { labels: { app: 'one' } });
    sim.runUntil(10 * S);
    expect(sim.store.get('Endpoints', 'default', 'one')!.subsets).toEqual([{ addresses: [expect.objectContaining({ ip: '10.244.0.2' })], ports: [{ port: 80, protocol: 'TCP' }] }]);
  });

  test('follow readiness; named target ports; terminating pods', () => {
    const sim = kubeletSim({ 'shop:v1': { startupSeconds: 3, pullSeconds: 1 } });
    makeService(sim, 'shop', { app: 'shop' }, [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'web' }]);
    expect(sim.store.get('Endpoints', 'default', 'shop')!.subsets).toBeUndefined();
    expect(slices(sim, 'shop')).toHaveLength(1);
    expect(slices(sim, 'shop')[0]).toMatchObject({ addressType: 'IPv4', endpoints: [], ports: null });
    expect(slices(sim, 'shop')[0].metadata.name).toMatch(/^shop-[a-z0-9]{5}$/);
    const probe = { readinessProbe: { httpGet: { port: 8080 }, periodSeconds: 1 } };
    const ports = [{ name: 'web', containerPort: 8080 }];
    runPod(sim, 'a', [{ image: 'shop:v1', ports, ...probe }], { labels: { app: 'shop' } });
    runPod(sim, 'b', [{ image: 'shop:v1', ports, ...probe }], { labels: { app: 'shop' } });
    runPod(sim, 'other', [{ image: 'shop:v1', ports }], { labels: { app: 'other' } });
    sim.runUntil(2 * S);
    let ep = sim.store.get('Endpoints', 'default', 'shop')!;
    expect(ep.subsets).toEqual([
      {
        notReadyAddresses: [
          { ip: '10.244.0.2', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: sim.store.get('Pod', 'default', 'a')!.metadata.uid } },
          { ip: '10.244.0.3', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: sim.store.get('Pod', 'default', 'b')!.metadata.uid } },
        ],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
    sim.runUntil(10 * S);
    ep = sim.store.get('Endpoints', 'default', 'shop')!;
    expect(ep.subsets[0].addresses.map((a: any) => a.ip)).toEqual(['10.244.0.2', '10.244.0.3']);
    expect(ep.subsets[0].notReadyAddresses).toBeUndefined();
    let s = slices(sim, 'shop');
    expect(s).toHaveLength(1);
    expect(s[0].ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(s[0].endpoints.map((e: any) => [e.addresses[0], e.conditions])).toEqual([
      ['10.244.0.2', { ready: true, serving: true, terminating: false }],
      ['10.244.0.3', { ready: true, serving: true, terminating: false }],
    ]);
    expect(s[0].metadata.ownerReferences![0]).toMatchObject({ kind: 'Service', name: 'shop', controller: true });
    // Terminating: gone from Endpoints, still in the slice as terminating.
    deletePod(sim, sim.store.get<Pod>('Pod', 'default', 'a')!);
    sim.settle();
    ep = sim.store.get('Endpoints', 'default', 'shop')!;
    expect(ep.subsets[0].addresses.map((a: any) => a.ip)).toEqual(['10.244.0.3']);
    s = slices(sim, 'shop');
    expect(s[0].endpoints.find((e: any) => e.targetRef.name === 'a').conditions).toEqual({ ready: false, serving: true, terminating: true });
    sim.runUntil(20 * S);
    expect(slices(sim, 'shop')[0].endpoints.map((e: any) => e.targetRef.name)).toEqual(['b']);
    // Relabel b out of the service: no endpoints, an Endpoints object with no subsets, one placeholder slice.
    const b = sim.store.get<Pod>('Pod', 'default', 'b')!;
    b.metadata.labels = { app: 'gone' };
    sim.store.update(b);
    sim.settle();
    expect(sim.store.get('Endpoints', 'default', 'shop')!.subsets).toBeUndefined();
    expect(slices(sim, 'shop')).toHaveLength(1);
    expect(slices(sim, 'shop')[0].endpoints).toEqual([]);
    // Deleting the service removes both.
    sim.store.remove('Service', 'default', 'shop');
    sim.settle();
    expect(sim.store.get('Endpoints', 'default', 'shop')).toBeUndefined();
    expect(slices(sim, 'shop')).toHaveLength(0);
  });

  test('addresses sort by IP string; slices hold at most 100 endpoints; Endpoints truncate at 1000', () => {
    const nodes = Array.from({ length: 5 }, (_, i) => ({ name: `n${i}`, capacity: { pods: '300' } }));
    const sim = kubeletSim({ 'fast:1': { startupSeconds: 0, pullSeconds: 0.1 } }, nodes);
    makeService(sim, 'big', { app: 'big' }, [{ port: 80, protocol: 'TCP' }]);
    for (let i = 0; i < 1050; i++) {
      sim.store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'default', labels: { app: 'big' } }, spec: { nodeName: `n${i % 5}`, containers: [{ name: 'c', image: 'fast:1' }] }, status: { phase: 'Pending' } } as Pod);
    }
    sim.runUntil(5 * S);
    const ep = sim.store.get('Endpoints', 'default', 'big')!;
    expect(ep.metadata.annotations?.['endpoints.kubernetes.io/over-capacity']).toBe('truncated');
    expect(ep.subsets[0].addresses).toHaveLength(1000);
    const ips = ep.subsets[0].addresses.map((a: any) => a.ip);
    expect([...ips].sort()).toEqual(ips);
    const s = slices(sim, 'big');
    expect(s).toHaveLength(11);
    expect(s.every((x) => x.endpoints.length <= 100)).toBe(true);
    expect(s.reduce((n, x) => n + x.endpoints.length, 0)).toBe(1050);
  });
});

describe('every change of the Endpoints is a write', () => {
  test('a pod leaving and another joining bump the resourceVersion and tell watchers, with the stored addresses unchanged in between', () => {
    const sim = kubeletSim({ 'shop:v1': { startupSeconds: 1, pullSeconds: 1 } });
    makeService(sim, 'shop', { app: 'shop' }, [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }]);
    for (const n of ['a', 'b', 'c']) runPod(sim, n, [{ image: 'shop:v1' }], { labels: { app: 'shop' } });
    sim.runUntil(10 * S);
    const seen: string[][] = [];
    sim.store.watch('Endpoints', (_t, o) => seen.push((o.subsets?.[0]?.addresses ?? []).map((a: any) => a.targetRef.name)));
    const ips = () => (sim.store.get('Endpoints', 'default', 'shop')!.subsets?.[0]?.addresses ?? []).map((a: any) => a.targetRef.name);
    const rv0 = sim.store.get('Endpoints', 'default', 'shop')!.metadata.resourceVersion;
    expect(ips()).toEqual(['a', 'b', 'c']);
    const held = sim.store.get('Endpoints', 'default', 'shop')!.subsets[0].addresses;
    deletePod(sim, sim.store.get<Pod>('Pod', 'default', 'b')!);
    sim.runUntil(20 * S);
    expect(ips()).toEqual(['a', 'c']);
    expect(held.map((a: any) => a.targetRef.name)).toEqual(['a', 'b', 'c']); // what was written stays as written
    runPod(sim, 'd', [{ image: 'shop:v1' }], { labels: { app: 'shop' } });
    sim.runUntil(40 * S);
    expect(ips()).toEqual(['a', 'c', 'd']);
    expect(sim.store.get('Endpoints', 'default', 'shop')!.metadata.resourceVersion).not.toBe(rv0);
    expect(seen).toContainEqual(['a', 'c']);
    expect(seen.at(-1)).toEqual(['a', 'c', 'd']);
  });
});

describe('installation order', () => {
  test('services and pods that exist before the controllers are installed are picked up', async () => {
    const { Sim } = await import('../sim.ts');
    const { installEndpointsControllers } = await import('./endpoints.ts');
    const sim = new Sim({ seed: 1 });
    sim.store.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'early', namespace: 'default' }, spec: { selector: { app: 'e' }, ports: [{ port: 80 }], clusterIP: '10.96.0.9' } });
    sim.store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'e1', namespace: 'default', labels: { app: 'e' } }, spec: { nodeName: 'n', containers: [] }, status: { phase: 'Running', podIP: '10.244.0.9', conditions: [{ type: 'Ready', status: 'True' }] } });
    installEndpointsControllers(sim);
    sim.settle();
    expect(sim.store.get('Endpoints', 'default', 'early')!.subsets[0].addresses[0].ip).toBe('10.244.0.9');
    expect(slices(sim as any, 'early')[0].endpoints).toHaveLength(1);
  });
});

describe("a StatefulSet's pods under its headless Service", () => {
  test('are listed with their hostnames (ShouldSetHostname), and the slices are marked headless', async () => {
    const { createCluster } = await import('../cluster.ts');
    const { runCommand } = await import('../kubectl/index.ts');
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    const files = {
      'db.yaml': `apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: web, image: nginx:1.25, ports: [{containerPort: 80}]}]
`,
    };
    const run = (line: string) => runCommand(sim, line, { files });
    expect(run('kubectl apply -f db.yaml').exit).toBe(0);
    sim.runUntil(60_000);
    expect(run(`kubectl get endpoints db -o jsonpath='{.subsets[0].addresses[*].hostname}'`).out).toBe('db-0 db-1');
    expect(run(`kubectl get endpointslices -l kubernetes.io/service-name=db -o jsonpath='{.items[0].endpoints[*].hostname}'`).out).toBe('db-0 db-1');
    expect(run(`kubectl get endpointslices -l service.kubernetes.io/headless -o name`).out).toMatch(/^endpointslice\.discovery\.k8s\.io\/db-\w+\n$/);
  });
});
