import type { Sim } from '../sim.ts';
import { runArgoRolloutsCommand } from '../controllers/rollout/commands.ts';
import { runNetworkCommand } from '../network/commands.ts';
import type { CommandResult } from './context.ts';
import { authorizeArgo } from './argoauth.ts';

/** NETWORK_SUBCOMMANDS are the `kubeplay …` words the network module owns (network/commands.ts). */
export const NETWORK_SUBCOMMANDS = ['curl', 'traffic', 'nslookup', 'promql'];

const notAvailable = (r: CommandResult | undefined) => !r || /not available|not installed|not implemented/i.test(r.out);

/**
 * argoRollouts runs `kubectl argo rollouts …` (args after "rollouts") in the Argo Rollouts module,
 * as kubectl runs the kubectl-argo-rollouts plugin binary. With --as/--as-group the plugin's requests
 * are authorized as that user first (argoauth.ts); the module never sees those flags.
 */
export function argoRollouts(sim: Sim, args: string[]): CommandResult {
  const auth = authorizeArgo(sim, args);
  if (!('rest' in auth)) return auth;
  return runArgoRolloutsCommand(sim, auth.rest);
}

/** argoAvailable asks the module, at run time, whether it answers (its help exits 0 and is not a stub's refusal). */
export function argoAvailable(sim: Sim): boolean {
  try {
    const r = runArgoRolloutsCommand(sim, ['help']);
    return r.exit === 0 && !notAvailable(r);
  } catch {
    return false;
  }
}

/**
 * networkCommand runs `kubeplay curl|traffic|nslookup|promql …` in the network module; undefined when
 * the module does not own the subcommand (the caller falls through to the other kubeplay commands).
 */
export function networkCommand(sim: Sim, args: string[]): CommandResult | undefined {
  if (!NETWORK_SUBCOMMANDS.includes(args[0])) return undefined;
  if (!sim.services.has('network')) return { exit: 1, out: `error: kubeplay ${args[0]} is not available: the engine module 'network' is not installed\n` };
  return runNetworkCommand(sim, args);
}

/** networkAvailable asks the module whether it answers (a read-only `traffic list`). */
export function networkAvailable(sim: Sim): boolean {
  if (!sim.services.has('network')) return false;
  try {
    const r = runNetworkCommand(sim, ['traffic', 'list']);
    return r !== undefined && r.exit === 0 && !notAvailable(r);
  } catch {
    return false;
  }
}
