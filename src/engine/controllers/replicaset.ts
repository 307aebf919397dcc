// STUB — being written by the deployment helper. Contract in src/engine/README.md.
import type { Sim } from '../sim.ts';
export function installReplicaSetController(_sim: Sim): void {}
