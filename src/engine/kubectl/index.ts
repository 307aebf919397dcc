// STUB — being written by the kubectl helper. Contract in src/engine/README.md.
import type { Sim } from '../sim.ts';
export interface CommandResult {
  exit: number;
  out: string;
}
export function runCommand(_sim: Sim, _line: string): CommandResult {
  return { exit: 1, out: 'not implemented' };
}
