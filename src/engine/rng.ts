/**
 * Rng is the simulation's only source of chance: a seeded sfc32 generator whose whole state is
 * four 32-bit words, so it can be snapshotted and restored with the rest of the cluster.
 */
export class Rng {
  private s: [number, number, number, number];

  constructor(seed: number | string = 1) {
    const h = typeof seed === 'string' ? hashString(seed) : seed >>> 0;
    this.s = [0x9e3779b9, 0x243f6a88, 0xb7e15162, h];
    for (let i = 0; i < 15; i++) this.next32();
  }

  /** next32 returns a uniformly distributed unsigned 32-bit integer. */
  next32(): number {
    let [a, b, c, d] = this.s;
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    this.s = [a, b, c, d];
    return t;
  }

  /** float returns a number in [0, 1). */
  float(): number {
    return this.next32() / 4294967296;
  }

  /** int returns an integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** pick returns a uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** exp draws from an exponential distribution with the given mean (Poisson arrivals). */
  exp(mean: number): number {
    return -Math.log(1 - this.float()) * mean;
  }

  /**
   * suffix returns n characters from the alphabet apimachinery's rand.String uses for generated
   * names ("bcdfghjklmnpqrstvwxz2456789": no vowels, no 0/1/3 that read as letters).
   */
  suffix(n: number): string {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }

  /** uuid returns a version-4 style UUID string drawn from this generator. */
  uuid(): string {
    const hex = (n: number) => this.next32().toString(16).padStart(8, '0').slice(0, n);
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[this.int(4)]}${hex(3)}-${hex(8)}${hex(4)}`;
  }

  getState(): [number, number, number, number] {
    return [...this.s];
  }

  setState(s: [number, number, number, number]): void {
    this.s = [...s];
  }
}

/** hashString is FNV-1a over UTF-16 code units: a stable 32-bit hash for seeds and template hashes. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
