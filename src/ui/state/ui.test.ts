import { describe, expect, test } from 'vitest';
import { useUi, type TerminalEntry } from './ui.ts';

const entry = (id: number, exit: number | undefined): TerminalEntry => ({ id, line: `cmd ${id}`, out: '', exit });

describe('addStepEntry: a timeline step the scenario ran by itself', () => {
  test.each([
    { name: 'after finished commands, at the end', before: [entry(1, 0), entry(2, 1)], want: [1, 2, 9] },
    { name: 'above a watch still running, which keeps the bottom', before: [entry(1, 0), entry(2, undefined)], want: [1, 9, 2] },
    { name: 'above every command still running at the end', before: [entry(1, undefined), entry(2, 0), entry(3, undefined), entry(4, undefined)], want: [1, 2, 9, 3, 4] },
    { name: 'on an empty screen', before: [], want: [9] },
  ])('$name', ({ before, want }) => {
    useUi.setState({ terminal: before });
    useUi.getState().addStepEntry(entry(9, 0));
    expect(useUi.getState().terminal.map((e) => e.id)).toEqual(want);
  });
});
