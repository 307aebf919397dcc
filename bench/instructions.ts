/**
 * Instructions and simulated cache misses of the engine benchmark's Node run at one size
 * (engine.node.ts, bundled as bundle.ts bundles it for engine.bench.ts), counted by valgrind's
 * cachegrind with V8 on a single thread (no concurrent compiler or collector threads: their work is
 * counted on the one thread). Wall time on a shared 2-core machine moves by a third from hour to
 * hour; these counts repeat to ~0.2%, so two builds of the engine can be compared in one go.
 *
 * The caches are modelled at fixed sizes (32 KiB first-level data, 32 MiB last level, this
 * machine's), so the figures do not depend on where they are taken. The workload is memory-bound,
 * and about half of its last-level read misses at 10,000 replicas are V8's collector's (scavenges
 * copying what survives, marking and sweeping the old generation), so that share is printed too.
 * Node runs without --expose-gc: the collections engine.node.ts forces for its live-heap figure
 * happen outside its timed window and are not the engine's.
 *
 * usage: npm run bench:instructions [-- REPLICAS]   (default 1000: ~1 min; 10000: ~3 min)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withNodeBundle } from './bundle.ts';

if (spawnSync('valgrind', ['--version']).error) {
  console.error('valgrind not found (Debian: apt-get install valgrind)');
  process.exit(1);
}

const D1 = '32768,8,64';
const LL = '33554432,16,64';

/** GC_PARTS name V8's collector functions by what they do (C++ symbols of the node binary; the first match counts). */
const GC_PARTS: [string, RegExp][] = [
  ['scavenges', /v8::internal::.*(Scaveng|Pretenuring)/],
  ['sweeping', /v8::internal::.*Sweep/],
  ['marking and compaction', /v8::internal::.*(Marking|MarkCompact|MarkBit|LiveObject|RecordMigratedSlot|PointersUpdating|RememberedSet|Evacuat|StringTableCleaner)/],
];

interface Totals {
  events: string[];
  byFn: Map<string, number[]>;
}

/** readCachegrind sums a cachegrind.out file's counts per function. */
function readCachegrind(file: string): Totals {
  let events: string[] = [];
  const byFn = new Map<string, number[]>();
  let cur: number[] | undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('events:')) events = line.slice(7).trim().split(/\s+/);
    else if (line.startsWith('fn=')) {
      const fn = line.slice(3);
      cur = byFn.get(fn);
      if (!cur) byFn.set(fn, (cur = new Array<number>(events.length).fill(0)));
    } else if (cur && /^\d/.test(line)) {
      const f = line.split(' ');
      for (let i = 1; i < f.length && i <= events.length; i++) cur[i - 1] += Number(f[i]);
    }
  }
  return { events, byFn };
}

const n = (x: number) => x.toLocaleString('en-US');
const pct = (x: number, of: number) => `${Math.round((100 * x) / of)}%`;

function report(t: Totals): void {
  const col = (name: string) => t.events.indexOf(name);
  const [ir, d1r, d1w, llr, llw] = ['Ir', 'D1mr', 'D1mw', 'DLmr', 'DLmw'].map(col);
  const total = new Array<number>(t.events.length).fill(0);
  const gc = new Map<string, number>(GC_PARTS.map(([p]) => [p, 0]));
  let gcAll = 0;
  for (const [fn, c] of t.byFn) {
    c.forEach((v, i) => (total[i] += v));
    const part = GC_PARTS.find(([, re]) => re.test(fn));
    if (part) {
      gc.set(part[0], gc.get(part[0])! + c[llr]);
      gcAll += c[llr];
    }
  }
  console.log(`  ${n(total[ir])} instructions`);
  console.log(`  data cache misses: ${n(total[d1r] + total[d1w])} first-level (${n(total[d1r])} reads), ${n(total[llr] + total[llw])} last-level (${n(total[llr])} reads)`);
  const parts = [...gc].map(([p, v]) => `${p} ${pct(v, total[llr])}`).join(', ');
  console.log(`  last-level read misses in V8's garbage collector: ${pct(gcAll, total[llr])} (${parts})`);
}

const replicas = process.argv[2] ?? '1000';
await withNodeBundle((file) => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeplay-cachegrind-'));
  try {
    const out = join(dir, 'cachegrind.out');
    const args = ['--tool=cachegrind', '--cache-sim=yes', `--D1=${D1}`, `--LL=${LL}`, `--cachegrind-out-file=${out}`, '--smc-check=all-non-file'];
    const r = spawnSync('valgrind', [...args, process.execPath, '--single-threaded', file], {
      env: { ...process.env, BENCH_SIZES: replicas },
      encoding: 'utf8',
    });
    if (r.status !== 0) {
      console.error(r.stderr);
      throw new Error(`valgrind failed (exit ${r.status ?? r.signal})`);
    }
    const run = /^ *(\d+ replicas on \d+ nodes)/m.exec(r.stdout);
    console.log(`${run ? run[1] : `${replicas} replicas`} under valgrind (times are not meaningful; caches modelled: ${D1.split(',')[0]} B first-level data, ${LL.split(',')[0]} B last level):`);
    report(readCachegrind(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
