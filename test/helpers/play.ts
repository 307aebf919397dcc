/** Shared by the scenario tests: run a built-in scenario through the CLI's own code path. */
import { expect } from 'vitest';
import { main, nodeIo, type CliIo } from '../../src/cli/main.ts';

export interface Step {
  t: number;
  cmd: string;
  exit: number;
  out: string;
}

/** play runs `kubeplay run scenarios/FILE --json`, expects a clean run, and returns the steps. */
export async function play(file: string): Promise<Step[]> {
  let out = '';
  let err = '';
  const io: CliIo = { ...nodeIo, out: (s) => void (out += s), err: (s) => void (err += s) };
  const code = await main(['run', `scenarios/${file}`, '--json'], io);
  expect(err).toBe('');
  expect(code).toBe(0);
  return out.trimEnd().split('\n').map((l) => JSON.parse(l) as Step);
}
