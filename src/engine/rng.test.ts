import { describe, expect, it } from 'vitest';
import { Rng } from './rng.ts';

describe('Rng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.next32());
    expect(Array.from({ length: 5 }, () => b.next32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next32())).not.toEqual(xs);
  });

  it('restores its state', () => {
    const a = new Rng('seed');
    a.float();
    const s = a.getState();
    const x = a.float();
    a.setState(s);
    expect(a.float()).toBe(x);
    expect(new Rng(0, s).float()).toBe(x);
  });

  it('draws floats in [0,1) with a plausible mean', () => {
    const r = new Rng(7);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) {
      const f = r.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
      sum += f;
    }
    expect(sum / 10_000).toBeCloseTo(0.5, 1);
  });

  it('makes name suffixes from apimachinery alphabet', () => {
    expect(new Rng(1).suffix(5)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('makes uuids from seven draws, as next32 and int(4) would draw them', () => {
    // The reference: each draw's hex digits (padded to 8) cut to the group's length, the variant from int(4).
    const hex = (x: number, n: number) => x.toString(16).padStart(8, '0').slice(0, n);
    const variant = '89ab';
    for (const seed of [1, 42, 'kubeplay', 0xffffffff]) {
      const a = new Rng(seed);
      const b = new Rng(seed);
      for (let i = 0; i < 200; i++) {
        const want = `${hex(b.next32(), 8)}-${hex(b.next32(), 4)}-4${hex(b.next32(), 3)}-${variant[b.int(4)]}${hex(b.next32(), 3)}-${hex(b.next32(), 8)}${hex(b.next32(), 4)}`;
        expect(a.uuid()).toBe(want);
      }
      expect(a.next32()).toBe(b.next32());
    }
  });
});
