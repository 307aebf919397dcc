/**
 * scenarios/ab-by-header.yaml: ingress-nginx's canary-by-header routes exactly the requests that
 * carry "X-Group: b" to version B, so the split follows the client groups (40 and 10 rps), not a weight.
 */
import { describe, expect, it } from 'vitest';
import { play } from './helpers/play.ts';

describe('scenarios/ab-by-header.yaml', async () => {
  const steps = await play('ab-by-header.yaml');
  const curls = steps.filter((s) => s.cmd.startsWith('kubeplay curl'));

  it('routes by the header, not by chance', () => {
    const served = curls.map((c) => /x-kubeplay-service: (\S+)|served by (shop-[ab])-/.exec(c.out)?.slice(1).find(Boolean));
    expect(served).toEqual(['default/shop-a', 'default/shop-b', 'shop-a']);
  });

  it('splits traffic as the client groups are sized: 40 rps to A, 10 rps to B', () => {
    const stats = steps.find((s) => s.cmd.startsWith('kubeplay traffic stats'))!;
    const share = (v: string) => parseFloat(stats.out.split('\n').find((l) => l.startsWith(`${v} `))!.trim().split(/\s+/).pop()!);
    expect(share('shop:b')).toBeGreaterThan(17);
    expect(share('shop:b')).toBeLessThan(23);
    expect(share('shop:a') + share('shop:b')).toBeCloseTo(100, 0);
  });
});
