import { readFileSync } from 'node:fs';
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeShare, decodeShareFile, encodeShare, encodeShareFile, fragmentPayload, fromBase64Url, inflateCapped, isShareFile, isShareLink, toBase64Url } from './codec.ts';
import { SHARE_LIMITS, SHARE_VERSION, type SharePayload } from './payload.ts';

const canary = readFileSync(new URL('./testdata/canary-demo.yaml', import.meta.url), 'utf8');

/** fragmentOf builds a fragment from any JSON value, as a hostile link would be built. */
function fragmentOf(value: unknown): string {
  return `#s=${toBase64Url(deflateSync(new TextEncoder().encode(JSON.stringify(value))))}`;
}

function payload(over: Partial<SharePayload> = {}): SharePayload {
  return { v: SHARE_VERSION, scenario: canary, name: 'canary-demo.yaml', actions: [], t: 0, presentation: {}, ...over };
}

function encoded(p: SharePayload): string {
  const r = encodeShare(p);
  if (!r.ok) throw new Error(r.message);
  return r.fragment;
}

describe('round-trip', () => {
  const cases: [string, SharePayload][] = [
    ['empty scenario, no actions', payload({ scenario: '', name: undefined })],
    ['canary demo mid-way', payload({
      t: 47_250,
      actions: [
        { t: 12_000, kind: 'run', text: 'kubectl get pods -o wide' },
        { t: 12_000, kind: 'run', text: 'kubectl scale deployment/shop --replicas=6' },
        { t: 40_500, kind: 'apply', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: "é ✓ 🚀"\n' },
      ],
    })],
    ['every presentation option', payload({ presentation: { theme: 'dark', presenter: true, panel: 'lesson', playing: false, readOnly: true, view: 'traffic' } })],
    ['unicode and markup in text stays text', payload({ scenario: '# <script>alert(1)</script> 日本語\n', actions: [{ t: 0, kind: 'run', text: 'kubectl get pod "<img src=x onerror=alert(1)>"' }] })],
  ];
  it.each(cases)('%s', (_, p) => {
    const d = decodeShare(`https://kubeplay.dev/${encoded(p)}`);
    expect(d).toEqual({ ok: true, payload: p });
  });

  it('reads the bare fragment, the hash and the full URL alike', () => {
    const f = encoded(payload());
    expect(decodeShare(f)).toEqual(decodeShare(`http://x/a?b=1${f}`));
    expect(decodeShare(f.slice(1))).toEqual(decodeShare(f));
    expect(decodeShare(`#x=1&${f.slice(1)}`)).toEqual(decodeShare(f));
  });

  it('base64url round-trips every length', () => {
    for (let n = 0; n < 70; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      expect(fromBase64Url(toBase64Url(b))).toEqual(b);
    }
    expect(toBase64Url(Uint8Array.from([251, 255]))).toBe('-_8');
  });

  it('isShareLink and fragmentPayload', () => {
    expect(isShareLink('#s=abc')).toBe(true);
    expect(isShareLink('#a=1&s=abc')).toBe(true);
    expect(isShareLink('')).toBe(false);
    expect(isShareLink('#terminal')).toBe(false);
    expect(fragmentPayload('https://h/#s=xyz')).toBe('xyz');
  });
});

describe('a typical canary demo link', () => {
  it('stays under 2,000 characters with a realistic scenario and a class session of actions', () => {
    expect(canary.length).toBeGreaterThan(1500);
    const actions = [
      'kubectl get pods',
      'kubectl argo rollouts get rollout shop',
      'kubectl argo rollouts set image shop shop=shop:v2',
      'kubectl get rs',
      'kubeplay traffic',
      'kubectl argo rollouts promote shop',
      'kubectl get pods -o wide',
      'kubectl describe rollout shop',
    ].map((text, i) => ({ t: 5_000 + i * 7_000, kind: 'run' as const, text }));
    const url = `https://kubeplay.dev/${encoded(payload({ actions, t: 65_000, presentation: { panel: 'terminal', playing: true } }))}`;
    expect(url.length).toBeLessThan(2000);
  });
});

describe('migration from older versions', () => {
  it('opens a v1 link (long keys, object actions, no presentation) as the current version', () => {
    const v1 = { v: 1, scenario: canary, actions: [{ t: 1000, kind: 'run', text: 'kubectl get pods' }, { t: 2000, kind: 'apply', text: 'kind: X' }], t: 3000 };
    expect(decodeShare(fragmentOf(v1))).toEqual({
      ok: true,
      payload: { v: SHARE_VERSION, scenario: canary, actions: [{ t: 1000, kind: 'run', text: 'kubectl get pods' }, { t: 2000, kind: 'apply', text: 'kind: X' }], t: 3000, presentation: {} },
    });
  });
  it('checks v1 fields as strictly as v2', () => {
    const r = decodeShare(fragmentOf({ v: 1, scenario: '', actions: [{ t: -1, kind: 'run', text: 'x' }], t: 0 }));
    expect(r).toEqual({ ok: false, message: 'actions[0].t: must be a whole number of milliseconds ≥ 0' });
  });
  it('refuses a graph view it does not know, naming the two it does', () => {
    expect(decodeShare(fragmentOf({ v: 2, s: '', t: 0, p: { gv: '<b>map</b>' } }))).toEqual({ ok: false, message: 'presentation.view: must be cluster or traffic' });
  });
  it('refuses a version from the future, naming the versions it reads', () => {
    expect(decodeShare(fragmentOf({ v: 99, s: '' }))).toEqual({ ok: false, message: `the link's format version 99 is not supported: this Kubeplay reads versions 1 to ${SHARE_VERSION}` });
  });
});

describe('limits and damage: a clear message, never an exception', () => {
  const big = 'x'.repeat(SHARE_LIMITS.scenarioChars + 1);
  const cases: [string, string, RegExp][] = [
    ['no payload', 'https://kubeplay.dev/', /no share payload/],
    ['empty payload', '#s=', /empty/],
    ['not base64url', '#s=<script>alert(1)</script>', /not base64url/],
    ['impossible base64 length', '#s=A', /not base64url/],
    ['not deflate', `#s=${toBase64Url(new TextEncoder().encode('hello, this is not deflate data at all'))}`, /corrupt|ends early/],
    ['cut short', encodedCut(), /ends early|corrupt/],
    ['not JSON', `#s=${toBase64Url(deflateSync(new TextEncoder().encode('{"v":2,')))}`, /not JSON/],
    ['not UTF-8', `#s=${toBase64Url(deflateSync(Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d])))}`, /not UTF-8/],
    ['JSON but not an object', fragmentOf([1, 2, 3]), /expected a JSON object/],
    ['no version', fragmentOf({ s: '' }), /does not say which format it is in \(no "v" field\)/],
    ['no scenario', fragmentOf({ v: 2 }), /no scenario text/],
    ['scenario over 2 MiB', fragmentOf({ v: 2, s: big }), /limit is 2097152 \(2 MiB\)/],
    ['time past 30 days', fragmentOf({ v: 2, s: '', t: 31 * 24 * 3600 * 1000 }), /limit of 2592000000 ms \(30 days\)/],
    ['fractional time', fragmentOf({ v: 2, s: '', t: 1.5 }), /whole number/],
    ['too many actions', fragmentOf({ v: 2, s: '', t: 0, a: Array.from({ length: SHARE_LIMITS.actions + 1 }, () => [0, 'r', 'x']) }), /2001 actions; the limit is 2000/],
    ['action out of order', fragmentOf({ v: 2, s: '', t: 9, a: [[5, 'r', 'a'], [4, 'r', 'b']] }), /must be in time order/],
    ['action after the link time', fragmentOf({ v: 2, s: '', t: 1, a: [[5, 'r', 'a']] }), /after the link's time/],
    ['unknown action kind', fragmentOf({ v: 2, s: '', a: [[0, 'x', 'a']] }), /must be run or apply/],
    ['multi-line run action', fragmentOf({ v: 2, s: '', a: [[0, 'r', 'a\nb']] }), /one line/],
    ['run line over the terminal limit', fragmentOf({ v: 2, s: '', a: [[0, 'r', 'k'.repeat(10_001)]] }), /limit for run is 10000/],
    ['markup as a panel id', fragmentOf({ v: 2, s: '', p: { pa: '<b>x</b>' } }), /must be a panel id/],
    ['bad theme', fragmentOf({ v: 2, s: '', p: { th: 'neon' } }), /light or dark/],
    ['fragment over the length limit', `#s=${'A'.repeat(SHARE_LIMITS.fragmentChars + 1)}`, /limit is 65536/],
  ];
  it.each(cases)('%s', (_, input, message) => {
    const r = decodeShare(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it('stops inflating a decompression bomb at the cap', () => {
    // 8 MiB of zeros deflates to ~8 KB (deflate reaches ~1032:1); inflation must stop just past 4 MiB.
    const bomb = deflateSync(new Uint8Array(8 * 1024 * 1024), { level: 1 });
    const r = inflateCapped(bomb, SHARE_LIMITS.inflatedBytes);
    expect(r).toEqual({ ok: false, message: "the link's payload inflates to more than 4194304 bytes (4 MiB), the limit" });
    const frag = `#s=${toBase64Url(bomb)}`;
    expect(frag.length).toBeLessThan(SHARE_LIMITS.fragmentChars);
    const start = performance.now();
    expect(decodeShare(frag)).toEqual({ ok: false, message: "the link's payload inflates to more than 4194304 bytes (4 MiB), the limit" });
    expect(performance.now() - start).toBeLessThan(3000);
  });

  it('encode refuses what decode would refuse, and says when a link is too large', () => {
    const r = encodeShare(payload({ t: -5 }));
    expect(r).toMatchObject({ ok: false, tooLarge: false });
    // Incompressible text: ~48 KB of deflate output passes the 64K-character fragment.
    let x = 7;
    const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 0);
    const noise = Array.from({ length: 80_000 }, () => String.fromCharCode(33 + (next() % 90))).join('');
    const big = encodeShare(payload({ scenario: `# ${noise}\n` }));
    expect(big.ok).toBe(false);
    if (!big.ok) {
      expect(big.tooLarge).toBe(true);
      expect(big.message).toMatch(/the limit is 65536\. Download the share as a file instead/);
    }
  });
});

function encodedCut(): string {
  const f = encodeShare(payload({ actions: [{ t: 0, kind: 'run', text: 'kubectl get pods' }] }));
  if (!f.ok) throw new Error(f.message);
  return f.fragment.slice(0, Math.floor(f.fragment.length / 2));
}

describe('share files (for links too large for a URL)', () => {
  it('round-trip, and are told apart from YAML', () => {
    const p = payload({ actions: [{ t: 1, kind: 'run', text: 'kubectl get pods' }], t: 2 });
    const text = encodeShareFile(p);
    expect(isShareFile(text)).toBe(true);
    expect(isShareFile(canary)).toBe(false);
    expect(decodeShareFile(text)).toEqual({ ok: true, payload: p });
  });
  it('refuse damage with a message', () => {
    expect(decodeShareFile('{"kubeplayShare":')).toEqual({ ok: false, message: 'the share file is damaged: it is not JSON' });
    expect(decodeShareFile('{"x":1}')).toEqual({ ok: false, message: 'the file is not a Kubeplay share file' });
    expect(decodeShareFile('{"kubeplayShare":{"v":2,"s":"","t":-1}}')).toMatchObject({ ok: false, message: /t: must be a whole number/ });
    expect(decodeShareFile(' '.repeat(SHARE_LIMITS.inflatedBytes + 1))).toMatchObject({ ok: false, message: /limit is 4194304 \(4 MiB\)/ });
  });
});

describe('compression schemes', () => {
  it('writes scheme 1 (preset dictionary) and still reads scheme 0 (plain deflate) links', () => {
    const p = payload({ t: 5 });
    const f = encoded(p);
    expect(f.startsWith('#s=1.')).toBe(true);
    const plain = `#s=${toBase64Url(deflateSync(new TextEncoder().encode(JSON.stringify({ v: 2, s: canary, n: 'canary-demo.yaml', t: 5 }))))}`;
    expect(decodeShare(plain)).toEqual({ ok: true, payload: p });
    expect(f.length).toBeLessThan(plain.length * 0.8);
  });
  it('refuses an unknown scheme, naming the ones it reads', () => {
    expect(decodeShare('#s=9.AAAA')).toEqual({ ok: false, message: 'the link\'s compression scheme 9 is not supported: this Kubeplay reads schemes 0 and 1' });
    expect(decodeShare('#s=__proto__.AAAA')).toMatchObject({ ok: false, message: /not base64url/ });
  });
  it('a scheme-1 payload inflated without its dictionary is refused, not misread', () => {
    const f = encoded(payload());
    expect(decodeShare(`#s=${f.slice(5)}`).ok).toBe(false);
  });
  it('the built-in canary demos stay under 2,000 characters mid-way', () => {
    for (const file of ['canary-plain.yaml', 'argo-canary.yaml', 'argo-canary-nginx.yaml']) {
      const text = readFileSync(new URL(`../../scenarios/${file}`, import.meta.url), 'utf8');
      const url = `http://127.0.0.1:4173/${encoded(payload({ scenario: text, name: file, t: 49_250, actions: [{ t: 35_000, kind: 'run', text: 'kubectl scale deployment/canary-demo-canary --replicas=2' }, { t: 45_250, kind: 'run', text: 'kubeplay node fail worker-2' }] }))}`;
      expect(url.length, file).toBeLessThan(2000);
    }
  });
});
