/**
 * The share-link codec: a SharePayload ⇄ a URL fragment `#s=<base64url(deflate-raw(JSON))>`.
 *
 * Links are untrusted input. decodeShare never throws and never runs long: each stage is linear in
 * its input and bounded before it starts (fragment length, then inflated size, with inflation stopped
 * as soon as the cap is passed, then JSON, then every field via migrate.ts). Every refusal says which
 * limit it hit. The scenario text itself is checked later by parseScenario, with its own limits.
 */
import { Inflate, deflateSync } from 'fflate';
import { DICTIONARY_1 } from './dictionary.ts';
import { migrateToCurrent, toWire } from './migrate.ts';
import { SHARE_LIMITS, type SharePayload } from './payload.ts';

/** FRAGMENT_KEY is the fragment parameter that holds the payload: `#s=…`. */
export const FRAGMENT_KEY = 's';

/**
 * Compression schemes, named before a dot in the payload: `#s=1.<base64url>`. No dot is scheme 0,
 * plain raw deflate. Scheme 1 is raw deflate with the preset dictionary DICTIONARY_1 (dictionary.ts).
 * The scheme is outside the compressed data because the decoder needs it before inflating.
 */
export const CURRENT_SCHEME = '1';
const DICTIONARIES: Record<string, Uint8Array | undefined> = { '0': undefined, '1': DICTIONARY_1 };

export type DecodeResult = { ok: true; payload: SharePayload } | { ok: false; message: string };
export type EncodeResult = { ok: true; fragment: string } | { ok: false; tooLarge: boolean; message: string; fragmentLength?: number };

/**
 * encodeShare renders a payload as a fragment (`#s=…`). A payload whose fragment would pass
 * SHARE_LIMITS.fragmentChars is refused with tooLarge, so the caller can offer a file instead.
 */
export function encodeShare(payload: SharePayload): EncodeResult {
  // Check the payload as a decoder would: a link we write must be a link we can read.
  const checked = migrateToCurrent(toWire(payload));
  if (!checked.ok) return { ok: false, tooLarge: false, message: checked.message };
  const json = new TextEncoder().encode(JSON.stringify(toWire(checked.value)));
  if (json.length > SHARE_LIMITS.inflatedBytes) {
    return { ok: false, tooLarge: true, message: `the share payload is ${json.length} bytes; a link holds at most ${SHARE_LIMITS.inflatedBytes} bytes (4 MiB) before compression` };
  }
  const packed = deflateSync(json, { level: 9, dictionary: DICTIONARIES[CURRENT_SCHEME] });
  const fragment = `#${FRAGMENT_KEY}=${CURRENT_SCHEME}.${toBase64Url(packed)}`;
  if (fragment.length > SHARE_LIMITS.fragmentChars) {
    return {
      ok: false,
      tooLarge: true,
      fragmentLength: fragment.length,
      message: `the link would be ${fragment.length} characters; the limit is ${SHARE_LIMITS.fragmentChars}. Download the share as a file instead`,
    };
  }
  return { ok: true, fragment };
}

/**
 * fragmentPayload finds the `s=` parameter in a URL, a fragment (`#s=…`) or a bare payload string.
 * Returns undefined when there is no share payload at all (a plain page load).
 */
export function fragmentPayload(input: string): string | undefined {
  const hash = input.indexOf('#');
  const frag = hash >= 0 ? input.slice(hash + 1) : input;
  for (const part of frag.split('&')) {
    if (part.startsWith(`${FRAGMENT_KEY}=`)) return part.slice(FRAGMENT_KEY.length + 1);
  }
  return undefined;
}

/** isShareLink tells whether a URL or fragment carries a share payload. */
export function isShareLink(input: string): boolean {
  return typeof input === 'string' && fragmentPayload(input) !== undefined;
}

/** decodeShare reads a URL, a `#s=…` fragment or the bare payload. It never throws. */
export function decodeShare(input: string): DecodeResult {
  try {
    return decodeUnsafe(input);
  } catch (e) {
    // Every stage below checks its input; this is the net for what a library might still throw.
    return { ok: false, message: `the link is damaged: ${(e as Error)?.message ?? String(e)}` };
  }
}

function decodeUnsafe(input: string): DecodeResult {
  if (typeof input !== 'string') return { ok: false, message: 'the link is not text' };
  if (input.length > SHARE_LIMITS.fragmentChars + 4096) {
    return { ok: false, message: `the link is ${input.length} characters; the limit is ${SHARE_LIMITS.fragmentChars}` };
  }
  const data = fragmentPayload(input);
  if (data === undefined) return { ok: false, message: 'the link has no share payload (#s=…)' };
  if (data.length > SHARE_LIMITS.fragmentChars) return { ok: false, message: `the link's payload is ${data.length} characters; the limit is ${SHARE_LIMITS.fragmentChars}` };
  if (data.length === 0) return { ok: false, message: 'the link\'s payload is empty: the link was cut short' };
  // A scheme is a short number before a dot; anything else is a scheme-0 payload (and a stray dot
  // fails the base64url check below with the right message).
  const tagged = /^(\d{1,4})\./.exec(data);
  const scheme = tagged ? tagged[1] : '0';
  if (!Object.hasOwn(DICTIONARIES, scheme)) {
    return { ok: false, message: `the link's compression scheme ${scheme} is not supported: this Kubeplay reads schemes ${Object.keys(DICTIONARIES).join(' and ')}` };
  }
  const bytes = fromBase64Url(tagged ? data.slice(tagged[0].length) : data);
  if (!bytes) return { ok: false, message: 'the link is damaged: the payload is not base64url text (it may have been cut or edited)' };
  const inflated = inflateCapped(bytes, SHARE_LIMITS.inflatedBytes, DICTIONARIES[scheme]);
  if (!inflated.ok) return inflated;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated.value);
  } catch {
    return { ok: false, message: 'the link is damaged: the payload is not UTF-8 text' };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, message: 'the link is damaged: the payload is not JSON (it may have been cut short)' };
  }
  const m = migrateToCurrent(raw);
  // The field's own message: the page says 'This share link cannot be opened: ' before it (it said it twice).
  return m.ok ? { ok: true, payload: m.value } : { ok: false, message: m.message };
}

/** INFLATE_CHUNK: input fed per step; one step inflates to at most ~1032 × this, bounding overshoot past the cap to ~1 MB. */
const INFLATE_CHUNK = 1024;

/**
 * inflateCapped inflates raw deflate data, stopping as soon as the output passes cap bytes (a
 * "zip bomb" of 48 KB could otherwise claim ~50 MB). The input is fed in small chunks so the check
 * runs before the next chunk is inflated.
 */
export function inflateCapped(data: Uint8Array, cap: number, dictionary?: Uint8Array): { ok: true; value: Uint8Array } | { ok: false; message: string } {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let over = false;
  let ended = false;
  const inf = new Inflate(dictionary ? { dictionary } : {}, (chunk, final) => {
    total += chunk.length;
    if (total > cap) over = true;
    else chunks.push(chunk);
    if (final) ended = true;
  });
  try {
    for (let i = 0; i < data.length && !over; i += INFLATE_CHUNK) {
      const end = Math.min(data.length, i + INFLATE_CHUNK);
      inf.push(data.subarray(i, end), end === data.length);
    }
  } catch {
    return { ok: false, message: 'the link is damaged: its compressed payload is corrupt (it may have been cut or edited)' };
  }
  if (over) return { ok: false, message: `the link's payload inflates to more than ${cap} bytes (4 MiB), the limit` };
  if (!ended) return { ok: false, message: 'the link is damaged: its compressed payload ends early (it was cut short)' };
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return { ok: true, value: out };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) t[ALPHABET.charCodeAt(i)] = i;
  return t;
})();

/** toBase64Url encodes bytes as RFC 4648 §5 base64url without padding (safe in a fragment unescaped). */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63];
  }
  return out;
}

/** fromBase64Url decodes base64url (padding tolerated); undefined for any other character or a bad length. */
export function fromBase64Url(s: string): Uint8Array | undefined {
  const str = s.replace(/=+$/, '');
  if (str.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((str.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c] : -1;
    if (v < 0) return undefined;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

/** SHARE_FILE_KEY marks a share file (the download offered when a link would be too long). */
export const SHARE_FILE_KEY = 'kubeplayShare';

/** encodeShareFile renders a payload as a JSON file: the same wire format as a link, uncompressed. */
export function encodeShareFile(payload: SharePayload): string {
  return JSON.stringify({ [SHARE_FILE_KEY]: toWire(payload) }, null, 1) + '\n';
}

/** isShareFile tells a share file from a scenario YAML (both can be dropped on the page). */
export function isShareFile(text: string): boolean {
  return /^\s*\{\s*"kubeplayShare"/.test(text.slice(0, 100));
}

/** decodeShareFile reads a share file with the link's limits (its size stands in for the inflated size). Never throws. */
export function decodeShareFile(text: string): DecodeResult {
  if (typeof text !== 'string') return { ok: false, message: 'the share file is not text' };
  if (text.length > SHARE_LIMITS.inflatedBytes) return { ok: false, message: `the share file is ${text.length} characters; the limit is ${SHARE_LIMITS.inflatedBytes} (4 MiB)` };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, message: 'the share file is damaged: it is not JSON' };
  }
  const inner = (raw as Record<string, unknown> | null)?.[SHARE_FILE_KEY];
  if (inner === undefined) return { ok: false, message: 'the file is not a Kubeplay share file' };
  const m = migrateToCurrent(inner);
  return m.ok ? { ok: true, payload: m.value } : { ok: false, message: `the share file cannot be opened: ${m.message}` };
}
