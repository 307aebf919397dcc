import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { main } from './main.ts';
import { memIo } from './memio.ts';

const SCENARIO = readFileSync(new URL('../../scenarios/strategy-compare.yaml', import.meta.url), 'utf8');

describe('kubeplay compare', () => {
  it('prints a table of the strategies asked for', async () => {
    const io = memIo({ 's.yaml': SCENARIO });
    expect(await main(['compare', 's.yaml', '--strategies', 'rolling,recreate'], io)).toBe(0);
    expect(io.stderr).toBe('');
    const lines = io.stdout.split('\n');
    expect(lines[0]).toBe('Deployment shop (4 replicas): shop shop:v1 → shop:v2 at 30s, seed 7, 50 rps');
    expect(lines[1]).toMatch(/^STRATEGY\s+PEAK PODS\s+TIME\s+FAILED\s+REQUESTS\s+POD-SECONDS\s+MIN READY$/);
    expect(lines[2]).toMatch(/^rolling\s+5\s+\S+s\s+0\s+\d+\s+\d+\.\d\s+4$/);
    expect(lines[3]).toMatch(/^recreate\s+4\s+\S+s\s+[1-9]\d*\s+\d+\s+\d+\.\d\s+0$/);
  });

  it('--json prints the result object, the same numbers as the table', async () => {
    const io = memIo({ 's.yaml': SCENARIO });
    expect(await main(['compare', 's.yaml', '--strategies=bluegreen', '--image', 'shop=shop:v2', '--json'], io)).toBe(0);
    const r = JSON.parse(io.stdout);
    expect(r.results.map((x: { strategy: string; peakPods: number; finished: boolean }) => [x.strategy, x.peakPods, x.finished])).toEqual([['bluegreen', 8, true]]);
    const table = memIo({ 's.yaml': SCENARIO });
    await main(['compare', 's.yaml', '--strategies=bluegreen'], table);
    const x = r.results[0];
    expect(table.stdout.split('\n')[2].split(/\s{2,}/)).toEqual(['bluegreen', '8', '1m06s', String(x.failedRequests), String(x.totalRequests), x.podSeconds.toFixed(1), String(x.minReady)]);
  });

  it.each([
    { args: ['compare'], err: 'kubeplay compare: compare needs a scenario FILE\n' },
    { args: ['compare', 's.yaml', '--strategies', 'fast'], err: 'kubeplay compare: --strategies: unknown strategy "fast" (choose from rolling, recreate, canary, bluegreen)\n' },
    { args: ['compare', 's.yaml', '--at', '3x'], err: 'kubeplay compare: --at: invalid duration "3x": must be a duration like 30s, 2m or 1h30m\n' },
    { args: ['compare', 's.yaml', '--image'], err: 'kubeplay compare: flag needs an argument: --image\n' },
    { args: ['compare', 's.yaml', '--bogus'], err: 'kubeplay compare: unknown flag: --bogus\n' },
    { args: ['compare', 'missing.yaml'], err: 'kubeplay: cannot read missing.yaml: no such file or directory\n' },
    { args: ['compare', 's.yaml', '--image', 'shop:v1'], err: 'kubeplay compare: Deployment "shop" already runs shop:v1: nothing to roll out\n' },
  ])('exits 1 for $args', async ({ args, err }) => {
    const io = memIo({ 's.yaml': SCENARIO });
    expect(await main(args, io)).toBe(1);
    expect(io.stderr.split('\nSee ')[0] + (io.stderr.includes('\nSee ') ? '\n' : '')).toBe(err);
    expect(io.stdout).toBe('');
  });

  it('--help', async () => {
    const io = memIo({});
    expect(await main(['compare', '--help'], io)).toBe(0);
    expect(io.stdout).toContain('kubeplay compare FILE [--image IMG]');
  });
});
