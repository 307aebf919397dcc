// STUB — being written by the Argo Rollouts helper. Contract in src/engine/README.md.
import type { Sim } from '../../sim.ts';
export function installRolloutController(_sim: Sim): void {}
