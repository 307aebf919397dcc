/**
 * Page diff benchmark: what reading a rolling update's pods costs the page. On bench/history-1000.yaml's
 * cluster (50 nodes, 1,000 pods, rolled out to a new image at 20 s), mid-rollout, every pod is summarized
 * as the worker sends it, serialized with V8's ValueSerializer (what postMessage's structured clone uses)
 * and read back: bytes, and milliseconds to read (median of 25). Once with each summary on its own, once
 * with the summaries of the message sharing equal parts (summarizeAll, see Interner in src/worker/summary.ts).
 * Run: npx tsx bench/diff.bench.ts
 */
import { readFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { Session } from '../src/worker/session.ts';
import { summarize, summarizeAll } from '../src/worker/summary.ts';
import type { KubeObject } from '../src/engine/api/types.ts';

const scenario = readFileSync(new URL('./history-1000.yaml', import.meta.url), 'utf8');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function measure(make: () => KubeObject[]): { bytes: number; objects: number; summarizeMs: number; readMs: number } {
  const makeMs: number[] = [];
  const readMs: number[] = [];
  let buf = serialize(make());
  for (let i = 0; i < 25; i++) {
    let t = performance.now();
    const msg = make();
    makeMs.push(performance.now() - t);
    buf = serialize(msg);
    t = performance.now();
    deserialize(buf);
    readMs.push(performance.now() - t);
  }
  return { bytes: buf.length, objects: countObjects(deserialize(buf)), summarizeMs: median(makeMs), readMs: median(readMs) };
}

/** countObjects counts the distinct objects and arrays in a value (what the page allocates and keeps). */
function countObjects(v: unknown, seen = new Set<object>()): number {
  if (typeof v !== 'object' || v === null || seen.has(v)) return 0;
  seen.add(v);
  let n = 1;
  for (const x of Object.values(v)) n += countObjects(x, seen);
  return n;
}

const s = new Session();
const errors = s.load('history-1000.yaml', scenario);
if (errors.length) throw new Error(errors.join('\n'));
s.advance(21_000);
const pods = s.sim!.store.list('Pod');
const plain = measure(() => pods.map((p) => summarize(p)));
const shared = measure(() => summarizeAll(pods));
for (const [name, r] of [
  ['each summary on its own', plain],
  ['summaries sharing equal parts', shared],
] as const) {
  console.log(
    `${pods.length} pods mid-rollout, ${name}: ${(r.bytes / 1024).toFixed(0)} KB, ${r.objects} objects; summarize ${r.summarizeMs.toFixed(1)} ms (worker), read ${r.readMs.toFixed(1)} ms (page)`,
  );
}
console.log(`sharing: ${(plain.bytes / shared.bytes).toFixed(1)}x fewer bytes, ${(plain.objects / shared.objects).toFixed(1)}x fewer objects, ${(plain.readMs / shared.readMs).toFixed(1)}x faster to read`);
