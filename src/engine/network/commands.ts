// STUB — being written by the networking helper. Contract in src/engine/README.md.
import type { Sim } from '../sim.ts';
import type { CommandResult } from '../kubectl/index.ts';
/** runNetworkCommand handles `kubeplay curl|traffic|nslookup|promql …` (args after "kubeplay"); undefined if not a network command. */
export function runNetworkCommand(_sim: Sim, _args: string[]): CommandResult | undefined {
  return undefined;
}
