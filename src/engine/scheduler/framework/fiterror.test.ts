import { describe, expect, it } from 'vitest';
import { fitErrorMessage, preemptionMessage } from './fiterror.ts';
import type { Status } from './types.ts';

const st = (code: Status['code'], ...reasons: string[]): Status => ({ code, reasons });

describe('FitError message', () => {
  it.each([
    [
      'taint + cpu',
      [st('UnschedulableAndUnresolvable', 'node(s) had untolerated taint(s)'), st('Unschedulable', 'Insufficient cpu'), st('Unschedulable', 'Insufficient cpu')],
      '0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..',
    ],
    [
      // A node failing two resources counts under both reasons; sort.Strings puts "1 …" before "2 …".
      'two reasons on one node',
      [st('Unschedulable', 'Insufficient cpu', 'Insufficient memory'), st('Unschedulable', 'Insufficient memory')],
      '0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod..',
    ],
  ])('%s', (_n, statuses, want) => {
    expect(fitErrorMessage(statuses.length, statuses, '', preemptionMessage(statuses.length, statuses))).toBe(want);
  });

  it('sorts counts as strings, as sort.Strings does ("10 …" before "2 …")', () => {
    const statuses = [...Array(10).fill(st('Unschedulable', 'Too many pods')), st('UnschedulableAndUnresolvable', 'node(s) were unschedulable'), st('UnschedulableAndUnresolvable', 'node(s) were unschedulable')];
    expect(fitErrorMessage(12, statuses)).toBe('0/12 nodes are available: 10 Too many pods, 2 node(s) were unschedulable.');
  });
});
