import { describe, expect, it } from 'vitest';
import { formatCpu, formatMemory, parseQuantity, scaledValue } from './quantity.ts';
import { canonicalQuantity } from './canonical.ts';

describe('parseQuantity (milli-units)', () => {
  const table: [string | number, number | undefined][] = [
    ['100m', 100], ['1', 1000], ['0.5', 500], ['2', 2000], [1.5, 1500], ['1Ki', 1024_000], ['128Mi', 128 * 2 ** 20 * 1000],
    ['1G', 1e12], ['1e3', 1_000_000], ['abc', undefined], ['1Qi', undefined], ['', undefined],
  ];
  it.each(table)('%s', (q, want) => expect(parseQuantity(q)).toBe(want));
});

describe('formatting', () => {
  it('prints cpu and memory as kubectl does', () => {
    expect(formatCpu(250)).toBe('250m');
    expect(formatCpu(2000)).toBe('2');
    expect(formatMemory(128 * 2 ** 20)).toBe('128Mi');
    expect(formatMemory(1500)).toBe('1500');
  });
});

describe('scaledValue (intstr.GetScaledValueFromIntOrPercent)', () => {
  const table: [number | string, number, boolean, number | undefined][] = [
    ['25%', 10, true, 3], ['25%', 10, false, 2], ['0%', 10, true, 0], ['100%', 3, false, 3], [2, 10, true, 2], ['33%', 3, true, 1], ['x%', 3, true, undefined],
  ];
  it.each(table)('%s of %d (roundUp %s)', (v, total, up, want) => expect(scaledValue(v, total, up)).toBe(want));
});

// resource.Quantity's String() (quantity_test.go's canonical forms): the API server stores what it decoded, re-encoded.
describe('canonicalQuantity (resource.Quantity.String)', () => {
  it.each([
    ['0.5', '500m'],
    ['1.5', '1500m'],
    ['1000m', '1'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['100m', '100m'],
    ['0', '0'],
    ['-1', '-1'],
    ['2e9', '2e9'],
    ['129e6', '129e6'],
    ['1e3', '1e3'],
    ['129M', '129M'],
    ['128974848', '128974848'],
    ['123Mi', '123Mi'],
    ['1.5Gi', '1536Mi'],
    ['0.5Gi', '512Mi'],
    ['1024Mi', '1Gi'],
    ['1000Mi', '1000Mi'],
    ['0.5Ki', '512'],
    ['0.0000000001', '1n'],
    ['.5', '500m'],
    [0.25, '250m'],
    [1000000000, '1G'],
    ['x', undefined],
  ])('%j → %j', (q, want) => expect(canonicalQuantity(q)).toBe(want));

  it('is what an applied manifest reads back as', async () => {
    const { createCluster } = await import('../cluster.ts');
    const { runCommand } = await import('../kubectl/index.ts');
    const sim = createCluster({ seed: 1, nodes: [{ name: 'worker-1' }] });
    runCommand(sim, 'kubectl apply -f -', { stdin: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    resources: {requests: {cpu: 0.25, memory: 1000000000}, limits: {cpu: "1.5", memory: 1.5Gi}}\n' });
    expect(runCommand(sim, 'kubectl get pod p -o jsonpath={.spec.containers[0].resources}').out).toBe('{"limits":{"cpu":"1500m","memory":"1536Mi"},"requests":{"cpu":"250m","memory":"1G"}}');
    sim.runUntil(5_000);
    // describe node's sums keep the first quantity's format (Quantity.Add).
    expect(runCommand(sim, 'kubectl describe node worker-1').out).toMatch(/memory +1G \(11%\) +1536Mi \(18%\)/);
  });
});
