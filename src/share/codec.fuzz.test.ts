import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeShare, encodeShare, toBase64Url } from './codec.ts';
import { SHARE_VERSION, type SharePayload } from './payload.ts';

const canary = readFileSync(new URL('./testdata/canary-demo.yaml', import.meta.url), 'utf8');
const base: SharePayload = {
  v: SHARE_VERSION,
  scenario: canary,
  name: 'canary-demo.yaml',
  actions: [
    { t: 1000, kind: 'run', text: 'kubectl get pods' },
    { t: 9000, kind: 'apply', text: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n' },
  ],
  t: 12_000,
  presentation: { theme: 'dark', panel: 'terminal' },
};
const good = (() => {
  const r = encodeShare(base);
  if (!r.ok) throw new Error(r.message);
  return r.fragment;
})();

/** WALL_LIMIT_MS: one decode may take this long at most on a busy 2-core machine (typical: < 5 ms). */
const WALL_LIMIT_MS = 2000;

/** decodeSafely asserts the codec's promise: a result object, never an exception, in bounded time. */
function decodeSafely(input: string): void {
  const start = performance.now();
  const r = decodeShare(input);
  expect(performance.now() - start).toBeLessThan(WALL_LIMIT_MS);
  expect(typeof r.ok).toBe('boolean');
  if (!r.ok) expect(r.message.length).toBeGreaterThan(0);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const b64char = fc.integer({ min: 0, max: 63 }).map((i) => B64[i]);

describe('fuzz: decodeShare never throws and never hangs', () => {
  it('random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 1000, unit: "binary" }), (s) => decodeSafely(s)), { numRuns: 300 });
  });

  it('random base64url payloads', () => {
    fc.assert(fc.property(fc.array(b64char, { maxLength: 3000 }), (cs) => decodeSafely(`#s=${cs.join('')}`)), { numRuns: 300 });
  });

  it('mutated valid links: flipped, cut, inserted and deleted characters', () => {
    const mutation = fc.oneof(
      fc.record({ op: fc.constant('flip' as const), at: fc.nat(), c: b64char }),
      fc.record({ op: fc.constant('cut' as const), at: fc.nat(), c: fc.constant('') }),
      fc.record({ op: fc.constant('insert' as const), at: fc.nat(), c: fc.string({ minLength: 1, maxLength: 4 }) }),
      fc.record({ op: fc.constant('delete' as const), at: fc.nat(), c: fc.constant('') }),
    );
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (ms) => {
        let s = good;
        for (const m of ms) {
          const at = 3 + (m.at % Math.max(1, s.length - 3));
          if (m.op === 'flip') s = s.slice(0, at) + m.c + s.slice(at + 1);
          else if (m.op === 'cut') s = s.slice(0, at);
          else if (m.op === 'insert') s = s.slice(0, at) + m.c + s.slice(at);
          else s = s.slice(0, at) + s.slice(at + 1);
        }
        decodeSafely(s);
      }),
      { numRuns: 300 },
    );
  });

  it('well-compressed but hostile JSON: any shape, any version', () => {
    const hostile = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.record({ v: fc.oneof(fc.constant(1), fc.constant(2), fc.jsonValue()), s: fc.oneof(fc.string(), fc.jsonValue()), a: fc.jsonValue({ maxDepth: 3 }), t: fc.jsonValue(), p: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }),
      fc.record({ v: fc.constant(1), scenario: fc.string(), actions: fc.array(fc.record({ t: fc.jsonValue(), kind: fc.string(), text: fc.jsonValue() }, { requiredKeys: [] })), t: fc.jsonValue() }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(hostile, (v) => {
        const json = new TextEncoder().encode(JSON.stringify(v) ?? 'null');
        decodeSafely(`#s=${toBase64Url(deflateSync(json))}`);
      }),
      { numRuns: 300 },
    );
  });

  it('every valid payload round-trips', () => {
    const action = fc.record({ t: fc.integer({ min: 0, max: 100_000 }), kind: fc.constantFrom('run' as const, 'apply' as const), text: fc.string({ maxLength: 200 }) });
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), fc.array(action, { maxLength: 20 }), fc.integer({ min: 0, max: 50_000 }), (scenario, acts, extra) => {
        const actions = acts.map((a) => (a.kind === 'run' ? { ...a, text: a.text.replace(/[\r\n]/g, ' ') } : a)).sort((a, b) => a.t - b.t);
        const p: SharePayload = { v: SHARE_VERSION, scenario, actions, t: (actions.at(-1)?.t ?? 0) + extra, presentation: {} };
        const e = encodeShare(p);
        expect(e.ok).toBe(true);
        if (e.ok) expect(decodeShare(e.fragment)).toEqual({ ok: true, payload: p });
      }),
      { numRuns: 150 },
    );
  });
});
