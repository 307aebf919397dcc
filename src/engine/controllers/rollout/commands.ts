import type { Sim } from '../../sim.ts';
import type { CommandResult } from '../../kubectl/index.ts';
/** runArgoRolloutsCommand handles `kubectl argo rollouts …` (args after "rollouts"). */
export function runArgoRolloutsCommand(_sim: Sim, _args: string[]): CommandResult {
  return { exit: 1, out: 'error: the Argo Rollouts plugin is not available' };
}
