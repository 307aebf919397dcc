/**
 * Instructions of the engine benchmark's Node run at one size (engine.node.ts, bundled as bundle.ts
 * bundles it for engine.bench.ts), counted by valgrind's callgrind with V8 on a single thread (no
 * concurrent compiler or collector threads). Wall time on a shared 2-core machine moves by a third
 * from hour to hour; this count repeats to ~0.2%, so two builds of the engine can be compared in one
 * go. It counts instructions, not cache misses: a change that saves hash-table probes or memory may
 * show little here and more in time.
 *
 * usage: npm run bench:instructions [-- REPLICAS]   (default 1000: ~75 s; 10000: ~10 min)
 */
import { spawnSync } from 'node:child_process';
import { withNodeBundle } from './bundle.ts';

if (spawnSync('valgrind', ['--version']).error) {
  console.error('valgrind not found (Debian: apt-get install valgrind)');
  process.exit(1);
}
const replicas = process.argv[2] ?? '1000';
await withNodeBundle((file) => {
  const r = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', '--smc-check=all-non-file', process.execPath, '--single-threaded', '--expose-gc', file], {
    env: { ...process.env, BENCH_SIZES: replicas },
    encoding: 'utf8',
  });
  for (const line of `${r.stdout}\n${r.stderr}`.split('\n')) {
    const run = /^ *(\d+ replicas on \d+ nodes)/.exec(line);
    if (run) console.log(`${run[1]} under valgrind (times are not meaningful):`);
    const count = /^==\d+== Collected : (\d+)/.exec(line);
    if (count) console.log(`  ${count[1]} instructions`);
  }
  if (r.status !== 0) throw new Error(`valgrind failed (exit ${r.status ?? r.signal})`);
});
