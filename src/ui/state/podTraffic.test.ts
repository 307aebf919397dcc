import { describe, expect, test } from 'vitest';
import { notifyPodTraffic, subscribePod } from './podTraffic.ts';

const view = (pods: Record<string, { rps: number; errors: number }>) => pods;

describe('podTraffic', () => {
  test('a new traffic view wakes only the pods whose rate or error share changed', () => {
    const calls: string[] = [];
    const offA = subscribePod('default/a', () => calls.push('a'));
    const offB = subscribePod('default/b', () => calls.push('b'));
    const offC = subscribePod('default/c', () => calls.push('c'));
    notifyPodTraffic(view({ 'default/a': { rps: 1, errors: 0 }, 'default/b': { rps: 2, errors: 0 } }));
    expect(calls.sort()).toEqual(['a', 'b']); // c served nothing before and after
    calls.length = 0;
    notifyPodTraffic(view({ 'default/a': { rps: 1, errors: 0 }, 'default/b': { rps: 2, errors: 0.5 } }));
    expect(calls).toEqual(['b']);
    calls.length = 0;
    offB();
    notifyPodTraffic(undefined); // a reset forgets the rates: a drops to zero
    expect(calls).toEqual(['a']);
    offA();
    offC();
  });
});
