/**
 * History recorder benchmark: what the timeline charts' per-second sampling costs on a 1,000-pod
 * cluster (bench/history-1000.yaml: 50 nodes, a 1,000-replica Deployment behind a Service with 500
 * rps, rolled out to a new image at 20 s). Two measures, in CPU time (the machine may be shared):
 * 1. the recorder's clock hook timed through a real run (every step: one comparison; every simulated
 *    second: one sample), cold start and any GC that lands in it included;
 * 2. on the mid-rollout state, n samples on a fresh recorder by moving the clock one second at a time
 *    without timers: with the ready-pod count redone each time (the store changed that second) and cached.
 * Run: npx tsx bench/history.bench.ts   (BENCH_MS sets the simulated run, default 22 s)
 */
import { readFileSync } from 'node:fs';
import { Session } from '../src/worker/session.ts';
import { HistoryRecorder } from '../src/worker/history.ts';

const BIG_SCENARIO = readFileSync(new URL('./history-1000.yaml', import.meta.url), 'utf8');
const MS = Number(process.env.BENCH_MS ?? 22_000);
const N = 1000;

function cpuUs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return c.user + c.system;
}

function main(): void {
  const s = new Session();
  const errors = s.load('big.yaml', BIG_SCENARIO);
  if (errors.length) throw new Error(errors.join('\n'));
  const clock = s.sim.clock;
  const hooked = clock.set;
  let hook = 0;
  let steps = 0;
  clock.set = (t: number) => {
    hook += cpuUs(() => hooked.call(clock, t));
    steps++;
  };
  const total = cpuUs(() => s.advance(MS));
  const samples = s.charts.points().length;
  const last = s.charts.points().at(-1)!;
  console.log(`history: 1,000 pods, 500 rps, ${MS / 1000} simulated s (${(total / 1e6).toFixed(2)} s CPU)`);
  console.log(`  run: ${samples} samples in ${steps} clock steps, ${(hook / samples).toFixed(0)} µs CPU per sample (cold, GC included); ${((100 * hook) / total).toFixed(2)}% of the run`);
  console.log(`  last point: ${last.requests} requests/s, p95 ${last.p95} ms, ready ${JSON.stringify(last.ready)}`);

  s.charts.detach();
  delete (clock as { set?: unknown }).set;
  const r = new HistoryRecorder();
  r.attach(s.sim);
  const run = (invalidate: boolean) =>
    cpuUs(() => {
      for (let i = 0; i < N; i++) {
        if (invalidate) (r as unknown as { readyRv: number }).readyRv = -1;
        clock.set(clock.now() + 1000);
      }
    }) / N;
  run(true);
  const changed = run(true);
  const quiet = run(false);
  console.log(`  warm, ${N} samples each: ${changed.toFixed(0)} µs when the store changed (ReplicaSets re-read, the latency buckets and traffic bucket read), ${quiet.toFixed(1)} µs when none did`);
  console.log(`  memory bound: ${r.capacity} points kept (one simulated hour); now ${r.points().length}`);
}

main();
