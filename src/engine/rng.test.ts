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
});
