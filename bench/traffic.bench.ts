/**
 * Traffic benchmark (issue #3): 100 nodes, 1,000 ready pods behind 20 Services and Ingress paths,
 * 2,000 requests per simulated second for one simulated hour (≈ 7.2 M requests) with metrics kept.
 * Prints wall time and requests simulated per wall-clock second. Target: under 5 s wall.
 *
 * Pods, EndpointSlices and Ingresses are written straight into the store (the data plane is what is
 * measured; the control plane has its own benchmark), on a cluster built by createCluster.
 */
import { createCluster } from '../src/engine/cluster.ts';
import type { Pod, Service } from '../src/engine/api/types.ts';
import type { NetworkModule } from '../src/engine/network/index.ts';
import { addIngress, addPod, addService, syncSlice } from '../src/engine/network/testutil.ts';

const NODES = 100;
const PODS = 1000;
const SERVICES = 20;
const RPS = 2000;
const HOUR_MS = Number(process.env.BENCH_MS ?? 3_600_000);

function main(): void {
  const t0 = performance.now();
  const sim = createCluster({
    seed: 1,
    images: { 'app:v1': { latencyMs: 20, latencyJitterMs: 10, errorRate: 0.01 }, 'app:v2': { latencyMs: 40, errorRate: 0.05 } },
  });
  const net = sim.service<NetworkModule>('network');
  for (let n = 0; n < NODES; n++) {
    if (!sim.store.get('Node', undefined, `worker-${n + 1}`)) {
      sim.store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: `worker-${n + 1}` }, spec: {}, status: { capacity: {}, allocatable: {}, conditions: [{ type: 'Ready', status: 'True' }] } });
    }
  }
  const perSvc = PODS / SERVICES;
  for (let s = 0; s < SERVICES; s++) {
    const pods: Pod[] = [];
    for (let i = 0; i < perSvc; i++) {
      pods.push(addPod(sim, `svc${s}-${i}`, { labels: { app: `svc${s}` }, image: i % 10 === 0 ? 'app:v2' : 'app:v1', node: `worker-${((s * perSvc + i) % NODES) + 1}` }));
    }
    const svc: Service = addService(sim, `svc${s}`, { selector: { app: `svc${s}` }, clusterIP: `10.96.1.${s + 1}` });
    syncSlice(sim, svc, pods);
  }
  addIngress(sim, 'fanout', [
    { host: 'a.example.com', paths: Array.from({ length: SERVICES / 2 }, (_, s) => ({ path: `/s${s}`, service: `svc${s}` })) },
    { host: 'b.example.com', paths: Array.from({ length: SERVICES / 2 }, (_, s) => ({ path: `/s${s + SERVICES / 2}`, service: `svc${s + SERVICES / 2}` })) },
  ]);
  for (let s = 0; s < SERVICES; s++) {
    // half through the ingress, a quarter straight to the ClusterIP, a quarter by DNS name with ClientIP-free iptables
    const host = s < SERVICES / 2 ? 'a.example.com' : 'b.example.com';
    if (s % 4 === 3) net.setTraffic({ host: `10.96.1.${s + 1}`, rps: RPS / SERVICES, clients: 500 });
    else net.setTraffic({ host, path: `/s${s}`, rps: RPS / SERVICES });
  }
  sim.settle();
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  sim.runUntil(HOUR_MS);
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const v = net.query('sum(nginx_ingress_controller_requests)');
  const viaIngress = v.type === 'vector' ? v.samples[0]?.v ?? 0 : 0;
  const a = net.query('sum(http_requests_total)');
  const served = a.type === 'vector' ? a.samples[0]?.v ?? 0 : 0;
  const m = (net as unknown as { metrics(): { series: unknown[] } }).metrics();
  const wall = t2 - t1;
  console.log(`traffic: ${NODES} nodes, ${PODS} pods, ${SERVICES} services, ${RPS} rps for 1 simulated hour`);
  console.log(`  setup ${(t1 - t0).toFixed(0)} ms; simulate ${(wall / 1000).toFixed(2)} s wall (${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU; wall > CPU means a busy machine)`);
  console.log(`  requests: ${served.toLocaleString('en-US')} answered by pods (${viaIngress.toLocaleString('en-US')} through ingress-nginx)`);
  console.log(`  ${Math.round(served / (wall / 1000)).toLocaleString('en-US')} requests simulated per wall-clock second; ${m.series.length} time series kept`);
  console.log(`  heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB; target < 5 s wall: ${wall < 5000 ? 'PASS' : 'FAIL'}`);
}

main();
