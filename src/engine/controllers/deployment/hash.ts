/**
 * hash.ts: the pod-template-hash (pkg/controller/controller_utils.go ComputeHash).
 *
 * Upstream writes the template with a deep-hash printer into an FNV-32a hasher, appends the
 * collisionCount as 4 little-endian bytes when it is set, and renders the 32-bit sum's decimal
 * digits with rand.SafeEncodeString. We print the template as canonical JSON (sorted keys) instead
 * of Go's printer, so the bytes differ from a real cluster but the value is stable and has the same
 * alphabet and shape ("7d4b9c5f6", 9-10 characters).
 */

/** SAFE_ALPHABET is apimachinery's rand alphanums: no vowels, no 0/1/3, so no words and no look-alikes. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** safeEncodeString is rand.SafeEncodeString: each byte b becomes alphanums[b % 27]. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** canonicalJson prints a value with object keys sorted and undefined fields dropped (a stable DeepHashObject). */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return v === undefined ? 'null' : JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map((x) => canonicalJson(x)).join(',') + ']';
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(o[k])).join(',') + '}';
}

/** fnv32a hashes the UTF-8 bytes of s, then extra raw bytes, with FNV-32a. */
export function fnv32a(s: string, extra: number[] = []): number {
  let h = 0x811c9dc5;
  const bytes = new TextEncoder().encode(s);
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193);
  }
  for (const b of extra) {
    h ^= b & 0xff;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** computeHash is ComputeHash(template, collisionCount): the pod-template-hash label value. */
export function computeHash(template: unknown, collisionCount?: number): string {
  const extra: number[] = [];
  if (collisionCount !== undefined && collisionCount !== null) {
    // binary.LittleEndian.PutUint32(collisionCountBytes, uint32(*collisionCount))
    const c = collisionCount >>> 0;
    extra.push(c & 0xff, (c >>> 8) & 0xff, (c >>> 16) & 0xff, (c >>> 24) & 0xff);
  }
  return safeEncodeString(String(fnv32a(canonicalJson(template), extra)));
}
