/**
 * Rng is the simulation's only source of chance: a seeded sfc32 generator whose whole state is
 * four 32-bit words, so it can be snapshotted and restored with the rest of the cluster.
 */
export class Rng {
  // The four state words live in a Uint32Array: a word written to a field is a heap number once it
  // passes 2^30 (2^31 in Node), so each draw allocated, where a typed array stores the bits as they are.
  private readonly s = new Uint32Array(4);

  /** A generator from a seed; with `state`, the one that getState() gave it (the seed is then unused). */
  constructor(seed: number | string = 1, state?: readonly [number, number, number, number]) {
    if (state) {
      this.s.set(state);
      return;
    }
    const h = typeof seed === 'string' ? hashString(seed) : seed >>> 0;
    this.s.set([0x9e3779b9, 0x243f6a88, 0xb7e15162, h]);
    for (let i = 0; i < 15; i++) this.next32();
  }

  /** next32 returns a uniformly distributed unsigned 32-bit integer. */
  next32(): number {
    return sfc32(this.s);
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
    // The same seven draws as next32() and int(4) in turn (int(4) of a draw t is t >>> 30), each
    // written as the first UUID_DIGITS[k] hex digits of t (toString(16), padded to 8) at UUID_AT[k],
    // into one buffer made into one flat string (a 10,000-pod rollout makes ~125,000 uids).
    const u = UUID_CODES;
    for (let k = 0; k < 7; k++) {
      const t = sfc32(this.s);
      const n = UUID_DIGITS[k];
      if (n === 0) u[UUID_AT[k]] = VARIANT_CODES[t >>> 30];
      else hexInto(u, UUID_AT[k], t, n);
    }
    return String.fromCharCode.apply(null, u);
  }

  /** getState is the four words, the first as a signed 32-bit number (as snapshots have always held it). */
  getState(): [number, number, number, number] {
    const s = this.s;
    return [s[0] | 0, s[1], s[2], s[3]];
  }

  setState(state: readonly [number, number, number, number]): void {
    this.s.set(state);
  }
}

/**
 * sfc32 is one step of the generator on its four words (written back modulo 2^32 by the typed
 * array): the draw. Inlined where it is called in a loop (uuid), it keeps the draws unboxed.
 */
function sfc32(s: Uint32Array): number {
  const a = s[0];
  const b = s[1];
  const c = s[2];
  const d = s[3];
  const t = (a + b + d) >>> 0;
  s[0] = b ^ (b >>> 9);
  s[1] = c + (c << 3);
  s[2] = ((c << 21) | (c >>> 11)) + t;
  s[3] = d + 1;
  return t;
}

/** HEX_CODES are the char codes of the lower-case hex digits; VARIANT_CODES those of a v4 uuid's variant digit. */
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const VARIANT_CODES = Array.from('89ab', (c) => c.charCodeAt(0));

/** UUID_AT / UUID_DIGITS: where each of uuid()'s seven draws is written, and how many hex digits (0: the variant digit). */
const UUID_AT = [0, 9, 15, 19, 20, 24, 32];
const UUID_DIGITS = [8, 4, 3, 0, 3, 8, 4];

/** UUID_CODES is uuid()'s buffer: "xxxxxxxx-xxxx-4xxx-vxxx-xxxxxxxxxxxx" with the fixed characters in place. */
const UUID_CODES = Array.from('00000000-0000-4000-8000-000000000000', (c) => c.charCodeAt(0));

/** hexInto writes the n most significant hex digits of the unsigned 32-bit x at buf[at..]. */
export function hexInto(buf: number[], at: number, x: number, n: number): void {
  for (let i = 0; i < n; i++) buf[at + i] = HEX_CODES[(x >>> (28 - 4 * i)) & 15];
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

/**
 * bootstrapUid gives an object the cluster comes with (the bootstrap RBAC roles, the default StorageClass)
 * a fixed uid from its kind and name. Such objects are created outside the scenario's random stream (the
 * rng is restored afterwards), so adding them shifts no generated pod name or uid elsewhere; their own
 * uids must then not come from that stream either. A dry-run create's uid, which nothing keeps, is made
 * the same way (name: the object's namespace, name and the time).
 */
export function bootstrapUid(kind: string, name: string): string {
  const h = (salt: string) => hashString(`${salt}/${kind}/${name}`).toString(16).padStart(8, '0');
  const a = h('a');
  const b = h('b');
  const c = h('c');
  const d = h('d');
  return `${a}-${b.slice(0, 4)}-4${b.slice(4, 7)}-${'89ab'[parseInt(c[0], 16) % 4]}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}
