/**
 * batchRandom is a small sfc32 generator seeded from one draw of sim.rng. A traffic batch (one second
 * of one traffic source, thousands of requests) draws from it in a tight loop instead of from sim.rng:
 * it is just as deterministic (the seed comes from the seeded stream, and the generator lives only for
 * the batch, so snapshots need not carry it) and it allocates nothing per draw.
 */
export function batchRandom(seed: number): () => number {
  let a = 0x9e3779b9 | 0;
  let b = 0x243f6a88 | 0;
  let c = 0xb7e15162 | 0;
  let d = seed | 0;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

