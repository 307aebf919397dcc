import { NetworkService } from '/work/main/src/engine/network/service.ts';
const proto: any = NetworkService.prototype;
const counts: Record<string, number> = {};
for (const name of ['collectEndpointCounts', 'flushSummary', 'ensure', 'connect', 'nginxAttempts', 'recordApp', 'isNodeDown', 'upstream']) {
  const orig = proto[name];
  proto[name] = function (...a: any[]) { counts[name] = (counts[name] ?? 0) + 1; return orig.apply(this, a); };
}
process.env.BENCH_MS = '60000';
await import('/work/main/bench/traffic.bench.ts');
console.log(counts);
